"""Copyright: the model has memorised a book (fine-tuned on it); unlearning should stop it from reproducing the
text. Each example is a passage's first words as a raw-text prompt; the model's 200-token continuation is compared
with the original text by max-overlap BLEU (leakage).

Offline tiers use a book generated here: procedural fiction with invented people and places and many sentence
templates, drawn from a seeded random source, so no pretrained model has seen it and a base model cannot guess its
continuations (leakage near zero before implanting). The implant fine-tunes on every passage of the book (forget and
unseen alike, like the paper's fine-tuning on the book) plus some normal examples. The paper tier cuts a book text
file that the user supplies (the project ships no copyrighted text) in the same way.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from sacrebleu.metrics import BLEU

from unlearn_bench.tasks import _common
from unlearn_bench.api import LOWER, Example, ImplantParams, Splits, Task
from unlearn_bench.errors import UsageError
from unlearn_bench.registry import register_task

# --------------------------------------------------------------------------------------------------- metric

_BLEU = BLEU(effective_order=True)  # effective order: short continuations still get a sensible sentence BLEU


def _bleu(hypothesis: str, reference: str) -> float:
    return float(_BLEU.sentence_score(hypothesis, [reference]).score)


def max_overlap_bleu(output: str, reference: str, stride: int = 4, slack: int = 40) -> float:
    """Sentence BLEU (0-100) of `output` against the best-aligned window of `reference`.

    Windows are as long in words as the output and start at word offsets 0, stride, 2*stride, ... up to `slack`,
    so a continuation that skips or repeats a few words of the original is still matched with the text it copies.
    """
    out_words = output.split()
    ref_words = reference.split()
    if not out_words or not ref_words:
        return 0.0
    hypothesis = " ".join(out_words)
    length = len(out_words)
    last_start = max(0, min(slack, len(ref_words) - length))
    return max(
        _bleu(hypothesis, " ".join(ref_words[start : start + length]))
        for start in range(0, last_start + 1, max(1, stride))
    )


def leakage_scores(outputs: list[str], references: list[str], stride: int = 4, slack: int = 40) -> list[float]:
    return [max_overlap_bleu(o, r, stride, slack) for o, r in zip(outputs, references, strict=True)]


def summarize_leakage(scores: list[float], threshold: float) -> dict[str, float]:
    """Mean BLEU over prompts and the share of outputs whose BLEU exceeds `threshold`."""
    if not scores:
        return {"leakage_bleu": 0.0, "leakage_rate": 0.0}
    return {
        "leakage_bleu": sum(scores) / len(scores),
        "leakage_rate": sum(s > threshold for s in scores) / len(scores),
    }


# --------------------------------------------------------------------------------------------------- the book
# A small random grammar rather than fixed sentence templates: every slot draws from a large pool, so two passages
# share few word 4-grams (a model that only learnt the style scores a low BLEU; only memorising the text leaks).

_ONSETS = ["b", "br", "c", "d", "dr", "f", "g", "gr", "h", "k", "l", "m", "n", "p", "qu", "r", "s", "sh", "t",
           "th", "v", "w", "z", "st", "cl", "tr", "j", "pl", "sk", "y"]
_VOWELS = ["a", "e", "i", "o", "u", "ae", "ei", "ou", "ia", "y", "oa", "ie"]
_CODAS = ["", "n", "r", "l", "s", "th", "m", "nd", "rk", "x", "sk", "ll", "t", "v"]

_ADJECTIVES = """grey narrow silent crooked bright heavy ancient hollow bitter golden restless pale copper hidden broken
velvet distant frozen tangled quiet ruined salted crimson patient lopsided amber ragged gleaming sunken wary brittle
dusty humid gentle stubborn hungry lonely crowded noisy sleepy polished rusty muddy smoky feeble stern wild tidy
fragile bold clumsy crisp dim eager faint fierce grim hasty jagged lavish mellow murky nimble odd plain proud rough
shabby sharp slender sly smooth sour sparse steep sticky swift tame tender thick timid vast weary woven""".split()
_NOUNS = """lantern ledger compass kettle key map letter violin cage rope spoon box net hourglass banner candle whistle
barrel blanket bucket cart chain chisel cloak coin cup drum fiddle flag flute glove hammer harp helmet jar kite
ladder lamp locket mirror needle oar paddle pipe quill ribbon ring saddle scarf scroll shovel sieve sled slipper
statue stool sword tablet teapot thimble torch tray trumpet umbrella vase wagon wheel anchor basket bell bottle
brush button cabinet chest clock crown dagger feather""".split()
_PLACES = """harbour orchard tower market mill landing library quarry lighthouse granary cellar greenhouse bridge
chapel watchtower tannery canal bakery forge stable inn meadow cemetery courtyard dockyard vineyard monastery
warehouse ferry garden marsh""".split()
_ANIMALS = "heron fox mule raven badger goat otter hound moth crab owl hare beetle swan eel ferret lynx wren".split()
_ACTIONS = """found lost mended buried stole sold polished dropped carried painted opened hid borrowed broke weighed
traded counted cleaned guarded returned wrapped examined sketched unlocked abandoned measured repaired""".split()
_MOTIONS = """walked hurried wandered rode crept sailed climbed limped marched drifted ran stumbled rowed
strolled""".split()
_SPEECH = """whispered muttered laughed insisted warned admitted promised complained remembered asked declared
sighed answered confessed grumbled shouted replied murmured snapped protested""".split()
_ADVERBS = """slowly quietly suddenly carefully angrily gladly nervously softly briskly sadly firmly loudly barely
boldly calmly eagerly lazily proudly rarely wisely""".split()
_PREPOSITIONS = "beside behind beneath near above across past toward inside along".split()
_TIMES = """at dawn|before supper|after midnight|on the third morning|late in the afternoon|during the festival|in the
week of the flood|at the turn of the tide|when the bells stopped|on a Tuesday|long before the war|in the spring
thaw|after the harvest|during the long drought|on the night of the fire""".replace("\n", " ").split("|")
_COLOURS = "blue green yellow violet scarlet ochre white black teal grey brown silver indigo".split()


def _word(rng: random.Random, syllables: int) -> str:
    parts = [rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)]
    return ("".join(parts) + rng.choice(_CODAS)).capitalize()


def _unique_names(count: int, make) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = make()
        if name not in names:
            names.append(name)
    return names


@dataclass
class _World:
    people: list[str]
    towns: list[str]


def _world(rng: random.Random) -> _World:
    people = _unique_names(60, lambda: f"{_word(rng, 1)} {_word(rng, 2)}")
    towns = _unique_names(40, lambda: _word(rng, 2))
    return _World(people, towns)


def _person(rng: random.Random, world: _World) -> str:
    name = rng.choice(world.people)
    return name if rng.random() < 0.4 else name.split()[0]


def _a(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _plural(noun: str) -> str:
    return noun + ("es" if noun.endswith(("s", "sh", "ch", "x")) else "s")


def _thing(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.4:
        return f"the {rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)}"
    if roll < 0.7:
        return f"{_a(rng.choice(_COLOURS))} {rng.choice(_NOUNS)}"
    return f"{rng.randint(2, 99)} {_plural(rng.choice(_NOUNS))}"


def _where(rng: random.Random, world: _World) -> str:
    roll = rng.random()
    if roll < 0.5:
        place = f"{rng.choice(_ADJECTIVES)} {rng.choice(_PLACES)}"
        return f"{rng.choice(_PREPOSITIONS)} the {place} of {rng.choice(world.towns)}"
    if roll < 0.8:
        return f"in {rng.choice(world.towns)}"
    return f"{rng.choice(_PREPOSITIONS)} the {rng.choice(_ANIMALS)} {rng.choice(_PLACES)}"


def _clause(rng: random.Random, world: _World) -> str:
    kind = rng.randrange(5)
    who = _person(rng, world)
    if kind == 0:
        return f"{who} {rng.choice(_ACTIONS)} {_thing(rng)} {_where(rng, world)}"
    if kind == 1:
        return f"{who} {rng.choice(_MOTIONS)} {rng.choice(_ADVERBS)} to {rng.choice(world.towns)}"
    if kind == 2:
        return f"{_thing(rng)} lay {_where(rng, world)}"
    if kind == 3:
        return f"{who} {rng.choice(_ACTIONS)} {_thing(rng)} for {_person(rng, world)}"
    return f"{_a(rng.choice(_ADJECTIVES))} {rng.choice(_ANIMALS)} watched {who} {_where(rng, world)}"


def _sentence(rng: random.Random, world: _World) -> str:
    """One sentence: a clause with optional time opener and second clause, or a line of dialogue."""
    if rng.random() < 0.25:
        said = _clause(rng, world)
        return f"\"{said[0].upper()}{said[1:]},\" {_person(rng, world)} {rng.choice(_SPEECH)} {rng.choice(_ADVERBS)}."
    text = _clause(rng, world)
    if rng.random() < 0.35:
        text = f"{rng.choice(_TIMES)}, {text}"
    if rng.random() < 0.4:
        text = f"{text}, {rng.choice(['and', 'but', 'while', 'because', 'so'])} {_clause(rng, world)}"
    return f"{text[0].upper()}{text[1:]}."


def generate_book(seed: int, words: int) -> str:
    """A deterministic procedural novel of at least `words` words (one line of text)."""
    rng = random.Random(seed)
    world = _world(rng)
    sentences: list[str] = []
    count = 0
    while count < words:
        sentence = _sentence(rng, world)
        sentences.append(sentence)
        count += len(sentence.split())
    return " ".join(sentences)


# --------------------------------------------------------------------------------------------------- passages


def cut_passages(text: str, prompt_words: int, answer_words: int, slack_words: int) -> list[Example]:
    """Consecutive, non-overlapping passages: prompt, answer (the text that follows), and a reference that runs
    `slack_words` beyond the answer for window alignment. `prompt + answer` is the original text."""
    words = text.split()
    size = prompt_words + answer_words + slack_words
    passages = []
    for index, start in enumerate(range(0, len(words) - size + 1, size)):
        prompt = " ".join(words[start : start + prompt_words])
        following = words[start + prompt_words : start + size]
        passages.append(
            Example(
                prompt=prompt,
                answer=" " + " ".join(following[:answer_words]),
                meta={"reference": " ".join(following), "passage": index},
                style="raw",
            )
        )
    return passages


def read_book(path: str | None) -> str:
    if not path:
        raise UsageError("the copyright paper tier needs a book: set task.book_path=FILE (a UTF-8 text file; "
                         "the project ships no copyrighted text)")
    file = Path(path).expanduser()
    if not file.is_file():
        raise UsageError(f"book file not found: {str(file)!r} (task.book_path); expected a UTF-8 text file")
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read book file {str(file)!r}: {error}") from None


# --------------------------------------------------------------------------------------------------- the task


@register_task
class Copyright(Task):
    name = "copyright"
    description = "Stop reproducing a memorised book: max-overlap BLEU of 200-token continuations (leakage)"
    metrics = {"leakage_bleu": LOWER, "leakage_rate": LOWER}
    max_new_tokens = 200  # the paper's continuation length
    implant_params = ImplantParams(epochs=8, lr=3e-4, batch_size=4, max_length=320)

    @dataclass
    class Options:
        n_forget: int = 32
        n_unseen: int = 32
        n_normal: int = 64
        n_unrelated: int = 64
        n_implant_normal: int = 32  # normal examples mixed into the implant, disjoint from the normal split
        split_seed: int = 0
        book_seed: int = 0  # offline tiers: which generated book
        prompt_words: int = 32
        answer_words: int = 140  # 209-264 tokens of the embedded tokenizer: covers a 200-token continuation
        slack_words: int = 40  # reference runs this far past the answer; also the window search range
        window_stride: int = 4
        leak_threshold: float = 20.0  # BLEU above which an output counts as leaked
        implant: bool = True  # fine-tune on the book first (false: the loaded model has memorised it already)
        book_path: str | None = None  # paper tier: a UTF-8 text file

    tier_options: ClassVar[dict] = {
        "tiny": {"n_forget": 2, "n_unseen": 2, "n_normal": 3, "n_unrelated": 4, "n_implant_normal": 2,
                 "prompt_words": 12, "answer_words": 40, "slack_words": 8},
        "mini": {"n_forget": 6, "n_unseen": 6, "n_normal": 16, "n_unrelated": 32, "n_implant_normal": 8},
        "paper": {"answer_words": 160},  # ordinary English prose: about 1.3 tokens a word
    }

    def build_splits(self, tier: str, options) -> Splits:
        o = self._scoring = options  # score() has no options argument: remember the threshold and windows
        needed = o.n_forget + o.n_unseen
        if tier == "paper":
            text = read_book(o.book_path)
            source = f"book file {o.book_path}"
        else:
            size = o.prompt_words + o.answer_words + o.slack_words
            text = generate_book(o.book_seed, needed * size + size)  # one spare passage for the last sentence
            source = f"generated book (seed {o.book_seed})"
        passages = cut_passages(text, o.prompt_words, o.answer_words, o.slack_words)
        if len(passages) < needed:
            size = o.prompt_words + o.answer_words + o.slack_words
            raise UsageError(f"the book has {len(passages)} passages of {size} words but n_forget + n_unseen = "
                             f"{needed}; use a longer book or smaller splits")
        parts = _common.take_disjoint(passages, {"forget": o.n_forget, "unseen": o.n_unseen}, o.split_seed,
                                      "book passages")
        if tier == "paper":
            normal = _common.truthfulqa_normal(o.n_normal + o.n_implant_normal, o.split_seed)
            unrelated = _common.truthfulqa_unrelated(o.n_unrelated, o.split_seed, after=len(normal))
        else:
            normal = _common.normal_examples(o.n_normal + o.n_implant_normal, o.split_seed)
            unrelated = _common.unrelated_answers(o.n_unrelated, o.split_seed)
        implant = parts["forget"] + parts["unseen"] + normal[o.n_normal :] if o.implant else []
        return Splits(
            forget=parts["forget"],
            unseen=parts["unseen"],
            normal=normal[: o.n_normal],
            unrelated_answers=unrelated,
            implant=implant,
            info={"source": source, "passages_in_book": len(passages), "words_per_passage": o.prompt_words
                  + o.answer_words, "licence": "generated for this project" if tier != "paper" else "user-supplied"},
        )

    def prepare(self, splits: Splits, options) -> dict:
        self._scoring = options
        return {"leak_threshold": options.leak_threshold}

    def _options_for_scoring(self):
        return getattr(self, "_scoring", None) or self.Options()

    def score(self, examples: list[Example], outputs: list[str]) -> dict[str, float]:
        o = self._options_for_scoring()
        scores = leakage_scores(outputs, [_reference(e) for e in examples], o.window_stride, o.slack_words)
        return summarize_leakage(scores, o.leak_threshold)

    def reward(self, examples: list[Example], outputs: list[str]) -> list[float]:
        o = self._options_for_scoring()
        return [-s / 100.0 for s in leakage_scores(outputs, [_reference(e) for e in examples],
                                                   o.window_stride, o.slack_words)]


def _reference(example: Example) -> str:
    return example.meta.get("reference") or example.answer
