"""Results as text: JSON, JSON Lines, Markdown, CSV and plain text, for the CLI, the app and Ray alike.

A summary record is ``Summary.to_dict()`` plus ``source_file`` (where the article was
read from: a path, ``a.zip/member`` or ``in.jsonl:3``; ``None`` for text given directly),
the same fields whichever way it was produced, so a file from ``viensum summarize``,
the app's Batch download and ``--engine ray`` can be read (and scored) the same way.
"""
from __future__ import annotations

import csv
import io as _io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from viensum.errors import InputError

CSV_COLUMNS = ("id", "status", "title_vi", "title_en", "summary_en", "summary_vi", "recipe", "signature",
               "error", "source_file")


def summary_record(summary, source: str | None = None) -> dict[str, Any]:
    """One summary as a flat JSON-ready dict: every field of the Summary, ``source_file`` included
    (the Summary's own, unless ``source`` names another)."""
    record = summary.to_dict()
    if source is not None or "source_file" not in record:
        record["source_file"] = source
    return record


def jsonl_line(record: dict[str, Any]) -> str:
    """One JSON Lines line (newline included), Vietnamese kept readable."""
    return json.dumps(record, ensure_ascii=False) + "\n"


def _sources(summaries: list, sources: Sequence[str | None] | None) -> list[str | None]:
    """Each summary's source: given, else its own."""
    if sources is not None:
        return list(sources)
    return [getattr(s, "source_file", None) for s in summaries]


def summaries_jsonl(summaries: Iterable, sources: Sequence[str | None] | None = None) -> str:
    summaries = list(summaries)
    sources = _sources(summaries, sources)
    return "".join(jsonl_line(summary_record(s, src)) for s, src in zip(summaries, sources))


def summaries_json(summaries: Iterable, sources: Sequence[str | None] | None = None) -> str:
    summaries = list(summaries)
    sources = _sources(summaries, sources)
    records = [summary_record(s, src) for s, src in zip(summaries, sources)]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def summary_markdown(summary, source: str | None = None) -> str:
    """A readable report section for one summary (``## id: title``, summaries, notes, provenance)."""
    source = source if source is not None else getattr(summary, "source_file", None)
    title = summary.title_en or (summary.article.title if summary.article else "") or summary.id
    lines = [f"## {summary.id}: {title}"]
    if source:
        lines += ["", f"*Source:* `{source}`"]
    if summary.error:
        lines += ["", f"**Error:** {summary.error}"]
        return "\n".join(lines) + "\n"
    if summary.article and summary.article.title:
        lines += [f"*Headline:* {summary.article.title}"]
    if summary.summary_en:
        lines += ["", "**Summary (English)**", "", summary.summary_en]
    if summary.summary_vi:
        lines += ["", "**Tóm tắt (tiếng Việt)**", "", summary.summary_vi]
    if summary.translation:
        lines += ["", "**Translation**", ""]
        for pair in summary.translation.paragraphs:
            lines += [f"> {pair.vi}", "", pair.en, ""]
    from viensum.check.results import markdown_lines

    lines += markdown_lines(summary)
    lines += [""] + [f"- note: {n}" for n in summary.notes]
    lines += ["", f"<sub>{summary.signature()}</sub>"]
    return "\n".join(lines) + "\n"


def summaries_csv(summaries: Iterable, sources: Sequence[str | None] | None = None) -> str:
    """One row per summary (:data:`CSV_COLUMNS`); open it with ``utf-8-sig`` for spreadsheets."""
    summaries = list(summaries)
    sources = _sources(summaries, sources)
    out = _io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for s, src in zip(summaries, sources):
        writer.writerow([s.id or "", "ok" if s.ok else "error", s.article.title if s.article else "",
                         s.title_en or "", s.summary_en or "", s.summary_vi, s.recipe,
                         s.signature() if s.ok else "", s.error or "", src or ""])
    return out.getvalue()


def render_summaries(summaries: Iterable, fmt: str, sources: Sequence[str | None] | None = None) -> str:
    """All summaries in one format: ``jsonl``, ``json``, ``md`` or ``csv``."""
    summaries = list(summaries)
    sources = _sources(summaries, sources)
    if fmt == "jsonl":
        return summaries_jsonl(summaries, sources)
    if fmt == "json":
        return summaries_json(summaries, sources)
    if fmt == "md":
        return "".join(summary_markdown(s, src) + "\n" for s, src in zip(summaries, sources))
    if fmt == "csv":
        return summaries_csv(summaries, sources)
    raise InputError(f"unknown format {fmt!r}")


def translation_record(translation, id: str | None = None, source: str | None = None) -> dict[str, Any]:
    """A translation with the id and source of its article (several articles: one JSON line each)."""
    return {"id": id, **translation.to_dict(), "source_file": source}


def translation_markdown(translation) -> str:
    """Each Vietnamese paragraph quoted, followed by its English translation."""
    parts = [f"# {translation.title_en}", f"> {translation.title_vi}"] if translation.title_vi else []
    for pair in translation.paragraphs:
        parts += [f"> {pair.vi}", pair.en]
    from viensum.check.results import problem_lines

    parts += problem_lines(translation.checks)  # viensum.check: what the article does not support
    parts.append(f"<sub>model: {translation.model}, {translation.sentences} sentences, {translation.seconds} s</sub>")
    return "\n\n".join(parts)


def render_translation(translation, fmt: str) -> str:
    """One translation as ``text``, ``json`` or ``md`` (no trailing newline)."""
    if fmt == "json":
        return json.dumps(translation.to_dict(), ensure_ascii=False, indent=2)
    if fmt == "md":
        return translation_markdown(translation)
    if fmt == "text":
        return translation.text
    raise InputError(f"unknown format {fmt!r}")


def render_article(article, fmt: str, source: str | None = None) -> str:
    """A cleaned article as ``text`` (headline, blank line, paragraphs), ``json`` (indented)
    or ``jsonl`` (one line, with an ``input`` key naming the source when given)."""
    if fmt == "text":
        return article.text
    record = article.to_dict()
    if fmt == "json":
        return json.dumps(record, ensure_ascii=False, indent=2)
    if fmt == "jsonl":
        if source is not None:
            record = {"input": source, **record}
        return json.dumps(record, ensure_ascii=False)
    raise InputError(f"unknown format {fmt!r}")
