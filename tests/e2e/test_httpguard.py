"""Oversized requests against the running app (``python app.py`` with auth on): refused before the
body is read or the login checked, with the server's memory flat."""
from __future__ import annotations

import concurrent.futures
import json
import socket
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from browser import shots

from viensum import httpguard

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow



@pytest.fixture(scope="module")
def app(tmp_path_factory):
    port = shots.free_port()
    work = tmp_path_factory.mktemp("guard")
    with shots.serving([sys.executable, "app.py"], port, work / "server.log", 180, VIENSUM_AUTH="u:secret",
                       VIENSUM_MODELS_DIR=str(work / "store"), GRADIO_SERVER_PORT=str(port),
                       PYTHONPATH=str(ROOT / "src")) as (url, pid):
        yield port, pid


def oversized_post(port: int, declared: int, send_bytes: int) -> bytes:
    """POST a body that says ``declared`` bytes, sending up to ``send_bytes`` of it; the server's answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(b"POST /gradio_api/queue/join HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: %d\r\n\r\n" % declared)
        chunk = b'{"data": ["' + b"x" * (1 << 20)
        try:
            for _ in range(send_bytes // len(chunk)):
                s.sendall(chunk)
        except OSError:
            pass  # the server answered and closed: the rest is never sent
        answer = b""
        try:
            while data := s.recv(65536):
                answer += data
        except OSError:
            pass
        return answer


def test_four_unauthenticated_227_mb_posts_are_refused_with_the_server_memory_flat(app):
    import psutil

    port, pid = app
    server = psutil.Process(pid)
    before = server.memory_info().rss
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: oversized_post(port, 227_000_000, 40 << 20), range(4)))
    grown = server.memory_info().rss - before
    for answer in answers:
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        assert b"227,000,000 bytes, over the %s-byte limit" % f"{httpguard.MAX_REQUEST_BYTES:,}".encode() in answer
    assert grown < 100 * 1024 * 1024  # before: 1.96 GB peak for the same four


def test_cancel_and_reset_refused_without_credentials(app):
    port, _ = app
    for route in ("cancel", "reset"):
        request = urllib.request.Request(f"http://127.0.0.1:{port}/gradio_api/{route}",
                                         data=json.dumps({"event_id": "x", "session_hash": "y", "fn_index": 0}).encode(),
                                         headers={"Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(request, timeout=30)
        assert err.value.code == 401


def test_a_server_file_path_sent_to_the_queue_is_refused_with_a_reason(tmp_path_factory):
    import httpx

    port = shots.free_port()
    work = tmp_path_factory.mktemp("guard-open")
    with shots.serving([sys.executable, "app.py"], port, work / "server.log", 180,
                       VIENSUM_MODELS_DIR=str(work / "store"), GRADIO_SERVER_PORT=str(port),
                       PYTHONPATH=str(ROOT / "src")) as (url, _):
        config = httpx.get(f"{url}/config").json()
        dep = next(d for d in config["dependencies"] if d.get("api_name") == "summarize_article")
        data = ["", {"path": "/etc/passwd", "meta": {"_type": "gradio.FileData"}}, "extractive", 3, 0, False]
        httpx.post(f"{url}/gradio_api/queue/join",
                   json={"data": data, "fn_index": dep["id"], "session_hash": "s1"}).raise_for_status()
        with httpx.stream("GET", f"{url}/gradio_api/queue/data?session_hash=s1", timeout=60) as events:
            done = next(json.loads(line[6:]) for line in events.iter_lines() if "process_completed" in line)
    assert done["success"] is False and done["output"]["error"] == httpguard.REFUSED_INPUT
