"""The extractive summariser: what it returns, and that it beats the Lead-2 baseline."""
from __future__ import annotations

import statistics
from pathlib import Path

import pytest
from rouge_score import rouge_scorer

from viensum.clean import clean_article
from viensum.extractive import extract
from viensum.results import Article
from viensum.text import split_sentences, words

ROOT = Path(__file__).resolve().parents[2]
REFS = ROOT / "seeds" / "refs"
GOLD = ROOT / "tests" / "data" / "gold"


class VietnameseTokenizer:
    """rouge_score's default tokenizer drops every non-ASCII letter: keep the diacritics."""

    def tokenize(self, text: str) -> list[str]:
        return words(text)


def _sentences(article: Article) -> list[str]:
    return [s for p in article.paragraphs for s in split_sentences(p)]


def _gold_article(stem: str) -> Article:
    title, *paragraphs = (GOLD / f"{stem}.txt").read_text(encoding="utf-8").strip().split("\n\n")
    return Article(title=title, paragraphs=paragraphs)


def _mean_rouge(articles: dict[str, Article], system) -> dict[str, float]:
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=VietnameseTokenizer())
    scores: dict[str, list[float]] = {"rouge1": [], "rouge2": [], "rougeL": []}
    for stem, article in articles.items():
        reference = (REFS / f"{stem}.vi.txt").read_text(encoding="utf-8")
        result = scorer.score(reference, " ".join(system(article)))
        for key in scores:
            scores[key].append(result[key].fmeasure)
    return {key: statistics.mean(values) for key, values in scores.items()}


@pytest.mark.parametrize("source", ["clean_article", "gold"])
def test_extractive_beats_lead2_on_the_seeds(seed_files, source):
    if source == "gold":
        articles = {p.stem: _gold_article(p.stem) for p in seed_files}
    else:
        articles = {p.stem: clean_article(p.read_bytes()) for p in seed_files}
    ours = _mean_rouge(articles, lambda a: extract(a, n=3))
    lead2 = _mean_rouge(articles, lambda a: _sentences(a)[:2])
    assert statistics.mean(ours.values()) > statistics.mean(lead2.values()), (ours, lead2)
    assert ours["rouge2"] > lead2["rouge2"], (ours, lead2)


def test_returns_n_sentences_of_the_article_in_article_order(seed_files):
    article = clean_article(seed_files[0].read_bytes())
    sentences = _sentences(article)
    picked = extract(article, n=3)
    assert len(picked) == 3
    positions = [sentences.index(s) for s in picked]  # raises if a sentence was altered
    assert positions == sorted(positions)


def test_short_articles_come_back_whole_and_empty_gives_nothing():
    article = Article(title="Tiêu đề", paragraphs=["Câu thứ nhất rất ngắn. Câu thứ hai cũng ngắn."])
    assert extract(article, n=3) == ["Câu thứ nhất rất ngắn.", "Câu thứ hai cũng ngắn."]
    assert extract(Article(title="", paragraphs=[]), n=3) == []
    assert extract(article, n=0) == []


def test_near_duplicate_sentences_are_not_both_picked():
    lead = "Bộ Ngoại giao phối hợp với Tổ chức Di cư quốc tế tổ chức hội nghị rà soát Thỏa thuận GCM tại Hà Nội."
    article = Article(
        title="Hội nghị rà soát Thỏa thuận GCM tại Hà Nội",
        paragraphs=[
            lead,
            "Ngày 13/12, " + lead[0].lower() + lead[1:],
            "Dự hội nghị có khoảng 100 đại biểu đến từ các bộ, ngành và địa phương trên cả nước.",
            "Các đại biểu thảo luận về kế hoạch hợp tác với các đối tác quốc tế trong thời gian tới.",
        ],
    )
    picked = extract(article, n=2)
    assert len(picked) == 2
    assert sum(lead[:-1].lower() in s.lower() for s in picked) == 1


def test_plain_text_input_and_determinism(seed_texts):
    text = next(iter(seed_texts.values()))
    assert extract(text, n=3) == extract(text, n=3)
    assert all(s in " ".join(text.split()) for s in extract(text, n=3))


def _one_line_article(seed_texts, size: int) -> str:
    """The sample articles repeated on one line up to ``size`` bytes: thousands of real sentences."""
    text = " ".join(" ".join(t.split()) for t in seed_texts.values())
    repeated = " ".join([text] * (size // len(text.encode()) + 1))
    return repeated.encode()[:size].decode(errors="ignore")


def test_a_huge_one_line_article_is_ranked_within_the_caps(seed_texts, monkeypatch):
    import viensum.extractive as ex

    scored: list[int] = []
    real_rank = ex.rank
    monkeypatch.setattr(ex, "rank", lambda sentences, title="": scored.append(len(sentences)) or
                        real_rank(sentences, title))
    text = _one_line_article(seed_texts, 5_000_000)
    picked = ex.extract(text, n=3)
    assert scored == [ex.MAX_SENTENCES]
    assert len(picked) == 3 and all(s in text for s in picked)


@pytest.mark.parametrize("blob", ["a" * 3_000_000, "." * 3_000_000, "xin chào " * 300_000])
def test_unpunctuated_runs_are_cut_into_bounded_pieces_of_the_text(blob):
    from viensum.extractive import MAX_SENTENCE_CHARS, MAX_SENTENCES, candidate_sentences

    pieces = candidate_sentences([blob])
    assert 1 < len(pieces) <= MAX_SENTENCES
    assert all(0 < len(p) <= MAX_SENTENCE_CHARS and p in blob for p in pieces)
    picked = extract(blob, n=3)
    assert picked and all(len(s) <= MAX_SENTENCE_CHARS and s in blob for s in picked)


def test_many_paragraphs_stop_at_the_sentence_cap():
    from viensum.extractive import MAX_SENTENCES, candidate_sentences

    paragraphs = [f"Đoạn số {i} kể một chuyện khác hẳn các đoạn còn lại trong bài." for i in range(100_000)]
    assert candidate_sentences(paragraphs) == paragraphs[:MAX_SENTENCES]


def test_real_articles_are_not_touched_by_the_caps(seed_files):
    from viensum.extractive import candidate_sentences

    for path in seed_files:
        article = clean_article(path.read_bytes())
        assert candidate_sentences(article.paragraphs) == _sentences(article)


def test_a_long_run_of_full_stops_splits_in_linear_time():
    # the sentence regex used to rescan a run of marks from each position: 40 000 dots took ~30 s
    assert split_sentences("Mở đầu. " + "." * 200_000 + " Kết thúc.") == ["Mở đầu. " + "." * 200_000, "Kết thúc."]


def test_fusion_adds_ranks_not_values():
    from viensum.extractive import fuse

    # one ordering's huge value does not outweigh two orderings that agree on another item
    fused = fuse([[100.0, 1.0, 0.0], [0.0, 2.0, 1.0], [0.0, 2.0, 1.0]], [1.0, 1.0, 1.0])
    assert max(range(3), key=fused.__getitem__) == 1
    # the weights count: the first ordering three times over wins
    fused = fuse([[100.0, 1.0, 0.0], [0.0, 2.0, 1.0], [0.0, 2.0, 1.0]], [3.0, 1.0, 1.0])
    assert max(range(3), key=fused.__getitem__) == 0


def test_coverage_counts_the_content_syllables_the_article_repeats():
    from viensum.extractive import coverage

    sentences = ["Giá xăng RON 95 tăng 1.200 đồng mỗi lít từ chiều nay.",
                 "Đây là lần thứ ba giá xăng tăng trong tháng, theo liên Bộ Công Thương.",
                 "Trời mưa nhỏ ở nhiều nơi vào buổi tối và sáng sớm."]
    cov = coverage(sentences)
    assert cov[2] == 0.0  # none of its syllables recurs in the article
    assert cov[0] > 0 and cov[1] > 0

