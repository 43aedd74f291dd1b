"""``viensum clean``: formats, output directory, stdin, and batches with bad files."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from viensum.cli import main

DATA = Path(__file__).parents[1] / "data"
SEED = "001_7a23386e8a2c9da9"


@pytest.fixture
def seed_path(seed_files) -> Path:
    return next(p for p in seed_files if p.stem == SEED)


def _gold(stem: str) -> str:
    return (DATA / "gold" / f"{stem}.txt").read_text(encoding="utf-8")


def test_text_format_to_stdout(seed_path, capsys):
    assert main(["clean", str(seed_path)]) == 0
    out = capsys.readouterr().out
    assert out == _gold(SEED)
    lines = out.split("\n")
    assert lines[0] == "IOM tiếp tục hỗ trợ Việt Nam triển khai Thoả thuận GCM" and lines[1] == ""


def test_json_format_is_the_whole_article(seed_path, capsys):
    assert main(["clean", "--format", "json", str(seed_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"] == "IOM tiếp tục hỗ trợ Việt Nam triển khai Thoả thuận GCM"
    assert data["byline"] == "Mạnh Hùng" and data["date"] == "2024-11-11" and data["language"] == "vi"
    assert {"text": "zalo-icon", "reason": "share/social icons"} in data["removed"]
    assert "\n\n".join([data["title"], *data["paragraphs"]]) + "\n" == _gold(SEED)


@pytest.mark.parametrize("fmt, suffix", [("text", ".txt"), ("json", ".json")])
def test_output_dir_one_file_per_input(seed_files, tmp_path, capsys, fmt, suffix):
    out_dir = tmp_path / "out"
    html = DATA / "html" / "vnexpress_like.html"
    assert main(["clean", "--format", fmt, "-o", str(out_dir), *map(str, seed_files), str(html)]) == 0
    assert capsys.readouterr().out == ""
    written = sorted(p.name for p in out_dir.iterdir())
    assert written == sorted(p.stem + suffix for p in [*seed_files, html])
    if fmt == "text":
        for p in seed_files:
            assert (out_dir / f"{p.stem}.txt").read_text(encoding="utf-8") == _gold(p.stem)
        assert (out_dir / "vnexpress_like.txt").read_text(encoding="utf-8").startswith(
            "Hà Nội mở thêm 5 tuyến buýt điện nối sân bay Nội Bài\n\n")
    else:
        assert json.loads((out_dir / "vnexpress_like.json").read_text(encoding="utf-8"))["input_format"] == "html"


def test_stdin(seed_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(seed_path.read_bytes()), encoding="utf-8"))
    assert main(["clean", "-"]) == 0
    assert capsys.readouterr().out == _gold(SEED)


def test_stdin_when_no_file_given(seed_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(seed_path.read_bytes()), encoding="utf-8"))
    assert main(["clean", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["byline"] == "Mạnh Hùng"


def test_several_inputs_to_stdout_are_separated(seed_files, capsys):
    assert main(["clean", *map(str, seed_files[:2])]) == 0
    out = capsys.readouterr().out
    assert out.count("==> ") == 2
    assert f"==> {seed_files[1]} <==\n" + _gold(seed_files[1].stem) in out
    assert main(["clean", "--format", "json", *map(str, seed_files[:2])]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["input"] for r in records] == [str(p) for p in seed_files[:2]]


def test_batch_with_bad_files_processes_the_rest(seed_files, tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    binary = tmp_path / "photo.jpg.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:  # a sparse 50 MB file: refused by its size, never read
        fh.truncate(50 * 1024 * 1024)
    missing = tmp_path / "missing.txt"
    out_dir = tmp_path / "out"
    args = [str(seed_files[0]), str(empty), str(binary), str(huge), str(missing), str(seed_files[1])]
    assert main(["clean", "-o", str(out_dir), *args]) == 1
    err = capsys.readouterr().err
    assert sorted(p.name for p in out_dir.iterdir()) == sorted([seed_files[0].stem + ".txt",
                                                               seed_files[1].stem + ".txt"])
    errors = [line for line in err.splitlines() if "error" in line]
    assert len(errors) == 4
    for bad, word in [(empty, "empty"), (binary, "binary"), (huge, "limit"), (missing, "No such file")]:
        line = next(line for line in errors if str(bad) in line)
        assert line.startswith("viensum: error: ") and word in line
    assert "Traceback" not in err


def test_html_extension_forces_html(tmp_path, capsys):
    page = tmp_path / "page.htm"
    page.write_text((DATA / "html" / "portal_like.html").read_text(encoding="utf-8").split("\n", 1)[1])
    assert main(["clean", "--format", "json", str(page)]) == 0
    assert json.loads(capsys.readouterr().out)["input_format"] == "html"


def test_english_text_warns_on_stderr(tmp_path, capsys):
    page = tmp_path / "en.txt"
    page.write_text("Heavy flooding in central Hue\n\n"
                    "Heavy rain since last night has flooded many streets in the centre of Hue, "
                    "and schools were closed for the day.\n")
    assert main(["clean", str(page)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("Heavy flooding in central Hue\n\n")
    assert "does not look Vietnamese" in captured.err


def test_help_documents_several_inputs():
    proc = subprocess.run([sys.executable, "-m", "viensum", "clean", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0
    assert "==> FILE <==" in proc.stdout and "JSON Lines" in proc.stdout


@pytest.mark.slow
def test_refusing_50mb_file_end_to_end_is_quick(tmp_path):
    huge = tmp_path / "huge.html"
    with open(huge, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    proc = subprocess.run([sys.executable, "-m", "viensum", "clean", str(huge)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "limit" in proc.stderr
    assert proc.stdout == ""


def test_a_folder_is_read_like_every_command_reads_it(seed_files, capsys):
    assert main(["clean", str(seed_files[0].parent)]) == 0
    out = capsys.readouterr().out
    assert out.count("==> ") == len(seed_files)
    assert f"==> {seed_files[2]} <==\n" + _gold(seed_files[2].stem) in out


def test_records_and_zip_members_are_articles_too(seed_files, tmp_path, capsys):
    import zipfile

    records = tmp_path / "in.jsonl"
    records.write_text(json.dumps({"id": "rec-1", "text": seed_files[0].read_text(encoding="utf-8")},
                                  ensure_ascii=False) + "\n{oops\n", encoding="utf-8")
    archive = tmp_path / "pages.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(seed_files[1], f"batch/{seed_files[1].name}")
    out_dir = tmp_path / "out"
    assert main(["clean", "-o", str(out_dir), str(records), str(archive)]) == 1  # the broken line
    err = capsys.readouterr().err
    assert err.startswith(f"viensum: error: {records}:2: line 2: not JSON")
    assert sorted(p.name for p in out_dir.iterdir()) == ["pages.zip_batch_" + seed_files[1].stem + ".txt",
                                                        "rec-1.txt"]
    assert (out_dir / "rec-1.txt").read_text(encoding="utf-8") == _gold(seed_files[0].stem)


def test_output_dir_holding_an_input_is_refused_before_any_work(seed_files, tmp_path, capsys):
    page = tmp_path / "page.txt"
    page.write_bytes(seed_files[0].read_bytes())
    assert main(["clean", str(page), "-o", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (f"viensum: error: the output folder {tmp_path} holds the input {page}; "
                                       "write to another folder\n")
    assert page.read_bytes() == seed_files[0].read_bytes()


def test_text_file_named_html_is_sniffed_as_text_with_no_library_lines(tmp_path):
    """Issue 22: `viensum clean a.html` on a text file printed trafilatura's 'parsed tree length: 0' twice,
    then 'no article text found'; summarize sniffs it as text. One behaviour, and only viensum's lines."""
    page = tmp_path / "a.html"
    page.write_text("Giá vàng tăng mạnh trong phiên sáng nay\n\nGiá vàng miếng tăng thêm nửa triệu đồng mỗi lượng "
                    "trong phiên sáng nay, theo bảng giá của các doanh nghiệp lớn ở Hà Nội.\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "viensum", "clean", str(page)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Giá vàng tăng mạnh trong phiên sáng nay\n\nGiá vàng miếng tăng")
    assert "parsed tree" not in proc.stderr and "trafilatura" not in proc.stderr
