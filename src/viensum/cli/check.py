"""``viensum check``: is every sentence of a summary in the article, every number, date and name?"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from viensum.errors import InputError

MAX_BYTES = 5_000_000
EPILOG = """\
SUMMARY is a text file, - for stdin, or a .jsonl file of records
  {"id": ..., "summary": ..., "source": ARTICLE TEXT, "lang": "en"|"vi"}
checked in one process (a record without "source" uses --source), one JSON line out per record:
  {"id", "sentences": [{"text", "sources", "method", "problems": [{"kind", "text", "source", "note"}]}]}
(a record that cannot be checked gets {"id", "error"} and the others go on).

sources: the article sentences a summary sentence rests on, as {"paragraph", "sentence", "score"};
paragraph -1 is the headline, -2 the page's date. The article is cleaned first (text or HTML) unless --no-clean.

exit status: 0 nothing flagged, 1 something flagged, 2 an input error.
"""


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "check", help="check a summary against its article: sources, numbers, dates and names",
        description="Trace every summary sentence to the article paragraphs it rests on and check its "
                    "numbers, dates and names against the article.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("summary", metavar="SUMMARY", help="summary text file, - for stdin, or a .jsonl of records")
    p.add_argument("--source", metavar="ARTICLE", help="the article (text or HTML file, - for stdin)")
    p.add_argument("--lang", choices=("en", "vi"), default="en", help="the summary's language (default: en)")
    p.add_argument("--format", choices=("text", "json", "jsonl"), default="text", help="output (default: text)")
    p.add_argument("--no-clean", action="store_true", help="the article is already clean text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        if args.summary.endswith(".jsonl"):
            return _run_records(args)
        if args.source is None:
            raise InputError("--source ARTICLE is required (the article the summary was written from)")
        if args.summary == "-" and args.source == "-":
            raise InputError("the summary and the article cannot both come from stdin")
        summary = _read(args.summary)
        result = _check(summary, _read_bytes(args.source), args.lang, not args.no_clean)
    except (InputError, OSError) as exc:
        print(f"viensum: error: {_message(exc)}", file=sys.stderr)
        return 2
    if args.format == "text":
        print(result)
    elif args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(json.dumps({"id": Path(args.summary).stem if args.summary != "-" else "stdin",
                          "sentences": result.to_dict()["sentences"]}, ensure_ascii=False))
    return 1 if result.problems else 0


def _run_records(args: argparse.Namespace) -> int:
    default = _read_bytes(args.source) if args.source else None
    flagged = failed = False
    for n, line in enumerate(_read(args.summary).splitlines(), 1):
        if not line.strip():
            continue
        id_ = f"{Path(args.summary).name}:{n}"
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise InputError(f"line {n} is not a JSON object")
            id_ = str(record.get("id", id_))
            source = record.get("source", default)
            if source is None:
                raise InputError(f"record {id_} has no \"source\" and no --source was given")
            summary = record.get("summary")
            if not isinstance(summary, str) or not isinstance(source, (str, bytes)):
                raise InputError(f"record {id_}: \"summary\" and \"source\" must be text")
            result = _check(summary, source, record.get("lang", args.lang), not args.no_clean)
        except (InputError, ValueError) as exc:
            failed = True
            print(f"viensum: error: {id_}: {_message(exc)}", file=sys.stderr)
            print(json.dumps({"id": id_, "error": _message(exc)}, ensure_ascii=False), flush=True)
            continue
        flagged = flagged or bool(result.problems)
        print(json.dumps({"id": id_, "sentences": result.to_dict()["sentences"]}, ensure_ascii=False), flush=True)
    return 2 if failed else 1 if flagged else 0


def _check(summary: str, source: str | bytes, lang: str, clean: bool):
    from viensum.check import check
    from viensum.translate import as_article

    return check(summary, as_article(source, clean=clean), lang=lang)


def _read_bytes(spec: str) -> bytes:
    data = sys.stdin.buffer.read(MAX_BYTES + 1) if spec == "-" else _open(spec)
    if len(data) > MAX_BYTES:
        raise InputError(f"{spec} is over the {MAX_BYTES:,}-byte limit")
    return data


def _open(spec: str) -> bytes:
    path = Path(spec)
    if not path.is_file():
        raise InputError(f"no such file: {spec}")
    with path.open("rb") as f:
        return f.read(MAX_BYTES + 1)


def _read(spec: str) -> str:
    from viensum.text import decode_bytes

    return decode_bytes(_read_bytes(spec))


def _message(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename}" if getattr(exc, "filename", None) else str(exc)
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON ({exc.msg})"
    return " ".join(str(exc).split())
