"""Sandbox templates: each run's process forked from a sandbox that imported the libraries once.

A fresh sandbox process spends ~90 % of a week-1 run importing TensorFlow and Keras before any
learner code runs. A *template* is one sandbox (the same bubblewrap command, namespaces, seccomp
filter, uid, read-only file system and tmpfs as :func:`autograder.sandbox.process.run`'s) whose pid 1
imports the notebook's heavy libraries (:func:`preload_modules`) and then forks one child per run
(:func:`autograder.sandbox.child.template_main`), ahead of time: while the grader judges the last run,
the next child makes its IPython shell and waits for its job. The child is a new process that no
earlier run touched: it runs the same harness as a fresh process
(:func:`autograder.sandbox.child.child_main`), on its own stdin, stdout, stderr and result channel
(pipes made here for that run and passed over the template's control socket), in a cgroup of its
own (:func:`autograder.sandbox.cgroups.sandbox_group`: its own process, CPU and memory limits and
accounting; the imported pages it shares stay charged to the template, so its memory limit is
``--memory`` less what the imports hold), with the run's ``rlimits``.

What one run could leave for the next is undone between runs, and a template that cannot prove it
is discarded (:func:`autograder.sandbox.child._clean` reports, :class:`Template` retires it):

- processes: the template is the PID namespace's init, so the kernel ignores SIGKILL and SIGSTOP
  sent to it from inside; it kills every other process of the namespace and checks none is left;
- files: the home folder, ``/tmp`` and ``/dev/shm`` (the only writable places) are emptied and
  checked empty; System V IPC objects, which outlive processes, are checked absent (POSIX message
  queues cannot be made: :mod:`autograder.sandbox.seccomp` refuses ``mq_open``);
- the template itself: it runs no learner code, ignores SIGINT, and is not dumpable (learner code
  of the same uid cannot ptrace it or read its memory, environment or descriptors under ``/proc``;
  ``ptrace`` is refused by the seccomp filter anyway).

Only libraries whose import does not depend on a running IPython are pre-imported
(:data:`PRELOADABLE`): ``matplotlib.pyplot`` and ``ipywidgets`` register with the shell when they
are imported, so they are imported by the notebook in the child, as in a kernel. Templates are
used under bubblewrap only (elsewhere :func:`run` is :func:`autograder.sandbox.process.run`), and
``Limits(template=False)`` (``autograder grade --no-template``) turns them off.
"""

from __future__ import annotations

import ast
import atexit
import json
import os
import select
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from autograder.contract.limits import Limits
from autograder.intake.numpy_only import parse_cell
from autograder.sandbox import cgroups, channel, child, command, events, isolation, process, userns

#: Top-level packages a template imports when the notebook's own (source) cells import them: the
#: expensive ones whose import does not look for a running IPython shell.
PRELOADABLE = ("numpy", "scipy", "tensorflow", "keras", "sklearn", "sympy", "pandas")
#: Most idle templates kept (the oldest beyond this is closed).
MAX_IDLE = 4
#: Seconds to wait for the template's answer to a request it always answers at once.
REPLY_TIMEOUT = 30.0


class TemplateError(RuntimeError):
    """The template failed (not the learner's code): the run is made in a fresh sandbox instead."""


def preload_modules(cells) -> tuple[str, ...]:
    """The modules the source notebook's own cells (the :class:`autograder.contract.program.ProgramCell` cells
    whose ``origin`` is ``"source"``: the instructor's code, never the learner's) import at
    module level, among :data:`PRELOADABLE`, in order (``from a.b import c`` imports ``a.b``)."""
    found: dict[str, None] = {}
    for cell in cells:
        if cell.origin != "source":
            continue
        tree = parse_cell(cell.code)
        for node in tree.body if tree is not None else ():
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found.update((n, None) for n in names if n.split(".")[0] in PRELOADABLE)
    return tuple(found)


@dataclass(frozen=True)
class TemplateKey:
    """What a template's sandbox is made for: runs with another key need another template."""

    limits: Limits  # only the fields that shape the sandbox (see :meth:`of`)
    notebook_name: str
    folder: str
    hidden: tuple[str, ...]
    preload: tuple[str, ...]

    @classmethod
    def of(cls, limits: Limits, notebook_name: str, folder: str, hidden: tuple[str, ...],
           preload: tuple[str, ...]) -> TemplateKey:
        """The key for a run under ``limits``: time limits and ``--memory`` are the run's own
        (applied to its child), so they do not choose the template; the tmpfs sizes, file size
        and process limits of the sandbox do."""
        shape = Limits(scratch_mb=limits.scratch_mb, file_mb=limits.file_mb,
                               max_pids=limits.max_pids)
        return cls(shape, notebook_name, folder, hidden, tuple(preload))


class Forked:
    """One run's process, forked by a :class:`Template` (what :func:`autograder.sandbox.channel.watch`
    needs of it)."""

    def __init__(self, template: Template, group, stdin: int, stdout: int, stderr: int):
        self.template, self.group = template, group
        self.stdin = os.fdopen(stdin, "wb")
        self.stdout = os.fdopen(stdout, "rb")
        self.stderr = os.fdopen(stderr, "rb")
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            reply = self.template.reply(events.EXIT, wait=0.0)
            if reply is not None:
                self.returncode = int(reply.get("returncode", -9))
        return self.returncode

    def kill(self) -> None:
        """Everything the run started (its cgroup); without cgroups, the whole template."""
        if self.group is not None:
            cgroups.kill_all(self.group)
        else:
            self.template.close()

    def wait(self) -> int:
        if self.returncode is None:
            reply = self.template.reply(events.EXIT, wait=REPLY_TIMEOUT)
            self.returncode = int(reply.get("returncode", -9)) if reply else -9
        for stream in (self.stdout, self.stderr):
            stream.close()
        return self.returncode


class Template:
    """One template sandbox (see the module's docstring); not thread-safe: one run at a time."""

    def __init__(self, key: TemplateKey):
        self.key = key
        self.stack = ExitStack()
        self.scratch = Path(tempfile.mkdtemp(prefix="nb-template-"))
        self.stack.callback(shutil.rmtree, self.scratch, ignore_errors=True)
        self.argv = command.kernel_argv(command.HOME)
        self.control: socket.socket | None = None
        self.proc: subprocess.Popen | None = None
        self.pending: list[dict] = []
        self.runs = 0
        #: Why the template was retired after a run (``None`` while it is in use).
        self.retired: str | None = None
        #: Whether its process ended by itself (it only ends when told to, or when killed).
        self.ended = False
        try:
            self._start()
        except BaseException:
            self.close()
            raise

    @property
    def alive(self) -> bool:
        return self.control is not None

    def _start(self) -> None:
        limits = self.key.limits
        # The template runs only the grader's imports: its processes are limited, its memory is
        # what those imports take (each child's own is limited in its own group).
        self.group = self.stack.enter_context(cgroups.sandbox_group(limits.max_pids, cpu_cores=1.0))
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        theirs = socket.socket(fileno=process.passable(theirs.detach()))
        self.control = ours
        log = open(self.scratch / "template.log", "wb")  # TensorFlow's import notes, for errors
        self.stack.callback(log.close)
        with userns.nobody_namespace() as namespace, theirs:
            env = command.kernel_environment(self.key.notebook_name, command.HOME)
            cmd = command.command("bubblewrap", env, self.scratch, limits, self.key.folder,
                                  self.argv, namespace, self.key.hidden)
            self.proc = subprocess.Popen(cgroups.wrap(cmd, self.group), stdin=subprocess.PIPE,
                                         stdout=log, stderr=log, pass_fds=(theirs.fileno(),),
                                         start_new_session=True)
            header = {"template": True, "control_fd": theirs.fileno(), "argv": self.argv,
                      "preload": list(self.key.preload), "home": command.HOME,
                      "folder": self.key.folder, "keep": [self.argv[2]]}
            try:
                self.proc.stdin.write(process.harness_payload(header))
                self.proc.stdin.close()
            except OSError:
                pass
            ready = self.reply(events.READY, wait=limits.startup_timeout + 60)
        if ready is None or ready.get("problem"):
            why = (ready or {}).get("problem") or self._log_tail()
            raise TemplateError(f"the template sandbox did not start: {why}")
        self.preloaded = tuple(ready.get("preloaded", ()))
        self.ready_at = time.monotonic()
        #: Address space (MB) the imports took, which every child starts with.
        self.address_space_mb = int(ready.get("vm_peak_kb", 0)) / 1024
        #: Memory (bytes) the imports hold: charged to the template's cgroup, not a child's, so
        #: it is taken off each child's limit (as in a fresh process, where the imports count).
        self.resident = int(ready.get("vm_rss_kb", 0)) * 1024

    def _log_tail(self) -> str:
        try:
            lines = (self.scratch / "template.log").read_text(errors="replace").strip().splitlines()
        except OSError:
            return "no output"
        return " / ".join(lines[-3:]) or "no output"

    def reply(self, kind: str, wait: float) -> dict | None:
        """The template's next message of ``kind`` (earlier messages of other kinds are kept),
        waiting up to ``wait`` seconds; ``None`` when none came (or the template is gone)."""
        for i, message in enumerate(self.pending):
            if message.get("ev") == kind:
                return self.pending.pop(i)
        end = time.monotonic() + wait
        while self.control is not None:
            ready, _, _ = select.select([self.control], [], [], max(end - time.monotonic(), 0.0))
            if not ready:
                return None
            try:
                data = self.control.recv(1 << 16)
            except OSError:
                data = b""
            if not data:
                self.ended = True  # the template's process is gone (never learner code's doing)
                self.close()
                return None
            try:
                message = json.loads(data)
            except ValueError:
                message = {}
            if message.get("ev") == kind:
                return message
            self.pending.append(message)
        return None

    def run(self, job: dict, limits: Limits, deadline: float | None) -> channel.RunResult:
        """Fork a child for ``job`` and supervise it as :func:`autograder.sandbox.process.run` does a
        fresh process. :class:`TemplateError` if the template fails before the child runs."""
        started = time.monotonic()
        deadline = min(deadline or float("inf"), started + limits.submission_timeout)
        fds = {name: os.pipe() for name in ("stdin", "stdout", "stderr", "channel")}
        theirs = [fds["stdin"][0], fds["stdout"][1], fds["stderr"][1], fds["channel"][1]]
        ours = [fds["stdin"][1], fds["stdout"][0], fds["stderr"][0], fds["channel"][0]]
        self.runs += 1
        memory = max(limits.memory_mb * 1024 * 1024 - self.resident, 64 * 1024 * 1024)
        with cgroups.sandbox_group(limits.max_pids, memory_bytes=memory, cpu_cores=1.0) as group:
            try:
                try:
                    socket.send_fds(self.control, [b'{"op": "fork"}'], theirs)
                except (OSError, AttributeError) as exc:
                    raise TemplateError(f"the template is gone ({exc})") from exc
                finally:
                    for fd in theirs:
                        os.close(fd)
                forked = self.reply(events.FORKED, wait=REPLY_TIMEOUT)
                if forked is None:
                    raise TemplateError("the template did not fork")
                if group is not None:
                    self._adopt(int(forked.get("pid", 0)), group)
            except BaseException:
                for fd in ours:
                    os.close(fd)
                self.close()
                raise
            run_child = Forked(self, group, *ours[:3])
            header = process.job_header(job, self.argv, limits, child.TEMPLATE_CHANNEL_FD)
            payload = json.dumps(header).encode() + b"\n"
            result = channel.watch(run_child, payload, job.get("calls", []), ours[3], limits,
                                   started, deadline)
            process.measure(result, group)
        clean = self.reply(events.CLEAN, wait=REPLY_TIMEOUT)
        if clean is None or clean.get("problem"):
            # Something of this run may be left: no other run may start here.
            self.retired = str((clean or {}).get("problem") or "it did not answer after the run")
            self.close()
        return result

    def _adopt(self, pid_inside: int, group: cgroups.Group) -> None:
        """Move the forked child (``pid_inside`` in the sandbox's PID namespace) into ``group``
        before it reads its job (so before any learner code runs)."""
        host = _host_pid(self.group, pid_inside)
        if host is None:
            raise TemplateError(f"the forked process {pid_inside} was not found in its cgroup")
        for folder in group.folders.values():
            try:
                (folder / "cgroup.procs").write_text(str(host))
            except OSError as exc:
                raise TemplateError(f"the forked process could not join its cgroup ({exc})") from exc

    def close(self) -> None:
        """End the template (its whole sandbox) and remove what it left."""
        control, self.control = self.control, None
        if control is not None:
            control.close()
        if self.proc is not None and self.proc.poll() is None:
            process.kill_process_group(self.proc)
            cgroups.kill_all(getattr(self, "group", None))
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        self.stack.close()


def _host_pid(group: cgroups.Group | None, pid_inside: int) -> int | None:
    """The pid, as this machine sees it, of the process of ``group`` whose pid in its own PID
    namespace is ``pid_inside`` (``NSpid`` in ``/proc/PID/status`` lists a pid per namespace)."""
    if group is None or pid_inside < 2:
        return None
    folder = next(iter(group.folders.values()))
    try:
        pids = (folder / "cgroup.procs").read_text().split()
    except OSError:
        return None
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("NSpid:"):
                ids = line.split()[1:]
                if len(ids) > 1 and ids[-1] == str(pid_inside):
                    return int(pid)
    return None


class Pool:
    """Idle templates by what they were started for; one run per template at a time."""

    def __init__(self):
        self.lock = threading.Lock()
        self.idle: list[Template] = []
        #: Why runs were made in a fresh sandbox instead (each reason, how many runs).
        self.fallbacks: Counter[str] = Counter()

    def fell_back(self, why: TemplateError) -> None:
        with self.lock:
            self.fallbacks[str(why)] += 1

    def take(self, key: TemplateKey) -> Template:
        """An idle template for ``key`` or a new one (:class:`TemplateError` if it does not
        start)."""
        with self.lock:
            for template in self.idle:
                if template.key == key:
                    self.idle.remove(template)
                    return template
        return Template(key)

    def give_back(self, template: Template) -> None:
        if not template.alive:
            return
        with self.lock:
            self.idle.append(template)
            retired = self.idle[:-MAX_IDLE] if len(self.idle) > MAX_IDLE else []
            del self.idle[:len(retired)]
        for old in retired:
            old.close()

    def close(self) -> None:
        with self.lock:
            idle, self.idle = self.idle, []
        for template in idle:
            template.close()


_pool: Pool | None = None
_pool_lock = threading.Lock()


def pool() -> Pool:
    """This process's pool (made on first use, closed when the process exits)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = Pool()
            atexit.register(_pool.close)
        return _pool


def usable(limits: Limits) -> bool:
    """Whether runs under ``limits`` are forked from templates here."""
    return limits.template and isolation.isolation_level() == "bubblewrap"


def describe(limits: Limits) -> str:
    """How runs start under ``limits`` here, for the isolation line ``autograder grade`` prints
    (with the runs that fell back to a fresh sandbox, and the first reason)."""
    if not usable(limits):
        return "a fresh Python process per run"
    text = "each run forked from a template sandbox that imported the libraries once"
    fallbacks = pool().fallbacks
    if fallbacks:
        why, _ = fallbacks.most_common(1)[0]
        text += (f", except {fallbacks.total()} run(s) made in a fresh sandbox ({why}); grades "
                 "are the same either way")
    return text


def run(job: dict, limits: Limits, notebook_name: str, folder: str = "work",
        deadline: float | None = None, course_root: Path | str | None = None,
        submissions_dir: Path | str | None = None) -> channel.RunResult:
    """:func:`autograder.sandbox.process.run`'s job, forked from a template for ``job["preload"]`` when
    :func:`usable` (a template that fails before the child runs is replaced by a fresh sandbox
    for this run: never the learner's loss)."""
    places = {"course_root": course_root, "submissions_dir": submissions_dir}
    if not usable(limits):
        return process.run(job, limits, notebook_name, folder, deadline, **places)
    key = TemplateKey.of(limits, notebook_name, folder,
                         command.hidden_folders([course_root, submissions_dir]),
                         tuple(job.get("preload", ())))
    asked = time.monotonic()
    try:
        template = pool().take(key)
    except TemplateError as exc:
        pool().fell_back(exc)
        return process.run(job, limits, notebook_name, folder, deadline, **places)
    try:
        if template.address_space_mb > limits.memory_mb:
            # The imports alone exceed --memory: a fresh process shows the learner that failure
            # in the notebook's own import cell.
            raise TemplateError("the imports do not fit in the memory limit")
        result = template.run(job, limits, deadline)
        if template.ended and not result.finished:
            # The template died under the run (its whole sandbox with it): the grader's failure,
            # not the learner's; the run is made again in a fresh sandbox.
            pool().fell_back(TemplateError("the template died during a run"))
            return process.run(job, limits, notebook_name, folder, deadline, **places)
        if template.runs == 1:
            result.template_start = round(template.ready_at - asked, 3)
        return result
    except TemplateError as exc:
        pool().fell_back(exc)
        return process.run(job, limits, notebook_name, folder, deadline, **places)
    finally:
        pool().give_back(template)
