"""The web app's links and feeds: a link field beside paste and upload, and the Feed tab.

The app fetches on the server, so every fetch here goes through :func:`server_fetcher`:
the SSRF guard refuses loopback, private, link-local, metadata, multicast, reserved and
unspecified addresses (after DNS resolution and after every redirect), other schemes and
ports other than 80/443; the operator may trust hosts with ``VIENSUM_FETCH_ALLOW``
(``intranet.example,*.corp.example``). The Feed tab summarises a feed's, a section
page's or a link's articles with the app's summarisers and lists them by English
headline; picking one shows it beside its English summary.
"""
from __future__ import annotations

import html
import os
import threading
import time
from collections.abc import Iterator
from typing import Any

from viensum.errors import InputError, ModelNotAvailable

ALLOW_ENV = "VIENSUM_FETCH_ALLOW"
FEED_LIMIT = 10       # articles of a feed the tab summarises by default
FEED_MAX = 50         # and at most
_LOCK = threading.Lock()
_FETCHER = None


def server_fetcher():
    """The app's Fetcher (built on first use): the SSRF guard on, hosts in $VIENSUM_FETCH_ALLOW trusted."""
    global _FETCHER
    with _LOCK:
        if _FETCHER is None:
            from viensum.fetch import AddressPolicy, Fetcher, HTTPCache

            allowed = os.environ.get(ALLOW_ENV, "").split(",")
            _FETCHER = Fetcher(AddressPolicy.server(allowed), cache=HTTPCache())
        return _FETCHER


def _check_link(link: str | None) -> str:
    link = (link or "").strip()
    if not link:
        raise InputError("Enter a link first.")
    if not link.lower().startswith(("http://", "https://")) or any(c.isspace() for c in link):
        raise InputError("A link starts with http:// or https:// (one link, no spaces).")
    return link


def read_link(link: str) -> tuple[str, str, str]:
    """(page HTML, "html", what was used) for the Article tab's link field; a feed or a refused
    address is an InputError saying so."""
    from viensum.fetch.client import HTML_TYPES, PAGE_TYPES
    from viensum.fetch.feeds import looks_like_feed

    link = _check_link(link)
    page = server_fetcher().get(link, PAGE_TYPES)
    if looks_like_feed(page.body) or page.content_type not in HTML_TYPES + ("",):
        raise InputError("This link is a feed: open the Feed tab to summarise its articles.")
    shown = html.escape(page.final_url)
    return page.text(), "html", f"link <a href=\"{shown}\">{shown}</a>"


def link_field():
    """The Article tab's link box (built inside the tab's row)."""
    import gradio as gr

    return gr.Textbox(label="…or a link to an article", placeholder="https://…", max_lines=1,
                      elem_id="article-link")


# ---------------------------------------------------------------- the Feed tab


def summarize_feed(link: str | None, recipe: str | None = None, sentences: int = 3, limit: int = FEED_LIMIT,
                   beams: int = 0) -> Iterator[tuple[str, str, Any, list[dict]]]:
    """Fetch a feed, section page or article link and summarise its articles; yields
    (status, the list as HTML, the picker's choices, the entries for :func:`open_entry`)."""
    import gradio as gr

    from viensum import digest
    from viensum.ui import inputs as ui_inputs, models as ui_models
    from viensum.fetch.items import fetching_with
    from viensum.inputs import Limits

    link = _check_link(link)
    limit = max(1, min(int(limit or FEED_LIMIT), FEED_MAX))
    started = time.perf_counter()
    yield f"⏳ Fetching {html.escape(link)}…", "", gr.update(choices=[], value=None), []
    options = ui_models.ui_options(recipe, sentences, beams)
    try:
        summarizer = ui_models._summarizer(options)
    except ModelNotAvailable:
        summarizer = ui_models._summarizer(options.replace(model="extractive"))
    with fetching_with(server_fetcher()):
        limits = Limits(file_bytes=ui_inputs.MAX_FILE_BYTES, text_chars=ui_inputs.MAX_INPUT_CHARS, links=limit)
        result = digest.build_digest([link], summarizer, limits=limits)
    entries = [e for _, group in digest.order(result.entries) for e in group] + result.failed
    state = [_state(e) for e in entries]
    choices = [(f"{k + 1}. {e.title_en or e.title_vi}", k) for k, e in enumerate(entries) if not e.error]
    if not choices and result.failed:  # nothing to list: the reason is the error (it stays visible)
        raise InputError(f"Nothing summarised: {result.failed[0].error}")
    done = f"✓ {len(choices)} article{'s' * (len(choices) != 1)} summarised in {time.perf_counter() - started:.1f} s"
    if result.failed:
        done += f"; {len(result.failed)} could not be"
    if choices and not any(e.summary_en for e in entries if not e.error):
        missing = ui_models.missing_models(recipe or ui_models.AUTO)
        done += (" · no English yet: the English models are not installed on this server"
                 + (f" (`{ui_models.install_command(missing)}`)" if missing else ""))
    yield done, render_list(entries), gr.update(choices=choices, value=None), state


def _state(entry) -> dict[str, Any]:
    record = entry.to_dict()
    article = entry.article
    record["paragraphs"] = list(article.paragraphs) if article is not None else []
    return record


def render_list(entries) -> str:
    """The articles as a list by site: English headline (linked), Vietnamese headline, site and date."""
    esc = html.escape
    parts, site = ["<div id='feed-list' style='display:flex;flex-direction:column;gap:10px'>"], None
    for k, e in enumerate(entries):
        if e.error:
            parts.append(f"<p style='margin:0;overflow-wrap:anywhere'>✗ <a href='{esc(e.url)}'>{esc(e.url)}</a>: "
                         f"<span style='color:#b3261e'>{esc(e.error)}</span></p>")
            continue
        if e.site != site:
            site = e.site
            parts.append(f"<h3 style='margin:8px 0 0'>{esc(site or '')}</h3>")
        meta = " · ".join(x for x in (e.site, e.published) if x)
        parts.append(f"<div class='feed-item' style='overflow-wrap:anywhere'><strong>{k + 1}. "
                     f"<a href='{esc(e.url)}' target='_blank' rel='noopener'>{esc(e.title_en or e.title_vi)}</a>"
                     f"</strong><br>" + (f"<em style='opacity:.75'>{esc(e.title_vi)}</em><br>" if e.title_en else "") +
                     f"<small style='opacity:.75'>{esc(meta)}</small></div>")
    return "".join(parts) + "</div>"


def open_entry(index, entries: list[dict]) -> str:
    """One article of the list beside its English headline and summary (the Article tab's layout)."""
    from viensum.results import Article
    from viensum.ui.render import render_article

    if index is None or not entries or not 0 <= int(index) < len(entries):
        return ""
    e = entries[int(index)]
    article = Article(title=e["title_vi"], paragraphs=e["paragraphs"], date=e["published"], source=e["site"])
    esc = html.escape
    english = (f"<h3>{esc(e['title_en'])}</h3>" if e["title_en"] else "") + (
        f"<p>{esc(e['summary_en'])}</p>" if e["summary_en"] else
        "<p><strong>No English summary yet</strong>: the English models are not installed on this server.</p>")
    english += (f"<p><em>{esc(e['summary_vi'] or '')}</em></p><p><a href='{esc(e['url'])}' target='_blank' "
                f"rel='noopener'>Original article</a></p>")
    return ("<div id='feed-open' style='display:flex;flex-wrap:wrap;gap:24px'>"
            f"<div style='flex:1 1 320px;min-width:0'>{render_article(article)}</div>"
            f"<div style='flex:1 1 320px;min-width:0'>{english}</div></div>")


def build_feed_tab(settings) -> None:
    """The Feed tab's contents (call inside ``with gr.Tab("Feed"):``); ``settings`` makes the recipe,
    sentences, beams and info controls, as the other tabs have."""
    import gradio as gr

    link = gr.Textbox(label="A feed, a section page or an article (link)", max_lines=1,
                      placeholder="https://vnexpress.net/rss/tin-moi-nhat.rss", elem_id="feed-link")
    recipe, sentences, beams, _ = settings("feed-")
    limit = gr.Slider(1, FEED_MAX, value=FEED_LIMIT, step=1, label="Articles (at most)", elem_id="feed-limit")
    run = gr.Button("Fetch and summarise", variant="primary", elem_id="feed-run")
    status = gr.Markdown(elem_id="feed-status")
    listing = gr.HTML(elem_id="feed-digest")
    picker = gr.Dropdown(label="Open an article", choices=[], elem_id="feed-pick")
    opened = gr.HTML(elem_id="feed-article")
    entries = gr.State([])
    from viensum.ui.controls import HIDDEN
    from viensum.ui.errors import _user_errors

    run.click(_user_errors(summarize_feed), inputs=[link, recipe, sentences, limit, beams],
              outputs=[status, listing, picker, entries], api_name="summarize_feed")
    picker.change(open_entry, inputs=[picker, entries], outputs=opened, api_visibility=HIDDEN)
