"""Articles from where they live: links, feeds and section pages, fetched politely and safely.

One job per module, in the order a fetch runs:

* :mod:`~viensum.fetch.guard`: which addresses may be fetched (the SSRF policy);
* :mod:`~viensum.fetch.robots`: what a site's robots.txt allows;
* :mod:`~viensum.fetch.hosts`: per-host concurrency and pacing;
* :mod:`~viensum.fetch.cache`: the on-disk HTTP cache and conditional requests;
* :mod:`~viensum.fetch.client`: the HTTP client that uses them all (:class:`Fetcher`);
* :mod:`~viensum.fetch.feeds`, :mod:`~viensum.fetch.links`: the articles a feed or a section page lists;
* :mod:`~viensum.fetch.page`: what a page is, and the Article made from it;
* :mod:`~viensum.fetch.items`: URLs and saved feeds as :class:`viensum.inputs.Item` s.

Nothing here is imported by ``import viensum``; httpx, feedparser and courlan load on first use.

    from viensum.fetch import Fetcher, fetch_article
    article = fetch_article("https://vnexpress.net/....html")   # an Article with url, site and date
"""
from __future__ import annotations

from viensum.fetch.cache import HTTPCache
from viensum.fetch.client import Fetcher, NetLimits, Page
from viensum.fetch.guard import OPEN, SERVER, AddressPolicy
from viensum.results import Article


def fetch_article(url: str, fetcher: Fetcher | None = None) -> Article:
    """The cleaned article at ``url`` (its canonical URL, site and date filled in); raises a
    :class:`~viensum.errors.FetchError` (or :class:`~viensum.errors.InputError`) saying why not."""
    from viensum.fetch.client import HTML_TYPES
    from viensum.fetch.feeds import Link
    from viensum.fetch.items import default_fetcher
    from viensum.fetch.page import page_article

    page = (fetcher or default_fetcher()).get(url, HTML_TYPES)
    link = Link(url)
    return page_article(page.text(), {"url": page.final_url, "title": link.title, "published": None, "site": None})


__all__ = ["OPEN", "SERVER", "AddressPolicy", "Fetcher", "HTTPCache", "NetLimits", "Page", "fetch_article"]
