"""Hostile documents the tests build themselves: a .docx whose XML inflates far past its size,
a PDF whose pages all share one content stream, a batch of zips each within its own limits."""
from __future__ import annotations

import io
import zipfile
import zlib

_CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                  'package/2006/content-types"><Default Extension="rels" ContentType="application/'
                  'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
                  '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
                  'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
         'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
         'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx(paragraphs: int, text: str = "Hà Nội hôm nay mưa lớn.") -> bytes:
    """A valid .docx of ``paragraphs`` paragraphs: 10 MB of XML is about 160,000 of them, ~100 KB zipped."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>'.encode())
            para = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()
            for _ in range(paragraphs):
                fh.write(para)
            fh.write(b"</w:body></w:document>")
    return out.getvalue()


def pdf(pages: int, stream_lines: int = 200, line: str = "Ha Noi hom nay mua lon, nuoc ngap nhieu tuyen pho.",
        shared: bool = True, numbered: bool = False, inherit: bool = False, nested: bool = False,
        drawing: int = 0) -> bytes:
    """A PDF of ``pages`` pages whose content is one stream of ``stream_lines`` text lines,
    shared by every page (``shared=False``: a stream of its own per page; ``numbered``: each
    page's lines end with its number, so pages differ; ``inherit``: the pages take their
    resources from the page tree, as many PDF writers do; ``nested``: the tree has two levels, its
    pages under two /Pages nodes that hold the resources; ``drawing``: each stream first draws
    that many lines, 14 bytes each and no text)."""
    def stream_of(text: str) -> bytes:
        ops = "0 0 m 1 1 l S\n" * drawing + "".join(f"BT /F1 10 Tf 20 {780 - (k % 70) * 11} Td ({text}) Tj ET\n" for k in range(stream_lines))
        stream = zlib.compress(ops.encode("latin-1"), 9)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"

    objects: list[bytes] = []  # object k+1 is objects[k]
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    objects += [b"", b"", font, stream_of(line)]  # 1 catalog, 2 pages, 3 font, 4 the shared content
    resources = b"/Resources << /Font << /F1 3 0 R >> >>"
    kids = []
    for p in range(pages):
        contents = 4
        if not shared or numbered:
            objects.append(stream_of(f"{line} {p + 1}" if numbered else line))
            contents = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R %s>>"
                       % (contents, b"" if inherit else resources + b" "))
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    own = resources + b" " if inherit else b""
    if nested:
        halves = [kids[:pages // 2], kids[pages // 2:]]
        for half in halves:
            objects.append(b"<< /Type /Pages /Parent 2 0 R /Count %d /Kids [%s] %s>>"
                           % (len(half), b" ".join(b"%d 0 R" % k for k in half), own))
        kids, own = [len(objects) - 1, len(objects)], b""
    objects[1] = b"<< /Type /Pages /Count %d /Kids [%s] %s>>" % (pages, b" ".join(b"%d 0 R" % k for k in kids), own)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def zip_of_zeros(members: int, member_bytes: int) -> bytes:
    """A zip of ``members`` .txt members of ``member_bytes`` each (mostly spaces, so they pass as text)."""
    out = io.BytesIO()
    body = ("Hà Nội mưa lớn. " + " " * 4096) * (member_bytes // 4116 + 1)
    data = body.encode()[:member_bytes]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for k in range(members):
            zf.writestr(f"m{k:03d}.txt", data)
    return out.getvalue()
