"""viensum.evaluate inputs: directories, JSONL (incl. summarize output), JSON and CSV give the same scores."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from viensum.errors import InputError
from viensum.evaluate import evaluate, load_texts

ROOT = Path(__file__).resolve().parents[2]
REFS = ROOT / "seeds" / "refs"

DATA = {
    "a": ("Vietnam praised IOM's leading role.", ["Vietnam values IOM's leading role.", "IOM leads on migration."]),
    "b": ("", ["The council met in Geneva."]),
    "c": ("Delegates met in Hanoi on Monday.", ["A meeting took place in Hanoi."]),
}


def _expected():
    return evaluate({k: p for k, (p, _) in DATA.items()}, {k: r for k, (_, r) in DATA.items()}, bootstrap=50)


def _write_dirs(tmp: Path) -> tuple[Path, Path]:
    pred, ref = tmp / "pred", tmp / "ref"
    pred.mkdir()
    ref.mkdir()
    for key, (p, refs) in DATA.items():
        (pred / f"{key}.txt").write_text(p, encoding="utf-8")
        if len(refs) == 1:
            (ref / f"{key}.en.txt").write_text(refs[0], encoding="utf-8")
        else:
            for i, r in enumerate(refs, 1):
                (ref / f"{key}.{i}.txt").write_text(r, encoding="utf-8")
        (ref / f"{key}.vi.txt").write_text("không được đọc khi --lang en", encoding="utf-8")
    return pred, ref


def _write_jsonl(tmp: Path) -> tuple[Path, None]:
    path = tmp / "pairs.jsonl"
    path.write_text("".join(json.dumps({"id": k, "prediction": p, "references": r}, ensure_ascii=False) + "\n"
                            for k, (p, r) in DATA.items()), encoding="utf-8")
    return path, None


def _write_summarize_jsonl(tmp: Path) -> tuple[Path, Path]:
    # what `viensum summarize --json` writes (Summary.to_dict()), an error record among them
    pred = tmp / "summaries.jsonl"
    rows = [{"id": k, "summary_vi": "tóm tắt", "summary_en": p or None, "error": None if p else "boom"}
            for k, (p, _) in DATA.items()]
    pred.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    ref = tmp / "refs.json"
    ref.write_text(json.dumps([{"id": k, "reference": r} for k, (_, r) in DATA.items()]), encoding="utf-8")
    return pred, ref


def _write_csv(tmp: Path) -> tuple[Path, Path]:
    pred, ref = tmp / "pred.csv", tmp / "ref.csv"
    with pred.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "prediction"])
        w.writerows([k, p] for k, (p, _) in DATA.items())
    with ref.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "reference", "reference2"])
        w.writerows([k, r[0], r[1] if len(r) > 1 else ""] for k, (_, r) in DATA.items())
    return pred, ref


@pytest.mark.parametrize("writer", [_write_dirs, _write_jsonl, _write_summarize_jsonl, _write_csv])
def test_every_input_form_gives_the_same_scores(tmp_path, writer):
    pred, ref = writer(tmp_path)
    report = evaluate(pred, ref, bootstrap=50)
    expected = _expected()
    assert report.ids == expected.ids
    assert [d["n_refs"] for d in report.per_document] == [2, 1, 1]
    assert report.per_document == expected.per_document
    assert report.means == expected.means and report.ci == expected.ci


def test_directory_picks_references_of_the_language(tmp_path):
    ref = tmp_path / "ref"
    ref.mkdir()
    (ref / "x.en.txt").write_text("English", encoding="utf-8")
    (ref / "x.vi.txt").write_text("Tiếng Việt", encoding="utf-8")
    (ref / "y.txt").write_text("untagged", encoding="utf-8")
    (ref / "y.2.txt").write_text("second", encoding="utf-8")
    (ref / "y.1.txt").write_text("first", encoding="utf-8")
    (ref / "README.md").write_text("not a reference", encoding="utf-8")
    assert load_texts(ref, "reference", lang="en") == {"x": ["English"], "y": ["untagged", "first", "second"]}
    assert load_texts(ref, "reference", lang="vi")["x"] == ["Tiếng Việt"]


def test_seed_references_by_language():
    for lang in ("en", "vi"):
        refs = load_texts(REFS, "reference", lang=lang)
        assert len(refs) == 5 and all(len(v) == 1 and v[0] for v in refs.values())


def test_field_option_picks_the_prediction_field(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps({"id": "a", "summary_vi": "Việt Nam", "summary_en": "Vietnam"}), encoding="utf-8")
    assert load_texts(path, lang="en") == {"a": ["Vietnam"]}
    assert load_texts(path, lang="vi") == {"a": ["Việt Nam"]}
    assert load_texts(path, lang="en", field="summary_vi") == {"a": ["Việt Nam"]}
    with pytest.raises(InputError, match="no nope field"):
        load_texts(path, field="nope")


@pytest.mark.parametrize("content,message", [
    ('{"id": "a", "prediction": "x"}\n{"id": "a", "prediction": "y"}\n', "duplicate id"),
    ('{"id": "a", "prediction": ', "not valid JSON"),
    ('{"id": "a", "text": "x"}\n', "no prediction"),
])
def test_bad_jsonl_is_a_clear_input_error(tmp_path, content, message):
    path = tmp_path / "p.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_texts(path)


def test_missing_path_and_several_predictions_per_id(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_texts(tmp_path / "nope")
    with pytest.raises(InputError, match="no such file or directory: http://127.0.0.1:9/p.jsonl$"):
        load_texts("http://127.0.0.1:9/p.jsonl")  # named as given (evaluate reads local files only)
    (tmp_path / "a.1.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.2.txt").write_text("y", encoding="utf-8")
    with pytest.raises(InputError, match="several predictions for ids: a"):
        load_texts(tmp_path, "prediction")


def test_directories_with_missing_ids_list_them(tmp_path):
    pred, ref = _write_dirs(tmp_path)
    (pred / "c.txt").unlink()
    (pred / "extra.txt").write_text("x", encoding="utf-8")
    report = evaluate(pred, ref, bootstrap=0)
    assert report.ids == ["a", "b"]
    assert report.unmatched == {"no_reference": ["extra"], "no_prediction": ["c"]}
    assert any("no reference for: extra" in n and "no prediction for: c" in n for n in report.notes)


@pytest.mark.parametrize("content,message", [
    ('{"id": "a", "prediction": 5}\n', "record 1, field 'prediction' is not text"),
    ('{"id": "a", "prediction": ["x", {"y": 1}]}\n', "is not text"),
    ('{"id": "a", "prediction": {"title": 3}}\n', "neither text nor an article"),
    ('[1, 2]\n', "record 1 is not an object"),
    ('1' * 5000 + '\n', "not valid JSON"),
    ('[' * 100_000 + '\n', "not valid JSON"),
])
def test_records_of_the_wrong_shape_are_input_errors(tmp_path, content, message):
    path = tmp_path / "p.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_texts(path)


def test_csv_rows_longer_than_the_header_and_huge_fields(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("id,prediction\na,x,extra,cells\n", encoding="utf-8")
    assert load_texts(path) == {"a": ["x"]}
    path.write_text("id,reference\na,x,extra\n", encoding="utf-8")
    assert load_texts(path, "reference") == {"a": ["x"]}
    path.write_text("id,prediction\na,\"" + "x" * 200_000 + "\"\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a valid CSV file"):
        load_texts(path)


def test_file_names_that_are_not_utf8_become_printable_ids(tmp_path):
    import os

    pred, ref = tmp_path / "pred", tmp_path / "ref"
    pred.mkdir()
    ref.mkdir()
    name = os.fsdecode(b"b\xff.txt")
    (pred / name).write_text("Hà Nội", encoding="utf-8")
    (ref / name).write_text("Hà Nội", encoding="utf-8")
    report = evaluate(pred, ref, lang="vi", bootstrap=0)
    assert report.ids == ["b\\xff"]
    str(report).encode("utf-8")  # prints on a UTF-8 terminal


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="named pipes are POSIX")
def test_special_files_are_refused_without_reading_them(tmp_path):
    import os

    fifo = tmp_path / "preds.jsonl"
    os.mkfifo(fifo)  # reading it would block forever
    with pytest.raises(InputError, match="not a regular file"):
        load_texts(fifo)


def test_sources_directory_gives_compression(tmp_path, seed_files):
    pred = tmp_path / "pred"
    pred.mkdir()
    for f in seed_files:
        (pred / f.name).write_text((REFS / f"{f.stem}.en.txt").read_text(encoding="utf-8"), encoding="utf-8")
    report = evaluate(pred, REFS, lang="en", sources=seed_files[0].parent, bootstrap=0)
    assert report.means["rouge1"] == pytest.approx(100)
    assert 0 < report.means["compression"] < 0.5


def test_reference_folder_ids_are_the_ids_summarize_gives_the_same_files(tmp_path):
    """One escaper: a tab, a backslash or a stray byte in a file name gives the same id on both sides."""
    import os

    from viensum.inputs import list_items

    folder = tmp_path / "refs"
    folder.mkdir()
    for raw in (b"tab\there.txt", b"back\\slash.txt", b"byte\xff.txt", "Hà Nội.txt".encode()):
        (folder / os.fsdecode(raw)).write_text("Hà Nội là thủ đô.", encoding="utf-8")
    written = sorted(item.id for item in list_items([str(folder)]))
    assert sorted(load_texts(folder, "reference", lang="vi")) == written
    assert "tab\\u0009here" in written and "back\\\\slash" in written
