"""Time and memory of each refusal in docs/RELIABILITY.md, measured as a user meets it.

Builds the hostile files with ``tests/bombs.py`` in a temporary folder (a .docx holding 50 MB of
XML, PDFs whose 2,000 pages share one content stream, 20 zips each within its own limits), then
runs each command (the CLI, the app's reader, a Ray worker's read) under ``/usr/bin/time -v``,
``--repeat`` times, and prints wall time, CPU (user + system, the command and its reader process
together) and the peak RSS of the largest of them, with the load average at the time.
``--baseline SRC`` runs each command a second time with ``PYTHONPATH=SRC`` (e.g. another checkout's
``src``), side by side.

    python benchmarks/refusals.py --repeat 3
    python benchmarks/refusals.py --only pdf --baseline /path/to/main/src
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
VIENSUM = [PY, "-m", "viensum"]
APP = "from viensum import ui\ntry: ui.read_document({!r})\nexcept Exception as e: print(e)"
WORKER = "from viensum import inputs; [i] = inputs.list_items([{!r}]); print(inputs.load_item(i).error)"
BATCH = ("from viensum import ui\ntry: ui.batch_items(['z%02d.zip' % k for k in range(20)])\n"
         "except Exception as e: print(e)")

CASES = [  # name, command
    ("docx CLI", VIENSUM + ["clean", "bomb50.docx"]),
    ("docx app reader", [PY, "-c", APP.format("bomb50.docx")]),
    ("docx Ray worker read", [PY, "-c", WORKER.format("bomb50.docx")]),
    ("pdf 1 MB stream x 2000 CLI", VIENSUM + ["clean", "shared2000x1mb.pdf"]),
    ("pdf 1 MB stream x 2000 app reader", [PY, "-c", APP.format("shared2000x1mb.pdf")]),
    ("pdf 1 MB stream x 2000 Ray worker read", [PY, "-c", WORKER.format("shared2000x1mb.pdf")]),
    ("pdf 82 KB stream x 2000 CLI", VIENSUM + ["clean", "shared2000.pdf"]),
    ("20-zip batch, app", [PY, "-c", BATCH]),
    ("pdf 20 pages read whole", VIENSUM + ["clean", "shared20.pdf", "-o", "out20"]),
]


def build(folder: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    import bombs

    (folder / "bomb50.docx").write_bytes(bombs.docx(800_000))
    (folder / "shared2000.pdf").write_bytes(bombs.pdf(2000, 1000))
    (folder / "shared2000x1mb.pdf").write_bytes(bombs.pdf(2000, 12_500))
    (folder / "shared20.pdf").write_bytes(bombs.pdf(20, 1000))
    archive = bombs.zip_of_zeros(10, 10 * 1024 * 1024)
    for k in range(20):
        (folder / f"z{k:02d}.zip").write_bytes(archive)


def timed(command: list[str], folder: Path, src: Path) -> dict:
    """One run under /usr/bin/time -v: wall s, CPU s, peak RSS MB, the load, the output's last line."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    subprocess.run(["rm", "-rf", str(folder / "out20")], check=False)
    done = subprocess.run(["/usr/bin/time", "-v", *command], cwd=folder, env=env, capture_output=True, text=True)
    report = done.stderr

    def field(name: str) -> str:
        return re.search(rf"{re.escape(name)}.*?: (\S+)\n", report).group(1)

    minutes, seconds = field("Elapsed (wall clock) time").rsplit(":", 1)
    own = report.split("\tCommand being timed")[0].replace("Command exited with non-zero status", "")
    said = [line for line in (done.stdout + own).splitlines() if line.strip() and not line.strip().isdigit()]
    return {"wall": float(minutes.split(":")[-1]) * 60 + float(seconds),
            "cpu": float(field("User time (seconds)")) + float(field("System time (seconds)")),
            "rss": int(field("Maximum resident set size (kbytes)")) / 1024,
            "load": os.getloadavg()[0], "said": said[-1][:110] if said else ""}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="", help="run only the cases whose name contains this")
    parser.add_argument("--baseline", type=Path, help="also run each command with PYTHONPATH set to this src")
    args = parser.parse_args(argv)
    runs = [("now", ROOT / "src")] + ([("baseline", args.baseline)] if args.baseline else [])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build(folder)
        for name, command in CASES:
            if args.only not in name:
                continue
            for _ in range(args.repeat):
                for label, src in runs:
                    r = timed(command, folder, src)
                    print(f"{name:40} {label:8} {r['wall']:5.2f} s wall {r['cpu']:5.2f} s CPU {r['rss']:6.1f} MB "
                          f"load {r['load']:4.1f}  {r['said']}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
