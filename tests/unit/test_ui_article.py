"""The article tab (viensum.ui.article): its handler called directly with the fake recipes."""
from __future__ import annotations

import re
from pathlib import Path

import gradio as gr
import pytest

from viensum.ui import article as ui_article, errors as ui_errors
from viensum.ui import inputs as ui_inputs, models as ui_models, runs as ui_runs
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


def test_a_failure_on_the_page_is_the_status_line_and_nothing_else(fake_recipes):
    page = ui_errors.for_the_page(ui_article.summarize_article, 0, len(ui_article.ARTICLE_FIELDS))
    (values,) = list(page("", None, "fake-two-stage", 3, 0, False))
    assert values[0] == "<p class='vs-error' role='alert'>⚠ Paste an article or upload a file first.</p>"
    assert all(isinstance(v, type(gr.skip())) for v in values[1:])  # the other panes keep what they show


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


def test_typed_text_equal_to_a_sample_is_typed_text(fake_recipes, seed_texts):
    typed = outputs(summarize_article(seed_texts[SAMPLE], None, "fake-two-stage", 3, 0, False, None, None, False))
    assert typed["source"].startswith("**Source:** pasted text (")
    picked = outputs(summarize_article(seed_texts[SAMPLE], None, "fake-two-stage", 3, 0, False, None, None, True))
    assert picked["source"] == f"**Source:** sample article “{HEADLINE}”"
