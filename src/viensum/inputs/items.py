"""The item model: the file types read, :class:`Item` (one article or why it cannot be), the
:class:`Limits` on a run and its running totals, printable file names and run-unique ids
(the rules are in :mod:`viensum.inputs`)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from viensum.errors import InputError, TotalLimitError

# The one list of article file types: every command, the app and the Ray engine use it.
TEXT_EXTENSIONS = (".txt",)
HTML_EXTENSIONS = (".html", ".htm", ".xhtml", ".shtml")
DOCUMENT_EXTENSIONS = (".docx", ".pdf")  # reduced to their text; need the app extra (python-docx, pypdf)
ARTICLE_EXTENSIONS = TEXT_EXTENSIONS + HTML_EXTENSIONS + DOCUMENT_EXTENSIONS
JSONL_EXTENSIONS = (".jsonl", ".ndjson")
PARQUET_EXTENSIONS = (".parquet",)
RECORD_EXTENSIONS = JSONL_EXTENSIONS + PARQUET_EXTENSIONS
ARCHIVE_EXTENSIONS = (".zip",)
FEED_EXTENSIONS = (".rss", ".atom", ".xml")  # saved feeds: their articles are read (viensum.fetch.items)
INPUT_EXTENSIONS = ARTICLE_EXTENSIONS + RECORD_EXTENSIONS + ARCHIVE_EXTENSIONS + FEED_EXTENSIONS


@dataclass(frozen=True)
class Limits:
    """Bounds on what one run reads; each has a clear message when exceeded."""

    file_bytes: int = 5_000_000        # one article file, zip member or JSONL line
    zip_members: int = 10_000          # entries in one zip (or .docx), checked before reading any
    zip_bytes: int = 500_000_000       # declared uncompressed size of one zip's articles, checked up front
    items: int | None = None           # articles in the whole run (the app: a batch); None: no cap
    text_chars: int = 5_000_000        # characters of one article's text (a document stops being read here)
    document_xml_bytes: int = 10_000_000  # declared unpacked size of a .docx's XML, checked before inflating
    read_seconds: float = 30.0         # wall-clock budget for reading one .docx/.pdf (a child process)
    read_memory: int = 1_000_000_000   # address space of that child process, bytes
    total_bytes: int | None = None     # bytes read or inflated in the whole run (the app: a batch); None: no cap
    total_chars: int | None = None     # characters of text in the whole run; None: no cap
    links: int | None = None           # articles taken from each feed or section page (--limit)
    since: str | None = None           # only feed/section articles published on or after this ISO date (--since)

    def __post_init__(self) -> None:
        sizes = (self.file_bytes, self.zip_members, self.zip_bytes, self.items or 1, self.text_chars,
                 self.document_xml_bytes, self.read_seconds, self.read_memory, self.total_bytes or 1,
                 self.total_chars or 1)
        if min(sizes) <= 0:
            raise InputError("limits must be positive")

    def documents(self):
        """The same bounds for :mod:`viensum.documents`."""
        from viensum.documents import DocumentLimits

        return DocumentLimits(chars=self.text_chars, parts=self.zip_members, xml_bytes=self.document_xml_bytes,
                              unpacked_bytes=self.zip_bytes, seconds=self.read_seconds, memory=self.read_memory)


class _Totals:
    """What the whole run has read so far, against :attr:`Limits.total_bytes` / ``total_chars``."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.bytes = 0
        self.chars = 0

    def check_bytes(self, more: int, what: str = "the input") -> None:
        """Refuse the run if ``more`` bytes would take it past the total (before they are read, when known)."""
        limit = self.limits.total_bytes
        if limit is not None and self.bytes + more > limit:
            raise TotalLimitError(f"{what} takes the whole input past {limit:,} bytes (the limit for all "
                                  "files together); send fewer or smaller files at a time")

    def add(self, data_bytes: int = 0, chars: int = 0) -> None:
        self.check_bytes(data_bytes)
        self.bytes += data_bytes
        self.chars += chars
        limit = self.limits.total_chars
        if limit is not None and self.chars > limit:
            raise TotalLimitError(f"the input holds more than {limit:,} characters of text in all (the limit "
                                  "for all files together); send fewer or smaller files at a time")


@dataclass
class Item:
    """One article to process, or the reason it cannot be.

    ``name`` says where it came from (a path, ``a.zip/member``, ``in.jsonl:3``), printable;
    ``text`` is the decoded article (``None`` when ``error`` is set or not loaded yet);
    ``fmt`` is ``"html"`` when the file type says so (``None``: decided from the content);
    ``ref`` tells :func:`load_item` where to read the text again (Ray workers do).
    """

    id: str
    name: str
    text: str | None = None
    error: str | None = None
    fmt: str | None = None
    ref: dict[str, Any] | None = field(default=None, repr=False)
    meta: dict[str, Any] | None = field(default=None, repr=False)  # a fetched page: url, site, published, title

    @property
    def ok(self) -> bool:
        return self.error is None


# ---------------------------------------------------------------- names


def printable(name: str | bytes | os.PathLike) -> str:
    """A file name as printable text, losslessly: undecodable bytes become ``\\xNN``,
    other unprintable characters ``\\uNNNN`` / ``\\UNNNNNNNN``, and a backslash ``\\\\``."""
    if isinstance(name, os.PathLike):
        name = os.fspath(name)
    if isinstance(name, bytes):
        name = name.decode("utf-8", "surrogateescape")
    out = []
    for ch in name:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch.isprintable():
            out.append(ch)
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return "".join(out)


def unprintable(text: str) -> bytes:
    """The original name's bytes from :func:`printable`'s text."""
    out = bytearray()
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            kind = text[i + 1]
            width = {"x": 2, "u": 4, "U": 8}.get(kind)
            if kind == "\\":
                out += b"\\"
                i += 2
                continue
            if width:
                value = int(text[i + 2:i + 2 + width], 16)
                out += bytes([value]) if kind == "x" else chr(value).encode("utf-8", "surrogatepass")
                i += 2 + width
                continue
        out += ch.encode("utf-8", "surrogatepass")
        i += 1
    return bytes(out)


def _stem(name: str) -> str:
    """The name without its article/record/archive extension (other dots are part of the name)."""
    lower = name.lower()
    for ext in INPUT_EXTENSIONS:
        if lower.endswith(ext) and len(name) > len(ext):
            return name[: -len(ext)]
    return name


def _ext(name: str) -> str:
    lower = name.lower()
    return next((ext for ext in INPUT_EXTENSIONS if lower.endswith(ext)), os.path.splitext(lower)[1])


class _Ids:
    """Hands out run-unique ids: derived ones are made unique, record ids must already be."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def derived(self, base: str, full: str) -> str:
        for candidate in (base, full):
            if candidate and candidate not in self.used:
                self.used.add(candidate)
                return candidate
        k = 2
        while f"{full}#{k}" in self.used:
            k += 1
        self.used.add(f"{full}#{k}")
        return f"{full}#{k}"


def summary_input(item: Item) -> Any:
    """What a runner hands the summariser for an item: its text; for a fetched page the cleaned
    :class:`~viensum.results.Article` with its URL, site and date; for a failed item an InputError."""
    if item.error is not None:
        return InputError(item.error)
    if item.meta is None:
        return item.text
    from viensum.errors import ViensumError
    from viensum.fetch.page import page_article

    try:
        return page_article(item.text, item.meta)
    except ViensumError as exc:
        return InputError(str(exc))
