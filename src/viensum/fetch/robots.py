"""robots.txt: fetched once per site and run, then every path checked against it.

Only a robots.txt the site actually serves restricts anything: a missing one (404), a
server error or an unreachable file allow everything, as most crawlers do. A
``Crawl-delay`` becomes the pause between two requests to that host.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from viensum.errors import FetchError, RobotsDisallowed

log = logging.getLogger(__name__)

MAX_ROBOTS_BYTES = 500_000


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


class RobotsRules:
    """The robots.txt rules of each site, read with ``download(url) -> text`` on first use."""

    def __init__(self, download: Callable[[str], str], user_agent: str) -> None:
        self.download = download
        self.agent = user_agent.split("/", 1)[0]  # robots.txt names products: "viensum"
        self._lock = threading.Lock()
        self._sites: dict[str, RobotFileParser | None] = {}
        self._site_locks: dict[str, threading.Lock] = {}

    def parser(self, url: str) -> RobotFileParser | None:
        site = origin(url)
        with self._lock:
            lock = self._site_locks.setdefault(site, threading.Lock())
        with lock:  # one download per site, however many threads ask at once
            if site not in self._sites:
                self._sites[site] = self._read(site)
            return self._sites[site]

    def _read(self, site: str) -> RobotFileParser | None:
        try:
            text = self.download(site + "/robots.txt")
        except FetchError as exc:
            log.info("no robots.txt rules for %s (%s): everything allowed", site, exc.reason)
            return None
        parser = RobotFileParser()
        parser.parse(text.splitlines())
        return parser

    def check(self, url: str) -> float | None:
        """Raise :class:`RobotsDisallowed` if the site forbids ``url``; else its crawl delay (or None)."""
        parser = self.parser(url)
        if parser is None:
            return None
        if not parser.can_fetch(self.agent, url):
            raise RobotsDisallowed(f"the site's robots.txt does not allow fetching {urlsplit(url).path or '/'}", url)
        delay = parser.crawl_delay(self.agent)
        return float(delay) if delay else None
