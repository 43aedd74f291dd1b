"""What the model received, on every runner: the fake backend records its constructor and
generate() keyword arguments, so these tests fail if an option is dropped on its way to the model
(not only on its way into ``Summary.settings``, which is built from the options object itself)."""
from __future__ import annotations

import json

import pytest
from samples import run_batch

from fakes import LOG_ENV, FakeBackend, received

LOADING = ["--device", "cpu", "--int8", "--runtime", "transformers"]
GENERATION = ["--beams", "3", "--max-new-tokens", "21", "--batch-size", "5"]
OPTIONS = dict(device="cpu", quantize="int8", runtime="transformers", num_beams=3, max_new_tokens=21, batch_size=5)


def _events() -> list[dict]:
    """This process's fakes, as the log would list them."""
    out = []
    for b in FakeBackend.instances:
        out.append({"event": "load", "model": b.spec.name, **b.init_kwargs})
        out.extend({"event": "generate", "model": b.spec.name, **kw} for kw in b.generate_kwargs)
    return out


def _check(events: list[dict], *, loading: bool = True, max_new_tokens: int | None = 21, batch_size: int = 5) -> None:
    loads = {e["model"]: e for e in events if e["event"] == "load"}
    assert set(loads) == {"fake-vi-summarizer", "fake-translator"}
    if loading:
        assert all((e["device"], e["quantize"]) == ("cpu", "int8") for e in loads.values())
    calls = [e for e in events if e["event"] == "generate"]
    assert calls and all(e["num_beams"] == 3 and e["batch_size"] == batch_size for e in calls)
    summarizer = [e for e in calls if e["model"] == "fake-vi-summarizer"]
    translator = [e for e in calls if e["model"] == "fake-translator"]
    assert summarizer and translator
    assert all(e["max_new_tokens"] == max_new_tokens for e in summarizer)
    assert all(e["max_new_tokens"] is None for e in translator)  # a sentence's length is the model's own


@pytest.fixture
def page(seed_files, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / seed_files[0].name
    path.write_bytes(seed_files[0].read_bytes())
    return path


def test_the_api_passes_every_option_to_the_model(fake_recipes, page):
    import viensum

    assert viensum.summarize(page.read_bytes(), "fake-two-stage", **OPTIONS).ok
    _check(_events())


def test_the_cli_passes_every_option_to_the_model(fake_recipes, page, tmp_path):
    from viensum.cli import main

    assert main(["summarize", str(page), "-o", str(tmp_path / "o.jsonl"), "--model", "fake-two-stage",
                 *LOADING, *GENERATION]) == 0
    _check(_events())


def test_the_app_passes_its_fields_to_the_model(fake_recipes, page, monkeypatch):
    """The app's fields: recipe, sentences, beams (the server decides where models run)."""
    from viensum.ui import article as ui_article, models as ui_models

    monkeypatch.setattr(ui_models, "_SUMMARIZERS", None)
    rows, _, _, _ = run_batch([str(page)], "fake-two-stage", 2, 3)
    assert rows[0][1] == "ok"
    list(ui_article.summarize_article(page.read_text(encoding="utf-8"), None, "fake-two-stage", 2, 3, False))
    _check(_events(), loading=False, max_new_tokens=None, batch_size=8)


@pytest.mark.slow
def test_the_ray_runner_passes_every_option_to_the_model(ray_local, fake_recipes, page, tmp_path, monkeypatch):
    """Ray's model actors run in other processes: their fakes write what they received to a log."""
    from viensum.cli import main

    log = tmp_path / "received.jsonl"
    monkeypatch.setenv(LOG_ENV, str(log))  # VIENSUM_* variables reach Ray's workers
    out = tmp_path / "ray.jsonl"
    assert main(["summarize", str(page.parent), "-o", str(out), "--model", "fake-two-stage", "--runner", "ray",
                 "--workers", "1", *LOADING, *GENERATION]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["error"] is None
    events = received(log)
    assert {e["pid"] for e in events} != {__import__("os").getpid()}  # recorded by the workers
    _check(events)
