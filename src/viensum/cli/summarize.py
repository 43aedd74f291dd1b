"""``viensum summarize``: summarise article files into JSON Lines, JSON or a Markdown report."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from viensum.cli import INPUT_HELP, add_model_options, input_limits
from viensum.errors import InputError

EPILOG = """\
input:   files, folders (their .txt/.html/.docx/.pdf/.jsonl/.parquet/.zip files, sorted by
         name, sub-folders not entered), globs ('news/**/*.html'), - for stdin, .jsonl or
         .parquet records {"id", "text"}, .zip archives. Each article's id is the file name
         without extension (relative to its folder; zip members: ZIP/MEMBER), or the record's
         own id; records with a missing or repeated id are refused before any work.
output:  jsonl  one JSON object per article: Summary.to_dict() plus "source_file"
         json   one JSON array of those objects
         md     a readable report
         Written to -o FILE (complete or not at all: a failed run leaves an existing FILE
         as it was; FILE must not be an input), or to stdout.

Without a downloaded model the extractive summary is written, with a note naming the
command that installs the models (viensum models download NAME). A model named with
--model that is not installed is an error.

A bad article (unreadable, empty, binary, not Vietnamese, a model failure) gets a record
with "error" set and one line on stderr; the others are still summarised.
Exit status: 0 when every article was summarised, 1 when any failed (or on an error that
stops the whole run, such as a missing model), 2 on a usage error.
"""


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "summarize", help="summarise Vietnamese news articles into English",
        description="Clean Vietnamese news articles and summarise them in English and Vietnamese.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", metavar="INPUT", help=INPUT_HELP)
    p.add_argument("-o", "--output", metavar="OUT", type=Path, help="write here instead of stdout")
    p.add_argument("--format", choices=("jsonl", "json", "md", "parquet"), default="jsonl",
                   help="output format (default: jsonl; parquet only with --engine ray)")
    p.add_argument("--model", metavar="NAME", help="recipe or model name (default: two-stage; see viensum models list)")
    p.add_argument("--translate", action="store_true", help="also translate the whole article, paragraph by paragraph")
    p.add_argument("--sentences", type=int, default=3, metavar="N", help="sentences per summary (default: 3)")
    p.add_argument("--beams", type=int, metavar="N", help="beam search width (default: the model's own)")
    p.add_argument("--max-new-tokens", type=int, metavar="N", help="longest summary, in tokens")
    p.add_argument("--batch-size", type=int, default=8, metavar="N", help="texts per model call (default: 8)")
    add_model_options(p)
    p.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="local: this process; ray: Ray Data workers (needs -o)")
    p.add_argument("--ray-address", metavar="ADDR", help="Ray cluster to join (default: a local one)")
    p.add_argument("--workers", type=int, metavar="N", help="Ray model replicas (default: as the cluster allows)")
    p.add_argument("--gpus", type=float, default=0.0, metavar="N",
                   help="GPUs per Ray model replica, e.g. 1 or 0.5 (default: 0, CPU workers)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from viensum import io

    if args.sentences < 1 or args.batch_size < 1:
        raise InputError("--sentences and --batch-size must be at least 1")
    if args.output:
        io.check_output(args.output, args.inputs, folder=args.format == "parquet" and args.engine == "ray")
    if args.engine == "ray":
        return _run_ray(args)
    if args.format == "parquet":
        raise InputError("--format parquet needs --engine ray")
    from viensum.summarize import iter_summarize

    items = io.list_items(args.inputs, input_limits())  # ids and names; refuses repeated record ids
    texts = (item.text if item.ok else InputError(item.error) for item in io.iter_items(args.inputs, input_limits()))
    stream = iter_summarize(
        texts, args.model,
        translate=args.translate, clean=not args.no_clean, sentences=args.sentences,
        max_new_tokens=args.max_new_tokens, num_beams=args.beams, batch_size=args.batch_size,
        device=args.device, quantize="int8" if args.int8 else None, backend=args.backend,
        ids=[item.id for item in items], progress=len(items) > 1 and sys.stderr.isatty(),
    )
    if args.output:
        with io.atomic_write(args.output) as out:  # the old file stays until this run is complete
            return _write(args.format, items, stream, out)
    return _write(args.format, items, stream, sys.stdout)


def _write(fmt: str, items, stream, out) -> int:
    from viensum import render

    failed = 0
    records = []
    for item, summary in zip(items, stream):
        if summary.error:
            failed += 1
            print(f"viensum: error: {summary.id}: {summary.error}", file=sys.stderr)
        if fmt == "jsonl":
            out.write(render.jsonl_line(render.summary_record(summary, item.name)))
            out.flush()
        elif fmt == "md":
            out.write(render.summary_markdown(summary, item.name) + "\n")
        else:
            records.append(summary)
    if fmt == "json":
        out.write(render.summaries_json(records, [item.name for item in items]))
    return 1 if failed else 0


def _run_ray(args: argparse.Namespace) -> int:
    if not args.output:
        raise InputError("--engine ray needs -o OUT")
    if "-" in args.inputs:
        raise InputError("--engine ray reads files, not stdin")
    from viensum.scale import run_ray

    stats = run_ray(args.inputs, args.output, model=args.model, translate=args.translate, address=args.ray_address,
                    num_workers=args.workers, batch_size=args.batch_size, output_format=args.format,
                    sentences=args.sentences, num_beams=args.beams, max_new_tokens=args.max_new_tokens,
                    num_gpus=args.gpus)
    print("viensum: " + ", ".join(f"{k} {v}" for k, v in stats.items()), file=sys.stderr)
    return 1 if stats.get("failed") else 0
