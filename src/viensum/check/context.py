"""Judgements that need the sentence around a fact, not only the fact: a code's owner, a moved fact.

:func:`owners_of_codes` lets pass a name the writer added beside a code the
article gives (``Vingroup's VIC``); :func:`defined_here` a short form the
summary defines itself (``Ministry of Education and Training (MoET)``); :func:`misplaced` flags a number or name
the article has, but never together with what the summary's clause ties it to
(``VIC rose 2.5%`` when 2.5% is VHM's). Both take and return the sentence's
(fact, verdict) pairs; :func:`viensum.check.core.check_sentence` calls them in
that order.
"""
from __future__ import annotations

import re

from viensum.check.compare import OK, PROBLEM, UNCHECKED, Verdict
from viensum.check.facts import NAME, NUMBER, Fact, fold
from viensum.check.index import Unit
from viensum.check.names import is_vietnamese_syllable

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


FUNCTION_WORDS = {"of", "and", "for", "the", "&", "on", "in", "va", "cua"}  # (folded) an acronym may skip or keep them


def defined_here(text: str, verdicts: list[tuple[Fact, Verdict]]) -> list[tuple[Fact, Verdict]]:
    """A short form the summary defines itself is unchecked, not a problem: "the Ministry of Education and
    Training (MoET)". It stands for the words before it, which are checked (or not) as they are."""
    out = []
    for f, v in verdicts:
        if (f.kind == NAME and v.status == PROBLEM and text[f.start - 2:f.start] == " (" and text[f.end:f.end + 1] == ")"
                and _initials_of(text[:f.start - 2], "".join(ch for ch in fold(f.text) if ch.isalpha()))):
            v = Verdict(UNCHECKED)
        out.append((f, v))
    return out


def _initials_of(before: str, letters: str) -> bool:
    """Whether ``letters`` are the initials of the words that end ``before`` (function words optional)."""
    words = [fold(w) for w in re.findall(r"[^\W\d_][\w'’-]*|&", before)[-12:]]
    for k in range(2, len(words) + 1):
        if _spells(words[-k:], letters):
            return True
    return False


def _spells(words: list[str], letters: str) -> bool:
    if not words:
        return not letters
    head, rest = words[0], words[1:]
    takes = bool(letters) and letters[0] == head[0] and _spells(rest, letters[1:])
    return takes or (head in FUNCTION_WORDS and _spells(rest, letters))


# where a clause ends: what one clause states together, the article should state together
CLAUSE_RE = re.compile(r"[,;:]\s|\s(?:while|whereas|but|as|after|when|with|since|because|trong khi|nhưng|còn|khi|"
                       r"sau khi|với|nhờ|vì)\s", re.IGNORECASE)


MIN_ANCHORS = {NUMBER: 2, NAME: 2}  # ties a fact needs before it can be called moved: see misplaced()


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


__all__ = ["clauses", "defined_here", "misplaced", "owners_of_codes"]
