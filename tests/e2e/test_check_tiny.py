"""Summaries of the tiny real models carry per-sentence sources and checks, in the records users get."""
from __future__ import annotations

import json

import pytest

from viensum.render import summaries_jsonl
from viensum.summarize import clear_cache, summarize
from viensum.text import split_sentences

pytestmark = pytest.mark.slow

FAST = {"num_beams": 1, "max_new_tokens": 12, "runtime": "transformers"}


@pytest.fixture(autouse=True)
def offline(tiny_store, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("VIENSUM_MODELS_DIR", str(tiny_store))
    clear_cache()


@pytest.mark.parametrize("recipe", ["extractive", "two-stage"])
def test_records_carry_sources_and_checks(recipe, seed_files):
    results = summarize([p.read_bytes() for p in seed_files], recipe, ids=[p.stem for p in seed_files], **FAST)
    records = [json.loads(line) for line in summaries_jsonl(results).splitlines()]
    for summary, record in zip(results, records):
        assert summary.ok, summary.error
        assert [c["text"] for c in record["checks_vi"]] == split_sentences(summary.summary_vi)
        assert [c["text"] for c in record["checks_en"]] == split_sentences(summary.summary_en or "")
        for check in record["checks_vi"] + record["checks_en"]:
            assert {"text", "sources", "problems", "method", "unchecked", "repaired"} <= check.keys()
            # a sentence either rests on the article or says that nothing supports it
            assert check["sources"] or any(p["kind"] in ("unsupported", "number", "date", "name")
                                           for p in check["problems"])
        assert "check" in summary.timings
        if recipe == "extractive":  # copied sentences: exact, never empty; English through its Vietnamese
            assert all(c["method"] == "exact" and c["sources"] for c in record["checks_vi"])
            paragraphs = summary.article.paragraphs
            for c in record["checks_vi"]:
                assert c["text"] in paragraphs[c["sources"][0]["paragraph"]]
            assert all(c["method"] == "translation" and c["sources"] for c in record["checks_en"])
        else:  # random weights write noise: the English rests where its Vietnamese sentence rests
            vi_sources = [c["sources"] for c in record["checks_vi"]]
            assert all(c["method"] == "translation" and c["sources"] in vi_sources for c in record["checks_en"])
