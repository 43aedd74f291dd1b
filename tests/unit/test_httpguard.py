"""Request bodies are capped before any route reads them (viensum.httpguard), with or without a login."""
from __future__ import annotations

import asyncio
import json
import tracemalloc

import pytest

from viensum import httpguard
from viensum.ui import article as ui_article
from viensum.errors import InputError


class Route:
    """An ASGI app standing in for Gradio's routes: records the body it managed to read."""

    def __init__(self, status: int = 200, body: bytes = b'{"ok": true}') -> None:
        self.read = b""
        self.called = False
        self.status, self.body = status, body

    async def __call__(self, scope, receive, send):
        self.called = True
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            self.read += message.get("body", b"")
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": self.status, "headers": []})
        await send({"type": "http.response.body", "body": self.body})


def call(guard, path: str, chunks: list[bytes], headers: list | None = None, app=None):
    sent: list[dict] = []
    pending = [{"type": "http.request", "body": c, "more_body": k < len(chunks) - 1} for k, c in enumerate(chunks)]

    async def receive():
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "path": path, "headers": headers or [], "app": app}
    asyncio.run(guard(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body


def test_a_declared_oversized_body_is_refused_before_a_byte_is_read():
    route = Route()
    guard = httpguard.RequestGuard(route, max_body=1000)
    status, body = call(guard, "/gradio_api/queue/join", [b"x" * 5000], [(b"content-length", b"227000000")])
    assert status == 413 and not route.called
    assert json.loads(body)["error"] == "the request body is 227,000,000 bytes, over the 1,000-byte limit"


def test_a_chunked_body_is_cut_off_as_it_passes_the_cap():
    route = Route()
    guard = httpguard.RequestGuard(route, max_body=1000)
    status, body = call(guard, "/gradio_api/queue/join", [b"x" * 600] * 10)
    assert status == 413 and len(route.read) <= 1000  # the route never saw more than the cap
    assert "over the 1,000-byte limit" in json.loads(body)["error"]


def test_a_body_without_its_length_has_the_smaller_cap_as_it_streams():
    route = Route()
    guard = httpguard.RequestGuard(route)  # the app's caps: 8 MiB with Content-Length, 1 MiB without
    chunk = b"x" * 65536
    status, body = call(guard, "/gradio_api/queue/join", [chunk] * 128)  # 8 MiB, chunked
    assert status == 413 and len(route.read) <= httpguard.MAX_UNSIZED_BYTES < 8 * len(route.read)
    assert json.loads(body)["error"] == ("the request body is over the 1,048,576-byte limit for a body sent "
                                         "without its length (Content-Length)")
    route = Route()
    sized = [(b"content-length", b"%d" % (32 * len(chunk)))]  # 2 MiB that say so: within the 8 MiB cap
    assert call(httpguard.RequestGuard(route), "/gradio_api/queue/join", [chunk] * 32, sized)[0] == 200
    assert len(route.read) == 32 * len(chunk)
    route = Route()  # an upload without its length keeps the upload cap
    assert call(httpguard.RequestGuard(route), "/gradio_api/upload", [chunk] * 32)[0] == 200


def test_uploads_have_their_own_cap_and_small_requests_pass():
    route = Route()
    guard = httpguard.RequestGuard(route, max_body=1000, max_upload=10_000)
    assert call(guard, "/gradio_api/upload", [b"x" * 5000], [(b"content-length", b"5000")])[0] == 200
    assert route.read == b"x" * 5000
    assert call(guard, "/gradio_api/upload", [b"x"], [(b"content-length", b"20000")])[0] == 413
    assert call(guard, "/gradio_api/queue/join", [b"{}"], [(b"content-length", b"2")])[0] == 200
    assert call(guard, "/gradio_api/queue/join", [b"{}"], [(b"content-length", b"two")])[0] == 413


class FakeGradioApp:
    auth = [("u", "p")]
    auth_dependency = None
    cookie_id = "c1"
    tokens = {"good-token": "u"}


def test_cancel_and_reset_need_a_login_when_auth_is_on():
    for path in ("/gradio_api/cancel", "/gradio_api/reset"):
        route = Route(body=b'{"success": true}')
        guard = httpguard.RequestGuard(route)
        assert call(guard, path, [b"{}"], app=FakeGradioApp())[0] == 401
        assert not route.called
        assert call(guard, path, [b"{}"], [(b"cookie", b"access-token-c1=good-token")], app=FakeGradioApp())[0] == 200
        assert call(guard, path, [b"{}"], [(b"cookie", b"access-token-c1=forged")], app=FakeGradioApp())[0] == 401
    FakeGradioApp.auth = None
    assert call(guard, "/gradio_api/cancel", [b"{}"], app=FakeGradioApp())[0] == 200  # no auth: open, as before
    FakeGradioApp.auth = [("u", "p")]


def test_a_refused_file_gets_a_reason():
    guard = httpguard.RequestGuard(Route(status=403, body=b'{"error": null}'))
    status, body = call(guard, "/gradio_api/file=/etc/passwd", [b""])
    assert status == 403 and "File not allowed" in json.loads(body)["error"]


def test_the_article_text_size_is_checked_before_any_work():
    text = "từ " * 4_000_000  # 12,000,000 characters: splitting it into words would hold ~250 MB
    tracemalloc.start()
    with pytest.raises(InputError, match="12,000,000 characters long; the limit is 2,000,000"):
        ui_article._read_source(text, None)  # what the Article tab does first
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20_000_000


def test_a_refused_input_in_the_queue_stream_gets_a_reason():
    event = (b'data: {"msg":"process_completed","event_id":"e","output":{"error":null},"success":false,'
             b'"title":"Error"}\n\n')
    guard = httpguard.RequestGuard(Route(body=event))
    status, body = call(guard, "/gradio_api/queue/data", [b""])
    payload = json.loads(body.decode().removeprefix("data: "))
    assert payload["output"]["error"] == httpguard.REFUSED_INPUT and payload["success"] is False
    ok = b'data: {"msg":"process_completed","output":{"data":["x"]},"success":true}\n\n'
    assert call(httpguard.RequestGuard(Route(body=ok)), "/gradio_api/queue/data", [b""])[1] == ok
