"""The checked summary in a real browser: a sentence highlights its source paragraphs; flagged facts carry the
article's value on hover. Headless Chromium, on the real app (tiny store) and on the rendered HTML alone."""
from __future__ import annotations

import re
import sys

import pytest
from browser import require_browser, shots

from viensum.check import check
from viensum.check.html import render_checks
from viensum.results import Article

SAMPLE = "001_7a23386e8a2c9da9"

pytestmark = pytest.mark.slow


@pytest.fixture
def driver(tmp_path):
    require_browser()
    d = shots.browser("desktop", tmp_path / "chromium")
    yield d
    d.quit()


def _highlighted(driver) -> list[str]:
    return [e.get_attribute("data-para") for e in shots._all(driver, "#cleaned-article [data-para].vs-src")]


def _hover(driver, element) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).move_to_element(element).perform()


def test_hover_and_click_highlight_the_source_paragraphs_in_the_app(tiny_store, tmp_path, driver, seed_texts):
    port = shots.free_port()
    with shots.serving([sys.executable, "app.py"], port, tmp_path / "server.log", 180,
                       VIENSUM_MODELS_DIR=str(tiny_store), GRADIO_SERVER_PORT=str(port)) as (url, _):
        shots.stages_flow(driver, url, seed_texts[SAMPLE], "extractive")
        line = shots._one(driver, "#summary-checked #vs-line").text  # about the (tiny, noisy) English summary
        assert re.fullmatch(r"✓ all numbers, dates and names found in the article|⚠ \d+ .*", line)
        sentences = shots._all(driver, "#summary-checked [lang=vi] .vs-sent")  # extractive: article sentences
        assert len(sentences) == 3 and all(s.get_attribute("data-src") for s in sentences)
        assert _highlighted(driver) == []
        _hover(driver, sentences[0])
        first = sentences[0].get_attribute("data-src").split()
        shots._wait(driver, lambda d: _highlighted(d) == first)
        # the highlighted paragraph is the one the extractive sentence was copied from
        para = shots._one(driver, f"#cleaned-article [data-para='{first[0]}']").text
        assert sentences[0].text[:40] in para
        sentences[2].click()
        shots._wait(driver, lambda d: _highlighted(d) == sentences[2].get_attribute("data-src").split())
        assert first != sentences[2].get_attribute("data-src").split()


def test_flagged_fact_shows_the_articles_value_on_hover(driver, tmp_path):
    from viensum.ui.render import render_article

    article = Article("Khối ngoại mua ròng", ["VN-Index tăng 25,36 điểm lên 1.853,08 điểm.",
                                              "Khối ngoại mua ròng 1,5 tỷ đồng, nhiều nhất là VIC."])
    result = check("The VN-Index rose 25.36 points. Foreign investors bought 1,500 billion dong, most of it VIC.",
                   article)
    page = tmp_path / "checked.html"
    page.write_text("<html><body><div id='summary-checked'>" + render_checks(result.sentences) + "</div>"
                    "<div id='cleaned-article'>" + render_article(article) + "</div></body></html>", encoding="utf-8")
    driver.get(page.as_uri())
    assert shots._one(driver, "#vs-line").text == "⚠ 1 fact could not be found in the article"
    mark = shots._one(driver, "mark.vs-flag")
    assert mark.text == "1,500 billion dong"
    assert mark.get_attribute("title") == "the article says 1,5 tỷ đồng (1.5 billion dong)"
    _hover(driver, mark)  # the mark is inside its sentence: the sentence's source lights up
    shots._wait(driver, lambda d: _highlighted(d) == ["1"])
    _hover(driver, shots._all(driver, ".vs-sent")[0])
    shots._wait(driver, lambda d: _highlighted(d) == ["0"])
    color = driver.execute_script("return getComputedStyle(arguments[0]).backgroundColor",
                                  shots._one(driver, "#cleaned-article [data-para='0']"))
    assert color != "rgba(0, 0, 0, 0)"
