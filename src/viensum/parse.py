"""An input made into an :class:`~viensum.results.Article`: cleaned, or parsed as already clean text.

Stage 2 of :mod:`viensum.stages` starts here. ``clean=True`` hands the input to the
cleaner (:func:`viensum.clean.clean_article`) with the format its reader found
(``"html"`` for an .html file or a record's ``html`` field, ``None`` to guess);
``clean=False`` reads it as ``Article.text`` writes it: headline, blank line,
paragraphs. Either way the article's language is detected.
"""
from __future__ import annotations

import re

from viensum.errors import InputError
from viensum.results import Article
from viensum.text import decode_bytes, normalize_text

# Article.text puts the headline first: one short line without end punctuation
_MAX_TITLE_WORDS = 40
_END_PUNCTUATION = (".", "!", "?", "…", ":")


def as_article(obj: str | bytes | Article, *, clean: bool, fmt: str | None = None) -> Article:
    """Turn pipeline input into an :class:`Article`: cleaned (``fmt`` as its reader says), or parsed as clean text.

    An Article is returned as it is. Raises :class:`InputError` for empty, binary or invalid input.
    """
    if isinstance(obj, Article):
        return obj
    if not isinstance(obj, (str, bytes)):
        raise InputError(f"expected article text (str, bytes or Article), got {type(obj).__name__}")
    if isinstance(obj, str) and (bad := re.search("[\ud800-\udfff]", obj)):
        raise InputError(f"the text is not valid Unicode: an unpaired surrogate at character {bad.start():,}")
    if clean:
        from viensum.clean import clean_article

        return clean_article(obj, fmt=fmt)
    return parse_text(decode_bytes(obj) if isinstance(obj, bytes) else obj)


def parse_text(text: str) -> Article:
    """Already clean text (``Article.text``): the headline, then paragraphs between blank lines
    (or one per line when there are no blank lines)."""
    text = normalize_text(text)
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) == 1:  # no blank lines: one paragraph per line
        blocks = [line for line in blocks[0].split("\n") if line.strip()]
    blocks = [" ".join(b.split()) for b in blocks]
    if not blocks:
        raise InputError("the input is empty")
    title = ""
    if len(blocks) > 1 and len(blocks[0].split()) <= _MAX_TITLE_WORDS and not blocks[0].endswith(_END_PUNCTUATION):
        title, blocks = blocks[0], blocks[1:]
    language, score = detect_language(" ".join([title] + blocks))
    return Article(title=title, paragraphs=blocks, language=language, language_score=score)


def detect_language(text: str) -> tuple[str, float | None]:
    """(language code, score); ``("vi", None)`` when the optional detector is not installed."""
    try:
        from viensum.langdetect import detect_language as detect
    except ImportError:  # the detector is optional: assume the documented input language
        return "vi", None
    return detect(text)
