"""The interfaces every task and method implements. A task or a method is one class in one file."""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

import torch

from .results import HIGHER, LOWER, SPLITS, primary_metric  # noqa: F401 - one definition, in the torch-free results
NORMAL_MAX_NEW_TOKENS = 64


@dataclass(frozen=True)
class MetricSpec:
    """A metric, declared once: its name, which direction is better, the splits it is reported on, and the
    smallest move `check` may call a regression (absolute, in the metric's units; `relative`: a share of the
    baseline). The check never uses a tolerance finer than the measured noise or one example's weight."""

    name: str
    direction: str  # LOWER or HIGHER
    tolerance: float
    relative: bool = False
    splits: tuple[str, ...] = ("forget", "unseen")
    description: str = ""


@dataclass
class Example:
    """One prompt with its target answer. `prompt` is the raw question or text prefix, not yet formatted."""

    prompt: str
    answer: str
    meta: dict[str, Any] = field(default_factory=dict)
    style: str | None = None  # None: the model's prompt style (chat or qa); "raw": continue the text as is


@dataclass
class Splits:
    """Everything a task hands to a method and to the evaluation.

    forget: what the method unlearns on. unseen: prompts of the same kind never shown to the method.
    normal: utility data (prompts for evaluation, answers for SFT and the KL term).
    unrelated_answers: the pool Y_rdn of answers unrelated to the forget prompts (the mismatch loss).
    implant: data the offline tiers fine-tune on first so that the model shows the unwanted behaviour
    (empty: evaluate the loaded model as it is).
    relearn: examples of the forget kind that the model learned (implanted) but the method never sees: the
    relearning attack fine-tunes on them and re-measures forget/unseen.
    holdout: examples of the forget kind that no training ever saw: the non-member side of membership inference.
    """

    forget: list[Example]
    unseen: list[Example]
    normal: list[Example]
    unrelated_answers: list[str]
    implant: list[Example] = field(default_factory=list)
    relearn: list[Example] = field(default_factory=list)
    holdout: list[Example] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)  # data source, licence, sizes

    def split(self, name: str) -> list[Example]:
        return getattr(self, name)


@dataclass(frozen=True)
class ImplantParams:
    """How the offline tiers fine-tune the behaviour in before unlearning."""

    epochs: int = 3
    lr: float = 1e-4
    batch_size: int = 8
    max_length: int = 256


@dataclass(frozen=True)
class RelearnRecipe:
    """How the relearning attack fine-tunes: `steps` steps at `lr` (None: the implant's learning rate), with
    `normal_share` of each batch's examples drawn from the normal split (0: relearn passages only)."""

    steps: int = 10
    lr: float | None = None
    normal_share: float = 0.0


class Task(ABC):
    """A task declares its splits (per tier), its data sources and its metrics."""

    name: ClassVar[str]
    description: ClassVar[str]
    version: ClassVar[int] = 1  # bump when data, prompts or scoring change: it is part of every run's config hash
    Options: ClassVar[type]  # a dataclass: split sizes, split seed, data paths; defaults per tier below
    tier_options: ClassVar[dict[str, dict[str, Any]]] = {}  # tier -> overrides of Options defaults
    metrics: ClassVar[tuple[MetricSpec, ...]]  # the task's forget/unseen metrics; the first is the primary
    max_new_tokens: ClassVar[int] = 64  # for forget/unseen generations; normal prompts use NORMAL_MAX_NEW_TOKENS
    implant_params: ClassVar[ImplantParams] = ImplantParams()
    relearn: ClassVar[RelearnRecipe] = RelearnRecipe()  # chosen on the controls: scripts/choose_relearn_recipe.py
    # A model whose controls reject `relearn` (the steps teach its pretrained self the forget behaviour, or erase
    # its implant) gets its own recipe, chosen the same way with --model: registered model name -> recipe.
    relearn_per_model: ClassVar[dict[str, RelearnRecipe]] = {}

    def relearn_recipe(self, model: str) -> RelearnRecipe:
        """The relearning recipe for a run on `model` (a registered name; any other model gets the task's own)."""
        return self.relearn_per_model.get(model, self.relearn)

    @property
    def primary_metric(self) -> str:
        """The headline forget metric: the first declared (the rule is results.primary_metric)."""
        return primary_metric([self.metrics[0].name], [spec.name for spec in self.metrics])

    def options(self, tier: str, overrides: dict[str, Any]) -> Any:
        from .params import with_overrides

        base = with_overrides(self.Options(), self.tier_options.get(tier, {}), f"task {self.name}")
        return with_overrides(base, overrides, f"task {self.name}")

    @abstractmethod
    def build_splits(self, tier: str, options: Any) -> Splits:
        """Deterministic splits for a tier ('tiny', 'mini' offline; 'paper' from the hub)."""

    def prepare(self, splits: Splits, options: Any) -> dict[str, Any]:
        """Set up judges (e.g. train a classifier); returns facts for the result file (e.g. its accuracy)."""
        return {}

    def generation_tokens(self, options: Any) -> int:
        """How many new tokens forget/unseen prompts get under these options (normal prompts get
        NORMAL_MAX_NEW_TOKENS); a task whose length is an option overrides this."""
        return self.max_new_tokens

    @abstractmethod
    def score(self, examples: list[Example], outputs: list[str], options: Any) -> dict[str, list[float | None]]:
        """Per-example values of each of the task's metrics for outputs on forget or unseen examples (one value
        per output, None where a metric does not apply); a split's metric is the mean of its values, and its
        95% interval is bootstrapped over these examples. `options` are the run's resolved task options (what
        `options()` returned): scoring reads its settings from them, never from state left by an earlier call."""

    @abstractmethod
    def reward(self, examples: list[Example], outputs: list[str], options: Any) -> list[float]:
        """A per-output reward for RL baselines (higher is better, i.e. less of the unwanted behaviour)."""


@dataclass
class MethodLog:
    """What a method reports: per-step losses, wall time, tokens processed, anything else useful."""

    steps: list[dict[str, float]] = field(default_factory=list)
    wall_time_s: float = 0.0
    tokens: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class MethodContext:
    """What a method receives besides the model and its params."""

    tokenizer: Any
    splits: Splits
    task: Task
    formatter: Any  # unlearn_bench.formatting.PromptFormatter: .prompt(example) and .suffix(example)
    reference: torch.nn.Module | None  # the original model, frozen; None unless the method needs it
    seed: int
    work_dir: str
    task_options: Any = None  # the run's task options, for task.reward
    gradient_checkpointing: bool = False  # recompute activations in the backward pass (memory for time)


@dataclass
class MethodOutput:
    model: torch.nn.Module
    log: MethodLog


class Method(ABC):
    """An unlearning method: one class in one file of methods/, registered by name."""

    name: ClassVar[str]
    description: ClassVar[str]
    version: ClassVar[int] = 1  # bump when the method's behaviour changes: it is part of every run's config hash
    Params: ClassVar[type]  # a dataclass whose defaults are the paper's hyperparameters
    tier_params: ClassVar[dict[str, dict[str, Any]]] = {}  # tier -> overrides sized for CPU; see unlearn_bench.budgets
    # The run hands the frozen reference (the original) to the method in `ctx.reference`. How its losses read it
    # (the model on the training device, or precomputed log-probabilities) is the `training.Loss`'s declaration.
    needs_reference: ClassVar[bool] = False

    def params(self, tier: str, overrides: dict[str, Any]) -> Any:
        """Params defaults, the tier's settings (a declared default, announced, where the method has none), --set."""
        from .budgets import method_params

        return method_params(self, tier, overrides)

    @abstractmethod
    def run(self, model: torch.nn.Module, ctx: MethodContext, params: Any) -> MethodOutput:
        """Unlearn; return the updated model (may be the same object) and the log."""
