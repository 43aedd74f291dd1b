"""``require()``: the one way a test asks for an optional part of its environment.

Outside CI a missing part skips the test with the reason and the fix; under ``CI=true``
(where .ci/run installs everything) it fails, so a green CI never hides a skipped test.
"""
from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require(available: bool, missing: str, fix: str = "") -> None:
    """Skip (fail under CI=true) unless ``available``; ``missing`` says what is missing, ``fix`` how to get it."""
    if available:
        return
    message = missing + (f" ({fix})" if fix else "")
    if in_ci():
        pytest.fail(f"CI=true but {message}")
    pytest.skip(message)


def require_module(name: str, fix: str = "") -> ModuleType:
    """The module ``name``, imported; :func:`require` when it is not installed."""
    try:
        return importlib.import_module(name)
    except ImportError:
        require(False, f"{name} is not installed", fix or "pip install -e '.[all]'")
        raise  # not reached: require skipped or failed
