"""The stages every article goes through, in this order. Every runner calls these; none has its own.

    1. request  where the article comes from: an inputs.Item (or text, bytes, an Article)
                becomes a :class:`Request` (id, source, text, format)          -> request_of()
    2. prepare  clean or parse it with the format its reader found (parse.py), check that
                there is text and that it is Vietnamese, cut it to the size budget
                -> a :class:`Job`. CPU only, no models.                          -> prepare()
    3. run      over a group of Jobs: stamp what produces them (recipe, models, settings),
                answer repeats from the cache, run the recipe (recipes.py), translate in
                full when asked, check each sentence against the article (viensum.check),
                share out the timings, fill the cache
                -> one :class:`~viensum.results.Summary` per Job, carrying its own id and source
                                                                                  -> run()
    4. render   a Summary as a record or a report: render.py (summary_record, render_summaries)

Who calls what:

* the API and the CLI: :meth:`viensum.summarizer.Summarizer.iter_summarize` does 1-3 a group
  at a time; the CLI renders (4) as it goes;
* the web app: the article tab calls :func:`prepare` to show the cleaned article at once,
  then :meth:`~viensum.summarizer.Summarizer.run`; the batch tab hands its Items to
  ``iter_summarize`` like the CLI;
* Ray (scale/): :func:`prepare` in CPU map tasks, :meth:`Job.to_json` between them,
  :meth:`~viensum.summarizer.Summarizer.run` in the model actors, render.py for the records.

A failed article is a Summary with ``error`` set, made here and nowhere else
(:func:`failed`, :meth:`Job.fail`); it goes through :func:`run` like the others, so its
record carries the same recipe, models and notes whichever runner wrote it.
"""
from __future__ import annotations

import copy
import dataclasses
import json
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from viensum.errors import ViensumError
from viensum.options import Options
from viensum.parse import as_article
from viensum.results import Article, Summary
from viensum.text import split_sentences

if TYPE_CHECKING:
    from viensum.summarizer import Summarizer

log = logging.getLogger(__name__)

# why a job failed, for callers that word it their own way (the web app)
INPUT, EMPTY, LANGUAGE, MODEL = "input", "empty", "language", "model"


# ---------------------------------------------------------------- 1. request


@dataclass
class Request:
    """One article asked for: its id, where it came from, the text and the format its reader found.

    ``format``: ``"html"`` or ``"text"`` when the reader knows (an .html file, a record's
    ``html`` field), ``None`` to let the cleaner decide from the content. ``error``: the
    reader failed; the article becomes an error record.
    """

    id: str | None = None
    text: str | bytes | Article | None = None
    source: str | None = None
    format: str | None = None
    error: str | None = None


def request_of(obj: Any, id: str | None = None) -> Request:
    """A :class:`Request` from a Request, an :class:`viensum.inputs.Item`, an Article, text or bytes,
    or an exception a reader handed in place of the text. ``id`` (when given) wins over the object's own."""
    from viensum.inputs import Item

    if isinstance(obj, Request):
        return dataclasses.replace(obj, id=id) if id is not None else obj
    if isinstance(obj, Item):
        text, error = obj.text, obj.error
        if error is None and obj.meta is not None:  # a fetched page: cleaned, with its URL, site and date
            from viensum.inputs import summary_input

            text = summary_input(obj)
            text, error = (None, str(text)) if isinstance(text, Exception) else (text, None)
        return Request(id=id if id is not None else obj.id, text=text, source=obj.name, format=obj.fmt,
                       error=error)
    if isinstance(obj, BaseException):
        return Request(id=id, error=str(obj) or type(obj).__name__)
    return Request(id=id, text=obj)


# ---------------------------------------------------------------- 2. prepare


@dataclass(eq=False)
class Job:
    """One prepared article on its way through :func:`run`: its Summary is filled in step by step."""

    summary: Summary
    article: Article | None = None  # the cleaned article, as the user gets it back
    work: Article | None = None     # what the models see: the article within the size budget
    key: str | None = None          # summary-cache key
    done: bool = False              # failed, or answered from the cache
    deadline: float = float("inf")  # time.monotonic() after which remaining rounds go extractive
    reason: str | None = None       # why it failed: INPUT, EMPTY, LANGUAGE or MODEL

    @property
    def active(self) -> bool:
        return not self.done and self.summary.error is None

    @property
    def size(self) -> int:
        """Characters the models see: what each article's share of a batched call's time follows."""
        return len(self.work.text) if self.work is not None else 0

    def fail(self, message: str, reason: str = INPUT) -> None:
        self.summary.error = " ".join(message.split())  # one line, always
        self.reason = reason

    def note(self, text: str) -> None:
        if text not in self.summary.notes:
            self.summary.notes.append(text)

    def to_json(self) -> str:
        """The prepared job as JSON text (Ray hands it from its CPU tasks to its model actors)."""
        cut = self.work is not None and self.work is not self.article
        return json.dumps({"summary": self.summary.to_dict(), "work": self.work.to_dict() if cut else None,
                           "reason": self.reason}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Job":
        data = json.loads(text)
        summary = Summary.from_dict(data["summary"])
        work = Article.from_dict(data["work"]) if data.get("work") else summary.article
        return cls(summary, article=summary.article, work=work if summary.error is None else None,
                   reason=data.get("reason"))


def failed(request: Request | Any, message: str, reason: str = INPUT) -> Job:
    """A job that failed before any model ran (its reader failed, or the runner did)."""
    request = request_of(request)
    job = Job(Summary(id=request.id, source_file=request.source))
    job.fail(message, reason)
    return job


def prepare(request: Request | Any, options: Options, *, budget: bool = True) -> Job:
    """Stage 2: the article read (cleaned or parsed), checked and cut to the size budget. No models.

    Never raises for a bad article: the job comes back failed (``job.summary.error``, ``job.reason``).
    ``budget=False`` leaves the article whole (``viensum translate`` translates all of it).
    """
    request = request_of(request)
    if request.error is not None:
        return failed(request, request.error)
    job = Job(Summary(id=request.id, source_file=request.source))
    started = time.perf_counter()
    try:
        job.article = job.summary.article = as_article(request.text, clean=options.generate.clean,
                                                       fmt=request.format)
    except ViensumError as exc:
        job.fail(str(exc))
    except Exception as exc:  # a cleaner bug on one odd page must not stop a batch
        log.exception("cleaning failed for %s", request.id or "an article")
        job.fail(f"cleaning failed: {type(exc).__name__}: {exc}")
    finally:
        job.summary.timings["clean"] = round(time.perf_counter() - started, 4)
    if job.article is not None:
        _check(job, options, budget)
    return job


def _check(job: Job, options: Options, budget: bool) -> None:
    """Some text, in Vietnamese, within the size budget."""
    article = job.article
    if not article.paragraphs:
        return job.fail("no article text found in the input", EMPTY)
    if article.language != "vi":
        from viensum.langdetect import foreign_reason

        return job.fail(foreign_reason(article.language, article.language_score) + "; only Vietnamese is summarised",
                        LANGUAGE)
    max_chars = options.run.max_chars if budget else float("inf")
    job.work, cut = within_budget(article, max_chars)
    if cut:
        job.summary.truncated = True
        job.note(f"the article is over {max_chars:,} characters; only its first {max_chars:,} were summarised")


def within_budget(article: Article, max_chars: int) -> tuple[Article, bool]:
    """The article cut to ``max_chars`` characters of body, whole sentences where possible; and whether it was cut."""
    if sum(len(p) for p in article.paragraphs) <= max_chars:
        return article, False
    kept: list[str] = []
    room = max_chars
    for paragraph in article.paragraphs:
        if len(paragraph) <= room:
            kept.append(paragraph)
            room -= len(paragraph)
            continue
        part: list[str] = []
        for sentence in split_sentences(paragraph[:room + 1000]):
            if len(sentence) > room:
                break
            part.append(sentence)
            room -= len(sentence) + 1
        if not part and not kept:  # one giant sentence: cut it between words
            part = [paragraph[:max_chars].rsplit(" ", 1)[0] or paragraph[:max_chars]]
        if part:
            kept.append(" ".join(part))
        break
    return dataclasses.replace(article, paragraphs=kept), True


# ---------------------------------------------------------------- 3. run


def run(jobs: list[Job], summarizer: Summarizer, options: Options) -> list[Summary]:
    """Stage 3: the Summaries of a group of prepared jobs, every model call shared by the group."""
    from viensum.check.trace import check_jobs
    from viensum.generation import Generator

    stamp(jobs, summarizer, options)
    deadline = time.monotonic() + options.run.max_seconds
    for job in jobs:
        job.deadline = deadline
    if options.run.cache:
        recall(jobs, summarizer, options)
    todo = [j for j in jobs if j.active]
    method = summarizer.method(summarizer.recipe, Generator(summarizer.backends, options))
    _timed(todo, "summarize", method.run)
    if options.generate.translate:
        translating = [j for j in todo if j.active]
        _timed(translating, "translate", method.full_translation)
        for job in translating:
            if job.summary.translation is not None:
                job.summary.translation.seconds = job.summary.timings.get("translate", 0.0)
    check_jobs([(job.summary, job.work) for job in jobs], method)  # viensum.check: sources, problems, repairs
    for job in jobs:
        timings = job.summary.timings
        timings["total"] = round(sum(timings.get(k, 0.0) for k in ("clean", "lookup", "summarize", "translate")), 4)
        if job.active and job.key:
            summarizer.cache.put(job.key, job.summary)
    return [job.summary for job in jobs]


def stamp(jobs: list[Job], summarizer: Summarizer, options: Options) -> None:
    """What produces these summaries: the recipe, its models and engines, the settings, the Summarizer's notes."""
    settings = {**options.settings(), "engines": dict(summarizer.engines)}
    for job in jobs:
        s = job.summary
        s.recipe, s.models, s.settings = summarizer.recipe.name, dict(summarizer.models), copy.deepcopy(settings)
        s.notes[:0] = [n for n in summarizer.notes if n not in s.notes]


def recall(jobs: list[Job], summarizer: Summarizer, options: Options) -> None:
    """Answer each job the cache knows (same article text, recipe, models and options)."""
    for job in [j for j in jobs if j.active]:
        started = time.perf_counter()
        job.key = summarizer.cache_key(job.work, options)
        hit = summarizer.cache.get(job.key)
        if hit is not None:
            for name, value in hit.items():
                setattr(job.summary, name, value)
            job.note("same article and settings as an earlier one: reused its summary")
            job.done = True
        job.summary.timings["lookup"] = round(time.perf_counter() - started, 4)


def _timed(jobs: list[Job], name: str, step) -> None:
    """Run a batched step and give each article its share of the wall time, in proportion to its length."""
    started = time.perf_counter()
    step(jobs)
    seconds = time.perf_counter() - started
    weight = sum(max(1, j.size) for j in jobs)
    for job in jobs:
        job.summary.timings[name] = round(seconds * max(1, job.size) / weight, 4)


__all__ = ["EMPTY", "INPUT", "Job", "LANGUAGE", "MODEL", "Request", "failed", "prepare", "recall", "request_of",
           "run", "stamp", "within_budget"]
