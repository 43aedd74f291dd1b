"""viensum.stages: requests from every kind of input, prepare's outcomes, a Job's round trip, run's records."""
from __future__ import annotations

import pytest

from viensum import stages
from viensum.inputs import Item
from viensum.options import Options
from viensum.results import Article

HTML = ("<p>Hà Nội tổ chức hội nghị về di cư an toàn với đại diện của nhiều tổ chức quốc tế.</p>"
        "<p>Các đại biểu thảo luận về hợp tác quốc tế trong quản lý di cư và bảo vệ người lao động.</p>")
ENGLISH = "The ministry met the chief of the International Organization for Migration in Hanoi on Monday."


def test_requests_keep_id_source_and_format_of_every_input():
    item = Item("a", "in.jsonl:1", HTML, fmt="html")
    assert stages.request_of(item) == stages.Request("a", HTML, "in.jsonl:1", "html")
    assert stages.request_of(item, "b").id == "b"
    assert stages.request_of(ValueError("unreadable"), "c") == stages.Request("c", error="unreadable")
    article = Article("T", ["p"])
    assert stages.request_of(article).text is article


def test_prepare_cleans_with_the_readers_format():
    job = stages.prepare(Item("a", "in.jsonl:1", HTML, fmt="html"), Options.make())
    assert job.active and job.article.input_format == "html" and not any("<p>" in p for p in job.article.paragraphs)
    assert (job.summary.id, job.summary.source_file) == ("a", "in.jsonl:1")
    guessed = stages.prepare(Item("a", "x", HTML), Options.make())
    assert guessed.article.input_format == "text"  # two <p> elements do not look like a page to a guess


@pytest.mark.parametrize("raw, reason, message", [
    (ENGLISH, stages.LANGUAGE, "not Vietnamese"),
    ("", stages.INPUT, "empty"),
    (b"\x00\x01\x02" * 50, stages.INPUT, ""),
])
def test_prepare_fails_a_bad_article_without_raising(raw, reason, message):
    job = stages.prepare(stages.Request("x", raw), Options.make())
    assert not job.active and job.reason == reason and message in job.summary.error
    assert "\n" not in job.summary.error


def test_budget_cuts_and_a_job_survives_its_json_round_trip():
    long = Article("Tiêu đề", ["Câu một dài dòng về hội nghị. " * 40, "Đoạn hai."])
    job = stages.prepare(long, Options.make(max_chars=200))
    assert job.summary.truncated and job.work is not job.article and len(job.work.body) <= 200
    again = stages.Job.from_json(job.to_json())
    assert again.summary == job.summary and again.work == job.work and again.article == job.article
    whole = stages.prepare(long, Options.make(max_chars=200), budget=False)
    assert not whole.summary.truncated and whole.work is whole.article


def test_run_stamps_failed_jobs_like_the_others(fake_recipes):
    from viensum.summarizer import Summarizer

    summarizer = Summarizer("fake-two-stage")
    jobs = [stages.prepare(Item("ok", "a.txt", "Tiêu đề\n\nHà Nội là thủ đô của Việt Nam. Giá xăng giảm."),
                           summarizer.options),
            stages.failed(Item("bad", "b.txt", error="unreadable"), "unreadable")]
    good, bad = summarizer.run(jobs)
    assert good.ok and good.summary_vi and good.source_file == "a.txt"
    assert (bad.error, bad.recipe, bad.models, bad.source_file) == ("unreadable", "fake-two-stage", good.models, "b.txt")
    assert bad.settings == good.settings and bad.timings["total"] == 0
