"""Is a summary's number, date or name in the article? One judgement per fact, against the article's index.

Numbers match when the article has the value within the precision the
summary wrote it with (``more than 25 points`` for 25,36; ``1.5 billion`` for
``1,5 tỷ``) and a compatible unit (a percentage is not a sum of money, dong are
not dollars). Dates match when every part the summary gives (day, month, year)
agrees with one article date (the year may come from elsewhere in the article);
times match on hour and minute. Names: see :func:`judge_name`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from viensum.check.facts import DATE, NAME, NUMBER, Fact, fold
from viensum.check.index import DOMAIN_RE, ArticleIndex, Unit, host
from viensum.check.numbers import EXCLUSIVE
from viensum.check.names import COMMON_ACRONYMS, GENERIC, is_english_word, is_vietnamese_syllable, place_forms

OK, PROBLEM, UNCHECKED = "ok", "problem", "unchecked"
CURRENCIES = {"VND", "USD", "EUR", "JPY", "CNY"}
HOME = {"Vietnam"}  # the country every article checked here is from (its English name in the gazetteer)


@dataclass
class Verdict:
    status: str
    units: list[Unit] = field(default_factory=list)  # where the article supports it
    note: str = ""                                  # for a problem found without looking nearby
    hint: str = ""                                  # what the article says instead, when known


def judge(fact: Fact, index: ArticleIndex, lang: str) -> Verdict:
    if fact.kind == NUMBER:
        return judge_number(fact, index)
    if fact.kind == DATE:
        return judge_date(fact, index)
    return judge_name(fact, index, lang)


def _compatible(unit: str, other: str) -> bool:
    """May the article's number with unit ``other`` be the summary's number with unit ``unit``?"""
    if unit == "%":
        return other == "%"
    if unit in CURRENCIES:
        return other not in CURRENCIES or other == unit
    if unit and other and (unit in EXCLUSIVE or other in EXCLUSIVE):  # 2.5 tonnes is not "gấp 2,5 lần"
        return unit == other
    return True


def number_matches(fact: Fact, other: Fact) -> bool:
    if fact.unit == "doc" or other.unit == "doc":
        return fact.unit == other.unit and fact.value == other.value
    eps = 1e-9 * max(1.0, abs(fact.value))
    return fact.value - fact.step / 2 - eps <= other.value < fact.value + max(fact.step, eps)


def judge_number(fact: Fact, index: ArticleIndex) -> Verdict:
    same = [(a, u) for a, u in index.facts(NUMBER) if number_matches(fact, a)]
    units = [u for a, u in same if _compatible(fact.unit, a.unit)]
    if units:
        return Verdict(OK, units)
    if fact.unit != "doc" and fact.step >= 1 and fact.value in index.years:
        return Verdict(OK, [u for u in index.units if any(f.value == (None, None, fact.value) for f in u.facts)])
    if same:
        a = same[0][0]
        return Verdict(PROBLEM, note=f"the article says {said(a)}, not {fact.reading}", hint=a.text)
    return Verdict(PROBLEM)


def judge_date(fact: Fact, index: ArticleIndex) -> Verdict:
    units = []
    for a, u in index.facts(DATE):
        if fact.unit == "time":
            ok = a.unit == "time" and a.value[1] == fact.value[1] and a.value[0] % 12 == fact.value[0] % 12
        elif fact.unit == "year":
            ok = a.unit in ("date", "year") and a.value[2] == fact.value[2]
        else:
            ok = a.unit == "date" and _date_agrees(fact.value, a.value, index.years)
        if ok:
            units.append(u)
    if not units and fact.unit == "year":
        units = [u for a, u in index.facts(NUMBER) if a.step >= 1 and a.value == fact.value[2]]
    return Verdict(OK, units) if units else Verdict(PROBLEM)


def _date_agrees(mine: tuple, theirs: tuple, years: set[int]) -> bool:
    day, month, year = mine
    if day is not None and theirs[0] != day:
        return False
    if month is not None and theirs[1] != month:
        return False
    # a year the article never gives cannot be checked (it came from the page, not the text)
    return year is None or theirs[2] == year or (theirs[2] is None and (year in years or not years))


def judge_name(fact: Fact, index: ArticleIndex, lang: str) -> Verdict:
    """A name is fine when the article has it (without diacritics), its initials or its Vietnamese form.

    Not found, it is a problem when it must have come from the article: a
    Vietnamese-looking name, a person's name after a title, a name sharing a
    word with one of the article's names, a word no English dictionary has
    (``Samsung``), an acronym, a gazetteer place, or any name in a Vietnamese
    summary. Otherwise (a translated common-noun
    name such as "State Securities Commission") it is unchecked.
    """
    value = fact.value
    written = tuple(re.findall(r"\w+", fact.text.lower()))
    accented = fold(fact.text) != fact.text.lower() and fact.unit != "acronym"
    if accented and index.has_name(value, written):  # written with diacritics: Hùng is not Hưng
        return Verdict(OK, _units_with(value, index))
    if not accented and _found(value, index):
        return Verdict(OK, _units_with(value, index))
    if DOMAIN_RE.fullmatch(fact.text):  # a web address comes from the article, whatever its words mean
        if host(fact.text) in index.domains:  # "Tinhte.vn" for "fb.com/tinhte.vn"
            return Verdict(OK, [u for u in index.units if host(fact.text) in u.text.lower()])
        return Verdict(PROBLEM, hint=_closest_name(value, index))
    region = _region(fact, index)
    if region:  # "Nghệ An" where the article says "xứ Nghệ"
        return Verdict(OK, [u for u in index.units if region in u.words])
    entry = place_forms(value)
    if entry is not None:
        english, forms = entry
        for form in forms:
            if _found(form, index) or form in index.phrases:
                return Verdict(OK, _units_with(form, index))
        if english in HOME:  # a Vietnamese article's own country goes without saying ("Vietnamese investors")
            return Verdict(UNCHECKED)
        vi = next((" ".join(w.capitalize() for w in f) for f in forms if f != value), "")
        return Verdict(PROBLEM, note=f"the article does not mention {fact.text}" + (f" ({vi})" if vi else ""))
    if accented and fact.unit != "opening" and all(is_vietnamese_syllable(w) for w in value):
        return Verdict(PROBLEM, hint=_closest_name(value, index))
    if "of" in value and fact.unit != "acronym":  # "Leila Lopes of Angola": each part on its own
        return _judge_parts(fact, index, lang)
    core = tuple(w for w in value if w not in GENERIC)
    letters = "".join(value).upper()
    if fact.unit == "acronym":
        if letters.lower() in COMMON_ACRONYMS:
            return Verdict(UNCHECKED)
        return Verdict(PROBLEM, hint=_closest_name(value, index))
    if not core:
        return Verdict(UNCHECKED)
    if _found(core, index) or (len(value) > 2 and "".join(w[0] for w in value) in index.capitalised):
        return Verdict(OK, _units_with(core, index))
    proper = tuple(w for w in core if is_vietnamese_syllable(w) or not _known_word(w))
    if proper and proper != core and _found(proper, index):  # "Binh Duong Water Corporation", "Contractor Lilama"
        return Verdict(OK, _units_with(proper, index))
    vietnamese = all(is_vietnamese_syllable(w) or len(w) == 1 for w in core)
    if any(len(run) > 1 and not _found(run, index) and not _place_found(run, index)
           for run in _syllable_runs(core)):  # "Ca Mau Water Corporation"
        return Verdict(PROBLEM, hint=_closest_name(value, index))
    if vietnamese and _place_found(core, index):  # "Ho Chi Minh City Party Committee" for "Đảng bộ TP.HCM"
        return Verdict(OK)
    if len(core) > 1 and not vietnamese and core[-1] in index.capitalised:  # "Jeff Bezos" for "Bezos"
        return Verdict(OK, _units_with(core[-1:], index))
    foreign = any(not _known_word(w) for w in core if len(w) > 2 and not w.isdigit())
    if fact.unit == "opening" and (lang == "vi" or not foreign or vietnamese):  # "Foreign investors ..."
        return Verdict(UNCHECKED)
    shares = any(w in index.capitalised and not is_vietnamese_syllable(w) for w in core if len(w) > 2)
    if lang == "vi" or vietnamese or fact.unit == "person" or shares or foreign:
        return Verdict(PROBLEM, hint=_closest_name(value, index))
    return Verdict(UNCHECKED)


def _region(fact: Fact, index: ArticleIndex) -> str:
    """The article's region word a two-word Vietnamese place name starts with (``nghệ`` of "xứ Nghệ"), or ""."""
    words = fact.text.lower().split()
    if len(words) != 2 or fact.unit == "person" or not all(is_vietnamese_syllable(w) for w in fact.value):
        return ""
    if fold(words[0]) != words[0]:  # written with diacritics: they must agree
        return words[0] if words[0] in index.epithets else ""
    return next((e for e in index.epithets if fold(e) == words[0]), "")


def _syllable_runs(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The runs of Vietnamese-looking words in a name: (ca, mau) in (ca, mau, water)."""
    runs, run = [], []
    for w in words + ("",):
        if w and is_vietnamese_syllable(w):
            run.append(w)
        elif run:
            runs.append(tuple(run))
            run = []
    return runs


def _known_word(word: str) -> bool:
    """An English word, or a place name the gazetteer knows (``Vietnam`` in "Vietnam Fatherland Front")."""
    return is_english_word(word) or place_forms((word,)) is not None


def _judge_parts(fact: Fact, index: ArticleIndex, lang: str) -> Verdict:
    parts, current = [], []
    for w in fact.value + ("of",):
        if w == "of":
            if current:
                parts.append(tuple(current))
            current = []
        else:
            current.append(w)
    verdicts = [judge_name(Fact(NAME, " ".join(p), fact.start, fact.end, p, fact.unit), index, lang) for p in parts]
    bad = [v for v in verdicts if v.status == PROBLEM]
    if bad:
        return bad[0]
    good = [u for v in verdicts if v.status == OK for u in v.units]
    return Verdict(OK, good) if good else Verdict(UNCHECKED)


def _place_found(run: tuple[str, ...], index: ArticleIndex) -> bool:
    """A place inside a longer name, found in one of its forms ("Ho Chi Minh City Party Committee": TP.HCM)."""
    entry = place_forms(run) or place_forms(run + ("city",)) or place_forms(run + ("province",))
    return entry is not None and any(_found(f, index) or f in index.phrases for f in entry[1])


def _found(value: tuple[str, ...], index: ArticleIndex) -> bool:
    if index.has_name(value):
        return True
    letters = "".join(value).upper()  # "VKSND", or written in parts: "GD-ĐT"
    return (len(value) == 1 or all(len(w) <= 3 for w in value)) and len(letters) >= 2 and letters in index.initials


def _units_with(value: tuple[str, ...], index: ArticleIndex) -> list[Unit]:
    return [u for u in index.units if all(w in u.folded for w in value)]


def _closest_name(value: tuple[str, ...], index: ArticleIndex) -> str:
    best, score = "", 0
    for a, _ in index.facts(NAME):
        shared = len(set(a.value) & set(value))
        if shared > score or (shared == score and shared and len(a.value) == len(value)):
            best, score = a.text, shared
    return best


def said(fact: Fact) -> str:
    """``1,5 tỷ đồng (1.5 billion dong)``: as the article writes it, and how an English reader says it."""
    return fact.text if fact.reading in (fact.text, "") else f"{fact.text} ({fact.reading})"
