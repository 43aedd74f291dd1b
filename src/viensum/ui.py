"""The Gradio web UI: plain handler functions, and the app built around them.

The handlers take and return (or yield, stage by stage) plain values: strings,
lists, file paths. They are tested without a browser; ``build_app()`` only
wires them to components and decides what is visible. Gradio is imported
inside functions: ``import viensum.ui`` is light and nothing here loads a
model until a request asks for one.

Errors reach the browser as ``gr.Error`` with a one-line message, never as a
traceback or a server path: a :class:`~viensum.errors.ViensumError` keeps its
own message (file paths reduced to their names, a missing model reduced to the
command that installs it), any other exception is logged here and shown as a
generic failure.
"""
from __future__ import annotations

import copy
import functools
import html
import inspect
import logging
import os
import re
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from viensum.check.html import render_checks
from viensum.errors import InputError, ModelNotAvailable, ViensumError
from viensum import ui_links
from viensum.inputs import ARTICLE_EXTENSIONS, INPUT_EXTENSIONS

log = logging.getLogger(__name__)

# Bounds on the work one request may ask for; each has a clear message when exceeded.
MAX_FILE_SIZE = "10mb"            # per uploaded file, enforced by Gradio before the handler runs
MAX_FILE_BYTES = 10 * 1024 * 1024  # the same limit for files inside a .zip
MAX_INPUT_CHARS = 2_000_000       # raw input (a saved HTML page is mostly markup)
MAX_ARTICLE_CHARS = 50_000        # the cleaned article: several times a long news story
MAX_BATCH_ITEMS = 200             # articles per batch, after unpacking .zip / .jsonl
CONCURRENCY_LIMIT = 2             # requests running at once (model calls are CPU/GPU bound)
QUEUE_SIZE = 32                   # requests waiting; more are turned away with "queue is full"
CACHE_SECONDS = 3600              # Gradio's copies of uploads and downloads are deleted after this

AUTO = "auto"  # recipe choice meaning "the default recipe, or the offline extractive fallback"
DOCUMENT_TYPES = ARTICLE_EXTENSIONS
BATCH_TYPES = INPUT_EXTENSIONS
MAX_ZIP_BYTES = 100 * 1024 * 1024  # declared uncompressed size of one uploaded .zip, checked before unpacking
# the whole batch, counted as it is read (viensum.inputs.Limits); request bodies: viensum.httpguard
MAX_BATCH_BYTES = 50_000_000      # bytes read or unpacked from all the uploads of one request together
MAX_BATCH_CHARS = MAX_BATCH_ITEMS * MAX_ARTICLE_CHARS  # characters of text in one batch
MAX_DOCUMENT_XML_BYTES = 5_000_000  # a .docx's XML, checked from its zip directory
READ_SECONDS = 15.0               # reading one .docx/.pdf (a child process), then it is refused
READ_MEMORY = 768 * 1024 * 1024   # that child's address space
TABLE_HEADERS = ["article", "status", "headline · summary"]
TABLE_SUMMARY_CHARS = 280  # the table is a preview; the downloads hold every summary whole
SCORE_HEADERS = ["metric", "mean", "95% CI low", "95% CI high"]
DOC_SCORE_KEYS = ("rouge1", "rouge2", "rougeL", "bleu", "chrf")
# the article tab's outputs, in the order summarize_article yields them
ARTICLE_FIELDS = ("status", "source", "article", "removed", "title_en", "summary_en", "english_notice",
                  "summary_vi", "translation", "details", "checked")
SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"


# ---------------------------------------------------------------- errors


def _hide_paths(message: str) -> str:
    """Reduce absolute paths (server temp folders, upload caches) to their last part."""
    return re.sub(r"(?<![\w.~])/(?:[^\s/:;,'\"`()]+/)+([^\s/:;,'\"`()]*)", r"\1", message)


def _public_message(exc: ViensumError) -> str:
    if isinstance(exc, ModelNotAvailable):
        # the CLI's message names the store folder and environment variables: not for the browser
        return (f"The model {exc.name} is not installed on this server. "
                f"To install it there, run: viensum models download {exc.name}")
    return _hide_paths(str(exc))


def _user_errors(fn: Callable) -> Callable:
    """Turn every failure of a handler (a plain or a generator function) into a one-line ``gr.Error``."""

    def translate(exc: BaseException):
        import gradio as gr

        if isinstance(exc, gr.Error):
            return exc
        if isinstance(exc, ViensumError):
            return gr.Error(_public_message(exc), print_exception=False)
        # the details belong in the server log, not in the browser
        log.exception("unexpected error in %s", fn.__name__, exc_info=exc)
        return gr.Error("Something went wrong on the server; the details are in its log.", print_exception=False)

    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def generator(*args, **kwargs):
            try:
                yield from fn(*args, **kwargs)
            except GeneratorExit:  # the Stop button, or a closed page
                raise
            except Exception as exc:
                raise translate(exc) from None
        return generator

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            raise translate(exc) from None

    return wrapper


def error_status(message: str) -> str:
    """A failure as the status line shows it until the next run: escaped (``<id>.txt`` stays text),
    `backticked` parts as code."""
    shown = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(message, quote=False))
    return f"<p class='vs-error' role='alert'>⚠ {shown}</p>"


def for_the_page(fn: Callable, status_at: int, count: int) -> Callable:
    """The page's version of a handler: a failure goes to output ``status_at`` (the status line) and
    stays there until the next run, the other outputs are left as they are (no error badges over
    them). The API endpoint keeps the handler itself, which raises ``gr.Error``."""

    @functools.wraps(fn)
    def page(*args, **kwargs):
        import gradio as gr

        try:
            result = fn(*args, **kwargs)
            if inspect.isgenerator(result):
                yield from result
            else:
                yield result
        except gr.Error as exc:
            values = [gr.skip()] * count
            values[status_at] = error_status(str(exc.message))
            yield tuple(values)

    return page


# ---------------------------------------------------------------- stopping a run

_STOPS: dict[str, threading.Event] = {}  # run token -> set when its Stop button is pressed
_STOPS_LOCK = threading.Lock()


def new_run() -> str:
    """A token for one run of a tab: its Stop button names it."""
    token = uuid.uuid4().hex
    with _STOPS_LOCK:
        if len(_STOPS) > 10_000:  # runs that ended without forgetting theirs (a closed page)
            _STOPS.clear()
        _STOPS[token] = threading.Event()
    return token


def request_stop(token: str | None) -> None:
    """The Stop button: the run finishes the article in hand, then stops (its finished work is kept)."""
    with _STOPS_LOCK:
        event = _STOPS.get(token or "")
    if event is not None:
        event.set()


def stopped(token: str | None) -> bool:
    with _STOPS_LOCK:
        event = _STOPS.get(token or "")
    return event is not None and event.is_set()


def forget_run(token: str | None) -> None:
    with _STOPS_LOCK:
        _STOPS.pop(token or "", None)


# ---------------------------------------------------------------- reading input

def read_document(path: str | Path, data: bytes | None = None) -> tuple[str, str | None]:
    """Return (text, format) of an uploaded document; format is "html" for web pages, else None.

    ``data`` gives the bytes when they do not come from ``path``. .docx and .pdf
    are reduced to their paragraphs' text (:func:`viensum.inputs.decode_document`).
    """
    from viensum import inputs

    name = Path(path).name
    ext = Path(name).suffix.lower()
    if ext not in DOCUMENT_TYPES:
        raise InputError(f"{name}: unsupported file type '{ext or '(none)'}'; "
                         f"use one of {', '.join(DOCUMENT_TYPES)}")
    try:
        data = inputs.read_file(path, MAX_FILE_BYTES) if data is None else data
        text = inputs.decode_document(data, ext, app_limits())
    except InputError as exc:
        raise InputError(f"{name}: {exc}") from None
    if not text.strip():
        raise InputError(f"{name}: no text found in the file")
    return text, ("html" if ext in inputs.HTML_EXTENSIONS else None)


def app_limits():
    """What the app reads from one request (:class:`viensum.inputs.Limits`)."""
    from viensum import inputs

    return inputs.Limits(file_bytes=MAX_FILE_BYTES, zip_members=MAX_BATCH_ITEMS * 2, zip_bytes=MAX_ZIP_BYTES,
                         items=MAX_BATCH_ITEMS, text_chars=MAX_INPUT_CHARS,
                         document_xml_bytes=MAX_DOCUMENT_XML_BYTES, read_seconds=READ_SECONDS,
                         read_memory=READ_MEMORY, total_bytes=MAX_BATCH_BYTES, total_chars=MAX_BATCH_CHARS)


def _check_size(text: str, what: str = "The input") -> None:
    if len(text) > MAX_INPUT_CHARS:
        raise InputError(f"{what} is {len(text):,} characters long; the limit is {MAX_INPUT_CHARS:,}")


def _file_path(file: Any) -> str | None:
    """Gradio gives a path string; older clients an object with .name."""
    if file is None or file == "":
        return None
    return str(getattr(file, "name", file))


# ---------------------------------------------------------------- models: what is installed


def _installed(name: str) -> bool:
    """Whether a model loads without downloading anything (the Summarizer's own test)."""
    from viensum.summarizer import available

    return available(name)


def _recipe_models(name: str) -> list[str]:
    """The models a recipe runs ("auto": the default recipe's), the English one last."""
    from viensum.recipes import recipe_models
    from viensum.registry import DEFAULT_RECIPE, get_recipe

    return recipe_models(get_recipe(DEFAULT_RECIPE if name == AUTO else name))


def install_command(names: list[str]) -> str:
    from viensum.recipes import install_command

    return install_command(names)


def missing_models(recipe: str) -> list[str]:
    """The models of ``recipe`` not installed here ("auto": those of the default recipe)."""
    return [m for m in _recipe_models(recipe) if not _installed(m)]


def english_notice(missing: list[str]) -> str:
    """What stands in place of the English summary when the models that write it are missing."""
    if not missing:
        return ("**No English summary came out for this article.** "
                "The details below say what the models did.")
    return ("**No English summary yet: the English model is not installed on this server.** "
            "The Vietnamese summary below is made of the article's key sentences. "
            "To get English summaries, install the models on the server, then reload this page:\n\n"
            f"```\n{install_command(missing)}\n```")


# ---------------------------------------------------------------- rendering


def render_article(article) -> str:
    """The cleaned article as HTML: headline, the line of metadata, paragraphs."""
    parts = []
    if article.title:
        parts.append(f"<h2 class='vs-title'>{html.escape(article.title)}</h2>")
    meta = [m for m in (article.date, article.byline, article.source) if m]
    if meta:
        parts.append(f"<p class='vs-meta'><em>{html.escape(' · '.join(meta))}</em></p>")
    parts.extend(f"<p data-para='{i}'>{html.escape(p)}</p>" for i, p in enumerate(article.paragraphs))
    return "<div class='vs-article' lang='vi'>" + "\n".join(parts) + "</div>"


def removed_groups(article) -> list[tuple[str, list[str]]]:
    """What the cleaner dropped as (reason, texts): consecutive blocks of one reason in one group,
    and nothing the article kept (its headline, date or byline found outside the main content)."""
    kept = {" ".join(t.split()) for t in (article.title, article.date, article.byline) if t}
    kept.update(" ".join(p.split()) for p in article.paragraphs)
    groups: list[tuple[str, list[str]]] = []
    for r in article.removed:
        text = " ".join(r.text.split())
        if not text or text in kept or "kept" in r.reason or _is_the_date(text, article.date):
            continue
        if groups and groups[-1][0] == r.reason:
            groups[-1][1].append(text)
        else:
            groups.append((r.reason, [text]))
    return groups


def _is_the_date(text: str, iso: str | None) -> bool:
    """Whether a short line is the article's date (kept as metadata), in any usual spelling."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    if not match or len(text) > 60:
        return False
    year, month, day = match.groups()
    spellings = (f"{int(day)}/{int(month)}/{year}", f"{day}/{month}/{year}", iso, f"{day}-{month}-{year}",
                 f"{int(day)}-{int(month)}-{year}", f"{day}.{month}.{year}")
    return any(re.search(rf"(?<!\d){re.escape(d)}(?!\d)", text) for d in spellings)


def render_removed(article, limit: int = 240) -> str:
    """What the cleaner dropped, one row per group of blocks: the reason first (always in view), then the text."""
    groups = removed_groups(article)
    if not groups:
        return "<p class='vs-meta'>Nothing was removed.</p>"
    rows = []
    for reason, texts in groups:
        text = " · ".join(texts)
        shown = text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
        count = f" <span class='vs-count'>({len(texts)} blocks)</span>" if len(texts) > 1 else ""
        rows.append(f"<tr><td class='vs-reason'>{html.escape(reason)}{count}</td>"
                    f"<td lang='vi' title='{html.escape(text[:2000])}'>{html.escape(shown)}</td></tr>")
    return ("<table class='vs-removed'><colgroup><col class='vs-reason-col'><col></colgroup>"
            "<thead><tr><th>reason</th><th>removed text</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def render_translation(translation) -> str:
    """The full translation as a two-column table: each Vietnamese paragraph beside its English."""
    rows = []
    if translation.title_vi or translation.title_en:
        rows.append(f"<tr><th lang='vi'>{html.escape(translation.title_vi)}</th>"
                    f"<th>{html.escape(translation.title_en)}</th></tr>")
    rows.extend(f"<tr><td lang='vi'>{html.escape(p.vi)}</td><td>{html.escape(p.en)}</td></tr>"
                for p in translation.paragraphs)
    return ("<table class='vs-translation'><thead><tr><th>Tiếng Việt</th><th>English</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            f"<p class='vs-meta'><em>translated by {html.escape(translation.model)}</em></p>")


def render_details(result=None, article=None, extra: list[str] | None = None, skip_install: bool = False) -> str:
    """Notes and provenance as Markdown: what produced the summary, and anything worth knowing.

    ``skip_install`` leaves out the notes that only repeat the install command shown above.
    """
    lines = []
    for note in [*(extra or []), *(result.notes if result else []), *(article.warnings if article else [])]:
        if not (skip_install and "viensum models download" in note):
            lines.append(f"- **Note:** {_hide_paths(note)}")
    if result is not None and result.recipe:
        models = ", ".join(f"{role}: `{mid}`" for role, mid in sorted(result.models.items())) or "none"
        lines.append(f"- **Recipe:** `{result.recipe}` — models: {models}")
        lines.append(f"- **Chunks:** {result.chunks} · **truncated:** {'yes' if result.truncated else 'no'}")
        steps = {k: v for k, v in result.timings.items() if k != "total"}  # the status line has the wall time
        if steps:
            timings = ", ".join(f"{k} {v:.2f} s" for k, v in steps.items())
            lines.append(f"- **Time in each step:** {timings}")
    if article is not None:
        lang = article.language + (f" ({article.language_score:.2f})" if article.language_score is not None else "")
        lines.append(f"- **Input:** {article.input_format}, language {lang}, "
                     f"{len(article.paragraphs)} paragraphs, {len(article.removed)} blocks removed")
    return "\n".join(lines)


# ---------------------------------------------------------------- article tab


def _recipe_arg(recipe: str | None) -> str | None:
    return None if not recipe or recipe == AUTO else recipe


def _beams_arg(beams) -> int | None:
    return int(beams) if beams else None  # 0: the model's own setting


def ui_options(recipe: str | None = AUTO, sentences: int = 3, beams: int = 0, translate: bool = False):
    """The :class:`~viensum.options.Options` of the UI's fields (the CLI's come from options_from_args)."""
    from viensum.options import Options

    return Options.make(model=_recipe_arg(recipe), sentences=int(sentences), num_beams=_beams_arg(beams),
                        translate=bool(translate))


def _pool():
    """The app's Summarizers (one per recipe, shared by concurrent requests: they are thread-safe)."""
    global _SUMMARIZERS
    if _SUMMARIZERS is None:
        from viensum.summarizer import SummarizerPool

        _SUMMARIZERS = SummarizerPool()  # it owns the loaded models; the full translation uses them too
    return _SUMMARIZERS


def _summarizer(options):
    return _pool().get(options)


_SUMMARIZERS = None  # the app's Summarizers, built on the first request


def _read_source(text: str | None, file, picked: bool | None = None,
                 link: str | None = None) -> tuple[str, str | None, str]:
    """(raw text, format, what was used) from the upload or the pasted text.

    In the page the last input wins (pasting clears the upload and uploading clears
    the box), so only one is set; an API caller giving both gets the file. ``picked``:
    whether the page's sample list filled the box (typed text equal to a sample is
    still typed text); None (API callers): a text equal to a sample is that sample.
    """
    path = _file_path(file)
    if path:
        raw, fmt = read_document(path)
        return raw, fmt, f"uploaded file **{html.escape(Path(path).name)}**"
    if link and link.strip():  # fetched on the server: the SSRF guard is on (viensum.ui_links)
        raw, fmt, used = ui_links.read_link(link)
        _check_size(raw, "The linked page")  # the same limit as pasted text, before any work on it
        return raw, fmt, used
    raw = text or ""
    _check_size(raw)  # before any work on it
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
    ``run`` is the page's token for its Stop button (:func:`request_stop`): no
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


STAGE_LABELS = {"summary_vi": "Vietnamese summary ready · translating it into English",
                "summary_en": "English summary ready · translating the headline"}


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
    _check_size(raw)
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
    if len(job.article.text) > MAX_ARTICLE_CHARS:
        raise InputError(f"The cleaned article is {len(job.article.text):,} characters long; the limit here is "
                         f"{MAX_ARTICLE_CHARS:,}. Split it, or use the command line: viensum summarize FILE")


def _full_translation(article, recipe: str) -> str:
    """The whole article translated by the recipe's translator, or a line saying what to install."""
    from viensum.registry import DEFAULT_TRANSLATOR, get_recipe
    from viensum.translate import translate

    name = (get_recipe(recipe).translator if recipe != AUTO else None) or DEFAULT_TRANSLATOR
    if not _installed(name):
        return (f"<p class='vs-meta'>The full translation needs the model {html.escape(name)}, "
                f"not installed on this server: <code>{install_command([name])}</code></p>")
    return render_translation(translate(article, name, models=_pool().models))


# ---------------------------------------------------------------- batch input


def batch_items(paths: list[str]) -> list:
    """Unpack the uploaded files into articles (:func:`viensum.inputs.read_items`: .zip members and
    .jsonl/.parquet records become one each, ids as everywhere else).

    A file that cannot be read becomes an item with its error, so it gets a row
    of its own and does not stop the others. ``name`` is shown without the server's upload folder.
    """
    from viensum import inputs
    from viensum.fetch.items import fetching_with

    limits = app_limits()
    paths = [os.path.abspath(p) for p in paths]
    folders = sorted({inputs.printable(os.path.dirname(p)) + "/" for p in paths}, key=len, reverse=True)
    try:
        with fetching_with(ui_links.server_fetcher()):  # links in uploaded lists, records, feeds: the SSRF guard
            items = list(inputs.read_items(paths, limits))
    except InputError as exc:
        if "at most" in str(exc):
            raise InputError(f"A batch holds at most {MAX_BATCH_ITEMS} articles; "
                             "split it, or use the command line: viensum summarize FILES") from None
        raise InputError(_without(str(exc), folders)) from None
    for item in items:  # each row names its file, not the server's upload folder
        item.name = _without(item.name, folders)
    return items


def _without(text: str, folders: list[str]) -> str:
    for folder in folders:
        text = text.replace(folder, "")
    return text


# ---------------------------------------------------------------- batch tab


def render_progress(total: int, summarised: int, failed: int, current: str = "", stopped: bool = False) -> str:
    """The batch's progress line: a bar and the counts of inputs, successes and failures."""
    done = summarised + failed
    counts = f"{summarised} summarised, {failed} failed"
    if stopped:
        label = f"⏹ Stopped after {done} of {total} inputs: {counts}, {total - done} not done"
    elif done < total:
        label = f"{done} of {total} inputs done: {counts}" + (f" · now: {html.escape(current)}" if current else "")
    else:
        label = f"All {total} inputs done: {counts}"
    return (f"<div class='vs-progress'><progress value='{done}' max='{max(total, 1)}' "
            f"aria-label='batch progress'></progress><span>{label}</span></div>")


def _breakable(name: str) -> str:
    """An id or file name for a narrow column: line breaks allowed after its separators only."""
    return re.sub(r"([/_.])(?=.)", "\\1\u200b", name)


def _row(item, s=None, stopped_now: bool = False) -> list[str]:
    return [_breakable(item.name), *_row_values(item, s, stopped_now)[1:]]


def _row_values(item, s=None, stopped_now: bool = False) -> list[str]:
    if item.error is not None:
        return [item.name, f"error: {item.error}", ""]
    if s is None:
        return [item.name, "stopped: not summarised" if stopped_now else "waiting", ""]
    if not s.ok:
        return [item.name, f"error: {_hide_paths(s.error)}", ""]
    title = s.title_en or (s.article.title if s.article else "")
    summary = s.summary_en or s.summary_vi
    if len(summary) > TABLE_SUMMARY_CHARS:
        summary = summary[:TABLE_SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"
    status = "ok (tiny test model)" if _tiny_output(s) else "ok"
    return [item.name, status, f"{title} · {summary}" if title else summary]


def _tiny_output(summary) -> bool:
    """Whether a summary came from viensum's random test models (its text means nothing)."""
    tiny = tiny_models()
    return any(name in tiny for name in _model_names(summary.models))


def _model_names(models: dict) -> list[str]:
    from viensum.registry import MODELS

    by_hub = {spec.hub_id: name for name, spec in MODELS.items()}
    return [by_hub.get(mid, mid) for mid in (models or {}).values()]


def tiny_models() -> set[str]:
    """The installed models that are random stand-ins made by ``viensum models make-tiny``."""
    from viensum.store import list_models

    return {m.name for m in list_models() if m.tiny}


@_user_errors
def summarize_batch(files, recipe: str | None = AUTO, sentences: int = 3, beams: int = 0, run: str | None = None
                    ) -> Iterator[tuple[str, list[list[str]], str | None, str | None]]:
    """Summarise many uploaded articles; one bad file fails only its own row.

    Yields (progress HTML, table rows of [article, status, summary], JSONL path, CSV path)
    after each article; the paths are set on the last yield only. They live in a
    temporary folder removed when the generator ends: by then Gradio has copied
    them into its own cache (bounded by ``CACHE_SECONDS``). ``run`` is the page's
    token for its Stop button: the article in hand is finished, the rest are
    marked "stopped", and what was done is still offered for download.
    """
    from viensum import stages

    options = ui_options(recipe, sentences, beams).replace(clean=True)
    paths = [p for p in (_file_path(f) for f in (files or [])) if p]
    if not paths:
        raise InputError("Upload one or more files first (.txt, .html, .docx, .pdf, .zip or .jsonl).")
    items = batch_items(paths)  # ids unique and stable (viensum.inputs): a zip member keeps its path
    for item in items:
        if item.error is None and len(item.text) > MAX_INPUT_CHARS:
            item.error = f"{len(item.text):,} characters; the limit is {MAX_INPUT_CHARS:,}"
    good = [item for item in items if item.error is None]
    results: dict[int, Any] = {}  # id(item) -> its Summary
    failed = len(items) - len(good)
    yield render_progress(len(items), 0, failed, good[0].name if good else ""), [_row(i) for i in items], None, None
    halted = False
    if good:
        # one article per group: the table and the bar move after every article
        # the Items themselves, as the CLI hands them: each one's format reaches the cleaner
        stream = _summarizer(options).iter_summarize(good, options=options, group_size=1)
        try:
            for done, (item, s) in enumerate(zip(good, stream), 1):
                results[id(item)] = s
                failed += not s.ok
                halted = stopped(run) and done < len(good)
                rows = [_row(i, results.get(id(i)), halted) for i in items]
                upcoming = good[done].name if done < len(good) and not halted else ""
                summarised = sum(r.ok for r in results.values())
                yield render_progress(len(items), summarised, failed, upcoming), rows, None, None
                if halted:
                    break
        finally:
            stream.close()  # no further article is started
            forget_run(run)
    failed_jobs = {id(item): stages.failed(item, item.error or "stopped before it was summarised")
                   for item in items if id(item) not in results and (item.error is not None or halted)}
    if good and failed_jobs:  # stamped through stage 3 like every runner's error records (recipe, models)
        for job, summary in zip(failed_jobs.values(), _summarizer(options).run(list(failed_jobs.values()), options)):
            job.summary = summary
    ordered = [results.get(id(item)) or failed_jobs[id(item)].summary
               for item in items if item.error is not None or id(item) in results]
    rows = [_row(i, results.get(id(i)), halted) for i in items]
    summarised = sum(1 for r in results.values() if r.ok)
    with tempfile.TemporaryDirectory(prefix="viensum-batch-") as out:
        jsonl_path, csv_path = write_results(ordered, out, sources=[
            item.name for item in items if item.error is not None or id(item) in results])
        yield render_progress(len(items), summarised, failed, stopped=halted), rows, jsonl_path, csv_path


def write_results(summaries: list, out_dir: str | Path | None = None,
                  sources: list[str | None] | None = None) -> tuple[str, str]:
    """Write the batch as summaries.jsonl (the CLI's records) and summaries.csv (one row per article)."""
    from viensum import outputs, render

    out = Path(out_dir or tempfile.mkdtemp(prefix="viensum-batch-"))
    jsonl_path = outputs.write_atomic(out / "summaries.jsonl", render.summaries_jsonl(summaries, sources))
    # utf-8-sig: spreadsheet programs then read Vietnamese correctly
    csv_path = outputs.write_atomic(out / "summaries.csv",
                               render.summaries_csv(summaries, sources).encode("utf-8-sig"))
    return str(jsonl_path), str(csv_path)


# ---------------------------------------------------------------- evaluate tab


def _eval_source(files, role: str, work: Path) -> str:
    """What :func:`viensum.evaluate` reads for one side: a JSONL/JSON/CSV file as is,
    or the uploaded .txt files gathered in a folder (one document each, named <id>[.lang].txt)."""
    paths = [p for p in (_file_path(f) for f in (files if isinstance(files, list) else [files])) if p]
    if not paths:
        raise InputError("Upload both predictions and references.")
    texts = [p for p in paths if Path(p).suffix.lower() == ".txt"]
    if not texts:
        if len(paths) > 1:
            raise InputError(f"Upload one .jsonl, .json or .csv file of {role}s, or several .txt files.")
        return paths[0]
    if len(texts) != len(paths):
        raise InputError(f"Upload either .txt files or one .jsonl/.json/.csv file of {role}s, not both.")
    folder = work / role
    folder.mkdir()
    for p in texts:
        (folder / Path(p).name).write_bytes(Path(p).read_bytes())
    return str(folder)


def match_ids(predictions: dict, references: dict) -> dict[str, str]:
    """prediction id -> reference id for every prediction that has a reference.

    An exact id wins; else the last part of a path-like id (``batch.zip/news/page`` ->
    ``page``, as references are named by file stem), when no other prediction claims it.
    """
    pairs = {p: p for p in predictions if p in references}
    by_base: dict[str, list[str]] = {}
    for p in predictions:
        if p not in pairs:
            by_base.setdefault(p.rsplit("/", 1)[-1].split("~")[0], []).append(p)
    taken = set(pairs.values())
    for base, ids in by_base.items():
        if len(ids) == 1 and base in references and base not in taken:
            pairs[ids[0]] = base
    return pairs


def _listed(ids: list[str], limit: int = 20) -> str:
    shown = ", ".join(f"`{i}`" for i in ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


@_user_errors
def evaluate_files(pred_files, ref_files, lang: str = "en") -> tuple[list[list[Any]], Any, list[list[Any]], str]:
    """Score uploaded predictions against references: what matches is scored, the rest is listed.

    Returns (rows of [metric, mean, 95% CI low, high], the chart as a PIL image,
    rows of per-document scores, notes, unmatched ids and signatures as Markdown).
    """
    # (the function, not the package attribute: importing viensum.evaluate rebinds viensum.evaluate)
    from PIL import Image

    from viensum.evaluate import LABELS, LENGTH_METRICS, evaluate, load_texts

    with tempfile.TemporaryDirectory(prefix="viensum-eval-") as tmp:
        work = Path(tmp)
        pred_source = _eval_source(pred_files, "prediction", work)
        ref_source = _eval_source(ref_files, "reference", work)
        preds = load_texts(pred_source, "prediction", lang=lang)
        refs = load_texts(ref_source, "reference", lang=lang)
        pairs = match_ids(preds, refs)
        if not pairs:
            raise InputError(f"No prediction id matches a reference id (predictions: {_listed(list(preds), 5)}; "
                             f"references: {_listed(list(refs), 5)}). References are named `<id>.txt` or "
                             "`<id>.en.txt`; records carry an `id`.")
        if not any(text for p in pairs for text in preds[p][:1]):
            raise InputError(_all_empty_reason(pred_source, ref_source, lang))
        report = evaluate({p: preds[p] for p in pairs}, {p: refs[r] for p, r in pairs.items()}, lang=lang)
        with Image.open(report.plot(work / "scores.png")) as png:
            chart = png.copy()  # in memory: the folder goes away with this block
    rows = []
    for key, mean in report.means.items():
        if mean is None or key in LENGTH_METRICS:
            continue
        low, high = report.ci.get(key, (None, None))
        rows.append([LABELS.get(key, key), round(mean, 3), None if low is None else round(low, 3),
                     None if high is None else round(high, 3)])
    per_doc = [[d["id"], *(None if d.get(k) is None else round(d[k], 1) for k in DOC_SCORE_KEYS),
                d.get("pred_words"), round(d.get("ref_words") or 0)] for d in report.per_document]
    details = [f"**{report.n} documents scored**, language `{report.lang}`."]
    lengths = {k: report.means.get(k) for k in ("pred_words", "ref_words")}
    if all(v is not None for v in lengths.values()):
        details.append(f"Average length: predictions {lengths['pred_words']:.0f} words, "
                       f"references {lengths['ref_words']:.0f} words.")
    no_ref = [p for p in preds if p not in pairs]
    no_pred = sorted(set(refs) - set(pairs.values()))
    if no_ref:
        details.append(f"- **Not scored, no reference:** {_listed(no_ref)}")
    if no_pred:
        details.append(f"- **Not scored, no prediction:** {_listed(no_pred)}")
    details += [f"- **Note:** {_hide_paths(note)}" for note in report.notes]
    details += [f"- `{name}`: `{value}`" for name, value in report.signature.items()]
    return rows, chart, per_doc, "\n".join(details)


def _all_empty_reason(pred_source: str, ref_source: str, lang: str) -> str:
    """Why every prediction is empty, and the fix, as ``viensum evaluate`` says it (from the records'
    errors and notes), with the page's words for the command line's options."""
    from viensum.evaluate import evaluate

    try:
        evaluate(pred_source, ref_source, lang=lang, bootstrap=1)
    except InputError as exc:
        if "empty" in str(exc):
            message = str(exc).replace("with --lang vi", "by choosing vi as the language above")
            return message[0].upper() + message[1:].replace("--field", "a field name (command line: --field)")
    return "Every prediction is empty: nothing to score."


def default_eval_lang() -> str:
    """The language the Evaluate tab starts with: English once an English model is installed, else
    Vietnamese (the only summaries the no-model state writes)."""
    return "vi" if missing_models(AUTO) else "en"


def doc_score_headers() -> list[str]:
    from viensum.evaluate import LABELS

    return ["id", *(LABELS[k] for k in DOC_SCORE_KEYS), "words", "ref. words"]


# ---------------------------------------------------------------- the app


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


def recipe_choices() -> list[tuple[str, str]]:
    """The recipe menu: short labels (they must fit a phone) saying which recipes are installed."""
    from viensum.registry import DEFAULT_RECIPE, RECIPES

    ready = {name: not missing_models(name) for name in RECIPES}
    tiny = tiny_models()
    choices = [(f"auto (now: {DEFAULT_RECIPE if ready.get(DEFAULT_RECIPE) else 'extractive'})", AUTO)]
    for name in RECIPES:
        if ready[name] and tiny & set(_recipe_models(name)):
            state = "tiny test models"  # random stand-ins: the output means nothing
        elif ready[name]:
            state = "✓ installed"
        elif name == "extractive":
            state = "Vietnamese only"  # runs without models; English needs the translator
        else:
            state = "not installed"
        choices.append((f"{name} · {state}", name))
    return choices


def recipe_info(recipe: str | None) -> str:
    """One line under the menu: what the chosen recipe does, and what to install for it."""
    from viensum.registry import DEFAULT_RECIPE, RECIPES

    name = recipe or AUTO
    if name == AUTO:
        text = f"The default recipe `{DEFAULT_RECIPE}` when its models are installed, else the extractive summary."
    elif name in RECIPES:
        text = RECIPES[name].description + "."
    else:
        return ""
    missing = missing_models(name)
    if missing:
        text += f" Needs on the server: `{install_command(missing)}`"
    return text


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

HIDDEN = "private"  # page plumbing (clearing, menus, scrolling): not an API endpoint

# after a run, bring the result into view: on a phone the English summary, on a desktop the status line
SCROLL_JS = """() => { const phone = window.innerWidth < 768;
  const el = document.querySelector(phone ? '#english-col' : '#run-status');
  if (el) el.scrollIntoView({behavior: 'smooth', block: 'start'}); }"""

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


def _settings(prefix: str = ""):
    """The recipe, length and beams controls (built on each tab where they act)."""
    import gradio as gr

    with gr.Row():
        # min_width: on a phone the menu takes a line of its own, so its labels are not cut
        recipe = gr.Dropdown(recipe_choices(), value=AUTO, label="Model / recipe", scale=3, min_width=330,
                             elem_id=f"{prefix}recipe")
        sentences = gr.Slider(1, 10, value=3, step=1, label="Summary length (sentences)", scale=1, min_width=160)
        beams = gr.Slider(0, 8, value=0, step=1, label="Beams (0 = the model's default)", scale=1, min_width=160)
    info = gr.Markdown(recipe_info(AUTO), elem_id=f"{prefix}recipe-info")
    recipe.change(recipe_info, inputs=recipe, outputs=info, queue=False, show_progress="hidden",
                  api_visibility=HIDDEN)
    return recipe, sentences, beams, info


def _run_buttons(label: str, run_id: str, stop_id: str):
    """The run button, and its Stop button (enabled only while a run goes on)."""
    import gradio as gr

    with gr.Row():
        run = gr.Button(label, variant="primary", elem_id=run_id, scale=3)
        stop = gr.Button("Stop", variant="secondary", elem_id=stop_id, scale=1, min_width=80, interactive=False)
    return run, stop


def _wire_run(run, stop, handler, inputs: list, outputs: list, api_name: str, status_at: int = 0,
              scroll_js: str | None = None, page_inputs: tuple = ()):
    """Wire a run button: clear the outputs, run the page's version of ``handler`` (errors in the
    status line), enable Stop while it runs; and an API endpoint ``api_name`` (errors raised)."""
    import gradio as gr

    token = gr.State(None)
    cleared = tuple("" if i == status_at else None for i in range(len(outputs)))
    started = run.click(lambda: (*cleared, new_run(), gr.update(interactive=True)),
                        outputs=[*outputs, token, stop], queue=False, show_progress="hidden",
                        api_visibility=HIDDEN)
    page = for_the_page(handler, status_at, len(outputs))
    running = started.then(page, inputs=[*inputs, token, *page_inputs], outputs=outputs, show_progress="hidden",
                           api_name=f"page_{api_name}", api_visibility=HIDDEN)
    ended = running.then(lambda t: (forget_run(t), gr.update(interactive=False))[1], inputs=token, outputs=stop,
                         queue=False, api_visibility=HIDDEN)
    if scroll_js:
        ended.then(None, js=scroll_js, api_visibility=HIDDEN)
    stop.click(lambda t: (request_stop(t), gr.update(interactive=False))[1], inputs=token, outputs=stop,
               queue=False, api_visibility=HIDDEN)
    api_button = gr.Button(visible=False, elem_id=f"api-{api_name}")
    api_button.click(handler, inputs=inputs, outputs=outputs, api_name=api_name, show_progress="hidden")
    return running


def _article_tab():
    import gradio as gr

    with gr.Row():
        with gr.Column(scale=3):
            text = gr.Textbox(label="Article text (Vietnamese) — Ctrl+Enter summarises", lines=6, max_lines=12,
                              placeholder="Paste a news article, menus and all…", elem_id="article-text")
        with gr.Column(scale=2):
            file = gr.File(label="…or upload a file (.txt, .html, .docx, .pdf)",
                           file_types=list(DOCUMENT_TYPES), elem_id="article-file")
            link = ui_links.link_field()
    recipe, sentences, beams, _ = _settings()
    translate = gr.Checkbox(label="Also translate the whole article (slower)", value=False)
    run, stop = _run_buttons("Summarise", "summarise", "stop")
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
    _wire_run(run, stop, summarize_article, [text, file, recipe, sentences, beams, translate, link], outputs,
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


def _batch_tab():
    import gradio as gr

    # a short label: on a phone the longer one ran under the upload and clear icons
    gr.Markdown("Upload articles: .txt, .html, .docx or .pdf files, or a .zip / .jsonl of many.",
                elem_id="batch-hint")
    files = gr.File(label="Articles", file_count="multiple", file_types=list(BATCH_TYPES), elem_id="batch-files")
    recipe, sentences, beams, _ = _settings("batch-")
    run, stop = _run_buttons("Summarise all", "summarise-all", "stop-batch")
    progress = gr.HTML(elem_id="batch-progress")
    table = gr.Dataframe(headers=TABLE_HEADERS, interactive=False, wrap=True, max_height=1200,
                         column_widths=["24%", "22%", "54%"], label="Results", elem_id="batch-table")
    with gr.Row():
        jsonl_out = gr.File(label="All results (JSONL)", elem_id="batch-jsonl")
        csv_out = gr.File(label="All results (CSV)", elem_id="batch-csv")
    _wire_run(run, stop, summarize_batch, [files, recipe, sentences, beams], [progress, table, jsonl_out, csv_out],
              "summarize_batch")
    # keep the bar in view while the table grows below it
    run.click(None, js="() => document.querySelector('#batch-progress')"
                       "?.scrollIntoView({block: 'start', behavior: 'smooth'})", api_visibility=HIDDEN)
    return recipe


def _evaluate_tab():
    import gradio as gr

    gr.Markdown("Predictions and references: one JSONL / JSON / CSV file each (records with an `id`; "
                "the Batch tab's JSONL works as predictions), or several `<id>.txt` files each "
                "(references may be tagged `<id>.en.txt`, `<id>.vi.txt`). Documents found on one "
                "side only are listed, not scored.")
    with gr.Row():
        pred_files = gr.File(label="Predictions", file_count="multiple", elem_id="pred-files",
                             file_types=[".jsonl", ".json", ".csv", ".txt"])
        ref_files = gr.File(label="References", file_count="multiple", elem_id="ref-files",
                            file_types=[".jsonl", ".json", ".csv", ".txt"])
        lang = gr.Radio(["en", "vi"], value=default_eval_lang(), label="Language of the summaries",
                        elem_id="eval-lang")
    run = gr.Button("Score", variant="primary", elem_id="score")
    with gr.Row(elem_id="eval-results"):
        with gr.Column():
            scores = gr.Dataframe(headers=SCORE_HEADERS, interactive=False, label="Scores (0–100)", elem_id="scores")
            details = gr.Markdown(elem_id="eval-details")
        with gr.Column():
            chart = gr.Image(type="pil", show_label=False, elem_id="chart", interactive=False)
            gr.Markdown("<span class='vs-meta'>Mean scores with 95% confidence intervals; "
                        "one dot per document.</span>")
    doc_scores = gr.Dataframe(headers=doc_score_headers(), interactive=False, wrap=True,
                              label="Scores per document (0–100)", elem_id="doc-scores")
    outputs = [details, scores, chart, doc_scores]  # the notes line first: it is where errors are said
    started = run.click(lambda: ("", None, None, None), outputs=outputs, queue=False, show_progress="hidden",
                        api_visibility=HIDDEN)
    started.then(for_the_page(_evaluate_for_page, 0, 4), inputs=[pred_files, ref_files, lang], outputs=outputs,
                 api_name="page_evaluate", api_visibility=HIDDEN)
    api_button = gr.Button(visible=False, elem_id="api-evaluate")
    api_button.click(evaluate_files, inputs=[pred_files, ref_files, lang], outputs=[scores, chart, doc_scores, details],
                     api_name="evaluate")
    return lang


def _evaluate_for_page(pred_files, ref_files, lang):
    rows, chart, per_doc, details = evaluate_files(pred_files, ref_files, lang)
    return details, rows, chart, per_doc


def build_app():
    """The Blocks app: Article, Batch and Evaluate tabs, with a bounded request queue."""
    import gradio as gr

    from viensum import __version__

    with gr.Blocks(title="viensum — Vietnamese news summaries in English",
                   delete_cache=(CACHE_SECONDS, CACHE_SECONDS)) as app:
        gr.Markdown(f"# viensum {__version__}\nClean a Vietnamese news article, summarise it, "
                    "and read the summary in English.")
        with gr.Tab("Article"):
            recipe = _article_tab()
        with gr.Tab("Batch"):
            b_recipe = _batch_tab()
        with gr.Tab("Feed"):
            ui_links.build_feed_tab(_settings)
        with gr.Tab("Evaluate"):
            lang = _evaluate_tab()

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
