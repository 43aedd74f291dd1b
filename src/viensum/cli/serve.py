"""``viensum serve``: run the web UI (the same app as ``python app.py``)."""
from __future__ import annotations

import argparse


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "serve", help="run the web UI in a browser",
        description="Serve the web UI. Set VIENSUM_AUTH=user:password to require a login.",
    )
    parser.add_argument("--host", default=None,
                        help="address to bind (default 127.0.0.1; 0.0.0.0 makes it reachable from other machines)")
    parser.add_argument("--port", type=int, default=None, help="port to listen on (default 7860)")
    parser.add_argument("--share", action="store_true", help="also open a temporary public gradio.live link")
    parser.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from viensum.ui import launch

    launch(host=args.host, port=args.port, share=args.share)
    return 0
