"""Checking summaries against their article: every sentence traced to its source, every number, date and name checked.

    import viensum
    result = viensum.check("VN-Index rose 25.36 points to 1,853.08.", article_text, lang="en")
    for s in result.sentences:
        print(s.text, s.sources, s.problems)

One job per module: numbers.py, dates.py and names.py read facts out of text;
index.py indexes an article once (with the page's captions and credits);
compare.py judges one fact against it; context.py what needs the sentence
around a fact (a code's owner, a moved fact); align.py finds the article sentences a summary sentence rests on; core.py puts
them together for one sentence; trace.py fills in a Summary's and a
Translation's sentences (the Summarizer's hook); repair.py retries a
translation that lost a number or a name; html.py renders the result for the
web app. Nothing here loads a model; Babel is read on the first English check.
"""
from __future__ import annotations

import time

from viensum.check.results import CheckResult, Problem, SentenceCheck, Source
from viensum.errors import InputError

LANGS = ("en", "vi")
MAX_SUMMARY_CHARS = 20_000  # bounded time: every sentence is compared with every article sentence


def check(summary: str, article, lang: str = "en", *, clean: bool = False) -> CheckResult:
    """Check ``summary`` (English or Vietnamese text) against ``article`` (an Article, or its text or HTML).

    A text article is read as already clean (paragraphs separated by blank
    lines, or one per line) unless ``clean=True``. Raises
    :class:`~viensum.errors.InputError` for an empty or over-long summary, an
    unknown ``lang`` or an article with no text.
    """
    from viensum.check.core import check_sentence
    from viensum.check.index import index_of
    from viensum.results import Article
    from viensum.text import normalize_text, split_sentences

    t0 = time.perf_counter()
    if lang not in LANGS:
        raise InputError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    if not isinstance(summary, str):
        raise InputError(f"the summary must be text, not {type(summary).__name__}")
    if len(summary) > MAX_SUMMARY_CHARS:
        raise InputError(f"the summary is {len(summary):,} characters long; a summary is at most "
                         f"{MAX_SUMMARY_CHARS:,} (check a long text as a translation, paragraph by paragraph)")
    sentences = split_sentences(normalize_text(summary))
    if not sentences:
        raise InputError("the summary is empty")
    if not isinstance(article, Article):
        from viensum.translate import as_article

        article = as_article(article, clean=clean)
    if not article.paragraphs and not article.title:
        raise InputError("the article has no text")
    index = index_of(article)
    checks = [check_sentence(s, index, lang) for s in sentences]
    return CheckResult(checks, lang, round(time.perf_counter() - t0, 4))


__all__ = ["CheckResult", "Problem", "SentenceCheck", "Source", "check"]
