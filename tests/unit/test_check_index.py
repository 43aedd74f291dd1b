"""viensum.check.index: the lines of the page beside the article (captions, date lines, byline, credits)."""
from __future__ import annotations

from viensum.check import check
from viensum.check.index import PAGE, index_of, page_lines
from viensum.results import Article, Removed

PAGE_ARTICLE = Article(
    "VN-Index tăng hơn 25 điểm", ["Hôm nay VN-Index tăng 25,36 điểm nhờ cổ phiếu VIC."], date="2026-09-05",
    byline="Văn Giáp/Bnews", url="https://bnews.vn/vn-index-tang.html",
    removed=[Removed("Thứ 7, Ngày 05/09/2026", "date (kept as metadata)"),
             Removed("16:22' - 04/09/2026", "date (kept as metadata)"),
             Removed("Thứ trưởng Bộ Tài chính Đỗ Hùng Việt phát biểu.", "photo caption"),
             Removed("Bắc Ninh giao hơn 100 ha đất cho Vingroup", "related/comment section ('Tin liên quan' and after)"),
             Removed("Trang chủ", "before the headline/lead")])


def test_page_lines_are_captions_dates_and_credits_not_related_links():
    lines = page_lines(PAGE_ARTICLE)
    assert "16:22' - 04/09/2026" in lines and "Thứ trưởng Bộ Tài chính Đỗ Hùng Việt phát biểu." in lines
    assert "Văn Giáp/Bnews" in lines and "https://bnews.vn/vn-index-tang.html" in lines
    assert not any("Vingroup" in line or line == "Trang chủ" for line in lines)
    assert page_lines(Article("Tiêu đề", ["Một đoạn."])) == []


def test_a_fact_from_a_caption_or_the_date_under_the_headline_is_found_on_the_page():
    result = check("On 4 September Deputy Minister Do Hung Viet spoke; the VN-Index rose 25.36 points.", PAGE_ARTICLE)
    assert result.problems == []
    assert PAGE in result.sentences[0].paragraphs
    assert check("Phiên 4/9, VN-Index tăng 25,36 điểm.", PAGE_ARTICLE, lang="vi").problems == []


def test_what_the_page_does_not_say_is_still_a_problem():
    problems = check("On 6 September Deputy Minister Do Hung Nam said Vingroup rose.", PAGE_ARTICLE).problems
    assert [p.text for p in problems] == ["6 September", "Do Hung Nam", "Vingroup"]


def test_the_page_lines_are_part_of_the_cached_index():
    bare = Article(PAGE_ARTICLE.title, PAGE_ARTICLE.paragraphs, date=PAGE_ARTICLE.date)
    assert index_of(bare) is not index_of(PAGE_ARTICLE) and index_of(PAGE_ARTICLE) is index_of(PAGE_ARTICLE)
    assert not any(u.paragraph == PAGE for u in index_of(bare).units)
