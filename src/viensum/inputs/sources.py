"""What the inputs name: files, folders (top level), globs, ``-`` for stdin, http(s) URLs and
.txt files that list URLs, resolved to the sources :mod:`viensum.inputs` reads in order."""
from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from viensum.errors import InputError
from viensum.inputs.files import _os_message, read_file
from viensum.inputs.items import FEED_EXTENSIONS, INPUT_EXTENSIONS, Limits, _ext, printable

STDIN = "-"


@dataclass
class _Source:
    path: str          # as the OS gives it (may hold surrogate escapes); "-" for stdin
    rel: str           # the part ids are made from: relative to the folder/glob, or the file name
    error: str | None = None
    listing: bool = False  # a saved feed or section page: read for the articles it lists


def _has_magic(spec: str) -> bool:
    return any(c in spec for c in "*?[")


def _sources(specs: Sequence[str | os.PathLike]) -> Iterator[_Source]:
    for spec in specs:
        spec = os.fspath(spec)
        if isinstance(spec, bytes):
            spec = os.fsdecode(spec)
        if spec == STDIN:
            yield _Source(STDIN, "stdin")
        elif _is_url(spec):
            yield _Source(spec, spec)
        elif "\x00" in spec:  # no operating system allows it; open() would raise ValueError
            yield _Source(spec, os.path.basename(spec), "not a valid file name (it holds a NUL character)")
        elif os.path.isdir(spec):
            try:
                names = sorted(n for n in os.listdir(spec) if not n.startswith(".") and _ext(n) in INPUT_EXTENSIONS)
            except OSError as exc:
                yield _Source(spec, os.path.basename(spec.rstrip("/")) or spec, _os_message(exc))
                continue
            files = [n for n in names if os.path.isfile(os.path.join(spec, n))]
            listing = False
            if any(_ext(n) in FEED_EXTENSIONS for n in files):
                from viensum.fetch.items import saved_listings

                # saved feeds: read them (and saved section pages), their pages standing in for the web;
                # .xml files that are not feeds are not articles either
                listed = saved_listings(spec, files)
                listing = bool(listed)
                files = listed or [n for n in files if _ext(n) not in FEED_EXTENSIONS]
            if not files:  # a usage mistake, found while listing: the run is refused before any work
                raise InputError(f"no articles in {printable(spec)}: expected {', '.join(INPUT_EXTENSIONS)} files "
                                 "(sub-folders are not entered; name them, or use a glob such as 'DIR/**/*.html')")
            for n in files:
                yield _Source(os.path.join(spec, n), n, listing=listing)
        elif os.path.lexists(spec) or not _has_magic(spec):
            yield _Source(spec, os.path.basename(spec))
        else:
            root = _glob_root(spec)
            matches = sorted(p for p in glob.glob(spec, recursive=True)
                             if os.path.isfile(p) and _ext(p) in INPUT_EXTENSIONS)
            if not matches:
                raise InputError(f"no article files match {printable(spec)}")
            for p in matches:
                yield _Source(p, os.path.relpath(p, root) if root else p)


def _glob_root(pattern: str) -> str:
    """The folder part of a glob before its first wildcard: ids are relative to it."""
    parts = []
    for part in Path(pattern).parts:
        if _has_magic(part):
            break
        parts.append(part)
    return os.path.join(*parts) if parts else ""


def input_paths(specs: Sequence[str | os.PathLike]) -> list[str]:
    """The files and folders the inputs name (globs expanded; stdin left out): what an output must not touch."""
    out = []
    for spec in specs:
        spec = os.fsdecode(os.fspath(spec))
        if spec == STDIN:
            continue
        if not os.path.lexists(spec) and _has_magic(spec):
            out.extend(glob.glob(spec, recursive=True))
        else:
            out.append(spec)
    return out


def _is_url(spec: str) -> bool:
    return spec[:8].lower().startswith(("http://", "https://"))


def _url_list(path: str, limits: Limits) -> list[str] | None:
    """The URLs of a .txt file whose non-empty lines are all http(s) URLs (else None: an article)."""
    try:
        lines = [line.strip() for line in read_file(path, limits.file_bytes).decode("utf-8-sig").splitlines()]
    except (OSError, InputError, UnicodeDecodeError):
        return None
    urls = [line for line in lines if line]
    return urls if urls and all(_is_url(u) and " " not in u for u in urls) else None
