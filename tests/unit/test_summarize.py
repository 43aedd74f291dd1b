"""summarize / iter_summarize with the fake backend: shapes, batching, chunking, failures, fallbacks."""
from __future__ import annotations

from pathlib import Path

import pytest

import viensum
from viensum import backends
from fakes import FAIL_MARKER
from viensum.errors import InputError, ModelNotAvailable
from viensum.generation import chunk_sentences
from viensum.llm_checks import clean_llm_output, looks_english, looks_vietnamese
from viensum.summarize import clear_cache, iter_summarize, resolve_recipe, summarize
from viensum.text import split_sentences

GOLD = Path(__file__).resolve().parents[1] / "data" / "gold"
FAKE_RECIPES = ["fake-two-stage", "fake-cross-lingual", "fake-chat", "fake-extractive"]
ENGLISH = ("Vietnam values the role of the International Organization for Migration\n\n"
           "The 114th session of the IOM Council took place in Geneva with representatives of 175 member states.\n\n"
           "Ambassador Le Thi Tuyet Mai led the Vietnamese delegation and praised the organisation's leading role "
           "in addressing migration issues. She said Vietnam is implementing the Global Compact on Migration.")


def _article(title: str, *sentences: str) -> str:
    return "\n\n".join([title, *sentences])


SHORT = [
    _article("Hà Nội tổ chức hội nghị về di cư", "Hội nghị về di cư an toàn diễn ra tại Hà Nội.",
             "Các đại biểu thảo luận về hợp tác quốc tế."),
    _article("IOM hỗ trợ Việt Nam", "Tổ chức Di cư quốc tế tiếp tục hỗ trợ Việt Nam.",
             "Hai bên cam kết tăng cường phối hợp."),
    _article("Lạng Sơn dự hội nghị", "Tỉnh Lạng Sơn cử đại diện dự hội nghị rà soát.",
             "Sở Ngoại vụ báo cáo kết quả triển khai."),
]


@pytest.fixture(autouse=True)
def fresh(fake_recipes):
    clear_cache()
    for name in ("fake-vi-summarizer", "fake-translator", "fake-en-summarizer", "fake-chat"):
        backends.load_backend(name).calls.clear()


def fake(name: str):
    return backends.load_backend(name)


def gold_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(GOLD.glob("*.txt"))]


def long_article() -> str:
    """All five gold articles as one: about 60 sentences, several longer than the fake's 64 tokens."""
    texts = gold_texts()
    title = texts[0].split("\n\n")[0]
    body = [p for t in texts for p in t.strip().split("\n\n")[1:]]
    return "\n\n".join([title, *body])


def test_one_text_gives_one_summary_a_list_gives_a_list_in_order():
    one = summarize(SHORT[0], "fake-two-stage", clean=False)
    assert isinstance(one, viensum.Summary) and one.ok
    many = summarize(SHORT, "fake-two-stage", clean=False, ids=["a", "b", "c"])
    assert [s.id for s in many] == ["a", "b", "c"]
    assert [s.article.title for s in many] == [t.split("\n\n")[0] for t in SHORT]
    assert many[0].summary_vi == one.summary_vi
    assert summarize([], "fake-two-stage") == []


def test_summary_carries_models_settings_and_provenance():
    s = summarize(SHORT[0], "fake-two-stage", clean=False, translate=True, sentences=2)
    assert s.recipe == "fake-two-stage"
    assert s.models == {"summarizer_vi": "fake/fake-vi-summarizer", "translator": "fake/fake-translator"}
    assert s.settings["sentences"] == 2 and s.settings["translate"] is True  # the record of the options, and
    translated = {t for call in fake("fake-translator").calls for t in call}
    assert set(s.article.paragraphs) <= translated  # translate=True reached the translator: every paragraph
    assert s.title_en == "[en] Hà Nội tổ chức hội nghị về di cư"
    assert s.summary_vi == "Hội nghị về di cư an toàn diễn ra tại Hà Nội."  # the fake keeps the first sentence
    assert s.summary_en == "[en] Hội nghị về di cư an toàn diễn ra tại Hà Nội."
    assert len(s.translation.paragraphs) == len(s.article.paragraphs) == 2
    assert {"clean", "summarize", "translate", "total"} <= set(s.timings)
    assert s.chunks == 1 and s.truncated is False
    assert s.to_dict()["summary_en"] == s.summary_en


@pytest.mark.parametrize("sentences", [1, 2])
def test_the_summary_length_reaches_the_models_that_take_it(sentences):
    """``sentences`` as the models receive it (two-stage and cross-lingual only cut the model's output, and
    the fake writes one sentence): the chat model's prompts, and the extractive sentences the translator gets."""
    text = gold_texts()[0]
    summarize(text, "fake-chat", sentences=sentences, cache=False)
    prompts = [t for call in fake("fake-chat").calls for t in call]
    assert any(p.startswith(f"Tóm tắt {sentences} câu.") for p in prompts)
    assert any(p.startswith(f"Summarise in {sentences} sentences.") for p in prompts)
    fake("fake-translator").calls.clear()
    s = summarize(text, "fake-extractive", sentences=sentences, cache=False)
    call = fake("fake-translator").calls[0]  # the headline, then each extracted sentence (then the checks' calls)
    assert call[0] == s.article.title and len(call) == 1 + sentences
    assert all(sentence in s.article.text for sentence in call[1:])


def test_several_articles_share_each_generate_call():
    summarize(SHORT, "fake-two-stage", clean=False, batch_size=8)
    summarizer, translator = fake("fake-vi-summarizer"), fake("fake-translator")
    assert len(summarizer.calls) == 1 and len(summarizer.calls[0]) == 3
    assert len(translator.calls) == 1
    titles = {t.split("\n\n")[0] for t in SHORT}
    assert titles <= set(translator.calls[0])  # every article's headline in the one call


def test_batch_size_bounds_each_model_batch():
    summarize(SHORT * 3, "fake-two-stage", clean=False, batch_size=2, cache=False)
    assert max(len(c) for c in fake("fake-vi-summarizer").calls) <= 2


def test_long_article_is_chunked_without_losing_or_repeating_a_sentence():
    text = long_article()
    s = summarize(text, "fake-two-stage", clean=False)
    assert s.ok and s.chunks > 1 and s.truncated is False
    backend = fake("fake-vi-summarizer")
    map_texts = [t for call in backend.calls for t in call][: s.chunks]
    assert all(backend.count_tokens(t) <= backend.max_input_tokens for t in map_texts)
    # the chunks, put back in article order, spell the body exactly: no sentence lost or repeated
    body = " ".join(" ".join(s.article.paragraphs).split())
    remaining, pos = list(map_texts), 0
    while remaining:
        starting_here = [t for t in remaining if body.startswith(t, pos)]
        assert starting_here, f"no chunk continues the body at {body[pos:pos + 60]!r}"
        chunk = max(starting_here, key=len)
        remaining.remove(chunk)
        pos += len(chunk) + 1
    assert pos == len(body) + 1
    assert len(split_sentences(s.summary_vi)) <= 3


@pytest.mark.parametrize("template, rounds", [
    ("Đại biểu {i} phát biểu.", 1),                       # 5 chunk summaries fit in one reduce input
    ("Đại biểu số {i} phát biểu tại hội nghị này.", 2),   # they do not: reduce twice
])
def test_chunk_summaries_are_reduced_until_one_chunk_remains(template, rounds):
    sentences = [template.format(i=i) for i in range(60)]
    s = summarize(_article("Hội nghị lớn", *sentences), "fake-two-stage", clean=False)
    texts = [t for call in fake("fake-vi-summarizer").calls for t in call]
    map_texts, reduce_texts = texts[: s.chunks], texts[s.chunks:]
    assert s.chunks > 1 and not s.truncated
    assert len(reduce_texts) == rounds if rounds == 1 else len(reduce_texts) > 1
    first_round = reduce_texts[:-1] if rounds > 1 else reduce_texts
    chunk_firsts = sorted(split_sentences(t)[0] for t in map_texts)
    assert sorted(x for t in first_round for x in split_sentences(t)) == chunk_firsts
    assert not any("combined" in n for n in s.notes)
    assert s.summary_vi == sentences[0]


def test_chunk_sentences_packs_in_order_and_splits_overlong_sentences():
    count = lambda text: len(text.split())  # noqa: E731
    sentences = [f"Câu số {i} có đúng bảy từ." for i in range(10)] + ["một, " * 30 + "hết."]
    chunks, overflow = chunk_sentences(sentences, lambda t: count(t) <= 20, count, 20)
    assert not overflow
    assert all(count(" ".join(c)) <= 20 for c in chunks)
    assert " ".join(" ".join(c) for c in chunks) == " ".join(sentences)
    assert [len(c) for c in chunks[:5]] == [2, 2, 2, 2, 2]


def test_chunk_sentences_reports_a_piece_that_cannot_fit():
    count = lambda text: len(text.split())  # noqa: E731
    chunks, overflow = chunk_sentences(["a" * 10], lambda t: len(t) <= 5, count, 0)
    assert overflow and chunks == [["a" * 10]]


@pytest.mark.parametrize("recipe", FAKE_RECIPES)
def test_a_failing_article_fails_alone(recipe):
    bad = _article(f"Tiêu đề hỏng {FAIL_MARKER}", f"Câu đầu tiên của bài hỏng {FAIL_MARKER}.",
                   f"Câu thứ hai của bài hỏng {FAIL_MARKER}.")
    good = summarize(SHORT, recipe, clean=False, cache=False)
    results = summarize([SHORT[0], bad, SHORT[1], SHORT[2]], recipe, clean=False, cache=False)
    assert [r.ok for r in results] == [True, False, True, True]
    assert "fake model failure" in results[1].error and "\n" not in results[1].error
    ok = [r for r in results if r.ok]
    assert [(r.summary_vi, r.summary_en, r.title_en) for r in ok] == [(r.summary_vi, r.summary_en, r.title_en)
                                                                      for r in good]


def test_bad_inputs_never_stop_a_batch():
    results = summarize(["", b"\x00\x01\x02\x03" * 64, ENGLISH, SHORT[0]], "fake-two-stage", clean=False)
    assert [r.ok for r in results] == [False, False, False, True]
    assert "empty" in results[0].error
    assert all(r.error and "\n" not in r.error for r in results[:3])


def test_non_vietnamese_is_flagged_and_not_translated():
    results = summarize([ENGLISH, SHORT[0]], "fake-two-stage")
    assert results[0].error.startswith("not Vietnamese: the text is English (detected 'en'")
    assert results[0].summary_en is None and results[0].translation is None
    sent = [t for call in fake("fake-translator").calls for t in call]
    assert not any("Geneva" in t for t in sent)
    assert results[1].ok


@pytest.mark.parametrize("recipe", FAKE_RECIPES)
def test_output_is_deterministic(recipe):
    texts = gold_texts()
    first = summarize(texts, recipe, cache=False, translate=True)
    second = summarize(texts, recipe, cache=False, translate=True)
    def strip(summary):  # everything but wall-clock times
        d = summary.to_dict()
        del d["timings"], d["translation"]["seconds"]
        return d

    assert [strip(s) for s in first] == [strip(s) for s in second]
    assert all(s.ok for s in first)


def test_cache_answers_a_repeated_article_without_the_models():
    first = summarize(SHORT[0], "fake-two-stage", clean=False)
    calls = len(fake("fake-vi-summarizer").calls)
    again = summarize(SHORT[0], "fake-two-stage", clean=False, ids=["again"])
    assert len(fake("fake-vi-summarizer").calls) == calls
    assert again.summary_en == first.summary_en and again.id == "again"
    assert any("reused" in n for n in again.notes) and not any("reused" in n for n in first.notes)
    other_settings = summarize(SHORT[0], "fake-two-stage", clean=False, sentences=1)
    assert len(fake("fake-vi-summarizer").calls) == calls + 1  # other settings: the models run again
    assert fake("fake-vi-summarizer").calls[-1] == fake("fake-vi-summarizer").calls[calls - 1]  # on this article
    assert not any("reused" in n for n in other_settings.notes)  # and the answer is that run's, not the cache's
    other_beams = summarize(SHORT[0], "fake-two-stage", clean=False, num_beams=2)
    assert len(fake("fake-vi-summarizer").calls) == calls + 2  # a setting the model receives: it got it
    assert fake("fake-vi-summarizer").generate_kwargs[-1]["num_beams"] == 2 and other_beams.ok
    summarize(SHORT[0], "fake-two-stage", clean=False, cache=False)
    assert len(fake("fake-vi-summarizer").calls) == calls + 3


def test_chat_output_in_the_wrong_language_falls_back_with_a_note():
    # the fake chat model answers every prompt with a Vietnamese sentence
    s = summarize(SHORT[0], "fake-chat", clean=False)
    assert s.ok and s.summary_vi
    assert any("English summary was empty or not English" in n for n in s.notes)
    assert s.summary_en.startswith("[en] ")  # the translated extractive summary
    assert s.title_en == "[en] Hà Nội tổ chức hội nghị về di cư"
    prompts = [t for call in fake("fake-chat").calls for t in call]
    assert any(p.startswith("Tóm tắt 3 câu.") for p in prompts)
    assert any(p.startswith("Summarise in 3 sentences.") for p in prompts)


def test_cross_lingual_takes_the_english_summary_from_its_model():
    s = summarize(SHORT[0], "fake-cross-lingual", clean=False)
    assert s.summary_en == "[en] Hội nghị về di cư an toàn diễn ra tại Hà Nội."
    assert s.summary_vi.startswith("Hội nghị về di cư")  # extractive
    assert s.title_en == "[en] Hà Nội tổ chức hội nghị về di cư"


@pytest.mark.parametrize("raw, expected", [
    ("Summary: Hội nghị diễn ra tại Hà Nội.", "Hội nghị diễn ra tại Hà Nội."),
    ("**Tóm tắt:** Hội nghị diễn ra.", "Hội nghị diễn ra."),
    ("<think>The user wants a summary.</think>\nThe meeting took place in Hanoi.", "The meeting took place in Hanoi."),
    ("<think>still thinking when the tokens ran out", ""),
    ('"Vietnam values IOM\'s role"', "Vietnam values IOM's role"),
    ("## English summary:\n- The meeting took place.\n- Delegates attended.", "The meeting took place. Delegates attended."),
    ("Title: “IOM continues to support Vietnam”", "IOM continues to support Vietnam"),
    ("   ", ""),
])
def test_clean_llm_output(raw, expected):
    assert clean_llm_output(raw) == expected


@pytest.mark.parametrize("text, vi, en", [
    ("Hội nghị về di cư an toàn diễn ra tại Hà Nội.", True, False),
    ("Deputy Minister Lê Thị Thu Hằng received Kendra Rinas in Hanoi on November 11.", False, True),
    ("", False, False),
    ("2024", False, False),
])
def test_language_checks(text, vi, en):
    assert looks_vietnamese(text) is vi
    assert looks_english(text) is en


def test_iter_summarize_reads_its_input_a_group_at_a_time():
    consumed = []

    def source():
        for i in range(7):
            consumed.append(i)
            yield SHORT[i % 3] + f"\n\nĐoạn bổ sung số {i} của bài viết."

    stream = iter_summarize(source(), "fake-two-stage", clean=False, group_size=2, ids=(f"n{i}" for i in range(7)))
    first = next(stream)
    assert first.id == "n0" and len(consumed) == 2
    rest = list(stream)
    assert [s.id for s in rest] == [f"n{i}" for i in range(1, 7)]


def test_progress_callable_sees_every_article():
    seen = []
    summarize(SHORT * 3, "fake-two-stage", clean=False, batch_size=1, progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, 9) and seen[-1] == (9, 9)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_model_names_map_to_recipes():
    assert resolve_recipe(None).name == "two-stage"
    assert resolve_recipe("opus-mt-vi-en").translator == "opus-mt-vi-en"
    assert resolve_recipe("envit5-translation").summarizer_vi == "vit5-base-vietnews"
    assert resolve_recipe("vit5-large-vietnews").summarizer_vi == "vit5-large-vietnews"
    assert resolve_recipe("mt5-crosssum-en").summarizer_en == "mt5-crosssum-en"
    assert resolve_recipe("qwen2.5-0.5b-instruct").chat == "qwen2.5-0.5b-instruct"
    with pytest.raises(InputError):
        resolve_recipe("no-such-model")


@pytest.fixture
def offline_store(tmp_path, monkeypatch):
    monkeypatch.setenv("VIENSUM_MODELS_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    backends.clear_cache()
    yield
    backends.clear_cache()


@pytest.mark.parametrize("model", ["two-stage", "vit5-base-vietnews", "opus-mt-vi-en", "cross-lingual"])
def test_missing_model_asked_by_name_is_a_clean_error(offline_store, model):
    with pytest.raises(ModelNotAvailable, match="viensum models download"):
        summarize(SHORT[0], model)


def test_offline_default_falls_back_to_extractive_with_a_plain_note(offline_store, seed_texts):
    results = summarize(list(seed_texts.values()))
    for s in results:
        assert s.ok and s.recipe == "extractive"
        assert s.summary_vi and s.summary_en is None and s.models == {}
        assert "English summary needs a translation model: viensum models download opus-mt-vi-en" in s.notes
        assert any("viensum models download vit5-base-vietnews" in n for n in s.notes)


def test_offline_extractive_by_name_also_works(offline_store, seed_texts):
    s = summarize(next(iter(seed_texts.values())), "extractive", translate=True)
    assert s.ok and s.summary_vi and s.translation is None
    assert any("full translation needs a translation model" in n for n in s.notes)
