"""A section front page's article links: same site, article-like paths, no tag/author/video pages.

courlan checks and normalises each link and drops navigation pages (``/tag/``,
``/author/``, ``/page/2``...) and links to other sites; the rules below add what
Vietnamese news sites name differently (``/tu-khoa/``, ``/tac-gia/``, ``/video/``),
and keep only paths shaped like an article's (a long slug or an id).
"""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

# a path segment (or a host's first label) that marks a listing, not an article
NOT_ARTICLE_SEGMENTS = frozenset(
    "tag tags tu-khoa chu-de topic topics author authors tac-gia video videos clip clips podcast podcasts "
    "photo photos anh-dep gallery infographic emagazine live search tim-kiem rss login dang-nhap "
    "lien-he contact page trang category chuyen-muc".split())
NOT_ARTICLE_HOSTS = frozenset({"video", "tv", "podcast", "shop", "raovat", "login", "id", "account"})
# an article's last path segment: a slug of at least four words, or one carrying a numeric id
ARTICLE_SLUG = re.compile(r"^(?:[^/]*-){3,}[^/]*$|\d{5,}")


def article_like(url: str) -> bool:
    """True for a URL shaped like one article's page."""
    parts = urlsplit(url)
    host_label = (parts.hostname or "").split(".", 1)[0]
    segments = [s for s in parts.path.lower().split("/") if s]
    if not segments or host_label in NOT_ARTICLE_HOSTS:
        return False
    if any(s.rsplit(".", 1)[0] in NOT_ARTICLE_SEGMENTS for s in segments):
        return False
    return bool(ARTICLE_SLUG.search(segments[-1].rsplit(".", 1)[0]))


def article_links(html: str, page_url: str) -> list[str]:
    """The article links of a section page, in page order, each once."""
    import courlan
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return []
    base = next((b.get("href") for b in tree.iter("base") if b.get("href")), None)
    base = urljoin(page_url, base) if base else page_url
    found: list[str] = []
    seen = {page_url}
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = _checked(urljoin(base, href))
        if url is None:
            continue
        if url in seen or courlan.is_external(url, page_url, ignore_suffix=True):
            continue
        seen.add(url)
        if courlan.is_navigation_page(url) or courlan.is_not_crawlable(url) or not article_like(url):
            continue
        found.append(url)
    return found


def _checked(url: str) -> str | None:
    """courlan's check and normalisation (tracking parameters and fragments dropped); a site
    addressed by IP (an intranet, a test server), which courlan refuses, is only normalised."""
    import ipaddress

    import courlan

    checked = courlan.check_url(url, strict=True)
    if checked is not None:
        return checked[0]
    try:
        ipaddress.ip_address(urlsplit(url).hostname or "")
    except ValueError:
        return None
    return courlan.normalize_url(url) if urlsplit(url).scheme in ("http", "https") else None


def feed_links(html: str, page_url: str) -> list[str]:
    """The feeds a page advertises (``<link rel="alternate" type="application/rss+xml">``), via trafilatura."""
    from trafilatura.feeds import FeedParameters, determine_feed

    host = urlsplit(page_url).hostname or ""
    params = FeedParameters(f"{urlsplit(page_url).scheme}://{urlsplit(page_url).netloc}", host, page_url)
    try:
        return determine_feed(html, params)
    except Exception:  # noqa: BLE001 - an odd page has no usable feed links
        return []
