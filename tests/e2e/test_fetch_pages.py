"""The real pages of ../shared/cleaning-dev served from a local server: fetched-and-cleaned equals
file-and-cleaned (the pages are read from the shared folder, never copied here)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from require import require

from viensum import inputs
from viensum.clean import clean_article

DEV = Path(os.environ.get("VIENSUM_SHARED") or Path(__file__).resolve().parents[2] / ".." / "shared") / "cleaning-dev"
PAGES = sorted((DEV / "pages").glob("*.input.html"))


@pytest.fixture(scope="module")
def pages() -> list[Path]:
    require(bool(PAGES), f"no cleaning development set at {DEV}")
    return PAGES


@pytest.mark.usefixtures("own_cache")
def test_fetched_and_cleaned_equals_file_and_cleaned(web, pages):
    for k, path in enumerate(pages):
        # served as a site would: bytes as saved, a charset header that may disagree with them
        web.expect_request(f"/tin-tuc/bai-viet-thu-{k:02d}.html").respond_with_data(
            path.read_bytes(), content_type="text/html; charset=iso-8859-1" if k % 2 else "text/html")
    urls = [web.url_for(f"/tin-tuc/bai-viet-thu-{k:02d}.html") for k in range(len(pages))]
    fetched = [inputs.summary_input(item) for item in inputs.read_items(urls)]
    assert len(fetched) == len(pages)
    for path, url, article in zip(pages, urls, fetched):
        from_file = clean_article(path.read_bytes(), fmt="html")
        assert not isinstance(article, Exception), f"{path.name}: {article}"
        assert (article.title, article.paragraphs) == (from_file.title, from_file.paragraphs), path.name
        assert article.url == (from_file.url or url) and article.site  # the page's canonical URL, else the link
        assert article.date is None or len(article.date) == 10  # YYYY-MM-DD
