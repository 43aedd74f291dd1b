"""One article file read and decoded: bounded by size before it is read, .docx and .pdf reduced
to their text (:mod:`viensum.documents`), the rest decoded; each text held to the character limit
and counted in the run's totals, any failure the item's error."""
from __future__ import annotations

import logging
import os
import stat
import sys
from collections.abc import Iterator

from viensum.errors import InputError, TotalLimitError
from viensum.inputs.items import DOCUMENT_EXTENSIONS, Item, Limits, _Totals

log = logging.getLogger(__name__)


def _fill(item: Item, read, ext: str, limits: Limits = Limits(), totals: _Totals | None = None) -> Item:
    """Read and decode one article into ``item``; any failure becomes its error
    (but a run past its totals is refused whole: :class:`TotalLimitError`)."""
    try:
        data = read()
        if totals is not None:
            totals.add(len(data))
        item.text = decode_document(data, ext, limits)
        if totals is not None:
            totals.add(chars=len(item.text))
    except TotalLimitError:
        raise
    except InputError as exc:
        item.error = str(exc)
    except OSError as exc:
        item.error = _os_message(exc)
    return item


def _counted(items: Iterator[Item], limits: Limits, totals: _Totals | None) -> Iterator[Item]:
    """Records: each text held to the per-article character limit and counted in the run's totals."""
    for item in items:
        if item.text is not None and len(item.text) > limits.text_chars:
            item.text, item.error = None, _over_chars(len(item.text), limits.text_chars)
        if totals is not None and item.text is not None:
            totals.add(chars=len(item.text))
        yield item


def _over_chars(chars: int, limit: int) -> str:
    return f"the text is {chars:,} characters, over the {limit:,}-character limit"


def read_file(path: str | os.PathLike, max_bytes: int) -> bytes:
    """A file's bytes, refusing it by its size before reading when over ``max_bytes``."""
    with open(path, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise InputError("not a regular file")
        if info.st_size > max_bytes:
            raise InputError(f"file is {info.st_size:,} bytes, over the {max_bytes:,}-byte limit")
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:  # it grew while we looked
        raise InputError(f"file is over the {max_bytes:,}-byte limit")
    return data


def read_stdin(max_bytes: int) -> bytes:
    """Standard input's bytes, at most ``max_bytes`` of them."""
    stream = getattr(sys.stdin, "buffer", None)
    data = stream.read(max_bytes + 1) if stream is not None else sys.stdin.read(max_bytes + 1).encode("utf-8")
    if len(data) > max_bytes:
        raise InputError(f"input is over the {max_bytes:,}-byte limit")
    return data


def decode_document(data: bytes, ext: str = ".txt", limits: Limits = Limits()) -> str:
    """The text of one article file: .docx and .pdf reduced to their paragraphs (read by
    :mod:`viensum.documents` within ``limits``), the rest decoded; at most ``limits.text_chars``."""
    from viensum import documents

    if not data.strip():
        raise InputError("the file is empty")
    ext = ext.lower()
    if ext not in DOCUMENT_EXTENSIONS:
        text = decode_text(data)
    else:
        try:
            text = documents.document_text(data, ext, limits.documents())
        except ImportError as exc:
            raise InputError(f"reading {ext} files needs {exc.name}: pip install 'viensum[app]'") from None
        except documents.DocumentError as exc:
            raise InputError(str(exc)) from None
        if not text.strip():
            hint = " (a scanned PDF holds only images of text)" if ext == ".pdf" else ""
            raise InputError(f"no text found in this {ext} file{hint}")
    if len(text) > limits.text_chars:
        raise InputError(_over_chars(len(text), limits.text_chars))
    return text


MAX_INVALID_UTF8_SHARE = 0.005  # stray bytes in UTF-8 text replaced (and reported) up to this share of the bytes


def decode_text(data: bytes) -> str:
    """Article bytes as text (:func:`viensum.text.decode_bytes`: UTF-8, UTF-16, Windows-1258).

    UTF-8 text with a few stray bytes (a bad copy, a cut multi-byte character) is not refused
    as binary: when the undecodable bytes are at most :data:`MAX_INVALID_UTF8_SHARE` of the
    file, each becomes U+FFFD, which the cleaner reports in ``Article.warnings``.
    """
    from viensum.text import decode_bytes

    try:
        return decode_bytes(data)
    except InputError:
        text = data.decode("utf-8", errors="replace")
        invalid = text.count("\ufffd") - data.count("\ufffd".encode())
        if 0 < invalid <= MAX_INVALID_UTF8_SHARE * len(data) and "\x00" not in text:
            log.info("%d undecodable bytes replaced with U+FFFD", invalid)
            return text
        raise


def _os_message(exc: OSError) -> str:
    return exc.strerror or str(exc)
