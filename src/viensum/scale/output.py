"""OUTPUT of a Ray run: records written as they come (JSON Lines appended, Parquet part files renamed
when whole), and read back, each line with a bound, to resume: the ids already done, a half-written
last line cut, the failed records dropped to retry them."""
from __future__ import annotations

import dataclasses
import json
import logging
import os
import time
import uuid
from pathlib import Path
from typing import Any

from collections.abc import Callable

from viensum.errors import InputError, ModelNotAvailable, ViensumError

log = logging.getLogger(__name__)

MAX_OUTPUT_LINE_BYTES = 64 * 1024 * 1024  # one record read back from OUTPUT (article + translation fit easily)
PARQUET_ROWS_PER_FILE = 2000  # a crash loses at most this many finished Parquet records


def consume(ds, output: Path, output_format: str, *,
             retry_failed: bool = False, report: Callable[[int | None], None] = lambda n: None) -> dict[str, Any]:
    """Write the records as they come. OUTPUT is touched only once the first batch shows the models
    loaded, so a run that fails to start (a missing model) leaves an existing OUTPUT as it was."""
    stats = {"total": 0, "done": 0, "skipped": 0, "failed": 0}
    writer = _JsonlWriter(output) if output_format == "jsonl" else _ParquetWriter(output)
    try:
        for batch in ds.iter_batches(batch_size=None, batch_format="pyarrow"):
            fatal = batch.column("fatal")
            if fatal.null_count < len(fatal):
                raise _rebuild_error(fatal.drop_null()[0].as_py())
            if not writer.open:
                if retry_failed:
                    dropped = _drop_failed(output, output_format)
                    log.info("dropped %d failed records from %s to retry them", dropped, output)
                writer.start()
            for id_, skipped, ok, record in zip(batch.column("id").to_pylist(), batch.column("skipped").to_pylist(),
                                                batch.column("ok").to_pylist(), batch.column("record").to_pylist()):
                stats["total"] += 1
                if skipped:
                    stats["skipped"] += 1
                    continue
                stats["done" if ok else "failed"] += 1
                writer.write(record)  # render.summary_record, made in the worker: the source travelled with it
            writer.flush()
            report(stats["total"])
        report(None)
    finally:
        writer.close()
    return stats


def _rebuild_error(fatal: str) -> ViensumError:
    info = json.loads(fatal)
    if info["type"] == "ModelNotAvailable":
        return ModelNotAvailable(info["name"], info["detail"])
    return (InputError if info["type"] == "InputError" else ViensumError)(info["message"])


class _JsonlWriter:
    """Appends to OUTPUT (a rerun resumes it); a half-written last line of a killed run is cut first."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.open = False

    def start(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _trim_partial_line(self.path)
        self.file = self.path.open("a", encoding="utf-8")
        self.open = True

    def write(self, record: str) -> None:
        self.file.write(record + "\n")

    def flush(self) -> None:
        self.file.flush()

    def close(self) -> None:
        if self.open:
            self.file.close()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _ParquetWriter:
    """Part files named per run, each written to a temporary name and renamed when complete."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.run = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]
        self.rows: list[dict] = []
        self.parts = 0
        self.open = False

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.open = True

    def write(self, record: str) -> None:
        self.rows.append(json.loads(record))

    def flush(self, force: bool = False) -> None:
        if not self.rows or (len(self.rows) < PARQUET_ROWS_PER_FILE and not force):
            return
        self.parts += 1
        _write_parquet(self.folder / f"part-{self.run}-{self.parts:05d}.parquet", self.rows)
        self.rows = []

    def close(self) -> None:
        if self.open:
            self.flush(force=True)


def _parquet_schema():
    import pyarrow as pa

    from viensum.results import Summary

    special = {"chunks": pa.int64(), "truncated": pa.bool_(), "notes": pa.list_(pa.string())}
    # everything else is text; nested results (article, translation, models, ...) as JSON text
    names = [f.name for f in dataclasses.fields(Summary)]  # render.summary_record's keys
    return pa.schema([(name, special.get(name, pa.string())) for name in names])


def _write_parquet(path: Path, rows: list[dict]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _parquet_schema()
    columns = {}
    for field in schema:
        values = [row.get(field.name) for row in rows]
        if pa.types.is_string(field.type):
            values = [v if v is None or isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in values]
        columns[field.name] = values
    tmp = path.with_name("." + path.name + ".tmp")  # hidden: readers skip it until it is complete
    pq.write_table(pa.table(columns, schema=schema), tmp)
    os.replace(tmp, path)


def _parquet_parts(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.parquet")) if folder.is_dir() else []


def _trim_partial_line(path: Path) -> None:
    """Make OUTPUT end on a fresh line before appending: a complete last record that lacks its newline
    (an editor, a full disk, a kill between record and newline) gets one, as resume counted it done;
    a half-written one (a killed run) is cut. The tail is read backwards in blocks, never whole."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb+") as f:
        size = f.seek(0, os.SEEK_END)
        f.seek(size - 1)
        if f.read(1) == b"\n":
            return
        start = _last_line_start(f, size)
        f.seek(start)
        if size - start <= MAX_OUTPUT_LINE_BYTES and _is_record(f.read(size - start)):
            f.seek(0, os.SEEK_END)
            f.write(b"\n")
            log.info("%s: its last record lacked a newline; added", path)
        else:
            f.truncate(start)
            log.info("%s: cut a half-written last line (%d bytes) to redo it", path, size - start)


TAIL_BLOCK_BYTES = 1 << 16


def _last_line_start(f, size: int) -> int:
    """The offset just after the last newline of an open file (0: none), reading back a block at a time."""
    end = size
    while end > 0:
        begin = max(0, end - TAIL_BLOCK_BYTES)
        f.seek(begin)
        at = f.read(end - begin).rfind(b"\n")
        if at >= 0:
            return begin + at + 1
        end = begin
    return 0


def _is_record(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line.decode("utf-8")), dict)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False


def jsonl_records(path: Path):
    """The records of a JSONL OUTPUT, each line read with a bound; unreadable lines are skipped
    (the half-written tail of an interrupted run is redone this time)."""
    from viensum.inputs import iter_jsonl

    if not path.exists():
        return
    try:
        for _, _, record, error in iter_jsonl(path, MAX_OUTPUT_LINE_BYTES):
            if error is None and isinstance(record, dict):
                yield record
            elif "limit" in (error or ""):
                log.warning("%s: skipping a line over %d bytes", path, MAX_OUTPUT_LINE_BYTES)
    except InputError:
        raise InputError(f"{path} is not a regular file; the output must be a file") from None


def done_ids(output: Path, output_format: str, *, ok_only: bool = False) -> set[str]:
    """Ids that already have a record in OUTPUT (a rerun skips them); ``ok_only``: successful ones only."""
    def wanted(error) -> bool:
        return not ok_only or error is None

    if output_format == "jsonl":
        if output.is_dir():
            raise InputError(f"{output} is a folder; JSONL output is a single file (or pick output_format='parquet')")
        return {str(r["id"]) for r in jsonl_records(output) if r.get("id") is not None and wanted(r.get("error"))}
    if output.exists() and not output.is_dir():
        raise InputError(f"{output} is a file; Parquet output is a folder of part files")
    import pyarrow.parquet as pq

    done = set()
    for part in _parquet_parts(output):
        table = pq.read_table(part, columns=["id", "error"])
        done.update(i for i, e in zip(table.column("id").to_pylist(), table.column("error").to_pylist())
                    if i is not None and wanted(e))
    return done


def _drop_failed(output: Path, output_format: str) -> int:
    """Remove the records of failed articles, so this run tries them again. Returns how many."""
    dropped = 0
    if output_format == "jsonl":
        if not output.is_file():
            return 0
        if not any(r.get("error") is not None for r in jsonl_records(output)):
            return 0
        from viensum.outputs import atomic_write

        with atomic_write(output) as out:  # streamed, and the old file stays whole until the new one is
            for record in jsonl_records(output):
                if record.get("error") is None:
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                else:
                    dropped += 1
        return dropped
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    for part in _parquet_parts(output):
        table = pq.read_table(part)
        failed = table.column("error").is_valid()
        count = pc.sum(failed).as_py() or 0
        if not count:
            continue
        dropped += count
        kept = table.filter(pc.invert(failed))
        if kept.num_rows:
            tmp = part.with_name("." + part.name + ".tmp")
            pq.write_table(kept, tmp)
            os.replace(tmp, part)
        else:
            part.unlink()
    return dropped
