"""What the web app reads from one request, within its bounds: an uploaded document, a batch of
uploads (zip members, records, lists of links), the size of pasted text.

The bounds are here, each with a clear message when exceeded; reading itself is
:mod:`viensum.inputs`, and links in uploads are fetched through the app's SSRF guard
(:func:`viensum.ui.links.server_fetcher`).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from viensum.ui import links as ui_links
from viensum.errors import InputError
from viensum.inputs import ARTICLE_EXTENSIONS, INPUT_EXTENSIONS

# Bounds on the work one request may ask for; each has a clear message when exceeded.
MAX_FILE_SIZE = "10mb"            # per uploaded file, enforced by Gradio before the handler runs
MAX_FILE_BYTES = 10 * 1024 * 1024  # the same limit for files inside a .zip
MAX_INPUT_CHARS = 2_000_000       # raw input (a saved HTML page is mostly markup)
MAX_ARTICLE_CHARS = 50_000        # the cleaned article: several times a long news story
MAX_BATCH_ITEMS = 200             # articles per batch, after unpacking .zip / .jsonl
DOCUMENT_TYPES = ARTICLE_EXTENSIONS
BATCH_TYPES = INPUT_EXTENSIONS
MAX_ZIP_BYTES = 100 * 1024 * 1024  # declared uncompressed size of one uploaded .zip, checked before unpacking
# the whole batch, counted as it is read (viensum.inputs.Limits); request bodies: viensum.httpguard
MAX_BATCH_BYTES = 50_000_000      # bytes read or unpacked from all the uploads of one request together
MAX_BATCH_CHARS = MAX_BATCH_ITEMS * MAX_ARTICLE_CHARS  # characters of text in one batch
MAX_DOCUMENT_XML_BYTES = 5_000_000  # a .docx's XML, checked from its zip directory
READ_SECONDS = 15.0               # reading one .docx/.pdf (a child process), then it is refused
READ_MEMORY = 768 * 1024 * 1024   # that child's address space


def read_document(path: str | Path, data: bytes | None = None) -> tuple[str, str | None]:
    """Return (text, format) of an uploaded document; format is "html" for web pages, else None.

    ``data`` gives the bytes when they do not come from ``path``. .docx and .pdf
    are reduced to their paragraphs' text (:func:`viensum.inputs.decode_document`).
    """
    from viensum import inputs

    name = Path(path).name
    ext = Path(name).suffix.lower()
    if ext not in DOCUMENT_TYPES:
        raise InputError(f"{name}: unsupported file type '{ext or '(none)'}'; "
                         f"use one of {', '.join(DOCUMENT_TYPES)}")
    try:
        data = inputs.read_file(path, MAX_FILE_BYTES) if data is None else data
        text = inputs.decode_document(data, ext, app_limits())
    except InputError as exc:
        raise InputError(f"{name}: {exc}") from None
    if not text.strip():
        raise InputError(f"{name}: no text found in the file")
    return text, ("html" if ext in inputs.HTML_EXTENSIONS else None)


def app_limits():
    """What the app reads from one request (:class:`viensum.inputs.Limits`)."""
    from viensum import inputs

    return inputs.Limits(file_bytes=MAX_FILE_BYTES, zip_members=MAX_BATCH_ITEMS * 2, zip_bytes=MAX_ZIP_BYTES,
                         items=MAX_BATCH_ITEMS, text_chars=MAX_INPUT_CHARS,
                         document_xml_bytes=MAX_DOCUMENT_XML_BYTES, read_seconds=READ_SECONDS,
                         read_memory=READ_MEMORY, total_bytes=MAX_BATCH_BYTES, total_chars=MAX_BATCH_CHARS)


def check_size(text: str, what: str = "The input") -> None:
    if len(text) > MAX_INPUT_CHARS:
        raise InputError(f"{what} is {len(text):,} characters long; the limit is {MAX_INPUT_CHARS:,}")


def file_path(file: Any) -> str | None:
    """Gradio gives a path string; older clients an object with .name."""
    if file is None or file == "":
        return None
    return str(getattr(file, "name", file))


def batch_items(paths: list[str]) -> list:
    """Unpack the uploaded files into articles (:func:`viensum.inputs.read_items`: .zip members and
    .jsonl/.parquet records become one each, ids as everywhere else).

    A file that cannot be read becomes an item with its error, so it gets a row
    of its own and does not stop the others. ``name`` is shown without the server's upload folder.
    """
    from viensum import inputs
    from viensum.fetch.items import fetching_with

    limits = app_limits()
    paths = [os.path.abspath(p) for p in paths]
    folders = sorted({inputs.printable(os.path.dirname(p)) + "/" for p in paths}, key=len, reverse=True)
    try:
        with fetching_with(ui_links.server_fetcher()):  # links in uploaded lists, records, feeds: the SSRF guard
            items = list(inputs.read_items(paths, limits))
    except InputError as exc:
        if "at most" in str(exc):
            raise InputError(f"A batch holds at most {MAX_BATCH_ITEMS} articles; "
                             "split it, or use the command line: viensum summarize FILES") from None
        raise InputError(_without(str(exc), folders)) from None
    for item in items:  # each row names its file, not the server's upload folder
        item.name = _without(item.name, folders)
    return items


def _without(text: str, folders: list[str]) -> str:
    for folder in folders:
        text = text.replace(folder, "")
    return text
