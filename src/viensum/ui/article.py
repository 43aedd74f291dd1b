"""The web app's Article tab: one article from pasted text, an upload or a link, cleaned and
summarised stage by stage (:func:`summarize_article`), and the tab that shows it.

The handler runs the stages every runner runs (:func:`viensum.stages.prepare`, then the
app's Summarizer) and yields plain values; the tab only wires them to components.
"""
from __future__ import annotations

import copy
import functools
import html
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from viensum.ui import inputs as ui_inputs, links as ui_links
from viensum.check.html import render_checks
from viensum.errors import InputError, ModelNotAvailable, ViensumError
from viensum.ui.controls import HIDDEN, run_buttons, settings, wire_run
from viensum.ui.errors import _user_errors
from viensum.ui.inputs import DOCUMENT_TYPES, check_size, file_path, read_document
from viensum.ui.models import (AUTO, _summarizer, english_notice, install_command, missing_models, model_installed,
                               summarizer_pool, ui_options)
from viensum.ui.render import render_article, render_details, render_removed, render_translation
from viensum.ui.runs import stopped

# the article tab's outputs, in the order summarize_article yields them
ARTICLE_FIELDS = ("status", "source", "article", "removed", "title_en", "summary_en", "english_notice",
                  "summary_vi", "translation", "details", "checked")
SEEDS_DIR = Path(__file__).resolve().parents[3] / "seeds"
# after a run, bring the result into view: on a phone the English summary, on a desktop the status line
SCROLL_JS = """() => { const phone = window.innerWidth < 768;
  const el = document.querySelector(phone ? '#english-col' : '#run-status');
  if (el) el.scrollIntoView({behavior: 'smooth', block: 'start'}); }"""
STAGE_LABELS = {"summary_vi": "Vietnamese summary ready · translating it into English",
                "summary_en": "English summary ready · translating the headline"}


def sample_articles(seeds_dir: str | Path | None = None) -> list[str]:
    """The sample articles offered as examples; none when the seeds folder is absent (an installed wheel)."""
    folder = Path(seeds_dir) if seeds_dir else SEEDS_DIR
    if not folder.is_dir():
        return []
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]


def example_label(text: str, width: int = 60) -> str:
    """A short label for a sample: its headline-like line (no final full stop, not a menu item)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][:4] or [""]
    headlines = [line for line in lines
                 if len(line.split()) >= 5 and len(line) <= 150 and not line.endswith((".", ":", "|"))]
    label = max(headlines, key=len) if headlines else lines[0]
    return label if len(label) <= width else label[:width - 1].rstrip() + "…"


def _read_source(text: str | None, file, picked: bool | None = None,
                 link: str | None = None) -> tuple[str, str | None, str]:
    """(raw text, format, what was used) from the upload or the pasted text.

    In the page the last input wins (pasting clears the upload and uploading clears
    the box), so only one is set; an API caller giving both gets the file. ``picked``:
    whether the page's sample list filled the box (typed text equal to a sample is
    still typed text); None (API callers): a text equal to a sample is that sample.
    """
    path = file_path(file)
    if path:
        raw, fmt = read_document(path)
        return raw, fmt, f"uploaded file **{html.escape(Path(path).name)}**"
    if link and link.strip():  # fetched on the server: the SSRF guard is on (viensum.ui.links)
        raw, fmt, used = ui_links.read_link(link)
        check_size(raw, "The linked page")  # the same limit as pasted text, before any work on it
        return raw, fmt, used
    raw = text or ""
    check_size(raw)  # before any work on it
    if raw and picked is not False and raw in _samples():
        return raw, None, f"sample article “{html.escape(example_label(raw))}”"
    return raw, None, f"pasted text ({len(raw.split()):,} words)"


@functools.lru_cache(maxsize=1)
def _samples() -> tuple[str, ...]:
    return tuple(sample_articles())


@_user_errors
def summarize_article(text: str | None, file=None, recipe: str | None = AUTO, sentences: int = 3,
                      beams: int = 0, translate: bool = False, link: str | None = None, run: str | None = None,
                      picked: bool | None = None) -> Iterator[tuple]:
    """Clean and summarise one article from pasted text or an uploaded file, stage by stage.

    Yields tuples in :data:`ARTICLE_FIELDS` order: a stage label (Markdown), the
    source used, the cleaned article (HTML), what was removed (HTML), English
    headline, English summary, the notice standing in for a missing English
    summary (Markdown, "" when there is one), Vietnamese summary, full
    translation (HTML, "" unless asked for), notes and provenance (Markdown).
    The cleaned article comes first, in milliseconds; then the summaries; then
    the full translation. Input that cannot be summarised (not Vietnamese, no
    article text, a model failure) raises: it is an error, not a summary.
    ``run`` is the page's token for its Stop button (:func:`viensum.ui.runs.request_stop`): no
    further stage starts once it is pressed. ``picked``: see :func:`_read_source`.
    """
    options = ui_options(recipe, sentences, beams)  # the full translation is its own stage below
    started = time.perf_counter()
    recipe = recipe or AUTO
    raw, fmt, used = _read_source(text, file, picked, link)
    article = _cleaned(raw, fmt, options)
    source = f"**Source:** {used}"
    shown = render_article(article), render_removed(article)
    yield (f"⏳ Cleaned the article · {summarising(recipe)}…", source, *shown, "", "", "", "", "",
           render_details(article=article), "")
    if stopped(run):
        yield ("⏹ Stopped after cleaning the article.", source, *shown, "", "", "", "", "",
               render_details(article=article), "")
        return

    extra: list[str] = []
    result = None
    for stage, summary in _summary_stages(article, options, recipe, extra):
        if stage == "done":
            result = summary
        else:  # one summary ready, the other still being written
            yield (f"⏳ {STAGE_LABELS[stage]}…", source, *shown, "", summary.summary_en or "", "",
                   summary.summary_vi or "", "", render_details(article=article), "")
    if result.error:
        raise InputError(f"Not summarised: {result.error}")
    notice = "" if result.summary_en else english_notice(missing_models(recipe))
    details = render_details(result, result.article or article, extra, skip_install=bool(notice))
    values = [source, *shown, result.title_en or "", result.summary_en or "", notice, result.summary_vi]
    checked = render_checks(result.checks_en, result.checks_vi)  # viensum.check: sentences -> source paragraphs
    if not translate:
        yield (f"✓ Done in {time.perf_counter() - started:.1f} s", *values, "", details, checked)
        return

    if stopped(run):
        yield ("⏹ Stopped before the full translation.", *values, "", details, checked)
        return
    yield ("⏳ Summarised · translating the whole article…", *values, "", details, checked)
    yield (f"✓ Done in {time.perf_counter() - started:.1f} s", *values, _full_translation(article, recipe), details,
           checked)


def _summary_stages(article, options, recipe: str, extra: list[str]) -> Iterator[tuple[str, Any]]:
    """("summary_vi" or "summary_en", partial Summary) as the recipe's stages finish (:mod:`viensum.partial`),
    then ("done", Summary). A recipe whose models are not installed gives the extractive summary,
    with a note in ``extra``."""
    import queue

    from viensum import partial

    try:
        summarizer = _summarizer(options)
    except ModelNotAvailable:
        # the cleaned article is there: give the offline summary and say what to install
        extra.append(f"recipe `{recipe}` needs models that are not installed here, "
                     "so this is the extractive summary")
        options = options.replace(model="extractive")
        summarizer = _summarizer(options)
    stages: queue.Queue = queue.Queue()

    def work() -> None:
        token = partial.listen(lambda stage, summaries: stages.put((stage, copy.copy(summaries[0]))))
        try:
            stages.put(("done", summarizer.summarize(article, options=options)))
        except BaseException as exc:  # noqa: BLE001 - handed to the request's thread, raised there
            stages.put(("error", exc))
        finally:
            partial.stop(token)

    threading.Thread(target=work, name="viensum-article", daemon=True).start()
    while True:
        stage, value = stages.get()
        if stage == "error":
            raise value
        yield stage, value
        if stage == "done":
            return


def _cleaned(raw: str, fmt: str | None, options):
    """The cleaned article (the stage every runner uses: viensum.stages.prepare), or the reason it
    cannot be summarised here."""
    from viensum import stages

    if not raw.strip():
        raise InputError("Paste an article or upload a file first.")
    check_size(raw)
    job = stages.prepare(stages.Request(text=raw, format=fmt), options)
    _refuse(job)
    return job.article


def summarising(recipe: str) -> str:
    """The summary stage named as it will run: "auto" resolved, and what the recipe's models do."""
    from viensum.registry import DEFAULT_RECIPE, get_recipe

    name = (DEFAULT_RECIPE if not missing_models(AUTO) else "extractive") if recipe == AUTO else recipe
    try:
        r = get_recipe(name)
    except ViensumError:  # an unknown name: the Summarizer says so, with the fix
        return f"summarising with `{name}`"
    if r.chat:
        what = "summarising in Vietnamese and English"
    elif r.summarizer_en:
        what = "summarising straight into English"
    elif r.summarizer_vi:
        what = "summarising in Vietnamese, then translating the summary into English"
    else:
        what = "picking the key sentences" + (", then translating them into English"
                                              if not missing_models("extractive") else "")
    return f"{what} with `{name}`"


def _refuse(job) -> None:
    """A prepared article that cannot be summarised, as the error the page shows."""
    from viensum import stages

    if job.reason == stages.EMPTY:
        raise InputError("No article text found: the input is all menus, links or boilerplate.")
    if job.reason == stages.LANGUAGE:
        raise InputError(f"This text is not Vietnamese (it looks like '{job.article.language}'): "
                         "viensum summarises Vietnamese news into English. Paste a Vietnamese article.")
    if job.summary.error:
        raise InputError(job.summary.error)
    if len(job.article.text) > ui_inputs.MAX_ARTICLE_CHARS:
        raise InputError(f"The cleaned article is {len(job.article.text):,} characters long; the limit here is "
                         f"{ui_inputs.MAX_ARTICLE_CHARS:,}. Split it, or use the command line: viensum summarize FILE")


def _full_translation(article, recipe: str) -> str:
    """The whole article translated by the recipe's translator, or a line saying what to install."""
    from viensum.registry import DEFAULT_TRANSLATOR, get_recipe
    from viensum.translate import translate

    name = (get_recipe(recipe).translator if recipe != AUTO else None) or DEFAULT_TRANSLATOR
    if not model_installed(name):
        return (f"<p class='vs-meta'>The full translation needs the model {html.escape(name)}, "
                f"not installed on this server: <code>{install_command([name])}</code></p>")
    return render_translation(translate(article, name, models=summarizer_pool().models))


def build_article_tab():
    import gradio as gr

    with gr.Row():
        with gr.Column(scale=3):
            text = gr.Textbox(label="Article text (Vietnamese) — Ctrl+Enter summarises", lines=6, max_lines=12,
                              placeholder="Paste a news article, menus and all…", elem_id="article-text")
        with gr.Column(scale=2):
            file = gr.File(label="…or upload a file (.txt, .html, .docx, .pdf)",
                           file_types=list(DOCUMENT_TYPES), elem_id="article-file")
            link = ui_links.link_field()
    recipe, sentences, beams, _ = settings()
    translate = gr.Checkbox(label="Also translate the whole article (slower)", value=False)
    run, stop = run_buttons("Summarise", "summarise", "stop")
    samples = sample_articles()
    picked = gr.State(False)  # the box holds a sample from the list (typing makes it typed text)
    if samples:
        picker = gr.Dataset(components=[text], samples=[[s] for s in samples], type="index",
                            sample_labels=[example_label(s) for s in samples], elem_id="samples",
                            label="Sample articles: a click puts one in the box above (then press Summarise)")
        picker.click(lambda i: (samples[i], None, True), inputs=picker, outputs=[text, file, picked], queue=False,
                     api_visibility=HIDDEN)
    # the last input wins: typing or pasting drops the upload, an upload empties the box
    text.input(None, None, file, js="() => null", api_visibility=HIDDEN)
    text.input(lambda: False, None, picked, queue=False, show_progress="hidden", api_visibility=HIDDEN)
    file.upload(None, None, text, js="() => ''", api_visibility=HIDDEN)
    link.input(None, None, [text, file], js="() => ['', null]", api_visibility=HIDDEN)
    outputs = _article_outputs()
    wire_run(run, stop, summarize_article, [text, file, recipe, sentences, beams, translate, link], outputs,
              "summarize_article", scroll_js=SCROLL_JS, page_inputs=(picked,))
    return recipe


def _article_outputs() -> list:
    """The Article tab's results, in :data:`ARTICLE_FIELDS` order."""
    import gradio as gr

    status = gr.Markdown(elem_id="run-status")
    source = gr.Markdown(elem_id="source-used")
    with gr.Row(elem_id="results"):
        with gr.Column(elem_id="article-col"):
            gr.Markdown("## Cleaned article")
            article = gr.HTML(elem_id="cleaned-article")
            with gr.Accordion("What the cleaner removed", open=False, elem_id="removed-box"):
                removed = gr.HTML(elem_id="removed")
        with gr.Column(elem_id="english-col"):
            title_en = gr.Textbox(label="English headline", interactive=False, max_lines=2,
                                  buttons=["copy"], elem_id="title-en")
            summary_en = gr.Textbox(label="English summary", lines=5, max_lines=10, interactive=False,
                                    buttons=["copy"], elem_id="summary-en")
            notice = gr.Markdown(elem_id="english-notice")
            summary_vi = gr.Textbox(label="Vietnamese summary", lines=4, max_lines=10, interactive=False,
                                    buttons=["copy"], elem_id="summary-vi")
            checked = gr.HTML(elem_id="summary-checked")  # viensum.check: sentences and their sources
            details = gr.Markdown(elem_id="details")
    with gr.Accordion("Full translation, paragraph by paragraph", open=True, elem_id="translation-box"):
        translation = gr.HTML(elem_id="translation")
    return [status, source, article, removed, title_en, summary_en, notice, summary_vi, translation, details, checked]
