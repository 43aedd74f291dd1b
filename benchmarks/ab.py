"""viensum from several source trees side by side: run.py's ``viensum`` variant, interleaved, for an A/B of changes.

Each tree (a folder holding the ``viensum`` package, e.g. ``/work/main/src`` and ``src``; ``git archive
<commit> src | tar -x -C <folder>`` makes one of any commit) gets run.py's worker process for each
workload, with ``PYTHONPATH`` pointing at it; the workers load, warm up and then take turns, one
repetition each, in a rotating order (A B C, B C A, ...), as run.py's variants do. Printed: median and
max wall time and median CPU time per repetition, peak RSS, each tree's speed against the first, and
the load average.

    python benchmarks/ab.py --trees /work/main/src src --only summarize-5:4,summarize-1:6
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402


class TreeWorker(run.Worker):
    """run.py's viensum worker with ``viensum`` imported from ``tree``."""

    def __init__(self, tree: str, task: str, inputs: Path) -> None:
        self.variant = tree
        env = {**os.environ, "PYTHONPATH": str(Path(tree).resolve())}
        self.proc = subprocess.Popen(
            [sys.executable, run.__file__, "--worker", "viensum", "--task", task, "--inputs", str(inputs)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=run.ROOT, env=env)
        self.load_s = self._read()["load_s"]


def compare(name: str, reps: int, trees: list[str], folder: Path) -> None:
    from viensum.translate import plan

    task, count = name.split("-")[0], int(name.split("-")[1])
    docs = run.articles(count)
    items = ([s for a in docs for s in plan(a) if s.strip()] if task == "translate"
             else [{"title": a.title, "paragraphs": a.paragraphs} for a in docs])
    path = folder / f"{name}.json"
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    workers = [TreeWorker(tree, task, path) for tree in trees]
    wall: list[list[float]] = [[] for _ in trees]
    cpu: list[list[float]] = [[] for _ in trees]
    load = os.getloadavg()[0]
    for rep in range(reps):
        for k in [(rep + j) % len(trees) for j in range(len(trees))]:
            r = workers[k].run()
            wall[k].append(r["seconds"])
            cpu[k].append(r["cpu_s"])
        print(f"  {name} rep {rep + 1}: " + ", ".join(f"{w[-1]:.2f} s" for w in wall) +
              f"  (load {os.getloadavg()[0]:.2f})", flush=True)
    rss = [w.close() for w in workers]
    print(f"\n{name}, {reps} repetitions each, load {load:.2f} before, {os.getloadavg()[0]:.2f} after\n")
    print("| tree | median wall s | max wall s | median CPU s | peak RSS MB | speed vs A (wall) | vs A (CPU) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    base_w, base_c = statistics.median(wall[0]), statistics.median(cpu[0])
    for k, tree in enumerate(trees):
        w, c = statistics.median(wall[k]), statistics.median(cpu[k])
        print(f"| {'ABCDEFGH'[k]}: {tree} | {w:.2f} | {max(wall[k]):.2f} | {c:.2f} | {rss[k]:.0f} | "
              f"{base_w / w:.2f}x | {base_c / c:.2f}x |")
    print(flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trees", nargs="+", required=True, help="source trees, the baseline first (at most 8)")
    parser.add_argument("--only", required=True, help="workloads with repetitions: summarize-5:4,translate-5:3")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="viensum-ab-") as tmp:
        for part in args.only.split(","):
            name, _, reps = part.partition(":")
            compare(name, int(reps or 3), args.trees, Path(tmp))


if __name__ == "__main__":
    main()
