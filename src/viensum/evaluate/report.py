"""The score report: means with bootstrap intervals, per-document scores, signatures; as a table,
JSON or a chart."""
from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from viensum.errors import InputError
from viensum.evaluate.metrics import score_columns
from viensum.inputs import printable

LENGTH_METRICS = ("pred_words", "ref_words", "src_words", "compression")
LENGTH_LABELS = {"pred_words": "words (prediction)", "ref_words": "words (reference)",
                 "src_words": "words (source)", "compression": "compression"}


def labels() -> dict[str, str]:
    """Every column's label: each metric class says its own (metrics.py), then the lengths."""
    return {**{column: label for column, (label, _) in score_columns().items()}, **LENGTH_LABELS}


# the built-in metrics' columns and labels, for callers that list them (the app's tables)
SCORE_METRICS = tuple(score_columns())
LABELS = labels()


@dataclass
class ScoreReport:
    """Scores of a set of predictions against references; ``print(report)`` shows a table."""

    lang: str
    ids: list[str]
    means: dict[str, float | None]
    ci: dict[str, tuple[float, float]]
    per_document: list[dict[str, Any]]
    signature: dict[str, str]
    settings: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    # ids found on one side only, left out of the scores: {"no_reference": [...], "no_prediction": [...]}
    unmatched: dict[str, list[str]] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.ids)

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["ci"] = {k: list(v) for k, v in self.ci.items()}
        data["n"] = self.n
        return data

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def __str__(self) -> str:
        n_refs = sorted({d["n_refs"] for d in self.per_document})
        refs = str(n_refs[0]) if len(n_refs) == 1 else f"{n_refs[0]}-{n_refs[-1]}"
        lines = [f"{self.n} documents, lang={self.lang}, references per document: {refs}", "",
                 f"{'metric':<20}{'mean':>9}   95% CI"]
        names = labels()
        for key in (*score_columns(), *LENGTH_METRICS):
            if key not in self.means:
                continue
            mean = self.means[key]
            digits = 3 if key == "compression" else 2
            if mean is None:
                lines.append(f"{names[key]:<20}{'-':>9}")
                continue
            ci = self.ci.get(key)
            ci_text = f"[{ci[0]:.{digits}f}, {ci[1]:.{digits}f}]" if ci else ""
            lines.append(f"{names[key]:<20}{mean:>9.{digits}f}   {ci_text}")
        cols = [k for k in score_columns() if self.means.get(k) is not None] + ["pred_words"]
        width = max([len(i) for i in self.ids] + [8])
        lines += ["", "per document:", f"{'id':<{width}}" + "".join(f"{_short(k):>8}" for k in cols)]
        for doc in self.per_document:
            cells = "".join(f"{_fmt(doc.get(k)):>8}" for k in cols)
            lines.append(f"{doc['id']:<{width}}{cells}")
        lines += ["", "signatures:"] + [f"  {k}: {v}" for k, v in self.signature.items()]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def plot(self, path: str | os.PathLike) -> Path:
        """Bar chart of the metric means with their 95% CI, one dot per document; writes a PNG.

        The chart is drawn on a bare ``matplotlib.figure.Figure`` (no pyplot, so the
        caller's backend and open figures are left alone) and written atomically:
        into a temporary file beside ``path``, renamed over it once complete.
        """
        from matplotlib.figure import Figure

        path = check_chart_path(path)
        keys = [k for k in score_columns() if self.means.get(k) is not None]
        fig = Figure(figsize=(1.4 * len(keys) + 2, 4.5))
        ax = fig.subplots()
        xs = range(len(keys))
        means = [self.means[k] for k in keys]
        errs = [[m - self.ci[k][0] if k in self.ci else 0 for k, m in zip(keys, means)],
                [self.ci[k][1] - m if k in self.ci else 0 for k, m in zip(keys, means)]]
        ax.bar(xs, means, yerr=errs, capsize=4, color="#8fb3d9", edgecolor="#2c5d8a", label="mean (95% CI)")
        for x, k in zip(xs, keys):
            vals = [d[k] for d in self.per_document if d.get(k) is not None]
            offsets = [((i % 7) - 3) * 0.04 for i in range(len(vals))]  # spread, deterministic
            ax.scatter([x + o for o in offsets], vals, s=12, color="#1b1b1b", zorder=3,
                       label="documents" if x == 0 else None)
        ax.set_xticks(list(xs), [labels()[k] for k in keys])
        ax.set_ylim(0, 100)
        ax.set_ylabel("score (0-100)")
        ax.set_title(f"viensum evaluate: {self.n} documents, lang={self.lang}")
        ax.legend(loc="upper right", fontsize=8)
        fig.tight_layout()
        from viensum.outputs import atomic_path

        with atomic_path(path) as tmp:  # a failed write leaves an existing chart as it was
            fig.savefig(tmp, dpi=100, format="png")
        return path


def check_chart_path(path: str | os.PathLike) -> Path:
    """Refuse, before any work, a chart path that cannot take a regular file (a folder, /dev/full)."""
    path = Path(path)
    if path.exists() and not path.is_file():
        raise InputError(f"cannot write the chart to {printable(path)}: not a regular file")
    if not path.parent.is_dir():
        raise InputError(f"cannot write the chart to {printable(path)}: no such folder")
    return path


def _short(key: str) -> str:
    shorts = {column: short for column, (_, short) in score_columns().items()}
    return {**shorts, "pred_words": "words"}.get(key, key)


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    return f"{value:.2f}"
