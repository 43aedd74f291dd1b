"""Partial results as a run produces them, for whoever listens in the current context.

A recipe says when a stage is ready (``ready("summary_vi", summaries)``); the web UI
listens while it summarises one article and shows the Vietnamese summary while the
English one is still being written. Without a listener, ``ready`` does nothing. The
listener is a context variable: each thread (each request) has its own.
"""
from __future__ import annotations

import contextvars
from collections.abc import Callable, Sequence
from typing import Any

Listener = Callable[[str, Sequence[Any]], None]
_LISTENER: contextvars.ContextVar[Listener | None] = contextvars.ContextVar("viensum_partial", default=None)


def listen(listener: Listener) -> contextvars.Token:
    """Call ``listener(stage, summaries)`` as stages finish in this context; returns the token for :func:`stop`."""
    return _LISTENER.set(listener)


def stop(token: contextvars.Token) -> None:
    _LISTENER.reset(token)


def ready(stage: str, summaries: Sequence[Any]) -> None:
    """Say that ``stage`` ("summary_vi", "summary_en") is done for these summaries."""
    listener = _LISTENER.get()
    if listener is not None and summaries:
        listener(stage, summaries)
