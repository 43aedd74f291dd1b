"""HTML: trafilatura's main content and metadata, the page's own blocks, figures and italic captions."""
from __future__ import annotations

import contextlib
import logging
import re
import threading

from viensum.clean.decide import clean_lines
from viensum.clean.render import page_text
from viensum.clean.rules import BYLINE_PREFIX_RE
from viensum.results import Article, Removed
from viensum.text import normalize_text

log = logging.getLogger(__name__)

# The libraries the HTML path calls log their own complaints at ERROR ("parsed tree length: 0, wrong
# data type or not valid HTML"); viensum says what went wrong itself, in one line.
_LIBRARY_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext")
_quiet_lock = threading.Lock()
_quiet_depth = 0
_saved_levels: dict[str, int] = {}


@contextlib.contextmanager
def _quiet_libraries():
    """Third-party log records stay below any handler while the HTML is parsed (nested and thread-safe)."""
    global _quiet_depth
    with _quiet_lock:
        if _quiet_depth == 0:
            for name in _LIBRARY_LOGGERS:
                logger = logging.getLogger(name)
                _saved_levels[name] = logger.level
                logger.setLevel(logging.CRITICAL + 1)
        _quiet_depth += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_depth -= 1
            if _quiet_depth == 0:
                for name, level in _saved_levels.items():
                    logging.getLogger(name).setLevel(level)


_EXTRACTOR_REASON = "outside the page's main content (menu, related list, footer; left out by the HTML extractor)"
_GENERIC_REASONS = ("", "before the headline/lead", "after the article body")


def clean_html(html: str) -> Article:
    """A saved page through the same line decisions as page text, with the markup's evidence.

    The page is rendered as a browser's innerText would show it (``page_text``: pictures leave their
    blank lines, captions stand under them), and that text meets :func:`~viensum.clean.decide.clean_lines`
    like any copied page. What only the markup tells comes along as evidence, not as the verdict:
    figure captions and italic captions beside pictures (caption kind), the page's ``<title>`` (which
    printed line is the headline), and trafilatura's main content (lines it kept are article text
    unless the line rules say otherwise; lines both it and the rules drop are listed as its).
    """
    tree = parse_html(html)
    if tree is None:
        return _as_page_text(html, "the HTML could not be parsed; read as page text")
    if _depth_capped(tree):
        return _as_page_text(html, f"the HTML nests elements deeper than the parser's limit ({_LXML_MAX_DEPTH} "
                                   "levels); read as page text")
    shown = page_text(tree)  # before extraction, which prunes the tree
    captions = _flatten_figures(tree) | _italic_captions(tree)
    doc = _extract(tree)
    extracted = _extracted_lines(doc)
    title = normalize_text(getattr(doc, "title", None) or "").strip()
    title = _printed_headline(shown, [title, _page_title(tree)]) or title
    if not shown.strip():
        return _as_page_text(html, "the HTML shows no text blocks; read as page text")
    article = clean_lines(shown.split("\n"), known_title=title, input_format="html", captions=captions,
                          extracted=extracted)
    if extracted:
        for i, r in enumerate(article.removed):
            if r.reason in _GENERIC_REASONS and r.text not in extracted:
                article.removed[i] = Removed(r.text, _EXTRACTOR_REASON)
    _metadata(article, doc)
    return article


def parse_html(html: str):
    """The page as an lxml tree, or None when there is no markup to parse.

    trafilatura's loader logs its own complaints ("parsed tree length: 0, wrong data type or not
    valid HTML"); those stay at debug level, inside viensum.
    """
    from trafilatura.utils import load_html

    with _quiet_libraries():
        tree = load_html(html)
    return tree


def _depth_capped(tree) -> bool:
    """lxml stops nesting elements at 256 levels and drops what is deeper: the page is cut, not read."""
    from lxml import etree

    depth = 0
    for event, _ in etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth >= _LXML_MAX_DEPTH - 2:
            return True
    return False


_LXML_MAX_DEPTH = 256


def _as_page_text(html: str, warning: str) -> Article:
    """Markup that cannot be read as a tree: its visible text, read the way pasted page text is."""
    from viensum.clean.decide import clean_text

    article = clean_text(_visible_text(html))
    article.input_format = "html"
    article.warnings.insert(0, warning)
    return article


_INVISIBLE_RE = re.compile(r"<(script|style|head|noscript|template|svg)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_BLOCK_TAG_RE = re.compile(r"</?(?:p|div|h[1-6]|li|ul|ol|br|tr|td|th|table|section|article|header|footer|"
                           r"blockquote|figure|figcaption|dd|dt|hr|main|aside|nav)\b[^>]*>", re.I)
_TAG_RE = re.compile(r"<[^>]*>")
_BLANKS_RE = re.compile(r"[ \t]*\n(?:[ \t]*\n)+")


def _visible_text(html: str) -> str:
    """The text of markup without a parser: hidden elements out, block tags as line breaks,
    other tags removed, entities decoded (for pages lxml cannot hold: nested past its depth limit)."""
    import html as entities

    text = entities.unescape(_TAG_RE.sub("", _BLOCK_TAG_RE.sub("\n\n", _INVISIBLE_RE.sub(" ", html))))
    return _BLANKS_RE.sub("\n\n", text)  # one blank line between blocks, however many tags closed there


def _extract(tree):
    import trafilatura  # heavy: lxml, dateparser...

    try:
        with _quiet_libraries():
            return trafilatura.bare_extraction(
                tree, with_metadata=True, include_comments=False, include_tables=True, include_images=False,
                favor_recall=True, deduplicate=False)
    except Exception as exc:  # trafilatura surfaces lxml failures as assorted exceptions
        log.debug("trafilatura failed: %s", exc)
        return None


def _extracted_lines(doc) -> frozenset[str]:
    """The lines (table cells split) of trafilatura's main content, normalised as page lines are."""
    body = (getattr(doc, "text", None) or "") if doc is not None else ""
    lines = normalize_text(body).split("\n")
    cells = (c for line in lines for c in (_TABLE_CELL_RE.split(line) if line.startswith("|") else [line]))
    return frozenset(" ".join(c.split()) for c in cells if c.strip())


def _metadata(article: Article, doc) -> None:
    if doc is None:
        return
    article.date = getattr(doc, "date", None) or article.date
    author = getattr(doc, "author", None)
    if author and not article.byline:
        author = re.sub(r"^ảnh\s*:?\s+", "", normalize_text(author).strip(), flags=re.I)
        article.byline = BYLINE_PREFIX_RE.sub("", author)
    article.url = getattr(doc, "url", None) or article.url
    sitename = getattr(doc, "sitename", None)
    if sitename and not article.source:
        article.source = normalize_text(sitename).strip()


_BLOCKS_XPATH = "ancestor::*[self::p or self::div or self::td or self::li or self::center or self::figure][1]"

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
