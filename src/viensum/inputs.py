"""Reading articles in, the same way for every command, the app and Ray (writing: :mod:`viensum.outputs`).

Inputs (``read_items``) are named the same way everywhere:

* a file: ``.txt`` / ``.html`` (and the other :data:`ARTICLE_EXTENSIONS`) is one article;
  ``.jsonl`` / ``.parquet`` hold records ``{"id": ..., "text": ...}``; a ``.zip`` holds
  articles (each member one article, never extracted to disk);
* a folder: its top-level files with those extensions, sorted by name (sub-folders are
  not entered: name them, or use a glob);
* a glob (``'news/**/*.html'``, quoted so the shell leaves it alone), expanded recursively;
* ``-``: one article from stdin;
* an ``http(s)://`` URL, a ``.txt`` file whose lines are all URLs, a record with a ``url`` and no
  text, a saved feed (``.rss``/``.atom``/``.xml``): fetched and read by :mod:`viensum.fetch.items`
  (a feed or a section page stands for its articles; a folder holding feeds reads its feeds,
  its saved pages standing in for the articles they list).

Every article becomes an :class:`Item` with an ``id`` that is unique within the run,
stable (the same inputs give the same ids) and printable:

* a file: its path without extension, relative to the folder or glob it came from
  (a file named on its own: its name without extension, like ``seeds/refs`` names documents);
* a zip member: the zip's name, then the member's path without extension
  (``articles.zip/batch/page``), so a page loose and zipped gets two ids;
* a record: its own ``id`` field (escaped by :func:`printable` only if it holds control
  characters or lone surrogates); a malformed line: ``<file>:<line>``.

A derived id that is already taken gets the extension back, then ``#2``, ``#3``. Record
ids are the user's keys (resume, evaluation and joins use them), so a run whose records
repeat an id or lack one is refused up front, naming the lines (:func:`list_items`).

File names are kept as the operating system gives them (undecodable bytes as
surrogate escapes, see :func:`os.fsdecode`); whatever is shown or written uses
:func:`printable`, which is lossless: :func:`unprintable` gives the original bytes back.

Every failure that concerns one input (unreadable, too large, binary, a malformed
line, a zip member over the limit) is an :class:`Item` with ``error`` set, never the
end of the run. Reading is bounded: files and JSONL lines by :attr:`Limits.file_bytes`
(checked by size before reading), zips by member count and declared sizes checked
before any member is inflated, and members streamed with the same byte cap.

"""
from __future__ import annotations

import glob
import json
import logging
import os
import stat
import struct
import sys
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from viensum.errors import InputError, TotalLimitError

log = logging.getLogger(__name__)

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
TEXT_FIELDS = ("text", "html", "content")  # where a record's article is, in this order
STDIN = "-"


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


# ---------------------------------------------------------------- resolving inputs


@dataclass
class _Source:
    path: str          # as the OS gives it (may hold surrogate escapes); "-" for stdin
    rel: str           # the part ids are made from: relative to the folder/glob, or the file name
    error: str | None = None
    listing: bool = False  # a saved feed or section page: read for the articles it lists


def _has_magic(spec: str) -> bool:
    return any(c in spec for c in "*?[")


def _sources(specs: Sequence[str | os.PathLike]) -> Iterator[_Source]:
    for spec in specs:
        spec = os.fspath(spec)
        if isinstance(spec, bytes):
            spec = os.fsdecode(spec)
        if spec == STDIN:
            yield _Source(STDIN, "stdin")
        elif _is_url(spec):
            yield _Source(spec, spec)
        elif "\x00" in spec:  # no operating system allows it; open() would raise ValueError
            yield _Source(spec, os.path.basename(spec), "not a valid file name (it holds a NUL character)")
        elif os.path.isdir(spec):
            try:
                names = sorted(n for n in os.listdir(spec) if not n.startswith(".") and _ext(n) in INPUT_EXTENSIONS)
            except OSError as exc:
                yield _Source(spec, os.path.basename(spec.rstrip("/")) or spec, _os_message(exc))
                continue
            files = [n for n in names if os.path.isfile(os.path.join(spec, n))]
            listing = False
            if any(_ext(n) in FEED_EXTENSIONS for n in files):
                from viensum.fetch.items import saved_listings

                # saved feeds: read them (and saved section pages), their pages standing in for the web;
                # .xml files that are not feeds are not articles either
                listed = saved_listings(spec, files)
                listing = bool(listed)
                files = listed or [n for n in files if _ext(n) not in FEED_EXTENSIONS]
            if not files:  # a usage mistake, found while listing: the run is refused before any work
                raise InputError(f"no articles in {printable(spec)}: expected {', '.join(INPUT_EXTENSIONS)} files "
                                 "(sub-folders are not entered; name them, or use a glob such as 'DIR/**/*.html')")
            for n in files:
                yield _Source(os.path.join(spec, n), n, listing=listing)
        elif os.path.lexists(spec) or not _has_magic(spec):
            yield _Source(spec, os.path.basename(spec))
        else:
            root = _glob_root(spec)
            matches = sorted(p for p in glob.glob(spec, recursive=True)
                             if os.path.isfile(p) and _ext(p) in INPUT_EXTENSIONS)
            if not matches:
                raise InputError(f"no article files match {printable(spec)}")
            for p in matches:
                yield _Source(p, os.path.relpath(p, root) if root else p)


def _glob_root(pattern: str) -> str:
    """The folder part of a glob before its first wildcard: ids are relative to it."""
    parts = []
    for part in Path(pattern).parts:
        if _has_magic(part):
            break
        parts.append(part)
    return os.path.join(*parts) if parts else ""


def input_paths(specs: Sequence[str | os.PathLike]) -> list[str]:
    """The files and folders the inputs name (globs expanded; stdin left out): what an output must not touch."""
    out = []
    for spec in specs:
        spec = os.fsdecode(os.fspath(spec))
        if spec == STDIN:
            continue
        if not os.path.lexists(spec) and _has_magic(spec):
            out.extend(glob.glob(spec, recursive=True))
        else:
            out.append(spec)
    return out


# ---------------------------------------------------------------- reading


def read_items(specs: Sequence[str | os.PathLike], limits: Limits = Limits()) -> Iterator[Item]:
    """Every article the inputs hold, in order, read one at a time.

    Lists the inputs first (:func:`list_items`), so a run with duplicate or
    missing record ids is refused before any work; returns an iterator that reads lazily.
    """
    list_items(specs, limits)
    return iter_items(specs, limits)


def list_items(specs: Sequence[str | os.PathLike], limits: Limits = Limits()) -> list[Item]:
    """The items of the inputs with their ids and names, articles not read (``ref`` says where they are).

    Raises :class:`InputError` naming the lines whose record ids are repeated or missing.
    """
    problems: list[str] = []
    items = list(iter_items(specs, limits, load=False, problems=problems))
    if problems:
        shown = "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
        raise InputError(f"every record needs its own id: {shown}")
    return items


def iter_items(specs: Sequence[str | os.PathLike], limits: Limits = Limits(), *, load: bool = True,
               problems: list[str] | None = None) -> Iterator[Item]:
    """The items of the inputs, in order (no id check: see :func:`read_items`).

    ``load=False`` gives ids, names and ``ref`` without reading the articles
    (records still parse, to find their ids). ``problems`` collects the
    duplicate/missing record ids (by line) instead of ignoring them.
    """
    ids = _Ids()
    record_lines: dict[str, str] = {}
    totals = _Totals(limits) if load else None
    count = 0
    for source in _sources(specs):
        for item in _items_of(source, limits, ids, record_lines, load, problems, totals):
            count += 1
            if limits.items is not None and count > limits.items:
                raise InputError(f"at most {limits.items} articles at a time; split the input")
            yield item


def _items_of(source: _Source, limits: Limits, ids: _Ids, record_lines: dict[str, str], load: bool,
              problems: list[str] | None, totals: _Totals | None = None) -> Iterator[Item]:
    name = printable(source.path) if source.path != STDIN else "stdin"
    rel = printable(source.rel)
    if source.error:
        yield Item(ids.derived(_stem(rel), rel), name, error=source.error)
        return
    ext = _ext(source.path)
    if source.listing or _is_url(source.path) or ext in FEED_EXTENSIONS or (ext == ".txt" and _url_list(source.path, limits)):
        yield from _counted(_link_items(source, name, limits, ids, load), limits, totals)
    elif source.path == STDIN:
        item = Item(ids.derived("stdin", "stdin"), name)
        if load:
            _fill(item, lambda: read_stdin(limits.file_bytes), ".txt", limits, totals)
        else:
            item.ref = {"stdin": True}
        yield item
    elif ext in JSONL_EXTENSIONS:
        yield from _counted(_jsonl_items(source.path, name, rel, limits, ids, record_lines, load, problems),
                            limits, totals)
    elif ext in PARQUET_EXTENSIONS:
        yield from _counted(_parquet_items(source.path, name, rel, ids, record_lines, load, problems),
                            limits, totals)
    elif ext in ARCHIVE_EXTENSIONS:
        yield from _zip_items(source.path, name, rel, limits, ids, load, totals)
    else:
        item = Item(ids.derived(_stem(rel), rel), name, fmt="html" if ext in HTML_EXTENSIONS else None,
                    ref={"file": name, "ext": ext})
        # a file named on its own is an article whatever its extension (a page saved without one);
        # folders and globs only pick up the known types
        if load:
            _fill(item, lambda: read_file(source.path, limits.file_bytes), ext, limits, totals)
        yield item


def _is_url(spec: str) -> bool:
    return spec[:8].lower().startswith(("http://", "https://"))


def _url_list(path: str, limits: Limits) -> list[str] | None:
    """The URLs of a .txt file whose non-empty lines are all http(s) URLs (else None: an article)."""
    try:
        lines = [line.strip() for line in read_file(path, limits.file_bytes).decode("utf-8-sig").splitlines()]
    except (OSError, InputError, UnicodeDecodeError):
        return None
    urls = [line for line in lines if line]
    return urls if urls and all(_is_url(u) and " " not in u for u in urls) else None


def _link_items(source: _Source, name: str, limits: Limits, ids: _Ids, load: bool) -> Iterator[Item]:
    from viensum.fetch import items as fetched

    if _is_url(source.path):
        yield from fetched.url_items(source.path, limits, ids, load=load)
    elif source.listing or _ext(source.path) in FEED_EXTENSIONS:
        yield from fetched.listing_items(source.path, name, limits, ids, load=load)
    else:
        for url in _url_list(source.path, limits) or []:
            yield from fetched.url_items(url, limits, ids, load=load)


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


def load_item(item: Item, limits: Limits = Limits()) -> Item:
    """Read the text of an item listed with ``load=False`` (on a Ray worker, say)."""
    if item.error is not None or item.text is not None or not item.ref:
        return item
    ref = item.ref
    if "url" in ref:
        from viensum.fetch.items import load_url

        return next(_counted(iter([load_url(item, ref)]), limits, None))
    if "file" in ref:
        path = os.fsdecode(unprintable(ref["file"]))
        return _fill(item, lambda: read_file(path, limits.file_bytes), ref["ext"], limits)
    if "zip" in ref:
        path = os.fsdecode(unprintable(ref["zip"]))

        def read() -> bytes:
            with zipfile.ZipFile(path) as archive:
                return _read_member(archive, archive.getinfo(ref["member"]), limits)

        return _fill(item, read, _ext(ref["member"]), limits)
    if "jsonl" in ref:
        path = os.fsdecode(unprintable(ref["jsonl"]))
        with open(path, "rb") as fh:
            fh.seek(ref["offset"])
            line = fh.readline(limits.file_bytes + 1)
        record, error = _parse_line(line, limits.file_bytes)
        text, fmt, error = _record_text(record) if error is None else (None, None, error)
        if text is not None and len(text) > limits.text_chars:
            text, error = None, _over_chars(len(text), limits.text_chars)
        item.text, item.fmt, item.error = text, fmt, error
        return item
    if "parquet" in ref:
        path = os.fsdecode(unprintable(ref["parquet"]))
        item.text, _, item.error = _record_text({"text": _parquet_text(path, ref["row"])})
        if item.text is not None and len(item.text) > limits.text_chars:
            item.text, item.error = None, _over_chars(len(item.text), limits.text_chars)
        return item
    raise InputError(f"cannot load {item.name}: unknown reference")


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


# ---------------------------------------------------------------- records


def _parse_line(line: bytes, max_bytes: int) -> tuple[Any, str | None]:
    if len(line) > max_bytes:
        return None, f"the line is over the {max_bytes:,}-byte limit"
    try:
        text = line.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "the line is not UTF-8"
    try:
        return json.loads(text), None
    except (ValueError, RecursionError) as exc:  # JSONDecodeError; a 5000-digit number; [[[[...]]]]
        why = exc.msg if isinstance(exc, json.JSONDecodeError) else \
            "nested too deeply" if isinstance(exc, RecursionError) else "a number too long"
        return None, f"not JSON ({why})"


def _record_id(record: dict) -> str | None:
    value = record.get("id")
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None  # null, NaN, a list...: no usable id
    value = str(value)
    # kept as given, unless it holds characters that cannot be shown or written (controls, lone surrogates)
    return (value if value.isprintable() else printable(value)) if value.strip() else None


def _record_text(record: Any) -> tuple[str | None, str | None, str | None]:
    """(text, fmt, error) of one parsed record."""
    if not isinstance(record, dict):
        return None, None, "not a JSON object"
    present = [key for key in TEXT_FIELDS if key in record]
    for key in present:
        value = record[key]
        if isinstance(value, str) and value.strip():
            return value, ("html" if key == "html" else None), None
    if isinstance(record.get("url"), str) and _is_url(record["url"].strip()):
        return record["url"].strip(), "url", None  # no text: the page at its url is fetched (_url_record)
    if not present:
        return None, None, 'no "text" field'
    return None, None, f'the "{present[0]}" field {_not_text(record[present[0]])}'


def _not_text(value: Any) -> str:
    """Why a record's text field holds no article, in words: ``5`` and ``NaN`` are told apart."""
    if value is None:
        return "is null"
    if isinstance(value, str):
        return "is empty"
    if isinstance(value, bool):
        return f"is {str(value).lower()}, not text"
    if isinstance(value, float) and value != value:
        return "is NaN, not text"
    if isinstance(value, (int, float)):
        return f"is a number ({value!r}), not text"
    return f"is {'a list' if isinstance(value, list) else 'an object'}, not text"


def _record_item(record: Any, error: str | None, line: int, name: str, rel: str, ids: _Ids,
                 record_lines: dict[str, str], problems: list[str] | None) -> Item:
    where = f"{rel}:{line}"
    if error is None and isinstance(record, dict):
        rid = _record_id(record)
        if rid is None:
            if problems is not None:
                problems.append(f"{name}: line {line} has no id")
            return Item(ids.derived(where, where), f"{name}:{line}", error="the record has no id")
        if rid in ids.used:
            if problems is not None:
                first = record_lines.get(rid, "an earlier input")
                problems.append(f"{name}: line {line} repeats id {rid!r} of {first}")
            return Item(ids.derived(rid, where), f"{name}:{line}", error=f"id {rid!r} is repeated")
        ids.used.add(rid)
        record_lines[rid] = f"{name}:{line}"
        text, fmt, error = _record_text(record)
        return Item(rid, f"{name}:{line}", text, error, fmt)
    if error is None:
        error = "not a JSON object"
    return Item(ids.derived(where, where), f"{name}:{line}", error=f"line {line}: {error}")


def _url_record(item: Item, load: bool) -> None:
    """A record with a ``url`` and no text: its page is fetched (now, or where ``load_item`` runs)."""
    url, item.text, item.fmt = item.text, None, "html"
    item.ref = {"url": url, "link": {"url": url}}
    if load:
        load_item(item)


def iter_jsonl(path: str | os.PathLike, max_line_bytes: int) -> Iterator[tuple[int, int, Any, str | None]]:
    """``(line number, byte offset, value, error)`` for each non-blank line of a JSON Lines file.

    Each line is read with a bound (a longer one is skipped, never held, and reported in
    ``error``); a line that is not UTF-8 JSON has ``error`` set and ``value`` None. Raises
    :class:`InputError` for something that is not a regular file (a device, a folder), OSError
    when it cannot be opened.
    """
    with open(path, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise InputError("not a regular file")
        number = 0
        while True:
            offset = fh.tell()
            line = fh.readline(max_line_bytes + 1)
            if not line:
                return
            number += 1
            if len(line) > max_line_bytes and not line.endswith(b"\n"):
                while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass  # skip the rest of an oversized line without holding it
            if line.strip():
                yield (number, offset, *_parse_line(line, max_line_bytes))


def _jsonl_items(path: str, name: str, rel: str, limits: Limits, ids: _Ids, record_lines: dict[str, str],
                 load: bool, problems: list[str] | None) -> Iterator[Item]:
    try:
        for number, offset, record, error in iter_jsonl(path, limits.file_bytes):
            item = _record_item(record, error, number, name, rel, ids, record_lines, problems)
            if item.fmt == "url":
                _url_record(item, load)
            elif not load:
                item.text = None
                if item.error is None:
                    item.ref = {"jsonl": name, "offset": offset}
            yield item
    except InputError as exc:
        yield Item(ids.derived(_stem(rel), rel), name, error=str(exc))
    except OSError as exc:
        yield Item(ids.derived(_stem(rel), rel), name, error=_os_message(exc))


def _parquet_items(path: str, name: str, rel: str, ids: _Ids, record_lines: dict[str, str], load: bool,
                   problems: list[str] | None) -> Iterator[Item]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield Item(ids.derived(_stem(rel), rel), name,
                   error="reading Parquet needs pyarrow: pip install 'viensum[ray]'")
        return
    try:
        parquet = pq.ParquetFile(path)
        columns = parquet.schema_arrow.names
        missing = [c for c in ("id", "text") if c not in columns]
        if missing:
            raise InputError(f"records need 'id' and 'text' columns; missing {', '.join(missing)}")
        row = 0
        for batch in parquet.iter_batches(columns=["id", "text"] if load else ["id"], batch_size=1024):
            id_column = batch.column("id").to_pylist()
            texts = batch.column("text").to_pylist() if load else [None] * len(id_column)
            for rid, text in zip(id_column, texts):
                row += 1
                record = {"id": rid, "text": text} if load else {"id": rid}
                item = _record_item(record, None, row, name, rel, ids, record_lines, problems)
                if not load:
                    item.text = None
                    item.error = None if item.error == 'no "text" field' else item.error
                    if item.error is None:
                        item.ref = {"parquet": name, "row": row - 1}
                yield item
    except InputError as exc:
        yield Item(ids.derived(_stem(rel), rel), name, error=str(exc))
    except Exception as exc:  # noqa: BLE001 - pyarrow's many error types for a damaged file
        yield Item(ids.derived(_stem(rel), rel), name, error=f"cannot read this Parquet file ({type(exc).__name__})")


_ROW_GROUP_CACHE: dict[tuple, list] = {}  # the last row group read by load_item (workers read rows in order)


def _parquet_text(path: str, row: int) -> str | None:
    """The ``text`` of one row of a Parquet file (row 0 first), reading only its row group."""
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(path)
    meta = parquet.metadata
    for group in range(meta.num_row_groups):
        rows = meta.row_group(group).num_rows
        if row < rows:
            key = (path, os.stat(path).st_mtime_ns, group)
            if key not in _ROW_GROUP_CACHE:
                _ROW_GROUP_CACHE.clear()
                _ROW_GROUP_CACHE[key] = parquet.read_row_group(group, columns=["text"]).column("text").to_pylist()
            value = _ROW_GROUP_CACHE[key][row]
            return value if isinstance(value, str) else None
        row -= rows
    raise InputError(f"{printable(path)} has no row {row}; it changed since it was listed")


# ---------------------------------------------------------------- zip archives


def zip_members(archive: zipfile.ZipFile, limits: Limits) -> list[zipfile.ZipInfo]:
    """The article members, after checking the count and declared sizes (nothing is inflated here)."""
    infos = archive.infolist()
    if len(infos) > limits.zip_members:
        raise InputError(f"the archive has {len(infos):,} entries; the limit is {limits.zip_members:,}")
    members = [i for i in infos if not i.is_dir() and not i.filename.startswith("__MACOSX/")
               and not os.path.basename(i.filename.rstrip("/")).startswith(".")]
    total = sum(i.file_size for i in members)
    if total > limits.zip_bytes:
        raise InputError(f"the archive unpacks to {total:,} bytes; the limit is {limits.zip_bytes:,}")
    return members


def _declared_entries(path: str) -> int | None:
    """The entry count the archive's end record declares, read from its last bytes (None: not found,
    and zipfile will say what is wrong)."""
    with open(path, "rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        fh.seek(max(0, size - (1 << 16) - 22))  # the end record, after at most a 64 KB comment
        tail = fh.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) < at + 22:
            return None
        count = struct.unpack("<H", tail[at + 10:at + 12])[0]
        locator = tail.rfind(b"PK\x06\x07", 0, at)
        if count == 0xFFFF and locator >= 0 and len(tail) >= locator + 20:  # zip64: the count is elsewhere
            fh.seek(struct.unpack("<Q", tail[locator + 8:locator + 16])[0])
            record = fh.read(56)
            if record[:4] == b"PK\x06\x06" and len(record) == 56:
                count = struct.unpack("<Q", record[32:40])[0]
        return count


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> bytes:
    if info.file_size > limits.file_bytes:
        raise InputError(f"{info.file_size:,} bytes, over the {limits.file_bytes:,}-byte limit")
    with archive.open(info) as fh:  # streamed: never more than the cap in memory, whatever the header says
        data = fh.read(limits.file_bytes + 1)
    if len(data) > limits.file_bytes:
        raise InputError(f"over the {limits.file_bytes:,}-byte limit")
    return data


def _zip_items(path: str, name: str, rel: str, limits: Limits, ids: _Ids, load: bool,
               totals: _Totals | None = None) -> Iterator[Item]:
    def failed(message: str) -> Item:
        return Item(ids.derived(_stem(rel), rel), name, error=message)

    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            yield failed("not a regular file")
            return
        if info.st_size > limits.zip_bytes:
            yield failed(f"the archive is {info.st_size:,} bytes; the limit is {limits.zip_bytes:,}")
            return
        entries = _declared_entries(path)
        if entries is not None and entries > limits.zip_members:  # before zipfile parses every entry
            yield failed(f"the archive has {entries:,} entries; the limit is {limits.zip_members:,}")
            return
        archive = zipfile.ZipFile(path)
    except OSError as exc:
        yield failed(_os_message(exc))
        return
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        yield failed("not a valid .zip archive")
        return
    with archive:
        try:
            members = zip_members(archive, limits)
        except InputError as exc:
            yield failed(str(exc))
            return
        if totals is not None:  # refused before inflating anything when its declared size is over what is left
            declared = sum(i.file_size for i in members if _ext(i.filename) in ARTICLE_EXTENSIONS)
            totals.check_bytes(declared, f"{name}, unpacking to {declared:,} bytes,")
        for info in members:
            member = printable(info.filename)
            ext = _ext(info.filename)
            item = Item(ids.derived(f"{rel}/{_stem(member)}", f"{rel}/{member}"), f"{name}/{member}",
                        fmt="html" if ext in HTML_EXTENSIONS else None,
                        ref={"zip": name, "member": info.filename})
            if ext not in ARTICLE_EXTENSIONS:
                item.error = f"unsupported file type '{ext or '(none)'}'; use one of {', '.join(ARTICLE_EXTENSIONS)}"
            elif load:
                def read(info=info) -> bytes:
                    try:
                        return _read_member(archive, info, limits)
                    except InputError:
                        raise
                    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, RuntimeError) as exc:
                        # a damaged member, or an encrypted one (RuntimeError)
                        raise InputError(f"cannot unpack this member ({type(exc).__name__})") from None
                _fill(item, read, ext, limits, totals)
            yield item
