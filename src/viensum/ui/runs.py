"""The Stop button of a web-app tab: a token per run, set when its Stop button is pressed.

A run checks :func:`stopped` between articles or stages; the work it has finished is kept.
"""
from __future__ import annotations

import threading
import uuid
_STOPS: dict[str, threading.Event] = {}  # run token -> set when its Stop button is pressed
_STOPS_LOCK = threading.Lock()


def new_run() -> str:
    """A token for one run of a tab: its Stop button names it."""
    token = uuid.uuid4().hex
    with _STOPS_LOCK:
        if len(_STOPS) > 10_000:  # runs that ended without forgetting theirs (a closed page)
            _STOPS.clear()
        _STOPS[token] = threading.Event()
    return token


def request_stop(token: str | None) -> None:
    """The Stop button: the run finishes the article in hand, then stops (its finished work is kept)."""
    with _STOPS_LOCK:
        event = _STOPS.get(token or "")
    if event is not None:
        event.set()


def stopped(token: str | None) -> bool:
    with _STOPS_LOCK:
        event = _STOPS.get(token or "")
    return event is not None and event.is_set()


def forget_run(token: str | None) -> None:
    with _STOPS_LOCK:
        _STOPS.pop(token or "", None)
