"""Templates (:mod:`autograder.sandbox.template`): each run forked from a sandbox that imported the
libraries once, and no run can reach the next one or the template.

Hostile runs try to leave files, processes and IPC objects for the next run of the same template,
to signal, read or trace the template, and to use more processes or memory than their limits;
the next run reports what it sees. Honest runs give what a fresh sandbox gives.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from contextlib import nullcontext

import numpy as np
import pytest
from autograder_fixtures import NB_NAME

from autograder.contract.limits import Limits
from autograder.contract.program import ProgramCell
from autograder.sandbox import cgroups, channel, child, isolation, process, template

needs_bwrap = pytest.mark.skipif(isolation.isolation_level() != "bubblewrap",
                                 reason="templates are used under bubblewrap only")

LEAVE_BEHIND = r"""
import ctypes, os, signal, subprocess, time
home = os.path.expanduser("~")
for path in ("/tmp/left", "/dev/shm/left", f"{home}/left", "numpy_shadow.py"):
    with open(path, "w") as f:
        f.write("X = 'left by an earlier run'\n")
os.makedirs(f"{home}/locked/inner")
os.chmod(f"{home}/locked/inner", 0)
os.chmod(f"{home}/locked", 0)
os.chmod("/tmp", 0o700)
# A daemon that leaves its session and ignores every signal it can.
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        time.sleep(1000)
    os._exit(0)
kids = [subprocess.Popen(["sleep", "1000"], start_new_session=True) for _ in range(3)]

def attempt(action):
    try:
        return repr(action())[:40]
    except OSError as exc:
        return type(exc).__name__

REPORT = {
    "pid": os.getpid(), "ppid": os.getppid(),
    "environ": attempt(lambda: open("/proc/1/environ", "rb").read()),
    "mem": attempt(lambda: open("/proc/1/mem", "rb").read(1)),
    "fds": attempt(lambda: os.listdir("/proc/1/fd")),
    "maps": attempt(lambda: open("/proc/1/maps").read()),
}
for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL, signal.SIGSTOP, signal.SIGUSR1,
            signal.SIGSEGV):
    REPORT[f"kill {sig.name}"] = attempt(lambda: os.kill(1, sig))
REPORT["mq_open"] = ctypes.CDLL(None, use_errno=True).mq_open(b"/left", 0o100 | 2, 0o600, None)
REPORT["mq_errno"] = ctypes.get_errno()
"""

LOOK_AROUND = r"""
import os
home = os.path.expanduser("~")
try:
    import numpy_shadow
    shadow = numpy_shadow.X
except ImportError:
    shadow = None

# What the sandbox binds into these folders (a virtual environment that lives under /tmp, say)
# is not something a run left: mount points and the folders above them are not listed.
mounts = [line.split()[4] for line in open("/proc/self/mountinfo")]

def walk(top):
    found = []
    for d, dirs, files in os.walk(top):
        dirs[:] = [n for n in dirs if os.path.join(d, n) not in mounts]
        found += [p for p in (os.path.join(d, n) for n in dirs + files)
                  if not any(m == p or m.startswith(p + "/") for m in mounts)]
    return sorted(found)

import sys
REPORT = {
    "pid": os.getpid(), "kernel_file": sys.argv[2], "work_folder": os.getcwd(),
    "tmp": walk("/tmp"), "shm": walk("/dev/shm"), "work": walk("."),
    "home": [p for p in walk(home) if not p.startswith(f"{home}/.ipython")],
    "tmp_mode": oct(os.stat("/tmp").st_mode & 0o7777),
    "processes": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
    "shadow": shadow,
    "sysv": [len(open(f"/proc/sysvipc/{k}").read().splitlines()) for k in ("shm", "sem", "msg")],
}
"""


def job(code: str, preload=("numpy",)) -> dict:
    return {"cells": [{"i": 0, "code": "import json\n" + code + "\nprint(json.dumps(REPORT))"}],
            "calls": [], "activations": {}, "preload": list(preload)}


def report(run: channel.RunResult) -> dict:
    assert run.finished, (run.stderr[-1500:], run.killed, run.returncode)
    return json.loads(run.stdout.decode().strip().splitlines()[-1])


@pytest.fixture
def one_template():
    made = template.Template(template.TemplateKey.of(Limits(), NB_NAME, "work", (), ("numpy",)))
    yield made
    made.close()


@needs_bwrap
def test_a_run_leaves_nothing_for_the_next_and_cannot_touch_the_template(one_template):
    first = report(one_template.run(job(LEAVE_BEHIND), Limits(), None))
    # The template is its namespace's pid 1 and the child's parent; it cannot be read or traced.
    assert first["ppid"] == 1 and first["pid"] > 1
    assert first["environ"] == first["mem"] == first["fds"] == first["maps"] == "PermissionError"
    # Signals the template does not handle never reach it (pid 1); SIGINT it ignores.
    assert one_template.alive, "the template did not survive the run's signals"
    assert first["mq_open"] == -1 and first["mq_errno"] == 1  # EPERM: seccomp refuses queues
    second = report(one_template.run(job(LOOK_AROUND), Limits(), None))
    assert one_template.alive and one_template.runs == 2
    assert second["tmp"] == second["shm"] == second["work"] == []
    # The home folder holds the kernel's connection file (and its folders) and the work folder.
    assert [p for p in second["home"] if not second["kernel_file"].startswith(p)] == [
        second["work_folder"]]
    assert second["tmp_mode"] == oct(0o1777) or second["tmp_mode"] == oct(0o755)
    assert second["shadow"] is None
    assert second["processes"] == [1, second["pid"]]
    assert second["sysv"] == [1, 1, 1]  # header lines only


@needs_bwrap
def test_a_template_that_cannot_prove_it_is_clean_is_retired(one_template):
    leave_segment = ("import ctypes\n"
                     "REPORT = {'id': ctypes.CDLL(None).shmget(0, 4096, 0o1000 | 0o600)}")
    made = report(one_template.run(job(leave_segment), Limits(), None))
    assert made["id"] >= 0
    assert not one_template.alive, "a System V segment outlived its run and the template was kept"
    # The next run, from the pool, gets a new template (a new IPC namespace): nothing is there.
    key = one_template.key
    nxt = template.pool().take(key)
    try:
        seen = report(nxt.run(job(LOOK_AROUND), Limits(), None))
    finally:
        template.pool().give_back(nxt)
    assert seen["sysv"] == [1, 1, 1]


@needs_bwrap
def test_each_run_has_its_own_process_and_memory_limits(one_template):
    """The child is moved into a cgroup of its own before it reads its job: its process limit and
    memory accounting are its own, not the template's."""
    limits = Limits(max_pids=40)
    fork_many = ("import subprocess\nkids = []\nfor _ in range(80):\n"
                 "    try:\n        kids.append(subprocess.Popen(['sleep', '100']))\n"
                 "    except OSError:\n        break\n"
                 "REPORT = {'started': len(kids)}")
    run = one_template.run(job(fork_many), limits, None)
    assert report(run)["started"] < 40
    assert one_template.alive
    big = "import numpy as np\nx = np.ones(60_000_000)\nREPORT = {'sum': float(x.sum())}"
    run = one_template.run(job(big), Limits(), None)
    assert report(run)["sum"] == 6e7
    # 480 MB were written by the child; the template's imported pages are not counted in it.
    assert run.memory_peak is not None and 480e6 < run.memory_peak < 900e6


@needs_bwrap
def test_a_run_over_its_time_limit_is_killed_and_the_template_goes_on(one_template):
    limits = Limits(cell_timeout=1.0, grace=1.0)
    stuck = {"cells": [{"i": 0, "code": "import signal, time\n"
                                       "signal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
                                       "while True:\n    time.sleep(0.1)"}],
             "calls": [], "activations": {}, "preload": ["numpy"]}
    started = time.monotonic()
    run = one_template.run(stuck, limits, None)
    assert run.killed == "timeout" and run.returncode == -9
    assert time.monotonic() - started < 10
    assert one_template.alive
    assert report(one_template.run(job(LOOK_AROUND), Limits(), None))["processes"][0] == 1


@needs_bwrap
def test_honest_calls_give_what_a_fresh_sandbox_gives():
    code = ("import numpy as np\nimport keras\nnp.random.seed(3)\nw = np.random.randn(3)\n"
            "def f(x):\n    return np.tanh(x @ w)\nprint('w =', w)\nw.sum()\n")
    calls = [{"key": f"f/{i}", "function": "f", "args": child.encode((np.full((2, 3), i),)),
              "kind": "array", "numpy_only": False} for i in range(3)]

    def answers(run):
        return [child.decode(e["result"])["value"].tolist()
                for e in run.events if e.get("ev") == "result"]

    the_job = {"cells": [{"i": 0, "code": code}], "calls": calls, "activations": {},
               "preload": ["numpy", "keras"]}
    fresh = process.run(the_job, Limits(), NB_NAME)
    forked = [template.run(the_job, Limits(), NB_NAME) for _ in range(2)]
    assert fresh.finished and all(r.finished for r in forked)
    assert answers(fresh) == answers(forked[0]) == answers(forked[1])
    assert len(answers(fresh)) == 3
    # What the learner's cells print is the same too (and nothing of the template's own: its
    # shell's history database, say, works in the child).
    assert fresh.stdout.startswith(b"w = [") and b"Out[1]: " in fresh.stdout
    assert forked[0].stdout == forked[1].stdout == fresh.stdout
    assert forked[1].seconds < fresh.seconds / 3


@needs_bwrap
def test_a_template_that_fails_to_start_falls_back_to_a_fresh_sandbox(monkeypatch):
    def broken(key):
        raise template.TemplateError("the template sandbox did not start: test")

    monkeypatch.setattr(template, "Template", broken)
    monkeypatch.setattr(template, "_pool", template.Pool())
    run = template.run(job(LOOK_AROUND), Limits(), NB_NAME)
    assert report(run)["processes"] == [1]  # a fresh sandbox: the learner's process is pid 1
    # `grade` says so on its isolation line.
    assert template.describe(Limits()) == (
        "each run forked from a template sandbox that imported the libraries once, except 1 "
        "run(s) made in a fresh sandbox (the template sandbox did not start: test); grades are "
        "the same either way")


@needs_bwrap
def test_a_template_that_dies_under_a_run_is_replaced_by_a_fresh_sandbox(monkeypatch):
    """A template's death is the grader's failure, never the learner's: the run is made again."""
    monkeypatch.setattr(template, "_pool", template.Pool())
    real_run = template.Template.run

    def run_and_die(self, job, limits, deadline):
        threading.Timer(1.0, process.kill_process_group, [self.proc]).start()
        return real_run(self, job, limits, deadline)

    monkeypatch.setattr(template.Template, "run", run_and_die)
    run = template.run(job("import time\ntime.sleep(3)\n" + LOOK_AROUND), Limits(), NB_NAME)
    assert report(run)["processes"] == [1]  # made again in a fresh sandbox, where it is pid 1
    assert template.pool().idle == []  # the dead template was not kept


def _processes_of(notebook_name: str) -> list[int]:
    """This machine's processes whose environment names ``notebook_name`` (a kernel's
    ``JPY_SESSION_NAME`` does)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                if notebook_name.encode() in f.read():
                    found.append(int(pid))
        except OSError:
            continue
    return found


@needs_bwrap
@pytest.mark.parametrize("forked", [False, True], ids=["fresh", "template"])
def test_without_cgroups_a_killed_run_leaves_no_process(monkeypatch, forked):
    """Without cgroups (a grader that is not root) killing bwrap alone would leave the sandbox's
    first process running: it has a session of its own; the kill ends it, and with it its PID
    namespace."""
    monkeypatch.setattr(cgroups, "sandbox_group", lambda *args, **kwargs: nullcontext())
    monkeypatch.setattr(template, "_pool", template.Pool())
    name = f"left-{uuid.uuid4().hex}.ipynb"
    stuck = {"cells": [{"i": 0, "code": "import signal, subprocess\n"
                                       "signal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
                                       "kid = subprocess.Popen(['sleep', '1000'])\n"
                                       "while True:\n    pass"}],
             "calls": [], "activations": {}, "preload": ["numpy"]}
    limits = Limits(cell_timeout=1.0, grace=1.0, template=forked)
    run = template.run(stuck, limits, name)
    assert run.killed == "timeout"
    time.sleep(0.5)
    assert _processes_of(name) == []
    template.pool().close()


def test_only_the_instructors_cells_choose_what_is_preloaded():
    cells = [
        ProgramCell("import numpy as np\nfrom keras import layers\nimport matplotlib.pyplot as plt\n"
                    "from sklearn.datasets import load_digits\nimport course_utils", "source", "a"),
        ProgramCell("import tensorflow as tf\nimport scipy.linalg", "solution", "b"),
        ProgramCell("import sympy", "added", "c"),
        ProgramCell("%matplotlib inline\nif True:\n    import pandas", "source", "d"),
        ProgramCell("def f(:", "source", "e"),
    ]
    assert template.preload_modules(cells) == ("numpy", "keras", "sklearn.datasets")


def test_templates_are_off_where_asked_or_without_bubblewrap(monkeypatch):
    assert not template.usable(Limits(template=False))
    monkeypatch.setattr(isolation, "isolation_level", lambda: "unshare")
    assert not template.usable(Limits())

