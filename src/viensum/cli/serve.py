"""``viensum serve``: run the web UI (the same app, options and messages as ``python app.py``)."""
from __future__ import annotations

import argparse
import sys

DESCRIPTION = "Serve the web UI. Set VIENSUM_AUTH=user:password to require a login."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=None,
                        help="address to bind (default 127.0.0.1; 0.0.0.0 makes it reachable from other machines)")
    parser.add_argument("--port", type=int, default=None, help="port to listen on (default 7860)")
    parser.add_argument("--share", action="store_true", help="also open a temporary public gradio.live link")


def register(subparsers) -> None:
    parser = subparsers.add_parser("serve", help="run the web UI in a browser", description=DESCRIPTION)
    add_arguments(parser)
    parser.set_defaults(func=handler)


def handler(args: argparse.Namespace, app=None) -> int:
    from viensum.ui import launch

    say_missing_english()
    where = {"host": args.host, "port": args.port, "share": args.share}
    launch(**where) if app is None else launch(app, **where)
    return 0


def say_missing_english() -> None:
    """At start-up, say when the app can only give extractive Vietnamese summaries, and the fix."""
    from viensum.ui.models import AUTO, install_command, missing_models

    missing = missing_models(AUTO)
    if missing:
        print("viensum: no English model is installed, so the app gives extractive Vietnamese summaries "
              "only; to get English, run:\n  " + install_command(missing), file=sys.stderr)


def main(argv: list[str] | None = None, app=None, prog: str = "python app.py") -> int:
    """``python app.py [--host H] [--port N] [--share]``: the serve command's options and error handling."""
    from viensum.cli import _setup_logging, run_handler

    parser = argparse.ArgumentParser(prog=prog, description=DESCRIPTION)
    add_arguments(parser)
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log requests' progress (-v, -vv)")
    args = parser.parse_args(argv)
    _setup_logging(args.verbose)
    return run_handler(lambda a: handler(a, app), args)
