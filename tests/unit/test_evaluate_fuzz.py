"""Property-based fuzzing of the evaluation readers: whatever the bytes, an InputError or a result.

Predictions and references arrive as user files (directories of .txt, JSONL, JSON,
CSV/TSV) and as Python objects; no input may end in an untyped exception.
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viensum.errors import InputError, ViensumError
from viensum.evaluate import evaluate, load_cleaned, load_texts

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SUFFIXES = (".jsonl", ".json", ".csv", ".tsv", ".txt")
ROLES = ("prediction", "reference", "source")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "prediction", "reference", "references", "reference2", "summary_en",
                         "source", "text", "article", "title", "paragraphs", "error", "notes", "recipe"])
        | st.text(max_size=8), inner, max_size=5),
    max_leaves=20)


def _check_mapping(found: dict) -> None:
    assert isinstance(found, dict) and found
    for key, texts in found.items():
        assert isinstance(key, str) and isinstance(texts, list)
        assert all(isinstance(t, str) for t in texts)
        key.encode("utf-8")  # ids must print


def _load(data: bytes, suffix: str, role: str) -> str:
    """"read" (a well-formed mapping) or "refused" (one InputError); anything else fails the test."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        try:
            _check_mapping(load_texts(path, role))
        except InputError:
            return "refused"
        return "read"


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(SUFFIXES), role=st.sampled_from(ROLES))
def test_random_bytes_in_any_file_form(data, suffix, role):
    assert _load(data, suffix, role) in ("read", "refused")


@FUZZ
@given(text=st.text(max_size=500), suffix=st.sampled_from(SUFFIXES), role=st.sampled_from(ROLES),
       encoding=st.sampled_from(["utf-8", "utf-16", "utf-8-sig"]))
def test_random_unicode_in_any_file_form(text, suffix, role, encoding):
    assert _load(text.encode(encoding, "surrogatepass"), suffix, role) in ("read", "refused")


@FUZZ
@given(records=st.lists(json_values, max_size=6), suffix=st.sampled_from([".jsonl", ".json"]),
       role=st.sampled_from(ROLES))
def test_random_json_records(records, suffix, role):
    if suffix == ".json":
        data = json.dumps(records)
    else:
        data = "\n".join(json.dumps(r) for r in records)
    assert _load(data.encode("utf-8", "surrogatepass"), suffix, role) in ("read", "refused")


@FUZZ
@given(rows=st.lists(st.lists(st.text(max_size=20), max_size=5), max_size=6), role=st.sampled_from(ROLES))
def test_random_csv_rows(rows, role):
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer).writerows([["id", "prediction", "reference"], *rows])
    assert _load(buffer.getvalue().encode("utf-8", "surrogatepass"), ".csv", role) in ("read", "refused")


@FUZZ
@given(files=st.dictionaries(st.text(min_size=1, max_size=12).filter(lambda n: "/" not in n and "\x00" not in n
                                                                      and n not in (".", "..")),
                             st.binary(max_size=300), max_size=4),
       lang=st.sampled_from(["en", "vi"]))
def test_random_directories(files, lang):
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in files.items():
            try:
                (Path(tmp) / f"{name}.txt").write_bytes(data)
                (Path(tmp) / f"{name}.json").write_bytes(data)
            except OSError:  # a name the file system refuses (too long in bytes)
                continue
        for read in (lambda: load_texts(tmp, "reference", lang=lang), lambda: load_cleaned(tmp)):
            try:
                found = read()
            except InputError:
                continue
            assert isinstance(found, dict)


@FUZZ
@given(preds=st.dictionaries(st.text(max_size=5), st.none() | st.text(max_size=60) | st.integers(), max_size=4),
       refs=st.dictionaries(st.text(max_size=5), st.text(max_size=60) | st.lists(st.text(max_size=30), max_size=3),
                            max_size=4),
       lang=st.sampled_from(["en", "vi"]))
def test_evaluate_on_random_python_inputs(preds, refs, lang):
    try:
        report = evaluate(preds, refs, lang=lang, bootstrap=0, bertscore=False)
    except ViensumError:
        return
    assert report.n >= 1 and set(report.ids) <= set(preds) & set(refs)
    str(report).encode("utf-8")
