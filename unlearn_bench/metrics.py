"""Normal-split utility metrics shared by every task: similarity of outputs to the original model's outputs on
the same prompts, diversity, and fluency (perplexity under the original model). All but perplexity are pure
functions of strings. Task-specific metrics (harmful rate, leakage, hallucination rate) live in their task."""

from __future__ import annotations

import math
from functools import lru_cache

import torch

from .api import HIGHER, LOWER

UTILITY_DIRECTIONS = {
    "similarity_bleu": HIGHER,
    "similarity_rouge_l": HIGHER,
    "distinct_1": HIGHER,
    "distinct_2": HIGHER,
    "unique_token_share": HIGHER,
    "perplexity": LOWER,
}


def similarity_bleu(outputs: list[str], originals: list[str]) -> float:
    """Corpus BLEU (sacrebleu, 0-100) of the outputs against the original model's outputs."""
    import sacrebleu

    if not outputs:
        return 0.0
    return float(sacrebleu.corpus_bleu(outputs, [originals]).score)


@lru_cache(maxsize=1)
def _rouge_scorer():
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)


def similarity_rouge_l(outputs: list[str], originals: list[str]) -> float:
    """Mean ROUGE-L F1 (0-1) between each output and the original model's output for the same prompt."""
    if not outputs:
        return 0.0
    scorer = _rouge_scorer()
    return sum(scorer.score(ref, out)["rougeL"].fmeasure for out, ref in zip(outputs, originals)) / len(outputs)


def _words(text: str) -> list[str]:
    return text.lower().split()


def distinct_n(outputs: list[str], n: int) -> float:
    """Distinct n-grams over all n-grams in all outputs (0-1): low values mean repetitive, degenerate text."""
    grams = [tuple(words[i : i + n]) for words in map(_words, outputs) for i in range(len(words) - n + 1)]
    return len(set(grams)) / len(grams) if grams else 0.0


def unique_token_share(outputs: list[str]) -> float:
    """Mean over outputs of (unique words / words): how much each answer repeats itself (0-1)."""
    shares = [len(set(words)) / len(words) for words in map(_words, outputs) if words]
    return sum(shares) / len(shares) if shares else 0.0


@torch.no_grad()
def perplexity(model, tokenizer, prompts: list[str], outputs: list[str], batch_size: int = 8) -> float | None:
    """exp(mean NLL per output token) of each output given its formatted prompt, under `model`; None (JSON null)
    when every output is empty, as after a collapse to immediate end-of-turn."""
    rows = []
    for prompt, output in zip(prompts, outputs):
        prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
        output_ids = tokenizer(output, add_special_tokens=False)["input_ids"]
        if output_ids:
            rows.append((prompt_ids + output_ids, len(prompt_ids)))
    device = next(model.parameters()).device
    total_nll, total_tokens = 0.0, 0
    for start in range(0, len(rows), batch_size):
        batch = rows[start : start + batch_size]
        width = max(len(ids) for ids, _ in batch)
        ids = torch.full((len(batch), width), tokenizer.pad_token_id, dtype=torch.long)
        labels = torch.full_like(ids, -100)
        mask = torch.zeros_like(ids)
        for i, (row, prompt_len) in enumerate(batch):
            ids[i, : len(row)] = torch.tensor(row)
            mask[i, : len(row)] = 1
            labels[i, prompt_len : len(row)] = ids[i, prompt_len : len(row)]
        logits = model(input_ids=ids.to(device), attention_mask=mask.to(device)).logits[:, :-1].float()
        targets = labels[:, 1:].to(device)
        nll = torch.nn.functional.cross_entropy(logits.transpose(1, 2), targets, ignore_index=-100, reduction="sum")
        total_nll += float(nll)
        total_tokens += int((targets != -100).sum())
    return math.exp(total_nll / total_tokens) if total_tokens else None


def utility(outputs: list[str], originals: list[str]) -> dict[str, float]:
    """The string-only utility metrics of the normal split."""
    return {
        "similarity_bleu": similarity_bleu(outputs, originals),
        "similarity_rouge_l": similarity_rouge_l(outputs, originals),
        "distinct_1": distinct_n(outputs, 1),
        "distinct_2": distinct_n(outputs, 2),
        "unique_token_share": unique_token_share(outputs),
    }
