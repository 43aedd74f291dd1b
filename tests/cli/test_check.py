"""``viensum check``: text, json and jsonl output, exit status 0/1/2, bad input without a traceback."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from viensum.cli import main

# written for these tests
ARTICLE = """Chứng khoán tăng mạnh phiên 16/7

Phiên ngày 16/7, VN-Index tăng 25,36 điểm lên 1.853,08 điểm nhờ cổ phiếu VIC.

Khối ngoại mua ròng 1,5 tỷ đồng. Ông Lê Văn Hưng, chuyên gia của Công ty Chứng khoán Rồng Việt, cho rằng xu hướng tăng vẫn được giữ.
"""
FAITHFUL = "On 16 July the VN-Index rose 25.36 points to 1,853.08. Foreign investors bought a net 1.5 billion dong."
CHANGED = "On 16 July the VN-Index rose 25.36 points to 1,853.08. Foreign investors bought a net 1,500 billion dong."


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, text in {"article.txt": ARTICLE, "good.txt": FAITHFUL, "bad.txt": CHANGED}.items():
        out[name] = tmp_path / name
        out[name].write_text(text, encoding="utf-8")
    return out


def test_text_output_and_exit_zero(files, capsys):
    assert main(["check", str(files["good.txt"]), "--source", str(files["article.txt"])]) == 0
    out = capsys.readouterr().out
    assert out.startswith("all numbers, dates and names found in the article")
    assert "sources: ¶1 (facts)" in out and "sources: ¶2 (facts)" in out


def test_flagged_number_exits_one_with_the_articles_value(files, capsys):
    assert main(["check", str(files["bad.txt"]), "--source", str(files["article.txt"])]) == 1
    out = capsys.readouterr().out
    assert out.startswith("1 fact could not be found in the article")
    assert "number: 1,500 billion dong: the article says 1,5 tỷ đồng (1.5 billion dong)" in out


def test_json_output(files, capsys):
    assert main(["check", str(files["bad.txt"]), "--source", str(files["article.txt"]), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    first, second = data["sentences"]
    assert first["problems"] == [] and first["sources"][0]["paragraph"] == 0
    assert second["problems"] == [{"kind": "number", "text": "1,500 billion dong", "source": "1,5 tỷ đồng (1.5 billion dong)",
                                   "note": "the article says 1,5 tỷ đồng (1.5 billion dong)"}]


def test_vietnamese_summary_from_stdin(files, capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("Ông Lê Văn Hùng cho rằng xu hướng tăng.".encode())))
    assert main(["check", "-", "--source", str(files["article.txt"]), "--lang", "vi", "--format", "jsonl"]) == 1
    record = json.loads(capsys.readouterr().out)
    assert record["id"] == "stdin"
    (problem,) = record["sentences"][0]["problems"]
    assert problem["kind"] == "name" and problem["text"] == "Lê Văn Hùng" and "Lê Văn Hưng" in problem["note"]


def test_jsonl_records_one_line_each_and_a_bad_record_does_not_stop_the_others(files, tmp_path, capsys):
    records = tmp_path / "batch.jsonl"
    lines = [{"id": "a", "summary": FAITHFUL, "source": ARTICLE, "lang": "en"},
             {"id": "b", "summary": CHANGED, "source": ARTICLE},
             {"id": "c", "summary": "", "source": ARTICLE},
             {"id": "d", "summary": "VN-Index tăng 25,36 điểm.", "lang": "vi"}]
    records.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines) + "\nnot json\n", encoding="utf-8")
    assert main(["check", str(records), "--source", str(files["article.txt"]), "--no-clean"]) == 2
    captured = capsys.readouterr()
    out = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["id"] for r in out] == ["a", "b", "c", "d", "batch.jsonl:5"]
    assert all(not s["problems"] for s in out[0]["sentences"]) and out[0]["sentences"][0]["sources"]
    assert out[1]["sentences"][1]["problems"][0]["kind"] == "number"
    assert out[2] == {"id": "c", "error": "the summary is empty"}
    assert out[3]["sentences"][0]["problems"] == []  # no "source": the --source article
    assert "not valid JSON" in out[4]["error"] and "batch.jsonl:5" in captured.err


def test_jsonl_all_good_exits_zero(tmp_path, capsys):
    records = tmp_path / "ok.jsonl"
    records.write_text(json.dumps({"id": "x", "summary": FAITHFUL, "source": ARTICLE}) + "\n", encoding="utf-8")
    assert main(["check", str(records)]) == 0


@pytest.mark.parametrize("argv, message", [
    (["check", "missing.txt", "--source", "article.txt"], "no such file: missing.txt"),
    (["check", "good.txt"], "--source ARTICLE is required"),
    (["check", "empty.txt", "--source", "article.txt"], "the summary is empty"),
    (["check", "good.txt", "--source", "binary.bin"], "binary"),
])
def test_input_errors_exit_two_with_one_line_and_no_traceback(files, tmp_path, argv, message):
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 20)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    proc = subprocess.run([sys.executable, "-m", "viensum", *argv], cwd=tmp_path, capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == "" and len(proc.stderr.strip().splitlines()) == 1
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_no_clean_checks_against_the_text_as_given(tmp_path, capsys):
    """The cleaner drops a page's hotline footer, so a summary quoting it is flagged; with --no-clean the
    footer is part of the article and the same summary is found in it."""
    page = tmp_path / "page.txt"
    page.write_text("Trang chủ | Thời sự | Kinh doanh | Thể thao\n\n" + ARTICLE
                    + "\nĐường dây nóng: 0913 777 888 | Liên hệ quảng cáo: 0988 123 456\n", encoding="utf-8")
    summary = tmp_path / "hotline.txt"
    summary.write_text("Readers can call the hotline 0913 777 888.", encoding="utf-8")
    assert main(["check", str(summary), "--source", str(page)]) == 1
    assert "the article has no 777" in capsys.readouterr().out
    assert main(["check", str(summary), "--source", str(page), "--no-clean"]) == 0
    assert capsys.readouterr().out.startswith("all numbers, dates and names found in the article")
