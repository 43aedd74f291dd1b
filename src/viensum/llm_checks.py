"""Checks on what chat models write: strip their wrapping, and tell Vietnamese from English.

Instruction-tuned models wrap answers in thinking blocks, labels, markdown and
quotes, and sometimes answer in the wrong language; the chat recipe cleans
every answer here and falls back to the extractive summary when a check fails.
"""
from __future__ import annotations

import re

_THINK_RE = re.compile(r"<think>.*?(</think>|$)", re.S | re.I)
_LABEL_RE = re.compile(
    r"^\s*(?:(?:english|vietnamese|final)\s+)?(?:summary|tóm tắt|bản tóm tắt|title|headline|tiêu đề|"
    r"translation|bản dịch|answer|trả lời)\s*(?:\([^)]*\))?\s*[:：]\s*", re.I)
_MARKDOWN_LINE_RE = re.compile(r"^\s*(?:#{1,6}\s+|[-*•]\s+|\d+[.)]\s+|>\s*)")
_VI_LETTERS = set("àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ")


def clean_llm_output(text: str) -> str:
    """Strip what chat models wrap answers in: thinking blocks, labels, markdown, quotes."""
    text = _THINK_RE.sub("", text or "")
    lines = []
    for line in text.splitlines():
        line = _MARKDOWN_LINE_RE.sub("", line)
        line = line.replace("**", "").replace("__", "").replace("`", "")
        line = _LABEL_RE.sub("", line).strip()
        if line:
            lines.append(line)
    text = " ".join(" ".join(lines).split())
    while len(text) >= 2 and text[0] in "\"'“‘«" and text[-1] in "\"'”’»":
        text = text[1:-1].strip()
    return text


def _vi_ratio(text: str) -> float:
    tokens = re.findall(r"\w+", text.lower())
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if _VI_LETTERS.intersection(t)) / len(tokens)


def looks_vietnamese(text: str) -> bool:
    """Vietnamese prose marks most syllables with diacritics; English almost none."""
    return bool(text) and _vi_ratio(text) >= 0.35


def looks_english(text: str) -> bool:
    # names keep their diacritics in English text ("Lê Thị Thu Hằng"), hence the slack
    return bool(re.search(r"[A-Za-z]", text or "")) and _vi_ratio(text) < 0.3
