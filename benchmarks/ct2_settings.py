"""The effect of each CTranslate2 setting on viensum's translation path, against the plain peer.

One process, one real-size Marian (benchmarks/realsize.py), the same segments
(every sentence of ``--articles`` sample articles), beam 4 and 40 forced tokens.
The configurations take turns, rotating the order in every repetition, so load
on a shared machine falls on all of them alike; each reports the median wall
time and the median CPU time (user + system of this process: every thread's
work, which the machine's load barely moves) over the repetitions.

    python benchmarks/ct2_settings.py --articles 5 --reps 5

Configurations (viensum = ``translate_segments`` on the CTranslate2 backend):

* ``peer``               Translator(compute_type="int8") with CTranslate2's default threads
                          (1 worker using every core), translate_batch(max_batch_size=32)
* ``viensum-1x2 b16 c1536``  the previous defaults: 1 worker x 2 threads, batches of 16, 1536 padded tokens
* ``viensum-1x2 b32 c1536``  batches of 32
* ``viensum-1x2 b32 c4096``  a cap that seldom binds
* ``viensum-2x1 ...``        2 workers x 1 thread: two batches at a time, one per core
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from interleave import interleave  # noqa: E402
from run import PEER_BATCH, SENTENCE_TOKENS, TRANSLATOR, articles, forced_spec  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--only", help="comma-separated configuration names")
    args = parser.parse_args()

    import ctranslate2
    import sentencepiece

    from realsize import build

    from viensum.backends import load_backend
    from viensum.translate import plan, translate_segments

    folder = build(TRANSLATOR)
    segments = [s for a in articles(args.articles) for s in plan(a) if s.strip()]
    backend = load_backend(forced_spec(TRANSLATOR), path=folder, backend="ctranslate2")
    translators = {}

    def translator(inter: int, intra: int):
        if (inter, intra) not in translators:
            translators[inter, intra] = ctranslate2.Translator(
                str(backend.converted), device="cpu", compute_type="int8", inter_threads=inter, intra_threads=intra)
        return translators[inter, intra]

    sp = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))
    peer_options = {"beam_size": 4, "max_decoding_length": SENTENCE_TOKENS - 1,
                    "min_decoding_length": SENTENCE_TOKENS - 1}

    def peer() -> None:
        pieces = [sp.encode(t, out_type=str) + ["</s>"] for t in segments]
        results = translator(1, 0).translate_batch(pieces, max_batch_size=PEER_BATCH, **peer_options)
        [sp.decode(r.hypotheses[0]) for r in results]

    def viensum(inter: int, intra: int, batch: int, cap: int):
        def go() -> None:
            backend.translator, backend.workers, backend.batch_tokens = translator(inter, intra), inter, cap
            translate_segments(backend, segments, batch_size=batch)
        return go

    configs = {"peer": peer}
    for inter, intra in ((1, 2), (2, 1)):
        for batch, cap in ((16, 1536), (32, 1536), (32, 2048), (32, 4096), (64, 4096)):
            configs[f"viensum-{inter}x{intra} b{batch} c{cap}"] = viensum(inter, intra, batch, cap)
    if args.only:
        wanted = args.only.split(",")
        for name in wanted:  # any "viensum-IxJ bB cC" can be asked for, not only the table above
            shape = re.fullmatch(r"viensum-(\d+)x(\d+) b(\d+) c(\d+)", name)
            if shape and name not in configs:
                configs[name] = viensum(*map(int, shape.groups()))
        configs = {k: configs[k] for k in wanted if k in configs}
    interleave(configs, args.reps, len(segments), "segments")  # the first (the peer, unless --only left it out)


if __name__ == "__main__":
    main()
