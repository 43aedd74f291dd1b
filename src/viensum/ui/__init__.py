"""The Gradio web UI: the app assembled from its tabs, and the server that runs it.

Each tab is a module of plain handler functions and the tab that wires them to
components: :mod:`viensum.ui.article` (one article), :mod:`viensum.ui.batch` (many),
:mod:`viensum.ui.links` (the link field and the Feed tab), :mod:`viensum.ui.evaluate`
(scores). What they share: :mod:`viensum.ui.errors` (failures as one line),
:mod:`viensum.ui.runs` (the Stop button), :mod:`viensum.ui.models` (installed models,
the recipe menu, the app's Summarizers), :mod:`viensum.ui.inputs` (what one request may
read), :mod:`viensum.ui.render` (the article's HTML), :mod:`viensum.ui.controls` (the
settings and run buttons). The handlers are tested without a browser; ``build_app()``
only puts the tabs together. Gradio is imported inside functions: ``import viensum.ui``
is light and nothing here loads a model until a request asks for one.
"""
from __future__ import annotations

import logging
import os

from viensum.ui import links as ui_links
from viensum.errors import InputError
from viensum.ui.article import build_article_tab
from viensum.ui.batch import build_batch_tab
from viensum.ui.controls import HIDDEN, settings
from viensum.ui.evaluate import build_evaluate_tab, default_eval_lang
from viensum.ui.inputs import MAX_FILE_SIZE, batch_items, read_document
from viensum.ui.models import recipe_choices

__all__ = ["CACHE_SECONDS", "CONCURRENCY_LIMIT", "QUEUE_SIZE", "batch_items", "build_app", "check_port", "launch",
           "parse_auth", "read_document"]  # batch_items, read_document: the app's readers, as docs/RELIABILITY.md runs them

log = logging.getLogger(__name__)

CONCURRENCY_LIMIT = 2             # requests running at once (model calls are CPU/GPU bound)
QUEUE_SIZE = 32                   # requests waiting; more are turned away with "queue is full"
CACHE_SECONDS = 3600              # Gradio's copies of uploads and downloads are deleted after this

CSS = """
/* contrast (WCAG AA, 4.5:1) in light and dark mode: the theme's subdued greys and orange accents are lighter */
:root, .gradio-container { --body-text-color-subdued: #52525b; --color-accent: #c2410c;
  --button-primary-background-fill: #c2410c; --button-primary-background-fill-hover: #9a3412;
  --button-primary-text-color: #ffffff; --block-label-text-color: #3f3f46; --block-info-text-color: #52525b; }
.dark, .dark .gradio-container { --body-text-color-subdued: #c4c4cc; --color-accent: #fdba74;
  --button-primary-background-fill: #c2410c; --button-primary-background-fill-hover: #9a3412;
  --block-label-text-color: #d4d4d8; --block-info-text-color: #c4c4cc; }
button[role=tab].selected { color: var(--color-accent) !important; }
.or, [data-testid="max-value"], .wrap .or { color: var(--body-text-color-subdued) !important; }
.vs-article h2 { margin-top: 0; }
.vs-meta, .vs-reason, .vs-count { color: var(--body-text-color-subdued); }
.vs-error { color: var(--error-text-color, #b91c1c); font-weight: 600; }
.vs-translation td, .vs-translation th { vertical-align: top; width: 50%; padding: 6px; }
.vs-removed { table-layout: fixed; width: 100%; border-collapse: collapse; font-size: 0.9em; }
.vs-removed col.vs-reason-col { width: 34%; }
.vs-removed td, .vs-removed th { vertical-align: top; padding: 4px 6px; overflow-wrap: anywhere; text-align: left;
                                 border-bottom: 1px solid var(--border-color-primary); }
.vs-progress { display: flex; align-items: center; gap: 12px; }
.vs-progress progress { flex: 1; height: 14px; }
/* ids break at their own separators (/ _ . -), not inside a word */
#batch-table [role=gridcell], #batch-table [role=gridcell] *, #doc-scores [role=gridcell],
#doc-scores [role=gridcell] * { word-break: normal !important; overflow-wrap: break-word !important; }
#english-notice { border-left: 4px solid var(--color-accent); padding-left: 10px; }
#english-notice pre, #english-notice code, #recipe-info code, #batch-recipe-info code, #eval-details code {
  white-space: pre-wrap; overflow-wrap: anywhere; }
/* file lists: whole names, so "<id>.en.txt" and "<id>.vi.txt" can be told apart */
.file-preview .filename { display: block !important; overflow-wrap: anywhere; font-size: 0; }  /* no gap before .ext */
.file-preview .filename :is(.stem, .ext) { display: inline; white-space: normal !important;
                                           text-overflow: clip !important; font-size: var(--text-md); }
.file-preview .download { min-width: 5rem !important; }
/* what shows follows the values (the API returns plain values): the notice only when set, and then
   in place of the English headline and summary; the translation only when asked for */
#english-notice:not(:has(p)), #translation-box:not(:has(table, p)) { display: none !important; }
#english-col:has(#english-notice p) :is(#title-en, #summary-en) { display: none !important; }
#api-only { display: none !important; }
/* phones: the English summary before the cleaned article; labels above the upload icons; wide
   tables scroll inside their box; the chart as wide as the screen */
@media (max-width: 767px) {
  #english-col { order: -1; }
  #scores, #doc-scores, #batch-table { font-size: 0.85em; }  /* more in view; the rest scrolls in its box */
}
"""

# once per page: names and languages the components cannot be given in Python, Ctrl+Enter to run,
# re-applied when Gradio redraws a part of the page
PAGE_JS = """() => {
  const labels = {'#title-en': 'Copy the English headline', '#summary-en': 'Copy the English summary',
                  '#summary-vi': 'Copy the Vietnamese summary'};
  const fix = () => {
    for (const [box, label] of Object.entries(labels)) {
      for (const b of document.querySelectorAll(box + ' button')) {
        const name = ((b.getAttribute('aria-label') || '') + (b.title || '')).toLowerCase();
        if (name.includes('copy') && b.getAttribute('aria-label') !== label) {
          b.setAttribute('aria-label', label); b.title = label; }
      }
    }
    for (const t of document.querySelectorAll('#article-text textarea, #summary-vi textarea'))
      if (t.lang !== 'vi') t.lang = 'vi';
    for (const b of document.querySelectorAll('#chart button'))  // the chart's empty frame is a button
      if (!b.innerText.trim() && !b.getAttribute('aria-label')) b.setAttribute('aria-label', 'Scores chart');
    for (const c of document.querySelectorAll('[aria-controls]'))  // a closed menu's list is not in the page
      if (!document.getElementById(c.getAttribute('aria-controls'))) c.removeAttribute('aria-controls');
  };
  fix();
  new MutationObserver(fix).observe(document.body, {subtree: true, childList: true});
  document.addEventListener('keydown', e => {
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter' && e.target.closest('#article-text')) {
      e.preventDefault(); document.querySelector('#summarise')?.click(); }
  });
}"""


def build_app():
    """The Blocks app: Article, Batch and Evaluate tabs, with a bounded request queue."""
    import gradio as gr

    from viensum import __version__

    with gr.Blocks(title="viensum — Vietnamese news summaries in English",
                   delete_cache=(CACHE_SECONDS, CACHE_SECONDS)) as app:
        gr.Markdown(f"# viensum {__version__}\nClean a Vietnamese news article, summarise it, "
                    "and read the summary in English.")
        with gr.Tab("Article"):
            recipe = build_article_tab()
        with gr.Tab("Batch"):
            b_recipe = build_batch_tab()
        with gr.Tab("Feed"):
            ui_links.build_feed_tab(settings)
        with gr.Tab("Evaluate"):
            lang = build_evaluate_tab()

        # the menus and the default language say what is installed now, not when the server started
        def refresh():
            return [gr.update(choices=recipe_choices())] * 2 + [gr.update(value=default_eval_lang())]

        app.load(refresh, outputs=[recipe, b_recipe, lang], queue=False, show_progress="hidden",
                 api_visibility=HIDDEN)
        app.load(None, js=PAGE_JS, api_visibility=HIDDEN)

    app.queue(default_concurrency_limit=CONCURRENCY_LIMIT, max_size=QUEUE_SIZE)
    return app


def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    """``"user:pass"`` (or several, comma-separated) into Gradio's auth list; None when unset."""
    if not value or not value.strip():
        return None
    pairs = []
    for entry in value.split(","):
        user, sep, password = entry.strip().partition(":")
        if not sep or not user or not password:
            raise InputError("VIENSUM_AUTH must look like user:password (several separated by commas)")
        pairs.append((user, password))
    return pairs


def check_port(host: str, port: int) -> None:
    """Refuse a port another program holds, in one line that says what to do."""
    import socket

    if not 0 < port < 65536:
        raise InputError(f"--port must be between 1 and 65535, not {port}")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise InputError(f"cannot serve on {host}: no such address (use 127.0.0.1 or 0.0.0.0)") from None
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError:
            raise InputError(f"port {port} on {host} is in use (another viensum app?); "
                             "stop it, or pick another port with --port N") from None


def launch(app=None, host: str | None = None, port: int | None = None, share: bool = False,
           auth: str | None = None, **kwargs):
    """Serve the app; blocks until interrupted (unless ``prevent_thread_lock=True``).

    Binds 127.0.0.1:7860 unless told otherwise (or GRADIO_SERVER_NAME / GRADIO_SERVER_PORT
    are set). ``auth`` is "user:pass"; by default it is read from VIENSUM_AUTH.
    """
    app = app or build_app()
    host = host or os.environ.get("GRADIO_SERVER_NAME") or "127.0.0.1"
    port = int(port or os.environ.get("GRADIO_SERVER_PORT") or 7860)
    credentials = parse_auth(auth if auth is not None else os.environ.get("VIENSUM_AUTH"))
    check_port(host, port)
    log.info("serving on %s:%d%s", host, port, " with basic auth" if credentials else "")
    from viensum import httpguard  # request bodies capped before any route parses them, or checks a login

    app_kwargs = dict(kwargs.pop("app_kwargs", None) or {})
    app_kwargs["middleware"] = [*app_kwargs.get("middleware", []), httpguard.middleware()]
    return app.launch(server_name=host, server_port=port, share=share, auth=credentials,
                      max_file_size=MAX_FILE_SIZE, css=CSS, show_error=False, app_kwargs=app_kwargs, **kwargs)
