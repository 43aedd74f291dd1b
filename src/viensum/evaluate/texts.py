"""Predictions, references and sources read in: folders of ``<id>.txt``, JSONL/JSON and CSV files,
or Python lists and dicts. Ids are escaped by :func:`viensum.inputs.printable`, JSON Lines read by
:func:`viensum.inputs.iter_jsonl`: the same ids and the same reader as ``viensum summarize``.
"""
from __future__ import annotations

import csv
import io
import json
import os
import unicodedata
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from viensum.errors import InputError
from viensum.inputs import iter_jsonl, printable
from viensum.text import decode_bytes

LANGS = ("en", "vi")
MAX_LISTED_IDS = 20
# One predictions/references file. The JSONL `viensum summarize` writes carries each
# article too (~10 KB a record), so this holds tens of thousands of summaries.
MAX_INPUT_BYTES = 256_000_000
# the fields a record's text is looked for in, by role (the first present wins)
FIELDS = {"prediction": ("prediction", "summary_{lang}", "summary"),
          "reference": ("references", "reference", "reference_{lang}"),
          "source": ("source", "article", "text")}


def nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


def read_text(path: Path, limit: int = MAX_INPUT_BYTES) -> str:
    """A file's text (UTF-8, UTF-16 or Windows-1258), refusing a binary or oversized one."""
    size = path.stat().st_size
    if size > limit:
        raise InputError(f"{printable(path)}: {size:,} bytes, over the {limit:,}-byte limit")
    with path.open("rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:  # a file that grew, or one whose size the system does not know
        raise InputError(f"{printable(path)}: over the {limit:,}-byte limit")
    try:
        return decode_bytes(data)
    except InputError as exc:
        raise InputError(f"{printable(path)}: {exc}") from None


def list_ids(what_a: str, a: Iterable[str], what_b: str, b: Iterable[str]) -> str:
    parts = []
    for label, ids in ((what_a, list(a)), (what_b, list(b))):
        if ids:
            shown = ", ".join(ids[:MAX_LISTED_IDS])
            more = f" and {len(ids) - MAX_LISTED_IDS} more" if len(ids) > MAX_LISTED_IDS else ""
            parts.append(f"{label}: {shown}{more}")
    return "; ".join(parts)


def missing_ids_error(what_a: str, a: Iterable[str], what_b: str, b: Iterable[str],
                      lead: str = "ids do not match") -> InputError:
    return InputError(f"{lead}; {list_ids(what_a, a, what_b, b)}")


def as_mapping(data: Any, role: str, *, lang: str, ids: Sequence[str] | None, field: str | None = None
               ) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Predictions, references or sources in any accepted form -> ({id: [texts]}, {id: why it is empty})."""
    if isinstance(data, (str, os.PathLike)):
        return load(data, role, lang=lang, field=field)
    if isinstance(data, Mapping):
        items = list(data.items())
    elif isinstance(data, Sequence):
        keys = list(ids) if ids is not None else [str(i + 1) for i in range(len(data))]
        if len(keys) != len(data):
            raise InputError(f"{len(keys)} ids but {len(data)} {role}s")
        items = list(zip(keys, data))
    else:
        raise InputError(f"{role}s must be a list, a dict of id -> text, or a path, not {type(data).__name__}")
    return {str(key): texts_of(value, f"{role} {key!r}") for key, value in items}, {}


def texts_of(value: Any, where: str) -> list[str]:
    """One text, or several (a list), NFC-normalised; anything else is an InputError."""
    values = value if isinstance(value, (list, tuple)) else [value]
    if not all(v is None or isinstance(v, str) for v in values):
        raise InputError(f"{where} is not text (a string, or a list of strings for several)")
    return [nfc(v) for v in values]


def load_texts(path: str | os.PathLike, role: str = "prediction", *, lang: str = "en",
               field: str | None = None) -> dict[str, list[str]]:
    """Read predictions, references or sources from a directory, JSONL/JSON or CSV file.

    Directories hold ``<id>.txt`` files; references may be several per id
    (``<id>.1.txt``, ``<id>.2.txt``) and language-tagged (``<id>.en.txt``:
    only files tagged ``lang`` or untagged are read). JSONL/JSON/CSV records
    have an ``id`` and a ``prediction`` (or ``summary_<lang>``, as written by
    ``viensum summarize``), ``reference``/``references`` (a list for several)
    and ``source`` field; ``field`` names another one. Unreadable, binary or
    malformed input raises :class:`InputError`.
    """
    return load(path, role, lang=lang, field=field)[0]


def load(path: str | os.PathLike, role: str, *, lang: str, field: str | None
         ) -> tuple[dict[str, list[str]], dict[str, str]]:
    """:func:`load_texts`, and for records whose text is empty, what the record says about why."""
    shown = printable(path)  # as given: Path() would turn "http://host/x" into "http:/host/x"
    path = Path(path)
    why: dict[str, str] = {}
    if path.is_dir():
        found = read_dir(path, lang)
    elif path.is_file():
        suffix = path.suffix.lower()
        if suffix == ".txt":
            return {printable(path.name.split(".")[0]): [nfc(read_text(path))]}, why
        found = from_records(read_records(path), role, lang=lang, field=field, where=shown, why=why)
    elif path.exists():
        raise InputError(f"{shown}: not a regular file or directory")
    else:
        raise InputError(f"no such file or directory: {shown}")
    if not found:
        raise InputError(f"{shown}: no {role}s found")
    if role != "reference":
        several = sorted(k for k, v in found.items() if len(v) > 1)
        if several:
            raise InputError(f"{shown}: several {role}s for ids: {', '.join(several[:MAX_LISTED_IDS])}")
    return found, why


def read_records(path: Path) -> list[Any]:
    """The records of a .jsonl, .json, .csv or .tsv file."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return read_jsonl(path)
    if suffix == ".json":
        try:
            data = json.loads(read_text(path))
        except (ValueError, RecursionError) as exc:  # JSONDecodeError, a 5000-digit number, [[[[...]]]]
            raise InputError(f"{printable(path)}: not valid JSON ({exc})") from None
        return data if isinstance(data, list) else [data]
    if suffix in (".csv", ".tsv"):
        try:
            return list(csv.DictReader(io.StringIO(read_text(path), newline=""),
                                       delimiter="\t" if suffix == ".tsv" else ","))
        except csv.Error as exc:
            raise InputError(f"{printable(path)}: not a valid {suffix[1:].upper()} file ({exc})") from None
    raise InputError(f"{printable(path)}: expected a directory, .jsonl, .json or .csv file")


def read_jsonl(path: Path) -> list[Any]:
    """Every record of a JSON Lines file, through viensum.inputs' reader; a bad line refuses the file."""
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise InputError(f"{printable(path)}: {size:,} bytes, over the {MAX_INPUT_BYTES:,}-byte limit")
    records = []
    try:
        for number, _, record, error in iter_jsonl(path, MAX_INPUT_BYTES):
            if error is not None:
                raise InputError(f"{printable(path)}: not valid JSON (line {number}: {error})")
            records.append(record)
    except OSError as exc:
        raise InputError(f"{printable(path)}: {exc.strerror or exc}") from None
    return records


def read_dir(path: Path, lang: str) -> dict[str, list[str]]:
    """``<id>[.N][.lang].txt`` files: each id's texts, numbered ones in order; other languages left out."""
    tags = set(LANGS) | {lang}
    found: dict[str, list[tuple[int, str]]] = {}
    for file in sorted(path.glob("*.txt")):
        if not file.is_file():
            continue
        parts = printable(file.name[: -len(".txt")]).split(".")
        tag, number = None, 0
        while len(parts) > 1 and (parts[-1].isdigit() or parts[-1] in tags):
            last = parts.pop()
            if last.isdigit():
                number = int(last)
            else:
                tag = last
        if tag is not None and tag != lang:
            continue
        found.setdefault(".".join(parts), []).append((number, nfc(read_text(file))))
    # <id>.txt, then <id>.1.txt, <id>.2.txt ... <id>.10.txt
    return {k: [t for _, t in sorted(v, key=lambda nt: nt[0])] for k, v in found.items()}


def from_records(records: list[Any], role: str, *, lang: str, field: str | None,
                 where: str, why: dict[str, str]) -> dict[str, list[str]]:
    """Each record's id and text for ``role`` (``field``, else the first of :data:`FIELDS` present)."""
    candidates = (field,) if field else tuple(name.format(lang=lang) for name in FIELDS[role])
    out: dict[str, list[str]] = {}
    for n, rec in enumerate(records, 1):
        if not isinstance(rec, dict):
            raise InputError(f"{where}: record {n} is not an object")
        # csv.DictReader files the cells of an over-long row under the key None
        rec = {k: v for k, v in rec.items() if isinstance(k, str)}
        key = str(rec.get("id") if rec.get("id") not in (None, "") else n)
        if key in out:
            raise InputError(f"{where}: duplicate id {key!r}")
        if role == "reference" and not field and any(c.startswith("reference") for c in rec):
            # CSV spells several references as columns reference, reference2, reference_3, ...
            names = sorted((c for c in rec if c.startswith("reference")), key=lambda c: (len(c), c))
            values = [v for c in names for v in texts_of(rec[c], f"{where}: record {n}, field {c!r}")]
            out[key] = [v for v in values if v]
            continue
        name = next((c for c in candidates if c in rec), None)
        if name is None:
            raise InputError(f"{where}: record {n} has no {' / '.join(candidates)} field "
                             f"(fields: {', '.join(rec)}); pick one with --field")
        value = rec[name]
        if isinstance(value, dict):  # an Article, as in summarize's JSONL
            value = article_text(value, f"{where}: record {n}, field {name!r}")
        out[key] = texts_of(value, f"{where}: record {n}, field {name!r}")
        if not any(out[key]):
            why[key] = why_empty(rec, name)
    return out


def article_text(value: dict[str, Any], where: str) -> str:
    from viensum.results import Article

    title, paragraphs = value.get("title") or "", value.get("paragraphs") or []
    if not isinstance(title, str) or not isinstance(paragraphs, list) \
            or not all(isinstance(p, str) for p in paragraphs):
        raise InputError(f"{where} is neither text nor an article (title, paragraphs)")
    return Article(title=title, paragraphs=paragraphs).text


def why_empty(record: dict[str, Any], name: str) -> str:
    """Why a record's text is empty, from what a `viensum summarize` record carries."""
    error = record.get("error")
    if error:
        return f"the summariser failed on it ({' '.join(str(error).split())[:200]})"
    if name == "summary_en" and "recipe" in record:
        reason = "no English model was installed when these summaries were made"
        notes = [n for n in record.get("notes") or [] if isinstance(n, str)]
        hint = next((n for n in notes if "English" in n), None) or next((n for n in notes if "download" in n), None)
        return f"{reason} (the records say: {hint})" if hint else reason
    return f"its {name!r} field is empty"
