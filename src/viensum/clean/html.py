"""HTML: trafilatura's main content and metadata, the page's own blocks, figures and italic captions."""
from __future__ import annotations

import logging
import re

from viensum.clean.decide import clean_lines
from viensum.clean.render import page_text
from viensum.clean.rules import BYLINE_PREFIX_RE
from viensum.errors import InputError
from viensum.results import Article, Removed
from viensum.text import normalize_text, words

log = logging.getLogger(__name__)


def clean_html(html: str) -> Article:
    import trafilatura  # heavy: lxml, dateparser...
    from trafilatura.utils import load_html

    doc = None
    captions: set[str] = set()
    shown = ""
    tree = load_html(html)
    if tree is not None:
        shown = page_text(tree)  # before extraction, which prunes the tree
        captions = _flatten_figures(tree) | _italic_captions(tree)
        try:
            doc = trafilatura.bare_extraction(
                tree, with_metadata=True, include_comments=False, include_tables=True, include_images=False,
                favor_recall=True, deduplicate=False)
        except Exception as exc:  # trafilatura surfaces lxml failures as assorted exceptions
            log.debug("trafilatura failed: %s", exc)
    warnings: list[str] = []
    body = (getattr(doc, "text", None) or "") if doc is not None else ""
    if not body.strip():
        # Broken or unusual markup: fall back to all visible text and let the line rules judge it.
        try:
            body = trafilatura.html2txt(html)
        except Exception as exc:
            raise InputError(f"cannot parse the HTML: {exc}") from None
        warnings.append("main-content extraction found nothing; used all visible text")
    title = normalize_text(getattr(doc, "title", None) or "").strip() if doc is not None else ""
    title = _printed_headline(shown, [title, _page_title(tree)]) or title
    description = normalize_text(getattr(doc, "description", None) or "").strip() if doc is not None else ""
    lines = body.splitlines()
    longest = max(lines, key=len, default="").strip(" |")
    if len(longest.split()) > _FLATTENED_WORDS and normalize_text(longest) not in shown.split("\n"):
        # a layout table extracted as one table cell: the whole page on one line
        warnings.append("the extractor ran the page's layout table together; used the page's text blocks")
        lines = shown.split("\n")
    # a table row "| cell | cell |" is one line per cell: layout tables put steps and captions in cells
    lines = [cell for line in lines for cell in (_TABLE_CELL_RE.split(line) if line.startswith("|") else [line])]
    first = next((l for l in (normalize_text(x).strip() for x in lines) if l), "")
    # trafilatura keeps a printed lead (sapo) only when it sits inside the article block; bring it
    # back when the page prints the meta description as a paragraph, as most Vietnamese sites do.
    if description and description not in body and first != description and len(words(description)) >= 8:
        if description in shown or description in normalize_text(" ".join(shown.split())):
            lines = [description, ""] + lines
    article = clean_lines(lines, known_title=title, input_format="html", captions=captions)
    article.removed.extend(_dropped_blocks(shown, "\n".join(lines), article.removed))
    article.warnings = warnings + article.warnings
    if doc is not None:
        article.date = getattr(doc, "date", None) or article.date
        author = getattr(doc, "author", None)
        if author and not article.byline:
            author = re.sub(r"^ảnh\s*:?\s+", "", normalize_text(author).strip(), flags=re.I)
            article.byline = BYLINE_PREFIX_RE.sub("", author)
        article.url = getattr(doc, "url", None) or article.url
        sitename = getattr(doc, "sitename", None)
        if sitename and not article.source:
            article.source = normalize_text(sitename).strip()
    return article


def _dropped_blocks(visible: str, kept: str, removed: list[Removed]) -> list[Removed]:
    """Blocks of the page the HTML extractor left out (menus, related lists, footers), as removed lines."""
    folded = " ".join(kept.split())
    seen = {r.text for r in removed}
    out = []
    for line in visible.split("\n"):
        if line in seen or line in folded or not words(line):
            continue
        seen.add(line)
        out.append(Removed(line, "outside the page's main content (menu, related list, footer; left out by the "
                                 "HTML extractor)"))
    return out


_BLOCKS_XPATH = "ancestor::*[self::p or self::div or self::td or self::li or self::center or self::figure][1]"


_FLATTENED_WORDS = 150
_TABLE_CELL_RE = re.compile(r"\s*\|\s*")


def _page_title(tree) -> str:
    if tree is None:
        return ""
    found = tree.xpath("//head/title/text() | //meta[@property='og:title']/@content")
    return normalize_text(" ".join(found)).strip()


def _printed_headline(shown: str, titles: list[str]) -> str:
    """The longest headline-shaped line printed on the page that the page's title contains.

    A <title> is the headline plus the site's name or a slug ("Headline - Site", "Site - Headline");
    the extractor's title is sometimes a section name. The printed line is the headline as read.
    """
    titles = [t for t in titles if t]
    best = ""
    for line in shown.split("\n"):
        if len(line) > len(best) and 4 <= len(line.split()) <= 45 and any(line in t for t in titles):
            best = line
    return best


def _italic_captions(tree) -> set[str]:
    """Text set wholly in italics in a block with a picture, or right under one: a caption as many CMSs print it."""
    found: set[str] = set()
    for el in tree.xpath("//em | //i | //*[contains(@style, 'italic')]"):
        text = " ".join(el.text_content().split())
        if len(text.split()) < 3:
            continue
        block = el.xpath(_BLOCKS_XPATH)
        if not block or " ".join(block[0].text_content().split()) != text:
            continue
        block, prev = block[0], block[0].getprevious()
        if any(True for _ in block.iter("img")) or (prev is not None and any(True for _ in prev.iter("img"))):
            found.add(normalize_text(text).strip())
    return found


def _flatten_figures(tree) -> set[str]:
    """Turn each captioned figure into a plain paragraph holding its caption; return the captions.

    trafilatura drops figure captions or runs them together; as paragraphs they
    keep their place, and the line rules decide (a photo story keeps them).
    """
    xpath = ("//figcaption | //*[contains(translate(@class, 'CAPTION', 'caption'), 'caption')]")
    found = tree.xpath(xpath)
    inside = set(found)
    captions: set[str] = set()
    for el in found:
        if any(a in inside for a in el.iterancestors()):
            continue  # the outer caption element carries this text
        text = normalize_text(" ".join(el.text_content().split())).strip()
        if not text:
            continue
        target = el
        # climb to the figure/table wrapping the picture, as long as it holds nothing but this caption
        while True:
            parent = target.getparent()
            if parent is None or parent.tag in ("body", "article", "main", "html"):
                break
            if len(" ".join(parent.text_content().split())) > len(text) + 30:
                break
            target = parent
        parent = target.getparent()
        if parent is None:
            continue
        para = tree.makeelement("p", {})
        para.text, para.tail = text, target.tail
        parent.replace(target, para)
        captions.add(text)
    return captions
