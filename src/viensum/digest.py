"""A daily English digest of Vietnamese news: every article of some links, feeds or section pages,
summarised once, on one page.

:func:`build_digest` reads the sources through :mod:`viensum.inputs` (so anything
``viensum summarize`` reads works here), summarises with the usual
:class:`~viensum.summarizer.Summarizer`, and keeps a *state file* beside the output
(``digest.html.state.json``): each article's URL, the hash of its cleaned text and its
entry. A re-run summarises only articles that are new or whose text changed, and
keeps the others' entries; with the HTTP cache, an unchanged feed costs only
conditional requests. Rendering is :mod:`viensum.digest_render`.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from viensum.errors import InputError

log = logging.getLogger(__name__)

STATE_VERSION = 1


@dataclass
class DigestEntry:
    """One article of a digest; ``error`` says why it has no summary."""

    url: str
    site: str | None = None
    published: str | None = None
    title_vi: str = ""
    title_en: str | None = None
    summary_vi: str = ""
    summary_en: str | None = None
    error: str | None = None
    id: str | None = None
    content_hash: str | None = None
    made_by: str | None = None  # the recipe, models and options that wrote the summary (see made_by())
    flags: list[str] = field(default_factory=list)  # the checking work's warnings, where present
    reused: bool = False  # summarised by an earlier run, unchanged since
    article: Any = field(default=None, repr=False, compare=False)  # the cleaned Article (this run's only)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "article"} | \
            {"flags": list(self.flags)}


@dataclass
class Digest:
    entries: list[DigestEntry]
    summarised: int = 0  # articles summarised by this run (the rest reused or failed)
    reused: int = 0

    @property
    def failed(self) -> list[DigestEntry]:
        return [e for e in self.entries if e.error]


def state_path(output: str | os.PathLike) -> Path:
    """Where a digest keeps what it already summarised: beside the output."""
    output = Path(output)
    return output.with_name(output.name + ".state.json")


def load_state(path: Path) -> dict[str, dict[str, Any]]:
    """The entries of an earlier run by URL (an unreadable or foreign file: none, with a warning)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != STATE_VERSION:
            raise ValueError("another version")
        return {url: entry for url, entry in data["articles"].items() if isinstance(entry, dict)}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, AttributeError, TypeError) as exc:
        log.warning("ignoring the digest state %s (%s): every article is summarised again", path, exc)
        return {}


def save_state(path: Path, entries: Sequence[DigestEntry]) -> None:
    from viensum.outputs import write_atomic

    articles = {e.url: {k: v for k, v in e.to_dict().items() if k != "reused"} for e in entries
                if not e.error and e.content_hash}
    write_atomic(path, json.dumps({"version": STATE_VERSION, "articles": articles}, ensure_ascii=False) + "\n")


def content_hash(article) -> str:
    """What decides whether an article changed: its cleaned headline and paragraphs."""
    return hashlib.sha256(json.dumps([article.title, article.paragraphs], ensure_ascii=False).encode()).hexdigest()


def made_by(summarizer) -> str:
    """What decides a summary besides the article: the recipe, its models and engines, the options."""
    payload = [summarizer.recipe.name, summarizer.models, summarizer.engines, summarizer.options.cache_key()]
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:16]


def build_digest(sources: Sequence[str | os.PathLike], summarizer, *, limits=None,
                 state: dict[str, dict[str, Any]] | None = None, progress=False) -> Digest:
    """The digest of ``sources``: every article they hold, summarised by ``summarizer`` unless
    ``state`` (from :func:`load_state`) has it with the same text, written by the same recipe, models
    and options; failures are entries too."""
    from viensum import inputs
    from viensum.results import Article

    state = state or {}
    entries: list[DigestEntry] = []
    todo: list[tuple[DigestEntry, Article]] = []
    seen: set[str] = set()
    writer = made_by(summarizer)
    for item in inputs.read_items(sources, limits or inputs.Limits()):
        raw = inputs.summary_input(item)
        if isinstance(raw, Exception):
            entries.append(DigestEntry(url=item.name, id=item.id, error=str(raw)))
            continue
        article = raw if isinstance(raw, Article) else _as_article(raw)
        if isinstance(article, Exception):
            entries.append(DigestEntry(url=item.name, id=item.id, error=str(article)))
            continue
        entry = DigestEntry(url=article.url or item.name, site=article.site, published=article.date,
                            title_vi=article.title, id=item.id, content_hash=content_hash(article), made_by=writer,
                            article=article)
        if entry.url in seen:  # listed by two feeds, or a feed and its section page: once
            continue
        seen.add(entry.url)
        earlier = state.get(entry.url)
        if (earlier and earlier.get("content_hash") == entry.content_hash and earlier.get("made_by") == writer
                and not earlier.get("error")):
            entry = DigestEntry(**{**earlier, "id": item.id, "reused": True, "article": article})
        else:
            todo.append((entry, article))
        entries.append(entry)
    summaries = summarizer.iter_summarize((a for _, a in todo), ids=[e.id for e, _ in todo], total=len(todo),
                                          progress=progress) if todo else []
    for (entry, _), summary in zip(todo, summaries):
        _fill(entry, summary)
    return Digest(entries, summarised=len(todo), reused=sum(e.reused for e in entries))


def _as_article(text: str):
    from viensum.translate import as_article

    try:
        return as_article(text, clean=True)
    except InputError as exc:
        return exc


def _fill(entry: DigestEntry, summary) -> None:
    if summary.error:
        entry.error = summary.error
        entry.content_hash = None
        return
    entry.title_en = summary.title_en
    entry.summary_en = summary.summary_en
    entry.summary_vi = summary.summary_vi
    entry.flags = _flags(summary)


def _flags(summary) -> list[str]:
    """The checking work's problems with the English summary (``Summary.checks_en``: one
    :class:`~viensum.check.results.SentenceCheck` per sentence), one line each, when it ran."""
    lines = []
    for check in getattr(summary, "checks_en", None) or []:
        problems = check.get("problems", []) if isinstance(check, dict) else getattr(check, "problems", [])
        for problem in problems or []:
            note = problem.get("note") if isinstance(problem, dict) else getattr(problem, "note", None)
            lines.append(note or str(problem))
    return lines


def order(entries: Sequence[DigestEntry]) -> list[tuple[str, list[DigestEntry]]]:
    """The summarised entries grouped by site, newest first within a site; the site with the
    newest article first. (Failed entries are listed apart: :attr:`Digest.failed`.)"""
    groups: dict[str, list[DigestEntry]] = {}
    for entry in entries:
        if not entry.error:
            groups.setdefault(entry.site or "(unknown site)", []).append(entry)
    for group in groups.values():
        group.sort(key=lambda e: e.published or "", reverse=True)
    return sorted(groups.items(), key=lambda kv: (kv[1][0].published or "", kv[0]), reverse=True)
