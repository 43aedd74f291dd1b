"""The HTTP client against a local server: redirects, time limits, size cap, types, charsets,
robots.txt, conditional requests. Assertions are on what the server received."""
from __future__ import annotations

import gzip
import time

import pytest
from webserver import article_html
from werkzeug import Response

from viensum.errors import (FetchError, FetchTimeout, HTTPStatusError, NotHTML, RobotsDisallowed, TooLarge,
                            TooManyRedirects)
from viensum.fetch import Fetcher, HTTPCache, NetLimits

PAGE = article_html("Hà Nội mở thêm tuyến xe buýt điện")


def paths(server) -> list[str]:
    return [request.path for request, _ in server.log]


def test_a_page_is_fetched_with_an_identifying_user_agent(web, fetcher):
    web.expect_request("/a.html").respond_with_data(PAGE, content_type="text/html; charset=utf-8")
    page = fetcher.get(web.url_for("/a.html"))
    assert page.text() == PAGE and page.status == 200
    request = [r for r, _ in web.log if r.path == "/a.html"][0]
    assert request.headers["User-Agent"].startswith("viensum/")
    assert "/robots.txt" in paths(web)  # asked before the page


def test_redirects_are_followed_to_the_final_url_each_hop_checked(web, fetcher, monkeypatch):
    web.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/mid"})
    web.expect_request("/mid").respond_with_data("", status=302, headers={"Location": web.url_for("/new.html")})
    web.expect_request("/new.html").respond_with_data(PAGE, content_type="text/html")
    checked = []
    real = fetcher.policy.check
    monkeypatch.setattr(type(fetcher.policy), "check", lambda self, url: (checked.append(url), real(url))[1])
    page = fetcher.get(web.url_for("/old"))
    assert page.final_url == web.url_for("/new.html") and page.url == web.url_for("/old")
    assert [u for u in checked if not u.endswith("/robots.txt")] == \
        [web.url_for("/old"), web.url_for("/mid"), web.url_for("/new.html")]


def test_a_redirect_loop_and_too_many_redirects_are_refused(web, tmp_path):
    web.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop2"})
    web.expect_request("/loop2").respond_with_data("", status=302, headers={"Location": "/loop"})
    for k in range(4):
        web.expect_request(f"/r{k}").respond_with_data("", status=302, headers={"Location": f"/r{k + 1}"})
    with Fetcher(limits=NetLimits(max_redirects=2)) as f:
        with pytest.raises(TooManyRedirects, match="loop"):
            f.get(web.url_for("/loop"))
        with pytest.raises(TooManyRedirects, match="more than 2 redirects"):
            f.get(web.url_for("/r0"))
    assert "/r3" not in paths(web)  # never asked for past the limit


def test_a_slow_server_times_out_and_a_dripping_one_hits_the_total_limit(web):
    def slow(request):
        time.sleep(2)
        return Response(PAGE, content_type="text/html")

    def drip(request):
        def body():
            for _ in range(40):
                time.sleep(0.1)
                yield b"<p>x</p>"
        return Response(body(), content_type="text/html")

    web.expect_request("/slow").respond_with_handler(slow)
    web.expect_request("/drip").respond_with_handler(drip)
    with Fetcher(limits=NetLimits(read_seconds=0.5, total_seconds=1.0, robots=False)) as f:
        t0 = time.monotonic()
        with pytest.raises(FetchTimeout, match="no answer"):
            f.get(web.url_for("/slow"))
        with pytest.raises(FetchTimeout, match="too long"):
            f.get(web.url_for("/drip"))
        assert time.monotonic() - t0 < 4  # bounded: neither waited for the whole answer


def test_a_50_mb_body_is_refused_without_reading_it_all(web):
    sent = []

    def huge(request):
        def body():
            for _ in range(800):  # 800 x 64 KB = 50 MB
                sent.append(1)
                yield b"<p>" + b"a" * 65_529 + b"</p>"
        return Response(body(), content_type="text/html")  # streamed: no Content-Length

    web.expect_request("/huge").respond_with_handler(huge)
    web.expect_request("/declared").respond_with_handler(
        lambda request: Response(iter([b"<p>x</p>"]), content_type="text/html", headers={"Content-Length": "50000000"}))
    with Fetcher(limits=NetLimits(max_bytes=1_000_000, robots=False)) as f:
        with pytest.raises(TooLarge, match="over the 1,000,000-byte limit"):
            f.get(web.url_for("/huge"))
        with pytest.raises(TooLarge, match="50,000,000 bytes"):
            f.get(web.url_for("/declared"))
    time.sleep(0.2)
    # the client stops at 1 MB; what the server got to write beyond it is what the kernel's socket buffers
    # took in before the connection closed (a few MB, more on a loaded machine), never the whole body
    assert len(sent) < 400, f"the server sent {len(sent) * 64} KB of 50 MB"


def test_a_gzip_bomb_is_capped_on_the_decompressed_size(web):
    bomb = gzip.compress(b"<p>" + b"a" * 20_000_000 + b"</p>")
    web.expect_request("/bomb").respond_with_data(bomb, content_type="text/html", headers={"Content-Encoding": "gzip"})
    web.expect_request("/small").respond_with_data(gzip.compress(PAGE.encode()), content_type="text/html",
                                                   headers={"Content-Encoding": "gzip"})
    with Fetcher(limits=NetLimits(max_bytes=1_000_000, robots=False)) as f:
        assert f.get(web.url_for("/small")).text() == PAGE
        with pytest.raises(TooLarge):
            f.get(web.url_for("/bomb"))
    request = [r for r, _ in web.log if r.path == "/small"][0]
    assert "gzip" in request.headers["Accept-Encoding"]


def test_a_wrong_declared_charset_is_not_believed(web, fetcher):
    # UTF-8 bytes declared as ISO-8859-1 in both the header and the page: decoded as the cleaner decodes files
    page = article_html("Giá xăng giảm lần thứ ba liên tiếp", charset="iso-8859-1")
    web.expect_request("/wrong.html").respond_with_data(page.encode("utf-8"),
                                                        content_type="text/html; charset=iso-8859-1")
    web.expect_request("/cp1258.html").respond_with_data(
        "<html><body><p>Giá xăng tăng</p></body></html>".encode("cp1258"), content_type="text/html; charset=utf-8")
    assert "Giá xăng giảm lần thứ ba" in fetcher.get(web.url_for("/wrong.html")).text()
    assert "Giá xăng tăng" in fetcher.get(web.url_for("/cp1258.html")).text()


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_error_statuses_are_named(web, fetcher, status):
    web.expect_request("/gone").respond_with_data("no", status=status)
    with pytest.raises(HTTPStatusError, match=f"answered {status}") as info:
        fetcher.get(web.url_for("/gone"))
    assert info.value.status == status


def test_not_a_web_page_is_refused_before_reading_it(web, fetcher):
    web.expect_request("/pic.jpg").respond_with_data(b"\xff\xd8" * 10, content_type="image/jpeg")
    with pytest.raises(NotHTML, match="image/jpeg"):
        fetcher.get(web.url_for("/pic.jpg"))


def test_robots_txt_forbidding_a_path_is_respected(web, fetcher):
    web.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n",
                                                        content_type="text/plain")
    web.expect_request("/private/a.html").respond_with_data(PAGE, content_type="text/html")
    web.expect_request("/public/a.html").respond_with_data(PAGE, content_type="text/html")
    with pytest.raises(RobotsDisallowed, match="robots.txt does not allow fetching /private/a.html"):
        fetcher.get(web.url_for("/private/a.html"))
    fetcher.get(web.url_for("/public/a.html"))
    assert "/private/a.html" not in paths(web)
    assert paths(web).count("/robots.txt") == 1  # read once per site


def test_a_robots_txt_naming_viensum_binds_it(web, fetcher):
    web.expect_request("/robots.txt").respond_with_data("User-agent: viensum\nDisallow: /\n", content_type="text/plain")
    with pytest.raises(RobotsDisallowed):
        fetcher.get(web.url_for("/a.html"))


def test_a_rerun_sends_conditional_requests_and_reuses_the_cached_body(web, tmp_path):
    etag = '"v1"'

    def page(request):
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304)
        return Response(PAGE, content_type="text/html", headers={"ETag": etag})

    def dated(request):
        if request.headers.get("If-Modified-Since") == "Wed, 01 May 2024 08:00:00 GMT":
            return Response(status=304)
        return Response(PAGE, content_type="text/html", headers={"Last-Modified": "Wed, 01 May 2024 08:00:00 GMT"})

    web.expect_request("/e.html").respond_with_handler(page)
    web.expect_request("/d.html").respond_with_handler(dated)
    cache = tmp_path / "cache"
    for run in range(2):
        with Fetcher(cache=HTTPCache(cache)) as f:
            pages = [f.get(web.url_for("/e.html")), f.get(web.url_for("/d.html"))]
            assert [p.text() for p in pages] == [PAGE, PAGE]
            assert [p.revalidated for p in pages] == [bool(run)] * 2
    sent = [r for r, _ in web.log if r.path in ("/e.html", "/d.html")]
    assert [("If-None-Match" in r.headers) or ("If-Modified-Since" in r.headers) for r in sent] == \
        [False, False, True, True]
    assert [resp.status_code for r, resp in web.log if r.path in ("/e.html", "/d.html")] == [200, 200, 304, 304]


def test_fetch_many_keeps_order_and_turns_failures_into_results(web, fetcher):
    web.expect_request("/1.html").respond_with_data(PAGE, content_type="text/html")
    web.expect_request("/2.html").respond_with_data("no", status=404)
    results = list(fetcher.fetch_many([web.url_for("/1.html"), web.url_for("/2.html"), "ftp://x/y"]))
    assert results[0].text() == PAGE
    assert isinstance(results[1], HTTPStatusError) and isinstance(results[2], FetchError)
    assert "only http and https" in results[2].reason


def test_a_refused_connection_is_one_clear_error(fetcher):
    with pytest.raises(FetchError, match="cannot fetch"):
        fetcher.get("http://127.0.0.1:9/a.html")  # the discard port: nothing listens
