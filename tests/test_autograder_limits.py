"""Per-submission limits through the real sandbox: CPU shared fairly between sandboxes graded at
the same time, memory counted over all of a submission's processes and its tmpfs, the start-up
check of ``--memory`` against what the notebook's imports need, leftover cgroups removed."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest
from autograder_fixtures import (
    ASSIGNMENT,
    FULL,
    NB_NAME,
    ROOT,
    append,
    busy_children,
    source_notebook,
)

from autograder import cli
from autograder.contract.limits import Limits
from autograder.contract.results import SubmissionResult
from autograder.grading import batch, grade
from autograder.grading.batch import grade_batch

# (no use of grading)
from autograder.sandbox import cgroups, channel, memory, process

CPU = Path("/sys/fs/cgroup/cpu")
#: 16 children spinning forever; the cell itself returns at once (the children outlive it).
BUSY_CHILDREN = busy_children(16)
#: Work that needs 4 s of one core: within a 20 s cell limit with a fair share of the CPU (two
#: sandboxes on two cores), over it with the 2/17 of a core 16 busy neighbours leave it when
#: limits are per process only.
HONEST_WORK = """\
import time
_start = time.process_time()
while time.process_time() - _start < 4.0:
    pass
"""


def _course(tmp_path: Path, notebooks: dict[str, nbformat.NotebookNode]) -> tuple[Path, Path]:
    root = tmp_path / "course"
    shutil.copytree(ROOT / "notebooks" / ASSIGNMENT, root / "notebooks" / ASSIGNMENT)
    for student, nb in notebooks.items():
        folder = root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / NB_NAME)
    return root, root / "submitted"


def _with(*edits: tuple[str, str]) -> nbformat.NotebookNode:
    """The instructor notebook with each ``(grade_id, code)`` appended to that cell."""
    nb = source_notebook()
    for gid, code in edits:
        append(nb, gid, code)
    return nb


def _grade(root: Path, submitted: Path, *options: str, cpu_group: Path | None = None
           ) -> tuple[int, dict[str, dict]]:
    """``autograder grade`` on ``submitted``: its exit code and CSV rows by student. With
    ``cpu_group``, the grader runs in a process of its own that is in that cpu cgroup."""
    out = root / "grades.csv"
    argv = ["--root", str(root), "grade", ASSIGNMENT, str(submitted), "--csv", str(out),
            "--no-progress", "--no-feedback", *options]
    if cpu_group is None:
        code = cli.main(argv)
    else:
        join = 'echo $$ > "$0/cgroup.procs" && exec "$@"'
        code = subprocess.run(["/bin/sh", "-c", join, str(cpu_group), sys.executable, "-m",
                               "autograder.cli", *argv], timeout=900).returncode
    if not out.exists():
        return code, {}
    with out.open(newline="") as f:
        return code, {row["student_id"]: row for row in csv.DictReader(f)}


@contextmanager
def _service_cpu_group():
    """A cpu cgroup for the grader alone, as a systemd service or a container has one. Inside
    it the kernel's per-session fairness (autogroup, which by itself shares the CPU between
    sandboxes on a desktop kernel) does not apply: only the grader's own limits do."""
    if not os.access(CPU / "cgroup.procs", os.W_OK):
        pytest.skip("the cgroup v1 cpu controller is not writable here (run as root)")
    folder = CPU / f"autograder-{os.getpid()}-service"
    folder.mkdir()
    try:
        yield folder
    finally:
        for pid in (folder / "cgroup.procs").read_text().split():
            os.kill(int(pid), signal.SIGKILL)
        time.sleep(0.5)
        folder.rmdir()


def test_busy_children_do_not_make_a_classmate_time_out(tmp_path):
    # The children start in the first exercise's cell; the sleep keeps the busy sandbox (and its
    # children) alive while the classmate works.
    busy = _with(("build_model", BUSY_CHILDREN), ("sequential", "import time\ntime.sleep(18)"))
    root, submitted = _course(tmp_path, {"busy_children": busy,
                                         "honest": _with(("dense", HONEST_WORK))})
    with _service_cpu_group() as group:
        code, rows = _grade(root, submitted, "--workers", "2", "--timeout", "20", "--memory", "3072",
                            cpu_group=group)
    assert code == 0
    honest = rows["honest"]
    assert (float(honest["score"]), honest["status"], honest["message"]) == (FULL, "graded", ""), honest



def _needs_cgroups(*controllers: str) -> None:
    missing = set(controllers) - set(cgroups.available())
    if missing:
        pytest.skip(f"cgroup v1 controllers {sorted(missing)} are not writable here (run as root)")


def _run(code: str, limits: Limits) -> channel.RunResult:
    return process.run({"cells": [{"i": 0, "code": code}], "calls": [], "activations": {}},
                       limits, NB_NAME)


def test_a_sandbox_gets_one_core_however_many_processes_it_starts():
    _needs_cgroups("cpu", "cpuacct")
    run = _run("import os, time\nfor _ in range(4):\n    if os.fork() == 0:\n        while True:\n"
               "            pass\ntime.sleep(4)", Limits())
    assert run.finished and run.oom_kills == 0
    # 4 spinning children on 2 cores would use ~8 s of CPU in 4 s without the quota.
    assert 0 < run.cpu_seconds <= 1.1 * run.seconds + 0.2, (run.cpu_seconds, run.seconds)


def test_children_together_over_the_memory_limit_are_killed_and_counted():
    _needs_cgroups("memory")
    # Each child (its 370 MB of address space plus 200 MB) is under the 700 MB per-process
    # limit; the four together are not.
    code = ("import os, time\nimport numpy as np\nkids = []\nfor _ in range(4):\n"
            "    pid = os.fork()\n    if pid == 0:\n        block = np.ones(200 * 2**20 // 8)\n"
            "        time.sleep(2)\n        os._exit(0)\n    kids.append(pid)\n"
            "statuses = [os.waitpid(pid, 0)[1] for pid in kids]\n"
            "print('killed:', sum(os.WIFSIGNALED(s) for s in statuses))")
    run = _run(code, Limits(memory_mb=700))
    killed = int(run.stdout.decode().split("killed:")[1].split()[0])
    assert run.finished and killed >= 1 and run.oom_kills == killed, run.stdout[-500:]


def test_leftover_groups_of_a_killed_grader_are_removed_with_their_processes():
    _needs_cgroups("pids", "cpu", "memory")
    gone = subprocess.Popen(["true"])
    gone.wait()  # its pid now names a grader that no longer exists
    sleeper = subprocess.Popen(["sleep", "300"])
    empty, busy = (f"{cgroups.PREFIX}{gone.pid}-{tag}" for tag in ("0123456789ab", "ba9876543210"))
    ours = f"{cgroups.PREFIX}{os.getpid()}-00000000cafe"  # a running grader's: kept
    made = []
    for controller in ("pids", "cpu", "memory"):
        parent = cgroups.own_groups()[controller]
        for name in (empty, busy, ours):
            (parent / name).mkdir()
            made.append(parent / name)
        (parent / busy / "cgroup.procs").write_text(str(sleeper.pid))
    try:
        removed = cgroups.remove_leftovers()
        assert sorted(removed) == sorted(p for p in made if p.name != ours)
        assert sleeper.wait(timeout=10) == -signal.SIGKILL
        assert [p for p in made if p.exists()] == [p for p in made if p.name == ours]
    finally:
        sleeper.kill()
        for path in made:
            if path.exists():
                path.rmdir()


def test_memory_below_what_the_imports_need_stops_before_grading(tmp_path, capsys):
    root, submitted = _course(tmp_path, {"correct": source_notebook()})
    code, rows = _grade(root, submitted, "--memory", "600")
    assert (code, rows) == (2, {})
    need = next(iter(json.loads((root / memory.CACHE).read_text()).values()))
    assert 500 < need < 600 * 8  # TensorFlow's import: ~1.8 GB of address space
    assert capsys.readouterr().err == (
        f"autograder grade: --memory 600 MB is too low: the notebook's imports need about "
        f"{need / 1024:.1f} GB in the sandbox (measured), so every submission would fail in its "
        f"first cell; use --memory {memory.required_mb(need)} or more\n")
    assert not (root / ".autograder" / ASSIGNMENT).exists()  # nobody was graded


def test_imports_failing_for_memory_give_status_memory_naming_the_option(tmp_path):
    root, submitted = _course(tmp_path, {"correct": source_notebook()})
    limits = Limits(memory_mb=1024)  # grade_batch itself does not run the start-up check
    _, (result,) = grade_batch(ASSIGNMENT, root, submitted, workers=1, limits=limits,
                               progress=False)
    assert (result.score, result.status) == (0.0, "memory")
    assert ("the notebook's imports ran out of memory (cell `imports` (restored): ImportError); "
            "raise --memory (now 1024 MB)") in result.message


@pytest.mark.parametrize(("status", "cpu", "seconds", "again"), [
    ("timeout", 4.0, 10.0, True),  # 0.4 of a core: starved
    ("timeout", 5.0, 10.0, False),  # half a core: it had its chance
    ("timeout", 12.0, 10.0, False),  # a busy loop with TensorFlow's threads
    ("timeout", None, 10.0, False),  # no cpuacct: nothing to go by
    ("graded", 1.0, 10.0, False),
    ("memory", 1.0, 10.0, False),
])
def test_only_timeouts_starved_of_cpu_are_graded_again(status, cpu, seconds, again):
    result = SubmissionResult("x", 1.0, {}, status=status, cpu_seconds=cpu, seconds=seconds)
    assert batch.starved(result) is again


def test_the_isolation_line_names_the_limits_in_force(monkeypatch):
    limits = Limits(memory_mb=3072)
    monkeypatch.setattr(cgroups, "available", lambda: ("pids", "cpu", "cpuacct", "memory"))
    assert cli.limits_in_force(limits) == (
        "3072 MB address space per process, 3072 MB memory per submission (processes and tmpfs), "
        "1 core per submission, 512 processes (cgroups: pids, cpu, cpuacct, memory)")
    monkeypatch.setattr(cgroups, "available", lambda: ())
    assert cli.limits_in_force(limits) == (
        "3072 MB address space per process, no CPU limit per submission "
        "(cgroups: not writable here)")


def test_a_row_starved_of_cpu_is_graded_again_alone_after_the_batch(tmp_path, monkeypatch):
    students = ["ann", "bob", "cem"]
    root, submitted = _course(tmp_path, {s: source_notebook() for s in students})
    calls = []

    def fake_grade(spec, sub, limits):
        """bob times out with 1 s of CPU in 10 s the first time; every other run is graded."""
        calls.append(sub.student)
        result = SubmissionResult.empty(sub.student, spec.points)
        if sub.student == "bob" and calls.count("bob") == 1:
            result.status, result.message, result.cpu_seconds, result.seconds = \
                "timeout", "ran longer", 1.0, 10.0
        else:
            result.cpu_seconds, result.seconds = 9.0, 10.0
        return result

    monkeypatch.setattr(grade, "grade_submission", fake_grade)
    _, results = grade_batch(ASSIGNMENT, root, submitted, workers=2, progress=False)
    assert [(r.student_id, r.status) for r in results] == [(s, "graded") for s in students]
    assert sorted(calls[:3]) == students and calls[3:] == ["bob"]  # again, after all the others
    # Only the second grade was journaled (a batch killed in between grades bob again).
    stored = json.loads((root / ".autograder" / ASSIGNMENT / "bob.json").read_text())
    assert stored["result"]["status"] == "graded"
