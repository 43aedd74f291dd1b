"""viensum: clean, summarise and translate Vietnamese news articles into English.

    import viensum
    article = viensum.clean_article(open("seeds/001_7a23386e8a2c9da9.txt", encoding="utf-8").read())
    result = viensum.summarize(article.text, clean=False)     # one text -> one Summary
    results = viensum.summarize([text_a, text_b])            # a list -> a list, same order
    summarizer = viensum.Summarizer("two-stage", viensum.Options.make(runtime="transformers"))
    results = summarizer.summarize(texts)                    # models loaded once, for many calls
    report = viensum.evaluate(predictions, references, lang="en")
    result = viensum.check(summary_en, article, lang="en")  # sources and problems per sentence

The stage modules imported here are light on purpose: torch, transformers,
trafilatura and the metric libraries are imported only when a function that
needs them runs, and no model is loaded at import time.
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# Imported eagerly (not lazily) so that the functions, not the same-named
# submodules, are what `viensum.summarize` & co. name after any submodule import.
from viensum.check import CheckResult, check
from viensum.clean import clean_article
from viensum.errors import InputError, ModelNotAvailable, ViensumError
from viensum.evaluate import ScoreReport, evaluate, evaluate_cleaning
from viensum.results import Article, Summary, Translation
from viensum.summarize import iter_summarize, summarize
from viensum.translate import translate

# Names whose module has a different name: imported on first use.
_LAZY = {
    "Options": "viensum.options",
    "GenerateOptions": "viensum.options",
    "RunOptions": "viensum.options",
    "Summarizer": "viensum.summarizer",
}

__all__ = [
    "Article",
    "CheckResult",
    "GenerateOptions",
    "InputError",
    "ModelNotAvailable",
    "Options",
    "RunOptions",
    "ScoreReport",
    "Summarizer",
    "Summary",
    "Translation",
    "ViensumError",
    "__version__",
    "check",
    "clean_article",
    "evaluate",
    "evaluate_cleaning",
    "iter_summarize",
    "summarize",
    "translate",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'viensum' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
