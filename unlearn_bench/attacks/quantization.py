"""quant8, quant4, quant4_g32: round-to-nearest weight quantization of the unlearned model, then re-measure.

4-bit with groups of 128 damages the 135M default model by itself (the `none` control loses much of its implanted
behaviour), so a milder 4-bit variant with groups of 32 sits beside it; every quantization reports its control.
Relative RMS error over the default model's quantized weights, sum((q - w)^2) / sum(w^2) under the root: quant8 0.85%,
quant4_g32 10.1%, quant4 12.4% (for scale: 4-bit in groups of 8 7.2%, 5-bit in groups of 32 4.7%)."""

from __future__ import annotations

import copy
from typing import ClassVar

import torch

from . import ControlledAttack, register_attack, remeasure_specs
from .relearn import release, remeasure, variant


def fake_quantize(weight: torch.Tensor, bits: int, group_size: int | None = None) -> torch.Tensor:
    """Symmetric round-to-nearest quantize-dequantize of a 2-D weight (out_features x in_features).

    Each group of `group_size` consecutive input weights of a row (the whole row when None: per output channel)
    shares one scale max|w| / (2^(bits-1) - 1); values are rounded to the integer grid [-qmax, qmax] and mapped
    back. A row whose length is not a multiple of the group size is zero-padded (zeros never raise a max).
    An all-zero group keeps scale 1 and stays zero.
    """
    if bits < 2 or weight.dim() != 2 or (group_size is not None and group_size < 1):
        raise ValueError(f"need bits >= 2, a 2-D weight and a positive group size, got bits={bits}, "
                         f"shape={tuple(weight.shape)}, group_size={group_size}")
    rows, cols = weight.shape
    size = cols if group_size is None else group_size
    padded = torch.nn.functional.pad(weight.float(), (0, (-cols) % size)).reshape(rows, -1, size)
    qmax = 2 ** (bits - 1) - 1
    scale = padded.abs().amax(dim=-1, keepdim=True) / qmax
    scale = torch.where(scale > 0, scale, torch.ones_like(scale))
    grid = torch.clamp(torch.round(padded / scale), -qmax, qmax)
    return (grid * scale).reshape(rows, -1)[:, :cols].to(weight.dtype)


def quantized_linears(model: torch.nn.Module) -> list[torch.nn.Linear]:
    """The layers the probes quantize: every nn.Linear except the output head (often tied to the input
    embedding); embeddings, norms and biases stay in float."""
    head = model.get_output_embeddings() if hasattr(model, "get_output_embeddings") else None
    return [m for m in model.modules() if isinstance(m, torch.nn.Linear) and m is not head]


@torch.no_grad()
def quantize_linear_weights(model: torch.nn.Module, bits: int, group_size: int | None) -> int:
    """Quantize the weights of quantized_linears(model) in place. Returns the number of layers quantized."""
    layers = quantized_linears(model)
    for layer in layers:
        layer.weight.copy_(fake_quantize(layer.weight, bits, group_size))
    return len(layers)


class Quantization(ControlledAttack):
    bits: ClassVar[int]
    group_size: ClassVar[int | None]

    @property
    def what(self) -> str:
        groups = "per output channel" if self.group_size is None else f"groups of {self.group_size}"
        return f"{self.bits}-bit weight quantization ({groups})"

    def settings(self, ctx):
        return [self.name, self.bits, self.group_size]

    def own_metrics(self, ctx):
        return remeasure_specs(ctx.primary, f"{self.bits}-bit weight quantization")

    def measure(self, ctx, model, control):
        weights = copy.deepcopy(model.model)
        quantize_linear_weights(weights, self.bits, self.group_size)
        quantized = variant(model, self.name, weights)
        try:
            return remeasure(ctx, quantized, control)
        finally:
            del weights, quantized
            release()


@register_attack
class Quant8(Quantization):
    name = "quant8"
    bits, group_size = 8, None
    description = ("8-bit symmetric round-to-nearest, one scale per output channel, on every Linear weight but the "
                   "output head (embeddings, norms stay float); re-measure forget and unseen")


@register_attack
class Quant4(Quantization):
    name = "quant4"
    bits, group_size = 4, 128
    description = ("4-bit symmetric round-to-nearest, one scale per group of 128 input weights, on every Linear "
                   "weight but the output head (embeddings, norms stay float); re-measure forget and unseen")


@register_attack
class Quant4G32(Quantization):
    name = "quant4_g32"
    bits, group_size = 4, 32
    description = ("4-bit as quant4 but one scale per group of 32 input weights: milder where quant4 damages the "
                   "model by itself (relative RMS weight error 10.1% against quant4's 12.4% on SmolLM2-135M-Instruct; "
                   "quant8's is 0.85%)")
