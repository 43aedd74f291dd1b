"""Checking sentences against an article: the facts each sentence states, where it comes from, what is wrong.

:func:`check_sentence` is the one implementation every runner calls (the
``check()`` API, the CLI, the Summarizer's hook, the benchmark): read the
sentence's facts, judge each against the article's index (compare.py), align
the sentence (align.py), and turn what is not supported into
:class:`~viensum.check.results.Problem` records with a note a reader understands.
"""
from __future__ import annotations

import math
import re

from viensum.check.align import exact_sources, fact_sources, lexical_sources, translation_sources
from viensum.check.compare import OK, PROBLEM, UNCHECKED, Verdict, judge, said
from viensum.check.dates import MONTHS, find_dates
from viensum.check.facts import DATE, NAME, NUMBER, UNSUPPORTED, Fact, fold, overlaps
from viensum.check.index import ArticleIndex, Unit
from viensum.check.names import find_names, is_vietnamese_syllable
from viensum.check.numbers import find_numbers
from viensum.check.results import Problem, SentenceCheck, Source

WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def sentence_facts(text: str, lang: str) -> list[Fact]:
    """The numbers, dates and names of one sentence, each span read once (a date is not also two numbers)."""
    dates = find_dates(text, lang)
    spans = [(f.start, f.end) for f in dates]
    numbers = find_numbers(text, lang, spans)
    spans += [(f.start, f.end) for f in numbers]
    names = [f for f in find_names(text, lang)
             if not overlaps((f.start, f.end), spans) and not set(f.value) <= (set(MONTHS) | WEEKDAYS)]
    return sorted(dates + numbers + names, key=lambda f: f.start)


def check_sentence(text: str, index: ArticleIndex, lang: str, *, sources: list[Source] | None = None,
                   method: str | None = None) -> SentenceCheck:
    """One sentence checked: ``sources`` given (exact alignment known) are kept, else it is aligned here."""
    verdicts = owners_of_codes(text, [(f, judge(f, index, lang)) for f in sentence_facts(text, lang)])
    verdicts = misplaced(text, verdicts)
    if sources is None:
        sources, method = align(text, index, lang, verdicts)
    near = _units_of(sources, index)
    problems = [problem(f, v, near or _same_unit(f, index)) for f, v in verdicts if v.status == PROBLEM]
    unchecked = [f.text for f, v in verdicts if v.status == UNCHECKED]
    if not sources and method != "none" and not problems:
        problems.append(Problem(UNSUPPORTED, text, "", "no sentence of the article says this"))
    return SentenceCheck(text, list(sources), problems, method or "none", unchecked)


# a name right beside a code the article gives: "Vingroup's VIC", "Vingroup (VIC)", "VIC (Vingroup)", "VIC của Vingroup"
NAME_THEN_CODE = ("'s ", "’s ", " (")
CODE_THEN_NAME = (" (", " của ", " of ")


def owners_of_codes(text: str, verdicts: list[tuple[Fact, Verdict]]) -> list[tuple[Fact, Verdict]]:
    """A name the article lacks, written as the owner of a code (a ticker, an acronym) it has, is unchecked.

    The article says ``VIC``; the writer adds whose it is (``Vingroup's VIC``) from what they know. That
    cannot be checked against the article, and it is not the article's fact changed: the code is checked.
    """
    codes = [(f.start, f.end) for f, v in verdicts if f.kind == NAME and f.unit == "acronym" and v.status == OK]
    out = []
    for f, v in verdicts:
        if f.kind == NAME and v.status == PROBLEM and f.unit not in ("person", "acronym") and not _vietnamese(f) and any(
                (text[f.end:start] in NAME_THEN_CODE and (text[f.end:start] != " (" or text[end:end + 1] == ")"))
                or (text[end:f.start] in CODE_THEN_NAME and (text[end:f.start] != " (" or text[f.end:f.end + 1] == ")"))
                for start, end in codes):
            v = Verdict(UNCHECKED)
        out.append((f, v))
    return out


# where a clause ends: what one clause states together, the article should state together
CLAUSE_RE = re.compile(r"[,;:]\s|\s(?:while|whereas|but|as|after|when|with|since|because|trong khi|nhưng|còn|khi|"
                       r"sau khi|với|nhờ|vì)\s", re.IGNORECASE)


MIN_ANCHORS = {NUMBER: 2, NAME: 2}  # see misplaced()


def clauses(text: str) -> list[tuple[int, int]]:
    bounds = [0] + [m.end() for m in CLAUSE_RE.finditer(text)] + [len(text)]
    return list(zip(bounds, bounds[1:]))


def misplaced(text: str, verdicts: list[tuple[Fact, Verdict]]) -> list[tuple[Fact, Verdict]]:
    """A fact the article has, but never in one paragraph with what its clause ties it to, was moved.

    "VIC rose 2.5% to 256,100 dong" when the article says "VIC tăng 4,74% lên 256.100 đồng" and, in another
    paragraph, "VHM tăng 2,5%": 2.5% is in the article, but in no paragraph with VIC or 256,100. A number
    is tied to the names and numbers of its clause, a name to its numbers; at least two of them must be there (one name
    beside a number may be a subject the summary joined from another sentence, and names are spread
    too widely over an article to place by one), and none of them in an article paragraph with it.
    """
    placed = [(f, v) for f, v in verdicts if v.status == OK and v.units and _anchor(f)]
    ids = {id(f) for f, _ in placed}
    out = []
    for f, v in verdicts:
        if id(f) in ids:
            clause = next(((a, b) for a, b in clauses(text) if a <= f.start < b), (0, len(text)))
            anchors = [w for g, w in placed if g is not f and clause[0] <= g.start < clause[1]
                       and (f.kind == NUMBER or g.kind == NUMBER)]
            if len(anchors) >= MIN_ANCHORS[f.kind] and not any(_together(v.units, w.units) for w in anchors):
                v = Verdict(PROBLEM, note=_moved_note(f, v.units[0]), hint=v.units[0].text[:120])
        out.append((f, v))
    return out


def _moved_note(fact: Fact, unit: Unit) -> str:
    where = unit.text if len(unit.text) <= 120 else unit.text[:119] + "…"
    what = "gives" if fact.kind == NUMBER else "names"
    return f"the article {what} {fact.text} about something else: \"{where}\""


def _anchor(fact: Fact) -> bool:
    """Facts specific enough to place: written numbers other than small counts, names that are not a lone opening word."""
    if fact.kind == NUMBER:
        return fact.unit != "doc" and any(ch.isdigit() for ch in fact.text) and (fact.value > 10 or fact.step < 1)
    return fact.kind == NAME and fact.unit != "opening"


def _together(units: list[Unit], others: list[Unit]) -> bool:
    """In one paragraph of the article: a summary joins a sentence's subject with the figure of the next
    ("a couple who borrowed VND3.6 billion to buy a villa in Phan Thiet"), seldom across paragraphs."""
    paragraphs = {u.paragraph for u in units}
    return any(u.paragraph in paragraphs for u in others)


def _vietnamese(fact: Fact) -> bool:
    """Vietnamese words in the name (``Bình Dương`` in "Môi trường Bình Dương (BWE)"): the article must have them."""
    words = [w for w in fact.value if len(w) > 1]
    return bool(words) and (all(map(is_vietnamese_syllable, words))
                            or any(a and b for a, b in zip(map(is_vietnamese_syllable, words),
                                                            map(is_vietnamese_syllable, words[1:]))))


def align(text: str, index: ArticleIndex, lang: str, verdicts: list[tuple[Fact, Verdict]]
          ) -> tuple[list[Source], str]:
    found = exact_sources(text, index)
    if found:
        return found, "exact"
    if lang == "vi":
        return lexical_sources(text, index), "lexical"
    if index.translated:
        return translation_sources(text, index), "translation"
    checked = [v for _, v in verdicts if v.status != UNCHECKED]
    if not checked:
        return [], "none"
    return fact_sources([v.units for v in checked if v.status == OK]), "facts"


def _units_of(sources: list[Source], index: ArticleIndex) -> list[Unit]:
    wanted = {(s.paragraph, s.sentence) for s in sources}
    paragraphs = {s.paragraph for s in sources if s.sentence < 0}
    return [u for u in index.units if (u.paragraph, u.sentence) in wanted or u.paragraph in paragraphs]


def _same_unit(fact: Fact, index: ArticleIndex) -> list[Unit]:
    """With no source to look in: the article sentences with a sum of money, a percentage ... like the fact's."""
    if fact.kind != NUMBER or fact.unit in ("", "doc"):
        return []
    return [u for u in index.units if any(f.kind == NUMBER and f.unit == fact.unit for f in u.facts)]


def problem(fact: Fact, verdict: Verdict, near: list[Unit]) -> Problem:
    """The record of an unsupported fact: what the article says nearby, and a note for the reader."""
    other = _nearby(fact, near)
    source = said(other) if other is not None else verdict.hint
    if verdict.note:
        note = verdict.note
    elif fact.kind == NAME:
        note = f"the article does not mention {fact.text}" + (f"; it names {verdict.hint}" if verdict.hint else "")
    elif other is not None:
        note = f"the article says {said(other)}"
    else:
        note = (f"the article has no {fact.reading}" if fact.kind == NUMBER
                else f"the article gives no {'time' if fact.unit == 'time' else 'date'} {fact.reading}")
    return Problem(fact.kind, fact.text, source, note)


def _nearby(fact: Fact, near: list[Unit]) -> Fact | None:
    """The article's fact of the same kind in the sentence's sources that is likeliest meant instead."""
    if fact.kind == NAME:
        return None
    same = [f for u in near for f in u.facts if f.kind == fact.kind and f.unit == fact.unit]
    if not same:
        return None
    if fact.kind == NUMBER and fact.unit != "doc":
        return min(same, key=lambda f: abs(math.log10(abs(f.value) + 1e-9) - math.log10(abs(fact.value) + 1e-9)))
    if fact.kind == DATE and fact.unit == "date":
        return min(same, key=lambda f: sum(a != b for a, b in zip(f.value, fact.value)))
    return same[0]


__all__ = ["align", "check_sentence", "fold", "problem", "sentence_facts"]
