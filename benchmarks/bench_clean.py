"""Cleaning throughput: viensum.clean_article vs plain trafilatura.extract on the same inputs.

Inputs: the five sample articles (plain text) and the HTML fixtures in
tests/data/html, each repeated until there are about N inputs per kind.

    .venv/bin/python benchmarks/bench_clean.py [--n 300] [--out results.md]
"""
from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _inputs(kind: str, n: int) -> list[bytes]:
    files = sorted((ROOT / "seeds").glob("*.txt")) if kind == "text" else sorted(
        (ROOT / "tests" / "data" / "html").glob("*.html"))
    docs = [p.read_bytes() for p in files]
    return [docs[i % len(docs)] for i in range(n)]


def _time(fn, docs: list[bytes]) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds (this process) for all docs, and how many gave text."""
    fn(docs[0])  # warm-up: imports, model load, regex compilation
    start, cpu = time.perf_counter(), time.process_time()
    nonempty = sum(1 for d in docs if fn(d))
    return time.perf_counter() - start, time.process_time() - cpu, nonempty


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=300, help="inputs per kind (default 300)")
    parser.add_argument("--out", type=Path, help="also write the table (markdown) here")
    args = parser.parse_args()

    import trafilatura

    from viensum.clean import clean_article

    def viensum_text(data: bytes) -> str:
        return clean_article(data, fmt="text").text

    def viensum_html(data: bytes) -> str:
        return clean_article(data, fmt="html").text

    def plain_trafilatura(data: bytes) -> str:
        return trafilatura.extract(data) or ""

    rows = []
    for kind, ours in (("text", viensum_text), ("html", viensum_html)):
        docs = _inputs(kind, args.n)
        megabytes = sum(len(d) for d in docs) / 1e6
        for name, fn in (("viensum.clean_article", ours), ("trafilatura.extract", plain_trafilatura)):
            seconds, cpu, nonempty = _time(fn, docs)
            rows.append((kind, name, len(docs), nonempty, megabytes, seconds, cpu))

    lines = [f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}",
             "",
             "| input | cleaner | articles | non-empty out | MB | seconds | articles/s | CPU seconds "
             "| articles per CPU-s |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for kind, name, count, nonempty, mb, sec, cpu in rows:
        lines.append(f"| {kind} | {name} | {count} | {nonempty} | {mb:.2f} | {sec:.2f} | {count / sec:.0f} | "
                     f"{cpu:.2f} | {count / cpu:.0f} |")
    table = "\n".join(lines)
    print(table)
    if args.out:
        args.out.write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
