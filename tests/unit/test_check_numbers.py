"""viensum.check.numbers: layouts, scale words, number words, percent and currency."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viensum.check.numbers import find_numbers, parse_number


@pytest.mark.parametrize("raw, lang, value", [
    ("1.500", "vi", 1500), ("1,5", "vi", 1.5), ("1.853,08", "vi", 1853.08), ("25,36", "vi", 25.36),
    ("1,500.5", "en", 1500.5), ("1.500", "en", 1.5), ("1,500", "en", 1500), ("16.700.000", "vi", 16_700_000),
    ("4.74", "vi", 4.74), ("42", "en", 42),
])
def test_layouts(raw, lang, value):
    assert parse_number(raw, lang)[0] == pytest.approx(value)


@pytest.mark.parametrize("text, lang, value, unit", [
    ("vay 1,5 tỷ đồng", "vi", 1.5e9, "VND"), ("3,6 tỉ đồng", "vi", 3.6e9, "VND"),
    ("618,6 triệu đơn vị", "vi", 618.6e6, ""), ("2.000 nghìn tỷ", "vi", 2e15, ""), ("900 ngàn", "vi", 9e5, ""),
    ("1.5 billion dong", "en", 1.5e9, "VND"), ("$5m", "en", 5e6, "USD"), ("USD 2 million", "en", 2e6, "USD"),
    ("tăng 4,74%", "vi", 4.74, "%"), ("4.74 percent", "en", 4.74, "%"), ("gấp 4,6 lần", "vi", 4.6, "times"),
])
def test_scales_and_units(text, lang, value, unit):
    (fact,) = find_numbers(text, lang)
    assert fact.value == pytest.approx(value) and fact.unit == unit


@pytest.mark.parametrize("text, lang, value", [
    ("for two years", "en", 2), ("twenty-five people", "en", 25), ("the 114th session", "en", 114),
    ("trong hai năm", "vi", 2), ("mười hai người", "vi", 12), ("two million", "en", 2e6), ("một triệu", "vi", 1e6),
])
def test_number_words_and_ordinals(text, lang, value):
    assert [f.value for f in find_numbers(text, lang)] == [pytest.approx(value)]


def test_ranges_give_both_ends():
    assert [f.value for f in find_numbers("từ 5-7%", "vi")] == [5, 7]


def test_reading_for_the_reader():
    (fact,) = find_numbers("1,5 tỷ đồng", "vi")
    assert fact.reading == "1.5 billion dong"


def _layout(value: float, decimals: int, lang: str) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".") if lang == "vi" else text


@given(st.integers(0, 10**12), st.integers(0, 3), st.sampled_from(["vi", "en"]))
def test_any_number_in_its_language_layout_reads_back(whole, decimals, lang):
    value = whole / 10**decimals
    raw = _layout(value, decimals, lang)
    assert parse_number(raw, lang)[0] == pytest.approx(value)
    # the same number written the two ways reads the same (the heart of 1.500 vs 1,500)
    assert parse_number(_layout(value, decimals, "vi"), "vi")[0] == pytest.approx(parse_number(
        _layout(value, decimals, "en"), "en")[0])


# ---- what a number measures: 2.5 tonnes is not "gấp 2,5 lần"

@pytest.mark.parametrize("text, lang, unit", [
    ("tăng 25,36 điểm", "vi", "points"), ("rose 25.36 points", "en", "points"), ("xử lý 500 tấn/ngày", "vi", "tonnes"),
    ("500 tonnes a day", "en", "tonnes"), ("phát điện 12 MW", "vi", "MW"), ("cao gấp 2,5 lần", "vi", "times"),
    ("trong 2 năm", "vi", "years"), ("618,6 triệu đơn vị", "vi", ""), ("100 đại biểu", "vi", ""),
])
def test_measures(text, lang, unit):
    (fact,) = find_numbers(text, lang)
    assert fact.unit == unit


PAIRS = [("điểm", "points"), ("tấn", "tonnes"), ("MW", "MW"), ("km", "km"), ("lần", "times"), ("năm", "years"),
         ("ha", "hectares")]


@settings(deadline=None)  # the first English check reads the word lists
@given(st.integers(11, 999), st.sampled_from(PAIRS), st.sampled_from(PAIRS))  # (1800 would be read as a year)
def test_a_number_of_one_measure_is_no_number_of_another(value, article_measure, summary_measure):
    from viensum.check import check
    from viensum.results import Article

    article = Article("Báo cáo", [f"Nhà máy đạt {value} {article_measure[0]} trong kỳ."])
    problems = check(f"The plant reached {value} {summary_measure[1]} in the period.", article).problems
    assert bool(problems) == (article_measure != summary_measure)
    assert check(f"The plant reached {value} in the period.", article).problems == []  # no measure written: fine


@pytest.mark.parametrize("text, values", [
    ("Quốc hội khóa XV", [15]), ("Đại hội XIV của Đảng", [14]), ("lần thứ I", [1]), ("thế kỷ XXI", [21]),
    ("MC Việt và CV xin việc", []), ("khóa IIII", []),  # no numeral without the word that counts, or ill-formed
])
def test_roman_numerals_where_vietnamese_counts_with_them(text, values):
    assert [f.value for f in find_numbers(text, "vi")] == values


@given(st.integers(1, 89))
def test_roman_numerals_read_back(n):
    from viensum.check.numbers import _to_roman, roman_value

    assert roman_value(_to_roman(n)) == n
