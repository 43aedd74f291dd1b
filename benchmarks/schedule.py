"""How work reaches CTranslate2: viensum's scheduling against the hand-tuned peer, side by side.

One process, one real-size model (benchmarks/realsize.py), the same inputs, beam 4 and forced
output lengths (40 tokens per segment, 80 per summary), as in ``run.py``. The configurations take
turns, rotating the order every repetition; each reports its median wall time and median CPU time
(user + system of this process, every thread) over the repetitions, as ``ct2_settings.py`` does.

    python benchmarks/schedule.py --task translate --articles 5 --reps 5
    python benchmarks/schedule.py --task summarize --articles 8 --reps 3

Configurations (``--only`` picks some; any name of these shapes can be asked for):

* ``tuned <type> <size>``   the hand-tuned peer: CTranslate2's own int8 conversion,
                            Translator(inter_threads=<cores>, intra_threads=1),
                            translate_batch(max_batch_size=<size>, batch_type=<type>)
* ``ours <type> <size>``    the hand-tuned peer's call on viensum's own conversion (its int8
                            weights: 7-bit on x86 without VNNI, ``ct2.int8_weight_bits``)
* ``plain <size>``          CTranslate2's own conversion with its default threads
                            (the summary peer's summariser is ``plain 8``)
* ``viensum bB cC [fifo]``    viensum's own thread layout (a summariser: 1 worker x every core, and
                            one-thread workers on every core for calls with an input per core)
* ``viensum-IxJ bB cC [fifo]``  viensum's backend (``generate``: translate_segments'
                            engine, and the summariser's) with I workers x J threads, batches of
                            at most B inputs and C padded tokens; ``fifo``: the batches handed over
                            longest first as before, without :func:`viensum.backends.ct2.schedule`'s
                            balancing (an even batch count, costliest first)
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from interleave import interleave  # noqa: E402
from run import (SENTENCE_TOKENS, SUMMARIZER, SUMMARY_TOKENS, TRANSLATOR, articles, cores,  # noqa: E402
                 forced_spec, own_conversion)

DEFAULTS = {"translate": ["tuned examples 16", "tuned tokens 2048", "viensum-2x1 b16 c1536 fifo",
                          "viensum-2x1 b16 c1536"],
            "summarize": ["plain 8", "viensum-1x2 b16 c1536", "viensum-2x1 b16 c1536", "viensum-1x2 b8 c8192",
                          "viensum-2x1 b8 c8192"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--task", choices=("translate", "summarize"), default="translate")
    parser.add_argument("--articles", type=int, default=5)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--only", help="comma-separated configuration names (default: %s)" % DEFAULTS)
    args = parser.parse_args()

    import ctranslate2
    import sentencepiece
    from tokenizers import Tokenizer

    from realsize import build

    from viensum.backends import load_backend
    from viensum.translate import plan

    name = TRANSLATOR if args.task == "translate" else SUMMARIZER
    folder = build(name)
    docs = articles(args.articles)
    if args.task == "translate":
        texts = [s for a in docs for s in plan(a) if s.strip()]
        sp = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))
        encode = lambda ts: [sp.encode(t, out_type=str) + ["</s>"] for t in ts]  # noqa: E731
        decode = lambda hyp: sp.decode(hyp)  # noqa: E731
        fixed = {"beam_size": 4, "max_decoding_length": SENTENCE_TOKENS - 1, "min_decoding_length": SENTENCE_TOKENS - 1}
    else:
        texts = [" ".join(a.paragraphs) for a in docs]
        tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        encode = lambda ts: [e.tokens for e in tok.encode_batch(ts)]  # noqa: E731
        decode = lambda hyp: tok.decode([tok.token_to_id(t) for t in hyp])  # noqa: E731
        fixed = {"beam_size": 4, "no_repeat_ngram_size": 3, "max_decoding_length": SUMMARY_TOKENS,
                 "min_decoding_length": SUMMARY_TOKENS, "max_input_length": 1024}
    backend = load_backend(forced_spec(name), path=folder, backend="ctranslate2")
    translators: dict = {}

    def translator(path: str, inter: int, intra: int):
        if (path, inter, intra) not in translators:
            translators[path, inter, intra] = ctranslate2.Translator(path, device="cpu", compute_type="int8",
                                                                     inter_threads=inter, intra_threads=intra)
        return translators[path, inter, intra]

    own = str(own_conversion(name))

    def peer(threads: tuple[int, int], path: str = own, **batching):
        def go() -> None:
            results = translator(path, *threads).translate_batch(encode(texts), **batching, **fixed)
            [decode(r.hypotheses[0]) for r in results]
        return go

    primary = (backend.workers, backend.translator)

    def viensum(inter: int, intra: int, batch: int, cap: int, fifo: bool):
        def go() -> None:
            if inter == 0:  # viensum's own layout, including its spread Translator for many inputs
                backend.workers, backend.translator = primary
            else:
                backend.translator = translator(str(backend.converted), inter, intra)
                backend.workers = inter
            backend.spread = inter == 0 and primary[0] == 1 and backend.threads > 1
            backend.batch_tokens, backend.balance = cap, not fifo
            backend.generate(texts, batch_size=batch)
        return go

    configs = {}
    for config in (args.only.split(",") if args.only else DEFAULTS[args.task]):
        if m := re.fullmatch(r"(tuned|ours) (examples|tokens) (\d+)", config):
            path = own if m[1] == "tuned" else str(backend.converted)
            configs[config] = peer((cores(), 1), batch_type=m[2], max_batch_size=int(m[3]), path=path)
        elif m := re.fullmatch(r"plain (\d+)", config):
            configs[config] = peer((1, 0), max_batch_size=int(m[1]))
        elif m := re.fullmatch(r"viensum-(\d+)x(\d+) b(\d+) c(\d+)( fifo)?", config):
            configs[config] = viensum(int(m[1]), int(m[2]), int(m[3]), int(m[4]), bool(m[5]))
        elif m := re.fullmatch(r"viensum b(\d+) c(\d+)( fifo)?", config):
            configs[config] = viensum(0, 0, int(m[1]), int(m[2]), bool(m[3]))
        else:
            raise SystemExit(f"unknown configuration {config!r}")
    interleave(configs, args.reps, len(texts), "segments" if args.task == "translate" else "articles")


if __name__ == "__main__":
    main()
