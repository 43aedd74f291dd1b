"""viensum.options: validation on construction, the one CLI-arguments -> Options function, and the same
options giving the same recorded settings through the Python API, the CLI and the web UI handler."""
from __future__ import annotations

import json
import pickle
from typing import Any

import pytest
from fakes import FakeBackend
from samples import run_batch

import viensum
from viensum.cli import build_parser, main
from viensum.errors import InputError
from viensum.options import GenerateOptions, Options, RunOptions, options_from_args


@pytest.mark.parametrize("values, message", [
    ({"runtime": "bogus"}, "unknown runtime 'bogus'"),
    ({"backend": "bogus"}, "unknown runtime 'bogus'"),
    ({"device": "tpu"}, "unknown device 'tpu'"),
    ({"device": "cuda:x"}, "unknown device"),
    ({"device": 0}, "unknown device"),
    ({"quantize": "int4"}, "unknown quantisation"),
    ({"batch_size": 0}, "batch_size must be"),
    ({"batch_size": -3}, "batch_size must be"),
    ({"batch_size": 2.5}, "batch_size must be"),
    ({"sentences": 0}, "sentences must be"),
    ({"sentences": True}, "sentences must be"),
    ({"num_beams": -1}, "num_beams must be"),
    ({"max_new_tokens": 0}, "max_new_tokens must be"),
    ({"max_chars": -1}, "max_chars must be"),
    ({"max_seconds": 0}, "max_seconds must be"),
    ({"translate": "yes"}, "translate must be True or False"),
    ({"model": ""}, "model must be"),
    ({"model": 42}, "model must be"),
    ({"colour": "blue"}, "unknown option: colour"),
    ({"runtime": "transformers", "backend": "ctranslate2"}, "not both"),
])
def test_bad_values_are_input_errors_when_built(values, message):
    with pytest.raises(InputError, match=message):
        Options.make(**values)


def test_good_values_and_the_old_backend_name():
    opts = Options.make(backend="transformers", device="cuda:1", quantize="int8", sentences=2)
    assert opts.run.runtime == "transformers" and opts.run.device == "cuda:1" and opts.generate.sentences == 2
    assert Options.make(backend="ctranslate2", runtime="ctranslate2").run.runtime == "ctranslate2"
    with pytest.raises(Exception):  # frozen: an Options never changes under a running Summarizer
        opts.run.runtime = "auto"
    assert pickle.loads(pickle.dumps(opts)) == opts  # Ray ships it to the workers


def test_settings_hold_every_option_and_the_cache_key_only_what_changes_outputs():
    opts = Options.make(sentences=2, batch_size=4, cache=False, clean=False)
    settings = opts.settings()
    fields = {f for part in (GenerateOptions, RunOptions) for f in part.__dataclass_fields__} - {"model"}
    assert set(settings) == fields
    assert settings["sentences"] == 2 and settings["batch_size"] == 4
    assert opts.cache_key() == Options.make(sentences=2).cache_key()  # batch size, caching, cleaning: same output
    assert opts.cache_key() != Options.make(sentences=3).cache_key()


def _args(*argv: str):
    return build_parser().parse_args(list(argv))


def test_cli_defaults_are_the_api_defaults():
    assert options_from_args(_args("summarize", "x.txt")) == Options()
    assert options_from_args(_args("translate", "x.txt")) == Options.make(batch_size=16)


def test_every_cli_flag_reaches_the_options_and_old_spellings_still_work():
    args = _args("summarize", "x.txt", "--model", "extractive", "--sentences", "2", "--translate", "--beams", "3",
                 "--max-new-tokens", "40", "--batch-size", "5", "--device", "cpu", "--int8", "--backend",
                 "transformers", "--no-clean", "--engine", "ray")
    assert args.runner == "ray"
    assert options_from_args(args) == Options(
        GenerateOptions(model="extractive", sentences=2, translate=True, max_new_tokens=40, num_beams=3, clean=False),
        RunOptions(runtime="transformers", device="cpu", quantize="int8", batch_size=5))
    assert options_from_args(_args("summarize", "x.txt", "--runtime", "ctranslate2")).run.runtime == "ctranslate2"
    assert _args("summarize", "x.txt", "--runner", "ray").runner == "ray"


def test_bad_cli_values_end_in_one_line(tmp_path, capsys):
    page = tmp_path / "a.txt"
    page.write_text("Một bài báo.", encoding="utf-8")
    assert main(["summarize", str(page), "--sentences", "0"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "viensum: error: sentences must be a whole number of at least 1, not 0"


# ---------------------------------------------------------------- one options object, every entry point

SAME = {"model": "fake-two-stage", "sentences": 2, "num_beams": 2}  # what the UI's fields can express


def _cli_settings(tmp_path, page, *flags) -> dict:
    out = tmp_path / "cli.jsonl"
    assert main(["summarize", str(page), "-o", str(out), *flags]) == 0
    return json.loads(out.read_text(encoding="utf-8"))["settings"]


def _beams_received(run) -> tuple[Any, list]:
    """What ``run()`` returned, and the beams of every generate() call the fake models received during it."""
    before = {id(b): len(b.generate_kwargs) for b in FakeBackend.instances}
    value = run()
    return value, [kw["num_beams"] for b in FakeBackend.instances for kw in b.generate_kwargs[before.get(id(b), 0):]]


def test_same_options_same_settings_through_api_cli_and_ui(fake_recipes, seed_files, tmp_path, monkeypatch):
    from viensum.ui import models as ui_models
    from viensum.summarize import clear_cache

    clear_cache()  # no summary cached by earlier tests: each runner below makes the models run
    monkeypatch.setattr(ui_models, "_SUMMARIZERS", None)
    page = seed_files[0]
    api, api_beams = _beams_received(lambda: viensum.summarize(page.read_bytes(), **SAME))
    via_summarizer, summarizer_beams = _beams_received(
        lambda: viensum.Summarizer(options=Options.make(**SAME)).summarize(page.read_bytes()))
    cli, cli_beams = _beams_received(lambda: _cli_settings(tmp_path, page, "--model", "fake-two-stage",
                                                           "--sentences", "2", "--beams", "2"))
    (rows, jsonl, _, _), ui_beams = _beams_received(lambda: run_batch([str(page)], "fake-two-stage", 2, 2))
    assert rows[0][1] == "ok"
    ui_settings = json.loads(jsonl.splitlines()[0])["settings"]
    assert api.ok and api.settings == via_summarizer.settings == cli == ui_settings
    assert api.settings["sentences"] == 2 and api.settings["num_beams"] == 2
    # what the models received, runner by runner (the settings above are the options object's own record)
    for beams in (api_beams, summarizer_beams, cli_beams, ui_beams):
        assert beams and set(beams) == {2}


def test_run_options_reach_the_summary_through_api_and_cli(fake_recipes, seed_files, tmp_path):
    flags = ["--model", "fake-two-stage", "--runtime", "transformers", "--device", "cpu", "--int8",
             "--batch-size", "3", "--max-new-tokens", "12", "--translate"]
    cli = _cli_settings(tmp_path, seed_files[1], *flags)
    api = viensum.summarize(seed_files[1].read_bytes(), "fake-two-stage", backend="transformers", device="cpu",
                            quantize="int8", batch_size=3, max_new_tokens=12, translate=True)
    assert cli == api.settings
    assert (cli["runtime"], cli["device"], cli["quantize"], cli["batch_size"]) == ("transformers", "cpu", "int8", 3)
