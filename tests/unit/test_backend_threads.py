"""A backend shared across threads (the app runs two requests at once): the Hugging Face tokenizer's
padding/truncation state is per call, so concurrent count_tokens() and generate() never race; every
backend (transformers and CTranslate2) calls its tokenizer only while holding its tokenizer lock."""
from __future__ import annotations

import concurrent.futures
import threading

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


class LockWitness:
    """Stands in front of a backend's tokenizer and records every call made into it, and which of
    them were made while the backend's tokenizer lock was free (another thread could take it)."""

    def __init__(self, backend) -> None:
        self.backend, self.tokenizer, self.calls, self.unguarded = backend, backend.tokenizer, [], []

    def __getattr__(self, name: str):
        value = getattr(self.tokenizer, name)
        if not callable(value):
            return value

        def call(*args, **kwargs):
            self._witness(name)
            return value(*args, **kwargs)

        return call

    def __call__(self, *args, **kwargs):
        self._witness("__call__")
        return self.tokenizer(*args, **kwargs)

    def _witness(self, name: str) -> None:
        free = []

        def try_to_take() -> None:  # from another thread: the caller's own hold does not count for it
            lock = self.backend.tokenizer_lock
            if lock.acquire(blocking=False):
                free.append(True)
                lock.release()

        other = threading.Thread(target=try_to_take)
        other.start()
        other.join()
        self.calls.append(name)
        if free:
            self.unguarded.append(name)


@pytest.mark.parametrize(("name", "runtime"), [("opus-mt-vi-en", "transformers"), ("opus-mt-vi-en", "ctranslate2"),
                                               ("vit5-base-vietnews", "ctranslate2")])
def test_every_call_into_the_tokenizer_holds_the_backend_lock(tiny_store, name, runtime):
    options = {"backend": "ctranslate2", "dtype": "float32"} if runtime == "ctranslate2" else {}
    backend = load_backend(name, **options)
    witness = backend.tokenizer = LockWitness(backend)
    assert all(backend.generate([SENTENCES[0], " ".join(SENTENCES * 3)], max_new_tokens=3, num_beams=1))
    assert backend.count_tokens(SENTENCES[0]) > 0
    assert {"__call__", "decode"} <= set(witness.calls) or {"__call__", "batch_decode"} <= set(witness.calls)
    assert witness.unguarded == []
