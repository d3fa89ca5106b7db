"""One cgroup v1 group per sandbox, over the controllers this machine lets us write.

A sandbox's processes all join the same group (the same folder name under each controller), from
before the sandbox starts, so every descendant is counted:

- ``pids``: at most ``max_pids`` processes and threads (TensorFlow starts dozens), which stops a
  fork bomb that neither ``RLIMIT_NPROC`` (not enforced when the sandbox's uid maps to root) nor
  the PID namespace would;
- ``cpu``: equal ``cpu.shares`` for every sandbox and a CFS quota of ``cpu_cores`` cores, so a
  submission never gets more than that however many processes it starts;
- ``cpuacct``: the CPU time the whole group used (to tell a starved sandbox from a busy one);
- ``memory``: ``memory.limit_in_bytes`` (and ``memory.memsw.limit_in_bytes`` where swap is
  accounted) over all the group's processes *and* the tmpfs pages they write; the kernel's OOM
  killer ends a process of the group when it is reached, counted in ``memory.oom_control``.

A sandbox's group is made inside the grader's own group of each controller (as
``/proc/self/cgroup`` names it), so whatever limits and accounting the grader itself runs under (a
systemd service, a container) still cover its sandboxes. Each controller is optional: where one
is missing or read-only (not root, cgroup v2 only, a container) it is left out, and
:func:`available` says which are in force. Group folders are named
``autograder-<grader pid>-<random>`` so that :func:`remove_leftovers` can tell the groups of a
grader that was killed from those of a grader still running.
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
CONTROLLERS = ("pids", "cpu", "cpuacct", "memory")
PREFIX = "autograder-"
#: The CFS period the quota is a fraction of (µs; the kernel's default).
CPU_PERIOD_US = 100_000
#: Untagged leftovers (from graders older than the ``<pid>`` tag) are removed once this old (s).
UNTAGGED_STALE_SECONDS = 3600.0


@dataclass(frozen=True)
class Group:
    """One sandbox's cgroup: controller name -> its folder, for each controller in force."""

    name: str
    folders: dict[str, Path]

    def read(self, controller: str, file: str) -> str | None:
        """A control file's text (``None`` when that controller is not in force or unreadable)."""
        folder = self.folders.get(controller)
        if folder is None:
            return None
        try:
            return (folder / file).read_text()
        except OSError:
            return None


@lru_cache(maxsize=1)
def available() -> tuple[str, ...]:
    """The controllers a sandbox's group gets here, e.g. ``("pids", "cpu", "cpuacct", "memory")``;
    empty when cgroups cannot be used."""
    try:
        with sandbox_group(16, memory_bytes=1 << 30) as group:
            return tuple(group.folders) if group is not None else ()
    except OSError:
        return ()


@contextmanager
def sandbox_group(max_pids: int, memory_bytes: int | None = None, cpu_cores: float = 1.0):
    """A fresh group limited to ``max_pids`` processes, ``cpu_cores`` cores and ``memory_bytes``
    of memory (``None``: not limited); removed, its processes killed, on exit. Yields ``None``
    when no controller can be used here."""
    name = f"{PREFIX}{os.getpid()}-{uuid.uuid4().hex[:12]}"
    parents = own_groups()
    settings = {
        "pids": [("pids.max", str(max_pids))],
        "cpu": [("cpu.shares", "1024"), ("cpu.cfs_period_us", str(CPU_PERIOD_US)),
                ("cpu.cfs_quota_us", str(int(cpu_cores * CPU_PERIOD_US)))],
        "cpuacct": [],
        "memory": [] if memory_bytes is None else [("memory.limit_in_bytes", str(memory_bytes))],
    }
    folders: dict[str, Path] = {}
    try:
        for controller, parent in parents.items():
            folder = _make(parent / name, settings[controller])
            if folder is not None:
                folders[controller] = folder
        if "memory" in folders and memory_bytes is not None:
            # Swap counts too where it is accounted (the file exists only then); it must come
            # after limit_in_bytes, which it may not be below.
            memsw = folders["memory"] / "memory.memsw.limit_in_bytes"
            if memsw.exists():
                memsw.write_text(str(memory_bytes))
        yield Group(name, folders) if folders else None
    finally:
        for folder in folders.values():
            _remove(folder)


def own_groups() -> dict[str, Path]:
    """Controller -> the folder of this process's own group, for each of :data:`CONTROLLERS`
    mounted under :data:`ROOT` (cgroup v1 lines of ``/proc/self/cgroup``: ``id:controllers:path``)."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return {}
    groups = {}
    for line in lines:
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(","):
            if controller in CONTROLLERS and (ROOT / controller).is_dir():
                groups[controller] = ROOT / controller / path.lstrip("/")
    return {c: groups[c] for c in CONTROLLERS if c in groups}


def _make(folder: Path, settings: list[tuple[str, str]]) -> Path | None:
    """``folder`` created with ``settings`` written, or ``None`` (and nothing left) if it cannot be."""
    try:
        folder.mkdir()
    except OSError:
        return None
    try:
        for file, value in settings:
            (folder / file).write_text(value)
    except OSError:
        _remove(folder)
        return None
    return folder


def wrap(command: list[str], group: Group | None) -> list[str]:
    """``command`` started inside ``group`` (so every descendant is counted from the start): a
    shell joins each controller's folder, then ``exec``\\ s the command (exit 125 if it cannot)."""
    if group is None:
        return command
    join = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"'
    procs = [str(folder / "cgroup.procs") for folder in group.folders.values()]
    return ["/bin/sh", "-c", join, "autograder-cgroup", *procs, "--", *command]


def kill_all(group: Group | None) -> None:
    """SIGKILL every process of ``group`` (in any of its controllers)."""
    if group is None:
        return
    for folder in group.folders.values():
        _kill_folder(folder)


def cpu_seconds(group: Group | None) -> float | None:
    """CPU time (s, all processes, user + system) the group used so far; ``None`` if unknown."""
    text = group.read("cpuacct", "cpuacct.usage") if group else None
    return int(text) / 1e9 if text and text.strip().isdigit() else None


def oom_kills(group: Group | None) -> int | None:
    """Processes of the group the OOM killer ended for its memory limit; ``None`` if unknown."""
    text = group.read("memory", "memory.oom_control") if group else None
    for line in (text or "").splitlines():
        key, _, value = line.partition(" ")
        if key == "oom_kill" and value.strip().isdigit():
            return int(value)
    return None


def memory_peak(group: Group | None) -> int | None:
    """The most memory (bytes, processes and tmpfs) the group held at once; ``None`` if unknown."""
    text = group.read("memory", "memory.max_usage_in_bytes") if group else None
    return int(text) if text and text.strip().isdigit() else None


def remove_leftovers() -> list[Path]:
    """Remove the groups of graders that are gone (killed before they could clean up), killing
    any process still in them; return the folders removed.

    A folder ``autograder-<pid>-…`` is a leftover when process ``<pid>`` no longer exists; an
    untagged ``autograder-…`` folder (older graders) when it holds no process and is over an hour
    old. The groups of graders still running are never touched.
    """
    removed = []
    for parent in own_groups().values():
        try:
            folders = sorted(parent.glob(f"{PREFIX}*"))
        except OSError:
            continue
        for folder in folders:
            if folder.is_dir() and _is_leftover(folder) and _remove(folder):
                removed.append(folder)
    return removed


def _is_leftover(folder: Path) -> bool:
    owner = folder.name[len(PREFIX):].split("-")[0]
    if owner.isdigit() and len(folder.name.split("-")) == 3:
        return not _alive(int(owner))
    try:
        empty = not (folder / "cgroup.procs").read_text().split()
        age = time.time() - folder.stat().st_mtime
    except OSError:
        return False
    return empty and age > UNTAGGED_STALE_SECONDS


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _kill_folder(folder: Path) -> None:
    try:
        pids = (folder / "cgroup.procs").read_text().split()
    except OSError:
        return
    for pid in pids:
        try:
            os.kill(int(pid), signal.SIGKILL)
        except (ProcessLookupError, ValueError):
            pass


def _remove(folder: Path) -> bool:
    """Kill ``folder``'s processes and remove it (a cgroup folder goes only once empty)."""
    for _ in range(50):
        _kill_folder(folder)
        try:
            folder.rmdir()
            return True
        except FileNotFoundError:
            return True
        except OSError:
            time.sleep(0.1)
    return False
