"""Evaluation: summary scores (ROUGE, BLEU, chrF++, BERTScore) and cleaning scores.

Scores are on a 0-100 scale. ROUGE is the F1 of rouge-score; with several
references a document takes its best reference (rouge-score's ``score_multi``),
while BLEU and chrF++ hand every reference to sacrebleu. Corpus figures come
with percentile bootstrap 95% intervals over documents (paired: every metric
sees the same resamples).

Tokenisation is explicit because it decides the numbers: rouge-score's default
tokenizer deletes every non-ASCII letter ("việt" becomes "vi t"), so Vietnamese
is tokenised with :func:`viensum.text.words`, which keeps diacritics.
"""
from __future__ import annotations

import contextlib
import csv
import dataclasses
import importlib.util
import io
import json
import logging
import os
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from viensum.errors import InputError, ViensumError
from viensum.inputs import printable as _printable  # the one id escaper: ids match those summarize writes
from viensum.text import decode_bytes, normalize_text, split_sentences, words

log = logging.getLogger(__name__)

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
SCORE_METRICS = ROUGE_TYPES + ("bleu", "chrf", "bertscore")
LENGTH_METRICS = ("pred_words", "ref_words", "src_words", "compression")
LABELS = {
    "rouge1": "ROUGE-1", "rouge2": "ROUGE-2", "rougeL": "ROUGE-L", "rougeLsum": "ROUGE-Lsum",
    "bleu": "BLEU", "chrf": "chrF++", "bertscore": "BERTScore",
    "pred_words": "words (prediction)", "ref_words": "words (reference)",
    "src_words": "words (source)", "compression": "compression",
}
LANGS = ("en", "vi")
# sacrebleu's 13a is the WMT standard for English; "intl" also splits Unicode
# punctuation (“ ” – …), which Vietnamese news uses and 13a leaves glued to words.
BLEU_TOKENIZE = {"en": "13a", "vi": "intl"}
# bert-score's own defaults: roberta-large for English, multilingual BERT otherwise
BERTSCORE_MODELS = {"en": "roberta-large", "vi": "bert-base-multilingual-cased"}
MAX_LISTED_IDS = 20


class UnicodeWordTokenizer:
    """rouge-score tokenizer that keeps diacritics: lower-cased NFC ``\\w+`` runs, no stemming."""

    def tokenize(self, text: str) -> list[str]:
        return words(text)


def rouge_settings(lang: str) -> dict[str, Any]:
    """Keyword arguments for ``rouge_scorer.RougeScorer`` for a language.

    English: rouge-score's default tokenizer with the Porter stemmer (the
    setting published ROUGE figures use). Vietnamese: :class:`UnicodeWordTokenizer`,
    no stemming (Vietnamese words do not inflect).
    """
    if lang == "vi":
        return {"tokenizer": UnicodeWordTokenizer()}
    return {"use_stemmer": True}


def lsum_text(text: str) -> str:
    """One sentence per line, which is how rouge-score's ROUGE-Lsum finds summary-level sentences."""
    return "\n".join(s for line in text.splitlines() for s in split_sentences(line))


# --------------------------------------------------------------------------- report


@dataclass
class ScoreReport:
    """Scores of a set of predictions against references; ``print(report)`` shows a table."""

    lang: str
    ids: list[str]
    means: dict[str, float | None]
    ci: dict[str, tuple[float, float]]
    per_document: list[dict[str, Any]]
    signature: dict[str, str]
    settings: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    # ids found on one side only, left out of the scores: {"no_reference": [...], "no_prediction": [...]}
    unmatched: dict[str, list[str]] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.ids)

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["ci"] = {k: list(v) for k, v in self.ci.items()}
        data["n"] = self.n
        return data

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def __str__(self) -> str:
        n_refs = sorted({d["n_refs"] for d in self.per_document})
        refs = str(n_refs[0]) if len(n_refs) == 1 else f"{n_refs[0]}-{n_refs[-1]}"
        lines = [f"{self.n} documents, lang={self.lang}, references per document: {refs}", "",
                 f"{'metric':<20}{'mean':>9}   95% CI"]
        for key in SCORE_METRICS + LENGTH_METRICS:
            if key not in self.means:
                continue
            mean = self.means[key]
            digits = 3 if key == "compression" else 2
            if mean is None:
                lines.append(f"{LABELS[key]:<20}{'-':>9}")
                continue
            ci = self.ci.get(key)
            ci_text = f"[{ci[0]:.{digits}f}, {ci[1]:.{digits}f}]" if ci else ""
            lines.append(f"{LABELS[key]:<20}{mean:>9.{digits}f}   {ci_text}")
        cols = [k for k in SCORE_METRICS if self.means.get(k) is not None] + ["pred_words"]
        width = max([len(i) for i in self.ids] + [8])
        lines += ["", "per document:", f"{'id':<{width}}" + "".join(f"{_short(k):>8}" for k in cols)]
        for doc in self.per_document:
            cells = "".join(f"{_fmt(doc.get(k)):>8}" for k in cols)
            lines.append(f"{doc['id']:<{width}}{cells}")
        lines += ["", "signatures:"] + [f"  {k}: {v}" for k, v in self.signature.items()]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def plot(self, path: str | os.PathLike) -> Path:
        """Bar chart of the metric means with their 95% CI, one dot per document; writes a PNG.

        The chart is drawn on a bare ``matplotlib.figure.Figure`` (no pyplot, so the
        caller's backend and open figures are left alone) and written atomically:
        into a temporary file beside ``path``, renamed over it once complete.
        """
        from matplotlib.figure import Figure

        path = check_chart_path(path)
        keys = [k for k in SCORE_METRICS if self.means.get(k) is not None]
        fig = Figure(figsize=(1.4 * len(keys) + 2, 4.5))
        ax = fig.subplots()
        xs = range(len(keys))
        means = [self.means[k] for k in keys]
        errs = [[m - self.ci[k][0] if k in self.ci else 0 for k, m in zip(keys, means)],
                [self.ci[k][1] - m if k in self.ci else 0 for k, m in zip(keys, means)]]
        ax.bar(xs, means, yerr=errs, capsize=4, color="#8fb3d9", edgecolor="#2c5d8a", label="mean (95% CI)")
        for x, k in zip(xs, keys):
            vals = [d[k] for d in self.per_document if d.get(k) is not None]
            offsets = [((i % 7) - 3) * 0.04 for i in range(len(vals))]  # spread, deterministic
            ax.scatter([x + o for o in offsets], vals, s=12, color="#1b1b1b", zorder=3,
                       label="documents" if x == 0 else None)
        ax.set_xticks(list(xs), [LABELS[k] for k in keys])
        ax.set_ylim(0, 100)
        ax.set_ylabel("score (0-100)")
        ax.set_title(f"viensum evaluate: {self.n} documents, lang={self.lang}")
        ax.legend(loc="upper right", fontsize=8)
        fig.tight_layout()
        from viensum.outputs import atomic_path

        with atomic_path(path) as tmp:  # a failed write leaves an existing chart as it was
            fig.savefig(tmp, dpi=100, format="png")
        return path


def check_chart_path(path: str | os.PathLike) -> Path:
    """Refuse, before any work, a chart path that cannot take a regular file (a folder, /dev/full)."""
    path = Path(path)
    if path.exists() and not path.is_file():
        raise InputError(f"cannot write the chart to {_printable(str(path))}: not a regular file")
    if not path.parent.is_dir():
        raise InputError(f"cannot write the chart to {_printable(str(path))}: no such folder")
    return path


def _short(key: str) -> str:
    return {"rouge1": "R-1", "rouge2": "R-2", "rougeL": "R-L", "rougeLsum": "R-Lsum", "bleu": "BLEU",
            "chrf": "chrF++", "bertscore": "BERTSc", "pred_words": "words"}.get(key, key)


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    return f"{value:.2f}"


# --------------------------------------------------------------------------- inputs

# One predictions/references file. The JSONL `viensum summarize` writes carries each
# article too (~10 KB a record), so this holds tens of thousands of summaries.
MAX_INPUT_BYTES = 256_000_000


def _nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


def _read_text(path: Path, limit: int = MAX_INPUT_BYTES) -> str:
    """A file's text (UTF-8, UTF-16 or Windows-1258), refusing a binary or oversized one."""
    size = path.stat().st_size
    if size > limit:
        raise InputError(f"{_printable(str(path))}: {size:,} bytes, over the {limit:,}-byte limit")
    with path.open("rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:  # a file that grew, or one whose size the system does not know
        raise InputError(f"{_printable(str(path))}: over the {limit:,}-byte limit")
    try:
        return decode_bytes(data)
    except InputError as exc:
        raise InputError(f"{_printable(str(path))}: {exc}") from None


def _missing_ids_error(what_a: str, a: Iterable[str], what_b: str, b: Iterable[str],
                       lead: str = "ids do not match") -> InputError:
    return InputError(f"{lead}; {_list_ids(what_a, a, what_b, b)}")


def _list_ids(what_a: str, a: Iterable[str], what_b: str, b: Iterable[str]) -> str:
    parts = []
    for label, ids in ((what_a, list(a)), (what_b, list(b))):
        if ids:
            shown = ", ".join(ids[:MAX_LISTED_IDS])
            more = f" and {len(ids) - MAX_LISTED_IDS} more" if len(ids) > MAX_LISTED_IDS else ""
            parts.append(f"{label}: {shown}{more}")
    return "; ".join(parts)


def _as_mapping(data: Any, role: str, *, lang: str, ids: Sequence[str] | None, field: str | None = None
                ) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Predictions, references or sources in any accepted form -> ({id: [texts]}, {id: why it is empty})."""
    if isinstance(data, (str, os.PathLike)):
        return _load(data, role, lang=lang, field=field)
    if isinstance(data, Mapping):
        items = list(data.items())
    elif isinstance(data, Sequence):
        keys = list(ids) if ids is not None else [str(i + 1) for i in range(len(data))]
        if len(keys) != len(data):
            raise InputError(f"{len(keys)} ids but {len(data)} {role}s")
        items = list(zip(keys, data))
    else:
        raise InputError(f"{role}s must be a list, a dict of id -> text, or a path, not {type(data).__name__}")
    out: dict[str, list[str]] = {}
    for key, value in items:
        out[str(key)] = _texts(value, f"{role} {key!r}")
    return out, {}


def _texts(value: Any, where: str) -> list[str]:
    """One text, or several (a list), NFC-normalised; anything else is an InputError."""
    values = value if isinstance(value, (list, tuple)) else [value]
    if not all(v is None or isinstance(v, str) for v in values):
        raise InputError(f"{where} is not text (a string, or a list of strings for several)")
    return [_nfc(v) for v in values]


def load_texts(path: str | os.PathLike, role: str = "prediction", *, lang: str = "en",
               field: str | None = None) -> dict[str, list[str]]:
    """Read predictions, references or sources from a directory, JSONL/JSON or CSV file.

    Directories hold ``<id>.txt`` files; references may be several per id
    (``<id>.1.txt``, ``<id>.2.txt``) and language-tagged (``<id>.en.txt``:
    only files tagged ``lang`` or untagged are read). JSONL/JSON/CSV records
    have an ``id`` and a ``prediction`` (or ``summary_<lang>``, as written by
    ``viensum summarize``), ``reference``/``references`` (a list for several)
    and ``source`` field; ``field`` names another one. Unreadable, binary or
    malformed input raises :class:`InputError`.
    """
    return _load(path, role, lang=lang, field=field)[0]


def _load(path: str | os.PathLike, role: str, *, lang: str, field: str | None
          ) -> tuple[dict[str, list[str]], dict[str, str]]:
    """:func:`load_texts`, and for records whose text is empty, what the record says about why."""
    path = Path(path)
    shown = _printable(str(path))
    why: dict[str, str] = {}
    if path.is_dir():
        found = _read_dir(path, lang)
    elif path.is_file():
        suffix = path.suffix.lower()
        if suffix in (".jsonl", ".json"):
            records = _read_json_records(path)
        elif suffix in (".csv", ".tsv"):
            try:
                records = list(csv.DictReader(io.StringIO(_read_text(path), newline=""),
                                              delimiter="\t" if suffix == ".tsv" else ","))
            except csv.Error as exc:
                raise InputError(f"{shown}: not a valid {suffix[1:].upper()} file ({exc})") from None
        elif suffix == ".txt":
            return {_printable(path.name.split(".")[0]): [_nfc(_read_text(path))]}, why
        else:
            raise InputError(f"{shown}: expected a directory, .jsonl, .json or .csv file")
        found = _from_records(records, role, lang=lang, field=field, where=shown, why=why)
    elif path.exists():
        raise InputError(f"{shown}: not a regular file or directory")
    else:
        raise InputError(f"no such file or directory: {shown}")
    if not found:
        raise InputError(f"{shown}: no {role}s found")
    if role != "reference":
        several = sorted(k for k, v in found.items() if len(v) > 1)
        if several:
            raise InputError(f"{shown}: several {role}s for ids: {', '.join(several[:MAX_LISTED_IDS])}")
    return found, why


def _read_dir(path: Path, lang: str) -> dict[str, list[str]]:
    tags = set(LANGS) | {lang}
    found: dict[str, list[tuple[int, str]]] = {}
    for file in sorted(path.glob("*.txt")):
        if not file.is_file():
            continue
        parts = _printable(file.name[: -len(".txt")]).split(".")
        tag, number = None, 0
        while len(parts) > 1 and (parts[-1].isdigit() or parts[-1] in tags):
            last = parts.pop()
            if last.isdigit():
                number = int(last)
            else:
                tag = last
        if tag is not None and tag != lang:
            continue
        found.setdefault(".".join(parts), []).append((number, _nfc(_read_text(file))))
    # <id>.txt, then <id>.1.txt, <id>.2.txt ... <id>.10.txt
    return {k: [t for _, t in sorted(v, key=lambda nt: nt[0])] for k, v in found.items()}


def _read_json_records(path: Path) -> list[Any]:
    text = _read_text(path)
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
            return data if isinstance(data, list) else [data]
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, a 5000-digit number, [[[[...]]]]
        raise InputError(f"{_printable(str(path))}: not valid JSON ({exc})") from None


def _from_records(records: list[Any], role: str, *, lang: str, field: str | None,
                  where: str, why: dict[str, str]) -> dict[str, list[str]]:
    if field:
        candidates: tuple[str, ...] = (field,)
    elif role == "prediction":
        candidates = ("prediction", f"summary_{lang}", "summary")
    elif role == "reference":
        candidates = ("references", "reference", f"reference_{lang}")
    else:
        candidates = ("source", "article", "text")
    out: dict[str, list[str]] = {}
    for n, rec in enumerate(records, 1):
        if not isinstance(rec, dict):
            raise InputError(f"{where}: record {n} is not an object")
        # csv.DictReader files the cells of an over-long row under the key None
        rec = {k: v for k, v in rec.items() if isinstance(k, str)}
        key = str(rec.get("id") if rec.get("id") not in (None, "") else n)
        if key in out:
            raise InputError(f"{where}: duplicate id {key!r}")
        if role == "reference" and not field and any(c.startswith("reference") for c in rec):
            # CSV spells several references as columns reference, reference2, reference_3, ...
            names = sorted((c for c in rec if c.startswith("reference")), key=lambda c: (len(c), c))
            values = [v for c in names for v in _texts(rec[c], f"{where}: record {n}, field {c!r}")]
            out[key] = [v for v in values if v]
            continue
        name = next((c for c in candidates if c in rec), None)
        if name is None:
            raise InputError(f"{where}: record {n} has no {' / '.join(candidates)} field "
                             f"(fields: {', '.join(rec)}); pick one with --field")
        value = rec[name]
        if isinstance(value, dict):  # an Article, as in summarize's JSONL
            value = _article_text(value, f"{where}: record {n}, field {name!r}")
        out[key] = _texts(value, f"{where}: record {n}, field {name!r}")
        if not any(out[key]):
            why[key] = _why_empty(rec, name)
    return out


def _article_text(value: dict[str, Any], where: str) -> str:
    from viensum.results import Article

    title, paragraphs = value.get("title") or "", value.get("paragraphs") or []
    if not isinstance(title, str) or not isinstance(paragraphs, list) \
            or not all(isinstance(p, str) for p in paragraphs):
        raise InputError(f"{where} is neither text nor an article (title, paragraphs)")
    return Article(title=title, paragraphs=paragraphs).text


def _why_empty(record: dict[str, Any], name: str) -> str:
    """Why a record's text is empty, from what a `viensum summarize` record carries."""
    error = record.get("error")
    if error:
        return f"the summariser failed on it ({' '.join(str(error).split())[:200]})"
    if name == "summary_en" and "recipe" in record:
        reason = "no English model was installed when these summaries were made"
        notes = [n for n in record.get("notes") or [] if isinstance(n, str)]
        hint = next((n for n in notes if "English" in n), None) or next((n for n in notes if "download" in n), None)
        return f"{reason} (the records say: {hint})" if hint else reason
    return f"its {name!r} field is empty"


# --------------------------------------------------------------------------- scoring


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
    preds_map, why_empty = _as_mapping(predictions, "prediction", lang=lang, ids=ids, field=field)
    refs_map, _ = _as_mapping(predictions if references is None else references, "reference",
                              lang=lang, ids=ids)
    doc_ids = [k for k in preds_map if k in refs_map]
    unmatched = {"no_reference": [k for k in preds_map if k not in refs_map],
                 "no_prediction": [k for k in refs_map if k not in preds_map]}
    unmatched = {side: ids_ for side, ids_ in unmatched.items() if ids_}
    if not doc_ids:
        if unmatched:
            raise _missing_ids_error("no reference for", unmatched.get("no_reference", []),
                                     "no prediction for", unmatched.get("no_prediction", []),
                                     lead="ids do not match, none is on both sides")
        raise InputError("nothing to evaluate: no predictions")
    no_refs = [k for k in doc_ids if not refs_map[k]]
    if no_refs:
        raise InputError(f"no reference text for ids: {', '.join(no_refs[:MAX_LISTED_IDS])}")
    preds = [preds_map[k][0] if preds_map[k] else "" for k in doc_ids]
    if not any(preds):
        raise InputError(_all_empty_message(doc_ids, why_empty, lang))
    refs = [refs_map[k] for k in doc_ids]
    srcs = None
    if sources is not None:
        src_map, _ = _as_mapping(sources, "source", lang=lang, ids=ids)
        missing_src = [k for k in doc_ids if k not in src_map]
        if missing_src:
            raise _missing_ids_error("no source for", missing_src, "", [])
        srcs = [src_map[k][0] if src_map[k] else "" for k in doc_ids]

    per_doc: list[dict[str, Any]] = [{"id": k, "n_refs": len(r)} for k, r in zip(doc_ids, refs)]
    notes: list[str] = [unmatched_message(unmatched, len(doc_ids))] if unmatched else []
    empty = [k for k, p in zip(doc_ids, preds) if not p]
    if empty:
        notes.append(f"{len(empty)} empty prediction(s) scored zero: {', '.join(empty[:MAX_LISTED_IDS])}")

    signature = {"rouge": _score_rouge(preds, refs, lang, per_doc)}
    corpus, stats = _score_sacrebleu(preds, refs, lang, per_doc, signature)
    bert_note = _score_bertscore(preds, refs, lang, per_doc, bertscore, signature)
    if bert_note:
        notes.append(bert_note)
    _lengths(preds, refs, srcs, per_doc)

    means: dict[str, float | None] = {}
    for key in SCORE_METRICS + LENGTH_METRICS:
        values = [d[key] for d in per_doc if d.get(key) is not None]
        if key in corpus:
            means[key] = corpus[key]
        elif values:
            means[key] = sum(values) / len(values)
        elif key == "bertscore" or (key in ("src_words", "compression") and srcs is None):
            continue
        else:
            means[key] = None
    ci = _bootstrap(per_doc, means, stats, bootstrap, seed) if bootstrap > 1 else {}
    signature["bootstrap"] = (f"resamples:{bootstrap}|seed:{seed}|ci:95% percentile|unit:document"
                              if bootstrap > 1 else "none")
    settings = {
        "scale": "0-100 (scores); words counted with viensum.text.words",
        "rouge_tokenizer": ("viensum.text.words (Unicode \\w+, diacritics kept, lower-cased), no stemming"
                            if lang == "vi" else "rouge-score DefaultTokenizer with Porter stemmer"),
        "rouge_multi_reference": "max F1 over references per document (rouge-score score_multi)",
        "rouge_lsum_sentences": "viensum.text.split_sentences, one sentence per line",
        "bleu_tokenize": BLEU_TOKENIZE[lang],
        "bleu_document_level": "sentence BLEU with effective order (sacrebleu sentence_bleu)",
        "chrf": "chrF++ (sacrebleu CHRF(word_order=2))",
        "compression": "prediction words / source words",
        "inputs": "NFC-normalised, stripped",
    }
    return ScoreReport(lang=lang, ids=doc_ids, means=means, ci=ci, per_document=per_doc,
                       signature=signature, settings=settings, notes=notes, unmatched=unmatched)


def unmatched_message(unmatched: Mapping[str, list[str]], scored: int) -> str:
    """One line on the ids that were left out because only one side has them."""
    return (f"ids do not match; scored the {scored} found on both sides; "
            + _list_ids("no reference for", unmatched.get("no_reference", []),
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


def _score_rouge(preds: list[str], refs: list[list[str]], lang: str, per_doc: list[dict]) -> str:
    import importlib.metadata

    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), **rouge_settings(lang))
    for doc, pred, rs in zip(per_doc, preds, refs):
        scores = scorer.score_multi([lsum_text(r) for r in rs], lsum_text(pred))
        for key in ROUGE_TYPES:
            doc[key] = 100 * float(scores[key].fmeasure)
    tok = "viensum-words" if lang == "vi" else "default+porter"
    return (f"f1|multi-ref:max|tok:{tok}|lsum-split:viensum|"
            f"version:rouge-score-{importlib.metadata.version('rouge-score')}")


def _sacrebleu_metrics(lang: str) -> dict[str, Any]:
    from sacrebleu.metrics import BLEU, CHRF

    return {"bleu": BLEU(tokenize=BLEU_TOKENIZE[lang]), "chrf": CHRF(word_order=2)}


def _score_sacrebleu(preds: list[str], refs: list[list[str]], lang: str, per_doc: list[dict],
                     signature: dict[str, str]) -> tuple[dict[str, float], dict[str, Any]]:
    """Corpus BLEU/chrF++ (with every reference) and per-document sentence scores."""
    import numpy as np
    from sacrebleu.metrics import BLEU

    streams = [[r[i] if i < len(r) else None for r in refs] for i in range(max(map(len, refs)))]
    corpus: dict[str, float] = {}
    stats: dict[str, Any] = {}
    for key, metric in _sacrebleu_metrics(lang).items():
        corpus[key] = metric.corpus_score(preds, streams).score
        signature[key] = str(metric.get_signature())
        # per-segment sufficient statistics: how sacrebleu itself bootstraps
        stats[key] = (metric, np.array(metric._extract_corpus_statistics(preds, streams), dtype="float64"))
    sentence = {"bleu": BLEU(tokenize=BLEU_TOKENIZE[lang], effective_order=True),
                "chrf": _sacrebleu_metrics(lang)["chrf"]}
    for doc, pred, rs in zip(per_doc, preds, refs):
        for key, metric in sentence.items():
            doc[key] = metric.sentence_score(pred, rs).score
    return corpus, stats


def _score_bertscore(preds: list[str], refs: list[list[str]], lang: str, per_doc: list[dict],
                     mode: bool | None, signature: dict[str, str]) -> str | None:
    """BERTScore F1 when bert-score and its model are already on this machine; never downloads."""
    if mode is False:
        return None
    model = BERTSCORE_MODELS[lang]
    reason = None
    if importlib.util.find_spec("bert_score") is None:
        reason = "the bert-score package is not installed"
    else:
        from huggingface_hub import try_to_load_from_cache

        if not isinstance(try_to_load_from_cache(model, "config.json"), str):
            reason = f"its model {model} is not in the local Hugging Face cache"
    if reason:
        msg = (f"BERTScore skipped: {reason}. To enable it: pip install bert-score, then fetch the model "
               f"once with network access: hf download {model}")
        if mode:
            raise ViensumError(msg)
        return msg
    import bert_score

    with _hub_offline():  # the model is cached: never reach for the network
        _, _, f1 = bert_score.score(preds, refs, model_type=model, lang=lang, verbose=False)
    for doc, value in zip(per_doc, f1.tolist()):
        doc["bertscore"] = 100 * float(value)
    signature["bertscore"] = f"f1|model:{model}|multi-ref:max|version:bert-score-{bert_score.__version__}"
    return None


@contextlib.contextmanager
def _hub_offline():
    """Hugging Face offline mode for the calls inside the block only.

    huggingface_hub reads ``HF_HUB_OFFLINE`` once, at import, into
    ``constants.HF_HUB_OFFLINE``, which ``is_offline_mode()`` (used by
    transformers) returns; so setting the environment variable would change
    nothing here and leak into the caller's process. The flag is set and put back.
    """
    from huggingface_hub import constants

    saved = constants.HF_HUB_OFFLINE
    constants.HF_HUB_OFFLINE = True
    try:
        yield
    finally:
        constants.HF_HUB_OFFLINE = saved


def _lengths(preds: list[str], refs: list[list[str]], srcs: list[str] | None, per_doc: list[dict]) -> None:
    for i, doc in enumerate(per_doc):
        doc["pred_words"] = len(words(preds[i]))
        doc["ref_words"] = sum(len(words(r)) for r in refs[i]) / len(refs[i])
        if srcs is not None:
            src_words = len(words(srcs[i]))
            doc["src_words"] = src_words
            doc["compression"] = doc["pred_words"] / src_words if src_words else None


def _bootstrap(per_doc: list[dict], means: dict[str, float | None], stats: dict[str, Any],
               n_resamples: int, seed: int) -> dict[str, tuple[float, float]]:
    """Percentile 95% intervals; every metric sees the same resampled document sets."""
    import numpy as np

    rng = np.random.default_rng(seed)
    n = len(per_doc)
    idx = rng.integers(0, n, size=(n_resamples, n))
    ci: dict[str, tuple[float, float]] = {}
    for key, mean in means.items():
        if mean is None:
            continue
        if key in stats:  # corpus metric: recompute from resampled sufficient statistics
            metric, seg = stats[key]
            samples = np.array([metric._compute_score_from_stats(seg[row].sum(0)).score for row in idx])
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


# --------------------------------------------------------------------------- cleaning


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
        raise _missing_ids_error("no gold text for", missing_gold, "no cleaner output for", missing_out)
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
        raise InputError(f"not a directory: {_printable(str(path))}")
    out: dict[str, str] = {}
    for file in sorted(path.iterdir()):
        if file.suffix not in (".txt", ".json") or not file.is_file():
            continue
        text = _read_text(file)
        if file.suffix == ".json":
            try:
                data = json.loads(text)
            except (ValueError, RecursionError) as exc:
                raise InputError(f"{_printable(str(file))}: not an Article JSON file ({exc})") from None
            if not isinstance(data, dict):
                raise InputError(f"{_printable(str(file))}: not an Article JSON file (not an object)")
            text = _article_text(data, _printable(str(file)))
        stem = _printable(file.stem)
        if stem in out:
            raise InputError(f"{path}: both .txt and .json output for id {stem!r}")
        out[stem] = text
    if not out:
        raise InputError(f"{_printable(str(path))}: no .txt or .json files")
    return out
