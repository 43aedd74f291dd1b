"""Numbers in Vietnamese and English text: layouts, scale words, number words, percent and currency.

``1.500`` is 1500 and ``1,5`` is 1.5 in Vietnamese; ``1,500.5`` is English.
A group of exactly three digits after the only separator is read the
language's way (``1.500``: 1500 in Vietnamese, 1.5 in English); any other
shape has one reading (``25,36`` and ``25.36`` are both 25.36). Scale words
(nghìn/ngàn, triệu, tỷ/tỉ; thousand, million, billion) multiply, number words
(hai, mười, two, twenty-five) count, and what follows says the unit: percent,
đồng/USD, times. Every rule is data in the tables below.
"""
from __future__ import annotations

import re

from viensum.check.facts import NUMBER, Fact, overlaps

SCALES = {
    "nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9,
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9, "tn": 1e12,
}
SCALE_NAMES = {1e3: "thousand", 1e6: "million", 1e9: "billion", 1e12: "trillion", 1e15: "quadrillion"}

WORDS = {
    "en": {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
           "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
           "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
           "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
           "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
           "twice": 2, "double": 2, "triple": 3, "half": 0.5},
    # "một" (one, also "a") and "năm" (five, also "year") are left out: too often not a count
    "vi": {"hai": 2, "ba": 3, "bốn": 4, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10, "trăm": 100,
           "chục": 10, "đôi": 2, "nửa": 0.5, "rưỡi": 0.5},
}
# a word number that only counts before a scale word ("one million", "một triệu")
SCALE_ONLY_WORDS = {"one": 1, "a": 1, "một": 1, "năm": 5}

PERCENT = {"%", "phần trăm", "percent", "per cent", "percentage point", "percentage points", "điểm phần trăm",
           "pct"}
CURRENCIES = {
    "đồng": "VND", "vnd": "VND", "vnđ": "VND", "dong": "VND", "vn dong": "VND",
    "usd": "USD", "us$": "USD", "$": "USD", "đô la": "USD", "đô la mỹ": "USD", "dollar": "USD", "dollars": "USD",
    "us dollars": "USD", "eur": "EUR", "euro": "EUR", "euros": "EUR", "€": "EUR", "yen": "JPY", "yên": "JPY",
    "nhân dân tệ": "CNY", "yuan": "CNY",
}
TIMES = {"lần", "times", "fold"}
# what a number measures, when the word after it says so in a way every translation keeps (a count of
# people may be "đại biểu", "delegates" or "people", so counts are left out): 2.5 tonnes is not 2.5 times
MEASURES = {
    "điểm": "points", "point": "points", "points": "points", "điểm phần trăm": "%",
    "tấn": "tonnes", "tonne": "tonnes", "tonnes": "tonnes", "ton": "tonnes", "tons": "tonnes",
    "kg": "kg", "kilogram": "kg", "kilograms": "kg", "kilôgam": "kg",
    "mw": "MW", "megawatt": "MW", "megawatts": "MW", "kw": "kW", "kwh": "kWh", "gw": "GW",
    "km": "km", "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km", "ki-lô-mét": "km",
    "ha": "ha", "hectare": "ha", "hectares": "ha", "héc-ta": "ha", "hecta": "ha", "m2": "m2", "m²": "m2",
    "độ": "degrees", "degree": "degrees", "degrees": "degrees", "°c": "degrees",
    "phút": "minutes", "minute": "minutes", "minutes": "minutes",
    "tháng": "months", "month": "months", "months": "months",
    "ngày": "days", "day": "days", "days": "days", "tuần": "weeks", "week": "weeks", "weeks": "weeks",
    "năm": "years", "year": "years", "years": "years", "tuổi": "years old", "years old": "years old",
}
EXCLUSIVE = set(MEASURES.values()) | {"times"}  # a number of one of these is no number of another
UNIT_NAMES = {"VND": "dong", "USD": "US dollars", "EUR": "euros", "JPY": "yen", "CNY": "yuan", "%": "percent",
              "times": "times"}

_NUM = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
NUMBER_RE = re.compile(rf"(?<![\w.,])(?P<cur>(?:US\$|\$|€|USD\s?|VND\s?)?)(?P<num>{_NUM})(?P<ord>st|nd|rd|th)?(?![.,]\d)")
_SCALE_RE = re.compile(r"\s*(?:-\s*)?(" + "|".join(sorted(map(re.escape, SCALES), key=len, reverse=True)) + r")\b",
                       re.IGNORECASE)
_UNIT_RE = re.compile(r"\s*(" + "|".join(sorted(map(re.escape, PERCENT | set(CURRENCIES) | TIMES), key=len,
                                                 reverse=True)) + r")(?!\w)", re.IGNORECASE)
_WORD_RE = re.compile(r"(?<!\w)([^\W\d_]+(?:-[^\W\d_]+)?)(?!\w)")
_MEASURE_RE = re.compile(r"\s*(" + "|".join(sorted(map(re.escape, MEASURES), key=len, reverse=True)) + r")(?!\w)",
                         re.IGNORECASE)


def parse_number(raw: str, lang: str) -> tuple[float, float]:
    """``(value, step)`` of a digit string written in ``lang``'s layout."""
    if "," in raw and "." in raw:
        decimal = "," if raw.rfind(",") > raw.rfind(".") else "."
    else:
        mark = "," if "," in raw else "." if "." in raw else ""
        groups = raw.split(mark) if mark else [raw]
        if not mark:
            decimal = ""
        elif len(groups) > 2 or (len(groups[1]) == 3 and mark == {"vi": ".", "en": ","}.get(lang, ",")):
            decimal = ""  # thousands separators only
        else:
            decimal = mark
    if decimal:
        whole, frac = raw.rsplit(decimal, 1)
        whole = whole.replace(",", "").replace(".", "")
        return float(f"{whole}.{frac}"), 10.0 ** -len(frac)
    return float(raw.replace(",", "").replace(".", "")), 1.0


def _scale_after(text: str, pos: int) -> tuple[float, int]:
    factor, end = 1.0, pos
    for _ in range(2):  # "nghìn tỷ": a thousand billion
        m = _SCALE_RE.match(text, end)
        if not m or (m.group(1).lower() in ("k", "m") and m.group(0).startswith(" ")):
            break
        factor *= SCALES[m.group(1).lower()]
        end = m.end()
    return factor, end


def _unit_after(text: str, pos: int) -> tuple[str, int]:
    m = _UNIT_RE.match(text, pos)
    if not m:
        return _measure_after(text, pos)
    word = m.group(1).lower()
    if word in PERCENT:
        return "%", m.end()
    if word in TIMES:
        return "times", m.end()
    return CURRENCIES[word], m.end()


def _measure_after(text: str, pos: int) -> tuple[str, int]:
    """``points`` for "25,36 điểm" or "25.36 points"; the span stays the number's (the word is not part of it)."""
    m = _MEASURE_RE.match(text, pos)
    return (MEASURES[m.group(1).lower()], pos) if m else ("", pos)


def reading(value: float, unit: str) -> str:
    """How an English reader says a number: ``1.5 billion dong``, ``1,853.08``, ``4.74%``."""
    scale = next((s for s in sorted(SCALE_NAMES, reverse=True) if abs(value) >= s and s >= 1e6), None)
    if scale:
        text = f"{value / scale:,.3f}".rstrip("0").rstrip(".") + " " + SCALE_NAMES[scale]
    else:
        text = f"{value:,.4f}".rstrip("0").rstrip(".")
    if unit == "%":
        return text + "%"
    if unit in UNIT_NAMES:
        return f"{text} {UNIT_NAMES[unit]}"
    return text


def find_numbers(text: str, lang: str, skip: list[tuple[int, int]] | None = None) -> list[Fact]:
    """Every number of ``text`` (digits or words) with its scale and unit, outside the ``skip`` spans."""
    skip = list(skip or [])
    facts: list[Fact] = []
    for m in NUMBER_RE.finditer(text):
        if overlaps(m.span("num"), skip):
            continue
        value, step = parse_number(m.group("num"), lang)
        factor, end = _scale_after(text, m.end())
        unit, end = _unit_after(text, end)
        if m.group("cur"):
            unit = CURRENCIES.get(m.group("cur").strip().lower(), unit)
        start = m.start("cur") if m.group("cur") else m.start("num")
        facts.append(Fact(NUMBER, text[start:end].strip(), start, end, value * factor, unit, step * factor,
                          reading(value * factor, unit)))
        skip.append((start, end))
    facts.extend(_word_numbers(text, lang, skip))
    facts.extend(_roman_numbers(text, skip))
    return sorted(facts, key=lambda f: f.start)


# Roman numerals where Vietnamese counts with them: "Đại hội XIV", "Quốc hội khóa XV", "lần thứ I", "thế kỷ XXI"
_ROMAN_RE = re.compile(r"(?:\b(?:khóa|khoá|thứ|đại hội|thế kỷ|thế kỉ|quý|kỳ|kì)\s+)(?P<r>[IVXL]{1,7})(?![\w])",
                       re.IGNORECASE)
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


def roman_value(raw: str) -> int | None:
    """``XIV`` -> 14; None for what is no well-formed numeral."""
    total = 0
    for i, ch in enumerate(raw):
        value = _ROMAN[ch]
        total += -value if i + 1 < len(raw) and _ROMAN[raw[i + 1]] > value else value
    return total if total and _to_roman(total) == raw else None


def _to_roman(n: int) -> str:
    out = ""
    for value, letters in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _roman_numbers(text: str, skip: list[tuple[int, int]]) -> list[Fact]:
    facts = []
    for m in _ROMAN_RE.finditer(text):
        raw = m.group("r")
        value = roman_value(raw) if raw.isupper() else None
        if value is not None and not overlaps(m.span("r"), skip):
            facts.append(Fact(NUMBER, raw, m.start("r"), m.end("r"), float(value), "", 1.0, str(value)))
            skip.append(m.span("r"))
    return facts


def _words_re(lang: str) -> re.Pattern[str]:
    if lang not in _WORDS_RE:
        names = sorted(set(WORDS.get(lang, WORDS["en"])) | set(SCALE_ONLY_WORDS), key=len, reverse=True)
        alt = "|".join(map(re.escape, names))
        _WORDS_RE[lang] = re.compile(rf"(?<!\w)((?:{alt})(?:-(?:{alt}))?)(?!\w)", re.IGNORECASE)
    return _WORDS_RE[lang]


_WORDS_RE: dict[str, re.Pattern[str]] = {}


def _word_numbers(text: str, lang: str, skip: list[tuple[int, int]]) -> list[Fact]:
    words = WORDS.get(lang, WORDS["en"])
    facts = []
    for m in _words_re(lang).finditer(text):  # only the words that can be numbers: cheap on a long article
        if overlaps(m.span(), skip):
            continue
        word = m.group(1).lower()
        value = _word_value(word, words)
        factor, end = _scale_after(text, m.end())
        if value is None and factor > 1 and word in SCALE_ONLY_WORDS:
            value = SCALE_ONLY_WORDS[word]
        if value is None:
            continue
        end2 = end
        if lang == "vi" and word == "mười":  # mười hai = 12
            nxt = _WORD_RE.match(text, m.end() + 1)
            if nxt and nxt.group(1).lower() in words and words[nxt.group(1).lower()] < 10:
                value, end2 = 10 + words[nxt.group(1).lower()], nxt.end()
                factor, end2 = _scale_after(text, end2)
        unit, end2 = _unit_after(text, max(end, end2))
        facts.append(Fact(NUMBER, text[m.start():end2].strip(), m.start(), end2, value * factor, unit,
                          factor if value >= 1 else 0.5 * factor, reading(value * factor, unit)))
        skip.append((m.start(), end2))
    return facts


def _word_value(word: str, words: dict[str, float]) -> float | None:
    if word in words:
        return words[word]
    if "-" in word:  # twenty-five
        tens, _, ones = word.partition("-")
        if words.get(tens, 0) >= 20 and words.get(ones, 10) < 10:
            return words[tens] + words[ones]
    return None
