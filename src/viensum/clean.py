"""Article cleaning: from a copied news page (text or saved HTML) to headline + body.

HTML goes through trafilatura (main content and metadata); its text output and
pasted page text then meet the same decisions. Each line is first judged on its
own from signals that carry across sites (length, sentence punctuation,
stop-word density, link/teaser/menu shape, dates, credits, section markers);
each line then gets a weight for or against being article text, and the body is
the run of lines with the highest total, so a related-links box inside the
article costs less than the prose after it while a related list after the end
only costs. The headline is the headline-shaped line above the body whose words
the lead repeats. Every dropped line is recorded in ``Article.removed`` with a
short reason, and the words kept are never changed. docs/CLEANING.md explains
the signals and weights.
"""
from __future__ import annotations

import bisect
import functools
import logging
import re
from collections import Counter
from dataclasses import dataclass

from viensum.errors import InputError
from viensum.results import Article, Removed
from viensum.text import decode_bytes, normalize_text, split_sentences, words

log = logging.getLogger(__name__)

MAX_BYTES = 5_000_000

# --- line shapes ---------------------------------------------------------------
_END_PUNCT_RE = re.compile(r"[.!?…;:][\"'”’»)\]]*$")
_MD_IMAGE_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_TABLE_EDGE_RE = re.compile(r"^\|\s*|\s*\|$")
_IMAGE_FILE_RE = re.compile(r"^\S(?:[^.!?]{0,80}\S)?\.(?:jpe?g|png|gif|webp|svg|bmp|avif)(?:\?\S*)?$", re.I)
# A whole line in brackets is how w3m prints an image's alt text or a form button; "[ ]" a check box.
_BRACKETED_RE = re.compile(r"^\[[^\[\]]{0,300}\]$")
_FORM_RE = re.compile(r"^(?:\[[ xX*]?\]|\(\*?\)|\( \))\s*\S|\(\*\)\w")
_INLINE_ALT_RE = re.compile(r"\s\[[^\[\]\s]{1,40}\]$")
_GLYPH_BULLET_RE = re.compile(r"^[•□☆○◦▪●■★◆]\s*")
_PLAYER_RE = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?\s*/\s*\d{1,2}:\d{2}(?::\d{2})?$")
_ACCESSIBILITY_RE = re.compile(r"(?:^|\s)A-\s+A\s+A\+|tương phản|cỡ chữ|phóng to|thu nhỏ", re.I)
_ICON_TOKEN_RE = re.compile(r"^(?:[a-z]{1,3}|[\w-]+-icon|icon-[\w-]+)$")
_SEPARATORS_RE = re.compile(r"\s+[|»›>/•·]\s+|\s*\|\s*")
_BULLET_RE = re.compile(r"^(?:[-–+•*●▪■◦]|\d{1,2}[.)]|[a-zđ][.)])\s")
_DATE_RE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2}\b|\b\d{1,2}:\d{2}\b|"
                      r"\bGMT\s*[+-]\s*\d")
_ENDS_WITH_DATE_RE = re.compile(r",\s*\d{1,2}/\d{1,2}/\d{2,4}\.?$")  # "… bởi minhtuan, 12/3/24."
_DMY_RE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d{2})\b")
_ALL_CAPS_CREDIT_RE = re.compile(r"^\(?[A-ZĐ][A-ZĐ+&]{2,}\)?(?:\s*/\s*[^/]{1,40})?$")
_SOURCE_RE = re.compile(r"^[(\[]?\s*(?:theo|nguồn)\s*:?\s+\S.{0,80}$", re.I)
_LINK_PREFIX_RE = re.compile(
    r"^(?:>>+|»|►|▶|\+\+)\s*\S|"
    r"^(?:xem thêm|đọc thêm|xem tiếp|mời (?:quý vị |bạn )?(?:xem|đọc|nghe)|tin liên quan|bài liên quan|video)"
    r"\s*[:>»\-–]\s*\S", re.I)
_TAGS_RE = re.compile(r"^(?:tags?|từ khoá|từ khóa|chủ đề|keywords?)\s*:\s*\S|^#\w+(?:\s+#\w+)*$", re.I)
_SITE_HEADER_RE = re.compile(
    r"^(?:logo\b|cổng thông tin|trang thông tin điện tử|báo điện tử|tạp chí điện tử|đài tiếng nói|đài truyền hình|"
    r"cơ quan (?:chủ quản|của)|trang chủ\b)", re.I)
_FOOTER_RE = re.compile(
    r"^(?:©|\(c\)\s|copyright\b|bản quyền\b|giấy phép\b|cơ quan chủ quản|tổng biên tập\s*:|chịu trách nhiệm|"
    r"ghi rõ nguồn|liên hệ quảng cáo|địa chỉ\s*:|điện thoại\s*:|đường dây nóng|hotline\s*:)", re.I)
_WEATHER_RE = re.compile(r"-?\d+\s*°\s*C?\b", re.I)

# Section headings after which a page has only other articles, comments or ads.
_MARKERS = {
    "tin cùng chuyên mục", "cùng chuyên mục", "bài cùng chuyên mục", "có thể bạn quan tâm", "bạn có thể quan tâm",
    "có thể bạn muốn xem", "tin bài liên quan", "tin liên quan", "bài liên quan", "bài viết liên quan",
    "tin tức liên quan", "đọc nhiều", "đọc nhiều nhất", "tin đọc nhiều", "xem nhiều", "xem nhiều nhất",
    "tin xem nhiều", "xem thêm", "đọc thêm", "multimedia", "ý kiến bình luận", "ý kiến bạn đọc", "ý kiến",
    "bình luận", "gửi bình luận", "viết bình luận", "tin khác", "các tin khác", "bài khác", "các bài khác",
    "tin mới", "tin mới nhất", "mới nhất", "tin mới cập nhật", "tin nổi bật", "nổi bật", "tin tiêu điểm",
    "tiêu điểm", "tin ảnh", "video nổi bật", "tin video", "tags", "tag", "từ khóa", "từ khoá", "chủ đề",
    "tin tức khác", "tin cùng loại", "bài đọc nhiều", "đừng bỏ lỡ", "tin hot", "có thể bạn chưa đọc",
}
_MARKER_TRIM_RE = re.compile(r"^[\W\d_]+|[\W\d_]+$")
# Picture alt texts are numbered after the headline: "… - Ảnh 1"; the caption beside them is kept.
_ALT_TEXT_RE = re.compile(r"\s[-–|]\s*(?:ảnh|hình|photo)\s*\d{1,3}\s*$", re.I)
_NUMBERED_RE = re.compile(r"^(.{12,}?)\s+\d{1,3}$")
# A forum's post number ("#2") starts a reply: only the opening post is the article.
_FORUM_POST_RE = re.compile(r"^#\d{1,6}$")
_FORUM_CHROME_RE = re.compile(r"\b(?:said|wrote|viết|đã viết)\s*:\s*↑?$|^(?:sửa lần cuối bởi|last edited by)\b", re.I)
# Pop-ups and notices printed above or over the page: login, paywall, cookies, scripts.
_NOTICE_RE = re.compile(
    r"\benable (?:javascript|scripts)\b|\bsecured browser\b|\byour browser\b|\b(?:log|sign) in to\b|"
    r"\bsubscribe to (?:read|continue)\b|\baccept (?:all )?cookies\b|\buses? cookies\b|"
    r"(?:đăng nhập|đăng ký)(?: tài khoản| gói)? để (?:đọc|xem|tiếp tục|bình luận)|đăng ký gói|"
    r"để (?:đọc|xem) (?:tiếp|toàn bộ|trọn vẹn|đầy đủ)|trình duyệt (?:của bạn|không hỗ trợ)|"
    r"(?:sử dụng|chấp nhận) cookie",
    re.I)

# One-to-three-word controls: share bars, login, print, font size, app links.
_CHROME_WORDS = {
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
_CAPTION_CUE_RE = re.compile(
    r"\((?:ảnh|nguồn|photo)\s*:|(?:^|[\s(\-–|.])ảnh\s*:|ảnh minh họa|ảnh minh hoạ|ảnh tư liệu|ảnh chụp màn hình|"
    r"từ (?:trái|phải) (?:sang|qua)|ngoài cùng|\((?:giữa|trái|phải|hàng đầu|đứng giữa)[^)]*\)|"
    r"(?:thứ (?:nhất|hai|ba|tư|năm|sáu|bảy|\d+)|hàng (?:đầu|trước|sau)) (?:từ|bên) (?:trái|phải)",
    re.I)
_CAPTION_GATE = ("ảnh", "trái", "phải", "giữa", "ngoài cùng", "hàng")  # cheap pre-check before the regex
# Substrings one of which every match of a slow case-insensitive pattern contains: a plain
# `in` test is about a hundred times cheaper than the pattern, and most lines have none of them.
_ACCESSIBILITY_GATE = ("a+", "tương phản", "cỡ chữ", "phóng to", "thu nhỏ")
_FORUM_CHROME_GATE = (":", "sửa lần cuối", "last edited")
_NOTICE_GATE = ("enable", "browser", " in to", "subscribe", "cookie", "đăng", "để đọc", "để xem", "trình duyệt")
_ALT_TEXT_GATE = ("ảnh", "hình", "photo")
_COMMENT_BOX_RE = re.compile(r"(?:\d+\s+)?(?:bình luận|ý kiến)(?:\s*\(\d+\))?")
_CAPTION_ACTION_RE = re.compile(
    r"\b(?:quang cảnh|toàn cảnh|chụp ảnh|phát biểu|trao (?:tặng|quà|giấy|bằng|quyết định|kỷ niệm)|tặng quà|"
    r"tặng hoa|tại (?:buổi|lễ|hội nghị|hội thảo|sự kiện|phiên|cuộc họp|cuộc gặp)|dự (?:hội nghị|lễ|buổi)|"
    r"tiếp (?:bà|ông|đoàn|đại sứ|xã giao)|bắt tay|hội đàm)\b", re.I)
_CREDIT_ONLY_RE = re.compile(
    r"^[(\-–]?\s*(?:ảnh|video|clip|đồ họa|đồ hoạ|nguồn ảnh)\s*:\s*[^.]{1,60}$|^ảnh minh ho[ạa]\.?$", re.I)
_BYLINE_PREFIX_RE = re.compile(
    r"^(?:bài(?:,| và) ảnh|bài|tin(?:,| và) ảnh|thực hiện|nhóm phóng viên|nhóm pv|pv|btv|ctv)\s*:?\s*", re.I)
_NAME_WORD_RE = re.compile(r"^[A-ZÀ-ỸĐ][\wÀ-ỹ.']*$")


@dataclass
class _Line:
    text: str
    kind: str = "line"  # prose | line | junk | marker | footer | date | source | caption
    reason: str = ""
    padded: bool = False  # the raw line was wrapped in no-break spaces, as copied figure captions are
    after_image: bool = False  # an image placeholder came right before it
    n_words: int = 0
    spaced: bool = False  # two blank lines or a line of no-break spaces right before it

    @property
    def pictured(self) -> bool:
        """Printed right under a picture, as far as page text tells: an image line or an alt text
        before it, no-break-space padding, or extra space before it (a browser copy prints a
        picture followed by a line break, ``<img><br>caption``, as an extra blank line; a copied
        figure often leaves a line of no-break spaces)."""
        return self.after_image or self.padded or self.spaced


def clean_article(raw: str | bytes, *, fmt: str | None = None, max_bytes: int = MAX_BYTES) -> Article:
    """Clean one article given as text or HTML (``fmt`` "text"/"html"; guessed when None).

    Raises :class:`InputError` for empty, binary, oversized input or input with
    no article text; a non-Vietnamese text is returned with ``language`` set
    and a warning rather than refused.
    """
    if isinstance(raw, (bytes, bytearray)):
        if len(raw) > max_bytes:
            raise InputError(f"input is {len(raw):,} bytes, over the {max_bytes:,}-byte limit")
        text = decode_bytes(bytes(raw))
    elif isinstance(raw, str):
        # each character is at least one byte in UTF-8, so this check never under-counts
        if len(raw) > max_bytes:
            raise InputError(f"input is {len(raw):,} characters, over the {max_bytes:,}-character limit")
        text = raw.lstrip("\ufeff")
    else:
        raise InputError(f"expected text or bytes, got {type(raw).__name__}")
    if not text.strip():
        raise InputError("input is empty")
    if fmt is None:
        fmt = "html" if looks_like_html(text) else "text"
    if fmt not in ("text", "html"):
        raise InputError(f"unknown input format {fmt!r} (use 'text' or 'html')")
    if fmt == "html":
        article = _clean_html(text)
    else:
        article = _clean_text(text)
    if not article.paragraphs and not article.title:
        from viensum.langdetect import not_vietnamese

        # the Vietnamese line rules drop text in another language: say that, not "nothing found"
        raise InputError(not_vietnamese(text) or "no article text found in the input")
    _set_language(article)
    if "\ufffd" in text:  # bytes that were not valid UTF-8 (viensum.inputs.decode_text): say so
        article.warnings.append(f"{text.count(chr(0xFFFD)):,} undecodable bytes were replaced with U+FFFD (�)")
    return article


def looks_like_html(text: str) -> bool:
    """True when the text is markup (a saved page), judged from its first few KB."""
    head = text[:4096].lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) and "<" in head[1:]:
        return True
    return len(re.findall(r"<(?:html|head|body|div|p|article|meta|span|section|h1|a)\b", head)) >= 3


# --- HTML --------------------------------------------------------------------------


def _clean_html(html: str) -> Article:
    import trafilatura  # heavy: lxml, dateparser...
    from trafilatura.utils import load_html

    doc = None
    captions: set[str] = set()
    shown = ""
    tree = load_html(html)
    if tree is not None:
        shown = page_text(tree)  # before extraction, which prunes the tree
        captions = _flatten_figures(tree) | _italic_captions(tree)
        try:
            doc = trafilatura.bare_extraction(
                tree, with_metadata=True, include_comments=False, include_tables=True, include_images=False,
                favor_recall=True, deduplicate=False)
        except Exception as exc:  # trafilatura surfaces lxml failures as assorted exceptions
            log.debug("trafilatura failed: %s", exc)
    warnings: list[str] = []
    body = (getattr(doc, "text", None) or "") if doc is not None else ""
    if not body.strip():
        # Broken or unusual markup: fall back to all visible text and let the line rules judge it.
        try:
            body = trafilatura.html2txt(html)
        except Exception as exc:
            raise InputError(f"cannot parse the HTML: {exc}") from None
        warnings.append("main-content extraction found nothing; used all visible text")
    title = normalize_text(getattr(doc, "title", None) or "").strip() if doc is not None else ""
    title = _printed_headline(shown, [title, _page_title(tree)]) or title
    description = normalize_text(getattr(doc, "description", None) or "").strip() if doc is not None else ""
    lines = body.splitlines()
    longest = max(lines, key=len, default="").strip(" |")
    if len(longest.split()) > _FLATTENED_WORDS and normalize_text(longest) not in shown.split("\n"):
        # a layout table extracted as one table cell: the whole page on one line
        warnings.append("the extractor ran the page's layout table together; used the page's text blocks")
        lines = shown.split("\n")
    # a table row "| cell | cell |" is one line per cell: layout tables put steps and captions in cells
    lines = [cell for line in lines for cell in (_TABLE_CELL_RE.split(line) if line.startswith("|") else [line])]
    first = next((l for l in (normalize_text(x).strip() for x in lines) if l), "")
    # trafilatura keeps a printed lead (sapo) only when it sits inside the article block; bring it
    # back when the page prints the meta description as a paragraph, as most Vietnamese sites do.
    if description and description not in body and first != description and len(words(description)) >= 8:
        if description in shown or description in normalize_text(" ".join(shown.split())):
            lines = [description, ""] + lines
    article = _clean_lines(lines, known_title=title, input_format="html", captions=captions)
    article.removed.extend(_dropped_blocks(shown, "\n".join(lines), article.removed))
    article.warnings = warnings + article.warnings
    if doc is not None:
        article.date = getattr(doc, "date", None) or article.date
        author = getattr(doc, "author", None)
        if author and not article.byline:
            author = re.sub(r"^ảnh\s*:?\s+", "", normalize_text(author).strip(), flags=re.I)
            article.byline = _BYLINE_PREFIX_RE.sub("", author)
        article.url = getattr(doc, "url", None) or article.url
        sitename = getattr(doc, "sitename", None)
        if sitename and not article.source:
            article.source = normalize_text(sitename).strip()
    return article


# Elements that start a new line when a browser shows the page; elements never shown.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption dd div dl dt fieldset figcaption figure footer form h1 h2 h3 "
    "h4 h5 h6 header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split())
_PARAGRAPH_TAGS = frozenset("p h1 h2 h3 h4 h5 h6".split())  # a blank line around them, as a browser's copy has
_HIDDEN_TAGS = frozenset("script style noscript template head title svg iframe object select".split())
_BR, _IMG = 0, -1  # page_text's marks for a line break and a picture


def page_text(tree) -> str:
    """The visible text of a parsed HTML page, roughly as a browser's innerText shows it.

    A plain-Python stand-in: no layout, no CSS, so hidden elements show. Blocks
    start new lines; paragraphs and headings are set off by a blank line; a
    ``<br>`` is a line break of its own, and a picture an empty line, so a picture
    before its caption (``<img><br>caption``, or a table row of its own) leaves the
    extra blank line a browser copy has there.
    Used to list what the HTML extractor dropped, and by the tests to turn saved
    pages into page text without a browser.
    """
    from lxml import etree

    parts: list[str | int] = []  # text, _BR, _IMG, or the line breaks a block boundary asks for (1 or 2)
    hidden = 0
    for event, el in etree.iterwalk(tree, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if hidden or tag in _HIDDEN_TAGS or not tag:
                hidden += 1
                continue
            if tag in _BLOCK_TAGS:
                parts.append(2 if tag in _PARAGRAPH_TAGS else 1)
            elif tag == "br":
                parts.append(_BR)
            elif tag == "img":
                parts.append(_IMG)
            if el.text:
                parts.append(el.text)
        else:
            if hidden:
                hidden -= 1
                if hidden:
                    continue
            elif tag in _BLOCK_TAGS:
                parts.append(2 if tag in _PARAGRAPH_TAGS else 1)
            if el.tail:
                parts.append(el.tail)
    out: list[str] = []
    pending = 0  # adjacent block boundaries give the most line breaks any of them asks for, not their sum
    for part in parts:
        if isinstance(part, int) and part > 0:
            pending = max(pending, part)
        elif part in (_BR, _IMG) or part.strip():
            if pending and out:
                out.append("\n" * pending)
            pending = 0
            out.append("\n" if part == _BR else "" if part == _IMG else part)
        elif out and pending == 0:
            out.append(" ")  # white space between inline elements (source line breaks are not breaks)
    lines = [line.strip() for line in normalize_text("".join(out)).split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines).strip("\n")


def _dropped_blocks(visible: str, kept: str, removed: list[Removed]) -> list[Removed]:
    """Blocks of the page the HTML extractor left out (menus, related lists, footers), as removed lines."""
    folded = " ".join(kept.split())
    seen = {r.text for r in removed}
    out = []
    for line in visible.split("\n"):
        if line in seen or line in folded or not words(line):
            continue
        seen.add(line)
        out.append(Removed(line, "outside the page's main content (menu, related list, footer; left out by the "
                                 "HTML extractor)"))
    return out


_BLOCKS_XPATH = "ancestor::*[self::p or self::div or self::td or self::li or self::center or self::figure][1]"


_FLATTENED_WORDS = 150
_TABLE_CELL_RE = re.compile(r"\s*\|\s*")


def _page_title(tree) -> str:
    if tree is None:
        return ""
    found = tree.xpath("//head/title/text() | //meta[@property='og:title']/@content")
    return normalize_text(" ".join(found)).strip()


def _printed_headline(shown: str, titles: list[str]) -> str:
    """The longest headline-shaped line printed on the page that the page's title contains.

    A <title> is the headline plus the site's name or a slug ("Headline - Site", "Site - Headline");
    the extractor's title is sometimes a section name. The printed line is the headline as read.
    """
    titles = [t for t in titles if t]
    best = ""
    for line in shown.split("\n"):
        if len(line) > len(best) and 4 <= len(line.split()) <= 45 and any(line in t for t in titles):
            best = line
    return best


def _italic_captions(tree) -> set[str]:
    """Text set wholly in italics in a block with a picture, or right under one: a caption as many CMSs print it."""
    found: set[str] = set()
    for el in tree.xpath("//em | //i | //*[contains(@style, 'italic')]"):
        text = " ".join(el.text_content().split())
        if len(text.split()) < 3:
            continue
        block = el.xpath(_BLOCKS_XPATH)
        if not block or " ".join(block[0].text_content().split()) != text:
            continue
        block, prev = block[0], block[0].getprevious()
        if any(True for _ in block.iter("img")) or (prev is not None and any(True for _ in prev.iter("img"))):
            found.add(normalize_text(text).strip())
    return found


def _flatten_figures(tree) -> set[str]:
    """Turn each captioned figure into a plain paragraph holding its caption; return the captions.

    trafilatura drops figure captions or runs them together; as paragraphs they
    keep their place, and the line rules decide (a photo story keeps them).
    """
    xpath = ("//figcaption | //*[contains(translate(@class, 'CAPTION', 'caption'), 'caption')]")
    found = tree.xpath(xpath)
    inside = set(found)
    captions: set[str] = set()
    for el in found:
        if any(a in inside for a in el.iterancestors()):
            continue  # the outer caption element carries this text
        text = normalize_text(" ".join(el.text_content().split())).strip()
        if not text:
            continue
        target = el
        # climb to the figure/table wrapping the picture, as long as it holds nothing but this caption
        while True:
            parent = target.getparent()
            if parent is None or parent.tag in ("body", "article", "main", "html"):
                break
            if len(" ".join(parent.text_content().split())) > len(text) + 30:
                break
            target = parent
        parent = target.getparent()
        if parent is None:
            continue
        para = tree.makeelement("p", {})
        para.text, para.tail = text, target.tail
        parent.replace(target, para)
        captions.add(text)
    return captions


# --- plain text -----------------------------------------------------------------


def _clean_text(text: str) -> Article:
    return _clean_lines(_unfold_columns(text.splitlines()), known_title="", input_format="text")


# A text-mode browser lays table cells side by side, padded with spaces: the article column
# and a sidebar share each printed line. Runs of ten or more spaces (or a tab) separate cells.
_CELL_RE = re.compile(r"[^\s\u00a0]+(?:[ \u00a0]{1,9}[^\s\u00a0]+)*")
_MIN_SIDE_CELLS = 3


def _unfold_columns(raw_lines: list[str]) -> list[str]:
    """Read side-by-side cells column by column (left column first), keeping blank lines as breaks.

    Text with no side-by-side cells comes back unchanged.
    """
    if sum(1 for l in raw_lines if "   " in l.strip() or "\t" in l.strip()) < _MIN_SIDE_CELLS:
        return raw_lines
    cells = [[(m.start(), m.group()) for m in _CELL_RE.finditer(raw.expandtabs(8))] for raw in raw_lines]
    # A column starts where a cell starts that no other cell of a side-by-side row runs across:
    # centred text and wrapped lines start inside their column's cells, the next column after them.
    spans = sorted((s, s + len(t)) for row in cells if len(row) >= 2 for s, t in row)
    seconds = Counter(s for row in cells for s, _ in row[1:])  # cells printed beside another one
    bounds, reach, k = [0], 0, 0
    for start in sorted(s for s, c in seconds.items() if c >= 2):
        while k < len(spans) and spans[k][0] < start:
            reach = max(reach, spans[k][1])
            k += 1
        if reach <= start:
            bounds.append(start)
    column_of = {s: bisect.bisect_right(bounds, s) - 1 for row in cells for s, _ in row}
    col = len(bounds) - 1
    streams: list[list[str]] = [[] for _ in range(col + 1)]
    for row in cells:
        used = set()
        for s, text in row:
            streams[column_of[s]].append(text)
            used.add(column_of[s])
        for c, stream in enumerate(streams):
            if c not in used and stream and stream[-1]:
                stream.append("")  # a blank in this column: a paragraph break
    return [line for stream in streams for line in stream]


def _clean_lines(raw_lines: list[str], *, known_title: str, input_format: str,
                 captions: set[str] | frozenset[str] = frozenset()) -> Article:
    removed: list[Removed] = []
    warnings: list[str] = []
    lines = _prepare(raw_lines, removed)
    printed = {line.text for line in lines}
    for i, line in enumerate(lines):
        line.kind, line.reason = _classify(line)
        if line.text in captions and line.kind in ("prose", "line"):
            line.kind, line.reason = "caption", "photo caption"
        numbered = _NUMBERED_RE.match(line.text)
        if numbered and numbered.group(1) in printed:
            # "Headline 10": the tenth picture's alt text, named after a line printed elsewhere
            line.kind, line.reason = "junk", "image alt text (numbered picture)"
            if i + 1 < len(lines):
                lines[i + 1].after_image = True
    _mark_teasers(lines)

    run = _main_run(lines)
    title, title_idx = known_title, -1
    meta: dict[str, str] = {}
    if run is None:
        warnings.append("no paragraph of article prose found; kept every line that is not page chrome")
        run = (0, len(lines))
    start, end = run
    if not title:
        title_idx = _find_title(lines, start)
        title = lines[title_idx].text if title_idx >= 0 else ""
        if not title:
            warnings.append("no headline found: the text seems to start with the body")

    # everything above the body: chrome, the headline, its date and byline
    for i, line in enumerate(lines[:start]):
        if i == title_idx:
            continue
        if line.kind == "date":
            meta.setdefault("date", line.text)
            removed.append(Removed(line.text, "date (kept as metadata)"))
        elif line.text == title:
            removed.append(Removed(line.text, "repeated headline"))
        elif i > title_idx >= 0 and line.kind == "line" and _is_byline(line.text) and "byline" not in meta:
            meta["byline"] = line.text  # Dân trí, Thanh Niên print the author under the headline
            removed.append(Removed(line.text, "byline (kept as metadata)"))
        elif line.kind == "prose":
            removed.append(Removed(line.text, "prose outside the article's main run (notice, teaser or other text)"))
        else:
            removed.append(Removed(line.text, line.reason or "before the headline/lead"))

    # the body: the main run, less the boxes of links and teasers inside it
    body: list[_Line] = []
    i = start
    while i < end:
        line = lines[i]
        if line.kind in ("marker", "footer", "forum"):
            j = i + 1
            while j < end and j - i <= _BOX_MAX_LINES and lines[j].kind not in ("prose", "marker", "footer", "forum"):
                j += 1
            removed.extend(Removed(l.text, f"in-body related links ({line.text!r})") for l in lines[i:j])
            i = j
            continue
        if line.kind == "teaser":
            removed.append(Removed(line.text, line.reason))
        else:
            body.append(line)
        i += 1
    paragraphs = _body_paragraphs(body, title, meta, removed, warnings)

    # below the body: the byline and credits, then related lists, comments and the footer
    section = ""
    for line in lines[end:]:
        if line.kind in ("marker", "footer", "forum") and not section:
            section = line.text
            why = {"marker": "related/comment section", "footer": "page footer", "forum": "forum replies"}[line.kind]
        if section:
            removed.append(Removed(line.text, f"{why} ({section!r} and after)"))
        elif not _to_metadata(line, meta, removed):
            if line.kind == "line" and _is_byline(line.text) and "byline" not in meta:
                meta["byline"] = line.text
                removed.append(Removed(line.text, "byline (kept as metadata)"))
            else:
                removed.append(Removed(line.text, line.reason or "after the article body"))

    date = meta.get("date")
    return Article(
        title=title,
        paragraphs=paragraphs,
        date=_iso_date(date) if date else None,
        byline=meta.get("byline"),
        source=meta.get("source"),
        input_format=input_format,
        removed=removed,
        warnings=warnings,
    )


def _prepare(raw_lines: list[str], removed: list[Removed]) -> list[_Line]:
    """Normalise each line, dropping layout residue (table bars, image markup, blank spacers).

    A text-mode browser wraps long text in narrow table cells: a line that does
    not end a sentence followed, with no blank line between, by one that starts
    in lower case is the same paragraph, and is joined back.
    """
    out: list[_Line] = []
    image_before = False
    joinable = False  # the previous raw line was text, with no blank line since
    gap, spacer = 0, False
    normalized = normalize_text("\n".join(raw_lines)).split("\n")  # one pass: NFC is costly per line
    if len(normalized) != len(raw_lines):
        normalized = [normalize_text(raw).replace("\n", " ") for raw in raw_lines]
    for raw, text in zip(raw_lines, normalized):
        text = text.strip()
        padded = bool(raw) and raw[:1] in "\u00a0\u202f" and raw[-1:] in "\u00a0\u202f"
        if not text:
            # a line of only no-break spaces is where a copied page had a picture
            spacer = spacer or bool(raw.strip(" \t\r\n\ufeff"))
            joinable = False
            gap += 1
            continue
        if "|" in text:  # the patterns below are tried only where they can match: most lines are prose
            text = _TABLE_EDGE_RE.sub("", text).strip()
        if "![" in text and _MD_IMAGE_RE.search(text):
            rest = _MD_IMAGE_RE.sub("", text).strip(" |")
            reason = "teaser of another article (image + excerpt)" if rest else "image placeholder"
            removed.append(Removed(text, reason))
            image_before, joinable = True, False
            continue
        if not text:
            continue
        text = bare = _GLYPH_BULLET_RE.sub("", text) or text  # a text browser's list bullets are not page text
        if text.endswith("]"):
            text = _INLINE_ALT_RE.sub("", text) or text  # a picture's slug printed where it floats in a paragraph
        if _IMAGE_FILE_RE.match(bare) or _BRACKETED_RE.match(bare) or _FORM_RE.match(bare):
            reason = ("image file name" if _IMAGE_FILE_RE.match(bare) else
                      "image alt text or form field (text-browser rendering)")
            removed.append(Removed(text, reason))
            image_before, joinable = True, False
            continue
        if (joinable and out and text[:1].isalpha() and text[:1].islower()
                and (len(text.split()) >= 2 or _END_PUNCT_RE.search(text))
                and (out[-1].text[-1].isalnum() or out[-1].text[-1] == ",") and len(out[-1].text) >= 30):
            prev = out[-1]
            prev.text = f"{prev.text} {text}"
            prev.n_words = len(words(prev.text))
            continue
        out.append(_Line(text=text, padded=padded, after_image=image_before, n_words=len(words(text)),
                         spaced=spacer or gap >= 2))
        image_before, joinable, gap, spacer = False, True, 0, False
    # Extra space or no-break-space padding marks a picture only where the page's long paragraphs
    # go without it: some pages set every paragraph off by two blank lines or pad them all.
    essays = [l for l in out if l.n_words >= 40 and len(split_sentences(l.text)) >= 3]
    if essays and sum(l.spaced or l.padded for l in essays) * 2 > len(essays):
        for line in out:
            line.spaced = line.padded = False
    return out


def _classify(line: _Line) -> tuple[str, str]:
    """What a line is, judged on its own."""
    text, n = line.text, line.n_words
    low = text.lower()
    bare = _MARKER_TRIM_RE.sub("", low) if n <= 6 else ""
    if n == 0:
        return "junk", "no words (symbols or numbers only)"
    if _PLAYER_RE.match(text):
        return "junk", "media player residue"
    if n <= 12 and _gate(low, _ACCESSIBILITY_GATE) and _ACCESSIBILITY_RE.search(text):
        return "junk", "accessibility toolbar"
    if n <= 6 and bare in _MARKERS:
        return "marker", "section marker"
    if n <= 4 and _COMMENT_BOX_RE.fullmatch(low):
        return "marker", "comment box"
    if _FOOTER_RE.match(low):
        return "footer", "page footer"
    if n <= 40 and _gate(low, _ALT_TEXT_GATE) and _ALT_TEXT_RE.search(text):
        return "junk", "image alt text (numbered picture)"
    if _FORUM_POST_RE.match(text):
        return "forum", "forum post number (replies follow)"
    if n <= 12 and _gate(low, _FORUM_CHROME_GATE) and _FORUM_CHROME_RE.search(text):
        return "junk", "forum chrome (quote header, edit note)"
    if n <= 40 and _gate(low, _NOTICE_GATE) and _NOTICE_RE.search(text):
        return "junk", "login/paywall/browser notice"
    if _TAGS_RE.match(text):
        return "junk", "tags"
    tokens = text.split()
    if all(_ICON_TOKEN_RE.match(t) for t in tokens) and n <= 8:
        return "junk", "share/social icons"
    if n <= 3 and bare in _CHROME_WORDS:
        return "junk", "share/navigation control"
    if n <= 4 and "°" in text and _WEATHER_RE.search(text):
        return "junk", "weather widget"
    if _SITE_HEADER_RE.match(low) and n <= 14 and not _END_PUNCT_RE.search(text):
        return "junk", "site header"
    parts = [p for p in _SEPARATORS_RE.split(text) if p.strip()] if n <= 40 else []
    if len(parts) >= 3 and all(len(words(p)) <= 5 for p in parts) and not _END_PUNCT_RE.search(text):
        return "junk", "menu or breadcrumb"
    if _LINK_PREFIX_RE.match(text) and n <= 40:
        return "junk", "link to another article"
    if (n <= 12 and _DATE_RE.search(text) and not _END_PUNCT_RE.search(text.rstrip(")"))
            or n <= 20 and _ENDS_WITH_DATE_RE.search(text)):
        return "date", "date"
    if n <= 10 and (_SOURCE_RE.match(text) or _ALL_CAPS_CREDIT_RE.match(text)) and not text.endswith("."):
        return "source", "source credit"
    if _CREDIT_ONLY_RE.match(text):
        return "caption", "photo credit"
    if any(k in low for k in _CAPTION_GATE) and _CAPTION_CUE_RE.search(text) and len(split_sentences(text)) <= 3:
        return "caption", "photo caption"
    if n >= 8 and not _END_PUNCT_RE.search(text) and text.count(",") >= n / 4 and _stopword_density(text) < 0.35:
        return "junk", "keyword list"
    if ((text.count("...") + text.count("…") >= 3 and len(split_sentences(text)) <= 1)
            or n >= 8 and _glued(text) >= 3):
        return "junk", "teaser links run together"
    if _is_prose(text, n):
        return "prose", ""
    return "line", ""


def _gate(low: str, needles: tuple[str, ...]) -> bool:
    for k in needles:  # a plain loop: any() over a generator costs more than the tests
        if k in low:
            return True
    return False


def _glued(text: str) -> int:
    """Link titles printed with nothing between them: "…thiếu phụHot girl…sơ mi trắngSợ hãi…"."""
    return len(_glued_re().findall(text))


@functools.lru_cache(maxsize=1)
def _glued_re() -> re.Pattern:
    """A word's lower-case end glued to the next word's capital (Latin, Vietnamese included)."""
    letters = [chr(c) for c in range(0x41, 0x1F00)]
    lower = "".join(c for c in letters if c.islower())
    upper = "".join(c for c in letters if c.isupper())
    # two lower-case letters before, one after: "phụHot", "trắngSợ"; not "iPhone" or "iPad"
    return re.compile(f"[{re.escape(lower)}]{{2}}[{re.escape(upper)}][{re.escape(lower)}]")


def _is_prose(text: str, n: int) -> bool:
    if _END_PUNCT_RE.search(text):
        if text.endswith(":"):  # introduces a list or a quote: prose only when it is a real sentence
            return n >= 8
        return n >= 8 or len(split_sentences(text)) >= 2
    # long text without a final stop still reads as prose when stop words are dense
    return n >= 30 and _stopword_density(text) >= 0.25


def _stopword_density(text: str) -> float:
    toks = words(text)
    if not toks:
        return 0.0
    stop = _stoplist()
    return sum(t in stop for t in toks) / len(toks)


_STOPLIST: frozenset[str] | None = None


def _stoplist() -> frozenset[str]:
    global _STOPLIST
    if _STOPLIST is None:
        import justext

        _STOPLIST = frozenset(w.lower() for w in justext.get_stoplist("Vietnamese"))
    return _STOPLIST


# --- the main run of prose ----------------------------------------------------------
# Each line gets a score from its own shape (words of prose count for it, chrome and
# section markers against it); the article body is the contiguous run of lines with
# the highest total (the maximum-sum segment). A related-links box between two
# paragraphs costs less than the prose that resumes after it, so the body goes on;
# a related list after the last paragraph only costs, so the body ends there.
_BOX_MAX_LINES = 8  # a marker and its links inside the body
_W_MARKER, _W_FOOTER, _W_FORUM = -15.0, -40.0, -80.0
_W_CHROME, _W_LINK_RUN, _W_SHORT = -4.0, -3.0, -1.0
_W_ALONE, _NEAR = 0.5, 2
_PICTURE_REASONS = frozenset({"keyword list", "image alt text (numbered picture)"})
_LEAD_GAP = 8  # lines of page furniture allowed between the lead and the body
_PROSE_DENSITY = 0.3  # jusText Vietnamese stop words: article paragraphs have 0.3 and more


def _weights(lines: list[_Line]) -> list[float]:
    prose_words = sum(l.n_words for l in lines if l.kind == "prose")
    photo_words = sum(l.n_words for l in lines if l.kind in ("caption", "line") and _sentence_like(l))
    photo = photo_words > prose_words  # a photo story: the captions carry the text
    out: list[float] = []
    run = 0  # length of the run of short non-sentence lines this line belongs to
    for i, line in enumerate(lines):
        k = line.kind
        if k == "prose":
            # prose is dense in function words; a run of names or keywords is not
            w = min(line.n_words, 80) * min(1.0, _stopword_density(line.text) / _PROSE_DENSITY)
        elif k in ("line", "caption") and _sentence_like(line):
            w = line.n_words / (1.0 if photo else 3.0)
        elif k == "line":
            if run == 0:
                j, n_links = i, 0
                while j < len(lines) and (lines[j].kind in ("date", "junk") or
                                          lines[j].kind == "line" and not _sentence_like(lines[j])):
                    n_links += lines[j].kind == "line"
                    j += 1
                run = n_links
            w = _W_LINK_RUN if run >= 3 and not _BULLET_RE.match(line.text) else _W_SHORT
        elif k == "marker":
            w = _W_MARKER
        elif k == "footer":
            w = _W_FOOTER
        elif k == "forum":
            w = _W_FORUM
        elif line.reason in _PICTURE_REASONS:
            w = _W_SHORT  # pictures belong to articles too: their residue is weak evidence either way
        else:
            w = _W_CHROME
        run = max(run - 1, 0) if k == "line" else 0
        out.append(w)
    # A paragraph alone among links (no other text within two lines) is a teaser card's blurb
    # more often than article prose: it counts half. Articles run paragraph after paragraph.
    # A marked box of links (a marker and the short lines after it) does not separate paragraphs.
    seq, in_box = [], False
    for i, line in enumerate(lines):
        in_box = line.kind == "marker" or (in_box and line.kind in ("line", "junk", "date"))
        if not in_box:
            seq.append(i)
    for pos, i in enumerate(seq):
        near = seq[max(pos - _NEAR, 0):pos] + seq[pos + 1:pos + _NEAR + 1]
        if out[i] > 0 and not any(out[j] > 0 for j in near):
            out[i] *= _W_ALONE
    return out


def _sentence_like(line: _Line) -> bool:
    """A short sentence (a caption, a one-line paragraph): ends like one, at least four words."""
    return line.n_words >= 4 and bool(_END_PUNCT_RE.search(line.text)) and not line.text.endswith(":")


def _main_run(lines: list[_Line]) -> tuple[int, int] | None:
    """``(start, end)`` of the maximum-sum run of line weights, or None when nothing scores."""
    best, best_span = 0.0, None
    total, begin = 0.0, 0
    for i, w in enumerate(_weights(lines)):
        if total <= 0:
            total, begin = 0.0, i
        total += w
        if total > best:
            best, best_span = total, (begin, i + 1)
    if best_span is None:
        return None
    # The lead often sits above a strip of page furniture (an audio player, a picture and its
    # credit): a paragraph a few chrome lines above the run, with no marker between, is its lead.
    start, end = best_span
    j = start - 1
    while j >= 0 and start - j <= _LEAD_GAP and lines[j].kind in ("line", "junk", "date", "source", "caption"):
        j -= 1
    if j >= 0 and start - j <= _LEAD_GAP and lines[j].kind == "prose":
        start = j
    return start, end


def _mark_teasers(lines: list[_Line]) -> None:
    """After a section marker, "link, teaser sentence" pairs are other articles, not this one.

    Anywhere, a blurb cut off with an ellipsis right under a headline-shaped line is a teaser card.
    """
    for i, line in enumerate(lines):
        if (line.kind == "prose" and i and lines[i - 1].kind == "line" and _headline_shaped(lines[i - 1])
                and line.text.endswith(("...", "…"))):
            line.kind, line.reason = "teaser", "teaser of another article (blurb cut off under its link)"
    for i, line in enumerate(lines):
        if line.kind != "marker":
            continue
        pairs: list[int] = []
        j = i + 1
        while j < len(lines):
            # one to three short lines (the link, often twice: thumbnail and title; its date), then its text
            k = j
            while k < len(lines) and k - j < 3 and lines[k].kind in ("line", "date", "junk"):
                k += 1
            if k == j or k >= len(lines) or lines[k].kind != "prose":
                break
            pairs.append(k)
            j = k + 1
        if len(pairs) >= 2:
            for k in pairs:
                lines[k].kind, lines[k].reason = "teaser", f"teaser of another article (after {line.text!r})"


def _find_title(lines: list[_Line], start: int) -> int:
    """The headline above the body, or -1.

    Among the headline-shaped lines a few lines above the body, the one whose content words
    the lead repeats most (a headline names what the lead tells), the nearest on a tie; with
    no such overlap, the nearest headline-shaped line above the body.
    """
    lead = {w for line in lines[start:start + 3] for w in words(line.text)} - _stoplist()
    best, best_score = -1, 0.0
    for i in range(start - 1, max(start - _TITLE_WINDOW, 0) - 1, -1):
        line = lines[i]
        if line.kind == "line" and _headline_shaped(line):
            content = set(words(line.text)) - _stoplist()
            score = len(content & lead) / (len(content) or 1) - _TITLE_DISTANCE * (start - i)
            if best < 0 or score > best_score:
                best, best_score = i, score
    if best >= 0 and best_score > 0:
        return best
    for i in range(start - 1, -1, -1):
        if lines[i].kind == "line" and _headline_shaped(lines[i]):
            return i
    return -1


_TITLE_WINDOW, _TITLE_DISTANCE = 16, 0.02


def _headline_shaped(line: _Line) -> bool:
    text = line.text
    if not 4 <= line.n_words <= 45 or re.search(r"[.,;:]$", text) or _is_byline(text):
        return False
    toks = words(text)
    return sum(t.isalpha() for t in toks) >= 0.7 * len(toks)


_CAPTION_MAX_WORDS = 25  # one sentence this short right under a picture is its caption


def _looks_like_caption(line: _Line, captioned_page: bool = False) -> bool:
    """A lone non-prose line between paragraphs that describes a photo.

    ``captioned_page``: the page puts a caption under its pictures as a habit (see
    :func:`_caption_shaped`), so every caption-shaped line under a picture is one.
    """
    text = line.text
    if line.kind == "caption":
        return True
    if captioned_page and _caption_shaped(line):
        return True
    listy = ":" in text or ";" in text or _BULLET_RE.match(text)
    single = len(split_sentences(text)) <= 1
    if line.pictured and single and line.n_words <= 40 and not listy:
        return line.kind != "prose" or line.n_words <= _CAPTION_MAX_WORDS or bool(_CAPTION_ACTION_RE.search(text))
    if line.kind == "line" and not listy:
        return line.n_words > 15 or bool(_CAPTION_ACTION_RE.search(text))
    return False


# A caption is at most two sentences; a page with this many of them under pictures captions its
# pictures as a habit (lifestyle and travel pieces: a picture and a sentence or two, again and again).
_CAPTION_SENTENCES, _CAPTION_LONG_WORDS, _CAPTIONED_PAGE = 2, 45, 3


def _caption_shaped(line: _Line) -> bool:
    """Under a picture, one or two sentences, not a list item, a heading or a lead-in to a list."""
    text = line.text
    return (line.pictured and line.kind in ("prose", "line") and 4 <= line.n_words <= _CAPTION_LONG_WORDS
            and bool(_END_PUNCT_RE.search(text)) and not text.endswith(":") and not _BULLET_RE.match(text)
            and len(split_sentences(text)) <= _CAPTION_SENTENCES)


def _is_byline(text: str) -> bool:
    """A short line of names ("Mạnh Hùng", "Nhóm PV", "Thu Hà - Minh Anh (TTXVN)")."""
    if len(text) > 60 or re.search(r"\d", text):
        return False
    body = _BYLINE_PREFIX_RE.sub("", text)
    if text.lower().strip() in ("pv", "btv", "ctv", "nhóm pv", "nhóm phóng viên"):
        return True
    body = re.sub(r"\s*\([^)]{1,30}\)\s*$", "", body).strip(" .")
    parts = [p.strip() for p in re.split(r"\s*[-–,&/]\s*|\s+và\s+", body) if p.strip()]
    if not parts:
        return False
    return all(1 <= len(p.split()) <= 4 and all(_NAME_WORD_RE.match(w) for w in p.split()) for p in parts)


# A photo story's captions carry clearly more words than its other paragraphs.
_PHOTO_STORY_RATIO = 1.5


def _body_paragraphs(body: list[_Line], title: str, meta: dict[str, str], removed: list[Removed],
                     warnings: list[str]) -> list[str]:
    """Decide line by line inside the body, keeping article order."""
    last_prose = max((i for i, l in enumerate(body) if l.kind == "prose"), default=-1)
    if last_prose < 0:
        # no prose at all (a list, a short note): keep what is not chrome rather than nothing
        last_prose = len(body) - 1
    keep: list[tuple[int, str]] = []  # (index, text)
    captions: list[tuple[int, _Line]] = []
    captioned = sum(_caption_shaped(l) for l in body) >= _CAPTIONED_PAGE
    seen: set[str] = set()
    i = 0
    while i < len(body):
        line = body[i]
        # a run of short non-prose lines: a list of the article, or a list of links
        if line.kind == "line" and i <= last_prose:
            j = i
            while j < len(body) and body[j].kind == "line":
                j += 1
            run = body[i:j]
            prev = keep[-1][1] if keep else ""
            is_list = prev.endswith(":") or all(_BULLET_RE.match(l.text) or l.text.endswith(":") for l in run)
            if len(run) >= 3 and not is_list:
                removed.extend(Removed(l.text, "list of links to other articles") for l in run)
                i = j
                continue
            for k, l in enumerate(run):
                if not is_list and _looks_like_caption(l, captioned):
                    captions.append((i + k, l))
                else:
                    _keep(i + k, l, title, keep, seen, removed)
            i = j
            continue
        if i > last_prose:
            _trailing(line, meta, removed, keep, title, seen, i, keep_as_list=bool(keep) and keep[-1][1].endswith(":"))
        elif line.kind == "prose":
            if line.pictured and _looks_like_caption(line, captioned):
                captions.append((i, line))
            else:
                _keep(i, line, title, keep, seen, removed)
        elif line.kind == "caption":
            captions.append((i, line))
        elif not _to_metadata(line, meta, removed):
            removed.append(Removed(line.text, line.reason or "page chrome"))
        i += 1

    prose_words = sum(len(words(t)) for _, t in keep)
    caption_words = sum(l.n_words for _, l in captions if l.reason != "photo credit")
    # image, text, image, text...: in a photo story every paragraph sits under a picture
    pictured = sum(1 for l in body if l.kind in ("prose", "caption") and l.pictured)
    texts = sum(1 for l in body if l.kind in ("prose", "caption"))
    # paragraphs of three or more sentences away from any picture: an article's own prose,
    # which a photo story has at most one of (its lead)
    essays = sum(1 for l in body if l.kind == "prose" and not l.pictured and len(split_sentences(l.text)) >= 3)
    photo_story = ((len(captions) >= 3 and caption_words > _PHOTO_STORY_RATIO * prose_words)
                   or (pictured >= 3 and pictured >= 0.6 * texts and essays <= 1))
    if captions and photo_story:
        # a photo story: the captions are the article
        warnings.append("photo story: captions kept as the body text")
        for idx, l in captions:
            if _CREDIT_ONLY_RE.match(l.text):
                removed.append(Removed(l.text, "photo credit"))
            else:
                _keep(idx, l, title, keep, seen, removed)
        keep.sort()
    else:
        removed.extend(Removed(l.text, "photo caption" if l.reason != "photo credit" else l.reason)
                       for _, l in captions)
    return [t for _, t in keep]


def _keep(idx: int, line: _Line, title: str, keep: list[tuple[int, str]], seen: set[str],
          removed: list[Removed]) -> None:
    if line.text == title:
        removed.append(Removed(line.text, "repeated headline"))
    elif line.text in seen:
        removed.append(Removed(line.text, "repeated paragraph"))
    else:
        seen.add(line.text)
        keep.append((idx, line.text))


def _to_metadata(line: _Line, meta: dict[str, str], removed: list[Removed]) -> bool:
    """A date or source-credit line leaves the body for the metadata; False for any other line."""
    if line.kind == "date":
        meta.setdefault("date", line.text)
        removed.append(Removed(line.text, "date (kept as metadata)"))
    elif line.kind == "source":
        meta.setdefault("source", line.text.strip("()[] "))
        removed.append(Removed(line.text, "source credit (kept as metadata)"))
    else:
        return False
    return True


def _trailing(line: _Line, meta: dict[str, str], removed: list[Removed], keep: list[tuple[int, str]],
              title: str, seen: set[str], idx: int, *, keep_as_list: bool) -> None:
    """Lines after the last prose paragraph: byline, credits, dates, or leftovers."""
    if keep_as_list and line.kind == "line":
        _keep(idx, line, title, keep, seen, removed)
    elif _to_metadata(line, meta, removed):
        pass
    elif line.kind == "line" and _is_byline(line.text):
        meta.setdefault("byline", line.text)
        removed.append(Removed(line.text, "byline (kept as metadata)"))
    else:
        removed.append(Removed(line.text, line.reason or "after the article body"))


def _iso_date(text: str) -> str:
    m = _DMY_RE.search(text)
    if not m:
        return text
    day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if 1 <= day <= 31 and 1 <= month <= 12:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return text


# --- language ----------------------------------------------------------------------


def _set_language(article: Article) -> None:
    from viensum.langdetect import detect_language

    sample = " ".join([article.title, *article.paragraphs])[:3000]
    lang, score = detect_language(sample)
    article.language, article.language_score = lang, score
    if lang != "vi":
        article.warnings.append(f"the text does not look Vietnamese (detected {lang!r}, score {score:.2f})")
