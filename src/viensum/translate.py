"""Full vi->en translation of an article, aligned paragraph by paragraph.

Every sentence of the article is translated on its own (translation models
are trained on sentence pairs and drift or stop early on whole paragraphs),
all of them in batched ``generate()`` calls, then reassembled so English
paragraph *i* is the translation of Vietnamese paragraph *i*.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from viensum.errors import InputError
# the batching helpers live in generation.py; translation is one of their users (old names kept here)
from viensum.generation import (MAX_SENTENCE_TOKENS, generate_sorted, split_to_fit,  # noqa: F401
                                translate_segments)
from viensum.registry import DEFAULT_TRANSLATOR, TRANSLATE_VI_EN, get_model
from viensum.results import Article, ParagraphPair, Translation
from viensum.parse import as_article  # noqa: F401  (its old home; it lives in parse.py)
from viensum.text import split_sentences

if TYPE_CHECKING:
    from viensum.backends import LoadedModels
    from viensum.options import Options

log = logging.getLogger(__name__)


def translate(
    text_or_article: str | bytes | Article,
    model: str | None = None,
    *,
    clean: bool | None = None,
    batch_size: int | None = None,
    num_beams: int | None = None,
    max_new_tokens: int | None = None,
    device: str | None = None,
    quantize: str | None = None,
    runtime: str | None = None,
    backend: str | None = None,
    options: Options | None = None,
    models: LoadedModels | None = None,
) -> Translation:
    """Translate a Vietnamese article into English, paragraph by paragraph.

    ``model`` is a registered vi->en translator (default opus-mt-vi-en); a
    missing one raises :class:`~viensum.errors.ModelNotAvailable`. With
    ``clean=True`` raw page text is cleaned first; otherwise (the default) the text is taken
    as headline, blank line, paragraphs (``Article.text``). ``batch_size`` defaults to 16. ``runtime`` (old
    name ``backend``), ``device`` and ``quantize`` as in :func:`viensum.summarize`;
    ``options`` gives them (and ``model``, ``num_beams``, ``batch_size``) at once,
    keywords override it. ``models``: the :class:`~viensum.backends.LoadedModels` to load
    the translator into (a Summarizer's or an app's; default: the convenience functions' own).
    """
    from viensum.backends import load_backend
    from viensum.options import Options

    # a keyword given (False and 16 included) overrides ``options``; None leaves the option as it is
    overrides = {k: v for k, v in {"model": model, "num_beams": num_beams, "device": device, "quantize": quantize,
                                   "runtime": runtime, "backend": backend, "clean": clean,
                                   "batch_size": batch_size}.items() if v is not None}
    if options is not None and not isinstance(options, Options):
        raise InputError(f"options must be a viensum Options, not {type(options).__name__}")
    opts = (options or Options.make(clean=False, batch_size=16)).replace(**overrides)
    model, clean, num_beams = opts.generate.model, opts.generate.clean, opts.generate.num_beams
    run = opts.run
    name = model or DEFAULT_TRANSLATOR
    spec = get_model(name)
    if TRANSLATE_VI_EN not in spec.tasks:
        raise InputError(f"model '{name}' is not a vi->en translator")
    article = as_article(text_or_article, clean=clean)
    engine = load_backend(spec, device=run.device, quantize=run.quantize, backend=run.runtime, models=models)
    started = time.perf_counter()
    segments = plan(article)
    outputs = translate_segments(engine, segments, batch_size=run.batch_size, num_beams=num_beams,
                                 max_new_tokens=max_new_tokens)
    translation = assemble(article, outputs, engine.provenance, time.perf_counter() - started)
    from viensum.check.trace import check_translation

    check_translation(translation, article)  # viensum.check: each sentence's source and problems
    return translation


def plan(article: Article) -> list[str]:
    """The texts to translate for ``article``: its headline, then every sentence in order."""
    return [article.title] + [s for p in article.paragraphs for s in split_sentences(p)]


def assemble(article: Article, outputs: Sequence[str], model_id: str, seconds: float = 0.0) -> Translation:
    """Put the outputs for :func:`plan`'s segments back into aligned paragraphs."""
    outputs = list(outputs)
    title_en, rest = outputs[0], outputs[1:]
    pairs = []
    for paragraph in article.paragraphs:
        count = len(split_sentences(paragraph))
        pairs.append(ParagraphPair(vi=paragraph, en=" ".join(o for o in rest[:count] if o)))
        rest = rest[count:]
    return Translation(title_vi=article.title, title_en=title_en, paragraphs=pairs, model=model_id,
                       sentences=len(outputs) - 1, seconds=round(seconds, 3))


__all__ = ["MAX_SENTENCE_TOKENS", "as_article", "assemble", "generate_sorted", "plan", "split_to_fit", "translate",
           "translate_segments"]
