"""The web app's Evaluate tab: uploaded predictions scored against references
(:func:`evaluate_files`, the library's :func:`viensum.evaluate.evaluate`), what matches scored and
the rest listed."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from viensum.errors import InputError
from viensum.ui.controls import HIDDEN
from viensum.ui.errors import _hide_paths, _user_errors, for_the_page
from viensum.ui.inputs import file_path
from viensum.ui.models import AUTO, missing_models

SCORE_HEADERS = ["metric", "mean", "95% CI low", "95% CI high"]
DOC_SCORE_KEYS = ("rouge1", "rouge2", "rougeL", "bleu", "chrf")


def _eval_source(files, role: str, work: Path) -> str:
    """What :func:`viensum.evaluate` reads for one side: a JSONL/JSON/CSV file as is,
    or the uploaded .txt files gathered in a folder (one document each, named <id>[.lang].txt)."""
    paths = [p for p in (file_path(f) for f in (files if isinstance(files, list) else [files])) if p]
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


def build_evaluate_tab():
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
