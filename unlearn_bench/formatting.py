"""Prompt formats: the chat template for instruct models, `### Question: ... ### Answer:` for base models,
and raw text for continuation examples (copyright), which set `Example.style = "raw"`."""

from __future__ import annotations

from dataclasses import dataclass

from .api import Example
from .errors import UsageError

STYLES = ("auto", "chat", "qa")
# Where an answer ends when the model does not emit its end-of-sequence token. A QA-style base model runs on into
# the next "### Question:" turn; chat models end their turn with a special token, raw text has no end.
STOP_STRINGS = {"qa": ("\n### Question", "\n### Answer", "### Question:"), "chat": (), "raw": ()}


@dataclass(frozen=True)
class PromptFormatter:
    tokenizer: object
    style: str  # the model's style for ordinary prompts: chat or qa

    def prompt(self, example: Example) -> str:
        """The model input text for an example's prompt."""
        if example.style == "raw":
            return example.prompt
        if self.style == "chat":
            messages = [{"role": "user", "content": example.prompt}]
            return self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        return f"### Question: {example.prompt}\n### Answer: "

    def stop_strings(self, example: Example) -> tuple[str, ...]:
        """The stop strings of the example's prompt style."""
        return STOP_STRINGS["raw" if example.style == "raw" else self.style]

    def suffix(self, example: Example) -> str:
        """What ends a training answer: the end-of-turn token, except for raw text that runs on."""
        return "" if example.style == "raw" else (self.tokenizer.eos_token or "")


def make_formatter(tokenizer, requested: str = "auto") -> PromptFormatter:
    """Chat when the tokenizer has a chat template (instruct models), else the plain QA format."""
    if requested not in STYLES:
        raise UsageError(f"unknown prompt style {requested!r}; expected one of: {', '.join(STYLES)}")
    if requested == "auto":
        requested = "chat" if getattr(tokenizer, "chat_template", None) else "qa"
    return PromptFormatter(tokenizer, requested)
