"""Result types shared by every stage: small dataclasses that print well.

Each result carries what produced it (model ids, settings, truncation flags),
so a JSON line written today can be explained next month.
"""
from __future__ import annotations

import dataclasses
import json
import textwrap
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Removed:
    """A line the cleaner dropped, and why."""

    text: str
    reason: str


@dataclass
class Article:
    """A cleaned news article: the headline and its body paragraphs, in order."""

    title: str
    paragraphs: list[str]
    date: str | None = None
    byline: str | None = None
    source: str | None = None
    url: str | None = None
    language: str = "vi"
    language_score: float | None = None
    input_format: str = "text"  # "text" or "html"
    removed: list[Removed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    site: str | None = None  # the site's name, for a fetched page (url: its canonical URL, date: when published)

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def text(self) -> str:
        """The ``--format text`` rendering: headline, blank line, paragraphs."""
        parts = [self.title] if self.title else []
        parts.extend(self.paragraphs)
        return "\n\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Article":
        data = dict(data)
        data["removed"] = [Removed(**r) for r in data.get("removed", [])]
        return cls(**data)

    def __str__(self) -> str:
        return self.text


@dataclass
class ParagraphPair:
    """One Vietnamese paragraph and its English translation."""

    vi: str
    en: str


@dataclass
class Translation:
    """A full translation, aligned paragraph by paragraph with its source."""

    title_vi: str
    title_en: str
    paragraphs: list[ParagraphPair]
    model: str
    sentences: int = 0
    seconds: float = 0.0
    checks: list = field(default_factory=list)  # viensum.check.SentenceCheck per English sentence (sources, problems)

    @property
    def text(self) -> str:
        parts = [self.title_en] if self.title_en else []
        parts.extend(p.en for p in self.paragraphs)
        return "\n\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Translation":
        data = dict(data)
        data["paragraphs"] = [ParagraphPair(**p) for p in data.get("paragraphs", [])]
        return cls(**data)

    def __str__(self) -> str:
        return self.text


@dataclass
class Summary:
    """What :func:`viensum.summarize` returns for one article.

    ``error`` is set (and the text fields are empty) when this article failed;
    the other articles of a batch are unaffected.
    """

    summary_vi: str = ""
    summary_en: str | None = None
    title_en: str | None = None
    translation: Translation | None = None
    article: Article | None = None
    id: str | None = None
    recipe: str = ""
    models: dict[str, str] = field(default_factory=dict)  # role -> model id
    settings: dict[str, Any] = field(default_factory=dict)  # Options.settings() + "engines" (role -> runtime)
    chunks: int = 1
    truncated: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    checks_vi: list = field(default_factory=list)  # viensum.check.SentenceCheck per sentence of summary_vi
    checks_en: list = field(default_factory=list)  # ... and of summary_en: sources, problems, repairs
    source_file: str | None = None  # where the article was read from: a path, ``a.zip/member``, ``in.jsonl:3``

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Summary":
        """A Summary back from :meth:`to_dict` (fields it does not know are ignored)."""
        known = {f.name for f in dataclasses.fields(cls)}
        data = {k: v for k, v in data.items() if k in known}
        if data.get("article") is not None:
            data["article"] = Article.from_dict(data["article"])
        if data.get("translation") is not None:
            data["translation"] = Translation.from_dict(data["translation"])
        return cls(**data)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def signature(self) -> str:
        """A one-line provenance string, in the spirit of sacrebleu's signatures."""
        models = "+".join(f"{k}={v}" for k, v in sorted(self.models.items())) or "none"
        return f"recipe:{self.recipe}|models:{models}|chunks:{self.chunks}|truncated:{str(self.truncated).lower()}"

    def __str__(self) -> str:
        if self.error:
            return f"[{self.id or 'article'}] ERROR: {self.error}"
        lines = []
        title = self.title_en or (self.article.title if self.article else "")
        if title:
            lines.append(title)
        if self.summary_en:
            lines.append(textwrap.fill(self.summary_en, 100))
        if self.summary_vi:
            lines.append("VI: " + textwrap.fill(self.summary_vi, 96))
        lines.extend(f"note: {n}" for n in self.notes)
        lines.append(f"({self.signature()})")
        return "\n".join(lines)
