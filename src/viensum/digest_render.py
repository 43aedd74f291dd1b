"""A digest as one self-contained HTML page (inline CSS, no external resources: one file to mail),
as Markdown, or as JSON ``{"articles": [...]}``."""
from __future__ import annotations

import datetime as dt
import html
import json

from viensum.digest import Digest, DigestEntry, order
from viensum.errors import InputError

FORMATS = ("html", "md", "json")

CSS = """
:root{--ink:#1d232b;--muted:#5b6673;--line:#dfe3e8;--bg:#f6f7f9;--card:#fff;--accent:#b3261e;--warn:#8a5a00}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,
"Noto Sans",Arial,sans-serif}
header.top{background:var(--card);border-bottom:1px solid var(--line);padding:20px 0}
header.top h1{margin:0 auto;font-size:1.6rem;max-width:1180px;padding:0 16px}
header.top p{margin:4px auto 0;color:var(--muted);max-width:1180px;padding:0 16px}
main{max-width:1180px;margin:0 auto;padding:16px}
nav.sites{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 16px}
nav.sites a{background:var(--card);border:1px solid var(--line);border-radius:999px;padding:4px 12px;
color:var(--ink);text-decoration:none;font-size:.9rem}
section.site h2{font-size:1.25rem;margin:24px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--accent)}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:14px}
article{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;
overflow-wrap:anywhere}
article h3{margin:0 0 4px;font-size:1.08rem;line-height:1.35}
article h3 a{color:var(--ink);text-decoration:none}
article h3 a:hover{text-decoration:underline}
.vi{margin:0 0 8px;color:var(--muted);font-style:italic;font-size:.93rem}
.meta{margin:0 0 8px;color:var(--muted);font-size:.82rem}
.summary{margin:0}
.flags{margin:8px 0 0;padding:6px 10px;border-left:3px solid var(--warn);background:#fff8e6;font-size:.85rem;
color:var(--warn);list-style:none}
section.failed li{margin:6px 0;overflow-wrap:anywhere}
section.failed .why{color:var(--accent)}
footer{color:var(--muted);font-size:.8rem;text-align:center;padding:24px 16px}
@media (max-width:600px){body{font-size:15px}.grid{grid-template-columns:1fr}main{padding:10px}
header.top h1{font-size:1.3rem}header.top h1,header.top p{padding:0 10px}}
"""


def render_digest(digest: Digest, fmt: str, *, title: str = "Vietnamese news in English",
                  generated: str | None = None) -> str:
    """The digest in ``fmt`` (``html``, ``md`` or ``json``)."""
    generated = generated or dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    if fmt == "json":
        return json.dumps({"generated": generated, "articles": [_record(e) for e in digest.entries]},
                          ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        return digest_markdown(digest, title, generated)
    if fmt == "html":
        return digest_html(digest, title, generated)
    raise InputError(f"unknown digest format {fmt!r}")


def _record(entry: DigestEntry) -> dict:
    return {k: v for k, v in entry.to_dict().items() if k not in ("content_hash", "made_by")}


def digest_html(digest: Digest, title: str, generated: str) -> str:
    esc = html.escape
    groups = order(digest.entries)
    count = sum(len(g) for _, g in groups)
    parts = [f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
             f'<meta name="viewport" content="width=device-width, initial-scale=1">'
             f"<title>{esc(title)}</title><style>{CSS}</style></head><body>",
             f'<header class="top"><h1>{esc(title)}</h1><p>{count} articles from {len(groups)} sites'
             f"{f', {len(digest.failed)} could not be summarised' if digest.failed else ''}"
             f" · {esc(generated)}</p></header><main>"]
    if len(groups) > 1:
        parts.append('<nav class="sites">' + "".join(
            f'<a href="#site-{k}">{esc(site)} ({len(g)})</a>' for k, (site, g) in enumerate(groups)) + "</nav>")
    for k, (site, group) in enumerate(groups):
        parts.append(f'<section class="site" id="site-{k}"><h2>{esc(site)}</h2><div class="grid">')
        parts.extend(_card(e) for e in group)
        parts.append("</div></section>")
    if digest.failed:
        parts.append('<section class="failed"><h2>Could not be summarised</h2><ul>' + "".join(
            f'<li><a href="{esc(e.url)}">{esc(e.url)}</a>: <span class="why">{esc(e.error or "")}</span></li>'
            for e in digest.failed) + "</ul></section>")
    parts.append("</main><footer>Made with viensum: machine summaries and translations, "
                 "check the original before relying on them.</footer></body></html>\n")
    return "".join(parts)


def _card(entry: DigestEntry) -> str:
    esc = html.escape
    headline = entry.title_en or entry.title_vi or entry.url
    meta = " · ".join(x for x in (entry.site, entry.published) if x)
    flags = "".join(f"<li>⚠ {esc(f)}</li>" for f in entry.flags)
    return (f'<article><h3><a href="{esc(entry.url)}" lang="en">{esc(headline)}</a></h3>'
            + (f'<p class="vi" lang="vi">{esc(entry.title_vi)}</p>' if entry.title_vi else "")
            + f'<p class="meta">{esc(meta)} · <a href="{esc(entry.url)}">original</a></p>'
            + f'<p class="summary" lang="en">{esc(entry.summary_en or entry.summary_vi)}</p>'
            + (f'<ul class="flags">{flags}</ul>' if flags else "") + "</article>")


def digest_markdown(digest: Digest, title: str, generated: str) -> str:
    lines = [f"# {title}", "", f"*{generated}*", ""]
    for site, group in order(digest.entries):
        lines += [f"## {site}", ""]
        for e in group:
            lines += [f"### [{e.title_en or e.title_vi or e.url}]({e.url})", ""]
            if e.title_vi:
                lines += [f"*{e.title_vi}*", ""]
            lines += [" · ".join(x for x in (e.site, e.published) if x), "", e.summary_en or e.summary_vi or "", ""]
            lines += [f"- ⚠ {f}" for f in e.flags] + ([""] if e.flags else [])
    if digest.failed:
        lines += ["## Could not be summarised", ""] + [f"- <{e.url}>: {e.error}" for e in digest.failed] + [""]
    return "\n".join(lines)

