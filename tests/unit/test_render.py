"""viensum.render: the same record fields and formats from the CLI, the app and Ray."""
from __future__ import annotations

import csv
import io as stdio
import dataclasses
import json

import pytest

from viensum import render
from viensum.results import Article, ParagraphPair, Summary, Translation

ARTICLE = Article(title="Tiêu đề", paragraphs=["Đoạn một.", "Đoạn hai."], date="2024-11-11")
TRANSLATION = Translation("Tiêu đề", "Headline", [ParagraphPair("Đoạn một.", "Paragraph one.")], "m", 1, 0.5)
OK = Summary(summary_vi="Tóm tắt.", summary_en="Summary.", title_en="Headline", article=ARTICLE, id="a",
             recipe="two-stage", models={"translator": "m"}, notes=["a note"], translation=TRANSLATION)
FAILED = Summary(id="b", error="not Vietnamese")


def test_summary_record_is_every_summary_field_plus_the_source():
    record = render.summary_record(OK, "seeds/a.txt")
    assert record == {**OK.to_dict(), "source_file": "seeds/a.txt"}
    assert render.summary_record(FAILED)["source_file"] is None
    line = render.jsonl_line(record)
    assert line.endswith("\n") and "Tóm tắt" in line and json.loads(line) == record


def test_json_array_and_jsonl_agree():
    lines = [json.loads(x) for x in render.summaries_jsonl([OK, FAILED], ["a.txt", None]).splitlines()]
    assert json.loads(render.summaries_json([OK, FAILED], ["a.txt", None])) == lines
    assert [r["id"] for r in lines] == ["a", "b"] and lines[1]["error"] == "not Vietnamese"


def test_csv_has_one_row_per_summary():
    rows = list(csv.DictReader(stdio.StringIO(render.summaries_csv([OK, FAILED], ["a.txt", "b.txt"]))))
    assert list(rows[0]) == list(render.CSV_COLUMNS)
    assert rows[0]["status"] == "ok" and rows[0]["title_vi"] == "Tiêu đề" and rows[0]["signature"].startswith("recipe:")
    assert rows[1]["status"] == "error" and rows[1]["error"] == "not Vietnamese" and rows[1]["source_file"] == "b.txt"


def test_markdown_report():
    text = render.render_summaries([OK, FAILED], "md", ["a.txt", "b.txt"])
    assert text.count("## ") == 2 and "## a: Headline" in text and "*Source:* `a.txt`" in text
    assert "**Tóm tắt (tiếng Việt)**" in text and "> Đoạn một." in text and "- note: a note" in text
    assert "**Error:** not Vietnamese" in text


def test_translation_formats():
    assert render.render_translation(TRANSLATION, "text") == "Headline\n\nParagraph one."
    assert json.loads(render.render_translation(TRANSLATION, "json")) == TRANSLATION.to_dict()
    md = render.render_translation(TRANSLATION, "md")
    assert md.startswith("# Headline\n\n> Tiêu đề") and "Paragraph one." in md
    record = render.translation_record(TRANSLATION, "a", "a.txt")
    assert record["id"] == "a" and record["source_file"] == "a.txt" and record["title_en"] == "Headline"


def test_article_formats():
    assert render.render_article(ARTICLE, "text") == "Tiêu đề\n\nĐoạn một.\n\nĐoạn hai."
    assert json.loads(render.render_article(ARTICLE, "json")) == ARTICLE.to_dict()
    line = render.render_article(ARTICLE, "jsonl", "a.txt")
    assert "\n" not in line and json.loads(line) == {"input": "a.txt", **ARTICLE.to_dict()}


def test_unknown_format():
    with pytest.raises(ValueError):
        render.render_summaries([OK], "xml")


def test_cli_app_and_ray_write_the_same_fields(tmp_path):
    from viensum import scale
    from viensum.ui import batch as ui_batch

    jsonl_path, _ = ui_batch.write_results([OK], tmp_path, sources=["a.txt"])
    app = json.loads(open(jsonl_path, encoding="utf-8").read())
    own = dataclasses.replace(OK, source_file="a.txt")  # a Summary carries its source (Ray's workers write this)
    assert app == render.summary_record(own) == render.summary_record(OK, "a.txt") == json.loads(own.to_json())
    assert [f.name for f in scale.output._parquet_schema()] == list(render.summary_record(OK))


@pytest.mark.parametrize("call", [lambda: render.render_summaries([OK], "pdf"),
                                  lambda: render.render_translation(None, "pdf"),
                                  lambda: render.render_article(ARTICLE, "pdf")])
def test_an_unknown_format_is_a_typed_input_error(call):
    from viensum.errors import InputError

    with pytest.raises(InputError, match="unknown format 'pdf'"):
        call()
