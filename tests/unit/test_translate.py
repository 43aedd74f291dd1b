"""Full translation: sentence by sentence, long sentences in clauses, paragraphs aligned."""
from __future__ import annotations

import pytest

from viensum.backends import load_backend
from fakes import FAIL_MARKER
from viensum.errors import InputError, ModelNotAvailable
from viensum.results import Article
from viensum.text import split_sentences
from viensum.translate import as_article, split_to_fit, translate

LONG = ("Thứ trưởng khẳng định chính sách nhất quán của Việt Nam là thúc đẩy di cư hợp pháp, an toàn và trật tự, "
        "phòng, chống di cư trái phép và mua bán người, bảo vệ quyền và lợi ích chính đáng của người di cư, "
        "đồng thời đề nghị các cơ quan liên quan tăng cường phối hợp; tiếp tục rà soát các thách thức nổi lên, "
        "chia sẻ kinh nghiệm, nâng cao năng lực quản trị di cư và xây dựng cơ sở dữ liệu về di cư trong thời gian tới.")


@pytest.fixture
def translator(fake_recipes):
    backend = load_backend("fake-translator")
    backend.calls.clear()
    return backend


def _article() -> Article:
    return Article(
        title="IOM tiếp tục hỗ trợ Việt Nam",
        paragraphs=[
            "Chiều 11/11, tại Hà Nội, Thứ trưởng tiếp bà Kendra Rinas. Hai bên trao đổi về hợp tác.",
            LONG,
            "Bà Kendra Rinas cảm ơn Thứ trưởng.",
        ],
    )


def test_paragraphs_align_with_their_source(translator):
    article = _article()
    result = translate(article, model="fake-translator")
    assert len(result.paragraphs) == len(article.paragraphs)
    assert [p.vi for p in result.paragraphs] == article.paragraphs
    assert result.title_vi == article.title
    assert result.title_en == "[en] " + article.title
    # every sentence translated on its own, in order
    first = result.paragraphs[0].en
    assert first == "[en] Chiều 11/11, tại Hà Nội, Thứ trưởng tiếp bà Kendra Rinas. [en] Hai bên trao đổi về hợp tác."
    assert result.paragraphs[2].en == "[en] Bà Kendra Rinas cảm ơn Thứ trưởng."
    assert result.model == "fake/fake-translator"
    assert result.sentences == sum(len(split_sentences(p)) for p in article.paragraphs)


def test_all_sentences_go_in_one_batched_call(translator):
    translate(_article(), model="fake-translator", batch_size=64)
    assert len(translator.calls) == 1
    assert len(translator.calls[0]) >= 1 + 4  # title + the four sentences (the long one in pieces)


def test_long_sentence_is_split_at_clauses_to_fit_and_nothing_is_lost(translator):
    assert translator.count_tokens(LONG) > translator.max_input_tokens
    result = translate(Article(title="", paragraphs=[LONG]), model="fake-translator")
    sent = [t for call in translator.calls for t in call]
    assert all(translator.count_tokens(t) <= translator.max_input_tokens for t in sent)
    assert len(sent) >= 2
    assert result.paragraphs[0].en.replace("[en] ", "") == LONG


@pytest.mark.parametrize("limit", [5, 12, 25, 40, 1000])
def test_split_to_fit_keeps_every_word(limit):
    count = lambda text: len(text.split())  # noqa: E731
    pieces = split_to_fit(LONG, count, limit)
    assert " ".join(pieces) == LONG
    assert all(count(p) <= limit for p in pieces)
    if limit >= 25:  # room for the longest clause (22 words): every cut is at a clause boundary
        assert all(p.endswith((",", ";", ".")) for p in pieces)


def test_model_failure_surfaces_as_an_exception(translator):
    with pytest.raises(RuntimeError):
        translate(Article(title="", paragraphs=[f"Câu có lỗi {FAIL_MARKER}."]), model="fake-translator")


def test_as_article_reads_headline_and_paragraphs():
    article = as_article("Tiêu đề bài báo\n\nĐoạn một có câu.\n\nĐoạn hai có câu.", clean=False)
    assert article.title == "Tiêu đề bài báo"
    assert article.paragraphs == ["Đoạn một có câu.", "Đoạn hai có câu."]
    with pytest.raises(InputError):
        as_article("   \n ", clean=False)


def test_non_translator_model_is_refused(fake_recipes):
    with pytest.raises(InputError):
        translate("Một câu.", model="fake-vi-summarizer")


def test_missing_translator_is_a_clean_error(tmp_path, monkeypatch):
    from viensum import backends

    monkeypatch.setenv("VIENSUM_MODELS_DIR", str(tmp_path))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    backends.clear_cache()
    with pytest.raises(ModelNotAvailable, match="viensum models download opus-mt-vi-en"):
        translate("Tiêu đề\n\nMột câu tiếng Việt.")


@pytest.mark.parametrize("given, cleaned", [({"clean": False}, False), ({}, True)])
def test_keywords_given_beside_options_override_them(translator, given, cleaned):
    """clean=False and batch_size=16 were dropped when options said otherwise (``if clean:`` / ``if batch_size != 16``)."""
    from viensum.options import Options

    page = "<html><body><article><h1>Tiêu đề bài báo</h1><p>Hà Nội là thủ đô của Việt Nam.</p>" \
           "<p>Giá xăng giảm mạnh trong tuần này.</p></article></body></html>"
    result = translate(page, "fake-translator", options=Options.make(clean=True, batch_size=4), batch_size=16, **given)
    assert translator.generate_kwargs[-1]["batch_size"] == 16  # what the model received
    sources = " ".join(p.vi for p in result.paragraphs)
    assert ("<p>" in sources) is not cleaned  # clean=False: the markup is the text, as asked


def test_options_alone_decide_clean_and_batch_size(translator):
    from viensum.options import Options

    translate(_article().text, "fake-translator", options=Options.make(clean=False, batch_size=3))
    assert translator.generate_kwargs[-1]["batch_size"] == 3
