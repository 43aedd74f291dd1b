"""``viensum digest``: one English page of the news in some links, feeds or section pages."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from viensum.cli import add_model_options, input_limits
from viensum.cli.sources import add_source_options, source_limits
from viensum.errors import InputError

EPILOG = """\
sources: article links, RSS/Atom feeds, section front pages, .txt lists of links, saved feeds
         and pages (a folder holding a feed reads offline), and anything `viensum summarize` reads.
output:  html  one self-contained page (inline CSS, nothing external: one file to mail), articles
               grouped by site, newest first, then the articles that failed and why
         md    the same as Markdown
         json  {"articles": [{"url", "site", "published", "title_vi", "title_en", "summary_vi",
               "summary_en", "error", ...}]}, one entry per article, failed ones with "error"
state:   OUT.state.json beside the output remembers what was summarised (by URL and the hash of
         the cleaned text, and what wrote the summary): a re-run summarises only new or changed
         articles (all of them after a change of model or options, e.g. once the English models are
         installed), and pages come from the HTTP cache with conditional requests
         ($VIENSUM_HTTP_CACHE, default ~/.cache/viensum/http).

Exit status: 0 when every article is in the digest, 1 when any failed (they are listed in it).
"""


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "digest", help="an English digest of Vietnamese news links, feeds and section pages",
        description="Fetch the articles of links, feeds and section pages, summarise each in English, "
                    "and write one page.", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="links, feeds, section pages, files or folders")
    p.add_argument("-o", "--output", metavar="OUT", type=Path, required=True, help="the digest file to write")
    p.add_argument("--format", choices=("html", "md", "json"), help="output format (default: from OUT's "
                   "extension: .html or none, .md, .json; another extension is refused)")
    p.add_argument("--title", default="Vietnamese news in English", help="the page's title")
    add_source_options(p)
    p.add_argument("--sentences", type=int, default=3, metavar="N", help="sentences per summary (default: 3)")
    add_model_options(p, batch_size=8)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from viensum import digest, digest_render, outputs
    from viensum.cli.summarize import load_summarizer
    from viensum.options import options_from_args

    options = options_from_args(args)
    fmt = args.format or output_format(args.output)
    outputs.check_output(args.output, args.sources)
    limits = source_limits(args, input_limits())
    state_file = digest.state_path(args.output)
    summarizer = load_summarizer(options)
    result = digest.build_digest(args.sources, summarizer, limits=limits, state=digest.load_state(state_file),
                                 progress=sys.stderr.isatty())
    outputs.write_atomic(args.output, digest_render.render_digest(result, fmt, title=args.title))
    digest.save_state(state_file, result.entries)
    for entry in result.failed:
        print(f"viensum: error: {entry.url}: {entry.error}", file=sys.stderr)
    count = len(result.entries)
    print(f"viensum: {count} article{'s' * (count != 1)}: {result.summarised} summarised, {result.reused} unchanged "
          f"since the last run, {len(result.failed)} failed; wrote {args.output}", file=sys.stderr)
    return 1 if result.failed else 0


FORMATS = {"": "html", ".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".json": "json"}


def output_format(path: Path) -> str:
    """The digest format OUT's extension names (no extension: html); any other extension is refused."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(f"cannot write a digest as {suffix}: name the output .html, .md or .json, or give --format")
    return FORMATS[suffix]
