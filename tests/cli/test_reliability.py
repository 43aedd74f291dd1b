"""Issue 12's reproductions (nothing lost, nothing unbounded), each a test that failed before the fix,
and property-based fuzzing of the readers and the command line (hypothesis)."""
from __future__ import annotations

import io as stdio
import json
import os
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from require import require_module
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viensum import inputs
from viensum.cli import build_parser, main
from viensum.errors import InputError

# 40 examples per property keeps the suite fast; VIENSUM_FUZZ_EXAMPLES=1000 for a deeper pass
FUZZ = settings(max_examples=int(os.environ.get("VIENSUM_FUZZ_EXAMPLES", "40")), deadline=5000,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# ---------------------------------------------------------------- 12.1 a failed run destroys nothing


@pytest.mark.parametrize("model, message", [("vit5-bsae", "unknown model or recipe"),
                                            ("two-stage", "viensum models download")])
def test_a_failing_run_leaves_the_previous_results(no_models, seed_files, tmp_path, capsys, model, message):
    previous = tmp_path / "prev.jsonl"
    previous.write_text('{"id": "earlier", "summary_vi": "kept"}\n', encoding="utf-8")
    assert main(["summarize", str(seed_files[1]), "--model", model, "-o", str(previous)]) == 1
    assert message in capsys.readouterr().err
    assert previous.read_text(encoding="utf-8") == '{"id": "earlier", "summary_vi": "kept"}\n'
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "empty-store") == ["prev.jsonl"]


def test_the_article_is_not_its_own_output(no_models, seed_files, tmp_path, capsys):
    victim = tmp_path / "victim.txt"
    shutil.copy(seed_files[0], victim)
    assert main(["summarize", str(victim), "-o", str(victim)]) == 1
    assert "also an input" in capsys.readouterr().err
    assert victim.read_bytes() == seed_files[0].read_bytes()


def test_translate_output_is_written_only_when_complete(no_models, seed_files, tmp_path, capsys):
    previous = tmp_path / "prev.txt"
    previous.write_text("kept\n")
    assert main(["translate", str(seed_files[0]), "-o", str(previous)]) == 1
    assert "viensum models download opus-mt-vi-en" in capsys.readouterr().err
    assert previous.read_text() == "kept\n"


# ---------------------------------------------------------------- 12.2 file names that are not UTF-8


@pytest.fixture
def odd_names(seed_files, tmp_path) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    for name, seed in zip((b"a.txt", b"b\xff.txt", b"c.txt"), seed_files):
        with open(os.path.join(os.fsencode(folder), name), "wb") as fh:
            fh.write(seed.read_bytes())
    return folder


def test_a_non_utf8_file_name_does_not_stop_the_batch(no_models, odd_names, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    assert main(["summarize", str(odd_names), "-o", str(out)]) == 0, capsys.readouterr().err
    records = _records(out)
    assert [r["id"] for r in records] == ["a", "b\\xff", "c"]
    assert all(r["error"] is None and r["summary_vi"] for r in records)
    assert inputs.unprintable(records[1]["source_file"]) == os.fsencode(odd_names) + b"/b\xff.txt"  # lossless

    cleaned = tmp_path / "cleaned"
    assert main(["clean", str(odd_names), "-o", str(cleaned)]) == 0
    assert sorted(p.name for p in cleaned.iterdir()) == ["a.txt", "b_xff.txt", "c.txt"]


# ---------------------------------------------------------------- 12.3 duplicate and missing ids


def test_duplicate_and_missing_ids_are_refused_before_the_run(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    ids = ["r0000", "dup", "r0002", "dup", "r0004", None]
    source.write_text("".join(json.dumps({"id": i, "text": "Bài báo."}) + "\n" for i in ids), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "r0000", "error": null}\n', encoding="utf-8")
    assert main(["summarize", str(source), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "line 4 repeats id 'dup'" in err and "line 6 has no id" in err
    require_module("ray")
    from viensum.scale import run_ray

    with pytest.raises(InputError, match="line 4 repeats id 'dup'.*line 6 has no id"):
        run_ray(source, out)
    assert out.read_text(encoding="utf-8") == '{"id": "r0000", "error": null}\n'


def test_parquet_ids_are_checked_too(tmp_path):
    pa = require_module("pyarrow")
    require_module("ray")
    import pyarrow.parquet as pq

    from viensum.scale import run_ray

    pq.write_table(pa.table({"id": ["a", "a", None], "text": ["x", "y", "z"]}), tmp_path / "in.parquet")
    with pytest.raises(InputError, match="row 2 repeats id 'a'; row 3 has no id"):
        run_ray(tmp_path / "in.parquet", tmp_path / "out.jsonl")


# ---------------------------------------------------------------- 12.4 clean into the folder it reads


def test_clean_does_not_overwrite_the_raw_page(seed_files, tmp_path, capsys):
    folder = tmp_path / "cl"
    folder.mkdir()
    page = folder / "page.txt"
    shutil.copy(seed_files[0], page)
    assert main(["clean", str(page), "-o", str(folder)]) == 1
    assert "holds the input" in capsys.readouterr().err
    assert page.read_bytes() == seed_files[0].read_bytes()


# ---------------------------------------------------------------- 12.5 zip bombs


def test_a_zip_of_huge_members_is_refused_without_inflating_them(tmp_path, monkeypatch):
    from viensum.ui import inputs as ui_inputs

    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:  # 250 members declared 10 MB each
        for k in range(250):
            zf.writestr(f"m{k:03d}.txt", b"\0" * 64)
        for info in zf.filelist:
            info.file_size = 10 * 1024 * 1024

    def inflating(*args, **kwargs):
        raise AssertionError("a member was inflated")

    monkeypatch.setattr(zipfile.ZipFile, "open", inflating)
    [item] = ui_inputs.batch_items([str(bomb)])
    assert item.name == "bomb.zip" and "the limit is" in item.error


def test_a_really_compressible_member_is_streamed_with_a_cap(tmp_path):
    bomb = tmp_path / "real.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.txt", b"\0" * (20 * 1024 * 1024))  # 20 MB in about 20 KB
        zf.writestr("ok.txt", "Tiêu đề\n\nMột đoạn văn.".encode("utf-8"))
    items = list(inputs.read_items([str(bomb)]))
    assert "over the 5,000,000-byte limit" in items[0].error and items[1].ok


# ---------------------------------------------------------------- 12.7 an output that is a device


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_dev_full_as_output_is_refused_before_reading_it(seed_files, capsys):
    assert main(["summarize", str(seed_files[0]), "--engine", "ray", "-o", "/dev/full"]) == 1
    assert capsys.readouterr().err == ("viensum: error: /dev/full is not a regular file; give a file name, "
                                       "or leave out -o for stdout\n")
    require_module("ray")
    from viensum.scale import run_ray

    with pytest.raises(InputError, match="not a regular file"):
        run_ray(seed_files[0], "/dev/full")


def test_resume_reads_the_output_line_by_line_with_a_bound(tmp_path, monkeypatch):
    from viensum import scale

    out = tmp_path / "out.jsonl"
    # a record over the bound is skipped (redone), not held: only a bound that is applied leaves "c" out
    long = b'{"id": "c", "error": null, "pad": "' + b"x" * 5000 + b'"}'
    out.write_bytes(b'{"id": "a", "error": null}\n' + long + b'\n{"id": "b", "error": "x"}\n')
    monkeypatch.setattr(scale.output, "MAX_OUTPUT_LINE_BYTES", 1000)  # where the resume reader looks it up
    assert scale.output.done_ids(out, "jsonl") == {"a", "b"}
    assert scale.output.done_ids(out, "jsonl", ok_only=True) == {"a"}


# ---------------------------------------------------------------- 12.8 / 12.10 JSONL records


def test_jsonl_given_to_the_local_engine_is_read_as_records(no_models, seed_texts, tmp_path):
    texts = list(seed_texts.values())
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "one", "text": texts[0]}, ensure_ascii=False) + "\n{broken\n"
                      + json.dumps({"id": "two", "text": texts[1]}, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["summarize", str(source), "-o", str(out)]) == 1  # one line failed
    records = _records(out)
    assert [r["id"] for r in records] == ["one", "in.jsonl:2", "two"]
    assert records[0]["summary_vi"] and records[2]["summary_vi"]
    assert records[1]["error"].startswith("line 2: not JSON") and records[1]["source_file"] == f"{source}:2"


@pytest.mark.slow
def test_one_malformed_jsonl_line_does_not_abort_a_ray_run(ray_local, fake_recipes, seed_texts, odd_names, tmp_path):
    from viensum.scale import run_ray

    texts = list(seed_texts.values())
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "one", "text": texts[0]}, ensure_ascii=False) + "\n{broken\n"
                      + json.dumps({"id": "two", "text": texts[1]}, ensure_ascii=False) + "\n", encoding="utf-8")
    stats = run_ray(source, tmp_path / "out.jsonl", model="fake-two-stage", num_workers=1)
    folder_stats = run_ray(odd_names, tmp_path / "odd.jsonl", model="fake-two-stage", num_workers=1)
    assert (stats["done"], stats["failed"]) == (2, 1)
    records = {r["id"]: r for r in _records(tmp_path / "out.jsonl")}
    assert sorted(records) == ["in.jsonl:2", "one", "two"] and records["in.jsonl:2"]["error"].startswith("line 2")
    assert records["one"]["source_file"] == f"{source}:1"
    assert folder_stats["done"] == 3
    assert sorted(r["id"] for r in _records(tmp_path / "odd.jsonl")) == ["a", "b\\xff", "c"]


# ---------------------------------------------------------------- fuzzing


def _no_untyped_failure(items: list) -> None:
    for item in items:
        assert isinstance(item.id, str) and item.id.isprintable() and item.name.isprintable()
        assert (item.text is None) != (item.error is None) or item.text is None


def _read_or_refuse(path) -> str:
    """"read" (well-formed items) or "refused" (one InputError); any other exception fails the test."""
    try:
        items = list(inputs.read_items([str(path)]))
    except InputError:
        return "refused"
    _no_untyped_failure(items)
    return "read"


@FUZZ
@given(data=st.binary(max_size=2000), ext=st.sampled_from([".txt", ".html", ".jsonl", ".zip", ".docx", ".pdf"]))
def test_fuzz_any_bytes_as_any_input_kind(tmp_path, data, ext):
    path = tmp_path / f"input{ext}"
    path.write_bytes(data)
    assert _read_or_refuse(path) in ("read", "refused")


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=20)


@FUZZ
@given(records=st.lists(JSON | st.fixed_dictionaries({"id": st.text(max_size=5), "text": st.text(max_size=50)}),
                        max_size=8),
       junk=st.lists(st.binary(max_size=30), max_size=3))
def test_fuzz_jsonl_records(tmp_path, records, junk):
    path = tmp_path / "in.jsonl"
    lines = [json.dumps(r).encode("utf-8") for r in records] + [j.replace(b"\n", b" ") for j in junk]
    path.write_bytes(b"\n".join(lines))
    try:
        items = list(inputs.read_items([str(path)]))
    except InputError as exc:
        assert "needs its own id" in str(exc)
        return
    _no_untyped_failure(items)
    assert len({item.id for item in items}) == len(items)


@FUZZ
@given(members=st.lists(st.tuples(st.text(min_size=1, max_size=20), st.binary(max_size=300)), max_size=6))
def test_fuzz_zip_members(tmp_path, members):
    path = tmp_path / "in.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members:
            zf.writestr(name.replace("\x00", "_") + ".txt", data)
    items = list(inputs.read_items([str(path)]))
    _no_untyped_failure(items)
    assert len({item.id for item in items}) == len(items)


ARGS = st.lists(st.sampled_from(["clean", "summarize", "translate", "evaluate", "models", "-o", "--format",
                                 "json", "--model", "-", "--max-bytes", "0", "-v", "--input", "html",
                                 "--engine", "ray", "--sentences", "--batch-size"]) | st.text(max_size=12),
                max_size=6)


@FUZZ
@given(argv=ARGS)
def test_fuzz_argument_parsing(argv):
    try:
        build_parser().parse_args(argv)
    except SystemExit as exc:
        assert exc.code in (0, 2)


@FUZZ
@given(args=st.lists(st.sampled_from(["--format", "json", "text", "--input", "html", "auto", "--max-bytes", "7",
                                      "-"]) | st.text(max_size=10), max_size=5),
       stdin=st.binary(max_size=500))
def test_fuzz_clean_command_ends_in_one_line_and_an_exit_status(tmp_path, monkeypatch, capsys, args, stdin):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", stdio.TextIOWrapper(stdio.BytesIO(stdin)))
    try:
        code = main(["clean", *args])
    except SystemExit as exc:  # argparse's usage error
        code = exc.code
    err = capsys.readouterr().err
    assert code in (0, 1, 2)
    assert "Traceback" not in err and "internal error" not in err
    if code == 1:
        assert all(line.startswith("viensum: ") for line in err.splitlines() if line)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_evaluate_plot_to_dev_full_is_refused(tmp_path, capsys):
    preds = tmp_path / "p.jsonl"
    preds.write_text(json.dumps({"id": "a", "prediction": "x y z", "reference": "x y z"}) + "\n")
    assert main(["evaluate", str(preds), "--plot", "/dev/full", "--no-bertscore", "--bootstrap", "0"]) == 1
    assert "not a regular file" in capsys.readouterr().err


def test_a_ray_run_that_cannot_start_leaves_its_output_untouched(tmp_path):
    pa = require_module("pyarrow")
    from viensum import scale
    from viensum.errors import ModelNotAvailable

    class NoModels:
        """What Ray Data yields when the replicas could not load their models (see scale.SummarizerWorker)."""

        def iter_batches(self, **kwargs):
            fatal = json.dumps({"type": "ModelNotAvailable", "message": "", "name": "two-stage", "detail": ""})
            yield pa.table({"id": ["c"], "skipped": [False], "ok": [False], "record": [None], "fatal": [fatal]})

    out = tmp_path / "out.jsonl"
    before = '{"id": "a", "error": "failed before"}\n{"id": "b", "error": null}\n'
    out.write_text(before)
    with pytest.raises(ModelNotAvailable):
        scale.output.consume(NoModels(), out, "jsonl", retry_failed=True)
    assert out.read_text() == before  # the failed record of "a" is still there to retry later
    with pytest.raises(ModelNotAvailable):
        scale.output.consume(NoModels(), tmp_path / "new.jsonl", "jsonl")
    assert not (tmp_path / "new.jsonl").exists()


def test_log_lines_have_the_cli_style(seed_files, tmp_path):
    import subprocess

    env = {**os.environ, "VIENSUM_MODELS_DIR": str(tmp_path / "none"), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "-m", "viensum", "summarize", str(seed_files[0])], env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr
    assert proc.stderr.startswith("viensum: the default models are not installed")
    assert all(line.startswith(("viensum: ", "  viensum models download")) for line in proc.stderr.splitlines())


def test_nul_in_a_file_name_is_an_error_line(tmp_path, capsys):
    assert main(["clean", "a\x00b.txt"]) == 1
    assert capsys.readouterr().err == "viensum: error: a\\u0000b.txt: not a valid file name (it holds a NUL character)\n"
    assert main(["summarize", "x.txt", "-o", str(tmp_path / "o\x00ut")]) == 1
    assert "not a valid file name" in capsys.readouterr().err
