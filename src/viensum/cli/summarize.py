"""``viensum summarize``: summarise article files into JSON Lines, JSON or a Markdown report."""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from viensum.cli import add_model_options, read_input
from viensum.errors import InputError
from viensum.options import RUNNERS, options_from_args

SUFFIXES = (".txt", ".html", ".htm")

EPILOG = """\
input:   FILE, a folder (every .txt/.html/.htm inside, sorted by name) or '-' for stdin;
         each record's id is the file stem ("stdin" for stdin).
output:  jsonl  one JSON object per article: Summary.to_dict() plus "id" and "source_file"
         json   one JSON array of those objects
         md     a readable report
         Written to -o FILE, or to stdout.

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
    p.add_argument("input", metavar="FILE|DIR|-", help="an article file, a folder of them, or - for stdin")
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
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    options = options_from_args(args)  # every bad value is refused here, before any work
    if args.runner == "ray":
        return _run_ray(args, options)
    if args.format == "parquet":
        raise InputError("--format parquet needs --runner ray")

    paths = _inputs(args.input)
    ids = [_id(p) for p in paths]
    raws = _readers(paths)
    summarizer = load_summarizer(options)
    stream = summarizer.iter_summarize(raws, ids=ids, total=len(paths), progress=sys.stderr.isatty())
    failed = 0
    out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    try:
        records = []
        for path, summary in zip(paths, stream):
            record = {**summary.to_dict(), "id": summary.id, "source_file": str(path)}
            if summary.error:
                failed += 1
                print(f"viensum: error: {summary.id}: {summary.error}", file=sys.stderr)
            if args.format == "jsonl":
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                out.flush()
            elif args.format == "md":
                out.write(_markdown(summary, path) + "\n")
            else:
                records.append(record)
        if args.format == "json":
            out.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    finally:
        if args.output:
            out.close()
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
        raise InputError("--engine ray needs -o OUT")
    if args.input == "-":
        raise InputError("--engine ray reads files, not stdin")
    from viensum.scale import run_ray

    from viensum.summarizer import missing_default_models

    if options.model is None:
        say_missing_default_models(missing_default_models())
    stats = run_ray(args.input, args.output, options=options, address=args.ray_address, num_workers=args.workers,
                    output_format=args.format, num_gpus=args.gpus, verbose=args.verbose > 0,
                    progress=sys.stderr.isatty())
    print("viensum: " + ", ".join(f"{k} {v}" for k, v in stats.items()), file=sys.stderr)
    return 1 if stats.get("failed") else 0


def _inputs(spec: str) -> list[Path]:
    if spec == "-":
        return [Path("-")]
    path = Path(spec)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
        if not files:
            raise InputError(f"no .txt, .html or .htm files in {path}")
        return files
    if not path.exists():
        raise InputError(f"no such file or folder: {path}")
    return [path]


def _id(path: Path) -> str:
    return "stdin" if str(path) == "-" else path.stem


def _readers(paths: list[Path]) -> Iterator[bytes | InputError]:
    """File contents, read one at a time (a folder of millions streams through)."""
    for path in paths:
        try:
            yield read_input(str(path))
        except InputError as exc:
            yield exc  # that article's error record
        except OSError as exc:
            yield InputError(f"cannot read {path}: {exc.strerror or exc}")


def _markdown(summary, path: Path) -> str:
    title = summary.title_en or (summary.article.title if summary.article else "") or summary.id
    lines = [f"## {summary.id}: {title}", "", f"*Source:* `{path}`"]
    if summary.error:
        lines += ["", f"**Error:** {summary.error}"]
        return "\n".join(lines) + "\n"
    if summary.article and summary.article.title:
        lines += [f"*Headline:* {summary.article.title}"]
    if summary.summary_en:
        lines += ["", "**Summary (English)**", "", summary.summary_en]
    if summary.summary_vi:
        lines += ["", "**Tóm tắt (tiếng Việt)**", "", summary.summary_vi]
    if summary.translation:
        lines += ["", "**Translation**", ""]
        for pair in summary.translation.paragraphs:
            lines += [f"> {pair.vi}", "", pair.en, ""]
    lines += [""] + [f"- note: {n}" for n in summary.notes]
    lines += ["", f"<sub>{summary.signature()}</sub>"]
    return "\n".join(lines) + "\n"
