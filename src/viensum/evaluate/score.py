"""``viensum.evaluate()``: summaries scored against references, in four steps.

    1. read   predictions, references (and sources) into texts by id        (texts.py)
    2. pair   the ids on both sides; the rest listed in ``unmatched``
    3. score  each metric fills its per-document columns and corpus figures  (metrics.py)
    4. sum up means, paired percentile bootstrap intervals, signatures     -> ScoreReport (report.py)
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from viensum.check.scores import article_sources, check_scores
from viensum.errors import InputError
from viensum.evaluate.metrics import Metric, score_columns, summary_metrics
from viensum.evaluate.report import LENGTH_METRICS, ScoreReport
from viensum.evaluate.texts import LANGS, MAX_LISTED_IDS, as_mapping, list_ids, missing_ids_error
from viensum.text import words

GENERAL_SETTINGS = {"scale": "0-100 (scores); words counted with viensum.text.words",
                    "compression": "prediction words / source words", "inputs": "NFC-normalised, stripped"}


@dataclass
class Paired:
    """The documents both sides have, in prediction order."""

    ids: list[str]
    preds: list[str]
    refs: list[list[str]]
    srcs: list[str] | None = None
    notes: list[str] = field(default_factory=list)
    unmatched: dict[str, list[str]] = field(default_factory=dict)


def evaluate(predictions: Any, references: Any = None, *, lang: str = "en", sources: Any = None,
             ids: Sequence[str] | None = None, bootstrap: int = 1000, seed: int = 0,
             bertscore: bool | None = None, field: str | None = None) -> ScoreReport:
    """Score summaries against reference summaries.

    ``predictions``: a list of texts, a dict id -> text, or a path (directory,
    JSONL, JSON, CSV). ``references``: the same shapes, where a document may
    have a list of references; ``None`` when the predictions file also holds
    them. ``sources`` (optional, same shapes) adds compression ratios.
    ``bertscore``: None = when bert-score and its model are installed locally,
    True = required, False = off. Empty predictions score zero and are kept,
    but when every one is empty the call raises :class:`InputError` saying why
    (from the records' ``error`` and ``notes`` where they carry it). Ids found
    on one side only are left out and listed in ``report.unmatched`` and a
    note; when no id matches, :class:`InputError` lists them.
    """
    if lang not in LANGS:
        raise InputError(f"unsupported language {lang!r}; choose one of: {', '.join(LANGS)}")
    docs = pair(predictions, references, sources, lang=lang, ids=ids, field=field)
    per_doc: list[dict[str, Any]] = [{"id": k, "n_refs": len(r)} for k, r in zip(docs.ids, docs.refs)]
    candidates = summary_metrics(lang, bertscore=bertscore)
    metrics = [m for m in candidates if m.usable()]
    corpus: dict[str, float] = {}
    for metric in metrics:
        corpus.update(metric.score(docs.preds, docs.refs, per_doc))
    notes = docs.notes + [m.note for m in candidates if m.note]
    _lengths(docs, per_doc)
    checked, check_notes = check_scores(per_doc, docs.preds, docs.srcs if docs.srcs is not None else  # viensum.check
                                        article_sources(predictions, lang, ids, docs.ids), lang)
    scored = [column for m in metrics for column in m.labels]
    means = _means(per_doc, corpus, scored, with_sources=docs.srcs is not None)
    means.update(checked)
    notes.extend(check_notes)
    ci = bootstrap_ci(per_doc, means, metrics, bootstrap, seed) if bootstrap > 1 else {}
    signature = {m.name: m.signature() for m in metrics}
    signature["bootstrap"] = (f"resamples:{bootstrap}|seed:{seed}|ci:95% percentile|unit:document"
                              if bootstrap > 1 else "none")
    settings = {**GENERAL_SETTINGS, **{k: v for m in metrics for k, v in m.settings().items()}}
    return ScoreReport(lang=lang, ids=docs.ids, means=means, ci=ci, per_document=per_doc,
                       signature=signature, settings=settings, notes=notes, unmatched=docs.unmatched)


def pair(predictions: Any, references: Any, sources: Any, *, lang: str, ids, field) -> Paired:
    """Steps 1-2: read both sides (and the sources) and keep the ids both have."""
    preds_map, why_empty = as_mapping(predictions, "prediction", lang=lang, ids=ids, field=field)
    refs_map, _ = as_mapping(predictions if references is None else references, "reference", lang=lang, ids=ids)
    doc_ids = [k for k in preds_map if k in refs_map]
    unmatched = {"no_reference": [k for k in preds_map if k not in refs_map],
                 "no_prediction": [k for k in refs_map if k not in preds_map]}
    unmatched = {side: found for side, found in unmatched.items() if found}
    if not doc_ids:
        if unmatched:
            raise missing_ids_error("no reference for", unmatched.get("no_reference", []),
                                    "no prediction for", unmatched.get("no_prediction", []),
                                    lead="ids do not match, none is on both sides")
        raise InputError("nothing to evaluate: no predictions")
    no_refs = [k for k in doc_ids if not refs_map[k]]
    if no_refs:
        raise InputError(f"no reference text for ids: {', '.join(no_refs[:MAX_LISTED_IDS])}")
    preds = [preds_map[k][0] if preds_map[k] else "" for k in doc_ids]
    if not any(preds):
        raise InputError(_all_empty_message(doc_ids, why_empty, lang))
    docs = Paired(doc_ids, preds, [refs_map[k] for k in doc_ids], unmatched=unmatched)
    if sources is not None:
        src_map, _ = as_mapping(sources, "source", lang=lang, ids=ids)
        missing_src = [k for k in doc_ids if k not in src_map]
        if missing_src:
            raise missing_ids_error("no source for", missing_src, "", [])
        docs.srcs = [src_map[k][0] if src_map[k] else "" for k in doc_ids]
    if unmatched:
        docs.notes.append(unmatched_message(unmatched, len(doc_ids)))
    empty = [k for k, p in zip(doc_ids, preds) if not p]
    if empty:
        docs.notes.append(f"{len(empty)} empty prediction(s) scored zero: {', '.join(empty[:MAX_LISTED_IDS])}")
    return docs


def unmatched_message(unmatched: Mapping[str, list[str]], scored: int) -> str:
    """One line on the ids that were left out because only one side has them."""
    return (f"ids do not match; scored the {scored} found on both sides; "
            + list_ids("no reference for", unmatched.get("no_reference", []),
                       "no prediction for", unmatched.get("no_prediction", [])))


def _all_empty_message(doc_ids: list[str], why: Mapping[str, str], lang: str) -> str:
    """Why there is nothing to score: every prediction is empty (grouped by reason)."""
    reasons = Counter(why.get(k, "the prediction is empty") for k in doc_ids)
    text = "; ".join(reason if count == len(doc_ids) else f"{count} of them: {reason}"
                     for reason, count in reasons.most_common(3))
    msg = f"all {len(doc_ids)} predictions are empty, nothing to score: {text}"
    if lang == "en" and any(r.startswith("no English model") for r in reasons):
        msg += "; install the models and summarise again, or score the Vietnamese summaries with --lang vi"
    elif any("field is empty" in r for r in reasons):
        msg += "; pick the field to score with --field"
    return msg


def _lengths(docs: Paired, per_doc: list[dict]) -> None:
    for i, doc in enumerate(per_doc):
        doc["pred_words"] = len(words(docs.preds[i]))
        doc["ref_words"] = sum(len(words(r)) for r in docs.refs[i]) / len(docs.refs[i])
        if docs.srcs is not None:
            src_words = len(words(docs.srcs[i]))
            doc["src_words"] = src_words
            doc["compression"] = doc["pred_words"] / src_words if src_words else None


def _means(per_doc: list[dict], corpus: dict[str, float], scored: list[str], *,
           with_sources: bool) -> dict[str, float | None]:
    """Each column's figure: the metric's corpus figure, else the documents' mean; columns of
    metrics that did not run (BERTScore without its model) and source lengths without sources are left out."""
    means: dict[str, float | None] = {}
    for key in (*score_columns(), *LENGTH_METRICS):
        values = [d[key] for d in per_doc if d.get(key) is not None]
        if key in corpus:
            means[key] = corpus[key]
        elif values:
            means[key] = sum(values) / len(values)
        elif (key in score_columns() and key not in scored) or (key in ("src_words", "compression") and not with_sources):
            continue
        else:
            means[key] = None
    return means


def bootstrap_ci(per_doc: list[dict], means: dict[str, float | None], metrics: list[Metric],
                 n_resamples: int, seed: int) -> dict[str, tuple[float, float]]:
    """Percentile 95% intervals; every metric sees the same resampled document sets."""
    import numpy as np

    rng = np.random.default_rng(seed)
    n = len(per_doc)
    idx = rng.integers(0, n, size=(n_resamples, n))
    resampled = {k: v for m in metrics for k, v in m.resample(idx).items()}
    ci: dict[str, tuple[float, float]] = {}
    for key, mean in means.items():
        if mean is None:
            continue
        if key in resampled:  # corpus metric: recomputed on each resample
            samples = np.array(resampled[key])
        else:
            # compression is undefined for an empty source: average what is defined
            values = np.array([np.nan if d.get(key) is None else d[key] for d in per_doc], dtype="float64")
            picked = values[idx]
            picked = picked[~np.isnan(picked).all(axis=1)]
            if not len(picked):
                continue
            samples = np.nanmean(picked, axis=1)
        lo, hi = np.percentile(samples, [2.5, 97.5])
        ci[key] = (float(lo), float(hi))
    return ci
