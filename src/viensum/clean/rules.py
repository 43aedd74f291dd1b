"""The cleaner's rules as data: line patterns, word lists and the cheap gates in front of slow patterns.

Nothing here names a site: the lists are generic Vietnamese news-page vocabulary (section headings,
share buttons, footers, caption cues). :mod:`viensum.clean.classify` applies them to one line.
"""
from __future__ import annotations

import re


# --- line shapes ---------------------------------------------------------------
END_PUNCT_RE = re.compile(r"[.!?…;:][\"'”’»)\]]*$")
_SENTENCE_END, _CLOSERS = frozenset(".!?…;:"), "\"'”’»)]"


def ends_like_sentence(text: str) -> bool:
    """``bool(END_PUNCT_RE.search(text))`` without scanning the line: the last character before any
    closing quotes and brackets ends a sentence (``$`` also matches before one final newline)."""
    last = text[-1:]
    if last in _SENTENCE_END:
        return True
    if last not in _CLOSERS and last != "\n":  # the common case: the last character settles it
        return False
    tail = (text[:-1] if text.endswith("\n") else text).rstrip(_CLOSERS)
    return tail[-1:] in _SENTENCE_END
MD_IMAGE_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
TABLE_EDGE_RE = re.compile(r"^\|\s*|\s*\|$")
IMAGE_FILE_RE = re.compile(r"^\S(?:[^.!?]{0,80}\S)?\.(?:jpe?g|png|gif|webp|svg|bmp|avif)(?:\?\S*)?$", re.I)
# A whole line in brackets is how w3m prints an image's alt text or a form button; "[ ]" a check box.
BRACKETED_RE = re.compile(r"^\[[^\[\]]{0,300}\]$")
FORM_RE = re.compile(r"^(?:\[[ xX*]?\]|\(\*?\)|\( \))\s*\S|\(\*\)\w")
INLINE_ALT_RE = re.compile(r"\s\[[^\[\]\s]{1,40}\]$")
GLYPH_BULLET_RE = re.compile(r"^[•□☆○◦▪●■★◆]\s*")
PLAYER_RE = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?\s*/\s*\d{1,2}:\d{2}(?::\d{2})?$")
ACCESSIBILITY_RE = re.compile(r"(?:^|\s)A-\s+A\s+A\+|tương phản|cỡ chữ|phóng to|thu nhỏ", re.I)
ICON_TOKEN_RE = re.compile(r"^(?:[a-z]{1,3}|[\w-]+-icon|icon-[\w-]+)$")
SEPARATORS_RE = re.compile(r"\s+[|»›>/•·]\s+|\s*\|\s*")
BULLET_RE = re.compile(r"^(?:[-–+•*●▪■◦]|\d{1,2}[.)]|[a-zđ][.)])\s")
DATE_RE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2}\b|\b\d{1,2}:\d{2}\b|"
                      r"\bGMT\s*[+-]\s*\d")
ENDS_WITH_DATE_RE = re.compile(r",\s*\d{1,2}/\d{1,2}/\d{2,4}\.?$")  # "… bởi minhtuan, 12/3/24."
DMY_RE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d{2})\b")
ALL_CAPS_CREDIT_RE = re.compile(r"^\(?[A-ZĐ][A-ZĐ+&]{2,}\)?(?:\s*/\s*[^/]{1,40})?$")
SOURCE_RE = re.compile(r"^[(\[]?\s*(?:theo|nguồn)\s*:?\s+\S.{0,80}$", re.I)
LINK_PREFIX_RE = re.compile(
    r"^(?:>>+|»|►|▶|\+\+)\s*\S|"
    r"^(?:xem thêm|đọc thêm|xem tiếp|mời (?:quý vị |bạn )?(?:xem|đọc|nghe)|tin liên quan|bài liên quan|video)"
    r"\s*[:>»\-–]\s*\S", re.I)
TAGS_RE = re.compile(r"^(?:tags?|từ khoá|từ khóa|chủ đề|keywords?)\s*:\s*\S|^#\w+(?:\s+#\w+)*$", re.I)
SITE_HEADER_RE = re.compile(
    r"^(?:logo\b|cổng thông tin|trang thông tin điện tử|báo điện tử|tạp chí điện tử|đài tiếng nói|đài truyền hình|"
    r"cơ quan (?:chủ quản|của)|trang chủ\b)", re.I)
FOOTER_RE = re.compile(
    r"^(?:©|\(c\)\s|copyright\b|bản quyền\b|giấy phép\b|cơ quan chủ quản|tổng biên tập\s*:|chịu trách nhiệm|"
    r"ghi rõ nguồn|liên hệ quảng cáo|địa chỉ\s*:|điện thoại\s*:|đường dây nóng|hotline\s*:)", re.I)
WEATHER_RE = re.compile(r"-?\d+\s*°\s*C?\b", re.I)
# Cheap gates in front of patterns tried on every line (a test checks each against its pattern):
# the first characters a match can start with (of the lower-cased line; a case-insensitive "i" also
# matches the dotless "ı", which lower() keeps), and a digit for the dates.
FOOTER_START = frozenset({"(c", "co", "bả", "gi", "gı", "cơ", "tổ", "ch", "gh", "li", "lı", "đị", "đi", "đı", "đư", "ho"})
SITE_HEADER_START = frozenset({"lo", "cổ", "tr", "bá", "tạ", "đà", "cơ"})
LINK_PREFIX_FIRST = frozenset(">»►▶+xđmtbv")
SOURCE_GATE = ("theo", "nguồn")  # SOURCE_RE's words (no letter of theirs folds to another under re.I)
CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZĐ")  # ALL_CAPS_CREDIT_RE's first letter
DIGIT_RE = re.compile(r"\d")

# Section headings after which a page has only other articles, comments or ads.
MARKERS = {
    "tin cùng chuyên mục", "cùng chuyên mục", "bài cùng chuyên mục", "có thể bạn quan tâm", "bạn có thể quan tâm",
    "có thể bạn muốn xem", "tin bài liên quan", "tin liên quan", "bài liên quan", "bài viết liên quan",
    "tin tức liên quan", "đọc nhiều", "đọc nhiều nhất", "tin đọc nhiều", "xem nhiều", "xem nhiều nhất",
    "tin xem nhiều", "xem thêm", "đọc thêm", "multimedia", "ý kiến bình luận", "ý kiến bạn đọc", "ý kiến",
    "bình luận", "gửi bình luận", "viết bình luận", "tin khác", "các tin khác", "bài khác", "các bài khác",
    "tin mới", "tin mới nhất", "mới nhất", "tin mới cập nhật", "tin nổi bật", "nổi bật", "tin tiêu điểm",
    "tiêu điểm", "tin ảnh", "video nổi bật", "tin video", "tags", "tag", "từ khóa", "từ khoá", "chủ đề",
    "tin tức khác", "tin cùng loại", "bài đọc nhiều", "đừng bỏ lỡ", "tin hot", "có thể bạn chưa đọc",
}
MARKER_TRIM_RE = re.compile(r"^[\W\d_]+|[\W\d_]+$")
# Picture alt texts are numbered after the headline: "… - Ảnh 1"; the caption beside them is kept.
ALT_TEXT_RE = re.compile(r"\s[-–|]\s*(?:ảnh|hình|photo)\s*\d{1,3}\s*$", re.I)
NUMBERED_RE = re.compile(r"^(.{12,}?)\s+\d{1,3}$")
# A forum's post number ("#2") starts a reply: only the opening post is the article.
FORUM_POST_RE = re.compile(r"^#\d{1,6}$")
FORUM_CHROME_RE = re.compile(r"\b(?:said|wrote|viết|đã viết)\s*:\s*↑?$|^(?:sửa lần cuối bởi|last edited by)\b", re.I)
# Pop-ups and notices printed above or over the page: login, paywall, cookies, scripts.
NOTICE_RE = re.compile(
    r"\benable (?:javascript|scripts)\b|\bsecured browser\b|\byour browser\b|\b(?:log|sign) in to\b|"
    r"\bsubscribe to (?:read|continue)\b|\baccept (?:all )?cookies\b|\buses? cookies\b|"
    r"(?:đăng nhập|đăng ký)(?: tài khoản| gói)? để (?:đọc|xem|tiếp tục|bình luận)|đăng ký gói|"
    r"để (?:đọc|xem) (?:tiếp|toàn bộ|trọn vẹn|đầy đủ)|trình duyệt (?:của bạn|không hỗ trợ)|"
    r"(?:sử dụng|chấp nhận) cookie",
    re.I)

# One-to-three-word controls: share bars, login, print, font size, app links.
CHROME_WORDS = {
    "chia sẻ", "share", "facebook", "twitter", "zalo", "email", "e-mail", "in", "in bài", "in bài viết", "lưu",
    "lưu bài", "lưu bài viết", "copy link", "sao chép liên kết", "sao chép link", "gửi", "gửi bài", "thích",
    "like", "tweet", "đăng nhập", "đăng ký", "đăng xuất", "tìm kiếm", "tìm", "trang chủ", "quay lại",
    "về đầu trang", "lên đầu trang", "theo dõi", "theo dõi trên", "tải ứng dụng", "nghe bài viết", "nghe",
    "đọc bài", "tóm tắt", "google news", "báo in", "rss", "menu", "đóng", "mở", "bình chọn", "báo lỗi",
    "góp ý", "xem trên", "xem bản đầy đủ", "trở về", "quay về", "phản hồi", "trả lời", "tiếp theo",
    "bài trước", "bài sau", "thu gọn", "xem tiếp", "english", "tiếng việt", "liên hệ", "giới thiệu",
    "sitemap", "ảnh", "video", "podcast", "infographics", "emagazine", "longform",
}

# Photo-caption vocabulary: positions in a group photo, credits, "what this photo shows".
CAPTION_CUE_RE = re.compile(
    r"\((?:ảnh|nguồn|photo)\s*:|(?:^|[\s(\-–|.])ảnh\s*:|ảnh minh họa|ảnh minh hoạ|ảnh tư liệu|ảnh chụp màn hình|"
    r"từ (?:trái|phải) (?:sang|qua)|ngoài cùng|\((?:giữa|trái|phải|hàng đầu|đứng giữa)[^)]*\)|"
    r"(?:thứ (?:nhất|hai|ba|tư|năm|sáu|bảy|\d+)|hàng (?:đầu|trước|sau)) (?:từ|bên) (?:trái|phải)",
    re.I)
CAPTION_GATE = ("ảnh", "trái", "phải", "giữa", "ngoài cùng", "hàng", "nguồn")  # cheap pre-check before the regex
# Substrings one of which every match of a slow case-insensitive pattern contains: a plain
# `in` test is about a hundred times cheaper than the pattern, and most lines have none of them.
ACCESSIBILITY_GATE = ("a+", "tương phản", "cỡ chữ", "phóng to", "thu nhỏ")
FORUM_CHROME_GATE = (":", "sửa lần cuối", "last edited")
NOTICE_GATE = ("enable", "browser", " in to", "subscribe", "cookie", "đăng", "để đọc", "để xem", "trình duyệt")
ALT_TEXT_GATE = ("ảnh", "hình", "photo")
COMMENT_BOX_RE = re.compile(r"(?:\d+\s+)?(?:bình luận|ý kiến)(?:\s*\(\d+\))?")
CAPTION_ACTION_RE = re.compile(
    r"\b(?:quang cảnh|toàn cảnh|chụp ảnh|phát biểu|trao (?:tặng|quà|giấy|bằng|quyết định|kỷ niệm)|tặng quà|"
    r"tặng hoa|tại (?:buổi|lễ|hội nghị|hội thảo|sự kiện|phiên|cuộc họp|cuộc gặp)|dự (?:hội nghị|lễ|buổi)|"
    r"tiếp (?:bà|ông|đoàn|đại sứ|xã giao)|bắt tay|hội đàm)\b", re.I)
CREDIT_ONLY_RE = re.compile(
    r"^[(\-–]?\s*(?:ảnh|video|clip|đồ họa|đồ hoạ|nguồn ảnh)\s*:\s*[^.]{1,60}$|^ảnh minh ho[ạa]\.?$", re.I)
BYLINE_PREFIX_RE = re.compile(
    r"^(?:bài(?:,| và) ảnh|bài|tin(?:,| và) ảnh|thực hiện|nhóm phóng viên|nhóm pv|pv|btv|ctv)\s*:?\s*", re.I)
DOMAIN_RE = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:vn|com|net|org|info|asia|edu|gov)$", re.I)
HEADLINE_MAX_WORDS = 45  # a headline is 4-45 words and does not end like a sentence
NAME_WORD_RE = re.compile(r"^[A-ZÀ-ỸĐ][\wÀ-ỹ.']*$")
