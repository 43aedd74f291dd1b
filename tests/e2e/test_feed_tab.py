"""The app's link field and Feed tab in a real browser: ``viensum serve`` in a subprocess, a news site on
127.0.0.1 (trusted by the operator with VIENSUM_FETCH_ALLOW), headless Chromium typing and clicking."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from browser import require_browser, shots
from webserver import article_html, rss

pytestmark = pytest.mark.slow


def test_a_link_and_a_feed_in_the_browser(web, tmp_path):
    require_browser()
    titles = ["Giá vàng tăng mạnh trong phiên sáng nay", "Hà Nội mở thêm tuyến xe buýt điện"]
    urls = []
    for k, title in enumerate(titles):
        path = f"/tin/bai-so-{k}-tren-trang-tin-mau-4790{k:03d}.html"
        web.expect_request(path).respond_with_data(article_html(title, site="Báo Mẫu"), content_type="text/html")
        urls.append(web.url_for(path))
    web.expect_request("/rss").respond_with_data(
        rss([(f"t{k}", u, f"Fri, 0{k + 1} May 2024 08:00:00 +0700") for k, u in enumerate(urls)]),
        content_type="application/rss+xml")
    store = tmp_path / "no-models"
    store.mkdir()
    port = shots.free_port()
    command = [sys.executable, "-m", "viensum", "serve", "--port", str(port)]
    with shots.serving(command, port, tmp_path / "serve.log", VIENSUM_MODELS_DIR=str(store),
                       VIENSUM_FETCH_ALLOW="127.0.0.1", VIENSUM_HTTP_CACHE=str(tmp_path / "cache")) as (url, _):
        driver = shots.browser("desktop", tmp_path / "profile")
        try:
            # the Article tab's link field
            shots._open(driver, url, "Article")
            shots._one(driver, "#article-link input, #article-link textarea").send_keys(urls[1])
            shots._one(driver, "#summarise").click()
            shots._wait(driver, lambda d: "Done" in shots._one(d, "#run-status").text)
            assert urls[1] in shots._one(driver, "#source-used").text
            assert titles[1] in shots._one(driver, "#cleaned-article").text
            # the Feed tab: the list, then one article opened beside its summary
            next(b for b in shots._all(driver, "button[role=tab]") if b.text.strip() == "Feed").click()
            time.sleep(0.5)
            shots._one(driver, "#feed-link input, #feed-link textarea").send_keys(web.url_for("/rss"))
            shots._one(driver, "#feed-run").click()
            shots._wait(driver, lambda d: "articles summarised" in shots._one(d, "#feed-status").text)
            listing = shots._one(driver, "#feed-digest").text
            assert all(t in listing for t in titles) and "Báo Mẫu" in listing
            shots._one(driver, "#feed-pick input").click()
            option = shots._wait(driver, lambda d: [o for o in shots._all(d, "li[role=option]") if titles[0] in o.text])
            option[0].click()
            shots._wait(driver, lambda d: titles[0] in shots._one(d, "#feed-article").text)
            assert "Sáng nay" in shots._one(driver, "#feed-article").text  # the Vietnamese article beside it
            if os.environ.get("VIENSUM_SAVE_SHOTS"):  # retake the README's picture of the Feed tab
                shots._shoot(driver, Path(os.environ["VIENSUM_SAVE_SHOTS"]) / "feed-desktop.png")
            # the guard: the metadata address is refused, and the refusal stays on the page
            box = shots._one(driver, "#feed-link input, #feed-link textarea")
            box.clear()
            box.send_keys("http://169.254.169.254/latest/meta-data/")
            shots._one(driver, "#feed-run").click()
            shots._wait(driver, lambda d: "cloud metadata address" in shots._one(d, "body").text)
        finally:
            driver.quit()
    assert not any(r.path.startswith("/latest") for r, _ in web.log)
