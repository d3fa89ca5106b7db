"""Write a file atomically: a reader sees the old file or the whole new one, never half of it.

The text goes to a hidden ``.tmp-<random>-<name>`` beside the target, which then replaces the
target in one ``os.replace``. On any failure (an exception while writing, a target that is a
folder) the temporary file is removed, so no ``.tmp-*`` file is ever left behind.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


@contextmanager
def atomic_write(path: Path, *, mode: int = 0o666, newline: str | None = None,
                 fsync: bool = False) -> Iterator[TextIO]:
    """Open a UTF-8 text file that replaces ``path`` when the ``with`` block ends without error.

    ``mode`` is given to ``os.open``, so the user's umask applies as it does for ``open()``
    (0o666 gives 0o644 under umask 022); pass 0o600 for files only their owner should read.
    ``fsync``: flush the data to disk before the rename (survives a power cut, not only a kill).
    """
    path = Path(path)
    tmp = path.with_name(f".tmp-{secrets.token_hex(6)}-{path.name}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
            yield handle
            if fsync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
