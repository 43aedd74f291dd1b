"""Running models over a group of articles: batch-then-retry, chunking and map-reduce.

Every model call of a stage takes the texts of all articles of a group at
once; when it fails, the call is retried article by article so only the bad
article fails (:meth:`Generator.generate`). Inputs longer than a model's limit
are split by sentences and summarised map-reduce style (:meth:`Generator.map_reduce`).
The recipes (recipes.py) are written in terms of these two calls. Below them, the
batching helpers every model call uses (:func:`generate_sorted`,
:func:`translate_segments`, :func:`split_to_fit`); translate.py is one of their users.
"""
from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from viensum import extractive
from viensum.backends.base import Backend
from viensum.errors import ModelNotAvailable, ViensumError
from viensum.options import Options
from viensum.registry import TRANSLATE_VI_EN
from viensum.results import Article
from viensum.stages import MODEL, Job  # noqa: F401  (Job: its old home was here)
from viensum.text import split_sentences

log = logging.getLogger(__name__)

MAX_REDUCE_ROUNDS = 4
# Translation quality collapses well before a model's nominal input limit, so
# sentences are cut into clauses beyond this many tokens even if they would fit.
MAX_SENTENCE_TOKENS = 256
# Where a long sentence may be cut: after , ; : or before a dash between spaces.
_CLAUSE_RE = re.compile(r"(?<=[,;:])\s+|\s+(?=[–—-]\s)")


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


def prefetch(call: Callable[[list[str]], list[str]], texts: Sequence[str]) -> Callable[[list[str]], list[str]]:
    """``call`` (texts -> outputs) answered from one batched call made now for ``texts``.

    Many small calls made one after the other (one per article) become one call with a batch per
    core: ``texts`` (each once) go to ``call`` together.
    The function returned answers from those outputs and calls ``call`` for any text not asked
    then; if the batched call fails, every later call goes to ``call`` itself, as it would have.
    """
    answers: dict[str, str] = {}
    unique = list(dict.fromkeys(texts))
    if unique:
        try:
            answers.update(zip(unique, call(unique)))
        except Exception as exc:  # each caller then meets the failure on its own call, as before
            log.warning("one batched call for %d texts failed (%s); calling for each caller", len(unique), exc)

    def answer(texts: list[str]) -> list[str]:
        missing = [t for t in dict.fromkeys(texts) if t not in answers]
        if missing:
            answers.update(zip(missing, call(missing)))
        return [answers[t] for t in texts]

    return answer


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


def chunk_sentences(sentences: Sequence[str], fits: Callable[[str], bool],
                    count_tokens: Callable[[str], int] | None = None,
                    limit: int | None = None) -> tuple[list[list[str]], bool]:
    """Pack consecutive sentences into chunks whose joined text ``fits``.

    A sentence too long for one chunk is cut at clause boundaries first (with
    ``count_tokens`` and ``limit``). Returns the chunks and whether any piece
    still does not fit (a single word longer than the limit: the model will cut it).
    """
    pieces: list[str] = []
    for sentence in sentences:
        if fits(sentence) or count_tokens is None or limit is None:
            pieces.append(sentence)
        else:
            pieces.extend(split_to_fit(sentence, count_tokens, limit))
    chunks: list[list[str]] = []
    current: list[str] = []
    overflow = False
    for piece in pieces:
        if current and not fits(" ".join(current + [piece])):
            chunks.append(current)
            current = []
        current.append(piece)
        if len(current) == 1 and not fits(piece):
            overflow = True
    if current:
        chunks.append(current)
    return chunks, overflow


def body_sentences(job: Job) -> list[str]:
    return [s for p in job.work.paragraphs for s in split_sentences(p)]


def first_sentences(text: str, n: int) -> str:
    return " ".join(split_sentences(text)[:n])


def extract(article: Article, n: int) -> list[str]:
    """The extractive summary's sentences (the ranker gets the budgeted article, so its work is bounded)."""
    return extractive.extract(article, n=n)


@dataclass
class Generator:
    """The loaded models of one Summarizer (role -> Backend) and the options they run with."""

    backends: dict[str, Backend]
    options: Options
    batch_size: int = field(init=False)

    def __post_init__(self) -> None:
        self.batch_size = self.options.run.batch_size

    def gen_kwargs(self, backend: Backend | None = None) -> dict[str, Any]:
        g = self.options.generate
        kwargs: dict[str, Any] = {"batch_size": self.batch_size, "num_beams": g.num_beams}
        if backend is None or TRANSLATE_VI_EN not in backend.spec.tasks:
            kwargs["max_new_tokens"] = g.max_new_tokens  # a summary length, not a sentence's
        return kwargs

    def translate_fn(self, backend: Backend) -> Callable[[list[str]], list[str]]:
        kwargs = self.gen_kwargs(backend=backend)
        return lambda texts: translate_segments(backend, texts, **kwargs)

    def generate(self, role: str, requests: list[tuple[Job, list[str]]],
                 call: Callable[[list[str]], list[str]]) -> dict[Job, list[str]]:
        """Run ``call`` over every request's texts at once; on failure, article by article.

        Returns the outputs per job; a job whose texts make the model fail is
        marked failed and left out.
        """
        requests = [(job, texts) for job, texts in requests if job.active]
        if not requests:
            return {}
        try:
            flat = call([t for _, texts in requests for t in texts])
        except Exception as exc:
            if len(requests) == 1:
                self._model_failed(requests[0][0], role, exc)
                return {}
            log.warning("%s failed on a batch of %d articles (%s); retrying one at a time",
                        role, len(requests), exc)
            results = {}
            for job, texts in requests:
                try:
                    results[job] = call(texts)
                except Exception as one_exc:
                    self._model_failed(job, role, one_exc)
            return results
        results, start = {}, 0
        for job, texts in requests:
            results[job] = flat[start:start + len(texts)]
            start += len(texts)
        return results

    def _model_failed(self, job: Job, role: str, exc: Exception) -> None:
        if isinstance(exc, ModelNotAvailable):
            raise exc
        name = self.backends[role].spec.name if role in self.backends else role
        log.warning("%s (%s) failed on %s: %s", role, name, job.summary.id or "an article", exc)
        job.fail(f"{role} {name} failed: {type(exc).__name__}: {exc}", MODEL)

    def map_reduce(self, role: str, jobs: list[Job], render: Callable[[str], str] = lambda text: text
                   ) -> dict[Job, str]:
        """Summarise each article with the ``role`` model, chunk by chunk where it is too long.

        Chunk summaries are joined and summarised again until one chunk
        remains. Sets ``chunks`` and ``truncated`` on each Summary. An article
        past its time budget, or whose partial summaries stop shrinking, gets
        the best of its partial summaries' sentences instead of another round.
        """
        backend = self.backends[role]
        kwargs = self.gen_kwargs(backend)
        limit = backend.max_input_tokens
        if backend.spec.family == "causal":  # prompt and answer share the context window
            limit -= kwargs.get("max_new_tokens") or backend.spec.generation.get("max_new_tokens", 256)
        overhead = backend.count_tokens(render("")) - backend.count_tokens("")
        if limit - overhead < 8:
            raise ViensumError(f"model '{backend.spec.name}' has no room for text within {limit} tokens")

        def fits(text: str) -> bool:
            return backend.count_tokens(render(text)) <= limit

        def count(text: str) -> int:
            return backend.count_tokens(text) + overhead

        pending: dict[Job, list[list[str]]] = {}
        for job in jobs:
            chunks, overflow = chunk_sentences(body_sentences(job), fits, count, limit)
            job.summary.chunks = len(chunks)
            job.summary.truncated = job.summary.truncated or overflow
            if overflow:
                job.note("a single word was longer than the model's input limit and was cut")
            pending[job] = chunks
        results: dict[Job, str] = {}
        n = self.options.generate.sentences
        for round_ in range(MAX_REDUCE_ROUNDS + 1):
            if not pending:
                break
            requests = [(job, [render(" ".join(c)) for c in chunks]) for job, chunks in pending.items()]
            outputs = self.generate(role, requests, lambda texts: generate_sorted(backend, texts, **kwargs))
            following: dict[Job, list[list[str]]] = {}
            for job, outs in outputs.items():
                if len(outs) == 1:
                    results[job] = outs[0]
                    continue
                partial = [s for o in outs for s in split_sentences(o)]
                chunks, overflow = chunk_sentences(partial, fits, count, limit)
                late = time.monotonic() > job.deadline
                if round_ == MAX_REDUCE_ROUNDS or len(chunks) >= len(pending[job]) or late:
                    # the partial summaries do not shrink (or time is up): pick the best of their sentences
                    job.note(f"the summaries of {len(outs)} chunks were combined extractively"
                             + (" (the article's time budget was spent)" if late else ""))
                    results[job] = " ".join(extract(Article(job.work.title, [" ".join(outs)]), n))
                else:
                    following[job] = chunks
            pending = following
        return results
