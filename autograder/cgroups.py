"""A process-count limit for one sandbox, with the cgroup v1 ``pids`` controller when writable.

Threads count as processes (TensorFlow starts dozens), so the limit is generous; it stops a fork
bomb, which neither ``RLIMIT_NPROC`` (not enforced when the sandbox's uid maps to root) nor the
PID namespace would. Where the controller is missing or read-only, :func:`pids_group` yields
``None`` and nothing is limited (the level is reported by :func:`available`).
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

PIDS = Path("/sys/fs/cgroup/pids")


@lru_cache(maxsize=1)
def available() -> bool:
    try:
        with pids_group(16) as group:
            return group is not None
    except OSError:
        return False


@contextmanager
def pids_group(max_pids: int):
    """A fresh pids cgroup (its folder) limited to ``max_pids``; removed (its processes killed)
    on exit. ``None`` when cgroups cannot be used here."""
    group = PIDS / f"autograder-{uuid.uuid4().hex[:12]}"
    try:
        group.mkdir()
        (group / "pids.max").write_text(str(max_pids))
    except OSError:
        yield None
        return
    try:
        yield group
    finally:
        _remove(group)


def wrap(command: list[str], group: Path | None) -> list[str]:
    """``command`` started inside ``group`` (so every descendant is counted from the start)."""
    if group is None:
        return command
    return ["/bin/sh", "-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', str(group), *command]


def kill_all(group: Path | None) -> None:
    if group is None:
        return
    try:
        pids = (group / "cgroup.procs").read_text().split()
    except OSError:
        return
    for pid in pids:
        try:
            os.kill(int(pid), signal.SIGKILL)
        except (ProcessLookupError, ValueError):
            pass


def _remove(group: Path) -> None:
    for _ in range(50):
        kill_all(group)
        try:
            group.rmdir()
            return
        except OSError:
            time.sleep(0.1)
