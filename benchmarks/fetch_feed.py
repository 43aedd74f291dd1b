"""Fetching a feed of N articles from a slow local site: viensum's 4-per-host client against one by one.

A stdlib HTTP server on 127.0.0.1 answers every request LATENCY seconds late (robots.txt, the
feed, each article), with ETags. Three runs, each in a fresh Fetcher:

* one-by-one: the same client limited to 1 request per host (the baseline);
* viensum: the default limits (4 per host), an empty disk cache;
* re-run: the default limits again, the disk cache of the previous run.

It prints the wall time of reading the feed's articles (fetch and decode, no cleaning or
summarising), the most requests the server had in flight, and what the re-run sent.

    PYTHONPATH=src .venv/bin/python benchmarks/fetch_feed.py [--n 50] [--latency 0.3]
"""
from __future__ import annotations

import argparse
import dataclasses
import socket
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


class Site:
    def __init__(self, n: int, latency: float) -> None:
        from webserver import article_html, rss

        self.latency, self.lock, self.in_flight, self.most = latency, threading.Lock(), 0, 0
        self.requests: list[tuple[str, bool, int]] = []  # path, conditional, status
        self.pages = {f"/tin/bai-so-{k}-cua-trang-tin-mau-47{k:05d}.html":
                      article_html(f"Bài số {k} của trang tin mẫu", site="Trang Tin Mẫu").encode() for k in range(n)}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.pages["/rss"] = rss([(f"t{k}", self.base + p, "Fri, 03 May 2024 08:00:00 +0700")
                                  for k, p in enumerate(self.pages)]).encode()
        self.pages["/robots.txt"] = b"User-agent: *\nAllow: /\n"

    def handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):  # answer in one packet: no Nagle/delayed-ACK stall of ~40 ms per response
                super().setup()
                self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_GET(self):  # noqa: N802 - the stdlib's name
                with site.lock:
                    site.in_flight += 1
                    site.most = max(site.most, site.in_flight)
                time.sleep(site.latency)
                body = site.pages.get(self.path)
                etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
                conditional = "If-None-Match" in self.headers
                status = 404 if body is None else 304 if self.headers.get("If-None-Match") == etag else 200
                with site.lock:
                    site.in_flight -= 1
                    site.requests.append((self.path, conditional, status))
                self.send_response(status)
                self.send_header("ETag", etag)
                self.send_header("Content-Type", "application/rss+xml" if self.path == "/rss" else "text/html")
                self.send_header("Content-Length", str(len(body) if status == 200 else 0))
                self.end_headers()
                if status == 200:
                    self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def run(site: Site, per_host: int, cache_dir: str) -> dict:
    from viensum import inputs
    from viensum.fetch import Fetcher, HTTPCache, NetLimits, items

    site.most, before = 0, len(site.requests)
    items._DEFAULT = Fetcher(limits=dataclasses.replace(NetLimits(), per_host=per_host), cache=HTTPCache(cache_dir))
    t0 = time.perf_counter()
    got = list(inputs.read_items([site.base + "/rss"]))
    seconds = time.perf_counter() - t0
    items._DEFAULT.close()
    sent = site.requests[before:]
    return {"seconds": seconds, "articles": sum(i.ok for i in got), "most": site.most, "requests": len(sent),
            "conditional": sum(c for _, c, _ in sent), "not_modified": sum(s == 304 for _, _, s in sent)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=50, help="articles in the feed (default 50)")
    parser.add_argument("--latency", type=float, default=0.3, help="seconds before each answer (default 0.3)")
    args = parser.parse_args()
    with Site(args.n, args.latency) as site, tempfile.TemporaryDirectory() as tmp:
        rows = [("one by one (1 per host)", run(site, 1, tmp + "/serial")),
                ("viensum (4 per host)", run(site, 4, tmp + "/cache")),
                ("viensum re-run, nothing changed", run(site, 4, tmp + "/cache"))]
    print(f"{args.n} articles, {args.latency:g} s per request, 127.0.0.1\n")
    print("| run | wall s | articles | most in flight | requests | conditional | 304 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, r in rows:
        print(f"| {name} | {r['seconds']:.2f} | {r['articles']} | {r['most']} | {r['requests']} | "
              f"{r['conditional']} | {r['not_modified']} |")


if __name__ == "__main__":
    main()
