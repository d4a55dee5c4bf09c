"""Training machinery shared by the gradient methods and by implanting.

Every gradient method here minimises one weighted objective over answer tokens only:

    L = - w_forget   * NLL(forget answers)                      (gradient ascent, L_fgt)
        + w_mismatch * NLL(forget prompts + random answers)     (L_rdn, answers drawn from Y_rdn)
        + w_kl       * KL(original || current) on normal answers (L_nor)
        + w_normal   * NLL(normal answers)                      (supervised fine-tuning)

on top of transformers' Trainer (AdamW, linear schedule, accelerate underneath, so the same code runs under
`accelerate launch` with DeepSpeed or FSDP). One optimiser step on this objective is exactly the paper's update
theta <- theta - e1 grad L_fgt - e2 grad L_rdn - e3 grad L_nor with the learning rate folded into e_i.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass, field
from typing import Any, Iterator

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

from .api import Example, MethodLog

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


@dataclass(frozen=True)
class Objective:
    """Weights of the loss terms, and which examples drive the epochs (the 'primary' set)."""

    forget: float = 0.0
    mismatch: float = 0.0
    kl: float = 0.0
    normal: float = 0.0
    stop_forget_loss: float | None = None  # stop once the forget NLL exceeds this ...
    extra_steps: int = 0  # ... after this many more batches (the paper keeps going 3-5x longer)


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
    return model(**batch).loss


def answer_kl(model, reference, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """KL(reference || model) of the next-token distributions, averaged over answer positions."""
    inputs = {"input_ids": batch["input_ids"], "attention_mask": batch["attention_mask"]}
    logits = model(**inputs).logits[:, :-1]
    with torch.no_grad():
        ref_logits = reference(**inputs).logits[:, :-1]
    positions = batch["labels"][:, 1:] != IGNORE
    log_p = F.log_softmax(logits[positions].float(), dim=-1)
    log_q = F.log_softmax(ref_logits[positions].float(), dim=-1)
    return F.kl_div(log_p, log_q, log_target=True, reduction="batchmean")


class ExampleDataset(Dataset):
    def __init__(self, examples: list[Example]):
        self.examples = list(examples)

    def __len__(self) -> int:
        return len(self.examples)

    def __getitem__(self, index: int) -> Example:
        return self.examples[index]


@dataclass
class Collator:
    """Builds the primary batch and, for the mismatch term, the same prompts paired with random answers."""

    tokenizer: Any
    formatter: Any
    max_length: int
    unrelated_answers: list[str] = field(default_factory=list)
    seed: int = 0
    ascent: bool = False  # the primary batch is the forget set, trained by gradient ascent

    def __post_init__(self):
        self._rng = random.Random(self.seed)

    def __call__(self, examples: list[Example]) -> dict[str, dict[str, torch.Tensor]]:
        batch = {"primary": encode(self.tokenizer, self.formatter, examples, self.max_length,
                                   end_of_turn=not self.ascent)}
        if self.unrelated_answers:
            mismatched = [
                Example(prompt=e.prompt, answer=self._rng.choice(self.unrelated_answers), style=e.style)
                for e in examples
            ]
            batch["mismatch"] = encode(self.tokenizer, self.formatter, mismatched, self.max_length)
        return batch


def _tokens(batch: dict[str, torch.Tensor]) -> int:
    return int(batch["attention_mask"].sum())


def _cycle(loader: DataLoader) -> Iterator:
    while True:  # a fresh shuffle on every pass
        yield from loader


def _make_trainer_class():
    from transformers import Trainer, TrainerCallback

    class StopOnForgetLoss(TrainerCallback):
        """Ends training `extra_steps` batches after the forget NLL first passes the threshold."""

        def __init__(self, trainer):
            self.trainer = trainer

        def on_step_end(self, args, state, control, **kwargs):
            stop_at = self.trainer.stop_at_step
            if stop_at is not None and state.global_step >= stop_at:
                control.should_training_stop = True
            return control

    class UnlearningTrainer(Trainer):
        """Trainer whose loss is the weighted objective of this module."""

        def setup_objective(self, objective: Objective, normal_batches, reference, primary_is_forget: bool):
            self.objective = objective
            self.normal_batches = normal_batches
            self.reference = reference
            self.primary_is_forget = primary_is_forget
            self.step_log: list[dict[str, float]] = []
            self.tokens = 0
            self.stop_at_step: int | None = None
            self.add_callback(StopOnForgetLoss(self))

        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            objective, terms = self.objective, {}
            primary = inputs["primary"]
            loss = torch.zeros((), device=primary["input_ids"].device)
            normal_batch = primary
            if self.primary_is_forget:
                forget_nll = answer_nll(model, primary)
                terms["forget_nll"] = forget_nll.item()
                loss = loss - objective.forget * forget_nll
                self.tokens += _tokens(primary)
                if objective.mismatch:
                    mismatch_nll = answer_nll(model, inputs["mismatch"])
                    terms["mismatch_nll"] = mismatch_nll.item()
                    loss = loss + objective.mismatch * mismatch_nll
                    self.tokens += _tokens(inputs["mismatch"])
                normal_batch = self._prepare_inputs(next(self.normal_batches)) if (
                    objective.kl or objective.normal) else None
            if normal_batch is not None:
                self.tokens += _tokens(normal_batch)
                if objective.kl:
                    kl = answer_kl(model, self.reference, normal_batch)
                    terms["normal_kl"] = kl.item()
                    loss = loss + objective.kl * kl
                if objective.normal:
                    normal_nll = answer_nll(model, normal_batch)
                    terms["normal_nll"] = normal_nll.item()
                    loss = loss + objective.normal * normal_nll
            terms["loss"] = loss.item()
            terms["step"] = self.state.global_step + 1
            self.step_log.append(terms)
            if len(self.step_log) % 10 == 0:
                log.info("step %d: %s", terms["step"], {k: round(v, 4) for k, v in terms.items() if k != "step"})
            self._check_stop(terms.get("forget_nll"))
            return loss

        def _check_stop(self, forget_nll: float | None) -> None:
            threshold = self.objective.stop_forget_loss
            if threshold is None or forget_nll is None or self.stop_at_step is not None:
                return
            if forget_nll > threshold:
                self.stop_at_step = self.state.global_step + 1 + self.objective.extra_steps
                log.info("forget loss %.2f passed %.2f at step %d; stopping at step %d",
                         forget_nll, threshold, self.state.global_step + 1, self.stop_at_step)

    return UnlearningTrainer


def train(model, tokenizer, formatter, primary: list[Example], objective: Objective, params: TrainParams, *,
          seed: int, work_dir: str, normal: list[Example] | None = None, unrelated: list[str] | None = None,
          reference=None, epochs: float | None = None) -> tuple[torch.nn.Module, MethodLog]:
    """Optimise `objective` with AdamW and a linear schedule; returns the trained model and its log.

    The primary examples drive the epochs and are shuffled every epoch. They are the forget set when the
    objective has a forget or mismatch term, otherwise the normal data themselves (fine-tuning, implanting).
    `epochs` replaces `params.max_steps` as the length of training when given.
    """
    from transformers import TrainingArguments
    from transformers.trainer_callback import PrinterCallback

    primary_is_forget = bool(objective.forget or objective.mismatch)
    if objective.kl and reference is None:
        raise ValueError("the KL term needs the reference (original) model")
    if primary_is_forget and (objective.kl or objective.normal) and not normal:
        raise ValueError("the KL and normal terms need normal examples")
    model = _maybe_lora(model, params)
    collate = Collator(tokenizer, formatter, params.max_length, unrelated if objective.mismatch else [], seed,
                       ascent=objective.forget > 0)
    normal_batches = _cycle(DataLoader(
        ExampleDataset(normal), batch_size=params.batch_size, shuffle=True,
        collate_fn=lambda rows: encode(tokenizer, formatter, rows, params.max_length),
        generator=torch.Generator().manual_seed(seed + 1))) if normal else None
    use_gpu = torch.cuda.is_available()
    args = TrainingArguments(
        output_dir=work_dir, per_device_train_batch_size=params.batch_size, learning_rate=params.lr,
        max_steps=-1 if epochs else params.max_steps, num_train_epochs=epochs or 1,
        lr_scheduler_type="linear", warmup_steps=params.warmup_steps, weight_decay=params.weight_decay,
        max_grad_norm=params.max_grad_norm, optim="adamw_torch", save_strategy="no", report_to=[],
        logging_strategy="no", remove_unused_columns=False, seed=seed, data_seed=seed, disable_tqdm=True,
        use_cpu=not use_gpu, bf16=use_gpu and torch.cuda.is_bf16_supported(), dataloader_num_workers=0,
    )
    trainer = _make_trainer_class()(model=model, args=args, train_dataset=ExampleDataset(primary),
                                    data_collator=collate)
    trainer.remove_callback(PrinterCallback)  # the step log below is the record; keep stdout quiet
    if reference is not None:
        reference.to(trainer.args.device).eval().requires_grad_(False)
    trainer.setup_objective(objective, normal_batches, reference, primary_is_forget)
    started = time.perf_counter()
    model.train()
    trainer.train()
    wall = time.perf_counter() - started
    trained = _merge_lora(trainer.model).eval()
    extra = {"stopped_early_at_step": trainer.stop_at_step, "optimizer_steps": trainer.state.global_step}
    return trained, MethodLog(steps=trainer.step_log, wall_time_s=wall, tokens=trainer.tokens, extra=extra)


def _maybe_lora(model, params: TrainParams):
    if params.lora_r <= 0:
        return model
    try:
        from peft import LoraConfig, get_peft_model
    except ImportError:
        from .errors import UsageError

        raise UsageError("lora_r > 0 needs peft: pip install 'unlearn-bench[lora]'") from None
    config = LoraConfig(r=params.lora_r, lora_alpha=params.lora_alpha, target_modules="all-linear",
                        task_type="CAUSAL_LM")
    return get_peft_model(model, config)


def _merge_lora(model):
    return model.merge_and_unload() if hasattr(model, "merge_and_unload") else model
