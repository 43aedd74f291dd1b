"""Text out of .docx and .pdf files, bounded in size, characters, time and memory.

Word and PDF files are small containers for much larger work: a 213 KB .docx can hold
50 MB of XML, and a 7 KB PDF can point 2,000 pages at one 1 MB content stream. So:

* a .docx's parts are checked from the zip directory before anything is inflated
  (entry count, the declared size of its XML parts and of everything);
* text is gathered paragraph by paragraph (page by page for a PDF) and the reading stops
  as soon as it passes the character limit; a PDF page whose content streams and resources
  were already read (a shared stream) is not read again, its text is counted again;
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


def pdf_text(data: bytes, limits: DocumentLimits) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    seen: dict = {}  # (contents, resources) already read -> their text: a shared stream is read once
    parts, count = [], 0
    for page in reader.pages:
        raw = page.get_object()
        key = (_canonical(raw.get("/Contents")), _canonical(raw.get("/Resources")))
        if key not in seen:
            seen[key] = page.extract_text() or ""
        text = seen[key]
        count += len(text) + 2
        if count > limits.chars:
            raise _too_long(count, limits.chars)
        parts.append(text)
    return "\n\n".join(parts)


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
