"""What the Python API prints on its own: a clear message without a chained traceback, no loading
bars, and a progress display with a rate."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def python(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=300)


def test_no_model_installed_gives_one_traceback_ending_in_the_message(tmp_path):
    env = {"VIENSUM_MODELS_DIR": str(tmp_path / "store"), "HF_HOME": str(tmp_path / "hf"),
           "HF_ENDPOINT": "http://127.0.0.1:9", "HF_HUB_OFFLINE": "0", "HF_HUB_ETAG_TIMEOUT": "5"}
    proc = python("import viensum\nlist(viensum.Summarizer(model='two-stage').iter_summarize(['x']))", **env)
    assert proc.returncode == 1
    assert proc.stderr.count("Traceback") == 1
    assert "direct cause" not in proc.stderr and "During handling" not in proc.stderr
    assert re.search(r"^viensum\.store\.HubUnreachable: cannot download vit5-base-vietnews: the Hugging Face hub "
                     r"cannot be reached", proc.stderr, re.M)
    assert len(proc.stderr.splitlines()) < 40  # was ~90 lines of httpx frames


@pytest.mark.slow
def test_transformers_runtime_prints_no_loading_bars(tiny_store):
    proc = python("import viensum\ns = viensum.Summarizer(model='two-stage', runtime='transformers')\n"
                  "print(s.summarize(open('seeds/001_7a23386e8a2c9da9.txt').read(), num_beams=1, "
                  "max_new_tokens=4).recipe)", VIENSUM_MODELS_DIR=str(tiny_store), HF_HUB_OFFLINE="1")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "two-stage"
    assert "Loading weights" not in proc.stderr and proc.stderr.strip() == ""


def test_progress_on_a_generator_shows_a_rate_while_it_runs(no_models, seed_texts, capsys):
    import viensum

    def slowly():
        for text in list(seed_texts.values()) + list(seed_texts.values())[:2]:
            time.sleep(0.15)  # a reader taking its time: the display must move meanwhile
            yield text

    got = list(viensum.Summarizer(model="extractive").iter_summarize(slowly(), progress=True, batch_size=2))
    assert len(got) == 7
    frames = [f.strip() for f in re.split(r"[\r\n]", capsys.readouterr().err) if f.strip()]
    moving = [f for f in frames if (m := re.search(r"summarising: (\d+)article", f)) and 0 < int(m.group(1)) < 7]
    assert moving and all(re.search(r"\d+\.\d+(article/s|s/article)", f) for f in moving)
    assert re.search(r"summarising: 7article .*\d(article/s|s/article)", frames[-1])
