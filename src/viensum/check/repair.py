"""Repair where it is safe: retry a sentence whose translation lost a number or a name.

For each Vietnamese sentence and its English translation, the numbers and
names of the Vietnamese sentence that the English does not carry are found
(:func:`lost_facts`). The sentence is translated again with each of them
replaced by a placeholder the translator copies (``ZQX0``), and the
placeholders are put back as the English reader writes the fact (``1.5
billion dong``; a Vietnamese name without diacritics). The retry is kept only
when every placeholder came back and nothing is lost any more; otherwise the
first translation stays and the checker flags it.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable

from viensum.check.compare import number_matches
from viensum.check.core import sentence_facts
from viensum.check.facts import NAME, NUMBER, Fact, fold
from viensum.check.names import is_vietnamese_syllable

log = logging.getLogger(__name__)

PLACEHOLDER = "ZQX{}"
_FOUND = re.compile(r"Z\s*Q\s*X\s*(\d+)", re.IGNORECASE)


def lost_facts(vi: str, en: str) -> list[Fact]:
    """Numbers and Vietnamese names of ``vi`` that the translation ``en`` does not carry."""
    en_facts = sentence_facts(en, "en")
    en_numbers = [f for f in en_facts if f.kind == NUMBER]
    en_words = " " + " ".join(re.findall(r"\w+", fold(en))) + " "
    lost = []
    for fact in sentence_facts(vi, "vi"):
        if fact.kind == NUMBER and fact.unit != "doc":
            if not any(number_matches(fact, f) or number_matches(f, fact) for f in en_numbers):
                lost.append(fact)
        elif fact.kind == NAME and fact.unit != "opening" and all(is_vietnamese_syllable(w) for w in fact.value):
            if " " + " ".join(fact.value) + " " not in en_words:
                lost.append(fact)
    return lost


def english_form(fact: Fact) -> str:
    """How the fact is written in English: ``1.5 billion dong``, ``Le Thi Thu Hang``."""
    if fact.kind == NUMBER:
        return fact.reading
    text = unicodedata.normalize("NFD", fact.text.replace("Đ", "D").replace("đ", "d"))
    return unicodedata.normalize("NFC", "".join(ch for ch in text if not unicodedata.combining(ch)))


def protect(vi: str, facts: list[Fact]) -> tuple[str, list[str]]:
    """``vi`` with each fact replaced by a placeholder, and the English forms to put back."""
    forms, out, last = [], [], 0
    for fact in sorted(facts, key=lambda f: f.start):
        if fact.start < last:
            continue
        out.append(vi[last:fact.start])
        out.append(PLACEHOLDER.format(len(forms)))
        forms.append(english_form(fact))
        last = fact.end
    out.append(vi[last:])
    return "".join(out), forms


def restore(en: str, forms: list[str]) -> str | None:
    """The placeholders replaced by their English forms; None when one is missing or repeated."""
    seen = [int(m.group(1)) for m in _FOUND.finditer(en)]
    if sorted(seen) != list(range(len(forms))):
        return None
    return _FOUND.sub(lambda m: forms[int(m.group(1))], en)


def retries(vi: list[str], en: list[str]) -> list[tuple[int, list[Fact], str, list[str]]]:
    """The sentences to translate again: (index, the facts lost, the protected text, the English forms)."""
    return [(i, lost, *protect(vi[i], lost)) for i in range(len(vi)) if (lost := lost_facts(vi[i], en[i]))]


def repair_translations(vi: list[str], en: list[str], translate: Callable[[list[str]], list[str]] | None
                        ) -> tuple[list[str], list[list[str]]]:
    """``en`` with the sentences that lost a fact retried (one batched call); and what was repaired, per sentence."""
    repaired: list[list[str]] = [[] for _ in vi]
    if translate is None:
        return list(en), repaired
    todo = retries(vi, en)
    if not todo:
        return list(en), repaired
    try:
        outputs = translate([protected for _, _, protected, _ in todo])
    except Exception as exc:  # the first translation stands; the checker flags what it lost
        log.warning("retrying %d translations failed: %s", len(todo), exc)
        return list(en), repaired
    en = list(en)
    for (i, lost, _, forms), out in zip(todo, outputs):
        fixed = restore(out or "", forms)
        if fixed is None or lost_facts(vi[i], fixed):
            continue
        repaired[i] = [f"{f.text}: the translation said \"{en[i]}\"; translated again with {english_form(f)} kept"
                       for f in lost]
        en[i] = fixed
    return en, repaired
