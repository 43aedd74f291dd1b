"""Output-changing modes against the default, measured apart from the headline figures (issue 15).

The one such mode built is **greedy** decoding: ``--beams 1`` / ``num_beams=1``
(the registered translators and ViT5 default to beam search with 4 beams).
Two questions, for the translator (Marian, opus-mt-vi-en) and the summariser
(ViT5, vit5-base-vietnews):

* **Speed**, on the real-size random models of ``benchmarks/realsize.py``
  through viensum's own code path on the CTranslate2 int8 backend
  (``translate_segments`` for the sentences of ``--articles`` sample articles,
  ``generate_sorted`` for the articles' texts as the pipeline's first round
  chunks them), with forced output lengths as in ``run.py`` (40 / 80 tokens)
  so both modes generate the same number of tokens. Every (task, mode) runs
  in this one process, taking turns in a rotating order, as ``ct2_settings.py``
  does; medians of wall and CPU time (user + system of this process, every
  thread) over ``--reps`` repetitions.
* **How much the output changes**: greedy output scored against the beam-search
  output as the reference (share of identical outputs, sacrebleu chrF and
  BLEU), at the models' natural lengths (nothing forced), on (a) the tiny test
  models (``viensum.tiny.make_tiny``), (b) the real-vocabulary test models
  built from ``../shared/real-models`` (``make_real_vocab``; only T5-family
  files exist there, so the translator is EnViT5 and there is no Marian row)
  and (c) the real-size models. All have random weights: this is **agreement
  between the two modes' outputs, not translation or summary quality**.

Not built: an output-vocabulary shortlist (CTranslate2 ``use_vmap``, with the
``vmap.txt`` given to the conversion: ``convert(..., vmap=...)``). That file
maps source n-grams to likely target tokens and has to come from
a lexical translation table learnt on a Vietnamese-English parallel corpus
(word alignment). None is available offline here (only five Vietnamese
articles), and a table made up without one would measure nothing honest.

    python benchmarks/modes.py                  # about 5 minutes on 2 cores
    python benchmarks/modes.py --reps 5 --articles 5
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import ROOT, SUMMARIZER, TRANSLATOR, articles, cpu_seconds, forced_spec  # noqa: E402

REAL_MODELS = Path(os.environ.get("VIENSUM_SHARED", ROOT / ".." / "shared")) / "real-models"
SUMMARY_BATCH = 8  # RunOptions.batch_size: what summarize() passes the summariser


def segments_of(docs) -> list[str]:
    from viensum.translate import plan

    return [s for a in docs for s in plan(a) if s.strip()]


def summary_inputs(backend, docs) -> list[str]:
    """Each article's body as the pipeline's first round sends it: sentences packed into chunks that fit."""
    from viensum.generation import chunk_sentences
    from viensum.text import split_sentences

    limit = backend.max_input_tokens
    out = []
    for a in docs:
        sentences = [s for p in a.paragraphs for s in split_sentences(p)]
        chunks, _ = chunk_sentences(sentences, lambda t: backend.count_tokens(t) <= limit, backend.count_tokens, limit)
        out += [" ".join(c) for c in chunks]
    return out


def runner(backend, task: str, texts: list[str]):
    """A function of num_beams (None: the model's default) giving the outputs, as the pipeline calls the model."""
    from viensum.translate import generate_sorted, translate_segments

    if task == "translate":
        return lambda num_beams: translate_segments(backend, texts, num_beams=num_beams)
    return lambda num_beams: generate_sorted(backend, texts, batch_size=SUMMARY_BATCH, num_beams=num_beams)


def default_beams(name: str) -> int:
    from viensum.registry import get_model

    return get_model(name).generation.get("num_beams", 1)


# --------------------------------------------------------------------------- speed


def speed(docs, reps: int) -> list[str]:
    from realsize import build

    from viensum.backends import LoadedModels, load_backend

    configs = {}
    own = LoadedModels()  # its own holder: load_backend's cache keys on the name, and these specs are forced
    for task, name in (("translate", TRANSLATOR), ("summarize", SUMMARIZER)):
        backend = load_backend(forced_spec(name), path=build(name), backend="ctranslate2", models=own)
        texts = segments_of(docs) if task == "translate" else summary_inputs(backend, docs)
        run = runner(backend, task, texts)
        run(1)  # warm-up: translators and caches loaded before anything is timed
        configs[task, f"beam {default_beams(name)}"] = (len(texts), lambda run=run: run(None))
        configs[task, "greedy"] = (len(texts), lambda run=run: run(1))
    names = list(configs)
    wall: dict = {k: [] for k in names}
    cpu: dict = {k: [] for k in names}
    for rep in range(reps):
        for key in names[rep % len(names):] + names[:rep % len(names)]:
            c0, t0 = cpu_seconds(), time.perf_counter()
            configs[key][1]()
            wall[key].append(time.perf_counter() - t0)
            cpu[key].append(cpu_seconds() - c0)
        print(f"rep {rep + 1}/{reps}: " + ", ".join(f"{t} {m} {wall[t, m][-1]:.1f}s" for t, m in names)
              + f" (load {os.getloadavg()[0]:.2f})", file=sys.stderr, flush=True)
    lines = ["| task (model) | mode | inputs | median wall s | inputs/s | median CPU s | greedy speed-up: wall (CPU) |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for task, mode in names:
        count, w, c = configs[task, mode][0], statistics.median(wall[task, mode]), statistics.median(cpu[task, mode])
        beam = next(k for k in names if k[0] == task and k[1] != "greedy")
        ratio = (f"{statistics.median(wall[beam]) / w:.2f}x ({statistics.median(cpu[beam]) / c:.2f}x)"
                 if mode == "greedy" else "")
        model = TRANSLATOR if task == "translate" else SUMMARIZER
        lines.append(f"| {task} ({model}) | {mode} | {count} | {w:.2f} | {count / w:.2f} | {c:.2f} | {ratio} |")
    return lines


# --------------------------------------------------------------------------- how much the output changes


def agreement(backend, task: str, texts: list[str]) -> dict:
    import sacrebleu

    run = runner(backend, task, texts)
    beam, greedy = run(None), run(1)
    words = lambda outs: statistics.mean(len(o.split()) for o in outs)  # noqa: E731
    return {"inputs": len(texts), "identical": sum(a == b for a, b in zip(beam, greedy)) / len(texts),
            "chrf": sacrebleu.corpus_chrf(greedy, [beam]).score, "bleu": sacrebleu.corpus_bleu(greedy, [beam]).score,
            "words": (words(beam), words(greedy))}


def quality(docs) -> list[str]:
    from realsize import build

    from viensum.backends import LoadedModels, load_backend
    from viensum.registry import get_model
    from viensum.tiny import make_tiny

    rows = []
    own = LoadedModels()
    with tempfile.TemporaryDirectory(prefix="viensum-modes-") as tmp:
        real = REAL_MODELS if (REAL_MODELS / "vit5-base-vietnews" / "config.json").is_file() else None
        built = make_tiny(tmp, [TRANSLATOR, SUMMARIZER, "envit5-translation"], real_models=real)
        if real is None:
            print(f"no real tokenizer files at {REAL_MODELS}: the real-vocabulary rows are left out", file=sys.stderr)
        models = [("tiny", TRANSLATOR, built[TRANSLATOR]), ("tiny", SUMMARIZER, built[SUMMARIZER])]
        models += [("real vocabulary", name, built[f"real-vocab/{name}"])
                   for name in ("envit5-translation", SUMMARIZER) if f"real-vocab/{name}" in built]
        for level, name, folder in models:
            for runtime in ("transformers", "ctranslate2"):
                rows.append(_row(level, name, load_backend(name, path=folder, backend=runtime, models=own), docs))
                print(f"  {rows[-1]}", file=sys.stderr, flush=True)
    # real size: CTranslate2 int8 only (what runtime="auto" runs on the CPU); fp32 transformers
    # at 256 tokens with 4 beams would take longer than this whole script
    for name in (TRANSLATOR, SUMMARIZER):
        rows.append(_row("real size", name, load_backend(get_model(name), path=build(name), backend="ctranslate2",
                                                      models=own),
                         docs))
        print(f"  {rows[-1]}", file=sys.stderr, flush=True)
    lines = ["| models | model (task) | runtime | inputs | identical | chrF | BLEU | words per output: beam / greedy |",
             "|---|---|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['level']} | {r['name']} ({r['task']}) | {r['runtime']} | {r['inputs']} | "
                     f"{r['identical']:.0%} | {r['chrf']:.1f} | {r['bleu']:.1f} | "
                     f"{r['words'][0]:.1f} / {r['words'][1]:.1f} |")
    return lines


def _row(level: str, name: str, backend, docs) -> dict:
    from viensum.registry import TRANSLATE_VI_EN

    task = "translate" if TRANSLATE_VI_EN in backend.spec.tasks else "summarize"
    texts = segments_of(docs) if task == "translate" else summary_inputs(backend, docs)
    runtime = "ctranslate2 int8" if backend.engine == "ctranslate2" else "transformers fp32"
    return {"level": level, "name": name, "task": task, "runtime": runtime, **agreement(backend, task, texts)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5, help="sample articles (default: the five)")
    parser.add_argument("--reps", type=int, default=3, help="speed repetitions (default 3)")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    load_start, started, t0 = os.getloadavg(), time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), time.perf_counter()
    docs = articles(args.articles)
    speed_lines = speed(docs, args.reps)
    quality_lines = quality(docs)
    load_end = os.getloadavg()
    command = "python " + " ".join([Path(sys.argv[0]).as_posix()] + sys.argv[1:])
    print(f"command: `{command}`; started {started}, took {(time.perf_counter() - t0) / 60:.1f} min; "
          f"load average (1/5/15 min) {'/'.join(f'{x:.2f}' for x in load_start)} before, "
          f"{'/'.join(f'{x:.2f}' for x in load_end)} after\n")
    print(f"Speed: real-size random models, CTranslate2 int8, {len(docs)} articles, forced lengths "
          f"(40 tokens per sentence, 80 per summary), {args.reps} repetitions interleaved in one process:\n")
    print("\n".join(speed_lines))
    print("\nHow much greedy output differs from the default beam output (the reference), natural lengths. "
          "The weights are random: this is agreement between the two modes, not translation or summary "
          "quality.\n")
    print("\n".join(quality_lines))


if __name__ == "__main__":
    main()
