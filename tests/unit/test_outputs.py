"""Outputs: one run at a time (a lock), stale temporaries cleaned, hard links seen, errors naming the output."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from viensum import outputs
from viensum.errors import InputError

ROOT = Path(__file__).resolve().parents[2]


def hold_lock(path: Path):
    """Another process holding ``path``'s output lock until it is killed."""
    code = textwrap.dedent(f"""
        import sys, time
        from viensum import outputs
        with outputs.output_lock({str(path)!r}):
            print("held", flush=True)
            time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert proc.stdout.readline().strip() == b"held"
    return proc


def test_a_second_run_on_the_same_output_is_refused_saying_the_lock_is_held(tmp_path):
    out = tmp_path / "out.jsonl"
    holder = hold_lock(out)
    try:
        with pytest.raises(InputError, match=r"another viensum run is writing .*out\.jsonl \(it holds .*\.out\.jsonl\.lock\)"):
            outputs.write_atomic(out, "x\n")
        assert not out.exists()
    finally:
        holder.kill()
        holder.wait()
    outputs.write_atomic(out, "x\n")  # the lock died with its holder
    assert out.read_text() == "x\n" and not (tmp_path / ".out.jsonl.lock").exists()


def test_the_lock_is_reentrant_within_a_run(tmp_path):
    out = tmp_path / "out.jsonl"
    with outputs.output_lock(out):
        outputs.write_atomic(out, "a\n")  # e.g. resume rewriting OUTPUT while the run holds it
        with outputs.output_lock(out):
            pass
    assert out.read_text() == "a\n"


def test_stale_temporaries_of_our_pattern_are_removed_by_the_next_write(tmp_path):
    out = tmp_path / "out.jsonl"
    stale = [tmp_path / ".out.k2j4h1x_.tmp.jsonl", tmp_path / ".out.abcdefgh.tmp.jsonl"]
    others = [tmp_path / ".out.v2.abcdefgh.tmp.jsonl", tmp_path / ".other.abcdefgh.tmp.jsonl",
              tmp_path / "out.abcdefgh.tmp.jsonl"]
    for p in stale + others:
        p.write_text("partial")
    outputs.write_atomic(out, "done\n")
    assert not any(p.exists() for p in stale)
    assert all(p.exists() for p in others)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out.jsonl"] + [p.name for p in others])


def test_a_hard_linked_output_is_an_input(tmp_path):
    article = tmp_path / "news" / "a.txt"
    article.parent.mkdir()
    article.write_text("Hà Nội", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    os.link(article, out)
    with pytest.raises(InputError, match="also an input .*hard link"):
        outputs.check_output(out, [article])
    with pytest.raises(InputError, match="also an input .*hard link"):
        outputs.check_output(out, [article.parent])  # a file the folder input reads
    other = tmp_path / "other.jsonl"
    other.write_text("")
    outputs.check_output(other, [article, article.parent])


def test_a_failed_write_names_the_output_not_the_hidden_temporary(tmp_path, monkeypatch):
    out = tmp_path / "out.jsonl"

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / ".out.abcdefgh.tmp.jsonl"))

    monkeypatch.setattr(outputs.tempfile, "mkstemp", refuse)
    with pytest.raises(InputError) as err:
        outputs.write_atomic(out, "x")
    assert str(err.value) == f"cannot write {out}: Permission denied"
    monkeypatch.undo()

    def full(fd):
        raise OSError(28, "No space left on device")

    out.write_text("old\n")
    monkeypatch.setattr(outputs.os, "fsync", full)
    with pytest.raises(InputError, match=f"cannot write {out}: No space left on device"):
        outputs.write_atomic(out, "new\n")
    assert out.read_text() == "old\n" and sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


def test_an_unwritable_place_is_found_before_any_work(tmp_path):
    if os.geteuid() == 0:
        place = Path("/sys/viensum-out.jsonl")  # root writes through permissions; sysfs refuses new files
    else:
        (tmp_path / "ro").mkdir()
        os.chmod(tmp_path / "ro", 0o555)
        place = tmp_path / "ro" / "out.jsonl"
    with pytest.raises(InputError, match="cannot write .*out.jsonl: Permission denied"):
        outputs.check_writable(place)
    outputs.check_writable(tmp_path / "new" / "deeper" / "out.jsonl")
    assert not (tmp_path / "new").exists()  # the check creates nothing
