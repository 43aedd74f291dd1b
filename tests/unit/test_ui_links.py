"""The web app's link field and Feed tab: fetched on the server with the SSRF guard on, refusing
every non-public address class directly, through a DNS name and after a redirect."""
from __future__ import annotations

import gradio as gr
import pytest
from webserver import article_html, rss

from viensum import ui
from viensum.ui import article as ui_article, errors as ui_errors, inputs as ui_inputs, links as ui_links, models as ui_models

CLASSES = {"loopback": "127.0.0.1", "private": "192.168.1.20", "link-local": "169.254.1.1",
           "cloud metadata": "169.254.169.254", "unspecified": "0.0.0.0", "multicast": "224.0.0.251",
           "reserved": "240.0.0.1", "private IPv6": "fd00::1", "loopback IPv6": "::1"}


@pytest.fixture
def app_fetcher(monkeypatch, tmp_path):
    """The app's fetcher rebuilt for this test: its own cache; ``allow(...)`` sets VIENSUM_FETCH_ALLOW."""
    monkeypatch.setenv("VIENSUM_HTTP_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(ui_links, "_FETCHER", None)

    def allow(*hosts):
        monkeypatch.setenv(ui_links.ALLOW_ENV, ",".join(hosts))
        monkeypatch.setattr(ui_links, "_FETCHER", None)

    yield allow
    if ui_links._FETCHER is not None:
        ui_links._FETCHER.close()



def article_from_link(link: str, recipe: str = "fake-two-stage") -> list:
    return list(ui_article.summarize_article("", None, recipe, 3, 0, False, link))


def feed_from_link(link: str) -> list:
    """The Feed tab's handler as the app wires it (errors become gr.Error)."""
    return list(ui_errors._user_errors(ui_links.summarize_feed)(link, "fake-two-stage", 3, 5))


@pytest.mark.parametrize("kind,address", CLASSES.items())
def test_every_address_class_is_refused_directly_and_through_a_dns_name(app_fetcher, dns, web, fake_recipes, kind,
                                                                       address):
    dns["tin-noi-bo.example"] = [address]
    host = f"[{address}]" if ":" in address else address
    for link in (f"http://{host}/bai-viet.html", "https://tin-noi-bo.example/bai-viet.html"):
        with pytest.raises(gr.Error, match="refused: a .*address"):
            article_from_link(link)
        with pytest.raises(gr.Error, match="refused: a .*address"):
            feed_from_link(link)
    assert web.log == []


def test_the_guard_holds_after_a_redirect_and_the_operator_can_allow_a_host(app_fetcher, dns, web, fake_recipes):
    dns["localhost"] = ["127.0.0.1"]
    dns["internal.example"] = ["10.1.2.3"]
    port = web.port
    web.expect_request("/tin/bai-viet-that-ve-giao-thong-4790001.html").respond_with_data(
        article_html("Hà Nội mở thêm tuyến xe buýt điện", site="Báo Mẫu"), content_type="text/html")
    for name, target in (("to-metadata", "http://169.254.169.254/latest/meta-data/"),
                         ("to-name", "http://internal.example/admin"),
                         ("to-loopback", f"http://localhost:{port}/tin/bai-viet-that-ve-giao-thong-4790001.html")):
        web.expect_request(f"/{name}").respond_with_data("", status=302, headers={"Location": target})
    with pytest.raises(gr.Error, match="a loopback address"):  # the default: the test server is refused too
        article_from_link(web.url_for("/tin/bai-viet-that-ve-giao-thong-4790001.html"))
    app_fetcher("127.0.0.1")  # the operator trusts this host (it stands for a public news site)
    out = article_from_link(web.url_for("/tin/bai-viet-that-ve-giao-thong-4790001.html"))[-1]
    assert "Hà Nội mở thêm tuyến xe buýt điện" in out[2] and out[4].startswith("[en]")
    assert web.url_for("/tin/bai-viet-that-ve-giao-thong-4790001.html") in out[1]
    for name, reason in (("to-metadata", "cloud metadata address"), ("to-name", "internal.example resolves to 10.1.2.3"),
                         ("to-loopback", "localhost resolves to 127.0.0.1")):
        with pytest.raises(gr.Error, match=reason):
            article_from_link(web.url_for(f"/{name}"))
    assert [r.path for r, _ in web.log if r.path != "/robots.txt"] == \
        ["/tin/bai-viet-that-ve-giao-thong-4790001.html", "/to-metadata", "/to-name", "/to-loopback"]


def test_ports_and_schemes_are_refused(app_fetcher, dns, fake_recipes):
    dns["news.example"] = ["93.184.216.34"]
    for link, reason in (("http://news.example:8080/a.html", "port 8080"), ("file:///etc/passwd", "http:// or https://"),
                         ("gopher://news.example/", "http:// or https://")):
        with pytest.raises(gr.Error, match=reason):
            article_from_link(link)


def test_a_linked_page_has_the_pasted_texts_character_limit(app_fetcher, web, fake_recipes):
    app_fetcher("127.0.0.1")
    big = article_html("Trang rất dài", site="Báo Mẫu").replace("</body>", "<p>" + "từ " * 800_000 + "</p></body>")
    assert ui_inputs.MAX_INPUT_CHARS < len(big) < 5_000_000  # within the fetcher's byte cap, over the app's text limit
    web.expect_request("/tin/trang-rat-dai-4790001.html").respond_with_data(big, content_type="text/html")
    with pytest.raises(gr.Error, match=r"The linked page is 2,4\d\d,\d{3} characters long; the limit is 2,000,000"):
        article_from_link(web.url_for("/tin/trang-rat-dai-4790001.html"))


def test_a_feeds_pages_have_the_apps_character_limit(app_fetcher, web, fake_recipes):
    """A feed entry whose page is over the app's 2,000,000 characters fails alone, the other is summarised."""
    app_fetcher("127.0.0.1")
    big = article_html("Trang rất dài", site="Báo Mẫu").replace("</body>", "<p>" + "từ " * 800_000 + "</p></body>")
    assert ui_inputs.MAX_INPUT_CHARS < len(big) < 5_000_000  # under the library's default limit, over the app's
    pages = {"/tin/trang-rat-dai-4790001.html": big,
             "/tin/bai-ngan-binh-thuong-4790002.html": article_html("Bài ngắn", site="Báo Mẫu")}
    for path, page in pages.items():
        web.expect_request(path).respond_with_data(page, content_type="text/html")
    web.expect_request("/rss").respond_with_data(rss([(f"t{k}", web.url_for(p), "Fri, 03 May 2024 08:00:00 +0700")
                                                      for k, p in enumerate(pages)]), content_type="text/xml")
    status, listing, picker, entries = feed_from_link(web.url_for("/rss"))[-1]
    assert status.startswith("✓ 1 article summarised") and "1 could not be" in status
    assert "over the 2,000,000-character limit" in listing


def test_the_feed_tab_lists_articles_by_english_headline_and_opens_one(app_fetcher, web, fake_recipes):
    app_fetcher("127.0.0.1")
    urls = []
    for k, title in enumerate(["Giá vàng tăng mạnh", "Mưa lớn ở miền Trung"]):
        path = f"/tin/bai-so-{k}-trong-chuyen-muc-4790{k:03d}.html"
        web.expect_request(path).respond_with_data(article_html(title, site="Báo Mẫu"), content_type="text/html")
        urls.append(web.url_for(path))
    web.expect_request("/tin/bai-bi-xoa-khoi-chuyen-muc-4790999.html").respond_with_data("", status=404)
    urls.append(web.url_for("/tin/bai-bi-xoa-khoi-chuyen-muc-4790999.html"))
    web.expect_request("/rss").respond_with_data(rss([(f"t{k}", u, "Fri, 03 May 2024 08:00:00 +0700")
                                                      for k, u in enumerate(urls)]), content_type="text/xml")
    stages = feed_from_link(web.url_for("/rss"))
    status, listing, picker, entries = stages[-1]
    assert status.startswith("✓ 2 articles summarised") and "1 could not be" in status
    assert "[en] Giá vàng tăng mạnh" in listing and "Báo Mẫu" in listing and "answered 404" in listing
    assert [label for label, _ in picker["choices"]] == ["1. [en] Giá vàng tăng mạnh", "2. [en] Mưa lớn ở miền Trung"]
    opened = ui_links.open_entry(1, entries)
    assert "Mưa lớn ở miền Trung" in opened and "[en] Mưa lớn ở miền Trung" in opened
    assert ui_links.open_entry(None, entries) == ""


def test_a_feed_given_to_the_article_field_points_to_the_feed_tab(app_fetcher, web, fake_recipes):
    app_fetcher("127.0.0.1")
    web.expect_request("/rss").respond_with_data(rss([]), content_type="application/rss+xml")
    with pytest.raises(gr.Error, match="Feed tab"):
        article_from_link(web.url_for("/rss"))


def test_the_app_has_the_link_field_and_the_feed_tab():
    app = ui.build_app()
    ids = {getattr(block, "elem_id", None) for block in app.blocks.values()}
    assert {"article-link", "feed-link", "feed-run", "feed-digest", "feed-pick", "feed-article"} <= ids


def test_a_feeds_links_to_private_addresses_are_refused_one_by_one(app_fetcher, dns, web, fake_recipes):
    app_fetcher("127.0.0.1")
    dns["noi-bo.example"] = ["10.0.0.7"]
    good = "/tin/bai-viet-cong-khai-tren-trang-4790001.html"
    web.expect_request(good).respond_with_data(article_html("Bài công khai", site="Báo Mẫu"), content_type="text/html")
    links = [web.url_for(good), "http://169.254.169.254/latest/meta-data/iam-bai-viet-4790002.html",
             "http://noi-bo.example/tin/bai-viet-noi-bo-mat-4790003.html"]
    web.expect_request("/rss").respond_with_data(rss([(f"t{k}", u, "Fri, 03 May 2024 08:00:00 +0700")
                                                      for k, u in enumerate(links)]), content_type="text/xml")
    status, listing, picker, entries = feed_from_link(web.url_for("/rss"))[-1]
    assert status.startswith("✓ 1 article summarised") and "2 could not be" in status
    assert "cloud metadata address" in listing and "noi-bo.example resolves to 10.0.0.7" in listing
    assert [e["error"] is None for e in entries] == [True, False, False]


def test_links_inside_uploaded_files_are_fetched_through_the_guard(app_fetcher, dns, tmp_path, web):
    """A batch upload of a .txt list of links, a JSONL record with a url and a saved feed: the server
    fetches them with the app's guard, not the command line's open policy."""
    import json

    dns["noi-bo.example"] = ["192.168.0.10"]
    (tmp_path / "links.txt").write_text("http://169.254.169.254/latest/meta-data/\nhttp://noi-bo.example/a.html\n",
                                        encoding="utf-8")
    (tmp_path / "records.jsonl").write_text(json.dumps({"id": "r1", "url": web.url_for("/secret.html")}) + "\n",
                                            encoding="utf-8")
    (tmp_path / "saved.rss").write_text(rss([("t", "http://127.0.0.1:9/bai-viet-noi-bo-4790001.html",
                                              "Fri, 03 May 2024 08:00:00 +0700")]), encoding="utf-8")
    items = ui_inputs.batch_items([str(tmp_path / n) for n in ("links.txt", "records.jsonl", "saved.rss")])
    errors = [i.error or "" for i in items]
    assert len(items) == 4 and all(e.startswith("refused: a ") for e in errors), errors
    assert "cloud metadata" in errors[0] and "noi-bo.example resolves to 192.168.0.10" in errors[1]
    assert "loopback" in errors[2] and "loopback" in errors[3]
    assert web.log == []


def test_the_feed_tab_passes_its_beams_to_the_model(app_fetcher, web, fake_recipes, monkeypatch):
    from fakes import FakeBackend

    app_fetcher("127.0.0.1")
    monkeypatch.setattr(ui_models, "_SUMMARIZERS", None)  # no Summarizer (nor its cache) from earlier tests
    path = "/tin/bai-ve-so-chum-tia-4790001.html"
    web.expect_request(path).respond_with_data(article_html("Giá vàng tăng mạnh", site="Báo Mẫu"),
                                               content_type="text/html")
    web.expect_request("/rss").respond_with_data(rss([("t", web.url_for(path), "Fri, 03 May 2024 08:00:00 +0700")]),
                                                 content_type="text/xml")
    status = list(ui_errors._user_errors(ui_links.summarize_feed)(web.url_for("/rss"), "fake-two-stage", 2, 5, 3))[-1][0]
    assert status.startswith("✓ 1 article summarised")
    calls = [kw for b in FakeBackend.instances for kw in b.generate_kwargs]
    assert calls and all(kw["num_beams"] == 3 for kw in calls)  # what the models received
