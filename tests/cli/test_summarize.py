"""``viensum summarize`` and ``viensum translate`` as users run them: a subprocess, files in, records out."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def viensum(*args: str, models: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "VIENSUM_MODELS_DIR": str(models), "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "viensum", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, timeout=600)


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def empty_store(tmp_path) -> Path:
    folder = tmp_path / "no-models"
    folder.mkdir()
    return folder


@pytest.mark.slow
def test_summarize_folder_with_tiny_models_writes_one_record_per_article(tiny_store, seed_files, tmp_path):
    out = tmp_path / "out.jsonl"
    proc = viensum("summarize", "seeds/", "-o", str(out), "--beams", "1", "--max-new-tokens", "8",
                   models=tiny_store)
    assert proc.returncode == 0, proc.stderr.decode()
    got = records(out)
    assert [r["id"] for r in got] == [p.stem for p in seed_files]
    for r in got:
        assert r["error"] is None and r["recipe"] == "two-stage"
        assert r["summary_vi"] and r["summary_en"] and r["source_file"].endswith(r["id"] + ".txt")
        assert r["models"] == {"summarizer_vi": "VietAI/vit5-base-vietnews-summarization",
                               "translator": "Helsinki-NLP/opus-mt-vi-en"}

    # the same through the Python API: identical summaries (greedy decoding is deterministic)
    os.environ["HF_HUB_OFFLINE"] = "1"
    try:
        import viensum as api

        api_results = api.summarize([p.read_bytes() for p in seed_files], num_beams=1, max_new_tokens=8,
                                    ids=[p.stem for p in seed_files], cache=False)
    finally:
        os.environ.pop("HF_HUB_OFFLINE", None)
    assert [(s.id, s.summary_vi, s.summary_en, s.title_en) for s in api_results] == \
        [(r["id"], r["summary_vi"], r["summary_en"], r["title_en"]) for r in got]


@pytest.mark.slow
def test_translate_command_prints_aligned_paragraphs(tiny_store):
    gold = ROOT / "tests" / "data" / "gold" / "004_4e6816a5523f0c09.txt"
    proc = viensum("translate", str(gold), "--no-clean", "--format", "json", "--beams", "1", models=tiny_store)
    assert proc.returncode == 0, proc.stderr.decode()
    result = json.loads(proc.stdout)
    _, *paragraphs = gold.read_text(encoding="utf-8").strip().split("\n\n")
    assert [p["vi"] for p in result["paragraphs"]] == paragraphs
    assert all(p["en"] for p in result["paragraphs"]) and result["model"] == "Helsinki-NLP/opus-mt-vi-en (tiny random test model, output is noise)"


def test_bad_file_gets_an_error_record_and_exit_1(empty_store, seed_files, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    for p in seed_files[:2]:
        shutil.copy(p, folder / p.name)
    (folder / "bad.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "huge.txt").write_bytes(b"a" * 5_000_001)  # refused by size before it is read
    (folder / "notes.md").write_text("ignored: not .txt/.html", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = viensum("summarize", str(folder), "-o", str(out), models=empty_store)
    stderr = proc.stderr.decode()
    assert proc.returncode == 1
    assert "Traceback" not in stderr
    got = {r["id"]: r for r in records(out)}
    assert sorted(got) == sorted(["bad", "empty", "huge"] + [p.stem for p in seed_files[:2]])
    assert got["bad"]["error"] and got["empty"]["error"]
    assert "over the 5,000,000-byte limit" in got["huge"]["error"]
    assert all(got[p.stem]["error"] is None and got[p.stem]["summary_vi"] for p in seed_files[:2])
    error_lines = [line for line in stderr.splitlines() if line.startswith("viensum: error:")]
    assert len(error_lines) == 3 and any(f"{folder / 'bad.txt'}: input is not text" in line for line in error_lines)


def test_offline_without_models_gives_the_extractive_summary_and_says_how_to_install(empty_store, seed_files):
    proc = viensum("summarize", str(seed_files[0]), models=empty_store)
    assert proc.returncode == 0, proc.stderr.decode()
    (record,) = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert record["recipe"] == "extractive" and record["summary_vi"] and record["summary_en"] is None
    assert "English summary needs a translation model: viensum models download opus-mt-vi-en" in record["notes"]


@pytest.mark.parametrize("args, name", [
    (["summarize", "seeds/", "--model", "two-stage"], "vit5-base-vietnews"),
    (["summarize", "seeds/", "--model", "qwen2.5-0.5b-instruct"], "qwen2.5-0.5b-instruct"),
    (["translate", "seeds/000_2b5d47eab49b17e5.txt"], "opus-mt-vi-en"),
])
def test_missing_model_by_name_is_one_line_and_exit_1(empty_store, args, name):
    proc = viensum(*args, models=empty_store)
    stderr = proc.stderr.decode().strip()
    assert proc.returncode == 1
    assert "Traceback" not in stderr
    assert stderr.splitlines()[-1] == stderr.splitlines()[-1].strip()
    assert f"install it with: viensum models download {name}" in stderr.splitlines()[-1]
    assert not proc.stdout.strip()


def test_json_and_markdown_formats(empty_store, seed_files, tmp_path):
    proc = viensum("summarize", "seeds/", "--format", "json", models=empty_store)
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    assert [r["id"] for r in data] == [p.stem for p in seed_files]
    out = tmp_path / "report.md"
    proc = viensum("summarize", "seeds/", "--format", "md", "-o", str(out), "--sentences", "2", models=empty_store)
    assert proc.returncode == 0
    report = out.read_text(encoding="utf-8")
    assert report.count("\n## ") + report.startswith("## ") == len(seed_files)
    assert "Tóm tắt (tiếng Việt)" in report and "viensum models download opus-mt-vi-en" in report


def test_stdin_and_non_vietnamese_input(empty_store):
    english = b"Hello world\n\nThis is an English news article about the weather in London today. It rained."
    proc = viensum("summarize", "-", models=empty_store, stdin=english)
    assert proc.returncode == 1
    (record,) = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert record["id"] == "stdin" and record["error"].startswith("not Vietnamese")
    assert record["summary_en"] is None


def test_ray_engine_needs_an_output_file(empty_store):
    proc = viensum("summarize", "seeds/", "--engine", "ray", models=empty_store)
    assert proc.returncode == 1
    assert proc.stderr.decode().strip() == "viensum: error: --runner ray needs -o OUT"


def test_several_files_and_the_output_is_not_an_input(empty_store, seed_files, tmp_path):
    out = tmp_path / "out.jsonl"
    proc = viensum("summarize", str(seed_files[0]), str(seed_files[1]), "-o", str(out), models=empty_store)
    assert proc.returncode == 0, proc.stderr.decode()
    assert [(r["id"], r["source_file"]) for r in records(out)] == [(p.stem, str(p)) for p in seed_files[:2]]
    proc = viensum("summarize", str(seed_files[0]), "-o", str(seed_files[0]), models=empty_store)
    assert proc.returncode == 1 and "also an input" in proc.stderr.decode()
    assert "Traceback" not in proc.stderr.decode()


@pytest.mark.slow
def test_translate_several_inputs_one_bad(tiny_store, tmp_path):
    gold = ROOT / "tests" / "data" / "gold" / "004_4e6816a5523f0c09.txt"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = tmp_path / "out.jsonl"
    previous = "kept\n"
    proc = viensum("translate", str(gold), str(empty), "--no-clean", "--format", "json", "--beams", "1",
                   "-o", str(out), models=tiny_store)
    assert proc.returncode == 1
    assert proc.stderr.decode().strip().splitlines()[-1] == f"viensum: error: {empty}: the file is empty"
    [record] = records(out)
    assert record["id"] == gold.stem and record["source_file"] == str(gold) and record["paragraphs"]
    out.write_text(previous)
    proc = viensum("translate", str(gold), "--model", "no-such-model", "-o", str(out), models=tiny_store)
    assert proc.returncode == 1 and out.read_text() == previous
