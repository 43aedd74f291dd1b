"""Translating the summaries a summariser has finished while it still works on the others.

A group of at least one article per core is summarised on one-thread workers (backends/ct2.py), one
batch per core, and the workers finish at different times: one core waits for the last batch. The
two-stage recipe gives that core work that is ready (``Generator.map_reduce(early=...)``): the
headlines and sentences of the summaries already done, the retries the fact checker will ask for
them (``check.trace.retry_texts``), and the headlines of the articles still being summarised. Each
text is translated once, by the same model with the same settings, as without the overlap; only
which texts share a batch changes (see docs/BENCHMARKS.md on what that does to CTranslate2's output).
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from viensum.generation import first_sentences
from viensum.text import split_sentences

if TYPE_CHECKING:
    from viensum.recipes import Method
    from viensum.stages import Job

log = logging.getLogger(__name__)


class Overlap:
    """The ``early`` listener of a two-stage group, then the translation of what is left (:meth:`finish`)."""

    def __init__(self, method: Method, jobs: list[Job]) -> None:
        self.method = method
        self.jobs = list(jobs)
        self.done: set[Job] = set()  # jobs whose headline and summary are translated
        self.titles: dict[Job, str | None] = {}  # headlines translated ahead of their summaries
        self.retried: dict[str, str] = {}  # a retry's text -> its translation (for check_jobs)

    def __call__(self, finished: list[tuple[Job, str]]) -> None:
        if "translator" not in self.method.gen.backends:
            return
        ready = [job for job, _ in finished if job.active and job not in self.done]
        waiting = [job for job in self.jobs if job.active and job not in self.done and job not in self.titles
                   and job not in ready]
        try:
            for job, text in finished:
                job.summary.summary_vi = first_sentences(text, self.method.sentences)
            self.translate(ready, waiting)
            self.retry([job for job in ready if job in self.done])
        except Exception as exc:  # left to finish(), as without the overlap
            log.warning("translating %d finished summaries early failed: %s", len(ready), exc)
            self.done.difference_update(ready)

    def finish(self, jobs: list[Job]) -> None:
        """Translate what is left of ``jobs``: a summary, and its headline if not translated yet."""
        self.translate([job for job in jobs if job not in self.done], [])

    def translate(self, summaries: list[Job], titles: list[Job]) -> None:
        """One translator call: the summaries' sentences (with their headlines where not translated
        yet), and the headlines alone of ``titles``; sets title_en and summary_en as they are done."""
        def texts_of(job: Job) -> list[str]:
            head = [] if job in self.titles else [job.work.title]
            return head + ([] if job in titles else split_sentences(job.summary.summary_vi))

        for job, out in self.method.translate(summaries + titles, texts_of, "English summary").items():
            if job not in self.titles:
                self.titles[job], out = out[0] or None, out[1:]
            if job in titles:
                continue
            job.summary.title_en = self.titles[job]
            job.summary.summary_en = " ".join(o for o in out if o) or None
            self.done.add(job)

    def retry(self, jobs: list[Job]) -> None:
        """Translate the retries the fact checker will ask for these jobs (one call)."""
        from viensum.check.trace import retry_texts

        texts = list(dict.fromkeys(t for job in jobs if job.active
                                   for t in retry_texts(job.summary, self.method.kind)))
        if texts:
            backend = self.method.gen.backends["translator"]
            self.retried.update(zip(texts, self.method.gen.translate_fn(backend)(texts)))
