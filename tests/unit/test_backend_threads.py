"""A backend shared across threads (the app runs two requests at once): the Hugging Face tokenizer's
padding/truncation state is per call, so concurrent count_tokens() and generate() never race."""
from __future__ import annotations

import concurrent.futures

import pytest
from samples import SENTENCES

from viensum.backends import load_backend
from viensum.registry import get_model
from viensum.tiny import tiny_names

THREADS = 8
CALLS = 40


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.mark.parametrize("name", [n for n in tiny_names() if get_model(n).family in ("seq2seq", "causal")][:3])
def test_concurrent_counting_and_generating_on_one_backend(tiny_store, name):
    backend = load_backend(name)
    long_text = " ".join(SENTENCES * 40)  # counting it takes a while, and needs no padding or truncation
    batch = [SENTENCES[0], " ".join(SENTENCES * 3)]  # two lengths: padding and truncation needed
    expected = backend.generate(batch, max_new_tokens=2, num_beams=1)
    count = backend.count_tokens(long_text)

    def work(k: int):
        out = []
        for i in range(CALLS):
            if (k + i) % 2:
                out.append(("count", backend.count_tokens(long_text)))
            else:
                out.append(("generate", backend.generate(batch, max_new_tokens=2, num_beams=1)))
        return out

    with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
        results = [r for rs in pool.map(work, range(THREADS)) for r in rs]  # any failure raises here
    assert all(value == (count if kind == "count" else expected) for kind, value in results)
