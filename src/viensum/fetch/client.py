"""A polite, bounded HTTP client for article pages and feeds (httpx underneath).

:meth:`Fetcher.get` fetches one URL or raises a :class:`~viensum.errors.FetchError`
saying why: every redirect hop is checked by the :class:`~viensum.fetch.guard.AddressPolicy`
and against robots.txt before it is requested; the body is streamed and refused past
:attr:`NetLimits.max_bytes` (or at once, when ``Content-Length`` says so) and past
:attr:`NetLimits.total_seconds`; the content type must be one asked for. Requests to
one host go at most :attr:`NetLimits.per_host` at a time (:mod:`viensum.fetch.hosts`).
Responses with an ``ETag`` or ``Last-Modified`` are kept in the on-disk
:class:`~viensum.fetch.cache.HTTPCache`, and asked for again conditionally: a
``304 Not Modified`` is served from the cache (:attr:`Page.revalidated`).
:meth:`Fetcher.fetch_many` fetches many URLs at once and yields results in order.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from viensum.errors import FetchError, FetchTimeout, HTTPStatusError, NotHTML, TooLarge, TooManyRedirects
from viensum.fetch.cache import CacheEntry, HTTPCache
from viensum.fetch.guard import OPEN, AddressPolicy
from viensum.fetch.hosts import HostLimiter
from viensum.fetch.robots import MAX_ROBOTS_BYTES, RobotsRules

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
              "application/x-rss+xml")
PAGE_TYPES = HTML_TYPES + FEED_TYPES  # what a link given by a user may be: an article, a section page or a feed
REDIRECTS = frozenset({301, 302, 303, 307, 308})
MEMO_SECONDS = 300.0  # a page fetched to list a run's inputs is not fetched again to read them


def user_agent() -> str:
    from viensum import __version__

    return f"viensum/{__version__} (Vietnamese news summariser; +https://pypi.org/project/viensum/)"


@dataclass(frozen=True)
class NetLimits:
    """Bounds and manners of fetching. Seconds and bytes; ``per_host`` requests to one host at a time."""

    connect_seconds: float = 10.0
    read_seconds: float = 20.0      # the longest silence while reading
    total_seconds: float = 60.0     # one response, redirects included, start to end
    max_bytes: int = 5_000_000      # one response body, after gzip
    max_redirects: int = 5
    per_host: int = 4
    interval: float = 0.05          # between two request starts to one host (robots.txt Crawl-delay raises it)
    workers: int = 16               # requests in flight in all, over every host
    robots: bool = True


@dataclass
class Page:
    """A fetched response: ``url`` as asked, ``final_url`` after redirects, the raw ``body``."""

    url: str
    final_url: str
    content_type: str
    body: bytes
    status: int = 200
    revalidated: bool = False  # a 304 Not Modified: the body is the cached one
    headers: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        """The body as text, decoded as article files are (the declared charset is often wrong)."""
        from viensum.inputs import decode_document

        return decode_document(self.body, ".html")


class Fetcher:
    """Fetches pages for one run (or one server): a connection pool, robots.txt rules, per-host
    limits, the disk cache (``cache=None``: none) and the pages already fetched (``memo``)."""

    def __init__(self, policy: AddressPolicy = OPEN, limits: NetLimits = NetLimits(), *,
                 cache: HTTPCache | None = None, memo: int = 256, transport=None) -> None:
        import httpx

        self.policy = policy
        self.limits = limits
        self.cache = cache
        self.hosts = HostLimiter(limits.per_host, limits.interval)
        self.robots = RobotsRules(self._robots_text, user_agent())
        self.stats: Counter = Counter()  # requests, conditional, not_modified, errors
        self._memo: OrderedDict[str, tuple[float, Page]] = OrderedDict()  # pages of this run, kept MEMO_SECONDS
        self._memo_size = memo
        self._lock = threading.Lock()
        timeout = httpx.Timeout(limits.read_seconds, connect=limits.connect_seconds)
        pool = httpx.Limits(max_connections=limits.workers, max_keepalive_connections=limits.workers)
        if transport is None and policy.public_only:
            transport = _guarded_transport(policy, pool)
        self.client = httpx.Client(timeout=timeout, limits=pool, follow_redirects=False, transport=transport,
                                   headers={"User-Agent": user_agent(), "Accept-Encoding": "gzip, deflate"})

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- one URL

    def get(self, url: str, accept: tuple[str, ...] | None = PAGE_TYPES) -> Page:
        """The page at ``url``, following redirects; raises a :class:`FetchError` subclass saying why not."""
        with self._lock:
            if url in self._memo and self._memo[url][0] > time.monotonic() - MEMO_SECONDS:
                self._memo.move_to_end(url)
                page = self._memo[url][1]
                if accept and page.content_type and page.content_type not in accept:
                    raise NotHTML(f"not a web page or feed: the server sent {page.content_type}", url)
                return page
        page = self._get(url, accept, robots=self.limits.robots, max_bytes=self.limits.max_bytes)
        with self._lock:
            self._memo[url] = (time.monotonic(), page)
            while len(self._memo) > self._memo_size:
                self._memo.popitem(last=False)
        return page

    def _get(self, url: str, accept, *, robots: bool, max_bytes: int) -> Page:
        deadline = time.monotonic() + self.limits.total_seconds
        current, seen = url, {url}
        for _ in range(self.limits.max_redirects + 1):
            self.policy.check(current)
            if robots:
                self.hosts.set_delay(_host(current), self.robots.check(current))
            result = self._request(current, accept, deadline, max_bytes)
            if isinstance(result, Page):
                result.url = url
                return result
            current = result
            if current in seen:
                raise TooManyRedirects("the link redirects in a loop", url)
            seen.add(current)
        raise TooManyRedirects(f"more than {self.limits.max_redirects} redirects", url)

    def _request(self, url: str, accept, deadline: float, max_bytes: int) -> Page | str:
        """One request: the Page, or the URL a redirect points to."""
        import httpx

        entry = self.cache.get(url) if self.cache is not None else None
        headers = self.cache.validators(entry) if self.cache is not None else {}
        with self.hosts.slot(_host(url)):
            self._count("requests")
            if headers:
                self._count("conditional")
            try:
                with self.client.stream("GET", url, headers=headers) as response:
                    return self._answer(url, response, entry, accept, deadline, max_bytes)
            except httpx.TimeoutException:
                raise FetchTimeout(f"no answer from {_host(url)} within {self.limits.read_seconds:g} s", url) from None
            except httpx.HTTPError as exc:
                raise FetchError(f"cannot fetch the page ({type(exc).__name__}: {exc})", url) from None

    def _answer(self, url: str, response, entry: CacheEntry | None, accept, deadline: float,
                max_bytes: int) -> Page | str:
        status = response.status_code
        if status in REDIRECTS:
            location = response.headers.get("location")
            if not location:
                raise HTTPStatusError(f"the server answered {status} without saying where to", url, status)
            return urljoin(url, location.strip())
        if status == 304 and entry is not None:
            self._count("not_modified")
            return Page(url, entry.final_url, entry.content_type, entry.body, 304, revalidated=True)
        if status >= 400 or status < 200 or status == 304:
            raise HTTPStatusError(f"the server answered {status} {response.reason_phrase}".rstrip(), url, status)
        content_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if accept and content_type and content_type not in accept:
            raise NotHTML(f"not a web page or feed: the server sent {content_type}", url)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise TooLarge(f"the page is {int(declared):,} bytes, over the {max_bytes:,}-byte limit", url)
        body = _read_capped(response, url, max_bytes, deadline)
        page = Page(url, url, content_type, body, status, headers={k: response.headers[k] for k in
                                                                    ("etag", "last-modified") if k in response.headers})
        if self.cache is not None:
            self.cache.put(CacheEntry(url, url, content_type, response.headers.get("etag"),
                                      response.headers.get("last-modified"), body=body))
        return page

    def _count(self, name: str) -> None:
        with self._lock:
            self.stats[name] += 1

    def _robots_text(self, robots_url: str) -> str:
        page = self._get(robots_url, None, robots=False, max_bytes=MAX_ROBOTS_BYTES)
        return page.body.decode("utf-8", errors="replace")

    # ---- many URLs

    def fetch_many(self, urls: Iterable[str], accept: tuple[str, ...] | None = PAGE_TYPES) -> Iterator[Page | FetchError]:
        """Each URL's Page, or the FetchError that stopped it, in input order, ``workers`` at a time."""
        urls = list(urls)
        if not urls:
            return
        with ThreadPoolExecutor(max_workers=min(self.limits.workers, len(urls))) as pool:
            futures = [pool.submit(self._try, url, accept) for url in urls]
            for future in futures:
                yield future.result()

    def _try(self, url: str, accept) -> Page | FetchError:
        try:
            return self.get(url, accept)
        except FetchError as exc:
            self._count("errors")
            exc.url = exc.url or url
            return exc


def _guarded_transport(policy: AddressPolicy, pool):
    """httpx's transport, its connections made by the guard's network backend (checked at connect time)."""
    import httpx

    from viensum.fetch.guard import network_backend

    transport = httpx.HTTPTransport(limits=pool)
    connections = getattr(transport, "_pool", None)
    if not hasattr(connections, "_network_backend"):  # another httpx: the URL checks still hold
        log.warning("cannot guard connections at connect time with this httpx; checking URLs only")
        return transport
    connections._network_backend = network_backend(policy)
    return transport


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _read_capped(response, url: str, max_bytes: int, deadline: float) -> bytes:
    """The (decompressed) body, refused as soon as it passes ``max_bytes`` or the deadline."""
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(f"the page is over the {max_bytes:,}-byte limit (stopped reading)", url)
        if time.monotonic() > deadline:
            raise FetchTimeout("the page took too long to arrive", url)
        chunks.append(chunk)
    return b"".join(chunks)
