"""Bounds on HTTP requests to the web app, applied before any route parses a body or checks a login.

:class:`RequestGuard` is ASGI middleware (installed by :func:`viensum.ui.launch`):

* a request body over its cap is refused with 413 and one line, before it is read when it says its
  ``Content-Length``, as soon as it passes the cap otherwise (chunked): uploads (``/upload``) may
  carry :data:`MAX_UPLOAD_BYTES`, every other request :data:`MAX_REQUEST_BYTES`; a 227 MB POST
  costs the server nothing, with or without credentials;
* with auth on, ``/gradio_api/cancel`` and ``/gradio_api/reset`` need a logged-in session like
  every data route (Gradio leaves them open);
* a refused file path answers with a reason, not ``{"error": null}``: on ``/gradio_api/file=...``,
  and in the queue's event stream, where Gradio (with ``show_error=False``, so that no internal
  detail reaches the browser) reports a file path it refused as ``"output":{"error":null}``; the
  app's own errors are ``gr.Error`` and keep their messages.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

log = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 8 * 1024 * 1024   # a JSON request: the Article tab's 2,000,000 characters fit
MAX_UPLOAD_BYTES = 64 * 1024 * 1024   # one upload request (all the files of a batch together)
PROTECTED_SUFFIXES = ("/gradio_api/cancel", "/gradio_api/reset")  # Gradio serves these without a login check
REFUSED_INPUT = ("Refused: the request names a file this app was not sent (only uploads and its own results "
                 "can be used), or its data is not what this API takes")
_SILENT_ERROR = b'"output":{"error":null}'

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]


def _over(size: int | None, limit: int) -> str:
    shown = f" {size:,} bytes," if size is not None else ""
    return f"the request body is{shown} over the {limit:,}-byte limit"


class RequestGuard:
    """Caps request bodies and closes Gradio's open routes; see the module's docstring."""

    def __init__(self, app, max_body: int = MAX_REQUEST_BYTES, max_upload: int = MAX_UPLOAD_BYTES) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload

    def limit_for(self, path: str) -> int:
        return self.max_upload if path.rstrip("/").endswith("/upload") else self.max_body

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[Message]],
                       send: Callable[[Message], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        limit = self.limit_for(path)
        declared = _content_length(scope)
        if declared == -1 or (declared is not None and declared > limit):
            log.info("refused a %s body on %s", "malformed" if declared == -1 else f"{declared:,}-byte", path)
            await _reply(send, 413, _over(None if declared == -1 else declared, limit))
            return
        if path.rstrip("/").endswith(PROTECTED_SUFFIXES) and not _logged_in(scope):
            await _reply(send, 401, "Not authenticated")
            return
        await self._guarded(scope, receive, send, limit, path)

    async def _guarded(self, scope, receive, send, limit: int, path: str) -> None:
        state = {"read": 0, "refused": False, "started": False, "file_refusal": False}
        explain = "/file=" in path
        stream = path.rstrip("/").endswith("/queue/data")

        async def counted_receive() -> Message:
            if state["refused"]:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                state["read"] += len(message.get("body", b""))
                if state["read"] > limit:  # a body without Content-Length (chunked) passing the cap
                    state["refused"] = True
                    if not state["started"]:
                        await _reply(send, 413, _over(None, limit))
                        state["started"] = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if state["refused"]:
                return  # our 413 went out; the route's own answer is dropped
            if message["type"] == "http.response.start":
                state["started"] = True
                if explain and message.get("status") == 403:
                    state["file_refusal"] = True
                    message = {**message, "headers": [(k, v) for k, v in message.get("headers", [])
                                                      if k.lower() != b"content-length"]}
            elif message["type"] == "http.response.body" and state["file_refusal"]:
                message = {**message, "body": _with_reason(message.get("body", b""), path)}
            elif message["type"] == "http.response.body" and stream and _SILENT_ERROR in message.get("body", b""):
                reason = json.dumps({"error": REFUSED_INPUT}, separators=(",", ":")).encode()
                message = {**message, "body": message["body"].replace(_SILENT_ERROR, b'"output":' + reason)}
            await send(message)

        await self.app(scope, counted_receive, guarded_send)


def _content_length(scope: Scope) -> int | None:
    """The declared body size; None when not given, -1 when malformed."""
    for key, value in scope.get("headers", []):
        if key.lower() == b"content-length":
            try:
                size = int(value)
            except ValueError:
                return -1
            return size if size >= 0 else -1
    return None


def _logged_in(scope: Scope) -> bool:
    """True when the app has no auth, or the request carries a session cookie Gradio issued."""
    app = scope.get("app")
    if app is None or (getattr(app, "auth", None) is None and getattr(app, "auth_dependency", None) is None):
        return True
    from starlette.requests import Request

    cookies = Request(scope).cookies
    cookie_id = getattr(app, "cookie_id", "")
    token = cookies.get(f"access-token-{cookie_id}") or cookies.get(f"access-token-unsecure-{cookie_id}")
    return token is not None and token in getattr(app, "tokens", {})


def _with_reason(body: bytes, path: str) -> bytes:
    """A refused file's answer with its reason filled in where Gradio leaves it empty."""
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return body
    if isinstance(data, dict) and not data.get("error") and not data.get("detail"):
        data["error"] = ("File not allowed: only files this app created or was sent (uploads, results) "
                         "can be fetched, not other paths on the server")
        return json.dumps(data).encode()
    return body


async def _reply(send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def middleware(max_body: int = MAX_REQUEST_BYTES, max_upload: int = MAX_UPLOAD_BYTES):
    """The entry for FastAPI's ``middleware=[...]`` (Gradio's ``app_kwargs``)."""
    from starlette.middleware import Middleware

    return Middleware(RequestGuard, max_body=max_body, max_upload=max_upload)
