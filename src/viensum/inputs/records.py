"""Records: JSON Lines (each line read with a bound) and Parquet (row groups) as items, ids from
their ``id`` field, text from :data:`TEXT_FIELDS`, or a page fetched from their ``url``."""
from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from typing import Any

from viensum.errors import InputError
from viensum.inputs.files import _os_message
from viensum.inputs.items import Item, Limits, _Ids, _stem, printable
from viensum.inputs.sources import _is_url

TEXT_FIELDS = ("text", "html", "content")  # where a record's article is, in this order


def _parse_line(line: bytes, max_bytes: int) -> tuple[Any, str | None]:
    if len(line) > max_bytes:
        return None, f"the line is over the {max_bytes:,}-byte limit"
    try:
        text = line.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "the line is not UTF-8"
    try:
        return json.loads(text), None
    except (ValueError, RecursionError) as exc:  # JSONDecodeError; a 5000-digit number; [[[[...]]]]
        why = exc.msg if isinstance(exc, json.JSONDecodeError) else \
            "nested too deeply" if isinstance(exc, RecursionError) else "a number too long"
        return None, f"not JSON ({why})"


def _record_id(record: dict) -> str | None:
    value = record.get("id")
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None  # null, NaN, a list...: no usable id
    value = str(value)
    # kept as given, unless it holds characters that cannot be shown or written (controls, lone surrogates)
    return (value if value.isprintable() else printable(value)) if value.strip() else None


def _record_text(record: Any) -> tuple[str | None, str | None, str | None]:
    """(text, fmt, error) of one parsed record."""
    if not isinstance(record, dict):
        return None, None, "not a JSON object"
    present = [key for key in TEXT_FIELDS if key in record]
    for key in present:
        value = record[key]
        if isinstance(value, str) and value.strip():
            return value, ("html" if key == "html" else None), None
    if isinstance(record.get("url"), str) and _is_url(record["url"].strip()):
        return record["url"].strip(), "url", None  # no text: the page at its url is fetched (_url_record)
    if not present:
        return None, None, 'no "text" field'
    return None, None, f'the "{present[0]}" field {_not_text(record[present[0]])}'


def _not_text(value: Any) -> str:
    """Why a record's text field holds no article, in words: ``5`` and ``NaN`` are told apart."""
    if value is None:
        return "is null"
    if isinstance(value, str):
        return "is empty"
    if isinstance(value, bool):
        return f"is {str(value).lower()}, not text"
    if isinstance(value, float) and value != value:
        return "is NaN, not text"
    if isinstance(value, (int, float)):
        return f"is a number ({value!r}), not text"
    return f"is {'a list' if isinstance(value, list) else 'an object'}, not text"


def _record_item(record: Any, error: str | None, line: int, name: str, rel: str, ids: _Ids,
                 record_lines: dict[str, str], problems: list[str] | None) -> Item:
    where = f"{rel}:{line}"
    if error is None and isinstance(record, dict):
        rid = _record_id(record)
        if rid is None:
            if problems is not None:
                problems.append(f"{name}: line {line} has no id")
            return Item(ids.derived(where, where), f"{name}:{line}", error="the record has no id")
        if rid in ids.used:
            if problems is not None:
                first = record_lines.get(rid, "an earlier input")
                problems.append(f"{name}: line {line} repeats id {rid!r} of {first}")
            return Item(ids.derived(rid, where), f"{name}:{line}", error=f"id {rid!r} is repeated")
        ids.used.add(rid)
        record_lines[rid] = f"{name}:{line}"
        text, fmt, error = _record_text(record)
        return Item(rid, f"{name}:{line}", text, error, fmt)
    if error is None:
        error = "not a JSON object"
    return Item(ids.derived(where, where), f"{name}:{line}", error=f"line {line}: {error}")


def _url_record(item: Item, load: bool) -> None:
    """A record with a ``url`` and no text: its page is fetched (now, or where ``load_item`` runs)."""
    from viensum.inputs import load_item  # the dispatcher, which reads every kind of item

    url, item.text, item.fmt = item.text, None, "html"
    item.ref = {"url": url, "link": {"url": url}}
    if load:
        load_item(item)


def iter_jsonl(path: str | os.PathLike, max_line_bytes: int) -> Iterator[tuple[int, int, Any, str | None]]:
    """``(line number, byte offset, value, error)`` for each non-blank line of a JSON Lines file.

    Each line is read with a bound (a longer one is skipped, never held, and reported in
    ``error``); a line that is not UTF-8 JSON has ``error`` set and ``value`` None. Raises
    :class:`InputError` for something that is not a regular file (a device, a folder), OSError
    when it cannot be opened.
    """
    with open(path, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise InputError("not a regular file")
        number = 0
        while True:
            offset = fh.tell()
            line = fh.readline(max_line_bytes + 1)
            if not line:
                return
            number += 1
            if len(line) > max_line_bytes and not line.endswith(b"\n"):
                while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass  # skip the rest of an oversized line without holding it
            if line.strip():
                yield (number, offset, *_parse_line(line, max_line_bytes))


def _jsonl_items(path: str, name: str, rel: str, limits: Limits, ids: _Ids, record_lines: dict[str, str],
                 load: bool, problems: list[str] | None) -> Iterator[Item]:
    try:
        for number, offset, record, error in iter_jsonl(path, limits.file_bytes):
            item = _record_item(record, error, number, name, rel, ids, record_lines, problems)
            if item.fmt == "url":
                _url_record(item, load)
            elif not load:
                item.text = None
                if item.error is None:
                    item.ref = {"jsonl": name, "offset": offset}
            yield item
    except InputError as exc:
        yield Item(ids.derived(_stem(rel), rel), name, error=str(exc))
    except OSError as exc:
        yield Item(ids.derived(_stem(rel), rel), name, error=_os_message(exc))


def _parquet_items(path: str, name: str, rel: str, ids: _Ids, record_lines: dict[str, str], load: bool,
                   problems: list[str] | None) -> Iterator[Item]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield Item(ids.derived(_stem(rel), rel), name,
                   error="reading Parquet needs pyarrow: pip install 'viensum[ray]'")
        return
    try:
        parquet = pq.ParquetFile(path)
        columns = parquet.schema_arrow.names
        missing = [c for c in ("id", "text") if c not in columns]
        if missing:
            raise InputError(f"records need 'id' and 'text' columns; missing {', '.join(missing)}")
        row = 0
        for batch in parquet.iter_batches(columns=["id", "text"] if load else ["id"], batch_size=1024):
            id_column = batch.column("id").to_pylist()
            texts = batch.column("text").to_pylist() if load else [None] * len(id_column)
            for rid, text in zip(id_column, texts):
                row += 1
                record = {"id": rid, "text": text} if load else {"id": rid}
                item = _record_item(record, None, row, name, rel, ids, record_lines, problems)
                if not load:
                    item.text = None
                    item.error = None if item.error == 'no "text" field' else item.error
                    if item.error is None:
                        item.ref = {"parquet": name, "row": row - 1}
                yield item
    except InputError as exc:
        yield Item(ids.derived(_stem(rel), rel), name, error=str(exc))
    except Exception as exc:  # noqa: BLE001 - pyarrow's many error types for a damaged file
        yield Item(ids.derived(_stem(rel), rel), name, error=f"cannot read this Parquet file ({type(exc).__name__})")


_ROW_GROUP_CACHE: dict[tuple, list] = {}  # the last row group read by load_item (workers read rows in order)


def _parquet_text(path: str, row: int) -> str | None:
    """The ``text`` of one row of a Parquet file (row 0 first), reading only its row group."""
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(path)
    meta = parquet.metadata
    for group in range(meta.num_row_groups):
        rows = meta.row_group(group).num_rows
        if row < rows:
            key = (path, os.stat(path).st_mtime_ns, group)
            if key not in _ROW_GROUP_CACHE:
                _ROW_GROUP_CACHE.clear()
                _ROW_GROUP_CACHE[key] = parquet.read_row_group(group, columns=["text"]).column("text").to_pylist()
            value = _ROW_GROUP_CACHE[key][row]
            return value if isinstance(value, str) else None
        row -= rows
    raise InputError(f"{printable(path)} has no row {row}; it changed since it was listed")
