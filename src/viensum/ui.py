"""The Gradio web UI: plain handler functions, and the app built around them.

The handlers take and return plain values (strings, lists, file paths), so
they are tested without a browser; ``build_app()`` only wires them to
components. Gradio is imported inside functions: ``import viensum.ui`` is light
and nothing here loads a model until a request asks for one.

Errors reach the browser as ``gr.Error`` with a one-line message, never as a
traceback: a :class:`~viensum.errors.ViensumError` keeps its own message, any
other exception is logged here and shown as a generic failure.
"""
from __future__ import annotations

import functools
import html
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from viensum.errors import InputError, ModelNotAvailable, ViensumError
from viensum.io import ARTICLE_EXTENSIONS, INPUT_EXTENSIONS

log = logging.getLogger(__name__)

# Bounds on the work one request may ask for; each has a clear message when exceeded.
MAX_FILE_SIZE = "10mb"            # per uploaded file, enforced by Gradio before the handler runs
MAX_FILE_BYTES = 10 * 1024 * 1024  # the same limit for files inside a .zip
MAX_INPUT_CHARS = 2_000_000       # raw input (a saved HTML page is mostly markup)
MAX_ARTICLE_CHARS = 50_000        # the cleaned article: several times a long news story
MAX_BATCH_ITEMS = 200             # articles per batch, after unpacking .zip / .jsonl
CONCURRENCY_LIMIT = 2             # requests running at once (model calls are CPU/GPU bound)
QUEUE_SIZE = 32                   # requests waiting; more are turned away with "queue is full"

AUTO = "auto"  # recipe choice meaning "the default recipe, or the offline extractive fallback"
DOCUMENT_TYPES = ARTICLE_EXTENSIONS
BATCH_TYPES = INPUT_EXTENSIONS
MAX_ZIP_BYTES = 100 * 1024 * 1024  # declared uncompressed size of one uploaded .zip, checked before unpacking
TABLE_HEADERS = ["file", "title (English)", "summary", "status"]
SCORE_HEADERS = ["metric", "mean", "95% CI low", "95% CI high"]
SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"


# ---------------------------------------------------------------- errors


def _user_errors(fn: Callable) -> Callable:
    """Turn every failure of a handler into a ``gr.Error`` with a one-line message."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        import gradio as gr

        try:
            return fn(*args, **kwargs)
        except gr.Error:
            raise
        except ViensumError as exc:
            raise gr.Error(str(exc), print_exception=False) from None
        except Exception:
            # the details belong in the server log, not in the browser
            log.exception("unexpected error in %s", fn.__name__)
            raise gr.Error("Something went wrong on the server; the details are in its log.",
                           print_exception=False) from None

    return wrapper


# ---------------------------------------------------------------- reading input


def read_document(path: str | Path, data: bytes | None = None) -> tuple[str, str | None]:
    """Return (text, format) of an uploaded document; format is "html" for web pages, else None.

    ``data`` gives the bytes when they do not come from ``path``. .docx and .pdf
    are reduced to their paragraphs' text (:func:`viensum.io.decode_document`).
    """
    from viensum import io

    name = Path(path).name
    ext = Path(name).suffix.lower()
    if ext not in DOCUMENT_TYPES:
        raise InputError(f"{name}: unsupported file type '{ext or '(none)'}'; "
                         f"use one of {', '.join(DOCUMENT_TYPES)}")
    try:
        text = io.decode_document(io.read_file(path, MAX_FILE_BYTES) if data is None else data, ext)
    except InputError as exc:
        raise InputError(f"{name}: {exc}") from None
    if not text.strip():
        raise InputError(f"{name}: no text found in the file")
    return text, ("html" if ext in io.HTML_EXTENSIONS else None)


def _check_size(text: str, what: str = "The input") -> None:
    if len(text) > MAX_INPUT_CHARS:
        raise InputError(f"{what} is {len(text):,} characters long; the limit is {MAX_INPUT_CHARS:,}")


def _file_path(file: Any) -> str | None:
    """Gradio gives a path string; older clients an object with .name."""
    if file is None or file == "":
        return None
    return str(getattr(file, "name", file))


# ---------------------------------------------------------------- rendering


def render_article(article) -> str:
    """The cleaned article as HTML: headline, the line of metadata, paragraphs."""
    parts = []
    if article.title:
        parts.append(f"<h2 class='vs-title'>{html.escape(article.title)}</h2>")
    meta = [m for m in (article.date, article.byline, article.source) if m]
    if meta:
        parts.append(f"<p class='vs-meta'><em>{html.escape(' · '.join(meta))}</em></p>")
    parts.extend(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
    return "<div class='vs-article'>" + "\n".join(parts) + "</div>"


def render_translation(translation) -> str:
    """The full translation as a two-column table: each Vietnamese paragraph beside its English."""
    rows = []
    if translation.title_vi or translation.title_en:
        rows.append(f"<tr><th>{html.escape(translation.title_vi)}</th><th>{html.escape(translation.title_en)}</th></tr>")
    rows.extend(f"<tr><td>{html.escape(p.vi)}</td><td>{html.escape(p.en)}</td></tr>" for p in translation.paragraphs)
    return ("<table class='vs-translation'><thead><tr><th>Tiếng Việt</th><th>English</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            f"<p class='vs-meta'><em>translated by {html.escape(translation.model)}</em></p>")


def render_details(result=None, article=None, extra: list[str] | None = None) -> str:
    """Notes and provenance as Markdown: what produced the summary, and anything worth knowing."""
    lines = []
    for note in [*(extra or []), *(result.notes if result else []), *(article.warnings if article else [])]:
        lines.append(f"- **Note:** {note}")
    if result is not None and result.recipe:
        models = ", ".join(f"{role}: `{mid}`" for role, mid in sorted(result.models.items())) or "none"
        lines.append(f"- **Recipe:** `{result.recipe}` — models: {models}")
        lines.append(f"- **Chunks:** {result.chunks} · **truncated:** {'yes' if result.truncated else 'no'}")
        if result.timings:
            timings = ", ".join(f"{k} {v:.2f} s" for k, v in result.timings.items())
            lines.append(f"- **Timings:** {timings}")
    if article is not None:
        lang = article.language + (f" ({article.language_score:.2f})" if article.language_score is not None else "")
        lines.append(f"- **Input:** {article.input_format}, language {lang}, "
                     f"{len(article.paragraphs)} paragraphs, {len(article.removed)} lines removed")
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


def _summarizer(options):
    """The app's Summarizer for these options (one per recipe, shared by concurrent requests: it is thread-safe)."""
    global _SUMMARIZERS
    if _SUMMARIZERS is None:
        from viensum.summarizer import SummarizerPool

        _SUMMARIZERS = SummarizerPool()
    return _SUMMARIZERS.get(options)


_SUMMARIZERS = None  # the app's Summarizers, built on the first request


@_user_errors
def summarize_article(text: str | None, file=None, recipe: str | None = AUTO, sentences: int = 3,
                      beams: int = 0, translate: bool = False) -> tuple:
    """Clean and summarise one article from pasted text or an uploaded file.

    Returns the display values, in order: cleaned article (HTML), removed lines
    (rows of [text, reason]), English headline, English summary, Vietnamese
    summary, full translation (HTML, or "" when not asked for), notes and
    provenance (Markdown). A missing model does not fail the request: the
    cleaned article is shown and the summary pane says how to install it.
    """
    from viensum.clean import clean_article

    options = ui_options(recipe, sentences, beams, translate)
    path = _file_path(file)
    if path:
        raw, fmt = read_document(path)
    else:
        raw, fmt = (text or ""), None
    if not raw.strip():
        raise InputError("Paste an article or upload a file first.")
    _check_size(raw)
    article = clean_article(raw, fmt=fmt)
    if len(article.text) > MAX_ARTICLE_CHARS:
        raise InputError(f"The cleaned article is {len(article.text):,} characters long; the limit here is "
                         f"{MAX_ARTICLE_CHARS:,}. Split it, or use the command line: viensum summarize FILE")
    removed = [[r.text, r.reason] for r in article.removed]
    try:
        result = _summarizer(options).summarize(article, options=options)
    except ModelNotAvailable as exc:
        # cleaning worked; say exactly what to install instead of failing the page
        message = f"Not summarised: {exc}."
        return (render_article(article), removed, "", message, "", "",
                render_details(article=article, extra=[message]))
    if result.error:
        message = f"Summarisation failed: {result.error}"
        return (render_article(article), removed, "", message, "", "",
                render_details(result, article, extra=[message]))
    shown = result.article or article
    translation = render_translation(result.translation) if result.translation else ""
    return (render_article(shown), [[r.text, r.reason] for r in shown.removed], result.title_en or "",
            result.summary_en or "", result.summary_vi, translation, render_details(result, shown))


# ---------------------------------------------------------------- batch tab


def batch_items(paths: list[str]) -> list:
    """Unpack the uploaded files into articles (:func:`viensum.io.read_items`: .zip members and
    .jsonl/.parquet records become one each, ids as everywhere else).

    A file that cannot be read becomes an item with its error, so it gets a row
    of its own and does not stop the others. ``name`` is shown without the server's upload folder.
    """
    from viensum import io

    limits = io.Limits(file_bytes=MAX_FILE_BYTES, zip_members=MAX_BATCH_ITEMS * 2, zip_bytes=MAX_ZIP_BYTES,
                       items=MAX_BATCH_ITEMS)
    paths = [os.path.abspath(p) for p in paths]
    folders = sorted({io.printable(os.path.dirname(p)) + "/" for p in paths}, key=len, reverse=True)
    try:
        items = list(io.read_items(paths, limits))
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


@_user_errors
def summarize_batch(files, recipe: str | None = AUTO, sentences: int = 3, beams: int = 0,
                    progress: Callable | None = None) -> tuple[list[list[str]], str, str]:
    """Summarise many uploaded articles; one bad file fails only its own row.

    Returns (table rows of [file, English title, summary, status], JSONL path, CSV path).
    ``progress`` is a ``gr.Progress`` (or any callable taking ((done, total), desc=...)).
    """
    from viensum.results import Summary

    options = ui_options(recipe, sentences, beams).replace(clean=True)
    paths = [p for p in (_file_path(f) for f in (files or [])) if p]
    if not paths:
        raise InputError("Upload one or more files first (.txt, .html, .docx, .pdf, .zip or .jsonl).")
    items = batch_items(paths)
    good = [item for item in items if item.error is None]
    for item in good:
        if len(item.text) > MAX_INPUT_CHARS:
            item.error = f"{len(item.text):,} characters; the limit is {MAX_INPUT_CHARS:,}"
    good = [item for item in good if item.error is None]

    def report(done: int, total: int) -> None:
        if progress is not None:
            progress((done, total), desc="Summarising", unit="articles")

    results: dict[int, Summary] = {}
    if good:
        report(0, len(good))
        summaries = _summarizer(options).summarize([item.text for item in good], options=options,
                                                   progress=report, ids=[item.id for item in good])
        results = {id(item): s for item, s in zip(good, summaries)}
    ordered = [results.get(id(item)) or Summary(id=item.id, error=item.error) for item in items]
    rows = []
    for item, s in zip(items, ordered):
        title = (s.title_en or (s.article.title if s.article else "")) if s.ok else ""
        summary = (s.summary_en or s.summary_vi) if s.ok else ""
        rows.append([item.name, title, summary, "ok" if s.ok else f"error: {s.error}"])
    jsonl_path, csv_path = write_results(ordered, sources=[item.name for item in items])
    return rows, jsonl_path, csv_path


def write_results(summaries: list, out_dir: str | Path | None = None,
                  sources: list[str | None] | None = None) -> tuple[str, str]:
    """Write the batch as summaries.jsonl (the CLI's records) and summaries.csv (one row per article)."""
    from viensum import io, render

    out = Path(out_dir or tempfile.mkdtemp(prefix="viensum-batch-"))
    jsonl_path = io.write_atomic(out / "summaries.jsonl", render.summaries_jsonl(summaries, sources))
    # utf-8-sig: spreadsheet programs then read Vietnamese correctly
    csv_path = io.write_atomic(out / "summaries.csv",
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


@_user_errors
def evaluate_files(pred_files, ref_files, lang: str = "en") -> tuple[list[list[Any]], str, str]:
    """Score uploaded predictions against references.

    Returns (rows of [metric, mean, 95% CI low, high], chart PNG path, notes and signatures as Markdown).
    """
    # (the function, not the package attribute: importing viensum.evaluate rebinds viensum.evaluate)
    from viensum.evaluate import LABELS, evaluate

    work = Path(tempfile.mkdtemp(prefix="viensum-eval-"))
    report = evaluate(_eval_source(pred_files, "prediction", work),
                      _eval_source(ref_files, "reference", work), lang=lang)
    rows = []
    for key, mean in report.means.items():
        if mean is None:
            continue
        low, high = report.ci.get(key, (None, None))
        rows.append([LABELS.get(key, key), round(mean, 3), None if low is None else round(low, 3),
                     None if high is None else round(high, 3)])
    chart = report.plot(work / "scores.png")
    details = [f"**{report.n} documents**, language `{report.lang}`"]
    details += [f"- **Note:** {note}" for note in report.notes]
    details += [f"- `{name}`: `{value}`" for name, value in report.signature.items()]
    return rows, str(chart), "\n".join(details)


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
    from viensum.registry import DEFAULT_RECIPE, RECIPES

    choices = [(f"auto ({DEFAULT_RECIPE}, or extractive when its models are not installed)", AUTO)]
    choices.extend((f"{name} — {r.description}", name) for name, r in RECIPES.items())
    return choices


CSS = """
.vs-article h2 { margin-top: 0; }
.vs-meta { color: var(--body-text-color-subdued); }
.vs-translation td, .vs-translation th { vertical-align: top; width: 50%; padding: 6px; }
"""


def build_app():
    """The Blocks app: Article, Batch and Evaluate tabs, with a bounded request queue."""
    import gradio as gr

    from viensum import __version__

    with gr.Blocks(title="viensum — Vietnamese news summaries in English") as app:
        gr.Markdown(f"# viensum {__version__}\nClean a Vietnamese news article, summarise it, "
                    "and read the summary in English.")
        with gr.Row():
            recipe = gr.Dropdown(recipe_choices(), value=AUTO, label="Model / recipe", scale=3, elem_id="recipe")
            sentences = gr.Slider(1, 10, value=3, step=1, label="Summary length (sentences)", scale=1)
            beams = gr.Slider(0, 8, value=0, step=1, label="Beams (0 = the model's default)", scale=1)

        with gr.Tab("Article"):
            with gr.Row():
                with gr.Column(scale=3):
                    text = gr.Textbox(label="Article text (Vietnamese)", lines=6, max_lines=12,
                                      placeholder="Paste a news article, menus and all…", elem_id="article-text")
                with gr.Column(scale=2):
                    file = gr.File(label="…or upload a file (.txt, .html, .docx, .pdf)",
                                   file_types=list(DOCUMENT_TYPES), height=110)
                    translate = gr.Checkbox(label="Also translate the whole article (slower)", value=False)
                    run = gr.Button("Summarise", variant="primary", elem_id="summarise")
            samples = sample_articles()
            if samples:
                gr.Examples([[s] for s in samples], inputs=[text], label="Sample articles",
                            example_labels=[example_label(s) for s in samples])
            with gr.Row():
                with gr.Column():
                    gr.Markdown("### Cleaned article")
                    article = gr.HTML(elem_id="cleaned-article")
                    with gr.Accordion("What the cleaner removed", open=False):
                        removed = gr.Dataframe(headers=["removed text", "reason"], interactive=False, wrap=True)
                with gr.Column():
                    title_en = gr.Textbox(label="English headline", interactive=False, max_lines=2)
                    summary_en = gr.Textbox(label="English summary", lines=5, max_lines=10, interactive=False,
                                            elem_id="summary-en")
                    summary_vi = gr.Textbox(label="Vietnamese summary", lines=4, max_lines=10, interactive=False,
                                            elem_id="summary-vi")
                    details = gr.Markdown(elem_id="details")
            with gr.Accordion("Full translation, paragraph by paragraph", open=True):
                translation = gr.HTML()
            run.click(summarize_article, inputs=[text, file, recipe, sentences, beams, translate],
                      outputs=[article, removed, title_en, summary_en, summary_vi, translation, details],
                      api_name="summarize_article")

        with gr.Tab("Batch"):
            files = gr.File(label="Articles (.txt, .html, .docx, .pdf, or a .zip / .jsonl of many)",
                            file_count="multiple", file_types=list(BATCH_TYPES))
            run_batch = gr.Button("Summarise all", variant="primary")
            table = gr.Dataframe(headers=TABLE_HEADERS, interactive=False, wrap=True, label="Results")
            with gr.Row():
                jsonl_out = gr.File(label="All results (JSONL)")
                csv_out = gr.File(label="All results (CSV)")

            def batch(files, recipe, sentences, beams, progress=gr.Progress()):
                return summarize_batch(files, recipe, sentences, beams, progress=progress)

            run_batch.click(batch, inputs=[files, recipe, sentences, beams],
                            outputs=[table, jsonl_out, csv_out], api_name="summarize_batch")

        with gr.Tab("Evaluate"):
            gr.Markdown("Predictions and references: one JSONL / JSON / CSV file each (records with an `id`; "
                        "the Batch tab's JSONL works as predictions), or several `<id>.txt` files each "
                        "(references may be tagged `<id>.en.txt`, `<id>.vi.txt`).")
            with gr.Row():
                pred_files = gr.File(label="Predictions", file_count="multiple",
                                     file_types=[".jsonl", ".json", ".csv", ".txt"])
                ref_files = gr.File(label="References", file_count="multiple",
                                    file_types=[".jsonl", ".json", ".csv", ".txt"])
                lang = gr.Radio(["en", "vi"], value="en", label="Language of the summaries")
            run_eval = gr.Button("Score", variant="primary")
            with gr.Row():
                scores = gr.Dataframe(headers=SCORE_HEADERS, interactive=False, label="Scores (0-100)")
                chart = gr.Image(label="Scores with 95% confidence intervals, one dot per document",
                                 type="filepath")
            eval_details = gr.Markdown()
            run_eval.click(evaluate_files, inputs=[pred_files, ref_files, lang],
                           outputs=[scores, chart, eval_details], api_name="evaluate")

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
    log.info("serving on %s:%d%s", host, port, " with basic auth" if credentials else "")
    return app.launch(server_name=host, server_port=port, share=share, auth=credentials,
                      max_file_size=MAX_FILE_SIZE, css=CSS, show_error=False, **kwargs)
