"""Score the cleaner on ../shared/cleaning-dev: viensum, trafilatura and jusText, every input shape.

    python benchmarks/clean_dev.py [--shared DIR] [--write docs/CLEANING.md] [--no-browser] [--repeat N]

Shapes: the saved HTML (pages 01-07); page text as a text-mode browser prints it (`w3m -dump`
of 01-07, plus the page-text pages 08-13 as given); page text as a browser shows it (headless
Chromium `document.body.innerText` of 01-07, plus 08-13); page text from viensum's own pure-Python
renderer (`viensum.clean.page_text`, what the CI test uses; plus 08-13). Also the agreement of
viensum's output from the saved HTML with its output from the same page as page text. The pages are
third-party text: they are read from the shared folder and never written into the project.
Also measured: the offline extractive summary from the raw pages against Lead-2 of the gold text
(ROUGE-1 F1 against refs/NN.vi.txt), and speed (page text articles per CPU-second and per
wall-clock second; HTML against trafilatura alone, interleaved, CPU time, medians: CPU time
because the 2-core machine this runs on is shared and its wall clock swings several-fold).
With --write the tables replace the block between the
``clean_dev`` markers in the given Markdown file.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- clean_dev:begin -->", "<!-- clean_dev:end -->"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run")


def shared_dir(arg: str | None) -> Path:
    path = Path(arg or os.environ.get("VIENSUM_SHARED") or ROOT / ".." / "shared") / "cleaning-dev"
    if not (path / "pages").is_dir():
        sys.exit(f"clean_dev: no cleaning-dev pages under {path}")
    return path


def load(dev: Path) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    """html inputs, text inputs, gold texts and vi reference summaries, by page number."""
    pages = dev / "pages"
    html = {p.name[:2]: p.read_text(encoding="utf-8") for p in sorted(pages.glob("*.input.html"))}
    text = {p.name[:2]: p.read_text(encoding="utf-8") for p in sorted(pages.glob("*.input.txt"))}
    gold = {p.name[:2]: p.read_text(encoding="utf-8") for p in sorted(pages.glob("*.gold.txt"))}
    refs = {p.name[:2]: p.read_text(encoding="utf-8") for p in sorted((dev / "refs").glob("*.vi.txt"))}
    return html, text, gold, refs


def render_w3m(html_files: dict[str, Path]) -> dict[str, str]:
    if not shutil.which("w3m"):
        return {}
    return {nn: subprocess.run(["w3m", "-dump", "-cols", "100000", "-T", "text/html", "-I", "utf-8", "-O", "utf-8",
                                str(path)], capture_output=True, check=True).stdout.decode("utf-8")
            for nn, path in html_files.items()}


def render_browser(html_files: dict[str, Path]) -> dict[str, str]:
    """document.body.innerText in headless Chromium, page scripts and network off (saved pages)."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        return {}
    chromium, driver_bin = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver_bin:
        return {}
    opts = webdriver.ChromeOptions()
    for flag in CHROMIUM_FLAGS + ("--blink-settings=imagesEnabled=false",):
        opts.add_argument(flag)
    opts.binary_location = chromium
    opts.page_load_strategy = "eager"
    driver = webdriver.Chrome(options=opts, service=Service(driver_bin))
    out = {}
    try:
        driver.set_page_load_timeout(20)
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["http://*", "https://*"]})
        driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
        for nn, path in html_files.items():
            try:
                driver.get(path.resolve().as_uri())
            except Exception:  # a slow page: read what has loaded
                pass
            result = driver.execute_cdp_cmd("Runtime.evaluate", {
                "expression": "document.body ? document.body.innerText : ''", "returnByValue": True})
            out[nn] = result["result"].get("value", "")
    finally:
        driver.quit()
    return out


def render_python(html: dict[str, str]) -> dict[str, str]:
    from trafilatura.utils import load_html

    from viensum.clean import page_text

    return {nn: page_text(load_html(raw)) for nn, raw in html.items()}


# --- the three cleaners ------------------------------------------------------------------


def as_html(text: str) -> str:
    """Page text as HTML for the HTML-only extractors: one <p> per line."""
    from html import escape

    body = "".join(f"<p>{escape(line)}</p>\n" for line in text.split("\n") if line.strip())
    return f"<html><body>\n{body}</body></html>"


def run_viensum(raw: str, fmt: str) -> str:
    from viensum.clean import clean_article
    from viensum.errors import InputError

    try:
        return clean_article(raw, fmt=fmt).text
    except InputError:
        return ""


def run_trafilatura(raw: str, fmt: str) -> str:
    import trafilatura

    doc = trafilatura.bare_extraction(raw if fmt == "html" else as_html(raw), with_metadata=True,
                                      include_comments=False, include_tables=True)
    if doc is None:
        return ""
    return "\n".join(x for x in (doc.title or "", doc.text or "") if x)


def run_justext(raw: str, fmt: str) -> str:
    import justext

    paras = justext.justext(raw if fmt == "html" else as_html(raw), justext.get_stoplist("Vietnamese"))
    return "\n".join(p.text for p in paras if not p.is_boilerplate)


SYSTEMS = {"viensum": run_viensum, "trafilatura": run_trafilatura, "jusText": run_justext}


def score_shape(inputs: dict[str, str], gold: dict[str, str], fmt: str) -> dict[str, object]:
    """Every system on the inputs; fmt "auto" gives each input its own format (HTML or page text)."""
    from viensum.clean import looks_like_html
    from viensum.evaluate import evaluate_cleaning

    fmts = {nn: ("html" if looks_like_html(raw) else "text") if fmt == "auto" else fmt for nn, raw in inputs.items()}
    return {name: evaluate_cleaning({nn: fn(raw, fmts[nn]) for nn, raw in inputs.items()},
                                    {nn: gold[nn] for nn in inputs}) for name, fn in SYSTEMS.items()}


def shape_table(title: str, reports: dict[str, object]) -> list[str]:
    ids = reports["viensum"].ids
    lines = [f"**{title}** (word F1 per page; `*` = headline missed by viensum)", "",
             "| system | " + " | ".join(ids) + " | mean | worst | para F1 | headline |",
             "|---|" + "---|" * (len(ids) + 4)]
    for name, rep in reports.items():
        cells = [f"{d['word_f1']:.2f}" + ("*" if name == "viensum" and not d["headline_found"] else "")
                 for d in rep.per_document]
        worst = min(d["word_f1"] for d in rep.per_document)
        lines.append(f"| {name} | " + " | ".join(cells) + f" | **{rep.means['word_f1']:.3f}** | {worst:.2f} | "
                     f"{rep.means['para_f1']:.3f} | {rep.means['headline_found']:.2f} |")
    return lines + [""]


def span(pages: dict[str, str]) -> str:
    """Page numbers as a range: "01-07"."""
    ids = sorted(pages)
    return f"{ids[0]}-{ids[-1]}" if len(ids) > 1 else "".join(ids)


def agreement_table(html: dict[str, str], renderings: dict[str, dict[str, str]]) -> list[str]:
    """viensum's article from the saved HTML against its article from the same page as page text
    (word F1 of one output against the other): one decision procedure gives the same article."""
    from viensum.evaluate import evaluate_cleaning

    ids = sorted(html)
    from_html = {nn: run_viensum(raw, "html") for nn, raw in html.items()}
    lines = ["**HTML and page text agree** (word F1 between viensum's output from the saved HTML and from the "
             "same page as page text; floor 0.97)", "",
             "| page text from | " + " | ".join(ids) + " | mean | worst |", "|---|" + "---|" * (len(ids) + 2)]
    for name, texts in renderings.items():
        if not texts:
            continue
        rep = evaluate_cleaning({nn: run_viensum(texts[nn], "text") for nn in ids}, from_html)
        cells = [f"{d['word_f1']:.3f}" for d in rep.per_document]
        worst = min(d["word_f1"] for d in rep.per_document)
        lines.append(f"| {name} | " + " | ".join(cells) + f" | **{rep.means['word_f1']:.3f}** | {worst:.3f} |")
    return lines + [""]


# --- summary and speed ---------------------------------------------------------------------


def summary_scores(raw_inputs: dict[str, tuple[str, str]], gold: dict[str, str],
                   refs: dict[str, str]) -> dict[str, dict[str, float]]:
    """ROUGE-1 F1 x100 against refs/NN.vi.txt, per page: the offline extractive summary of the raw page
    (cleaned by viensum) with 2 and 3 sentences ("n2", "n3"), and Lead-2 of the gold text ("lead")."""
    from rouge_score import rouge_scorer

    from viensum import extractive
    from viensum.clean import clean_article
    from viensum.evaluate import rouge_settings
    from viensum.text import split_sentences

    scorer = rouge_scorer.RougeScorer(["rouge1"], **rouge_settings("vi"))
    out = {}
    for nn, (raw, fmt) in sorted(raw_inputs.items()):
        if nn not in refs:
            continue
        article = clean_article(raw, fmt=fmt)
        gold_body = [p for p in gold[nn].split("\n") if p.strip()][1:]
        texts = {"n2": " ".join(extractive.extract(article, n=2)), "n3": " ".join(extractive.extract(article, n=3)),
                 "lead": " ".join(split_sentences(" ".join(gold_body))[:2])}
        out[nn] = {k: scorer.score(refs[nn], t)["rouge1"].fmeasure * 100 for k, t in texts.items()}
    return out


def summary_table(raw_inputs: dict[str, tuple[str, str]], gold: dict[str, str], refs: dict[str, str]) -> list[str]:
    scores = summary_scores(raw_inputs, gold, refs)
    rows = [f"| {nn} | {raw_inputs[nn][1]} | {s['n2']:.1f} | {s['n3']:.1f} | {s['lead']:.1f} |" for nn, s in scores.items()]
    means = {k: statistics.mean(s[k] for s in scores.values()) for k in ("n2", "n3", "lead")}
    return (["| page | input | extractive, 2 sentences, from the raw page | extractive, 3 sentences (the CLI default) "
             "| Lead-2 of the gold text |", "|---|---|---|---|---|"] + rows
            + [f"| **mean** | | **{means['n2']:.1f}** | **{means['n3']:.1f}** | **{means['lead']:.1f}** |", ""])


def speed_table(texts: dict[str, dict[str, str]], html: dict[str, str], repeat: int) -> list[str]:
    import trafilatura

    from viensum.clean import clean_article

    rows = []
    for label, inputs in texts.items():
        clean_article(next(iter(inputs.values())), fmt="text")  # imports and the stop list, once
        runs, cpu_runs = [], []
        for _ in range(repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            for raw in inputs.values():
                clean_article(raw, fmt="text")
            runs.append(len(inputs) / (time.perf_counter() - t0))
            cpu_runs.append(len(inputs) / (time.process_time() - c0))
        size = sum(len(t.encode("utf-8")) for t in inputs.values()) / len(inputs) / 1000
        rows.append(f"| page text, {label} ({len(inputs)} pages, {size:.0f} KB each on average) | "
                    f"**{statistics.median(cpu_runs):.0f} articles per CPU-second**, {statistics.median(runs):.0f} "
                    f"articles/s wall clock (medians of {repeat} rounds, one process) |")
    ours, alone = [], []
    for _ in range(repeat):  # interleaved, so both meet the same machine load; CPU time of this process
        for raw in html.values():
            t0 = time.process_time()
            trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False, include_tables=True,
                                        favor_recall=True, deduplicate=False)
            t1 = time.process_time()
            clean_article(raw, fmt="html")
            t2 = time.process_time()
            alone.append(t1 - t0), ours.append(t2 - t1)
    per_ours, per_alone = statistics.median(ours), statistics.median(alone)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return rows + [f"| HTML, viensum `clean_article` | {per_ours * 1000:.0f} CPU-ms/page (median) |",
                   f"| HTML, trafilatura `bare_extraction` alone | {per_alone * 1000:.0f} CPU-ms/page (median) |",
                   f"| HTML ratio | **{per_ours / per_alone:.2f}×** |",
                   f"| machine load (1-min load average at the end) | {load:.1f} |", ""]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", help="folder holding cleaning-dev/ (default ../shared or $VIENSUM_SHARED)")
    ap.add_argument("--write", help="Markdown file whose clean_dev block gets the tables")
    ap.add_argument("--no-browser", action="store_true", help="skip the headless Chromium shape")
    ap.add_argument("--repeat", type=int, default=5, help="speed rounds (default 5)")
    args = ap.parse_args(argv)
    dev = shared_dir(args.shared)
    html, text, gold, refs = load(dev)
    html_files = {nn: dev / "pages" / f"{nn}.input.html" for nn in html}

    h, t = span(html), span(text)
    shapes = [(f"the pages as saved (HTML {h}, page text {t}): the dev set's overall figure", {**html, **text}, "auto"),
              (f"HTML ({h} as saved)", html, "html")]
    w3m = render_w3m(html_files)
    if w3m:
        shapes.append((f"page text, text-mode browser (`w3m -dump` of {h}, {t} as given)", {**w3m, **text}, "text"))
    browser = {} if args.no_browser else render_browser(html_files)
    if browser:
        shapes.append((f"page text, browser copy (Chromium `innerText` of {h}, {t} as given)", {**browser, **text},
                       "text"))
    python = render_python(html)
    shapes.append((f"page text, viensum's pure-Python renderer (`page_text` of {h}, {t} as given)",
                   {**python, **text}, "text"))

    host = platform.node() or "this machine"
    out = [f"Measured with `python benchmarks/clean_dev.py --write docs/CLEANING.md` on {host} "
           f"({os.cpu_count()} CPUs, Python {platform.python_version()}), {time.strftime('%Y-%m-%d')}.", ""]
    for title, inputs, fmt in shapes:
        out += shape_table(title, score_shape(inputs, gold, fmt))
    out += agreement_table(html, {"`page_text`": python, "Chromium `innerText`": browser})
    out += ["**Offline summary** (ROUGE-1 F1 ×100 against `refs/NN.vi.txt`)", ""]
    raw_inputs = {**{nn: (raw, "html") for nn, raw in html.items()}, **{nn: (raw, "text") for nn, raw in text.items()}}
    out += summary_table(raw_inputs, gold, refs)
    out += ["**Speed**", "", "| what | figure |", "|---|---|"]
    speed_inputs = {"text-mode browser": {**(w3m or render_python(html)), **text}}
    if browser:
        speed_inputs["browser copy"] = browser
    out += speed_table(speed_inputs, html, args.repeat)
    report = "\n".join(out)
    print(report)
    if args.write:
        path = Path(args.write)
        doc = path.read_text(encoding="utf-8")
        if BEGIN not in doc or END not in doc:
            sys.exit(f"clean_dev: {path} has no {BEGIN} ... {END} block")
        head, rest = doc.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        tmp = Path(tempfile.mkstemp(dir=path.parent, suffix=".md")[1])
        tmp.write_text(f"{head}{BEGIN}\n{report}\n{END}{tail}", encoding="utf-8")
        tmp.replace(path)  # a failed run never leaves a half-written doc
    return 0


if __name__ == "__main__":
    sys.exit(main())
