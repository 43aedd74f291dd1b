"""Each line judged on its own: a kind (prose, line, junk, marker, footer, date, source, caption) and,
for a dropped line, the reason; and the line-shape predicates the page-level decisions use."""
from __future__ import annotations

import functools
import re

from viensum.clean.lines import Line
from viensum.clean.rules import (
    ACCESSIBILITY_GATE, ACCESSIBILITY_RE, ALL_CAPS_CREDIT_RE, ALT_TEXT_GATE, ALT_TEXT_RE, BYLINE_PREFIX_RE, DOMAIN_RE, HEADLINE_MAX_WORDS,
    CAPTION_CUE_RE, CAPTION_GATE, CHROME_WORDS, COMMENT_BOX_RE, CREDIT_ONLY_RE, DATE_RE, ENDS_WITH_DATE_RE,
    END_PUNCT_RE, FOOTER_RE, FORUM_CHROME_GATE, FORUM_CHROME_RE, FORUM_POST_RE, ICON_TOKEN_RE, LINK_PREFIX_RE,
    MARKERS, MARKER_TRIM_RE, NAME_WORD_RE, NOTICE_GATE, NOTICE_RE, PLAYER_RE, SEPARATORS_RE, SITE_HEADER_RE,
    SOURCE_RE, TAGS_RE, WEATHER_RE)
from viensum.text import split_sentences, stopwords, words


def classify(line: Line) -> tuple[str, str]:
    """What a line is, judged on its own."""
    text, n = line.text, line.n_words
    low = text.lower()
    bare = MARKER_TRIM_RE.sub("", low) if n <= 6 else ""
    if n == 0:
        return "junk", "no words (symbols or numbers only)"
    if 6 <= n <= 2 * HEADLINE_MAX_WORDS and _doubled(text):
        return "junk", "title printed twice (picture alt text and link)"
    if PLAYER_RE.match(text):
        return "junk", "media player residue"
    if n <= 12 and _gate(low, ACCESSIBILITY_GATE) and ACCESSIBILITY_RE.search(text):
        return "junk", "accessibility toolbar"
    if n <= 6 and bare in MARKERS:
        return "marker", "section marker"
    if n <= 4 and COMMENT_BOX_RE.fullmatch(low):
        return "marker", "comment box"
    if FOOTER_RE.match(low):
        return "footer", "page footer"
    if n <= 40 and _gate(low, ALT_TEXT_GATE) and ALT_TEXT_RE.search(text):
        return "junk", "image alt text (numbered picture)"
    if FORUM_POST_RE.match(text):
        return "forum", "forum post number (replies follow)"
    if n <= 12 and _gate(low, FORUM_CHROME_GATE) and FORUM_CHROME_RE.search(text):
        return "junk", "forum chrome (quote header, edit note)"
    if n <= 40 and _gate(low, NOTICE_GATE) and NOTICE_RE.search(text):
        return "junk", "login/paywall/browser notice"
    if TAGS_RE.match(text):
        return "junk", "tags"
    tokens = text.split()
    if all(ICON_TOKEN_RE.match(t) for t in tokens) and n <= 8:
        return "junk", "share/social icons"
    if n <= 3 and bare in CHROME_WORDS:
        return "junk", "share/navigation control"
    if n <= 4 and "°" in text and WEATHER_RE.search(text):
        return "junk", "weather widget"
    if SITE_HEADER_RE.match(low) and n <= 14 and not END_PUNCT_RE.search(text):
        return "junk", "site header"
    parts = [p for p in SEPARATORS_RE.split(text) if p.strip()] if n <= 40 else []
    if len(parts) >= 3 and all(len(words(p)) <= 5 for p in parts) and not END_PUNCT_RE.search(text):
        return "junk", "menu or breadcrumb"
    if LINK_PREFIX_RE.match(text) and n <= 40:
        return "junk", "link to another article"
    if (n <= 12 and DATE_RE.search(text) and not END_PUNCT_RE.search(text.rstrip(")"))
            or n <= 20 and ENDS_WITH_DATE_RE.search(text)):
        return "date", "date"
    if n <= 10 and (SOURCE_RE.match(text) or ALL_CAPS_CREDIT_RE.match(text)) and not text.endswith("."):
        return "source", "source credit"
    if CREDIT_ONLY_RE.match(text):
        return "caption", "photo credit"
    if any(k in low for k in CAPTION_GATE) and CAPTION_CUE_RE.search(text) and len(split_sentences(text)) <= 3:
        return "caption", "photo caption"
    if n >= 8 and not END_PUNCT_RE.search(text) and text.count(",") >= n / 4 and stopword_density(text) < 0.35:
        return "junk", "keyword list"
    if ((text.count("...") + text.count("…") >= 3 and len(split_sentences(text)) <= 1)
            or n >= 8 and _glued(text) >= 3):
        return "junk", "teaser links run together"
    if _is_prose(text, n):
        return "prose", ""
    return "line", ""


def _doubled(text: str) -> bool:
    """The same title twice on one line, as a list prints a picture's alt text and then its link."""
    half = len(text) // 2
    return text[half] == " " and text[:half] == text[half + 1:]


def _gate(low: str, needles: tuple[str, ...]) -> bool:
    for k in needles:  # a plain loop: any() over a generator costs more than the tests
        if k in low:
            return True
    return False


def _glued(text: str) -> int:
    """Link titles printed with nothing between them: "…thiếu phụHot girl…sơ mi trắngSợ hãi…"."""
    return len(_glued_re().findall(text))


@functools.lru_cache(maxsize=1)
def _glued_re() -> re.Pattern:
    """A word's lower-case end glued to the next word's capital (Latin, Vietnamese included)."""
    letters = [chr(c) for c in range(0x41, 0x1F00)]
    lower = "".join(c for c in letters if c.islower())
    upper = "".join(c for c in letters if c.isupper())
    # two lower-case letters before, one after: "phụHot", "trắngSợ"; not "iPhone" or "iPad"
    return re.compile(f"[{re.escape(lower)}]{{2}}[{re.escape(upper)}][{re.escape(lower)}]")


def _is_prose(text: str, n: int) -> bool:
    if END_PUNCT_RE.search(text):
        if text.endswith(":"):  # introduces a list or a quote: prose only when it is a real sentence
            return n >= 8
        return n >= 8 or len(split_sentences(text)) >= 2
    # long text without a final stop still reads as prose when stop words are dense
    return n >= 30 and stopword_density(text) >= 0.25


def stopword_density(text: str) -> float:
    toks = words(text)
    if not toks:
        return 0.0
    stop = stoplist()
    return sum(t in stop for t in toks) / len(toks)


stoplist = stopwords  # jusText's Vietnamese stop list, shared with the extractive summariser


def sentence_like(line: Line) -> bool:
    """A short sentence (a caption, a one-line paragraph): ends like one, at least four words."""
    return line.n_words >= 4 and bool(END_PUNCT_RE.search(line.text)) and not line.text.endswith(":")


def headline_shaped(line: Line) -> bool:
    text = line.text
    if not 4 <= line.n_words <= HEADLINE_MAX_WORDS or re.search(r"[.,;:]$", text) or is_byline(text):
        return False
    toks = words(text)
    return sum(t.isalpha() for t in toks) >= 0.7 * len(toks)


def is_byline(text: str) -> bool:
    """A short line of names ("Mạnh Hùng", "Nhóm PV", "Thu Hà - Minh Anh (TTXVN)", "Name/Agency/site")."""
    if len(text) > 60 or re.search(r"\d", text):
        return False
    body = BYLINE_PREFIX_RE.sub("", text)
    if text.lower().strip() in ("pv", "btv", "ctv", "nhóm pv", "nhóm phóng viên"):
        return True
    body = re.sub(r"\s*\([^)]{1,30}\)\s*$", "", body).strip(" .")
    parts = [p.strip() for p in re.split(r"\s*[-–,&/]\s*|\s+và\s+", body) if p.strip()]
    if not parts:
        return False
    # a signature closes many articles: "Name/Agency/site" ("Văn Giáp/Bnews/vnanet.vn"); the site is no name
    if len(parts) >= 2 and DOMAIN_RE.match(parts[-1]):
        parts = parts[:-1]
    return all(1 <= len(p.split()) <= 4 and all(NAME_WORD_RE.match(w) for w in p.split()) for p in parts)
