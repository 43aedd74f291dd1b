"""The Summarizer: a recipe's models loaded once, summarising any number of articles.

    from viensum import Options, Summarizer
    summarizer = Summarizer("two-stage", Options.make(runtime="transformers"))
    summaries = summarizer.summarize(texts)                 # a list -> a list, same order
    for s in summarizer.iter_summarize(generator_of_texts):  # bounded memory, input order
        ...

Built once (like ``SentenceTransformer`` or llm's ``get_model()``), it holds
the recipe, its loaded models and a summary cache guarded by a lock, so one
Summarizer may serve several threads (the web app) and each Ray worker holds
one. Generation options (sentences, beams, translation, ...) may change per
call; the recipe and where and how the models run (runtime, device,
quantisation) are fixed when it is built.

Each article goes through the stages of stages.py, a group at a time: prepare
(clean or parse with the format its reader found, language, size budget), then
run (cache, the recipe of recipes.py over the group, the full translation).
Articles come as text, bytes, an Article, or an :class:`viensum.inputs.Item`
(which carries its id, source and format). A failed article gets a Summary with
``error`` set; the others are unaffected.
"""
from __future__ import annotations

import copy
import dataclasses
import hashlib
import itertools
import json
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from viensum.backends import LoadedModels
from viensum.backends.base import Backend
from viensum import stages
from viensum.errors import InputError
from viensum.inputs import Item
from viensum.options import Options, as_options
from viensum.recipes import Method, install_command, method_for, resolve_recipe  # noqa: F401
from viensum.registry import DEFAULT_RECIPE, Recipe, get_model, get_recipe
from viensum.results import Article, Summary
from viensum.stages import Job, Request, prepare, request_of

log = logging.getLogger(__name__)

CACHE_SIZE = 256

Input = str | bytes | Article | Item | Request
_SINGLE = (str, bytes, Article, Item, Request)
Progress = bool | Callable[[int, int | None], Any]

# options fixed when a Summarizer is built: changing them means loading other models
_LOAD_FIELDS = ("model", "runtime", "device", "quantize")
# what the cache keeps of a Summary: the models' work, never the request's article, id or timings
_CACHED_FIELDS = ("summary_vi", "summary_en", "title_en", "translation", "chunks", "truncated", "notes")


def available(name: str) -> bool:
    """Whether a model can be loaded without downloading anything."""
    from viensum.backends import backend_class

    if not backend_class(get_model(name).family).needs_weights:
        return True
    from viensum.store import is_installed

    return is_installed(name)


def missing_default_models() -> list[str]:
    """The default recipe's models that are not installed (then ``model=None`` gives the extractive summary)."""
    recipe = get_recipe(DEFAULT_RECIPE)
    roles = method_for(recipe).required_roles(recipe)
    return [getattr(recipe, role) for role in roles if not available(getattr(recipe, role))]


class SummaryCache:
    """A bounded LRU of model outputs, keyed by everything that decides them; one lock guards it.

    It stores only what the models produced (:data:`_CACHED_FIELDS`): a hit is
    put together with the asking request's own article (headline, date, byline,
    URL) and id, so two pages with the same body never share their metadata.
    """

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is None:
                return None
            self._items.move_to_end(key)
            return copy.deepcopy(hit)

    def put(self, key: str, summary: Summary) -> None:
        outputs = copy.deepcopy({name: getattr(summary, name) for name in _CACHED_FIELDS})
        with self._lock:
            self._items[key] = outputs
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


class Summarizer:
    """A recipe with its models loaded, ready to summarise articles.

    ``model``: a recipe or model name (see :class:`~viensum.options.GenerateOptions`);
    it overrides ``options.generate.model``. Keyword overrides are flat option
    names (``sentences=2``, ``runtime="transformers"``; ``backend=`` is the old
    name of ``runtime=``). Models load now, so a missing model named by the user
    raises :class:`~viensum.errors.ModelNotAvailable` here; with no model named
    and the default recipe's models not installed, the extractive recipe runs
    instead, ``missing`` names what to install and every Summary says so.
    """

    def __init__(self, model: str | None = None, options: Options | None = None, *,
                 cache_size: int = CACHE_SIZE, models: LoadedModels | None = None, **overrides: Any) -> None:
        options = as_options(options, **overrides)
        # the loaded models are this object's own, unless a pool shares its holder among its members
        self.loaded = models if models is not None else LoadedModels()
        if model is not None:
            options = options.replace(model=model)
        self.options = options
        self.missing: list[str] = []
        self.notes: list[str] = []  # said on every summary
        recipe = resolve_recipe(options.model)
        if options.model is None:
            self.missing = missing_default_models()
            if self.missing:
                recipe = self._offline(recipe)
        method = method_for(recipe)
        required = method.required_roles(recipe)
        self.recipe = recipe
        self.method: type[Method] = method
        self.backends: dict[str, Backend] = {}  # role -> loaded model
        for role in required:  # asked for by name: missing means ModelNotAvailable
            self.backends[role] = self._load(getattr(recipe, role))
        if "translator" not in self.backends and recipe.translator and available(recipe.translator):
            self.backends["translator"] = self._load(recipe.translator)
        self.engines = {role: b.engine for role, b in self.backends.items()}
        self.models = {role: b.model_id for role, b in self.backends.items()}
        # test models carry the real hub ids: every summary says loudly what they are
        self.notes.extend(f"{role}: {b.provenance}" for role, b in self.backends.items() if b.test_model)
        self.cache = SummaryCache(cache_size)

    def _offline(self, recipe: Recipe) -> Recipe:
        """The extractive recipe in place of the default one whose models are missing, and the note saying so."""
        log.info("default recipe %s: %s not installed; using the extractive summary",
                 recipe.name, ", ".join(self.missing))
        self.notes.append(f"the models of the default recipe '{recipe.name}' are not installed "
                          f"({', '.join(self.missing)}), so this is the extractive summary; for the abstractive "
                          "one: " + install_command(self.missing))
        return dataclasses.replace(get_recipe("extractive"), translator=recipe.translator)

    def _load(self, name: str) -> Backend:
        run = self.options.run
        return self.loaded.get(name, device=run.device, quantize=run.quantize, backend=run.runtime)

    def __repr__(self) -> str:
        return f"Summarizer({self.recipe.name!r}, models={self.models})"

    def stale(self) -> bool:
        """True when it fell back to extractive but the default recipe's models are installed now."""
        return bool(self.missing) and all(available(m) for m in self.missing)

    def call_options(self, options: Options | None = None, **overrides: Any) -> Options:
        """The options of one call: this Summarizer's, with generation (not loading) options changed."""
        if options is None:
            chosen = self.options.replace(**overrides) if overrides else self.options
        else:
            chosen = as_options(options, **overrides)
        for name in _LOAD_FIELDS:
            section = chosen.generate if name == "model" else chosen.run
            ours = self.options.generate if name == "model" else self.options.run
            if getattr(section, name) != getattr(ours, name):
                raise InputError(f"{name} is fixed when a Summarizer is built "
                                 f"({getattr(ours, name)!r}); build another Summarizer for {getattr(section, name)!r}")
        return chosen

    def clear_cache(self) -> None:
        self.cache.clear()

    # ---- public calls

    def summarize(self, text_or_texts: Input | Iterable[Input], *, ids: Sequence[str] | str | None = None,
                  progress: Progress = False, options: Options | None = None, **overrides: Any
                  ) -> Summary | list[Summary]:
        """One article (-> :class:`Summary`) or a list of them (-> list, same order)."""
        single = isinstance(text_or_texts, _SINGLE)
        if text_or_texts is None or not (single or isinstance(text_or_texts, Iterable)):
            raise InputError(f"expected article text (str, bytes or Article) or a list of them, "
                             f"not {type(text_or_texts).__name__}")
        if isinstance(text_or_texts, (dict, bytearray)):
            raise InputError(f"expected article text or a list of them, not {type(text_or_texts).__name__}")
        texts = [text_or_texts] if single else list(text_or_texts)
        if ids is not None:
            ids = [ids] if single and isinstance(ids, str) else _id_list(ids)
            if len(ids) != len(texts):
                raise InputError(f"got {len(ids)} ids for {len(texts)} texts")
        results = list(self.iter_summarize(texts, ids=ids, progress=progress, options=options, **overrides))
        return results[0] if single else results

    def iter_summarize(self, texts: Iterable[Input], *, ids: Iterable[str | None] | None = None,
                       progress: Progress = False, total: int | None = None, group_size: int | None = None,
                       options: Options | None = None, **overrides: Any) -> Iterator[Summary]:
        """Summaries of ``texts`` (any iterable, a generator of millions included), in input order.

        Works ``group_size`` articles at a time (default ``4 * batch_size``), so
        memory stays bounded. An exception in place of a text (a reader that
        failed) becomes that article's error. ``progress``: ``True`` for a tqdm
        bar, or a callable ``progress(done, total)``, told after every article
        (the default group is then one batch, so it moves as batches finish);
        ``total`` is taken from ``len(texts)`` when it has one.
        """
        opts = self.call_options(options, **overrides)  # checked now, not at the first next()
        _check_stream(texts, ids, group_size)
        if total is None and hasattr(texts, "__len__"):
            total = len(texts)
        # with a progress display, one batch per group: it moves (and shows a rate) as batches finish
        size = group_size or opts.run.batch_size * (1 if progress else 4)
        return self._iterate(texts, ids, progress, total, size, opts)

    def _iterate(self, texts, ids, progress, total, size, opts) -> Iterator[Summary]:
        report = progress_reporter(progress, total)
        source = iter(texts)
        id_source = iter(ids) if ids is not None else itertools.repeat(None)
        done = 0
        report(0)
        try:
            while group := list(itertools.islice(source, size)):
                group_ids = [next(id_source, None) for _ in group]
                for summary in self.run_group(group, group_ids, opts):
                    done += 1
                    report(done)  # before the yield: a caller that stops at the last one still sees N/N
                    yield summary
        finally:
            report(None)

    # ---- one group of articles: the stages (stages.py) in order

    def run_group(self, raws: list[Any], ids: list[str | None], opts: Options | None = None) -> list[Summary]:
        """Summaries of one group of articles (texts, Articles, inputs.Items or stages.Requests)."""
        opts = opts or self.options
        return self.run([prepare(request_of(raw, id_), opts) for raw, id_ in zip(raws, ids)], opts)

    def run(self, jobs: list[Job], options: Options | None = None) -> list[Summary]:
        """Stage 3 over prepared jobs (:func:`viensum.stages.prepare`): one Summary each, in order."""
        return stages.run(jobs, self, self.call_options(options))

    def cache_key(self, work: Article, opts: Options) -> str:
        payload = json.dumps([work.title, work.paragraphs, self.recipe.name, self.models, self.engines,
                              opts.cache_key()], ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _check_stream(texts: Any, ids: Any, group_size: Any) -> None:
    """iter_summarize's arguments, refused with one clear line each."""
    if texts is None or isinstance(texts, _SINGLE) or not isinstance(texts, Iterable):
        raise InputError(f"expected an iterable of article texts, not {type(texts).__name__}")
    if group_size is not None and (isinstance(group_size, bool) or not isinstance(group_size, int)
                                   or group_size < 1):
        raise InputError(f"group_size must be a whole number of at least 1, not {group_size!r}")
    if ids is not None and (isinstance(ids, (str, bytes)) or not isinstance(ids, Iterable)):
        raise InputError(f"ids must be a list of strings, one per text, not {type(ids).__name__}")


def _id_list(ids: Any) -> list[Any]:
    if isinstance(ids, (str, bytes)) or not isinstance(ids, Iterable):
        raise InputError(f"ids must be a list of strings, one per text, not {type(ids).__name__}")
    return list(ids)


def progress_reporter(progress: Progress, total: int | None) -> Callable[[int | None], None]:
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


class SummarizerPool:
    """Summarizers by recipe and loading options, built on first use; a lock guards it.

    For callers that take the recipe per request (the web app, the
    ``viensum.summarize()`` convenience function): each distinct recipe and
    runtime/device/quantisation gets one Summarizer, kept while it is among the
    ``size`` most recently used. Its members share one :class:`LoadedModels`
    (``models``, default: a new one), so a translator two recipes use loads once.
    """

    def __init__(self, size: int = 4, models: LoadedModels | None = None) -> None:
        self.size = size
        self.models = models if models is not None else LoadedModels()
        self._items: OrderedDict[tuple, Summarizer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, options: Options) -> Summarizer:
        run = options.run
        # the store in use is part of the key: a different VIENSUM_MODELS_DIR holds different models
        key = (options.model, run.runtime, run.device, run.quantize,
               os.environ.get("VIENSUM_MODELS_DIR"), os.environ.get("HF_HUB_OFFLINE"))
        with self._lock:
            summarizer = self._items.get(key)
            if summarizer is None or summarizer.stale():
                summarizer = Summarizer(options=options, models=self.models)
            self._items[key] = summarizer
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
            return summarizer

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.models.clear()
