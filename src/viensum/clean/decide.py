"""The page-level decision: lines -> kinds -> main run -> headline, body and metadata -> Article.

Page text and HTML meet the same procedure; HTML brings extra evidence (the extractor's title,
the lines it marked as captions) but the verdict on every line is taken here.
"""
from __future__ import annotations

import re

from viensum.clean.body import body_paragraphs, to_metadata
from viensum.clean.classify import classify, is_byline
from viensum.clean.columns import unfold_columns, unwrap
from viensum.clean.layout import BOX_MAX_LINES, find_title, main_run, mark_teasers
from viensum.clean.lines import Line, prepare
from viensum.clean.rules import DMY_RE, ends_like_sentence, HEADLINE_MAX_WORDS, NUMBERED_RE
from viensum.results import Article, Removed

_SECTIONS = ("marker", "footer", "forum")


def clean_text(text: str) -> Article:
    """Page text (a browser copy or a text-mode browser's dump) to an Article."""
    return clean_lines(unwrap(unfold_columns(text.splitlines())), known_title="", input_format="text")


def clean_lines(raw_lines: list[str], *, known_title: str, input_format: str,
                captions: frozenset[str] | set[str] = frozenset(), extracted: frozenset[str] | None = None) -> Article:
    """Decide every line of a page: above the body, the body, below it.

    HTML brings two pieces of evidence: ``captions`` (lines the markup sets as captions) and
    ``extracted`` (the lines an HTML extractor took for the main content; None for page text).
    """
    removed: list[Removed] = []
    warnings: list[str] = []
    lines = prepare(raw_lines, removed)
    if extracted is not None:
        for line in lines:
            line.extracted = line.text in extracted
    lines = classify_lines(lines, captions)
    run = main_run(lines)
    if run is None:
        warnings.append("no paragraph of article prose found; kept every line that is not page chrome")
        run = (0, len(lines))
    start, end = run
    if not known_title and start < end and _headline_opens(lines, start, end):
        lines[start].kind, start = "line", start + 1  # a long headline opens the run: it is the headline
    title = known_title
    # the markup named the headline: its printed line is the headline, not a repeat of it
    title_idx = next((i for i in range(start) if lines[i].text == title), -1) if title else -1
    if not title:
        title_idx = find_title(lines, start)
        title = lines[title_idx].text if title_idx >= 0 else ""
        if not title:
            warnings.append("no headline found: the text seems to start with the body")
    meta: dict[str, str] = {}
    _above(lines[:start], title, title_idx, meta, removed)
    body = _inside(lines[start:end], removed)
    paragraphs = body_paragraphs(body, title, meta, removed, warnings)
    _below(lines[end:], meta, removed)
    date = meta.get("date")
    return Article(title=title, paragraphs=paragraphs, date=_iso_date(date) if date else None,
                   byline=meta.get("byline"), source=meta.get("source"), input_format=input_format,
                   removed=removed, warnings=warnings)


def _headline_opens(lines: list[Line], start: int, end: int) -> bool:
    """The run opens with a long headline: no final stop, headline length, then the byline/date and
    the lead (2026 headlines run to 35 words and more, and read as prose by their length alone)."""
    first = lines[start]
    if first.kind != "prose" or first.n_words > HEADLINE_MAX_WORDS or ends_like_sentence(first.text):
        return False
    nxt = next((l for l in lines[start + 1:end] if l.kind not in ("date", "junk", "source")), None)
    return nxt is not None and nxt.kind == "prose"


def classify_lines(lines: list[Line], captions: set[str] | frozenset[str] = frozenset()) -> list[Line]:
    """Each line's kind, then the marks that need its neighbours (numbered alt texts, teasers)."""
    printed: set[str] = set()  # every line's text, gathered when a line ends in a number
    judged: dict[str, tuple[str, str]] = {}  # a line's kind depends on its text alone; pages repeat lines
    for i, line in enumerate(lines):
        if line.text not in judged:
            judged[line.text] = classify(line)
        line.kind, line.reason = judged[line.text]
        if line.text in captions and line.kind in ("prose", "line"):
            line.kind, line.reason = "caption", "photo caption"
        numbered = line.text[-1:].isdecimal() and NUMBERED_RE.match(line.text)  # it ends in a number
        if numbered:
            printed = printed or {l.text for l in lines}
            if numbered.group(1) in printed:
                # "Headline 10": the tenth picture's alt text, named after a line printed elsewhere
                line.kind, line.reason = "junk", "image alt text (numbered picture)"
                if i + 1 < len(lines):
                    lines[i + 1].after_image = True
    _alt_texts_before_captions(lines)
    mark_teasers(lines)
    return lines


def _alt_texts_before_captions(lines: list[Line]) -> None:
    """A picture's alt text printed right above its caption, which repeats it and adds a credit:
    "Kỹ sư lắp đặt lò hơi." then "Kỹ sư lắp đặt lò hơi (Nguồn: Bộ Xây dựng)". Compared on letters and
    digits only: alt texts lose the caption's punctuation ("12/2026" -> "122026")."""
    for i in range(len(lines) - 1):
        line, below = lines[i], lines[i + 1]
        if line.n_words < 4 or len(below.text) <= len(line.text) or below.text[:12] != line.text[:12]:
            continue  # the cheap test first: most lines are not alt texts
        here, nxt = _ALNUM_RE.sub("", line.text.lower()), _ALNUM_RE.sub("", below.text.lower())
        if len(nxt) > len(here) and nxt.startswith(here):
            lines[i].kind, lines[i].reason = "junk", "image alt text (its caption follows)"
            lines[i + 1].after_image = True


_ALNUM_RE = re.compile(r"[\W_]+")


def _above(lines: list[Line], title: str, title_idx: int, meta: dict[str, str], removed: list[Removed]) -> None:
    """Everything above the body: chrome, the headline, its date and byline."""
    for i, line in enumerate(lines):
        if i == title_idx:
            continue
        if line.kind == "date":
            meta.setdefault("date", line.text)
            removed.append(Removed(line.text, "date (kept as metadata)"))
        elif line.text == title:
            removed.append(Removed(line.text, "repeated headline"))
        elif i > title_idx >= 0 and line.kind == "line" and "byline" not in meta and is_byline(line.text):
            meta["byline"] = line.text  # Dân trí, Thanh Niên print the author under the headline
            removed.append(Removed(line.text, "byline (kept as metadata)"))
        elif line.kind == "prose":
            removed.append(Removed(line.text, "prose outside the article's main run (notice, teaser or other text)"))
        else:
            removed.append(Removed(line.text, line.reason or "before the headline/lead"))


def _inside(lines: list[Line], removed: list[Removed]) -> list[Line]:
    """The main run less the boxes of links and the teasers inside it."""
    body: list[Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.kind in _SECTIONS:
            j = i + 1
            while j < len(lines) and j - i <= BOX_MAX_LINES and lines[j].kind not in ("prose", *_SECTIONS):
                j += 1
            removed.extend(Removed(l.text, f"in-body related links ({line.text!r})") for l in lines[i:j])
            i = j
            continue
        if line.kind == "teaser":
            removed.append(Removed(line.text, line.reason))
        else:
            body.append(line)
        i += 1
    return body


def _below(lines: list[Line], meta: dict[str, str], removed: list[Removed]) -> None:
    """Below the body: the byline and credits, then related lists, comments and the footer."""
    section, why = "", ""
    for line in lines:
        if line.kind in _SECTIONS and not section:
            section = line.text
            why = {"marker": "related/comment section", "footer": "page footer", "forum": "forum replies"}[line.kind]
            why = f"{why} ({section!r} and after)"
        if section:
            removed.append(Removed(line.text, why))
        elif not to_metadata(line, meta, removed):
            if line.kind == "line" and "byline" not in meta and is_byline(line.text):
                meta["byline"] = line.text
                removed.append(Removed(line.text, "byline (kept as metadata)"))
            else:
                removed.append(Removed(line.text, line.reason or "after the article body"))


def _iso_date(text: str) -> str:
    m = DMY_RE.search(text)
    if not m:
        return text
    day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if 1 <= day <= 31 and 1 <= month <= 12:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return text
