"""``viensum evaluate`` reports the share of summary sentences with a source and the problems per summary."""
from __future__ import annotations

import json

import viensum
from viensum.cli import main

# written for these tests
ARTICLE = ("Chứng khoán tăng mạnh\n\nVN-Index tăng 25,36 điểm lên 1.853,08 điểm.\n\n"
           "Khối ngoại mua ròng 1,5 tỷ đồng, nhiều nhất là VIC.")
GOOD = "The VN-Index rose 25.36 points to 1,853.08. Foreign investors bought 1.5 billion dong, mostly VIC."
BAD = "The VN-Index rose 27.36 points to 1,853.08. Foreign investors bought 1.5 billion dong, mostly VIC."
NONE = "Markets were calm."


def test_evaluate_reports_sources_and_problems():
    report = viensum.evaluate({"a": GOOD, "b": BAD, "c": NONE}, {"a": GOOD, "b": GOOD, "c": GOOD}, lang="en",
                              sources={"a": ARTICLE, "b": ARTICLE, "c": ARTICLE}, bootstrap=0)
    docs = {d["id"]: d for d in report.per_document}
    assert (docs["a"]["sourced"], docs["a"]["problems"]) == (100.0, 0)
    assert (docs["b"]["sourced"], docs["b"]["problems"]) == (100.0, 1)
    assert (docs["c"]["sourced"], docs["c"]["problems"]) == (0.0, 0)  # nothing to align an English sentence by
    assert report.means["sourced"] == 80.0 and report.means["problems"] == round(1 / 3, 3)
    assert any(n.startswith("viensum.check on 3 summaries: 80% of their sentences have a source") for n in report.notes)


def test_without_articles_nothing_is_claimed():
    report = viensum.evaluate({"a": GOOD}, {"a": GOOD}, lang="en", bootstrap=0)
    assert "sourced" not in report.means and not any("viensum.check" in n for n in report.notes)


def test_the_summarize_jsonl_carries_its_articles(tmp_path, capsys):
    preds = tmp_path / "preds.jsonl"
    article = {"title": "Chứng khoán tăng mạnh", "paragraphs": ARTICLE.split("\n\n")[1:]}
    preds.write_text(json.dumps({"id": "a", "summary_en": BAD, "article": article}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    refs = tmp_path / "refs.jsonl"
    refs.write_text(json.dumps({"id": "a", "reference": GOOD}) + "\n", encoding="utf-8")
    assert main(["evaluate", str(preds), str(refs), "--lang", "en", "--bootstrap", "0", "--no-bertscore"]) == 0
    out = capsys.readouterr().out
    assert "viensum.check on 1 summaries: 100% of their sentences have a source in the article; " \
           "1.00 problems per summary" in out
