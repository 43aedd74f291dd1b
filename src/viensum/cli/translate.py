"""``viensum translate``: the whole article in English, paragraph by paragraph."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from viensum.cli import INPUT_HELP, add_max_bytes, add_model_options, input_limits, say_reading_stdin

EPILOG = """\
output:
  text  the English headline, a blank line, then the English paragraphs
  json  Translation.to_dict(): title_vi, title_en, paragraphs [{vi, en}], model, sentences, seconds
  md    each Vietnamese paragraph quoted, followed by its English translation

input: the same as every viensum command (files, folders, globs, -, .jsonl/.parquet records,
.zip). Several articles: text and md print each under a '==> NAME <==' line, json prints one
object per line (JSON Lines) with "id" and "source_file". A bad article is one stderr line
and the others are still translated (exit status 1). With -o the file is written when the
run is complete, and a failed run leaves an existing one as it was.

The translator must be installed (viensum models download opus-mt-vi-en); otherwise
the command fails with one line naming that command. Exit status 1 on any error.
"""


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "translate", help="translate a Vietnamese article into English, paragraph by paragraph",
        description="Clean a Vietnamese news article and translate it into English, sentence by sentence, "
                    "keeping each English paragraph aligned with its Vietnamese source.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", metavar="INPUT", help=INPUT_HELP)
    p.add_argument("-o", "--output", metavar="OUT", type=Path, help="write here instead of stdout")
    p.add_argument("--format", choices=("text", "json", "md"), default="text", help="output format (default: text)")
    add_model_options(p, batch_size=16, model_help="vi->en translator (default: opus-mt-vi-en)")
    add_max_bytes(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from viensum import inputs, outputs, render
    from viensum.cli.summarize import limit_hint
    from viensum.errors import InputError
    from viensum.options import options_from_args
    from viensum import stages
    from viensum.translate import translate

    options = options_from_args(args)  # every bad value is refused here, before any work
    if args.output:
        outputs.check_output(args.output, args.inputs)
    limits = input_limits(args.max_bytes)
    items = inputs.list_items(args.inputs, limits)
    say_reading_stdin(args.inputs)
    single = len(items) == 1
    parts, failed = [], 0
    for item in inputs.iter_items(args.inputs, limits):
        try:
            if item.error is not None:
                raise InputError(limit_hint(item.error))
            job = stages.prepare(item, options, budget=False)  # the summaries' stage 2: format, language
            if job.summary.error:
                raise InputError(job.summary.error.replace("only Vietnamese is summarised", "nothing translated"))
            result = translate(job.article, options=options)
        except InputError as exc:
            failed += 1  # named as in every command: the input, then the reason
            print(f"viensum: error: {item.name}: {exc}", file=sys.stderr)
            continue
        if args.format == "json" and not single:
            parts.append(render.jsonl_line(render.translation_record(result, item.id, item.name)))
        else:
            header = "" if single else ("\n" if parts else "") + f"==> {item.name} <==\n"
            parts.append(header + render.render_translation(result, args.format) + "\n")
    text = "".join(parts)
    if args.output and (parts or not failed):  # nothing translated: an existing file stays as it was
        outputs.write_atomic(args.output, text)
    else:
        sys.stdout.write(text)
    return 1 if failed else 0
