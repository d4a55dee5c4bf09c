"""The paper's SFT baseline: fine-tune on the normal (remaining) data only, never looking at the forget set."""

from dataclasses import dataclass

from unlearn_bench.api import Method, MethodOutput
from unlearn_bench.budgets import GRADIENT_BUDGETS
from unlearn_bench.registry import register_method
from unlearn_bench.training import Objective, TrainParams, train


@register_method
class SupervisedFineTuning(Method):
    name = "sft"
    description = "fine-tune on the normal data only"
    tier_params = GRADIENT_BUDGETS

    @dataclass(frozen=True)
    class Params(TrainParams):
        pass

    def run(self, model, ctx, params):
        trained, log = train(model, ctx.tokenizer, ctx.formatter, ctx.splits.normal, Objective(normal=1.0), params,
                             seed=ctx.seed, work_dir=ctx.work_dir)
        return MethodOutput(trained, log)
