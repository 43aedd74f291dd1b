"""A URL is an input like any other: a link, a .txt list of links, a JSONL record with a url;
each becomes an item whose Article carries its canonical URL, site and date."""
from __future__ import annotations

import json

import pytest
from require import require_module
from webserver import ARTICLE_BODY, article_html

from viensum import inputs
from viensum.options import Options
from viensum.results import Article

pytestmark = pytest.mark.usefixtures("own_cache")


def serve_article(web, path: str, title: str, **meta) -> str:
    web.expect_request(path).respond_with_data(article_html(title, **meta), content_type="text/html; charset=utf-8")
    return web.url_for(path)


def test_a_link_becomes_an_article_with_its_canonical_url_site_and_date(web):
    url = serve_article(web, "/thoi-su/ha-noi-mo-them-tuyen-xe-buyt-dien-4790001.html", "Hà Nội mở thêm tuyến xe buýt",
                        canonical="https://vnexpress.net/ha-noi-mo-them-tuyen-xe-buyt-dien-4790001.html",
                        site="VnExpress", date="2024-05-02T08:30:00+07:00")
    [item] = inputs.read_items([url])
    assert item.ok and item.name == url and item.id == "127.0.0.1/thoi-su/ha-noi-mo-them-tuyen-xe-buyt-dien-4790001"
    article = inputs.summary_input(item)
    assert isinstance(article, Article)
    assert article.title == "Hà Nội mở thêm tuyến xe buýt"
    assert article.paragraphs == ARTICLE_BODY
    assert (article.url, article.site, article.date) == \
        ("https://vnexpress.net/ha-noi-mo-them-tuyen-xe-buyt-dien-4790001.html", "VnExpress", "2024-05-02")


def test_without_page_metadata_the_fetched_url_and_host_are_used(web):
    url = serve_article(web, "/redirected/tin-moi-ve-giao-thong-cong-cong.html", "Tin mới về giao thông")
    web.expect_request("/short").respond_with_data("", status=301, headers={"Location": url})
    article = inputs.summary_input(next(inputs.read_items([web.url_for("/short")])))
    assert article.url == url and article.site == "127.0.0.1"


def test_a_text_file_of_links_and_a_jsonl_record_with_a_url(web, tmp_path):
    a = serve_article(web, "/a/bai-viet-so-mot-ve-kinh-te.html", "Bài một")
    b = serve_article(web, "/a/bai-viet-so-hai-ve-kinh-te.html", "Bài hai")
    web.expect_request("/a/bai-viet-da-bi-xoa-khoi-trang.html").respond_with_data("gone", status=404)
    gone = web.url_for("/a/bai-viet-da-bi-xoa-khoi-trang.html")
    links = tmp_path / "links.txt"
    links.write_text(f"{a}\n\n{b}\n{gone}\n", encoding="utf-8")
    records = tmp_path / "in.jsonl"
    records.write_text(json.dumps({"id": "r1", "url": b}) + "\n" + json.dumps({"id": "r2", "text": "Một bài."}) + "\n",
                       encoding="utf-8")
    items = list(inputs.read_items([links, records]))
    assert [i.name for i in items] == [a, b, gone, f"{records}:1", f"{records}:2"]
    assert [i.error for i in items] == [None, None, "the server answered 404 NOT FOUND", None, None]
    assert inputs.summary_input(items[3]).title == "Bài hai" and inputs.summary_input(items[3]).url == b
    assert items[3].id == "r1" and inputs.summary_input(items[4]) == "Một bài."


def test_a_text_file_that_is_not_only_links_stays_an_article(tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("Xem thêm tại https://vnexpress.net/abc\nMột dòng khác.\n", encoding="utf-8")
    [item] = inputs.read_items([note])
    assert item.meta is None and item.text.startswith("Xem thêm")


def test_listed_links_are_fetched_where_they_are_loaded(web):
    """The Ray engine lists items (load=False) and its workers load them: the same page and metadata."""
    url = serve_article(web, "/b/mot-bai-bao-de-tai-lai.html", "Một bài báo", site="Báo Mẫu")
    [listed] = inputs.list_items([url])
    reloaded = inputs.load_item(inputs.Item(listed.id, listed.id, ref=json.loads(json.dumps(listed.ref))))
    assert inputs.summary_input(reloaded).site == "Báo Mẫu"
    assert inputs.summary_input(reloaded).paragraphs == ARTICLE_BODY


def test_a_fetched_page_over_the_character_limit_fails_alone_where_it_is_read_or_loaded(web):
    """The per-article character limit holds for pages read from links, as for files and records."""
    url = serve_article(web, "/b/mot-bai-bao-qua-dai-de-doc.html", "Một bài báo", site="Báo Mẫu")
    limits = inputs.Limits(text_chars=200)
    [read] = inputs.read_items([url], limits)
    [listed] = inputs.list_items([url], limits)
    loaded = inputs.load_item(inputs.Item(listed.id, listed.id, ref=listed.ref), limits)
    for item in (read, loaded):
        assert item.text is None and "over the 200-character limit" in item.error


def test_the_ray_workers_prepare_step_reads_links(web):
    pa = require_module("pyarrow", "pip install -e '.[ray]'")
    from viensum import scale

    url = serve_article(web, "/c/bai-bao-cho-ray-doc.html", "Bài cho Ray", site="Báo Ray")
    items = inputs.list_items([url])
    rows = {"id": [i.id for i in items], "name": [i.name for i in items], "ref": [json.dumps(i.ref) for i in items],
            "fmt": [i.fmt for i in items], "error": [i.error for i in items]}
    out = scale.workers._prepare(pa.table(rows), done_holder=None, root="/", options=Options.make()).to_pylist()
    job = json.loads(out[0]["job"])
    article = job["summary"]["article"]
    assert job["summary"]["error"] is None and article["site"] == "Báo Ray" and article["url"] == url


def test_every_fetch_failure_is_one_item_with_its_reason(web):
    web.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /cam/\n", content_type="text/plain")
    web.expect_request("/img.png").respond_with_data(b"\x89PNG", content_type="image/png")
    web.expect_request("/err").respond_with_data("x", status=503)
    ok = serve_article(web, "/d/bai-bao-con-doc-duoc.html", "Bài còn đọc được")
    specs = [web.url_for("/cam/bai.html"), web.url_for("/img.png"), web.url_for("/err"), ok, "http://127.0.0.1:9/x"]
    items = list(inputs.read_items(specs))
    reasons = [i.error for i in items]
    assert "robots.txt does not allow" in reasons[0]
    assert "not a web page or feed: the server sent image/png" == reasons[1]
    assert "answered 503" in reasons[2] and reasons[3] is None and "cannot fetch" in reasons[4]
