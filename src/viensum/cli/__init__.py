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
COMMANDS = ("clean", "summarize", "translate", "models", "evaluate", "serve", "check", "digest")

log = logging.getLogger("viensum")


INPUT_HELP = ("article files (.txt, .html, .docx, .pdf), folders of them, globs, .jsonl/.parquet records "
              "{id, text}, .zip archives, - for stdin, or http(s) links to articles, feeds and section pages")


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
    for command in sub.choices.values():  # -v after the subcommand too (counted with those before it)
        if not any("-v" in a.option_strings for a in command._actions):
            command.add_argument("-v", "--verbose", dest="verbose_after", action="count", default=0,
                                 help="log progress (-v) or debugging detail (-vv) to stderr")
    return parser


def add_max_bytes(p: argparse.ArgumentParser) -> None:
    """``--max-bytes N``: the per-file size limit, the same option in every command that reads articles."""
    p.add_argument("--max-bytes", type=int, default=None, metavar="N",
                   help="refuse input files larger than N bytes (default: 5,000,000)")


def say_reading_stdin(specs) -> None:
    """On a terminal, say that the command waits for an article on stdin (else it looks hung)."""
    if "-" in specs and sys.stdin is not None and sys.stdin.isatty():
        print("viensum: reading the article from the terminal: paste it, then press Ctrl-D "
              "(or name files: viensum COMMAND FILE...)", file=sys.stderr)


class _Formatter(logging.Formatter):
    """Log lines in the CLI's own style: ``viensum: warning: ...``; below WARNING the logger's name too."""

    def format(self, record: logging.LogRecord) -> str:
        message = super().format(record)
        if record.levelno >= logging.WARNING and record.name.split(".")[0] == "viensum":
            return f"viensum: {record.levelname.lower()}: {message}"
        return f"viensum: {record.levelname.lower()}: {record.name}: {message}"


_HANDLER_NAME = "viensum-cli"


def _ours(record: logging.LogRecord) -> bool:
    return record.name == "viensum" or record.name.startswith("viensum.")


def _setup_logging(verbosity: int) -> None:
    """viensum's own log lines on stderr; other libraries' only with -vv (debugging detail).

    Without -vv, third-party loggers and Python warnings (pypdf's "EOF marker not found",
    trafilatura's parser complaints) stay silent: each problem reaches the user once, as
    viensum's own one-line message. (A filter on one handler: no logger's propagation changes.)
    """
    level = logging.WARNING if verbosity == 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(_Formatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)  # warnings.warn(...) become log records: shown with -vv only
    if verbosity >= 2:
        for noisy in ("urllib3", "filelock", "httpcore", "PIL", "matplotlib", "asyncio"):
            logging.getLogger(noisy).setLevel(logging.INFO)  # their DEBUG is about their own plumbing
        return
    handler.addFilter(_ours)
    # transformers prints through a handler of its own; quiet it before it is imported
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    if verbosity == 0:
        # model-loading progress bars are noise between a command and its output
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.verbose += getattr(args, "verbose_after", 0)
    _setup_logging(args.verbose)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return run_handler(args.func, args)


def run_handler(func, args: argparse.Namespace) -> int:
    """Run a command: its errors as one line on stderr (the traceback of a bug only with -vv)."""
    try:
        return int(func(args) or 0)
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
