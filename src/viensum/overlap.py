"""Translating the summaries a summariser has finished while it still works on the others.

A group of at least one article per core is summarised on one-thread workers (backends/ct2.py), one
batch per core, and the workers finish at different times: one core waits for the last batch. The
two-stage recipe gives that core the next stage of the summaries already done
(``Generator.map_reduce(early=...)``): their headlines and sentences are translated, and the retries
the fact checker will ask for (``check.trace.retry_texts``) too, while the last batch runs. Nothing
else changes: each text is translated once, by the same model with the same settings, and
CTranslate2's output for a text does not depend on the batch it runs in.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from viensum.generation import first_sentences

if TYPE_CHECKING:
    from viensum.recipes import Method
    from viensum.stages import Job

log = logging.getLogger(__name__)


class Overlap:
    """The ``early`` listener of a two-stage group: what it translated, and the retries' translations."""

    def __init__(self, method: Method) -> None:
        self.method = method
        self.done: set[Job] = set()  # jobs whose headline and summary are translated
        self.retried: dict[str, str] = {}  # a retry's text -> its translation (for check_jobs)

    def __call__(self, finished: list[tuple[Job, str]]) -> None:
        jobs = [job for job, _ in finished if job.active and job not in self.done]
        if not jobs:
            return
        try:
            for job, text in finished:
                job.summary.summary_vi = first_sentences(text, self.method.sentences)
            self.method.translate_summaries(jobs)
            self.done.update(jobs)
            self.retry(jobs)
        except Exception as exc:  # left to the stage after the summariser, as without the overlap
            log.warning("translating %d finished summaries early failed: %s", len(jobs), exc)
            self.done.difference_update(jobs)

    def retry(self, jobs: list[Job]) -> None:
        """Translate the retries the fact checker will ask for these jobs (one call)."""
        from viensum.check.trace import retry_texts

        backend = self.method.gen.backends.get("translator")
        texts = list(dict.fromkeys(t for job in jobs if job.active
                                   for t in retry_texts(job.summary, self.method.kind)))
        if backend is None or not texts:
            return
        self.retried.update(zip(texts, self.method.gen.translate_fn(backend)(texts)))
