"""``viensum summarize``: summarise article files into JSON Lines, JSON or a Markdown report."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from viensum.cli import INPUT_HELP, add_model_options, input_limits
from viensum.errors import InputError
from viensum.options import RUNNERS, options_from_args

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

Without a downloaded model the extractive summary is written, and stderr says once the
command that installs the default models (each record's notes say it too). A model named
with --model that is not installed is an error. On a terminal, model loading and a
progress bar are shown on stderr; piped or redirected, only errors are.

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
                   help="output format (default: jsonl; parquet only with --runner ray)")
    p.add_argument("--translate", action="store_true", help="also translate the whole article, paragraph by paragraph")
    p.add_argument("--sentences", type=int, default=3, metavar="N", help="sentences per summary (default: 3)")
    p.add_argument("--max-new-tokens", type=int, metavar="N", help="longest summary, in tokens")
    add_model_options(p, batch_size=8)
    p.add_argument("--runner", "--engine", dest="runner", choices=RUNNERS, default="local",
                   help="local: this process; ray: Ray Data workers (needs -o; --engine is the old name)")
    p.add_argument("--ray-address", metavar="ADDR", help="Ray cluster to join (default: a local one)")
    p.add_argument("--workers", type=int, metavar="N", help="Ray model replicas (default: as the cluster allows)")
    p.add_argument("--gpus", type=float, default=0.0, metavar="N",
                   help="GPUs per Ray model replica, e.g. 1 or 0.5 (default: 0, CPU workers)")
    p.add_argument("--retry-failed", action="store_true",
                   help="with --runner ray: summarise again the articles whose record in OUT is an error")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from viensum import inputs, outputs

    options = options_from_args(args)  # every bad value is refused here, before any work
    if args.output:
        outputs.check_output(args.output, args.inputs, folder=args.format == "parquet" and args.runner == "ray")
    if args.runner == "ray":
        return _run_ray(args, options)
    if args.format == "parquet":
        raise InputError("--format parquet needs --runner ray")

    items = inputs.list_items(args.inputs, input_limits())  # ids and names; refuses repeated record ids
    texts = (item.text if item.ok else InputError(item.error) for item in inputs.iter_items(args.inputs, input_limits()))
    summarizer = load_summarizer(options)
    stream = summarizer.iter_summarize(texts, ids=[item.id for item in items], total=len(items),
                                       progress=sys.stderr.isatty())
    if args.output:
        with outputs.atomic_write(args.output) as out:  # the old file stays until this run is complete
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


def load_summarizer(options):
    """The Summarizer for ``options``; on a terminal, say that models are loading (it can take a while)."""
    from viensum.summarizer import Summarizer

    if sys.stderr.isatty():
        print(f"viensum: loading the models of {options.model or 'the default recipe'}...", file=sys.stderr)
    summarizer = Summarizer(options=options)
    say_missing_default_models(summarizer.missing)
    return summarizer


def say_missing_default_models(missing: list[str]) -> None:
    """Once per run, the command that installs the default recipe's models (the records say it too)."""
    if missing:
        from viensum.summarizer import install_command

        print("viensum: the default models are not installed, so these are extractive summaries "
              "(Vietnamese only); to install them, run:\n  " + install_command(missing), file=sys.stderr)


def _run_ray(args: argparse.Namespace, options) -> int:
    if not args.output:
        raise InputError("--runner ray needs -o OUT")
    if "-" in args.inputs:
        raise InputError("--runner ray reads files, not stdin")
    from viensum.scale import run_ray

    from viensum.summarizer import missing_default_models

    if options.model is None:
        say_missing_default_models(missing_default_models())
    stats = run_ray(args.inputs, args.output, options=options, address=args.ray_address, num_workers=args.workers,
                    output_format=args.format, num_gpus=args.gpus, verbose=args.verbose > 0,
                    progress=sys.stderr.isatty(), retry_failed=args.retry_failed)
    print("viensum: " + ", ".join(f"{k} {v}" for k, v in stats.items()), file=sys.stderr)
    return 1 if stats.get("failed") else 0
