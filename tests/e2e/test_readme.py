"""Every code block of README.md runs as written: the Python blocks, and each command line of the
shell blocks, in a folder holding the files they name, with tiny local models (tests build them)."""
from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
pytestmark = pytest.mark.slow

# lines that cannot run here, and where they are checked instead
NOT_HERE = {
    "viensum models download": "needs the Hugging Face hub (no network in tests); tests/unit/test_store.py",
    "viensum serve": "a server that runs until stopped; tests/cli/test_serve.py and tests/e2e/test_app.py",
    "python3 -m venv": "the install lines; CI runs them on a clean clone (.ci/run)",
    "--runner ray": "Ray; tests/e2e/test_scale.py",
    # links, feeds and digests fetch from the network; these tests serve the same commands' pages locally
    "https://": "the network; tests/cli/test_summarize_links.py and tests/cli/test_digest.py (local server)",
    "links.txt": "a list of links (the network); tests/cli/test_summarize_links.py",
    "FEED...": "feeds (the network); tests/cli/test_digest.py",
    "viensum check summary.txt": "a summary file of the reader's own; tests/cli/test_check.py",
    "viensum check records.jsonl": "check records {id, summary, source}; tests/cli/test_check.py",
}


def blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README.read_text(encoding="utf-8"), re.M | re.S)


def command_lines() -> list[str]:
    """The command lines of the README's shell blocks, comments dropped, in order."""
    lines = []
    for block in blocks("bash"):
        for line in block.replace("\\\n", " ").splitlines():  # a line continued with a backslash is one line
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A folder with what the examples name: seeds/, tests/data/gold, and the files of the examples."""
    work = tmp_path_factory.mktemp("readme")
    (work / "seeds").symlink_to(ROOT / "seeds")
    (work / "tests").symlink_to(ROOT / "tests")
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    text = seeds[1].read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    page = ("<html><body><nav>Trang chủ | Thế giới</nav><article><h1>" + paragraphs[0] + "</h1>"
            + "".join(f"<p>{p}</p>" for p in paragraphs[1:]) + "</article><footer>Liên hệ</footer></body></html>")
    for name in ("page.html", "b.html", "article.html"):
        (work / name).write_text(page, encoding="utf-8")
    for name in ("a.txt", "article.txt"):
        (work / name).write_text(text, encoding="utf-8")
    with zipfile.ZipFile(work / "news.zip", "w") as zf:
        zf.write(seeds[2], "news/" + seeds[2].name)
    (work / "records.jsonl").write_text(json.dumps({"id": "r1", "text": seeds[3].read_text(encoding="utf-8")},
                                                   ensure_ascii=False) + "\n", encoding="utf-8")
    return work


def test_the_python_blocks_run_as_written(tiny_store, workdir):
    first, *others = blocks("python")
    env = {**os.environ, "VIENSUM_MODELS_DIR": str(tiny_store), "HF_HUB_OFFLINE": "1"}
    for code in [first, *others]:  # each block on its own, as a reader would paste it
        proc = subprocess.run([sys.executable, "-c", code], cwd=workdir, env=env, capture_output=True, text=True,
                              timeout=1200)
        assert proc.returncode == 0, proc.stderr[-3000:]
        if code is first:
            assert "5 documents" in proc.stdout and "ROUGE-1" in proc.stdout  # the report printed at the end


def test_every_command_line_runs_as_written(tiny_store, workdir):
    # the viensum command of this Python's environment, as an activated virtualenv gives it
    path = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
    env = {**os.environ, "VIENSUM_MODELS_DIR": str(tiny_store), "HF_HUB_OFFLINE": "1", "PATH": path}
    ran = []
    for line in command_lines():
        if any(key in line for key in NOT_HERE):
            continue
        line = line.replace("/tmp/tiny", str(workdir / "tiny"))  # the one path of the README outside the folder
        proc = subprocess.run(["bash", "-c", line], cwd=workdir, env=env, capture_output=True, text=True,
                              timeout=1200)
        assert proc.returncode == 0, f"{line}\n{proc.stderr[-2000:]}"
        for out in re.findall(r"(?:-o|--plot)\s+(\S+)", line):
            assert (workdir / out).exists(), f"{line}: no {out}"
        ran.append(line)
    assert len(ran) >= 15 and any(line.startswith("viensum evaluate-clean") for line in ran)
    assert all(shlex.split(line) for line in ran)
