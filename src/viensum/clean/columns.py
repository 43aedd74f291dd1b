"""A text-mode browser's layout undone: side-by-side table cells read column by column, and
paragraphs it wrapped inside narrow cells joined back into one line each."""
from __future__ import annotations

import bisect
import re
from collections import Counter

from viensum.clean.rules import ends_like_sentence


# A text-mode browser lays table cells side by side, padded with spaces: the article column
# and a sidebar share each printed line. Runs of ten or more spaces (or a tab) separate cells.
_CELL_RE = re.compile(r"[^\s\u00a0]+(?:[ \u00a0]{1,9}[^\s\u00a0]+)*")
_MIN_SIDE_CELLS = 3


def unfold_columns(raw_lines: list[str]) -> list[str]:
    """Read side-by-side cells column by column (left column first), keeping blank lines as breaks.

    Text with no side-by-side cells comes back unchanged.
    """
    if not _side_by_side(raw_lines):
        return raw_lines
    cells = [_cells(raw.expandtabs(8)) if raw.strip() else [] for raw in raw_lines]  # a blank line has none
    # A column starts where a cell starts that no other cell of a side-by-side row runs across:
    # centred text and wrapped lines start inside their column's cells, the next column after them.
    spans = sorted((s, s + len(t)) for row in cells if len(row) >= 2 for s, t in row)
    seconds = Counter(s for row in cells for s, _ in row[1:])  # cells printed beside another one
    bounds, reach, k = [0], 0, 0
    for start in sorted(s for s, c in seconds.items() if c >= 2):
        while k < len(spans) and spans[k][0] < start:
            reach = max(reach, spans[k][1])
            k += 1
        if reach <= start:
            bounds.append(start)
    column_of = {s: bisect.bisect_right(bounds, s) - 1 for row in cells for s, _ in row}
    col = len(bounds) - 1
    streams: list[list[str]] = [[] for _ in range(col + 1)]
    for row in cells:
        used = set()
        for s, text in row:
            streams[column_of[s]].append(text)
            used.add(column_of[s])
        for c, stream in enumerate(streams):
            if c not in used and stream and stream[-1]:
                stream.append("")  # a blank in this column: a paragraph break
    return [line for stream in streams for line in stream]


_GAP = " " * 10
_GAP_RE = re.compile(_GAP + "+")  # no cell runs across ten spaces


def _cells(raw: str) -> list[tuple[int, str]]:
    """``(start, text)`` of each _CELL_RE match in the line. The pattern is tried only between the runs of
    ten or more spaces that pad the cells (a text browser's dump is mostly spaces; the pattern, tried
    at every one of them, cost more than the rest of the page's cleaning)."""
    cells, pos = [], 0
    gaps = [(gap.start(), gap.end()) for gap in _GAP_RE.finditer(raw)] if _GAP in raw else []
    for end, after in [*gaps, (len(raw), len(raw))]:
        piece = raw[pos:end]
        if piece.isprintable():  # no space but " " (no tab, no-break space...), no run of ten: one cell at most
            text = piece.strip(" ")
            if text:
                cells.append((pos + len(piece) - len(piece.lstrip(" ")), text))
        else:
            cells += [(m.start(), m.group()) for m in _CELL_RE.finditer(raw, pos, end)]
        pos = after
    return cells


def _side_by_side(raw_lines: list[str]) -> bool:
    """At least _MIN_SIDE_CELLS lines hold a run of spaces or a tab inside their text."""
    found = 0
    for raw in raw_lines:
        if "   " in raw or "\t" in raw:  # the cheap test first: most lines have neither
            text = raw.strip()
            if "   " in text or "\t" in text:
                found += 1
                if found >= _MIN_SIDE_CELLS:
                    return True
    return False


_WRAP_MAX_WIDTH, _WRAP_MIN_LINES = 80, 3


def unwrap(raw_lines: list[str]) -> list[str]:
    """Join a paragraph a text-mode browser wrapped in a narrow cell back into one line.

    A block of three or more lines with no blank line between, none but the last ending a sentence,
    the last ending one, each line broken where the next word would not fit the block's width (the
    longest line, at most 80 characters): one paragraph, whatever case the next line starts with
    (Vietnamese wraps before capitalised names as often as not). Other text is unchanged.
    """
    out: list[str] = []
    block: list[str] = []  # the raw lines since the last blank one
    for raw in [*raw_lines, ""]:
        if raw.strip():
            block.append(raw)
            continue
        texts = [b.strip() for b in block] if len(block) >= _WRAP_MIN_LINES else []
        out.extend([" ".join(texts)] if texts and _wrapped(texts) else block)
        block = []
        out.append(raw)
    return out[:-1]


def _wrapped(texts: list[str]) -> bool:
    if len(texts) < _WRAP_MIN_LINES or not ends_like_sentence(texts[-1]) or texts[-1].endswith(":"):
        return False
    width = max(len(t) for t in texts)
    return width <= _WRAP_MAX_WIDTH and all(
        len(a.split()) >= 2 and not ends_like_sentence(a) and len(a) + 1 + len(b.split()[0]) > width
        for a, b in zip(texts, texts[1:]))
