"""Page text as lines: normalised, layout residue dropped (with its reason), wrapped lines joined."""
from __future__ import annotations

from dataclasses import dataclass, field

from viensum.clean.rules import (
    BRACKETED_RE, ends_like_sentence, FORM_RE, IMAGE_FILE_RE, INLINE_ALT_RE, MD_IMAGE_RE, TABLE_EDGE_RE)
from viensum.results import Removed
from viensum.text import normalize_text, split_sentences, stopwords, words, words_per_line


# A text-mode browser wraps text in narrow table cells (a caption beside a picture: 25-30 characters)
_WRAP_MIN_CHARS = 20
_GLYPH_BULLETS = frozenset("•□☆○◦▪●■★◆")  # GLYPH_BULLET_RE's first character


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
    # What the stages ask of a line's text again and again is worked out once per text and kept here:
    # its words (from prepare), its sentence count and density (when first asked; -1 until then).
    # Plain attributes, not entries written into __dict__: reading an instance's __dict__ makes
    # CPython give it a dictionary of its own, and every attribute of every line then costs more.
    _memo_of: str | None = field(default=None, init=False, repr=False, compare=False)
    _words: tuple[str, ...] = field(default=(), init=False, repr=False, compare=False)
    _sentences: int = field(default=-1, init=False, repr=False, compare=False)
    _density: float = field(default=-1.0, init=False, repr=False, compare=False)

    def _fresh(self) -> None:
        if self._memo_of is not self.text:  # first asked, or the text changed (a wrapped line joined)
            self._remember(words(self.text))

    def _remember(self, toks: list[str]) -> tuple[str, ...]:
        """Keep the text's words (its sentence count and density are worked out when asked)."""
        self._memo_of, self._words, self._sentences, self._density = self.text, tuple(toks), -1, -1.0
        return self._words

    @property
    def words(self) -> tuple[str, ...]:
        """``viensum.text.words`` of the text."""
        self._fresh()
        return self._words

    @property
    def n_sentences(self) -> int:
        """How many sentences ``split_sentences`` finds in the text."""
        self._fresh()
        if self._sentences < 0:
            self._sentences = len(split_sentences(self.text))
        return self._sentences

    @property
    def density(self) -> float:
        """The share of its words in jusText's Vietnamese stop list (0 with no words)."""
        self._fresh()
        if self._density < 0:
            toks, stop = self._words, stopwords()
            self._density = sum(map(stop.__contains__, toks)) / len(toks) if toks else 0.0
        return self._density

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
    normalized = _normalized(raw_lines)
    for raw, text, toks in zip(raw_lines, normalized, words_per_line(normalized)):
        text = text.strip()
        padded = bool(raw) and raw[:1] in "\u00a0\u202f" and raw[-1:] in "\u00a0\u202f"
        if not text:
            # a line of only no-break spaces is where a copied page had a picture
            spacer = spacer or bool(raw.strip(" \t\r\n\ufeff"))
            joinable = False
            gap += 1
            continue
        if "|" in text:  # the patterns below are tried only where they can match: most lines are prose
            text = TABLE_EDGE_RE.sub("", text).strip()  # bars and spaces at its ends: the same words
        if "![" in text and MD_IMAGE_RE.search(text):
            rest = MD_IMAGE_RE.sub("", text).strip(" |")
            reason = "teaser of another article (image + excerpt)" if rest else "image placeholder"
            removed.append(Removed(text, reason))
            image_before, joinable = True, False
            continue
        if not text:
            continue
        if text[0] in _GLYPH_BULLETS:  # a text browser's list bullets are not page text (nor words)
            text = text[1:].lstrip() or text  # GLYPH_BULLET_RE.sub("", text): the bullet and the space after it
        bare = text
        if text.endswith("]") and INLINE_ALT_RE.search(text):  # a picture's slug where it floats in a paragraph
            text = INLINE_ALT_RE.sub("", text) or text
            toks = words(text)
        # IMAGE_FILE_RE needs its dot within the first 83 characters, and the line to end in a query or an
        # extension's last letter: cheap tests that rule most lines out
        image_file = (bare[-1] in "gGfFpP" or "?" in bare) and "." in bare[:84] and bool(IMAGE_FILE_RE.match(bare))
        if image_file or bare[0] in "[(" and (BRACKETED_RE.match(bare) or FORM_RE.match(bare)):
            reason = ("image file name" if image_file else
                      "image alt text or form field (text-browser rendering)")
            removed.append(Removed(text, reason))
            image_before, joinable = True, False
            continue
        if (joinable and out and text[:1].isalpha() and text[:1].islower()
                and (len(text.split()) >= 2 or ends_like_sentence(text))
                and (out[-1].text[-1].isalnum() or out[-1].text[-1] in ",)") and len(out[-1].text) >= _WRAP_MIN_CHARS):
            prev = out[-1]
            toks = [*prev.words, *toks]  # words(a + " " + b) is words(a) + words(b)
            prev.text = f"{prev.text} {text}"
            prev.n_words = len(prev._remember(toks))
            continue
        line = Line(text=text, padded=padded, after_image=image_before, n_words=len(toks), spaced=spacer or gap >= 2)
        line._remember(toks)
        out.append(line)
        image_before, joinable, gap, spacer = False, True, 0, False
    if not _spacing_marks_pictures(out):
        for line in out:
            line.spaced = line.padded = False
    return out


def _normalized(raw_lines: list[str]) -> list[str]:
    """``normalize_text`` of each line, in one pass over the page (NFC is costly line by line)."""
    normalized = normalize_text("\n".join(raw_lines)).split("\n")
    if len(normalized) != len(raw_lines):
        normalized = [normalize_text(raw).replace("\n", " ") for raw in raw_lines]
    return normalized


def _spacing_marks_pictures(lines: list[Line]) -> bool:
    """Extra space or no-break-space padding marks a picture only where the page's long paragraphs
    go without it: some pages set every paragraph off by two blank lines or pad them all."""
    if not any(l.spaced or l.padded for l in lines):
        return True  # nothing set off: what follows would find no set-off paragraphs either
    long = [l for l in lines if l.n_words >= 40]
    if not any(l.spaced or l.padded for l in long) and any(l.n_sentences >= 3 for l in long):
        return True  # essays, none set off: the first essay settles it (sentences are costly to count)
    essays = [l for l in long if l.n_sentences >= 3]
    if not essays:  # short paragraphs only (<br><br><br> between them): all after the first set off alike
        essays = [l for l in lines if l.n_words >= 8 and ends_like_sentence(l.text)][1:]
        essays = essays if len(essays) >= 2 and all(l.spaced or l.padded for l in essays) else []
    return not (essays and sum(l.spaced or l.padded for l in essays) * 2 > len(essays))
