"""The Article tab's HTML and Markdown: the cleaned article, what the cleaner removed, the full
translation, and the notes and provenance of a summary."""
from __future__ import annotations

import html
import re

from viensum.ui.errors import _hide_paths


def render_article(article) -> str:
    """The cleaned article as HTML: headline, the line of metadata, paragraphs."""
    parts = []
    if article.title:
        parts.append(f"<h2 class='vs-title'>{html.escape(article.title)}</h2>")
    meta = [m for m in (article.date, article.byline, article.source) if m]
    if meta:
        parts.append(f"<p class='vs-meta'><em>{html.escape(' · '.join(meta))}</em></p>")
    parts.extend(f"<p data-para='{i}'>{html.escape(p)}</p>" for i, p in enumerate(article.paragraphs))
    return "<div class='vs-article' lang='vi'>" + "\n".join(parts) + "</div>"


def removed_groups(article) -> list[tuple[str, list[str]]]:
    """What the cleaner dropped as (reason, texts): consecutive blocks of one reason in one group,
    and nothing the article kept (its headline, date or byline found outside the main content)."""
    kept = {" ".join(t.split()) for t in (article.title, article.date, article.byline) if t}
    kept.update(" ".join(p.split()) for p in article.paragraphs)
    groups: list[tuple[str, list[str]]] = []
    for r in article.removed:
        text = " ".join(r.text.split())
        if not text or text in kept or "kept" in r.reason or _is_the_date(text, article.date):
            continue
        if groups and groups[-1][0] == r.reason:
            groups[-1][1].append(text)
        else:
            groups.append((r.reason, [text]))
    return groups


def _is_the_date(text: str, iso: str | None) -> bool:
    """Whether a short line is the article's date (kept as metadata), in any usual spelling."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    if not match or len(text) > 60:
        return False
    year, month, day = match.groups()
    spellings = (f"{int(day)}/{int(month)}/{year}", f"{day}/{month}/{year}", iso, f"{day}-{month}-{year}",
                 f"{int(day)}-{int(month)}-{year}", f"{day}.{month}.{year}")
    return any(re.search(rf"(?<!\d){re.escape(d)}(?!\d)", text) for d in spellings)


def render_removed(article, limit: int = 240) -> str:
    """What the cleaner dropped, one row per group of blocks: the reason first (always in view), then the text."""
    groups = removed_groups(article)
    if not groups:
        return "<p class='vs-meta'>Nothing was removed.</p>"
    rows = []
    for reason, texts in groups:
        text = " · ".join(texts)
        shown = text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
        count = f" <span class='vs-count'>({len(texts)} blocks)</span>" if len(texts) > 1 else ""
        rows.append(f"<tr><td class='vs-reason'>{html.escape(reason)}{count}</td>"
                    f"<td lang='vi' title='{html.escape(text[:2000])}'>{html.escape(shown)}</td></tr>")
    return ("<table class='vs-removed'><colgroup><col class='vs-reason-col'><col></colgroup>"
            "<thead><tr><th>reason</th><th>removed text</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def render_translation(translation) -> str:
    """The full translation as a two-column table: each Vietnamese paragraph beside its English."""
    rows = []
    if translation.title_vi or translation.title_en:
        rows.append(f"<tr><th lang='vi'>{html.escape(translation.title_vi)}</th>"
                    f"<th>{html.escape(translation.title_en)}</th></tr>")
    rows.extend(f"<tr><td lang='vi'>{html.escape(p.vi)}</td><td>{html.escape(p.en)}</td></tr>"
                for p in translation.paragraphs)
    return ("<table class='vs-translation'><thead><tr><th>Tiếng Việt</th><th>English</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            f"<p class='vs-meta'><em>translated by {html.escape(translation.model)}</em></p>")


def render_details(result=None, article=None, extra: list[str] | None = None, skip_install: bool = False) -> str:
    """Notes and provenance as Markdown: what produced the summary, and anything worth knowing.

    ``skip_install`` leaves out the notes that only repeat the install command shown above.
    """
    lines = []
    for note in [*(extra or []), *(result.notes if result else []), *(article.warnings if article else [])]:
        if not (skip_install and "viensum models download" in note):
            lines.append(f"- **Note:** {_hide_paths(note)}")
    if result is not None and result.recipe:
        models = ", ".join(f"{role}: `{mid}`" for role, mid in sorted(result.models.items())) or "none"
        lines.append(f"- **Recipe:** `{result.recipe}` — models: {models}")
        lines.append(f"- **Chunks:** {result.chunks} · **truncated:** {'yes' if result.truncated else 'no'}")
        steps = {k: v for k, v in result.timings.items() if k != "total"}  # the status line has the wall time
        if steps:
            timings = ", ".join(f"{k} {v:.2f} s" for k, v in steps.items())
            lines.append(f"- **Time in each step:** {timings}")
    if article is not None:
        lang = article.language + (f" ({article.language_score:.2f})" if article.language_score is not None else "")
        lines.append(f"- **Input:** {article.input_format}, language {lang}, "
                     f"{len(article.paragraphs)} paragraphs, {len(article.removed)} blocks removed")
    return "\n".join(lines)
