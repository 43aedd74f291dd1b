"""The web UI end to end: the real server in a subprocess with tiny local models (or none),
driven by gradio_client and by a headless Chromium."""
from __future__ import annotations

import json
import re
import sys
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser import require_browser, shots

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = "001_7a23386e8a2c9da9"
HEADLINE = "IOM tiếp tục hỗ trợ Việt Nam triển khai Thoả thuận GCM"
STARTUP_SECONDS = 180
INSTALL = "viensum models download vit5-base-vietnews opus-mt-vi-en"

pytestmark = pytest.mark.slow


free_port = shots.free_port


@contextmanager
def serving(command: list[str], port: int, store: Path, log_path: Path, **env):
    try:
        with shots.serving(command, port, log_path, STARTUP_SECONDS, VIENSUM_MODELS_DIR=str(store), **env) as (url, _):
            yield url
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def server(tiny_store, tmp_path_factory):
    """``python app.py`` with the tiny model store, on a free port."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("app") / "server.log"
    # --port, as a user types it (python app.py --port N is honoured)
    with serving([sys.executable, "app.py", "--port", str(port)], port, tiny_store, log_path) as url:
        yield url


@pytest.fixture(scope="module")
def client(server):
    from gradio_client import Client

    return Client(server, verbose=False)


def test_article_through_the_api(client, seed_texts):
    (status, source, article, removed, title_en, summary_en, notice, summary_vi, translation,
     details, checked) = client.predict(seed_texts[SAMPLE], None, "extractive", 3, 0, True, api_name="/summarize_article")
    assert status.startswith("✓ Done")
    assert source.startswith("**Source:** sample article")
    assert HEADLINE in article
    assert "zalo-icon" not in article and "zalo-icon" in removed
    sentences = [s for s in summary_vi.split("\n") if s.strip()] or [summary_vi]
    assert summary_vi and all(s.strip()[:30] in article for s in sentences)  # extractive: article sentences
    assert isinstance(summary_en, str) and isinstance(title_en, str) and notice == ""
    assert "<table class='vs-translation'>" in translation
    assert "`extractive`" in details and "opus-mt-vi-en" in details


def test_tiny_neural_recipe_through_the_api(client, seed_texts):
    article, *_, details, _checked = client.predict(seed_texts[SAMPLE], None, "two-stage", 2, 1, False,
                                                    api_name="/summarize_article")[2:]
    assert HEADLINE in article
    assert "`two-stage`" in details and "vit5-base-vietnews" in details


def test_errors_reach_the_client_as_messages(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="Paste an article"):
        client.predict("", None, "auto", 3, 0, False, api_name="/summarize_article")


def test_batch_through_the_api(client, seed_files, tmp_path):
    from gradio_client import handle_file

    bad = tmp_path / "bad.txt"
    bad.write_bytes(bytes(range(256)) * 4)
    files = [seed_files[0], bad, seed_files[1]]
    progress, table, jsonl_file, csv_file = client.predict(
        [handle_file(str(p)) for p in files], "extractive", 3, 0, api_name="/summarize_batch")
    assert "All 3 inputs done: 2 summarised, 1 failed" in progress
    rows = table["data"]
    assert [row[0].replace("\u200b", "") for row in rows] == [p.name for p in files]  # breakable, else the same
    assert [row[1].startswith("ok") for row in rows] == [True, False, True]
    assert "binary" in rows[1][1]
    assert all(row[2] for row in (rows[0], rows[2]))
    # served after the handler's own temporary folder is gone
    assert len(Path(jsonl_file).read_text(encoding="utf-8").splitlines()) == 3
    assert len(Path(csv_file).read_text(encoding="utf-8-sig").splitlines()) == 4  # header + 3


def test_serve_command_with_basic_auth(tiny_store, tmp_path):
    from gradio_client import Client

    port = free_port()
    command = [sys.executable, "-m", "viensum", "serve", "--port", str(port)]
    with serving(command, port, tiny_store, tmp_path / "serve.log", VIENSUM_AUTH="ann:secret") as url:
        with pytest.raises(Exception):
            Client(url, verbose=False)  # no credentials, no app
        authed = Client(url, auth=("ann", "secret"), verbose=False)
        assert "/summarize_article" in authed.view_api(print_info=False, return_format="dict")["named_endpoints"]


# ---------------------------------------------------------------- a real browser


def test_no_browser_skips_outside_ci_and_fails_under_ci(monkeypatch):
    monkeypatch.setattr(shots, "chromedriver", lambda: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no Chromium/chromedriver installed"):
        require_browser()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true but no Chromium/chromedriver"):
        require_browser()


@pytest.fixture
def browser(tmp_path):
    """``browser(size)`` starts a headless Chromium at "desktop" or "mobile" size."""
    require_browser()
    drivers = []

    def start(size: str):
        drivers.append(shots.browser(size, tmp_path / f"chromium-{len(drivers)}"))
        return drivers[-1]

    yield start
    for driver in drivers:
        driver.quit()


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory):
    """``python app.py`` as a new user first meets it: no model installed, the hub out of reach."""
    folder = tmp_path_factory.mktemp("no-models")
    port = free_port()
    with serving([sys.executable, "app.py"], port, folder / "store", folder / "server.log",
                 GRADIO_SERVER_PORT=str(port)) as url:
        yield url


def _png(path: Path) -> bool:
    return path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000


@pytest.mark.parametrize("size", ["desktop", "mobile"])
def test_browser_default_state_every_tab(empty_server, browser, seed_files, tmp_path, size):
    """What a new user sees on each tab, at 1440x1000 and 390x844 (docs/img/screenshot.py keeps the pictures)."""
    driver = browser(size)
    upload = shots.sample_upload(tmp_path)

    seen = shots.article_flow(driver, empty_server, upload, tmp_path / "article.png")
    assert _png(tmp_path / "article.png")
    # accessibility: axe-core finds no serious or critical violation, before and after a run
    assert seen["audit_start"] == [] and seen["audit_result"] == []
    assert not seen["stop_enabled_idle"] and not seen["stop_enabled_after"]  # Stop only while a run goes on
    assert seen["empty_status"] == "⚠ Paste an article or upload a file first."  # still there, seconds later
    assert seen["error_badges"] == 0
    assert sorted(seen["copy_labels"]) == ["Copy the English headline", "Copy the English summary",
                                           "Copy the Vietnamese summary"]
    assert seen["vi_langs"] == ["vi", "vi", "vi"]
    if size == "desktop":  # the page scrolled to the result (phones: to the English summary, below)
        assert seen["status_in_view"] and seen["scrolled_to"] > 200
    reasons = seen["removed_reasons"]
    assert reasons and all(a != b for a, b in zip(reasons, reasons[1:]))  # grouped by consecutive reason
    assert seen["recipe_label_fits"]                          # "auto (now: extractive)" is not cut
    assert seen["sample_source"].startswith("Source: sample article")
    assert "English model is not installed" in seen["notice"] and INSTALL in seen["notice"]
    assert seen["notice_copy_buttons"] == 1                    # the command has a copy button
    assert not seen["english_summary_shown"] and seen["summary_vi"]
    assert "/tmp" not in seen["page_text"] and "VIENSUM_MODELS_DIR" not in seen["page_text"]
    assert "HF_HUB_OFFLINE" not in seen["page_text"]
    assert seen["reason_right_edges"] and max(seen["reason_right_edges"]) <= seen["window_width"]
    assert seen["box_after_upload"] == ""                     # the upload replaced the pasted text ...
    assert seen["file_source"] == f"Source: uploaded file {upload.name}"  # ... and the panel says so
    assert "Tổ chức Di cư Quốc tế" in seen["file_article"]
    assert upload.stem in seen["upload_before_paste"]
    assert upload.stem not in seen["upload_after_paste"]      # pasting afterwards drops the upload
    if size == "mobile":
        assert seen["english_above_article"] and seen["english_in_view"]

    seen = shots.batch_flow(driver, empty_server, shots.batch_inputs(tmp_path), tmp_path / "batch.png")
    assert _png(tmp_path / "batch.png")
    assert seen["progress"][-1] == "All 6 inputs done: 5 summarised, 1 failed"  # inputs, successes, failures
    assert seen["audit"] == [] and seen["upload_label_clear"]
    assert seen["bar_in_view"]
    statuses = [row[1] for row in seen["rows"]]
    assert statuses[:3] == ["ok"] * 3 and statuses[-1].startswith("error: this PDF cannot be read")
    assert len(seen["status_right_edges"]) == 6
    assert max(seen["status_right_edges"]) <= seen["window_width"]  # no sideways scrolling to see them

    predictions = tmp_path / "summaries.jsonl"
    with urllib.request.urlopen(seen["jsonl_url"], timeout=30) as response:
        predictions.write_bytes(response.read())
    ids = [json.loads(line)["id"] for line in predictions.read_text(encoding="utf-8").splitlines()]
    assert ids[3:5] == [f"articles.zip/batch/{p.stem}" for p in seed_files[3:]]
    refs = sorted((ROOT / "seeds" / "refs").glob("*.vi.txt"))
    seen = shots.evaluate_flow(driver, empty_server, predictions, refs, tmp_path / "evaluate.png")
    assert _png(tmp_path / "evaluate.png")
    assert seen["default_lang"] == "vi"  # what a server without an English model can score
    assert seen["audit"] == [] and seen["cut_tables"] == []
    assert size == "desktop" or seen["chart_width"] >= 0.8 * 390  # the chart as wide as the phone
    details = " ".join(seen["details"].split())
    assert "5 documents scored" in details and "Not scored, no reference: scan" in details
    assert [row[0] for row in seen["doc_rows"]] == ids[:5]
    assert not any("words" in name for name in seen["score_names"])
    assert seen["cut_file_names"] == []
    assert all(ref.stem in seen["ref_list_text"] for ref in refs)  # "<id>.vi" whole, then ".txt"
    assert "/tmp" not in seen["page_text"]


def test_browser_shows_the_cleaned_article_before_the_summary(server, browser, seed_texts):
    """Tiny random models (seconds to generate): the cleaned article is on screen while they work."""
    seen = shots.stages_flow(browser("desktop"), server, seed_texts[SAMPLE] + "\n\nMột câu nữa.", "two-stage")
    timeline = seen["timeline"]
    assert "Done" in timeline[-1][2] and timeline[-1][:2] == (True, True) and timeline[-1][3]
    first_summary = next(i for i, (_, summary, _, _) in enumerate(timeline) if summary)
    # the stage named as it runs: what the recipe does, and which recipe
    assert any(article and not summary and "summarising in Vietnamese, then translating the summary into "
               "English with two-stage" in status for article, summary, status, _ in timeline[:first_summary])
    # each summary as it is ready: the Vietnamese one on screen, with its stage named, before the English
    assert any(summary and not english and "Vietnamese summary ready · translating it into English" in status
               for _, summary, status, english in timeline)
    assert seen["copy_buttons"] == {"#title-en": 1, "#summary-en": 1, "#summary-vi": 1}
    assert "Traceback" not in seen["page_text"]


def test_browser_batch_stop_keeps_the_finished_results(server, browser, seed_files, tmp_path):
    n = 40
    files = [tmp_path / f"article-{i:02d}.txt" for i in range(n)]
    for i, path in enumerate(files):  # each its own body text: no answer from the cache (nor for later tests)
        paragraphs = seed_files[i % 5].read_text(encoding="utf-8").split("\n\n")
        paragraphs[1] += f" Đây là bài thử nghiệm số {i} trong bộ kiểm tra dừng giữa chừng."
        path.write_text("\n\n".join(paragraphs), encoding="utf-8")
    seen = shots.batch_flow(browser("desktop"), server, files, recipe="two-stage", stop_after=2)
    stopped = re.fullmatch(rf"⏹ Stopped after (\d+) of {n} inputs: (\d+) summarised, 0 failed, (\d+) not done",
                           seen["progress"][-1])
    assert stopped, seen["progress"][-1]
    done = int(stopped.group(1))
    assert 2 <= done < n and int(stopped.group(2)) == done and int(stopped.group(3)) == n - done
    statuses = [row[1] for row in seen["rows"]]  # the rows in view (the table draws only those)
    assert statuses[:done] == ["ok (tiny test model)"] * done
    assert statuses[done:] and set(statuses[done:]) == {"stopped: not summarised"}
    with urllib.request.urlopen(seen["jsonl_url"], timeout=30) as response:
        records = [json.loads(line) for line in response.read().decode("utf-8").splitlines()]
    assert len(records) == done and all(r["error"] is None for r in records)


def test_browser_batch_progress_moves_per_article(server, browser, seed_files):
    driver = browser("desktop")
    seen = shots.batch_flow(driver, server, seed_files, recipe="two-stage")
    counts = [int(re.search(r"(\d+) summarised", line).group(1)) for line in seen["progress"]]
    assert counts[-1] == 5 and counts == sorted(counts)
    assert any(0 < c < 5 for c in counts), seen["progress"]  # the bar moved before the end: after each article
    assert seen["bar_in_view"] and [row[1] for row in seen["rows"]] == ["ok (tiny test model)"] * 5


def test_upload_over_the_size_limit_is_refused(client, tmp_path):
    from gradio_client import handle_file

    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (10 * 1024 * 1024 + 1))  # ui_inputs.MAX_FILE_SIZE is 10 MB
    with pytest.raises(ValueError, match="exceeds the maximum file size of 10485760 bytes"):
        client.predict([handle_file(str(big))], "extractive", 3, 0, api_name="/summarize_batch")


def test_browser_dark_mode_passes_the_accessibility_audit(empty_server, browser):
    """Dark mode (Gradio's ?__theme=dark, as a system in dark mode gets it): the same contrast rules."""
    driver = browser("desktop")
    driver.get(empty_server + "/?__theme=dark")
    shots._wait(driver, lambda d: shots._all(d, "#article-text textarea"))
    import time

    time.sleep(1)
    assert driver.execute_script("return document.body.classList.contains('dark')")
    assert shots.audit(driver) == []
