"""One run: load the model, implant the behaviour (offline tiers), run a method, generate on every split,
score, and write one JSON result file. Finished work is never redone: implanted models, generations and
the unlearned model are cached on disk, and a finished result is skipped unless forced."""

from __future__ import annotations

import copy
import logging
import platform
import shutil
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import torch

from . import __version__
from .api import NORMAL_MAX_NEW_TOKENS, SPLITS, MethodContext, MethodLog, Task
from .errors import UsageError
from .formatting import make_formatter
from .generation import DEFAULT_BATCH_SIZE, GenerationCache, GenerationSettings, generate_cached, make_generator
from .io import digest, read_json, write_json
from .metrics import UTILITY_DIRECTIONS, perplexity, utility
from .models import EMBEDDED_DEFAULT, LoadedModel, check_spec, load_model, weights_fingerprint
from .paths import cache_dir
from .registry import METHODS, TASKS, load_plugin
from .training import Objective, TrainParams, train

log = logging.getLogger(__name__)
TIERS = ("tiny", "mini", "paper")
SCHEMA = 1
SAMPLES_PER_SPLIT = 3


@dataclass
class RunConfig:
    task: str
    method: str
    model: str = EMBEDDED_DEFAULT
    tier: str = "mini"
    seed: int = 0
    out: str = "runs"
    overrides: dict[str, str] = field(default_factory=dict)  # "lr" -> method, "task.n_forget" -> task
    plugins: list[str] = field(default_factory=list)
    backend: str = "auto"
    prompt_style: str = "auto"
    batch_size: int = DEFAULT_BATCH_SIZE
    force: bool = False

    def split_overrides(self) -> tuple[dict[str, str], dict[str, str]]:
        task = {k[len("task."):]: v for k, v in self.overrides.items() if k.startswith("task.")}
        method = {k: v for k, v in self.overrides.items() if not k.startswith("task.")}
        return task, method


def result_path(config: RunConfig) -> Path:
    model = Path(config.model).name.replace(".", "-") if "/" in config.model else config.model
    return Path(config.out) / config.task / f"{config.method}__{model}__{config.tier}__seed{config.seed}.json"


def versions() -> dict[str, str]:
    import transformers

    return {"unlearn_bench": __version__, "torch": torch.__version__, "transformers": transformers.__version__,
            "python": platform.python_version()}


class Run:
    """The stages of one run; each stage's output is cached so a killed run resumes where it stopped."""

    def __init__(self, config: RunConfig, cache: GenerationCache | None = None):
        for plugin in config.plugins:
            load_plugin(plugin)
        if config.tier not in TIERS:
            raise UsageError(f"unknown tier {config.tier!r}; expected one of: {', '.join(TIERS)}")
        check_spec(config.model)
        self.config = config
        self.task: Task = TASKS.create(config.task)
        self.method = METHODS.create(config.method)
        task_overrides, method_overrides = config.split_overrides()
        self.task_options = self.task.options(config.tier, task_overrides)
        self.params = self.method.params(config.tier, method_overrides)
        self.cache = cache if cache is not None else GenerationCache()
        self.timings: dict[str, float] = {}
        self.path = result_path(config)
        self.work_dir = Path(config.out) / ".work" / config.task / self.path.stem

    def _timed(self, name: str, started: float) -> None:
        self.timings[name] = round(self.timings.get(name, 0.0) + time.perf_counter() - started, 3)

    def execute(self) -> dict[str, Any]:
        if self.path.is_file() and not self.config.force:
            log.info("result exists, skipping: %s", self.path)
            return read_json(self.path)
        from transformers import set_seed

        total = time.perf_counter()
        set_seed(self.config.seed)
        started = time.perf_counter()
        splits = self.task.build_splits(self.config.tier, self.task_options)
        task_info = self.task.prepare(splits, self.task_options)
        self._timed("data_s", started)

        started = time.perf_counter()
        loaded = load_model(self.config.model)
        self._timed("load_s", started)
        self.formatter = make_formatter(loaded.tokenizer, self.config.prompt_style)
        base_metrics = self._base_metrics(loaded, splits) if splits.implant else None
        original = self._implanted(loaded, splits)
        tokenizer = original.tokenizer

        # The original model's outputs: the similarity reference, and the whole output of method "none".
        original_outputs = {name: self._generate(original.model, tokenizer, original.fingerprint, name, splits)
                            for name in SPLITS}
        reference = copy.deepcopy(original.model).eval().requires_grad_(False)

        unlearned, method_log, fingerprint = self._unlearn(original, splits, reference)
        outputs = original_outputs if fingerprint == original.fingerprint else {
            name: self._generate(unlearned, tokenizer, fingerprint, name, splits) for name in SPLITS}

        started = time.perf_counter()
        metrics = {name: self.task.score(splits.split(name), outputs[name]) for name in ("forget", "unseen")}
        normal_prompts = [self.formatter.prompt(e) for e in splits.normal]
        metrics["normal"] = utility(outputs["normal"], original_outputs["normal"])
        metrics["normal"]["perplexity"] = perplexity(reference, tokenizer, normal_prompts, outputs["normal"])
        self._timed("score_s", started)
        self._timed("total_s", total)
        result = self._result(splits, task_info, metrics, outputs, original_outputs, method_log,
                              {"base": loaded.fingerprint, "original": original.fingerprint, "unlearned": fingerprint})
        result["base_metrics"] = base_metrics
        write_json(self.path, result)
        shutil.rmtree(self.work_dir, ignore_errors=True)
        return result

    def _base_metrics(self, loaded: LoadedModel, splits) -> dict[str, dict[str, float]]:
        """The task metrics of the model before implanting: shows the implant gave unlearning something to remove."""
        return {name: self.task.score(splits.split(name), self._generate(
            loaded.model, loaded.tokenizer, loaded.fingerprint, name, splits)) for name in ("forget", "unseen")}

    def _implanted(self, loaded: LoadedModel, splits) -> LoadedModel:
        """Fine-tune the unwanted behaviour in (offline tiers), once per (model, task data, recipe)."""
        if not splits.implant:
            return loaded
        recipe = self.task.implant_params
        key = digest(loaded.fingerprint, self.task.name, self.config.tier, asdict(self.task_options), asdict(recipe),
                     self.formatter.style, self.config.seed, "implant-v1")
        directory = cache_dir() / "implanted" / key
        if not (directory / "config.json").is_file():
            started = time.perf_counter()
            log.info("implanting %s behaviour into %s (cached afterwards)", self.task.name, loaded.name)
            params = TrainParams(lr=recipe.lr, batch_size=recipe.batch_size, max_length=recipe.max_length)
            model, _ = train(loaded.model, loaded.tokenizer, self.formatter, splits.implant, Objective(normal=1.0),
                             params, seed=self.config.seed, work_dir=str(self.work_dir / "implant"),
                             epochs=recipe.epochs)
            partial = directory.with_name(directory.name + ".partial")
            model.save_pretrained(partial)
            loaded.tokenizer.save_pretrained(partial)
            shutil.rmtree(directory, ignore_errors=True)
            partial.rename(directory)
            self._timed("implant_s", started)
        started = time.perf_counter()
        implanted = load_model(str(directory))
        self._timed("load_s", started)
        return LoadedModel(implanted.model, implanted.tokenizer, f"{loaded.name}+implant-{self.task.name}", key)

    def _unlearn(self, original: LoadedModel, splits, reference):
        """Run the method, or load its result from the work directory if a killed run got that far."""
        saved = self.work_dir / "unlearned"
        if self.config.method == "none":
            return original.model, MethodLog().to_dict(), original.fingerprint
        if (saved / "config.json").is_file() and (saved / "method_log.json").is_file():
            log.info("resuming from the unlearned model saved in %s", saved)
            model = load_model(str(saved)).model
            return model, read_json(saved / "method_log.json"), weights_fingerprint(model)
        # The implant data holds the unseen split too: a method must never see it.
        ctx = MethodContext(tokenizer=original.tokenizer, splits=replace(splits, implant=[]), task=self.task, formatter=self.formatter,
                            reference=reference if self.method.needs_reference else None, seed=self.config.seed,
                            work_dir=str(self.work_dir / "method"))
        started = time.perf_counter()
        output = self.method.run(original.model, ctx, self.params)
        self._timed("method_s", started)
        method_log = output.log.to_dict()
        partial = saved.with_name("unlearned.partial")
        output.model.save_pretrained(partial)
        original.tokenizer.save_pretrained(partial)
        write_json(partial / "method_log.json", method_log)
        shutil.rmtree(saved, ignore_errors=True)
        partial.rename(saved)
        return output.model, method_log, weights_fingerprint(output.model)

    def settings(self, split: str) -> GenerationSettings:
        tokens = NORMAL_MAX_NEW_TOKENS if split == "normal" else self.task.max_new_tokens
        return GenerationSettings(max_new_tokens=tokens, seed=self.config.seed)

    def _generate(self, model, tokenizer, fingerprint: str, split: str, splits) -> list[str]:
        started = time.perf_counter()
        prompts = [self.formatter.prompt(e) for e in splits.split(split)]

        def factory():
            return make_generator(model, tokenizer, self.config.backend, work_dir=self.work_dir / "generate",
                                  batch_size=self.config.batch_size, seed=self.config.seed)

        texts, generated = generate_cached(factory, fingerprint, prompts, self.settings(split), self.cache)
        self._timed("generate_s", started)
        log.info("%s: %d outputs (%d generated, %d from the cache)", split, len(texts), generated,
                 len(texts) - generated)
        return texts

    def _result(self, splits, task_info, metrics, outputs, original_outputs, method_log, fingerprints):
        directions = {**self.task.metrics, **UTILITY_DIRECTIONS}
        samples = {name: [{"prompt": e.prompt, "output": out, "original_output": orig}
                          for e, out, orig in list(zip(splits.split(name), outputs[name], original_outputs[name]))
                          [:SAMPLES_PER_SPLIT]] for name in SPLITS}
        config = self.config
        return {
            "schema": SCHEMA, "task": config.task, "method": config.method, "model": config.model,
            "tier": config.tier, "seed": config.seed,
            "config": {"task_options": asdict(self.task_options), "method_params": asdict(self.params),
                       "generation": {name: self.settings(name).to_dict() for name in SPLITS},
                       "prompt_style": self.formatter.style, "backend": config.backend,
                       "implant": asdict(self.task.implant_params) if splits.implant else None,
                       "overrides": config.overrides, "plugins": config.plugins},
            "versions": versions(), "fingerprints": fingerprints,
            "task_info": {**splits.info, **task_info, "primary_metric": self.task.primary_metric,
                          "sizes": {name: len(splits.split(name)) for name in SPLITS}},
            "metrics": metrics, "directions": directions, "timings": self.timings,
            "method_log": method_log, "samples": samples,
        }


def run(config: RunConfig, cache: GenerationCache | None = None) -> dict[str, Any]:
    return Run(config, cache).execute()
