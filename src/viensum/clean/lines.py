"""Page text as lines: normalised, layout residue dropped (with its reason), wrapped lines joined."""
from __future__ import annotations

from dataclasses import dataclass

from viensum.clean.rules import (
    BRACKETED_RE, END_PUNCT_RE, FORM_RE, GLYPH_BULLET_RE, IMAGE_FILE_RE, INLINE_ALT_RE, MD_IMAGE_RE, TABLE_EDGE_RE)
from viensum.results import Removed
from viensum.text import normalize_text, split_sentences, words


# A text-mode browser wraps text in narrow table cells (a caption beside a picture: 25-30 characters)
_WRAP_MIN_CHARS = 20


@dataclass
class Line:
    text: str
    kind: str = "line"  # prose | line | junk | marker | footer | date | source | caption
    reason: str = ""
    padded: bool = False  # the raw line was wrapped in no-break spaces, as copied figure captions are
    after_image: bool = False  # an image placeholder came right before it
    n_words: int = 0
    spaced: bool = False  # two blank lines or a line of no-break spaces right before it
    extracted: bool | None = None  # HTML only: an extractor took it for main content (None: no extractor)

    @property
    def pictured(self) -> bool:
        """Printed right under a picture, as far as page text tells: an image line or an alt text
        before it, no-break-space padding, or extra space before it (a browser copy prints a
        picture followed by a line break, ``<img><br>caption``, as an extra blank line; a copied
        figure often leaves a line of no-break spaces)."""
        return self.after_image or self.padded or self.spaced


def prepare(raw_lines: list[str], removed: list[Removed]) -> list[Line]:
    """Normalise each line, dropping layout residue (table bars, image markup, blank spacers).

    A text-mode browser wraps long text in narrow table cells: a line that does
    not end a sentence followed, with no blank line between, by one that starts
    in lower case is the same paragraph, and is joined back.
    """
    out: list[Line] = []
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
            text = TABLE_EDGE_RE.sub("", text).strip()
        if "![" in text and MD_IMAGE_RE.search(text):
            rest = MD_IMAGE_RE.sub("", text).strip(" |")
            reason = "teaser of another article (image + excerpt)" if rest else "image placeholder"
            removed.append(Removed(text, reason))
            image_before, joinable = True, False
            continue
        if not text:
            continue
        text = bare = GLYPH_BULLET_RE.sub("", text) or text  # a text browser's list bullets are not page text
        if text.endswith("]"):
            text = INLINE_ALT_RE.sub("", text) or text  # a picture's slug printed where it floats in a paragraph
        if IMAGE_FILE_RE.match(bare) or BRACKETED_RE.match(bare) or FORM_RE.match(bare):
            reason = ("image file name" if IMAGE_FILE_RE.match(bare) else
                      "image alt text or form field (text-browser rendering)")
            removed.append(Removed(text, reason))
            image_before, joinable = True, False
            continue
        if (joinable and out and text[:1].isalpha() and text[:1].islower()
                and (len(text.split()) >= 2 or END_PUNCT_RE.search(text))
                and (out[-1].text[-1].isalnum() or out[-1].text[-1] in ",)") and len(out[-1].text) >= _WRAP_MIN_CHARS):
            prev = out[-1]
            prev.text = f"{prev.text} {text}"
            prev.n_words = len(words(prev.text))
            continue
        out.append(Line(text=text, padded=padded, after_image=image_before, n_words=len(words(text)),
                         spaced=spacer or gap >= 2))
        image_before, joinable, gap, spacer = False, True, 0, False
    if not _spacing_marks_pictures(out):
        for line in out:
            line.spaced = line.padded = False
    return out


def _spacing_marks_pictures(lines: list[Line]) -> bool:
    """Extra space or no-break-space padding marks a picture only where the page's long paragraphs
    go without it: some pages set every paragraph off by two blank lines or pad them all."""
    essays = [l for l in lines if l.n_words >= 40 and len(split_sentences(l.text)) >= 3]
    if not essays:  # short paragraphs only (<br><br><br> between them): all after the first set off alike
        essays = [l for l in lines if l.n_words >= 8 and END_PUNCT_RE.search(l.text)][1:]
        essays = essays if len(essays) >= 2 and all(l.spaced or l.padded for l in essays) else []
    return not (essays and sum(l.spaced or l.padded for l in essays) * 2 > len(essays))
