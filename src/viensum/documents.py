"""Text out of .docx and .pdf files, bounded in size, characters, time and memory.

Word and PDF files are small containers for much larger work: a 213 KB .docx can hold
50 MB of XML, and a 7 KB PDF can point 2,000 pages at one 1 MB content stream. So:

* a .docx's parts are checked from the zip directory before anything is inflated
  (entry count, the declared size of its XML parts and of everything);
* text is gathered paragraph by paragraph (page by page for a PDF) and the reading stops
  as soon as it passes the character limit; a PDF page whose content streams and resources
  were already read (a shared stream) is not read again, its text is counted again; a PDF's
  pages are taken from its page tree one at a time, and a long content stream is read a
  prefix at a time (the text of its first 32 KB counts for every page showing it), so a
  bomb is refused after a few hundred pages and a few KB of its stream, never read whole;
* the third-party parser (python-docx, pypdf) runs in a child process with a wall-clock
  budget and an address-space limit, so whatever it meets, reading ends in bounded time
  and memory with one clear message.

:func:`document_text` is what :func:`viensum.inputs.decode_document` calls. This module
imports only the standard library at the top: the child process runs it as a script
(``python -I documents.py``), without importing viensum.
"""
from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import zipfile
from dataclasses import asdict, dataclass

DOCUMENT_EXTENSIONS = (".docx", ".pdf")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentLimits:
    """What reading one document may take; :class:`viensum.inputs.Limits` carries the same values."""

    chars: int = 5_000_000              # characters of text gathered, then reading stops
    parts: int = 10_000                 # entries in a .docx's zip directory
    xml_bytes: int = 10_000_000         # declared unpacked size of a .docx's XML parts
    unpacked_bytes: int = 500_000_000   # declared unpacked size of all of a .docx's parts (media included)
    seconds: float = 30.0               # wall-clock budget of the reader process
    memory: int = 1_000_000_000         # address space of the reader process, bytes


class DocumentError(Exception):
    """The document cannot be read within the limits; the message is for the user."""


# what a user can do about a document the readers choke on
UNREADABLE = {
    ".pdf": "this PDF cannot be read (damaged, password-protected, or not really a PDF); "
            "open it and paste its text instead",
    ".docx": "this is not a Word document that can be read (damaged, or an old .doc renamed); "
             "open it and paste its text instead",
}


def _too_long(chars: int, limit: int) -> DocumentError:
    return DocumentError(f"the text passes {chars:,} characters, over the {limit:,}-character limit")


# ---------------------------------------------------------------- checks made before parsing


def check_docx(data: bytes, limits: DocumentLimits) -> None:
    """Refuse a .docx from its zip directory alone: nothing is inflated here."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise DocumentError(UNREADABLE[".docx"]) from None
    if len(infos) > limits.parts:
        raise DocumentError(f"this .docx has {len(infos):,} parts; the limit is {limits.parts:,}")
    xml = sum(i.file_size for i in infos if i.filename.lower().endswith((".xml", ".rels")))
    if xml > limits.xml_bytes:
        raise DocumentError(f"this .docx's XML unpacks to {xml:,} bytes, over the {limits.xml_bytes:,}-byte limit")
    total = sum(i.file_size for i in infos)
    if total > limits.unpacked_bytes:
        raise DocumentError(f"this .docx unpacks to {total:,} bytes, over the {limits.unpacked_bytes:,}-byte limit")


# ---------------------------------------------------------------- the readers (run in the child)


def docx_text(data: bytes, limits: DocumentLimits) -> str:
    import docx

    check_docx(data, limits)
    document = docx.Document(io.BytesIO(data))
    parts, count = [], 0
    for paragraph in document.paragraphs:
        text = paragraph.text
        if text.strip():
            count += len(text) + 2
            if count > limits.chars:
                raise _too_long(count, limits.chars)
            parts.append(text)
    return "\n\n".join(parts)


def _canonical(obj, depth: int = 0):
    """A hashable key for a PDF object as written (references not followed): equal keys, equal objects."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if isinstance(obj, IndirectObject):
        return ("ref", obj.idnum, obj.generation)
    if depth > 8:
        return ("deep", id(obj))
    if isinstance(obj, DictionaryObject):
        return ("dict", tuple(sorted((str(k), _canonical(v, depth + 1)) for k, v in obj.items())))
    if isinstance(obj, ArrayObject):
        return ("array", tuple(_canonical(v, depth + 1) for v in obj))
    return ("value", id(obj)) if hasattr(obj, "get_data") else ("value", repr(obj))


PDF_WHOLE_READ = 262_144  # a page's content stream up to this size is read whole at once;
PDF_FIRST_READ = 32_768    # a longer one: its first bytes, then four times more each further round
_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")  # what a page takes from its page-tree parents


def _pages(reader):
    """The pages in order, each read from the page tree only when reached (pypdf's ``reader.pages``
    parses every page object before giving the first): a bomb is refused after its first pages.
    A /Pages node is entered once (no cycle, no tree that multiplies itself); a page may repeat."""
    from pypdf import PageObject
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    end = object()
    stack, entered = [(iter([reader.root_object.get("/Pages")]), {})], set()
    while stack:
        kids, inherited = stack[-1]
        kid = next(kids, end)
        if kid is end:
            stack.pop()
            continue
        node = kid.get_object() if kid is not None else None
        if not isinstance(node, DictionaryObject) or not node:
            continue
        if node.get("/Type") == "/Pages" or ("/Kids" in node and node.get("/Type") != "/Page"):
            if id(node) not in entered:
                entered.add(id(node))
                grand = node.get("/Kids")
                grand = grand.get_object() if grand is not None else None
                mine = {**inherited, **{k: v for k, v in node.items() if k in _INHERITED}}
                stack.append((iter(grand if isinstance(grand, ArrayObject) else ()), mine))
            continue
        page = PageObject(reader, kid if isinstance(kid, IndirectObject) else None)
        if not isinstance(kid, IndirectObject):
            page.update(node)
        for key, value in inherited.items():
            if key not in page:
                page[key] = value
        yield page


class _PageText:
    """The text of one page's content (shared by ``pages`` pages), read a prefix at a time:
    the text of a stream's first bytes is a lower bound of the whole stream's text."""

    def __init__(self, page) -> None:
        self.page, self.pages, self.text, self.read = page, 0, "", 0
        contents = page.get_contents()
        self.size = len(contents.get_data()) if contents is not None else 0

    @property
    def complete(self) -> bool:
        return self.read >= self.size

    def read_more(self) -> int:
        """Read four times more of the stream (the first time: all of it up to ``PDF_WHOLE_READ`` bytes,
        else ``PDF_FIRST_READ`` bytes; after a read that found no text, all of it); the characters gained."""
        first = self.size if self.size <= PDF_WHOLE_READ else PDF_FIRST_READ
        before = len(self.text)
        self.read = first if not self.read else self.read * 4 if self.text else self.size
        if self.complete:
            self.text = self.page.extract_text() or ""
        else:
            self.text = _prefix_text(self.page, self.read)
        return len(self.text) - before


def _prefix_text(page, size: int) -> str:
    """The text of the first ``size`` bytes of a page's content (cut at a line end); "" when that
    cut leaves something pypdf cannot parse (inside a string or an inline image)."""
    from pypdf import PageObject
    from pypdf.generic import DecodedStreamObject, NameObject

    data = page.get_contents().get_data()
    cut = data.rfind(b"\n", 0, size) + 1 or size
    trial = PageObject(page.pdf)
    trial.update(page)
    stream = DecodedStreamObject()
    stream.set_data(data[:cut])
    trial[NameObject("/Contents")] = stream
    try:
        return trial.extract_text() or ""
    except Exception:  # noqa: BLE001 - a cut through an operand; the whole page is read later anyway
        return ""


def pdf_text(data: bytes, limits: DocumentLimits) -> str:
    """Pages in order, each distinct content read once. A content stream over ``PDF_WHOLE_READ`` bytes
    is read a prefix at a time: its first ``PDF_FIRST_READ`` bytes, whose text counts for every page
    that shows it, then (once every page is seen) growing reads, the streams shown most first. The
    count approaches the real one from below, and reading stops when it passes ``limits.chars`` (a
    1 MB stream on 2,000 pages: after its first 32 KB, on the first ~250 pages)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    texts: dict = {}  # (contents, resources) as written -> _PageText
    order, count = [], 0
    for page in _pages(reader):
        key = (_canonical(page.get("/Contents")), _canonical(page.get("/Resources")))
        if key not in texts:
            texts[key] = _PageText(page)
            texts[key].read_more()
        entry = texts[key]
        entry.pages += 1
        count += len(entry.text) + 2
        if count > limits.chars:
            raise _too_long(count, limits.chars)
        order.append(entry)
    for entry in sorted(texts.values(), key=lambda e: -e.pages):  # streams longer than their first read,
        while not entry.complete:  # the most shown first
            count += entry.read_more() * entry.pages
            if count > limits.chars:
                raise _too_long(count, limits.chars)
    return "\n\n".join(entry.text for entry in order)


def read_in_process(data: bytes, ext: str, limits: DocumentLimits) -> str:
    """The text of a document, read here (the child process calls this). Raises DocumentError,
    ImportError for a missing reader, and anything the parser raises for a damaged file."""
    return docx_text(data, limits) if ext == ".docx" else pdf_text(data, limits)


def _child_main() -> None:
    """``python documents.py LIMITS-JSON EXT`` < bytes: prints ``{"text"}`` or ``{"error", "kind"}``."""
    import resource

    limits = DocumentLimits(**json.loads(sys.argv[1]))
    ext = sys.argv[2]
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory, limits.memory))
    cpu = int(limits.seconds) + 2
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    data = sys.stdin.buffer.read()
    try:
        reply = {"text": read_in_process(data, ext, limits)}
    except DocumentError as exc:
        reply = {"kind": "limit", "error": str(exc)}
    except ImportError as exc:
        reply = {"kind": "import", "error": exc.name or str(exc)}
    except MemoryError:
        reply = {"kind": "memory", "error": ""}
    except Exception as exc:  # noqa: BLE001 - a damaged file: the parent says so in the user's words
        reply = {"kind": "unreadable", "error": f"{type(exc).__name__}: {exc}"[:500]}
    sys.stdout.write(json.dumps(reply))


# ---------------------------------------------------------------- the parent side


def document_text(data: bytes, ext: str, limits: DocumentLimits = DocumentLimits()) -> str:
    """The paragraphs' text of a .docx or .pdf, read in a child process within ``limits``.

    Raises :class:`DocumentError` with a message for the user (over a limit, too slow,
    too much memory, damaged) and :class:`ImportError` when the reader is not installed.
    """
    ext = ext.lower()
    if ext == ".docx":
        check_docx(data, limits)  # a docx bomb is refused here, without starting a process
    command = [sys.executable, "-I", os.path.abspath(__file__), json.dumps(asdict(limits)), ext]
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=limits.seconds)
    except subprocess.TimeoutExpired:
        raise DocumentError(f"reading this {ext} file took longer than {limits.seconds:g} s; "
                            "open it and paste its text instead") from None
    try:
        reply = json.loads(done.stdout)
    except ValueError:
        reply = {"kind": "memory" if done.returncode != 0 else "unreadable", "error": done.stderr[-500:].decode(
            "utf-8", "replace")}
    if "text" in reply:
        return reply["text"]
    kind = reply.get("kind")
    if kind == "limit":
        raise DocumentError(reply["error"])
    if kind == "import":
        raise ImportError(reply["error"], name=reply["error"])
    if kind == "memory":
        raise DocumentError(f"reading this {ext} file needs more than {limits.memory:,} bytes of memory; "
                            "open it and paste its text instead")
    log.info("cannot read a %s file: %s", ext, reply.get("error", ""))
    raise DocumentError(UNREADABLE[ext])


if __name__ == "__main__":
    _child_main()
