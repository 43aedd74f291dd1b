"""How the CTranslate2 backend spreads batches over the CPU: one worker per core for translators."""
from __future__ import annotations

import pytest
from samples import SENTENCES

from viensum.backends import load_backend
from viensum.backends.ct2 import thread_layout
from viensum.registry import get_model

GREEDY = {"max_new_tokens": 8, "min_new_tokens": 3, "num_beams": 1}


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def test_translators_run_a_batch_per_core_and_summarisers_every_core_per_batch():
    assert thread_layout(get_model("opus-mt-vi-en"), 4) == (4, 1)
    assert thread_layout(get_model("envit5-translation"), 2) == (2, 1)
    assert thread_layout(get_model("vit5-base-vietnews"), 4) == (1, 4)
    assert thread_layout(get_model("mt5-crosssum-en"), 1) == (1, 1)


def test_all_batches_are_handed_over_before_any_result_is_read(tiny_store, monkeypatch):
    """Few inputs are split so every worker gets a batch; outputs stay those of one batch, in order."""
    backend = load_backend("opus-mt-vi-en", backend="ctranslate2", device="cpu")
    expected = backend.generate(SENTENCES, **GREEDY, batch_size=1)
    events = []
    real = backend.translator

    class Recorder:
        def translate_batch(self, tokens, **kw):
            assert kw.get("asynchronous") is True and "max_batch_size" not in kw
            events.append(("submit", len(tokens)))
            results = real.translate_batch(tokens, **kw)
            return [Pending(r) for r in results]

    class Pending:
        def __init__(self, inner):
            self.inner = inner

        def result(self):
            events.append(("read", 1))
            return self.inner.result()

    monkeypatch.setattr(backend, "translator", Recorder())
    monkeypatch.setattr(backend, "workers", 2)
    assert backend.generate(SENTENCES, **GREEDY, batch_size=64) == expected
    submits = [n for kind, n in events if kind == "submit"]
    assert len(submits) == 2 and sum(submits) == len(SENTENCES)  # one batch per worker, not one of 64
    assert [kind for kind, _ in events[:2]] == ["submit", "submit"]  # both queued before the first wait
