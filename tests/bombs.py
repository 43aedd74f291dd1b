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
        shared: bool = True) -> bytes:
    """A PDF of ``pages`` pages whose content is one stream of ``stream_lines`` text lines,
    shared by every page (``shared=False``: a stream of its own per page)."""
    ops = "".join(f"BT /F1 10 Tf 20 {780 - (k % 70) * 11} Td ({line}) Tj ET\n" for k in range(stream_lines))
    stream = zlib.compress(ops.encode("latin-1"), 9)
    objects: list[bytes] = []  # object k+1 is objects[k]
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    content = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"
    objects += [b"", b"", font, content]  # 1 catalog, 2 pages, 3 font, 4 the shared content
    kids = []
    for p in range(pages):
        contents = 4
        if not shared:
            objects.append(content)
            contents = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> >>" % contents)
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, b" ".join(b"%d 0 R" % k for k in kids))
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
