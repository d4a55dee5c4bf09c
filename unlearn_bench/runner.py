"""One run: load the model, implant the behaviour (offline tiers), run a method, generate on every split,
score, and write one JSON result file.

A run is keyed by its content: a short hash of the fully resolved config (task and its version, method and its
version, model identity, tier, seed, task options, method hyperparameters, prompt style, generation settings,
implant recipe, plugins) is part of the result's file name and of its work directory. A finished result is skipped
only when that hash matches; any changed setting is a different run. Finished work is never redone: implanted
models, generations and the unlearned model of a killed run are cached on disk.
"""

from __future__ import annotations

import copy
import logging
import platform
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import torch

from . import __version__, progress
from .api import NORMAL_MAX_NEW_TOKENS, SPLITS, MethodContext, MethodLog, Splits, Task
from .errors import UsageError
from .formatting import make_formatter
from .generation import DEFAULT_BATCH_SIZE, GenerationCache, GenerationSettings, generate_cached, make_generator
from .implant import implanted
from .io import digest, read_json, write_json
from .models import EMBEDDED_DEFAULT, LoadedModel, load_model, model_identity, weights_fingerprint
from .registry import METHODS, TASKS, load_plugin
from .scoring import check_nonempty
from .results import SCHEMA, config_hash, result_stem, write_result

log = logging.getLogger(__name__)
TIERS = ("tiny", "mini", "paper")
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
    label: str = ""  # how progress lines name this run, e.g. "run 3/18 harmful/ga_kl"
    quiet: bool = False
    attacks: list[str] = field(default_factory=list)  # robustness probes after the evaluation (not in the hash)
    keep_model: bool = False  # keep the unlearned weights so a later --attacks run skips training (not in the hash)

    def split_overrides(self) -> tuple[dict[str, str], dict[str, str]]:
        task = {k[len("task."):]: v for k, v in self.overrides.items() if k.startswith("task.")}
        method = {k: v for k, v in self.overrides.items() if not k.startswith("task.")}
        return task, method


def versions() -> dict[str, str]:
    import transformers

    return {"unlearn_bench": __version__, "torch": torch.__version__, "transformers": transformers.__version__,
            "python": platform.python_version()}


def _plugin_identity(spec: str) -> str:
    path = Path(spec)
    return f"{path.name}:{digest(path.read_text(encoding='utf-8'))}" if spec.endswith(".py") and path.is_file() else spec


class Resolved:
    """A config with its task, method, options and params resolved, its content hash and its paths."""

    def __init__(self, config: RunConfig):
        for plugin in config.plugins:
            load_plugin(plugin)
        if config.tier not in TIERS:
            raise UsageError(f"unknown tier {config.tier!r}; expected one of: {', '.join(TIERS)}")
        self.config = config
        self.task: Task = TASKS.create(config.task)
        self.method = METHODS.create(config.method)
        task_overrides, method_overrides = config.split_overrides()
        self.task_options = self.task.options(config.tier, task_overrides)
        self.params = self.method.params(config.tier, method_overrides)
        self.model_identity = model_identity(config.model)
        self.hash = config_hash(self.hashed())
        stem = result_stem(config.method, config.model, config.tier, config.seed, self.hash)
        self.path = Path(config.out) / config.task / f"{stem}.json"
        self.work_dir = Path(config.out) / ".work" / config.task / stem

    def hashed(self) -> dict[str, Any]:
        """Everything that shapes a run's numbers; execution settings (backend, batch size, out) are left out."""
        config = self.config
        return {"task": config.task, "task_version": self.task.version, "method": config.method,
                "method_version": self.method.version, "model": self.model_identity, "tier": config.tier,
                "seed": config.seed, "task_options": asdict(self.task_options), "method_params": asdict(self.params),
                "prompt_style": config.prompt_style, "implant": asdict(self.task.implant_params),
                "max_new_tokens": {"task": self.task.max_new_tokens, "normal": NORMAL_MAX_NEW_TOKENS},
                "plugins": [_plugin_identity(p) for p in config.plugins]}


def result_path(config: RunConfig) -> Path:
    return Resolved(config).path


class Run:
    """The stages of one run (data, load, implant, generate, method, score, result); each stage's output is cached
    so a killed run resumes where it stopped."""

    def __init__(self, config: RunConfig, cache: GenerationCache | None = None):
        resolved = Resolved(config)
        self.resolved, self.config = resolved, config
        self.task, self.method = resolved.task, resolved.method
        self.task_options, self.params = resolved.task_options, resolved.params
        self.path, self.work_dir = resolved.path, resolved.work_dir
        self.cache = cache if cache is not None else GenerationCache()
        self.timings: dict[str, Any] = {"cached": []}

    # ---- bookkeeping

    def _timed(self, name: str, started: float) -> None:
        self.timings[f"{name}_s"] = round(self.timings.get(f"{name}_s", 0.0) + time.perf_counter() - started, 3)

    def _cached(self, what: str) -> None:
        self.timings["cached"].append(what)

    def progress(self, message: str) -> None:
        if self._reporter:
            self._reporter(message)

    @property
    def _reporter(self):
        if self.config.quiet:
            return None
        label = self.config.label or f"{self.config.task}/{self.config.method}"
        return lambda message: print(f"[{label}] {message}", file=sys.stderr, flush=True)

    # ---- stages

    def finished(self) -> dict[str, Any] | None:
        """The stored result when it exists and already has every attack asked for."""
        if not self.path.is_file() or self.config.force:
            return None
        stored = read_json(self.path)
        done = set((stored.get("robustness") or {}).keys()) | set((stored.get("robustness_skipped") or {}).keys())
        return stored if set(self.config.attacks) <= done else None

    def execute(self) -> dict[str, Any]:
        stored = self.finished()
        if stored is not None:
            log.info("result exists, skipping: %s", self.path)
            return stored
        from transformers import set_seed

        total = time.perf_counter()
        set_seed(self.config.seed)
        splits, task_info = self._data()
        started = time.perf_counter()
        loaded = load_model(self.config.model)
        self._timed("load", started)
        self.formatter = make_formatter(loaded.tokenizer, self.config.prompt_style)
        base_outputs = self._base_outputs(loaded, splits) if splits.implant else None
        original = self._original(loaded, splits)
        original_outputs = {name: self._generate(original, name, splits) for name in SPLITS}
        reference = copy.deepcopy(original.model).eval().requires_grad_(False)
        unlearned, method_log = self._unlearn(original, splits, reference)
        outputs = {name: self._generate(unlearned, name, splits) for name in SPLITS}
        scores, base_scores = self._score(splits, outputs, original_outputs, base_outputs, reference, original.tokenizer)
        original.model = reference  # the method may have trained the original's weights in place
        robustness = self._attacks(splits, loaded if splits.implant else None, original, unlearned, scores,
                                   original_outputs)
        self._timed("total", total)
        result = self._result(splits, task_info, scores, base_scores, outputs, original_outputs, method_log,
                              {"base": loaded.fingerprint, "original": original.fingerprint,
                               "unlearned": unlearned.fingerprint})
        result.update(robustness)
        write_result(self.path, result)
        self._clean_work_dir()
        return result

    def _clean_work_dir(self) -> None:
        """Drop the run's scratch files; with keep_model, the unlearned weights stay for a later --attacks run."""
        if not self.config.keep_model:
            shutil.rmtree(self.work_dir, ignore_errors=True)
            return
        for entry in self.work_dir.iterdir() if self.work_dir.is_dir() else []:
            if entry.is_dir() and entry.name != "unlearned":
                shutil.rmtree(entry)
            elif entry.is_file():
                entry.unlink()

    def _data(self) -> tuple[Splits, dict[str, Any]]:
        started = time.perf_counter()
        splits = self.task.build_splits(self.config.tier, self.task_options)
        check_nonempty(splits)
        task_info = self.task.prepare(splits, self.task_options)
        self._timed("data", started)
        return splits, task_info

    def _base_outputs(self, loaded: LoadedModel, splits: Splits) -> dict[str, list[str]]:
        """The base model's outputs before implanting: shows the implant gave unlearning something to remove."""
        return {name: self._generate(loaded, name, splits) for name in ("forget", "unseen")}

    def _original(self, loaded: LoadedModel, splits: Splits) -> LoadedModel:
        """The model every method starts from: the implanted model on the offline tiers, else the loaded one.
        Either way it is identified by a hash of its weights, which keys its generations."""
        if not splits.implant:
            return replace(loaded, fingerprint=weights_fingerprint(loaded.model))
        started = time.perf_counter()
        with progress.stage(f"implant ({len(splits.implant)} examples, cached after the first run)", self._reporter):
            original, cached = implanted(loaded, self.task, self.config.tier, self.task_options, self.formatter,
                                         splits.implant, self.work_dir)
        self._timed("implant", started)
        if cached:
            self._cached("implant")
        return original

    def _unlearn(self, original: LoadedModel, splits: Splits, reference) -> tuple[LoadedModel, dict[str, Any]]:
        """Run the method, or load its result from the work directory if a killed run got that far."""
        saved = self.work_dir / "unlearned"
        if (saved / "config.json").is_file() and (saved / "method_log.json").is_file():
            log.info("resuming from the unlearned model saved in %s", saved)
            self._cached("method")
            model = load_model(str(saved)).model
            return self._unlearned(original, model), read_json(saved / "method_log.json")
        # A method sees forget, normal and the unrelated answers only: never unseen, implant, relearn or holdout.
        hidden = replace(splits, unseen=[], implant=[], relearn=[], holdout=[])
        ctx = MethodContext(tokenizer=original.tokenizer, splits=hidden, task=self.task,
                            formatter=self.formatter, reference=reference if self.method.needs_reference else None,
                            seed=self.config.seed, work_dir=str(self.work_dir / "method"))
        started = time.perf_counter()
        with progress.stage(f"method {self.method.name}", self._reporter):
            output = self.method.run(original.model, ctx, self.params)
        self._timed("method", started)
        method_log = output.log.to_dict() if isinstance(output.log, MethodLog) else dict(output.log)
        unlearned = self._unlearned(original, output.model)
        if unlearned.fingerprint != original.fingerprint:  # an unchanged model (e.g. `none`) needs no copy on disk
            self._save_unlearned(output.model, original.tokenizer, method_log, saved)
        return unlearned, method_log

    def _unlearned(self, original: LoadedModel, model) -> LoadedModel:
        name = f"{original.name}+{self.method.name}"
        return LoadedModel(model, original.tokenizer, name, weights_fingerprint(model))

    @staticmethod
    def _save_unlearned(model, tokenizer, method_log: dict[str, Any], saved: Path) -> None:
        partial = saved.with_name("unlearned.partial")
        shutil.rmtree(partial, ignore_errors=True)
        model.save_pretrained(partial)
        tokenizer.save_pretrained(partial)
        write_json(partial / "method_log.json", method_log)
        shutil.rmtree(saved, ignore_errors=True)
        partial.rename(saved)

    def settings(self, split: str, splits: Splits) -> GenerationSettings:
        tokens = NORMAL_MAX_NEW_TOKENS if split == "normal" else self.task.max_new_tokens
        stop = self.formatter.stop_strings(splits.split(split)[0])
        return GenerationSettings(max_new_tokens=tokens, stop=stop, seed=self.config.seed)

    def _generate(self, model: LoadedModel, split: str, splits: Splits) -> list[str]:
        started = time.perf_counter()
        prompts = [self.formatter.prompt(e) for e in splits.split(split)]

        def factory():
            self.progress(f"generate {split} ({len(prompts)} prompts) with {model.name}")
            return make_generator(model.model, model.tokenizer, self.config.backend,
                                  work_dir=self.work_dir / "generate", batch_size=self.config.batch_size,
                                  seed=self.config.seed, progress=not self.config.quiet)

        texts, generated = generate_cached(factory, model.fingerprint, prompts, self.settings(split, splits),
                                           self.cache)
        if generated:
            self._timed("generate", started)
        else:
            self._cached(f"generate:{model.fingerprint[:8]}:{split}")
        log.info("%s: %d outputs (%d generated, %d from the cache)", split, len(texts), generated,
                 len(texts) - generated)
        return texts

    def _score(self, splits, outputs, original_outputs, base_outputs, reference, tokenizer):
        from .metrics import output_nll
        from .scoring import evaluate  # looked up at call time: tests stand in for it

        self.progress("score")
        started = time.perf_counter()
        normal_prompts = [self.formatter.prompt(e) for e in splits.normal]

        def fluency(texts: list[str]):
            return output_nll(reference, tokenizer, normal_prompts, texts)

        scores = evaluate(self.task, splits, outputs, original_outputs, fluency=fluency, seed=self.config.seed)
        base = evaluate(self.task, splits, base_outputs, seed=self.config.seed) if base_outputs else None
        self._timed("score", started)
        return scores, base

    def _attacks(self, splits, base, original, unlearned, scores, original_outputs) -> dict[str, Any]:
        """Robustness probes on the unlearned model (relearning, quantization, prompt attacks, membership
        inference), each asked for by name; their generations go through the same cache."""
        if not self.config.attacks:
            return {}
        from .attacks import AttackContext, GenerationRequest, run_attacks

        def generate(model: LoadedModel, request: GenerationRequest) -> list[str]:
            """An attack's prompts with the request's own limits (greedy, seeded like the run)."""
            started = time.perf_counter()
            settings = GenerationSettings(max_new_tokens=request.max_new_tokens, stop=tuple(request.stop),
                                          seed=self.config.seed)

            def factory():
                self.progress(f"generate {len(request.prompts)} attack prompts with {model.name}")
                return make_generator(model.model, model.tokenizer, self.config.backend,
                                      work_dir=self.work_dir / "generate", batch_size=self.config.batch_size,
                                      seed=self.config.seed, progress=not self.config.quiet)

            texts, generated = generate_cached(factory, model.fingerprint, list(request.prompts), settings, self.cache)
            if generated:
                self._timed("generate", started)
            return texts

        def means(examples, texts) -> dict[str, float | None]:
            return {name: _mean(v) for name, v in self.task.score(examples, texts).items()}

        ctx = AttackContext(
            task=self.task, splits=splits, formatter=self.formatter, tokenizer=original.tokenizer, original=original,
            unlearned=unlearned, base=base, generate=generate, score=self.task.score,
            original_metrics={s: means(splits.split(s), original_outputs[s]) for s in ("forget", "unseen")},
            unlearned_metrics={s: scores["metrics"][s] for s in ("forget", "unseen")},
            method_batch_size=int(getattr(self.params, "batch_size", 4)), seed=self.config.seed,
            work_dir=self.work_dir / "attacks")
        started = time.perf_counter()
        with progress.stage(f"attacks {', '.join(self.config.attacks)}", self._reporter):
            found = run_attacks(list(self.config.attacks), ctx, progress=self._reporter)
        self._timed("attacks", started)
        return found

    def _result(self, splits, task_info, scores, base_scores, outputs, original_outputs, method_log, fingerprints):
        samples = {name: [{"prompt": e.prompt, "output": out, "original_output": orig}
                          for e, out, orig in list(zip(splits.split(name), outputs[name], original_outputs[name]))
                          [:SAMPLES_PER_SPLIT]] for name in SPLITS}
        config = self.config
        return {
            "schema": SCHEMA, "task": config.task, "method": config.method, "model": config.model,
            "tier": config.tier, "seed": config.seed, "config_hash": self.resolved.hash,
            "config": {**self.resolved.hashed(),
                       "generation": {name: self.settings(name, splits).to_dict() for name in SPLITS},
                       "resolved_prompt_style": self.formatter.style, "backend": config.backend,
                       "batch_size": config.batch_size, "overrides": config.overrides, "plugins": config.plugins},
            "versions": versions(), "fingerprints": fingerprints,
            "task_info": {**splits.info, **task_info, "primary_metric": self.task.primary_metric,
                          "sizes": {name: len(splits.split(name)) for name in SPLITS}},
            **scores,
            "base_metrics": base_scores["metrics"] if base_scores else None,
            "base_intervals": base_scores["intervals"] if base_scores else None,
            "timings": self.timings, "method_log": method_log, "samples": samples,
            "outputs": {name: outputs[name] for name in SPLITS},
        }


def _mean(values) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def run(config: RunConfig, cache: GenerationCache | None = None) -> dict[str, Any]:
    return Run(config, cache).execute()
