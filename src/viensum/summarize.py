"""``viensum.summarize()`` and ``viensum.iter_summarize()``: the one-call API over :class:`Summarizer`.

Each call takes the Summarizer for its recipe and loading options from a small
locked pool (built on first use), so calling ``summarize()`` in a loop loads
the models once and reuses earlier summaries of the same article. Code that
serves many requests, or wants to control when models load and are freed,
builds its own :class:`~viensum.summarizer.Summarizer`. The recipes themselves
live in recipes.py, the model-calling machinery in generation.py.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from viensum.backends import shared_models
from viensum.errors import InputError
from viensum.options import Options, as_options
from viensum.results import Article, Summary
from viensum.summarizer import Input, Progress, Summarizer, SummarizerPool, resolve_recipe  # noqa: F401

# the convenience functions' own pool; it loads models into the same holder as viensum.translate()
_POOL = SummarizerPool(models=shared_models())


def _options(model, options, values: dict[str, Any]) -> Options:
    # the keywords summarize() always took are options of the same name; None leaves the option as it is
    given = {k: v for k, v in values.items() if v is not None}
    if model is not None:
        given["model"] = model
    return as_options(options, **given)


def summarize(
    text_or_texts: Input | Iterable[Input],
    model: str | None = None,
    *,
    translate: bool | None = None,
    clean: bool | None = None,
    sentences: int | None = None,
    max_new_tokens: int | None = None,
    num_beams: int | None = None,
    batch_size: int | None = None,
    device: str | None = None,
    quantize: str | None = None,
    runtime: str | None = None,
    backend: str | None = None,
    progress: Progress = False,
    ids: Sequence[str] | None = None,
    cache: bool | None = None,
    options: Options | None = None,
) -> Summary | list[Summary]:
    """Summarise one article (-> :class:`Summary`) or a list of them (-> list, same order).

    An article is text, bytes, an :class:`~viensum.results.Article` or an
    :class:`viensum.inputs.Item` (which brings its id, source and format: an
    HTML record is cleaned as HTML). ``model`` is a recipe name (``viensum models list``) or a registered model
    name, mapped to the recipe that uses it. With ``model=None`` the default
    recipe runs if its models are installed, else the extractive fallback with
    a note; a model asked for by name that is missing raises
    :class:`~viensum.errors.ModelNotAvailable`. An article that fails (bad
    input, not Vietnamese, a model error) gets a Summary with ``error`` set;
    the others are unaffected. ``progress`` is ``True`` for a tqdm bar or a
    callable ``progress(done, total)``. ``runtime`` (old name: ``backend``) is
    ``"auto"`` (CTranslate2 int8 on the CPU where it applies, else
    transformers), ``"transformers"`` (fp32 unless ``quantize="int8"``: the
    exact path) or ``"ctranslate2"``. ``options`` (:class:`~viensum.options.Options`)
    gives them all at once; keywords override it, and a keyword left at ``None``
    keeps the option's value (defaults: ``sentences=3``, ``translate=False``,
    ``clean=True``, ``batch_size=8``, ``runtime="auto"``, ``cache=True``).
    """
    opts = _options(model, options, dict(
        translate=translate, clean=clean, sentences=sentences, max_new_tokens=max_new_tokens, num_beams=num_beams,
        batch_size=batch_size, device=device, quantize=quantize, runtime=runtime, backend=backend, cache=cache))
    if text_or_texts is None or isinstance(text_or_texts, (int, float, dict)):
        raise InputError(f"expected article text (str, bytes or Article) or a list of them, "
                         f"not {type(text_or_texts).__name__}")
    return _POOL.get(opts).summarize(text_or_texts, ids=ids, progress=progress, options=opts)


def iter_summarize(
    texts: Iterable[Input],
    model: str | None = None,
    *,
    translate: bool | None = None,
    clean: bool | None = None,
    sentences: int | None = None,
    max_new_tokens: int | None = None,
    num_beams: int | None = None,
    batch_size: int | None = None,
    device: str | None = None,
    quantize: str | None = None,
    runtime: str | None = None,
    backend: str | None = None,
    progress: Progress = False,
    ids: Iterable[str | None] | None = None,
    cache: bool | None = None,
    group_size: int | None = None,
    total: int | None = None,
    options: Options | None = None,
) -> Iterator[Summary]:
    """Like :func:`summarize` over many texts, yielding Summaries in input order.

    Works through ``texts`` (any iterable, a generator of millions included)
    ``group_size`` articles at a time (default ``4 * batch_size``), so memory
    stays bounded. Models are loaded before the first article is read. An
    exception in place of a text (a reader that failed) becomes that
    article's error. ``total`` sizes the progress bar when ``texts`` has no length.
    """
    opts = _options(model, options, dict(
        translate=translate, clean=clean, sentences=sentences, max_new_tokens=max_new_tokens, num_beams=num_beams,
        batch_size=batch_size, device=device, quantize=quantize, runtime=runtime, backend=backend, cache=cache))
    return _POOL.get(opts).iter_summarize(texts, ids=ids, progress=progress, total=total, group_size=group_size,
                                          options=opts)


def get_summarizer(model: str | None = None, options: Options | None = None, **overrides: Any) -> Summarizer:
    """The pooled Summarizer :func:`summarize` would use for these arguments (models loaded)."""
    return _POOL.get(_options(model, options, overrides))


def clear_cache() -> None:
    """Forget every pooled Summarizer and with them every cached summary."""
    _POOL.clear()


__all__ = ["Article", "Options", "Summarizer", "clear_cache", "get_summarizer", "iter_summarize", "resolve_recipe",
           "summarize"]
