"""Shared data for the tasks: the normal (utility) set, the unrelated-answer pool Y_rdn, deterministic sampling
and hub loading with clean errors.

The offline normal set is generated here from a small table of everyday facts written for this project
(capitals, planets, animals, colours, units, science, arithmetic, opposites, spelling). The fact categories
are split in two fixed, disjoint halves: one feeds `normal_examples` (evaluation and SFT/KL data), the other
feeds `unrelated_answers`, so a mismatch target never coincides with a normal evaluation answer.
"""

from __future__ import annotations

import functools
import random
from typing import Any, Sequence, TypeVar

from unlearn_bench.api import Example
from unlearn_bench.errors import UsageError

T = TypeVar("T")

TRUTHFULQA = ("truthfulqa/truthful_qa", "generation", "validation")


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
            f"{_first_line(error)}; the paper tier needs network access to the hub (or a local datasets cache, "
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
        raise UsageError(f"could not read data_files {data_files!r} for {purpose}: {_first_line(error)}") from None


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0][:200] if text else type(error).__name__


@functools.lru_cache(maxsize=1)
def _truthfulqa_pairs() -> tuple[tuple[str, str], ...]:
    path, name, split = TRUTHFULQA
    rows = load_hub_dataset(path, name, split, "TruthfulQA (normal data)")
    pairs = [(str(row["question"]).strip(), str(row["best_answer"]).strip()) for row in rows]
    return tuple((q, a) for q, a in pairs if q and a)


def truthfulqa_normal(n: int, seed: int) -> list[Example]:
    """The paper's normal set: TruthfulQA questions with their best answers (chat style)."""
    chosen = sample(_truthfulqa_pairs(), n, seed, "TruthfulQA questions")
    return [Example(prompt=q, answer=a, meta={"source": "truthfulqa"}) for q, a in chosen]


def truthfulqa_unrelated(n: int, seed: int, after: int) -> list[str]:
    """Y_rdn for the paper tier: TruthfulQA best answers, disjoint from `truthfulqa_normal(after, seed)`."""
    chosen = sample(_truthfulqa_pairs(), after + n, seed, "TruthfulQA questions")[after:]
    return [answer for _, answer in chosen]


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


def normal_fact_count() -> int:
    return len(_normal_facts())


def normal_examples(n: int, seed: int) -> list[Example]:
    """`n` distinct benign questions with short correct answers (chat style), drawn by `seed`."""
    chosen = sample(_normal_facts(), n, seed, "normal questions")
    return [Example(prompt=q, answer=a, meta={"source": "facts"}) for q, a in chosen]


def unrelated_answers(n: int, seed: int) -> list[str]:
    """`n` short sensible answers for the mismatch loss (Y_rdn), disjoint from every `normal_examples` answer."""
    return sample(_unrelated_facts(), n, seed, "unrelated answers")
