"""The app assembled from its tabs (viensum.ui): endpoints, queue bounds, launch, auth, samples."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from viensum import httpguard, ui
from viensum.ui import article as ui_article
from viensum.ui import inputs as ui_inputs, runs as ui_runs

HEADLINE = "IOM tiếp tục hỗ trợ Việt Nam triển khai Thoả thuận GCM"


# ---------------------------------------------------------------- app, settings, launch


@pytest.mark.parametrize("value, expected", [
    (None, None),
    ("", None),
    ("ann:secret", [("ann", "secret")]),
    ("ann:secret, bob:pa:ss", [("ann", "secret"), ("bob", "pa:ss")]),
])
def test_parse_auth(value, expected):
    assert ui.parse_auth(value) == expected


@pytest.mark.parametrize("value", ["annsecret", ":secret", "ann:"])
def test_parse_auth_refuses_malformed(value):
    from viensum.errors import InputError

    with pytest.raises(InputError, match="user:password"):
        ui.parse_auth(value)


def test_sample_articles_are_the_seeds_and_a_missing_folder_is_fine(seed_texts, tmp_path):
    assert ui_article.sample_articles() == list(seed_texts.values())
    assert ui_article.sample_articles(tmp_path / "absent") == []


def test_app_has_stable_endpoints_and_a_bounded_queue():
    app = ui.build_app()
    names = {fn.api_name for fn in app.fns.values()}
    # two Stop buttons (Article, Batch tabs), each wired: its click stops the run whose token it is given
    stops = {b._id for b in app.blocks.values() if getattr(b, "value", None) == "Stop"}
    clicks = [fn for fn in app.fns.values() if any(t in stops and e == "click" for t, e in fn.targets)]
    assert len(stops) == 2 and {t for fn in clicks for t, _ in fn.targets} == stops
    for fn in clicks:
        run = ui_runs.new_run()
        fn.fn(run)
        assert ui_runs.stopped(run)
        ui_runs.forget_run(run)
    assert {"summarize_article", "summarize_batch", "evaluate"} <= names
    # the page's own plumbing is no endpoint
    assert {fn.api_name for fn in app.fns.values() if fn.api_visibility == "public"} == {
        "summarize_article", "summarize_batch", "evaluate", "summarize_feed"}
    assert app._queue.max_size == ui.QUEUE_SIZE
    assert app._queue.default_concurrency_limit == ui.CONCURRENCY_LIMIT


def test_launch_passes_bounds_and_auth(monkeypatch):
    seen = {}

    class FakeApp:
        def launch(self, **kwargs):
            seen.update(kwargs)

    monkeypatch.setenv("VIENSUM_AUTH", "ann:secret")
    monkeypatch.delenv("GRADIO_SERVER_PORT", raising=False)
    monkeypatch.delenv("GRADIO_SERVER_NAME", raising=False)
    monkeypatch.setattr(ui, "check_port", lambda host, port: None)  # 7860 may be taken on this machine
    ui.launch(FakeApp())
    assert (seen["server_name"], seen["server_port"]) == ("127.0.0.1", 7860)
    assert seen["auth"] == [("ann", "secret")] and seen["max_file_size"] == ui_inputs.MAX_FILE_SIZE
    assert seen["share"] is False and seen["show_error"] is False
    # the request-size and login guard wraps every route (viensum.httpguard, docs/RELIABILITY.md)
    [guard] = seen["app_kwargs"]["middleware"]
    assert guard.cls is httpguard.RequestGuard and guard.kwargs == {"max_body": httpguard.MAX_REQUEST_BYTES,
                                                                    "max_upload": httpguard.MAX_UPLOAD_BYTES,
                                                                    "max_unsized": httpguard.MAX_UNSIZED_BYTES}


def test_serve_command_launches_the_app(monkeypatch):
    from viensum.cli import main

    seen = {}
    monkeypatch.setattr(ui, "launch", lambda **kwargs: seen.update(kwargs))
    assert main(["serve", "--host", "0.0.0.0", "--port", "8123", "--share"]) == 0
    assert seen == {"host": "0.0.0.0", "port": 8123, "share": True}


def test_importing_the_app_loads_no_model():
    root = Path(__file__).resolve().parents[2]
    code = ("import sys, viensum.ui; assert 'gradio' not in sys.modules, 'viensum.ui imported gradio'\n"
            "import app; assert 'torch' not in sys.modules and 'transformers' not in sys.modules\n"
            "print('ok')")
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("ok")


@pytest.mark.parametrize("seed, label", [
    ("000_2b5d47eab49b17e5", "Việt Nam đánh giá cao vai trò của Tổ chức Di cư Quốc tế"),
    ("001_7a23386e8a2c9da9", HEADLINE),  # not the site's "Logo báo điện tử ..." line above it
    ("004_4e6816a5523f0c09", "Tỉnh Lạng Sơn tham gia Hội nghị rà soát tình hình triển kha…"),
])
def test_sample_articles_are_labelled_by_their_headline(seed_texts, seed, label):
    assert ui_article.example_label(seed_texts[seed]) == label
