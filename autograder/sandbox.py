"""Run learner code in an isolated child process and bring back only its results, as data.

The child looks like a Jupyter kernel (``python -m ipykernel_launcher -f …/kernel-<uuid>.json``,
the bootstrap of :mod:`autograder.harness` bound over the launcher) started under bubblewrap when
it works on this machine:

- a new user, PID, network, IPC, UTS and cgroup namespace (``--unshare-all``: no network at all),
  uid 1000 inside — ``nobody`` outside when the grader is root (:mod:`autograder.userns`) — with
  every capability dropped, a seccomp deny-list (:mod:`autograder.seccomp`), a new session, killed
  with the grader (``--die-with-parent``);
- a file system made of read-only system folders, the parts of ``/etc`` Python needs, the Python
  installation and virtual environment, and the ``course_utils`` package with its ``reference``
  package (the solutions) and its byte code hidden; the course and submissions folders are absent wherever they live;
  the home folder, ``/tmp`` and ``/dev/shm`` are fresh size-limited tmpfs (the only writable
  places; the rest is remounted read-only);
- resource limits set before any learner code runs: address space (``--memory``), file size,
  no core dumps; one cgroup per sandbox (:mod:`autograder.cgroups`: processes, one core, memory
  over all processes and tmpfs); per-cell and per-call soft limits (an interrupt, as nbgrader's)
  and hard limits enforced from here by killing the whole sandbox (which survives code that
  ignores signals);
- an environment that looks like a Jupyter kernel's: no variable, argument or module says
  "grading".

The job goes to the child's stdin: the harness source and a header line, then one call at a time
(:class:`_CallFeeder`), each only when the child asks for the next one.

The result channel is a pipe the harness writes one JSON event per line to: ``ready``, then per
cell ``cell``/``cell_end``, per graded call ``call``/``result``, then ``done``. Learner code runs in
the same process and can find and write to that pipe too, so :func:`watch` trusts no line: a line
longer than :data:`MAX_LINE` (the largest legitimate result is ~14 KB) is skipped as it arrives,
never held whole; a line that is not one of those events is dropped unparsed; an event nested
deeper than :data:`MAX_EVENT_NESTING` is rejected before ``json.loads`` (no recursion); nothing
after the first ``done`` is read. ``RunResult.dropped`` counts the lines refused for size, depth
or bad JSON. Which ``result`` counts is decided by ``autograder.runner.collect``:
exactly one per requested key, in order, the first for the key of the call in progress.

Without bubblewrap it degrades (see :func:`isolation_level`): ``unshare`` for no network if user
namespaces work, else only the resource and time limits, a scratch working folder and a clean
environment — learner code could then read files the grader's user can read.
"""

from __future__ import annotations

import fcntl
import importlib.util
import json
import os
import queue
import random
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from autograder import cgroups, harness, seccomp, userns
from autograder.json_depth import deeper_than

HOME = "/home/learner"
#: Bytes of learner stdout/stderr kept for the feedback (head and tail); the rest is drained.
KEEP_OUTPUT = 32 * 1024
#: Bytes the child may send on its result channel in all (more: the run is killed).
MAX_MESSAGE = 64 * 1024 * 1024
#: Longest line read from the channel; longer ones are skipped unread (and counted).
MAX_LINE = 4 * 1024 * 1024
#: Deepest JSON nesting of an event (a real one nests at most ~10 levels).
MAX_EVENT_NESTING = 32
#: The events the grader reads; any other line on the channel is dropped unparsed. (``next`` is
#: the child's request for its next call where calls are streamed one at a time.)
EVENTS = (b"ready", b"cell", b"cell_end", b"call", b"result", b"next", b"done")
#: The grader's own event, added to a run's events when it sends a call (never read from the
#: channel: it is not in :data:`EVENTS`).
SENT = "grader_sent"
_EVENT_KIND = re.compile(rb'\{"ev": "([a-z_]{1,10})"')


@dataclass(frozen=True)
class Limits:
    """Time (seconds) and memory (MB) limits of one submission's learner code."""

    cell_timeout: float = 60.0
    call_timeout: float = 20.0
    submission_timeout: float = 300.0
    startup_timeout: float = 60.0
    memory_mb: int = 4096
    file_mb: int = 64
    scratch_mb: int = 256
    #: Processes and threads (TensorFlow starts dozens); enforced where cgroups allow.
    max_pids: int = 512
    #: The hard limit is the soft limit plus this grace (for the interrupt to take effect).
    grace: float = 5.0
    #: Fork each run's process from a sandbox that imported the notebook's libraries once
    #: (:mod:`autograder.template`; under bubblewrap only) instead of starting Python afresh.
    template: bool = True


@dataclass
class RunResult:
    """What one child run left: channel events, how it ended, and its (capped) output."""

    events: list[dict] = field(default_factory=list)
    returncode: int | None = None
    killed: str | None = None  # "timeout" (hard cell/call limit), "submission_timeout", "channel"
    killed_at: dict | None = None  # the last "cell" or "call" event before the kill/crash
    stdout: bytes = b""
    stderr: bytes = b""
    output_bytes: int = 0
    seconds: float = 0.0
    #: Channel lines refused: over MAX_LINE, nested deeper than MAX_EVENT_NESTING, or bad JSON.
    dropped: int = 0
    #: From the sandbox's cgroup (``None`` where that controller is not in force): CPU time (s) of
    #: all its processes, processes the OOM killer ended, the most memory (bytes) held at once.
    cpu_seconds: float | None = None
    oom_kills: int | None = None
    memory_peak: int | None = None
    #: (event, seconds since the sandbox was started) for each ``ready``, ``cell_end``,
    #: ``result`` and ``done`` the grader read: where a run's time went (see
    #: :func:`autograder.runner.phases`).
    timeline: list[tuple[str, float]] = field(default_factory=list)
    #: Seconds spent starting the template this run was forked from, when it was started for it
    #: (:mod:`autograder.template`): a cost per worker, not per run, outside ``seconds``.
    template_start: float = 0.0

    @property
    def finished(self) -> bool:
        return any(e.get("ev") == "done" for e in self.events)


@lru_cache(maxsize=1)
def isolation_level() -> str:
    """``"bubblewrap"``, ``"unshare"`` (no network only) or ``"limits"`` (time/memory only)."""
    if shutil.which("bwrap") and _works(bwrap_prefix() + ["true"]):
        return "bubblewrap"
    if shutil.which("unshare") and _works(["unshare", "--user", "--map-root-user", "--net", "true"]):
        return "unshare"
    return "limits"


def isolation_report() -> str:
    """:func:`isolation_level` and, under bubblewrap, who the learner's uid is outside and whether
    the seccomp filter is in force (printed by ``autograder grade``)."""
    level = isolation_level()
    if level != "bubblewrap":
        return level
    if os.geteuid() != 0:
        user = f"learner is uid {os.geteuid()} outside (the grader's)"
    elif userns.available():
        user = "learner is nobody outside"
    else:
        user = "learner is ROOT outside: no unprivileged user namespace could be made"
    filtered = "seccomp filter" if seccomp.program() is not None else "NO seccomp filter (no libseccomp)"
    return f"{level} ({user}; {filtered})"


def _works(cmd: list[str]) -> bool:
    try:
        return subprocess.run(cmd, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


#: Top-level system folders bound read-only (or re-created as the same symlink).
SYSTEM_FOLDERS = ("/usr", "/bin", "/lib", "/lib32", "/lib64", "/sbin")
#: The only parts of ``/etc`` in the sandbox: what the dynamic loader, Python, NumPy,
#: TensorFlow/Keras, matplotlib and IPython read (found by grading weeks 1 and 2 under ``strace``),
#: plus harmless files a notebook may look at (time zone, OS name, CA certificates). Never
#: ``shadow``, ``gshadow``, ``sudoers``, ``ssh/``, ``ssl/private`` or anything else.
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "nsswitch.conf", "passwd", "group",
             "hosts", "host.conf", "gai.conf", "localtime", "timezone", "os-release", "mime.types",
             "ssl/certs", "ssl/openssl.cnf", "ca-certificates", "fonts", "alternatives")
NAMESPACES = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup"]


def bwrap_prefix(scratch_bytes: int = 64 * 1024 * 1024, join_userns: bool = False,
                  hidden: tuple[str, ...] = ()) -> list[str]:
    """Namespaces, identity and the read-only system part of the sandbox's file system; ``/tmp``
    and ``/dev/shm`` are size-limited tmpfs (tmpfs is memory that no rlimit counts).

    ``join_userns``: join the user namespace open on fd 3 (see :mod:`autograder.userns`) instead of
    making one. ``hidden``: folders made empty where a system or Python bind would show them
    (see :func:`hidden_folders`); the Python folders inside them are bound again on top.
    """
    size = ["--size", str(scratch_bytes)]
    user = ["--userns", "3"] if join_userns else ["--unshare-user"]
    cmd = ["bwrap", *user, *NAMESPACES, "--die-with-parent", "--new-session", "--cap-drop", "ALL",
           "--uid", str(userns.SANDBOX_ID), "--gid", str(userns.SANDBOX_ID),
           "--hostname", "jupyter"]
    for top in SYSTEM_FOLDERS:
        if os.path.islink(top):
            cmd += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            cmd += ["--ro-bind", top, top]
    for name in ETC_FILES:
        cmd += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    # The fresh /tmp comes before the Python binds: a virtual environment that lives under /tmp
    # (a CI checkout, say) must stay visible on top of it, not be hidden by it.
    cmd += ["--proc", "/proc", "--dev", "/dev", *size, "--tmpfs", "/dev/shm", *size, "--tmpfs", "/tmp"]
    prefixes = _python_prefixes()
    for prefix in prefixes:
        cmd += ["--ro-bind", prefix, prefix]
    for folder in hidden:
        cmd += ["--tmpfs", folder]
        cmd += [arg for prefix in prefixes if _inside(prefix, folder)
                for arg in ("--ro-bind", prefix, prefix)]
    cmd += ["--ro-bind-try", "/sys/devices/system/cpu", "/sys/devices/system/cpu"]
    return cmd


def _python_prefixes() -> list[str]:
    """The Python installation and virtual environment (those outside the bound ``/usr``)."""
    return [p for p in sorted({sys.base_prefix, sys.prefix, os.path.realpath(sys.base_prefix)})
            if not p.startswith("/usr/")]


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def hidden_folders(paths) -> tuple[str, ...]:
    """Of ``paths`` (the course root, the submissions folder, ...), the real paths a system or
    Python bind would show inside the sandbox (e.g. a course under ``/usr/src/app`` or inside
    the virtual environment's folder), outermost only; the others do not exist in there anyway."""
    shown = [os.path.realpath(t) for t in SYSTEM_FOLDERS if os.path.isdir(t)] + _python_prefixes()
    real = sorted({os.path.realpath(p) for p in paths if p is not None})
    exposed = [p for p in real if any(_inside(p, top) for top in shown)]
    return tuple(p for p in exposed if not any(q != p and _inside(p, q) for q in exposed))


def _hidden_package_files() -> list[str]:
    """The ``course_utils`` folder, bound read-only with the reference solutions (the
    ``reference`` package) and all byte code hidden: each replaced by an empty folder."""
    import course_utils

    package = Path(course_utils.__file__).resolve().parent
    reference = package / "reference"
    args = ["--ro-bind", str(package), str(package)]
    for cache in package.rglob("__pycache__"):
        if not _inside(str(cache), str(reference)):
            args += ["--tmpfs", str(cache)]
    if reference.is_dir():
        # Empty and read-only: `import course_utils.reference` finds no solution to import.
        args += ["--tmpfs", str(reference), "--remount-ro", str(reference)]
    return args


def kernel_environment(notebook_name: str, home: str) -> dict[str, str]:
    """The variables a Jupyter kernel started from JupyterLab typically has; nothing else."""
    env = {
        "HOME": home,
        "USER": "learner",
        "LOGNAME": "learner",
        "SHELL": "/bin/bash",
        "LANG": os.environ.get("LANG", "C.UTF-8") if "UTF-8" in os.environ.get("LANG", "") else "C.UTF-8",
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
        "TERM": "xterm-color",
        "CLICOLOR": "1",
        "FORCE_COLOR": "1",
        "CLICOLOR_FORCE": "1",
        "PAGER": "cat",
        "GIT_PAGER": "cat",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYDEVD_USE_FRAME_EVAL": "NO",
        "JPY_PARENT_PID": str(os.getpid()),
        "JPY_SESSION_NAME": f"{home}/{notebook_name}",
    }
    for name in ("TF_CPP_MIN_LOG_LEVEL", "VIRTUAL_ENV", "TZ"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def kernel_argv(home: str) -> list[str]:
    """``sys.argv`` of a kernel JupyterLab started: the launcher's path, ``-f``, a connection file."""
    return [
        launcher_path(),
        "-f",
        f"{home}/.local/share/jupyter/runtime/kernel-{uuid.uuid4()}.json",
    ]


def launcher_path() -> str:
    """Where ``python -m ipykernel_launcher`` (a kernelspec's command) finds its file."""
    spec = importlib.util.find_spec("ipykernel_launcher")
    if spec is not None and spec.origin:
        return spec.origin
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    return str(Path(sys.prefix) / "lib" / version / "site-packages" / "ipykernel_launcher.py")


def _kernel_files(folder: Path, argv: list[str]) -> list[str]:
    """bwrap arguments that make the child a kernel to its own eyes: the harness bootstrap sits at
    the real ``ipykernel_launcher.py`` path (so the command is ``python -m ipykernel_launcher -f
    …/kernel-<uuid>.json``, as in a kernelspec) and the connection file exists. Both are
    written into ``folder`` (a private temporary folder of the grader)."""
    launcher, connection = folder / "ipykernel_launcher.py", folder / "kernel.json"
    launcher.write_text(harness.LAUNCHER)
    ports = iter(random.sample(range(40000, 60000), 5))
    connection.write_text(json.dumps({
        "shell_port": next(ports), "iopub_port": next(ports), "stdin_port": next(ports),
        "control_port": next(ports), "hb_port": next(ports), "ip": "127.0.0.1",
        "key": str(uuid.uuid4()), "transport": "tcp", "signature_scheme": "hmac-sha256",
        "kernel_name": "python3"}, indent=1))
    for path in (launcher, connection):
        path.chmod(0o644)  # the learner's uid must read them (it may be nobody outside)
    return ["--ro-bind", str(launcher), argv[0], "--dir", str(Path(argv[2]).parent),
            "--ro-bind", str(connection), argv[2]]


def command(level: str, env: dict[str, str], scratch: Path | None, limits: Limits,
             folder: str, argv: list[str] | None = None, namespace: str | None = None,
             hidden: tuple[str, ...] = ()) -> list[str]:
    """The child's command line. ``argv``: the kernel's (:func:`kernel_argv`), ``scratch``: a
    private folder for the kernel's files; ``namespace``: a user namespace's ``/proc`` path from
    :func:`autograder.userns.nobody_namespace`; ``hidden``: from :func:`hidden_folders`."""
    python = [sys.executable, "-c", harness.BOOTSTRAP]
    if level == "bubblewrap":
        scratch_bytes = limits.scratch_mb * 1024 * 1024
        cmd = bwrap_prefix(scratch_bytes, join_userns=namespace is not None, hidden=hidden)
        cmd += ["--size", str(scratch_bytes), "--tmpfs", HOME,
                "--dir", f"{HOME}/{folder}", "--chdir", f"{HOME}/{folder}"]
        cmd += _hidden_package_files()
        if argv and scratch is not None and os.path.isfile(argv[0]):
            cmd += _kernel_files(scratch, argv)
            python = [sys.executable, "-m", Path(argv[0]).stem, *argv[1:]]
            # The kernel is pid 1 (no bwrap init whose command line lists every bind).
            cmd += ["--as-pid-1"]
        # Nothing but the home folder, /tmp and /dev/shm may be written (bwrap's own root and
        # /dev are tmpfs writable by the sandbox's user otherwise; so are the hiding tmpfs).
        for path in hidden:
            cmd += ["--remount-ro", path]
        cmd += ["--remount-ro", "/dev", "--remount-ro", "/"]
        cmd += ["--clearenv"]
        for key, value in env.items():
            cmd += ["--setenv", key, value]
        bpf = seccomp.write(scratch) if scratch is not None else None
        if bpf is not None:
            cmd += ["--seccomp", "4"]
        cmd += ["--"] + python
        # bwrap reads the namespace on fd 3 and the filter on fd 4, opened by this shell (they
        # never enter the grader's own descriptors; the harness closes them before learner code
        # runs); setpriv drops root's supplementary group 0, which would otherwise stay with the
        # learner's process.
        drop = ["setpriv", "--clear-groups"] if namespace is not None else []
        return ["/bin/sh", "-c", 'exec 3<"$1" 4<"$2"; shift 2; exec "$@"', "sh",
                namespace or os.devnull, str(bpf or os.devnull), *drop, *cmd]
    if level == "unshare":
        return ["unshare", "--user", "--map-root-user", "--net", "--"] + python
    return python


def rlimits(limits: Limits) -> dict[str, int]:
    return {
        "RLIMIT_AS": limits.memory_mb * 1024 * 1024,
        "RLIMIT_FSIZE": limits.file_mb * 1024 * 1024,
        "RLIMIT_CORE": 0,
    }


class _Capped:
    """Keeps the head and tail of a stream, counts everything."""

    def __init__(self, keep: int = KEEP_OUTPUT):
        self.head = bytearray()
        self.tail = bytearray()
        self.total = 0
        self.keep = keep

    def add(self, chunk: bytes) -> None:
        self.total += len(chunk)
        room = self.keep - len(self.head)
        if room > 0:
            self.head += chunk[:room]
            chunk = chunk[room:]
        if chunk:
            self.tail = (self.tail + chunk)[-self.keep:]

    def value(self) -> bytes:
        if not self.tail:
            return bytes(self.head)
        skipped = self.total - len(self.head) - len(self.tail)
        gap = f"\n[... {skipped} bytes of output not kept ...]\n".encode() if skipped > 0 else b""
        return bytes(self.head) + gap + bytes(self.tail)


def run(job: dict, limits: Limits, notebook_name: str, folder: str = "work",
        deadline: float | None = None, course_root: Path | str | None = None,
        submissions_dir: Path | str | None = None) -> RunResult:
    """Run ``job`` (cells, calls, activations; see :func:`autograder.harness.child_main`) in a
    sandbox; return its events and how it ended. Never raises for anything the child does.

    The calls are made in the order given, each sent to the child only when it asks for the next
    one and every call sent so far has its result (see :class:`_CallFeeder`). ``course_root``
    (gradebook, journal, cases, source notebooks) and ``submissions_dir`` are made absent in the
    sandbox even where a system folder holds them (``/usr/src/app``)."""
    level = isolation_level()
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
    source = Path(harness.__file__).read_text(encoding="utf-8")
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
    :class:`autograder.template.Forked`)."""

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


class _CallFeeder:
    """Writes to the child's stdin from a thread of its own (a child that stops reading must not
    block the grader): the harness source and job header at once, then one call per request
    (the child's ``{"ev": "next"}``). After the last call, stdin is closed (the child finishes).

    The grader records when it sent each call (a ``sent`` event of its own in the run's events):
    a result that arrives after the next call was sent is never taken (see
    :func:`autograder.runner.collect`), so learner code that forges a request to read the next
    call's inputs early can only lose its own answer, never quote those inputs in it.
    """

    def __init__(self, stream, payload: bytes, calls: list[dict]):
        self.stream = stream
        self.calls = list(calls)
        self.count = 0
        self.queue: queue.SimpleQueue = queue.SimpleQueue()
        self.queue.put(payload)
        self.thread = threading.Thread(target=self._write, daemon=True)
        self.thread.start()

    def request(self) -> str | None:
        """Send the next call (return its key), or close stdin after the last one (``None``)."""
        if self.count >= len(self.calls):
            if self.count == len(self.calls):
                self.count += 1
                self.queue.put(None)
            return None
        call = self.calls[self.count]
        self.count += 1
        self.queue.put(json.dumps(call).encode() + b"\n")
        return call["key"]

    def stop(self) -> None:
        self.queue.put(None)
        self.thread.join(timeout=5)

    def _write(self) -> None:
        try:
            while (chunk := self.queue.get()) is not None:
                self.stream.write(chunk)
                self.stream.flush()
        except OSError:  # the child died before reading everything
            pass
        finally:
            try:
                self.stream.close()
            except OSError:
                pass


def watch(proc, payload: bytes, calls: list[dict], read_fd: int, limits: Limits, started: float,
          deadline: float) -> RunResult:
    """Feed a started run's process (``payload``, then ``calls`` one per request), read its
    channel (``read_fd``) and output within the limits, kill it when one is passed; what it left.
    ``proc``: a :class:`Started` or a :class:`autograder.template.Forked` (stdin, stdout, stderr,
    ``poll``, ``kill``, ``wait``, ``returncode``)."""
    feeder = _CallFeeder(proc.stdin, payload, calls)
    result = RunResult()
    out, err = _Capped(), _Capped()
    streams = {proc.stdout.fileno(): out, proc.stderr.fileno(): err, read_fd: None}
    lines = _LineReader(result)
    channel_total = 0
    current: dict | None = None
    current_deadline = started + limits.startup_timeout
    try:
        while streams:
            now = time.monotonic()
            hard = min(current_deadline, deadline)
            if now >= hard:
                if not result.finished:
                    result.killed = "submission_timeout" if deadline <= current_deadline else "timeout"
                break
            ready, _, _ = select.select(list(streams), [], [], min(0.5, hard - now))
            for fd in ready:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    del streams[fd]
                    continue
                if fd != read_fd:
                    streams[fd].add(chunk)
                    continue
                channel_total += len(chunk)
                if channel_total > MAX_MESSAGE * 4:
                    result.killed = "channel"
                    break
                for line in lines.feed(chunk):
                    if result.finished:
                        break  # nothing after "done" is read
                    event = _parse(line, result)
                    if event is None:
                        continue
                    result.events.append(event)
                    kind = event.get("ev")
                    if kind in ("ready", "cell_end", "result", "done"):
                        result.timeline.append((kind, time.monotonic() - started))
                    if kind == "next":
                        key = feeder.request()
                        if key is not None:
                            result.events.append({"ev": SENT, "key": key})
                    if kind in ("cell", "call"):
                        current = event
                        timeout = limits.cell_timeout if kind == "cell" else limits.call_timeout
                        current_deadline = time.monotonic() + timeout + limits.grace
                    elif kind in ("cell_end", "result", "ready"):
                        current = None
                        current_deadline = time.monotonic() + limits.startup_timeout
                    elif kind == "done":
                        # Only learner leftovers (a forked process holding a pipe) remain.
                        current = None
                        current_deadline = time.monotonic() + limits.grace
            if result.killed:
                break
            if read_fd not in streams and proc.poll() is not None:
                break
            if result.finished and proc.poll() is not None:
                break
    finally:
        if result.killed or proc.poll() is None:
            proc.kill()
        os.close(read_fd)
        for fd in list(streams):
            if fd != read_fd:
                _drain(fd, streams[fd])
        proc.wait()
        feeder.stop()
    result.killed_at = current
    result.returncode = proc.returncode
    result.stdout, result.stderr = out.value(), err.value()
    result.output_bytes = out.total + err.total
    result.seconds = time.monotonic() - started
    return result


class _LineReader:
    """Splits the channel's bytes into lines, holding at most MAX_LINE bytes: the rest of a longer
    line is skipped as it arrives (counted in ``result.dropped``)."""

    def __init__(self, result: RunResult):
        self.result = result
        self.pending = bytearray()
        self.skipping = False

    def feed(self, chunk: bytes):
        start = 0
        while (end := chunk.find(b"\n", start)) >= 0:
            piece, start = chunk[start:end], end + 1
            if self.skipping:
                self.skipping = False
                continue
            if len(self.pending) + len(piece) > MAX_LINE:
                self.pending.clear()
                self.result.dropped += 1
                continue
            if self.pending:
                self.pending += piece
                piece = bytes(self.pending)
                self.pending.clear()
            yield piece
        if not self.skipping:
            self.pending += chunk[start:]
            if len(self.pending) > MAX_LINE:
                self.pending.clear()
                self.skipping = True
                self.result.dropped += 1


def _parse(line: bytes, result: RunResult) -> dict | None:
    """The event on ``line``, or None: lines that are no event the grader reads are dropped
    without parsing; too deep or unreadable ones are dropped and counted."""
    kind = _EVENT_KIND.match(line)
    if kind is None or kind.group(1) not in EVENTS:
        return None
    if deeper_than(line, MAX_EVENT_NESTING):
        result.dropped += 1
        return None
    try:
        event = json.loads(line)
    except (ValueError, RecursionError):
        result.dropped += 1
        return None
    return event if isinstance(event, dict) else None


def _drain(fd: int, sink: _Capped, seconds: float = 2.0) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return
        sink.add(chunk)


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
