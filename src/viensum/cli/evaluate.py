"""``viensum evaluate`` (summary scores) and ``viensum evaluate-clean`` (cleaning scores)."""
from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "evaluate", help="score summaries against references (ROUGE, BLEU, chrF++, BERTScore)",
        description="Score predictions against references. PRED and REF are directories of "
                    "<id>.txt files (references may be <id>.1.txt, <id>.2.txt, ... or <id>.<lang>.txt), "
                    "JSONL/JSON/CSV files with id/prediction/reference fields, or the JSONL that "
                    "'viensum summarize' writes. Leave out REF when PRED holds the references too. "
                    "Ids found on one side only are left out and listed in a warning.")
    p.add_argument("pred", metavar="PRED", help="predictions: directory, .jsonl, .json or .csv")
    p.add_argument("ref", metavar="REF", nargs="?", help="references: directory, .jsonl, .json or .csv")
    p.add_argument("--lang", choices=("en", "vi"), default="en",
                   help="language of the texts: picks tokenizers and <id>.<lang>.txt references (default: en)")
    p.add_argument("--field", help="prediction field in JSONL/CSV (default: prediction, else summary_<lang>)")
    p.add_argument("--sources", metavar="SRC", help="source articles (same forms), for compression ratios")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--plot", metavar="PNG", help="also write a chart of the scores to this PNG file")
    p.add_argument("--bootstrap", type=int, default=1000, metavar="N",
                   help="bootstrap resamples for the 95%% confidence intervals; 0 = none (default: 1000)")
    p.add_argument("--seed", type=int, default=0, help="bootstrap random seed (default: 0)")
    p.add_argument("--no-bertscore", action="store_true", help="do not compute BERTScore even if installed")
    p.set_defaults(func=run_evaluate)

    c = subparsers.add_parser(
        "evaluate-clean", help="score cleaned articles against gold text",
        description="Word and paragraph precision/recall/F1 of the cleaner's output against gold "
                    "article text, and whether the headline was found. OUT_DIR holds <id>.txt "
                    "(text format) or <id>.json (Article JSON) files, GOLD_DIR holds <id>.txt.")
    c.add_argument("out_dir", metavar="OUT_DIR")
    c.add_argument("gold_dir", metavar="GOLD_DIR")
    c.add_argument("--json", action="store_true", help="print the report as JSON")
    c.set_defaults(func=run_evaluate_clean)


def run_evaluate(args: argparse.Namespace) -> int:
    from viensum import outputs
    from viensum.evaluate import check_chart_path, evaluate, unmatched_message

    if args.plot:  # refused before any work: a device such as /dev/full, an input, a folder being read
        check_chart_path(args.plot)
        outputs.check_output(args.plot, [p for p in (args.pred, args.ref, args.sources) if p])
    report = evaluate(args.pred, args.ref, lang=args.lang, sources=args.sources, field=args.field,
                      bootstrap=args.bootstrap, seed=args.seed,
                      bertscore=False if args.no_bertscore else None)
    if report.unmatched:
        print(f"viensum: warning: {unmatched_message(report.unmatched, report.n)}", file=sys.stderr)
    print(report.to_json() if args.json else report)
    if args.plot:
        report.plot(args.plot)  # written atomically: a failed plot leaves an existing chart as it was
        print(f"chart written to {args.plot}", file=sys.stderr)
    return 0


def run_evaluate_clean(args: argparse.Namespace) -> int:
    from viensum.evaluate import evaluate_cleaning, load_cleaned

    report = evaluate_cleaning(load_cleaned(args.out_dir), load_cleaned(args.gold_dir))
    print(report.to_json() if args.json else report)
    return 0
