"""``viensum summarize FEED --runner ray``: the Ray workers fetch the feed's articles themselves
(the driver lists them) and every record carries the page's URL, site and date."""
from __future__ import annotations

import json

import pytest
from require import require_module
from webserver import article_html, rss, viensum

pytestmark = pytest.mark.slow


def test_ray_reads_a_feed(web, tmp_path):
    require_module("ray", "pip install -e '.[ray]'")
    urls = []
    for k in range(3):
        path = f"/tin/bai-bao-so-{k}-ve-giao-thong-4790{k:03d}.html"
        web.expect_request(path).respond_with_data(article_html(f"Bài báo số {k} về giao thông", site="Báo Mẫu"),
                                                   content_type="text/html")
        urls.append(web.url_for(path))
    web.expect_request("/feed.rss").respond_with_data(
        rss([(f"t{k}", u, f"Fri, 0{k + 1} May 2024 08:00:00 +0700") for k, u in enumerate(urls)]),
        content_type="application/rss+xml")
    out = tmp_path / "out.jsonl"
    proc = viensum("summarize", web.url_for("/feed.rss"), "--runner", "ray", "-o", str(out), tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    records = sorted((json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()),
                     key=lambda r: r["id"])
    assert [r["article"]["url"] for r in records] == urls
    assert [r["article"]["date"] for r in records] == ["2024-05-01", "2024-05-02", "2024-05-03"]
    assert all(r["error"] is None and r["article"]["site"] == "Báo Mẫu" and r["summary_vi"] for r in records)
