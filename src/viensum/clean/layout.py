"""Where the article is on the page: line weights, the main run of prose, teaser cards, the headline."""
from __future__ import annotations

from viensum.clean.classify import headline_shaped, is_byline, sentence_like, stoplist
from viensum.clean.lines import Line
from viensum.clean.rules import BULLET_RE, HEADLINE_MAX_WORDS


# --- the main run of prose ----------------------------------------------------------
# Each line gets a score from its own shape (words of prose count for it, chrome and
# section markers against it); the article body is the contiguous run of lines with
# the highest total (the maximum-sum segment). A related-links box between two
# paragraphs costs less than the prose that resumes after it, so the body goes on;
# a related list after the last paragraph only costs, so the body ends there.
BOX_MAX_LINES = 8  # a marker and its links inside the body
_W_MARKER, _W_FOOTER, _W_FORUM = -15.0, -40.0, -80.0
_W_CHROME, _W_LINK_RUN, _W_SHORT = -4.0, -3.0, -1.0
_W_ALONE, _NEAR = 0.5, 2
_PICTURE_REASONS = frozenset({"keyword list", "image alt text (numbered picture)"})
_LEAD_GAP = 8  # lines of page furniture allowed between the lead and the body
_PROSE_DENSITY = 0.3  # jusText Vietnamese stop words: article paragraphs have 0.3 and more


def _weights(lines: list[Line]) -> list[float]:
    # the short sentences among the lines that are not prose (captions, one-line paragraphs)
    said = [l.kind in ("caption", "line") and sentence_like(l) for l in lines]
    prose_words = sum(l.n_words for l in lines if l.kind == "prose")
    photo_words = sum(l.n_words for l, s in zip(lines, said) if s)
    photo = photo_words > prose_words  # a photo story: the captions carry the text
    links = _links_ahead(lines, said)
    out: list[float] = []
    run = 0  # length of the run of short non-sentence lines this line belongs to
    for i, line in enumerate(lines):
        k = line.kind
        if k == "prose":
            # prose is dense in function words; a run of names or keywords is not
            w = min(line.n_words, 80) * min(1.0, line.density / _PROSE_DENSITY)
        elif said[i]:
            w = line.n_words / (1.0 if photo else 3.0)
        elif k == "line":
            if run == 0:
                run = links[i]
            w = _W_LINK_RUN if run >= 3 and not BULLET_RE.match(line.text) and not line.extracted else _W_SHORT
        elif k == "marker":
            w = _W_MARKER
        elif k == "footer":
            w = _W_FOOTER
        elif k == "forum":
            w = _W_FORUM
        elif line.reason in _PICTURE_REASONS:
            w = _W_SHORT  # pictures belong to articles too: their residue is weak evidence either way
        else:
            w = _W_CHROME
        run = max(run - 1, 0) if k == "line" else 0
        out.append(w)
    # A paragraph alone among links (no other text within two lines) is a teaser card's blurb
    # more often than article prose: it counts half. Articles run paragraph after paragraph.
    # A marked box of links (a marker and the short lines after it) does not separate paragraphs.
    seq, in_box = [], False
    for i, line in enumerate(lines):
        in_box = line.kind == "marker" or (in_box and line.kind in ("line", "junk", "date"))
        if not in_box:
            seq.append(i)
    text = [out[i] > 0 for i in seq]  # halving a weight leaves it positive: these stay true below
    for pos, i in enumerate(seq):
        if text[pos] and True not in text[max(pos - _NEAR, 0):pos] and True not in text[pos + 1:pos + _NEAR + 1]:
            out[i] *= _W_ALONE
    return out


def _links_ahead(lines: list[Line], said: list[bool]) -> list[int]:
    """For each line, the short non-sentence lines (links) in the run of links, dates and junk that
    starts there: counted from the end of the page in one pass (looking ahead from every link of a
    long list, dates between its links, cost time quadratic in its length)."""
    ahead, count = [0] * len(lines), 0
    for j in range(len(lines) - 1, -1, -1):
        kind = lines[j].kind
        if kind in ("date", "junk") or kind == "line" and not said[j]:
            count += kind == "line"
        else:
            count = 0
        ahead[j] = count
    return ahead


def main_run(lines: list[Line]) -> tuple[int, int] | None:
    """``(start, end)`` of the maximum-sum run of line weights, or None when nothing scores."""
    best, best_span = 0.0, None
    weights = _weights(lines)
    for lo, hi in regions(lines):
        total, begin = 0.0, lo
        for i in range(lo, hi):
            if total <= 0:
                total, begin = 0.0, i
            total += weights[i]
            if total > best:
                best, best_span = total, (begin, i + 1)
    if best_span is None:
        return None
    # The lead often sits above a strip of page furniture (an audio player, a picture and its
    # credit): a paragraph a few chrome lines above the run, with no marker between, is its lead.
    start, end = best_span
    j = start - 1
    while j >= 0 and start - j <= _LEAD_GAP and lines[j].kind in ("line", "junk", "date", "source", "caption"):
        j -= 1
    if j >= 0 and start - j <= _LEAD_GAP and lines[j].kind == "prose":
        start = j
    return start, end


def regions(lines: list[Line]) -> list[tuple[int, int]]:
    """The page cut where an article certainly ends; the body is the best run inside one region.

    The end of an article shows on the page itself: after its last paragraph comes a stretch with no
    prose holding two section markers ("Từ khóa", "Tin liên quan", "Tin cùng chuyên mục"...), a
    closing signature ("Name/Agency/site") and a marker, or a run of headline-shaped lines (links); or
    a related box begins: a headline, the lead that retells it, then more headlines. What follows (teaser cards with their leads,
    a sidebar printing other articles in full) is other articles, however much prose it holds.
    """
    bounds = [0]
    paragraphs, markers, links, signed, after = 0, 0, 0, False, 0  # ``after``: the line after the last paragraph
    for i, line in enumerate(lines):
        if line.kind == "prose" and paragraphs >= 2 and i - 1 > bounds[-1] and _related_box(lines, i):
            bounds.append(i - 1)  # a related box whose first teaser has its full lead starts here
        if line.kind == "prose":
            paragraphs, markers, links, signed, after = paragraphs + 1, 0, 0, False, i + 1
            continue
        if line.kind in ("marker", "footer", "forum"):
            markers += 1
        elif line.kind != "line" or not paragraphs:
            pass
        elif paragraphs >= 2 and i - after < 3 and len(line.text) <= 60 and is_byline(line.text):
            signed = True  # a signature right under the last paragraph
        elif 4 <= line.n_words <= HEADLINE_MAX_WORDS and line.text[-1] not in ".,;:" and not BULLET_RE.match(line.text):
            links += 1  # headline-shaped: a link to another article
        ended = markers >= 2 or signed and markers or paragraphs >= 2 and links >= _LINKS_AFTER_THE_END
        if paragraphs and ended and after > bounds[-1]:
            bounds.append(after)
    return list(zip(bounds, bounds[1:] + [len(lines)]))


def mark_teasers(lines: list[Line]) -> None:
    """After a section marker, "link, teaser sentence" pairs are other articles, not this one.

    Anywhere, a blurb cut off with an ellipsis right under a headline-shaped line is a teaser card.
    """
    for i, line in enumerate(lines):
        if (line.kind == "prose" and i and line.text.endswith(("...", "…")) and lines[i - 1].kind == "line"
                and headline_shaped(lines[i - 1])):
            line.kind, line.reason = "teaser", "teaser of another article (blurb cut off under its link)"
    for i, line in enumerate(lines):
        if line.kind != "marker":
            continue
        pairs: list[int] = []
        j = i + 1
        while j < len(lines):
            # one to three short lines (the link, often twice: thumbnail and title; its date), then its text
            k = j
            while k < len(lines) and k - j < 3 and lines[k].kind in ("line", "date", "junk"):
                k += 1
            if k == j or k >= len(lines) or lines[k].kind != "prose":
                break
            pairs.append(k)
            j = k + 1
        if len(pairs) >= 2:
            for k in pairs:
                lines[k].kind, lines[k].reason = "teaser", f"teaser of another article (after {line.text!r})"
    _mark_cards(lines)


def _mark_cards(lines: list[Line]) -> None:
    """Cards of other articles with no marker above them: a headline and the lead that retells it.

    Three such cards in a row are a list of other articles (a sidebar printing them in full); an
    article's own sub-heading is followed by its section's paragraphs, not by another headline.
    """
    cards = [i for i in range(1, len(lines)) if lines[i].kind == "prose" and _card(lines, i)]
    chains: list[list[int]] = []  # cards two lines apart: headline, lead, headline, lead...
    for i in cards:
        if chains and chains[-1][-1] == i - 2:
            chains[-1].append(i)
        else:
            chains.append([i])
    for chain in chains:
        if len(chain) >= _CARDS_IN_A_ROW:
            for i in chain:
                lines[i].kind, lines[i].reason = "teaser", "teaser of another article (a headline and its lead)"


def _related_box(lines: list[Line], i: int) -> bool:
    """Line ``i`` is the full lead of a related box's first teaser: a card, then two more headlines."""
    return (_card(lines, i) and i + 2 < len(lines)
            and all(l.kind == "line" and headline_shaped(l) for l in lines[i + 1:i + 3]))


def _card(lines: list[Line], i: int) -> bool:
    """A headline-shaped line right above a paragraph that retells it."""
    above = lines[i - 1]
    if not (above.kind == "line" and headline_shaped(above)):
        return False
    content = set(above.words) - stoplist()
    return bool(content) and len(content.intersection(lines[i].words)) >= _ECHO * len(content)


_CARDS_IN_A_ROW = 3
_LINKS_AFTER_THE_END = 6  # headline-shaped lines with no paragraph between: a list of other articles
_ECHO = 0.5  # a teaser's lead repeats at least half of its headline's content words


def find_title(lines: list[Line], start: int) -> int:
    """The headline above the body, or -1.

    Among the headline-shaped lines a few lines above the body, the one whose content words
    the lead repeats most (a headline names what the lead tells), the nearest on a tie; with
    no such overlap, the nearest headline-shaped line above the body.
    """
    lead = {w for line in lines[start:start + 3] for w in line.words} - stoplist()
    best, best_score = -1, 0.0
    for i in range(start - 1, max(start - _TITLE_WINDOW, 0) - 1, -1):
        line = lines[i]
        if line.kind == "line" and headline_shaped(line):
            content = set(line.words) - stoplist()
            score = len(content & lead) / (len(content) or 1) - _TITLE_DISTANCE * (start - i)
            if best < 0 or score > best_score:
                best, best_score = i, score
    if best >= 0 and best_score > 0:
        return best
    for i in range(start - 1, -1, -1):
        if lines[i].kind == "line" and headline_shaped(lines[i]):
            return i
    return -1


_TITLE_WINDOW, _TITLE_DISTANCE = 16, 0.02
