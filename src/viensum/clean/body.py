"""Inside the body: link lists, sub-headings, captions and photo stories, repeats; what trails the body."""
from __future__ import annotations

from viensum.clean.classify import is_byline, sentence_like
from viensum.clean.lines import Line
from viensum.clean.rules import BULLET_RE, CAPTION_ACTION_RE, CREDIT_ONLY_RE, ends_like_sentence
from viensum.results import Removed


_CAPTION_MAX_WORDS = 25  # one sentence this short right under a picture is its caption


def _looks_like_caption(line: Line, captioned_page: bool = False) -> bool:
    """A lone non-prose line between paragraphs that describes a photo.

    ``captioned_page``: the page puts a caption under its pictures as a habit (see
    :func:`_caption_shaped`), so every caption-shaped line under a picture is one.
    """
    text = line.text
    if line.kind == "caption":
        return True
    if captioned_page and _caption_shaped(line):
        return True
    listy = ":" in text or ";" in text or BULLET_RE.match(text)
    single = line.n_sentences <= 1
    if line.pictured and single and line.n_words <= 40 and not listy:
        return line.kind != "prose" or line.n_words <= _CAPTION_MAX_WORDS or bool(CAPTION_ACTION_RE.search(text))
    if line.kind == "line" and not listy:
        return line.n_words > 15 or bool(CAPTION_ACTION_RE.search(text))
    return False


# A caption is at most two sentences; a page with this many of them under pictures captions its
# pictures as a habit (lifestyle and travel pieces: a picture and a sentence or two, again and again).
_CAPTION_SENTENCES, _CAPTION_LONG_WORDS, _CAPTIONED_PAGE = 2, 45, 3


def _captions_by_habit(body: list[Line]) -> None:
    """On a page that captions its pictures as a habit, every line under a picture is a caption.

    The habit: at least two thirds of the text lines under pictures are caption-shaped (one or two
    sentences, or one line with no full stop). There a longer line under a picture is a caption too
    (nothing but its length tells it from one), and so are up to three short sentences set between two
    captions, and one cut off with "..." and continued under the next picture.
    """
    lead = next((l for l in body if l.kind == "prose"), None)  # the lead is the article's, pictured or not
    under = [l for l in body if l.pictured and l.kind in ("prose", "line", "caption") and l.n_words >= 4
             and not l.text.endswith(":") and not BULLET_RE.match(l.text) and l is not lead]
    shaped = sum(_caption_shaped(l) or l.kind == "caption" or l.kind == "line" and l.n_words <= _CAPTION_LONG_WORDS
                 for l in under)  # a caption often goes without its full stop
    if shaped * 3 < 2 * len(under):
        return
    for l in under:
        if l.kind != "caption":
            l.kind, l.reason = "caption", "photo caption"
    for i in range(1, len(body) - 1):
        line, nxt = body[i], body[i + 1]
        if (_short_text(line) and line.text.endswith(("...", "…")) and nxt.kind == "caption"
                and nxt.text.startswith(("...", "…"))):
            line.kind, line.reason = "caption", "photo caption"
    i = 1
    while i < len(body):
        j = i
        while j < len(body) and j - i < _BETWEEN_CAPTIONS and _short_text(body[j]):
            j += 1
        if j > i and body[i - 1].kind == "caption" and j < len(body) and body[j].kind == "caption":
            for line in body[i:j]:
                line.kind, line.reason = "caption", "photo caption"
        i = j + 1


_BETWEEN_CAPTIONS = 3  # at most this many short sentences set between two captions are captions too


def _short_text(line: Line) -> bool:
    """One or two sentences (a caption's length), not a list item or a lead-in."""
    return (line.kind in ("prose", "line") and 4 <= line.n_words <= _CAPTION_LONG_WORDS
            and not line.text.endswith(":") and not BULLET_RE.match(line.text)
            and line.n_sentences <= _CAPTION_SENTENCES)


def _sentences_run(run: list[Line]) -> bool:
    """Most lines of a run are sentences ending in a full stop (short captions, short paragraphs):
    link titles are headlines, which do not end in one."""
    return sum(sentence_like(l) and l.text.endswith(".") and not l.text.endswith("...") for l in run) * 2 > len(run)


def _caption_shaped(line: Line) -> bool:
    """Under a picture, one or two sentences, not a list item, a heading or a lead-in to a list."""
    text = line.text
    return (line.pictured and line.kind in ("prose", "line") and 4 <= line.n_words <= _CAPTION_LONG_WORDS
            and ends_like_sentence(text) and not text.endswith(":") and not BULLET_RE.match(text)
            and line.n_sentences <= _CAPTION_SENTENCES)


# A photo story's captions carry clearly more words than its other paragraphs.
_PHOTO_STORY_RATIO = 1.5


def is_photo_story(body: list[Line], keep: list[tuple[int, str]], captions: list[tuple[int, Line]]) -> bool:
    """The captions are the article: they carry most of its words, or every paragraph sits under a picture."""
    prose_words = sum(body[i].n_words for i, _ in keep)  # keep holds (index in body, text)
    caption_words = sum(l.n_words for _, l in captions if l.reason != "photo credit")
    if len(captions) >= 3 and caption_words > _PHOTO_STORY_RATIO * prose_words:
        return True
    # image, text, image, text...: in a photo story every paragraph sits under a picture
    pictured = sum(1 for l in body if l.kind in ("prose", "caption") and l.pictured)
    texts = sum(1 for l in body if l.kind in ("prose", "caption"))
    if pictured < 3 or pictured < 0.6 * texts:
        return False
    # paragraphs of three or more sentences away from any picture: an article's own prose,
    # which a photo story has at most one of (its lead); counted last, sentences are costly to count
    return sum(1 for l in body if l.kind == "prose" and not l.pictured and l.n_sentences >= 3) <= 1


def body_paragraphs(body: list[Line], title: str, meta: dict[str, str], removed: list[Removed],
                     warnings: list[str]) -> list[str]:
    """Decide line by line inside the body, keeping article order."""
    # the last paragraph or caption: captions after the last paragraph are a photo story's text, judged below
    last_prose = max((i for i, l in enumerate(body) if l.kind in ("prose", "caption")), default=-1)
    if last_prose < 0:
        # no prose at all (a list, a short note): keep what is not chrome rather than nothing
        last_prose = len(body) - 1
    keep: list[tuple[int, str]] = []  # (index, text)
    captions: list[tuple[int, Line]] = []
    captioned = sum(_caption_shaped(l) for l in body) >= _CAPTIONED_PAGE
    if captioned:
        _captions_by_habit(body)
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
            is_list = prev.endswith(":") or all(BULLET_RE.match(l.text) or l.text.endswith(":") for l in run)
            # a run the HTML extractor took for the article is the article's own list, not links
            # as do sentences ending in full stops, one after another: captions or short paragraphs
            links = not is_list and not all(l.extracted for l in run) and not _sentences_run(run)
            if len(run) >= 3 and links:
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
        elif not to_metadata(line, meta, removed):
            removed.append(Removed(line.text, line.reason or "page chrome"))
        i += 1

    if captions and is_photo_story(body, keep, captions):
        warnings.append("photo story: captions kept as the body text")
        _keep_captions(captions, title, keep, seen, removed)
    else:
        removed.extend(Removed(l.text, "photo caption" if l.reason != "photo credit" else l.reason)
                       for _, l in captions)
    return [t for _, t in keep]


def _keep_captions(captions: list[tuple[int, Line]], title: str, keep: list[tuple[int, str]], seen: set[str],
                   removed: list[Removed]) -> None:
    """A photo story: the captions are the article, in page order; bare credits still go."""
    for idx, l in captions:
        if CREDIT_ONLY_RE.match(l.text):
            removed.append(Removed(l.text, "photo credit"))
        else:
            _keep(idx, l, title, keep, seen, removed)
    keep.sort()


def _keep(idx: int, line: Line, title: str, keep: list[tuple[int, str]], seen: set[str],
          removed: list[Removed]) -> None:
    if line.text == title:
        removed.append(Removed(line.text, "repeated headline"))
    elif line.text in seen:
        removed.append(Removed(line.text, "repeated paragraph"))
    else:
        seen.add(line.text)
        keep.append((idx, line.text))


def to_metadata(line: Line, meta: dict[str, str], removed: list[Removed]) -> bool:
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


def _trailing(line: Line, meta: dict[str, str], removed: list[Removed], keep: list[tuple[int, str]],
              title: str, seen: set[str], idx: int, *, keep_as_list: bool) -> None:
    """Lines after the last prose paragraph: byline, credits, dates, or leftovers."""
    if line.kind == "line" and (keep_as_list or line.extracted and sentence_like(line)):
        # a list the last paragraph announces; a closing sentence the HTML extractor took for the article's
        _keep(idx, line, title, keep, seen, removed)
    elif to_metadata(line, meta, removed):
        pass
    elif line.kind == "line" and is_byline(line.text):
        meta.setdefault("byline", line.text)
        removed.append(Removed(line.text, "byline (kept as metadata)"))
    else:
        removed.append(Removed(line.text, line.reason or "after the article body"))
