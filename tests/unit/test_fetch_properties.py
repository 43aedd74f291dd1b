"""Property tests (hypothesis) of the readers of untrusted web data: feeds, section pages, URLs
and addresses never raise on any input, and the guard agrees with the address's own classification."""
from __future__ import annotations

import ipaddress

from hypothesis import given, settings
from hypothesis import strategies as st

from viensum.fetch import SERVER, guard
from viensum.fetch.feeds import looks_like_feed, parse_feed
from viensum.fetch.items import url_id
from viensum.fetch.links import article_like, article_links
from viensum.fetch.page import head_meta

markup = st.lists(st.sampled_from(["<a href='", "/tin/", "bai-bao-so-", "mot-hai-ba-4790001.html", "'>", "</a>",
                                   "<rss>", "<item><link>", "</link></item>", "<meta property='og:site_name' content='",
                                   "Báo", "<", ">", "&", "\x00", "http://", "javascript:", "#", "..", " "]),
                  max_size=40).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.one_of(markup, st.text(max_size=300)))
def test_pages_and_feeds_never_break_the_readers(text):
    links = article_links(text, "https://baomau.example.vn/thoi-su")
    assert all(link.startswith("https://baomau.example.vn/") for link in links)  # same site only
    assert isinstance(head_meta(text), dict)
    data = text.encode("utf-8", "surrogatepass")
    looks_like_feed(data)
    title, entries = parse_feed(data, "https://baomau.example.vn/")
    assert all(e.url for e in entries)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_urls_never_break_the_url_rules(text):
    for url in (text, "https://baomau.example.vn/" + text):
        article_like(url)
        assert url_id(url).isprintable()  # ids are printable, whatever the link holds


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.ip_addresses(v=4), st.ip_addresses(v=6)))
def test_the_guard_refuses_exactly_the_non_public_addresses(ip):
    mapped = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped else ip
    public = (mapped.is_global and not mapped.is_multicast and not mapped.is_reserved
              and str(mapped) not in guard.METADATA_ADDRESSES)
    host = f"[{ip}]" if ip.version == 6 else str(ip)
    try:
        SERVER.check(f"https://{host}/a.html")
        refused = False
    except Exception as exc:  # noqa: BLE001 - the guard's only failure is BlockedURL
        assert type(exc).__name__ == "BlockedURL", exc
        refused = True
    assert refused is not public
