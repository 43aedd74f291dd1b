"""viensum.check.context: what a clause states together, the article must state together (moved facts)."""
from __future__ import annotations

import pytest

from viensum.check import check
from viensum.check.context import clauses
from viensum.results import Article

MARKET = Article("VN-Index tăng", [
    "VIC tăng 4,74% lên 256.100 đồng, đóng góp hơn 19 điểm. Thanh khoản đạt 618,6 triệu đơn vị.",
    "Ở nhóm vừa và nhỏ, VHM tăng 2,5% lên 77.300 đồng.",
    "Khối ngoại mua ròng 116 tỷ đồng trên toàn thị trường.",
])


def test_clauses():
    text = "VIC rose 4.74%, while VHM rose 2.5%; buyers came back"
    assert [text[a:b] for a, b in clauses(text)] == ["VIC rose 4.74%, ", "while VHM rose 2.5%; ", "buyers came back"]


@pytest.mark.parametrize("summary, lang", [
    ("VIC rose 4.74% to 256,100 dong, contributing more than 19 points, while VHM rose 2.5%.", "en"),
    ("VIC tăng 4,74% lên 256.100 đồng, VHM tăng 2,5%.", "vi"),
    ("Foreign investors bought 116 billion dong as VIC rose 4.74%.", "en"),  # two sentences joined: fine
    ("VIC rose 2.5%.", "en"),  # one fact beside it is not enough to say it was moved
    ("VIC rose 4.74% to 256,100 dong on 618.6 million units.", "en"),  # the next sentence of its paragraph
])
def test_what_the_article_states_together_passes(summary, lang):
    assert check(summary, MARKET, lang=lang).problems == []


@pytest.mark.parametrize("summary, lang, moved, said", [
    ("VIC rose 2.5% to 256,100 dong.", "en", "2.5%", "VHM tăng 2,5%"),
    ("VIC tăng 2,5% lên 256.100 đồng.", "vi", "2,5%", "VHM tăng 2,5%"),
    ("VHM rose 4.74% to 256,100 dong.", "en", "VHM", "VHM tăng 2,5%"),
])
def test_a_moved_number_or_name_is_flagged_with_where_the_article_has_it(summary, lang, moved, said):
    problems = check(summary, MARKET, lang=lang).problems
    assert [p.text for p in problems] == [moved]
    assert said in problems[0].note and "about something else" in problems[0].note


def test_a_short_form_is_read_without_diacritics():
    from viensum.check.context import _initials_of

    assert _initials_of("Bộ Giáo dục và Đào tạo", "gddt") and _initials_of("Bộ Giáo dục và Đào tạo", "bgddt")
    assert not _initials_of("Bộ Giáo dục và Đào tạo", "gdtt")
