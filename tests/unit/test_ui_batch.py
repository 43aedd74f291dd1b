"""The batch tab (viensum.ui.batch): its handler called directly with the fake recipes."""
from __future__ import annotations

import csv
import json
import re
import zipfile
from pathlib import Path

import gradio as gr
import pytest
from samples import run_batch

from viensum.ui import batch as ui_batch
from viensum.ui import inputs as ui_inputs, models as ui_models, runs as ui_runs
from fakes import FAIL_MARKER

BINARY = bytes(range(256)) * 8


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


def test_tiny_models_are_marked_in_the_menu_and_the_batch(tiny_store, seed_files):
    labels = dict((value, label) for label, value in ui_models.recipe_choices())
    assert labels["two-stage"] == "two-stage · tiny test models"
    rows, _, _, _ = run_batch([str(seed_files[0])], "extractive", 3, 0)
    assert rows[0][1] == "ok (tiny test model)"  # its English comes from the tiny translator
