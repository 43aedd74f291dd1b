"""Dates, times, years and document numbers in Vietnamese and English text.

``16/7``, ``ngày 16 tháng 7 năm 2026``, ``30 tháng 9``, ``ngày 9-10``, ``tháng 7/2026``,
``16 July 2026``, ``July 16``, ``December 2022``, ``19:30``, ``19h30``,
``7.30pm``, ``chiều 24/12``, years, and decree-style numbers
(``357/2025/NĐ-CP`` = ``357/2025/ND-CP``). A date's value is
``(day, month, year)`` with ``None`` for what was not written; a time's is
``(hour, minute)``; a document number's is its folded, upper-case form.
"""
from __future__ import annotations

import dataclasses
import re

from viensum.check.facts import DATE, NUMBER, Fact, fold, overlaps

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
MONTH_NAMES = ["", "January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]
AFTERNOON = {"chiều", "tối", "đêm", "pm", "p.m.", "p.m"}
_MON = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")(?:(?<=\b[A-Za-z]{3})\.|(?<=\bSept)\.)?"
_YEAR = r"(?P<y>1[89]\d\d|20\d\d|2100)"
_PART = r"(?:(?P<part>sáng|trưa|chiều|tối|đêm|rạng sáng)\s+(?:ngày\s+|hôm\s+)?)?"

# (pattern, what it gives); tried in this order, a later pattern never overlaps an earlier match
PATTERNS: list[tuple[re.Pattern[str], str]] = [(re.compile(p, re.IGNORECASE), kind) for p, kind in [
    (r"(?P<doc>\d+/\d{4}/[A-ZĐa-zđ]+(?:-[A-ZĐa-zđ]+)+)", "doc"),
    (r"(?<![\d/.,-])" + _YEAR + r"-(?P<m>\d\d)-(?P<d>\d\d)(?![\d/])", "date"),  # ISO, as page metadata gives it
    (_PART + r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?:\s+năm\s+" + _YEAR + r")?", "date"),
    (_PART + r"(?<![\d/.,])(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-]" + _YEAR + r"(?![\d/])", "date"),
    (_PART + r"(?<![\d/.,])(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?![\d/.,])(?:\s+năm\s+" + _YEAR + r")?", "date"),
    (r"(?<![\d/.,])(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MON + r"(?:,?\s+" + _YEAR + r")?(?!\w)", "date"),
    (r"(?<!\w)" + _MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?!\d)(?:,?\s+" + _YEAR + r")?", "date"),
    (r"(?<!\w)" + _MON + r",?\s+(?:of\s+)?" + _YEAR, "month"),
    (r"tháng\s+(?P<m>\d{1,2})(?:\s*[/-]\s*|\s+năm\s+)" + _YEAR, "month"),
    (r"(?P<h>\d{1,2})\s*(?::|h|giờ)\s*(?P<min>\d{2})(?:\s*phút)?(?:\s*(?P<ampm>[ap]\.?m\.?))?(?!\d)", "time"),
    (r"(?P<h>\d{1,2})(?:[.:](?P<min>\d{2}))?\s*(?P<ampm>[ap]\.m\.|[ap]m)(?!\w)", "time"),
    (r"(?P<h>\d{1,2})\s*(?:giờ|h)(?!\w)(?:\s+(?P<part2>sáng|trưa|chiều|tối|đêm))?", "time"),
    (_PART + r"(?<![\d/.,])(?P<d>\d{1,2})/(?P<m>\d{1,2})(?![\d/]|[.,]\d)", "date"),
    (r"(?:(?P<part>sáng|trưa|chiều|tối|đêm)\s+(?:ngày\s+|hôm\s+)?|(?:ngày|hôm)\s+)(?P<d>\d{1,2})-(?P<m>\d{1,2})(?![\d/])",
     "date"),  # "ngày 9-10", "sáng 1-10": a date; a bare "9-10" may be a range
    (r"(?<!\w)tháng\s+(?P<m>\d{1,2})(?![\d/.,])", "month"),
    (r"(?<![\w.,/])" + _YEAR + r"(?![\w/]|[.,]\d)", "year"),
]]
# day-month with a dash and no "ngày" before it: a date or a range; the article keeps both readings
LOOSE_DASH = re.compile(r"(?<![\d/.,])(?P<d>\d{1,2})-(?P<m>\d{1,2})(?![\d/]|[.,]\d)")
_SCALE_AFTER = re.compile(r"\s*(?:%|triệu|tỷ|tỉ|nghìn|ngàn|million|billion|thousand|đồng|usd|people|người)",
                          re.IGNORECASE)


# two days of one month: "11 và 12/6", "9-10/6/2026", "11-12 June", "June 11-12"; each day is a date
DAY_RANGES = [re.compile(p, re.IGNORECASE) for p in [
    r"(?<![\d/.,])(?P<d>\d{1,2})\s*(?:-|–|và|,|đến)\s*(?P<d2>\d{1,2})/(?P<m>\d{1,2})(?:/" + _YEAR + r")?(?![\d/])",
    r"(?<![\d/.,])(?P<d>\d{1,2})\s*(?:-|–|and|to)\s*(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MON
    + r"(?:,?\s+" + _YEAR + r")?(?!\w)",
    r"(?<!\w)" + _MON + r"\s+(?P<d>\d{1,2})\s*(?:-|–|and|to)\s*(?P<d2>\d{1,2})(?!\d)(?:,?\s+" + _YEAR + r")?",
]]


def find_dates(text: str, lang: str) -> list[Fact]:
    """Dates, times, years and document numbers of ``text``."""
    facts: list[Fact] = []
    taken: list[tuple[int, int]] = []
    for pattern in DAY_RANGES:
        for m in pattern.finditer(text):
            first = None if overlaps(m.span(), taken) else _fact(m, "date", text)
            if first is not None and 1 <= int(m.group("d2")) <= 31:
                day, month, year = first.value
                second = (int(m.group("d2")), month, year)
                facts += [first, dataclasses.replace(first, value=second, reading=date_reading(*second))]
                taken.append(m.span())
    for pattern, kind in PATTERNS:
        for m in pattern.finditer(text):
            if overlaps(m.span(), taken):
                continue
            fact = _fact(m, kind, text)
            if fact is not None:
                facts.append(fact)
                taken.append(m.span())
    return sorted(facts, key=lambda f: f.start)


def loose_dates(text: str, taken: list[tuple[int, int]]) -> list[Fact]:
    """``9-10`` with no ``ngày`` before it read as a date too (an article keeps both readings)."""
    facts = []
    for m in LOOSE_DASH.finditer(text):
        if not overlaps(m.span(), taken) and (fact := _fact(m, "date", text)) is not None:
            facts.append(fact)
    return facts


def _fact(m: re.Match[str], kind: str, text: str) -> Fact | None:
    g = m.groupdict()
    span = (m.start(), m.end())
    written = m.group().strip()
    if kind == "doc":
        value = fold(g["doc"]).upper()
        return Fact(NUMBER, written, *span, value, "doc", 0.0, value)
    if kind == "time":
        hour, minute = int(g["h"]), int(g.get("min") or 0)
        ampm = (g.get("ampm") or "").lower()
        if hour > 24 or minute > 59:
            return None
        if (ampm.startswith("p") or (g.get("part2") or "").lower() in AFTERNOON) and hour < 12:
            hour += 12
        return Fact(DATE, written, *span, (hour, minute), "time", 0.0, f"{hour:02d}:{minute:02d}")
    if kind == "year":
        if _SCALE_AFTER.match(text, m.end()):
            return None
        year = int(g["y"])
        return Fact(DATE, written, *span, (None, None, year), "year", 0.0, str(year))
    day = int(g["d"]) if g.get("d") else None
    month = MONTHS[g["mon"].lower()] if g.get("mon") else int(g["m"])
    year = int(g["y"]) if g.get("y") else None
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    if g.get("mon", "") and g["mon"].lower() == "may" and day is None and year is None:
        return None
    return Fact(DATE, written, *span, (day, month, year), "date", 0.0, date_reading(day, month, year))


def date_reading(day: int | None, month: int | None, year: int | None) -> str:
    parts = [str(day)] if day else []
    if month:
        parts.append(MONTH_NAMES[month])
    if year:
        parts.append(str(year))
    return " ".join(parts)

