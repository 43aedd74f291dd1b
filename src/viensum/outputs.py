"""Writing results safely: outputs that never damage an input, files that land whole or not at all.

Writing (:func:`atomic_write`): results go to a temporary file beside the target,
moved over it with :func:`os.replace` only when complete, so a failed or interrupted
run leaves the previous file as it was; :func:`check_output` refuses an output that
is an input, lies inside a folder being read, or is not a regular file.
"""
from __future__ import annotations

import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterable, Iterator

from viensum.errors import InputError
from viensum.inputs import input_paths, printable

def _real(path: str | os.PathLike) -> str:
    return os.path.realpath(os.fspath(path))


def _inside(child: str, parent: str) -> bool:
    return child == parent or child.startswith(parent.rstrip(os.sep) + os.sep)


def check_output(output: str | os.PathLike, inputs: Iterable[str | os.PathLike] = (), *,
                 folder: bool = False) -> None:
    """Refuse, before any work, an output that would damage an input or cannot be written safely.

    ``output`` must not be an input, lie inside an input folder, or (``folder=True``:
    an output folder) hold an input; an existing output must be a regular file
    (or a folder when ``folder``): a device such as ``/dev/full`` is refused.
    """
    shown = printable(output)
    if "\x00" in os.fsdecode(os.fspath(output)):
        raise InputError(f"{shown} is not a valid file name (it holds a NUL character)")
    out = _real(output)
    if os.path.lexists(output):
        mode = os.stat(out).st_mode if os.path.exists(out) else 0
        if folder and not stat.S_ISDIR(mode):
            raise InputError(f"{shown} is not a folder; the output here is a folder of files")
        if not folder and stat.S_ISDIR(mode):
            raise InputError(f"{shown} is a folder; give a file name")
        if not folder and not stat.S_ISREG(mode):
            raise InputError(f"{shown} is not a regular file; give a file name, or leave out -o for stdout")
    for spec in input_paths(list(inputs)):
        real = _real(spec)
        if out == real:
            raise InputError(f"the output {shown} is also an input; pick another output name")
        if os.path.isdir(real) and _inside(out, real):
            raise InputError(f"the output {shown} is inside the input folder {printable(spec)}; "
                             "write it somewhere else")
        if folder and _inside(real, out):
            raise InputError(f"the output folder {shown} holds the input {printable(spec)}; "
                             "write to another folder")


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary path beside ``path`` (same extension, for writers such as matplotlib's savefig),
    moved over ``path`` only when the block ends without an error; otherwise removed."""
    target = Path(path)
    if target.exists() and not target.is_file():
        raise InputError(f"{printable(target)} is not a regular file")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp" + target.suffix, dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        if target.exists():  # keep the permissions the file had
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        else:  # mkstemp's 0600 is for the temporary; the result gets the usual mode
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


@contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "w", *, encoding: str | None = "utf-8",
                 newline: str | None = None) -> Iterator[IO]:
    """Write ``path`` all at once: a temporary file beside it, moved over it only when the block ends
    without an error. A failed or interrupted write leaves the old file (or no file) as it was."""
    with atomic_path(path) as tmp:
        binary = "b" in mode
        with open(tmp, mode, encoding=None if binary else encoding, newline=None if binary else newline) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())


def write_atomic(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write text (UTF-8) or bytes to ``path`` atomically; returns the path."""
    with atomic_write(path, "wb" if isinstance(data, bytes) else "w") as fh:
        fh.write(data)
    return Path(path)


def safe_filename(item_id: str, limit: int = 150) -> str:
    """A file name for an id (clean -o DIR): no folders, no leading dot, not too long."""
    name = "".join("_" if c in "/\\\0" or not c.isprintable() else c for c in item_id).lstrip(".") or "article"
    encoded = name.encode("utf-8")
    if len(encoded) > limit:
        name = encoded[:limit].decode("utf-8", "ignore")
    return name
