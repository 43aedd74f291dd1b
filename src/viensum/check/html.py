"""The checked summary as HTML for the web app: sentences that point at their source paragraphs.

Each summary sentence is a focusable ``<span class="vs-sent" data-src="0 2">``;
hovering, focusing or clicking it marks the cleaned article's paragraphs
``[data-para="0"]`` and ``[data-para="2"]`` with ``vs-src`` (the app renders
the article with those attributes; -1 is the headline, -2 the page's date, -3 a line of the page
beside the article, which the cleaned article does not show). A flagged fact is a
``<mark class="vs-flag">`` whose title (shown on hover) is the note with the
article's value. A line above says what was found. Self-contained: the
handlers are inline and the style travels with the HTML.
"""
from __future__ import annotations

import html

from viensum.check.results import SentenceCheck, headline

STYLE = """<style>
#cleaned-article [data-para].vs-src { background: #fff3b0; outline: 2px solid #e0b400; border-radius: 3px; }
.vs-sent { cursor: pointer; border-radius: 3px; }
.vs-sent:hover, .vs-sent:focus { background: #e8f0ff; outline: none; }
.vs-flag { background: #ffd6d6; text-decoration: underline dotted #b00020; }
.vs-nosrc { color: #8a5a00; }
.vs-line { margin: 0 0 .4em 0; font-weight: 600; }
.vs-line.vs-ok { color: #1b6e20; } .vs-line.vs-bad { color: #b00020; }
</style>"""
# mark the sentence's source paragraphs (and clear the others); on click also bring the first into view
HANDLER = ("var s=' '+this.dataset.src+' ',f=null;"
           "document.querySelectorAll('#cleaned-article [data-para]').forEach(function(p){"
           "var on=s.indexOf(' '+p.dataset.para+' ')>=0;p.classList.toggle('vs-src',on);if(on&&!f)f=p;});"
           "if(f&&event.type==='click')f.scrollIntoView({block:'center',behavior:'smooth'});")


def render_checks(checks_en: list[SentenceCheck], checks_vi: list[SentenceCheck] | None = None) -> str:
    """The line above the summary, then the English (and Vietnamese) sentences, each pointing at its sources."""
    checks_vi = checks_vi or []
    if not checks_en and not checks_vi:
        return ""
    line = headline(checks_en or checks_vi)
    ok = line.startswith("all ")
    parts = [STYLE, f"<p class='vs-line {'vs-ok' if ok else 'vs-bad'}' id='vs-line'>"
                    f"{'✓' if ok else '⚠'} {html.escape(line)}</p>"]
    for lang, checks in (("en", checks_en), ("vi", checks_vi)):
        if checks:
            sentences = " ".join(sentence_html(c, f"{lang}-{i}") for i, c in enumerate(checks))
            parts.append(f"<p class='vs-summary' lang='{lang}'>{sentences}</p>")
    return "<div class='vs-checked'>" + "\n".join(parts) + "</div>"


PLACES = {-3: "a caption or credit on the page", -2: "the page's date", -1: "the headline"}


def sentence_html(check: SentenceCheck, key: str) -> str:
    src = " ".join(str(p) for p in check.paragraphs)
    where = ", ".join(PLACES.get(p, f"paragraph {p + 1}") for p in check.paragraphs)
    title = f"from {where} ({check.method})" if where else "no source found in the article"
    body = _marked(check)
    cls = "vs-sent" if src else "vs-sent vs-nosrc"
    return (f"<span class='{cls}' id='vs-{key}' tabindex='0' data-src='{src}' title='{html.escape(title, True)}' "
            f"onmouseenter=\"{HANDLER}\" onfocus=\"{HANDLER}\" onclick=\"{HANDLER}\">{body}</span>")


def _marked(check: SentenceCheck) -> str:
    """The sentence with each flagged fact wrapped in a mark whose title is the note."""
    text, out, at = check.text, [], 0
    spans = []
    for p in check.problems:
        start = text.find(p.text, at) if p.kind != "unsupported" else -1
        if start >= 0:
            spans.append((start, start + len(p.text), p))
    for start, end, p in sorted(spans, key=lambda s: s[0]):
        if start < at:
            continue
        out.append(html.escape(text[at:start]))
        out.append(f"<mark class='vs-flag' data-kind='{p.kind}' title='{html.escape(p.note, True)}'>"
                   f"{html.escape(text[start:end])}</mark>")
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)
