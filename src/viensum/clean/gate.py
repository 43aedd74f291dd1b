"""The input gate: size, decoding, emptiness and format, before any cleaning."""
from __future__ import annotations

import re

from viensum.errors import InputError
from viensum.text import decode_bytes

MAX_BYTES = 5_000_000
_TAG_RE = re.compile(r"<[A-Za-z!?/][^<>]{0,2000}>")
_SNIFF_CHARS = 1_000_000
_MARKUP_RE = re.compile(r"<(?:html|head|body|div|p|article|meta|span|section|h1|a)\b")


def read_input(raw: str | bytes, max_bytes: int = MAX_BYTES) -> str:
    """The input as text, or :class:`InputError` for oversized, binary, empty or non-text input."""
    if isinstance(raw, (bytes, bytearray)):
        if len(raw) > max_bytes:
            raise InputError(f"input is {len(raw):,} bytes, over the {max_bytes:,}-byte limit")
        text = decode_bytes(bytes(raw))
    elif isinstance(raw, str):
        # each character is at least one byte in UTF-8, so this check never under-counts
        if len(raw) > max_bytes:
            raise InputError(f"input is {len(raw):,} characters, over the {max_bytes:,}-character limit")
        text = raw.lstrip("\ufeff")
    else:
        raise InputError(f"expected text or bytes, got {type(raw).__name__}")
    if not text.strip():
        raise InputError("input is empty")
    return text


def input_format(text: str, fmt: str | None) -> str:
    """``fmt`` checked, or guessed from the text when None: "html" or "text"."""
    if fmt is None:
        fmt = "html" if looks_like_html(text) else "text"
    elif fmt == "html" and not _TAG_RE.search(text, 0, _SNIFF_CHARS):
        fmt = "text"  # a text file named .html: no markup to parse, so it is read as the text it is
    if fmt not in ("text", "html"):
        raise InputError(f"unknown input format {fmt!r} (use 'text' or 'html')")
    return fmt


def looks_like_html(text: str) -> bool:
    """True when the text is markup (a saved page), judged from its first few KB."""
    head = text[:4096].lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) and "<" in head[1:]:
        return True
    return len(_MARKUP_RE.findall(head)) >= 3
