"""viensum.check.names and the name judgement: diacritics, titles, gazetteer, unchecked names."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from viensum.check import check
from viensum.check.facts import fold
from viensum.check.names import find_names, is_vietnamese_syllable, place_forms
from viensum.results import Article

ARTICLE = Article("Hội nghị tại Geneva", [
    "Thứ trưởng Lê Thị Thu Hằng gặp Tổng Giám đốc IOM Amy Pope tại Geneva.",
    "Ủy ban Chứng khoán Nhà nước và VKSND TP.HCM làm việc với đại diện Trung Đông.",
])


def names(text, lang="en"):
    return [(f.text, f.unit) for f in find_names(text, lang)]


def test_fold():
    assert fold("Lê Thị Thu Hằng") == "le thi thu hang" and fold("Đà Nẵng") == "da nang"


def test_runs_titles_and_acronyms():
    assert names("IOM Director General Amy Pope said") == [("IOM", "acronym"), ("Amy Pope", "person")]
    assert names("Deputy Minister Le Thi Thu Hang met them") == [("Le Thi Thu Hang", "person")]
    assert names("Foreign investors bought VIC") == [("Foreign", "opening"), ("VIC", "acronym")]
    assert names("bà Rịa and Bà Rịa - Vũng Tàu", "vi") == [("Rịa", "person"), ("Bà Rịa", ""), ("Vũng Tàu", "")]


def test_vietnamese_syllables():
    assert all(is_vietnamese_syllable(w) for w in ["nguyen", "tuyet", "nghiem", "khuong", "mai"])
    assert not any(is_vietnamese_syllable(w) for w in ["geneva", "pope", "smith", "hanoi", "amy"])


def test_gazetteer_from_babel_and_file():
    assert ("viet", "nam") in place_forms(("vietnam",))[1]
    assert ("trung", "dong") in place_forms(("middle", "east"))[1]
    assert ("ha", "noi") in place_forms(("hanoi",))[1]


@pytest.mark.parametrize("summary", [
    "Deputy Minister Le Thi Thu Hang met Amy Pope in Geneva.",
    "Deputy Minister Lê Thị Thu Hằng met IOM's Amy Pope.",
    "Officials from the Middle East attended.",
    "The State Securities Commission and the Ho Chi Minh City procuracy (VKSND) met.",
])
def test_faithful_names_raise_nothing(summary):
    assert check(summary, ARTICLE).problems == []


@pytest.mark.parametrize("summary, wrong", [
    ("Deputy Minister Le Thi Lan met Amy Pope.", "Le Thi Lan"),
    ("Minister Le Thi Thu Hang met Amy Smith.", "Amy Smith"),
    ("The meeting was held in Thailand.", "Thailand"),
    ("The meeting was held in Vienna.", "Vienna"),
    ("Samsung attended.", "Samsung"),
    ("Bà Nguyễn Thị Lan gặp ông Amy Pope.", "Nguyễn Thị Lan"),
])
def test_changed_names_are_problems(summary, wrong):
    lang = "vi" if "gặp" in summary else "en"
    problems = check(summary, ARTICLE, lang=lang).problems
    assert [p.text for p in problems] == [wrong] and problems[0].kind == "name"


def test_translated_common_noun_name_is_unchecked_not_a_problem():
    result = check("The Ministry of Public Security and the People's Council met.", ARTICLE)
    assert result.problems == [] and result.sentences[0].unchecked


_SYLLABLES = ["Nguyễn", "Trần", "Lê", "Phạm", "Thị", "Văn", "Hằng", "Tuyết", "Đức", "Quốc", "Hưng", "Ánh"]


@given(st.lists(st.sampled_from(_SYLLABLES), min_size=2, max_size=4))
def test_a_vietnamese_name_matches_with_and_without_diacritics(words):
    name = " ".join(words)
    article = Article("", [f"Ông {name} phát biểu tại hội nghị."])
    plain = unicodedata.normalize("NFC", "".join(ch for ch in unicodedata.normalize("NFD", name.replace("Đ", "D"))
                                                 if not unicodedata.combining(ch)))
    assert check(f"Mr {plain} spoke at the meeting.", article).problems == []
    assert check(f"Ông {name} phát biểu.", article, lang="vi").problems == []


@pytest.mark.parametrize("summary, lang, message", [
    ("", "en", "the summary is empty"), ("x. " * 10_000, "en", "at most 20,000"), (b"bytes", "en", "must be text"),
    ("A summary.", "fr", "lang must be one of en, vi"),
])
def test_bad_input_is_a_typed_error(summary, lang, message):
    from viensum.errors import InputError

    with pytest.raises(InputError, match=message):
        check(summary, ARTICLE, lang=lang)
