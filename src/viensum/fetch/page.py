"""What a fetched page is (an article, a section front page or a feed), and the Article made from it.

:func:`kind_of` decides by rules, in this order: a feed document; an article-shaped URL
(:func:`~viensum.fetch.links.article_like`); a page that says ``og:type`` article; a page
with at least :data:`SECTION_MIN_LINKS` article links (a section page); a page that
advertises a feed and has no article text; else an article.
:func:`page_article` cleans the page with the same cleaner as a saved file and stamps it
with where it came from: the canonical URL (the page's own, else the URL fetched), the
site's name and the publication date.
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from viensum.results import Article

SECTION_MIN_LINKS = 3
_META_RE = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR_RE = re.compile(r'([a-zA-Z:_-]+)\s*=\s*("[^"]*"|\'[^\']*\'|[^\s>]+)')


def head_meta(html: str) -> dict[str, str]:
    """The page's ``<meta>`` values by property/name (lower case), from its first 64 KB."""
    import html as html_lib

    found: dict[str, str] = {}
    for tag in _META_RE.findall(html[:65536]):
        attrs = {k.lower(): html_lib.unescape(v.strip("\"'")) for k, v in _ATTR_RE.findall(tag)}
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key and "content" in attrs and key not in found:
            found[key] = attrs["content"].strip()
    return found


def site_name(html: str, url: str, known: str | None = None) -> str:
    """The site's name as the page gives it (``og:site_name``, ``application-name``), else ``known``
    (what the feed or section page said), else the host."""
    meta = head_meta(html)
    name = meta.get("og:site_name") or meta.get("application-name") or known
    host = (urlsplit(url).hostname or "").lower()
    return name or (host[4:] if host.startswith("www.") else host)


def kind_of(body: bytes, html: str | None, url: str) -> str:
    """``"feed"``, ``"section"`` or ``"article"`` (see the module docstring for the rules)."""
    from viensum.fetch.feeds import looks_like_feed
    from viensum.fetch.links import article_like, article_links, feed_links

    if looks_like_feed(body):
        return "feed"
    if html is None or article_like(url):
        return "article"
    if head_meta(html).get("og:type", "").lower() == "article":
        return "article"
    if len(article_links(html, url)) >= SECTION_MIN_LINKS:
        return "section"
    if feed_links(html, url):
        return "feed-link"
    return "article"


def page_article(html: str, meta: dict[str, Any]) -> Article:
    """The cleaned article of a fetched page, with ``url``, ``site`` and ``date`` (YYYY-MM-DD) filled in."""
    from viensum.clean import clean_article

    article = clean_article(html, fmt="html")
    url = meta.get("url") or ""
    article.url = article.url or url
    article.site = site_name(html, article.url or url, meta.get("site"))
    # the feed's date, else the page's date metadata, else the cleaner's (which may be a guess from the text)
    published = (meta.get("published") or "")[:10] or None
    article.date = published or page_date(html, url) or article.date
    return article


def page_date(html: str, url: str) -> str | None:
    """The publication date the page's metadata gives (htmldate, no guessing from the text), or None."""
    try:
        from htmldate import find_date
    except ImportError:
        return None
    try:
        return find_date(html, url=url, original_date=True, extensive_search=False)
    except Exception:  # noqa: BLE001 - htmldate's parser errors on odd markup: no date, not a failure
        return None
