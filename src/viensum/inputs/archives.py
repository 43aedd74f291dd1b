"""Zip archives: each article member one item, never extracted to disk; entry count and declared
sizes checked before any member is inflated, members streamed with the byte cap."""
from __future__ import annotations

import os
import stat
import struct
import zipfile
from collections.abc import Iterator

from viensum.errors import InputError
from viensum.inputs.files import _fill, _os_message
from viensum.inputs.items import (ARTICLE_EXTENSIONS, HTML_EXTENSIONS, Item, Limits, _ext, _Ids, _stem, _Totals,
                                  printable)


def zip_members(archive: zipfile.ZipFile, limits: Limits) -> list[zipfile.ZipInfo]:
    """The article members, after checking the count and declared sizes (nothing is inflated here)."""
    infos = archive.infolist()
    if len(infos) > limits.zip_members:
        raise InputError(f"the archive has {len(infos):,} entries; the limit is {limits.zip_members:,}")
    members = [i for i in infos if not i.is_dir() and not i.filename.startswith("__MACOSX/")
               and not os.path.basename(i.filename.rstrip("/")).startswith(".")]
    total = sum(i.file_size for i in members)
    if total > limits.zip_bytes:
        raise InputError(f"the archive unpacks to {total:,} bytes; the limit is {limits.zip_bytes:,}")
    return members


def _declared_entries(path: str) -> int | None:
    """The entry count the archive's end record declares, read from its last bytes (None: not found,
    and zipfile will say what is wrong)."""
    with open(path, "rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        fh.seek(max(0, size - (1 << 16) - 22))  # the end record, after at most a 64 KB comment
        tail = fh.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) < at + 22:
            return None
        count = struct.unpack("<H", tail[at + 10:at + 12])[0]
        locator = tail.rfind(b"PK\x06\x07", 0, at)
        if count == 0xFFFF and locator >= 0 and len(tail) >= locator + 20:  # zip64: the count is elsewhere
            fh.seek(struct.unpack("<Q", tail[locator + 8:locator + 16])[0])
            record = fh.read(56)
            if record[:4] == b"PK\x06\x06" and len(record) == 56:
                count = struct.unpack("<Q", record[32:40])[0]
        return count


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> bytes:
    if info.file_size > limits.file_bytes:
        raise InputError(f"{info.file_size:,} bytes, over the {limits.file_bytes:,}-byte limit")
    with archive.open(info) as fh:  # streamed: never more than the cap in memory, whatever the header says
        data = fh.read(limits.file_bytes + 1)
    if len(data) > limits.file_bytes:
        raise InputError(f"over the {limits.file_bytes:,}-byte limit")
    return data


def zip_items(path: str, name: str, rel: str, limits: Limits, ids: _Ids, load: bool,
               totals: _Totals | None = None) -> Iterator[Item]:
    def failed(message: str) -> Item:
        return Item(ids.derived(_stem(rel), rel), name, error=message)

    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            yield failed("not a regular file")
            return
        if info.st_size > limits.zip_bytes:
            yield failed(f"the archive is {info.st_size:,} bytes; the limit is {limits.zip_bytes:,}")
            return
        entries = _declared_entries(path)
        if entries is not None and entries > limits.zip_members:  # before zipfile parses every entry
            yield failed(f"the archive has {entries:,} entries; the limit is {limits.zip_members:,}")
            return
        archive = zipfile.ZipFile(path)
    except OSError as exc:
        yield failed(_os_message(exc))
        return
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        yield failed("not a valid .zip archive")
        return
    with archive:
        try:
            members = zip_members(archive, limits)
        except InputError as exc:
            yield failed(str(exc))
            return
        if totals is not None:  # refused before inflating anything when its declared size is over what is left
            declared = sum(i.file_size for i in members if _ext(i.filename) in ARTICLE_EXTENSIONS)
            totals.check_bytes(declared, f"{name}, unpacking to {declared:,} bytes,")
        for info in members:
            member = printable(info.filename)
            ext = _ext(info.filename)
            item = Item(ids.derived(f"{rel}/{_stem(member)}", f"{rel}/{member}"), f"{name}/{member}",
                        fmt="html" if ext in HTML_EXTENSIONS else None,
                        ref={"zip": name, "member": info.filename})
            if ext not in ARTICLE_EXTENSIONS:
                item.error = f"unsupported file type '{ext or '(none)'}'; use one of {', '.join(ARTICLE_EXTENSIONS)}"
            elif load:
                def read(info=info) -> bytes:
                    try:
                        return read_member(archive, info, limits)
                    except InputError:
                        raise
                    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, RuntimeError) as exc:
                        # a damaged member, or an encrypted one (RuntimeError)
                        raise InputError(f"cannot unpack this member ({type(exc).__name__})") from None
                _fill(item, read, ext, limits, totals)
            yield item
