"""What a Ray run reads: local inputs listed by :mod:`viensum.inputs` (ids checked, nothing read on
the driver), a Parquet file or folder (its ids checked), or a remote URI read by Ray's own readers;
OUTPUT checked against it."""
from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

from viensum.errors import InputError


@dataclasses.dataclass
class _Input:
    """What to read: local items listed by viensum.inputs, a Parquet source, or a remote URI for Ray's readers."""

    kind: str                       # "items", "parquet" or one of "jsonl"/"files" for remote URIs
    path: str = ""                  # the Parquet source or remote URI
    items: list = dataclasses.field(default_factory=list)


def resolve_input(path, input_format: str | None, output: Path, output_format: str) -> _Input:
    """List the input (ids checked, nothing read yet) and check OUTPUT against it."""
    from viensum import inputs

    if input_format is not None and input_format not in ("jsonl", "parquet", "files"):
        raise InputError(f"unknown input format '{input_format}'; use jsonl, parquet or files")
    specs = [os.fspath(p) for p in path] if isinstance(path, (list, tuple)) else [os.fspath(path)]
    remote = [s for s in specs if "://" in s and not s.startswith(("file://", "http://", "https://"))]
    if remote:
        if len(specs) > 1:
            raise InputError("give one remote input at a time")
        kind = input_format or _kind_of(remote[0])
        if kind is None:
            raise InputError(f"cannot tell the format of {remote[0]}; pass input_format (jsonl, parquet or files)")
        _check_output(output, output_format, [])
        return _Input(kind, path=remote[0])
    specs = [os.path.expanduser(s.removeprefix("file://")) for s in specs]
    for spec in specs:
        if spec == inputs.STDIN:
            raise InputError("the Ray engine reads files, not stdin")
        if not os.path.lexists(spec) and not any(os.path.lexists(p) for p in inputs.input_paths([spec])) \
                and not spec.startswith(("http://", "https://")):  # links are fetched by viensum.inputs
            raise InputError(f"input not found: {inputs.printable(spec)}")
    _check_output(output, output_format, specs)
    parquet = [s for s in specs if _is_parquet(s)]
    if parquet or input_format == "parquet":
        if len(specs) > 1:
            raise InputError("the Ray engine reads Parquet on its own: give one Parquet file or folder "
                             "(it mixes Parquet and other inputs)")
        source = os.path.realpath(specs[0])
        _check_parquet_ids(source)
        return _Input("parquet", path=source)
    items = inputs.list_items(specs)
    if not items:
        raise InputError(f"no articles in {', '.join(inputs.printable(s) for s in specs)}")
    return _Input("items", items=items)


def _is_parquet(spec: str) -> bool:
    """A Parquet file, or a folder whose files (at any depth, e.g. year=2024/ partitions) are Parquet."""
    if os.path.isfile(spec):
        return spec.lower().endswith(".parquet")
    if not os.path.isdir(spec):
        return False
    names = [p.name for p in Path(spec).rglob("*") if p.is_file() and not p.name.startswith((".", "_"))]
    return bool(names) and all(n.lower().endswith(".parquet") for n in names)


def _check_output(output: Path, output_format: str, specs: list[str]) -> None:
    from viensum import outputs

    try:
        outputs.check_output(output, specs, folder=output_format == "parquet")
    except InputError as exc:
        if output_format == "jsonl" and output.is_dir():
            raise InputError(f"{output} is a folder; JSONL output is a single file "
                             "(or pick output_format='parquet')") from None
        if output_format == "parquet" and output.exists() and not output.is_dir():
            raise InputError(f"{output} is a file; Parquet output is a folder of part files") from None
        raise exc


def _check_parquet_ids(source: str) -> None:
    """Refuse Parquet input whose ids repeat or are missing, naming the rows (ids only are read)."""
    import pyarrow.dataset as pds

    try:
        dataset = pds.dataset(source, format="parquet", partitioning="hive")
    except Exception as exc:  # noqa: BLE001 - pyarrow's many error types for a damaged file
        raise InputError(f"cannot read {source} as Parquet ({type(exc).__name__}: {exc})") from None
    missing = [c for c in ("id", "text") if c not in dataset.schema.names]
    if missing:
        raise InputError(f"{source}: records need 'id' and 'text' fields; missing {', '.join(missing)}")
    seen: set[str] = set()
    problems: list[str] = []
    row = 0
    for batch in dataset.to_batches(columns=["id"]):
        for value in batch.column("id").to_pylist():
            row += 1
            if value is None or (isinstance(value, float) and value != value) or not str(value).strip():
                problems.append(f"row {row} has no id")
            elif str(value) in seen:
                problems.append(f"row {row} repeats id {str(value)!r}")
            else:
                seen.add(str(value))
    if problems:
        shown = "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
        raise InputError(f"every record needs its own id: {source}: {shown}")


def _kind_of(name: str) -> str | None:
    from viensum import inputs

    name = name.lower()
    if name.endswith(inputs.PARQUET_EXTENSIONS):
        return "parquet"
    if name.endswith(inputs.JSONL_EXTENSIONS):
        return "jsonl"
    if name.endswith(inputs.ARTICLE_EXTENSIONS):
        return "files"
    return None


def _read(ray, source: _Input):
    from viensum import inputs

    if source.kind == "items":
        rows = [{"id": item.id, "name": item.name, "ref": json.dumps(_absolute(item.ref)) if item.ref else None,
                 "fmt": item.fmt, "error": item.error} for item in source.items]
        return ray.data.from_items(rows)
    if source.kind == "files":  # a remote folder
        return ray.data.read_binary_files(source.path, include_paths=True,
                                          file_extensions=[e.lstrip(".") for e in inputs.ARTICLE_EXTENSIONS])
    if source.kind == "parquet":
        ds = ray.data.read_parquet(source.path)
    else:
        ds = ray.data.read_json(source.path, lines=True, file_extensions=[e.lstrip(".") for e in inputs.JSONL_EXTENSIONS])
    names = ds.schema().names
    missing = [c for c in ("id", "text") if c not in names]
    if missing:
        raise InputError(f"{source.path}: records need 'id' and 'text' fields; missing {', '.join(missing)}")
    return ds.select_columns(["id", "text"])


def _absolute(ref: dict) -> dict:
    """An item's reference with its file named from the root: Ray's workers do not run in this folder."""
    from viensum import inputs

    out = dict(ref)
    for key in ("file", "zip", "jsonl", "parquet"):
        if key in out:
            out[key] = inputs.printable(os.path.abspath(os.fsdecode(inputs.unprintable(out[key]))))
    return out
