"""Cleaning scores: the cleaner's output against gold article text, word and paragraph
precision/recall/F1 and whether the headline was kept (``viensum evaluate-clean``)."""
from __future__ import annotations

import dataclasses
import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from viensum.errors import InputError
from viensum.evaluate.texts import article_text, missing_ids_error, read_text
from viensum.inputs import printable
from viensum.text import normalize_text, words

CLEANING_METRICS = ("word_precision", "word_recall", "word_f1",
                    "para_precision", "para_recall", "para_f1", "headline_found")


@dataclass
class CleaningReport:
    """How close the cleaner's output is to gold article text, per article and averaged."""

    ids: list[str]
    per_document: list[dict[str, Any]]
    means: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def __str__(self) -> str:
        width = max([len(i) for i in self.ids] + [8])
        head = ["word P", "word R", "word F1", "para P", "para R", "para F1", "headline"]
        lines = [f"{'id':<{width}}" + "".join(f"{h:>9}" for h in head)]
        for doc in self.per_document + [dict(self.means, id="mean")]:
            cells = "".join(f"{doc[k]:>9.3f}" if k != "headline_found" or doc["id"] == "mean"
                            else f"{'yes' if doc[k] else 'no':>9}" for k in CLEANING_METRICS)
            lines.append(f"{doc['id']:<{width}}{cells}")
        return "\n".join(lines)


def _prf(overlap: int, n_out: int, n_gold: int) -> tuple[float, float, float]:
    if n_out == 0 and n_gold == 0:
        return 1.0, 1.0, 1.0
    p = overlap / n_out if n_out else 0.0
    r = overlap / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def paragraphs(text: str) -> list[str]:
    """Non-empty lines, NFC and whitespace-folded: the unit of paragraph matching."""
    return [" ".join(line.split()) for line in normalize_text(text).split("\n") if line.strip()]


def score_cleaning(output: str, gold: str) -> dict[str, Any]:
    """Word (multiset) and exact-paragraph precision/recall/F1, and whether the headline was kept."""
    out_words, gold_words = Counter(words(output)), Counter(words(gold))
    wp, wr, wf = _prf(sum((out_words & gold_words).values()), sum(out_words.values()), sum(gold_words.values()))
    out_paras, gold_paras = paragraphs(output), paragraphs(gold)
    pp, pr, pf = _prf(sum((Counter(out_paras) & Counter(gold_paras)).values()), len(out_paras), len(gold_paras))
    headline = bool(gold_paras) and gold_paras[0] in out_paras
    return {"word_precision": wp, "word_recall": wr, "word_f1": wf,
            "para_precision": pp, "para_recall": pr, "para_f1": pf, "headline_found": headline}


def evaluate_cleaning(outputs: Mapping[str, Any], gold: Mapping[str, str]) -> CleaningReport:
    """Score cleaned articles (text or :class:`~viensum.results.Article`) against gold text, by id."""
    outputs = {str(k): (v if isinstance(v, str) else v.text) for k, v in outputs.items()}
    gold = {str(k): v for k, v in gold.items()}
    missing_gold = [k for k in outputs if k not in gold]
    missing_out = [k for k in gold if k not in outputs]
    if missing_gold or missing_out:
        raise missing_ids_error("no gold text for", missing_gold, "no cleaner output for", missing_out)
    if not outputs:
        raise InputError("nothing to evaluate: no cleaned articles")
    ids = sorted(outputs)
    per_doc = [{"id": k, **score_cleaning(outputs[k], gold[k])} for k in ids]
    means = {m: sum(float(d[m]) for d in per_doc) / len(per_doc) for m in CLEANING_METRICS}
    return CleaningReport(ids=ids, per_document=per_doc, means=means)


def load_cleaned(path: str | os.PathLike) -> dict[str, str]:
    """A directory of cleaner outputs: ``<id>.txt`` (text format) or ``<id>.json`` (Article JSON)."""
    path = Path(path)
    if not path.is_dir():
        raise InputError(f"not a directory: {printable(path)}")
    out: dict[str, str] = {}
    for file in sorted(path.iterdir()):
        if file.suffix not in (".txt", ".json") or not file.is_file():
            continue
        text = read_text(file)
        if file.suffix == ".json":
            try:
                data = json.loads(text)
            except (ValueError, RecursionError) as exc:
                raise InputError(f"{printable(file)}: not an Article JSON file ({exc})") from None
            if not isinstance(data, dict):
                raise InputError(f"{printable(file)}: not an Article JSON file (not an object)")
            text = article_text(data, printable(file))
        stem = printable(file.stem)
        if stem in out:
            raise InputError(f"{path}: both .txt and .json output for id {stem!r}")
        out[stem] = text
    if not out:
        raise InputError(f"{printable(path)}: no .txt or .json files")
    return out
