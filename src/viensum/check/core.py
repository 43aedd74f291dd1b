"""Checking sentences against an article: the facts each sentence states, where it comes from, what is wrong.

:func:`check_sentence` is the one implementation every runner calls (the
``check()`` API, the CLI, the Summarizer's hook, the benchmark): read the
sentence's facts, judge each against the article's index (compare.py), align
the sentence (align.py), and turn what is not supported into
:class:`~viensum.check.results.Problem` records with a note a reader understands.
"""
from __future__ import annotations

import math

from viensum.check.align import exact_sources, fact_sources, lexical_sources, translation_sources
from viensum.check.compare import OK, PROBLEM, UNCHECKED, Verdict, judge, said
from viensum.check.context import defined_here, misplaced, owners_of_codes
from viensum.check.dates import MONTHS, find_dates
from viensum.check.facts import DATE, NAME, NUMBER, UNSUPPORTED, Fact, fold, overlaps
from viensum.check.index import ArticleIndex, Unit
from viensum.check.names import find_names
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
    verdicts = [(f, judge(f, index, lang)) for f in sentence_facts(text, lang)]
    verdicts = misplaced(text, defined_here(text, owners_of_codes(text, verdicts)))
    if sources is None:
        sources, method = align(text, index, lang, verdicts)
    near = _units_of(sources, index)
    problems = [problem(f, v, near or _same_unit(f, index)) for f, v in verdicts if v.status == PROBLEM]
    unchecked = [f.text for f, v in verdicts if v.status == UNCHECKED]
    if not sources and method != "none" and not problems:
        problems.append(Problem(UNSUPPORTED, text, "", "no sentence of the article says this"))
    return SentenceCheck(text, list(sources), problems, method or "none", unchecked)


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
