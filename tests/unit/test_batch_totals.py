"""The Batch tab's whole request is counted as it is read: bytes unpacked, characters, items."""
from __future__ import annotations

import shutil
import tracemalloc
import zipfile

import pytest

import bombs
from viensum import inputs
from viensum.ui import inputs as ui_inputs
from viensum.errors import InputError, TotalLimitError


def test_twenty_zips_each_within_its_own_limits_are_refused_before_any_is_unpacked(tmp_path, monkeypatch):
    one = tmp_path / "z00.zip"
    one.write_bytes(bombs.zip_of_zeros(10, ui_inputs.MAX_FILE_BYTES))  # 10 members of 10 MiB: at the per-file cap
    paths = [one] + [shutil.copy(one, tmp_path / f"z{k:02d}.zip") for k in range(1, 20)]
    inflated = []  # zip members opened (passed through)
    open_member = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, name, *a, **kw:
                        inflated.append(name) or open_member(self, name, *a, **kw))
    tracemalloc.start()
    with pytest.raises(InputError, match="z00.zip, unpacking to 104,857,600 bytes, takes the whole input past "
                                         "50,000,000 bytes"):
        ui_inputs.batch_items([str(p) for p in paths])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert inflated == []  # refused from the first zip's declared sizes, before any member is unpacked
    assert peak < 20_000_000  # before: every member inflated and held, GBs


def test_the_total_counts_inflated_bytes_across_files_as_they_stream(tmp_path, monkeypatch):
    monkeypatch.setattr(ui_inputs, "MAX_BATCH_BYTES", 3_000_000)
    for k in range(3):
        (tmp_path / f"z{k}.zip").write_bytes(bombs.zip_of_zeros(2, 700_000))  # 1.4 MB each, 4.2 MB in all
    paths = sorted(str(p) for p in tmp_path.glob("*.zip"))
    with pytest.raises(InputError) as err:
        ui_inputs.batch_items(paths)
    assert "z2.zip, unpacking to 1,400,000 bytes, takes the whole input past 3,000,000 bytes" in str(err.value)
    assert str(tmp_path) not in str(err.value)
    assert len(ui_inputs.batch_items(paths[:2])) == 4  # within the total: read as before


def test_the_character_total_and_the_per_article_character_limit(tmp_path):
    for k in range(3):
        (tmp_path / f"a{k}.txt").write_text("Hà Nội mưa lớn. " * 1000, encoding="utf-8")
    files = sorted(str(p) for p in tmp_path.glob("*.txt"))
    with pytest.raises(TotalLimitError, match="more than 40,000 characters"):
        list(inputs.read_items(files, inputs.Limits(total_chars=40_000)))
    items = list(inputs.read_items(files, inputs.Limits(text_chars=10_000)))
    assert [i.error for i in items] == ["the text is 16,000 characters, over the 10,000-character limit"] * 3
    # without totals (the command line) nothing changes
    assert all(i.ok for i in inputs.read_items(files))
