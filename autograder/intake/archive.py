"""Read an LMS bulk download (a zip, or the folder it was unpacked into) without trusting it.

Every file of the download becomes an :class:`Entry` (its path inside the download, as text) or a
:class:`Refusal` naming the problem and the fix; nothing is dropped without a line saying so.
Nothing is unpacked to disk here: :meth:`Entry.read` returns the bytes, at most
:data:`MAX_FILE_BYTES` of them, whatever the zip's headers claim.

Refused, with the reason: entries whose path holds ``..`` or is absolute (they would land outside
the download), symbolic links (in a zip or in the folder), FIFOs and devices, files over the size
cap, entries that inflate more than :data:`MAX_RATIO` times (a zip bomb), entries damaged in the
download (a CRC error, a truncated stream). A zip that cannot be opened at all (truncated: no
central directory) raises :class:`ArchiveError`. A zip inside the download is an :class:`Entry`
like any other; the caller lists it (it is never unpacked). A name that is not UTF-8 is kept with
each undecodable byte written ``\\xNN``.
"""

from __future__ import annotations

import os
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

#: Largest file read from a download (bytes): the grader's own notebook cap.
MAX_FILE_BYTES = 20 * 1024 * 1024
#: Largest inflation of a zip entry accepted (uncompressed / compressed), above 1 MB.
MAX_RATIO = 200
#: Most entries read from one download.
MAX_ENTRIES = 100_000


class ArchiveError(Exception):
    """The download cannot be read at all; ``str(exc)`` names the problem and the fix."""


@dataclass(frozen=True)
class Refusal:
    path: str
    reason: str


@dataclass
class Entry:
    path: str  # inside the download, "/"-separated; undecodable bytes as \xNN
    size: int
    mtime: datetime | None
    _read: Callable[[int], bytes] = field(repr=False)

    def read(self, limit: int = MAX_FILE_BYTES) -> bytes:
        """The file's bytes; :class:`ValueError` naming the problem if it is over ``limit`` or
        damaged."""
        if self.size > limit:
            raise ValueError(f"it is {_size(self.size)}, over the limit of {_size(limit)}")
        data = self._read(limit)
        if len(data) > limit:  # the header understated the size
            raise ValueError(f"it inflates past the limit of {_size(limit)} (its header said "
                             f"{_size(self.size)}): a zip bomb or a damaged download")
        return data

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n} bytes"


def _text(raw: bytes) -> str:
    """A name as text: UTF-8 where it is, each other byte ``\\xNN``."""
    text = raw.decode("utf-8", "surrogateescape")
    return "".join(f"\\x{ord(c) - 0xDC00:02x}" if 0xDC80 <= ord(c) <= 0xDCFF else c for c in text)


def _outside(path: str) -> bool:
    parts = path.split("/")
    return (path.startswith("/") or (len(path) > 1 and path[1] == ":")
            or any(p == ".." for p in parts))


_OUTSIDE = ("its path leaves the download ('..' or an absolute path), so it was not unpacked; "
            "no LMS writes such names: ask the LMS for a fresh download, and the student to "
            "submit the notebook itself")


@contextmanager
def open_download(source: Path) -> Iterator[tuple[list[Entry], list[Refusal]]]:
    """``with open_download(zip_or_folder) as (entries, refusals)``; :class:`ArchiveError` if it
    cannot be read at all."""
    source = Path(source)
    if source.is_dir():
        yield _folder(source)
        return
    if not source.exists():
        raise ArchiveError(f"{source} does not exist: pass the zip the LMS gave you, or the "
                           "folder you unpacked it into")
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile as exc:
        raise ArchiveError(
            f"{source} is not a complete zip ({exc}): it was probably cut off while downloading; "
            "download it again from the LMS (or unzip what you can and pass the folder)") from None
    except OSError as exc:
        raise ArchiveError(f"{source} cannot be read ({exc.strerror})") from None
    with archive:
        yield _zip(archive)


def _zip(archive: zipfile.ZipFile) -> tuple[list[Entry], list[Refusal]]:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ArchiveError(f"the zip holds {len(infos)} entries, more than {MAX_ENTRIES}: this "
                           "is not an LMS download of one assignment")
    entries, refusals = [], []
    for info in infos:
        if info.is_dir():
            continue
        raw = info.filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437", "surrogateescape")
        path = _text(raw.replace(b"\\", b"/"))  # Windows zippers write \\ between folders
        mode = info.external_attr >> 16
        if _outside(path):
            refusals.append(Refusal(path, _OUTSIDE))
        elif stat.S_ISLNK(mode):
            refusals.append(Refusal(path, "it is a symbolic link, which is never followed; ask "
                                          "the student to submit the notebook itself"))
        elif (info.file_size > 2**20 and info.compress_size
              and info.file_size / info.compress_size > MAX_RATIO):
            refusals.append(Refusal(path, f"it inflates {info.file_size // info.compress_size}× "
                                          f"(to {_size(info.file_size)}): a zip bomb; not unpacked"))
        elif info.file_size > MAX_FILE_BYTES:
            refusals.append(Refusal(path, f"it is {_size(info.file_size)}, over the limit of "
                                          f"{_size(MAX_FILE_BYTES)}: ask the student to clear the "
                                          "outputs and submit again"))
        else:
            entries.append(Entry(path.removeprefix("./"), info.file_size, datetime(*info.date_time),
                                 _zip_reader(archive, info)))
    return entries, refusals


def _zip_reader(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[int], bytes]:
    def read(limit: int) -> bytes:
        try:
            with archive.open(info) as handle:
                return handle.read(limit + 1)
        except (zipfile.BadZipFile, EOFError, zlib.error, OSError) as exc:
            raise ValueError(f"it is damaged in the download ({exc}): download the zip "
                             "again") from None
        except NotImplementedError as exc:  # an unknown compression method
            raise ValueError(f"it cannot be unpacked ({exc})") from None
    return read


def _folder(root: Path) -> tuple[list[Entry], list[Refusal]]:
    entries, refusals = [], []
    base = os.fsencode(root)
    for folder, dirs, files in os.walk(base, followlinks=False):
        rel_dir = os.path.relpath(folder, base)
        for name in sorted(dirs):
            full = os.path.join(folder, name)
            if os.path.islink(full):
                refusals.append(Refusal(_rel(rel_dir, name), "it is a symbolic link to a "
                                        "folder, which is never followed"))
        dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(folder, d)))
        for name in sorted(files):
            full = os.path.join(folder, name)
            path = _rel(rel_dir, name)
            info = os.lstat(full)
            if stat.S_ISLNK(info.st_mode):
                refusals.append(Refusal(path, "it is a symbolic link, which is never followed; "
                                              "copy the file itself into the folder"))
            elif not stat.S_ISREG(info.st_mode):
                refusals.append(Refusal(path, "it is not a regular file (a FIFO or a device)"))
            elif info.st_size > MAX_FILE_BYTES:
                refusals.append(Refusal(path, f"it is {_size(info.st_size)}, over the limit of "
                                              f"{_size(MAX_FILE_BYTES)}"))
            else:
                entries.append(Entry(path, info.st_size, datetime.fromtimestamp(info.st_mtime),
                                     _file_reader(full)))
        if len(entries) > MAX_ENTRIES:
            raise ArchiveError(f"{root} holds more than {MAX_ENTRIES} files: pass the folder of "
                               "one assignment's download")
    return entries, refusals


def _rel(rel_dir: bytes, name: bytes) -> str:
    return _text(name if rel_dir == b"." else os.path.join(rel_dir, name)).replace(os.sep, "/")


def _file_reader(full: bytes) -> Callable[[int], bytes]:
    def read(limit: int) -> bytes:
        fd = os.open(full, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ValueError("it is not a regular file")
            return handle.read(limit + 1)
    return read
