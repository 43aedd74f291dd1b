"""Cleaning throughput: viensum.clean_article vs plain trafilatura, and vs a baseline checkout.

Two modes:

    python benchmarks/bench_clean.py [--n 300] [--out results.md]
        the five sample articles (plain text) and the HTML fixtures in tests/data/html, each repeated
        to about N inputs per kind, through viensum.clean_article and through trafilatura.extract;

    python benchmarks/bench_clean.py --baseline-src DIR [--rounds 5] [--passes 5] [--shared DIR]
        the development set's pages (../shared/cleaning-dev: the page-text dumps, 38 KB each on
        average, and the saved HTML), cleaned by this checkout and by the checkout whose ``src``
        folder is DIR (for example ``git worktree add /tmp/base main``), side by side in one run:
        each round runs both, one after the other, in fresh processes, and each process reports the
        CPU time of its own cleaning (imports and a warm-up pass excluded). With the machine shared,
        CPU time is the figure to read; the medians over the rounds are reported. Each process
        also hands back a digest of every Article it made, and the run says whether the two
        checkouts' outputs are identical (--expect-same: exit 1 when they are not).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
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


def samples(n: int, out: Path | None) -> None:
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
        docs = _inputs(kind, n)
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
    if out:
        out.write_text(table + "\n", encoding="utf-8")


# --- this checkout against a baseline checkout, on the development set ------------------------------


def dev_inputs(shared: str | None) -> dict[str, dict[str, str]]:
    """The dev set's page text (w3m dumps of the HTML pages where w3m is installed, else viensum's
    page_text, plus the page-text pages as given) and its saved HTML."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import clean_dev

    dev = clean_dev.shared_dir(shared)
    html, text, _, _ = clean_dev.load(dev)
    rendered = clean_dev.render_w3m({nn: dev / "pages" / f"{nn}.input.html" for nn in html})
    return {"text": {**(rendered or clean_dev.render_python(html)), **text}, "html": html}


def worker(path: str, passes: int = 1) -> None:
    """Run in a fresh process: clean every input once to warm up, then time ``passes`` passes over the page
    text (the median pass is reported) and one over the HTML; print CPU times."""
    import trafilatura

    from viensum.clean import clean_article

    inputs = json.loads(Path(path).read_text(encoding="utf-8"))
    for fmt, docs in inputs.items():  # warm-up: imports, the stop list, the language model, lazy paths
        for raw in docs.values():
            clean_article(raw, fmt=fmt)
    for raw in inputs["html"].values():
        trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False, include_tables=True,
                                    favor_recall=True, deduplicate=False)
    spent = []  # one pass over the page text is ~0.15 s: its CPU time swings by a third between passes
    for _ in range(passes):
        start = time.process_time()
        for raw in inputs["text"].values():
            clean_article(raw, fmt="text")
        spent.append(time.process_time() - start)
    out = {"text": statistics.median(spent) / len(inputs["text"]), "html": 0.0, "trafilatura": 0.0}
    # what each page gave (the whole Article: text, removed lines, reasons, metadata), outside the timing
    out["outputs"] = {f"{fmt}:{nn}": _digest(clean_article(raw, fmt=fmt).to_dict())
                      for fmt, docs in inputs.items() for nn, raw in docs.items()}
    for raw in inputs["html"].values():  # interleaved, page by page, as benchmarks/clean_dev.py does
        t0 = time.process_time()
        trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False, include_tables=True,
                                    favor_recall=True, deduplicate=False)
        t1 = time.process_time()
        clean_article(raw, fmt="html")
        out["trafilatura"] += (t1 - t0) / len(inputs["html"])
        out["html"] += (time.process_time() - t1) / len(inputs["html"])
    print(json.dumps(out))


def _digest(article: dict) -> str:
    import hashlib

    return hashlib.sha256(json.dumps(article, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def against_baseline(baseline_src: str, rounds: int, shared: str | None, expect_same: bool = False,
                     passes: int = 5) -> None:
    inputs = dev_inputs(shared)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(inputs, fh, ensure_ascii=False)
    checkouts = {"this checkout": str(ROOT / "src"), "baseline": str(Path(baseline_src).resolve())}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in checkouts}
    try:
        for _ in range(rounds):
            for name, src in checkouts.items():
                env = {**os.environ, "PYTHONPATH": src}
                proc = subprocess.run([sys.executable, __file__, "--worker", fh.name, "--passes", str(passes)],
                                      env=env, check=True, capture_output=True, text=True)
                runs[name].append(json.loads(proc.stdout.strip().splitlines()[-1]))
    finally:
        os.unlink(fh.name)
    kb = sum(len(t.encode("utf-8")) for t in inputs["text"].values()) / len(inputs["text"]) / 1000
    outputs = {name: rs[0].pop("outputs") for name, rs in runs.items()}
    for rs in runs.values():
        for r in rs:
            r.pop("outputs", None)
    differ = sorted(k for k in outputs["this checkout"] if outputs["this checkout"][k] != outputs["baseline"].get(k))
    med = {name: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for name, rs in runs.items()}
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"`python benchmarks/bench_clean.py --baseline-src {baseline_src} --rounds {rounds} --passes {passes}"
          f"{' --expect-same' if expect_same else ''}` on "
          f"{platform.node() or 'this machine'} ({os.cpu_count()} CPUs, Python {platform.python_version()}), "
          f"{time.strftime('%Y-%m-%d %H:%M')} UTC, load average {load:.1f}; medians of {rounds} rounds, "
          f"each the median of {passes} passes over the page text.\n")
    print("| what | this checkout | baseline | this / baseline |\n|---|---:|---:|---:|")
    text_rate = {name: 1 / m["text"] for name, m in med.items()}
    print(f"| page text ({len(inputs['text'])} pages, {kb:.0f} KB each on average), articles per CPU-second | "
          f"{text_rate['this checkout']:.0f} | {text_rate['baseline']:.0f} | "
          f"{text_rate['this checkout'] / text_rate['baseline']:.2f} |")
    html_ms = {name: m["html"] * 1000 for name, m in med.items()}
    print(f"| HTML ({len(inputs['html'])} pages), CPU-ms per page | {html_ms['this checkout']:.0f} | "
          f"{html_ms['baseline']:.0f} | {html_ms['this checkout'] / html_ms['baseline']:.2f} |")
    ratio = {name: m["html"] / m["trafilatura"] for name, m in med.items()}
    print(f"| HTML, times trafilatura `bare_extraction` alone | {ratio['this checkout']:.2f}× | "
          f"{ratio['baseline']:.2f}× | |")
    print(f"\nOutputs (the whole Article of each of the {len(outputs['this checkout'])} inputs, page text and HTML): "
          + ("identical to the baseline's." if not differ else f"{len(differ)} differ from the baseline's: {', '.join(differ)}."))
    if expect_same and differ:
        sys.exit("bench_clean: --expect-same, but the outputs differ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=300, help="inputs per kind (default 300)")
    parser.add_argument("--out", type=Path, help="also write the table (markdown) here")
    parser.add_argument("--baseline-src", help="the src folder of a checkout to compare with, on the dev set")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the baseline comparison (default 5)")
    parser.add_argument("--shared", help="folder holding cleaning-dev/ (default ../shared or $VIENSUM_SHARED)")
    parser.add_argument("--expect-same", action="store_true",
                        help="exit 1 when any output differs from the baseline's (a speed-only change)")
    parser.add_argument("--passes", type=int, default=5,
                        help="timed passes over the page text in each process, the median kept (default 5)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.passes)
    elif args.baseline_src:
        against_baseline(args.baseline_src, args.rounds, args.shared, args.expect_same, args.passes)
    else:
        samples(args.n, args.out)


if __name__ == "__main__":
    main()
