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

The package, one job per module:

* :mod:`~viensum.inputs.items`: the item model: the file types, :class:`Item`, :class:`Limits`
  and the run's totals, printable names and run-unique ids;
* :mod:`~viensum.inputs.sources`: what the inputs name: files, folders, globs, stdin, URLs and URL lists;
* :mod:`~viensum.inputs.files`: one article file read and decoded within the limits (.txt, HTML, .docx, .pdf);
* :mod:`~viensum.inputs.records`: JSON Lines and Parquet records;
* :mod:`~viensum.inputs.archives`: zip archives, checked before any member is inflated;
* this module: the public API and the dispatcher (:func:`read_items`, :func:`load_item`).
"""
from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator, Sequence

from viensum.errors import InputError
from viensum.inputs.archives import read_member, zip_items, zip_members
from viensum.inputs.files import (MAX_INVALID_UTF8_SHARE, _counted, _fill, _over_chars, decode_document, decode_text,
                                  read_file, read_stdin)
from viensum.inputs.items import (ARCHIVE_EXTENSIONS, ARTICLE_EXTENSIONS, DOCUMENT_EXTENSIONS, FEED_EXTENSIONS,
                                  HTML_EXTENSIONS, INPUT_EXTENSIONS, JSONL_EXTENSIONS, PARQUET_EXTENSIONS,
                                  RECORD_EXTENSIONS, TEXT_EXTENSIONS, Item, Limits, _ext, _Ids, _stem, _Totals,
                                  printable, summary_input, unprintable)
from viensum.inputs.records import (TEXT_FIELDS, _jsonl_items, _parquet_items, _parquet_text, _parse_line,
                                    _record_text, iter_jsonl)
from viensum.inputs.sources import STDIN, _is_url, _Source, _sources, _url_list, input_paths


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
        yield from zip_items(source.path, name, rel, limits, ids, load, totals)
    else:
        item = Item(ids.derived(_stem(rel), rel), name, fmt="html" if ext in HTML_EXTENSIONS else None,
                    ref={"file": name, "ext": ext})
        # a file named on its own is an article whatever its extension (a page saved without one);
        # folders and globs only pick up the known types
        if load:
            _fill(item, lambda: read_file(source.path, limits.file_bytes), ext, limits, totals)
        yield item


def _link_items(source: _Source, name: str, limits: Limits, ids: _Ids, load: bool) -> Iterator[Item]:
    from viensum.fetch import items as fetched

    if _is_url(source.path):
        yield from fetched.url_items(source.path, limits, ids, load=load)
    elif source.listing or _ext(source.path) in FEED_EXTENSIONS:
        yield from fetched.listing_items(source.path, name, limits, ids, load=load)
    else:
        for url in _url_list(source.path, limits) or []:
            yield from fetched.url_items(url, limits, ids, load=load)


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
                return read_member(archive, archive.getinfo(ref["member"]), limits)

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


__all__ = ["ARCHIVE_EXTENSIONS", "ARTICLE_EXTENSIONS", "DOCUMENT_EXTENSIONS", "FEED_EXTENSIONS", "HTML_EXTENSIONS",
           "INPUT_EXTENSIONS", "JSONL_EXTENSIONS", "MAX_INVALID_UTF8_SHARE", "PARQUET_EXTENSIONS", "RECORD_EXTENSIONS",
           "STDIN", "TEXT_EXTENSIONS", "TEXT_FIELDS", "Item", "Limits", "decode_document", "decode_text",
           "input_paths", "iter_items", "iter_jsonl", "list_items", "load_item", "printable", "read_file",
           "read_items", "read_stdin", "summary_input", "unprintable", "zip_members"]
