"""Where the wall time of a summary (or a translation) goes: every model call on a timeline.

The default recipe over ``--articles`` sample articles (``viensum.summarize``, cache off), or
``translate_segments`` over their sentences (``--task translate``), on the real-size random
models of benchmarks/realsize.py with run.py's forced output lengths, after one warm-up run.
Every ``CTranslate2Backend.generate`` call and the fact checker's hook are recorded: when it
started and ended (seconds from the start of the run), how many inputs it got, on which
Translator layout (workers x threads), its CPU time (user + system of the process, every thread)
and how busy it kept the cores (CPU time / (wall time x cores)); the time between calls is the
Python around them. One line per call, then the totals: the share of the wall time each core was
idle, and the serial phases (calls that kept less than 60% of the cores busy).

    python benchmarks/timeline.py --articles 1
    python benchmarks/timeline.py --articles 5 --reps 2
    python benchmarks/timeline.py --task translate --articles 5
    python benchmarks/timeline.py --articles 100 --warm-up 5
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import SUMMARIZER, TRANSLATOR, articles, cores, forced_spec  # noqa: E402

SERIAL = 0.6  # a call that keeps less than this share of the cores busy is a serial phase


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Recorder:
    """Wraps the calls to time; ``events`` holds one dict per call, in the order they ended."""

    def __init__(self) -> None:
        self.events: list[dict] = []
        self.start = time.perf_counter()

    def wrap(self, owner, name: str, label) -> None:
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            t0, c0 = time.perf_counter(), cpu_seconds()
            try:
                return original(*args, **kwargs)
            finally:
                self.events.append({"what": label(*args, **kwargs), "start": t0 - self.start,
                                    "end": time.perf_counter() - self.start, "cpu": cpu_seconds() - c0})
        setattr(owner, name, timed)


def backend_label(backend, texts, **_) -> str:
    workers = backend.threads if len(texts) >= backend.threads and backend.spread else backend.workers
    return f"{backend.spec.name} {len(texts)} inputs, {workers} worker(s)"


def report(events: list[dict], total_wall: float, total_cpu: float, threads: int) -> None:
    print("| call | start s | end s | wall s | CPU s | cores busy |")
    print("|---|---:|---:|---:|---:|---:|")
    for e in sorted(events, key=lambda e: e["start"]):
        wall = e["end"] - e["start"]
        print(f"| {e['what']} | {e['start']:.2f} | {e['end']:.2f} | {wall:.2f} | {e['cpu']:.2f} | "
              f"{e['cpu'] / max(wall, 1e-9) / threads:.0%} |")
    idle = total_wall * threads - total_cpu
    serial = [e for e in events if (e["cpu"] / max(e["end"] - e["start"], 1e-9) / threads) < SERIAL
              and e["end"] - e["start"] > 0.05]
    print(f"\nrun: {total_wall:.2f} s wall, {total_cpu:.2f} s CPU on {threads} cores: "
          f"{idle:.2f} core-seconds idle ({idle / (total_wall * threads):.0%} of the run)")
    print("serial phases (under %.0f%% of the cores busy): " % (SERIAL * 100) + (
        "; ".join(f"{e['what']} {e['end'] - e['start']:.2f} s" for e in serial) or "none"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--task", choices=("summarize", "translate"), default="summarize")
    parser.add_argument("--articles", type=int, default=1)
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--warm-up", type=int, default=None, metavar="N",
                        help="articles in the warm-up run (default: --articles)")
    args = parser.parse_args()

    from realsize import build

    import viensum
    from viensum.backends import ct2, load_backend
    from viensum.check import trace
    from viensum.registry import register_model
    from viensum.translate import plan, translate_segments

    if args.task == "translate":
        backend = load_backend(forced_spec(TRANSLATOR), path=build(TRANSLATOR), backend="ctranslate2")
        job = lambda docs: translate_segments(backend, [s for a in docs for s in plan(a) if s.strip()])  # noqa: E731
    else:
        os.environ["VIENSUM_MODELS_DIR"] = str(build(SUMMARIZER).parent)
        build(TRANSLATOR)
        for name in (SUMMARIZER, TRANSLATOR):
            register_model(forced_spec(name))
        job = lambda docs: viensum.summarize(docs, cache=False, runtime="ctranslate2")  # noqa: E731
    docs = articles(args.articles)
    job(articles(args.warm_up or args.articles))  # warm-up: models loaded and converted, caches filled
    recorder = Recorder()
    recorder.wrap(ct2.CTranslate2Backend, "generate", backend_label)
    recorder.wrap(trace, "check_jobs", lambda pairs, method: "check_jobs (fact checks and their retries)")
    for rep in range(args.reps):
        recorder.events.clear()
        recorder.start = time.perf_counter()
        c0 = cpu_seconds()
        job(docs)
        print(f"\n{args.task}, {args.articles} article(s), repetition {rep + 1}; load {os.getloadavg()[0]:.2f}\n")
        report(recorder.events, time.perf_counter() - recorder.start, cpu_seconds() - c0, cores())


if __name__ == "__main__":
    main()
