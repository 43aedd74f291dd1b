"""Feeds and section pages: RSS and Atom through feedparser, a section front page's article links,
--limit and --since, and a folder of saved feeds and pages read offline."""
from __future__ import annotations

import pytest
from webserver import article_html, atom, rss

from viensum import inputs
from viensum.fetch.links import article_like, article_links

pytestmark = pytest.mark.usefixtures("own_cache")

SLUGS = ["gia-vang-tang-manh-trong-phien-sang", "ha-noi-mo-them-tuyen-xe-buyt-dien",
         "mua-lon-gay-ngap-nhieu-tuyen-pho", "doi-tuyen-viet-nam-thang-tran-thu-hai"]
DATES = ["Fri, 03 May 2024 08:00:00 +0700", "Thu, 02 May 2024 09:00:00 +0700",
         "Wed, 01 May 2024 10:00:00 +0700", "Tue, 30 Apr 2024 11:00:00 +0700"]


def serve_articles(web) -> list[str]:
    urls = []
    for k, slug in enumerate(SLUGS):
        path = f"/thoi-su/{slug}-47900{k:02d}.html"
        web.expect_request(path).respond_with_data(article_html(f"Bài {k}: {slug}"), content_type="text/html")
        urls.append(web.url_for(path))
    return urls


def section_page(urls: list[str]) -> str:
    noise = ['<a href="/tag/giao-thong">Giao thông</a>', '<a href="/tac-gia/nguyen-van-a">Tác giả</a>',
             '<a href="/video/clip-mua-lon-o-ha-noi-4790100.html">Video</a>', '<a href="/thoi-su">Thời sự</a>',
             '<a href="https://other.example.org/bai-bao-khac-cua-trang-khac-4790101.html">Nơi khác</a>',
             '<a href="/thoi-su/page/2">Trang 2</a>', '<a href="#top">Lên đầu</a>']
    teasers = "".join(f'<article><h3><a href="{u}">Tin {k}</a></h3><p>Tóm tắt tin {k}.</p></article>'
                      for k, u in enumerate(urls))
    return (f"<html><head><title>Thời sự</title></head><body><nav>{''.join(noise[:4])}</nav>{teasers}"
            f"<aside>{''.join(noise[4:])}{teasers[:0]}</aside></body></html>")


def titles(items) -> list[str]:
    return [inputs.summary_input(i).title for i in items]


def test_an_rss_feed_stands_for_its_articles_with_limit_and_since(web):
    urls = serve_articles(web)
    web.expect_request("/rss/tin-moi-nhat.rss").respond_with_data(
        rss([(f"Tin {k}", u, d) for k, (u, d) in enumerate(zip(urls, DATES))]), content_type="application/rss+xml")
    feed = web.url_for("/rss/tin-moi-nhat.rss")
    items = list(inputs.read_items([feed]))
    assert [i.name for i in items] == urls and all(i.ok for i in items)
    assert titles(items)[0].startswith("Bài 0")
    assert inputs.summary_input(items[1]).date == "2024-05-02"  # from the feed when the page has none
    limited = list(inputs.read_items([feed], inputs.Limits(links=2)))
    assert [i.name for i in limited] == urls[:2]
    recent = list(inputs.read_items([feed], inputs.Limits(since="2024-05-02")))
    assert [i.name for i in recent] == urls[:2]
    assert len([r for r, _ in web.log if r.path == "/thoi-su/" + SLUGS[3] + "-4790003.html"]) == 1  # not refetched


def test_an_atom_feed(web):
    urls = serve_articles(web)
    web.expect_request("/atom.xml").respond_with_data(
        atom([(f"Tin {k}", u, "2024-05-0%dT08:00:00Z" % (3 - k)) for k, u in enumerate(urls[:3])]),
        content_type="application/atom+xml")
    items = list(inputs.read_items([web.url_for("/atom.xml")], inputs.Limits(since="2024-05-02")))
    assert [i.name for i in items] == urls[:2]


def test_a_section_page_gives_its_article_links_not_tags_authors_videos_or_other_sites(web):
    urls = serve_articles(web)
    web.expect_request("/thoi-su").respond_with_data(section_page(urls), content_type="text/html")
    assert article_links(section_page(urls), web.url_for("/thoi-su")) == urls
    items = list(inputs.read_items([web.url_for("/thoi-su")], inputs.Limits(links=3)))
    assert [i.name for i in items] == urls[:3]
    assert not any("/tag/" in r.path or "/video/" in r.path for r, _ in web.log)


@pytest.mark.parametrize("url,expected", [
    ("https://vnexpress.net/gia-vang-tang-manh-4790001.html", True),
    ("https://tuoitre.vn/ha-noi-mo-them-tuyen-xe-buyt-dien-tu-thang-sau.htm", True),
    ("https://vnexpress.net/thoi-su", False), ("https://vnexpress.net/the-gioi/quan-su", False),
    ("https://vnexpress.net/tag/giao-thong-123456", False), ("https://video.vnexpress.net/clip-abc-4790001.html", False),
    ("https://vnexpress.net/tac-gia/nguyen-van-an-ba-bon", False), ("https://vnexpress.net/", False),
])
def test_article_like_paths(url, expected):
    assert article_like(url) is expected


def test_a_feed_with_failing_articles_keeps_the_others(web):
    urls = serve_articles(web)[:2]
    missing = web.url_for("/thoi-su/bai-nay-khong-con-nua-4790099.html")
    web.expect_request("/thoi-su/bai-nay-khong-con-nua-4790099.html").respond_with_data("", status=404)
    web.expect_request("/feed.rss").respond_with_data(rss([("a", urls[0], DATES[0]), ("b", missing, DATES[1]),
                                                           ("c", urls[1], DATES[2])]), content_type="text/xml")
    items = list(inputs.read_items([web.url_for("/feed.rss")]))
    assert [bool(i.ok) for i in items] == [True, False, True] and "404" in items[1].error


def test_an_empty_feed_or_section_is_one_failed_item(web):
    web.expect_request("/empty.rss").respond_with_data(rss([]), content_type="application/rss+xml")
    [item] = inputs.read_items([web.url_for("/empty.rss")])
    assert item.error == "no articles found in this feed or section page"


def test_a_folder_of_saved_feeds_and_pages_works_offline(web, tmp_path):
    """The same feed, saved with its pages: the same articles, no request sent."""
    folder = tmp_path / "saved"
    folder.mkdir()
    site = "https://baomau.example.vn"
    links = [f"{site}/thoi-su/{slug}-47900{k:02d}.html" for k, slug in enumerate(SLUGS)]
    for k, link in enumerate(links):
        (folder / f"page{k}.html").write_text(article_html(f"Bài {k}", canonical=link, site="Báo Mẫu"),
                                              encoding="utf-8")
    (folder / "tin-moi-nhat.rss").write_text(rss([(f"Tin {k}", u, d) for k, (u, d) in enumerate(zip(links, DATES))]),
                                             encoding="utf-8")
    (folder / "thoi-su.html").write_text(section_page(links).replace(
        "<head>", f'<head><link rel="canonical" href="{site}/thoi-su">'), encoding="utf-8")
    items = list(inputs.read_items([folder], inputs.Limits(links=3)))
    # the section page, then the feed (files sorted by name), three articles each
    assert [i.name for i in items] == links[:3] * 2
    assert titles(items)[:3] == ["Bài 0", "Bài 1", "Bài 2"]
    assert all(inputs.summary_input(i).site == "Báo Mẫu" for i in items)
    assert web.log == []


def test_since_and_limit_from_the_command_line():
    import argparse
    import datetime as dt

    from viensum.cli.sources import parse_since, source_limits
    from viensum.errors import InputError

    assert parse_since("2024-05-01") == "2024-05-01"
    assert parse_since("3d", today=dt.date(2024, 5, 4)) == "2024-05-01"
    with pytest.raises(InputError, match="--since must be a date"):
        parse_since("last week")
    # --limit and --since reach the reading limits (the old line here asserted on dataclasses.replace itself)
    limits = source_limits(argparse.Namespace(limit=2, since="2024-05-01"), inputs.Limits(file_bytes=7))
    assert (limits.links, limits.since, limits.file_bytes) == (2, "2024-05-01", 7)
    with pytest.raises(InputError, match="--limit must be at least 1"):
        source_limits(argparse.Namespace(limit=0, since=None), inputs.Limits())


def test_a_folder_with_an_xml_file_that_is_no_feed_reads_its_articles_as_before(tmp_path):
    (tmp_path / "a.html").write_text(article_html("Bài một"), encoding="utf-8")
    (tmp_path / "sitemap.xml").write_text('<?xml version="1.0"?><urlset></urlset>', encoding="utf-8")
    assert [i.name for i in inputs.read_items([tmp_path])] == [str(tmp_path / "a.html")]


def test_since_on_a_section_page_goes_by_each_page_s_own_date(web):
    urls = []
    for k, slug in enumerate(SLUGS[:3]):
        path = f"/thoi-su/{slug}-47900{k:02d}.html"
        web.expect_request(path).respond_with_data(article_html(f"Bài {k}", date=f"2024-05-0{3 - k}T08:00:00+07:00"),
                                                   content_type="text/html")
        urls.append(web.url_for(path))
    web.expect_request("/thoi-su").respond_with_data(section_page(urls), content_type="text/html")
    items = list(inputs.read_items([web.url_for("/thoi-su")], inputs.Limits(since="2024-05-02")))
    assert [i.name for i in items] == urls[:2]
