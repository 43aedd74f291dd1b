"""Retake the README's screenshots of the web UI, and drive it for the browser tests.

Runs ``python app.py`` in the default state, an empty model store with the hub
out of reach (what a new user gets: the extractive Vietnamese summary and the
notice that says what to install), and photographs each tab in headless
Chromium at desktop (1440x1000) and phone (390x844) size::

    .venv/bin/python docs/img/screenshot.py          # writes docs/img/{article,batch,evaluate}-{desktop,mobile}.png

The ``*_flow`` functions drive one tab and return what a user would see there;
tests/e2e/test_app.py asserts on them, this script keeps the pictures.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
SIZES = {"desktop": (1440, 1000), "mobile": (390, 844)}
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
         "--hide-scrollbars")
WAIT_S = 120


def chromedriver() -> str | None:
    """The chromedriver on this machine, or None (Debian's chromium-driver package, or any on PATH)."""
    return shutil.which("chromedriver") or next(
        (p for p in ("/usr/lib/chromium/chromedriver", "/usr/bin/chromedriver") if Path(p).is_file()), None)


def browser(size: str, profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    width, height = SIZES[size]
    for flag in (*FLAGS, f"--window-size={max(width, 800)},{height}", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    for binary in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(binary).exists():
            options.binary_location = binary
            break
    driver = webdriver.Chrome(service=Service(chromedriver()), options=options)
    _viewport(driver, width, height, mobile=size == "mobile")
    return driver


def _viewport(driver, width: int, height: int, mobile: bool | None = None) -> None:
    """The page's own size, exactly (a window can't be made phone-narrow: Chromium keeps a minimum)."""
    if mobile is None:
        mobile = driver.execute_script("return window.innerWidth") < 768
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(command: list[str], port: int, log_path: Path, startup_s: float = 180, **env):
    """Run the app in a subprocess until it answers on ``port``; yields (url, pid); always stops it afterwards.

    Shared by this script, the app's tests and benchmarks/load_app.py."""
    environment = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
                   "GRADIO_ANALYTICS_ENABLED": "False", **env}
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + startup_s
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"server exited with {proc.returncode}:\n"
                                       f"{log_path.read_text(errors='replace')[-3000:]}")
                try:
                    with urllib.request.urlopen(url + "/", timeout=5) as response:
                        if response.status == 200:
                            break
                except (urllib.error.URLError, OSError):
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server not ready after {startup_s} s:\n"
                                       f"{log_path.read_text(errors='replace')[-3000:]}")
                time.sleep(0.5)
            yield url, proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


# ---------------------------------------------------------------- page helpers


def _wait(driver, condition, timeout: float = WAIT_S):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(condition)


def _one(driver, css: str):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, css)


def _all(driver, css: str) -> list:
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, css)


def _open(driver, url: str, tab: str) -> None:
    driver.get(url)
    _wait(driver, lambda d: _all(d, "#article-text textarea"))
    if tab != "Article":
        next(b for b in _all(driver, "button[role=tab]") if b.text.strip() == tab).click()
        time.sleep(0.5)


def _upload(driver, container: str, paths: list[Path]) -> None:
    field = _one(driver, f"{container} input[type=file]")
    field.send_keys("\n".join(str(p) for p in paths))
    _wait(driver, lambda d: len(_all(d, f"{container} .filename")) >= len(paths))


def _choose(driver, menu: str, value: str) -> None:
    _one(driver, f"{menu} input").click()
    option = _wait(driver, lambda d: [o for o in _all(d, "li[role=option]")
                                      if (o.get_attribute("aria-label") or o.text).startswith(value + " ")])
    option[0].click()


def _visible(driver, css: str) -> bool:
    found = _all(driver, css)
    return bool(found) and found[0].is_displayed()


def _copy_buttons(driver, css: str) -> int:
    return sum(1 for b in _all(driver, f"{css} button")
               if "copy" in ((b.get_attribute("aria-label") or "") + (b.get_attribute("title") or "")).lower()
               and b.is_displayed())


def _shoot(driver, path: Path | None, max_height: int = 3000) -> None:
    """The whole page (up to ``max_height`` px), then the page back at its size."""
    if path is None:
        return
    width, height = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    full = min(driver.execute_script("return document.documentElement.scrollHeight"), max_height)
    driver.execute_script("window.scrollTo(0, 0)")
    _viewport(driver, width, full)
    time.sleep(0.8)
    driver.save_screenshot(str(path))
    _viewport(driver, width, height)


def _table(driver, css: str) -> list[list[str]]:
    """The rows of a Dataframe as shown (Gradio draws them as a virtual list of grid cells)."""
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0] + ' .virtual-row')].map("
        "r => [...r.querySelectorAll('[role=gridcell]')].map(c => c.innerText.replaceAll('\\u200b', '').trim()))",
        css)


def _right_edges(driver, css: str) -> list[float]:
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(e => e.getBoundingClientRect().right)", css)


def audit(driver) -> list[dict]:
    """axe-core's accessibility audit of the page as it is: the serious and critical violations,
    each as {id, impact, help, targets}. axe-core comes with the axe-selenium-python package."""
    from axe_selenium_python import Axe

    axe = Axe(driver)
    axe.inject()
    results = axe.run(options={"resultTypes": ["violations"]})
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "targets": [n["target"] for n in v["nodes"]][:5]}
            for v in results["violations"] if v["impact"] in ("serious", "critical")]


def _scroll_top(driver) -> float:
    return driver.execute_script("return window.scrollY")


# ---------------------------------------------------------------- flows, one per tab


def article_flow(driver, url: str, upload: Path, shot: Path | None = None, sample: int = 1) -> dict:
    """Summarise a sample, then an uploaded file; what the Article tab shows on the way."""
    seen: dict = {}
    _open(driver, url, "Article")
    time.sleep(1)
    seen["recipe_label_fits"] = driver.execute_script(
        "const i = document.querySelector('#recipe input'); return i.scrollWidth <= i.clientWidth + 1")
    seen["stop_enabled_idle"] = _one(driver, "#stop").is_enabled()
    seen["audit_start"] = audit(driver)
    # an empty box: the reason stays in the status line, and no pane gets an error badge
    _one(driver, "#summarise").click()
    _wait(driver, lambda d: _one(d, "#run-status").text.strip())
    time.sleep(4)  # it stays: a status line, not a toast that closes
    seen["empty_status"] = _one(driver, "#run-status").text
    seen["error_badges"] = len([e for e in _all(driver, ".error, .validation-error") if e.is_displayed()])
    _all(driver, "#samples button")[sample].click()
    _wait(driver, lambda d: _one(d, "#article-text textarea").get_attribute("value"))
    driver.execute_script("window.scrollTo(0, 0)")
    # Ctrl+Enter in the box runs it, as the button does
    from selenium.webdriver.common.keys import Keys

    _one(driver, "#article-text textarea").send_keys(Keys.CONTROL, Keys.ENTER)
    _wait(driver, lambda d: "Done" in _one(d, "#run-status").text)
    time.sleep(1.5)  # the scroll to the result is smooth
    seen["scrolled_to"] = _scroll_top(driver)
    seen["status_in_view"] = driver.execute_script(
        "const r = document.querySelector('#run-status').getBoundingClientRect();"
        "return r.top >= -5 && r.bottom <= window.innerHeight")
    seen["stop_enabled_after"] = _one(driver, "#stop").is_enabled()
    seen["copy_labels"] = driver.execute_script(
        "return [...document.querySelectorAll('#english-col button')].map(b => b.getAttribute('aria-label'))"
        ".filter(l => l && l.toLowerCase().includes('copy'))")
    seen["vi_langs"] = driver.execute_script(
        "return ['#cleaned-article .vs-article', '#summary-vi textarea', '#article-text textarea']"
        ".map(s => document.querySelector(s)?.getAttribute('lang'))")
    seen["sample_source"] = _one(driver, "#source-used").text
    seen["notice"] = _one(driver, "#english-notice").text if _visible(driver, "#english-notice") else ""
    seen["notice_copy_buttons"] = _copy_buttons(driver, "#english-notice")
    seen["english_summary_shown"] = _visible(driver, "#summary-en")
    seen["summary_vi"] = _one(driver, "#summary-vi textarea").get_attribute("value")
    seen["page_text"] = _one(driver, "body").text
    seen["english_above_article"] = driver.execute_script(
        "return document.querySelector('#english-col').getBoundingClientRect().top"
        " < document.querySelector('#article-col').getBoundingClientRect().top")
    seen["english_in_view"] = driver.execute_script(
        "const r = document.querySelector('#english-col').getBoundingClientRect();"
        "return r.top >= -5 && r.top < window.innerHeight")
    _one(driver, "#removed-box button, #removed-box .label-wrap").click()
    _wait(driver, lambda d: _visible(d, "#removed td.vs-reason"))
    seen["window_width"] = driver.execute_script("return window.innerWidth")
    seen["reason_right_edges"] = _right_edges(driver, "#removed td.vs-reason")
    seen["removed_reasons"] = [e.text for e in _all(driver, "#removed td.vs-reason")]
    seen["audit_result"] = audit(driver)
    _shoot(driver, shot)

    _upload(driver, "#article-file", [upload])
    _wait(driver, lambda d: _one(d, "#article-text textarea").get_attribute("value") == "")
    seen["box_after_upload"] = _one(driver, "#article-text textarea").get_attribute("value")
    _one(driver, "#summarise").click()
    _wait(driver, lambda d: upload.name in _one(d, "#source-used").text and "Done" in _one(d, "#run-status").text)
    seen["file_source"] = _one(driver, "#source-used").text
    seen["file_article"] = _one(driver, "#cleaned-article").text
    seen["upload_before_paste"] = _one(driver, "#article-file").text
    # typed keys: the page's own input event, as a real paste fires it (a scripted event is not trusted)
    _one(driver, "#article-text textarea").send_keys("Bai viet moi.")
    time.sleep(1)
    seen["upload_after_paste"] = _one(driver, "#article-file").text
    return seen


def _paste(driver, text: str) -> None:
    """Set the article box as a clipboard paste would, then let the page see the input event."""
    box = _one(driver, "#article-text textarea")
    driver.execute_script("arguments[0].value = arguments[1];"
                          "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", box, text)


def stages_flow(driver, url: str, text: str, recipe: str) -> dict:
    """Paste an article, run ``recipe`` and sample the page every 50 ms: what appears when."""
    _open(driver, url, "Article")
    _choose(driver, "#recipe", recipe)
    _paste(driver, text)
    # the page records its own state at every change (a poll from here could miss a fast stage)
    driver.execute_script(
        "window.vsTimeline = [];"
        "const state = () => [document.querySelector('#cleaned-article').innerText.trim().length > 0,"
        "  document.querySelector('#summary-vi textarea').value.length > 0,"
        "  document.querySelector('#run-status').innerText,"
        "  document.querySelector('#summary-en textarea').value.length > 0];"
        "new MutationObserver(() => window.vsTimeline.push(state()))"
        "  .observe(document.body, {subtree: true, childList: true, characterData: true});")
    _one(driver, "#summarise").click()
    _wait(driver, lambda d: "Done" in _one(d, "#run-status").text)
    time.sleep(0.3)
    timeline = [tuple(state) for state in driver.execute_script("return window.vsTimeline")]
    return {"timeline": timeline,
            "copy_buttons": {css: _copy_buttons(driver, css) for css in ("#title-en", "#summary-en", "#summary-vi")},
            "summary_en": _one(driver, "#summary-en textarea").get_attribute("value"),
            "page_text": _one(driver, "body").text}


def batch_flow(driver, url: str, files: list[Path], shot: Path | None = None, recipe: str | None = None,
               stop_after: int | None = None) -> dict:
    """Upload several files, summarise them all (or press Stop once ``stop_after`` are summarised);
    the progress line as it moved, and the table."""
    _open(driver, url, "Batch")
    if recipe:
        _choose(driver, "#batch-recipe", recipe)
    _upload(driver, "#batch-files", files)
    _one(driver, "#summarise-all").click()
    progress = []
    deadline = time.monotonic() + WAIT_S
    done = False
    while time.monotonic() < deadline:
        if stop_after is not None and sum(row[1].startswith("ok") for row in _table(driver, "#batch-table")
                                          if len(row) > 1) >= stop_after:
            _one(driver, "#stop-batch").click()
            stop_after = None
        # the link first: the last line read is then the one shown with it
        done = any("summaries.jsonl" in (a.get_attribute("href") or "") for a in _all(driver, "#batch-jsonl a"))
        line = " ".join(driver.execute_script(
            "return document.querySelector('#batch-progress .vs-progress')?.textContent || ''").split())
        if line and (not progress or progress[-1] != line):
            progress.append(line)
        if done:
            break
        time.sleep(0.05)
    time.sleep(0.5)
    seen = {"progress": progress, "window_width": driver.execute_script("return window.innerWidth")}
    seen["bar_in_view"] = driver.execute_script(
        "const r = document.querySelector('#batch-progress').getBoundingClientRect();"
        "return r.bottom > 0 && r.top < window.innerHeight")
    seen["rows"] = _table(driver, "#batch-table")
    # the status column, where errors are said: its cells' right edges
    seen["status_right_edges"] = _right_edges(driver, "#batch-table .virtual-row [role=gridcell][data-col='1']")
    links = _all(driver, "#batch-jsonl a")
    seen["jsonl_url"] = links[0].get_attribute("href") if links else None
    seen["upload_label_clear"] = driver.execute_script(
        "const l = document.querySelector('#batch-files [data-testid=block-label]');"
        "const b = [...document.querySelectorAll('#batch-files .icon-button-wrapper button')];"
        "if (!l) return false; const r = l.getBoundingClientRect();"
        "return l.scrollWidth <= l.clientWidth + 1 && b.every(e => { const q = e.getBoundingClientRect();"
        "  return q.width === 0 || q.right <= r.left || q.left >= r.right || q.bottom <= r.top || q.top >= r.bottom; })")
    seen["audit"] = audit(driver)
    _shoot(driver, shot)
    return seen


def evaluate_flow(driver, url: str, predictions: Path, references: list[Path], shot: Path | None = None,
                  lang: str | None = None) -> dict:
    """Score a predictions file against reference files (``lang``: the language to pick, None: the
    page's default); the tables and notes shown."""
    _open(driver, url, "Evaluate")
    time.sleep(1)
    checked = [i for i in _all(driver, "#eval-lang input[type=radio]") if i.is_selected()]
    default_lang = checked[0].get_attribute("value") if checked else None
    _upload(driver, "#pred-files", [predictions])
    _upload(driver, "#ref-files", references)
    if lang:
        next(label for label in _all(driver, "label") if label.text.strip() == lang).click()
    _one(driver, "#score").click()
    _wait(driver, lambda d: "documents scored" in _one(d, "#eval-details").text
          or _all(d, "#eval-details .vs-error"))
    time.sleep(1)
    seen = {"details": _one(driver, "#eval-details").text, "page_text": _one(driver, "body").text,
            "default_lang": default_lang}
    # a column is cut when the table is wider than its box and the box does not scroll
    seen["cut_tables"] = driver.execute_script(
        "return ['#scores', '#doc-scores'].filter(s => { const t = document.querySelector(s + ' table');"
        "  if (!t) return false; const box = document.querySelector(s).getBoundingClientRect();"
        "  const w = t.getBoundingClientRect(); if (w.right <= box.right + 1) return false;"
        "  let e = t.parentElement; while (e && e !== document.querySelector(s).parentElement) {"
        "    const o = getComputedStyle(e).overflowX; if ((o === 'auto' || o === 'scroll') && e.scrollWidth > e.clientWidth) return false;"
        "    e = e.parentElement; } return true; })")
    seen["chart_width"] = driver.execute_script(
        "const i = document.querySelector('#chart img'); return i ? i.getBoundingClientRect().width : 0")
    seen["audit"] = audit(driver)
    seen["doc_rows"] = _table(driver, "#doc-scores")
    seen["score_names"] = [row[0] for row in _table(driver, "#scores")]
    # a file name is cut when its element is narrower than its text
    seen["cut_file_names"] = driver.execute_script(
        "return [...document.querySelectorAll('#ref-files .filename, #ref-files .filename .stem')]"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)")
    seen["ref_list_text"] = _one(driver, "#ref-files").text
    _shoot(driver, shot)
    return seen


# ---------------------------------------------------------------- the script


def sample_upload(folder: Path) -> Path:
    """An HTML page made from a sample article (menus around the story), to upload."""
    text = (SEEDS / "000_2b5d47eab49b17e5.txt").read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    body = "".join(f"<p>{p}</p>" for p in paragraphs[1:])
    page = folder / "bai-bao.html"
    page.write_text(f"<html><head><title>{paragraphs[0]}</title></head><body>"
                    "<nav><a href='/'>Trang chủ</a> <a href='/the-gioi'>Thế giới</a></nav>"
                    f"<article><h1>{paragraphs[0]}</h1>{body}</article>"
                    "<footer>© Báo điện tử. Liên hệ quảng cáo.</footer></body></html>", encoding="utf-8")
    return page


def batch_inputs(folder: Path) -> list[Path]:
    """Three loose samples, a .zip of two more, and a file that is not an article."""
    seeds = sorted(SEEDS.glob("*.txt"))
    archive = folder / "articles.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for seed in seeds[3:]:
            zf.write(seed, f"batch/{seed.name}")
    bad = folder / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4 not really a pdf")
    return [*seeds[:3], archive, bad]


def main(out: Path = ROOT / "docs" / "img") -> None:
    if chromedriver() is None:
        sys.exit("no chromedriver: apt-get install chromium chromium-driver")
    work = Path(tempfile.mkdtemp(prefix="viensum-shot-"))
    try:
        (work / "empty-store").mkdir()
        port = free_port()
        with serving([sys.executable, "app.py", "--port", str(port)], port, work / "server.log",
                     VIENSUM_MODELS_DIR=str(work / "empty-store")) as (url, _):
            for size in SIZES:
                driver = browser(size, work / f"chromium-{size}")
                try:
                    # another sample per size: a repeated one would say "reused its summary"
                    article_flow(driver, url, sample_upload(work), out / f"article-{size}.png",
                                 sample=list(SIZES).index(size) + 1)
                    seen = batch_flow(driver, url, batch_inputs(work), out / f"batch-{size}.png")
                    predictions = work / "summaries.jsonl"
                    with urllib.request.urlopen(seen["jsonl_url"], timeout=30) as response:
                        predictions.write_bytes(response.read())
                    evaluate_flow(driver, url, predictions, sorted((SEEDS / "refs").glob("*.vi.txt")),
                                  out / f"evaluate-{size}.png")
                finally:
                    driver.quit()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"screenshots written to {out}")


if __name__ == "__main__":
    main()
