"""``viensum translate``: the whole article in English, paragraph by paragraph."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from viensum.cli import add_model_options, read_input

EPILOG = """\
output:
  text  the English headline, a blank line, then the English paragraphs
  json  Translation.to_dict(): title_vi, title_en, paragraphs [{vi, en}], model, sentences, seconds
  md    each Vietnamese paragraph quoted, followed by its English translation

The translator must be installed (viensum models download opus-mt-vi-en); otherwise
the command fails with one line naming that command. Exit status 1 on any error.
"""


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "translate", help="translate a Vietnamese article into English, paragraph by paragraph",
        description="Clean a Vietnamese news article and translate it into English, sentence by sentence, "
                    "keeping each English paragraph aligned with its Vietnamese source.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE", help="an article (text or HTML), or - for stdin")
    p.add_argument("-o", "--output", metavar="OUT", type=Path, help="write here instead of stdout")
    p.add_argument("--format", choices=("text", "json", "md"), default="text", help="output format (default: text)")
    add_model_options(p, batch_size=16, model_help="vi->en translator (default: opus-mt-vi-en)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from viensum.errors import InputError
    from viensum.options import options_from_args
    from viensum.translate import as_article, translate

    options = options_from_args(args)
    raw = read_input(args.file)
    article = as_article(raw, clean=options.generate.clean)
    if article.language != "vi":
        raise InputError(f"not Vietnamese: detected '{article.language}'; nothing translated")
    result = translate(article, options=options)
    if args.format == "json":
        text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
    elif args.format == "md":
        parts = [f"# {result.title_en}", f"> {result.title_vi}"] if result.title_vi else []
        for pair in result.paragraphs:
            parts += [f"> {pair.vi}", pair.en]
        parts.append(f"<sub>model: {result.model}, {result.sentences} sentences, {result.seconds} s</sub>")
        text = "\n\n".join(parts)
    else:
        text = result.text
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0
