"""Membership inference on answer tokens: can the forget set still be told apart from examples of the same kind
that no training ever saw?

Every score is computed over the answer tokens given the formatted prompt (`training.encode`, answer-only labels,
no end-of-turn token) and is oriented so that HIGHER means MORE MEMBER-LIKE; AUC is then the probability that a
random forget example (member) outscores a random holdout example (non-member). 0.5 means indistinguishable;
far above 0.5 means the model still favours the forget answers; far below 0.5 means unlearning pushed them below
ordinary unseen text, which also gives them away.

    loss    -mean NLL of the answer tokens
    zlib    -(mean NLL / zlib-compressed length of the answer in bytes): discounts answers that are simply easy text
    mink    Min-K%: mean of the lowest k% token log-probabilities (k = 20%): a member has few very unlikely tokens
    minkpp  Min-K%++: each token's log-probability standardised by the mean and standard deviation of
            log p(v) under the model's next-token distribution at that position, then Min-K%
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import torch

from .api import Example
from .training import IGNORE, encode

MIN_K = 0.2
MIN_STD = 1e-6  # a near one-hot next-token distribution: keeps the standardisation finite


@dataclass(frozen=True)
class TokenStats:
    """Per answer token: its log-probability, and the mean and std of log p(v) under the next-token distribution."""

    logprobs: np.ndarray
    means: np.ndarray
    stds: np.ndarray


# ----------------------------------------------------------------------------------------------- score functions

def mean_loss(logprobs: Sequence[float]) -> float:
    return -float(np.mean(logprobs))


def zlib_length(text: str) -> int:
    return len(zlib.compress(text.encode("utf-8")))


def zlib_ratio(loss: float, text: str) -> float:
    """The loss per zlib-compressed byte of the text (lower: the model finds it easier than its entropy says)."""
    return loss / zlib_length(text)


def min_k(values: Sequence[float], k: float = MIN_K) -> float:
    """Mean of the lowest `k` share of the values (at least one value). The epsilon keeps 0.4 * 5 at 2, not 1."""
    ordered = np.sort(np.asarray(values, dtype=float))
    count = max(1, math.floor(len(ordered) * k + 1e-9))
    return float(ordered[:count].mean())


def standardised(logprobs: Sequence[float], means: Sequence[float], stds: Sequence[float]) -> np.ndarray:
    """(log p(x_t) - mu_t) / sigma_t, the Min-K%++ token score."""
    return (np.asarray(logprobs, float) - np.asarray(means, float)) / np.maximum(np.asarray(stds, float), MIN_STD)


def min_k_plus_plus(stats: TokenStats, k: float = MIN_K) -> float:
    return min_k(standardised(stats.logprobs, stats.means, stats.stds), k)


# name -> member-likeness of one example (higher = more member-like), from its token stats and answer text
SCORES: dict[str, Callable[[TokenStats, str], float]] = {
    "loss": lambda stats, text: -mean_loss(stats.logprobs),
    "zlib": lambda stats, text: -zlib_ratio(mean_loss(stats.logprobs), text),
    "mink": lambda stats, text: min_k(stats.logprobs),
    "minkpp": lambda stats, text: min_k_plus_plus(stats),
}


def auc(members: Sequence[float | None], nonmembers: Sequence[float | None]) -> float | None:
    """ROC AUC with members as the positive class; None without at least one score on each side."""
    from sklearn.metrics import roc_auc_score

    pos = [s for s in members if s is not None and math.isfinite(s)]
    neg = [s for s in nonmembers if s is not None and math.isfinite(s)]
    if not pos or not neg:
        return None
    return float(roc_auc_score([1] * len(pos) + [0] * len(neg), pos + neg))


def relative_leak(auc_model: float | None, auc_pretrained: float | None) -> float | None:
    """PrivLeak-style (AUC_model - AUC_pretrained) / AUC_pretrained, the pretrained model (before the implant)
    standing in for one retrained without the forget data: 0 = as distinguishable as for a model that never saw
    it; positive = members stand out as remembered; negative = they stand out as over-forgotten."""
    if auc_model is None or auc_pretrained is None or auc_pretrained == 0:
        return None
    return (auc_model - auc_pretrained) / auc_pretrained


# ----------------------------------------------------------------------------------------------- the model side

@torch.no_grad()
def token_stats(model, tokenizer, formatter, examples: list[Example], max_length: int = 256,
                batch_size: int = 4) -> list[TokenStats | None]:
    """Token statistics of each example's answer given its formatted prompt; None for an answer with no tokens."""
    model.eval()
    device = next(model.parameters()).device
    found: list[TokenStats | None] = []
    for start in range(0, len(examples), batch_size):
        batch = encode(tokenizer, formatter, examples[start : start + batch_size], max_length, end_of_turn=False)
        logits = model(input_ids=batch["input_ids"].to(device),
                       attention_mask=batch["attention_mask"].to(device)).logits[:, :-1]
        targets = batch["labels"][:, 1:].to(device)
        for row_logits, row_targets in zip(logits, targets):
            found.append(_row_stats(row_logits, row_targets))
    return found


def _row_stats(logits: torch.Tensor, targets: torch.Tensor) -> TokenStats | None:
    keep = targets != IGNORE
    if not keep.any():
        return None
    log_p = torch.log_softmax(logits[keep].float(), dim=-1)  # only the answer positions: vocab-wide rows are big
    p = log_p.exp()
    mean = (p * log_p).sum(-1)
    var = (p * log_p.square()).sum(-1) - mean.square()
    token = log_p.gather(-1, targets[keep].unsqueeze(-1)).squeeze(-1)
    return TokenStats(token.cpu().numpy(), mean.cpu().numpy(), var.clamp_min(0).sqrt().cpu().numpy())


def example_scores(model, tokenizer, formatter, examples: list[Example],
                   max_length: int = 256) -> dict[str, list[float | None]]:
    """Every score function's member-likeness per example."""
    stats = token_stats(model, tokenizer, formatter, examples, max_length)
    return {name: [None if s is None else score(s, e.answer) for s, e in zip(stats, examples)]
            for name, score in SCORES.items()}


def membership_aucs(model, tokenizer, formatter, members: list[Example], nonmembers: list[Example],
                    max_length: int = 256) -> dict[str, float | None]:
    """AUC of each score function, forget (members) against holdout (non-members)."""
    pos = example_scores(model, tokenizer, formatter, members, max_length)
    neg = example_scores(model, tokenizer, formatter, nonmembers, max_length)
    return {name: auc(pos[name], neg[name]) for name in SCORES}
