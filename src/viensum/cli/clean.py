"""``viensum clean``: strip page chrome from saved news pages, print or write the article."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from viensum.cli import INPUT_HELP, add_max_bytes, input_limits, say_reading_stdin
from viensum.cli.summarize import limit_hint
from viensum.errors import ViensumError

EPILOG = """\
output:
  text   the headline, a blank line, then the body paragraphs separated by blank lines
  json   the whole Article (title, paragraphs, date, byline, source, url, language,
         removed lines with reasons, warnings)

input:   files, folders (their .txt/.html/... files), globs, - (stdin), .jsonl/.parquet
         records {"id", "text"} and .zip archives, as in every viensum command.
With -o DIR each article is written to DIR/<id>.txt or DIR/<id>.json (stdin: stdin.*),
each file complete or not at all; DIR must not hold an input. Several articles without -o:
text articles are printed one after another, each under a '==> FILE <==' header line;
json prints one object per line (JSON Lines) with an extra "input" key naming the file.

A bad file (empty, binary, too large, no article text) is reported on one stderr line
and the others are still processed; the exit status is 1 if any input failed.
"""


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "clean", help="extract the headline and body from copied text or saved HTML pages",
        description="Extract the headline and body paragraphs of Vietnamese news articles, "
                    "dropping menus, share buttons, captions, related-article lists and footers.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="*", metavar="INPUT", help=INPUT_HELP + " (none: stdin)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--input", choices=("auto", "text", "html"), default="auto", dest="input_format",
                   help="input format (default: auto, from the file extension or the content)")
    p.add_argument("-o", "--output-dir", metavar="DIR", type=Path, help="write one file per input into DIR")
    add_max_bytes(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from viensum import inputs, outputs, render
    from viensum.clean import clean_article

    limits = input_limits(args.max_bytes)
    specs = args.files or ["-"]
    if args.output_dir:
        outputs.check_output(args.output_dir, specs, folder=True)
    items = inputs.read_items(specs, limits)
    say_reading_stdin(specs)
    failed = 0
    used_names: set[str] = set()
    first = True
    single = len(specs) == 1 and (specs[0] == "-" or Path(specs[0]).is_file()) and \
        Path(specs[0]).suffix.lower() not in inputs.RECORD_EXTENSIONS + inputs.ARCHIVE_EXTENSIONS
    for item in items:
        label = item.name
        try:
            if item.error is not None:
                raise ViensumError(limit_hint(item.error))
            fmt = item.fmt if args.input_format == "auto" else args.input_format
            article = clean_article(item.text, fmt=fmt, max_bytes=limits.file_bytes) if item.meta is None \
                else inputs.summary_input(item)  # a fetched page: cleaned, with its URL, site and date
            if isinstance(article, Exception):
                raise article
        except ViensumError as exc:
            failed += 1
            print(f"viensum: error: {label}: {exc}", file=sys.stderr)
            continue
        for warning in article.warnings:
            print(f"viensum: warning: {label}: {warning}", file=sys.stderr)
        if args.format == "json":
            rendered = render.render_article(article, "json" if single or args.output_dir else "jsonl", label)
        else:
            rendered = render.render_article(article, "text")
        if args.output_dir:
            name = _unique(outputs.safe_filename(item.id), used_names) + (".json" if args.format == "json" else ".txt")
            outputs.write_atomic(args.output_dir / name, rendered + "\n")
        else:
            if not single and args.format == "text":
                sys.stdout.write(("" if first else "\n") + f"==> {label} <==\n")
            sys.stdout.write(rendered + "\n")
            sys.stdout.flush()
        first = False
    return 1 if failed else 0


def _unique(stem: str, used: set[str]) -> str:
    name, k = stem, 2
    while name in used:
        name, k = f"{stem}-{k}", k + 1
    used.add(name)
    return name
