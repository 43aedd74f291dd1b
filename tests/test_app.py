"""The web UI end to end: the real server in a subprocess with tiny local models,
driven by gradio_client and by a headless Chromium."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "001_7a23386e8a2c9da9"
HEADLINE = "IOM tiếp tục hỗ trợ Việt Nam triển khai Thoả thuận GCM"
STARTUP_SECONDS = 180

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(command: list[str], port: int, store: Path, log_path: Path, **env):
    """Run the app in a subprocess until it answers on ``port``; always stop it afterwards."""
    environment = {**os.environ, "VIENSUM_MODELS_DIR": str(store), "HF_HUB_OFFLINE": "1",
                   "TRANSFORMERS_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False", **env}
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"server exited with {proc.returncode}:\n{log_path.read_text(errors='replace')[-3000:]}")
                try:
                    with urllib.request.urlopen(url + "/", timeout=5) as response:
                        if response.status == 200:
                            break
                except (urllib.error.URLError, OSError):
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"server not ready after {STARTUP_SECONDS} s:\n"
                                f"{log_path.read_text(errors='replace')[-3000:]}")
                time.sleep(0.5)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="module")
def server(tiny_store, tmp_path_factory):
    """``python app.py`` with the tiny model store, on a free port."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("app") / "server.log"
    with serving([sys.executable, "app.py"], port, tiny_store, log_path, GRADIO_SERVER_PORT=str(port)) as url:
        yield url


@pytest.fixture(scope="module")
def client(server):
    from gradio_client import Client

    return Client(server, verbose=False)


def test_article_through_the_api(client, seed_texts):
    article, removed, title_en, summary_en, summary_vi, translation, details = client.predict(
        seed_texts[SAMPLE], None, "extractive", 3, 0, True, api_name="/summarize_article")
    assert HEADLINE in article
    assert "zalo-icon" not in article
    assert any(row[0] == "zalo-icon" for row in removed["data"])
    sentences = [s for s in summary_vi.split("\n") if s.strip()] or [summary_vi]
    assert summary_vi and all(s.strip()[:30] in article for s in sentences)  # extractive: article sentences
    assert isinstance(summary_en, str) and isinstance(title_en, str)
    assert "<table class='vs-translation'>" in translation
    assert "`extractive`" in details and "opus-mt-vi-en" in details


def test_tiny_neural_recipe_through_the_api(client, seed_texts):
    article, *_, details = client.predict(seed_texts[SAMPLE], None, "two-stage", 2, 1, False,
                                          api_name="/summarize_article")
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
    table, jsonl_file, csv_file = client.predict([handle_file(str(p)) for p in files], "extractive", 3, 0,
                                                 api_name="/summarize_batch")
    rows = table["data"]
    assert [row[0] for row in rows] == [p.name for p in files]
    assert [row[3] == "ok" for row in rows] == [True, False, True]
    assert "binary" in rows[1][3]
    assert all(row[2] for row in (rows[0], rows[2]))
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


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--window-size=1400,1000", f"--user-data-dir={tmp_path / 'chromium'}"):
        options.add_argument(flag)
    if Path("/usr/bin/chromium").exists():
        options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def test_browser_pastes_an_article_and_gets_a_summary(server, browser, seed_texts, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server)
    wait = WebDriverWait(browser, 120)
    box = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "#article-text textarea"))
    # the extractive recipe: its Vietnamese summary is article sentences even with random tiny models
    browser.find_element(By.CSS_SELECTOR, "#recipe input").click()
    option = wait.until(lambda d: [o for o in d.find_elements(By.CSS_SELECTOR, "li[role=option]")
                                   if o.get_attribute("aria-label").startswith("extractive ")])
    option[0].click()
    # paste: set the value as a clipboard paste would, then let the page see the input event
    browser.execute_script(
        "arguments[0].value = arguments[1];"
        "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", box, seed_texts[SAMPLE])
    browser.find_element(By.CSS_SELECTOR, "#summarise").click()

    summary = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "#summary-vi textarea").get_attribute("value"))
    article = browser.find_element(By.CSS_SELECTOR, "#cleaned-article").text
    details = browser.find_element(By.CSS_SELECTOR, "#details").text
    page = browser.find_element(By.CSS_SELECTOR, "body").text
    shot = tmp_path / "article-tab.png"
    browser.save_screenshot(str(shot))
    assert HEADLINE in article and "zalo-icon" not in article
    assert summary.split(", ")[0] in article  # the summary's first sentence comes from the article
    assert "Recipe:" in details and "extractive" in details
    assert "Traceback" not in page
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_upload_over_the_size_limit_is_refused(client, tmp_path):
    from gradio_client import handle_file

    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (10 * 1024 * 1024 + 1))  # ui.MAX_FILE_SIZE is 10 MB
    with pytest.raises(ValueError, match="exceeds the maximum file size of 10485760 bytes"):
        client.predict([handle_file(str(big))], "extractive", 3, 0, api_name="/summarize_batch")
