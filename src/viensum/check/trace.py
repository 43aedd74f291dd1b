"""Sources and checks for every sentence a Summarizer writes: the one hook the Summarizer calls.

* the Vietnamese summary: each sentence aligned to the article (``exact``
  when it was copied: the extractive summary; else ``lexical``) and checked;
* the English summary of a recipe that translates the Vietnamese summary
  sentence by sentence (two-stage, extractive): each English sentence rests
  on the Vietnamese sentence it translates (``translation``) and is checked
  against the article; a number or name the translator lost is retried first
  (repair.py); other recipes' English sentences are aligned through their facts,
  or through the article's translation when there is one;
* the full translation: each English sentence rests on the Vietnamese sentence
  of its paragraph it translates.
"""
from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Iterable, Sequence

from viensum.check.core import check_sentence
from viensum.check.index import ArticleIndex, index_of
from viensum.check.results import SentenceCheck, Source
from viensum.text import split_sentences

log = logging.getLogger(__name__)

SENTENCE_BY_SENTENCE = ("two-stage", "extractive")  # recipes whose summary_en translates summary_vi's sentences


def check_jobs(pairs: Iterable[tuple], method) -> None:
    """The Summarizer's hook: ``pairs`` of (Summary, the article the models saw), ``method`` the recipe's runner."""
    backend = method.gen.backends.get("translator")
    translate = method.gen.translate_fn(backend) if backend is not None else None
    todo = [(summary, work) for summary, work in pairs
            if summary.error is None and work is not None and work.paragraphs]
    if translate is not None and len(todo) > 1:  # every article's retries in one batched call (speed)
        from viensum.generation import prefetch

        translate = prefetch(translate, [text for summary, _ in todo for text in retry_texts(summary, method.kind)])
    for summary, work in todo:
        attach(summary, work, kind=method.kind, translate=translate)


def retry_texts(summary, kind: str) -> list[str]:
    """What :func:`attach` will ask the translator for: the summary's sentences that lost a number or
    a name, with them protected (repair.py); none for a recipe that does not translate sentence by sentence."""
    from viensum.check.repair import retries

    if kind not in SENTENCE_BY_SENTENCE or not summary.summary_en:
        return []
    try:
        vi, groups = _sentence_groups(summary)
        return [protected for _, _, protected, _ in retries(vi, groups)]
    except Exception:  # attach meets the same failure and notes it on the summary
        log.exception("finding the retries failed for %s", summary.id or "an article")
        return []


def attach(summary, work, *, kind: str = "", translate: Callable[[list[str]], list[str]] | None = None) -> None:
    """Fill ``summary.checks_vi``, ``checks_en`` and ``translation.checks``; never fails the summary."""
    t0 = time.perf_counter()
    try:
        index = index_of(work)
        if summary.translation is not None:
            index = dataclasses.replace(index, translated={
                i: frozenset(w.lower() for w in split_words(p.en)) for i, p in enumerate(summary.translation.paragraphs)})
        summary.checks_vi = [check_sentence(s, index, "vi") for s in split_sentences(summary.summary_vi or "")]
        if summary.summary_en:
            if kind in SENTENCE_BY_SENTENCE and summary.checks_vi:
                summary.checks_en = _translated_checks(summary, index, translate)
            else:
                summary.checks_en = [check_sentence(s, index, "en") for s in split_sentences(summary.summary_en)]
        if summary.translation is not None:
            summary.translation.checks = translation_checks(summary.translation, index)
    except Exception as exc:  # a checker bug must not lose the summary
        log.exception("checking failed for %s", summary.id or "an article")
        summary.notes.append(f"the sentences could not be checked: {type(exc).__name__}: {exc}")
    summary.timings["check"] = round(time.perf_counter() - t0, 4)


def _translated_checks(summary, index: ArticleIndex, translate) -> list[SentenceCheck]:
    from viensum.check.repair import repair_translations

    vi, groups = _sentence_groups(summary)
    groups, repaired = repair_translations(vi, groups, translate)
    if any(repaired):
        summary.summary_en = " ".join(g for g in groups if g)
        summary.notes.extend(f"repaired: {r}" for rs in repaired for r in rs)
    checks = []
    for i, group in enumerate(groups):
        for sentence in split_sentences(group):
            check = check_sentence(sentence, index, "en", sources=list(summary.checks_vi[i].sources),
                                   method="translation")
            check.repaired = list(repaired[i])
            checks.append(check)
    return checks


def _sentence_groups(summary) -> tuple[list[str], list[str]]:
    """The Vietnamese summary's sentences, and for each the English sentences that translate it."""
    vi = split_sentences(summary.summary_vi or "")
    en = split_sentences(summary.summary_en)
    owners = pair_sentences(vi, en)
    return vi, [" ".join(s for s, o in zip(en, owners) if o == i) for i in range(len(vi))]


def check_translation(translation, article) -> None:
    """Fill ``translation.checks`` (the hook of :func:`viensum.translate`); never fails the translation."""
    try:
        translation.checks = translation_checks(translation, index_of(article))
    except Exception:  # a checker bug must not lose the translation
        log.exception("checking the translation failed")


def translation_checks(translation, index: ArticleIndex) -> list[SentenceCheck]:
    """Each English sentence of the full translation, resting on the sentence of its paragraph it translates."""
    checks = []
    if translation.title_en:
        checks.append(check_sentence(translation.title_en, index, "en", sources=[Source(-1, 0)], method="translation"))
    for p, pair in enumerate(translation.paragraphs):
        vi, en = split_sentences(pair.vi), split_sentences(pair.en)
        for sentence, owner in zip(en, pair_sentences(vi, en)):
            checks.append(check_sentence(sentence, index, "en", sources=[Source(p, owner)], method="translation"))
    return checks


def pair_sentences(source: Sequence[str], target: Sequence[str]) -> list[int]:
    """For each target sentence, the source sentence it translates: one to one, or by relative position."""
    if not source:
        return [0] * len(target)
    if len(source) == len(target):
        return list(range(len(target)))
    total_s = sum(len(s) for s in source) or 1
    total_t = sum(len(t) for t in target) or 1
    bounds, acc = [], 0
    for s in source:
        acc += len(s)
        bounds.append(acc / total_s)
    owners, acc = [], 0
    for t in target:
        middle = (acc + len(t) / 2) / total_t
        acc += len(t)
        owners.append(next((i for i, b in enumerate(bounds) if middle <= b), len(source) - 1))
    return owners


def split_words(text: str) -> list[str]:
    import re

    return re.findall(r"\w+", text)
