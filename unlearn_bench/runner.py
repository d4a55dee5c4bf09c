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
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import torch

from . import __version__, distributed, progress
from .api import NORMAL_MAX_NEW_TOKENS, SPLITS, Example, MethodContext, MethodLog, Splits, Task
from .errors import UsageError
from .execution import in_host_memory, library_versions, peak_memory, record as execution_record, resolve
from .formatting import make_formatter
from .generation import (GenerationCache, GenerationRequest, GenerationSettings, choose_backend, engine_id,
                         generate_cached, make_generator)
from .implant import implanted
from .io import digest, read_json, write_json
from .models import EMBEDDED_DEFAULT, LoadedModel, load_model, model_identity, weights_fingerprint
from .registry import METHODS, TASKS, load_plugin
from .scoring import check_nonempty
from .results import SCHEMA, config_hash, merge_probes, result_stem, write_result

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
    device: str = "auto"  # auto: cuda where there is a GPU, else cpu (see unlearn_bench.execution)
    dtype: str = "auto"  # auto: bfloat16 on a GPU that supports it, else float32
    prompt_style: str = "auto"
    batch_size: int | None = None  # generation batch; None: 32 on the CPU, what the memory allows on a GPU
    tensor_parallel_size: int = 1  # vLLM: split the generation engine over this many GPUs
    gradient_checkpointing: bool = False  # training recomputes activations (memory for time; not in the hash)
    force: bool = False
    rerun_legacy: bool = False  # redo stored results without an execution block (not reproducible: see Run.kept)
    label: str = ""  # how progress lines name this run, e.g. "run 3/18 harmful/ga_kl"
    quiet: bool = False
    attacks: list[str] = field(default_factory=list)  # robustness probes after the evaluation (not in the hash)
    # of those, the ones to run again though the stored result has them (after a recipe change, say); the stored
    # result keeps its evaluation and its other probes when the retrained weights are the stored ones
    redo_attacks: list[str] = field(default_factory=list)
    keep_model: bool = False  # keep the unlearned weights so a later --attacks run skips training (not in the hash)

    def split_overrides(self) -> tuple[dict[str, str], dict[str, str]]:
        task = {k[len("task."):]: v for k, v in self.overrides.items() if k.startswith("task.")}
        method = {k: v for k, v in self.overrides.items() if not k.startswith("task.")}
        return task, method


def versions() -> dict[str, str | None]:
    return {"unlearn_bench": __version__, **library_versions()}


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
        self.execution = resolve(config.device, config.dtype)
        self.hash = config_hash(self.hashed())
        stem = result_stem(config.method, config.model, config.tier, config.seed, self.hash)
        self.path = Path(config.out) / config.task / f"{stem}.json"
        self.work_dir = Path(config.out) / ".work" / config.task / stem

    def hashed(self) -> dict[str, Any]:
        """Everything that shapes a run's numbers; execution settings (device, backend, batch size, out) are left
        out, and recorded in the result's `execution` block instead. A half-precision dtype changes the weights
        themselves, so it is hashed; float32 adds no key, so float32 runs keep the hashes they had before the
        dtype became a choice."""
        config = self.config
        precision = {} if self.execution.dtype == "float32" else {"dtype": self.execution.dtype}
        return {**precision, "task": config.task, "task_version": self.task.version, "method": config.method,
                "method_version": self.method.version, "model": self.model_identity, "tier": config.tier,
                "seed": config.seed, "task_options": asdict(self.task_options), "method_params": asdict(self.params),
                "prompt_style": config.prompt_style, "implant": asdict(self.task.implant_params),
                "max_new_tokens": {"task": self.task.generation_tokens(self.task_options),
                                   "normal": NORMAL_MAX_NEW_TOKENS},
                "plugins": [_plugin_identity(p) for p in config.plugins]}


def result_path(config: RunConfig) -> Path:
    return Resolved(config).path


@dataclass
class RunModels:
    """The models one run touches, by role (the names used in code, result files and the README):

    pretrained: the loaded model before the implant (None when nothing is implanted: the loaded model is then the
        original itself); result files call what it scores `base_metrics` and its fingerprint `base`.
    original: the model every method starts from (the implanted model on the offline tiers). It is never trained:
        the method trains a copy.
    reference: the frozen original that a loss compares with (KL, NPO, DPO); it is the original's own weights,
        switched to inference, so it costs no second copy. A loss that reads it only as answer log-probabilities
        (NPO, DPO) gets them precomputed, and `training.train` keeps it off the GPU while training.
    unlearned: the method's output.
    """

    pretrained: LoadedModel | None
    original: LoadedModel
    unlearned: LoadedModel | None = None

    def __post_init__(self):
        self.original.model.eval().requires_grad_(False)  # never trained: the reference and the probes' control

    @property
    def reference(self) -> torch.nn.Module:
        return self.original.model

    def fingerprints(self) -> dict[str, str]:
        found = {"base": self.pretrained.fingerprint if self.pretrained else self.original.fingerprint,
                 "original": self.original.fingerprint}
        return {**found, "unlearned": self.unlearned.fingerprint} if self.unlearned else found


class Run:
    """One run, in the order its stages happen: data, models (load and implant), the original's generations, the
    method, the unlearned model's generations, scoring, probes, result. Each stage takes what it needs and returns
    what it makes; each is cached on disk, so a killed run resumes where it stopped."""

    def __init__(self, config: RunConfig, cache: GenerationCache | None = None):
        resolved = Resolved(config)
        self.resolved, self.config = resolved, config
        self.task, self.method = resolved.task, resolved.method
        self.task_options, self.params = resolved.task_options, resolved.params
        self.path, self.work_dir = resolved.path, resolved.work_dir
        self.execution = resolved.execution
        self.cache = cache if cache is not None else GenerationCache()
        self.timings: dict[str, Any] = {"cached": []}
        self.backends_used: set[str] = set()

    def execute(self) -> dict[str, Any]:
        """The result (what the result file holds); {} on the other ranks of a launched run."""
        if distributed.world_size() > 1 and self.config.attacks:
            raise UsageError(f"--attacks {' '.join(self.config.attacks)} under {distributed.world_size()} processes: "
                             "the probes run in one process; expected a plain run for them (python -m unlearn_bench "
                             "run ... --attacks ...), which reuses a --keep-model run's unlearned weights")
        stored = self.kept()
        if stored is not None and self._answers_every_attack(stored):
            log.info("result exists, skipping: %s", self.path)
            return stored
        from transformers import set_seed

        total = time.perf_counter()
        set_seed(self.config.seed)
        with distributed.main_process_first():  # rank 0 fills the caches (data, judge, converted model) first
            splits, task_info = self.build_data()
            pretrained = self.load_pretrained()
        self.formatter = make_formatter(pretrained.tokenizer, self.config.prompt_style, repr(self.config.model))
        main = distributed.is_main_process()  # under a launcher every rank trains; rank 0 alone generates and writes
        base_outputs = self.generate_splits(pretrained, splits, ("forget", "unseen")) if splits.implant and main \
            else None
        models = RunModels(pretrained if splits.implant else None, self.implant(pretrained, splits))
        original_outputs = self.generate_splits(models.original, splits, SPLITS) if main else None
        models.unlearned, method_log = self.unlearn(models, splits)
        if not main:
            distributed.barrier()  # until rank 0 has written the result
            return {}
        try:
            if stored is not None and stored.get("fingerprints") == models.fingerprints():
                return self._add_probes(stored, splits, models, original_outputs, total)
            if stored is not None:
                self.progress("the stored result was made from other weights (another kind of CPU, or other "
                              "software): the whole run is redone")
            return self._evaluate_and_write(splits, task_info, models, method_log, base_outputs, original_outputs,
                                            total)
        finally:
            distributed.barrier()

    def _evaluate_and_write(self, splits, task_info, models: RunModels, method_log, base_outputs, original_outputs,
                            total: float) -> dict[str, Any]:
        outputs = self.generate_splits(models.unlearned, splits, SPLITS)
        scores, base_scores = self.score(splits, outputs, original_outputs, base_outputs, models)
        robustness = self._attacks(splits, models.pretrained, models.original, models.unlearned, scores,
                                   original_outputs)
        self._timed("total", total)
        result = self.result(splits, task_info, scores, base_scores, outputs, original_outputs, method_log, models)
        result.update(robustness)
        write_result(self.path, result)
        self._clean_work_dir()
        return result

    def _add_probes(self, stored, splits, models: RunModels, original_outputs, total: float) -> dict[str, Any]:
        """The stored result with the probes it lacks (or is told to redo) run on the same weights: the evaluation
        is the stored one, so a new probe or recipe costs the probe, not a run. `reprobes` records where and when."""
        names = [name for name in self.config.attacks if name not in self._done_attacks(stored)]
        self.progress(f"the stored result has these weights: probing {', '.join(names)} only")
        scores = {"metrics": stored["metrics"]}
        report = self._attacks(splits, models.pretrained, models.original, models.unlearned, scores,
                               original_outputs, names)
        self._timed("total", total)
        result = merge_probes(stored, report, names)
        result["reprobes"] = [*stored.get("reprobes", []), {
            "attacks": names, "versions": versions(), "execution": self.execution_record(),
            "timings": self.timings}]
        write_result(self.path, result)
        self._clean_work_dir()
        return result

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

    def kept(self) -> dict[str, Any] | None:
        """The stored result this run builds on; None when there is none or it is to be redone."""
        if not self.path.is_file() or self.config.force:
            return None
        stored = read_json(self.path)
        if self.config.rerun_legacy and "execution" not in stored:
            return None  # trained before the fixed thread count: its weights depended on the machine's load
        return stored

    def finished(self) -> dict[str, Any] | None:
        """The stored result when it is kept and already has every attack asked for."""
        stored = self.kept()
        return stored if stored is not None and self._answers_every_attack(stored) else None

    def _answers_every_attack(self, stored: dict[str, Any]) -> bool:
        return set(self.config.attacks) <= self._done_attacks(stored)

    def _done_attacks(self, stored: dict[str, Any]) -> set[str]:
        """The attacks the stored result answers (ran or skipped), less those this run is told to redo."""
        done = set((stored.get("robustness") or {}).keys()) | set((stored.get("robustness_skipped") or {}).keys())
        return done - set(self.config.redo_attacks)

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

    # ---- stages, in run order

    def build_data(self) -> tuple[Splits, dict[str, Any]]:
        started = time.perf_counter()
        splits = self.task.build_splits(self.config.tier, self.task_options)
        check_nonempty(splits)
        task_info = self.task.prepare(splits, self.task_options)
        self._timed("data", started)
        return splits, task_info

    def load(self, spec: str) -> LoadedModel:
        return load_model(spec, self.execution.torch_dtype, self.execution.device)

    def load_pretrained(self) -> LoadedModel:
        started = time.perf_counter()
        pretrained = self.load(self.config.model)
        self._timed("load", started)
        return pretrained

    def implant(self, pretrained: LoadedModel, splits: Splits) -> LoadedModel:
        """The original: the implanted model on the offline tiers, else the loaded one. Either way it is identified
        by a hash of its weights, which keys its generations."""
        if not splits.implant:
            return replace(pretrained, fingerprint=weights_fingerprint(pretrained.model))
        started = time.perf_counter()
        with progress.stage(f"implant ({len(splits.implant)} examples, cached after the first run)", self._reporter):
            original, cached = implanted(pretrained, self.task, self.config.tier, self.task_options, self.formatter,
                                         splits.implant, self.work_dir, self.load, self.config.gradient_checkpointing)
        self._timed("implant", started)
        if cached:
            self._cached("implant")
        return original

    def unlearn(self, models: RunModels, splits: Splits) -> tuple[LoadedModel, dict[str, Any]]:
        """The method trains a copy of the original (the original stays as it was: it is the frozen reference and
        the attacks' control), or its result is loaded from the work directory if a killed run got that far."""
        original, saved = models.original, self.work_dir / "unlearned"
        if (saved / "config.json").is_file() and (saved / "method_log.json").is_file():
            log.info("resuming from the unlearned model saved in %s", saved)
            self._cached("method")
            return self._named_unlearned(original, self.load(str(saved)).model), read_json(saved / "method_log.json")
        # A method sees forget, normal and the unrelated answers only: never unseen, implant, relearn or holdout.
        hidden = replace(splits, unseen=[], implant=[], relearn=[], holdout=[])
        ctx = MethodContext(tokenizer=original.tokenizer, splits=hidden, task=self.task, formatter=self.formatter,
                            reference=models.reference if self.method.needs_reference else None,
                            seed=self.config.seed, work_dir=str(self.work_dir / "method"),
                            task_options=self.task_options, gradient_checkpointing=self.config.gradient_checkpointing)
        started = time.perf_counter()
        with progress.stage(f"method {self.method.name}", self._reporter), self._original_aside(original):
            output = self.method.run(copy.deepcopy(original.model).requires_grad_(True), ctx, self.params)
        self._timed("method", started)
        method_log = output.log.to_dict() if isinstance(output.log, MethodLog) else dict(output.log)
        unlearned = self._named_unlearned(original, output.model)
        # an unchanged model (e.g. `none`) needs no copy on disk; rank 0 alone writes under a launcher
        if unlearned.fingerprint != original.fingerprint and distributed.is_main_process():
            self._save_unlearned(output.model, original.tokenizer, method_log, saved)
        return unlearned, method_log

    def _original_aside(self, original: LoadedModel):
        """On a GPU, a method that never reads the reference trains without the original on the device: the GPU then
        holds one copy of the weights, not two. (On the CPU both share the same memory anyway.) A method that reads
        it only through precomputed log-probabilities (npo, idk_dpo without retain=kl) gets the same from
        `training.train`, which knows the loss: it computes the table, then sets the original aside until training
        ends. The original always comes back: generation, scoring and the probes need it."""
        return in_host_memory(None if self.method.needs_reference else original.model, self.execution.device)

    def _named_unlearned(self, original: LoadedModel, model) -> LoadedModel:
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

    # ---- generation

    def request(self, split: str, examples: list[Example]) -> GenerationRequest:
        """A generation request carries its own token limit and stop strings: the normal split's answers are
        short, the task's are as long as it declares; stop strings follow the examples' prompt style."""
        tokens = NORMAL_MAX_NEW_TOKENS if split == "normal" else self.task.generation_tokens(self.task_options)
        stop = self.formatter.stop_strings(examples[0]) if examples else ()
        return GenerationRequest(tuple(self.formatter.prompt(e) for e in examples), tokens, stop, split)

    def settings(self, request: GenerationRequest) -> GenerationSettings:
        """Greedy decoding within the request's limits (the seed matters only to sampling)."""
        return GenerationSettings(max_new_tokens=request.max_new_tokens, stop=tuple(request.stop),
                                  seed=self.config.seed)

    def generate_splits(self, model: LoadedModel, splits: Splits, names) -> dict[str, list[str]]:
        return {name: self.generate(model, self.request(name, splits.split(name))) for name in names}

    def generate(self, model: LoadedModel, request: GenerationRequest) -> list[str]:
        started = time.perf_counter()
        backend = choose_backend(self.config.backend)
        self.backends_used.add(backend)

        def factory():
            self.progress(f"generate {request.label} ({len(request.prompts)} prompts) with {model.name}")
            return make_generator(model.model, model.tokenizer, backend, batch_size=self.config.batch_size,
                                  tensor_parallel_size=self.config.tensor_parallel_size,
                                  seed=self.config.seed, progress=not self.config.quiet,
                                  stop_token_ids=self.formatter.stop_token_ids())

        engine = engine_id(backend, self.execution)
        texts, generated = generate_cached(factory, model.fingerprint, list(request.prompts), self.settings(request),
                                           self.cache, engine)
        if generated:
            self._timed("generate", started)
        else:
            self._cached(f"generate:{model.fingerprint[:8]}:{request.label}")
        log.info("%s: %d outputs (%d generated, %d from the cache)", request.label, len(texts), generated,
                 len(texts) - generated)
        return texts

    # ---- scoring and probes

    def score(self, splits, outputs, original_outputs, base_outputs, models: RunModels):
        from .metrics import output_nll
        from .scoring import evaluate  # looked up at call time: tests stand in for it

        self.progress("score")
        started = time.perf_counter()
        normal_prompts = [self.formatter.prompt(e) for e in splits.normal]

        def fluency(texts: list[str]):  # perplexity under the original (frozen) model
            return output_nll(models.reference, models.original.tokenizer, normal_prompts, texts)

        options, seed = self.task_options, self.config.seed
        scores = evaluate(self.task, splits, outputs, original_outputs, fluency=fluency, seed=seed, options=options)
        base = evaluate(self.task, splits, base_outputs, seed=seed, options=options) if base_outputs else None
        self._timed("score", started)
        return scores, base

    def _attacks(self, splits, pretrained, original, unlearned, scores, original_outputs,
                 names: list[str] | None = None) -> dict[str, Any]:
        """Robustness probes on the unlearned model (relearning, quantization, prompt attacks, membership
        inference), each asked for by name (default: every one the run asks for); their generations go through
        the same cache."""
        names = list(self.config.attacks) if names is None else names
        if not names:
            return {}
        from .attacks import AttackContext, run_attacks

        def means(examples, texts) -> dict[str, float | None]:
            return {name: _mean(v) for name, v in self.task.score(examples, texts, self.task_options).items()}

        def score(examples, texts) -> dict[str, list[float | None]]:
            return self.task.score(examples, texts, self.task_options)


        ctx = AttackContext(
            task=self.task, splits=splits, formatter=self.formatter, tokenizer=original.tokenizer, original=original,
            unlearned=unlearned, pretrained=pretrained, generate=self.generate, score=score,
            answer_tokens=self.task.generation_tokens(self.task_options),
            original_metrics={s: means(splits.split(s), original_outputs[s]) for s in ("forget", "unseen")},
            unlearned_metrics={s: scores["metrics"][s] for s in ("forget", "unseen")},
            method_batch_size=int(getattr(self.params, "batch_size", 4)), seed=self.config.seed,
            work_dir=self.work_dir / "attacks", model=self.config.model)
        started = time.perf_counter()
        with progress.stage(f"attacks {', '.join(names)}", self._reporter):
            found = run_attacks(names, ctx, progress=self._reporter)
        self._timed("attacks", started)
        return found

    def result(self, splits, task_info, scores, base_scores, outputs, original_outputs, method_log, models):
        samples = {name: [{"prompt": e.prompt, "output": out, "original_output": orig}
                          for e, out, orig in list(zip(splits.split(name), outputs[name], original_outputs[name]))
                          [:SAMPLES_PER_SPLIT]] for name in SPLITS}
        config = self.config
        return {
            "schema": SCHEMA, "task": config.task, "method": config.method, "model": config.model,
            "tier": config.tier, "seed": config.seed, "config_hash": self.resolved.hash,
            "config": {**self.resolved.hashed(),
                       "generation": {name: self.settings(self.request(name, splits.split(name))).to_dict()
                                      for name in SPLITS},
                       "resolved_prompt_style": self.formatter.style, "backend": config.backend,
                       "device": config.device, "dtype": config.dtype,
                       "batch_size": config.batch_size, "overrides": config.overrides, "plugins": config.plugins},
            "versions": versions(), "execution": self.execution_record(), "fingerprints": models.fingerprints(),
            "task_info": {**splits.info, **task_info, "primary_metric": self.task.primary_metric,
                          "sizes": {name: len(splits.split(name)) for name in SPLITS}},
            **scores,
            "base_metrics": base_scores["metrics"] if base_scores else None,
            "base_intervals": base_scores["intervals"] if base_scores else None,
            "timings": self.timings, "method_log": method_log, "samples": samples,
            "outputs": {name: outputs[name] for name in SPLITS},
            "prompts": {name: [e.prompt for e in splits.split(name)] for name in SPLITS},  # the report shows them
        }


    def execution_record(self) -> dict[str, Any]:
        """Where the run was made: device, dtype, the generation backend that actually ran (a run served wholly from
        the cache records the one it would have used), versions, training threads and peak memory."""
        backends = sorted(self.backends_used) or [choose_backend(self.config.backend)]
        return {**execution_record(self.execution, "+".join(backends)), "processes": distributed.world_size(),
                "gradient_checkpointing": self.config.gradient_checkpointing, "peak_memory": peak_memory()}


def _mean(values) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def run(config: RunConfig, cache: GenerationCache | None = None) -> dict[str, Any]:
    return Run(config, cache).execute()
