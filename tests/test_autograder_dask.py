"""Grading on a Dask cluster (``autograder grade --scheduler``), on a ``distributed.LocalCluster``
of two worker processes that each test module starts and stops itself (this machine only).

A small class of week-1 submissions (honest, hostile, crashing, malformed) must get, row for row,
the same results through the cluster as through the local pool; a worker killed mid-batch loses
no finished grade and the batch completes; ``kill -9`` of the instructor's process and a rerun
keep every finished grade, as locally; a worker with another environment is refused.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

import nbformat
import pytest
from autograder_fixtures import ASSIGNMENT, FIXTURES, ROOT

from autograder.contract.limits import Limits
from autograder.grading import remote_run
from autograder.grading.batch import grade_batch
from autograder.grading.cluster import ClusterError, connect, environment_problem
from autograder.sandbox import isolation

distributed = pytest.importorskip("distributed")  # the dev extra installs it: never skipped in CI

BY_NAME = {f.student: f for f in FIXTURES}
#: Graded in both places and compared row by row: right, partly right, reading the grader's
#: files, crashing the kernel, and a file that needs no sandbox (kept small: a loaded 2-core CI).
CLASS = ["correct", "partial", "reads_secrets", "os_exit", "empty_file"]
LIMITS = Limits(cell_timeout=30.0, call_timeout=10.0, memory_mb=3072)


@pytest.fixture(scope="module")
def local_cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", scheduler_port=0, dashboard_address=":0",
                                  silence_logs=40) as cluster:
        yield cluster


def _course(root, students, pause: float = 0.0):
    """A course with ``students``' submissions; ``pause``: seconds each notebook sleeps in a cell
    the learner added at its end (so that a run lasts long enough to be caught running)."""
    shutil.copytree(ROOT / "notebooks" / ASSIGNMENT, root / "notebooks" / ASSIGNMENT)
    for name in students:
        BY_NAME[name].build(root / "submitted", {"root": root, "port": 9})
        for path in (root / "submitted" / name / ASSIGNMENT).glob("*.ipynb") if pause else ():
            nb = nbformat.read(path, as_version=4)
            nb.cells.append(nbformat.v4.new_code_cell(f"import time\ntime.sleep({pause})"))
            nbformat.write(nb, path)
    return root


#: TensorFlow's C++ log lines (``I0000 00:00:1796026141.339990  1 port.cc:153] ...``): their
#: timestamps and which of them appear depend on the moment and the load, not on the grader.
TF_LOG_LINE = re.compile(r"^[IWEF]\d{4} [\d:. ]+\d+ [\w.]+:\d+\].*$\n?", re.MULTILINE)


def _comparable(result) -> dict:
    """A row without what depends on the machine's load (seconds, CPU time, phases, TF's log)."""
    data = result.to_json()
    for key in ("seconds", "cpu_seconds", "phases"):
        data.pop(key)
    data["output"] = TF_LOG_LINE.sub("", data["output"])
    return data


def test_cluster_grades_like_the_local_pool(tmp_path, local_cluster):
    local_root = _course(tmp_path / "local", CLASS)
    dask_root = _course(tmp_path / "dask", CLASS)
    _, local = grade_batch(ASSIGNMENT, local_root, local_root / "submitted", workers=2,
                           limits=LIMITS, progress=False)
    cluster = connect(local_cluster.scheduler_address)
    try:
        assert cluster.slots == 2
        # What `grade` prints is the workers' isolation, with how many workers have it.
        assert cluster.isolation() == f"{isolation.isolation_report()} (2 workers)"
        _, remote = grade_batch(ASSIGNMENT, dask_root, dask_root / "submitted",
                                workers=cluster.slots, limits=LIMITS, progress=False,
                                run=cluster.run)
    finally:
        cluster.close()
    assert [r.student_id for r in remote] == [r.student_id for r in local] == sorted(CLASS)
    for here, there in zip(local, remote):
        fixture = BY_NAME[here.student_id]
        assert (here.score, here.status) == (pytest.approx(fixture.expected, abs=1e-3),
                                             fixture.status), here.student_id
        # The course paths differ (local/ vs dask/): a message quoting one must quote the other.
        assert _comparable(there) == _comparable(here) or (
            str(_comparable(there)).replace("/dask/", "/local/")
            == str(_comparable(here))), here.student_id


def test_a_worker_with_another_environment_is_refused(local_cluster):
    client = distributed.Client(local_cluster.scheduler_address)
    try:
        workers = client.run(remote_run.environment)
        assert environment_problem(workers) is None
        address = sorted(workers)[0]
        workers[address] = dict(workers[address], numpy="1.26.4")
        problem = environment_problem(workers)
        mine = remote_run.environment()["numpy"]
        assert problem == (f"worker {address} cannot grade for this machine: numpy {mine} here, "
                           "1.26.4 on the worker; install the same versions there (the same "
                           "`pip install -e '.[cluster]'` of the same commit of the course) and "
                           "start the worker again")
    finally:
        client.close()


def test_the_first_difference_is_named():
    mine = {"python": "3.11.9", "numpy": "2.1.0", "grader code": "a" * 64}
    assert remote_run.first_difference(mine, dict(mine)) is None
    assert remote_run.first_difference(mine, dict(mine, python="3.12.1", numpy="2.0")) == \
        "python 3.11.9 here, 3.12.1 on the worker"
    assert remote_run.first_difference(mine, dict(mine, **{"grader code": "b" * 64})) == \
        f"the grader code (autograder/course_utils files) differs: {'a' * 12} here, {'b' * 12} on the worker"
    assert remote_run.first_difference(mine, {"python": "3.11.9", "numpy": "2.1.0"}) == \
        f"the grader code (autograder/course_utils files) differs: {'a' * 12} here, absent on the worker"


def test_a_job_for_another_environment_is_not_run():
    data = {"environment": "0" * 64}
    with pytest.raises(remote_run.EnvironmentMismatch, match="install the same versions"):
        remote_run.run_job(data)


def test_no_scheduler_is_a_clear_refusal():
    with pytest.raises(ClusterError, match="no Dask scheduler answered at tcp://127.0.0.1:9"):
        connect("tcp://127.0.0.1:9", timeout=2)


#: Four honest submissions: enough for one to finish while others are still on the workers.
SMALL_CLASS = ["correct", "partial", "wrong", "unanswered"]


def _journaled(journal) -> dict:
    """Each journal file's (mtime, bytes): a finished grade, and proof it was not written again.

    The atomic write's hidden ``.tmp-<random>-<name>.json`` is not a journaled grade (and may be
    renamed away between the glob and the read: a fresh-clone CI run failed on exactly that)."""
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in journal.glob("*.json")
            if not p.name.startswith(".")}


def _wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        assert time.monotonic() < deadline, f"no {what} after {seconds:g} s"
        time.sleep(0.2)
    return found


def test_a_worker_killed_mid_batch_loses_no_grade(tmp_path, local_cluster):
    # Runs forked from a template take a fraction of a second: each sleeps 3 s, so that the
    # worker killed below is certainly running one.
    root = _course(tmp_path, SMALL_CLASS, pause=3.0)
    journal = root / ".autograder" / ASSIGNMENT
    cluster = connect(local_cluster.scheduler_address)
    outcome = {}

    def batch():
        outcome["results"] = grade_batch(ASSIGNMENT, root, root / "submitted", workers=cluster.slots,
                                         limits=LIMITS, progress=False, run=cluster.run)[1]

    thread = threading.Thread(target=batch)
    thread.start()
    try:
        # One grade finished and journaled, and a sandbox running on a worker: kill that worker.
        busy = _wait_for(lambda: journal.is_dir() and _journaled(journal) and {
            w: keys for w, keys in cluster.client.processing().items() if keys}, 300,
            "finished grade with another still running")
        finished = _journaled(journal)
        victim, keys = sorted(busy.items())[0]
        os.kill(cluster.client.run(os.getpid)[victim], signal.SIGKILL)
        thread.join(timeout=600)
        assert not thread.is_alive(), "the batch did not complete after a worker died"
    finally:
        cluster.close()
    results = {r.student_id: r for r in outcome["results"]}
    assert sorted(results) == sorted(SMALL_CLASS)
    for student, result in results.items():
        assert (result.score, result.status) == (pytest.approx(BY_NAME[student].expected, abs=1e-3),
                                                 BY_NAME[student].status), student
    assert all(_journaled(journal)[name] == kept for name, kept in finished.items())
    assert len(_journaled(journal)) == len(SMALL_CLASS)
    # The killed task was started twice: on the victim, then again after it died.
    story = local_cluster.scheduler.story(keys[0])
    assert sum(1 for event in story if event[2] == "processing") >= 2, story


def test_kill_9_of_the_instructor_then_resume(tmp_path, local_cluster):
    root = _course(tmp_path, SMALL_CLASS)
    journal = root / ".autograder" / ASSIGNMENT
    out = root / "grades.csv"
    command = [sys.executable, "-m", "autograder.cli", "--root", str(root), "grade", ASSIGNMENT,
               str(root / "submitted"), "--csv", str(out), "--timeout", "30", "--memory", "3072",
               "--no-progress", "--no-feedback", "--scheduler", local_cluster.scheduler_address]
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_for(lambda: journal.is_dir() and _journaled(journal), 300, "journaled grade")
    finally:
        os.kill(proc.pid, signal.SIGKILL)  # the instructor's process only; the workers go on
        proc.wait()
    finished = _journaled(journal)
    assert 1 <= len(finished) < len(SMALL_CLASS), "kill -9 came too late to test resuming"
    assert not out.exists()

    rerun = subprocess.run(command, env=env, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"grading on {local_cluster.scheduler_address}: 2 sandboxes at once" in rerun.stderr
    assert all(_journaled(journal)[name] == kept for name, kept in finished.items())
    rows = {r["student_id"]: r for r in csv.DictReader(out.open(newline=""))}
    assert sorted(rows) == sorted(SMALL_CLASS)
    for student, row in rows.items():
        assert float(row["score"]) == pytest.approx(BY_NAME[student].expected, abs=1e-3), student
        assert row["status"] == BY_NAME[student].status, student


def test_without_the_option_nothing_imports_dask():
    code = ("import sys\nfrom autograder import cli\nfrom autograder.grading import batch, grade, remote_run\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
