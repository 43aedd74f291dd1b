"""Evaluation: summary scores (ROUGE, BLEU, chrF++, BERTScore) and cleaning scores.

Scores are on a 0-100 scale. ROUGE is the F1 of rouge-score; with several
references a document takes its best reference (rouge-score's ``score_multi``),
while BLEU and chrF++ hand every reference to sacrebleu. Corpus figures come
with percentile bootstrap 95% intervals over documents (paired: every metric
sees the same resamples).

Tokenisation is explicit because it decides the numbers: rouge-score's default
tokenizer deletes every non-ASCII letter ("việt" becomes "vi t"), so Vietnamese
is tokenised with :func:`viensum.text.words`, which keeps diacritics.

The package, one job a module:

* texts.py     predictions, references and sources read in (ids and JSON Lines as viensum.inputs reads them)
* metrics.py   one class per metric, its settings as fields (signature and settings lines from them)
* score.py     :func:`evaluate`: read, pair the ids, score, sum up with bootstrap intervals
* report.py    :class:`ScoreReport`: the table, JSON and chart
* cleaning.py  :func:`evaluate_cleaning`: the cleaner against gold text
"""
from __future__ import annotations

from viensum.evaluate.cleaning import (CLEANING_METRICS, CleaningReport, evaluate_cleaning, load_cleaned,
                                       paragraphs, score_cleaning)
from viensum.evaluate.metrics import (BERTSCORE_MODELS, BLEU_TOKENIZE, METRICS, ROUGE_TYPES, BertScore, Bleu, Chrf,
                                      Metric, Rouge, UnicodeWordTokenizer, lsum_text, rouge_settings)
from viensum.evaluate.report import LABELS, LENGTH_METRICS, SCORE_METRICS, ScoreReport, check_chart_path
from viensum.evaluate.score import evaluate, unmatched_message
from viensum.evaluate.texts import LANGS, MAX_INPUT_BYTES, MAX_LISTED_IDS, load_texts

__all__ = ["BERTSCORE_MODELS", "BLEU_TOKENIZE", "METRICS", "BertScore", "Bleu", "CLEANING_METRICS", "Chrf", "CleaningReport",
           "LABELS", "LANGS", "LENGTH_METRICS", "MAX_INPUT_BYTES", "MAX_LISTED_IDS", "Metric", "ROUGE_TYPES",
           "Rouge", "SCORE_METRICS", "ScoreReport", "UnicodeWordTokenizer", "check_chart_path", "evaluate",
           "evaluate_cleaning", "load_cleaned", "load_texts", "lsum_text", "paragraphs", "rouge_settings",
           "score_cleaning", "unmatched_message"]
