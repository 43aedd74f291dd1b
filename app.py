"""The viensum web UI: ``python app.py`` serves it on http://127.0.0.1:7860.

Everything lives in :mod:`viensum.ui`; ``viensum serve`` launches the same app.
Building it loads no model: models load on the first request that needs them.
"""
from viensum.ui import build_app, launch

demo = build_app()

if __name__ == "__main__":
    launch(demo)
