"""A local web server for the fetching tests (127.0.0.1 only; nothing here reaches the internet),
and small self-written pages and feeds to serve from it.

Import the fixtures into a test module: ``from webserver import web, fetcher  # noqa: F401``.
The server records every request it receives (``web.log``), so tests assert on what was sent.
"""
from __future__ import annotations

import html as html_lib
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

ARTICLE_BODY = [
    "Sáng nay, Ủy ban nhân dân thành phố Hà Nội đã tổ chức cuộc họp về kế hoạch phát triển giao thông công cộng "
    "trong giai đoạn 2025 - 2030, với sự tham gia của nhiều sở, ngành và các chuyên gia.",
    "Theo kế hoạch, thành phố sẽ mở thêm 12 tuyến xe buýt điện và hoàn thành tuyến đường sắt đô thị số 3 "
    "trước năm 2027, nhằm giảm ùn tắc và ô nhiễm không khí ở khu vực nội đô.",
    "Các chuyên gia cho rằng việc kết nối giữa xe buýt và đường sắt đô thị là yếu tố quyết định để người dân "
    "chuyển sang sử dụng phương tiện công cộng thay cho xe máy cá nhân.",
]


def article_html(title: str, paragraphs=ARTICLE_BODY, *, canonical: str | None = None, site: str | None = None,
                 date: str | None = None, charset: str = "utf-8") -> str:
    """A plain news article page (headline, date, paragraphs), with the head metadata asked for."""
    head = [f'<meta charset="{charset}">', f"<title>{html_lib.escape(title)}</title>"]
    if canonical:
        head.append(f'<link rel="canonical" href="{canonical}">')
    if site:
        head.append(f'<meta property="og:site_name" content="{html_lib.escape(site)}">')
    if date:
        head.append(f'<meta property="article:published_time" content="{date}">')
    body = "".join(f"<p>{html_lib.escape(p)}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html lang=\"vi\"><head>{''.join(head)}</head><body><header><a href=\"/\">Trang chủ</a>"
            f"</header><article><h1>{html_lib.escape(title)}</h1>{body}</article><footer>Bản quyền</footer>"
            "</body></html>")


def rss(items: list[tuple[str, str, str]], title: str = "Tin mới nhất") -> str:
    """An RSS 2.0 feed of ``(title, link, RFC 822 date)`` items."""
    entries = "".join(f"<item><title>{html_lib.escape(t)}</title><link>{html_lib.escape(l)}</link>"
                      f"<pubDate>{d}</pubDate></item>" for t, l, d in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://example.invalid/</link><description>feed</description>{entries}</channel></rss>")


def atom(items: list[tuple[str, str, str]], title: str = "Thời sự") -> str:
    """An Atom feed of ``(title, link, ISO date)`` entries."""
    entries = "".join(f'<entry><title>{html_lib.escape(t)}</title><link href="{html_lib.escape(l)}"/>'
                      f"<id>{html_lib.escape(l)}</id><updated>{d}</updated></entry>" for t, l, d in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>'
            f"<id>urn:test</id><updated>2024-05-03T00:00:00Z</updated>{entries}</feed>")


@pytest.fixture
def web():
    """A threaded HTTP server on 127.0.0.1 with a free port."""
    from pytest_httpserver import HTTPServer

    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def fetcher(tmp_path):
    """A Fetcher with its own disk cache (the command line's policy: any address)."""
    from viensum.fetch import Fetcher, HTTPCache

    with Fetcher(cache=HTTPCache(tmp_path / "http-cache")) as f:
        yield f


@pytest.fixture(autouse=False)
def own_cache(tmp_path, monkeypatch):
    """The default fetcher (the CLI's) with a fresh cache in this test's folder."""
    from viensum.fetch import items

    monkeypatch.setenv("VIENSUM_HTTP_CACHE", str(tmp_path / "default-cache"))
    monkeypatch.setattr(items, "_DEFAULT", None)
    yield
    if items._DEFAULT is not None:
        items._DEFAULT.close()


def viensum(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """The ``viensum`` command in a subprocess: no models installed (extractive summaries), its own HTTP cache."""
    store = tmp_path / "no-models"
    store.mkdir(exist_ok=True)
    env = {**os.environ, "VIENSUM_MODELS_DIR": str(store), "HF_HUB_OFFLINE": "1",
           "VIENSUM_HTTP_CACHE": str(tmp_path / "http-cache")}
    return subprocess.run([sys.executable, "-m", "viensum", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
