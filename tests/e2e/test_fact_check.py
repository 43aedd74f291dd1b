"""The perturbation benchmark's floors (benchmarks/fact_check.py) on the references the project may use.

Reads seeds/refs with tests/data/gold and seeds/*.txt, and ../shared/cleaning-dev (third-party text,
read from there, never copied); the articles are the benchmark's default: the gold text with the
saved page's date, captions and credits as the cleaner reads them. In CI (CI=true) the shared folder must be there; elsewhere the test skips.
"""
from __future__ import annotations


import pytest
from benchmark import load_benchmark
from require import require

# floors: issue 25's targets for changed facts and for faithful references (measured 2026-12-03:
# changed 100% en / 99% vi, 0.0 problems per faithful reference in both languages: docs/CHECKING.md);
# the harder set at its measured level less a margin (moved numbers 47% en / 44% vi; swapped names 2 of 58)
CHANGED_FLOOR, KIND_FLOOR = 0.95, 0.90
FAITHFUL_CEILING = {"en": 0.10, "vi": 0.10}
MOVED_NUMBER_FLOOR = 0.35
SWAPPED_NAMES_CAUGHT = 1
NAIVE_FAITHFUL_EN = 5.0  # the naive presence check cries wolf far more often


@pytest.fixture(scope="module")
def bench():
    module = load_benchmark("fact_check")
    require((module.SHARED / "refs").is_dir(), f"no cleaning development set at {module.SHARED}")
    return module


@pytest.fixture(scope="module")
def tables(bench):
    cases = bench.cases()
    return (bench.summary_table(bench.run(bench.viensum_problems, cases)),
            bench.summary_table(bench.run(bench.naive_problems, cases)))


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_changed_facts_are_caught(tables, lang):
    row = tables[0][lang]
    caught, total = row["changed"]
    assert total >= 150 and caught / total >= CHANGED_FLOOR
    for kind in ("number", "date", "name"):
        c, t = row[kind]
        assert t >= 10 and c / t >= KIND_FLOOR, (kind, c, t)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_faithful_references_are_left_alone(tables, lang):
    assert tables[0][lang]["problems_per_faithful"] <= FAITHFUL_CEILING[lang]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_moved_numbers_are_caught_at_the_measured_level(tables, lang):
    caught, total = tables[0][lang]["move-number"]
    assert total >= 10 and caught / total >= MOVED_NUMBER_FLOOR


def test_some_swapped_names_are_caught(tables):
    assert sum(tables[0][lang]["swap-name"][0] for lang in ("en", "vi")) >= SWAPPED_NAMES_CAUGHT


def test_the_page_beside_the_article_is_what_a_user_checks_against(bench):
    """The default articles carry the page's captions and date lines; the gold text alone does not."""
    page = {id_: text for id_, _, text, _ in bench.load_pairs("page")}
    gold = {id_: text for id_, _, text, _ in bench.load_pairs("gold")}
    assert page.keys() == gold.keys() and sum(len(page[k]) > len(gold[k]) for k in page) >= 10


def test_better_than_the_naive_check(tables):
    ours, naive = tables
    assert naive["en"]["problems_per_faithful"] >= NAIVE_FAITHFUL_EN
    assert ours["en"]["problems_per_faithful"] < naive["en"]["problems_per_faithful"] / 10
    assert ours["vi"]["date"][0] > naive["vi"]["date"][0]
