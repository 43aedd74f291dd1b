"""The summary metrics, one small class each: its settings are its fields, its signature and its
lines in the report's settings come from them (sacrebleu's pattern). sacrebleu is used through
its public API, except chrF's bootstrap (see :meth:`Chrf.resample`).

Each metric fills its per-document columns (:meth:`Metric.score`, returning the corpus figure
where it has its own, else the mean of the documents is used) and, for corpus figures,
recomputes them on bootstrap resamples of the documents (:meth:`Metric.resample`).
Heavy libraries are imported when a metric scores, never at import.
"""
from __future__ import annotations

import contextlib
import dataclasses
import importlib.metadata
import importlib.util
from dataclasses import dataclass, field
from typing import Any, ClassVar

from viensum.errors import InputError, ViensumError
from viensum.text import split_sentences, words

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
# sacrebleu's 13a is the WMT standard for English; "intl" also splits Unicode
# punctuation (“ ” – …), which Vietnamese news uses and 13a leaves glued to words.
BLEU_TOKENIZE = {"en": "13a", "vi": "intl"}
# bert-score's own defaults: roberta-large for English, multilingual BERT otherwise
BERTSCORE_MODELS = {"en": "roberta-large", "vi": "bert-base-multilingual-cased"}


class UnicodeWordTokenizer:
    """rouge-score tokenizer that keeps diacritics: lower-cased NFC ``\\w+`` runs, no stemming."""

    def tokenize(self, text: str) -> list[str]:
        return words(text)


# a ROUGE tokenizer's name (in the signature) -> what it means and rouge_scorer.RougeScorer's keywords for it
ROUGE_TOKENIZERS = {
    "viensum-words": ("viensum.text.words (Unicode \\w+, diacritics kept, lower-cased), no stemming",
                      lambda: {"tokenizer": UnicodeWordTokenizer()}),
    "default+porter": ("rouge-score DefaultTokenizer with Porter stemmer", lambda: {"use_stemmer": True}),
    "default": ("rouge-score DefaultTokenizer, no stemming", lambda: {}),
}


def rouge_tokenizer(lang: str) -> str:
    """The default tokenizer for a language. English: rouge-score's default with the Porter stemmer (the
    setting published ROUGE figures use). Vietnamese: :class:`UnicodeWordTokenizer`, no stemming
    (Vietnamese words do not inflect, and rouge-score's default drops every letter with a diacritic)."""
    return "viensum-words" if lang == "vi" else "default+porter"


def rouge_settings(lang: str, tok: str | None = None) -> dict[str, Any]:
    """Keyword arguments for ``rouge_scorer.RougeScorer``: tokenizer ``tok``, else the language's default."""
    tok = tok or rouge_tokenizer(lang)
    if tok not in ROUGE_TOKENIZERS:
        raise InputError(f"unknown ROUGE tokenizer {tok!r}; one of: {', '.join(ROUGE_TOKENIZERS)}")
    return ROUGE_TOKENIZERS[tok][1]()


def lsum_text(text: str) -> str:
    """One sentence per line, which is how rouge-score's ROUGE-Lsum finds summary-level sentences."""
    return "\n".join(s for line in text.splitlines() for s in split_sentences(line))


@dataclass
class Metric:
    """One metric with its settings as fields; ``lang`` is the language scored."""

    name: ClassVar[str]               # its key in the report's signatures
    # the per-document values it fills, in the report's order: column -> (label, short label)
    labels: ClassVar[dict[str, tuple[str, str]]]
    lang: str

    @classmethod
    def make(cls, lang: str, **run: Any) -> "Metric":
        """This metric for one evaluate() call (``run``: that call's switches, e.g. ``bertscore``)."""
        return cls(lang)

    def signature(self) -> str:
        """``field:value|...|version:...`` from this metric's own fields."""
        parts = [f"{f.name.replace('_', '-')}:{getattr(self, f.name)}" for f in dataclasses.fields(self)
                 if f.repr]
        return "|".join(parts + [f"version:{self.version()}"])

    def version(self) -> str:
        return ""

    def usable(self) -> bool:
        """Whether it can score here (when not, :attr:`note` says why)."""
        return True

    @property
    def note(self) -> str | None:
        return None

    def settings(self) -> dict[str, str]:
        """What the report's ``settings`` says about this metric."""
        return {}

    def score(self, preds: list[str], refs: list[list[str]], per_doc: list[dict]) -> dict[str, float]:
        """Fill the per-document columns; return corpus figures (empty: the documents' mean is used)."""
        raise NotImplementedError

    def resample(self, rows) -> dict[str, list[float]]:
        """Corpus figures on each resample (rows of document indices); only for corpus figures."""
        return {}


@dataclass
class Rouge(Metric):
    """rouge-score F1, the best reference of each document (``score_multi``)."""

    name = "rouge"
    labels = {"rouge1": ("ROUGE-1", "R-1"), "rouge2": ("ROUGE-2", "R-2"), "rougeL": ("ROUGE-L", "R-L"),
              "rougeLsum": ("ROUGE-Lsum", "R-Lsum")}
    tok: str = ""
    multi_ref: str = "max"
    lsum_split: str = "viensum"

    def __post_init__(self) -> None:
        self.tok = self.tok or rouge_tokenizer(self.lang)
        rouge_settings(self.lang, self.tok)  # an unknown tokenizer is refused here, not after scoring

    def signature(self) -> str:
        return "f1|" + super().signature().split("|", 1)[1]  # the language is in the tokenizer

    def version(self) -> str:
        return f"rouge-score-{importlib.metadata.version('rouge-score')}"

    def settings(self) -> dict[str, str]:
        return {"rouge_tokenizer": ROUGE_TOKENIZERS[self.tok][0],
                "rouge_multi_reference": "max F1 over references per document (rouge-score score_multi)",
                "rouge_lsum_sentences": "viensum.text.split_sentences, one sentence per line"}

    def score(self, preds, refs, per_doc) -> dict[str, float]:
        from rouge_score import rouge_scorer

        scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), **rouge_settings(self.lang, self.tok))
        for doc, pred, rs in zip(per_doc, preds, refs):
            scores = scorer.score_multi([lsum_text(r) for r in rs], lsum_text(pred))
            for key in ROUGE_TYPES:
                doc[key] = 100 * float(scores[key].fmeasure)
        return {}


@dataclass
class Sacrebleu(Metric):
    """A sacrebleu metric: corpus figure with every reference, sentence figures per document."""

    _corpus: Any = field(default=None, repr=False)
    _signature: str = field(default="", repr=False)

    def metric(self, sentence: bool = False):
        raise NotImplementedError

    def signature(self) -> str:
        return self._signature  # sacrebleu's own, made from its fields once it has scored

    def score(self, preds, refs, per_doc) -> dict[str, float]:
        streams = [[r[i] if i < len(r) else None for r in refs] for i in range(max(map(len, refs)))]
        corpus = self.metric()
        value = corpus.corpus_score(preds, streams).score
        self._signature = str(corpus.get_signature())
        self._corpus = (corpus, preds, refs)
        sentence = self.metric(sentence=True)
        for doc, pred, rs in zip(per_doc, preds, refs):
            doc[self.name] = sentence.sentence_score(pred, rs).score
        return {self.name: value}


@dataclass
class Bleu(Sacrebleu):
    name = "bleu"
    labels = {"bleu": ("BLEU", "BLEU")}

    def metric(self, sentence: bool = False):
        from sacrebleu.metrics import BLEU

        return BLEU(tokenize=BLEU_TOKENIZE[self.lang], effective_order=sentence)

    def settings(self) -> dict[str, str]:
        return {"bleu_tokenize": BLEU_TOKENIZE[self.lang],
                "bleu_document_level": "sentence BLEU with effective order (sacrebleu sentence_bleu)"}

    def resample(self, rows) -> dict[str, list[float]]:
        """From each document's sufficient statistics (BLEUScore's counts, totals and lengths) with
        BLEU.compute_bleu, sacrebleu's public way to score summed statistics."""
        import numpy as np
        from sacrebleu.metrics import BLEU

        metric, preds, refs = self._corpus
        docs = [metric.corpus_score([p], [[r] for r in rs]) for p, rs in zip(preds, refs)]
        stats = np.array([[*d.counts, *d.totals, d.sys_len, d.ref_len] for d in docs], dtype="int64")
        n = metric.max_ngram_order
        out = []
        for row in rows:
            s = stats[row].sum(0)
            out.append(BLEU.compute_bleu(s[:n].tolist(), s[n:2 * n].tolist(), int(s[-2]), int(s[-1]),
                                         smooth_method=metric.smooth_method, smooth_value=metric.smooth_value,
                                         effective_order=metric.effective_order, max_ngram_order=n).score)
        return {"bleu": out}


@dataclass
class Chrf(Sacrebleu):
    name = "chrf"
    labels = {"chrf": ("chrF++", "chrF++")}

    def metric(self, sentence: bool = False):
        from sacrebleu.metrics import CHRF

        return CHRF(word_order=2)

    def settings(self) -> dict[str, str]:
        return {"chrf": "chrF++ (sacrebleu CHRF(word_order=2))"}

    def resample(self, rows) -> dict[str, list[float]]:
        """The corpus score of each resample from per-document statistics, as sacrebleu bootstraps itself.

        The one use of sacrebleu's non-public methods: chrF exposes no statistics publicly, and
        corpus_score on every resample took 112 s where this takes 2.4 s (100 documents, 1000
        resamples; both give the same intervals: measured in the issue 19 report).
        """
        import numpy as np

        metric, preds, refs = self._corpus
        streams = [[r[i] if i < len(r) else None for r in refs] for i in range(max(map(len, refs)))]
        stats = np.array(metric._extract_corpus_statistics(preds, streams), dtype="float64")
        return {"chrf": [metric._compute_score_from_stats(stats[row].sum(0)).score for row in rows]}


@dataclass
class BertScore(Metric):
    """BERTScore F1 when bert-score and its model are already on this machine; never downloads.

    ``mode``: None = when available, True = required, False = off.
    """

    name = "bertscore"
    labels = {"bertscore": ("BERTScore", "BERTSc")}
    mode: bool | None = field(default=None, repr=False)
    model: str = ""
    multi_ref: str = "max"
    skipped: str | None = field(default=None, repr=False)

    @property
    def note(self) -> str | None:
        return self.skipped

    def __post_init__(self) -> None:
        self.model = self.model or BERTSCORE_MODELS[self.lang]

    @classmethod
    def make(cls, lang: str, **run: Any) -> "BertScore":
        return cls(lang, mode=run.get("bertscore"))

    def signature(self) -> str:
        return "f1|" + super().signature().split("|", 1)[1]

    def version(self) -> str:
        import bert_score

        return f"bert-score-{bert_score.__version__}"

    def missing(self) -> str | None:
        if importlib.util.find_spec("bert_score") is None:
            return "the bert-score package is not installed"
        from huggingface_hub import try_to_load_from_cache

        if not isinstance(try_to_load_from_cache(self.model, "config.json"), str):
            return f"its model {self.model} is not in the local Hugging Face cache"
        return None

    def usable(self) -> bool:
        """Whether it runs; when not, ``note`` says why (or, when required, it raises)."""
        if self.mode is False:
            return False
        reason = self.missing()
        if reason:
            self.skipped = (f"BERTScore skipped: {reason}. To enable it: pip install bert-score, then fetch the "
                            f"model once with network access: hf download {self.model}")
            if self.mode:
                raise ViensumError(self.skipped)
            return False
        return True

    def score(self, preds, refs, per_doc) -> dict[str, float]:
        import bert_score

        with hub_offline():  # the model is cached: never reach for the network
            _, _, f1 = bert_score.score(preds, refs, model_type=self.model, lang=self.lang, verbose=False)
        for doc, value in zip(per_doc, f1.tolist()):
            doc["bertscore"] = 100 * float(value)
        return {}


@contextlib.contextmanager
def hub_offline():
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


# The metrics of a report, in its order: adding one is a class above, listed here.
METRICS: list[type[Metric]] = [Rouge, Bleu, Chrf, BertScore]


def summary_metrics(lang: str, **run: Any) -> list[Metric]:
    """The metrics one evaluate() call scores with, in the report's order."""
    return [cls.make(lang, **run) for cls in METRICS]


def score_columns() -> dict[str, tuple[str, str]]:
    """Every metric's per-document columns, in the report's order: column -> (label, short label)."""
    return {column: label for cls in METRICS for column, label in cls.labels.items()}
