"""Which article sentences a summary sentence rests on.

* exact: the sentence is copied from the article (an extractive summary);
* lexical: a Vietnamese sentence, by the IDF-weighted syllables it shares with
  article sentences, greedily covering its words with at most three of them
  (together at least 35% of the sentence's word weight);
* translation: an English sentence, by the words it shares with the article's
  English translation (when the summary came with one);
* facts: an English sentence, by the article sentences that hold its numbers,
  dates and names;
* none: nothing to align by (an English sentence with no fact and no
  translation): sources stay empty, and that is not called a problem.
"""
from __future__ import annotations

import re

from viensum.check.index import ArticleIndex, Unit
from viensum.check.results import Source

MAX_SOURCES = 3
MIN_SCORE = 0.35     # the sources together must carry this share of the sentence's word weight
MIN_GAIN = 0.10      # each source must add this share
_WORD_RE = re.compile(r"\w+", re.UNICODE)


def exact_sources(text: str, index: ArticleIndex) -> list[Source]:
    """The article sentence(s) the sentence was copied from, if it was."""
    wanted = " ".join(text.split())
    for u in index.units:
        if wanted and (wanted == u.text or (len(wanted) > 20 and wanted in u.text)):
            return [Source(u.paragraph, u.sentence, 1.0)]
    return []


def lexical_sources(text: str, index: ArticleIndex, words_of=None) -> list[Source]:
    """Greedy cover of the sentence's words by article sentences (IDF weights)."""
    words = {w.lower() for w in _WORD_RE.findall(text)}
    weight = {w: index.idf.get(w, 1.0) for w in words}
    total = sum(weight.values()) or 1.0
    left, chosen = set(words), []
    units = index.units if words_of is None else [u for u in index.units if u.paragraph in index.translated]
    for _ in range(MAX_SOURCES):
        best, gain = None, 0.0
        for u in units:
            have = u.words if words_of is None else words_of(u)
            g = sum(weight[w] for w in left & have) / total
            if g > gain:
                best, gain = u, g
        if best is None or gain < MIN_GAIN:
            break
        chosen.append(Source(best.paragraph, best.sentence, round(gain, 3)))
        left -= best.words if words_of is None else words_of(best)
    return chosen if sum(s.score for s in chosen) >= MIN_SCORE else []


def translation_sources(text: str, index: ArticleIndex) -> list[Source]:
    """Through the article's English translation (paragraph level: sentence -1 means the whole paragraph)."""
    if not index.translated:
        return []
    found = lexical_sources(text, index, words_of=lambda u: index.translated.get(u.paragraph, frozenset()))
    return list({s.paragraph: Source(s.paragraph, -1, s.score) for s in found}.values())


def fact_sources(supports: list[list[Unit]]) -> list[Source]:
    """Greedy cover of the sentence's supported facts by the article sentences holding them."""
    left = [set(map(id, units)) for units in supports if units]
    by_id = {id(u): u for units in supports for u in units}
    chosen: list[Source] = []
    total = len(left)
    while left and len(chosen) < MAX_SOURCES:
        counts: dict[int, int] = {}
        for ids in left:
            for i in ids:
                counts[i] = counts.get(i, 0) + 1
        best = max(counts, key=lambda i: (counts[i], -by_id[i].paragraph))
        u = by_id[best]
        chosen.append(Source(u.paragraph, u.sentence, round(counts[best] / total, 3)))
        left = [ids for ids in left if best not in ids]
    return chosen
