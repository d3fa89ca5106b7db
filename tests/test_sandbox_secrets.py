"""Nothing secret can be read from learner code: attacks run through the real sandbox.

Each test runs learner code with :func:`autograder.sandbox.process.run` or ``autograder grade`` and checks
what it could see: root-only files, ``/etc``, a course (gradebook, journal, source notebooks,
classmates' submissions) that lives under a system folder, the kernel's command lines.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest
from autograder_fixtures import ASSIGNMENT, NB_NAME, ROOT, replace, source_notebook

from autograder import cli
from autograder.contract.limits import Limits
from autograder.sandbox import child, command, isolation, process, userns

needs_bwrap = pytest.mark.skipif(isolation.isolation_level() != "bubblewrap",
                                 reason="bubblewrap does not work on this machine")


def probe(code: str, **run_args) -> dict:
    """Run ``code`` (which sets ``REPORT``) in the sandbox; ``REPORT`` as the test sees it."""
    job = {"cells": [{"i": 0, "code": "import json, os, sys\n" + code + "\nprint(json.dumps(REPORT))"}],
           "calls": [], "activations": {}}
    run = process.run(job, Limits(), NB_NAME, **run_args)
    assert run.finished, run.stderr[-1500:]
    return json.loads(run.stdout.decode().strip().splitlines()[-1])


READ = """
def read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("latin-1")
    except OSError as exc:
        return type(exc).__name__
"""


@contextmanager
def root_only_file(folder: Path):
    """A ``0600`` file of the grader's user inside ``folder`` (a folder bound into the sandbox)."""
    path = folder / f"secret-{uuid.uuid4().hex}.txt"
    path.write_text("TOP SECRET")
    path.chmod(0o600)
    try:
        yield path
    finally:
        path.unlink()


@needs_bwrap
@pytest.mark.skipif(os.geteuid() != 0, reason="as a non-root grader the learner is that user")
def test_learner_is_nobody_outside_when_the_grader_is_root():
    assert userns.available()
    with root_only_file(Path(sys.prefix)) as secret:
        seen = probe(READ + f"REPORT = {{'secret': read({str(secret)!r}), "
                            "'uid_map': open('/proc/self/uid_map').read().split(), "
                            "'ids': [os.getuid(), os.getgid(), os.getgroups()]}")
    assert seen["secret"] == "PermissionError"
    # inside 1000 is nobody (65534) outside; nothing inside is root outside but the unusable 65534
    assert seen["uid_map"] == ["65534", "0", "1", "1000", "65534", "1"]
    assert seen["ids"] == [1000, 1000, []]  # root's supplementary group 0 is dropped too


@needs_bwrap
def test_without_a_nobody_namespace_bubblewraps_own_mapping_still_runs(monkeypatch):
    """What a non-root grader gets (only root may map the learner to nobody): the sandbox still
    works, with uid 1000 mapped to the grader's own uid."""
    @contextmanager
    def none():
        yield None

    monkeypatch.setattr(userns, "nobody_namespace", none)
    seen = probe("REPORT = open('/proc/self/uid_map').read().split()")
    assert seen == ["1000", str(os.geteuid()), "1"]


@needs_bwrap
def test_etc_holds_only_what_python_needs():
    seen = probe(READ + "REPORT = {'etc': sorted(os.listdir('/etc')), "
                        "'shadow': read('/etc/shadow'), 'sudoers': read('/etc/sudoers')}")
    assert seen["shadow"] == seen["sudoers"] == "FileNotFoundError"
    host = {name.split("/")[0] for name in command.ETC_FILES if os.path.exists(f"/etc/{name}")}
    assert set(seen["etc"]) == host
    assert not {"shadow", "gshadow", "sudoers", "ssh", "shadow-"} & set(seen["etc"])


@needs_bwrap
def test_command_lines_are_a_jupyter_kernels():
    seen = probe("""
def cmdline(pid):
    return open(f"/proc/{pid}/cmdline", "rb").read().decode().split("\\0")[:-1]
REPORT = {"self": cmdline("self"), "one": cmdline(1), "argv": sys.argv, "pid": os.getpid(),
          "connection": sorted(json.load(open(sys.argv[2])))}
""")
    launcher = command.launcher_path()
    assert seen["self"][:3] == [sys.executable, "-m", "ipykernel_launcher"]
    assert seen["self"][3] == "-f" and seen["self"][4] == seen["argv"][2]
    assert seen["argv"][:2] == [launcher, "-f"]
    assert seen["argv"][2].startswith(f"{command.HOME}/.local/share/jupyter/runtime/kernel-")
    assert seen["one"] == seen["self"]  # pid 1 is the kernel, not bwrap and its binds
    assert "key" in seen["connection"] and "shell_port" in seen["connection"]


@needs_bwrap
def test_a_kernel_that_signals_itself_or_leaves_children_does_not_hang_grading():
    """The kernel is pid 1 of its PID namespace: signals it sends itself without a handler are
    ignored (as for any init), and children it leaves behind die with it once its work is done."""
    job = {"cells": [
        {"i": 0, "code": "import os, signal, time\nos.kill(os.getpid(), signal.SIGTERM)"},
        {"i": 1, "code": "import subprocess\n"
                         "kids = [subprocess.Popen(['sleep', '1000']) for _ in range(3)]\n"
                         "if os.fork() == 0:\n    time.sleep(1000)\n"
                         "def double(x):\n    return 2 * x"},
    ], "calls": [{"key": "double/0", "function": "double", "args": child.encode((3.0,)),
                  "kind": "array", "numpy_only": False}], "activations": {}}
    run = process.run(job, Limits(grace=30.0), NB_NAME)
    assert run.finished, run.stderr[-1500:]
    assert [e.get("error") for e in run.events if e.get("ev") == "cell_end"] == [None, None]
    result = child.decode(next(e for e in run.events if e.get("ev") == "result")["result"])
    assert float(result["value"]) == 6.0
    assert run.seconds < 25, "leftover children kept the sandbox alive"


@needs_bwrap
def test_visible_error_texts_are_capped():
    job = {"cells": [{"i": 0, "code": "def loud(x):\n    raise ValueError('A' * 5000)"}],
           "calls": [{"key": "loud/0", "function": "loud", "args": child.encode((1.0,)),
                      "kind": "array", "numpy_only": False}], "activations": {}}
    run = process.run(job, Limits(), NB_NAME)
    result = child.decode(next(e for e in run.events if e.get("ev") == "result")["result"])
    assert result["raised"] is True
    assert len(result["error"]) == child.MAX_ERROR
    assert result["error"].startswith("ValueError: AAAA")


def test_hidden_folders_are_the_exposed_outermost_ones(monkeypatch):
    monkeypatch.setattr(command, "_python_prefixes", lambda: ["/usr/src/app/.venv", "/opt/py"])
    assert command.hidden_folders(["/usr/src/app", "/usr/src/app/submitted", "/srv/x", None,
                                   "/opt/py/share/course"]) == ("/opt/py/share/course", "/usr/src/app")
    assert command.hidden_folders(["/home/teacher/course"]) == ()


def test_a_venv_inside_a_hidden_course_is_bound_again_on_top(monkeypatch):
    monkeypatch.setattr(command, "_python_prefixes", lambda: ["/usr/src/app/.venv"])
    cmd = command.bwrap_prefix(hidden=("/usr/src/app",))
    hide = cmd.index("/usr/src/app")
    assert cmd[hide - 1] == "--tmpfs"
    rebinds = [i for i in range(len(cmd) - 2) if cmd[i:i + 3] == ["--ro-bind", "/usr/src/app/.venv",
                                                                   "/usr/src/app/.venv"]]
    assert len(rebinds) == 2 and rebinds[0] < hide < rebinds[1]


SNOOP = """\
import glob, os
_targets = {targets!r}
_found = []
for _path in _targets:
    try:
        if os.path.isdir(_path):
            if os.listdir(_path):
                _found.append("dir " + _path)
        else:
            with open(_path, "rb") as _f:
                _found.append(_path + "=" + _f.read(40).decode("latin-1"))
    except OSError:
        pass
def dense(a_in, W, b, g):
    raise ValueError("FOUND:" + ";".join(_found) + "|" + "x" * 1000)
"""


@needs_bwrap
def test_a_course_under_a_system_folder_is_absent_in_the_sandbox(tmp_path):
    """A Docker-style course under /usr/src: the learner reads neither the gradebook, the journal,
    the source notebook, the cases nor a classmate's submission; honest work keeps full marks."""
    if not os.access("/usr/src", os.W_OK):
        pytest.skip("/usr/src is not writable here")
    root = Path(f"/usr/src/nn-course-test-{uuid.uuid4().hex[:12]}")
    try:
        shutil.copytree(ROOT / "notebooks" / ASSIGNMENT, root / "notebooks" / ASSIGNMENT)
        submitted = root / "submitted"
        (submitted / "classmate" / ASSIGNMENT).mkdir(parents=True)
        shutil.copy(root / "notebooks" / ASSIGNMENT / NB_NAME, submitted / "classmate" / ASSIGNMENT)
        targets = [str(root / "gradebook.db"), str(root / ".autograder" / ASSIGNMENT),
                   str(root / "notebooks" / ASSIGNMENT / NB_NAME), str(root / "notebooks"),
                   str(submitted / "classmate" / ASSIGNMENT / NB_NAME), str(submitted), str(root),
                   str(ROOT / "autograder" / "cases" / "week1.py"), "/etc/shadow"]
        nb = source_notebook()
        replace(nb, "dense", SNOOP.format(targets=targets))
        (submitted / "snoop" / ASSIGNMENT).mkdir(parents=True)
        nbformat.write(nb, submitted / "snoop" / ASSIGNMENT / NB_NAME)
        # The classmate is graded first: its journal entry exists when the snoop runs.
        out = tmp_path / "grades.csv"
        code = cli.main(["--root", str(root), "grade", ASSIGNMENT, str(submitted), "--csv", str(out),
                         "--workers", "1", "--timeout", "60", "--no-progress"])
        assert code == 0
        with out.open(newline="") as f:
            rows = {r["student_id"]: r for r in csv.DictReader(f)}
        assert [(float(r["score"]), r["status"]) for r in rows.values()] == [(12.0, "graded"),
                                                                              (7.0, "graded")]
        assert list(rows) == ["classmate", "snoop"]
        assert "FOUND" not in rows["snoop"]["message"]
        html = (root / "feedback" / "snoop" / ASSIGNMENT / "feedback.html").read_text()
        assert "FOUND:|" in html  # the visible cases show its error: nothing was found
        assert "FOUND:/" not in html and "FOUND:dir" not in html
        assert "x" * (child.MAX_ERROR + 1) not in html
    finally:
        shutil.rmtree(root, ignore_errors=True)


@needs_bwrap
def test_honest_week2_keeps_full_marks(tmp_path):
    """Week 2 (softmax, a Keras model and its loss) needs nothing of /etc beyond the list."""
    from autograder.grading.assignment import load_assignment

    week = "week2"
    source = ROOT / "notebooks" / week
    shutil.copytree(source, tmp_path / "notebooks" / week)
    spec = load_assignment(tmp_path, week)
    (name,) = spec.sources
    (tmp_path / "submitted" / "honest" / week).mkdir(parents=True)
    shutil.copy(source / name, tmp_path / "submitted" / "honest" / week / name)
    out = tmp_path / "grades.csv"
    assert cli.main(["--root", str(tmp_path), "grade", week, str(tmp_path / "submitted"), "--csv",
                     str(out), "--workers", "1", "--timeout", "60", "--no-progress"]) == 0
    with out.open(newline="") as f:
        (row,) = csv.DictReader(f)
    assert (float(row["score"]), row["status"], row["message"]) == (spec.max_score, "graded", "")
    assert spec.max_score > 0


@needs_bwrap
def test_learner_code_gets_eperm_for_denied_system_calls():
    """Calls that succeed without the filter (unshare(0) does nothing, personality(0xffffffff)
    only reads) are refused; a namespace through clone fails; fork and threads still work."""
    pyseccomp = pytest.importorskip("pyseccomp")
    numbers = {name: pyseccomp.resolve_syscall(pyseccomp.Arch.NATIVE, name)
               for name in ("unshare", "personality", "keyctl", "mount", "bpf", "setns")}
    seen = probe(f"""
import ctypes, errno, subprocess, threading
libc = ctypes.CDLL(None, use_errno=True)
ARGS = {{"unshare": (0,), "personality": (0xffffffff,), "keyctl": (0, -3, 0), "bpf": (0, 0, 0),
        "mount": (0, 0, 0, 0, 0), "setns": (0, 0)}}
def call(name, number):
    ctypes.set_errno(0)
    result = libc.syscall(number, *ARGS[name])
    return errno.errorcode[ctypes.get_errno()] if result == -1 else result
t = threading.Thread(target=lambda: None)
t.start(); t.join()
REPORT = {{name: call(name, nr) for name, nr in {numbers!r}.items()}}
REPORT["clone_newuser"] = subprocess.run(["unshare", "--user", "true"]).returncode
REPORT["fork"] = subprocess.run(["true"]).returncode
""")
    assert seen == {"unshare": "EPERM", "personality": "EPERM", "keyctl": "EPERM",
                    "mount": "EPERM", "bpf": "EPERM", "setns": "EPERM",
                    "clone_newuser": 1, "fork": 0}


def test_seccomp_program_is_built_here():
    """The filter exists wherever libseccomp does (Linux CI): grading never silently lacks it."""
    from autograder.sandbox import seccomp

    if sys.platform != "linux":
        pytest.skip("seccomp is Linux only")
    compiled = seccomp.program()
    assert compiled is not None and len(compiled) % 8 == 0 and len(compiled) > 8 * len(seccomp.DENIED)


@needs_bwrap
def test_isolation_report_says_who_the_learner_is_outside(monkeypatch):
    expected = "learner is nobody outside" if os.geteuid() == 0 else f"learner is uid {os.geteuid()}"
    assert expected in isolation.isolation_report()
    if os.geteuid() == 0:
        monkeypatch.setattr(userns, "available", lambda: False)
        assert "learner is ROOT outside" in isolation.isolation_report()
