"""viensum's speed and memory benchmarks against a naive transformers baseline.

Models are random but of the registered models' real sizes (benchmarks/realsize.py),
generating a fixed number of tokens so every run does the same work:
40 per translated sentence, 80 per summary (about a three-sentence vietnews
summary), with the registered beam sizes (4).

Workloads:

* translate-5    full translation of the five sample articles (every sentence and the headline)
* translate-100  the same for 100 articles built from them (paragraphs rotated, so all differ)
* summarize-1    the default recipe (ViT5 summary, then Marian translation of it) on one article: latency
* summarize-100  the default recipe on the 100 articles: throughput

Each variant runs in its own subprocess so its peak RSS (``ru_maxrss``) is its
own; all of them run in this one invocation. The naive baseline is plain
transformers, fp32, one sentence (one article) at a time, no batching, the model
loaded once; since it works item by item, its rate is measured on an evenly
spaced sample of the items (``--naive-items``) rather than on all of them.

    .venv/bin/python benchmarks/run.py --quick          # a few minutes on 2 cores
    .venv/bin/python benchmarks/run.py --out results.md # the full run (docs/BENCHMARKS.md)

Ends with one line per workload:
``WORKLOAD: viensum X/s, naive Y/s, speedup Z.Zx, peak RSS N MB``.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

TRANSLATOR = "opus-mt-vi-en"
SUMMARIZER = "vit5-base-vietnews"
SENTENCE_TOKENS = 40
SUMMARY_TOKENS = 80
SUMMARY_SENTENCES = 3

# variant -> how the models are run; "naive" is the baseline
TRANSLATE_VARIANTS = {
    "naive": {},
    "fp32-batched": {"backend": "seq2seq", "batch_size": 32},
    "torch-int8": {"backend": "seq2seq", "quantize": "int8", "batch_size": 32},
    "ct2-int8": {"backend": "ctranslate2", "batch_size": 32},
}
SUMMARIZE_VARIANTS = {
    "naive": {},
    "fp32-batched": {"backend": "seq2seq", "batch_size": 8},
    "ct2-int8": {"backend": "ctranslate2", "batch_size": 8},
}
BEST = "ct2-int8"  # the variant the summary lines report as "viensum"


# --------------------------------------------------------------------------- inputs


def articles(n: int) -> list:
    """``n`` cleaned articles: the five samples, then copies with paragraphs rotated (all distinct)."""
    from viensum.clean import clean_article

    base = [clean_article(p.read_bytes()) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    out = []
    for i in range(n):
        a = base[i % len(base)]
        turn = (i // len(base)) % max(1, len(a.paragraphs))
        out.append(dataclasses.replace(a, paragraphs=a.paragraphs[turn:] + a.paragraphs[:turn]))
    return out


def sample(items: list, k: int) -> list:
    """``k`` evenly spaced items (all of them if there are fewer)."""
    if k >= len(items):
        return list(items)
    step = len(items) / k
    return [items[int(i * step)] for i in range(k)]


def forced_spec(name: str, backend: str | None, tokens: int):
    """The registered spec with a fixed output length (and optionally another backend)."""
    from viensum.registry import get_model

    from realsize import TOKEN_INFLATION

    spec = get_model(name)
    generation = {**spec.generation, "max_new_tokens": tokens, "min_new_tokens": tokens}
    generation.pop("early_stopping", None)  # a fixed length: nothing to stop early
    # the benchmark tokenizer makes ~1.5x more tokens than the real one: chunk where the real model would
    limit = int(spec.max_input_tokens * TOKEN_INFLATION) if spec.architecture == "t5" else spec.max_input_tokens
    return dataclasses.replace(spec, generation=generation, backend=backend or spec.backend, max_input_tokens=limit)


# --------------------------------------------------------------------------- one variant (subprocess)


DEVICE = os.environ.get("VIENSUM_BENCH_DEVICE", "cpu")  # set by --device for the child processes


def _naive_model(name: str):
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    from realsize import build

    folder = build(name)
    tok = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForSeq2SeqLM.from_pretrained(folder, dtype=torch.float32).to(DEVICE).eval()
    return tok, model


def _naive_generate(tok, model, spec, text: str) -> str:
    import torch

    settings = dict(spec.generation)
    enc = tok([spec.input_prefix + text], truncation=True, max_length=spec.max_input_tokens,
              return_tensors="pt").to(DEVICE)
    with torch.inference_mode():
        ids = model.generate(**enc, **settings)
    return tok.decode(ids[0], skip_special_tokens=True)


def run_translate(variant: str, n_articles: int, naive_items: int) -> dict:
    from viensum.translate import plan

    docs = articles(n_articles)
    segments = [s for a in docs for s in plan(a) if s.strip()]
    spec = forced_spec(TRANSLATOR, None, SENTENCE_TOKENS)
    if variant == "naive":
        tok, model = _naive_model(TRANSLATOR)
        items = sample(segments, naive_items)
        _naive_generate(tok, model, spec, items[0])  # warm-up
        start = time.perf_counter()
        for text in items:
            _naive_generate(tok, model, spec, text)
        seconds = time.perf_counter() - start
        return {"items": len(items), "seconds": seconds, "threads": _torch_threads(),
                "articles": len(items) * len(docs) / len(segments)}
    from realsize import build

    from viensum.backends import load_backend
    from viensum.translate import translate_segments

    opts = TRANSLATE_VARIANTS[variant]
    spec = forced_spec(TRANSLATOR, opts["backend"], SENTENCE_TOKENS)
    backend = load_backend(spec, path=build(TRANSLATOR), quantize=opts.get("quantize"), device=DEVICE)
    translate_segments(backend, segments[:2], batch_size=2)  # warm-up
    start = time.perf_counter()
    # what viensum's pipeline does for a group of articles: every sentence of all of them in one call
    batch = opts["batch_size"] * (8 if DEVICE != "cpu" else 1)  # GPUs want large batches
    outputs = translate_segments(backend, segments, batch_size=batch)
    seconds = time.perf_counter() - start
    assert len(outputs) == len(segments) and all(outputs)
    return {"items": len(segments), "seconds": seconds, "articles": len(docs), "threads": _threads(backend)}


def run_summarize(variant: str, n_articles: int, naive_items: int) -> dict:
    from realsize import build

    from viensum.text import split_sentences

    docs = articles(n_articles)
    summ = forced_spec(SUMMARIZER, None, SUMMARY_TOKENS)
    trans = forced_spec(TRANSLATOR, None, SENTENCE_TOKENS)
    if variant == "naive":
        s_tok, s_model = _naive_model(SUMMARIZER)
        t_tok, t_model = _naive_model(TRANSLATOR)

        def one(article) -> None:
            summary = _naive_generate(s_tok, s_model, summ, " ".join(article.paragraphs))
            for text in [article.title] + split_sentences(summary)[:SUMMARY_SENTENCES]:
                _naive_generate(t_tok, t_model, trans, text)

        items = sample(docs, naive_items)
        one(items[0])  # warm-up
        start = time.perf_counter()
        for article in items:
            one(article)
        return {"items": len(items), "seconds": time.perf_counter() - start, "articles": len(items),
                "threads": _torch_threads()}

    import viensum
    from viensum.registry import register_model

    opts = SUMMARIZE_VARIANTS[variant]
    # the pipeline loads models by name from the store: point it at the real-size models
    os.environ["VIENSUM_MODELS_DIR"] = str(build(SUMMARIZER).parent)
    build(TRANSLATOR)
    register_model(forced_spec(SUMMARIZER, opts["backend"], SUMMARY_TOKENS))
    register_model(forced_spec(TRANSLATOR, opts["backend"], SENTENCE_TOKENS))
    batch = opts["batch_size"] * (8 if DEVICE != "cpu" else 1)
    viensum.summarize(docs[-1], cache=False, batch_size=batch, device=DEVICE)  # warm-up: loads both models
    start = time.perf_counter()
    results = viensum.summarize(docs, cache=False, batch_size=batch, device=DEVICE)
    seconds = time.perf_counter() - start
    bad = [r.error or r.notes for r in results if not (r.ok and r.summary_en and r.recipe == "two-stage")]
    assert not bad, bad[:3]
    from viensum.backends import load_backend

    return {"items": len(docs), "seconds": seconds, "articles": len(docs),
            "threads": _threads(load_backend(forced_spec(SUMMARIZER, opts["backend"], SUMMARY_TOKENS),
                                             device=DEVICE))}


def _torch_threads() -> int:
    import torch

    return torch.get_num_threads()


def _threads(backend) -> int:
    return getattr(backend, "threads", None) or _torch_threads()


def child(args: argparse.Namespace) -> None:
    fn = run_translate if args.workload.startswith("translate") else run_summarize
    result = fn(args.variant, args.articles, args.naive_items)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result))


# --------------------------------------------------------------------------- the suite (parent)


def prepare() -> None:
    """Build the real-size models and their CTranslate2 conversions (once; cached on disk)."""
    from realsize import build

    from viensum.backends.ct2 import convert

    for name in (TRANSLATOR, SUMMARIZER):
        convert(build(name), "int8" if DEVICE == "cpu" else "float16")


def workloads(quick: bool) -> list[tuple[str, int, int, list[str]]]:
    """(workload, articles, naive sample size, variants). The slower torch variants run on the small sets."""
    every_t, every_s, fast = list(TRANSLATE_VARIANTS), list(SUMMARIZE_VARIANTS), ["naive", BEST]
    if quick:
        return [("translate-5", 5, 6, fast), ("translate-100", 20, 6, fast), ("summarize-1", 1, 1, fast),
                ("summarize-100", 8, 2, fast)]
    return [("translate-5", 5, 24, every_t), ("translate-100", 100, 24, fast), ("summarize-1", 1, 1, every_s),
            ("summarize-100", 100, 5, fast)]


def run_variant(workload: str, variant: str, n: int, naive_items: int) -> dict:
    cmd = [sys.executable, __file__, "--child", "--workload", workload, "--variant", variant,
           "--articles", str(n), "--naive-items", str(naive_items)]
    env = {**os.environ, "VIENSUM_BENCH_DEVICE": DEVICE}
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    lines = [x for x in proc.stdout.splitlines() if x.startswith("RESULT ")]
    if proc.returncode or not lines:
        raise SystemExit(f"{workload}/{variant} failed:\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1][len("RESULT "):])


def machine() -> str:
    import torch

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.machine()) if Path("/proc/cpuinfo").exists() else ""
    import ctranslate2
    import transformers

    gpu = f", GPU {torch.cuda.get_device_name()}" if DEVICE != "cpu" and torch.cuda.is_available() else ""
    return (f"{cpus} CPU cores ({model}), {mem:.0f} GiB RAM, python {platform.python_version()}, "
            f"torch {torch.__version__}, transformers {transformers.__version__}, "
            f"ctranslate2 {ctranslate2.__version__}{gpu}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer articles and naive samples (a few minutes)")
    parser.add_argument("--out", type=Path, help="also write the results table (markdown) here")
    parser.add_argument("--only", help="comma-separated workloads to run")
    parser.add_argument("--device", default="cpu", help="cpu (default) or cuda: fp16/bf16 and 8x larger batches")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workload", help=argparse.SUPPRESS)
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    parser.add_argument("--articles", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--naive-items", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    global DEVICE
    DEVICE = args.device
    prepare()
    load_before = os.getloadavg()[0]
    rows, summary = [], []
    chosen = args.only.split(",") if args.only else None
    for workload, n, naive_items, variants in workloads(args.quick):
        if chosen and workload not in chosen:
            continue
        unit = "sentences" if workload.startswith("translate") else "articles"
        results = {}
        for variant in variants:
            r = results[variant] = run_variant(workload, variant, n, naive_items)
            r["rate"] = r["items"] / r["seconds"]
            r["articles_per_s"] = r["articles"] / r["seconds"]
            print(f"  {workload:14} {variant:13} {r['items']:5} {unit} in {r['seconds']:7.1f} s  "
                  f"{r['rate']:6.2f} {unit}/s  peak RSS {r['peak_rss_mb']:5.0f} MB  threads {r['threads']}",
                  flush=True)
        naive = results["naive"]
        for variant, r in results.items():
            rows.append((workload, variant, unit, r, r["rate"] / naive["rate"]))
        best = results[BEST]
        summary.append(f"{workload}: viensum {best['rate']:.2f}/s, naive {naive['rate']:.2f}/s, "
                       f"speedup {best['rate'] / naive['rate']:.1f}x, peak RSS {best['peak_rss_mb']:.0f} MB "
                       f"(naive {naive['peak_rss_mb']:.0f} MB; {unit}/s)")
    load_after = os.getloadavg()[0]
    table = [f"machine: {machine()}",
             f"load average (1 min) before/after: {load_before:.2f}/{load_after:.2f}",
             f"command: python benchmarks/run.py{' --quick' if args.quick else ''}", "",
             "| workload | variant | items | wall s | items/s | articles/s | peak RSS MB | threads | vs naive |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for workload, variant, unit, r, ratio in rows:
        table.append(f"| {workload} | {variant} | {r['items']} {unit} | {r['seconds']:.1f} | {r['rate']:.2f} | "
                     f"{r['articles_per_s']:.3f} | {r['peak_rss_mb']:.0f} | {r['threads']} | {ratio:.1f}x |")
    print("\n" + "\n".join(table) + "\n")
    if args.out:
        args.out.write_text("\n".join(table) + "\n\n" + "\n".join(summary) + "\n", encoding="utf-8")
    for line in summary:
        print(line)


if __name__ == "__main__":
    main()
