"""Property tests: whatever the input, the cleaner answers with an Article or an InputError, in bounded time."""
from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viensum.clean import clean_article
from viensum.errors import InputError
from viensum.results import Article

# A generous bound: a hang or a quadratic blow-up fails, a slow CI machine does not.
BOUNDED = settings(max_examples=60, deadline=timedelta(seconds=10), derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow])

VI_WORDS = ("Hà Nội", "giá vàng", "tăng", "mạnh", "người dân", "cho biết", "Tin liên quan", "Xem thêm", ">>",
            "Ảnh:", "12/05/2025", "#2", "[Vui vẻ]", "©", "Đăng nhập", "•", "- Ảnh 1", ".", ",", ":", "“", "”")
line = st.lists(st.sampled_from(VI_WORDS) | st.text(max_size=12), max_size=30).map(" ".join)
page_text = st.lists(line, max_size=60).map("\n".join)
TAGS = ("p", "div", "span", "a", "h1", "li", "ul", "table", "td", "tr", "script", "style", "figure", "figcaption",
        "article", "nav", "footer", "br", "img")


def _html(depth: int) -> st.SearchStrategy[str]:
    leaf = line | st.text(max_size=40)
    if depth == 0:
        return leaf
    node = st.builds(lambda tag, cls, kids: f"<{tag} class='{cls}'>{''.join(kids)}</{tag}>",
                     st.sampled_from(TAGS), st.sampled_from(("", "caption", "content", "related")),
                     st.lists(_html(depth - 1), max_size=4))
    return leaf | node


html_page = st.builds(
    lambda head, body: f"<!DOCTYPE html><html><head><title>{head}</title></head><body>{body}</body></html>",
    line, _html(4))


def _check(raw, fmt=None) -> str:
    """"cleaned" (a well-formed Article) or "refused" (one InputError); anything else fails the test."""
    try:
        article = clean_article(raw, fmt=fmt)
    except InputError:
        return "refused"
    assert isinstance(article, Article)
    text = article.text
    assert "\x00" not in text
    for para in article.paragraphs:
        assert para == para.strip() and "\n" not in para
    return "cleaned"


@BOUNDED
@given(page_text)
def test_any_page_text(raw):
    assert _check(raw) in ("cleaned", "refused")


@BOUNDED
@given(st.text(max_size=3000))
def test_any_unicode(raw):
    assert _check(raw) in ("cleaned", "refused")


@BOUNDED
@given(st.binary(max_size=3000))
def test_any_bytes(raw):
    assert _check(raw) in ("cleaned", "refused")


@BOUNDED
@given(html_page)
def test_any_nested_html(raw):
    assert _check(raw, fmt="html") in ("cleaned", "refused")
    assert _check(raw) in ("cleaned", "refused")


@pytest.mark.parametrize("depth", [50, 400])
def test_deeply_nested_html(depth):
    raw = "<html><body>" + "<div>" * depth + "Giá vàng hôm nay tăng mạnh, người dân đổ xô đi mua." + "</div>" * depth
    assert _check(raw + "</body></html>", fmt="html") in ("cleaned", "refused")


def test_wide_text_browser_dump():
    """w3m -cols 100000 prints very long padded lines: side-by-side cells must not blow up."""
    rows = [f"Cột trái dòng {i}".ljust(3000) + f"Cột phải có nội dung khác nhau, dòng số {i}." for i in range(300)]
    assert _check("\n".join(rows)) in ("cleaned", "refused")
