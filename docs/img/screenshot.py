"""Retake docs/img/article-tab.png: the Article tab after summarising a sample article.

Runs ``python app.py`` on tiny random models (their English is noise; the
extractive recipe keeps the Vietnamese summary meaningful) and photographs
it with headless Chromium. Usage: .venv/bin/python docs/img/screenshot.py
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "seeds" / "001_7a23386e8a2c9da9.txt"
PORT = 7990


def main(out: Path = ROOT / "docs" / "img" / "article-tab.png", recipe: str = "extractive") -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from viensum.tiny import make_tiny

    work = Path(tempfile.mkdtemp(prefix="viensum-shot-"))
    make_tiny(work / "models")
    env = {**os.environ, "VIENSUM_MODELS_DIR": str(work / "models"), "HF_HUB_OFFLINE": "1",
           "GRADIO_SERVER_PORT": str(PORT), "GRADIO_ANALYTICS_ENABLED": "False"}
    server = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env)
    try:
        url = f"http://127.0.0.1:{PORT}"
        for _ in range(240):
            try:
                urllib.request.urlopen(url, timeout=3)
                break
            except OSError:
                time.sleep(0.5)
        options = webdriver.ChromeOptions()
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--no-first-run", "--hide-scrollbars", "--window-size=1400,1750",
                     f"--user-data-dir={work / 'chromium'}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            driver.get(url)
            wait = WebDriverWait(driver, 120)
            box = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "#article-text textarea"))
            driver.find_element(By.CSS_SELECTOR, "#recipe input").click()
            time.sleep(0.5)
            next(o for o in driver.find_elements(By.CSS_SELECTOR, "li[role=option]")
                 if o.get_attribute("aria-label").startswith(recipe + " ")).click()
            driver.execute_script("arguments[0].value = arguments[1];"
                                  "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
                                  box, SAMPLE.read_text(encoding="utf-8"))
            driver.find_element(By.CSS_SELECTOR, "#summarise").click()
            wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "#summary-vi textarea").get_attribute("value"))
            time.sleep(1)
            driver.execute_script("document.querySelector('#article-text textarea').scrollTop = 0;"
                                  "window.scrollTo(0, 0);")
            driver.save_screenshot(str(out))
        finally:
            driver.quit()
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
