"""``viensum summarize``: summarise article files into JSON Lines, JSON or a Markdown report."""
from __future__ import annotations

import argparse
import contextlib
import json
import logging
import signal
import sys
import threading
from pathlib import Path

from viensum.cli import INPUT_HELP, add_max_bytes, add_model_options, input_limits, say_reading_stdin
from viensum.cli.sources import add_source_options, source_limits
from viensum.errors import InputError
from viensum.options import RUNNERS, options_from_args

log = logging.getLogger(__name__)

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
resume:  Ctrl-C during a jsonl run into a new FILE (or with --resume) keeps the articles
         finished so far in FILE; the same command with --resume then skips their ids
         and summarises the rest. Without --resume an existing FILE is replaced whole.

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
    p.add_argument("--resume", action="store_true",
                   help="skip the ids already in -o FILE (jsonl), keeping its records: an interrupted run "
                        "goes on where it stopped (--runner ray always does)")
    add_max_bytes(p)
    add_model_options(p, batch_size=8)
    add_source_options(p)
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
    if args.resume and (not args.output or args.format != "jsonl"):
        raise InputError("--resume needs -o FILE in the jsonl format (it skips the ids already in FILE)")

    limits = source_limits(args, input_limits(args.max_bytes))
    items = inputs.list_items(args.inputs, limits)  # ids and names; refuses repeated record ids
    done = _done_ids(args.output) if args.resume else set()
    todo = [item for item in items if item.id not in done]
    if done:
        print(f"viensum: resuming: {len(items) - len(todo)} of {len(items)} articles are already in "
              f"{inputs.printable(args.output)}", file=sys.stderr)
    say_reading_stdin(args.inputs)
    read = (item for item in inputs.iter_items(args.inputs, limits) if item.id not in done)
    # the Items themselves: each carries its format (an .html file, a record's "html" field) to the cleaner,
    # a fetched page its URL, site and date
    texts = (item if item.ok else InputError(limit_hint(item.error)) for item in read)
    summarizer = load_summarizer(options)
    stream = summarizer.iter_summarize(texts, ids=[item.id for item in todo], total=len(todo),
                                       progress=sys.stderr.isatty())
    writer = _Writer(args.format)
    try:
        with contextlib.closing(stream):  # closes the progress bar
            if not args.output:
                return writer.write(todo, stream, sys.stdout)
            return _write_file(args, writer, todo, stream)
    finally:
        if writer.summarised:  # not when every input failed: the models were never the problem
            say_missing_default_models(summarizer.missing)


def _write_file(args: argparse.Namespace, writer: _Writer, items, stream) -> int:
    """Write -o FILE complete or not at all; on Ctrl-C, a JSONL FILE keeps the articles finished so far
    when that loses nothing (FILE did not exist, or --resume carried its records over)."""
    from viensum import outputs
    from viensum.inputs import printable

    keep = args.format == "jsonl" and (args.resume or not args.output.exists())
    with outputs.atomic_write(args.output) as out:  # the old file stays until this run is complete
        if args.resume:
            for record in _old_records(args.output):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        try:
            return writer.write(items, stream, out)
        except KeyboardInterrupt:
            if not keep:
                print(f"viensum: interrupted; {printable(args.output)} is as it was (with --resume, "
                      "finished articles are kept)", file=sys.stderr)
                raise
    print(f"viensum: interrupted: the {writer.count} articles finished now are in {printable(args.output)}; "
          "run the same command with --resume to do the rest", file=sys.stderr)
    return 130


def _done_ids(output: Path) -> set[str]:
    from viensum.scale.output import done_ids  # the same reading as the Ray runner's resume

    return done_ids(output, "jsonl")


def _old_records(output: Path):
    from viensum.scale.output import jsonl_records

    return (r for r in jsonl_records(output) if r.get("id") is not None)


def limit_hint(error: str) -> str:
    """A size error says which option moves the limit."""
    return error + " (--max-bytes N raises it)" if error.endswith("-byte limit") else error


class _Writer:
    """Writes the records as they come, counting them (``count``) and the successes (``summarised``)."""

    def __init__(self, fmt: str) -> None:
        self.fmt, self.count, self.summarised = fmt, 0, 0

    def write(self, items, stream, out) -> int:
        from viensum import render

        failed = 0
        records = []
        for item, summary in zip(items, stream):
            log.debug("%s: id %s, recipe %s, %d chunk(s), timings %s", item.name, summary.id, summary.recipe,
                      summary.chunks, summary.timings)
            if summary.error:
                failed += 1
                print(f"viensum: error: {item.name}: {summary.error}", file=sys.stderr)
            else:
                self.summarised += 1
            with _uninterrupted():  # a record written is a record counted (Ctrl-C says how many)
                if self.fmt == "jsonl":
                    out.write(render.jsonl_line(render.summary_record(summary, item.name)))
                    out.flush()
                elif self.fmt == "md":
                    out.write(render.summary_markdown(summary, item.name) + "\n")
                else:
                    records.append(summary)
                self.count += 1
        if self.fmt == "json":
            out.write(render.summaries_json(records, [item.name for item in items]))
        return 1 if failed else 0


@contextlib.contextmanager
def _uninterrupted():
    """Hold Ctrl-C back while one record is written and counted; it lands right after, as it would have."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    old = signal.signal(signal.SIGINT, lambda signum, frame: pending.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)
        if pending:
            signal.raise_signal(signal.SIGINT)


def load_summarizer(options):
    """The Summarizer for ``options``; on a terminal, say that models are loading (it can take a while)."""
    from viensum.summarizer import Summarizer

    if sys.stderr.isatty():
        print(f"viensum: loading the models of {options.model or 'the default recipe'}...", file=sys.stderr)
    return Summarizer(options=options)


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
    if args.limit is not None or args.since is not None:
        raise InputError("--limit and --since work with --runner local only (Ray reads every article listed)")
    from viensum.scale import run_ray

    from viensum.summarizer import missing_default_models

    if options.model is None:
        say_missing_default_models(missing_default_models())
    stats = run_ray(args.inputs, args.output, options=options, address=args.ray_address, num_workers=args.workers,
                    output_format=args.format, num_gpus=args.gpus, verbose=args.verbose > 0,
                    progress=sys.stderr.isatty(), retry_failed=args.retry_failed)
    print("viensum: " + ", ".join(f"{k} {v}" for k, v in stats.items()), file=sys.stderr)
    return 1 if stats.get("failed") else 0
