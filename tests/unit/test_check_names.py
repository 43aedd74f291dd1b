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


# ---- names a writer adds beside the article's own: a code's owner, a web address, a region, a derived word

STOCKS = Article("VN-Index tăng", [
    "Cổ phiếu VIC tăng 4,74% lên 256.100 đồng.",
    "Tổng Công ty Nước - Môi trường Bình Dương (BWE) đầu tư nhà máy.",
])


@pytest.mark.parametrize("summary, lang", [
    ("Vingroup's VIC share rose 4.74%.", "en"), ("VIC (Vingroup) rose 4.74%.", "en"),
    ("Vingroup (VIC) rose 4.74%.", "en"), ("Cổ phiếu VIC của Vingroup tăng 4,74%.", "vi"),
])
def test_the_owner_of_a_code_the_article_gives_is_unchecked(summary, lang):
    result = check(summary, STOCKS, lang=lang)
    assert result.problems == [] and result.sentences[0].unchecked == ["Vingroup"]


@pytest.mark.parametrize("summary, lang, wrong", [
    ("Vingroup's HPG share rose 4.74%.", "en", "HPG"),         # the code itself is still checked
    ("Vingroup rose 4.74%.", "en", "Vingroup"),                 # a name alone is not an owner
    ("Tổng Công ty Nước - Môi trường Quảng Ninh (BWE) đầu tư.", "vi", "Quảng Ninh"),  # a Vietnamese name in it is
    ("Binh Duong Water - Environment Corporation of Quang Ninh (BWE) invested.", "en", "Quang Ninh"),
])
def test_a_code_does_not_excuse_a_changed_name(summary, lang, wrong):
    assert any(wrong in p.text for p in check(summary, STOCKS, lang=lang).problems)


FORUM = Article("Xem quan hệ bạn bè trên Facebook", ["Gõ đường dẫn Fb.com/tinhte.vn để xem."])


@given(st.from_regex(r"[a-z]{3,10}", fullmatch=True), st.sampled_from(["vn", "com", "net"]))
def test_a_web_address_matches_in_any_case(label, tld):
    article = Article("Diễn đàn", [f"Bài viết trên trang {label}.{tld} về Facebook."])
    site = f"{label.capitalize()}.{tld}"
    assert check(f"A post on the {site} forum explains Facebook.", article).problems == []
    other = f"Q{label}.{tld}"
    assert [p.text for p in check(f"A post on the {other} forum explains Facebook.", article).problems] == [other]


def test_a_web_address_in_a_link_of_the_article():
    assert check("A post on the Tinhte.vn forum.", FORUM).problems == []
    assert check("Bài trên diễn đàn Tinhte.vn.", FORUM, lang="vi").problems == []
    assert [p.text for p in check("A post on the Voz.vn forum.", FORUM).problems] == ["Voz.vn"]


CHRISTMAS = Article("Đêm Giáng sinh", ["Xứ Nghệ mừng Giáng sinh trong giá rét.", "Người dân đất Bắc xuống phố.",
                                       "Dòng Chúa cứu thế ở Huế chật kín người."])


@pytest.mark.parametrize("summary, lang", [
    ("In Nghe An, despite the cold, crowds came out.", "en"), ("Người dân Nghệ An đón Giáng sinh.", "vi"),
    ("In Hue, crowds filled the Redemptorist church.", "en"),
])
def test_a_region_named_after_its_place_and_a_derived_english_word_pass(summary, lang):
    assert check(summary, CHRISTMAS, lang=lang).problems == []


@pytest.mark.parametrize("summary, lang, wrong", [
    ("In Thanh Hoa, despite the cold, crowds came out.", "en", "Thanh Hoa"),
    ("Người dân Nghệ Tĩnh đón Giáng sinh.", "vi", None),        # diacritics must agree: Nghệ = Nghệ (found)
    ("Người dân Nghi An đón Giáng sinh.", "vi", "Nghi An"),
    ("Người dân Bắc Ninh đón Giáng sinh.", "vi", "Bắc Ninh"),    # "đất Bắc" is a direction, not a place
    ("In Hue, crowds filled the Samsung church.", "en", "Samsung"),
])
def test_a_region_word_does_not_excuse_other_places(summary, lang, wrong):
    problems = [p.text for p in check(summary, CHRISTMAS, lang=lang).problems]
    assert problems == ([wrong] if wrong else [])


TOURISM = Article("Hà Nội đón khách", ["Hơn 1.200 du khách Trung Quốc, Hàn Quốc, Nhật Bản và Đức đến Hà Nội."])


@pytest.mark.parametrize("demonym", ["Chinese", "Korean", "Japanese", "German", "South Korean"])
def test_a_demonym_matches_its_country(demonym):
    assert check(f"More than 1,200 {demonym} tourists came to Hanoi.", TOURISM).problems == []
    assert check(f"More than 1,200 {demonym}s came to Hanoi.", TOURISM).problems == []  # the people


@pytest.mark.parametrize("demonym", ["Thai", "French", "Russian", "Indonesian", "Turkish"])
def test_a_demonym_of_a_country_the_article_does_not_name_is_a_problem(demonym):
    assert [p.text for p in check(f"More than 1,200 {demonym} tourists came to Hanoi.", TOURISM).problems] == [demonym]


def test_the_home_country_goes_without_saying():
    result = check("Vietnamese and Japanese tourists came to Hanoi.", TOURISM)
    assert result.problems == [] and result.sentences[0].unchecked == ["Vietnamese"]


CONGRESS = Article("Đại hội Đảng bộ TP.HCM lần thứ I", [
    "Đại hội đại biểu Đảng bộ TP.HCM lần thứ I khai mạc với 550 đại biểu.",
    "Quốc hội khóa XV sẽ họp; ông Nguyễn Văn Nên, Ủy viên Bộ Chính trị, phát biểu.",
])


@pytest.mark.parametrize("summary", [
    "The Ho Chi Minh City Party Committee's congress opened with 550 delegates.",  # a place inside a longer name
    "The 15th National Assembly will meet, said Politburo member Nguyen Van Nen.",  # "Quốc hội": first word capital
])
def test_names_written_the_vietnamese_way_are_found(summary):
    assert check(summary, CONGRESS).problems == []


@pytest.mark.parametrize("summary, wrong", [
    ("The Hai Phong City Party Committee's congress opened.", "Hai Phong City Party Committee"),
    ("The 16th National Assembly will meet.", "16th"),
])
def test_other_places_and_numbers_are_still_problems(summary, wrong):
    assert [p.text for p in check(summary, CONGRESS).problems] == [wrong]


def test_a_religion_matches_its_vietnamese_name():
    article = Article("Lễ Phật đản", ["Hàng nghìn Phật tử dự lễ tại chùa; giáo dân Công giáo cũng đến chúc mừng."])
    assert check("Thousands of Buddhists attended, and Catholics came to offer greetings.", article).problems == []
    assert [p.text for p in check("Many Muslims attended.", article).problems] == ["Muslims"]


EDUCATION = Article("Bộ Giáo dục và Đào tạo công bố lịch thi", [
    "Bộ Giáo dục và Đào tạo công bố lịch thi; Sở Giáo dục và Đào tạo Hà Nội đề nghị các trường chuẩn bị."])


@pytest.mark.parametrize("summary, lang", [
    ("Bộ GD-ĐT cho biết Sở GD&ĐT Hà Nội đề nghị các trường chuẩn bị.", "vi"),  # short forms leave out "và"
    ("Bộ GDĐT công bố lịch thi.", "vi"),
    ("The Ministry of Education and Training (MoET) announced the exam schedule.", "en"),  # defined by the summary
])
def test_short_forms_of_the_articles_names(summary, lang):
    assert check(summary, EDUCATION, lang=lang).problems == []


@pytest.mark.parametrize("summary, lang, wrong", [
    ("Bộ GD-TT cho biết.", "vi", "GD-TT"),
    ("The Ministry of Education and Training (MOIT) announced it.", "en", "MOIT"),
    ("The Ministry of Education and Training (NATO) announced it.", "en", "NATO"),
])
def test_a_short_form_of_nothing_in_the_article_is_a_problem(summary, lang, wrong):
    assert [p.text for p in check(summary, EDUCATION, lang=lang).problems] == [wrong]


def test_va_is_left_out_of_a_short_form_only_between_capitalised_words():
    article = Article("Hợp tác", ["Việt Nam và một số nước ký thỏa thuận với Bộ Giáo dục và Đào tạo."])
    assert [p.text for p in check("VNM signed the agreement.", article).problems] == ["VNM"]
    assert check("Bộ GDĐT ký thỏa thuận với một số nước.", article, lang="vi").problems == []


@pytest.mark.parametrize("label", ["qua", "qere", "news"])
def test_a_web_address_of_english_words_is_still_checked(label):
    # "Qua.vn" reads as English words ("qua", "vn"), but an address is a name: it must come from the article
    article = Article("Diễn đàn", [f"Bài viết trên trang {label[1:]}.vn về Facebook."])
    other = f"{label.capitalize()}.vn"
    assert [p.text for p in check(f"A post on the {other} forum explains Facebook.", article).problems] == [other]
