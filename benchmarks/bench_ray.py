"""Throughput of the Ray engine with 1 vs 2 (or more) local model replicas.

    .venv/bin/python benchmarks/bench_ray.py --articles 200 --workers 1 2

Builds tiny random models (``viensum.tiny``) in a temporary store, writes
``--articles`` distinct articles made from the seed articles to a JSONL file,
starts one local Ray instance and runs :func:`viensum.scale.run_ray` once per
worker count (after an untimed warm-up run), each into a fresh output, plus a
16-article run per worker count that is nearly all fixed cost (actor start,
model load); the difference gives the steady-state rate. Prints a Markdown
table for docs/BENCHMARKS.md. With tiny models the per-article model
time is small, so Ray's start-up and scheduling overhead weighs heavily: the
figures bound the engine's overhead, not the speed of real models.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SMALL = 16  # articles in the run that measures the fixed cost


def make_articles(n: int) -> list[dict]:
    seeds = [p.read_text(encoding="utf-8").split("\n") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    records = []
    for i in range(n):
        lines = list(seeds[i % len(seeds)])
        first = next(k for k, line in enumerate(lines) if len(line) > 200)
        lines[first] += f" Đây là bài viết số {i} của bộ thử nghiệm."  # distinct texts: no summary cache hits
        records.append({"id": f"art-{i:05d}", "text": "\n".join(lines)})
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--model", default="two-stage", help="recipe (tiny models are built for it)")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--num-beams", type=int, default=1)
    parser.add_argument("--max-new-tokens", type=int, default=32)
    args = parser.parse_args(argv)

    import ray
    import ray.data

    from viensum.scale import run_ray
    from viensum.tiny import make_tiny

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        make_tiny(work / "models", ["vit5-base-vietnews", "opus-mt-vi-en"])
        os.environ["VIENSUM_MODELS_DIR"] = str(work / "models")
        os.environ["HF_HUB_OFFLINE"] = "1"
        records = make_articles(args.articles)
        source, small = work / "in.jsonl", work / "small.jsonl"
        for path, part in ((source, records), (small, records[:SMALL])):
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part), encoding="utf-8")
        # one logical CPU per replica plus one for reading: the replicas never wait for a slot
        ray.init(num_cpus=max(args.workers) + 1, include_dashboard=False, log_to_driver=False)
        ray.data.DataContext.get_current().enable_progress_bars = False
        options = {"model": args.model, "batch_size": args.batch_size, "num_beams": args.num_beams,
                   "max_new_tokens": args.max_new_tokens}
        try:
            run_ray(small, work / "warm-up.jsonl", num_workers=1, **options)  # page cache, worker imports
            rows = []
            for n in args.workers:
                # a SMALL-article run is almost all fixed cost (actor start, model load): the
                # difference to the full run is the steady-state rate
                fixed = run_ray(small, work / f"small-{n}.jsonl", num_workers=n, **options)["seconds"]
                stats = run_ray(source, work / f"out-{n}.jsonl", num_workers=n, **options)
                assert stats["done"] == args.articles, stats
                steady = (args.articles - SMALL) / max(1e-9, stats["seconds"] - fixed)
                rows.append((n, stats["seconds"], args.articles / stats["seconds"], fixed, steady))
        finally:
            ray.shutdown()

    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
          f"python {sys.version.split()[0]}, ray {ray.__version__}")
    print(f"command: {' '.join([Path(sys.argv[0]).name] + (argv if argv is not None else sys.argv[1:]))}")
    print(f"{args.articles} articles, recipe {args.model} (tiny random models), batch {args.batch_size}, "
          f"beams {args.num_beams}, max_new_tokens {args.max_new_tokens}\n")
    print(f"| workers | seconds, whole run | articles/s, whole run | seconds, {SMALL}-article run | "
          "articles/s, steady state | speed-up, steady state |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n, seconds, rate, fixed, steady in rows:
        print(f"| {n} | {seconds:.1f} | {rate:.2f} | {fixed:.1f} | {steady:.2f} | {steady / rows[0][4]:.2f}x |")
    return 0


if __name__ == "__main__":
    started = time.perf_counter()
    code = main()
    print(f"\n(benchmark wall time {time.perf_counter() - started:.0f} s)")
    raise SystemExit(code)
