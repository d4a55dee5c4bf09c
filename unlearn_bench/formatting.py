"""Prompt formats: the model's own chat template for instruct models, `### Question: ... ### Answer:` for base
models, and raw text for continuation examples (copyright), which set `Example.style = "raw"`.

Where an assistant turn ends is read from the chat template itself: render a user and an assistant message and
take what follows the answer (ChatML `<|im_end|>`, Gemma `<end_of_turn>`, Phi-3 `<|end|>`, Llama 3 `<|eot_id|>`).
Training answers end with that marker and generation stops at it, whatever the tokenizer calls its eos token.
"""

from __future__ import annotations

from dataclasses import dataclass

from .api import Example
from .errors import UsageError

STYLES = ("auto", "chat", "qa")
# Where an answer ends when the model does not emit its end-of-sequence token. A QA-style base model runs on into
# the next "### Question:" turn; chat models end their turn with a special token, raw text has no end.
STOP_STRINGS = {"qa": ("\n### Question", "\n### Answer", "### Question:"), "chat": (), "raw": ()}
# An answer no template would alter (no leading or trailing space, no markup): found again in the rendered text.
_PROBE_ANSWER = "Probe answer 7f3a9c."
_PROBE_QUESTION = "Probe question?"


def chat_turn_end(tokenizer, name: str = "this model") -> str:
    """The text an assistant turn ends with in the tokenizer's chat template, trailing whitespace dropped (the
    newline between turns is the next turn's business). A template that renders no assistant turn, or ends it with
    nothing, gets one line: a chat model's answers need an end the model can learn and generation can stop at."""
    messages = [{"role": "user", "content": _PROBE_QUESTION}, {"role": "assistant", "content": _PROBE_ANSWER}]
    try:
        rendered = tokenizer.apply_chat_template(messages, tokenize=False)
    except Exception as error:  # jinja raises its own errors for templates that refuse an assistant turn
        raise UsageError(f"the chat template of {name} cannot render an assistant turn ({error}); expected a template "
                         "with user and assistant roles, or use --prompt-style qa") from None
    at = rendered.rfind(_PROBE_ANSWER)
    if at < 0:
        raise UsageError(f"the chat template of {name} renders no assistant turn; expected a template with user and "
                         "assistant roles, or use --prompt-style qa")
    end = rendered[at + len(_PROBE_ANSWER):].rstrip()
    if not end:
        raise UsageError(f"the chat template of {name} ends an assistant turn with nothing; expected an end-of-turn "
                         "marker, or use --prompt-style qa")
    return end


def single_token_id(tokenizer, text: str) -> int | None:
    """The id of `text` when the tokenizer encodes it as exactly one token, else None."""
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    return ids[0] if len(ids) == 1 else None


@dataclass(frozen=True)
class PromptFormatter:
    tokenizer: object
    style: str  # the model's style for ordinary prompts: chat or qa
    turn_end: str = ""  # chat: what ends an assistant turn (from the template); qa: the eos token
    text_start: str = ""  # QA and raw prompts: the bos token of tokenizers that expect one (see `text_start`)

    def prompt(self, example: Example) -> str:
        """The model input text for an example's prompt."""
        if example.style == "raw":
            return self.text_start + example.prompt
        if self.style == "chat":
            messages = [{"role": "user", "content": example.prompt}]
            return self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        return f"{self.text_start}### Question: {example.prompt}\n### Answer: "

    def stop_strings(self, example: Example) -> tuple[str, ...]:
        """The stop strings of the example's prompt style."""
        return STOP_STRINGS["raw" if example.style == "raw" else self.style]

    def suffix(self, example: Example) -> str:
        """What ends a training answer: the end of the assistant turn, except for raw text that runs on."""
        return "" if example.style == "raw" else self.turn_end

    def stop_token_ids(self) -> list[int]:
        """Token ids generation stops at: the end of a turn (when it is one token) and the eos token."""
        ids = [single_token_id(self.tokenizer, self.turn_end) if self.turn_end else None,
               getattr(self.tokenizer, "eos_token_id", None)]
        return list(dict.fromkeys(i for i in ids if i is not None))


def text_start(tokenizer) -> str:
    """The bos token when the tokenizer puts one before every text it encodes (Gemma does; SmolLM2 does not).
    Prompts are encoded without special tokens everywhere (a chat template writes its own), so plain prompts carry
    it as text: without it Gemma 3 270M falls into repetition ("France. The The The")."""
    bos = getattr(tokenizer, "bos_token", None)
    if not bos:
        return ""
    starts = [tokenizer.bos_token_id]
    adds_bos = tokenizer("a")["input_ids"][:1] == starts
    return bos if adds_bos and tokenizer("a", add_special_tokens=False)["input_ids"][:1] != starts else ""


def make_formatter(tokenizer, requested: str = "auto", name: str = "this model") -> PromptFormatter:
    """Chat when the tokenizer has a chat template (instruct models), else the plain QA format."""
    if requested not in STYLES:
        raise UsageError(f"unknown prompt style {requested!r}; expected one of: {', '.join(STYLES)}")
    if requested == "auto":
        requested = "chat" if getattr(tokenizer, "chat_template", None) else "qa"
    if requested == "chat":
        if not getattr(tokenizer, "chat_template", None):
            raise UsageError(f"--prompt-style chat asked for, but {name} has no chat template; expected qa or auto")
        return PromptFormatter(tokenizer, requested, chat_turn_end(tokenizer, name), text_start(tokenizer))
    return PromptFormatter(tokenizer, requested, getattr(tokenizer, "eos_token", None) or "", text_start(tokenizer))
