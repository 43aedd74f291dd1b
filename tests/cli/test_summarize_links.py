"""``viensum summarize`` given a link and a feed, as a user runs it (a subprocess, a local server)."""
from __future__ import annotations

import json

from webserver import article_html, rss, viensum


def test_summarize_a_link_and_a_feed_with_limit(web, tmp_path):
    urls = []
    for k in range(3):
        path = f"/kinh-te/gia-vang-hom-nay-tang-them-{k}-4790{k:03d}.html"
        web.expect_request(path).respond_with_data(
            article_html(f"Giá vàng hôm nay tăng thêm {k} triệu", site="Báo Mẫu", date=f"2024-05-0{k + 1}"),
            content_type="text/html")
        urls.append(web.url_for(path))
    web.expect_request("/rss/kinh-te.rss").respond_with_data(
        rss([(f"t{k}", u, f"Fri, 0{3 - k} May 2024 08:00:00 +0700") for k, u in enumerate(urls)]),
        content_type="application/rss+xml")
    web.expect_request("/mat-tich-khong-tim-thay-bai-nay-4790999.html").respond_with_data("", status=404)
    out = tmp_path / "out.jsonl"
    proc = viensum("summarize", urls[0], web.url_for("/rss/kinh-te.rss"),
                   web.url_for("/mat-tich-khong-tim-thay-bai-nay-4790999.html"), "--limit", "2", "-o", str(out),
                   tmp_path=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr  # one article failed
    assert "answered 404" in proc.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["source_file"] for r in records] == [urls[0], urls[0], urls[1], records[-1]["source_file"]]
    first = records[0]
    assert first["error"] is None and first["summary_vi"]
    assert first["article"]["site"] == "Báo Mẫu" and first["article"]["url"] == urls[0]
    assert first["article"]["date"] == "2024-05-01" and records[2]["article"]["date"] == "2024-05-02"
    assert "answered 404" in records[-1]["error"]


def test_a_bad_since_is_a_usage_error_without_traceback(tmp_path):
    proc = viensum("summarize", "http://127.0.0.1:9/x", "--since", "yesterday-ish", tmp_path=tmp_path)
    assert proc.returncode == 1 and proc.stderr.strip() == \
        "viensum: error: --since must be a date such as 2024-05-01 or 3d, not 'yesterday-ish'"
