"""The identity: evaluates the original model (after implanting, on the offline tiers) as the reference row."""

from dataclasses import dataclass

from unlearn_bench.api import Method, MethodLog, MethodOutput
from unlearn_bench.registry import register_method


@register_method
class NoUnlearning(Method):
    name = "none"
    description = "no unlearning: the original model, the row every method is compared with"

    @dataclass(frozen=True)
    class Params:
        pass

    def run(self, model, ctx, params):
        return MethodOutput(model, MethodLog())
