"""The web UI's handlers, called directly (no browser, no server) with the fake recipes."""
from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import gradio as gr
import pytest
from samples import run_batch

from viensum import httpguard, ui
from viensum.ui import article as ui_article, batch as ui_batch, errors as ui_errors, evaluate as ui_evaluate, inputs as ui_inputs, models as ui_models, runs as ui_runs
from viensum.ui.article import summarize_article
from fakes import FAIL_MARKER

SAMPLE = "001_7a23386e8a2c9da9"
HEADLINE = "IOM tiếp tục hỗ trợ Việt Nam triển khai Thoả thuận GCM"
BINARY = bytes(range(256)) * 8


def outputs(stages) -> dict:
    """The last stage the article handler yields, by field name."""
    values = list(stages)[-1]
    assert len(values) == len(ui_article.ARTICLE_FIELDS)
    return dict(zip(ui_article.ARTICLE_FIELDS, values))


def removed_rows(html_table: str) -> list[tuple[str, str]]:
    """(reason, text) rows of the "What the cleaner removed" table."""
    import html

    cells = re.findall(r"<tr><td class='vs-reason'>(.*?)</td><td[^>]*>(.*?)</td></tr>", html_table)
    return [(html.unescape(re.sub(r" <span class='vs-count'>.*?</span>", "", r)), html.unescape(t)) for r, t in cells]


# ---------------------------------------------------------------- article tab


def test_article_is_cleaned_and_summarised(fake_recipes, seed_texts):
    out = outputs(summarize_article(seed_texts[SAMPLE], None, "fake-two-stage", 3, 0, False))
    assert f"<h2 class='vs-title'>{HEADLINE}</h2>" in out["article"]
    assert "zalo-icon" not in out["article"]            # boilerplate gone from the article ...
    rows = removed_rows(out["removed"])
    assert "zalo-icon · viber-icon" in [text for _, text in rows]  # ... listed as removed, a group per reason
    reasons = [reason for reason, _ in rows]
    assert all(a != b for a, b in zip(reasons, reasons[1:]))       # consecutive blocks of one reason: one row
    assert not any("kept" in reason or text in (HEADLINE, "Mạnh Hùng") or "11/11/2024" in text
                   for reason, text in rows)                        # never what the article kept
    assert all(reason for reason, _ in rows)
    assert out["source"] == f"**Source:** sample article “{HEADLINE}”"  # the page's sample list
    edited = outputs(summarize_article(seed_texts[SAMPLE] + "\n\nThêm một câu.", None, "fake-two-stage", 3, 0,
                                          False))
    assert edited["source"] == "**Source:** pasted text (" + f"{len(seed_texts[SAMPLE].split()) + 3:,} words)"
    assert out["english_notice"] == "" and out["status"].startswith("✓ Done")
    assert out["summary_vi"] and out["summary_vi"].split()[0] in out["article"]
    assert out["summary_en"].startswith("[en] ")         # the fake translator marks its output
    assert "`fake-two-stage`" in out["details"] and "fake/fake-vi-summarizer" in out["details"]
    assert out["translation"] == ""                      # not asked for


def test_full_translation_is_aligned_paragraph_by_paragraph(fake_recipes, seed_texts):
    ui_models._summarizer(ui_models.ui_options("fake-two-stage")).clear_cache()  # each stage runs, none from the cache
    stages = list(summarize_article(seed_texts[SAMPLE], None, "fake-two-stage", 3, 0, True))
    # the stage labels: the Vietnamese summary shown while the English one is written
    assert [s[0].split(" ")[1] for s in stages] == ["Cleaned", "Vietnamese", "Summarised", "Done"]
    assert stages[1][7] and not stages[1][5] and stages[1][0] == ("⏳ Vietnamese summary ready · translating it "
                                                                  "into English…")
    assert stages[2][8] == "" and stages[2][5]  # the summary comes before the translation
    out = outputs(stages)
    pairs = re.findall(r"<tr><td lang='vi'>(.*?)</td><td>(.*?)</td></tr>", out["translation"])
    assert len(pairs) >= 3
    for vi, en in pairs:
        # the fake translator tags each piece it translated: untagged, each row is its own paragraph
        assert en.startswith("[en] ") and en.replace("[en] ", "") == vi


@pytest.mark.parametrize("recipe", ["fake-cross-lingual", "fake-chat", "fake-extractive"])
def test_every_fake_recipe_gives_a_summary(fake_recipes, seed_texts, recipe):
    out = outputs(summarize_article(seed_texts[SAMPLE], None, recipe, 2, 2, False))
    assert out["summary_en"] or out["summary_vi"]
    assert f"`{recipe}`" in out["details"]


def _docx(path: Path, text: str) -> Path:
    import docx

    document = docx.Document()
    for paragraph in text.split("\n\n"):
        document.add_paragraph(paragraph)
    document.save(path)
    return path


def _pdf(path: Path, text: str) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8.5, 11))
    figure.text(0.05, 0.95, text, va="top", fontsize=8, wrap=True)
    figure.savefig(path, format="pdf")
    return path


@pytest.mark.parametrize("kind", ["txt", "html", "docx", "pdf"])
def test_uploaded_file_is_read(fake_recipes, seed_texts, tmp_path, kind):
    text = seed_texts[SAMPLE]
    if kind == "txt":
        path = tmp_path / "a.txt"
        path.write_text(text, encoding="utf-8")
    elif kind == "html":
        body = "".join(f"<p>{p}</p>" for p in text.split("\n\n")[3:])
        path = tmp_path / "a.html"
        path.write_text(f"<html><head><title>{HEADLINE}</title></head><body><nav><a href='/'>Trang chủ</a></nav>"
                        f"<article><h1>{HEADLINE}</h1>{body}</article></body></html>", encoding="utf-8")
    elif kind == "docx":
        path = _docx(tmp_path / "a.docx", text)
    else:
        path = _pdf(tmp_path / "a.pdf", "Thứ trưởng Bộ Ngoại giao Lê Thị Thu Hằng tiếp bà Kendra Rinas.\n\n"
                    "Hai bên trao đổi về hợp tác di cư an toàn, trật tự và hợp pháp.")
    out = outputs(summarize_article("ignored when a file is given", str(path), "fake-two-stage", 3, 0, False))
    assert "ignored when a file" not in out["article"]
    assert out["source"] == f"**Source:** uploaded file **{path.name}**"
    assert ("Kendra Rinas" if kind == "pdf" else HEADLINE) in out["article"]
    assert out["summary_vi"]


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"", "empty"),
    ("blob.txt", BINARY, "binary"),
    ("photo.png", b"\x89PNG\r\n", "unsupported file type"),
    ("broken.docx", b"PK\x03\x04 not really a docx", "not a Word document that can be read"),
    ("broken.pdf", b"%PDF-1.4 not really a pdf", "this PDF cannot be read"),
])
def test_bad_upload_is_a_gradio_error(fake_recipes, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(gr.Error) as err:
        list(summarize_article("", str(path), "fake-two-stage", 3, 0, False))
    assert message in err.value.message and name in err.value.message
    assert "Error" not in err.value.message and str(tmp_path) not in err.value.message


@pytest.mark.parametrize("text", ["", "   \n\n  ", None])
def test_no_input_is_a_gradio_error(fake_recipes, text):
    with pytest.raises(gr.Error, match="Paste an article"):
        list(summarize_article(text, None, "fake-two-stage", 3, 0, False))


def test_unknown_recipe_is_a_gradio_error(seed_texts):
    with pytest.raises(gr.Error, match="no-such-recipe.*viensum models list"):
        list(summarize_article(seed_texts[SAMPLE], None, "no-such-recipe", 3, 0, False))


def test_article_longer_than_the_limit_is_refused(fake_recipes, seed_texts, monkeypatch):
    monkeypatch.setattr(ui_inputs, "MAX_ARTICLE_CHARS", 500)
    with pytest.raises(gr.Error, match="the limit here is 500"):
        list(summarize_article(seed_texts[SAMPLE], None, "fake-two-stage", 3, 0, False))


def test_input_longer_than_the_limit_is_refused(fake_recipes, monkeypatch):
    monkeypatch.setattr(ui_inputs, "MAX_INPUT_CHARS", 1000)
    with pytest.raises(gr.Error, match="1,200 characters long; the limit is 1,000"):
        list(summarize_article("x" * 1200, None, "fake-two-stage", 3, 0, False))


def test_model_failure_is_an_error_after_the_cleaned_article(fake_recipes, seed_texts):
    text = seed_texts[SAMPLE].replace("Chiều ngày 11/11", f"Chiều ngày 11/11 {FAIL_MARKER}")
    stages = summarize_article(text, None, "fake-two-stage", 3, 0, False)
    first = dict(zip(ui_article.ARTICLE_FIELDS, next(stages)))
    assert HEADLINE in first["article"] and first["summary_en"] == ""  # the article is shown at once
    with pytest.raises(gr.Error, match="Not summarised: .*failed"):
        next(stages)


def test_english_input_is_refused_as_an_error_not_a_summary(fake_recipes):
    english = ("The ministry met the chief of the International Organization for Migration in Hanoi on Monday. "
               "Both sides discussed safe, orderly and regular migration and agreed to work together.\n\n") * 3
    with pytest.raises(gr.Error, match="not Vietnamese"):
        list(summarize_article(english, None, "fake-two-stage", 3, 0, False))


def test_unexpected_error_is_logged_not_shown(seed_texts, monkeypatch, caplog):
    import importlib

    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(importlib.import_module("viensum.summarizer").Summarizer, "run", broken)
    with pytest.raises(gr.Error) as err:
        list(summarize_article(seed_texts[SAMPLE], None, "extractive", 3, 0, False))
    assert "secret" not in err.value.message and "details are in its log" in err.value.message
    assert "secret internal detail" in caplog.text


def test_missing_model_still_cleans_and_says_how_to_install(no_models, seed_texts, tmp_path):
    out = outputs(summarize_article(seed_texts[SAMPLE], None, "two-stage", 3, 0, False))
    assert HEADLINE in out["article"]
    assert out["summary_en"] == "" and out["summary_vi"]  # the extractive summary instead
    assert "```\nviensum models download vit5-base-vietnews opus-mt-vi-en\n```" in out["english_notice"]
    page = "".join(str(v) for v in out.values())
    # nothing about the server's folders or environment
    assert str(tmp_path) not in page and "VIENSUM_MODELS_DIR" not in page and "HF_HUB_OFFLINE" not in page


def test_auto_recipe_falls_back_to_extractive_offline(no_models, seed_texts):
    out = outputs(summarize_article(seed_texts[SAMPLE], None, ui_models.AUTO, 3, 0, False))
    assert HEADLINE in out["article"]
    assert out["summary_vi"] and not out["summary_en"]
    assert "viensum models download vit5-base-vietnews opus-mt-vi-en" in out["english_notice"]
    assert "viensum models download" not in out["details"]  # said once, in the notice
    assert "`extractive`" in out["details"]


def test_full_translation_without_a_translator_says_what_to_install(no_models, seed_texts):
    out = outputs(summarize_article(seed_texts[SAMPLE], None, ui_models.AUTO, 3, 0, True))
    assert "opus-mt-vi-en" in out["translation"] and "viensum models download opus-mt-vi-en" in out["translation"]


def test_recipe_menu_marks_what_is_installed(no_models, fake_recipes):
    labels = dict((value, label) for label, value in ui_models.recipe_choices())
    assert labels[ui_models.AUTO] == "auto (now: extractive)"
    assert labels["two-stage"] == "two-stage · not installed"
    assert labels["extractive"] == "extractive · Vietnamese only"
    assert labels["fake-two-stage"] == "fake-two-stage · ✓ installed"  # fake models need no weights
    assert max(len(label) for label in labels.values()) <= 40  # they fit a phone's menu
    assert "viensum models download vit5-base-vietnews opus-mt-vi-en" in ui_models.recipe_info("two-stage")


def test_missing_model_error_shows_no_server_path(no_models, tmp_path):
    from viensum.errors import ModelNotAvailable

    @ui_errors._user_errors
    def handler():
        raise ModelNotAvailable("opus-mt-vi-en", f"not in {tmp_path}/models, HF_HUB_OFFLINE is set")

    with pytest.raises(gr.Error) as err:
        handler()
    assert err.value.message.endswith("viensum models download opus-mt-vi-en")
    assert str(tmp_path) not in err.value.message and "HF_HUB_OFFLINE" not in err.value.message


def test_paths_are_reduced_to_names():
    hide_paths = ui_errors._hide_paths
    assert hide_paths("/tmp/gradio/ab12/preds.jsonl: no predictions found") == "preds.jsonl: no predictions found"
    assert hide_paths("no such file or directory: /tmp/viensum-eval-x/reference") == \
        "no such file or directory: reference"
    assert hide_paths("use 1/2 of it, see a/b") == "use 1/2 of it, see a/b"


# ---------------------------------------------------------------- batch tab


def test_batch_with_bad_files_reports_them_in_their_rows(fake_recipes, seed_files, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blob = tmp_path / "blob.txt"
    blob.write_bytes(BINARY)

    files = [str(seed_files[0]), str(empty), str(seed_files[1]), str(blob), str(seed_files[2])]
    rows, jsonl, csv_text, progress = run_batch(files, "fake-two-stage", 3, 0)

    assert [row[0] for row in rows] == [Path(f).name for f in files]  # input order kept
    status = {row[0]: row[1] for row in rows}
    assert status["empty.txt"].startswith("error:") and "empty" in status["empty.txt"]
    assert status["blob.txt"].startswith("error:") and "binary" in status["blob.txt"]
    for seed in seed_files[:3]:
        row = next(r for r in rows if r[0] == seed.name)
        assert row[1] == "ok" and row[2].startswith("[en] ")
    # the English headline, then the summary
    assert rows[0][2].split(" · ")[0] == "[en] Việt Nam đánh giá cao vai trò của Tổ chức Di cư Quốc tế"
    # the bar moves after every article
    # the bar moves after every article, and counts inputs, successes and failures
    assert progress[0].endswith("<span>2 of 5 inputs done: 0 summarised, 2 failed · now: "
                                f"{seed_files[0].name}</span></div>")
    assert [re.search(r"(\d+) summarised, 2 failed", line).group(1) for line in progress] == ["0", "1", "2", "3", "3"]
    assert "All 5 inputs done: 3 summarised, 2 failed" in progress[-1]

    records = [json.loads(line) for line in jsonl.splitlines()]
    ids = [Path(f).stem for f in files]  # documents are named by stem, as in seeds/refs
    assert [r["id"] for r in records] == ids
    assert [r["error"] is None for r in records] == [True, False, True, False, True]
    table = list(csv.DictReader(csv_text.splitlines()))
    assert [r["id"] for r in table] == ids
    assert [r["status"] for r in table] == ["ok", "error", "ok", "error", "ok"]
    assert table[0]["summary_vi"] and table[0]["title_vi"]


def test_batch_unpacks_zip_and_jsonl(fake_recipes, seed_files, seed_texts, tmp_path):
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(seed_files[0], f"news/{seed_files[0].name}")
        zf.writestr("news/image.jpg", b"\xff\xd8\xff")
        zf.writestr("__MACOSX/news/._x.txt", b"junk")
        zf.writestr("news/", b"")
    lines = tmp_path / "articles.jsonl"
    texts = list(seed_texts.values())
    lines.write_text(json.dumps({"id": "art-1", "text": texts[1]}, ensure_ascii=False) + "\n"
                     + "{not json\n\n"
                     + json.dumps({"id": "art-3", "title": "no text"}) + "\n"
                     + json.dumps({"id": "art-5",
                                   "html": f"<html><body><article><p>{texts[2]}</p></article></body></html>"},
                                  ensure_ascii=False) + "\n", encoding="utf-8")
    rows, jsonl, _, _ = run_batch([str(archive), str(lines)], "fake-two-stage", 2, 0)
    status = {row[0]: row[1] for row in rows}
    assert status == {
        f"many.zip/news/{seed_files[0].name}": "ok",
        "many.zip/news/image.jpg": status["many.zip/news/image.jpg"],
        "articles.jsonl:1": "ok",
        "articles.jsonl:2": status["articles.jsonl:2"],
        "articles.jsonl:4": status["articles.jsonl:4"],
        "articles.jsonl:5": "ok",
    }
    assert "unsupported file type" in status["many.zip/news/image.jpg"]
    assert "not JSON" in status["articles.jsonl:2"]
    assert 'no "text" field' in status["articles.jsonl:4"]
    written = [json.loads(line) for line in jsonl.splitlines()]
    assert len(written) == len(rows)
    # ids keep the zip path, so the page loose and zipped could not collide; records keep their own ids
    assert [r["id"] for r in written] == [f"many.zip/news/{seed_files[0].stem}", "many.zip/news/image.jpg",
                                         "art-1", "articles.jsonl:2", "art-3", "art-5"]
    assert written[0]["source_file"] == f"many.zip/news/{seed_files[0].name}"

def test_batch_ids_are_unique_and_keep_the_zip_path(fake_recipes, seed_files, tmp_path):
    """Issue 13, UI item 5: the same article loose and zipped, and twice in a zip, get ids of their own."""
    archive = tmp_path / "articles.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(seed_files[0], f"batch/{seed_files[0].name}")
        zf.write(seed_files[0], f"other/{seed_files[0].name}")
    files = [str(seed_files[0]), str(archive), str(seed_files[0])]
    _, jsonl, _, _ = run_batch(files, "fake-two-stage", 2, 0)
    ids = [json.loads(line)["id"] for line in jsonl.splitlines()]
    stem = seed_files[0].stem
    # the repeated file gets the id rule of every command (viensum.inputs): the name with its extension
    assert ids == [stem, f"articles.zip/batch/{stem}", f"articles.zip/other/{stem}", f"{stem}.txt"]
    _, again, _, _ = run_batch(files, "fake-two-stage", 2, 0)
    assert [json.loads(line)["id"] for line in again.splitlines()] == ids  # stable


def test_bad_zip_is_one_error_row(fake_recipes, seed_files, tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    rows, _, _, _ = run_batch([str(bad), str(seed_files[0])], "fake-two-stage", 3, 0)
    assert rows[0][0] == "bad.zip" and rows[0][1] == "error: not a valid .zip archive"
    assert rows[1][1] == "ok"


def test_model_failure_in_a_batch_stays_in_its_row(fake_recipes, seed_texts, tmp_path):
    texts = list(seed_texts.values())
    paths = []
    for i, text in enumerate(texts[:3]):
        path = tmp_path / f"{i}.txt"
        path.write_text(text.replace(". ", f". {FAIL_MARKER} ", 1) if i == 1 else text, encoding="utf-8")
        paths.append(str(path))
    rows, _, _, _ = run_batch(paths, "fake-two-stage", 3, 0)
    assert [row[1] == "ok" for row in rows] == [True, False, True]


def test_batch_limits_and_empty_upload(fake_recipes, seed_files, monkeypatch):
    with pytest.raises(gr.Error, match="Upload one or more files"):
        run_batch([], "fake-two-stage", 3, 0)
    monkeypatch.setattr(ui_inputs, "MAX_BATCH_ITEMS", 2)
    with pytest.raises(gr.Error, match="at most 2 articles"):
        run_batch([str(p) for p in seed_files], "fake-two-stage", 3, 0)


def test_batch_with_a_missing_model_is_one_clear_error(no_models, seed_files, tmp_path):
    with pytest.raises(gr.Error, match="viensum models download vit5-base-vietnews") as err:
        run_batch([str(seed_files[0])], "two-stage", 3, 0)
    assert str(tmp_path) not in err.value.message


# ---------------------------------------------------------------- evaluate tab


def _batch_jsonl(tmp_path, files) -> Path:
    _, jsonl, _, _ = run_batch(files, "fake-two-stage", 3, 0)
    path = tmp_path / "summaries.jsonl"
    path.write_text(jsonl, encoding="utf-8")
    return path


def test_evaluate_batch_output_against_reference_files(fake_recipes, seed_files, tmp_path):
    refs = sorted((seed_files[0].parent / "refs").glob("*.vi.txt"))
    jsonl_path = _batch_jsonl(tmp_path, [str(p) for p in seed_files])
    rows, chart, per_doc, details = ui_evaluate.evaluate_files([str(jsonl_path)], [str(p) for p in refs], "vi")
    scores = {row[0]: row[1:] for row in rows}
    assert {"ROUGE-1", "BLEU", "chrF++"} <= set(scores)
    assert not any("words" in name for name in scores)  # lengths are not scores
    for mean, low, high in scores.values():
        assert mean is not None
        if low is not None:
            assert low <= mean <= high
    assert chart.size[0] > 200 and chart.size[1] > 100
    assert "**5 documents scored**" in details and "Average length" in details
    assert [row[0] for row in per_doc] == [p.stem for p in seed_files]
    assert len(per_doc[0]) == len(ui_evaluate.doc_score_headers())


def test_evaluate_scores_what_matches_and_lists_the_rest(fake_recipes, seed_files, tmp_path):
    """A zipped batch is scored against references named by stem; unmatched documents are listed."""
    archive = tmp_path / "articles.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for seed in seed_files[:2]:
            zf.write(seed, f"batch/{seed.name}")
    extra = tmp_path / "extra.txt"
    extra.write_text((seed_files[2].read_text(encoding="utf-8")), encoding="utf-8")
    jsonl_path = _batch_jsonl(tmp_path, [str(archive), str(extra)])
    refs = [str(p) for p in sorted((seed_files[0].parent / "refs").glob("*.vi.txt"))[:3]]
    rows, _, per_doc, details = ui_evaluate.evaluate_files([str(jsonl_path)], refs, "vi")
    assert [row[0] for row in per_doc] == [f"articles.zip/batch/{p.stem}" for p in seed_files[:2]]
    assert "**2 documents scored**" in details
    assert "no reference:** `extra`" in details and f"no prediction:** `{seed_files[2].stem}`" in details
    assert "/tmp" not in details


def test_evaluate_perfect_predictions_score_100(tmp_path):
    preds, refs = tmp_path / "preds.jsonl", tmp_path / "refs.jsonl"
    texts = {"a": "The ministry met the IOM chief in Hanoi.", "b": "Rain is expected across the north."}
    preds.write_text("".join(json.dumps({"id": k, "summary_en": v}) + "\n" for k, v in texts.items()))
    refs.write_text("".join(json.dumps({"id": k, "reference": v}) + "\n" for k, v in texts.items()))
    rows, _, per_doc, _ = ui_evaluate.evaluate_files([str(preds)], [str(refs)], "en")
    rouge1 = next(row for row in rows if row[0].lower().startswith("rouge-1"))
    assert rouge1[1] == pytest.approx(100)
    assert [row[1] for row in per_doc] == [100.0, 100.0]


@pytest.mark.parametrize("preds, refs, message", [
    (["a.jsonl"], [], "Upload both"),
    (["a.jsonl", "b.jsonl"], ["r.jsonl"], "one .jsonl, .json or .csv file"),
    (["a.jsonl", "x.txt"], ["r.jsonl"], "not both"),
])
def test_evaluate_refuses_bad_uploads(tmp_path, preds, refs, message):
    for name in set(preds + refs):
        (tmp_path / name).write_text(json.dumps({"id": "1", "summary_en": "x", "reference": "x"}) + "\n")
    with pytest.raises(gr.Error, match=message):
        ui_evaluate.evaluate_files([str(tmp_path / p) for p in preds], [str(tmp_path / r) for r in refs], "en")


def test_evaluate_with_no_matching_id_is_an_error_without_paths(tmp_path):
    preds, refs = tmp_path / "p.jsonl", tmp_path / "r.jsonl"
    preds.write_text(json.dumps({"id": "a", "summary_en": "x"}) + "\n")
    refs.write_text(json.dumps({"id": "b", "reference": "x"}) + "\n")
    with pytest.raises(gr.Error, match="No prediction id matches a reference id") as err:
        ui_evaluate.evaluate_files([str(preds)], [str(refs)], "en")
    assert "`a`" in err.value.message and "`b`" in err.value.message


def test_evaluate_error_names_the_file_not_the_server_path(tmp_path):
    empty = tmp_path / "preds.jsonl"
    empty.write_text("\n")
    refs = tmp_path / "r.jsonl"
    refs.write_text(json.dumps({"id": "b", "reference": "x"}) + "\n")
    with pytest.raises(gr.Error) as err:
        ui_evaluate.evaluate_files([str(empty)], [str(refs)], "en")
    assert "preds.jsonl" in err.value.message and str(tmp_path) not in err.value.message


def test_evaluate_leaves_no_temporary_folder(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    preds = tmp_path / "p.jsonl"
    preds.write_text(json.dumps({"id": "a", "summary_en": "x y z", "reference": "x y"}) + "\n")
    ui_evaluate.evaluate_files([str(preds)], [str(preds)], "en")
    assert [p.name for p in tmp_path.iterdir()] == ["p.jsonl"]


# ---------------------------------------------------------------- app, settings, launch


@pytest.mark.parametrize("value, expected", [
    (None, None),
    ("", None),
    ("ann:secret", [("ann", "secret")]),
    ("ann:secret, bob:pa:ss", [("ann", "secret"), ("bob", "pa:ss")]),
])
def test_parse_auth(value, expected):
    assert ui.parse_auth(value) == expected


@pytest.mark.parametrize("value", ["annsecret", ":secret", "ann:"])
def test_parse_auth_refuses_malformed(value):
    from viensum.errors import InputError

    with pytest.raises(InputError, match="user:password"):
        ui.parse_auth(value)


def test_sample_articles_are_the_seeds_and_a_missing_folder_is_fine(seed_texts, tmp_path):
    assert ui_article.sample_articles() == list(seed_texts.values())
    assert ui_article.sample_articles(tmp_path / "absent") == []


def test_app_has_stable_endpoints_and_a_bounded_queue():
    app = ui.build_app()
    names = {fn.api_name for fn in app.fns.values()}
    # two Stop buttons (Article, Batch tabs), each wired: its click stops the run whose token it is given
    stops = {b._id for b in app.blocks.values() if getattr(b, "value", None) == "Stop"}
    clicks = [fn for fn in app.fns.values() if any(t in stops and e == "click" for t, e in fn.targets)]
    assert len(stops) == 2 and {t for fn in clicks for t, _ in fn.targets} == stops
    for fn in clicks:
        run = ui_runs.new_run()
        fn.fn(run)
        assert ui_runs.stopped(run)
        ui_runs.forget_run(run)
    assert {"summarize_article", "summarize_batch", "evaluate"} <= names
    # the page's own plumbing is no endpoint
    assert {fn.api_name for fn in app.fns.values() if fn.api_visibility == "public"} == {
        "summarize_article", "summarize_batch", "evaluate", "summarize_feed"}
    assert app._queue.max_size == ui.QUEUE_SIZE
    assert app._queue.default_concurrency_limit == ui.CONCURRENCY_LIMIT


def test_launch_passes_bounds_and_auth(monkeypatch):
    seen = {}

    class FakeApp:
        def launch(self, **kwargs):
            seen.update(kwargs)

    monkeypatch.setenv("VIENSUM_AUTH", "ann:secret")
    monkeypatch.delenv("GRADIO_SERVER_PORT", raising=False)
    monkeypatch.delenv("GRADIO_SERVER_NAME", raising=False)
    monkeypatch.setattr(ui, "check_port", lambda host, port: None)  # 7860 may be taken on this machine
    ui.launch(FakeApp())
    assert (seen["server_name"], seen["server_port"]) == ("127.0.0.1", 7860)
    assert seen["auth"] == [("ann", "secret")] and seen["max_file_size"] == ui_inputs.MAX_FILE_SIZE
    assert seen["share"] is False and seen["show_error"] is False
    # the request-size and login guard wraps every route (viensum.httpguard, docs/RELIABILITY.md)
    [guard] = seen["app_kwargs"]["middleware"]
    assert guard.cls is httpguard.RequestGuard and guard.kwargs == {"max_body": httpguard.MAX_REQUEST_BYTES,
                                                                    "max_upload": httpguard.MAX_UPLOAD_BYTES,
                                                                    "max_unsized": httpguard.MAX_UNSIZED_BYTES}


def test_serve_command_launches_the_app(monkeypatch):
    from viensum.cli import main

    seen = {}
    monkeypatch.setattr(ui, "launch", lambda **kwargs: seen.update(kwargs))
    assert main(["serve", "--host", "0.0.0.0", "--port", "8123", "--share"]) == 0
    assert seen == {"host": "0.0.0.0", "port": 8123, "share": True}


def test_importing_the_app_loads_no_model():
    root = Path(__file__).resolve().parents[2]
    code = ("import sys, viensum.ui; assert 'gradio' not in sys.modules, 'viensum.ui imported gradio'\n"
            "import app; assert 'torch' not in sys.modules and 'transformers' not in sys.modules\n"
            "print('ok')")
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("ok")


@pytest.mark.parametrize("seed, label", [
    ("000_2b5d47eab49b17e5", "Việt Nam đánh giá cao vai trò của Tổ chức Di cư Quốc tế"),
    ("001_7a23386e8a2c9da9", HEADLINE),  # not the site's "Logo báo điện tử ..." line above it
    ("004_4e6816a5523f0c09", "Tỉnh Lạng Sơn tham gia Hội nghị rà soát tình hình triển kha…"),
])
def test_sample_articles_are_labelled_by_their_headline(seed_texts, seed, label):
    assert ui_article.example_label(seed_texts[seed]) == label


# ---------------------------------------------------------------- the first hour, second pass (issue 22)


def test_a_failure_on_the_page_is_the_status_line_and_nothing_else(fake_recipes):
    page = ui_errors.for_the_page(ui_article.summarize_article, 0, len(ui_article.ARTICLE_FIELDS))
    (values,) = list(page("", None, "fake-two-stage", 3, 0, False))
    assert values[0] == "<p class='vs-error' role='alert'>⚠ Paste an article or upload a file first.</p>"
    assert all(isinstance(v, type(gr.skip())) for v in values[1:])  # the other panes keep what they show


def test_the_no_match_message_keeps_its_file_names(tmp_path):
    preds, refs = tmp_path / "p.jsonl", tmp_path / "r.jsonl"
    preds.write_text(json.dumps({"id": "a", "summary_en": "x"}) + "\n")
    refs.write_text(json.dumps({"id": "b", "reference": "x"}) + "\n")
    page = ui_errors.for_the_page(ui_evaluate._evaluate_for_page, 0, 4)
    status = list(page([str(preds)], [str(refs)], "en"))[0][0]
    assert "References are named <code>&lt;id&gt;.txt</code> or <code>&lt;id&gt;.en.txt</code>" in status
    assert "`" not in status


def test_evaluate_with_every_prediction_empty_gives_the_reason_and_the_fix(no_models, seed_files, tmp_path):
    files = [str(p) for p in seed_files]
    _, jsonl, _, _ = run_batch(files, "auto", 3, 0)  # no model installed: Vietnamese summaries only
    preds = tmp_path / "summaries.jsonl"
    preds.write_text(jsonl, encoding="utf-8")
    refs = [str(p) for p in sorted((seed_files[0].parent / "refs").glob("*.en.txt"))]
    with pytest.raises(gr.Error) as err:
        ui_evaluate.evaluate_files([str(preds)], refs, "en")
    message = err.value.message
    assert message.startswith("All 5 predictions are empty, nothing to score: no English model was installed")
    assert "by choosing vi as the language above" in message and "--lang" not in message
    assert ui_evaluate.default_eval_lang() == "vi"  # the language that state can score


def test_batch_stop_keeps_what_is_done_and_says_stopped(fake_recipes, seed_files):
    run = ui_runs.new_run()
    stages = ui_batch.summarize_batch([str(p) for p in seed_files], "fake-two-stage", 3, 0, run)
    first = next(stages)  # the table, before any article
    assert [row[1] for row in first[1]] == ["waiting"] * 5
    next(stages)          # one article done
    ui_runs.request_stop(run)
    seen = list(stages)
    progress, rows, jsonl_path, csv_path = seen[-1]
    assert [row[1] for row in rows] == ["ok", "ok"] + ["stopped: not summarised"] * 3
    assert "Stopped after 2 of 5 inputs: 2 summarised, 0 failed, 3 not done" in progress


def test_batch_stop_offers_the_finished_results(fake_recipes, seed_files):
    summarizer = ui_models._summarizer(ui_models.ui_options("fake-two-stage").replace(clean=True))
    summarizer.clear_cache()  # the app's Summarizers (and their caches) outlive a test
    backend = summarizer.backends["summarizer_vi"]
    backend.calls.clear()
    run = ui_runs.new_run()
    got = []
    for progress, rows, jsonl_path, csv_path in ui_batch.summarize_batch([str(p) for p in seed_files], "fake-two-stage",
                                                                    3, 0, run):
        if sum(row[1] == "ok" for row in rows) == 1:
            ui_runs.request_stop(run)
        if jsonl_path:
            got = [json.loads(line) for line in Path(jsonl_path).read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in got] == [p.stem for p in seed_files[:2]]  # the finished ones, downloadable
    # the worker stopped: the summariser never received the articles after the stop
    received = " ".join(text for batch in backend.calls for text in batch)
    from viensum.clean import clean_article

    headline = lambda p: clean_article(p.read_text(encoding="utf-8")).paragraphs[0][:30]  # noqa: E731
    assert headline(seed_files[0]) in received and headline(seed_files[1]) in received
    assert not any(headline(p) in received for p in seed_files[2:])


def test_article_stop_starts_no_further_stage(fake_recipes, seed_texts, monkeypatch):
    from fakes import FakeBackend

    monkeypatch.setattr(ui_models, "_SUMMARIZERS", None)  # no Summarizer (nor its cache) from earlier tests
    run = ui_runs.new_run()
    stages = summarize_article(seed_texts[SAMPLE], None, "fake-two-stage", 3, 0, True, None, run)
    next(stages)  # cleaned
    ui_runs.request_stop(run)
    rest = list(stages)
    assert rest[-1][0] == "⏹ Stopped after cleaning the article." and rest[-1][7] == ""
    assert [batch for b in FakeBackend.instances for batch in b.calls] == []  # no model received anything


def test_the_stage_is_named_as_it_runs(no_models):
    assert ui_article.summarising("auto") == "picking the key sentences with `extractive`"
    assert ui_article.summarising("two-stage") == ("summarising in Vietnamese, then translating the summary into English "
                                          "with `two-stage`")


def test_details_give_step_times_not_a_second_total(fake_recipes, seed_texts):
    out = outputs(summarize_article(seed_texts[SAMPLE], None, "fake-two-stage", 3, 0, False))
    assert "total" not in out["details"] and "**Time in each step:**" in out["details"]


def test_tiny_models_are_marked_in_the_menu_and_the_batch(tiny_store, seed_files):
    labels = dict((value, label) for label, value in ui_models.recipe_choices())
    assert labels["two-stage"] == "two-stage · tiny test models"
    rows, _, _, _ = run_batch([str(seed_files[0])], "extractive", 3, 0)
    assert rows[0][1] == "ok (tiny test model)"  # its English comes from the tiny translator


def test_typed_text_equal_to_a_sample_is_typed_text(fake_recipes, seed_texts):
    typed = outputs(summarize_article(seed_texts[SAMPLE], None, "fake-two-stage", 3, 0, False, None, None, False))
    assert typed["source"].startswith("**Source:** pasted text (")
    picked = outputs(summarize_article(seed_texts[SAMPLE], None, "fake-two-stage", 3, 0, False, None, None, True))
    assert picked["source"] == f"**Source:** sample article “{HEADLINE}”"
