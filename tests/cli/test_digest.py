"""``viensum digest`` as a user runs it: a feed in, one page out; a re-run updates it without
summarising again; the JSON and Markdown formats."""
from __future__ import annotations

import json

from webserver import article_html, rss, viensum


def serve_feed(web, n: int = 3) -> list[str]:
    urls = []
    for k in range(n):
        path = f"/xa-hoi/tin-xa-hoi-so-{k}-trong-ngay-4790{k:03d}.html"
        web.expect_request(path).respond_with_data(
            article_html(f"Tin xã hội số {k} trong ngày", site="Báo Mẫu"), content_type="text/html",
            headers={"ETag": f'"p{k}"'})
        urls.append(web.url_for(path))
    web.expect_request("/rss/xa-hoi.rss").respond_with_data(
        rss([(f"t{k}", u, f"Fri, 0{k + 1} May 2024 08:00:00 +0700") for k, u in enumerate(urls)]),
        content_type="application/rss+xml")
    return urls


def test_digest_writes_one_page_and_a_rerun_reuses_it(web, tmp_path):
    urls = serve_feed(web)
    out = tmp_path / "digest.html"
    proc = viensum("digest", web.url_for("/rss/xa-hoi.rss"), "-o", str(out), tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "3 articles: 3 summarised, 0 unchanged" in proc.stderr
    page = out.read_text(encoding="utf-8")
    assert page.count("<article>") == 3 and all(u in page for u in urls) and "Báo Mẫu" in page
    assert page.index("Tin xã hội số 2") < page.index("Tin xã hội số 0")  # newest first
    again = viensum("digest", web.url_for("/rss/xa-hoi.rss"), "-o", str(out), tmp_path=tmp_path)
    assert again.returncode == 0 and "3 articles: 0 summarised, 3 unchanged" in again.stderr
    assert out.read_text(encoding="utf-8").count("<article>") == 3


def test_digest_json_lists_failed_articles_with_their_reason(web, tmp_path):
    urls = serve_feed(web, 2)
    out = tmp_path / "digest.json"
    web.expect_request("/trang-khong-ton-tai-nua-4790999.html").respond_with_data("", status=404)
    proc = viensum("digest", web.url_for("/rss/xa-hoi.rss"), web.url_for("/trang-khong-ton-tai-nua-4790999.html"),
                   "-o", str(out), tmp_path=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "answered 404" in proc.stderr
    articles = json.loads(out.read_text(encoding="utf-8"))["articles"]
    assert [a["url"] for a in articles[:2]] == urls and articles[0]["site"] == "Báo Mẫu"
    assert articles[0]["summary_vi"] and articles[0]["title_vi"] == "Tin xã hội số 0 trong ngày"
    assert articles[2]["error"].startswith("the server answered 404")
    md = tmp_path / "digest.md"
    assert viensum("digest", web.url_for("/rss/xa-hoi.rss"), "-o", str(md), tmp_path=tmp_path).returncode == 0
    assert md.read_text(encoding="utf-8").startswith("# Vietnamese news in English")


def test_digest_passes_its_options_to_the_model(web, tmp_path, fake_recipes, own_cache):
    """In-process with the fake models: what they received, not what the page says."""
    from fakes import FakeBackend

    from viensum.cli import main

    serve_feed(web, 2)
    out = tmp_path / "digest.json"
    assert main(["digest", web.url_for("/rss/xa-hoi.rss"), "-o", str(out), "--model", "fake-two-stage",
                 "--beams", "3", "--batch-size", "5", "--device", "cpu", "--int8", "--runtime", "transformers"]) == 0
    loads = {b.spec.name: b.init_kwargs for b in FakeBackend.instances}
    assert set(loads) == {"fake-vi-summarizer", "fake-translator"}
    assert all((kw["device"], kw["quantize"]) == ("cpu", "int8") for kw in loads.values())
    calls = [kw for b in FakeBackend.instances for kw in b.generate_kwargs]
    assert calls and all((kw["num_beams"], kw["batch_size"]) == (3, 5) for kw in calls)
    assert [a["summary_en"].startswith("[en]") for a in json.loads(out.read_text(encoding="utf-8"))["articles"]] == \
        [True, True]


def test_digest_refuses_an_output_name_whose_format_it_cannot_write(tmp_path):
    """``-o digest.pdf`` is refused in one line before anything is fetched (it used to write HTML into it);
    ``--format`` says what to write whatever the name."""
    out = tmp_path / "digest.pdf"
    proc = viensum("digest", "https://example.invalid/rss", "-o", str(out), tmp_path=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and not out.exists()
    assert proc.stderr.strip().splitlines()[-1] == (
        "viensum: error: cannot write a digest as .pdf: name the output .html, .md or .json, or give --format")


def test_one_article_is_one_article(web, tmp_path):
    [url] = serve_feed(web, 1)
    proc = viensum("digest", url, "-o", str(tmp_path / "d.md"), tmp_path=tmp_path)
    assert proc.returncode == 0 and "viensum: 1 article: 1 summarised" in proc.stderr
