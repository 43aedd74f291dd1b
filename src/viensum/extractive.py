"""Extractive Vietnamese summary: the article's most central, best-placed sentences.

This is the offline fallback (no model needed) and the Vietnamese side of the
cross-lingual recipe. Sentences are ranked by

* centrality: continuous LexRank (PageRank over cosine similarities of
  syllable unigram+bigram TF-IDF vectors; Vietnamese words are one to three
  syllables, so bigrams stand in for a word segmenter),
* similarity to the headline, which names what the article is about,
* a position prior, because news articles put the gist in the lead,

times a length factor that keeps captions, bylines and run-on lists out. That
score is then fused (reciprocal-rank fusion, :func:`fuse`) with two plain
orderings that news summaries follow: how much of what the article keeps
repeating a sentence covers (its content syllables that recur in the article)
and the lead (article order). A sentence the three agree on wins; a sentence
that only one of them likes (a short line that echoes the headline, a late
paragraph that repeats the story's names) needs the others' support. The top
sentences are picked greedily, skipping near-duplicates of those already
chosen, and returned in article order.

The work is bounded whatever the input: only the first ``MAX_SENTENCES``
sentences are ranked (the position prior would all but never pick a later
one), a run of text without sentence punctuation is cut into pieces of at most
``MAX_SENTENCE_CHARS``, and no more than their product of characters is ever
split or tokenised, so a 5 MB one-line "article" costs what a long real one does.
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
# Weights of the three orderings fused into the final one: the score above, content coverage, the lead.
# Chosen with the 13 cleaning-dev pages and the 5 seed articles, each left out in turn (docs/CLEANING.md).
FUSION = (3.0, 1.0, 1.0)
MIN_WORDS = 8          # shorter "sentences" are mostly captions, datelines, bylines
MAX_WORDS = 40         # longer ones cost precision and are often lists glued together
# LexRank compares every pair of sentences; the seeds have 6-15 sentences and the longest
# news features a few hundred, so this bounds the cost without touching real articles.
MAX_SENTENCES = 300
# the seeds' longest sentence is ~570 characters; longer "sentences" are unpunctuated dumps
MAX_SENTENCE_CHARS = 1000
_BLOCK = 2048          # terms per block of the sentence-term matrix (bounds its memory)


def extract(article_or_text: Article | str, n: int = 3) -> list[str]:
    """Return the ``n`` best sentences of the article, in article order."""
    title, paragraphs = _parts(article_or_text)
    sentences = candidate_sentences(paragraphs)
    if n <= 0 or not sentences:
        return []
    if len(sentences) <= n:
        return sentences
    scores, vectors = rank(sentences, title)
    fused = fuse([scores, coverage(sentences), [-float(i) for i in range(len(sentences))]], FUSION)
    chosen: list[int] = []
    for i in sorted(range(len(sentences)), key=lambda k: (-fused[k], k)):
        if any(_cosine(vectors[i], vectors[j]) > REDUNDANCY for j in chosen):
            continue
        chosen.append(i)
        if len(chosen) == n:
            break
    return [sentences[i] for i in sorted(chosen)]


def candidate_sentences(paragraphs: Sequence[str]) -> list[str]:
    """The sentences the ranker considers, in article order: at most ``MAX_SENTENCES``,
    each at most ``MAX_SENTENCE_CHARS`` long, each a piece of the article's text."""
    out: list[str] = []
    budget = MAX_SENTENCES * MAX_SENTENCE_CHARS  # characters still worth splitting
    for paragraph in paragraphs:
        if budget <= 0:
            break
        part = paragraph[:budget]
        budget -= len(part)
        for sentence in split_sentences(part):
            out.extend(_pieces(sentence))
            if len(out) >= MAX_SENTENCES:
                return out[:MAX_SENTENCES]
    return out


def _pieces(sentence: str) -> list[str]:
    """An over-long sentence as pieces of at most MAX_SENTENCE_CHARS, cut at spaces where there are any."""
    pieces = []
    start = 0
    while len(sentence) - start > MAX_SENTENCE_CHARS:
        cut = sentence.rfind(" ", start + 1, start + MAX_SENTENCE_CHARS + 1)
        if cut <= start:
            cut = start + MAX_SENTENCE_CHARS
        pieces.append(sentence[start:cut].strip())
        start = cut
    pieces.append(sentence[start:].strip())
    return [p for p in pieces if p]


def rank(sentences: Sequence[str], title: str = "") -> tuple[list[float], list[dict[str, float]]]:
    """Score each sentence (higher is better); also return their TF-IDF vectors."""
    bags = [_features(s) for s in sentences]
    df = Counter(term for bag in bags for term in bag)
    n = len(sentences)
    idf = {term: math.log((n + 1) / (count + 1)) + 1.0 for term, count in df.items()}
    vectors = [_tfidf(bag, idf) for bag in bags]

    centrality = _scaled(_lexrank(vectors))
    title_vec = _tfidf(_features(title[:MAX_SENTENCE_CHARS]), idf) if title else {}
    title_sim = _scaled([_cosine(title_vec, v) for v in vectors])
    scores = []
    for i, sentence in enumerate(sentences):
        position = 1.0 / math.sqrt(i + 1)
        score = W_CENTRALITY * centrality[i] + W_TITLE * title_sim[i] + W_POSITION * position
        scores.append(score * _length_factor(sentence))
    return scores, vectors


def coverage(sentences: Sequence[str]) -> list[float]:
    """How much of what the article keeps repeating each sentence says: the sum over its distinct
    content syllables (stop words aside) of the log of how often the article uses them (a syllable
    used once adds nothing), times the length factor. A summary restates the story's recurring
    names, numbers and terms; chatter and asides use them little."""
    from viensum.text import stopwords

    stop = stopwords()
    bags = [set(words(s)) - stop for s in sentences]
    tf = Counter(w for s in sentences for w in words(s) if w not in stop)
    return [sum(math.log(tf[w]) for w in bag) * _length_factor(s) for bag, s in zip(bags, sentences)]


def fuse(orderings: Sequence[Sequence[float]], weights: Sequence[float]) -> list[float]:
    """Reciprocal-rank fusion: each item gets ``weight / rank`` (rank 1 = highest value, ties by
    position) from every ordering, summed. Ranks, not values, are added, so no signal's scale wins."""
    fused = [0.0] * len(orderings[0])
    for values, weight in zip(orderings, weights):
        for rank_, i in enumerate(sorted(range(len(values)), key=lambda k: (-values[k], k)), start=1):
            fused[i] += weight / rank_
    return fused


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
    sim = _similarities(vectors)
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


def _similarities(vectors: list[dict[str, float]]):
    """All-pairs cosine similarity (zero diagonal) as a sparse-times-sparse product.

    Only terms found in two sentences or more can make two sentences similar, so
    the others are left out; the rest go through the matrix product a block of
    terms at a time, which bounds the memory for adversarial input.
    """
    import numpy as np

    n = len(vectors)
    df = Counter(t for v in vectors for t in v)
    column = {t: k for k, t in enumerate(t for t, c in df.items() if c > 1)}
    rows, cols, vals = [], [], []
    for i, vec in enumerate(vectors):
        for t, w in vec.items():
            k = column.get(t)
            if k is not None:
                rows.append(i)
                cols.append(k)
                vals.append(w)
    rows_a, cols_a, vals_a = np.array(rows, dtype=int), np.array(cols, dtype=int), np.array(vals)
    sim = np.zeros((n, n))
    for start in range(0, len(column), _BLOCK):
        picked = (cols_a >= start) & (cols_a < start + _BLOCK)
        block = np.zeros((n, min(_BLOCK, len(column) - start)))
        block[rows_a[picked], cols_a[picked] - start] = vals_a[picked]
        sim += block @ block.T
    np.fill_diagonal(sim, 0.0)
    return sim


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
