"""Extractive Vietnamese summary: the article's most central, best-placed sentences.

This is the offline fallback (no model needed) and the Vietnamese side of the
cross-lingual recipe. Sentences are ranked by

* centrality: continuous LexRank (PageRank over cosine similarities of
  syllable unigram+bigram TF-IDF vectors; Vietnamese words are one to three
  syllables, so bigrams stand in for a word segmenter),
* similarity to the headline, which names what the article is about,
* a position prior, because news articles put the gist in the lead,

times a length factor that keeps captions, bylines and run-on lists out. The
top sentences are picked greedily, skipping near-duplicates of those already
chosen, and returned in article order.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from viensum.results import Article
from viensum.text import split_sentences, words

# Weights of the three signals; each signal is scaled to [0, 1] first.
W_CENTRALITY = 0.35
W_TITLE = 0.30
W_POSITION = 0.35
DAMPING = 0.85
REDUNDANCY = 0.3       # cosine above which a candidate repeats a chosen sentence
MIN_WORDS = 8          # shorter "sentences" are mostly captions, datelines, bylines
MAX_WORDS = 40         # longer ones cost precision and are often lists glued together


def extract(article_or_text: Article | str, n: int = 3) -> list[str]:
    """Return the ``n`` best sentences of the article, in article order."""
    title, paragraphs = _parts(article_or_text)
    sentences = [s for p in paragraphs for s in split_sentences(p)]
    if n <= 0 or not sentences:
        return []
    if len(sentences) <= n:
        return sentences
    scores, vectors = rank(sentences, title)
    chosen: list[int] = []
    for i in sorted(range(len(sentences)), key=lambda k: (-scores[k], k)):
        if any(_cosine(vectors[i], vectors[j]) > REDUNDANCY for j in chosen):
            continue
        chosen.append(i)
        if len(chosen) == n:
            break
    return [sentences[i] for i in sorted(chosen)]


def rank(sentences: Sequence[str], title: str = "") -> tuple[list[float], list[dict[str, float]]]:
    """Score each sentence (higher is better); also return their TF-IDF vectors."""
    bags = [_features(s) for s in sentences]
    df = Counter(term for bag in bags for term in bag)
    n = len(sentences)
    idf = {term: math.log((n + 1) / (count + 1)) + 1.0 for term, count in df.items()}
    vectors = [_tfidf(bag, idf) for bag in bags]

    centrality = _scaled(_lexrank(vectors))
    title_vec = _tfidf(_features(title), idf) if title else {}
    title_sim = _scaled([_cosine(title_vec, v) for v in vectors])
    scores = []
    for i, sentence in enumerate(sentences):
        position = 1.0 / math.sqrt(i + 1)
        score = W_CENTRALITY * centrality[i] + W_TITLE * title_sim[i] + W_POSITION * position
        scores.append(score * _length_factor(sentence))
    return scores, vectors


def _parts(article_or_text: Article | str) -> tuple[str, list[str]]:
    if isinstance(article_or_text, Article):
        return article_or_text.title, list(article_or_text.paragraphs)
    blocks = [b.strip() for b in article_or_text.split("\n") if b.strip()]
    return "", blocks


def _features(text: str) -> Counter:
    tokens = words(text)
    bag = Counter(tokens)
    bag.update(f"{a} {b}" for a, b in zip(tokens, tokens[1:]))
    return bag


def _tfidf(bag: Counter, idf: dict[str, float]) -> dict[str, float]:
    # sublinear tf: a syllable repeated in one sentence ("di cư ... di cư") is not twice the evidence
    vec = {t: (1.0 + math.log(c)) * idf.get(t, 1.0) for t, c in bag.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _lexrank(vectors: list[dict[str, float]], iterations: int = 100) -> list[float]:
    import numpy as np

    n = len(vectors)
    sim = np.array([[_cosine(vectors[i], vectors[j]) if i != j else 0.0 for j in range(n)] for i in range(n)])
    out_weight = sim.sum(axis=1, keepdims=True)
    out_weight[out_weight == 0] = 1.0
    transition = sim / out_weight
    rank = np.full(n, 1.0 / n)
    for _ in range(iterations):
        new = (1 - DAMPING) / n + DAMPING * transition.T @ rank
        if np.abs(new - rank).max() < 1e-10:
            break
        rank = new
    return rank.tolist()


def _scaled(values: list[float]) -> list[float]:
    top = max(values, default=0.0)
    return [v / top for v in values] if top > 0 else [0.0] * len(values)


def _length_factor(sentence: str) -> float:
    count = len(words(sentence))
    factor = 1.0
    if count < MIN_WORDS:
        factor *= count / MIN_WORDS
    elif count > MAX_WORDS:
        factor *= MAX_WORDS / count
    # a news sentence ends in punctuation; photo captions and headings usually do not
    if not sentence.rstrip("\"”’»)]").endswith((".", "!", "?", "…")):
        factor *= 0.6
    return factor
