"""The unit every checker works in: a :class:`Fact` (a number, date or name found in a text), and text folding.

A fact keeps where it was written (``start``/``end`` in its sentence), what
was written (``text``) and a comparable ``value``: a float for numbers, a
``(day, month, year)`` or ``(hour, minute)`` tuple for dates and times, a
folded token tuple for names. ``step`` is the precision a number was written
with (``25,36`` -> 0.01, ``3,6 tỉ`` -> 0.1e9), so a rounded figure still matches.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

NUMBER, DATE, NAME, UNSUPPORTED = "number", "date", "name", "unsupported"


@dataclass(frozen=True)
class Fact:
    """One number, date/time or name as written in a sentence."""

    kind: str
    text: str
    start: int
    end: int
    value: Any
    unit: str = ""        # number: "%", "VND", "USD", "times", "doc"; date: "date", "year", "time"
    step: float = 0.0     # numbers: the precision as written
    reading: str = ""     # how an English reader says it ("1.5 billion dong")


_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case without diacritics: ``Lê Thị Thu Hằng`` -> ``le thi thu hang`` (đ -> d)."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def folded_tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(fold(text))


def tokens_with_case(text: str) -> list[tuple[str, str]]:
    """(raw, folded) word tokens of ``text`` (NFC), in order."""
    return [(m.group(), fold(m.group())) for m in _TOKEN_RE.finditer(unicodedata.normalize("NFC", text))]


def overlaps(a: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)
