"""Writing results safely: outputs that never damage an input, files that land whole or not at all.

Writing (:func:`atomic_write`): results go to a temporary file beside the target,
moved over it with :func:`os.replace` only when complete, so a failed or interrupted
run leaves the previous file as it was; :func:`check_output` refuses an output that
is an input (by path or by device and inode: a hard link), lies inside a folder being
read, or is not a regular file; :func:`check_writable` finds a read-only or full disk
before any work. One run at a time writes an output: :func:`output_lock` (a lock file
``.NAME.lock`` beside it, held while writing; a second run is refused, saying so).
Temporaries a killed run left (``.NAME.XXXXXXXX.tmp.EXT``) are removed by the next
write of the same output.
"""
from __future__ import annotations

import errno
import fcntl
import logging
import os
import re
import stat
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterable, Iterator

from viensum.errors import InputError
from viensum.inputs import input_paths, printable

log = logging.getLogger(__name__)
_HELD: dict[str, int] = {}  # outputs this process holds the lock of -> how many holders (re-entrant)
_HELD_GUARD = threading.Lock()

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
    same = _inode(out)
    for spec in input_paths(list(inputs)):
        real = _real(spec)
        if out == real or (same is not None and same in _input_inodes(real)):
            raise InputError(f"the output {shown} is also an input (the same file{'' if out == real else ': a hard link'}); "
                             "pick another output name")
        if os.path.isdir(real) and _inside(out, real):
            raise InputError(f"the output {shown} is inside the input folder {printable(spec)}; "
                             "write it somewhere else")
        if folder and _inside(real, out):
            raise InputError(f"the output folder {shown} holds the input {printable(spec)}; "
                             "write to another folder")


def _inode(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _input_inodes(real: str) -> set[tuple[int, int]]:
    """(device, inode) of an input file, or of the files directly in an input folder (what is read)."""
    if not os.path.isdir(real):
        return {i for i in [_inode(real)] if i is not None}
    try:
        names = os.listdir(real)
    except OSError:
        return set()
    return {i for i in (_inode(os.path.join(real, n)) for n in names) if i is not None}


def check_writable(output: str | os.PathLike) -> None:
    """Refuse, before any work, an output on a read-only or full disk, or in a folder that cannot be written:
    a probe file is written (64 KiB), synced and removed in the nearest existing folder. Nothing is created."""
    target = Path(output)
    shown = printable(target)
    if target.exists() and not os.access(target, os.W_OK):
        raise InputError(f"cannot write {shown}: permission denied")
    folder = target if target.is_dir() else target.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        fd, probe = tempfile.mkstemp(prefix=".viensum-probe.", dir=folder)
        try:
            os.write(fd, b"\0" * 65536)
            os.fsync(fd)
        finally:
            os.close(fd)
            os.unlink(probe)
    except OSError as exc:
        raise InputError(f"cannot write {shown}: {exc.strerror or exc}") from None


@contextmanager
def output_lock(path: str | os.PathLike) -> Iterator[None]:
    """Hold the output ``path`` for this run: a second run on the same output (in this process or
    another) is refused with a line saying so. Re-entrant within a process."""
    key = _real(path)
    with _HELD_GUARD:
        if key in _HELD:
            _HELD[key] += 1
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield
        finally:
            with _HELD_GUARD:
                _HELD[key] -= 1
        return
    lock_path = os.path.join(os.path.dirname(key), f".{os.path.basename(key)}.lock")
    fd = _acquire(lock_path, printable(path))
    with _HELD_GUARD:
        _HELD[key] = 1
    try:
        yield
    finally:
        with _HELD_GUARD:
            del _HELD[key]
        try:
            os.unlink(lock_path)
        except OSError:
            pass
        os.close(fd)


def _acquire(lock_path: str, shown: str) -> int:
    os.makedirs(os.path.dirname(lock_path), exist_ok=True)
    while True:
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise InputError(f"cannot write {shown}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise InputError(f"another viensum run is writing {shown} (it holds {printable(lock_path)}); "
                                 "wait for it to end, or pick another output") from None
            raise
        # the previous holder may have removed the lock file between our open and our lock: lock the new one
        if _inode(lock_path) == (os.fstat(fd).st_dev, os.fstat(fd).st_ino):
            return fd
        os.close(fd)


def _remove_stale_temporaries(target: Path) -> None:
    """Temporaries of ``target`` (``.NAME.XXXXXXXX.tmp.EXT``) a killed run left; called holding its lock,
    so none of them is being written."""
    pattern = re.compile(rf"\.{re.escape(target.stem)}\.[a-z0-9_]{{8}}\.tmp{re.escape(target.suffix)}")
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    for name in names:
        if pattern.fullmatch(name):
            try:
                os.unlink(target.parent / name)
                log.info("removed %s, left by an interrupted run", printable(target.parent / name))
            except OSError:
                pass


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary path beside ``path`` (same extension, for writers such as matplotlib's savefig),
    moved over ``path`` only when the block ends without an error; otherwise removed. The output is
    locked meanwhile (:func:`output_lock`); errors name ``path``, not the temporary."""
    target = Path(path)
    shown = printable(target)
    if target.exists() and not target.is_file():
        raise InputError(f"{shown} is not a regular file")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot write {shown}: {exc.strerror or exc}") from None
    with output_lock(target):
        _remove_stale_temporaries(target)
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp" + target.suffix, dir=target.parent)
        except OSError as exc:
            raise InputError(f"cannot write {shown}: {exc.strerror or exc}") from None
        os.close(fd)
        try:
            yield Path(tmp)
            _finish(Path(tmp), target)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise


def _finish(tmp: Path, target: Path) -> None:
    try:
        if target.exists():  # keep the permissions the file had
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        else:  # mkstemp's 0600 is for the temporary; the result gets the usual mode
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as exc:
        raise InputError(f"cannot write {printable(target)}: {exc.strerror or exc}") from None


@contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "w", *, encoding: str | None = "utf-8",
                 newline: str | None = None) -> Iterator[IO]:
    """Write ``path`` all at once: a temporary file beside it, moved over it only when the block ends
    without an error. A failed or interrupted write leaves the old file (or no file) as it was."""
    with atomic_path(path) as tmp:
        binary = "b" in mode
        fh = open(tmp, mode, encoding=None if binary else encoding, newline=None if binary else newline)
        try:
            yield fh
            try:
                fh.flush()
                os.fsync(fh.fileno())
                fh.close()
            except OSError as exc:  # a full disk shows here: say so naming the output, not the temporary
                raise InputError(f"cannot write {printable(path)}: {exc.strerror or exc}") from None
        finally:
            try:
                fh.close()
            except OSError:
                pass


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
