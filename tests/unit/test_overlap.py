"""The two-stage recipe translates the summaries the summariser finished early while it works on the others."""
from __future__ import annotations

from fakes import FakeBackend

from viensum import Summarizer
from viensum.results import Article

# written for these tests: four short articles, two sentences each
ARTICLES = [Article(f"Tin số {k}", [f"Bài {k} nói về giá lúa ở tỉnh {k}. Nông dân {k} vui vì được mùa."])
            for k in range(4)]
ORIGINAL = FakeBackend.generate


def run(monkeypatch, streams: bool, articles=ARTICLES) -> tuple[list, list[tuple]]:
    """Summaries of ARTICLES with the fake models, and what the models received, in order.

    With ``streams``, the fake summariser tells ``early`` its first half of outputs before it
    returns, as the CTranslate2 backend does when a worker's batch finishes before the others."""
    events: list[tuple] = []

    def generate(self, texts, *, early=None, **kwargs):
        events.append(("call", self.spec.name, list(texts)))
        outputs = ORIGINAL(self, texts, **kwargs)
        if early is not None:
            events.append(("early", self.spec.name, len(texts) // 2))
            early({i: outputs[i] for i in range(len(texts) // 2)})
        events.append(("return", self.spec.name))
        return outputs

    monkeypatch.setattr(FakeBackend, "generate", generate)
    monkeypatch.setattr(FakeBackend, "streams", streams)
    summaries = Summarizer("fake-two-stage").summarize(articles, cache=False)
    return summaries, events


def outcome(summaries) -> list:
    return [(s.summary_vi, s.title_en, s.summary_en, s.notes, [c.problems for c in s.checks_en]) for s in summaries]


def test_finished_summaries_are_translated_while_the_summariser_still_runs(fake_recipes, monkeypatch):
    serial, serial_events = run(monkeypatch, streams=False)
    overlapped, events = run(monkeypatch, streams=True)
    assert outcome(overlapped) == outcome(serial) and all(s.ok for s in overlapped)
    start = events.index(("call", "fake-vi-summarizer", events[0][2]))
    told = next(i for i, e in enumerate(events) if e[0] == "early")
    returned = events.index(("return", "fake-vi-summarizer"))
    assert start < told < returned
    inside = [e for e in events[told:returned] if e[0] == "call"]
    # before the summariser returned: the first two articles' headlines and summary sentences, and the
    # headlines of the two it was still working on
    assert inside and inside[0][1] == "fake-translator"
    assert inside[0][2] == ["Tin số 0", "Bài 0 nói về giá lúa ở tỉnh 0.", "Tin số 1", "Bài 1 nói về giá lúa ở tỉnh 1.",
                            "Tin số 2", "Tin số 3"]
    after = [t for e in events[returned:] if e[0] == "call" and e[1] == "fake-translator" for t in e[2]]
    assert after == ["Bài 2 nói về giá lúa ở tỉnh 2.", "Bài 3 nói về giá lúa ở tỉnh 3."]  # nothing twice
    translated = sorted(t for e in events if e[0] == "call" and e[1] == "fake-translator" for t in e[2])
    assert translated == sorted(t for e in serial_events if e[0] == "call" and e[1] == "fake-translator"
                                for t in e[2])



def test_a_headline_the_translator_fails_on_in_the_early_call_fails_only_its_article(fake_recipes, monkeypatch):
    from fakes import FAIL_MARKER

    articles = list(ARTICLES)
    articles[1] = Article(f"Tin {FAIL_MARKER}", ARTICLES[1].paragraphs)
    serial, _ = run(monkeypatch, False, articles)
    overlapped, events = run(monkeypatch, True, articles)
    told = next(i for i, e in enumerate(events) if e[0] == "early")
    returned = events.index(("return", "fake-vi-summarizer"))
    assert any(e[0] == "call" and e[1] == "fake-translator" for e in events[told:returned])
    assert [s.ok for s in overlapped] == [True, False, True, True]
    assert "fake-translator" in overlapped[1].error
    assert outcome(overlapped) == outcome(serial)
