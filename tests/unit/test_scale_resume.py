"""Ray resume's output handling, without starting Ray: the last line, the tail read in blocks, Parquet refs."""
from __future__ import annotations

import json
import tracemalloc

from require import require_module

from viensum import inputs
from viensum.scale.output import _JsonlWriter, _trim_partial_line, done_ids


def _ids(path):
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_complete_last_record_without_its_newline_is_kept(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "a", "error": null}\n{"id": "b", "error": null}', encoding="utf-8")
    assert done_ids(out, "jsonl") == {"a", "b"}  # counted done, so it must stay
    with _JsonlWriter(out) as w:
        w.write('{"id": "c", "error": null}')
    assert _ids(out) == ["a", "b", "c"]


def test_a_half_written_last_line_is_still_cut(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "a", "error": null}\n{"id": "b", "err', encoding="utf-8")
    _trim_partial_line(out)
    assert out.read_text(encoding="utf-8") == '{"id": "a", "error": null}\n'
    out.write_text('{"id": "a"}\n[1, 2]', encoding="utf-8")  # valid JSON but not a record
    _trim_partial_line(out)
    assert out.read_text(encoding="utf-8") == '{"id": "a"}\n'
    out.write_text('{"id": "only", "tex', encoding="utf-8")  # no newline at all
    _trim_partial_line(out)
    assert out.read_text(encoding="utf-8") == ""


def test_the_tail_is_read_backwards_in_blocks_not_whole(tmp_path):
    out = tmp_path / "out.jsonl"
    record = json.dumps({"id": "x", "summary_en": "y" * 1000}) + "\n"
    with out.open("w", encoding="utf-8") as fh:
        for k in range(48_000):  # ~49 MB of records
            fh.write(record)
        fh.write('{"id": "half", "summ' + "z" * 300_000)  # a long half-written line
    size = out.stat().st_size
    tracemalloc.start()
    _trim_partial_line(out)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert out.stat().st_size == size - 300_020
    assert peak < 2_000_000  # before: the whole file in memory (f.read())


def test_parquet_records_beside_other_files_can_be_loaded_by_reference(tmp_path):
    pa = require_module("pyarrow", "pip install -e '.[ray]'")
    import pyarrow.parquet as pq

    folder = tmp_path / "mixed"
    folder.mkdir()
    pq.write_table(pa.table({"id": ["r1", "r2", "r3"], "text": ["một", None, "ba"]}), folder / "recs.parquet",
                   row_group_size=2)
    (folder / "loose.txt").write_text("Hà Nội", encoding="utf-8")
    listed = inputs.list_items([str(folder)])
    assert [(i.id, i.text, i.error) for i in listed] == [("loose", None, None), ("r1", None, None),
                                                         ("r2", None, None), ("r3", None, None)]
    loaded = [inputs.load_item(i) for i in listed]  # what a Ray worker does with each row
    assert [(i.text, i.error) for i in loaded] == [("Hà Nội", None), ("một", None),
                                                    (None, 'the "text" field is null'), ("ba", None)]
