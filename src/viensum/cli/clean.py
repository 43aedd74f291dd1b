"""``viensum clean``: strip page chrome from saved news pages, print or write the article."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from viensum.cli import read_input
from viensum.errors import ViensumError

_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".mhtml"}

EPILOG = """\
output:
  text   the headline, a blank line, then the body paragraphs separated by blank lines
  json   the whole Article (title, paragraphs, date, byline, source, url, language,
         removed lines with reasons, warnings)

With -o DIR each input is written to DIR/<stem>.txt or DIR/<stem>.json (stdin: stdin.*).
Several inputs without -o: text articles are printed one after another, each under a
'==> FILE <==' header line; json prints one object per line (JSON Lines) with an
extra "input" key naming the file.

A bad file (empty, binary, too large, no article text) is reported on one stderr line
and the others are still processed; the exit status is 1 if any input failed.
"""


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "clean", help="extract the headline and body from copied text or saved HTML pages",
        description="Extract the headline and body paragraphs of Vietnamese news articles, "
                    "dropping menus, share buttons, captions, related-article lists and footers.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="*", metavar="FILE", help="text or HTML files; '-' or none reads stdin")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--input", choices=("auto", "text", "html"), default="auto", dest="input_format",
                   help="input format (default: auto, from the file extension or the content)")
    p.add_argument("-o", "--output-dir", metavar="DIR", type=Path, help="write one file per input into DIR")
    p.add_argument("--max-bytes", type=int, default=None, metavar="N",
                   help="refuse inputs larger than N bytes (default: 5,000,000)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from viensum.clean import MAX_BYTES, clean_article

    max_bytes = args.max_bytes or MAX_BYTES
    inputs = args.files or ["-"]
    multi = len(inputs) > 1
    if args.output_dir:
        args.output_dir.mkdir(parents=True, exist_ok=True)
    failed = 0
    used_names: set[str] = set()
    for n, name in enumerate(inputs):
        label = "stdin" if name == "-" else name
        try:
            data = read_input(name, max_bytes)
            fmt = None if args.input_format == "auto" else args.input_format
            if fmt is None and name != "-" and Path(name).suffix.lower() in _HTML_SUFFIXES:
                fmt = "html"
            article = clean_article(data, fmt=fmt, max_bytes=max_bytes)
        except (ViensumError, OSError) as exc:
            failed += 1
            msg = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            print(f"viensum: error: {label}: {msg}", file=sys.stderr)
            continue
        for warning in article.warnings:
            print(f"viensum: warning: {label}: {warning}", file=sys.stderr)
        if args.format == "json":
            record = article.to_dict()
            if multi and not args.output_dir:
                record = {"input": label, **record}
                rendered = json.dumps(record, ensure_ascii=False)
            else:
                rendered = json.dumps(record, ensure_ascii=False, indent=2)
        else:
            rendered = article.text
        if args.output_dir:
            stem = "stdin" if name == "-" else Path(name).stem
            out = args.output_dir / _unique(stem, used_names)
            out = out.with_name(out.name + (".json" if args.format == "json" else ".txt"))
            out.write_text(rendered + "\n", encoding="utf-8")
        else:
            if multi and args.format == "text":
                sys.stdout.write(("\n" if n else "") + f"==> {label} <==\n")
            sys.stdout.write(rendered + "\n")
            sys.stdout.flush()
    return 1 if failed else 0


def _unique(stem: str, used: set[str]) -> str:
    name, k = stem, 2
    while name in used:
        name, k = f"{stem}-{k}", k + 1
    used.add(name)
    return name
