"""viensum against the code a user would write instead: measured in one run, interleaved, with medians.

Variants (all on the same inputs, the same real-size random models, the same
fixed output lengths: 40 tokens per translated segment, 80 per summary, beam 4):

* ``naive``   plain transformers, fp32, one segment (one article) per ``generate()``
              call, the model loaded once;
* ``peer``    plain CTranslate2 int8, what Argos Translate does in about ten lines:
              ``Translator(path, compute_type="int8")`` with its default threads,
              sentencepiece pieces in, ``translate_batch(pieces, max_batch_size=32,
              beam_size=4)``, sentencepiece decoding out (translation only);
* ``tuned``   CTranslate2 tuned by hand from its performance notes: ``inter_threads=<cores>,
              intra_threads=1`` and the fastest batching of ``TUNED_GRID``, timed once per
              setting on the workload's segments while loading (printed with the results);
* ``speer``   the summary peer: ViT5 then Marian, plain ``translate_batch`` one after the other
              (the articles, then the headline and the summary's sentences), default threads;
* ``viensum`` viensum's own API: ``translate_segments`` (what ``translate()`` and the
              pipeline run) or ``viensum.summarize()`` with the default recipe.

Workloads: ``translate-5`` (every sentence and headline of the five sample
articles), ``translate-100`` (the same for 100 articles built from them),
``summarize-1`` (the default recipe on one article: latency) and
``summarize-100`` (the default recipe on 100 articles: throughput). ``--quick``
runs 20 and 5 articles instead of 100, and fewer repetitions; ``--only`` also takes any
``translate-N`` or ``summarize-N`` (without the naive baseline).

How it avoids fooling itself: each (workload, variant) runs in its own worker
process that loads its model once, does one untimed warm-up and then waits;
the parent asks the workers in turn for one repetition each, rotating the order
(A B C, B C A, C A B, ...), so slow and fast moments of a shared machine fall on
every variant alike. Rates are medians over the repetitions; ratios are taken
between medians. Each worker reads only its inputs and imports only what its
variant needs, so its peak RSS (``VmHWM``: loading, warm-up and every
repetition) is that variant's own. The naive baseline works item by item, so its
rate is measured on an evenly spaced sample of the items. The 1-minute load
average and the CPU are printed before and after.

    python benchmarks/run.py --quick                 # about 5 minutes on 2 cores
    python benchmarks/run.py --out results.md        # the documented run (docs/BENCHMARKS.md)
    python benchmarks/run.py --only translate-5 --reps 5
    python benchmarks/run.py --only translate-100:1,summarize-100:1 --skip naive --out b.md
    python benchmarks/run.py --from a.json b.json --write README.md   # the README's figure table

The three CTranslate2 peers run on models converted by CTranslate2's own converter
(``ct2-own-int8``), not viensum's.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

TRANSLATOR = "opus-mt-vi-en"
SUMMARIZER = "vit5-base-vietnews"
SENTENCE_TOKENS = 40
SUMMARY_TOKENS = 80
SUMMARY_SENTENCES = 3  # the naive baseline translates the headline and the first three summary sentences
PEER_BATCH = 32
SUMMARY_PEER_BATCH = 8  # articles per translate_batch batch of the summary peer


# --------------------------------------------------------------------------- inputs (parent)


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


def forced_spec(name: str):
    """The registered spec with a fixed output length, so every variant generates the same number of tokens."""
    from viensum.registry import get_model

    spec = get_model(name)
    tokens = SENTENCE_TOKENS if name == TRANSLATOR else SUMMARY_TOKENS
    generation = {**spec.generation, "max_new_tokens": tokens, "min_new_tokens": tokens}
    generation.pop("early_stopping", None)  # a fixed length: nothing to stop early
    return dataclasses.replace(spec, generation=generation)


# --------------------------------------------------------------------------- variants (worker processes)


class Naive:
    """Plain transformers, fp32, one item per generate() call."""

    def __init__(self, task: str, items: list) -> None:
        self.task, self.items = task, items
        self.models = {name: self._load(name) for name in ([TRANSLATOR] if task == "translate"
                                                           else [SUMMARIZER, TRANSLATOR])}

    @staticmethod
    def _load(name: str):
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        from realsize import build

        folder = build(name)
        model = AutoModelForSeq2SeqLM.from_pretrained(folder, dtype=torch.float32).eval()
        return AutoTokenizer.from_pretrained(folder), model, forced_spec(name)

    def _generate(self, name: str, text: str) -> str:
        import torch

        tok, model, spec = self.models[name]
        enc = tok([spec.input_prefix + text], truncation=True, max_length=spec.max_input_tokens, return_tensors="pt")
        with torch.inference_mode():
            ids = model.generate(**enc, **spec.generation)
        return tok.decode(ids[0], skip_special_tokens=True)

    def run(self) -> int:
        from viensum.text import split_sentences

        for item in self.items:
            if self.task == "translate":
                self._generate(TRANSLATOR, item)
            else:
                summary = self._generate(SUMMARIZER, " ".join(item["paragraphs"]))
                for text in [item["title"]] + split_sentences(summary)[:SUMMARY_SENTENCES]:
                    self._generate(TRANSLATOR, text)
        return len(self.items)


class Peer:
    """Plain CTranslate2 int8 over sentencepiece pieces, as Argos Translate runs it (translation only),
    on the model converted by CTranslate2's own converter."""

    def __init__(self, task: str, items: list) -> None:
        import ctranslate2
        import sentencepiece

        from realsize import build

        folder = build(TRANSLATOR)
        self.items = items
        self.sp = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))
        self.translator = ctranslate2.Translator(str(own_conversion(TRANSLATOR)), device="cpu", compute_type="int8",
                                                 **self.threads)
        # the same work as the others: 40 tokens, the last being </s> (CTranslate2 does not count it)
        self.options = {"beam_size": 4, "max_decoding_length": SENTENCE_TOKENS - 1,
                        "min_decoding_length": SENTENCE_TOKENS - 1}

    batching = {"max_batch_size": PEER_BATCH}
    threads: dict = {}  # CTranslate2's defaults

    def run(self) -> int:
        pieces = [self.sp.encode(text, out_type=str) + ["</s>"] for text in self.items]
        results = self.translator.translate_batch(pieces, **self.batching, **self.options)
        outputs = [self.sp.decode(r.hypotheses[0]) for r in results]
        assert len(outputs) == len(self.items)
        return len(self.items)


# The hand-tuned peer's grid (CTranslate2's performance notes: one worker per core, batches that
# keep every worker busy): max_batch_size in examples, and in tokens with batch_type="tokens".
TUNED_GRID = (("examples", 8), ("examples", 16), ("examples", 32), ("tokens", 1024), ("tokens", 2048))
TUNE_SAMPLE = 124  # segments the grid is timed on (an evenly spaced sample of larger sets)


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def own_conversion(name: str) -> Path:
    """``name``'s real-size model converted by CTranslate2's own converter, int8, as a user converts it
    (``ct2-transformers-converter --quantization int8``; viensum's conversion is not used)."""
    from ctranslate2.converters import TransformersConverter

    from realsize import build

    folder = build(name)
    target = folder / "ct2-own-int8"
    if not (target / "model.bin").is_file():
        TransformersConverter(str(folder)).convert(str(target), quantization="int8", force=True)
    return target


class Tuned(Peer):
    """CTranslate2 as a user tunes it from its performance notes: ``inter_threads=<cores>,
    intra_threads=1``, and the fastest ``translate_batch`` batching of a small grid, chosen by
    timing each once on (a sample of) this workload's segments during loading."""

    def __init__(self, task: str, items: list) -> None:
        self.threads = {"inter_threads": cores(), "intra_threads": 1}
        super().__init__(task, items)
        self.batching = {"max_batch_size": PEER_BATCH}
        everything = self.items
        self.items = sample(everything, TUNE_SAMPLE)
        super().run()  # warm-up before timing the grid
        timings = {}
        for batch_type, size in TUNED_GRID:
            self.batching = {"max_batch_size": size, "batch_type": batch_type}
            t0 = time.perf_counter()
            super().run()
            timings[f"{batch_type} {size}"] = time.perf_counter() - t0
        best = min(timings, key=timings.get)
        self.batching = {"max_batch_size": int(best.split()[1]), "batch_type": best.split()[0]}
        self.choice = {"chosen": best, "grid_s": {k: round(v, 2) for k, v in timings.items()},
                       "grid_items": len(self.items)}
        print(f"tuned peer: grid on {len(self.items)} segments " + ", ".join(
            f"{k} {v:.2f}s" for k, v in timings.items()) + f" -> {best}", file=sys.stderr, flush=True)
        self.items = everything


class SummaryPeer:
    """ViT5 and Marian converted by CTranslate2's own converter, chained as a user who never heard of
    viensum would: the articles through ``translate_batch`` on the summariser, then the headline and
    the summary's sentences through ``translate_batch`` on the translator, one after the other, each
    Translator with CTranslate2's default threads."""

    def __init__(self, task: str, items: list) -> None:
        import ctranslate2
        import sentencepiece
        from tokenizers import Tokenizer

        from realsize import build

        self.items = items
        self.summarizer = ctranslate2.Translator(str(own_conversion(SUMMARIZER)), device="cpu", compute_type="int8")
        self.translator = ctranslate2.Translator(str(own_conversion(TRANSLATOR)), device="cpu", compute_type="int8")
        self.tok = Tokenizer.from_file(str(build(SUMMARIZER) / "tokenizer.json"))
        self.sp = sentencepiece.SentencePieceProcessor(model_file=str(build(TRANSLATOR) / "source.spm"))
        # the model card's settings (beam 4, no_repeat_ngram_size 3), 80 forced tokens as for the others
        self.summary_options = {"beam_size": 4, "no_repeat_ngram_size": 3, "max_decoding_length": SUMMARY_TOKENS,
                                "min_decoding_length": SUMMARY_TOKENS, "max_input_length": 1024,
                                "max_batch_size": SUMMARY_PEER_BATCH}
        self.translate_options = {"beam_size": 4, "max_decoding_length": SENTENCE_TOKENS - 1,
                                  "min_decoding_length": SENTENCE_TOKENS - 1, "max_batch_size": PEER_BATCH}

    def run(self) -> int:
        from viensum.text import split_sentences  # the same sentences as viensum's: the same work

        sources = [e.tokens for e in self.tok.encode_batch([" ".join(a["paragraphs"]) for a in self.items])]
        results = self.summarizer.translate_batch(sources, **self.summary_options)
        summaries = [self.tok.decode([self.tok.token_to_id(t) for t in r.hypotheses[0]]) for r in results]
        texts = [t for a, summary in zip(self.items, summaries)
                 for t in [a["title"]] + split_sentences(summary)[:SUMMARY_SENTENCES]]
        pieces = [self.sp.encode(t, out_type=str) + ["</s>"] for t in texts]
        outputs = [self.sp.decode(r.hypotheses[0])
                   for r in self.translator.translate_batch(pieces, **self.translate_options)]
        assert len(outputs) == len(texts)
        return len(self.items)


class Viensum:
    """viensum's public code paths on the CTranslate2 backend (what backend="auto" picks on the CPU)."""

    def __init__(self, task: str, items: list) -> None:
        from realsize import build

        from viensum.backends import load_backend

        self.task, self.items = task, items
        if task == "translate":
            self.backend = load_backend(forced_spec(TRANSLATOR), path=build(TRANSLATOR), backend="ctranslate2")
            return
        from viensum.registry import register_model
        from viensum.results import Article

        # the pipeline loads models by name from the store: point it at the real-size models
        os.environ["VIENSUM_MODELS_DIR"] = str(build(SUMMARIZER).parent)
        build(TRANSLATOR)
        for name in (SUMMARIZER, TRANSLATOR):
            register_model(forced_spec(name))
        self.items = [Article(title=a["title"], paragraphs=a["paragraphs"]) for a in items]

    def run(self) -> int:
        if self.task == "translate":
            from viensum.translate import translate_segments

            outputs = translate_segments(self.backend, self.items)
            assert len(outputs) == len(self.items) and all(outputs)
            return len(self.items)
        import viensum

        results = viensum.summarize(self.items, cache=False, runtime="ctranslate2")
        bad = [r.error or r.notes for r in results if not (r.ok and r.summary_en and r.recipe == "two-stage")]
        assert not bad, bad[:3]
        return len(results)


VARIANTS = {"naive": Naive, "peer": Peer, "tuned": Tuned, "speer": SummaryPeer, "viensum": Viensum}


def worker(variant: str, task: str, inputs: Path) -> None:
    """Load, warm up, then answer 'run' with one timed repetition and 'quit' with the peak RSS."""
    items = json.loads(inputs.read_text(encoding="utf-8"))
    start = time.perf_counter()
    runner = VARIANTS[variant](task, items)
    runner_items = runner.items
    runner.items = runner_items[:2]  # warm-up on a small slice: loads lazily built parts, fills caches
    runner.run()
    runner.items = runner_items
    _reply({"ready": True, "load_s": time.perf_counter() - start, "choice": getattr(runner, "choice", None)})
    for line in sys.stdin:
        if line.strip() == "run":
            c0, t0 = cpu_seconds(), time.perf_counter()
            count = runner.run()
            _reply({"seconds": time.perf_counter() - t0, "cpu_s": cpu_seconds() - c0, "items": count})
        else:
            break
    _reply({"peak_rss_mb": peak_rss_mb()})


def peak_rss_mb() -> float:
    """This process's peak resident memory: VmHWM, which starts afresh at exec. (``ru_maxrss``
    does not: Linux carries the parent's peak over fork and exec, so every worker would report
    at least the parent's.)"""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: the best there is


def cpu_seconds() -> float:
    """User + system time of this process, all threads: the work done, which other load barely moves."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _reply(data: dict) -> None:
    print("BENCH " + json.dumps(data), flush=True)


# --------------------------------------------------------------------------- the suite (parent)


@dataclasses.dataclass
class Workload:
    name: str
    task: str  # translate | summarize
    articles: int
    naive_items: int  # the naive baseline's evenly spaced sample
    reps: int
    variants: tuple[str, ...]


def workloads(quick: bool, reps: int | None) -> list[Workload]:
    """The naive baseline works one item at a time, so its rate does not depend on the set: it is
    left out of the many-article translation (and of --quick's summarize-5), and the report
    reuses the rate measured on the smaller set of the same task."""
    t, s = ("naive", "peer", "tuned", "viensum"), ("naive", "speer", "viensum")
    if quick:
        return [Workload("translate-5", "translate", 5, 2, reps or 3, t),
                Workload("translate-20", "translate", 20, 0, reps or 2, t[1:]),
                Workload("summarize-1", "summarize", 1, 1, reps or 3, s),
                Workload("summarize-5", "summarize", 5, 0, reps or 2, s[1:])]
    return [Workload("translate-5", "translate", 5, 8, reps or 5, t),
            Workload("translate-100", "translate", 100, 0, reps or 3, t[1:]),
            Workload("summarize-1", "summarize", 1, 1, reps or 5, s),
            Workload("summarize-100", "summarize", 100, 4, reps or 2, s)]


def sized(name: str, reps: int | None) -> Workload:
    """A workload of any size asked for by name (``summarize-20``: a smaller stand-in for
    summarize-100 when time is short), with every variant but the naive baseline."""
    task, _, count = name.partition("-")
    if task not in ("translate", "summarize") or not count.isdigit() or int(count) < 1:
        raise SystemExit(f"unknown workload {name!r}: translate-N or summarize-N")
    variants = ("peer", "tuned", "viensum") if task == "translate" else ("speer", "viensum")
    return Workload(name, task, int(count), 0, reps or 2, variants)


class Worker:
    def __init__(self, variant: str, task: str, inputs: Path) -> None:
        self.variant = variant
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--worker", variant, "--task", task, "--inputs", str(inputs)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        ready = self._read()
        self.load_s, self.choice = ready["load_s"], ready.get("choice")

    def _read(self) -> dict:
        for line in self.proc.stdout:
            if line.startswith("BENCH "):
                return json.loads(line[len("BENCH "):])
        raise SystemExit(f"the {self.variant} worker died (exit {self.proc.wait()}); see its stderr above")

    def run(self) -> dict:
        self.proc.stdin.write("run\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> float:
        self.proc.stdin.write("quit\n")
        self.proc.stdin.flush()
        rss = self._read()["peak_rss_mb"]
        self.proc.wait()
        return rss


def measure(w: Workload, folder: Path) -> dict:
    """Run one workload: a worker per variant, repetitions interleaved in rotating order."""
    from viensum.translate import plan

    docs = articles(w.articles)
    if w.task == "translate":
        items = [s for a in docs for s in plan(a) if s.strip()]
    else:
        items = [{"title": a.title, "paragraphs": a.paragraphs} for a in docs]
    workers = {}
    for variant in w.variants:
        chosen = sample(items, w.naive_items) if variant == "naive" else items
        path = folder / f"{w.name}-{variant}.json"
        path.write_text(json.dumps(chosen, ensure_ascii=False), encoding="utf-8")
        workers[variant] = Worker(variant, w.task, path)
    load = os.getloadavg()[0]
    times: dict[str, list[float]] = {v: [] for v in w.variants}
    cpu: dict[str, list[float]] = {v: [] for v in w.variants}
    counts = {}
    for rep in range(w.reps):
        order = list(w.variants[rep % len(w.variants):]) + list(w.variants[:rep % len(w.variants)])
        for variant in order:
            r = workers[variant].run()
            times[variant].append(r["seconds"])
            cpu[variant].append(r["cpu_s"])
            counts[variant] = r["items"]
        print(f"  {w.name} rep {rep + 1}/{w.reps}: " + ", ".join(
            f"{v} {counts[v] / times[v][-1]:.2f}/s" for v in w.variants) + f"  (load {os.getloadavg()[0]:.2f})",
            flush=True)
    result = {"workload": w.name, "task": w.task, "articles": w.articles, "reps": w.reps,
              "load_before": load, "load_after": os.getloadavg()[0], "variants": {}}
    for variant, wk in workers.items():
        rates = [counts[variant] / t for t in times[variant]]
        result["variants"][variant] = {
            "items": counts[variant], "median_s": statistics.median(times[variant]), "max_s": max(times[variant]),
            "cpu_per_item": statistics.median(cpu[variant]) / counts[variant],
            "rate": statistics.median(rates), "min_rate": min(rates), "max_rate": max(rates),
            "load_s": wk.load_s, "choice": wk.choice, "peak_rss_mb": wk.close()}
    return result


def machine() -> dict:
    import ctranslate2
    import torch
    import transformers

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.machine()) if Path("/proc/cpuinfo").exists() else ""
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cpus": cpus, "cpu": model, "ram_gib": round(mem), "python": platform.python_version(),
            "torch": torch.__version__, "transformers": transformers.__version__,
            "ctranslate2": ctranslate2.__version__}


PAIRS = (("viensum", "tuned"), ("viensum", "peer"), ("viensum", "speer"), ("viensum", "naive"), ("tuned", "peer"))
NAMES = {"viensum": "viensum", "tuned": "CTranslate2 tuned by hand", "peer": "plain CTranslate2 (defaults)",
         "speer": "plain CTranslate2 summary chain", "naive": "plain transformers, one at a time"}
UNIT = {"translate": "segments", "summarize": "articles"}


def with_naive(results: list[dict]) -> list[dict]:
    """Each result's variants, plus the naive rate measured on the smaller set of its task where it has none."""
    naive = {r["task"]: r["variants"]["naive"] for r in results if "naive" in r["variants"]}
    out = []
    for r in results:
        v = dict(r["variants"])
        if "naive" not in v and r["task"] in naive:
            v["naive"] = naive[r["task"]]
        out.append(v)
    return out


def report(results: list[dict], info: dict, command: str) -> str:
    lines = [f"command: `{command}`",
             f"machine: {info['cpus']} CPU cores ({info['cpu']}), {info['ram_gib']} GiB RAM; python {info['python']}, "
             f"torch {info['torch']}, transformers {info['transformers']}, ctranslate2 {info['ctranslate2']}",
             f"load average (1 min): {info['load_start']:.2f} before, {info['load_end']:.2f} after; "
             f"started {info['started']}, took {info['minutes']:.1f} min", "",
             "| workload | variant | items per rep | reps | median s | max s | median rate | range | CPU s per item "
             "| peak RSS MB |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        for v, m in r["variants"].items():
            lines.append(f"| {r['workload']} | {v} | {m['items']} {UNIT[r['task']]} | {r['reps']} | "
                         f"{m['median_s']:.2f} | {m.get('max_s', m['median_s']):.2f} | {m['rate']:.3f}/s | "
                         f"{m['min_rate']:.3f}-{m['max_rate']:.3f} | {m['cpu_per_item']:.3f} | {m['peak_rss_mb']:.0f} |")
    pairs = [(a, b) for a, b in PAIRS if any(a in v and b in v for v in with_naive(results))]
    lines += ["", "Speed ratios of the median rates (in brackets: ratio of CPU time per item, the same work "
              "measured in core-seconds):", "",
              "| workload | load before/after | " + " | ".join(f"{a} / {b}" for a, b in pairs) + " |",
              "|---|---|" + "---:|" * len(pairs)]
    for r, v in zip(results, with_naive(results)):
        cells = [f"{v[a]['rate'] / v[b]['rate']:.2f}x ({v[b]['cpu_per_item'] / v[a]['cpu_per_item']:.2f}x)"
                 if a in v and b in v else "" for a, b in pairs]
        lines.append(f"| {r['workload']} | {r['load_before']:.2f}/{r['load_after']:.2f} | " + " | ".join(cells) + " |")
    tuned = [(r["workload"], r["variants"]["tuned"]["choice"]) for r in results
             if (r["variants"].get("tuned") or {}).get("choice")]
    if tuned:
        lines += ["", "The hand-tuned peer's batching, chosen per workload by timing each setting once on "
                  "(a sample of) its segments while loading:", ""]
        for name, c in tuned:
            grid = ", ".join(f"{k} {v:.2f} s" for k, v in c["grid_s"].items())
            lines.append(f"- {name} ({c['grid_items']} segments): {grid} -> **{c['chosen']}**")
    return "\n".join(lines) + "\n"


BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def summary_table(results: list[dict], info: dict, command: str) -> str:
    """The README's figure table: one row per workload, every variant's rate and viensum's ratio to it."""
    present = [v for v in NAMES if any(v in r["variants"] for r in results)]
    lines = [f"Measured with `{command}` ({info['started']}, {info['minutes']:.0f} min, {info['cpus']} cores "
             f"{info['cpu']}, load average {info['load_start']:.2f} before / {info['load_end']:.2f} after; "
             f"ctranslate2 {info['ctranslate2']}). Rates are medians; in brackets viensum's speed over that variant.",
             "", "| workload | " + " | ".join(NAMES[v] for v in present) + " | peak RSS MB (same order) |",
             "|---|" + "---|" * (len(present) + 1)]
    for r, v in zip(results, with_naive(results)):
        cells = []
        for name in present:
            if name not in v:
                cells.append("-")
                continue
            m = v[name]
            rate = (f"{m['median_s']:.2f} s (max {m.get('max_s', m['median_s']):.2f})"
                    if r["workload"] == "summarize-1" else f"{m['rate']:.3g} {UNIT[r['task']]}/s")
            ratio = "" if name == "viensum" or "viensum" not in v else f" ({v['viensum']['rate'] / m['rate']:.2f}x)"
            cells.append(rate + ratio)
        rss = " / ".join(f"{r['variants'][n]['peak_rss_mb']:.0f}" if n in r["variants"] else "-" for n in present)
        lines.append(f"| {label(r, v)} | " + " | ".join(cells) + f" | {rss} |")
    return "\n".join(lines) + "\n"


def label(result: dict, variants: dict) -> str:
    """A workload in words: 'full translation, 5 articles (62 segments)', 'summary of one article'."""
    n = result["articles"]
    if result["task"] == "translate":
        items = next(m["items"] for name, m in variants.items() if name != "naive")
        return f"full translation, {n} articles ({items} segments)"
    return "summary of one article (default recipe)" if n == 1 else f"summaries of {n} articles (default recipe)"


def write_block(path: Path, text: str) -> None:
    """Replace the text between BEGIN and END in ``path`` (written to a temporary file, then renamed)."""
    doc = path.read_text(encoding="utf-8")
    if BEGIN not in doc or END not in doc:
        raise SystemExit(f"run.py: {path} has no {BEGIN} ... {END} block")
    head, rest = doc.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(f"{head}{BEGIN}\n{text}{END}{tail}", encoding="utf-8")
    tmp.replace(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer articles and repetitions (about 5 minutes)")
    parser.add_argument("--reps", type=int, help="repetitions per workload (default 5 / 3 / 5 / 2; quick 3 / 2 / 3 / 2)")
    parser.add_argument("--only", help="comma-separated workloads to run, each optionally with its repetitions "
                        "(translate-100:2)")
    parser.add_argument("--skip", help="comma-separated variants to leave out (naive)")
    parser.add_argument("--out", type=Path, help="also write the report (markdown) here, and the raw figures as JSON")
    parser.add_argument("--write", type=Path, help="replace the <!-- bench:begin/end --> block of this file "
                        "(README.md) with the figure table of this run")
    parser.add_argument("--from", dest="source", type=Path, nargs="+",
                        help="no run: the report and --write from the JSON files earlier --out runs wrote "
                             "(several: their workloads together, each run's command kept)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--task", help=argparse.SUPPRESS)
    parser.add_argument("--inputs", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.task, args.inputs)
        return

    if args.source:  # re-render earlier runs
        info, results = merge_runs([json.loads(f.read_text(encoding="utf-8")) for f in args.source])
        command = info["command"]
    else:
        command = "python " + " ".join([Path(sys.argv[0]).as_posix()] + sys.argv[1:])
        info, results = run_suite(args, command)
    text = report(results, info, command)
    print("\n" + text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        args.out.with_suffix(".json").write_text(json.dumps({"machine": info, "results": results}, indent=2))
    if args.write:
        write_block(args.write, summary_table(results, info, command))
        print(f"wrote the figure table into {args.write}")


def merge_runs(runs: list[dict]) -> tuple[dict, list[dict]]:
    """Several saved runs as one: their workloads in order, the first run's machine, every command,
    the first load before and the last load after, the minutes added up."""
    info = dict(runs[0]["machine"])
    info.update(command="; ".join(r["machine"].get("command", "python benchmarks/run.py") for r in runs),
                load_end=runs[-1]["machine"]["load_end"], minutes=sum(r["machine"]["minutes"] for r in runs))
    return info, [result for r in runs for result in r["results"]]


def run_suite(args, command: str) -> tuple[dict, list[dict]]:
    """Build and convert the models once, then measure the chosen workloads with the chosen variants."""
    from realsize import build

    from viensum.backends.ct2 import convert

    for name in (TRANSLATOR, SUMMARIZER):  # once: build the models and their conversions (viensum's, CTranslate2's)
        convert(build(name), "int8")
        own_conversion(name)
    info = {**machine(), "command": command, "load_start": os.getloadavg()[0],
            "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    print(f"{info['cpus']} CPU cores ({info['cpu']}); load average {info['load_start']:.2f}", flush=True)
    t0 = time.perf_counter()
    # --only name or name:reps
    chosen = dict((part.split(":") + [None])[:2] for part in args.only.split(",")) if args.only else None
    skip = set(args.skip.split(",")) if args.skip else set()
    results = []
    with tempfile.TemporaryDirectory(prefix="viensum-bench-") as tmp:
        pool = workloads(args.quick, args.reps)
        if chosen is not None:  # --only may pick from both modes (translate-100 with summarize-5)
            pool += [w for w in workloads(not args.quick, args.reps) if w.name not in {x.name for x in pool}]
            pool += [sized(name, args.reps) for name in chosen if name not in {x.name for x in pool}]
        for w in pool:
            if chosen is not None and w.name not in chosen:
                continue
            if chosen and chosen[w.name]:
                w = dataclasses.replace(w, reps=int(chosen[w.name]))
            w = dataclasses.replace(w, variants=tuple(v for v in w.variants if v not in skip))
            results.append(measure(w, Path(tmp)))
    info.update(load_end=os.getloadavg()[0], minutes=(time.perf_counter() - t0) / 60)
    return info, results


if __name__ == "__main__":
    main()
