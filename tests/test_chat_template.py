"""Chat formatting from the model's own template: where an assistant turn ends, the repair of broken special-token
metadata (transformers 5.17 loads SmolLM2's GGUF with eos `<|im_start|>` and no pad token), and the embedded
model's prompts and training texts kept byte for byte."""

from __future__ import annotations

import copy

import pytest
import torch

from unlearn_bench.api import Example
from unlearn_bench.errors import UsageError
from unlearn_bench.formatting import chat_turn_end, make_formatter
from unlearn_bench.models import repair_special_tokens
from unlearn_bench.training import encode

from conftest import make_tiny_model

SMOLLM_PROMPT = ("<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
                 "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n")

GEMMA_STYLE = ("{{ bos_token }}{% for m in messages %}<start_of_turn>{{ 'model' if m['role'] == 'assistant' else "
               "m['role'] }}\n{{ m['content'] }}<end_of_turn>\n{% endfor %}"
               "{% if add_generation_prompt %}<start_of_turn>model\n{% endif %}")
PHI3_STYLE = ("{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}<|end|>\n{% endfor %}"
              "{% if add_generation_prompt %}<|assistant|>\n{% endif %}")
LLAMA3_STYLE = ("{{ bos_token }}{% for m in messages %}<|start_header_id|>{{ m['role'] }}<|end_header_id|>\n\n"
                "{{ m['content'] }}<|eot_id|>{% endfor %}"
                "{% if add_generation_prompt %}<|start_header_id|>assistant<|end_header_id|>\n\n{% endif %}")
TEXT_AFTER_MARKER = ("{% for m in messages %}[{{ m['role'] }}] {{ m['content'] }}</turn> -- end\n\n{% endfor %}"
                     "{% if add_generation_prompt %}[assistant] {% endif %}")


def with_template(tokenizer, template: str):
    tok = copy.deepcopy(tokenizer)
    tok.chat_template = template
    return tok


def test_smollm2_prompts_and_training_texts_stay_byte_identical(tokenizer):
    formatter = make_formatter(tokenizer)
    example = Example("What is the capital of France?", "Paris.")
    assert formatter.style == "chat" and formatter.prompt(example) == SMOLLM_PROMPT
    assert formatter.suffix(example) == "<|im_end|>" == tokenizer.eos_token
    batch = encode(tokenizer, formatter, [example], max_length=256)
    text = tokenizer.decode(batch["input_ids"][0][batch["attention_mask"][0].bool()])
    assert text == SMOLLM_PROMPT + "Paris.<|im_end|>"
    answer = batch["input_ids"][0][batch["labels"][0] != -100]
    assert tokenizer.decode(answer) == "Paris.<|im_end|>"
    assert formatter.stop_token_ids() == [tokenizer.convert_tokens_to_ids("<|im_end|>")]
    raw = Example("It was a dark", "and stormy night", style="raw")
    assert formatter.suffix(raw) == "" and formatter.prompt(raw) == "It was a dark"


@pytest.mark.parametrize("template, end", [
    (GEMMA_STYLE, "<end_of_turn>"), (PHI3_STYLE, "<|end|>"), (LLAMA3_STYLE, "<|eot_id|>"),
    (TEXT_AFTER_MARKER, "</turn> -- end"),
])
def test_the_end_of_a_turn_is_read_from_the_template(tokenizer, template, end):
    tok = with_template(tokenizer, template)
    assert chat_turn_end(tok) == end
    formatter = make_formatter(tok)
    assert formatter.suffix(Example("q", "a")) == end
    # the marker is no token of SmolLM2's vocabulary: generation stops at eos, and stop ids never hold None
    assert formatter.stop_token_ids() == [tok.eos_token_id]


@pytest.mark.parametrize("template, message", [
    ("{% for m in messages %}{% if m['role'] == 'user' %}{{ m['content'] }}{% endif %}{% endfor %}",
     "renders no assistant turn"),
    ("{% for m in messages %}{% if m['role'] == 'assistant' %}{{ raise_exception('user turns only') }}{% endif %}"
     "{{ m['content'] }}{% endfor %}", "cannot render an assistant turn"),
    ("{% for m in messages %}{{ m['content'] }}\n{% endfor %}", "ends an assistant turn with nothing"),
])
def test_a_template_without_a_usable_assistant_turn_gets_one_line(tokenizer, template, message):
    with pytest.raises(UsageError, match=message) as error:
        make_formatter(with_template(tokenizer, template), name="'my/model'")
    assert "\n" not in str(error.value) and "'my/model'" in str(error.value)


def test_chat_style_without_a_template_is_refused(tokenizer):
    tok = with_template(tokenizer, None)
    assert make_formatter(tok).style == "qa"
    with pytest.raises(UsageError, match="has no chat template"):
        make_formatter(tok, "chat")


def broken_like_transformers_5_17(tokenizer):
    """The embedded tokenizer and a tiny model with the metadata transformers 5.17 gives SmolLM2's GGUF."""
    tok = copy.deepcopy(tokenizer)
    tok.eos_token = "<|im_start|>"
    tok.pad_token = None
    model = make_tiny_model(tokenizer)
    start = tok.convert_tokens_to_ids("<|im_start|>")
    model.config.eos_token_id = model.generation_config.eos_token_id = start
    model.config.pad_token_id = model.generation_config.pad_token_id = None
    return tok, model


def test_broken_special_tokens_are_repaired_from_the_template(tokenizer):
    tok, model = broken_like_transformers_5_17(tokenizer)
    assert tok.pad_token is None and tok.eos_token == "<|im_start|>"
    repairs = repair_special_tokens(tok, model, "smollm2-135m-instruct")
    end = tok.convert_tokens_to_ids("<|im_end|>")
    assert repairs == ["eos '<|im_start|>' -> '<|im_end|>'", "pad None -> '<|im_end|>'"]
    assert (tok.eos_token, tok.pad_token, tok.padding_side) == ("<|im_end|>", "<|im_end|>", "left")
    assert model.config.eos_token_id == end and model.config.pad_token_id == end
    assert model.generation_config.eos_token_id == end and model.generation_config.pad_token_id == end
    # trained and prompted exactly like the correctly loaded model
    fixed, right = make_formatter(tok), make_formatter(tokenizer)
    example = Example("What is the capital of France?", "Paris.")
    assert fixed.prompt(example) == right.prompt(example) and fixed.suffix(example) == right.suffix(example)
    assert torch.equal(encode(tok, fixed, [example], 64)["input_ids"], encode(tokenizer, right, [example], 64)["input_ids"])


def test_correct_metadata_is_left_alone(tokenizer):
    tok = copy.deepcopy(tokenizer)
    model = make_tiny_model(tokenizer)
    assert repair_special_tokens(tok, model, "smollm2-135m-instruct") == []
    assert tok.eos_token == tokenizer.eos_token and tok.pad_token == tokenizer.pad_token


def test_metadata_that_cannot_be_repaired_stops_loading(tokenizer):
    """eos starts every turn and the turn's end marker is several tokens: no token to repair it with."""
    template = ("{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}[END OF TURN]\n{% endfor %}"
                "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")
    tok, model = broken_like_transformers_5_17(tokenizer)
    tok.chat_template = template
    with pytest.raises(UsageError, match=r"eos token '<\|im_start\|>' is not the end of a chat turn"):
        repair_special_tokens(tok, model, "odd/model")


def test_the_gemma_style_end_of_turn_joins_the_stop_ids_when_it_is_one_token(tokenizer):
    tok = with_template(tokenizer, GEMMA_STYLE)
    tok.add_special_tokens({"additional_special_tokens": ["<end_of_turn>"]})
    formatter = make_formatter(tok)
    assert formatter.stop_token_ids() == [tok.convert_tokens_to_ids("<end_of_turn>"), tok.eos_token_id]


class BosAddingTokenizer:
    """Encodes like Gemma's tokenizer: a bos id first unless special tokens are off; no chat template."""

    bos_token, bos_token_id, eos_token, eos_token_id, chat_template = "<bos>", 2, "<eos>", 1, None

    def __call__(self, text, add_special_tokens=True):
        ids = [ord(ch) for ch in text.replace("<bos>", "\x02")]
        return {"input_ids": ([self.bos_token_id] if add_special_tokens else []) + ids}


def test_plain_prompts_carry_the_bos_token_a_tokenizer_expects(tokenizer):
    gemma_like = make_formatter(BosAddingTokenizer())
    assert gemma_like.style == "qa" and gemma_like.text_start == "<bos>"
    assert gemma_like.prompt(Example("Why?", "")) == "<bos>### Question: Why?\n### Answer: "
    assert gemma_like.prompt(Example("It was a dark", "", style="raw")) == "<bos>It was a dark"
    assert gemma_like.suffix(Example("Why?", "")) == "<eos>" and gemma_like.stop_token_ids() == [1]
    # SmolLM2 encodes no bos by itself: its prompts stay as they were
    assert make_formatter(tokenizer).text_start == "" and make_formatter(tokenizer, "qa").prompt(
        Example("Why?", "")) == "### Question: Why?\n### Answer: "
