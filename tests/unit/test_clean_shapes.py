"""The failure shapes of issue 10 as self-written pages, each in both page-text shapes.

"browser" is what a person copies from a browser (innerText: one block per line, no bullets);
"w3m" is what a text-mode browser prints (bullets, indentation, image alt texts in brackets).
Every page here is written for these tests; none is copied from a real site.
"""
from __future__ import annotations

import pytest

from viensum.clean import clean_article

HEAD = "Đà Nẵng khánh thành cầu đi bộ mới bắc qua sông Hàn"
LEAD = ("(VNS) - Sáng 12/5, UBND thành phố Đà Nẵng khánh thành cầu đi bộ dài 260 m bắc qua sông Hàn, nối hai bờ "
        "đông và tây của trung tâm thành phố.")
BODY = [
    "Cây cầu rộng 6 m, có mái che bằng kính và hệ thống đèn chiếu sáng tiết kiệm năng lượng, được xây dựng trong "
    "18 tháng với tổng vốn hơn 320 tỷ đồng.",
    "Theo Sở Giao thông Vận tải, mỗi ngày cầu dự kiến đón khoảng 15.000 lượt người đi bộ và xe đạp, giúp giảm áp "
    "lực cho các cầu đường bộ hiện có.",
    "Ông Trần Văn Minh, một người dân ở quận Sơn Trà, cho biết từ nay gia đình ông có thể đi bộ sang chợ Hàn chỉ "
    "trong mười phút thay vì phải đi xe máy vòng qua cầu Rồng.",
    "Thành phố cũng lên kế hoạch tổ chức phố đi bộ cuối tuần ở hai đầu cầu, kết hợp biểu diễn nghệ thuật đường phố "
    "và chợ đêm ẩm thực từ tháng sau.",
]
MENU = ["Trang chủ", "Thời sự", "Kinh doanh", "Thế giới", "Giải trí", "Thể thao", "Pháp luật", "Giáo dục"]
RELATED = ["Đà Nẵng thí điểm xe buýt điện chạy ven biển", "Cầu Rồng phun lửa phục vụ du khách dịp lễ",
           "Sông Hàn đón lễ hội pháo hoa quốc tế năm nay", "Giá vé tham quan bán đảo Sơn Trà tăng từ tháng 6"]
FOOTER = ["Liên hệ quảng cáo: 0236 3888 999", "© Bản quyền thuộc về Báo Việt Nam Sáng", "Giấy phép số 123/GP-BTTTT"]


def render(blocks: list[tuple[str, str]], shape: str) -> str:
    """Blocks of (kind, text) as page text: kind "menu" and "link" are list items, "img" an image's alt text,
    "figure" a picture with a line break after it (the caption follows: ``<img><br>caption``)."""
    out = []
    for kind, text in blocks:
        if shape == "w3m":
            if kind in ("menu", "link"):
                out.append(f"  • {text}")
            elif kind in ("img", "figure"):
                out.append(f"[{text}]")
            else:
                out += [text, ""]
        elif kind == "figure":  # <img><br>caption: the picture's empty line, then the line break
            out.append("")
        elif kind != "img":  # a browser copy has no alt text (the pictures load)
            out += [text] if kind in ("menu", "link") else [text, ""]
    return "\n".join(out)


def page(*parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [b for part in parts for b in part]


def menu() -> list[tuple[str, str]]:
    return [("menu", m) for m in MENU]


def article(body: list[str] = BODY) -> list[tuple[str, str]]:
    return [("p", HEAD), ("p", "Thứ hai, 12/05/2025 09:30 (GMT+7)"), ("p", LEAD)] + [("p", p) for p in body]


def related(marker: str = "Tin cùng chuyên mục", n: int = 4) -> list[tuple[str, str]]:
    return [("p", marker)] + [("link", t) for t in RELATED[:n]]


def footer() -> list[tuple[str, str]]:
    return [("p", f) for f in FOOTER]


SHAPES = ["browser", "w3m"]


def reasons(article_, text: str) -> list[str]:
    return [r.reason for r in article_.removed if text in r.text]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("marker", ["TIN LIÊN QUAN", "Tin liên quan", "Xem thêm"])
def test_related_box_right_after_the_lead_does_not_end_the_article(shape, marker):
    blocks = page(menu(), article([])[:3], [("p", marker)], [("link", RELATED[0]), ("link", RELATED[1])],
                  [("p", p) for p in BODY], related(), footer())
    a = clean_article(render(blocks, shape))
    assert a.title == HEAD
    assert a.paragraphs == [LEAD, *BODY]
    assert any("related" in r for r in reasons(a, RELATED[0]))


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("notice", [
    "Bạn cần đăng nhập để đọc tiếp bài viết này. Đăng ký tài khoản miễn phí chỉ trong một phút.",
    "You may be using a secured browser. Please enable scripts and reload this page.",
    "Nội dung dành cho hội viên Premium: đăng ký gói để đọc trọn vẹn bài viết",
])
def test_login_or_paywall_notice_above_the_menu_is_not_the_headline(shape, notice):
    blocks = page([("p", notice)], menu(), article(), related(), footer())
    a = clean_article(render(blocks, shape))
    assert a.title == HEAD
    assert a.paragraphs == [LEAD, *BODY]
    assert reasons(a, notice)


@pytest.mark.parametrize("shape", SHAPES)
def test_chevron_link_lines_are_dropped(shape):
    links = [("p", f">> {t}") for t in RELATED]
    blocks = page(menu(), article(BODY[:2]), [("p", ">> " + RELATED[0])], [("p", p) for p in BODY[2:]], links,
                  [("p", "Từ khóa"), ("link", "cầu đi bộ,"), ("link", "sông Hàn")], footer())
    a = clean_article(render(blocks, shape))
    assert a.title == HEAD
    assert a.paragraphs == [LEAD, *BODY]
    assert all(reasons(a, t) for t in RELATED)


@pytest.mark.parametrize("shape", SHAPES)
def test_comment_form_and_comments_are_dropped(shape):
    comment = ("Cây cầu rất đẹp, tối qua tôi đưa cả nhà ra đi dạo, mong thành phố giữ gìn vệ sinh thật tốt "
               "để du khách đến đây thấy thoải mái.")
    form = [("p", "Ý kiến bạn đọc"), ("p", "Gửi bình luận"), ("p", "Họ và tên (*)"), ("p", "Email (*)"),
            ("p", "[ ]"), ("p", "Gửi"), ("p", "Nguyễn Thu Hà"), ("p", "12/05/2025 10:15"), ("p", comment),
            ("p", "Trả lời"), ("p", "Thích")]
    blocks = page(menu(), article(), form, related(), footer())
    a = clean_article(render(blocks, shape))
    assert a.paragraphs == [LEAD, *BODY]
    assert reasons(a, comment)


FORUM_TITLE = "[Hỏi đáp] Kinh nghiệm chọn máy lọc không khí cho phòng ngủ nhỏ"
FORUM_POST = [
    "Nhà mình có phòng ngủ khoảng 12 mét vuông, mùa này bụi mịn nhiều nên định mua một chiếc máy lọc không khí "
    "cho cả nhà, nhưng trên thị trường có quá nhiều loại.",
    "Mình quan tâm nhất là độ ồn khi chạy ban đêm, chi phí thay màng lọc mỗi năm và việc máy có cảm biến bụi "
    "tự điều chỉnh tốc độ quạt hay không.",
    "Anh em nào đã dùng thực tế thì chia sẻ giúp mình kinh nghiệm, ngân sách khoảng năm triệu đồng. Cảm ơn mọi người.",
]
REPLIES = [
    ("hoangnam", "Bạn nên chọn máy có chỉ số CADR khoảng gấp năm lần diện tích phòng, màng HEPA thật chứ không phải "
                 "loại giả HEPA, và xem kỹ giá màng thay thế trước khi mua."),
    ("thuylinh", "Máy nhà mình chạy chế độ ngủ gần như không nghe tiếng, dùng hai năm mới thay màng một lần, rất hài "
                 "lòng với lựa chọn này."),
    ("quanghuy", "hóng thêm kinh nghiệm"),
]


@pytest.mark.parametrize("shape", SHAPES)
def test_forum_thread_keeps_only_the_opening_post(shape):
    blocks = [("p", "Đăng nhập hoặc Đăng ký"), *menu(), ("p", "Diễn đàn > Đời sống > Đồ gia dụng >"),
              ("p", FORUM_TITLE), ("p", "Thảo luận trong 'Đồ gia dụng' bắt đầu bởi minhtuan, 12/3/24."),
              ("p", "1."), ("p", "minhtuan Thành viên")]
    blocks += [("p", p) for p in FORUM_POST] + [("p", "minhtuan, 12/3/24"), ("p", "#1")]
    for k, (user, text) in enumerate(REPLIES, start=2):
        blocks += [("p", f"{k}."), ("p", f"{user} Thành viên"), ("p", text), ("p", f"{user}, 12/3/24"),
                   ("p", f"#{k}"), ("p", "minhtuan và 3 người khác thích nội dung này.")]
    blocks += footer()
    a = clean_article(render(blocks, shape))
    assert a.title == FORUM_TITLE
    assert a.paragraphs == FORUM_POST
    assert any("forum" in r for r in reasons(a, REPLIES[0][1]))


FEATURE = [
    "Mỗi sáng, khi trời còn chưa sáng hẳn, những người bán hàng rong đã gánh hàng qua cầu để kịp phiên chợ sớm "
    "bên kia sông, như cách họ vẫn làm suốt mấy chục năm qua.",
    "Bà Lê Thị Sáu, 67 tuổi, kể rằng ngày trước bà phải đi đò ngang mất gần một tiếng, những hôm mưa lớn thì "
    "đành nghỉ bán vì đò không dám chạy.",
    "Từ khi có cầu, quãng đường chỉ còn mười lăm phút đi bộ, bà bán thêm được một buổi chiều và thu nhập của gia "
    "đình cũng khá hơn trước nhiều.",
    "Không chỉ người buôn bán, học sinh hai bờ cũng được lợi khi trường học, thư viện và nhà văn hóa đều nằm gần "
    "chân cầu phía tây.",
]
INSET = [
    "Ý kiến chuyên gia",
    "“Một cây cầu đi bộ thay đổi cách người dân dùng không gian ven sông: họ ở lại lâu hơn, đi chậm hơn, và "
    "chính điều đó nuôi sống các cửa hàng nhỏ hai bên bờ”.",
    "Kiến trúc sư Phạm Quốc Bảo - Hội Quy hoạch đô thị",
    "“Điều quan trọng là duy trì: đèn phải sáng, mặt cầu phải sạch, và phải có người trông coi vào ban đêm”.",
    "Tiến sĩ Vũ Thị Lan - Viện Nghiên cứu phát triển",
]
FEATURE_END = [
    "Chính quyền phường cho biết sẽ lắp thêm ghế đá, thùng rác phân loại và camera giám sát trên cầu trước mùa "
    "du lịch hè năm nay.",
    "Với nhiều người dân ở đây, cây cầu không chỉ là đường đi mà đã trở thành nơi hẹn hò, tập thể dục và ngắm "
    "hoàng hôn mỗi chiều.",
]


@pytest.mark.parametrize("shape", SHAPES)
def test_long_feature_keeps_its_inset_quote_box(shape):
    blocks = page(menu(), article(FEATURE), [("p", t) for t in INSET], [("p", p) for p in FEATURE_END],
                  related(), footer())
    a = clean_article(render(blocks, shape))
    assert a.title == HEAD
    assert a.paragraphs == [LEAD, *FEATURE, *INSET, *FEATURE_END]


STORY_TITLE = "Mùa lúa chín trên ruộng bậc thang Mù Cang Chải"
CAPTIONS = [
    "Những thửa ruộng bậc thang ở xã La Pán Tẩn chuyển sang màu vàng óng vào cuối tháng chín.",
    "Người Mông gặt lúa bằng tay, bó thành từng lượm rồi gánh về nhà trên những lối mòn dốc đứng.",
    "Đồi Mâm Xôi là điểm dừng chân quen thuộc của du khách muốn ngắm trọn những vòng ruộng uốn lượn.",
    "Mùa lúa chín cũng là mùa lễ hội, khi các bản làng tổ chức dù lượn và chợ phiên cho du khách.",
]


@pytest.mark.parametrize("shape", SHAPES)
def test_photo_story_keeps_captions_and_drops_alt_texts(shape):
    blocks = page(menu(), [("p", STORY_TITLE), ("p", "28/09/2025 07:00 GMT+7")])
    for k, caption in enumerate(CAPTIONS, start=1):
        blocks += [("img", f"{STORY_TITLE} - Ảnh {k}"), ("p", caption)]
    blocks += [("p", "Ảnh: Hoàng Minh")] + related() + footer()
    a = clean_article(render(blocks, shape))
    assert a.title == STORY_TITLE
    assert a.paragraphs == CAPTIONS


def test_photo_story_alt_text_lines_in_a_plain_copy_are_dropped():
    """Some copies print each picture's alt text as a plain line beside its caption."""
    lines = MENU + [STORY_TITLE, "28/09/2025 07:00 GMT+7"]
    for k, caption in enumerate(CAPTIONS, start=1):
        lines += [f"{STORY_TITLE} - Ảnh {k}", caption]
    a = clean_article("\n".join(lines + FOOTER))
    assert a.title == STORY_TITLE
    assert a.paragraphs == CAPTIONS
    assert all("alt text" in r for r in reasons(a, " - Ảnh "))


def test_teaser_prose_after_the_article_is_not_article():
    teasers = []
    for title, blurb in zip(RELATED, BODY):
        teasers += [("link", title), ("p", blurb.replace("Cây cầu", "Tuyến xe").replace("cầu", "tuyến"))]
    blocks = page(menu(), article(FEATURE), [("p", "Có thể bạn quan tâm")], teasers, footer())
    a = clean_article(render(blocks, "browser"))
    assert a.paragraphs == [LEAD, *FEATURE]


def test_control_characters_never_reach_the_text():
    raw = render(page(menu(), article()), "browser").replace("Cây cầu", "Cây\x00 cầu").replace("Theo", "\x07Theo")
    a = clean_article(raw.encode("utf-8"))
    assert not any(ch in a.text for ch in "\x00\x07")
    assert a.paragraphs[1] == BODY[0]


def test_html_lists_what_the_extractor_dropped():
    items = "".join(f"<li><a href='/{k}'>{m}</a></li>" for k, m in enumerate(MENU))
    rel = "".join(f"<li><a href='/r{k}'>{t}</a></li>" for k, t in enumerate(RELATED))
    html = (f"<html><head><title>{HEAD}</title></head><body><nav><ul>{items}</ul></nav>"
            f"<article><h1>{HEAD}</h1><p>{LEAD}</p>" + "".join(f"<p>{p}</p>" for p in BODY) +
            f"</article><aside><h3>Tin cùng chuyên mục</h3><ul>{rel}</ul></aside>"
            f"<footer>{FOOTER[1]}</footer></body></html>")
    a = clean_article(html)
    assert a.title == HEAD and a.paragraphs == [LEAD, *BODY]
    dropped = {r.text for r in a.removed}
    assert FOOTER[1] in dropped and any(RELATED[0] in t for t in dropped) and any("Kinh doanh" in t for t in dropped)


def test_article_words_that_look_like_chrome_stay():
    """Generic signals must not eat prose: logins, brand names, a dated sentence, a list with commas."""
    body = [
        "Các chuyên gia khuyên người dùng nên đăng nhập bằng xác thực hai lớp để bảo vệ tài khoản ngân hàng.",
        "Hãng cũng cập nhật ứng dụng trên iPhone, iPad, MacBook và YouTube để chặn các đường link giả mạo.",
        "Theo thống kê, các vụ lừa đảo tập trung ở Hà Nội, Hải Phòng, Đà Nẵng, Cần Thơ và TP.HCM trong năm qua.",
        "Cơ quan công an đề nghị người dân báo ngay khi nhận được tin nhắn lạ yêu cầu cung cấp mã OTP.",
    ]
    blocks = page(menu(), article(body), related(), footer())
    for shape in SHAPES:
        a = clean_article(render(blocks, shape))
        assert a.title == HEAD
        assert a.paragraphs == [LEAD, *body]


# A lifestyle feature: each step a heading and a paragraph, then pictures with a sentence or two
# under each. Gold practice (and ../shared/cleaning-dev's rules) drops such captions outside photo stories.
STEPS = [
    ("1. Chọn áo khoác", "Áo khoác là món đồ quan trọng nhất của mùa lạnh. Một chiếc áo dạ dáng dài hợp với hầu hết "
     "trang phục đi làm. Bạn nên chọn màu trung tính để dễ phối với nhiều kiểu quần và váy khác nhau."),
    ("2. Chọn khăn quàng", "Khăn quàng giúp giữ ấm cổ và tạo điểm nhấn cho bộ trang phục. Khăn len dày hợp với những "
     "ngày rét đậm, còn khăn lụa mỏng hợp với buổi sáng se lạnh. Hãy chọn màu tương phản với áo khoác."),
    ("3. Chọn giày", "Đôi giày quyết định sự thoải mái của bạn suốt cả ngày dài. Bốt cổ thấp đế bằng dễ đi và hợp với "
     "quần jeans. Nếu phải đứng nhiều, bạn nên tránh những đôi giày gót quá cao và mũi quá nhọn."),
]
PHOTO_CAPTIONS = [
    "Áo dạ màu be dễ phối cùng quần tây đen.",
    "Áo phao ngắn hợp với những buổi đi chơi cuối tuần. Bạn có thể phối cùng quần jeans.",
    "Khăn len đỏ nổi bật trên nền áo khoác xám.",
    "Khăn lụa họa tiết nhỏ mang lại vẻ thanh lịch cho cô nàng công sở.",
    "Bốt da nâu đi cùng váy len dài qua gối.",
    "Giày lười đế bằng là lựa chọn an toàn cho người phải đi lại nhiều.",
]


@pytest.mark.parametrize("shape", SHAPES)
def test_captions_under_the_pictures_of_a_feature_are_dropped(shape):
    blocks = page(menu(), [("p", HEAD), ("p", "Thứ hai, 12/05/2025 09:30 (GMT+7)"), ("p", LEAD)])
    for k, (heading, paragraph) in enumerate(STEPS):
        blocks += [("p", heading), ("p", paragraph)]
        for j, caption in enumerate(PHOTO_CAPTIONS[2 * k:2 * k + 2]):
            blocks += [("figure", f"{HEAD} {2 * k + j + 1}"), ("p", caption)]
    a = clean_article(render(page(blocks, related(), footer()), shape))
    assert a.paragraphs == [LEAD] + [t for step in STEPS for t in step]
    for caption in PHOTO_CAPTIONS:
        assert reasons(a, caption) == ["photo caption"], caption


def test_a_paragraph_after_a_lone_picture_is_not_a_caption():
    """One picture in a news story: the short paragraph after it stays (a page captions its pictures
    as a habit only from three such lines on)."""
    short = "Cầu mở cửa từ 5 giờ sáng đến 23 giờ mỗi ngày. Xe máy không được đi lên cầu."
    blocks = page(menu(), article(BODY[:2]), [("figure", HEAD), ("p", short)], [("p", p) for p in BODY[2:]],
                  related(), footer())
    a = clean_article(render(blocks, "browser"))
    assert a.paragraphs == [LEAD, *BODY[:2], short, *BODY[2:]]


def test_two_blank_lines_between_most_paragraphs_are_no_pictures():
    """A page that sets most paragraphs off by two blank lines: its short paragraphs are not captions."""
    shorts = ["Cầu mở cửa từ 5 giờ sáng đến 23 giờ mỗi ngày.", "Xe máy không được đi lên cầu.",
              "Du khách được miễn phí vé trong tháng đầu tiên. Sau đó giá vé là 10.000 đồng một lượt."]
    long = [" ".join((BODY * 2)[k:k + 3]) for k in range(4)]  # three sentences each
    long.append(long[0].replace("Cây cầu", "Công trình"))
    body = [long[0], shorts[0], long[1], shorts[1], long[2], shorts[2], long[3], long[4]]
    gaps = ["\n\n", "\n\n\n", "\n\n\n", "\n\n\n", "\n\n\n", "\n\n\n", "\n\n\n", "\n\n"]
    raw = "\n".join(MENU) + f"\n\n{HEAD}\n\n{LEAD}" + "".join(g + t for g, t in zip(gaps, body))
    a = clean_article(raw + "\n\n" + "\n".join(FOOTER))
    assert a.paragraphs == [LEAD, *body]


# --- issue 21: the shapes of 2026 pages (closing signatures, long headlines, sidebars, teaser boxes) -------------

SIGNATURE = "Lan Anh/Vnews/vnews.vn"
SIDEBAR = [  # other articles printed in full in a hidden sidebar: a text-mode browser shows them
    ("Cảng Liên Chiểu đón chuyến tàu container đầu tiên",
     "Sáng nay, cảng Liên Chiểu ở Đà Nẵng đã đón chuyến tàu container đầu tiên cập bến sau hai năm thi công, mở "
     "ra tuyến vận tải biển mới cho các doanh nghiệp xuất khẩu ở miền Trung và Tây Nguyên."),
    ("Giá thuê văn phòng ở trung tâm Hà Nội tiếp tục tăng",
     "Theo báo cáo mới nhất của các công ty tư vấn, giá thuê văn phòng hạng A ở trung tâm Hà Nội đã tăng thêm "
     "khoảng 4% so với cùng kỳ, trong khi tỷ lệ lấp đầy vẫn duy trì ở mức cao."),
    ("Xuất khẩu cà phê tám tháng vượt ba tỷ USD",
     "Tám tháng đầu năm, xuất khẩu cà phê của cả nước đạt hơn ba tỷ USD nhờ giá thế giới ở mức cao, dù sản lượng "
     "giảm nhẹ do thời tiết khô hạn kéo dài ở nhiều tỉnh Tây Nguyên."),
    ("Ngân hàng đồng loạt giảm lãi suất cho vay mua nhà",
     "Nhiều ngân hàng thương mại vừa công bố giảm lãi suất cho vay mua nhà từ 0,5 đến 1 điểm phần trăm cho khách "
     "hàng trẻ, áp dụng trong năm đầu tiên của khoản vay."),
]


def sidebar(heading: str = "Điểm báo trong tuần") -> list[tuple[str, str]]:
    return [("p", heading)] + [b for title, text in SIDEBAR for b in (("link", title), ("p", text))]


@pytest.mark.parametrize("shape", SHAPES)
def test_closing_signature_is_the_byline_and_a_category_label_is_no_headline(shape):
    """A signature "Name/Agency/site" under the headline and after the last paragraph, a category label
    above the headline: neither is the headline, the signature is the byline."""
    blocks = page(menu(), [("p", "Thời sự"), ("p", HEAD), ("p", SIGNATURE), ("p", "09:30' - 12/05/2025")],
                  [("p", LEAD)], [("p", p) for p in BODY], [("p", SIGNATURE), ("p", "Từ khóa:"), ("link", "cầu"),
                  ("link", "sông Hàn")], related("Tin liên quan"), footer())
    a = clean_article(render(blocks, shape))
    assert a.title == HEAD
    assert a.paragraphs == [LEAD, *BODY]
    assert a.byline == SIGNATURE


LONG_HEAD = ("Doanh nghiệp cấp nước cho hơn 3 triệu dân tại TP. HCM, Bình Dương... sắp hoàn thành nhà máy xử lý "
             "nước thải hơn 1.000 tỷ đồng, biến bùn thải mỗi ngày thành phân bón hữu cơ")
LONG_LEAD = ("Doanh nghiệp cấp nước hiện quản lý 12 nhà máy nước ở bốn tỉnh thành và đang hoàn thành nhà máy xử "
             "lý nước thải lớn nhất khu vực, dự kiến vận hành vào cuối năm nay.")


@pytest.mark.parametrize("shape", SHAPES)
def test_long_headline_under_a_category_label_is_the_headline(shape):
    """A 2026 headline of 30+ words with no final stop reads as prose by its length: under a category
    label ("Doanh nghiệp") and over the byline/date line and the lead, it is the headline."""
    blocks = page(menu(), [("p", "Doanh nghiệp"), ("p", LONG_HEAD), ("p", "Minh Phong • 12/05/2025 - 22:17")],
                  [("p", LONG_LEAD)], [("p", p) for p in BODY], related("Bài liên quan"), footer())
    a = clean_article(render(blocks, shape))
    assert a.title == LONG_HEAD
    assert a.paragraphs == [LONG_LEAD, *BODY]


@pytest.mark.parametrize("shape", SHAPES)
def test_hidden_sidebar_printing_other_articles_in_full_is_dropped(shape):
    """After the tags and a related box, a sidebar prints ten other articles in full (hidden in a
    browser, shown by a text-mode browser): as much prose as the article, none of it the article's."""
    blocks = page(menu(), article(), [("p", SIGNATURE), ("p", "Từ khóa:"), ("link", "cầu"), ("link", "sông Hàn")],
                  related("Tin liên quan", 2), sidebar(), sidebar("Tin cùng chuyên mục"), footer())
    a = clean_article(render(blocks, shape))
    assert a.title == HEAD
    assert a.paragraphs == [LEAD, *BODY]
    assert all(reasons(a, text) for _, text in SIDEBAR)


@pytest.mark.parametrize("shape", SHAPES)
def test_sidebar_of_headlines_and_their_leads_with_no_marker_is_dropped(shape):
    """Cards of other articles (a headline, the lead that retells it), with no section marker above."""
    blocks = page(menu(), article(), sidebar("Điểm báo trong tuần"), footer())
    a = clean_article(render(blocks, shape))
    assert a.paragraphs == [LEAD, *BODY]


@pytest.mark.parametrize("shape", SHAPES)
def test_related_box_whose_first_teaser_has_a_full_lead_is_dropped(shape):
    """A box of other articles: the first with its lead (a full sentence, no '...'), the rest as titles."""
    title, lead = SIDEBAR[0]
    blocks = page(menu(), article(), [("link", title), ("p", lead)], [("link", t) for t, _ in SIDEBAR[1:]],
                  [("link", t) for t in RELATED[:2]], footer())
    a = clean_article(render(blocks, shape))
    assert a.paragraphs == [LEAD, *BODY]
    assert reasons(a, lead)


@pytest.mark.parametrize("shape", SHAPES)
def test_titles_printed_twice_on_one_line_are_dropped(shape):
    """A list whose items print the picture's alt text and then the link: each title twice on one line."""
    items = [("link", f"{t} {t}") for t in RELATED + [t for t, _ in SIDEBAR]]
    blocks = page(menu(), article(), [("p", "Đọc tiếp")], items, footer())
    a = clean_article(render(blocks, shape))
    assert a.paragraphs == [LEAD, *BODY]
    assert all(reasons(a, f"{t} {t}") == ["title printed twice (picture alt text and link)"] for t in RELATED)


@pytest.mark.parametrize("shape", SHAPES)
def test_article_ends_at_the_last_paragraph_before_a_run_of_links(shape):
    """No marker, no footer: the last paragraph before a long run of link-shaped lines ends the article;
    prose after that run is another article's, however long."""
    other = ("Một doanh nghiệp logistics vừa khai trương trung tâm phân phối rộng năm hecta ở Bình Dương, với hệ "
             "thống kho lạnh tự động phục vụ các chuỗi siêu thị và cửa hàng tiện lợi ở khu vực phía Nam, dự kiến "
             "tạo việc làm cho khoảng năm trăm lao động địa phương trong năm đầu tiên hoạt động.")
    links = [("link", t) for t in RELATED + [t for t, _ in SIDEBAR]]
    blocks = page(menu(), article(), links, [("p", other)], [("link", t) for t in RELATED], footer())
    a = clean_article(render(blocks, shape))
    assert a.paragraphs == [LEAD, *BODY]


@pytest.mark.parametrize("shape", SHAPES)
def test_alt_text_above_a_caption_that_repeats_it_is_dropped(shape):
    """A picture's alt text printed above its caption, which repeats it and adds a credit."""
    alt = "Công nhân lắp đặt lan can kính trên cầu đi bộ."
    caption = "Công nhân lắp đặt lan can kính trên cầu đi bộ (Nguồn: Sở Xây dựng)"
    blocks = page(menu(), article(BODY[:2]), [("p", alt), ("p", caption)], [("p", p) for p in BODY[2:]], footer())
    a = clean_article(render(blocks, shape))
    assert a.paragraphs == [LEAD, *BODY]
    assert reasons(a, alt) and reasons(a, caption)


def test_a_page_that_captions_its_pictures_as_a_habit_drops_every_caption():
    """Most lines under pictures are one-sentence captions: then a longer line under a picture is a
    caption too, and so are a short sentence set between two captions and one continued with '...'."""
    long_caption = ("Áo dạ dáng dài màu lạc đà hợp với cả váy liền lẫn quần tây. Bạn có thể thêm thắt lưng da để "
                    "tôn dáng. Một đôi bốt cổ thấp sẽ hoàn thiện bộ trang phục cho ngày đông.")
    between = "Khăn quàng cùng tông với áo giúp tổng thể hài hòa hơn."
    cut, continued = "Những chiếc khăn len dệt kim dày dặn...", "... hợp với những ngày rét đậm ở miền Bắc."
    blocks = page(menu(), [("p", HEAD), ("p", "Thứ hai, 12/05/2025 09:30 (GMT+7)"), ("p", LEAD)])
    heading, paragraph = STEPS[0]
    blocks += [("p", heading), ("p", paragraph)]
    blocks += [("figure", "1"), ("p", PHOTO_CAPTIONS[0]), ("figure", "2"), ("p", long_caption)]
    blocks += [("figure", "3"), ("p", PHOTO_CAPTIONS[1]), ("p", between), ("figure", "4"), ("p", PHOTO_CAPTIONS[2])]
    blocks += [("p", cut), ("figure", "5"), ("p", continued)]
    for heading, paragraph in STEPS[1:]:
        blocks += [("p", heading), ("p", paragraph), ("figure", "6"), ("p", PHOTO_CAPTIONS[3])]
    a = clean_article(render(page(blocks, related(), footer()), "browser"))
    assert a.paragraphs == [LEAD] + [t for step in STEPS for t in step]
    for caption in (long_caption, between, cut, continued):
        assert reasons(a, caption) == ["photo caption"], caption
