"""What a new user meets first on the command line, run as a user runs it: a subprocess, and for what
depends on a terminal a real pseudo-terminal with a size (tests/terminal.py)."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from require import require_module
from terminal import frames, run_in_terminal

ROOT = Path(__file__).resolve().parents[2]
INSTALL_BANNER = "the default models are not installed"


@pytest.fixture
def user_env(tmp_path) -> dict:
    """A new user's machine: no model installed, the hub out of reach."""
    store = tmp_path / "no-models"
    store.mkdir()
    return {**os.environ, "VIENSUM_MODELS_DIR": str(store), "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}


def viensum(*args: str, env: dict, stdin: bytes | None = b"") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "viensum", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, timeout=300)


def stderr_lines(proc) -> list[str]:
    return [line for line in proc.stderr.decode().splitlines() if line.strip()]


# ---------------------------------------------------------------- 1: the progress bar

def test_progress_bar_moves_per_article_and_ends_at_n_of_n(user_env, tmp_path):
    out = tmp_path / "summaries.jsonl"
    env = {**user_env, "TQDM_MININTERVAL": "0"}  # every redraw reaches the terminal
    status, screen = run_in_terminal([sys.executable, "-m", "viensum", "summarize", "seeds/", "-o", str(out),
                                      "--batch-size", "1"], env=env, cwd=ROOT)
    assert status == 0, screen
    counts = [int(m.group(1)) for f in frames(screen) if (m := re.search(r"(\d+)/5 \[", f))]
    assert counts[-1] == 5, screen                       # it ends at N/N ...
    assert {1, 2, 3, 4} <= set(counts) and counts == sorted(counts)  # ... and moved per article
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5


def test_progress_ends_at_n_of_n_with_the_default_batch(user_env, tmp_path):
    out = tmp_path / "summaries.jsonl"
    status, screen = run_in_terminal([sys.executable, "-m", "viensum", "summarize", "seeds/", "-o", str(out)],
                                     env=user_env, cwd=ROOT)
    assert status == 0, screen
    last = [f for f in frames(screen) if "summarising" in f][-1]
    assert "5/5" in last and "100%" in last, screen


# ---------------------------------------------------------------- 2: the same input, the same words

def test_a_missing_file_is_named_by_its_path_in_every_command(user_env, seed_files):
    missing = "news/nope.txt"
    lines = {}
    for command in ("clean", "summarize", "translate"):
        proc = viensum(command, missing, str(seed_files[0]), env=user_env)
        assert proc.returncode == 1
        lines[command] = [line for line in stderr_lines(proc) if "nope" in line]
    assert {tuple(v) for v in lines.values()} == {(f"viensum: error: {missing}: No such file or directory",)}


def test_no_install_banner_when_every_input_failed(user_env, seed_files, tmp_path):
    proc = viensum("summarize", "nope.txt", str(tmp_path / "gone.html"), env=user_env)
    assert proc.returncode == 1
    assert INSTALL_BANNER not in proc.stderr.decode()
    assert len(stderr_lines(proc)) == 2
    proc = viensum("summarize", "nope.txt", str(seed_files[0]), env=user_env)  # one summarised: said once
    assert proc.stderr.decode().count(INSTALL_BANNER) == 1


def test_clean_without_arguments_on_a_terminal_says_it_reads_stdin(user_env, seed_files):
    article = seed_files[0].read_bytes().replace(b"\n", b"\r")  # typed lines end with Enter
    status, screen = run_in_terminal([sys.executable, "-m", "viensum", "clean"], env=user_env, cwd=ROOT,
                                     typed=article + b"\r\x04")
    assert "reading the article from the terminal" in screen and "Ctrl-D" in screen
    headline = seed_files[0].read_text(encoding="utf-8").splitlines()[0].strip()
    assert status == 0 and screen.count(headline) == 1  # the cleaned article (typing is not echoed)


def test_summarize_takes_max_bytes_and_the_size_error_names_it(user_env, seed_files):
    size = seed_files[0].stat().st_size
    proc = viensum("summarize", str(seed_files[0]), "--max-bytes", str(size - 1), env=user_env)
    assert proc.returncode == 1
    assert stderr_lines(proc) == [f"viensum: error: {seed_files[0]}: file is {size:,} bytes, over the "
                                  f"{size - 1:,}-byte limit (--max-bytes N raises it)"]
    proc = viensum("summarize", str(seed_files[0]), "--max-bytes", str(size), env=user_env)
    assert proc.returncode == 0 and json.loads(proc.stdout)["summary_vi"]


def test_english_input_is_named_in_words(user_env, tmp_path):
    english = tmp_path / "en.txt"
    english.write_text("The central bank raised interest rates on Tuesday, officials said in a statement. "
                       "Markets fell sharply after the announcement.\n", encoding="utf-8")
    proc = viensum("summarize", str(english), env=user_env)
    assert proc.returncode == 1
    assert re.fullmatch(rf"viensum: error: {re.escape(str(english))}: not Vietnamese: the text is English "
                        r"\(detected 'en', score 0\.\d\d\); only Vietnamese is summarised", stderr_lines(proc)[0])


# ---------------------------------------------------------------- 3, 4: -v anywhere, messages ours

@pytest.mark.parametrize("args", [["-v", "summarize"], ["summarize", "-v"], ["summarize", "--verbose"], ["summarize"]])
def test_verbose_before_or_after_the_subcommand(user_env, seed_files, args):
    proc = viensum(*args, str(seed_files[0]), env=user_env)
    assert proc.returncode == 0, proc.stderr.decode()
    # -v took effect wherever it stands: the run's progress lines (info) appear, and only then
    assert ("viensum: info: " in proc.stderr.decode()) == (len(args) == 2), proc.stderr.decode()


def test_vv_shows_debugging_detail_and_v_does_not(user_env, seed_files, tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj garbage\n")
    quiet = viensum("summarize", str(bad), str(seed_files[0]), "-v", env=user_env)
    loud = viensum("-v", "summarize", str(bad), str(seed_files[0]), "-v", env=user_env)  # -v -v = -vv
    assert "debug:" not in quiet.stderr.decode()
    assert f"viensum: debug: viensum.cli.summarize: {seed_files[0]}: id {seed_files[0].stem}, recipe extractive" \
        in loud.stderr.decode()                                   # per-article detail
    assert "EOF marker" not in quiet.stderr.decode()


def test_third_party_messages_do_not_leak(user_env, tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj garbage\n")
    for command in ("clean", "summarize"):
        proc = viensum(command, str(bad), env=user_env)
        assert stderr_lines(proc) == [f"viensum: error: {bad}: this PDF cannot be read (damaged, "
                                      "password-protected, or not really a PDF); open it and paste its text "
                                      "instead"], command


# ---------------------------------------------------------------- 5: resume, and Ctrl-C

def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_resume_skips_the_ids_already_in_the_output(user_env, seed_files, tmp_path):
    out = tmp_path / "summaries.jsonl"
    earlier = {"id": seed_files[1].stem, "summary_vi": "DONE EARLIER", "error": None}
    out.write_text(json.dumps(earlier) + "\n", encoding="utf-8")
    proc = viensum("summarize", "seeds/", "-o", str(out), "--resume", env=user_env)
    assert proc.returncode == 0, proc.stderr.decode()
    assert "resuming: 1 of 5 articles are already in" in proc.stderr.decode()
    got = _records(out)
    assert sorted(r["id"] for r in got) == sorted(p.stem for p in seed_files)  # each id once
    assert got[0] == earlier                                                   # kept, not redone
    assert all(r["summary_vi"] != "DONE EARLIER" for r in got[1:])


def test_resume_needs_a_jsonl_output_file(user_env):
    proc = viensum("summarize", "seeds/", "--resume", env=user_env)
    assert proc.returncode == 1 and "--resume needs -o FILE" in proc.stderr.decode()


def _many_articles(seed_files, tmp_path, n: int = 400) -> Path:
    texts = [p.read_text(encoding="utf-8") for p in seed_files]
    records = tmp_path / "many.jsonl"
    records.write_text("".join(json.dumps({"id": f"a{i:04d}", "text": texts[i % len(texts)]},
                                          ensure_ascii=False) + "\n" for i in range(n)), encoding="utf-8")
    return records


def _interrupt_when_written(proc, folder: Path, lines: int = 1, timeout: float = 240) -> None:
    """Ctrl-C (SIGINT) once the run has written ``lines`` records to its temporary file."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        temps = list(folder.glob(".summaries.*.tmp.jsonl"))
        if temps and temps[0].read_bytes().count(b"\n") >= lines:
            proc.send_signal(signal.SIGINT)
            return
        time.sleep(0.05)
    pytest.fail("the run ended (or hung) before writing anything")


def test_ctrl_c_keeps_the_finished_articles_and_resume_does_the_rest(user_env, seed_files, tmp_path):
    source = _many_articles(seed_files, tmp_path)
    out = tmp_path / "out" / "summaries.jsonl"
    out.parent.mkdir()
    command = [sys.executable, "-m", "viensum", "summarize", str(source), "-o", str(out)]
    proc = subprocess.Popen(command, cwd=ROOT, env=user_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _interrupt_when_written(proc, out.parent)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err.decode()
    kept = _records(out)
    assert 0 < len(kept) < 400 and f"the {len(kept)} articles finished now are in" in err.decode()
    assert [r["id"] for r in kept] == [f"a{i:04d}" for i in range(len(kept))]  # whole records, in order
    assert list(out.parent.iterdir()) == [out]  # no temporary left behind

    proc = subprocess.run([*command, "--resume"], cwd=ROOT, env=user_env, capture_output=True, timeout=600)
    assert proc.returncode == 0, proc.stderr.decode()
    ids = [r["id"] for r in _records(out)]
    assert ids == [f"a{i:04d}" for i in range(400)]
    assert _records(out)[:len(kept)] == kept


def test_ctrl_c_during_a_write_counts_the_record_it_lands_on():
    """Ctrl-C arriving while a record is being written: the record is kept and counted, so the message's
    number is the file's (it said 10 for 11 records when the signal fell between the write and the count)."""
    from viensum.cli.summarize import _Writer
    from viensum.results import Summary

    class Out:
        def __init__(self):
            self.lines = []

        def write(self, line):
            self.lines.append(line)
            if len(self.lines) == 3:
                signal.raise_signal(signal.SIGINT)  # the user presses Ctrl-C now

        def flush(self):
            pass

    items = [type("Item", (), {"name": f"a{i}"})() for i in range(5)]
    stream = (Summary(id=f"a{i}", summary_vi="Một câu.") for i in range(5))
    writer, out = _Writer("jsonl"), Out()
    with pytest.raises(KeyboardInterrupt):
        writer.write(items, stream, out)
    assert len(out.lines) == 3 and writer.count == 3


def test_ctrl_c_leaves_an_existing_output_as_it_was_without_resume(user_env, seed_files, tmp_path):
    source = _many_articles(seed_files, tmp_path)
    out = tmp_path / "summaries.jsonl"
    out.write_text('{"id": "old"}\n', encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "viensum", "summarize", str(source), "-o", str(out)],
                            cwd=ROOT, env=user_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _interrupt_when_written(proc, tmp_path)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "is as it was" in err.decode()
    assert out.read_text(encoding="utf-8") == '{"id": "old"}\n'


# ---------------------------------------------------------------- 7: Ray's token authentication

@pytest.mark.parametrize("cause, definite", [
    ("GCS call failed: status=InvalidAuthToken: the client did not send a valid token", True),
    ("Timed out after 20 s waiting for the GCS", False),
])
def test_joining_a_token_cluster_without_the_token_mode_says_what_to_set(
        monkeypatch, capsys, seed_files, tmp_path, cause, definite):
    ray = require_module("ray", "pip install -e '.[ray]'")
    from viensum.cli import main

    def refuse(*args, **kwargs):  # what ray.init raises: ConnectionError from the GCS client's error
        try:
            raise RuntimeError(cause)
        except RuntimeError as exc:
            raise ConnectionError("Failed to connect to Ray cluster at 10.0.0.5:6379") from exc

    monkeypatch.setattr(ray, "init", refuse)
    monkeypatch.delenv("RAY_AUTH_MODE", raising=False)
    monkeypatch.setenv("VIENSUM_MODELS_DIR", str(tmp_path / "store"))
    status = main(["summarize", str(seed_files[0]), "-o", str(tmp_path / "o.jsonl"), "--runner", "ray",
                   "--ray-address", "10.0.0.5:6379"])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 1 and len([line for line in err if "error" in line]) == 1
    assert "RAY_AUTH_MODE=token" in err[-1] and "10.0.0.5:6379" in err[-1]
    assert ("refused this client's authentication" in err[-1]) == definite
