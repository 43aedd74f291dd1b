"""Greedy mode (``num_beams=1`` / ``--beams 1``) reaches the models on both runtimes, through the public API.

The registered models default to beam search (4 beams); greedy is the
output-changing fast mode measured apart in benchmarks/modes.py. These tests
would fail if the setting were dropped on the way: the engines are asked what
they received, and greedy output is checked against a hand-written argmax loop.
"""
from __future__ import annotations

import pytest
from samples import SENTENCES

from viensum.backends import clear_cache as forget_backends
from viensum.backends import load_backend
from viensum.results import Article
from viensum.summarize import clear_cache, summarize
from viensum.text import split_sentences
from viensum.translate import translate

pytestmark = pytest.mark.slow

ARTICLE = Article(title=SENTENCES[0], paragraphs=[" ".join(SENTENCES[1:3]), " ".join(SENTENCES[3:])])


@pytest.fixture(autouse=True)
def offline(tiny_store, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("VIENSUM_MODELS_DIR", str(tiny_store))
    clear_cache()
    forget_backends()
    yield
    clear_cache()  # no backend wrapped by a spy below outlives its test
    forget_backends()


def greedy_by_hand(backend, text: str) -> str:
    """Greedy decoding written out: argmax of the next-token logits, <pad> banned (the checkpoint's
    bad_words_ids), </s> forced on the last step (Marian's forced_eos_token_id)."""
    import torch

    model, tok = backend.model, backend.tokenizer
    steps = model.generation_config.max_new_tokens  # the tiny model's cap, below the spec's 256
    eos, pad = model.config.eos_token_id, model.config.pad_token_id
    enc = tok([text], return_tensors="pt")
    out = [model.config.decoder_start_token_id]
    with torch.inference_mode():
        for step in range(steps):
            logits = model(**enc, decoder_input_ids=torch.tensor([out])).logits[0, -1]
            logits[pad] = -float("inf")
            out.append(eos if step == steps - 1 else int(logits.argmax()))
            if out[-1] == eos:
                break
    return tok.decode(out[1:], skip_special_tokens=True).strip()


def test_greedy_translation_is_the_argmax_loop_and_differs_from_the_beams():
    greedy = translate(ARTICLE, num_beams=1, runtime="transformers")
    backend = load_backend("opus-mt-vi-en", backend="transformers")
    assert greedy.title_en == greedy_by_hand(backend, ARTICLE.title)
    for pair in greedy.paragraphs:
        assert pair.en == " ".join(greedy_by_hand(backend, s) for s in split_sentences(pair.vi))
    beams = translate(ARTICLE, runtime="transformers")  # the default: 4 beams
    assert [p.en for p in beams.paragraphs] + [beams.title_en] != [p.en for p in greedy.paragraphs] + [greedy.title_en]


@pytest.mark.parametrize("runtime", ["transformers", "ctranslate2"])
def test_each_engine_receives_the_beam_width_asked_for(runtime, monkeypatch):
    """summarize() with --beams 1 gives the summariser and the translator beam 1; by default they get 4."""
    seen: list[int] = []
    if runtime == "transformers":
        from transformers import GenerationMixin

        real = GenerationMixin.generate

        def spy(self, *args, **kwargs):
            seen.append(kwargs.get("num_beams"))
            return real(self, *args, **kwargs)

        monkeypatch.setattr(GenerationMixin, "generate", spy)
    else:
        import ctranslate2

        class Translator:  # CTranslate2's Translator, recording each call's beam_size
            def __init__(self, *args, **kwargs):
                self._real = real(*args, **kwargs)

            def translate_batch(self, tokens, **kwargs):
                seen.append(kwargs.get("beam_size"))
                return self._real.translate_batch(tokens, **kwargs)

            def __getattr__(self, name):
                return getattr(self._real, name)

        real = ctranslate2.Translator
        monkeypatch.setattr(ctranslate2, "Translator", Translator)
    fast = {"max_new_tokens": 8, "translate": True, "cache": False, "runtime": runtime}
    greedy = summarize(ARTICLE, num_beams=1, **fast)
    assert greedy.ok and greedy.summary_en and greedy.settings["engines"]
    greedy_calls, seen[:] = list(seen), []
    default = summarize(ARTICLE, **fast)
    assert set(greedy_calls) == {1} and set(seen) == {4}
    # summariser and translator both called (the full translation too): several calls each time
    assert len(greedy_calls) >= 3 and len(seen) >= 3
    # and the output changes (the short summaries may come out alike; the full translation does not)
    assert [p.en for p in default.translation.paragraphs] != [p.en for p in greedy.translation.paragraphs]
