"""Summarise Vietnamese news articles into English (and Vietnamese), one or millions.

The recipe (registry.RECIPES) decides which models run:

* two-stage: a Vietnamese abstractive summary, then each of its sentences
  translated vi->en; the headline is translated too;
* cross-lingual: a model writes the English summary directly; the Vietnamese
  summary is extractive;
* chat: one instruction-tuned LLM writes both summaries and the headline,
  its output cleaned and checked, with an extractive fallback;
* extractive: the article's best sentences, translated when a translator is
  installed. Needs no download: it is the offline fallback.

Articles are processed in groups: every model call of a stage takes the
texts of all articles of the group at once, and a model failure is retried
article by article so only the bad article fails. Inputs longer than a
model's limit are split by sentences and summarised map-reduce style; the
result records the number of chunks and whether anything was cut.
"""
from __future__ import annotations

import copy
import dataclasses
import hashlib
import itertools
import json
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from viensum import extractive
from viensum.backends.base import Backend
from viensum.errors import InputError, ModelNotAvailable, ViensumError
from viensum.registry import (CHAT, DEFAULT_RECIPE, DEFAULT_TRANSLATOR, MODELS, RECIPES, SUMMARIZE_EN,
                              SUMMARIZE_VI, TRANSLATE_VI_EN, Recipe, get_recipe)
from viensum.results import Article, Summary
from viensum.text import split_sentences
from viensum.translate import as_article, assemble, generate_sorted, plan, split_to_fit, translate_segments

log = logging.getLogger(__name__)

CACHE_SIZE = 256
MAX_REDUCE_ROUNDS = 4
_CACHE: OrderedDict[str, Summary] = OrderedDict()

Input = str | bytes | Article
Progress = bool | Callable[[int, int | None], Any]


def summarize(
    text_or_texts: Input | Iterable[Input],
    model: str | None = None,
    *,
    translate: bool = False,
    clean: bool = True,
    sentences: int = 3,
    max_new_tokens: int | None = None,
    num_beams: int | None = None,
    batch_size: int = 8,
    device: str | None = None,
    quantize: str | None = None,
    backend: str = "auto",
    progress: Progress = False,
    ids: Sequence[str] | None = None,
    cache: bool = True,
) -> Summary | list[Summary]:
    """Summarise one article (-> :class:`Summary`) or a list of them (-> list, same order).

    ``model`` is a recipe name (``viensum models list``) or a registered model
    name, mapped to the recipe that uses it. With ``model=None`` the default
    recipe runs if its models are installed, else the extractive fallback with
    a note; a model asked for by name that is missing raises
    :class:`~viensum.errors.ModelNotAvailable`. An article that fails (bad
    input, not Vietnamese, a model error) gets a Summary with ``error`` set;
    the others are unaffected. ``progress`` is ``True`` for a tqdm bar or a
    callable ``progress(done, total)``. ``backend`` is ``"auto"`` (CTranslate2
    int8 on the CPU where it applies, else transformers), ``"transformers"``
    (fp32 unless ``quantize="int8"``: the exact path) or ``"ctranslate2"``.
    """
    single = isinstance(text_or_texts, (str, bytes, Article))
    texts = [text_or_texts] if single else list(text_or_texts)
    if ids is not None:
        ids = [ids] if single and isinstance(ids, str) else list(ids)
        if len(ids) != len(texts):
            raise InputError(f"got {len(ids)} ids for {len(texts)} texts")
    results = list(iter_summarize(
        texts, model, translate=translate, clean=clean, sentences=sentences, max_new_tokens=max_new_tokens,
        num_beams=num_beams, batch_size=batch_size, device=device, quantize=quantize, backend=backend,
        progress=progress,
        ids=ids, cache=cache,
    ))
    return results[0] if single else results


def iter_summarize(
    texts: Iterable[Input],
    model: str | None = None,
    *,
    translate: bool = False,
    clean: bool = True,
    sentences: int = 3,
    max_new_tokens: int | None = None,
    num_beams: int | None = None,
    batch_size: int = 8,
    device: str | None = None,
    quantize: str | None = None,
    backend: str = "auto",
    progress: Progress = False,
    ids: Iterable[str | None] | None = None,
    cache: bool = True,
    group_size: int | None = None,
) -> Iterator[Summary]:
    """Like :func:`summarize` over many texts, yielding Summaries in input order.

    Works through ``texts`` (any iterable, a generator of millions included)
    ``group_size`` articles at a time (default ``4 * batch_size``), so memory
    stays bounded. Models are loaded before the first article is read. An
    exception in place of a text (a reader that failed) becomes that
    article's error.
    """
    if sentences < 1:
        raise InputError("sentences must be at least 1")
    settings = {"sentences": sentences, "max_new_tokens": max_new_tokens, "num_beams": num_beams,
                "translate": translate, "clean": clean, "device": device, "quantize": quantize, "backend": backend}
    pipe = _Pipeline.build(model, settings, batch_size=max(1, batch_size), use_cache=cache)
    total = len(texts) if hasattr(texts, "__len__") else None
    report = _progress_reporter(progress, total)
    source = iter(texts)
    id_source = iter(ids) if ids is not None else itertools.repeat(None)
    size = group_size or max(1, batch_size) * 4
    done = 0
    report(0)
    try:
        while group := list(itertools.islice(source, size)):
            group_ids = [next(id_source, None) for _ in group]
            yield from pipe.run(group, group_ids)
            done += len(group)
            report(done)
    finally:
        report(None)


def resolve_recipe(model: str | None) -> Recipe:
    """The recipe for a recipe or model name (``None``: the default recipe)."""
    if model is None:
        return get_recipe(DEFAULT_RECIPE)
    if model in RECIPES:
        return RECIPES[model]
    if model not in MODELS:
        raise InputError(f"unknown model or recipe '{model}'; see: viensum models list")
    spec = MODELS[model]
    base = get_recipe(DEFAULT_RECIPE)
    if SUMMARIZE_VI in spec.tasks:
        return dataclasses.replace(base, name=f"two-stage:{model}", summarizer_vi=model)
    if TRANSLATE_VI_EN in spec.tasks:
        return dataclasses.replace(base, name=f"two-stage:{model}", translator=model)
    if SUMMARIZE_EN in spec.tasks:
        return Recipe(f"cross-lingual:{model}", f"{model} writes the English summary",
                      summarizer_en=model, translator=DEFAULT_TRANSLATOR)
    if CHAT in spec.tasks:
        return Recipe(f"chat:{model}", f"{model} writes both summaries", chat=model, translator=DEFAULT_TRANSLATOR)
    raise InputError(f"model '{model}' cannot summarise (tasks: {', '.join(spec.tasks)})")


def clear_cache() -> None:
    """Forget every cached Summary."""
    _CACHE.clear()


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


# --------------------------------------------------------------------------- internals


@dataclass(eq=False)
class _Job:
    """One article on its way through the pipeline."""

    raw: Any
    summary: Summary
    article: Article | None = None
    key: str | None = None
    done: bool = False  # failed or answered from the cache

    @property
    def active(self) -> bool:
        return not self.done and self.summary.error is None

    def fail(self, message: str) -> None:
        self.summary.error = " ".join(message.split())  # one line, always


@dataclass
class _Pipeline:
    recipe: Recipe
    settings: dict[str, Any]
    batch_size: int
    use_cache: bool
    backends: dict[str, Backend] = field(default_factory=dict)  # role -> loaded model
    notes: list[str] = field(default_factory=list)  # said on every summary of this run

    @classmethod
    def build(cls, model: str | None, settings: dict[str, Any], *, batch_size: int, use_cache: bool) -> "_Pipeline":
        recipe = resolve_recipe(model)
        pipe = cls(recipe, settings, batch_size, use_cache)
        required = _required_roles(recipe)
        if model is None:
            missing = [getattr(recipe, role) for role in required if not _available(getattr(recipe, role))]
            if missing:
                log.warning("default recipe %s: %s not installed; using the extractive summary",
                            recipe.name, ", ".join(missing))
                pipe.notes.append(
                    f"the models of the default recipe '{recipe.name}' are not installed "
                    f"({', '.join(missing)}), so this is the extractive summary; for the abstractive one: "
                    + "; ".join(f"viensum models download {m}" for m in missing))
                recipe = pipe.recipe = dataclasses.replace(get_recipe("extractive"), translator=recipe.translator)
                required = []
        for role in required:  # asked for by name: missing means ModelNotAvailable
            pipe.backends[role] = pipe._load(getattr(recipe, role))
        if "translator" not in pipe.backends and recipe.translator and _available(recipe.translator):
            pipe.backends["translator"] = pipe._load(recipe.translator)
        pipe.settings["engines"] = {role: b.engine for role, b in pipe.backends.items()}
        return pipe

    def _load(self, name: str) -> Backend:
        from viensum.backends import load_backend

        return load_backend(name, device=self.settings["device"], quantize=self.settings["quantize"],
                            backend=self.settings["backend"])

    @property
    def kind(self) -> str:
        r = self.recipe
        return "chat" if r.chat else "cross-lingual" if r.summarizer_en else "two-stage" if r.summarizer_vi else "extractive"

    # ---- one group of articles

    def run(self, raws: list[Any], ids: list[str | None]) -> list[Summary]:
        started = time.perf_counter()
        jobs = [self._prepare(raw, id_) for raw, id_ in zip(raws, ids)]
        todo = [j for j in jobs if j.active]
        stage = {"two-stage": self._two_stage, "cross-lingual": self._cross_lingual,
                 "chat": self._chat, "extractive": self._extractive}[self.kind]
        t0 = time.perf_counter()
        stage(todo)
        self._share(todo, "summarize", time.perf_counter() - t0)
        if self.settings["translate"]:
            t0 = time.perf_counter()
            self._full_translation([j for j in todo if j.active])
            self._share(todo, "translate", time.perf_counter() - t0)
        self._share(todo, "total", time.perf_counter() - started)
        for job in todo:
            if job.active and job.key:
                _cache_put(job.key, job.summary)
        return [job.summary for job in jobs]

    def _prepare(self, raw: Any, id_: str | None) -> _Job:
        summary = Summary(id=id_, recipe=self.recipe.name, settings=dict(self.settings), notes=list(self.notes),
                          models={role: b.model_id for role, b in self.backends.items()})
        job = _Job(raw, summary)
        if isinstance(raw, Exception):  # a reader that failed hands its error in place of the text
            job.fail(str(raw))
            return job
        t0 = time.perf_counter()
        try:
            job.article = summary.article = as_article(raw, clean=self.settings["clean"])
        except ViensumError as exc:
            job.fail(str(exc))
            return job
        except Exception as exc:  # a cleaner bug on one odd page must not stop a batch
            log.exception("cleaning failed for %s", id_ or "an article")
            job.fail(f"cleaning failed: {type(exc).__name__}: {exc}")
            return job
        summary.timings["clean"] = round(time.perf_counter() - t0, 4)
        article = job.article
        if not article.paragraphs:
            job.fail("no article text found in the input")
        elif article.language != "vi":
            score = f" ({article.language_score:.2f})" if article.language_score is not None else ""
            job.fail(f"not Vietnamese: detected '{article.language}'{score}; not translated")
        elif self.use_cache:
            job.key = self._cache_key(article)
            hit = _CACHE.get(job.key)
            if hit is not None:
                _CACHE.move_to_end(job.key)
                job.summary = copy.deepcopy(hit)
                job.summary.id = id_
                _note(job, "same article and settings as an earlier one: reused its summary")
                job.done = True
        return job

    def _cache_key(self, article: Article) -> str:
        payload = json.dumps([article.text, self.recipe.name, sorted(self.backends_ids().items()), self.settings],
                             ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def backends_ids(self) -> dict[str, str]:
        return {role: b.model_id for role, b in self.backends.items()}

    @staticmethod
    def _share(jobs: list[_Job], name: str, seconds: float) -> None:
        # a group shares each model call: each article gets its share of the wall time
        for job in jobs:
            job.summary.timings[name] = round(seconds / max(1, len(jobs)), 4)

    # ---- recipes

    def _two_stage(self, jobs: list[_Job]) -> None:
        results = self._map_reduce("summarizer_vi", jobs, _body_sentences)
        for job, text in results.items():
            job.summary.summary_vi = _first_sentences(text, self.settings["sentences"])
        self._translate_summaries([j for j in jobs if j.active])

    def _cross_lingual(self, jobs: list[_Job]) -> None:
        results = self._map_reduce("summarizer_en", jobs, _body_sentences)
        for job, text in results.items():
            job.summary.summary_en = _first_sentences(text, self.settings["sentences"])
            job.summary.summary_vi = " ".join(extractive.extract(job.article, n=self.settings["sentences"]))
        self._translate_titles([j for j in jobs if j.active])

    def _extractive(self, jobs: list[_Job]) -> None:
        for job in jobs:
            job.summary.summary_vi = " ".join(extractive.extract(job.article, n=self.settings["sentences"]))
        self._translate_summaries(jobs)

    def _chat(self, jobs: list[_Job]) -> None:
        backend = self.backends["chat"]
        prompts = backend.spec.prompts
        n = self.settings["sentences"]

        def prompt(task: str) -> Callable[[str], str]:
            return lambda text: prompts[task].format(sentences=n, text=text)

        summaries_vi = self._map_reduce("chat", jobs, _body_sentences, render=prompt("summary_vi"))
        summaries_en = self._map_reduce("chat", [j for j in jobs if j.active], _body_sentences,
                                        render=prompt("summary_en"))
        titled = [j for j in jobs if j.active and j.article.title]
        titles = self._generate("chat", [(j, [prompt("title_en")(j.article.title)]) for j in titled],
                                lambda texts: generate_sorted(backend, texts, **self._gen_kwargs()))
        retranslate: list[_Job] = []
        for job in [j for j in jobs if j.active]:
            s = job.summary
            vi = clean_llm_output(summaries_vi.get(job, ""))
            if looks_vietnamese(vi):
                s.summary_vi = _first_sentences(vi, n)
            else:
                s.notes.append("the model's Vietnamese summary was empty or not Vietnamese; "
                               "used the extractive summary instead")
                s.summary_vi = " ".join(extractive.extract(job.article, n=n))
            en = clean_llm_output(summaries_en.get(job, ""))
            if looks_english(en):
                s.summary_en = _first_sentences(en, n)
            else:
                s.notes.append("the model's English summary was empty or not English; "
                               "used the translated extractive summary instead")
                retranslate.append(job)
            title = clean_llm_output((titles.get(job) or [""])[0]) if job.article.title else ""
            s.title_en = title if looks_english(title) else None
        if retranslate:
            self._translate_extractive_en(retranslate)
        missing_titles = [j for j in jobs if j.active and j.summary.title_en is None and j.article.title]
        if missing_titles:
            self._translate_titles(missing_titles)

    # ---- shared steps

    def _translate_summaries(self, jobs: list[_Job]) -> None:
        """title_en and summary_en from the headline and each sentence of summary_vi."""
        if not jobs:
            return
        backend = self.backends.get("translator")
        if backend is None:
            for job in jobs:
                job.summary.notes.append(_needs_translator(self.recipe.translator))
            return
        requests = [(j, [j.article.title] + split_sentences(j.summary.summary_vi)) for j in jobs]
        results = self._generate("translator", requests, self._translate_fn(backend))
        for job, outputs in results.items():
            job.summary.title_en = outputs[0] or None
            job.summary.summary_en = " ".join(o for o in outputs[1:] if o) or None

    def _translate_extractive_en(self, jobs: list[_Job]) -> None:
        """summary_en as the translation of the extractive sentences (chat fallback)."""
        backend = self.backends.get("translator")
        if backend is None:
            for job in jobs:
                job.summary.notes.append(_needs_translator(self.recipe.translator))
            return
        n = self.settings["sentences"]
        requests = [(j, extractive.extract(j.article, n=n)) for j in jobs]
        for job, outputs in self._generate("translator", requests, self._translate_fn(backend)).items():
            job.summary.summary_en = " ".join(o for o in outputs if o) or None

    def _translate_titles(self, jobs: list[_Job]) -> None:
        backend = self.backends.get("translator")
        titled = [j for j in jobs if j.article.title]
        if backend is None:
            for job in titled:
                job.summary.notes.append(f"the English headline needs a translation model: "
                                         f"viensum models download {self.recipe.translator or DEFAULT_TRANSLATOR}")
            return
        results = self._generate("translator", [(j, [j.article.title]) for j in titled], self._translate_fn(backend))
        for job, outputs in results.items():
            job.summary.title_en = outputs[0] or None

    def _full_translation(self, jobs: list[_Job]) -> None:
        backend = self.backends.get("translator")
        if backend is None:
            for job in jobs:
                job.summary.notes.append(f"the full translation needs a translation model: "
                                         f"viensum models download {self.recipe.translator or DEFAULT_TRANSLATOR}")
            return
        t0 = time.perf_counter()
        results = self._generate("translator", [(j, plan(j.article)) for j in jobs], self._translate_fn(backend))
        seconds = (time.perf_counter() - t0) / max(1, len(jobs))
        for job, outputs in results.items():
            job.summary.translation = assemble(job.article, outputs, backend.model_id, seconds)

    def _translate_fn(self, backend: Backend) -> Callable[[list[str]], list[str]]:
        kwargs = self._gen_kwargs(backend=backend)
        return lambda texts: translate_segments(backend, texts, **kwargs)

    def _gen_kwargs(self, backend: Backend | None = None) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"batch_size": self.batch_size, "num_beams": self.settings["num_beams"]}
        if backend is None or TRANSLATE_VI_EN not in backend.spec.tasks:
            kwargs["max_new_tokens"] = self.settings["max_new_tokens"]  # a summary length, not a sentence's
        return kwargs

    def _map_reduce(self, role: str, jobs: list[_Job], sentences_of: Callable[[_Job], list[str]],
                    render: Callable[[str], str] = lambda text: text) -> dict[_Job, str]:
        """Summarise each article with the ``role`` model, chunk by chunk where it is too long.

        Chunk summaries are joined and summarised again until one chunk
        remains. Sets ``chunks`` and ``truncated`` on each Summary.
        """
        backend = self.backends[role]
        kwargs = self._gen_kwargs(backend)
        limit = backend.max_input_tokens
        if backend.spec.backend == "causal":  # prompt and answer share the context window
            limit -= kwargs.get("max_new_tokens") or backend.spec.generation.get("max_new_tokens", 256)
        overhead = backend.count_tokens(render("")) - backend.count_tokens("")
        if limit - overhead < 8:
            raise ViensumError(f"model '{backend.spec.name}' has no room for text within {limit} tokens")

        def fits(text: str) -> bool:
            return backend.count_tokens(render(text)) <= limit

        def count(text: str) -> int:
            return backend.count_tokens(text) + overhead

        pending: dict[_Job, list[list[str]]] = {}
        for job in jobs:
            chunks, overflow = chunk_sentences(sentences_of(job), fits, count, limit)
            job.summary.chunks = len(chunks)
            job.summary.truncated = overflow
            if overflow:
                _note(job, "a single word was longer than the model's input limit and was cut")
            pending[job] = chunks
        results: dict[_Job, str] = {}
        for round_ in range(MAX_REDUCE_ROUNDS + 1):
            if not pending:
                break
            requests = [(job, [render(" ".join(c)) for c in chunks]) for job, chunks in pending.items()]
            outputs = self._generate(role, requests, lambda texts: generate_sorted(backend, texts, **kwargs))
            following: dict[_Job, list[list[str]]] = {}
            for job, outs in outputs.items():
                if len(outs) == 1:
                    results[job] = outs[0]
                    continue
                partial = [s for o in outs for s in split_sentences(o)]
                chunks, overflow = chunk_sentences(partial, fits, count, limit)
                if round_ == MAX_REDUCE_ROUNDS or len(chunks) >= len(pending[job]):
                    # the partial summaries do not shrink: pick the best of their sentences instead
                    _note(job, f"the summaries of {len(outs)} chunks were combined extractively")
                    picked = extractive.extract(Article(job.article.title, [" ".join(outs)]),
                                                n=self.settings["sentences"])
                    results[job] = " ".join(picked)
                else:
                    following[job] = chunks
            pending = following
        return results

    def _generate(self, role: str, requests: list[tuple[_Job, list[str]]],
                  call: Callable[[list[str]], list[str]]) -> dict[_Job, list[str]]:
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

    def _model_failed(self, job: _Job, role: str, exc: Exception) -> None:
        if isinstance(exc, ModelNotAvailable):
            raise exc
        name = self.backends[role].spec.name if role in self.backends else role
        log.warning("%s (%s) failed on %s: %s", role, name, job.summary.id or "an article", exc)
        job.fail(f"{role} {name} failed: {type(exc).__name__}: {exc}")


def _required_roles(recipe: Recipe) -> list[str]:
    if recipe.chat:
        return ["chat"]
    if recipe.summarizer_en:
        return ["summarizer_en"]
    if recipe.summarizer_vi:
        return ["summarizer_vi", "translator"] if recipe.translator else ["summarizer_vi"]
    return []


def _available(name: str) -> bool:
    """Whether a model can be loaded without downloading anything."""
    from viensum.backends import backend_class
    from viensum.registry import get_model

    spec = get_model(name)
    if not backend_class(spec.backend).needs_weights:
        return True
    from viensum.store import is_installed

    return is_installed(name)


def _note(job: _Job, text: str) -> None:
    if text not in job.summary.notes:
        job.summary.notes.append(text)


def _needs_translator(name: str | None) -> str:
    return f"English summary needs a translation model: viensum models download {name or DEFAULT_TRANSLATOR}"


def _body_sentences(job: _Job) -> list[str]:
    return [s for p in job.article.paragraphs for s in split_sentences(p)]


def _first_sentences(text: str, n: int) -> str:
    return " ".join(split_sentences(text)[:n])


def _cache_put(key: str, summary: Summary) -> None:
    _CACHE[key] = copy.deepcopy(summary)
    _CACHE.move_to_end(key)
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)


def _progress_reporter(progress: Progress, total: int | None) -> Callable[[int | None], None]:
    """report(done) after each group; report(None) when finished."""
    if callable(progress):
        return lambda done: progress(done, total) if done is not None else None
    if not progress:
        return lambda done: None
    from tqdm.auto import tqdm

    bar = tqdm(total=total, unit="article", desc="summarising")

    def report(done: int | None) -> None:
        if done is None:
            bar.close()
        else:
            bar.update(done - bar.n)

    return report


# --------------------------------------------------------------------------- LLM output checks

_THINK_RE = re.compile(r"<think>.*?(</think>|$)", re.S | re.I)
_LABEL_RE = re.compile(
    r"^\s*(?:(?:english|vietnamese|final)\s+)?(?:summary|tóm tắt|bản tóm tắt|title|headline|tiêu đề|"
    r"translation|bản dịch|answer|trả lời)\s*(?:\([^)]*\))?\s*[:：]\s*", re.I)
_MARKDOWN_LINE_RE = re.compile(r"^\s*(?:#{1,6}\s+|[-*•]\s+|\d+[.)]\s+|>\s*)")
_VI_LETTERS = set("àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ")


def clean_llm_output(text: str) -> str:
    """Strip what chat models wrap answers in: thinking blocks, labels, markdown, quotes."""
    text = _THINK_RE.sub("", text or "")
    lines = []
    for line in text.splitlines():
        line = _MARKDOWN_LINE_RE.sub("", line)
        line = line.replace("**", "").replace("__", "").replace("`", "")
        line = _LABEL_RE.sub("", line).strip()
        if line:
            lines.append(line)
    text = " ".join(" ".join(lines).split())
    while len(text) >= 2 and text[0] in "\"'“‘«" and text[-1] in "\"'”’»":
        text = text[1:-1].strip()
    return text


def _vi_ratio(text: str) -> float:
    tokens = re.findall(r"\w+", text.lower())
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if _VI_LETTERS.intersection(t)) / len(tokens)


def looks_vietnamese(text: str) -> bool:
    """Vietnamese prose marks most syllables with diacritics; English almost none."""
    return bool(text) and _vi_ratio(text) >= 0.35


def looks_english(text: str) -> bool:
    # names keep their diacritics in English text ("Lê Thị Thu Hằng"), hence the slack
    return bool(re.search(r"[A-Za-z]", text or "")) and _vi_ratio(text) < 0.3
