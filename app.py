"""The viensum web UI: ``python app.py [--host H] [--port N] [--share]`` serves it on http://127.0.0.1:7860.

The app is built by :mod:`viensum.ui` (one module per tab beside it); ``viensum serve`` launches the same app with the
same options and messages. Building it loads no model: models load on the first request
that needs them.
"""
import sys

from viensum.ui import build_app

demo = build_app()

if __name__ == "__main__":
    from viensum.cli.serve import main

    sys.exit(main(sys.argv[1:], app=demo))
