"""The Ray engine: a local Ray instance, tiny real models, hundreds of articles, resumable output."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from samples import run_batch

from fakes import FAIL_MARKER
from viensum.errors import InputError, ModelNotAvailable
from viensum.scale import run_ray

N_ARTICLES = 300


def _articles(seed_texts: dict[str, str], n: int, start: int = 0) -> list[dict]:
    """n distinct articles (no summary cache hits): the seeds in turn, numbered inside their first paragraph."""
    seeds = [text.split("\n") for text in seed_texts.values()]
    out = []
    for i in range(start, start + n):
        lines = list(seeds[i % len(seeds)])
        first = next(k for k, line in enumerate(lines) if len(line) > 200)
        lines[first] += f" Đây là bài viết số {i} của bộ thử nghiệm."
        out.append({"id": f"art-{i:04d}", "text": "\n".join(lines)})
    return out


def _write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.slow
def test_tiny_model_run_records_every_id_once_and_resumes(ray_local, tiny_store, seed_texts, tmp_path):
    records = _articles(seed_texts, N_ARTICLES) + [{"id": "empty", "text": ""}]
    source = _write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"

    fast = {"num_workers": 1, "batch_size": 16, "num_beams": 1, "max_new_tokens": 16}  # random weights: keep it short
    stats = run_ray(source, out, **fast)

    assert (stats["total"], stats["done"], stats["failed"], stats["skipped"]) == (N_ARTICLES + 1, N_ARTICLES, 1, 0)
    written = _records(out)
    assert Counter(r["id"] for r in written) == Counter(r["id"] for r in records)
    by_id = {r["id"]: r for r in written}
    assert by_id["empty"]["error"] and not by_id["empty"]["summary_vi"]
    good = [r for r in written if r["id"] != "empty"]
    assert all(r["error"] is None for r in good)
    # the tiny default recipe really ran, and the cleaner's article travelled with each summary
    assert {r["recipe"] for r in good} == {"two-stage"}
    assert all(r["models"] and r["article"]["paragraphs"] for r in good)
    assert any("bài viết số 7 " in p for p in by_id["art-0007"]["article"]["paragraphs"])

    # a rerun over a grown input summarises only the new articles
    new = _articles(seed_texts, 25, start=N_ARTICLES)
    _write_jsonl(source, records + new)
    again = run_ray(source, out, **fast)
    assert (again["total"], again["done"], again["failed"], again["skipped"]) == (N_ARTICLES + 26, 25, 0, N_ARTICLES + 1)
    assert Counter(r["id"] for r in _records(out)) == Counter(r["id"] for r in records + new)

    # retrying failures replaces the failed record instead of adding a second one
    retry = run_ray(source, out, retry_failed=True, **fast)
    assert (retry["done"], retry["failed"], retry["skipped"]) == (0, 1, N_ARTICLES + 25)
    assert Counter(r["id"] for r in _records(out)) == Counter(r["id"] for r in records + new)


@pytest.mark.slow
def test_folder_of_files_to_parquet_with_fake_models(ray_local, fake_recipes, seed_files, tmp_path):
    import pyarrow.parquet as pq

    folder = tmp_path / "articles"
    (folder / "more").mkdir(parents=True)  # not read: a folder is read like the local engine does
    for p in seed_files:
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / "utf16.txt").write_bytes(seed_files[0].read_text(encoding="utf-8").encode("utf-16"))
    (folder / "blank.html").write_text("   \n", encoding="utf-8")
    lines = seed_files[1].read_text(encoding="utf-8").split("\n")
    first = next(k for k, line in enumerate(lines) if len(line) > 200)
    lines[first] += " " + FAIL_MARKER  # inside prose, where the cleaner keeps it
    (folder / "broken.txt").write_text("\n".join(lines), encoding="utf-8")
    (folder / "notes.md").write_text("not an article", encoding="utf-8")  # ignored: not .txt/.html
    (folder / "more" / "nested.txt").write_bytes(seed_files[2].read_bytes())
    out = tmp_path / "out.parquet"

    stats = run_ray(folder, out, model="fake-two-stage", output_format="parquet", num_workers=1, batch_size=4)

    table = pq.read_table(out)
    rows = {r["id"]: r for r in table.to_pylist()}
    expected = {p.stem for p in seed_files} | {"utf16", "blank", "broken"}
    assert sorted(table.column("id").to_pylist()) == sorted(expected)
    assert (stats["done"], stats["failed"]) == (6, 2)
    assert rows["blank"]["error"]
    assert "fake model failure" in rows["broken"]["error"]
    # the batch-mates of the failing article were summarised all the same
    assert all(rows[i]["error"] is None and rows[i]["summary_vi"] for i in expected - {"blank", "broken"})
    assert rows["utf16"]["summary_vi"] == rows[seed_files[0].stem]["summary_vi"]
    assert json.loads(rows[seed_files[0].stem]["models"])  # nested results are JSON text in Parquet
    assert rows[seed_files[0].stem]["summary_en"].startswith("[en]")

    (folder / "late.txt").write_bytes(seed_files[2].read_bytes())
    again = run_ray(folder, out, model="fake-two-stage", output_format="parquet", num_workers=1)
    assert (again["done"], again["skipped"], again["failed"]) == (1, 8, 0)
    assert Counter(pq.read_table(out).column("id").to_pylist()) == Counter(expected | {"late"})


@pytest.mark.slow
def test_single_article_file_is_its_own_id(ray_local, fake_recipes, seed_files, tmp_path):
    stats = run_ray(seed_files[3], tmp_path / "out.jsonl", model="fake-chat", num_workers=1)
    assert (stats["total"], stats["done"]) == (1, 1)
    [record] = _records(tmp_path / "out.jsonl")
    assert record["id"] == seed_files[3].stem and record["recipe"] == "fake-chat" and record["summary_vi"]


@pytest.mark.slow
def test_missing_model_stops_the_run_with_the_viensum_error(ray_local, tmp_path, monkeypatch, seed_texts):
    monkeypatch.setenv("VIENSUM_MODELS_DIR", str(tmp_path / "empty-store"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    source = _write_jsonl(tmp_path / "in.jsonl", _articles(seed_texts, 3))
    with pytest.raises(ModelNotAvailable, match="viensum models download"):
        run_ray(source, tmp_path / "out.jsonl", model="two-stage", num_workers=1)


@pytest.mark.slow
def test_parquet_input_with_integer_ids_and_missing_columns(ray_local, fake_recipes, seed_texts, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    texts = list(seed_texts.values())
    pq.write_table(pa.table({"id": list(range(len(texts))), "text": texts, "source": ["x"] * len(texts)}),
                   tmp_path / "in.parquet")
    stats = run_ray(tmp_path / "in.parquet", tmp_path / "out.jsonl", model="fake-cross-lingual", num_workers=1)
    assert stats["done"] == len(texts)
    assert sorted(r["id"] for r in _records(tmp_path / "out.jsonl")) == [str(i) for i in range(len(texts))]

    _write_jsonl(tmp_path / "bad.jsonl", [{"key": "a", "text": "x"}])
    with pytest.raises(InputError, match="needs its own id: .*bad.jsonl: line 1 has no id"):
        run_ray(tmp_path / "bad.jsonl", tmp_path / "out2.jsonl", model="fake-two-stage")


@pytest.mark.slow
def test_every_option_reaches_the_workers_and_all_entry_points_record_the_same_settings(
        ray_local, fake_recipes, seed_files, tmp_path):
    """The same options through the Python API, the CLI (local and Ray), the UI handler and run_ray."""
    import viensum
    from viensum.cli import main
    from viensum.options import Options

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / seed_files[0].name).write_bytes(seed_files[0].read_bytes())
    page = folder / seed_files[0].name

    def cli(*flags: str) -> dict:
        out = tmp_path / f"cli-{len(list(tmp_path.iterdir()))}.jsonl"
        assert main(["summarize", str(folder), "-o", str(out), *flags]) == 0
        return _records(out)[0]["settings"]

    # 1. every option the UI has a field for: API, CLI, Ray, UI
    ui_like = {"model": "fake-two-stage", "sentences": 2, "num_beams": 2}
    api = viensum.summarize(page.read_bytes(), **ui_like).settings
    flags = ["--model", "fake-two-stage", "--sentences", "2", "--beams", "2"]
    rows, jsonl, _, _ = run_batch([str(page)], "fake-two-stage", 2, 2)
    assert rows[0][1] == "ok"
    ui_settings = json.loads(jsonl.splitlines()[0])["settings"]
    assert api == cli(*flags) == cli(*flags, "--runner", "ray", "--workers", "1") == ui_settings

    # 2. the options the Ray engine used to drop (--backend, --device, --int8, --no-clean) and the rest
    flags = ["--model", "fake-two-stage", "--backend", "transformers", "--device", "cpu", "--int8", "--no-clean",
             "--translate", "--max-new-tokens", "30", "--batch-size", "3", "--sentences", "1"]
    options = Options.make(model="fake-two-stage", runtime="transformers", device="cpu", quantize="int8", clean=False,
                           translate=True, max_new_tokens=30, batch_size=3, sentences=1)
    api = viensum.Summarizer(options=options).summarize(page.read_bytes()).settings
    stats = run_ray(folder, tmp_path / "api-ray.jsonl", options=options, num_workers=1)
    assert stats["done"] == 1
    via_ray = _records(tmp_path / "api-ray.jsonl")[0]["settings"]
    assert api == cli(*flags) == cli(*flags, "--engine", "ray", "--workers", "1") == via_ray
    assert (api["runtime"], api["device"], api["quantize"], api["clean"]) == ("transformers", "cpu", "int8", False)


@pytest.mark.slow
def test_ray_runner_is_quiet_by_default(seed_files, tmp_path):
    """A normal run prints its summary line, not Ray's logging (issue 13, item 8)."""
    folder = tmp_path / "in"
    folder.mkdir()
    for p in seed_files[:2]:
        (folder / p.name).write_bytes(p.read_bytes())
    env = {**os.environ, "VIENSUM_MODELS_DIR": str(tmp_path / "no-models"), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-m", "viensum", "summarize", str(folder), "--runner", "ray",
                           "--model", "extractive", "--workers", "1", "-o", str(tmp_path / "out.jsonl")],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith("viensum: total 2, done 2")
    assert not [line for line in lines if " INFO " in line or " WARNING " in line or "Traceback" in line]
    assert len(lines) <= 2  # the summary line, and at most Ray's C++ core line about actor arguments


def _missing(d: Path) -> Path:
    return d / "nowhere.jsonl"


def _files(*names: str):
    def make(d: Path) -> Path:
        for name in names:
            (d / name).write_text("", encoding="utf-8")
        return d
    return make


@pytest.mark.parametrize("make, kwargs, message", [
    (_missing, {}, "input not found"),
    (_files("a.parquet", "b.txt"), {"input_format": "parquet"}, "cannot read"),
    (_files("x.csv"), {}, "no articles"),
    (_files("a.jsonl"), {"output_format": "csv"}, "unknown output format"),
    (_files("a.jsonl"), {"input_format": "xml"}, "unknown input format"),
    (_files("a.jsonl"), {"batch_size": 0}, "at least 1"),
])
def test_bad_arguments_are_input_errors(tmp_path, make, kwargs, message):
    source = tmp_path / "src"
    source.mkdir()
    with pytest.raises(InputError, match=message):
        run_ray(make(source), tmp_path / "out.jsonl", **kwargs)


def test_output_of_the_wrong_shape_is_refused(tmp_path):
    (tmp_path / "a.jsonl").write_text("")
    (tmp_path / "folder").mkdir()
    (tmp_path / "file").write_text("")
    with pytest.raises(InputError, match="is a folder"):
        run_ray(tmp_path / "a.jsonl", tmp_path / "folder")
    with pytest.raises(InputError, match="is a file"):
        run_ray(tmp_path / "a.jsonl", tmp_path / "file", output_format="parquet")


def test_half_written_line_is_redone_not_fatal(tmp_path):
    from viensum.scale.output import _JsonlWriter, done_ids

    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "a", "error": null}\n{"id": "b", "err', encoding="utf-8")
    assert done_ids(out, "jsonl") == {"a"}
    with _JsonlWriter(out) as w:
        w.write('{"id": "b", "error": null}')
    assert [r["id"] for r in _records(out)] == ["a", "b"]


def test_viensum_stays_usable_without_ray():
    # ray hidden as if not installed: import and the library work, run_ray explains the extra
    code = (
        "import sys; sys.modules['ray'] = None\n"
        "import viensum, viensum.scale, viensum.cli\n"
        "viensum.cli.build_parser()\n"
        "from viensum.errors import ViensumError\n"
        "try:\n"
        "    viensum.scale.run_ray('in.jsonl', 'out.jsonl')\n"
        "except ViensumError as e:\n"
        "    print(e)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "pip install 'viensum[ray]'" in done.stdout


def test_importing_viensum_does_not_import_ray():
    code = "import sys, viensum, viensum.scale; print(any(m == 'ray' or m.startswith('ray.') for m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "False", done.stderr
