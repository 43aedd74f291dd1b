"""The browser and app-server helpers every browser test shares.

``shots`` is docs/img/screenshot.py (it drives headless Chromium for the README's pictures and for the
tests), loaded once; ``require_browser()`` skips without Chromium and chromedriver, except under CI=true.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

from require import require

ROOT = Path(__file__).resolve().parents[1]


def _load_screenshot_module():
    spec = importlib.util.spec_from_file_location("viensum_screenshot", ROOT / "docs" / "img" / "screenshot.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


shots = _load_screenshot_module()


def require_browser() -> None:
    """Skip without Chromium and chromedriver, except under CI=true, where they are required."""
    require(shots.chromedriver() is not None, "no Chromium/chromedriver installed",
            "apt-get install chromium chromium-driver")
