"""``page_text``: a parsed HTML page's visible text, roughly as a browser's innerText shows it."""
from __future__ import annotations

import re

from viensum.text import normalize_text


_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption dd div dl dt fieldset figcaption figure footer form h1 h2 h3 "
    "h4 h5 h6 header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split())
_PARAGRAPH_TAGS = frozenset("p h1 h2 h3 h4 h5 h6".split())  # a blank line around them, as a browser's copy has
_HIDDEN_TAGS = frozenset("script style noscript template head title svg iframe object select".split())
_SOURCE_BREAKS_RE = re.compile(r"[ \t]*[\r\n][ \t\r\n]*")
_BR, _IMG = 0, -1  # page_text's marks for a line break and a picture


def page_text(tree) -> str:
    """The visible text of a parsed HTML page, roughly as a browser's innerText shows it.

    A plain-Python stand-in: no layout, no CSS, so hidden elements show. Blocks
    start new lines; paragraphs and headings are set off by a blank line; a
    ``<br>`` is a line break of its own, and a picture an empty line, so a picture
    before its caption (``<img><br>caption``, or a table row of its own) leaves the
    extra blank line a browser copy has there.
    Used to list what the HTML extractor dropped, and by the tests to turn saved
    pages into page text without a browser.
    """
    from lxml import etree

    parts: list[str | int] = []  # text, _BR, _IMG, or the line breaks a block boundary asks for (1 or 2)
    hidden = 0
    for event, el in etree.iterwalk(tree, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if hidden or tag in _HIDDEN_TAGS or not tag:
                hidden += 1
                continue
            if tag in _BLOCK_TAGS:
                parts.append(2 if tag in _PARAGRAPH_TAGS else 1)
            elif tag == "br":
                parts.append(_BR)
            elif tag == "img":
                parts.append(_IMG)
            if el.text:
                parts.append(el.text)
        else:
            if hidden:
                hidden -= 1
                if hidden:
                    continue
            elif tag in _BLOCK_TAGS:
                parts.append(2 if tag in _PARAGRAPH_TAGS else 1)
            if el.tail:
                parts.append(el.tail)
    out: list[str] = []
    pending = 0  # adjacent block boundaries give the most line breaks any of them asks for, not their sum
    for part in parts:
        if isinstance(part, int) and part > 0:
            pending = max(pending, part)
        elif part in (_BR, _IMG) or part.strip():
            if pending and out:
                out.append("\n" * pending)
            pending = 0
            # line breaks in the HTML source are spaces, inside a text as between elements
            out.append("\n" if part == _BR else "" if part == _IMG else _SOURCE_BREAKS_RE.sub(" ", part))
        elif out and pending == 0:
            out.append(" ")  # white space between inline elements (source line breaks are not breaks)
    lines = [line.strip() for line in normalize_text("".join(out)).split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines).strip("\n")
