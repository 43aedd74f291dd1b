"""Summaries and translations carry per-sentence sources and checks; the repair of lost facts."""
from __future__ import annotations

import json

import pytest

from viensum.check.repair import lost_facts, protect, repair_translations
from viensum.check.trace import attach, pair_sentences
from viensum.render import summaries_jsonl, summary_markdown
from viensum.results import Article, Summary

# written for these tests
ARTICLE = Article("Khối ngoại mua ròng phiên 16/7", [
    "Phiên ngày 16/7, VN-Index tăng 25,36 điểm lên 1.853,08 điểm.",
    "Khối ngoại mua ròng 1,5 tỷ đồng. Ông Lê Văn Hưng cho rằng xu hướng tăng vẫn được giữ.",
])


class RecordingTranslator:
    """A translator that records every batch it receives and answers from a table (test code)."""

    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers
        self.received: list[list[str]] = []

    def __call__(self, texts: list[str]) -> list[str]:
        self.received.append(list(texts))
        return [self.answers[t] for t in texts]


def test_fake_two_stage_summary_every_sentence_has_sources(fake_recipes):
    import viensum

    s = viensum.summarize(ARTICLE, "fake-two-stage", sentences=2, translate=True)
    assert s.ok and s.checks_vi and s.checks_en
    assert all(c.sources for c in s.checks_vi + s.checks_en)
    assert [c.method for c in s.checks_vi] == ["exact"] * len(s.checks_vi)
    assert all(c.method == "translation" for c in s.checks_en)
    # the English sentence rests on the sources of the Vietnamese sentence it translates
    assert [c.sources for c in s.checks_en] == [c.sources for c in s.checks_vi]
    assert s.translation.checks and all(c.sources for c in s.translation.checks)
    assert "check" in s.timings


def test_extractive_sources_are_exact(fake_recipes):
    import viensum

    s = viensum.summarize(ARTICLE, "fake-extractive", sentences=3)
    assert len(s.checks_vi) == 3 and len(s.checks_en) == 3
    for c in s.checks_vi:
        (src,) = c.sources
        assert c.method == "exact" and c.text in ARTICLE.paragraphs[src.paragraph]


def test_records_and_markdown_carry_the_checks(fake_recipes):
    import viensum

    s = viensum.summarize(ARTICLE, "fake-two-stage", sentences=2)
    record = json.loads(summaries_jsonl([s]))
    assert record["checks_vi"][0]["sources"][0].keys() == {"paragraph", "sentence", "score"}
    assert {"text", "sources", "problems", "method"} <= record["checks_en"][0].keys()
    markdown = summary_markdown(s)
    assert "**Sources and checks**" in markdown and "¶" in markdown


def test_pair_sentences_by_position():
    assert pair_sentences(["a" * 10, "b" * 10], ["x" * 10, "y" * 10]) == [0, 1]
    assert pair_sentences(["a" * 10, "b" * 10], ["x" * 5, "y" * 5, "z" * 10]) == [0, 0, 1]


def test_lost_facts_and_placeholders():
    vi = "Khối ngoại mua ròng 1,5 tỷ đồng, ông Lê Văn Hưng nói."
    lost = lost_facts(vi, "Foreign investors bought 1,500 billion dong, Mr Le Van Hung said.")
    assert [f.text for f in lost] == ["1,5 tỷ đồng"]
    protected, forms = protect(vi, lost)
    assert protected == "Khối ngoại mua ròng ZQX0, ông Lê Văn Hưng nói." and forms == ["1.5 billion dong"]
    assert [f.text for f in lost_facts(vi, "Foreign investors bought 1.5 billion dong; Mr Le Hung said.")] == \
        ["Lê Văn Hưng"]


def test_repair_retries_with_the_fact_protected_and_reports_it():
    vi = ["Khối ngoại mua ròng 1,5 tỷ đồng.", "VN-Index tăng 25,36 điểm."]
    en = ["Foreign investors bought 1,500 billion dong.", "The VN-Index rose 25.36 points."]
    translator = RecordingTranslator({"Khối ngoại mua ròng ZQX0.": "Foreign investors net bought ZQX0."})
    fixed, repaired = repair_translations(vi, en, translator)
    assert translator.received == [["Khối ngoại mua ròng ZQX0."]]  # only the sentence that lost its number
    assert fixed == ["Foreign investors net bought 1.5 billion dong.", en[1]]
    assert "1,5 tỷ đồng" in repaired[0][0] and repaired[1] == []


def test_a_summary_is_repaired_before_it_is_flagged():
    summary = Summary(summary_vi="Khối ngoại mua ròng 1,5 tỷ đồng.", summary_en="Foreign investors bought 1,500 billion dong.")
    translator = RecordingTranslator({"Khối ngoại mua ròng ZQX0.": "Foreign investors bought ZQX0."})
    attach(summary, ARTICLE, kind="two-stage", translate=translator)
    assert summary.summary_en == "Foreign investors bought 1.5 billion dong."
    (check,) = summary.checks_en
    assert check.problems == [] and check.repaired and check.sources == summary.checks_vi[0].sources
    assert any(n.startswith("repaired: 1,5 tỷ đồng") for n in summary.notes)


def test_a_failed_repair_keeps_the_translation_and_flags_it():
    summary = Summary(summary_vi="Khối ngoại mua ròng 1,5 tỷ đồng.", summary_en="Foreign investors bought 1,500 billion dong.")
    translator = RecordingTranslator({"Khối ngoại mua ròng ZQX0.": "Foreign investors bought it."})  # placeholder lost
    attach(summary, ARTICLE, kind="two-stage", translate=translator)
    assert summary.summary_en == "Foreign investors bought 1,500 billion dong."
    (problem,) = summary.checks_en[0].problems
    assert problem.kind == "number" and problem.note == "the article says 1,5 tỷ đồng (1.5 billion dong)"


@pytest.mark.parametrize("kind", ["cross-lingual", "chat"])
def test_other_recipes_align_through_facts(kind):
    summary = Summary(summary_vi="Khối ngoại mua ròng 1,5 tỷ đồng.",
                      summary_en="The VN-Index rose 25.36 points on 16 July.")
    attach(summary, ARTICLE, kind=kind)
    (check,) = summary.checks_en
    assert check.method == "facts" and [s.paragraph for s in check.sources] == [0] and check.problems == []


def test_translate_carries_checks_per_sentence(fake_recipes):
    import viensum

    from viensum.text import split_sentences

    tr = viensum.translate(ARTICLE, "fake-translator")
    # the headline, then one check per English sentence, each resting on the paragraph it translates
    expected = [-1] + [i for i, p in enumerate(tr.paragraphs) for _ in split_sentences(p.en)]
    assert [c.sources[0].paragraph for c in tr.checks] == expected and len(expected) >= 3
    assert [c.text for c in tr.checks[1:]] == [s for p in tr.paragraphs for s in split_sentences(p.en)]
    assert all(c.method == "translation" for c in tr.checks)


def test_translation_markdown_says_what_was_checked(fake_recipes):
    import viensum
    from viensum.render import render_translation

    tr = viensum.translate(ARTICLE, "fake-translator")
    from viensum.check.results import Problem

    tr.checks[1].problems.append(Problem("number", "7", "", "the article has no 7"))
    md = render_translation(tr, "md")
    assert "**Checked against the article:** 1 fact could not be found in the article" in md
    assert "- ⚠ number: 7: the article has no 7" in md


def test_the_retries_of_a_group_reach_the_translator_in_one_call():
    """check_jobs asks the translator once for every article's retries, with the results of asking
    article by article."""
    from types import SimpleNamespace

    from viensum.check.trace import check_jobs

    def summaries():
        return [Summary(summary_vi="Khối ngoại mua ròng 1,5 tỷ đồng.",
                        summary_en="Foreign investors bought 1,500 billion dong."),
                Summary(summary_vi="VN-Index tăng 25,36 điểm.", summary_en="The VN-Index rose 2,536 points."),
                Summary(summary_vi="VN-Index tăng 25,36 điểm.", summary_en="The VN-Index rose 25.36 points.")]

    answers = {"Khối ngoại mua ròng ZQX0.": "Foreign investors bought ZQX0.",
               "VN-Index tăng ZQX0 điểm.": "The VN-Index rose ZQX0 points."}
    one_by_one, translator = summaries(), RecordingTranslator(answers)
    for summary in one_by_one:
        attach(summary, ARTICLE, kind="two-stage", translate=translator)
    assert len(translator.received) == 2  # the third summary lost nothing
    grouped, translator = summaries(), RecordingTranslator(answers)
    method = SimpleNamespace(kind="two-stage", gen=SimpleNamespace(backends={"translator": object()},
                                                                   translate_fn=lambda backend: translator))
    check_jobs([(summary, ARTICLE) for summary in grouped], method)
    assert translator.received == [["Khối ngoại mua ròng ZQX0.", "VN-Index tăng ZQX0 điểm."]]
    assert [s.summary_en for s in grouped] == [s.summary_en for s in one_by_one]
    assert [s.summary_en for s in grouped][0::2] == ["Foreign investors bought 1.5 billion dong.",
                                                     "The VN-Index rose 25.36 points."]
    assert grouped[1].summary_en != "The VN-Index rose 2,536 points."  # repaired
    assert [s.notes for s in grouped] == [s.notes for s in one_by_one]
    assert [[c.problems for c in s.checks_en] for s in grouped] == [[c.problems for c in s.checks_en] for s in one_by_one]


def test_a_failed_group_call_leaves_each_article_to_its_own_call():
    from types import SimpleNamespace

    from viensum.check.trace import check_jobs

    calls = []

    def translate(texts):
        calls.append(list(texts))
        if any("VN-Index" in t for t in texts):  # the second article's retry fails, alone or in the group
            raise RuntimeError("the batch failed")
        return ["Foreign investors bought ZQX0."]

    grouped = [Summary(summary_vi="Khối ngoại mua ròng 1,5 tỷ đồng.", summary_en="Foreign investors bought 1,500 billion dong."),
               Summary(summary_vi="VN-Index tăng 25,36 điểm.", summary_en="The VN-Index rose 2,536 points.")]
    method = SimpleNamespace(kind="two-stage", gen=SimpleNamespace(backends={"translator": object()},
                                                                   translate_fn=lambda backend: translate))
    check_jobs([(summary, ARTICLE) for summary in grouped], method)
    assert calls == [["Khối ngoại mua ròng ZQX0.", "VN-Index tăng ZQX0 điểm."], ["Khối ngoại mua ròng ZQX0."],
                     ["VN-Index tăng ZQX0 điểm."]]
    assert grouped[0].summary_en == "Foreign investors bought 1.5 billion dong."
    assert grouped[1].summary_en == "The VN-Index rose 2,536 points." and grouped[1].checks_en[0].problems


def test_a_group_is_checked_once_the_retries_found_without_a_rehearsal(monkeypatch):
    """check_jobs learns the retries from the summaries themselves (trace.retry_texts): each article is
    checked once (one index, one check per sentence), not once with a recorder and then again."""
    from types import SimpleNamespace

    from viensum.check import trace

    indexed = []
    real_index_of = trace.index_of
    monkeypatch.setattr(trace, "index_of", lambda work: indexed.append(work) or real_index_of(work))
    summaries = [Summary(summary_vi="Khối ngoại mua ròng 1,5 tỷ đồng.",
                         summary_en="Foreign investors bought 1,500 billion dong."),
                 Summary(summary_vi="VN-Index tăng 25,36 điểm.", summary_en="The VN-Index rose 25.36 points.")]
    assert trace.retry_texts(summaries[0], "two-stage") == ["Khối ngoại mua ròng ZQX0."]
    assert trace.retry_texts(summaries[1], "two-stage") == []  # nothing lost
    assert trace.retry_texts(summaries[0], "cross-lingual") == []  # not translated sentence by sentence
    translator = RecordingTranslator({"Khối ngoại mua ròng ZQX0.": "Foreign investors bought ZQX0."})
    method = SimpleNamespace(kind="two-stage", gen=SimpleNamespace(backends={"translator": object()},
                                                                   translate_fn=lambda backend: translator))
    trace.check_jobs([(summary, ARTICLE) for summary in summaries], method)
    assert len(indexed) == 2  # one index per article: the rehearsal built each twice
    assert translator.received == [["Khối ngoại mua ròng ZQX0."]]
    assert summaries[0].summary_en == "Foreign investors bought 1.5 billion dong."
