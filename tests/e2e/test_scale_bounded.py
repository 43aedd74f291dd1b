"""The Ray runner's last resume gaps: Parquet beside other files, a last record without its newline,
--retry-failed, one run per output, an unwritable output found before Ray starts."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from require import require_module

from fakes import FAIL_MARKER
from viensum.cli import main
from viensum.errors import InputError
from viensum.scale import run_ray

ROOT = Path(__file__).resolve().parents[2]


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _with_marker(text: str) -> str:
    lines = text.split("\n")
    first = next(k for k, line in enumerate(lines) if len(line) > 200)
    lines[first] += " " + FAIL_MARKER  # inside prose, where the cleaner keeps it
    return "\n".join(lines)


@pytest.mark.slow
def test_mixed_folder_newline_less_last_record_and_retry_failed(ray_local, fake_recipes, seed_files, tmp_path,
                                                                 capsys):
    import pyarrow as pa
    import pyarrow.parquet as pq

    texts = [p.read_text(encoding="utf-8") for p in seed_files[:3]]
    folder = tmp_path / "mixed"
    folder.mkdir()
    pq.write_table(pa.table({"id": ["p1", "p2", "p3"], "text": [texts[0], texts[1], _with_marker(texts[2])]}),
                   folder / "recs.parquet")
    (folder / "loose.txt").write_text(texts[0], encoding="utf-8")
    out = tmp_path / "out.jsonl"
    command = ["summarize", str(folder), "-o", str(out), "--runner", "ray", "--model", "fake-two-stage",
               "--workers", "1"]

    assert main(command) == 1  # p3 failed
    by_id = {r["id"]: r for r in _records(out)}
    assert sorted(by_id) == ["loose", "p1", "p2", "p3"]
    assert all(by_id[i]["error"] is None and by_id[i]["summary_vi"] for i in ("loose", "p1", "p2"))  # before: "input is empty"
    assert "fake model failure" in by_id["p3"]["error"]
    assert by_id["p1"]["source_file"].endswith("recs.parquet:1")

    out.write_bytes(out.read_bytes().rstrip(b"\n"))  # a complete last record without its newline
    assert main(command) == 0
    assert "done 0" in capsys.readouterr().err
    assert Counter(r["id"] for r in _records(out)) == Counter({"loose": 1, "p1": 1, "p2": 1, "p3": 1})

    pq.write_table(pa.table({"id": ["p1", "p2", "p3"], "text": texts}), folder / "recs.parquet")
    assert main(command + ["--retry-failed"]) == 0
    assert "done 1, skipped 3, failed 0" in capsys.readouterr().err
    records = _records(out)
    assert Counter(r["id"] for r in records) == Counter({"loose": 1, "p1": 1, "p2": 1, "p3": 1})
    assert all(r["error"] is None for r in records)


def test_a_second_run_on_the_same_output_is_refused_before_it_starts(tmp_path, seed_files):
    require_module("ray", "pip install -e '.[ray]'")
    out = tmp_path / "out.jsonl"
    code = textwrap.dedent(f"""
        import time
        from viensum import outputs
        with outputs.output_lock({str(out)!r}):
            print("held", flush=True)
            time.sleep(60)
    """)
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                              env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    try:
        assert holder.stdout.readline().strip() == b"held"
        with pytest.raises(InputError, match="another viensum run is writing"):
            run_ray(seed_files[0], out, model="extractive")
    finally:
        holder.kill()
        holder.wait()
    assert not out.exists()


def test_an_unwritable_output_is_refused_before_ray_starts(tmp_path, seed_files):
    ray = require_module("ray", "pip install -e '.[ray]'")
    place = Path("/sys/viensum-out.jsonl") if os.geteuid() == 0 else tmp_path / "ro" / "out.jsonl"
    if os.geteuid() != 0:
        place.parent.mkdir()
        os.chmod(place.parent, 0o555)
    started = ray.is_initialized()
    with pytest.raises(InputError, match="cannot write .*: Permission denied"):
        run_ray(seed_files[0], place, model="extractive")
    assert ray.is_initialized() == started  # refused before Ray was started
