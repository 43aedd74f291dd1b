"""The web app's Batch tab: many uploaded articles summarised one by one (:func:`summarize_batch`),
a row and the progress bar moving after each, the results offered as JSONL and CSV.

One bad file fails only its own row; the Stop button keeps what was done.
"""
from __future__ import annotations

import html
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from viensum.ui import inputs as ui_inputs
from viensum.errors import InputError
from viensum.ui.controls import HIDDEN, run_buttons, settings, wire_run
from viensum.ui.errors import _hide_paths, _user_errors
from viensum.ui.inputs import BATCH_TYPES, file_path, batch_items
from viensum.ui.models import AUTO, model_names, _summarizer, tiny_models, ui_options
from viensum.ui.runs import forget_run, stopped

TABLE_HEADERS = ["article", "status", "headline · summary"]
TABLE_SUMMARY_CHARS = 280  # the table is a preview; the downloads hold every summary whole


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
    return any(name in tiny for name in model_names(summary.models))


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
    paths = [p for p in (file_path(f) for f in (files or [])) if p]
    if not paths:
        raise InputError("Upload one or more files first (.txt, .html, .docx, .pdf, .zip or .jsonl).")
    items = batch_items(paths)  # ids unique and stable (viensum.inputs): a zip member keeps its path
    for item in items:
        if item.error is None and len(item.text) > ui_inputs.MAX_INPUT_CHARS:
            item.error = f"{len(item.text):,} characters; the limit is {ui_inputs.MAX_INPUT_CHARS:,}"
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


def build_batch_tab():
    import gradio as gr

    # a short label: on a phone the longer one ran under the upload and clear icons
    gr.Markdown("Upload articles: .txt, .html, .docx or .pdf files, or a .zip / .jsonl of many.",
                elem_id="batch-hint")
    files = gr.File(label="Articles", file_count="multiple", file_types=list(BATCH_TYPES), elem_id="batch-files")
    recipe, sentences, beams, _ = settings("batch-")
    run, stop = run_buttons("Summarise all", "summarise-all", "stop-batch")
    progress = gr.HTML(elem_id="batch-progress")
    table = gr.Dataframe(headers=TABLE_HEADERS, interactive=False, wrap=True, max_height=1200,
                         column_widths=["24%", "22%", "54%"], label="Results", elem_id="batch-table")
    with gr.Row():
        jsonl_out = gr.File(label="All results (JSONL)", elem_id="batch-jsonl")
        csv_out = gr.File(label="All results (CSV)", elem_id="batch-csv")
    wire_run(run, stop, summarize_batch, [files, recipe, sentences, beams], [progress, table, jsonl_out, csv_out],
              "summarize_batch")
    # keep the bar in view while the table grows below it
    run.click(None, js="() => document.querySelector('#batch-progress')"
                       "?.scrollIntoView({block: 'start', behavior: 'smooth'})", api_visibility=HIDDEN)
    return recipe
