"""Names of people, places and organisations: finding them in a sentence, and the gazetteer.

A name is a run of capitalised words (``Lê Thị Tuyết Mai``, ``Amy Pope``,
``People's Procuracy of Area``) or an acronym (``VKSND``, ``TP.HCM``, ``IOM``).
Its value is its folded token tuple, so ``Le Thi Tuyet Mai`` equals
``Lê Thị Tuyết Mai``. English place and organisation names are mapped to their
Vietnamese forms by Babel's localised territory names and the reviewed
gazetteer in ``viensum/data/places.txt``. What counts as a title, a generic
word or a sentence-opening word is data in the sets below.
"""
from __future__ import annotations

import functools
import re
from importlib import resources

from viensum.check.facts import NAME, Fact, fold

TITLES_EN = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "ambassador", "president", "vice", "prime", "minister",
    "deputy", "director", "general", "chairman", "chairwoman", "chair", "ceo", "secretary", "governor", "senator",
    "mayor", "judge", "chief", "head", "lieutenant", "colonel", "major", "captain", "sir", "madam", "lawyer",
    "spokesman", "spokeswoman", "spokesperson", "king", "queen", "prince", "princess", "dame", "lord",
}
TITLES_VI = {  # compared lower-case with diacritics: "Bà Rịa" is a place, "bà Hằng" a person
    "ông", "bà", "anh", "chị", "cô", "chú", "em", "đại", "sứ", "chủ", "tịch", "thủ", "tướng", "bộ", "trưởng",
    "tổng", "giám", "đốc", "phó", "ts", "pgs", "gs", "ths", "bs", "ls", "tiến", "sĩ", "luật", "sư",
}
# titles that, written before a name, say it is a person (folded)
NOT_PERSON = {"bộ", "tổng", "phó", "đại", "chủ", "thủ", "chief", "head", "general", "vice", "deputy", "prime"}
GENERIC = {  # words naming the kind of place or body, not the name itself (folded)
    "city", "province", "district", "ward", "commune", "town", "village", "street", "road", "company", "companies",
    "corporation", "corp", "group", "jsc", "ltd", "co", "inc", "plc", "bank", "party", "ministry", "department",
    "court", "procuracy", "committee", "council", "commission", "agency", "office", "area", "region", "state",
    "people", "people's", "peoples", "national", "international", "the", "of", "and", "for", "index",
    "day", "eve", "week", "month", "year", "festival", "holiday", "summit", "forum", "conference", "congress",
    "session",
}  # (English only: folded Vietnamese words such as "tinh" are also name syllables: Hà Tĩnh)
STARTERS = {  # capitalised only because a sentence starts with them (folded)
    "the", "a", "an", "on", "in", "at", "it", "its", "this", "that", "these", "those", "he", "she", "they", "we",
    "i", "but", "and", "or", "after", "before", "while", "when", "as", "by", "for", "from", "with", "of", "to",
    "according", "meanwhile", "however", "also", "both", "each", "all", "some", "many", "most", "his", "her",
    "their", "our", "there", "here", "if", "since", "despite", "although", "during", "over", "under", "about",
    "between", "among", "last", "next", "this", "every", "no", "not", "one", "two", "three", "new", "only",
}
CONNECTORS = {"of", "the", "for", "de", "da", "van", "von", "al", "bin", "&"}  # "and" joins two names
COMMON_ACRONYMS = {  # acronyms that are units, currencies or titles, not names
    "usd", "vnd", "eur", "gdp", "cpi", "ceo", "cfo", "pm", "am", "ok", "tv", "id", "it", "ai", "km", "kg", "ha",
    "mw", "kwh", "m2", "ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii", "q1", "q2", "q3", "q4", "h1",
    "h2", "pct", "dong", "vnd", "nd", "cp", "qd", "ttg", "tt",
}

_TOKEN_RE = re.compile(r"[^\W\d_][\w'’]*(?:[.\-][^\W_][\w'’]*)*\.?", re.UNICODE)
_VI_SYLLABLE = re.compile(r"(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnprstvx])?[aeiouy]{1,3}"
                          r"(?:ng|nh|ch|[cmnpt])?")


def is_vietnamese_syllable(folded: str) -> bool:
    return bool(_VI_SYLLABLE.fullmatch(folded))


def is_acronym(raw: str) -> bool:
    letters = [ch for ch in raw if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _capitalised(raw: str) -> bool:
    return raw[0].isupper()


def find_names(text: str, lang: str) -> list[Fact]:
    """Capitalised runs and acronyms of one sentence, titles and sentence-opening words left out.

    ``unit`` says what the run's shape tells: ``person`` (after a title),
    ``acronym``, ``opening`` (a single word opening the sentence), else ``""``.
    """
    tokens = list(_TOKEN_RE.finditer(text))
    facts: list[Fact] = []
    run: list[re.Match[str]] = []
    for i, m in enumerate(tokens + [None]):
        raw = m.group().rstrip(".") if m else ""
        if m and (_capitalised(raw) or (run and fold(raw) in CONNECTORS and i + 1 < len(tokens)
                                        and _capitalised(tokens[i + 1].group()))):
            if run and (text[run[-1].end():m.start()] not in (" ", "-", " & ")  # a comma, bracket or " - " ends a run
                        or _ends_run(run[-1].group()) or _splits(run[-1].group(), raw, lang)):
                facts.extend(_name_facts(text, run, tokens, lang))
                run = []
            run.append(m)
            continue
        if run:
            facts.extend(_name_facts(text, run, tokens, lang))
            run = []
    return facts


def _ends_run(raw: str) -> bool:
    """A possessive or a sentence's full stop ends a name (``Vingroup's VIC``, ``Geneva. IOM``)."""
    return raw.endswith(("'s", "’s")) or (raw.endswith(".") and len(raw) > 3 and not is_acronym(raw))


def _splits(before: str, word: str, lang: str) -> bool:
    """A new name starts at ``word``: after or at an acronym (``IOM Amy Pope``, ``Sở GD-ĐT``) or at a title
    (``Foreign Minister Le``)."""
    if is_acronym(before) != is_acronym(word):  # "Sở GD-ĐT", "Bộ GDĐT": the body's name, then its short form
        return True
    return lang != "vi" and fold(word.rstrip(".")) in TITLES_EN and fold(before.rstrip(".")) not in TITLES_EN


def _title(raw: str, lang: str, opening: bool = False) -> bool:
    """A title word; in Vietnamese only written in lower case or opening the sentence ("Bà Rịa" is a place)."""
    word = raw.rstrip(".")
    if lang == "vi":
        return word.lower() in TITLES_VI and (word.islower() or opening)
    return fold(word) in TITLES_EN


def _name_facts(text: str, run: list[re.Match[str]], tokens: list[re.Match[str]], lang: str) -> list[Fact]:
    while run and fold(run[-1].group().rstrip(".")) in CONNECTORS:
        run = run[:-1]
    person = False
    first = tokens.index(run[0]) if run else 0
    while run and ((lang != "vi" and fold(run[0].group().rstrip(".")) in STARTERS)
                   or _title(run[0].group(), lang, tokens.index(run[0]) == 0)):
        person = person or (_title(run[0].group(), lang, True) and run[0].group().rstrip(".").lower() not in NOT_PERSON)
        run = run[1:]
    if not run:
        return []
    if first > 0 and _title(tokens[first - 1].group(), lang) and tokens[first - 1].group().lower() not in NOT_PERSON:
        person = True
    start, end = run[0].start(), run[-1].end()
    written = text[start:end].rstrip(".")
    written = re.sub(r"['’]s$", "", written).rstrip(".")
    end = start + len(written)
    value = tuple(t for t in re.findall(r"\w+", fold(written)) if t)
    if not value:
        return []
    opening = tokens.index(run[0]) == 0 and len(run) == 1 and not is_acronym(written)
    unit = "person" if person else "acronym" if is_acronym(written) and len(run) == 1 else \
        "opening" if opening else ""
    return [Fact(NAME, written, start, end, value, unit, 0.0, written)]


@functools.lru_cache(maxsize=1)
def gazetteer() -> dict[tuple[str, ...], tuple[str, tuple[tuple[str, ...], ...]]]:
    """Folded name -> (display English name, folded Vietnamese and English forms): Babel's territories + places.txt."""
    table: dict[tuple[str, ...], tuple[str, tuple[tuple[str, ...], ...]]] = {}

    def add(english: list[str], vietnamese: list[str]) -> None:
        forms = tuple(_key(f) for f in vietnamese + english if _key(f))
        for name in english + vietnamese:
            key = _key(name)
            if key:
                old = table.get(key)
                table[key] = (english[0], tuple(dict.fromkeys((old[1] if old else ()) + forms)))

    for english, vietnamese in _babel_names():
        add([english], [vietnamese])
    text = resources.files("viensum").joinpath("data/places.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            english, _, vietnamese = line.partition("|")
            add([f.strip() for f in english.split(";") if f.strip()],
                [f.strip() for f in vietnamese.split(";") if f.strip()])
    return table


def _babel_names() -> list[tuple[str, str]]:
    """(English, Vietnamese) names of countries and territories, and of the cities Babel names time zones by."""
    try:
        import zoneinfo

        from babel import Locale
        from babel.dates import get_timezone_location
    except ImportError:  # Babel is a dependency; without it only the file's names are known
        return []
    en, vi = Locale.parse("en").territories, Locale.parse("vi").territories
    pairs = [(name, vi[code]) for code, name in en.items() if code.isalpha() and code in vi]
    try:
        zones = sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith("Etc/"))
    except Exception:  # no time zone database on this system
        zones = []
    for zone in zones:
        try:
            pairs.append((get_timezone_location(zone, locale="en", return_city=True).split(",")[0],
                          get_timezone_location(zone, locale="vi", return_city=True).split(",")[0]))
        except Exception:  # a zone Babel has no name for
            continue
    return pairs


@functools.lru_cache(maxsize=1)
def english_vocabulary() -> frozenset[str]:
    """English words as dictionaries write them (english-words: Webster's 2nd and GCIDE), read on first use."""
    try:
        from english_words import get_english_words_set
    except ImportError:  # a dependency; without it every unknown name stays unchecked
        return frozenset()
    return frozenset(get_english_words_set(["web2", "gcide"]))


def is_english_word(folded: str) -> bool:
    """``securities`` and ``procuracy`` are; ``samsung`` and ``vingroup`` are not (names, not words)."""
    vocab = english_vocabulary()
    if not vocab:
        return True
    return any(s and s in vocab for s in _stems(folded))


def _stems(word: str) -> list[str]:
    """The word and what it may be inflected from (dictionaries list ``use``, not ``using``)."""
    stems = [word]
    for suffix, replacements in INFLECTIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            base = word[:-len(suffix)]
            stems += [base + r for r in replacements]
            if len(base) > 2 and base[-1] == base[-2]:  # running -> run
                stems.append(base[:-1])
    return stems


INFLECTIONS = [("s", [""]), ("es", [""]), ("ies", ["y"]), ("men", ["man"]), ("ing", ["", "e"]), ("ed", ["", "e"]),
               ("ied", ["y"]), ("ly", [""]), ("er", ["", "e"]), ("est", ["", "e"]), ("'s", [""]),
               # derived words: "Redemptorist" (the Redeemer's order) is English, not a name to find
               ("ist", ["", "e", "y"]), ("ists", ["", "e", "y"]), ("ism", ["", "e", "y"])]


def _key(name: str) -> tuple[str, ...]:
    words = re.findall(r"\w+", fold(name))
    while words and words[0] == "the":
        words = words[1:]
    return tuple(words)


def place_forms(value: tuple[str, ...]) -> tuple[str, tuple[tuple[str, ...], ...]] | None:
    """The gazetteer entry of a folded name, of the name without a leading generic word, or of the place
    a demonym is made from (``chinese`` -> China, ``east asian`` -> East Asia)."""
    table = gazetteer()
    found = table.get(value) or (table.get(value[1:]) if len(value) > 1 and value[0] in GENERIC else None)
    if found is None and value:
        place = demonym_place(value[-1], table)
        found = table.get(value[:-1] + place) if place else None
    return found


# how an adjective of a place is made from its name (Chinese, Korean, Russian, Ukrainian, Israeli, Thai);
# irregular ones (French, Dutch, Filipino) are lines of places.txt
DEMONYM_SUFFIXES = [("ese", ("", "a")), ("ian", ("ia", "", "e", "y", "a")), ("ean", ("e", "a", "")),
                    ("an", ("a", "", "o", "y")), ("ish", ("", "ey", "and", "en", "land")), ("i", ("",)),
                    ("", ("land",))]


def demonym_place(word: str, table: dict) -> tuple[str, ...] | None:
    """The one-word place ``word`` is the adjective (or the people: ``koreans``) of, if the gazetteer has it."""
    if word.endswith("s") and not word.endswith("ss") and len(word) > 4:
        word = word[:-1]
    for suffix, endings in DEMONYM_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            root = word[:len(word) - len(suffix)]
            for ending in endings:
                if (root + ending,) in table and root + ending != word:
                    return (root + ending,)
    return None
