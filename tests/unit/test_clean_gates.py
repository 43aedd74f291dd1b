"""The cheap gates in front of the cleaner's slow patterns never hide a match.

A gate is a plain test (a character, a substring) that every match of its pattern passes; where
it fails the pattern is not tried. If a gate ever ruled out a line its pattern matches, the
cleaner's output would change, so each gate is checked here against its pattern on random text
made of the patterns' own words, the characters a case-insensitive pattern folds to ASCII
letters (İ ı ſ K), odd spaces and digits of other scripts.
"""
from __future__ import annotations

import re
from datetime import timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

from viensum.clean import rules
from viensum.clean.classify import _SEPARATOR_CHARS, _capitals_first, _gate, _may_cue, _trimmed
from viensum.clean.lines import _GLYPH_BULLETS
from viensum.text import _BETWEEN_WORDS, _DROPPED_RE, fold_spaces, words, words_per_line

# The patterns the faster code replaced, kept here as the references it must agree with.
# fold_spaces: a run of spaces of any kind becomes one plain space
SPACE_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# _DROPPED_RE: the zero-width characters and the C0/C1 controls, once two patterns
ZERO_WIDTH_RE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# split_sentences: its sentence end with the lookbehind in front, as first written
SENT_END_SPEC = r"(?<![.!?…])([.!?…]+[\"”’»)\]]*)(\s+)(?=[\"“‘«(\[]?[A-ZÀ-Ỹ0-9Đ])"

PIECES = (
    # the patterns' own words and shapes
    "©", "(c) ", "Copyright", "Bản quyền", "giấy phép", "Cơ quan chủ quản", "Tổng biên tập:", "Địa chỉ :",
    "Hotline:", "logo", "Cổng thông tin", "Trang chủ", "Báo điện tử", "Đài truyền hình", "12:30 / 45:10",
    "1:02:03/4:05", "#12", "#tag", "Tags:", "Từ khóa :", "keywords:", "Ảnh:", "ảnh :", "(Ảnh: TTXVN)",
    "(Nguồn: Bộ)", "(photo:", "Ảnh minh họa", "ảnh minh hoạ.", "ảnh tư liệu", "ảnh chụp màn hình",
    "từ trái sang", "từ phải qua", "thứ hai từ trái", "hàng đầu bên phải", "ngoài cùng", "(giữa)", "(trái)",
    "(phải, đứng)", "(hàng đầu)", "(đứng giữa)", "Video:", "Clip :", "Đồ họa:", "nguồn ảnh:", "12/3/2024",
    "1.3.2025", "05-06-1999", "3/4/24", "08:15", "GMT+7", "GMT - 5", ", 12/3/24.", "a.jpg", "Ảnh.JPEG",
    "x.webp?w=300", "anh-1.png", "•", "□", "★", "|", " | ", " » ", " / ", " > ", " · ", "Trang chủ » Tin",
    "Thời sự | Kinh tế | Thế giới",
    "3 bình luận", "Ý kiến (12)", ">> ", "» ", "►", "++", "Xem thêm:", "ĐỌC THÊM >", "Mời bạn xem -", "Video:",
    "Tin liên quan:", "Theo ", "THEO: ", "(Nguồn: ", "[ nguồn ", "TTXVN", "(AFP)", "VNA/ ", "Đ", "XINHUA",
    "GIẤY PHÉP", "gıấy phép ", "LIÊN HỆ QUẢNG CÁO", "lıên hệ quảng cáo", "ĐIỆN THOẠI:", "đıện thoại :", "Đường dây nóng",
    "Chịu trách nhiệm", "Ghi rõ nguồn", "COPYRIGHT ", "Cổng thông tin", "TRANG THÔNG TIN ĐIỆN TỬ", "Tạp chí điện tử",
    "Đài tiếng nói", "Đài truyền hình", "Cơ quan của", "LOGO ", "Báo điện tử",
    # what folds or spaces oddly
    "İ", "ı", "ſ", "K", "\u1680", "\u00a0", "\t", "\u2028", "٣", "५", "_", "1", "-", "–", ".", ":", " ",
    # ordinary words
    "phải", "giữa", "hàng", "nguồn", "trái", "ảnh", "Hà Nội", "giá vàng", "tăng", "người dân", "cho biết",
    "!", "?", "…", ";", "”", "’", "»", ")", "]", "\"", "'", "\n",
)
texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), min_size=1, max_size=12).map("".join)
MANY = settings(max_examples=400, deadline=timedelta(seconds=5), derandomize=True)


# each gate: (its name, "the pattern matches", "the gate lets the line through"); a line is
# given as (text, its lower case, the text stripped as prepare() strips it)
GATES = (
    ("player", lambda t, low, bare: rules.PLAYER_RE.match(t), lambda t, low, bare: ":" in t),
    ("footer", lambda t, low, bare: rules.FOOTER_RE.match(low),
     lambda t, low, bare: low[:2] in rules.FOOTER_START or low[:1] == "©"),
    ("site header", lambda t, low, bare: rules.SITE_HEADER_RE.match(low),
     lambda t, low, bare: low[:2] in rules.SITE_HEADER_START),
    ("forum post", lambda t, low, bare: rules.FORUM_POST_RE.match(t), lambda t, low, bare: t[:1] == "#"),
    ("tags", lambda t, low, bare: rules.TAGS_RE.match(t), lambda t, low, bare: ":" in t or t[:1] == "#"),
    ("date", lambda t, low, bare: rules.DATE_RE.search(t) or rules.ENDS_WITH_DATE_RE.search(t),
     lambda t, low, bare: rules.DIGIT_RE.search(t)),
    ("credit only", lambda t, low, bare: rules.CREDIT_ONLY_RE.match(t),
     lambda t, low, bare: ":" in t or low.startswith("ảnh")),
    ("caption cue", lambda t, low, bare: rules.CAPTION_CUE_RE.search(t), lambda t, low, bare: _may_cue(t, low)),
    ("image file", lambda t, low, bare: rules.IMAGE_FILE_RE.match(bare),
     lambda t, low, bare: "." in bare[:84] and (bare[-1] in "gGfFpP" or "?" in bare)),
    ("separators", lambda t, low, bare: len([p for p in rules.SEPARATORS_RE.split(t) if p.strip()]) >= 3,
     lambda t, low, bare: _gate(t, _SEPARATOR_CHARS)),
    ("glyph bullet", lambda t, low, bare: rules.GLYPH_BULLET_RE.match(t),
     lambda t, low, bare: t[0] in _GLYPH_BULLETS and rules.GLYPH_BULLET_RE.sub("", t) == t[1:].lstrip()),
    ("comment box", lambda t, low, bare: rules.COMMENT_BOX_RE.fullmatch(low),
     lambda t, low, bare: "bình luận" in low or "ý kiến" in low),
    ("link prefix", lambda t, low, bare: rules.LINK_PREFIX_RE.match(t),
     lambda t, low, bare: low[:1] in rules.LINK_PREFIX_FIRST),
    ("source", lambda t, low, bare: rules.SOURCE_RE.match(t), lambda t, low, bare: _gate(low, rules.SOURCE_GATE)),
    ("all-caps credit", lambda t, low, bare: rules.ALL_CAPS_CREDIT_RE.match(t),
     lambda t, low, bare: _capitals_first(t)),
)


@MANY
@given(texts)
def test_each_gate_passes_every_match_of_its_pattern(text):
    line = (text, text.lower(), text.strip())
    assert [name for name, matches, passes in GATES if matches(*line) and not passes(*line)] == []


def test_each_gate_passes_each_shape_it_was_written_for():
    hidden, tried = [], set()
    for piece in PIECES:
        for text in (piece, f"{piece} Hà Nội", f"{piece}x", f" {piece}"):
            line = (text, text.lower(), text.strip())
            for name, matches, passes in GATES:
                if matches(*line):
                    tried.add(name)
                    if not passes(*line):
                        hidden.append((name, text))
    assert hidden == []
    assert tried == {name for name, _, _ in GATES}  # every gate meets a line its pattern matches


@MANY
@given(texts)
def test_shortcuts_give_what_the_patterns_give(text):
    low = text.lower()
    assert _trimmed(low) == rules.MARKER_TRIM_RE.sub("", low)
    assert _DROPPED_RE.sub("", text) == ZERO_WIDTH_RE.sub("", CONTROL_RE.sub("", text))


SPACES = st.text(alphabet=st.sampled_from(" \t\u00a0\u2000\u2005\u200a\u200b\u202f\u205f\u3000\u1680\n\rab"), max_size=30)


@MANY
@given(texts | SPACES)
def test_space_folding_is_the_pattern(text):
    # the runs of spaces of every kind (and the characters next to them that are not spaces)
    assert fold_spaces(text) == SPACE_RE.sub(" ", text)


@MANY
@given(texts)
def test_the_sentence_end_test_is_the_pattern(text):
    from viensum.clean.rules import END_PUNCT_RE, ends_like_sentence

    for t in (text, text + "\n", text + "”)", text + ".\n", text + "\n\n"):
        assert ends_like_sentence(t) == bool(END_PUNCT_RE.search(t)), repr(t)


# letters that change under NFC or lower() in context (a decomposed tone, Greek final sigma, dotted İ),
# underscores (a word character that is not alphanumeric), the page's punctuation, other symbols
WORDISH = st.text(alphabet=st.sampled_from(
    "aAđĐeêếẾ\u0301\u0323oơ_1٣ ,.:;()-–/\"“”…•━|%?!ΣσΑςİ↑€\u00a0\u2028\x1c\t"), max_size=25)


@MANY
@given(st.lists(WORDISH | texts, max_size=8))
def test_words_of_a_page_are_the_words_of_each_line(lines):
    # a page's lines as prepare() gets them: no line break inside a line
    lines = [line.replace("\n", " ") for line in lines]
    assert words_per_line(lines) == [words(line) for line in lines]


def test_the_marks_made_spaces_are_never_word_characters():
    assert not [mark for mark in _BETWEEN_WORDS if re.match(r"\w", mark)]


GAPPED = st.lists(st.sampled_from(["word", "Tin", "x", " ", "  ", " " * 9, " " * 10, " " * 11, " " * 30,
                                   "\u00a0", "\u00a0" * 10, "\u3000", "\t", "\u00ad", "\x1c"]), max_size=14).map("".join)


@MANY
@given(GAPPED)
def test_cells_found_between_the_gaps_are_the_patterns_cells(line):
    from viensum.clean.columns import _CELL_RE, _cells

    line = line.expandtabs(8)
    assert _cells(line) == [(m.start(), m.group()) for m in _CELL_RE.finditer(line)]


@MANY
@given(WORDISH | texts, WORDISH | texts)
def test_what_prepare_drops_or_joins_keeps_the_words(a, b):
    """prepare() keeps a line's words from the page-wide pass when it drops table bars or a bullet
    at its ends, and adds the words of a wrapped line it joins."""
    a, b = a.replace("\n", " ").strip(), b.replace("\n", " ").strip()
    assert words(f"{a} {b}") == words(a) + words(b)
    for edged in (f"| {a} |", f"|{a}", f"{a} |"):
        assert words(rules.TABLE_EDGE_RE.sub("", edged).strip()) == words(edged)
    for bullet in _GLYPH_BULLETS:
        assert words(rules.GLYPH_BULLET_RE.sub("", f"{bullet} {a}")) == words(f"{bullet} {a}")


def _byline_as_the_patterns_say(text: str) -> bool:
    """is_byline without the word test in front of its patterns (the reference it must agree with)."""
    from viensum.clean.classify import _NAME_SEPARATOR_RE, _TRAILING_NOTE_RE

    if len(text) > 60 or rules.DIGIT_RE.search(text):
        return False
    body = rules.BYLINE_PREFIX_RE.sub("", text)
    if text.lower().strip() in ("pv", "btv", "ctv", "nhóm pv", "nhóm phóng viên"):
        return True
    body = _TRAILING_NOTE_RE.sub("", body).strip(" .")
    parts = [p.strip() for p in _NAME_SEPARATOR_RE.split(body) if p.strip()]
    if len(parts) >= 2 and rules.DOMAIN_RE.match(parts[-1]):
        parts = parts[:-1]
    return bool(parts) and all(1 <= len(p.split()) <= 4 and all(rules.NAME_WORD_RE.match(w) for w in p.split())
                               for p in parts)


NAMEISH = st.lists(st.sampled_from([
    "Minh", "Anh", "Thu", "Hà", "Đức", "Ánh", "Ỹ", "ánh", "Nhóm", "PV", "pv", "Bài:", "bài", "Thực hiện:", "và",
    " và ", " - ", "-", "–", ",", ", ", "&", "/", " / ", "(TTXVN)", "(", ")", "vnanet.vn", "www.bnews.vn", "x-y.com",
    "tin", "giá", "vàng", "O'Neil", "J.", " ", "  ", ".", "Ỳ", "Z", "a"]), min_size=1, max_size=9).map("".join)


@MANY
@given(NAMEISH | texts)
@example("Minh Anh và Thu Hà")
@example("Văn Giáp/Bnews/vnanet.vn")
@example("Thu Hà - Minh Anh (TTXVN)")
@example("Bài và ảnh: Minh Anh")
@example("Chủ cũ qua đời, phải tìm người thừa kế")
def test_the_byline_word_test_never_rules_out_a_byline(text):
    from viensum.clean.classify import is_byline

    assert is_byline(text) == _byline_as_the_patterns_say(text)


@MANY
@given(st.lists(st.tuples(st.sampled_from(["line", "date", "junk", "prose", "marker", "caption"]), st.booleans()),
                max_size=30))
def test_links_counted_from_the_end_are_the_links_looked_ahead(kinds):
    from viensum.clean.layout import _links_ahead
    from viensum.clean.lines import Line

    lines = [Line(text="x", kind=kind) for kind, _ in kinds]
    said = [s for _, s in kinds]
    looked = []
    for i in range(len(lines)):  # what _weights did before: look ahead from the line
        j, n_links = i, 0
        while j < len(lines) and (lines[j].kind in ("date", "junk") or lines[j].kind == "line" and not said[j]):
            n_links += lines[j].kind == "line"
            j += 1
        looked.append(n_links)
    assert _links_ahead(lines, said) == looked


def _sentences_as_specified(text: str) -> list[str]:
    """split_sentences as first written: the pattern with its lookbehind in front, the last word cut
    from the sentence so far (the reference the faster one must agree with)."""
    from viensum.text import _ABBREVIATIONS

    text = " ".join(text.split())
    if not text:
        return []
    sentences, start = [], 0
    for m in re.finditer(SENT_END_SPEC, text):
        last_word = text[start:m.start(1)].rsplit(" ", 1)[-1].rsplit(".", 1)[-1].lower()
        if m.group(1) == "." and (last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha())):
            continue
        sentences.append(text[start:m.end(1)].strip())
        start = m.end()
    tail = text[start:].strip()
    return sentences + [tail] if tail else sentences


SENTENCEY = st.lists(st.sampled_from([
    "Giá vàng tăng", ".", "..", "...", "…", "!", "?", "?!", " ", "  ", "\n", "TP.", "PGS.TS.", "ông A.", "Q.",
    "Hà Nội", "\"", "”", "“", "’", "»", ")", "]", "(", "[", "«", "12", "Đ", "À", "ỹ", "x", "a.b", "Mr.", " 3.5 "]),
    max_size=14).map("".join)


@MANY
@given(SENTENCEY | texts)
@example("Ông Nguyễn Văn A, PGS.TS. Trần B đến TP. Hà Nội. Ông C. Đinh nói: “Tốt.” Q. 3 đẹp!")
def test_sentences_are_split_as_specified(text):
    from viensum.text import split_sentences

    assert split_sentences(text) == _sentences_as_specified(text)


def test_every_character_normalize_drops_is_unprintable():
    # normalize_text tries _DROPPED_RE only on lines that are not printable throughout: checked on every code point
    assert [hex(c) for c in range(0x110000) if _DROPPED_RE.match(chr(c)) and chr(c).isprintable()] == []


def _normalized_as_the_pattern_says(text: str) -> str:
    """normalize_text with _DROPPED_RE run over the whole text (the reference it must agree with)."""
    import unicodedata

    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _DROPPED_RE.sub("", text.replace("\f", "\n"))
    return "\n".join(line.strip() for line in fold_spaces(text).split("\n"))


@MANY
@given(texts | SPACES | WORDISH | st.text(max_size=30))
@example("a \u200b b\n\x00x\u00ad\r\ny\u2028\ufeff")
def test_normalize_text_is_the_pattern_over_the_whole_text(text):
    from viensum.text import normalize_text

    assert normalize_text(text) == _normalized_as_the_pattern_says(text)


GLUED = st.text(alphabet=st.sampled_from("abcđạữ" + "ABĐẠỮ" + "Σσ ._1"), max_size=40)


@MANY
@given(GLUED | texts)
@example("abCdeFg")  # two matches overlapping by a letter: findall takes the first only
@example("thiếu phụHot girl…sơ mi trắngSợ hãi…xyAbc")
def test_glued_titles_counted_as_findall_counts_them(text):
    from viensum.clean.classify import _glued, _glued_letters

    small, capital = _glued_letters()
    assert _glued(text) == len(re.findall(small + small + capital + small, text))


def test_a_lines_memo_follows_its_text():
    """Line keeps its words, sentence count and density; a joined (changed) text is worked out again."""
    from viensum.clean.lines import Line
    from viensum.text import stopwords

    line = Line(text="Giá vàng")
    assert (line.words, line.n_sentences) == (("giá", "vàng"), 1)
    line.text = "Giá vàng tăng. Hôm nay vàng giảm và bạc tăng."
    assert line.words == tuple(words(line.text)) and line.n_sentences == 2
    assert line.density == sum(w in stopwords() for w in line.words) / len(line.words)
    assert Line(text="…").density == 0.0 and Line(text="x") == Line(text="x")
