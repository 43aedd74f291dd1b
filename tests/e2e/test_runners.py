"""One input through every runner: the local CLI, the app's batch handler and Ray write the same records.

Each runner calls the same stages (viensum.stages); this is the check that they do, on the input
where they once parted: JSONL records whose article is in an ``html`` field that does not look like
HTML to a guess (``<p>…</p><p>…</p>``), next to a plain one, an English one and one with no text.
"""
from __future__ import annotations

import json

import pytest
from samples import run_batch

HTML_BODY = ("<p>Hà Nội tổ chức hội nghị về di cư an toàn với đại diện của nhiều tổ chức quốc tế.</p>"
             "<p>Các đại biểu thảo luận về hợp tác quốc tế trong quản lý di cư và bảo vệ người lao động.</p>"
             "<p>Hai bên cam kết tăng cường phối hợp trong thời gian tới để bảo vệ người di cư.</p>")
RECORDS = [
    {"id": "html-record", "html": HTML_BODY},
    {"id": "text-record", "text": "Giá xăng giảm mạnh\n\nGiá xăng trong nước giảm mạnh từ chiều nay theo quyết định "
                                 "của liên bộ Công Thương và Tài chính. Đây là lần giảm thứ ba liên tiếp."},
    {"id": "english", "text": "The ministry met the chief of the International Organization for Migration in "
                              "Hanoi on Monday. Both sides discussed safe and orderly migration."},
    {"id": "no-text", "title": "nothing else"},
]
IGNORED = ("settings", "timings")  # what the runner was asked with, and how long it took


def _by_id(jsonl: str) -> dict[str, dict]:
    records = [json.loads(line) for line in jsonl.splitlines() if line.strip()]
    return {r["id"]: {k: v for k, v in r.items() if k not in IGNORED} for r in records}


@pytest.fixture
def source(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # every runner names the input "in.jsonl", as the app shows an upload
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    return path


def _cli(tmp_path) -> dict[str, dict]:
    from viensum.cli import main

    assert main(["summarize", "in.jsonl", "-o", "cli.jsonl", "--model", "fake-two-stage"]) == 1  # two failed
    return _by_id((tmp_path / "cli.jsonl").read_text(encoding="utf-8"))


def _app(source, monkeypatch) -> dict[str, dict]:
    from viensum.ui import models as ui_models

    monkeypatch.setattr(ui_models, "_SUMMARIZERS", None)  # no summaries cached by earlier tests
    _, jsonl, _, _ = run_batch([str(source)], "fake-two-stage", 3, 0)
    return _by_id(jsonl)


@pytest.mark.slow
def test_cli_app_and_ray_write_identical_records(fake_recipes, ray_local, source, tmp_path, monkeypatch):
    from viensum.scale import run_ray

    cli = _cli(tmp_path)
    app = _app(source, monkeypatch)
    stats = run_ray("in.jsonl", "ray.jsonl", model="fake-two-stage", num_workers=1)
    ray = _by_id((tmp_path / "ray.jsonl").read_text(encoding="utf-8"))
    assert stats["done"] == 2 and stats["failed"] == 2
    assert set(cli) == {r["id"] for r in RECORDS}
    for id_ in cli:
        assert cli[id_] == app[id_] == ray[id_], id_
    html = cli["html-record"]
    assert html["article"]["input_format"] == "html"  # the record's field, not a guess from the content
    assert not any("<p>" in p for p in html["article"]["paragraphs"]) and html["summary_vi"]
    assert html["source_file"] == "in.jsonl:1"
    assert "not Vietnamese" in cli["english"]["error"] and cli["no-text"]["error"]
    assert cli["no-text"]["recipe"] == "fake-two-stage"  # error records carry what would have produced them


def test_cli_and_app_write_identical_records(fake_recipes, source, tmp_path, monkeypatch):
    """The same without Ray, so it runs with the quick tests."""
    cli = _cli(tmp_path)
    app = _app(source, monkeypatch)
    assert cli == app
    assert cli["html-record"]["article"]["input_format"] == "html"
