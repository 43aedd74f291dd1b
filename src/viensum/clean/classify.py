"""Each line judged on its own: a kind (prose, line, junk, marker, footer, date, source, caption) and,
for a dropped line, the reason; and the line-shape predicates the page-level decisions use."""
from __future__ import annotations

import functools
import re

from viensum.clean.lines import Line
from viensum.clean.rules import (
    ACCESSIBILITY_GATE, ACCESSIBILITY_RE, ALL_CAPS_CREDIT_RE, ALT_TEXT_GATE, ALT_TEXT_RE, BYLINE_PREFIX_RE, DOMAIN_RE, HEADLINE_MAX_WORDS,
    CAPITALS, CAPTION_CUE_RE, CAPTION_GATE, CHROME_WORDS, LINK_PREFIX_FIRST, SOURCE_GATE, COMMENT_BOX_RE, CREDIT_ONLY_RE, DATE_RE, ENDS_WITH_DATE_RE,
    DIGIT_RE, ends_like_sentence, FOOTER_START, FOOTER_RE, FORUM_CHROME_GATE, FORUM_CHROME_RE, FORUM_POST_RE, ICON_TOKEN_RE, LINK_PREFIX_RE,
    MARKERS, MARKER_TRIM_RE, NAME_WORD_RE, NOTICE_GATE, NOTICE_RE, PLAYER_RE, SEPARATORS_RE, SITE_HEADER_START, SITE_HEADER_RE,
    SOURCE_RE, TAGS_RE, WEATHER_RE)
from viensum.text import stopwords, words


def classify(line: Line) -> tuple[str, str]:
    """What a line is, judged on its own."""
    text, n = line.text, line.n_words
    low = text.lower()
    bare = _trimmed(low) if n <= 6 else ""
    if n == 0:
        return "junk", "no words (symbols or numbers only)"
    if 6 <= n <= 2 * HEADLINE_MAX_WORDS and _doubled(text):
        return "junk", "title printed twice (picture alt text and link)"
    if ":" in text and PLAYER_RE.match(text):
        return "junk", "media player residue"
    if n <= 12 and _gate(low, ACCESSIBILITY_GATE) and ACCESSIBILITY_RE.search(text):
        return "junk", "accessibility toolbar"
    if n <= 6 and bare in MARKERS:
        return "marker", "section marker"
    if n <= 4 and ("bình luận" in low or "ý kiến" in low) and COMMENT_BOX_RE.fullmatch(low):
        return "marker", "comment box"
    if (low[:2] in FOOTER_START or low[:1] == "©") and FOOTER_RE.match(low):
        return "footer", "page footer"
    if n <= 40 and _gate(low, ALT_TEXT_GATE) and ALT_TEXT_RE.search(text):
        return "junk", "image alt text (numbered picture)"
    if text[:1] == "#" and FORUM_POST_RE.match(text):
        return "forum", "forum post number (replies follow)"
    if n <= 12 and _gate(low, FORUM_CHROME_GATE) and FORUM_CHROME_RE.search(text):
        return "junk", "forum chrome (quote header, edit note)"
    if n <= 40 and _gate(low, NOTICE_GATE) and NOTICE_RE.search(text):
        return "junk", "login/paywall/browser notice"
    if (":" in text or text[:1] == "#") and TAGS_RE.match(text):
        return "junk", "tags"
    if n <= 8 and _may_be_icons(text) and all(ICON_TOKEN_RE.match(t) for t in text.split()):
        return "junk", "share/social icons"
    if n <= 3 and bare in CHROME_WORDS:
        return "junk", "share/navigation control"
    if n <= 4 and "°" in text and WEATHER_RE.search(text):
        return "junk", "weather widget"
    if n <= 14 and low[:2] in SITE_HEADER_START and SITE_HEADER_RE.match(low) and not ends_like_sentence(text):
        return "junk", "site header"
    parts = [p for p in SEPARATORS_RE.split(text) if p.strip()] if n <= 40 and _gate(text, _SEPARATOR_CHARS) else []
    if len(parts) >= 3 and all(len(words(p)) <= 5 for p in parts) and not ends_like_sentence(text):
        return "junk", "menu or breadcrumb"
    if n <= 40 and low[:1] in LINK_PREFIX_FIRST and LINK_PREFIX_RE.match(text):
        return "junk", "link to another article"
    if n <= 20 and DIGIT_RE.search(text) and (n <= 12 and DATE_RE.search(text) and not ends_like_sentence(
            text.rstrip(")")) or ENDS_WITH_DATE_RE.search(text)):
        return "date", "date"
    if n <= 10 and not text.endswith(".") and (_gate(low, SOURCE_GATE) and SOURCE_RE.match(text)
                                               or _capitals_first(text) and ALL_CAPS_CREDIT_RE.match(text)):
        return "source", "source credit"
    if (":" in text or low.startswith("ảnh")) and CREDIT_ONLY_RE.match(text):
        return "caption", "photo credit"
    if _gate(low, CAPTION_GATE) and _may_cue(text, low) and CAPTION_CUE_RE.search(text) and line.n_sentences <= 3:
        return "caption", "photo caption"
    if n >= 8 and not ends_like_sentence(text) and text.count(",") >= n / 4 and line.density < 0.35:
        return "junk", "keyword list"
    if ((text.count("...") + text.count("…") >= 3 and line.n_sentences <= 1)
            or n >= 8 and _glued(text) >= 3):
        return "junk", "teaser links run together"
    if _is_prose(line):
        return "prose", ""
    return "line", ""


_SEPARATOR_CHARS = tuple("|»›>/•·")  # SEPARATORS_RE splits only where one of them is


def _capitals_first(text: str) -> bool:
    """ALL_CAPS_CREDIT_RE's first capital is the first character, or the second after "("."""
    return text[:1] in CAPITALS or text[:1] == "(" and text[1:2] in CAPITALS


def _may_be_icons(text: str) -> bool:
    """Whether every word can match ICON_TOKEN_RE: the first one starts with a lower-case ASCII letter
    ("fb", "zalo-icon") or the line says "icon" somewhere ("Facebook-icon", "icon-share")."""
    return text.lstrip()[:1] in _ASCII_LOWER or "icon" in text


_ASCII_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")


def _trimmed(low: str) -> str:
    """MARKER_TRIM_RE.sub("", low): the pattern removes only a non-letter run at either end."""
    if low[:1].isalpha() and low[-1:].isalpha():
        return low
    return MARKER_TRIM_RE.sub("", low)
# Every match of CAPTION_CUE_RE contains one of these (case folded): "ảnh" next to a colon or in
# "ảnh minh họa/tư liệu/chụp màn hình", "(nguồn:", "(photo:", or a position in a group photo.
_CUE_POSITIONS = ("từ trái", "từ phải", "bên trái", "bên phải", "ngoài cùng", "(giữa", "(trái", "(phải",
                  "(hàng đầu", "(đứng giữa")
_I_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i"})  # what a case-insensitive pattern takes for "i"


def _may_cue(text: str, low: str) -> bool:
    """Whether CAPTION_CUE_RE can match: plain substring tests, far cheaper than the pattern on a
    long paragraph (whose "ảnh", "phải", "giữa" pass the cheaper CAPTION_GATE)."""
    if "\u0130" in text or "\u0131" in text:
        low = text.translate(_I_FOLD).lower()
    if "ảnh" in low and (":" in low or "ảnh minh" in low or "ảnh tư" in low or "ảnh chụp" in low):
        return True
    if ":" in low and ("(nguồn" in low or "(photo" in low):
        return True
    return _gate(low, _CUE_POSITIONS)


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
    """Link titles printed with nothing between them: "…thiếu phụHot girl…sơ mi trắngSợ hãi…".

    How many matches the pattern "two lower-case letters, a capital, a lower-case letter" (Latin,
    Vietnamese included; not "iPhone" or "iPad") has for ``re.findall``, worked out from the capitals: that
    pattern opens with a lower-case letter, which most characters of a paragraph are, while a capital
    glued to the word before it is rare. Each capital found (two lower-case letters before it, one
    after) is a match starting two characters earlier; two such matches can overlap by one letter
    ("abCdeFg"), and findall, which resumes after each match, then takes only the first."""
    count, free_from = 0, 0
    for m in _glued_capital_re().finditer(text):
        if m.start() - 2 >= free_from:
            count, free_from = count + 1, m.start() + 2
    return count


@functools.lru_cache(maxsize=1)
def _glued_letters() -> tuple[str, str]:
    """The classes of lower-case and capital letters (Latin, Vietnamese included) in pattern syntax."""
    letters = [chr(c) for c in range(0x41, 0x1F00)]
    lower = "".join(c for c in letters if c.islower())
    upper = "".join(c for c in letters if c.isupper())
    return f"[{re.escape(lower)}]", f"[{re.escape(upper)}]"


@functools.lru_cache(maxsize=1)
def _glued_capital_re() -> re.Pattern:
    """The pattern of :func:`_glued` matched from its capital: the two letters before it looked behind for."""
    small, capital = _glued_letters()
    return re.compile(f"{capital}(?<={small}{small}{capital}){small}")


def _is_prose(line: Line) -> bool:
    text, n = line.text, line.n_words
    if ends_like_sentence(text):
        if text.endswith(":"):  # introduces a list or a quote: prose only when it is a real sentence
            return n >= 8
        return n >= 8 or line.n_sentences >= 2
    # long text without a final stop still reads as prose when stop words are dense
    return n >= 30 and line.density >= 0.25


def stopword_density(text: str) -> float:
    toks = words(text)
    if not toks:
        return 0.0
    stop = stoplist()
    return sum(t in stop for t in toks) / len(toks)


stoplist = stopwords  # jusText's Vietnamese stop list, shared with the extractive summariser


def sentence_like(line: Line) -> bool:
    """A short sentence (a caption, a one-line paragraph): ends like one, at least four words."""
    return line.n_words >= 4 and ends_like_sentence(line.text) and not line.text.endswith(":")


def headline_shaped(line: Line) -> bool:
    text = line.text
    if not 4 <= line.n_words <= HEADLINE_MAX_WORDS or _CLAUSE_END_RE.search(text) or is_byline(text):
        return False
    toks = line.words
    return sum(t.isalpha() for t in toks) >= 0.7 * len(toks)


_CLAUSE_END_RE = re.compile(r"[.,;:]$")
_TRAILING_NOTE_RE = re.compile(r"\s*\([^)]{1,30}\)\s*$")  # "(TTXVN)" after the names
_NAME_SEPARATOR_RE = re.compile(r"\s*[-–,&/]\s*|\s+và\s+")


def _may_be_names(body: str) -> bool:
    """Whether every word but the last starts as a name does (NAME_WORD_RE's capital) or is "và": what
    is_byline asks of every word but a closing site name, tested before its slower patterns (most
    lines fail at their second word)."""
    for mark in "-–,&/":  # _NAME_SEPARATOR_RE's marks
        if mark in body:
            body = body.replace(mark, " ")
    toks = body.split()
    for word in toks[:-1]:
        if word != "và" and not ("A" <= word[0] <= "Z" or "À" <= word[0] <= "Ỹ"):
            return False
    return True


def is_byline(text: str) -> bool:
    """A short line of names ("Mạnh Hùng", "Nhóm PV", "Thu Hà - Minh Anh (TTXVN)", "Name/Agency/site")."""
    if len(text) > 60 or DIGIT_RE.search(text):
        return False
    body = BYLINE_PREFIX_RE.sub("", text)
    if text.lower().strip() in ("pv", "btv", "ctv", "nhóm pv", "nhóm phóng viên"):
        return True
    body = (_TRAILING_NOTE_RE.sub("", body) if "(" in body else body).strip(" .")
    if not _may_be_names(body):
        return False
    parts = [p.strip() for p in _NAME_SEPARATOR_RE.split(body) if p.strip()]
    if not parts:
        return False
    # a signature closes many articles: "Name/Agency/site" ("Văn Giáp/Bnews/vnanet.vn"); the site is no name
    if len(parts) >= 2 and DOMAIN_RE.match(parts[-1]):
        parts = parts[:-1]
    return all(1 <= len(p.split()) <= 4 and all(NAME_WORD_RE.match(w) for w in p.split()) for p in parts)
