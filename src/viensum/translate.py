"""Full vi->en translation of an article, aligned paragraph by paragraph.

Every sentence of the article is translated on its own (translation models
are trained on sentence pairs and drift or stop early on whole paragraphs),
all of them in batched ``generate()`` calls, then reassembled so English
paragraph *i* is the translation of Vietnamese paragraph *i*.
"""
from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from viensum.backends.base import Backend
from viensum.errors import InputError
from viensum.registry import DEFAULT_TRANSLATOR, TRANSLATE_VI_EN, get_model
from viensum.results import Article, ParagraphPair, Translation
from viensum.parse import as_article  # noqa: F401  (its old home; it lives in parse.py)
from viensum.text import split_sentences

if TYPE_CHECKING:
    from viensum.backends import LoadedModels
    from viensum.options import Options

log = logging.getLogger(__name__)

# Translation quality collapses well before a model's nominal input limit, so
# sentences are cut into clauses beyond this many tokens even if they would fit.
MAX_SENTENCE_TOKENS = 256

# Where a long sentence may be cut: after , ; : or before a dash between spaces.
_CLAUSE_RE = re.compile(r"(?<=[,;:])\s+|\s+(?=[–—-]\s)")


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
    return assemble(article, outputs, engine.provenance, time.perf_counter() - started)


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


def translate_segments(backend: Backend, texts: Sequence[str], *, batch_size: int = 16,
                       num_beams: int | None = None, max_new_tokens: int | None = None) -> list[str]:
    """Translate each text (one sentence, usually); over-long ones go in clause-sized pieces.

    One output per input, in input order; empty inputs give empty outputs.
    """
    limit = min(backend.max_input_tokens, MAX_SENTENCE_TOKENS)
    pieces: list[str] = []
    owners: list[int] = []
    for i, text in enumerate(texts):
        for piece in split_to_fit(text, backend.count_tokens, limit):
            pieces.append(piece)
            owners.append(i)
    translated = generate_sorted(backend, pieces, batch_size=batch_size, num_beams=num_beams,
                                 max_new_tokens=max_new_tokens)
    joined: list[list[str]] = [[] for _ in texts]
    for owner, out in zip(owners, translated):
        if out:
            joined[owner].append(out.strip())
    return [" ".join(parts) for parts in joined]


def generate_sorted(backend: Backend, texts: Sequence[str], **kwargs) -> list[str]:
    """``backend.generate`` over the non-empty texts, outputs in input order.

    Empty texts are not sent to the model and give empty outputs. The backends
    sort by token length themselves (``seq2seq.sorted_batches``), so the texts
    are passed in their own order: sorting them here as well was work done twice.
    """
    order = [i for i, t in enumerate(texts) if t.strip()]
    if not order:
        return [""] * len(texts)
    outputs = backend.generate([texts[i] for i in order], **kwargs)
    if len(outputs) != len(order):
        raise RuntimeError(f"{backend.spec.name} returned {len(outputs)} outputs for {len(order)} inputs")
    result = [""] * len(texts)
    for i, out in zip(order, outputs):
        result[i] = out
    return result


def split_to_fit(text: str, count_tokens: Callable[[str], int], limit: int) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` tokens: at clause boundaries, else between words.

    The pieces joined with single spaces give back the text (whitespace
    folded): nothing is dropped. Only a single word longer than the limit
    stays over it.
    """
    text = " ".join(text.split())
    if not text or count_tokens(text) <= limit:
        return [text] if text else []
    pieces = _pack(_CLAUSE_RE.split(text), count_tokens, limit)
    out: list[str] = []
    for piece in pieces:
        if count_tokens(piece) <= limit:
            out.append(piece)
        else:
            out.extend(_pack(piece.split(" "), count_tokens, limit))
    return out


def _pack(parts: Sequence[str], count_tokens: Callable[[str], int], limit: int) -> list[str]:
    """Greedily join consecutive parts while the joined text fits."""
    pieces: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current} {part}" if current else part
        if current and count_tokens(candidate) > limit:
            pieces.append(current)
            current = part
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces
