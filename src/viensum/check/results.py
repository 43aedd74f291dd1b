"""What a check returns: small dataclasses that print and serialise well."""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Problem:
    """A number, date or name the article does not support, or a sentence nothing supports.

    ``kind``: number, date, name or unsupported; ``text``: the span in the
    sentence; ``source``: what the article says nearby ("" when nothing);
    ``note``: one line a reader understands.
    """

    kind: str
    text: str
    source: str
    note: str


@dataclass
class Source:
    """One article sentence a summary sentence rests on (paragraph -1 is the headline, -2 the page's date,
    -3 a line of the page beside the article: a photo caption, a date line, the byline or a credit)."""

    paragraph: int
    sentence: int
    score: float = 1.0


@dataclass
class SentenceCheck:
    """One summary sentence: where it comes from, how that was found, and what the article does not support.

    ``method``: exact (copied from the article), lexical (shared words),
    facts (shared numbers, dates, names), translation (through the sentence it
    translates or the article's translation), none (nothing to align by).
    ``unchecked``: names that cannot be checked (a translated common-noun name);
    ``repaired``: what a retried translation fixed.
    """

    text: str
    sources: list[Source] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    method: str = "none"
    unchecked: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[int]:
        return sorted({s.paragraph for s in self.sources})

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class CheckResult:
    """The check of one summary against one article: ``.sentences[i].text / .sources / .problems``."""

    sentences: list[SentenceCheck]
    lang: str = "en"
    seconds: float = 0.0

    @property
    def problems(self) -> list[Problem]:
        return [p for s in self.sentences for p in s.problems]

    @property
    def ok(self) -> bool:
        return not self.problems

    def headline(self) -> str:
        """The line a reader sees above the summary."""
        return headline(self.sentences)

    def to_dict(self) -> dict[str, Any]:
        return {"lang": self.lang, "headline": self.headline(), "sentences": [s.to_dict() for s in self.sentences]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def __str__(self) -> str:
        lines = [self.headline()]
        for i, s in enumerate(self.sentences, 1):
            where = _where(s.sources) if s.sources else ""
            lines.append(f"{i}. {s.text}")
            lines.append(f"   sources: {where or 'none'} ({s.method})")
            lines.extend(f"   {p.kind}: {p.text}: {p.note}" for p in s.problems)
        return "\n".join(lines)


def headline(sentences: list[SentenceCheck]) -> str:
    facts = sum(1 for s in sentences for p in s.problems if p.kind != "unsupported")
    unsupported = sum(1 for s in sentences for p in s.problems if p.kind == "unsupported")
    if not facts and not unsupported:
        return "all numbers, dates and names found in the article"
    parts = []
    if facts:
        parts.append(f"{facts} fact{'s' if facts != 1 else ''} could not be found in the article")
    if unsupported:
        parts.append(f"{unsupported} sentence{'s' if unsupported != 1 else ''} with no source in the article")
    return "; ".join(parts)


def _where(sources: list[Source]) -> str:
    names = {s.paragraph: {-3: "page", -2: "date", -1: "headline"}.get(s.paragraph, f"¶{s.paragraph + 1}")
             for s in sources}
    return ", ".join(names[p] for p in sorted(names)) or "no source"


def markdown_lines(summary) -> list[str]:
    """The "Sources and checks" section of a summary's Markdown report (empty when it was not checked)."""
    checks = [("en", c) for c in summary.checks_en] + [("vi", c) for c in summary.checks_vi]
    if not checks:
        return []
    lines = ["", "**Sources and checks**", "", headline([c for _, c in checks]), ""]
    for lang, c in checks:
        lines.append(f"- ({lang}) {c.text} — {_where(c.sources)} ({c.method})")
        lines.extend(f"  - ⚠ {p.kind}: {p.text}: {p.note}" for p in c.problems)
        lines.extend(f"  - repaired: {r}" for r in c.repaired)
    return lines


def problem_lines(checks: list[SentenceCheck]) -> list[str]:
    """A translation's Markdown report: the line, then each flagged fact with its note (nothing when unchecked)."""
    if not checks:
        return []
    flagged = [f"- ⚠ {p.kind}: {p.text}: {p.note}" for c in checks for p in c.problems]
    return [f"**Checked against the article:** {headline(checks)}" + ("\n\n" + "\n".join(flagged) if flagged else "")]
