"""Where the time of viensum's translation path goes: one profiled run of ``translate_segments``.

The real-size Marian on CTranslate2 int8 (benchmarks/realsize.py), every
sentence of ``--articles`` sample articles, beam 4, 40 forced tokens, under
cProfile. Prints the share of the wall time spent in CTranslate2 (the
``translate_batch`` calls and the waits for their results), in tokenisation
(counting tokens to split long sentences, encoding, ids to pieces), in
detokenisation, and in the rest of viensum's Python.

    python benchmarks/profile_translate.py --articles 5
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import TRANSLATOR, articles, forced_spec  # noqa: E402

# (label, [(part of the function's name, the function calling it or None for any)]): time spent in those calls
PARTS = [
    ("CTranslate2: translate_batch calls + waiting for their results",
     [("ctranslate2._ext", None)]),
    ("tokenisation: counting tokens to split long sentences", [("count_tokens", "split_to_fit")]),
    ("tokenisation: encoding the sources, ids to pieces",
     [("_encode_checked", "generate"), ("convert_ids_to_tokens", "generate")]),
    ("detokenisation: pieces to ids, decoding", [("convert_tokens_to_ids", "generate"), ("decode", "generate")]),
    ("batching: sorted_batches", [("sorted_batches", "generate")]),
]


def called_time(stats: pstats.Stats, name: str, caller: str | None) -> float:
    """Cumulative seconds in functions whose name contains ``name``, counting only calls made by ``caller``."""
    total = 0.0
    for (_, _, func), (_, _, _, _, callers) in stats.stats.items():
        if name in func:
            total += sum(ct for (_, _, who), (_, _, _, ct) in callers.items() if caller in (None, who))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5)
    parser.add_argument("--top", type=int, default=0, help="also print the N most expensive functions")
    args = parser.parse_args()

    from realsize import build

    from viensum.backends import load_backend
    from viensum.translate import plan, translate_segments

    segments = [s for a in articles(args.articles) for s in plan(a) if s.strip()]
    backend = load_backend(forced_spec(TRANSLATOR), path=build(TRANSLATOR), backend="ctranslate2")
    translate_segments(backend, segments[:2])  # warm-up
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.runcall(translate_segments, backend, segments)
    wall = time.perf_counter() - start
    stats = pstats.Stats(profile)
    lengths = [len(ids) for ids in backend.tokenizer([backend._source(t) for t in segments]).input_ids]
    print(f"{len(segments)} segments ({sum(lengths) / len(lengths):.1f} source tokens on average, "
          f"{max(lengths)} at most) in {wall:.2f} s (under cProfile)\n")
    print("| part | seconds | share |\n|---|---:|---:|")
    accounted = 0.0
    for label, calls in PARTS:
        seconds = sum(called_time(stats, name, caller) for name, caller in calls)
        accounted += seconds
        print(f"| {label} | {seconds:.3f} | {seconds / wall:.1%} |")
    print(f"| everything else (viensum's Python, profiler overhead) | {wall - accounted:.3f} | "
          f"{(wall - accounted) / wall:.1%} |")
    if args.top:
        stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
