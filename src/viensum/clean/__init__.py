"""Article cleaning: from a copied news page (text or saved HTML) to headline + body.

One job per module, in the order a page meets them:

* :mod:`~viensum.clean.gate`: size, decoding, emptiness, text or HTML;
* :mod:`~viensum.clean.html`: HTML through trafilatura (main content, metadata) and the page's
  own blocks; :mod:`~viensum.clean.render` (``page_text``) renders a parsed page as a browser's
  innerText would;
* :mod:`~viensum.clean.columns`: side-by-side table cells of a text-mode browser, read column by column;
* :mod:`~viensum.clean.lines`: lines normalised, layout residue dropped, wrapped lines joined;
* :mod:`~viensum.clean.classify`: each line judged on its own (the patterns and word lists are data
  in :mod:`~viensum.clean.rules`);
* :mod:`~viensum.clean.layout`: line weights, the main run of prose (maximum-sum segment), teaser
  cards, the headline;
* :mod:`~viensum.clean.body`: inside the body: link lists, sub-headings, captions, photo stories;
* :mod:`~viensum.clean.decide`: the page-level decision that ties them together (above, inside and
  below the body) into an :class:`~viensum.results.Article`.

Every dropped line is recorded in ``Article.removed`` with a short reason, and the words kept are
never changed. docs/CLEANING.md explains the signals and weights.
"""
from __future__ import annotations

from viensum.clean.gate import MAX_BYTES, input_format, looks_like_html, read_input
from viensum.clean.render import page_text
from viensum.errors import InputError
from viensum.results import Article

__all__ = ["MAX_BYTES", "clean_article", "looks_like_html", "page_text"]


def clean_article(raw: str | bytes, *, fmt: str | None = None, max_bytes: int = MAX_BYTES) -> Article:
    """Clean one article given as text or HTML (``fmt`` "text"/"html"; guessed when None).

    Raises :class:`InputError` for empty, binary, oversized input or input with
    no article text; a non-Vietnamese text is returned with ``language`` set
    and a warning rather than refused.
    """
    from viensum.clean.decide import clean_text
    from viensum.clean.html import clean_html

    text = read_input(raw, max_bytes)
    if input_format(text, fmt) == "html":
        article = clean_html(text)
    else:
        article = clean_text(text)
    if not article.paragraphs and not article.title:
        from viensum.langdetect import not_vietnamese

        # the Vietnamese line rules drop text in another language: say that, not "nothing found"
        raise InputError(not_vietnamese(text) or "no article text found in the input")
    _set_language(article)
    if "\ufffd" in text:  # bytes that were not valid UTF-8 (viensum.inputs.decode_text): say so
        article.warnings.append(f"{text.count(chr(0xFFFD)):,} undecodable bytes were replaced with U+FFFD (�)")
    return article


def _set_language(article: Article) -> None:
    from viensum.langdetect import detect_language

    sample = " ".join([article.title, *article.paragraphs])[:3000]
    lang, score = detect_language(sample)
    article.language, article.language_score = lang, score
    if lang != "vi":
        article.warnings.append(f"the text does not look Vietnamese (detected {lang!r}, score {score:.2f})")
