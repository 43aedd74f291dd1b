"""Links, feeds and section pages as input items: what :mod:`viensum.inputs` reads a URL (or a saved feed) into.

A URL named by the user is fetched and judged (:func:`viensum.fetch.page.kind_of`): an
article is one item; a feed or a section page becomes one item per article it lists,
the first :attr:`Limits.links` of them published on or after :attr:`Limits.since`,
fetched :attr:`NetLimits.per_host` at a time. A saved feed or section page (a file)
lists its articles the same way; an article whose page is saved beside it (matched by
the page's canonical URL) is read from there, so a folder of saved feeds and pages
works offline. Every failure is the item's ``error``; nothing else stops.
"""
from __future__ import annotations

import contextlib
import contextvars
import logging
import os
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from viensum.errors import FetchError, InputError
from viensum.fetch.feeds import Link, looks_like_feed, parse_feed

log = logging.getLogger(__name__)

FEED_EXTENSIONS = (".rss", ".atom", ".xml")
_CANONICAL_RE = re.compile(
    r"<link\b[^>]*rel=[\"']?canonical[^>]*>|<meta\b[^>]*property=[\"']?og:url[^>]*>", re.I)
_HREF_RE = re.compile(r"(?:href|content)\s*=\s*[\"']?([^\"'\s>]+)", re.I)


def is_url(spec: str) -> bool:
    return spec[:8].lower().startswith(("http://", "https://"))


def url_id(url: str) -> str:
    """A readable id for a URL: host and path, without the scheme, ``www.`` and the file extension."""
    from viensum.inputs import printable

    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().removeprefix("www.")
    except ValueError:  # not a URL after all (an invalid port, a broken IPv6 literal)
        return printable(url)
    path = re.sub(r"\.(?:s?html?|php|aspx?|ece)$", "", parts.path.rstrip("/"), flags=re.I)
    return printable(host + path + (f"?{parts.query}" if parts.query else "")) or printable(url)


def url_items(url: str, limits, ids, *, load: bool = True, fetcher=None) -> Iterator[Any]:
    """The items a URL given by the user stands for: one article, or a feed's or section page's articles."""
    from viensum.fetch.page import kind_of

    fetcher = fetcher or default_fetcher()
    try:
        page = fetcher.get(url)
        feed = looks_like_feed(page.body)
        html = None if feed else page.text()
    except (FetchError, InputError) as exc:
        yield _failed(url, ids, getattr(exc, "reason", str(exc)))
        return
    kind = kind_of(page.body, html, page.final_url)
    if kind == "article":
        yield _page_item(Link(url), page, ids)
        return
    try:
        links = _listed(kind, page, html, fetcher)
    except (FetchError, InputError) as exc:
        yield _failed(url, ids, getattr(exc, "reason", str(exc)))
        return
    yield from _article_items(url, links, limits, ids, load, fetcher, {})


def listing_items(path: str, name: str, limits, ids, *, load: bool = True, fetcher=None) -> Iterator[Any]:
    """The articles of a saved feed or section page; pages saved in the same folder are read from there."""
    from viensum.inputs import read_file

    try:
        body = read_file(path, limits.file_bytes)
        html = None if looks_like_feed(body) else _decode(body)
    except (OSError, InputError) as exc:
        yield _failed(name, ids, getattr(exc, "strerror", None) or str(exc))
        return
    saved = saved_pages(os.path.dirname(path) or ".")
    base = _canonical(html) if html else None
    kind = "feed" if html is None else "section"
    try:
        links = _listed(kind, _Saved(body, base or ""), html, None)  # no base: only absolute links count
    except (FetchError, InputError) as exc:
        yield _failed(name, ids, str(exc))
        return
    yield from _article_items(name, links, limits, ids, load, fetcher, saved)


class _Saved:
    def __init__(self, body: bytes, url: str) -> None:
        self.body, self.final_url = body, url


def _listed(kind: str, page, html: str | None, fetcher) -> list[Link]:
    from viensum.fetch.client import FEED_TYPES
    from viensum.fetch.links import article_links, feed_links
    from viensum.fetch.page import site_name

    if kind == "feed-link":  # a page with no article links that advertises a feed: read the feed
        feed_url = feed_links(html, page.final_url)[0]
        page, kind = fetcher.get(feed_url, FEED_TYPES), "feed"
    if kind == "feed":
        _, links = parse_feed(page.body, page.final_url or None)
        return links
    site = site_name(html, page.final_url)
    return [Link(u, site=site) for u in article_links(html, page.final_url)]


def select(links: list[Link], limit: int | None, since: str | None) -> list[Link]:
    """The links published on or after ``since`` (an ISO date; undated links kept), then the first ``limit``."""
    if since:
        links = [l for l in links if not l.published or l.published[:10] >= since[:10]]
    return links[:limit] if limit else links


def _article_items(source: str, links: list[Link], limits, ids, load: bool, fetcher,
                   saved: dict[str, str]) -> Iterator[Any]:
    from viensum.fetch.client import HTML_TYPES

    links = select(links, getattr(limits, "links", None), getattr(limits, "since", None))
    if not links:
        yield _failed(source, ids, "no articles found in this feed or section page"
                      + (" (none since the --since date)" if getattr(limits, "since", None) else ""))
        return
    if not load:
        for link in links:
            item = _item(link, ids)
            item.ref = {"url": link.url, "link": vars(link), "saved": saved.get(link.url)}
            yield item
        return
    remote = [l.url for l in links if l.url not in saved]
    fetched = dict(zip(remote, (fetcher or default_fetcher()).fetch_many(remote, HTML_TYPES)))
    since = getattr(limits, "since", None)
    for link in links:
        result = _SavedPage(link.url, saved[link.url]) if link.url in saved else fetched[link.url]
        item = _page_item(link, result, ids)
        if since and not link.published and item.ok and _published_before(item, since):
            continue  # a section page's link has no date: the page's own date decides
        yield item


def _published_before(item, since: str) -> bool:
    from viensum.fetch.page import page_date

    date = page_date(item.text, item.meta["url"])
    return bool(date) and date[:10] < since[:10]


class _SavedPage:
    """A page saved on disk, standing in for a fetched one."""

    def __init__(self, url: str, path: str) -> None:
        self.url = self.final_url = url
        self.path = path

    def text(self) -> str:
        from viensum.inputs import decode_document, read_file

        return decode_document(read_file(self.path, 5_000_000), ".html")


def _item(link: Link, ids):
    from viensum.inputs import Item, printable

    name = printable(link.url)
    return Item(ids.derived(url_id(link.url), name), name, fmt="html")


def _failed(name: str, ids, reason: str):
    from viensum.inputs import Item, printable

    key = url_id(name) if is_url(name) else name
    return Item(ids.derived(key, printable(name)), printable(name), error=reason)


def _page_item(link: Link, result, ids):
    """The item of one article: its page's text and where it came from, or why it failed."""
    item = _item(link, ids)
    item.ref = {"url": link.url, "link": vars(link)}  # where a Ray worker fetches it again
    fill(item, link, result)
    return item


def fill(item, link: Link, result) -> None:
    """Put a fetched page (or its failure) into ``item``."""
    if isinstance(result, FetchError):
        item.error = result.reason
        return
    try:
        item.text = result.text()
    except (InputError, OSError) as exc:
        item.error = getattr(exc, "strerror", None) or str(exc)
        return
    item.meta = {"url": result.final_url, "title": link.title, "published": link.published, "site": link.site}


def load_url(item, ref: dict[str, Any], fetcher=None) -> Any:
    """Fetch the page of an item listed without it (``ref`` from a listing; Ray workers do this)."""
    from viensum.fetch.client import HTML_TYPES

    link = Link(**ref.get("link", {"url": ref["url"]}))
    if ref.get("saved"):
        result = _SavedPage(link.url, ref["saved"])
    else:
        result = next((fetcher or default_fetcher()).fetch_many([link.url], HTML_TYPES))
    fill(item, link, result)
    return item


def saved_pages(folder: str) -> dict[str, str]:
    """The saved pages of a folder by the canonical URL each declares (``<link rel=canonical>``/``og:url``)."""
    found: dict[str, str] = {}
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return found
    for name in names:
        if name.lower().endswith((".html", ".htm")):
            path = os.path.join(folder, name)
            url = _canonical(_read_start(path, 65536))
            if url:
                found.setdefault(url, path)
    return found


def _read_start(path: str, limit: int) -> str:
    """The first ``limit`` bytes of a saved page as text ("" when it cannot be read)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(limit).decode("utf-8", errors="replace")
    except OSError:
        return ""


def saved_listings(folder: str, names: list[str]) -> list[str]:
    """The files of a saved folder to read: its feeds, and its pages that are section front pages
    (their canonical URL is not an article's and they link at least a few articles); none
    when no file of the folder is a feed."""
    from viensum.fetch.links import article_like, article_links
    from viensum.fetch.page import SECTION_MIN_LINKS

    feeds = [n for n in names if n.lower().endswith(FEED_EXTENSIONS) and _is_feed_file(os.path.join(folder, n))]
    if not feeds:
        return []
    chosen = []
    for name in names:
        path = os.path.join(folder, name)
        if name in feeds:
            chosen.append(name)
        elif name.lower().endswith((".html", ".htm")):
            html = _read_start(path, 5_000_000)
            url = _canonical(html)
            if url and not article_like(url) and len(article_links(html, url)) >= SECTION_MIN_LINKS:
                chosen.append(name)
    return chosen


def _is_feed_file(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return looks_like_feed(fh.read(1024))
    except OSError:
        return False


def _canonical(html: str) -> str | None:
    for tag in _CANONICAL_RE.findall(html[:65536]):
        match = _HREF_RE.search(tag)
        if match and is_url(match.group(1)):
            return match.group(1)
    return None


def _decode(body: bytes) -> str:
    from viensum.inputs import decode_document

    return decode_document(body, ".html")


_DEFAULT = None
_CURRENT: contextvars.ContextVar = contextvars.ContextVar("viensum_fetcher", default=None)


@contextlib.contextmanager
def fetching_with(fetcher) -> Iterator[None]:
    """Read links with ``fetcher`` (the web app's, with its SSRF guard) for the block's duration
    (in this thread or task), wherever :mod:`viensum.inputs` or the digest would use the default one."""
    token = _CURRENT.set(fetcher)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def default_fetcher():
    """The Fetcher of :func:`fetching_with`, else the command line's and the Python API's (built on first
    use): any address the user names, the on-disk cache of :func:`~viensum.fetch.cache.default_cache_dir`."""
    global _DEFAULT
    if _CURRENT.get() is not None:
        return _CURRENT.get()
    if _DEFAULT is None:
        from viensum.fetch.cache import HTTPCache
        from viensum.fetch.client import Fetcher

        _DEFAULT = Fetcher(cache=HTTPCache())
    return _DEFAULT
