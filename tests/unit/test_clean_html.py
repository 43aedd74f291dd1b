"""HTML meets the same decisions as page text: self-written pages, as saved HTML and as page text.

Every page here is written for these tests; none is copied from a real site.
"""
from __future__ import annotations

import pytest

from viensum.clean import clean_article, page_text
from viensum.evaluate import evaluate_cleaning

TITLE = "Một ngày trên cánh đồng muối Bạc Liêu giữa mùa nắng gắt"
SAPO = ("Nắng càng gắt, hạt muối càng chắc và trắng, nên những ngày tháng tư là mùa làm muối bận rộn nhất của "
        "diêm dân ven biển.")
WORKERS = ["Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười", "Út"]
TASKS = ["kéo nước biển vào các ô phơi", "cào muối thành từng đống nhỏ", "gánh muối lên bờ", "che bạt cho kho muối",
         "san phẳng mặt ruộng", "xả nước ót ra kênh", "đong muối vào bao", "chở muối ra bến", "sửa bờ ruộng",
         "nấu cơm cho cả đội"]
# A photo story: its prose sits in the captions, two sentences each, under ten pictures.
CAPTIONS = [f"Từ bốn giờ sáng, ông {name} đã ra đồng để {task} cùng cả nhà. Việc này phải xong trước khi mặt trời "
            f"lên cao, nếu không nước bốc hơi quá nhanh và hạt muối sẽ đắng."
            for name, task in zip(WORKERS, TASKS)]
MENU = ["Trang chủ", "Thời sự", "Kinh doanh", "Du lịch", "Ẩm thực"]
RELATED = ["Giá muối tăng mạnh sau mùa mưa bão năm nay", "Diêm dân miền Tây chuyển sang làm muối sạch",
           "Làng nghề làm muối hơn trăm năm tuổi ở Nam Định"]


def figure(k: int, caption: str, markup: str) -> str:
    """A picture and its caption in one of the three markups Vietnamese CMSes use."""
    if markup == "figure":
        return f"<figure><img src='m{k}.jpg' alt='{TITLE} - Ảnh {k}'><figcaption><p>{caption}</p></figcaption></figure>"
    if markup == "table":
        return (f"<table class='tplCaption'><tr><td><img src='m{k}.jpg'></td></tr>"
                f"<tr><td><p class='Image'>{caption}</p></td></tr></table>")
    return f"<p><img src='m{k}.jpg'><br><em>{caption}</em></p>"


def photo_story(markup: str) -> str:
    menu = "".join(f"<li><a href='/{k}'>{m}</a></li>" for k, m in enumerate(MENU))
    related = "".join(f"<li><a href='/r{k}'>{t}</a></li>" for k, t in enumerate(RELATED))
    figures = "".join(figure(k, c, markup) for k, c in enumerate(CAPTIONS, start=1))
    return (f"<html><head><title>{TITLE} - Báo Mẫu</title><meta name='description' content='{SAPO}'></head>"
            f"<body><nav><ul>{menu}</ul></nav><article><h1>{TITLE}</h1><p class='sapo'>{SAPO}</p>{figures}"
            f"<p><strong>Minh Khang</strong></p></article><aside><h3>Tin liên quan</h3><ul>{related}</ul></aside>"
            "<footer>© Bản quyền thuộc về Báo Mẫu</footer></body></html>")


@pytest.mark.parametrize("markup", ["figure", "table", "italic"])
def test_photo_story_saved_as_html_keeps_the_prose_of_its_captions(markup):
    """Issue 21: as HTML, a photo story lost its ten captions (kept: headline and sapo only)."""
    a = clean_article(photo_story(markup))
    assert a.title == TITLE
    assert a.paragraphs == [SAPO, *CAPTIONS]
    assert a.byline == "Minh Khang"


@pytest.mark.parametrize("markup", ["figure", "table", "italic"])
def test_photo_story_html_and_its_page_text_give_the_same_article(markup):
    from trafilatura.utils import load_html

    html = photo_story(markup)
    from_html, from_text = clean_article(html), clean_article(page_text(load_html(html)), fmt="text")
    assert (from_html.title, from_html.paragraphs) == (from_text.title, from_text.paragraphs)


def test_captions_of_a_news_story_saved_as_html_still_go():
    """The same captions beside an article's own long paragraphs are captions, in HTML as in page text."""
    from trafilatura.utils import load_html

    essays = [" ".join(CAPTIONS[k:k + 3]).replace("Từ bốn giờ sáng", "Theo báo cáo của ngành") for k in (0, 3, 6)]
    html = photo_story("figure").replace(f"<p class='sapo'>{SAPO}</p>",
                                         f"<p class='sapo'>{SAPO}</p>" + "".join(f"<p>{e}</p>" for e in essays))
    html = html.replace("".join(figure(k, c, "figure") for k, c in enumerate(CAPTIONS, start=1)),
                        "".join(figure(k, c, "figure") for k, c in enumerate(CAPTIONS[:4], start=1)))
    for a in (clean_article(html), clean_article(page_text(load_html(html)), fmt="text")):
        assert a.paragraphs == [SAPO, *essays]
        assert all(any(r.text == c and "caption" in r.reason for r in a.removed) for c in CAPTIONS[:4])


def test_html_dropped_lines_are_listed_with_their_reason_and_kept_lines_never():
    a = clean_article(photo_story("figure"))
    removed = {r.text: r.reason for r in a.removed}
    assert TITLE not in removed and SAPO not in removed and not set(CAPTIONS) & set(removed)
    assert "HTML extractor" in removed["Kinh doanh"] and "related" in removed[RELATED[0]]


def test_text_file_named_html_is_read_as_text(caplog):
    """Issue 22: a text file given as HTML is sniffed as text, and no library's log line is printed."""
    text = "\n\n".join([TITLE, SAPO, *CAPTIONS[:3]])
    with caplog.at_level("DEBUG"):
        a = clean_article(text, fmt="html")
    assert a.title == TITLE and a.paragraphs == [SAPO, *CAPTIONS[:3]]
    assert a.input_format == "text"
    assert not [r for r in caplog.records if r.levelname in ("WARNING", "ERROR") and not r.name.startswith("viensum")]


def test_html_parser_complaints_stay_out_of_the_log(caplog):
    """trafilatura logs 'parsed tree length: 0' at ERROR for markup it cannot load: never shown."""
    with caplog.at_level("INFO"), pytest.raises(Exception):
        clean_article("<html><body></body></html>", fmt="html")
    assert not [r for r in caplog.records if not r.name.startswith("viensum")]


def test_html_nested_deeper_than_the_parser_limit_falls_back_to_page_text():
    """Issue 23: lxml stops at 256 levels; the article is read as page text, with a warning saying so."""
    body = f"<h1>{TITLE}</h1><p>{SAPO}</p>" + "".join(f"<p>{c}</p>" for c in CAPTIONS[:3])
    html = f"<html><head><title>{TITLE}</title></head><body>{'<div>' * 300}{body}{'</div>' * 300}</body></html>"
    a = clean_article(html)
    assert a.title == TITLE
    assert a.paragraphs == [SAPO, *CAPTIONS[:3]]
    assert any("256" in w for w in a.warnings)


def test_deep_html_read_as_page_text_shows_no_script_and_decodes_entities():
    body = (f"<h1>{TITLE}</h1><script>var x = 'Không được hiện ra';</script><p>{SAPO}</p>"
            "<p>Giá muối tăng từ 2.000 &amp; lên 3.000 đồng mỗi ký trong tuần này, theo các hợp tác xã.</p>")
    html = f"<html><body>{'<div>' * 300}{body}{'</div>' * 300}</body></html>"
    a = clean_article(html)
    assert a.paragraphs == [SAPO, "Giá muối tăng từ 2.000 & lên 3.000 đồng mỗi ký trong tuần này, theo các hợp tác xã."]
    assert "Không được hiện ra" not in a.text


def test_html_just_under_the_depth_limit_is_parsed_as_html():
    body = f"<h1>{TITLE}</h1><p>{SAPO}</p>" + "".join(f"<p>{c}</p>" for c in CAPTIONS[:3])
    html = f"<html><head><title>{TITLE}</title></head><body>{'<div>' * 200}{body}{'</div>' * 200}</body></html>"
    a = clean_article(html)
    assert a.paragraphs == [SAPO, *CAPTIONS[:3]] and not a.warnings


def test_agreement_score_is_word_f1_between_the_two_outputs():
    """The measure the dev-set agreement test uses: identical outputs score 1, disjoint ones 0."""
    same = evaluate_cleaning({"a": "T\n\nx y z"}, {"a": "T\n\nx y z"}).means["word_f1"]
    apart = evaluate_cleaning({"a": "T\n\nx y z"}, {"a": "U\n\nv w"}).means["word_f1"]
    assert same == 1.0 and apart == 0.0


# --- paragraphs as the page shows them --------------------------------------------------------------

PARAS = [
    "Sáng 12/5, UBND thành phố Đà Nẵng khánh thành cầu đi bộ dài 260 m bắc qua sông Hàn, nối hai bờ đông và tây.",
    "Cây cầu rộng 6 m, có mái che bằng kính và hệ thống đèn chiếu sáng tiết kiệm năng lượng, xây trong 18 tháng.",
    "Theo Sở Giao thông Vận tải, mỗi ngày cầu dự kiến đón khoảng 15.000 lượt người đi bộ và xe đạp qua sông.",
]
HEAD2 = "Đà Nẵng khánh thành cầu đi bộ mới bắc qua sông Hàn"


@pytest.mark.parametrize("sep", ["<br><br>", "<br>\n<br>", "<br/><br/><br/>"])
def test_br_runs_are_paragraph_breaks_in_html_and_its_page_text(sep):
    """Old CMSes set paragraphs apart with <br><br> inside one block: each is a paragraph of its own."""
    from trafilatura.utils import load_html

    html = (f"<html><head><title>{HEAD2}</title></head><body><h1>{HEAD2}</h1>"
            f"<div class='content'>{sep.join(PARAS)}</div><footer>© Báo Mẫu</footer></body></html>")
    for a in (clean_article(html), clean_article(page_text(load_html(html)), fmt="text")):
        assert a.title == HEAD2
        assert a.paragraphs == PARAS


def test_a_single_br_inside_a_sentence_keeps_the_paragraph_whole():
    """A <br> that breaks a sentence in the middle (a hard-wrapped paragraph) is no paragraph break."""
    from trafilatura.utils import load_html

    wrapped = PARAS[0].replace("khánh thành", "<br>khánh thành", 1)
    html = (f"<html><head><title>{HEAD2}</title></head><body><h1>{HEAD2}</h1><p>{wrapped}</p>"
            + "".join(f"<p>{p}</p>" for p in PARAS[1:]) + "</body></html>")
    for a in (clean_article(html), clean_article(page_text(load_html(html)), fmt="text")):
        assert a.paragraphs == PARAS


def test_text_browser_lines_wrapped_in_a_narrow_cell_are_one_paragraph():
    """w3m wraps a paragraph set in a narrow table cell into lines of about 28 characters, breaking
    before capitalised names as often as not; each is one paragraph, as the page shows it."""
    import textwrap

    cells = [textwrap.wrap(p, 28) for p in PARAS]
    assert any(line[:1].isupper() for cell in cells for line in cell[1:])  # the case the old rule missed
    raw = "\n".join(["Trang chủ", "Thời sự", "", HEAD2, ""] + [l for cell in cells for l in [*cell, ""]]
                    + ["© Báo Mẫu"])
    a = clean_article(raw, fmt="text")
    assert a.title == HEAD2
    assert a.paragraphs == PARAS


@pytest.mark.parametrize("name", ["dantri_like", "photo_story", "portal_like", "vnexpress_like"])
def test_html_fixture_and_its_page_text_give_the_same_article(name):
    """One decision procedure: each HTML fixture and its innerText-like rendering give the same article."""
    from pathlib import Path

    from trafilatura.utils import load_html

    raw = (Path(__file__).parents[1] / "data" / "html" / f"{name}.html").read_text(encoding="utf-8")
    from_html, from_text = clean_article(raw), clean_article(page_text(load_html(raw)), fmt="text")
    agreement = evaluate_cleaning({name: from_text.text}, {name: from_html.text}).means["word_f1"]
    assert agreement >= 0.97
    assert from_html.title == from_text.title
