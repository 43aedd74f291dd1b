"""A bounded burst against the real app on loopback (benchmarks/load_app.py, with fewer requests).

Every request must end as an answer or as Gradio's "queue is full" refusal: no
error, no timeout, no hang. The memory figures are the benchmark's business
(docs/RELIABILITY.md), not asserted here.
"""
from __future__ import annotations


import pytest
from benchmark import load_benchmark


pytestmark = pytest.mark.slow


def _load_app_module():
    return load_benchmark("load_app")


def test_a_burst_beyond_the_queue_is_answered_or_refused_cleanly(tiny_store, tmp_path):
    from viensum.ui import CONCURRENCY_LIMIT, QUEUE_SIZE

    load_app = _load_app_module()
    requests = QUEUE_SIZE + CONCURRENCY_LIMIT + 6  # more than the app takes in at once
    with load_app.serving(tiny_store, tmp_path / "server.log") as (url, pid):
        assert url.startswith("http://127.0.0.1:")
        result = load_app.run_load(url, pid, load_app.seed_articles(), requests, "two-stage",
                                   timeout=240, settle=1)
    assert result["failed"] == 0 and result["timed out"] == 0, result["problems"]
    assert result["answered"] + result["refused"] == requests
    assert result["answered"] >= CONCURRENCY_LIMIT
    assert result["rss_mb"]["start"] > 0 and len(result["rss_mb"]["after"]) == 1
    assert "refused (queue full)" in load_app.summary_line(result)
