"""viensum: clean, summarise and translate Vietnamese news articles into English.

The curated API is below; everything heavy (torch, transformers, trafilatura)
is imported only when a function that needs it is first called.

>>> import viensum
>>> art = viensum.clean_article(open("seeds/001_7a23386e8a2c9da9.txt").read())
>>> res = viensum.summarize(art.text, clean=False)          # one text -> one Summary
>>> many = viensum.summarize([a, b, c])                      # list -> list, same order
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# name -> module that defines it; resolved on first attribute access (PEP 562)
_LAZY = {
    "clean_article": "viensum.clean",
    "summarize": "viensum.summarize",
    "iter_summarize": "viensum.summarize",
    "translate": "viensum.translate",
    "evaluate": "viensum.evaluate",
    "evaluate_cleaning": "viensum.evaluate",
    "ScoreReport": "viensum.evaluate",
    "Article": "viensum.results",
    "Summary": "viensum.results",
    "Translation": "viensum.results",
    "ViensumError": "viensum.errors",
    "InputError": "viensum.errors",
    "ModelNotAvailable": "viensum.errors",
}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'viensum' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


if TYPE_CHECKING:  # pragma: no cover
    from viensum.clean import clean_article
    from viensum.errors import InputError, ModelNotAvailable, ViensumError
    from viensum.evaluate import ScoreReport, evaluate, evaluate_cleaning
    from viensum.results import Article, Summary, Translation
    from viensum.summarize import iter_summarize, summarize
    from viensum.translate import translate
