"""Politeness per host: at most N requests at a time, and a pause between the starts of two requests."""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class HostLimiter:
    """``slot(host)`` holds one of the host's ``concurrency`` slots, started at least ``interval`` s
    after the previous request to that host started (a robots.txt ``Crawl-delay`` can raise it)."""

    def __init__(self, concurrency: int = 4, interval: float = 0.05, max_delay: float = 10.0) -> None:
        if concurrency < 1 or interval < 0:
            raise ValueError("concurrency must be at least 1 and interval at least 0")
        self.concurrency = concurrency
        self.interval = interval
        self.max_delay = max_delay
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next: dict[str, float] = {}
        self._delay: dict[str, float] = {}

    def set_delay(self, host: str, seconds: float | None) -> None:
        """A host's own pause between requests (robots.txt ``Crawl-delay``), capped at ``max_delay``."""
        if seconds:
            with self._lock:
                self._delay[host] = min(float(seconds), self.max_delay)

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        with self._lock:
            semaphore = self._slots.setdefault(host, threading.BoundedSemaphore(self.concurrency))
        with semaphore:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next.get(host, 0.0))
                self._next[host] = start + max(self.interval, self._delay.get(host, 0.0))
            if start > now:
                time.sleep(start - now)
            yield
