"""An on-disk HTTP cache: the last good response of each URL, and the validators to ask whether it changed.

Each entry is two files named by the SHA-256 of the URL: ``KEY.json`` (the final URL,
content type, ``ETag``, ``Last-Modified``, when it was fetched) and ``KEY.body`` (the
bytes). :meth:`HTTPCache.validators` gives the ``If-None-Match`` / ``If-Modified-Since``
headers for a conditional request; a ``304 Not Modified`` answer is served from the
stored body. Writes are atomic (a temporary file renamed), so a crash never leaves
half an entry, and a damaged entry is treated as missing.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

log = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    """``$VIENSUM_HTTP_CACHE``, else ``$XDG_CACHE_HOME/viensum/http`` (``~/.cache/viensum/http``)."""
    if os.environ.get("VIENSUM_HTTP_CACHE"):
        return Path(os.environ["VIENSUM_HTTP_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "viensum" / "http"


@dataclass
class CacheEntry:
    url: str
    final_url: str
    content_type: str
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: float = 0.0
    body: bytes = b""


class HTTPCache:
    """Stored responses under ``folder`` (created on first write)."""

    def __init__(self, folder: str | os.PathLike | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_cache_dir()

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.folder / f"{key}.json", self.folder / f"{key}.body"

    def get(self, url: str) -> CacheEntry | None:
        meta_path, body_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
            entry = CacheEntry(**meta, body=body)
        except (OSError, ValueError, TypeError):
            return None
        if entry.url != url:  # a hash collision or a hand-edited file
            return None
        return entry

    def validators(self, entry: CacheEntry | None) -> dict[str, str]:
        """The headers of a conditional request for a stored entry (none if it has no validators)."""
        headers: dict[str, str] = {}
        if entry is not None and entry.etag:
            headers["If-None-Match"] = entry.etag
        if entry is not None and entry.last_modified:
            headers["If-Modified-Since"] = entry.last_modified
        return headers

    def put(self, entry: CacheEntry) -> None:
        """Store a response that has a validator (without one a re-run could not ask "changed?")."""
        if not (entry.etag or entry.last_modified):
            return
        entry.fetched_at = entry.fetched_at or time.time()
        meta_path, body_path = self._paths(entry.url)
        meta = {k: v for k, v in asdict(entry).items() if k != "body"}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_atomic(body_path, entry.body)
            _write_atomic(meta_path, json.dumps(meta).encode("utf-8"))
        except OSError as exc:  # a full or read-only disk: fetching still works, re-runs fetch again
            log.warning("cannot write the HTTP cache in %s: %s", self.folder, exc.strerror or exc)


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
