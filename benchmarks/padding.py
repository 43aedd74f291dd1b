"""Padding waste of the translation batches: how many of the source positions CTranslate2 computes are padding.

No timing: token counts only (the real-size Marian's source vocabulary, benchmarks/realsize.py),
for the segments of ``--articles`` sample articles, batched four ways: three with viensum's batch
size (16) and token cap (``BATCH_TOKENS``) and two workers, and as the hand-tuned peer batches them:

* ``as written``: batches of consecutive segments, in article order (no sorting);
* ``per article``: each article's segments sorted and batched on their own (one call per article);
* ``once, across articles``: every article's segments in one call, sorted once
  (``viensum.backends.ct2.schedule``: what ``translate_segments`` does for a whole set);
* ``tuned peer``: the hand-tuned CTranslate2 call of benchmarks/run.py,
  ``translate_batch(max_batch_size=16)`` over every segment, which CTranslate2 sorts by length
  (longest first) and cuts into batches of 16.

    python benchmarks/padding.py --articles 5 40 100
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import TRANSLATOR, articles  # noqa: E402


def padded(lengths: list[int], batches: list[list[int]]) -> int:
    return sum(len(b) * max(lengths[i] for i in b) for b in batches)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, nargs="+", default=[5, 100])
    args = parser.parse_args()
    import sentencepiece

    from realsize import build

    from viensum.backends.ct2 import BATCH_TOKENS, schedule
    from viensum.translate import plan

    sp = sentencepiece.SentencePieceProcessor(model_file=str(build(TRANSLATOR) / "source.spm"))
    size, steps = 16, (39, 39, 4)
    print("| articles | segments | real tokens | padded: as written | padded: per article | padded: once, across articles "
          "| padded: tuned peer |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n in args.articles:
        per_article = [[len(sp.encode(s)) + 1 for s in plan(a) if s.strip()] for a in articles(n)]
        lengths = [x for lens in per_article for x in lens]
        written = [list(range(i, min(i + size, len(lengths)))) for i in range(0, len(lengths), size)]
        alone = sum(padded(lens, schedule(lens, min(size, -(-len(lens) // 2)), BATCH_TOKENS, 2, steps))
                    for lens in per_article)
        once = padded(lengths, schedule(lengths, size, BATCH_TOKENS, 2, steps))
        longest_first = sorted(range(len(lengths)), key=lambda i: -lengths[i])
        peer = padded(lengths, [longest_first[i:i + size] for i in range(0, len(lengths), size)])
        real = sum(lengths)
        cells = [f"{v:,} (+{v / real - 1:.1%})" for v in (padded(lengths, written), alone, once, peer)]
        print(f"| {n} | {len(lengths):,} | {real:,} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
