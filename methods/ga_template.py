"""The seed paper's template variant (Yao, Xu, Liu 2023, arXiv 2310.10683, on template answers): the mismatch
term pairs the forget prompts with one fixed template answer, a refusal, instead of random unrelated answers;
gradient ascent on the forget answers and KL(original || current) on normal answers as in `ga_mismatch`.
Teaching one refusal is a stronger, more visible target than random text, at the price of the model answering
with that template elsewhere too."""

from dataclasses import dataclass

from unlearn_bench.errors import UsageError
from unlearn_bench.registry import register_method

from .ga import GA_BUDGETS
from .ga_mismatch import GradientAscentMismatch


@register_method
class GradientAscentTemplate(GradientAscentMismatch):
    name = "ga_template"
    description = "gradient ascent + a fixed refusal as the mismatch answer + KL to the original on normal data"
    tier_params = GA_BUDGETS

    @dataclass(frozen=True)
    class Params(GradientAscentMismatch.Params):
        template: str = "I can't help with that."

    def alternatives(self, ctx, params) -> list[str]:
        if not params.template.strip():
            raise UsageError("bad ga_template option template=''; expected a non-empty answer text")
        return [params.template]
