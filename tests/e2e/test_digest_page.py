"""The digest page in headless Chromium at 1440 px and 390 px: one file that reads well on a desk and
on a phone (no sideways scrolling, columns that fit, nothing fetched from elsewhere)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser import require_browser, shots

from viensum.digest import Digest, DigestEntry
from viensum.digest_render import render_digest

pytestmark = pytest.mark.slow


def sample_digest() -> Digest:
    """Three sites, long headlines and a long unbroken URL, a flagged summary and two failures."""
    entries = []
    for s, site in enumerate(["VnExpress", "Tuổi Trẻ Online", "Báo Mẫu"]):
        for k in range(3):
            entries.append(DigestEntry(
                url=f"https://{site.lower().replace(' ', '')}.example.vn/thoi-su/"
                    f"{'mot-bai-bao-rat-dai-' * 4}{s}{k}-47900{s}{k}.html",
                site=site, published=f"2024-05-0{k + 1}",
                title_vi=f"Hà Nội mở thêm {k + 2} tuyến xe buýt điện kết nối các khu đô thị phía tây",
                title_en=f"Hanoi opens {k + 2} more electric bus routes linking its western urban areas",
                summary_vi="Thành phố sẽ mở thêm các tuyến xe buýt điện.",
                summary_en="The city will open more electric bus routes and finish metro line 3 before 2027, "
                           "to cut congestion and air pollution in the inner districts. Experts say the link "
                           "between buses and the metro decides whether people leave their motorbikes.",
                flags=["the number 2027 is not in the article"] if k == 0 and s == 0 else []))
    entries.append(DigestEntry(url="https://vnexpress.example.vn/" + "x" * 150 + ".html",
                               error="the server answered 404 Not Found"))
    entries.append(DigestEntry(url="https://tuoitre.example.vn/bai.html",
                               error="the site's robots.txt does not allow fetching /bai.html"))
    return Digest(entries)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("digest") / "digest.html"
    path.write_text(render_digest(sample_digest(), "html", generated="2024-05-04 07:00"), encoding="utf-8")
    return path


@pytest.mark.parametrize("size,columns", [("desktop", 3), ("mobile", 1)])
def test_the_digest_page_reads_well_at_1440_and_390_px(page, tmp_path, size, columns):
    require_browser()
    driver = shots.browser(size, tmp_path / "profile")
    try:
        driver.get(page.as_uri())
        width = driver.execute_script("return window.innerWidth")
        assert width == shots.SIZES[size][0]
        assert driver.execute_script("return document.documentElement.scrollWidth") <= width  # no sideways scroll
        cards = driver.execute_script(
            "return [...document.querySelectorAll('article')].map(a => {const r = a.getBoundingClientRect();"
            "return [Math.round(r.left), Math.round(r.top), Math.round(r.right)]})")
        assert len(cards) == 9 and all(right <= width for _, _, right in cards)
        first_row = [c for c in cards[:3] if c[1] == cards[0][1]]
        assert len(first_row) == columns  # a site's three articles side by side on a desk, stacked on a phone
        size_px = driver.execute_script("return parseFloat(getComputedStyle(document.querySelector('.summary'))"
                                        ".fontSize)")
        assert size_px >= 14
        failed = driver.execute_script("return document.querySelector('section.failed').innerText")
        assert "404 Not Found" in failed and "robots.txt" in failed
        # one file to mail: nothing was loaded from anywhere else
        assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
        shot = tmp_path / f"digest-{size}.png"
        driver.save_screenshot(str(shot))
        assert shot.stat().st_size > 10_000
        if os.environ.get("VIENSUM_SAVE_SHOTS"):  # retake the README's pictures
            driver.set_window_size(*shots.SIZES[size])
            Path(os.environ["VIENSUM_SAVE_SHOTS"], f"digest-{size}.png").write_bytes(shot.read_bytes())
    finally:
        driver.quit()
