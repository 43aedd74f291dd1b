"""End to end with tiny random models: every recipe's real load-and-generate path on the seeds.

The tiny models write noise; these tests check the plumbing (store lookup,
tokenizer limits, prefixes, chat templates, batching, alignment), not quality.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from viensum.backends import load_backend
from viensum.extractive import extract
from viensum.generation import chunk_sentences
from viensum.registry import RECIPES, get_model
from viensum.summarize import clear_cache, summarize
from viensum.text import split_sentences
from viensum.translate import translate

pytestmark = pytest.mark.slow

REAL_RECIPES = sorted(name for name in RECIPES if not name.startswith("fake"))
GOLD = Path(__file__).resolve().parents[1] / "data" / "gold"
FAST = {"num_beams": 1, "max_new_tokens": 8}  # random weights never stop on their own


@pytest.fixture(autouse=True)
def offline(tiny_store, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("VIENSUM_MODELS_DIR", str(tiny_store))
    clear_cache()


@pytest.mark.parametrize("backend", ["transformers", "auto"])
@pytest.mark.parametrize("recipe", REAL_RECIPES)
def test_every_recipe_summarises_the_seeds(recipe, backend, seed_files):
    results = summarize([p.read_bytes() for p in seed_files], recipe, ids=[p.stem for p in seed_files],
                        backend=backend, **FAST)
    assert [r.id for r in results] == [p.stem for p in seed_files]
    spec = RECIPES[recipe]
    expected = {role: get_model(getattr(spec, role)).hub_id
                for role in ("summarizer_vi", "summarizer_en", "translator", "chat") if getattr(spec, role)}
    for r in results:
        assert r.ok, r.error
        assert r.recipe == recipe and r.models == expected
        engines = {role: get_model(getattr(spec, role)).architecture for role in expected}
        # "auto" runs the encoder-decoders CTranslate2 converts on CTranslate2, the rest on transformers
        assert r.settings["engines"] == {
            role: "ctranslate2" if backend == "auto" and arch in ("t5", "mt5", "marian") else "transformers"
            for role, arch in engines.items()}
        assert r.summary_vi.strip()
        if backend == "transformers":
            assert r.summary_en and r.summary_en.strip()
        assert r.chunks >= 1 and r.truncated is False
        assert r.article.paragraphs
        if r.article.title:
            assert r.title_en
    # int8 random weights may decode a sentence to nothing; over five articles some English must come out
    assert any(r.summary_en and r.summary_en.strip() for r in results)
    if recipe in ("extractive", "cross-lingual"):
        assert all(r.summary_vi == " ".join(extract(r.article, n=3)) for r in results)


def test_default_recipe_runs_when_its_models_are_installed(seed_files):
    r = summarize(seed_files[0].read_bytes(), **FAST)
    assert r.ok and r.recipe == "two-stage" and set(r.models) == {"summarizer_vi", "translator"}
    assert not any("not installed" in n for n in r.notes)


def test_full_translation_is_attached_and_aligned():
    text = (GOLD / "004_4e6816a5523f0c09.txt").read_text(encoding="utf-8")
    r = summarize(text, "extractive", clean=False, translate=True, num_beams=1)
    assert r.ok and r.translation is not None
    assert len(r.translation.paragraphs) == len(r.article.paragraphs)
    assert all(pair.en.strip() for pair in r.translation.paragraphs)
    assert r.translation.model == "Helsinki-NLP/opus-mt-vi-en (tiny random test model, output is noise)"
    assert "translator: Helsinki-NLP/opus-mt-vi-en (tiny random test model, output is noise)" in r.notes


@pytest.mark.parametrize("model", ["opus-mt-vi-en", "vinai-translate-vi2en"])
def test_translate_api_with_a_real_tokenizer(model):
    text = (GOLD / "004_4e6816a5523f0c09.txt").read_text(encoding="utf-8")
    result = translate(text, model, num_beams=1)
    title, *paragraphs = text.strip().split("\n\n")
    assert result.title_vi == title and result.title_en
    assert [p.vi for p in result.paragraphs] == paragraphs
    assert result.sentences == sum(len(split_sentences(p)) for p in paragraphs)


def test_long_article_chunks_fit_the_real_tokenizer_and_cover_every_sentence():
    texts = [p.read_text(encoding="utf-8") for p in sorted(GOLD.glob("*.txt"))]
    body = [p for t in texts for p in t.strip().split("\n\n")[1:]] * 2
    backend = load_backend("vit5-base-vietnews")
    sentences = [s for p in body for s in split_sentences(p)]

    def fits(text: str) -> bool:
        return backend.count_tokens(text) <= backend.max_input_tokens

    chunks, overflow = chunk_sentences(sentences, fits, backend.count_tokens, backend.max_input_tokens)
    assert len(chunks) > 1 and not overflow
    assert all(fits(" ".join(c)) for c in chunks)
    assert [s for c in chunks for s in c] == sentences

    r = summarize("Bài rất dài\n\n" + "\n\n".join(body), "two-stage", clean=False, **FAST)
    assert r.ok and r.chunks == len(chunks) and r.truncated is False

