"""What ``viensum evaluate`` reports beside ROUGE and BLEU: sentences with a source, problems per summary."""
from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from viensum.errors import ViensumError

log = logging.getLogger(__name__)


def article_sources(predictions: Any, lang: str, ids, doc_ids: Sequence[str]) -> list[str] | None:
    """The articles a ``viensum summarize`` JSONL/JSON file carries beside its summaries (None when it has none)."""
    from os import PathLike
    from pathlib import Path

    if not isinstance(predictions, (str, PathLike)) or Path(predictions).suffix.lower() not in (".jsonl", ".json"):
        return None
    from viensum.evaluate.texts import as_mapping

    try:
        found, _ = as_mapping(predictions, "source", lang=lang, ids=ids)
    except ViensumError:
        return None
    return [found[k][0] if found.get(k) else "" for k in doc_ids]


def check_scores(per_doc: list[dict[str, Any]], preds: Sequence[str], sources: Sequence[str] | None,
                 lang: str) -> tuple[dict[str, float], list[str]]:
    """Per document ``sourced`` (% of its sentences with a source) and ``problems``; their means and a note."""
    if sources is None:
        return {}, []
    from viensum.check import check

    sentences = sourced = problems = checked = 0
    for doc, pred, source in zip(per_doc, preds, sources):
        if not pred or not source:
            continue
        try:
            result = check(pred, source, lang=lang)
        except ViensumError as exc:
            log.warning("%s not checked: %s", doc.get("id"), exc)
            continue
        with_source = sum(1 for s in result.sentences if s.sources)
        doc["sourced"] = round(100 * with_source / len(result.sentences), 1)
        doc["problems"] = len(result.problems)
        sentences, sourced = sentences + len(result.sentences), sourced + with_source
        problems, checked = problems + len(result.problems), checked + 1
    if not checked:
        return {}, []
    means = {"sourced": round(100 * sourced / sentences, 1), "problems": round(problems / checked, 3)}
    note = (f"viensum.check on {checked} summaries: {means['sourced']:.0f}% of their sentences have a source in the "
            f"article; {means['problems']:.2f} problems per summary (numbers, dates, names not in the article)")
    return means, [note]
