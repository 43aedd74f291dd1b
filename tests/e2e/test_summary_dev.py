"""The offline Vietnamese summary (extractive) of the raw development pages against the hand-written
references in ../shared/cleaning-dev/refs, with floors over Lead-2 of the gold text.

The pages are read from the shared folder, never copied here; CI=true fails without it. The scores
come from benchmarks/clean_dev.py (one implementation: the benchmark's table is the same figures).
"""
from __future__ import annotations

import os
import statistics
from pathlib import Path

import pytest
from benchmark import load_benchmark

DEV = Path(os.environ.get("VIENSUM_SHARED") or Path(__file__).resolve().parents[2] / ".." / "shared") / "cleaning-dev"
# Issue 21: the offline summary from raw pages beats Lead-2 of the gold text by 3 ROUGE-1 points
# (measured 44.2 vs 38.4 with the CLI's 3 sentences). Two sentences, like the 1-2 sentence references:
# 41.2 vs 38.4, floor 2.5 points (the ranker before the fusion: 39.2 and 40.8).
MARGIN = {"n3": 3.0, "n2": 2.5}


def _bench():
    return load_benchmark("clean_dev")


@pytest.fixture(scope="module")
def scores() -> dict[str, dict[str, float]]:
    if not (DEV / "pages").is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the cleaning development set is missing: {DEV}")
        pytest.skip(f"no cleaning development set at {DEV}")
    bench = _bench()
    html, text, gold, refs = bench.load(DEV)
    raw = {**{nn: (r, "html") for nn, r in html.items()}, **{nn: (r, "text") for nn, r in text.items()}}
    out = bench.summary_scores(raw, gold, refs)
    assert len(out) == 13
    return out


@pytest.mark.parametrize("system", ["n3", "n2"])
def test_offline_summary_beats_lead2_of_the_gold(scores, system):
    ours = statistics.mean(s[system] for s in scores.values())
    lead = statistics.mean(s["lead"] for s in scores.values())
    assert ours >= lead + MARGIN[system], (system, round(ours, 1), round(lead, 1))
