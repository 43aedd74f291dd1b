"""viensum: clean, summarise and translate Vietnamese news articles into English.

    import viensum
    article = viensum.clean_article(open("seeds/001_7a23386e8a2c9da9.txt", encoding="utf-8").read())
    result = viensum.summarize(article.text, clean=False)     # one text -> one Summary
    results = viensum.summarize([text_a, text_b])            # a list -> a list, same order
    report = viensum.evaluate(predictions, references, lang="en")

The stage modules imported here are light on purpose: torch, transformers,
trafilatura and the metric libraries are imported only when a function that
needs them runs, and no model is loaded at import time.
"""
from __future__ import annotations

__version__ = "0.1.0"

# Imported eagerly (not lazily) so that the functions, not the same-named
# submodules, are what `viensum.summarize` & co. name after any submodule import.
from viensum.clean import clean_article
from viensum.errors import InputError, ModelNotAvailable, ViensumError
from viensum.evaluate import ScoreReport, evaluate, evaluate_cleaning
from viensum.results import Article, Summary, Translation
from viensum.summarize import iter_summarize, summarize
from viensum.translate import translate

__all__ = [
    "Article",
    "InputError",
    "ModelNotAvailable",
    "ScoreReport",
    "Summary",
    "Translation",
    "ViensumError",
    "__version__",
    "clean_article",
    "evaluate",
    "evaluate_cleaning",
    "iter_summarize",
    "summarize",
    "translate",
]
