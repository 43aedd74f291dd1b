"""benchmarks/run.py's reporting: the README's figure table is generated from a run's figures."""
from __future__ import annotations

from pathlib import Path

import pytest
from benchmark import load_benchmark

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def run():
    return load_benchmark("run")


def _variant(rate: float, rss: float, seconds: float = 1.0) -> dict:
    return {"items": 62, "median_s": seconds, "max_s": seconds * 1.1, "cpu_per_item": 1 / rate, "rate": rate,
            "min_rate": rate * 0.9, "max_rate": rate * 1.1, "load_s": 1.0, "choice": None, "peak_rss_mb": rss}


RESULTS = [
    {"workload": "translate-5", "task": "translate", "articles": 5, "reps": 3, "load_before": 0.1, "load_after": 1.9,
     "variants": {"peer": _variant(10.0, 630), "viensum": _variant(13.0, 554),
                  "tuned": {**_variant(12.0, 600), "choice": {"chosen": "examples 16", "grid_items": 62,
                                                              "grid_s": {"examples 16": 5.1, "tokens 2048": 5.3}}}}},
    {"workload": "summarize-1", "task": "summarize", "articles": 1, "reps": 5, "load_before": 1.0, "load_after": 1.5,
     "variants": {"speer": _variant(0.2, 900, 5.0), "viensum": _variant(0.25, 560, 4.0)}},
]
INFO = {"cpus": 2, "cpu": "AMD EPYC", "ram_gib": 24, "python": "3.11", "torch": "2.13", "transformers": "5.24",
        "ctranslate2": "4.8.5", "load_start": 0.1, "load_end": 1.5, "started": "2026-12-03 10:25 UTC",
        "minutes": 20.0}


def test_the_figure_table_is_the_runs_figures(run):
    table = run.summary_table(RESULTS, INFO, "python benchmarks/run.py --quick")
    rows = {line.split(" | ")[0].strip("| "): line for line in table.splitlines() if line.startswith("| full")
            or line.startswith("| summary")}
    translation, summary = rows["full translation, 5 articles (62 segments)"], rows["summary of one article (default recipe)"]
    assert "13 segments/s" in translation and "12 segments/s (1.08x)" in translation
    assert "10 segments/s (1.30x)" in translation and "554" in translation
    assert "4.00 s (max 4.40)" in summary and "(1.25x)" in summary
    assert "python benchmarks/run.py --quick" in table and "load average 0.10 before" in table
    report = run.report(RESULTS, INFO, "python benchmarks/run.py --quick")
    assert "-> **examples 16**" in report and "| translate-5 | 0.10/1.90 | 1.08x (1.08x)" in report


def test_write_replaces_only_the_block(run, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\nbefore\n{run.BEGIN}\nold table\n{run.END}\nafter\n", encoding="utf-8")
    run.write_block(readme, "new table\n")
    assert readme.read_text(encoding="utf-8") == f"# x\nbefore\n{run.BEGIN}\nnew table\n{run.END}\nafter\n"


def test_write_refuses_a_file_without_the_block_and_leaves_it_alone(run, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# no block here\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="bench:begin"):
        run.write_block(readme, "new table\n")
    assert readme.read_text(encoding="utf-8") == "# no block here\n"


def test_the_readme_holds_the_block(run):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.count(run.BEGIN) == 1 and text.count(run.END) == 1


def test_saved_runs_merge_into_one_table(run):
    first = {"machine": {**INFO, "command": "python benchmarks/run.py --only translate-5"}, "results": RESULTS[:1]}
    second = {"machine": {**INFO, "command": "python benchmarks/run.py --only summarize-1", "load_end": 0.7,
                          "minutes": 5.0}, "results": RESULTS[1:]}
    info, results = run.merge_runs([first, second])
    assert [r["workload"] for r in results] == ["translate-5", "summarize-1"]
    assert info["command"] == "python benchmarks/run.py --only translate-5; python benchmarks/run.py --only summarize-1"
    assert (info["load_start"], info["load_end"], info["minutes"]) == (0.1, 0.7, 25.0)


def test_any_size_of_workload_can_be_asked_for_by_name(run):
    w = run.sized("summarize-20", None)
    assert (w.task, w.articles, w.naive_items, w.reps, w.variants) == ("summarize", 20, 0, 2, ("speer", "viensum"))
    assert run.sized("translate-7", 3).variants == ("peer", "tuned", "viensum") and run.sized("translate-7", 3).reps == 3
    for bad in ("summarise-20", "translate-0", "translate-x", "summarize"):
        with pytest.raises(SystemExit, match="unknown workload"):
            run.sized(bad, None)
