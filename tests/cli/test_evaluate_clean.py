"""viensum.evaluate_cleaning: word and paragraph P/R/F1 against gold article text, headline found."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from viensum.errors import InputError
from viensum.evaluate import evaluate_cleaning, load_cleaned, score_cleaning
from viensum.results import Article

ROOT = Path(__file__).resolve().parents[2]
GOLD_DIR = ROOT / "tests" / "data" / "gold"

# 9 words in 3 paragraphs: headline (3 words), body (4), body (2)
GOLD = "Tiêu đề bài\n\nMột hai ba bốn.\n\nNăm sáu."

# output, (word P, word R, word F1), (paragraph P, R, F1), headline found
CASES = [
    ("identical", GOLD, (1, 1, 1), (1, 1, 1), True),
    ("boilerplate kept", GOLD + "\n\nTin cùng chuyên mục", (9 / 13, 1, 18 / 22), (3 / 4, 1, 6 / 7), True),
    ("last paragraph lost", "Tiêu đề bài\n\nMột hai ba bốn.", (1, 7 / 9, 14 / 16), (1, 2 / 3, 0.8), True),
    ("headline lost", "Một hai ba bốn.\n\nNăm sáu.", (1, 6 / 9, 0.8), (1, 2 / 3, 0.8), False),
    ("nothing", "", (0, 0, 0), (0, 0, 0), False),
    ("NFD, spaces, single newlines", unicodedata.normalize("NFD", "Tiêu  đề bài\nMột hai ba bốn. \nNăm sáu."),
     (1, 1, 1), (1, 1, 1), True),
    ("paragraph repeated", GOLD + "\n\nNăm sáu.", (9 / 11, 1, 18 / 20), (3 / 4, 1, 6 / 7), True),
    ("paragraph reworded", "Tiêu đề bài\n\nMột hai ba bốn năm sáu.", (1, 1, 1), (1 / 2, 1 / 3, 0.4), True),
]


@pytest.mark.parametrize("name,output,word,para,headline", CASES, ids=[c[0] for c in CASES])
def test_hand_made_cases(name, output, word, para, headline):
    s = score_cleaning(output, GOLD)
    assert (s["word_precision"], s["word_recall"], s["word_f1"]) == pytest.approx(word)
    assert (s["para_precision"], s["para_recall"], s["para_f1"]) == pytest.approx(para)
    assert s["headline_found"] is headline


def test_report_averages_articles_and_accepts_articles():
    article = Article(title="Tiêu đề bài", paragraphs=["Một hai ba bốn.", "Năm sáu."])
    report = evaluate_cleaning({"a": article, "b": "Một hai ba bốn.\n\nNăm sáu."}, {"a": GOLD, "b": GOLD})
    assert report.ids == ["a", "b"]
    assert report.per_document[0]["word_f1"] == 1
    assert report.means["word_recall"] == pytest.approx((1 + 6 / 9) / 2)
    assert report.means["headline_found"] == 0.5
    assert "mean" in str(report) and json.loads(report.to_json())["means"]["para_recall"] == pytest.approx(5 / 6)


def test_mismatched_ids_are_listed():
    with pytest.raises(InputError) as err:
        evaluate_cleaning({"a": "x", "z": "y"}, {"a": "x", "b": "y"})
    assert "no gold text for: z" in str(err.value) and "no cleaner output for: b" in str(err.value)


def test_load_cleaned_reads_text_and_article_json(tmp_path):
    (tmp_path / "a.txt").write_text(GOLD, encoding="utf-8")
    art = Article(title="T", paragraphs=["P1", "P2"])
    (tmp_path / "b.json").write_text(json.dumps(art.to_dict()), encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    assert load_cleaned(tmp_path) == {"a": GOLD, "b": "T\n\nP1\n\nP2"}
    (tmp_path / "a.json").write_text(json.dumps(art.to_dict()), encoding="utf-8")
    with pytest.raises(InputError, match="both"):
        load_cleaned(tmp_path)


def test_raw_seeds_contain_all_gold_words_plus_boilerplate(seed_texts):
    # the gold is the article part of each page: raw pages recall it fully but are not precise
    report = evaluate_cleaning(seed_texts, load_cleaned(GOLD_DIR))
    assert len(report.ids) == 5
    assert report.means["word_recall"] == pytest.approx(1)
    assert all(d["word_precision"] < 1 for d in report.per_document)
    assert report.means["word_f1"] < 0.9
