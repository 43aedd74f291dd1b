"""Text primitives every stage shares: decoding, Unicode hygiene, sentences, words."""
from __future__ import annotations

import codecs
import re
import unicodedata

from viensum.errors import InputError

# Vietnamese sites still serve Windows-1258, where tones are combining marks:
# NFC afterwards turns them into the precomposed letters users type.
_FALLBACK_ENCODINGS = ("utf-8", "cp1258")


def decode_bytes(data: bytes) -> str:
    """Decode article bytes: UTF-8 (with or without BOM), UTF-16 (BOM), Windows-1258.

    Raises :class:`InputError` for binary data.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    sample = data[:4096]
    if sample.count(b"\x00") > len(sample) // 8 and len(sample) >= 4:
        # BOM-less UTF-16 has a NUL in every other byte of ASCII text
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _looks_textual(text):
                return text
        raise InputError("input looks like a binary file, not text")
    for enc in _FALLBACK_ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_textual(text):
            return text
    raise InputError("input is not text in UTF-8, UTF-16 or Windows-1258 (binary file?)")


def _looks_textual(text: str) -> bool:
    if not text:
        return True
    sample = text[:4096]
    bad = sum(1 for ch in sample if (unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f") or ch == "\ufffd")
    return bad / len(sample) < 0.01


# Zero-width characters (ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen), and NUL and the other C0/C1
# controls (tab and newlines aside), which are never text: a copied page or a broken file carries
# them, and they must not reach the summary models or the JSON output. Deleted in one pass.
_DROPPED_RE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def normalize_text(text: str) -> str:
    """NFC, unified newlines, folded runs of spaces, no zero-width or control characters.

    Words are never changed: only whitespace and the Unicode composition form.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    # every character _DROPPED_RE deletes is unprintable: a line printable throughout has none of them
    lines = [line if line.isprintable() else _DROPPED_RE.sub("", line) for line in text.replace("\f", "\n").split("\n")]
    lines = [line.strip() for line in fold_spaces("\n".join(lines)).split("\n")]
    return "\n".join(lines)


# the spaces other than " " that fold_spaces makes plain ones: tab, no-break, U+2000-U+200A, narrow, math, ideographic
_ODD_SPACES = "\t\u00a0" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
_SPACE_RUN_RE = re.compile(r"  +")


def fold_spaces(text: str) -> str:
    """Every run of spaces of any kind (" " and ``_ODD_SPACES``) made one plain space: every odd space
    made a plain one (str.replace, only for those present), then runs of plain spaces folded. A
    single pattern over every kind rewrote every single space of a page; here the regex only meets
    the runs (tests/unit/test_clean_gates.py compares the two)."""
    for space in _ODD_SPACES:
        if space in text:
            text = text.replace(space, " ")
    return _SPACE_RUN_RE.sub(" ", text) if "  " in text else text


# Abbreviations that end in a period inside Vietnamese news sentences.
_ABBREVIATIONS = {
    "tp", "tt", "ths", "ts", "pgs", "gs", "bs", "ks", "ls", "st", "mr", "mrs", "ms", "dr",
    "no", "vs", "etc", "q", "p", "h", "tx", "ubnd", "co", "ltd", "inc", "jr", "sr",
}
# The lookbehind starts a match only at the first mark of a run: without it a long run
# ("....") is rescanned from every position, quadratic time (minutes for 40 000 dots).
# The first mark of a run is found with the lookbehind after it, where it asks "the mark before this
# one is not a mark": a pattern that opens with a character class lets the engine skip ahead to the
# next mark instead of trying every position (tests/unit/test_clean_gates.py compares it with the
# pattern written with the lookbehind in front).
_SENT_END_RE = re.compile(r"([.!?…](?<![.!?…]{2})[.!?…]*[\"”’»)\]]*)(\s+)(?=[\"“‘«(\[]?[A-ZÀ-Ỹ0-9Đ])")


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences (Vietnamese and English punctuation rules).

    A break needs end punctuation, whitespace and a capital letter, digit or
    opening quote; known abbreviations ("TP.", "PGS.TS.") and initials do not
    end a sentence. The pieces joined with single spaces give back the input
    with its whitespace folded, so no text is ever lost.
    """
    text = " ".join(text.split())
    if not text:
        return []
    sentences: list[str] = []
    start = 0
    for m in _SENT_END_RE.finditer(text):
        if m.group(1) == ".":  # one full stop: not after an abbreviation or an initial
            stop = m.start(1)  # the last word before it, from its last dot on ("PGS.TS" -> "ts")
            last_word = text[max(text.rfind(" ", start, stop) + 1, start):stop]
            last_word = last_word[last_word.rfind(".") + 1:].lower()
            if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
                continue
        sentences.append(text[start:m.end(1)].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


_WORD_RE = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """Unicode-aware word tokens, diacritics kept, lower-cased NFC."""
    return _WORD_RE.findall(unicodedata.normalize("NFC", text).lower())


# Punctuation and symbols (none of them a word character) a news page prints between its words.
_BETWEEN_WORDS = ",.:;()[]{}\"'“”‘’«»!?-–—/\\|%…+*&@#=<>·•━─□■☆★●○◦▪©®$^~`›‹"


def words_per_line(texts: list[str]) -> list[list[str]]:
    """``[words(t) for t in texts]``, worked out for the whole page at once.

    The page is lower-cased in one call and its punctuation made spaces in one pass per mark, then
    each line split on spaces: where every piece is all letters and digits, the pieces are exactly
    the line's ``\\w+`` runs; any other line (an underscore, a rarer symbol) goes through
    :func:`words`. A page that is not NFC (so that a line might change under ``words``' NFC) goes
    through :func:`words` line by line. Line breaks stop both NFC and the final-sigma rule of
    ``lower()``, so each line of the page behaves as it would alone.
    """
    page = "\n".join(texts)
    if not texts:
        return []
    if any("\n" in t for t in texts) or not unicodedata.is_normalized("NFC", page):
        return [words(t) for t in texts]
    low = page.lower()
    spaced = low
    for mark in _BETWEEN_WORDS:
        if mark in spaced:
            spaced = spaced.replace(mark, " ")
    out = []
    for line_low, line_spaced in zip(low.split("\n"), spaced.split("\n")):
        toks = line_spaced.split()
        out.append(toks if not toks or "".join(toks).isalnum() else _WORD_RE.findall(line_low))
    return out


_STOPWORDS: frozenset[str] | None = None


def stopwords() -> frozenset[str]:
    """jusText's Vietnamese stop list (lower-cased syllables), loaded on first use."""
    global _STOPWORDS
    if _STOPWORDS is None:
        import justext

        _STOPWORDS = frozenset(w.lower() for w in justext.get_stoplist("Vietnamese"))
    return _STOPWORDS
