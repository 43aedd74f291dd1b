"""viensum.check.dates: Vietnamese and English dates, times, years and document numbers."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from viensum.check.dates import MONTH_NAMES, find_dates


def values(text, lang):
    return [(f.value, f.unit) for f in find_dates(text, lang)]


@pytest.mark.parametrize("text, lang, expected", [
    ("ngày 16/7", "vi", [((16, 7, None), "date")]),
    ("ngày 16 tháng 7 năm 2026", "vi", [((16, 7, 2026), "date")]),
    ("đến 30 tháng 9 năm 2025", "vi", [((30, 9, 2025), "date")]), ("hạn chót 30 tháng 9", "vi", [((30, 9, None), "date")]),
    ("Ngày 9-10, VKSND", "vi", [((9, 10, None), "date")]), ("Sáng 11-10, các đoàn", "vi", [((11, 10, None), "date")]),
    ("chiều 24/12", "vi", [((24, 12, None), "date")]),
    ("tháng 7/2026", "vi", [((None, 7, 2026), "date")]),
    ("năm 2024", "vi", [((None, None, 2024), "year")]),
    ("lúc 19h30", "vi", [((19, 30), "time")]),
    ("7 giờ tối", "vi", [((19, 0), "time")]),
    ("16 July 2026", "en", [((16, 7, 2026), "date")]),
    ("July 16", "en", [((16, 7, None), "date")]),
    ("on July 16, 2026", "en", [((16, 7, 2026), "date")]),
    ("in December 2022", "en", [((None, 12, 2022), "date")]),
    ("at 19:30", "en", [((19, 30), "time")]),
    ("at 7.30pm", "en", [((19, 30), "time")]),
    ("Nghị định 357/2025/NĐ-CP", "vi", [("357/2025/ND-CP", "doc")]),
    ("Decree 357/2025/ND-CP", "en", [("357/2025/ND-CP", "doc")]),
])
def test_forms(text, lang, expected):
    assert values(text, lang) == expected


def test_may_alone_is_not_a_month():
    assert values("prices may rise", "en") == []


def test_money_is_not_a_year():
    assert values("2000 tỷ đồng", "vi") == []


@given(st.integers(1, 28), st.integers(1, 12), st.integers(1990, 2030))
def test_the_same_date_in_both_languages(day, month, year):
    vi = values(f"ngày {day} tháng {month} năm {year}", "vi")
    en = values(f"{day} {MONTH_NAMES[month]} {year}", "en")
    slash = values(f"ngày {day}/{month}/{year}", "vi")
    assert vi == en == slash == [((day, month, year), "date")]


@pytest.mark.parametrize("text, lang, days", [
    ("thi ngày 11 và 12/6", "vi", [(11, 6, None), (12, 6, None)]), ("từ 20-25/12/2026", "vi", [(20, 12, 2026), (25, 12, 2026)]),
    ("on June 11-12", "en", [(11, 6, None), (12, 6, None)]), ("on 11-12 June 2026", "en", [(11, 6, 2026), (12, 6, 2026)]),
])
def test_two_days_of_one_month_are_two_dates(text, lang, days):
    assert [f.value for f in find_dates(text, lang)] == days


def test_a_range_of_days_is_checked_day_by_day():
    from viensum.check import check
    from viensum.results import Article

    article = Article("Lịch thi", ["Kỳ thi diễn ra ngày 11 và 12/6 tại 63 tỉnh."])
    assert check("The exam is held on June 11-12 in 63 provinces.", article).problems == []
    assert check("Kỳ thi diễn ra ngày 11, 12/6.", article, lang="vi").problems == []
    assert [p.text for p in check("The exam is held on June 11-13.", article).problems] == ["June 11-13"]
