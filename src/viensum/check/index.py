"""An article's facts, indexed once and reused by every summary and translation of it.

:func:`index_article` splits the cleaned article into units (the headline is
paragraph -1, then each body paragraph's sentences), reads every unit's
numbers, dates and names, and keeps the look-up tables the checks need:
folded runs of capitalised words (a name written with or without diacritics), the words
written capitalised, acronyms and the initials of word runs (``VKSND`` =
``Viện kiểm sát nhân dân``), years, and the words' IDF for alignment. A small
LRU keyed by the article's text means the work is done once per article.
"""
from __future__ import annotations

import functools
import hashlib
import math
import re
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from viensum.check.dates import find_dates, loose_dates
from viensum.check.facts import Fact, fold
from viensum.check.names import find_names
from viensum.check.numbers import find_numbers
from viensum.text import split_sentences

MAX_NGRAM = 8
MAX_PHRASE = 6
CACHE_SIZE = 64
PAGE = -3            # the page around the article: its photo captions, date lines, byline and credits
MAX_PAGE_LINES = 200
# the lines the cleaner took out of the body that a reader of the page still sees beside the article
# (a caption names the official in the photo; the date line under the headline dates the article)
PAGE_REASONS = ("photo caption", "date", "byline", "source credit", "photo credit")
_WORD_RE = re.compile(r"\w+", re.UNICODE)
# a web address's host: "tinhte.vn", "Fb.com/...", "https://plo.vn/x.html" (compared in lower case)
DOMAIN_RE = re.compile(r"(?<![\w.@-])(?:[a-z0-9][\w-]*\.)+(?:vn|com|net|org|info|edu|gov|io|co|asia|biz|tv)(?![\w-])",
                       re.IGNORECASE)
# a region called after its main place: "xứ Nghệ" (Nghệ An), "xứ Thanh" (Thanh Hóa), "đất Quảng" (Quảng Nam)
REGION_WORDS = {"xứ", "đất"}
DIRECTIONS = {"bắc", "nam", "đông", "tây", "trung"}  # "đất Bắc", "xứ Đông": a direction, not a place's first word


@dataclass
class Unit:
    """One sentence of the article (paragraph -1 is the headline, -2 the page's date, -3 a line of the page)."""

    paragraph: int
    sentence: int
    text: str
    facts: list[Fact]
    words: frozenset[str]    # lower case, diacritics kept
    folded: frozenset[str]   # lower case, no diacritics


@dataclass
class ArticleIndex:
    title: str
    paragraphs: list[str]
    units: list[Unit] = field(default_factory=list)
    ngrams: set[tuple[str, ...]] = field(default_factory=set)  # folded runs of capitalised words
    phrases: set[tuple[str, ...]] = field(default_factory=set)  # folded word runs that start capitalised
    exact: set[tuple[str, ...]] = field(default_factory=set)   # the same (and single words), diacritics kept
    capitalised: set[str] = field(default_factory=set)
    initials: set[str] = field(default_factory=set)
    years: set[int] = field(default_factory=set)
    domains: set[str] = field(default_factory=set)    # web hosts named anywhere, lower case
    epithets: set[str] = field(default_factory=set)   # "nghệ" of "xứ Nghệ" (lower case, diacritics kept)
    idf: dict[str, float] = field(default_factory=dict)
    translated: dict[int, frozenset[str]] = field(default_factory=dict)  # paragraph -> English words

    def facts(self, kind: str):
        """(fact, unit) pairs of one kind, in article order."""
        return [(f, u) for u in self.units for f in u.facts if f.kind == kind]

    def has_name(self, value: tuple[str, ...], written: tuple[str, ...] | None = None) -> bool:
        """Whether the article has the name: folded, or as written when it is written with diacritics."""
        if written is not None:
            return written in self.exact
        if len(value) == 1:
            return value[0] in self.capitalised
        return value in self.ngrams

    def add_translation(self, paragraphs_en: list[str]) -> None:
        """English paragraphs of the article (its full translation), for aligning English sentences."""
        for i, text in enumerate(paragraphs_en):
            self.translated[i] = frozenset(_WORD_RE.findall(text.lower()))


def article_facts(text: str) -> list[Fact]:
    """Every fact of one article sentence (Vietnamese layout; ambiguous ``9-10`` read both ways)."""
    dates = find_dates(text, "vi")
    spans = [(f.start, f.end) for f in dates]
    return dates + loose_dates(text, spans) + find_numbers(text, "vi", spans) + find_names(text, "vi")


def page_lines(article) -> list[str]:
    """What the page shows beside the article's text: captions, date lines, byline, credits, its address.

    Read from the cleaner's ``Article.removed`` (by reason) and metadata; a plain-text article has none.
    """
    lines = [r.text for r in getattr(article, "removed", None) or [] if r.reason.startswith(PAGE_REASONS)]
    lines += [getattr(article, name, None) or "" for name in ("byline", "source", "site", "url")]
    return list(dict.fromkeys(line.strip() for line in lines if line and line.strip()))[:MAX_PAGE_LINES]


def build_index(title: str, paragraphs: list[str], date: str | None = None,
                page: list[str] | tuple[str, ...] = ()) -> ArticleIndex:
    index = ArticleIndex(title, list(paragraphs))
    texts = ([(-2, 0, date)] if date else []) + ([(-1, 0, title)] if title else []) + [
        (p, s, sentence) for p, para in enumerate(paragraphs) for s, sentence in enumerate(split_sentences(para))]
    texts += [(PAGE, i, line) for i, line in enumerate(page)]
    df: Counter[str] = Counter()
    for p, s, text in texts:
        matches = list(_WORD_RE.finditer(text))
        raw = [m.group() for m in matches]
        lower = [w.lower() for w in raw]
        folded = [_fold_word(w) for w in lower]
        unit = Unit(p, s, text, article_facts(text), frozenset(lower), frozenset(folded))
        index.units.append(unit)
        df.update(unit.words)
        caps = [w[0].isupper() for w in raw]
        for i in range(1, len(raw)):  # "Kim Sa-myeong", "Tinhte.vn": one name
            if not caps[i] and caps[i - 1] and text[matches[i - 1].end():matches[i].start()] in ("-", "."):
                caps[i] = True
        for i in range(len(folded)):
            for n in range(2, MAX_NGRAM + 1):  # names: runs of capitalised words ("Bình Dương", not "cá màu")
                if i + n > len(folded) or not caps[i + n - 1]:
                    break
                if caps[i]:
                    index.ngrams.add(tuple(folded[i:i + n]))
                    index.exact.add(tuple(lower[i:i + n]))
            if caps[i]:  # Vietnamese writes most names with the first word capitalised: "Quốc hội", "Bộ Chính trị"
                index.phrases.update(tuple(folded[i:i + n]) for n in range(2, min(MAX_PHRASE, len(folded) - i) + 1))
                index.exact.add((lower[i],))
            if raw[i][0].isupper():
                index.capitalised.add(folded[i])
                index.initials.update(_initials(raw[i:i + MAX_NGRAM], folded[i:i + MAX_NGRAM]))
        index.years.update(f.value[2] for f in unit.facts if f.unit in ("date", "year") and f.value[2])
        index.domains.update(host(m.group()) for m in DOMAIN_RE.finditer(text))
        index.epithets.update(lower[i + 1] for i in range(len(raw) - 1)
                              if lower[i] in REGION_WORDS and caps[i + 1] and lower[i + 1] not in DIRECTIONS)
    index.idf = {w: math.log((1 + len(texts)) / (1 + c)) + 1 for w, c in df.items()}
    return index


def host(address: str) -> str:
    """``www.Tinhte.vn`` -> ``tinhte.vn``."""
    address = address.lower()
    return address[4:] if address.startswith("www.") else address


def _initials(words: list[str], folded: list[str]) -> set[str]:
    """Initials of the runs starting at words[0]: Viện kiểm sát nhân dân -> VK, VKS, VKSN, VKSND; also
    without "và" and "của", which short forms leave out (Giáo dục và Đào tạo -> GDĐT, written GD-ĐT)."""
    out, acc, short = set(), "", ""
    for i, (w, f) in enumerate(zip(words, folded)):
        letters = f.upper() if w.isupper() and len(w) > 1 else f[:1].upper()
        acc += letters
        if w in SKIPPED:  # left out only between two capitalised words: "Giáo dục và Đào tạo", not "Việt Nam và một"
            short = short if i + 1 < len(words) and words[i + 1][:1].isupper() else None
        elif short is not None:
            short += letters
        out.update(a for a in (acc, short) if a and len(a) >= 2)
    return out


SKIPPED = {"và", "của"}


@functools.lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    return fold(word)


class IndexCache:
    """The indexes of the most recently checked articles, keyed by their text; one lock guards it."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[str, ArticleIndex] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, title: str, paragraphs: list[str], date: str | None = None,
            page: list[str] | tuple[str, ...] = ()) -> ArticleIndex:
        key = hashlib.sha256("\n\n".join([date or "", title, *paragraphs, "\x1e", *page]).encode("utf-8", "replace")
                             ).hexdigest()
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
                return hit
        index = build_index(title, paragraphs, date, page)
        with self._lock:
            self._items[key] = index
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return index


_CACHE = IndexCache()


def index_article(title: str, paragraphs: list[str], date: str | None = None,
                  page: list[str] | tuple[str, ...] = ()) -> ArticleIndex:
    """The article's index, built on first use and reused (``date``: the page's date, from the cleaner;
    ``page``: the lines of the page beside the article, see :func:`page_lines`)."""
    return _CACHE.get(title, paragraphs, date, tuple(page))


def index_of(article) -> ArticleIndex:
    """The index of a cleaned :class:`~viensum.results.Article`: its text, date and page lines."""
    return index_article(article.title, article.paragraphs, article.date, page_lines(article))
