"""``viensum evaluate`` and ``viensum evaluate-clean`` on the command line."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from viensum.cli import main

ROOT = Path(__file__).resolve().parents[2]
REFS = ROOT / "seeds" / "refs"
GOLD_DIR = ROOT / "tests" / "data" / "gold"


@pytest.fixture
def preds(tmp_path, seed_files) -> Path:
    """Predictions: the first two sentences of each English reference (so scores are high but not 100)."""
    out = tmp_path / "preds"
    out.mkdir()
    for f in seed_files:
        ref = (REFS / f"{f.stem}.en.txt").read_text(encoding="utf-8")
        (out / f"{f.stem}.txt").write_text(". ".join(ref.split(". ")[:2]), encoding="utf-8")
    return out


def test_table_output(preds, seed_files, capsys):
    assert main(["evaluate", str(preds), str(REFS), "--lang", "en", "--bootstrap", "100"]) == 0
    out = capsys.readouterr().out
    assert "5 documents, lang=en" in out
    for label in ("ROUGE-1", "ROUGE-2", "ROUGE-L", "ROUGE-Lsum", "BLEU", "chrF++", "95% CI", "tok:13a"):
        assert label in out
    assert all(f.stem in out for f in seed_files)
    assert "BERTScore skipped" in out


def test_json_output_is_parseable(preds, capsys):
    assert main(["evaluate", str(preds), str(REFS), "--json", "--sources", str(ROOT / "seeds"),
                 "--no-bertscore"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["n"] == 5 and data["lang"] == "en"
    assert 50 < data["means"]["rouge1"] < 100
    lo, hi = data["ci"]["rouge1"]
    assert lo <= data["means"]["rouge1"] <= hi
    assert 0 < data["means"]["compression"] < 1
    assert [n for n in data["notes"] if not n.startswith("viensum.check on 5 summaries")] == []


def test_vietnamese_references_are_picked_by_lang(tmp_path, seed_files, capsys):
    preds = tmp_path / "vi"
    preds.mkdir()
    for f in seed_files:
        (preds / f"{f.stem}.txt").write_text((REFS / f"{f.stem}.vi.txt").read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["evaluate", str(preds), str(REFS), "--lang", "vi", "--json", "--bootstrap", "0"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["means"]["rouge1"] == pytest.approx(100) and data["means"]["bleu"] == pytest.approx(100)
    assert "viensum.text.words" in data["settings"]["rouge_tokenizer"]


def test_plot_writes_a_png(preds, tmp_path, capsys):
    png = tmp_path / "chart.png"
    assert main(["evaluate", str(preds), str(REFS), "--plot", str(png), "--bootstrap", "50"]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "chart written" in capsys.readouterr().err


def test_mismatched_ids_score_what_matches_with_one_warning_line(preds, capsys):
    (preds / "000_2b5d47eab49b17e5.txt").unlink()
    (preds / "stray.txt").write_text("x", encoding="utf-8")
    assert main(["evaluate", str(preds), str(REFS), "--bootstrap", "0", "--no-bertscore"]) == 0
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("viensum: warning: ids do not match; scored the 4 found")
    assert "no reference for: stray" in err[0] and "no prediction for: 000_2b5d47eab49b17e5" in err[0]
    assert captured.out.startswith("4 documents")


def test_no_matching_ids_exit_1_with_one_line(tmp_path, capsys):
    (tmp_path / "stray.txt").write_text("x", encoding="utf-8")
    assert main(["evaluate", str(tmp_path), str(REFS)]) == 1
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and captured.out == ""
    assert err[0].startswith("viensum: error: ids do not match, none is on both sides")
    assert "stray" in err[0]


BINARY = bytes(range(256)) * 64


@pytest.mark.parametrize("name", ["preds.jsonl", "preds.json", "preds.csv", "preds.txt", "dir/a.txt"])
def test_a_binary_input_is_one_line_and_exit_1(tmp_path, capsys, name):
    path = tmp_path / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(BINARY)
    arg = path.parent if name.startswith("dir/") else path
    assert main(["evaluate", str(arg), str(REFS)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("viensum: error: ") and "binary" in err[0]
    assert path.name in err[0]


def test_evaluate_clean_of_a_binary_file_is_one_line_and_exit_1(tmp_path, capsys):
    (tmp_path / "a.txt").write_bytes(BINARY)
    (tmp_path / "b.json").write_text("[[[[[[" * 20_000, encoding="utf-8")
    for args in ([str(tmp_path), str(GOLD_DIR)], [str(GOLD_DIR), str(tmp_path)]):
        assert main(["evaluate-clean", *args]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("viensum: error: ") and "a.txt" in err[0]
    (tmp_path / "a.txt").unlink()
    assert main(["evaluate-clean", str(tmp_path), str(GOLD_DIR)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "b.json: not an Article JSON file" in err[0]


def test_plot_to_dev_full_fails_before_scoring(preds, capsys):
    if not Path("/dev/full").exists():
        pytest.skip("/dev/full does not exist on this system")
    assert main(["evaluate", str(preds), str(REFS), "--plot", "/dev/full"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == "viensum: error: cannot write the chart to /dev/full: not a regular file"


def test_the_readme_sequence_without_an_english_model_says_why(tmp_path, capsys):
    # `viensum summarize seeds/ -o summaries.jsonl` on a machine with no model installed
    # (an empty store, an empty Hugging Face cache, offline), then scoring its English side
    env = dict(os.environ, VIENSUM_MODELS_DIR=str(tmp_path / "models"), HF_HOME=str(tmp_path / "hf"),
               HF_HUB_OFFLINE="1", PYTHONPATH=str(ROOT / "src"))
    out = tmp_path / "summaries.jsonl"
    subprocess.run([sys.executable, "-m", "viensum", "summarize", str(ROOT / "seeds"), "-o", str(out)],
                   env=env, check=True, capture_output=True)
    assert main(["evaluate", str(out), str(REFS), "--lang", "en"]) == 1
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and captured.out == ""
    assert err[0].startswith("viensum: error: all 5 predictions are empty, nothing to score: "
                             "no English model was installed when these summaries were made")
    assert "viensum models download" in err[0] and "--lang vi" in err[0]
    # the Vietnamese side of the same file scores
    assert main(["evaluate", str(out), str(REFS), "--lang", "vi", "--bootstrap", "0", "--no-bertscore"]) == 0
    assert "5 documents, lang=vi" in capsys.readouterr().out


def test_an_empty_chosen_field_is_named(tmp_path, capsys):
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps({"id": "a", "prediction": "", "reference": "x"}) + "\n", encoding="utf-8")
    assert main(["evaluate", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert "its 'prediction' field is empty" in err and "--field" in err


def test_single_jsonl_with_predictions_and_references(tmp_path, capsys):
    path = tmp_path / "pairs.jsonl"
    path.write_text(json.dumps({"id": "a", "prediction": "Việt Nam", "reference": "Việt Nam"}) + "\n"
                    + json.dumps({"id": "b", "prediction": "", "reference": "Hà Nội"}) + "\n", encoding="utf-8")
    assert main(["evaluate", str(path), "--lang", "vi", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["rouge1"] for d in data["per_document"]] == pytest.approx([100, 0])


def test_evaluate_clean_of_the_cleaner_output_is_perfect(tmp_path, seed_files, capsys):
    for fmt in ("text", "json"):
        out = tmp_path / fmt
        assert main(["clean", *map(str, seed_files), "--format", fmt, "-o", str(out)]) == 0
        capsys.readouterr()
        assert main(["evaluate-clean", str(out), str(GOLD_DIR), "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert len(data["ids"]) == 5
        assert data["means"]["word_f1"] == pytest.approx(1) and data["means"]["para_f1"] == pytest.approx(1)
        assert data["means"]["headline_found"] == 1


def test_evaluate_clean_table_and_errors(tmp_path, capsys):
    assert main(["evaluate-clean", str(GOLD_DIR), str(GOLD_DIR)]) == 0
    out = capsys.readouterr().out
    assert "word F1" in out and "headline" in out and out.strip().splitlines()[-1].startswith("mean")
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    assert main(["evaluate-clean", str(tmp_path), str(GOLD_DIR)]) == 1
    assert capsys.readouterr().err.startswith("viensum: error: ids do not match")


def test_public_api_from_a_fresh_interpreter():
    code = ("import viensum; r = viensum.evaluate(['Việt Nam'], ['Việt Nam'], lang='vi', bootstrap=0); "
            "c = viensum.evaluate_cleaning({'a': 'x'}, {'a': 'x'}); "
            "print(r.means['rouge1'], c.means['word_f1'], isinstance(r, viensum.ScoreReport))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["100.0", "1.0", "True"]
