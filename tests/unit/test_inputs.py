"""viensum.inputs and viensum.outputs: one reader for every input kind, run-unique printable ids, bounded reading, safe writes."""
from __future__ import annotations

import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from viensum import inputs, outputs
from viensum.inputs import archives
from viensum.errors import InputError

ARTICLE = "Tiêu đề bài báo\n\nĐây là đoạn văn đầu tiên của bài báo, đủ dài để là một đoạn văn thật sự.\n"


def _items(specs, **limits):
    return list(inputs.read_items([str(s) for s in specs], inputs.Limits(**limits)))


# ---------------------------------------------------------------- names and ids


@given(st.binary(min_size=1, max_size=40))
def test_printable_names_are_lossless(raw):
    shown = inputs.printable(raw)
    assert shown.isprintable()
    assert inputs.unprintable(shown) == raw


def test_printable_escapes_only_what_it_must():
    assert inputs.printable("bài-báo 1.txt") == "bài-báo 1.txt"
    assert inputs.printable(b"b\xff.txt") == "b\\xff.txt"
    assert inputs.printable("a\\b\nc") == "a\\\\b\\u000ac"


def test_folder_ids_are_stems_sorted_and_subfolders_are_not_entered(tmp_path):
    for name in ("b.txt", "a.html", "c.jsonl.txt", "notes.md", ".hidden.txt"):
        (tmp_path / name).write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "deep.txt").write_text(ARTICLE, encoding="utf-8")
    items = _items([tmp_path])
    assert [i.id for i in items] == ["a", "b", "c.jsonl"]
    assert [i.fmt for i in items] == ["html", None, None]
    assert items[1].name == str(tmp_path / "b.txt") and items[1].text == ARTICLE


def test_glob_is_recursive_and_ids_keep_the_path_below_its_root(tmp_path):
    (tmp_path / "2024" / "05").mkdir(parents=True)
    (tmp_path / "2024" / "05" / "page.html").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "top.html").write_text(ARTICLE, encoding="utf-8")
    items = _items([f"{tmp_path}/**/*.html"])
    assert sorted(i.id for i in items) == ["2024/05/page", "top"]


def test_derived_ids_are_unique_and_stable(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder in ("a", "b"):
        (tmp_path / folder / "x.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a" / "x.html").write_text(ARTICLE, encoding="utf-8")
    specs = [tmp_path / "a" / "x.txt", tmp_path / "b" / "x.txt", tmp_path / "a" / "x.html"]
    first = [i.id for i in _items(specs)]
    assert first == ["x", "x.txt", "x.html"]
    assert [i.id for i in _items(specs)] == first  # the same inputs give the same ids


def test_zip_members_keep_their_path_and_differ_from_the_loose_file(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(ARTICLE, encoding="utf-8")
    archive = tmp_path / "articles.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(page, "batch/page.html")
        zf.writestr("batch/", b"")
        zf.writestr("__MACOSX/batch/._page.html", b"junk")
        zf.writestr("batch/photo.jpg", b"\xff\xd8")
    items = _items([page, archive])
    assert [i.id for i in items] == ["page", "articles.zip/batch/page", "articles.zip/batch/photo.jpg"]
    assert items[1].name == f"{archive}/batch/page.html" and items[1].text == ARTICLE and items[1].fmt == "html"
    assert "unsupported file type" in items[2].error


def test_undecodable_file_name_is_an_item_with_a_printable_id(tmp_path):
    folder = os.fsencode(tmp_path)
    for name in (b"a.txt", b"b\xff.txt", b"c.txt"):
        with open(os.path.join(folder, name), "wb") as fh:
            fh.write(ARTICLE.encode("utf-8"))
    items = _items([tmp_path])
    assert [i.id for i in items] == ["a", "b\\xff", "c"]
    assert all(i.ok and i.text == ARTICLE for i in items)
    assert inputs.unprintable(items[1].name) == os.path.join(folder, b"b\xff.txt")
    json.dumps([i.id for i in items], ensure_ascii=False).encode("utf-8")  # writable as UTF-8


# ---------------------------------------------------------------- records


def _jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_jsonl_records_and_a_malformed_line_is_an_error_item(tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", [json.dumps({"id": "a", "text": ARTICLE}), "{not json", "",
                                         json.dumps({"id": 7, "html": "<p>x</p>"}), json.dumps({"id": "c"}),
                                         "[1, 2]"])
    items = _items([src])
    assert [(i.id, i.name) for i in items] == [
        ("a", f"{src}:1"), ("in.jsonl:2", f"{src}:2"), ("7", f"{src}:4"), ("c", f"{src}:5"), ("in.jsonl:6", f"{src}:6")]
    assert items[0].text == ARTICLE and items[2].fmt == "html"
    assert items[1].error.startswith("line 2: not JSON")
    assert items[3].error == 'no "text" field'
    assert "not a JSON object" in items[4].error


def test_repeated_and_missing_record_ids_are_refused_up_front_naming_the_lines(tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", [json.dumps({"id": i, "text": "x"}) for i in ("r0", "dup", "r2", "dup")]
                 + [json.dumps({"text": "no id"}), json.dumps({"id": None, "text": "x"}), '{"id": NaN, "text": "x"}'])
    with pytest.raises(InputError) as err:
        inputs.read_items([str(src)])
    message = str(err.value)
    assert "line 4 repeats id 'dup'" in message and f"{src}:2" in message
    assert "line 5 has no id" in message and "line 6 has no id" in message and "line 7 has no id" in message
    assert "nan" not in message.lower().replace("naming", "")


def test_ids_must_be_unique_across_files(tmp_path):
    one = _jsonl(tmp_path / "one.jsonl", [json.dumps({"id": "x", "text": "a"})])
    two = _jsonl(tmp_path / "two.jsonl", [json.dumps({"id": "x", "text": "b"})])
    with pytest.raises(InputError, match="repeats id 'x'"):
        inputs.read_items([str(one), str(two)])


def test_oversized_jsonl_line_is_an_error_item_and_reading_goes_on(tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", [json.dumps({"id": "big", "text": "x" * 5000}),
                                         json.dumps({"id": "small", "text": ARTICLE})])
    items = _items([src], file_bytes=1000)
    assert items[0].id == "in.jsonl:1" and "over the 1,000-byte limit" in items[0].error
    assert items[1].id == "small" and items[1].text == ARTICLE


def test_parquet_records(tmp_path):
    from require import require_module

    pa = require_module("pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": [1, 2], "text": [ARTICLE, None]}), tmp_path / "in.parquet")
    items = _items([tmp_path / "in.parquet"])
    assert [(i.id, i.text, i.error) for i in items] == [("1", ARTICLE, None), ("2", None, 'the "text" field is null')]
    pq.write_table(pa.table({"id": ["a", None], "text": ["x", "y"]}), tmp_path / "bad.parquet")
    with pytest.raises(InputError, match="line 2 has no id"):
        inputs.read_items([str(tmp_path / "bad.parquet")])
    pq.write_table(pa.table({"key": ["a"]}), tmp_path / "cols.parquet")
    [item] = _items([tmp_path / "cols.parquet"])
    assert "'id' and 'text' columns" in item.error


# ---------------------------------------------------------------- limits and failures


def test_oversized_file_is_refused_by_size_without_reading(tmp_path):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: reading it would take time and memory
    [item] = _items([huge])
    assert item.error == "file is 52,428,800 bytes, over the 5,000,000-byte limit"


def test_every_per_file_failure_is_an_item(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 16)
    (tmp_path / "bad.zip").write_bytes(b"not a zip")
    (tmp_path / "ok.txt").write_text(ARTICLE, encoding="utf-8")
    items = _items([tmp_path, tmp_path / "missing.txt"])
    errors = {i.id: i.error for i in items}
    assert errors["empty"] == "the file is empty" and "binary" in errors["blob"]
    assert errors["bad"] == "not a valid .zip archive" and errors["ok"] is None
    assert errors["missing"] == "No such file or directory"


def test_empty_folder_and_unmatched_glob_are_refused(tmp_path):
    (tmp_path / "notes.md").write_text("x")
    with pytest.raises(InputError, match="no articles in"):
        inputs.read_items([str(tmp_path)])
    with pytest.raises(InputError, match="no article files match"):
        inputs.read_items([f"{tmp_path}/*.html"])


def test_item_cap(tmp_path):
    for k in range(3):
        (tmp_path / f"{k}.txt").write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(InputError, match="at most 2 articles"):
        inputs.read_items([str(tmp_path)], inputs.Limits(items=2))


def _declared_bomb(path: Path, members: int, declared: int) -> Path:
    """A zip whose central directory declares ``members`` entries of ``declared`` bytes each."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for k in range(members):
            zf.writestr(f"m{k:03d}.txt", b"\0" * 64)
        for info in zf.filelist:
            info.file_size = declared
    return path


def test_zip_count_and_declared_sizes_are_checked_before_anything_is_inflated(tmp_path, monkeypatch):
    bomb = _declared_bomb(tmp_path / "bomb.zip", 250, 10 * 1024 * 1024)

    def inflating(*args, **kwargs):
        raise AssertionError("a member was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", inflating)
    [item] = _items([bomb], zip_bytes=100 * 1024 * 1024)
    assert item.id == "bomb" and "unpacks to 2,621,440,000 bytes" in item.error
    [item] = _items([bomb], zip_members=200)
    assert "250 entries; the limit is 200" in item.error


def test_zip_member_over_the_cap_is_its_own_error_and_members_stream(tmp_path):
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.txt", b"a" * 20_000)
        zf.writestr("ok.txt", ARTICLE.encode("utf-8"))
    items = _items([archive], file_bytes=10_000)
    assert "over the 10,000-byte limit" in items[0].error and items[1].text == ARTICLE


def test_stdin(monkeypatch):
    import io as stdio
    import sys

    monkeypatch.setattr(sys, "stdin", stdio.TextIOWrapper(stdio.BytesIO(ARTICLE.encode("utf-8"))))
    [item] = list(inputs.read_items(["-"]))
    assert (item.id, item.name, item.text) == ("stdin", "stdin", ARTICLE)


def test_load_item_reads_what_a_listing_points_to(tmp_path):
    (tmp_path / "b\udcff.txt").write_text(ARTICLE, encoding="utf-8")
    archive = tmp_path / "z.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("in/page.txt", ARTICLE)
    src = _jsonl(tmp_path / "r.jsonl", ["oops", json.dumps({"id": "r", "text": ARTICLE})])
    listed = inputs.list_items([str(tmp_path / "b\udcff.txt"), str(archive), str(src)])
    assert all(i.text is None for i in listed)
    loaded = [inputs.load_item(inputs.Item(i.id, i.name, ref=json.loads(json.dumps(i.ref)), error=i.error)) for i in listed]
    assert [i.text for i in loaded] == [ARTICLE, ARTICLE, None, ARTICLE]
    assert loaded[2].error.startswith("line 1: not JSON")


# ---------------------------------------------------------------- writing


def test_atomic_write_replaces_only_when_complete(tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("previous results\n")
    os.chmod(target, 0o640)
    with pytest.raises(RuntimeError):
        with outputs.atomic_write(target) as fh:
            fh.write("half")
            raise RuntimeError("the run failed")
    assert target.read_text() == "previous results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]  # no temporary left behind
    outputs.write_atomic(target, "new\n")
    assert target.read_text() == "new\n" and stat.S_IMODE(target.stat().st_mode) == 0o640


def test_check_output_refuses_what_would_damage_an_input(tmp_path):
    (tmp_path / "cl").mkdir()
    page = tmp_path / "cl" / "page.txt"
    page.write_text(ARTICLE)
    with pytest.raises(InputError, match="also an input"):
        outputs.check_output(page, [str(page)])
    with pytest.raises(InputError, match="holds the input"):
        outputs.check_output(tmp_path / "cl", [str(page)], folder=True)
    with pytest.raises(InputError, match="inside the input folder"):
        outputs.check_output(tmp_path / "cl" / "out.jsonl", [str(tmp_path / "cl")])
    with pytest.raises(InputError, match="also an input"):
        outputs.check_output(tmp_path / "cl" / "page.txt", [f"{tmp_path}/cl/*.txt"])
    with pytest.raises(InputError, match="is a folder"):
        outputs.check_output(tmp_path / "cl", [])
    outputs.check_output(tmp_path / "out.jsonl", [str(page)])
    outputs.check_output(tmp_path / "new-dir", [str(page)], folder=True)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_check_output_refuses_devices():
    with pytest.raises(InputError, match="not a regular file"):
        outputs.check_output("/dev/full", [])
    with pytest.raises(InputError, match="not a regular file"):
        outputs.write_atomic("/dev/full", "x")


def test_safe_filename():
    assert outputs.safe_filename("articles.zip/batch/page") == "articles.zip_batch_page"
    assert outputs.safe_filename("../../etc/passwd") == "_.._etc_passwd"
    assert len(outputs.safe_filename("đ" * 500).encode("utf-8")) <= 150


def test_one_list_of_extensions_everywhere():
    from viensum import scale
    from viensum.ui import inputs as ui_inputs

    assert ui_inputs.DOCUMENT_TYPES == inputs.ARTICLE_EXTENSIONS and ui_inputs.BATCH_TYPES == inputs.INPUT_EXTENSIONS
    assert not hasattr(scale, "ARTICLE_EXTENSIONS")


def test_atomic_path_for_writers_that_want_a_file_name(tmp_path):
    chart = tmp_path / "chart.png"
    chart.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with outputs.atomic_path(chart) as tmp:
            assert tmp.suffix == ".png" and tmp.parent == tmp_path
            tmp.write_bytes(b"half")
            raise RuntimeError("plotting failed")
    assert chart.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["chart.png"]
    with outputs.atomic_path(chart) as tmp:
        tmp.write_bytes(b"new")
    assert chart.read_bytes() == b"new"


def test_zip_entry_count_is_read_from_the_end_record_before_parsing(tmp_path, monkeypatch):
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for k in range(30):
            zf.writestr(f"{k}.txt", "x")
    assert archives._declared_entries(str(archive)) == 30

    def parsing(*args, **kwargs):
        raise AssertionError("the central directory was parsed")

    monkeypatch.setattr(zipfile, "ZipFile", parsing)
    [item] = _items([archive], zip_members=10)
    assert item.error == "the archive has 30 entries; the limit is 10"


def test_zip64_entry_count(tmp_path, monkeypatch):
    archive = tmp_path / "z64.zip"
    monkeypatch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 5)  # zip64 end records, as past 65,535 entries
    with zipfile.ZipFile(archive, "w", allowZip64=True) as zf:
        for k in range(8):
            zf.writestr(f"{k}.txt", "x")
    assert b"PK\x06\x06" in archive.read_bytes()
    assert archives._declared_entries(str(archive)) == 8
    (tmp_path / "junk.zip").write_bytes(b"PK\x05\x06")
    assert archives._declared_entries(str(tmp_path / "junk.zip")) is None


def test_a_jsonl_line_with_a_giant_number_is_that_lines_error(tmp_path):
    """int() refuses numbers over 4300 digits with a ValueError that json.loads lets through."""
    from viensum.inputs import read_items

    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "a", "text": "Hà Nội."}\n' + "1" * 5000 + "\n", encoding="utf-8")
    items = list(read_items([str(path)]))
    assert [i.error for i in items] == [None, "line 2: not JSON (a number too long)"]


def test_a_few_stray_bytes_in_utf8_are_replaced_and_reported_not_refused(tmp_path):
    from viensum.clean import clean_article

    text = ("Hà Nội hôm nay mưa lớn, nhiều tuyến phố ngập sâu khiến giao thông ùn tắc kéo dài. " * 40).encode()
    broken = text[:1000] + b"\xff\xfe\x80\x81" + text[1000:]  # four stray bytes in ~4 KB
    path = tmp_path / "a.txt"
    path.write_bytes(broken)
    [item] = _items([path])
    assert item.ok and item.text.count("\ufffd") == 4
    article = clean_article(item.text)
    assert "4 undecodable bytes were replaced with U+FFFD (�)" in article.warnings
    path.write_bytes(b"\x81\x8d\x8f\x90" * 200 + text[:400])  # mostly garbage: still refused
    [item] = _items([path])
    assert "binary file?" in item.error


def test_messages_keep_their_units_and_tell_bad_text_fields_apart(tmp_path):
    from viensum.clean import clean_article

    with pytest.raises(InputError, match=r"^input is 12,004,088 characters, over the 5,000,000-character limit$"):
        clean_article("x" * 12_004_088)
    src = _jsonl(tmp_path / "in.jsonl", ['{"id": "five", "text": 5}', '{"id": "nan", "text": NaN}',
                                         '{"id": "null", "text": null}', '{"id": "none"}', '{"id": "blank", "text": " "}',
                                         '{"id": "list", "html": ["a"]}'])
    assert [i.error for i in _items([src])] == [
        'the "text" field is a number (5), not text', 'the "text" field is NaN, not text', 'the "text" field is null',
        'no "text" field', 'the "text" field is empty', 'the "html" field is a list, not text']
