"""Time the extractive ranker on one-line "articles" of growing size (the sample articles repeated).

The ranker ranks at most ``MAX_SENTENCES`` sentences of at most ``MAX_SENTENCE_CHARS``
(src/viensum/extractive.py), so its time stops growing with the input beyond that:

    python benchmarks/bench_extractive.py                   # 80 KB, 220 KB, 1 MB, 5 MB
    python benchmarks/bench_extractive.py 20000 5000000     # sizes in bytes

One line per size: ``SIZE bytes, N sentences: T s`` (the best of three runs).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one_line_article(size: int) -> str:
    text = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in sorted((ROOT / "seeds").glob("*.txt")))
    repeated = " ".join([text] * (size // len(text.encode()) + 1))
    return repeated.encode()[:size].decode(errors="ignore")


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from viensum.extractive import extract
    from viensum.text import split_sentences

    extract("Câu thứ nhất. Câu thứ hai. Câu thứ ba. Câu thứ tư.", n=1)  # imports, outside the timing
    for size in [int(a) for a in argv] or [80_000, 220_000, 1_000_000, 5_000_000]:
        text = one_line_article(size)
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            extract(text, n=3)
            runs.append(time.perf_counter() - start)
        print(f"{size:>9} bytes, {len(split_sentences(text))} sentences: {min(runs):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
