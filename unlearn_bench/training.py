"""Training machinery shared by the gradient methods and by implanting.

One training path for every gradient method: transformers' Trainer (AdamW, linear schedule, accelerate
underneath, so the same code runs under `accelerate launch` with DeepSpeed or FSDP), optional LoRA adapters
(peft), the early stop, the per-step log and the token count. A method brings only its loss, as a `Loss`:
a function `terms(model, batches, reference) -> {name: scalar tensor}`. Each step the terms are weighted,
summed into the loss and logged (unweighted) by name.

The paper's objective (`Objective`) is one such loss, over answer tokens only:

    L = - w_forget   * NLL(forget answers)                      (gradient ascent, L_fgt)
        + w_mismatch * NLL(forget prompts + random answers)     (L_rdn, answers drawn from Y_rdn)
        + w_kl       * KL(original || current) on normal answers (L_nor)
        + w_normal   * NLL(normal answers)                      (supervised fine-tuning)

One optimiser step on it is exactly the paper's update theta <- theta - e1 grad L_fgt - e2 grad L_rdn
- e3 grad L_nor with the learning rate folded into e_i.

The frozen reference (the original model, never updated) reaches a loss in one of two forms, as the loss declares:
the model itself (`Loss.needs_reference`: a KL term or hidden states need its full outputs, so it stays on the
training device), or a `ReferenceLogprobs` table (`Loss.reference_logprobs`: a loss that compares with it only
through summed answer log-probabilities, as NPO and DPO do). `train` fills the table once before the first step,
so during training the reference is never called and can leave the device.
"""

from __future__ import annotations

import dataclasses
import logging
import random
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Mapping

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

from . import distributed, progress
from .api import Example, MethodContext, MethodLog, MethodOutput
from .errors import UsageError
from .execution import in_host_memory, model_device, reproducible_training, to_device

log = logging.getLogger(__name__)
IGNORE = -100
MIN_ANSWER_TOKENS = 16


@dataclass(frozen=True)
class TrainParams:
    """Optimisation settings shared by every gradient method (the paper's released defaults)."""

    lr: float = 2e-6
    batch_size: int = 2
    max_steps: int = 1000
    max_length: int = 256
    warmup_steps: int = 0
    weight_decay: float = 0.0
    max_grad_norm: float = 1.0
    lora_r: int = 0  # > 0: train LoRA adapters of this rank with peft, merged into the model afterwards
    lora_alpha: int = 16


Batch = dict[str, torch.Tensor]  # input_ids, attention_mask, labels (IGNORE except on answer tokens)
BATCH_KINDS = ("forget", "mismatch", "normal")


@dataclass
class Batches:
    """What one training step hands a loss. Each batch is tokenised prompt + answer with labels on the answer.

    forget: forget prompts with their answers (None when training on normal data alone).
    mismatch: the same forget prompts with answers from the run's alternative answers (`train(unrelated=...)`:
        random unrelated answers, a template, refusals).
    normal: normal prompts with their answers, drawn from their own shuffled stream.
    A batch the loss did not ask for (`Loss.uses`) is None.
    """

    forget: Batch | None = None
    mismatch: Batch | None = None
    normal: Batch | None = None


LossTerms = Callable[[torch.nn.Module, Batches, "torch.nn.Module | ReferenceLogprobs | None"],
                     Mapping[str, torch.Tensor]]


@dataclass(frozen=True)
class Loss:
    """A method's loss on the shared training path.

    `terms(model, batches, reference)` returns named scalar tensors. The optimised loss is
    sum(weights.get(name, 1.0) * term); a term of weight 0 is logged but not optimised. Every term is logged
    per step, unweighted, under its name (`loss` and `step` are taken). A term named `forget_nll` (mean NLL of
    the forget answer tokens) drives the early stop.

    What `reference` (the frozen reference: the original model, never updated) is in `terms`:
    - the model itself when `needs_reference` (a KL term, hidden states: anything beyond sequence log-probs); it
      stays on the training device;
    - else, when `reference_logprobs` names batch kinds, a `ReferenceLogprobs` table of the reference's summed
      answer log-probs of every sequence those batches can hold, filled by `train` before the first step; the
      reference model is then not called during training and leaves the device (it need not sit beside the trained
      copy, its gradients and AdamW's states);
    - else None.
    `reference_answer_logprobs(reference, batch)` reads the log-probs from either form, so one `terms` serves both
    (a loss with `retain=kl` needs the model anyway and computes them from it each step, as before the table).
    """

    terms: LossTerms
    weights: Mapping[str, float] = field(default_factory=dict)
    uses: frozenset[str] = frozenset({"forget"})  # which batches each step builds: see BATCH_KINDS
    needs_reference: bool = False  # the frozen reference model itself is passed as `reference` (see above)
    reference_logprobs: frozenset[str] = frozenset()  # else: the batch kinds it is read on, as a precomputed table
    forget_end_of_turn: bool = False  # False: no end-of-turn token on forget answers (see `encode`)
    cycle_alternatives: bool = False  # mismatch answers: False draws them at random, True cycles through them
    stop_forget_loss: float | None = None  # stop once the logged forget_nll exceeds this ...
    extra_steps: int = 0  # ... after this many more batches (the paper keeps going 3-5x longer)

    def __post_init__(self):
        unknown_kinds = set(self.uses) - set(BATCH_KINDS)
        if unknown_kinds:
            raise ValueError(f"Loss.uses has unknown batch kinds {sorted(unknown_kinds)}; expected {BATCH_KINDS}")
        if not self.uses:
            raise ValueError("Loss.uses is empty; a loss needs at least one batch")
        unused = set(self.reference_logprobs) - set(self.uses)
        if unused:
            raise ValueError(f"Loss.reference_logprobs names batch kinds {sorted(unused)} that Loss.uses "
                             f"({sorted(self.uses)}) does not build")

    @property
    def reads_reference(self) -> bool:
        """Whether `train` needs the reference model at all: live, or to fill the log-prob table first."""
        return self.needs_reference or bool(self.reference_logprobs)

    @property
    def reference_table(self) -> bool:
        """Whether the loss is handed a precomputed `ReferenceLogprobs` table rather than the model."""
        return bool(self.reference_logprobs) and not self.needs_reference

    @property
    def on_forget(self) -> bool:
        """Whether the training examples are forget examples (else they are the normal batches themselves)."""
        return bool({"forget", "mismatch"} & set(self.uses))


@dataclass(frozen=True)
class Objective:
    """The paper's fixed terms by weight, and the early stop; `loss()` expresses it as a `Loss`."""

    forget: float = 0.0
    mismatch: float = 0.0
    kl: float = 0.0
    normal: float = 0.0
    stop_forget_loss: float | None = None  # stop once the forget NLL exceeds this ...
    extra_steps: int = 0  # ... after this many more batches (the paper keeps going 3-5x longer)

    def loss(self) -> Loss:
        on_forget = bool(self.forget or self.mismatch)
        uses = {"forget"} if on_forget else set()
        if self.mismatch:
            uses.add("mismatch")
        if self.kl or self.normal or not on_forget:
            uses.add("normal")
        weights = {"forget_nll": -self.forget, "mismatch_nll": self.mismatch, "normal_kl": self.kl,
                   "normal_nll": self.normal}
        return Loss(self._terms, weights, frozenset(uses), needs_reference=bool(self.kl),
                    forget_end_of_turn=not self.forget, stop_forget_loss=self.stop_forget_loss,
                    extra_steps=self.extra_steps)

    def _terms(self, model, batches: Batches, reference) -> dict[str, torch.Tensor]:
        terms = {}
        if batches.forget is not None:
            terms["forget_nll"] = answer_nll(model, batches.forget)
        if self.mismatch:
            terms["mismatch_nll"] = answer_nll(model, batches.mismatch)
        if self.kl:
            terms["normal_kl"] = answer_kl(model, reference, batches.normal)
        if self.normal:
            terms["normal_nll"] = answer_nll(model, batches.normal)
        return terms


def encode(tokenizer, formatter, examples: list[Example], max_length: int,
           end_of_turn: bool = True) -> dict[str, torch.Tensor]:
    """Tokenise prompt + answer (+ end-of-turn), labels only on the answer, right-padded with the pad id.

    `end_of_turn=False` leaves the end-of-turn token out: gradient ascent on it would teach the model never to
    stop talking, which is not what unlearning an answer means.
    """
    rows = [_encode_one(tokenizer, formatter, example, max_length, end_of_turn) for example in examples]
    width = max(len(ids) for ids, _ in rows)
    pad = tokenizer.pad_token_id
    input_ids = torch.full((len(rows), width), pad, dtype=torch.long)
    labels = torch.full((len(rows), width), IGNORE, dtype=torch.long)
    attention = torch.zeros((len(rows), width), dtype=torch.long)
    for i, (ids, answer_start) in enumerate(rows):
        input_ids[i, : len(ids)] = torch.tensor(ids)
        attention[i, : len(ids)] = 1
        labels[i, answer_start : len(ids)] = torch.tensor(ids[answer_start:])
    return {"input_ids": input_ids, "attention_mask": attention, "labels": labels}


def _encode_one(tokenizer, formatter, example: Example, max_length: int, end_of_turn: bool) -> tuple[list[int], int]:
    prompt_ids = tokenizer(formatter.prompt(example), add_special_tokens=False)["input_ids"]
    answer = example.answer
    if example.style == "raw" and answer and not answer[0].isspace():
        answer = " " + answer  # raw continuation: keep the word boundary the original text had
    suffix = formatter.suffix(example) if end_of_turn else ""
    answer_ids = tokenizer(answer + suffix, add_special_tokens=False)["input_ids"]
    keep = max(1, max_length - MIN_ANSWER_TOKENS)  # an over-long prompt loses its start, never the answer's
    prompt_ids = prompt_ids[-keep:]
    answer_ids = answer_ids[: max_length - len(prompt_ids)]
    return prompt_ids + answer_ids, len(prompt_ids)


def answer_nll(model, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """Mean negative log-likelihood over answer tokens (the LM loss restricted to answers)."""
    return model(**to_device(batch, model_device(model))).loss


def answer_kl(model, reference, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """KL(reference || model) of the next-token distributions, averaged over answer positions."""
    batch = to_device(batch, model_device(model))
    inputs = {"input_ids": batch["input_ids"], "attention_mask": batch["attention_mask"]}
    logits = model(**inputs).logits[:, :-1]
    with torch.no_grad():
        ref_logits = reference(**to_device(inputs, model_device(reference))).logits[:, :-1].to(logits.device)
    positions = batch["labels"][:, 1:] != IGNORE
    log_p = F.log_softmax(logits[positions].float(), dim=-1)
    log_q = F.log_softmax(ref_logits[positions].float(), dim=-1)
    return F.kl_div(log_p, log_q, log_target=True, reduction="batchmean")


def answer_logprobs(model, batch: Batch) -> tuple[torch.Tensor, torch.Tensor]:
    """Per sequence: the sum of log pi(answer token | prefix) over answer tokens, and the number of them.

    log pi(y|x) of the preference losses (NPO, DPO, SimNPO). Their sum over the batch divided by the token count
    is `answer_nll`'s mean NLL, negated.
    """
    batch = to_device(batch, model_device(model))
    inputs = {"input_ids": batch["input_ids"], "attention_mask": batch["attention_mask"]}
    logits = model(**inputs).logits[:, :-1].float()
    labels = batch["labels"][:, 1:]
    token_nll = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=IGNORE,
                                reduction="none").view(labels.shape)  # flat rows: far faster than (N, C, T)
    return -token_nll.sum(dim=1), (labels != IGNORE).sum(dim=1)


def mean_nll(logprobs: torch.Tensor, counts: torch.Tensor) -> torch.Tensor:
    """Mean NLL per answer token of a batch from `answer_logprobs` (what `answer_nll` computes), for logging."""
    return -logprobs.sum() / counts.sum().clamp(min=1)


def _row_keys(batch: Batch) -> list[tuple[bytes, bytes]]:
    """Per row: its attended tokens and which of them are answer tokens. The same sequence gets the same key in any
    batch, whatever the padding, its position or the other rows."""
    ids, attended, labels = (batch[name].detach().cpu() for name in ("input_ids", "attention_mask", "labels"))
    keys = []
    for row in range(ids.shape[0]):
        mask = attended[row].bool()
        keys.append((ids[row][mask].numpy().tobytes(), (labels[row][mask] != IGNORE).numpy().tobytes()))
    return keys


class ReferenceLogprobs:
    """The frozen reference's summed answer log-probs (`answer_logprobs`) of every sequence a loss's batches can
    hold, computed once before training (`compute`), looked up per row during it (`lookup`).

    What a loss that compares with the reference only through log pi_ref(y|x) needs of it (NPO, DPO): with the
    table the reference model is not called during training, so it can leave the training device."""

    def __init__(self, values: Mapping[tuple[bytes, bytes], float], kinds: Iterable[str]):
        self.values = dict(values)
        self.kinds = tuple(sorted(kinds))

    @classmethod
    @torch.no_grad()
    def compute(cls, reference: torch.nn.Module, batches: Iterable[Batch], kinds: Iterable[str]) -> "ReferenceLogprobs":
        """Runs the reference (in eval mode, without gradients) over `batches` and keys every row."""
        was_training = reference.training
        reference.eval()
        values = {}
        try:
            for batch in batches:
                logprobs, _ = answer_logprobs(reference, batch)
                values.update(zip(_row_keys(batch), logprobs.cpu().tolist()))
        finally:
            reference.train(was_training)
        return cls(values, kinds)

    def lookup(self, batch: Batch) -> torch.Tensor:
        """The rows' reference log-probs, float32 on the batch's device. A row outside the table is a bug (the
        table and the batches were built from different examples or encodings): refused, never computed."""
        keys = _row_keys(batch)
        missing = [row for row, key in enumerate(keys) if key not in self.values]
        if missing:
            tokens = int(batch["attention_mask"][missing[0]].sum())
            raise RuntimeError(
                f"reference log-prob table has no entry for {len(missing)} of {len(keys)} rows of this batch (row "
                f"{missing[0]}: {tokens} tokens); the table covers the {', '.join(self.kinds)} sequences the "
                f"Collator can build ({len(self.values)} of them), so the batch and the table were built "
                "differently: a bug, not something to compute on the fly")
        values = [self.values[key] for key in keys]
        return torch.tensor(values, dtype=torch.float32, device=batch["input_ids"].device)

    def __len__(self) -> int:
        return len(self.values)


def reference_answer_logprobs(reference: "torch.nn.Module | ReferenceLogprobs | None", batch: Batch) -> torch.Tensor:
    """Per sequence, log pi_ref(y|x) summed over answer tokens under the frozen reference, without a graph: looked
    up in the precomputed table when the loss was handed one (`Loss.reference_logprobs`), computed by the model when
    it was handed the model (`Loss.needs_reference`, e.g. with a KL retain term)."""
    if isinstance(reference, ReferenceLogprobs):
        return reference.lookup(batch)
    if reference is None:
        raise ValueError("this loss reads the reference's log-probs but was given no reference; declare "
                         "Loss.reference_logprobs (or needs_reference)")
    with torch.no_grad():
        return answer_logprobs(reference, batch)[0]


# The retain terms a method may add to its forget loss: name -> (logged term, whether it needs the reference).
RETAIN_TERMS = {"none": (None, False), "nll": ("normal_nll", False), "kl": ("normal_kl", True)}


@dataclass(frozen=True)
class Retain:
    """An optional utility term on the normal batch: `none`, `nll` (fine-tune on it; NPO+RT, SimNPO) or `kl`
    (KL(original || current), the paper's L_nor), weighted by `weight`. Add `terms` to a loss's terms and
    `uses`, `weights` and `needs_reference` to its `Loss`."""

    kind: str = "nll"
    weight: float = 1.0

    def check(self, method: str, reference_free: bool = False) -> "Retain":
        choices = [k for k, (_, needs) in RETAIN_TERMS.items() if not (reference_free and needs)]
        if self.kind not in choices:
            why = " (kl needs the reference model, which this method does without)" if self.kind == "kl" else ""
            raise UsageError(f"bad {method} option retain={self.kind!r}; expected one of: {', '.join(choices)}{why}")
        return self

    @property
    def name(self) -> str | None:
        return RETAIN_TERMS[self.kind][0] if self.weight else None

    @property
    def uses(self) -> frozenset[str]:
        return frozenset({"normal"}) if self.name else frozenset()

    @property
    def needs_reference(self) -> bool:
        return bool(self.name) and RETAIN_TERMS[self.kind][1]

    @property
    def weights(self) -> dict[str, float]:
        return {self.name: self.weight} if self.name else {}

    def terms(self, model, batches: Batches, reference) -> dict[str, torch.Tensor]:
        if self.name == "normal_nll":
            return {self.name: answer_nll(model, batches.normal)}
        if self.name == "normal_kl":
            return {self.name: answer_kl(model, reference, batches.normal)}
        return {}


class ExampleDataset(Dataset):
    def __init__(self, examples: list[Example]):
        self.examples = list(examples)

    def __len__(self) -> int:
        return len(self.examples)

    def __getitem__(self, index: int) -> Example:
        return self.examples[index]


@dataclass
class Collator:
    """Builds a step's batches from a list of training examples: the forget batch and, when the loss uses it,
    the same prompts paired with alternative answers (the mismatch batch); or, for a loss on normal data
    alone, the normal batch."""

    tokenizer: Any
    formatter: Any
    max_length: int
    loss: Loss
    alternatives: list[str] = field(default_factory=list)
    seed: int = 0

    def __post_init__(self):
        self._rng = random.Random(self.seed)
        self._next = 0  # position in the alternatives when they are cycled

    def __call__(self, examples: list[Example]) -> dict[str, Batch]:
        if not self.loss.on_forget:
            return {"normal": self.encode("normal", examples)}
        batch = {"forget": self.encode("forget", examples)}
        if "mismatch" in self.loss.uses:
            batch["mismatch"] = self.encode("mismatch", [_paired(e, self._alternative()) for e in examples])
        return batch

    def encode(self, kind: str, examples: list[Example]) -> Batch:
        """A batch of `kind` from the examples it holds (for mismatch, prompts already paired with alternatives):
        the one place that says how each kind is encoded, for training and for the reference table alike."""
        end_of_turn = self.loss.forget_end_of_turn if kind == "forget" else True
        return encode(self.tokenizer, self.formatter, examples, self.max_length, end_of_turn=end_of_turn)

    def possible_rows(self, kind: str, primary: list[Example], normal: list[Example] | None) -> list[Example]:
        """Every example a batch of `kind` can hold in this training run: the forget examples; each forget prompt
        with each alternative answer (drawn at random or cycled, any pairing can occur); the normal examples."""
        if kind == "forget":
            return list(primary)
        if kind == "mismatch":
            return [_paired(example, answer) for example in primary for answer in dict.fromkeys(self.alternatives)]
        return list(normal or []) if self.loss.on_forget else list(primary)

    def _alternative(self) -> str:
        if not self.loss.cycle_alternatives:
            return self._rng.choice(self.alternatives)
        answer = self.alternatives[self._next % len(self.alternatives)]
        self._next += 1
        return answer


def _paired(example: Example, answer: str) -> Example:
    """A forget prompt with an alternative answer (a mismatch row)."""
    return Example(prompt=example.prompt, answer=answer, style=example.style)


def _tokens(batch: Batch) -> int:
    return int(batch["attention_mask"].sum())


def _cycle(loader: DataLoader) -> Iterator:
    while True:  # a fresh shuffle on every pass
        yield from loader


RESERVED_TERMS = ("loss", "step")


def _total(terms: Mapping[str, torch.Tensor], weights: Mapping[str, float]) -> torch.Tensor:
    """sum(weight * term) over the terms of non-zero weight; refuses malformed terms with the term's name."""
    total = None
    for name, value in terms.items():
        if name in RESERVED_TERMS:
            raise ValueError(f"loss term name {name!r} is reserved for the step log; rename the term")
        if not torch.is_tensor(value) or value.numel() != 1:
            raise ValueError(f"loss term {name!r} must be a scalar tensor, got {type(value).__name__} "
                             f"{tuple(value.shape) if torch.is_tensor(value) else ''}")
        weight = weights.get(name, 1.0)
        if weight:
            total = weight * value.reshape(()) if total is None else total + weight * value.reshape(())
    if total is None or not total.requires_grad:
        raise ValueError(f"the loss terms {sorted(terms)} leave nothing to optimise (no weighted term with a "
                         "gradient)")
    return total


def _make_trainer_class():
    from transformers import Trainer, TrainerCallback

    class StopOnForgetLoss(TrainerCallback):
        """Ends training `extra_steps` batches after the forget NLL first passes the threshold; reports progress."""

        def __init__(self, trainer):
            self.trainer = trainer

        def on_step_end(self, args, state, control, **kwargs):
            progress.step(state.global_step, state.max_steps)
            stop_at = self.trainer.stop_at_step
            if stop_at is not None and state.global_step >= stop_at:
                control.should_training_stop = True
            return control

    class UnlearningTrainer(Trainer):
        """Trainer whose loss is a `Loss`: it builds the step's batches, sums the weighted terms, logs them."""

        def setup_loss(self, loss: Loss, normal_batches, reference):
            self.loss_spec = loss
            self.normal_batches = normal_batches
            self.reference = reference
            self.step_log: list[dict[str, float]] = []
            self.tokens = 0
            self.stop_at_step: int | None = None
            self.add_callback(StopOnForgetLoss(self))

        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            spec = self.loss_spec
            batches = Batches(**{kind: inputs.get(kind) for kind in BATCH_KINDS})
            if spec.on_forget and "normal" in spec.uses:
                batches.normal = self._prepare_inputs(next(self.normal_batches))
            self.tokens += sum(_tokens(b) for b in (batches.forget, batches.mismatch, batches.normal) if b is not None)
            terms = dict(spec.terms(model, batches, self.reference))
            loss = _total(terms, spec.weights)
            record = {name: float(value.detach()) for name, value in terms.items()}
            record["loss"] = loss.item()
            record["step"] = self.state.global_step + 1
            self.step_log.append(record)
            if len(self.step_log) % 10 == 0:
                log.info("step %d: %s", record["step"], {k: round(v, 4) for k, v in record.items() if k != "step"})
            self._check_stop(record.get("forget_nll"))
            return loss

        def _check_stop(self, forget_nll: float | None) -> None:
            threshold = self.loss_spec.stop_forget_loss
            if threshold is None or forget_nll is None or self.stop_at_step is not None:
                return
            if forget_nll > threshold:
                self.stop_at_step = self.state.global_step + 1 + self.loss_spec.extra_steps
                log.info("forget loss %.2f passed %.2f at step %d; stopping at step %d",
                         forget_nll, threshold, self.state.global_step + 1, self.stop_at_step)

    return UnlearningTrainer


def train(model, tokenizer, formatter, primary: list[Example], objective: Objective | Loss, params: TrainParams, *,
          seed: int, work_dir: str, normal: list[Example] | None = None, unrelated: list[str] | None = None,
          reference=None, epochs: float | None = None, trainable: str | None = None,
          gradient_checkpointing: bool = False) -> tuple[torch.nn.Module, MethodLog]:
    """Optimise a loss (a `Loss`, or the paper's `Objective`) with AdamW and a linear schedule; returns the trained
    model and its log.

    The primary examples drive the epochs and are shuffled every epoch. They are the forget set when the loss
    uses the forget or mismatch batch, otherwise the normal batches themselves (fine-tuning, implanting).
    `normal` feeds the normal batch of a loss on forget examples; `unrelated` is the pool of alternative answers
    for the mismatch batch. `epochs` replaces `params.max_steps` as the length of training when given.
    `trainable`, a regular expression, limits training to the parameters whose names it matches (re.search).
    `gradient_checkpointing` recomputes activations in the backward pass: the same loss, less memory, more time.
    """
    from transformers import TrainingArguments
    from transformers.trainer_callback import PrinterCallback

    loss = objective.loss() if isinstance(objective, Objective) else objective
    _check_inputs(loss, primary, normal, unrelated, reference)
    model.requires_grad_(True)  # a copy of a frozen model (the reference, a control) trains like any other
    model = _maybe_lora(model, params)
    frozen = _freeze_all_but(model, trainable)
    # Each rank draws its own mismatch answers and normal batches (rank 0 keeps a plain run's draws); the forget
    # batches are split across ranks by the Trainer's distributed sampler.
    own_seed = distributed.rank_seed(seed)
    per_rank = per_rank_batch(params.batch_size)
    collate = Collator(tokenizer, formatter, params.max_length, loss, list(unrelated or []), own_seed)
    normal_batches = _cycle(DataLoader(
        ExampleDataset(normal), batch_size=per_rank, shuffle=True,
        collate_fn=lambda rows: collate.encode("normal", rows),
        generator=torch.Generator().manual_seed(own_seed + 1))) if loss.on_forget and "normal" in loss.uses else None
    device = model_device(model)
    weights_dtype = next(model.parameters()).dtype
    # Half-precision weights would round small unlearning updates (lr ~1e-6) away, and AdamW's states with them:
    # train in float32 (on a GPU with bf16 autocast compute) and hand back the run's dtype afterwards.
    model.to(torch.float32)
    on_gpu = device.type == "cuda"
    args = TrainingArguments(
        output_dir=work_dir, per_device_train_batch_size=per_rank, learning_rate=params.lr,
        max_steps=-1 if epochs else params.max_steps, num_train_epochs=epochs or 1,
        lr_scheduler_type="linear", warmup_steps=params.warmup_steps, weight_decay=params.weight_decay,
        max_grad_norm=params.max_grad_norm, optim="adamw_torch", save_strategy="no", report_to=[],
        logging_strategy="no", remove_unused_columns=False, seed=seed, data_seed=seed, disable_tqdm=True,
        use_cpu=not on_gpu, bf16=on_gpu and torch.cuda.is_bf16_supported(), dataloader_num_workers=0,
        **_checkpointing_argument(TrainingArguments, gradient_checkpointing),
    )
    trainer = _make_trainer_class()(model=model, args=args, train_dataset=ExampleDataset(primary),
                                    data_collator=collate)
    trainer.remove_callback(PrinterCallback)  # the step log below is the record; keep stdout quiet
    reference_home = model_device(reference) if loss.reads_reference else None
    if loss.reads_reference:
        reference.to(trainer.args.device).eval().requires_grad_(False)
    started = time.perf_counter()  # the table is part of the method's cost: it counts in the wall time
    model.train()
    table = None
    with reproducible_training(device):
        if loss.reference_table:
            table = _reference_table(trainer, reference, collate, loss, primary, normal, per_rank)
        trainer.setup_loss(loss, normal_batches, table if table is not None else
                           reference if loss.needs_reference else None)
        # With the table the reference model is not called during training: on an accelerator it waits in host
        # memory instead of beside the trained copy, its gradients and AdamW's states.
        # Afterwards it goes back to where the caller had it: the runner still needs the original for generation,
        # scoring and the probes.
        with in_host_memory(reference if loss.reference_table else None, trainer.args.device, back_to=reference_home):
            trainer.train()
    wall = time.perf_counter() - started
    for parameter in frozen:
        parameter.requires_grad_(True)
    trained = _merge_lora(trainer.model).to(weights_dtype).eval()
    extra = {"stopped_early_at_step": trainer.stop_at_step, "optimizer_steps": trainer.state.global_step}
    if table is not None:
        extra["reference_logprobs_precomputed"] = len(table)  # sequences; their passes are not in `tokens`
    return trained, MethodLog(steps=trainer.step_log, wall_time_s=wall, tokens=trainer.tokens, extra=extra)


def _reference_table(trainer, reference, collate: Collator, loss: Loss, primary: list[Example],
                     normal: list[Example] | None, batch_size: int) -> ReferenceLogprobs:
    """The reference's log-probs of every row the batches named in `loss.reference_logprobs` can hold, encoded by
    the Collator that builds the training batches. Batches of the training batch size (no more memory than a step's
    reference pass), rows sorted by length so that little is padding, in the context a step's loss runs in (its
    autocast, if any). Every rank of a launched run needs the whole table (its forget batches are its own draw), so
    each computes its `own_share` of the batches and the ranks exchange their parts: the same table, in 1/ranks of
    the time."""
    rows = {kind: collate.possible_rows(kind, primary, normal) for kind in sorted(loss.reference_logprobs)}
    chunks = []  # (kind, rows of one batch), every batch of every kind
    for kind, examples in rows.items():
        ordered = sorted(examples, key=lambda example: len(example.prompt) + len(example.answer))
        chunks += [(kind, ordered[start:start + batch_size]) for start in range(0, len(ordered), batch_size)]

    def batches() -> Iterator[Batch]:
        for kind, examples in distributed.own_share(chunks):
            yield collate.encode(kind, examples)

    started = time.perf_counter()
    with trainer.compute_loss_context_manager():
        part = ReferenceLogprobs.compute(reference, batches(), rows)
    table = ReferenceLogprobs(distributed.merged(part.values), rows)
    log.info("reference log-probs of %d sequences (%s) precomputed in %.1f s; the reference is not called during "
             "training", len(table), ", ".join(f"{kind}: {len(examples)}" for kind, examples in rows.items()),
             time.perf_counter() - started)
    return table


def _checkpointing_argument(arguments_class, enabled: bool) -> dict[str, bool]:
    """The TrainingArguments field that turns activation recomputation on: transformers 5.24 renamed
    `gradient_checkpointing` to `activation_checkpointing` and warns on the old name; 5.17 has only the old one.
    Nothing is passed when it is off, so neither release warns."""
    if not enabled:
        return {}
    names = {field.name for field in dataclasses.fields(arguments_class)}
    return {"activation_checkpointing" if "activation_checkpointing" in names else "gradient_checkpointing": True}


def per_rank_batch(batch_size: int) -> int:
    """Each rank's share of the batch: data-parallel ranks average their gradients, so the optimiser sees the same
    batch size as a single process and a launched run follows the same recipe."""
    ranks = distributed.world_size()
    if batch_size % ranks:
        raise UsageError(f"batch_size={batch_size} does not split over {ranks} processes; expected a multiple of "
                         f"{ranks}, or another process count")
    return batch_size // ranks


def _check_inputs(loss: Loss, primary, normal, unrelated, reference) -> None:
    if not primary:
        raise ValueError("no training examples (the primary set is empty)")
    if loss.reads_reference and reference is None:
        raise ValueError("this loss needs the reference (original) model")
    if loss.on_forget and "normal" in loss.uses and not normal:
        raise ValueError("this loss uses the normal batch (e.g. the KL or retain term); it needs normal examples")
    if "mismatch" in loss.uses and not unrelated:
        raise ValueError("this loss uses the mismatch batch; it needs alternative answers (unrelated=...)")


def _freeze_all_but(model, pattern: str | None) -> list[torch.nn.Parameter]:
    """Turn off gradients of parameters whose names `pattern` does not match; returns those turned off."""
    if not pattern:
        return []
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise UsageError(f"bad trainable pattern {pattern!r} ({error}); expected a regular expression") from None
    named = [(name, p) for name, p in model.named_parameters() if p.requires_grad]
    if not any(compiled.search(name) for name, _ in named):
        example = named[0][0] if named else "(none)"
        raise UsageError(f"trainable pattern {pattern!r} matches no parameter name; expected a regular expression "
                         f"over names like {example!r}")
    frozen = [p for name, p in named if not compiled.search(name)]
    for parameter in frozen:
        parameter.requires_grad_(False)
    return frozen


def unlearn(model, ctx: MethodContext, loss: Loss | Objective, params: TrainParams, *,
            alternatives: list[str] | None = None, trainable: str | None = None) -> MethodOutput:
    """A method's usual call of `train`: the forget set drives the epochs, the normal split feeds the normal
    batch, `alternatives` (default: the task's unrelated answers) the mismatch batch, and the context's
    reference model is passed along."""
    splits = ctx.splits
    trained, method_log = train(
        model, ctx.tokenizer, ctx.formatter, splits.forget, loss, params, seed=ctx.seed, work_dir=ctx.work_dir,
        normal=splits.normal, unrelated=splits.unrelated_answers if alternatives is None else alternatives,
        reference=ctx.reference, trainable=trainable, gradient_checkpointing=ctx.gradient_checkpointing)
    return MethodOutput(trained, method_log)


def _maybe_lora(model, params: TrainParams):
    if params.lora_r <= 0:
        return model
    try:
        from peft import LoraConfig, get_peft_model
    except ImportError:
        raise UsageError("lora_r > 0 needs peft: pip install 'unlearn-bench[lora]'") from None
    config = LoraConfig(r=params.lora_r, lora_alpha=params.lora_alpha, target_modules="all-linear",
                        task_type="CAUSAL_LM")
    return get_peft_model(model, config)


def _merge_lora(model):
    return model.merge_and_unload() if hasattr(model, "merge_and_unload") else model
