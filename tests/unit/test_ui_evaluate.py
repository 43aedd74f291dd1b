"""The evaluate tab (viensum.ui.evaluate): its handler called directly."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import gradio as gr
import pytest
from samples import run_batch

from viensum.ui import errors as ui_errors, evaluate as ui_evaluate


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
