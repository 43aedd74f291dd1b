"""RSS and Atom feeds (feedparser): the articles a feed lists, newest information kept."""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin


@dataclass
class Link:
    """An article to fetch, as a feed or section page lists it."""

    url: str
    title: str | None = None
    published: str | None = None   # ISO 8601 date-time (UTC) when the feed gives one
    site: str | None = None


def looks_like_feed(data: bytes) -> bool:
    """True when the bytes start like an RSS, Atom or RDF document (judged from the first KB)."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml"):
        head = head[head.find(b"?>") + 2:].lstrip() if b"?>" in head else head
        while head.startswith((b"<!--", b"<?")):
            end = head.find(b"-->" if head.startswith(b"<!--") else b"?>")
            head = head[end + 3:].lstrip() if end >= 0 else b""
    return head.startswith((b"<rss", b"<feed", b"<rdf:rdf"))


def parse_feed(data: bytes, base_url: str | None = None) -> tuple[str | None, list[Link]]:
    """The feed's title and its entries' links (in feed order); ``[]`` when it lists none."""
    import feedparser

    parsed = feedparser.parse(data)
    title = (parsed.feed.get("title") or "").strip() or None
    links: list[Link] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        href = entry.get("link") or next((l.get("href") for l in entry.get("links", []) if l.get("href")), None)
        if not href:
            continue
        url = urljoin(base_url or "", href.strip())
        if url in seen:
            continue
        seen.add(url)
        published = _published(entry)
        links.append(Link(url, (entry.get("title") or "").strip() or None, published))
    return title, links


def _published(entry) -> str | None:
    """When the entry was published, ISO 8601 in the publisher's own time zone (so its date is theirs)."""
    raw = (entry.get("published") or entry.get("updated") or "").strip()
    for parse in (parsedate_to_datetime, lambda s: dt.datetime.fromisoformat(s.replace("Z", "+00:00"))):
        try:
            return parse(raw).isoformat()
        except (TypeError, ValueError, IndexError):
            continue
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", stamp) if stamp else None
