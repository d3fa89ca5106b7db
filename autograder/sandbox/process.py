"""Start a run's process afresh in the sandbox (:func:`run`), supervise it until it ends, and
kill it (the whole sandbox) when it must stop."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

from autograder.contract.limits import Limits
from autograder.sandbox import cgroups, child, isolation, userns
from autograder.sandbox.channel import RunResult, watch
from autograder.sandbox.command import (
    HOME,
    command,
    hidden_folders,
    kernel_argv,
    kernel_environment,
    rlimits,
)


def run(job: dict, limits: Limits, notebook_name: str, folder: str = "work",
        deadline: float | None = None, course_root: Path | str | None = None,
        submissions_dir: Path | str | None = None) -> RunResult:
    """Run ``job`` (cells, calls, activations; see :func:`autograder.sandbox.child.child_main`) in a
    sandbox; return its events and how it ended. Never raises for anything the child does.

    The calls are made in the order given, each sent to the child only when it asks for the next
    one and every call sent so far has its result (see :class:`_CallFeeder`). ``course_root``
    (gradebook, journal, cases, source notebooks) and ``submissions_dir`` are made absent in the
    sandbox even where a system folder holds them (``/usr/src/app``)."""
    level = isolation.isolation_level()
    scratch = Path(tempfile.mkdtemp(prefix="nb-"))
    home = HOME if level == "bubblewrap" else str(scratch)
    if level != "bubblewrap":
        (scratch / folder).mkdir()
    try:
        with userns.nobody_namespace() if level == "bubblewrap" else nullcontext() as namespace:
            env = kernel_environment(notebook_name, home)
            argv = kernel_argv(home)
            cmd = command(level, env, scratch, limits, folder, argv, namespace,
                          hidden_folders([course_root, submissions_dir]))
            return _supervise(cmd, job, argv, limits,
                              env if level != "bubblewrap" else None,
                              str(scratch / folder) if level != "bubblewrap" else None, deadline)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def job_header(job: dict, argv: list[str], limits: Limits, channel_fd: int) -> dict:
    """The first line a run's process reads: ``job`` without its calls (they are streamed), and
    what the harness needs to look like a kernel and keep to the limits."""
    calls = job.get("calls", [])
    header = {k: v for k, v in job.items() if k not in ("calls", "preload")}
    header.update(argv=argv, rlimits=rlimits(limits), channel_fd=channel_fd,
                  models=any(c.get("kind") == "model" for c in calls),
                  steps=any("probe" in c for c in calls),
                  cell_timeout=limits.cell_timeout, call_timeout=limits.call_timeout)
    return header


def harness_payload(header: dict) -> bytes:
    """What a fresh sandbox process reads on stdin: the harness's source, then ``header``."""
    source = Path(child.__file__).read_text(encoding="utf-8")
    return f"{len(source)}\n{source}{json.dumps(header)}\n".encode()


#: Descriptors the sandbox's start-up shell opens for bwrap (the user namespace and the filter).
SHELL_FDS = (3, 4)


def passable_pipe() -> tuple[int, int]:
    """``os.pipe()`` whose write end is numbered above :data:`SHELL_FDS` (a descriptor handed to
    the sandbox keeps its number, and the start-up shell would replace 3 and 4)."""
    read_fd, write_fd = os.pipe()
    return read_fd, passable(write_fd)


def passable(fd: int) -> int:
    """``fd`` renumbered above :data:`SHELL_FDS` if it is not already (the original is closed)."""
    if fd > max(SHELL_FDS):
        return fd
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, max(SHELL_FDS) + 1)
    os.close(fd)
    return moved


def _supervise(cmd, job, argv, limits: Limits, env, cwd, deadline) -> RunResult:
    started = time.monotonic()
    deadline = min(deadline or float("inf"), started + limits.submission_timeout)
    read_fd, write_fd = passable_pipe()
    payload = harness_payload(job_header(job, argv, limits, write_fd))
    with cgroups.sandbox_group(limits.max_pids, memory_bytes=limits.memory_mb * 1024 * 1024,
                               cpu_cores=1.0) as group:
        proc = subprocess.Popen(cgroups.wrap(cmd, group), stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                pass_fds=(write_fd,), start_new_session=True, env=env, cwd=cwd)
        os.close(write_fd)
        result = watch(Started(proc, group), payload, job.get("calls", []), read_fd, limits,
                       started, deadline)
        measure(result, group)
        return result


def measure(result: RunResult, group: cgroups.Group | None) -> None:
    """Fill ``result``'s CPU time, OOM kills and memory peak from its run's cgroup."""
    result.cpu_seconds = cgroups.cpu_seconds(group)
    result.oom_kills = cgroups.oom_kills(group)
    result.memory_peak = cgroups.memory_peak(group)


class Started:
    """A run's process started afresh (what :func:`watch` needs of it; a forked one is
    :class:`autograder.sandbox.template.Forked`)."""

    def __init__(self, proc: subprocess.Popen, group: cgroups.Group | None):
        self.proc, self.group = proc, group
        self.stdin, self.stdout, self.stderr = proc.stdin, proc.stdout, proc.stderr

    @property
    def returncode(self) -> int | None:
        return self.proc.returncode

    def poll(self) -> int | None:
        return self.proc.poll()

    def kill(self) -> None:
        """The whole sandbox: its process group and everything in its cgroup."""
        kill_process_group(self.proc)
        cgroups.kill_all(self.group)

    def wait(self) -> int:
        return self.proc.wait()


def kill_process_group(proc: subprocess.Popen) -> None:
    """SIGKILL a sandbox: ``proc``'s process group (bwrap) and bwrap's children. The sandbox's
    first process has a session of its own (``--new-session``) and outlives bwrap (which ends
    it only when bwrap's *parent* dies); killed, as its PID namespace's init, it takes every
    process of the namespace with it (without cgroups nothing else would)."""
    try:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    except OSError:
        children = []
    for pid in children:
        try:
            os.kill(int(pid), signal.SIGKILL)
        except (ProcessLookupError, ValueError):
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
