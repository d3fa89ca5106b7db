"""Resumability and determinism: ``kill -9`` mid-batch, then the same command keeps every finished
grade (not graded again) and grades only the rest; scores equal a fresh grading's."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from autograder_fixtures import ASSIGNMENT, FIXTURES, ROOT

KINDS = {f.student: f for f in FIXTURES if f.student in
         ("correct", "partial", "wrong", "hardcoded_visible", "dense_v_loops", "unanswered")}


def _command(root, out):
    return [sys.executable, "-m", "autograder.cli", "--root", str(root), "grade", ASSIGNMENT,
            str(root / "submitted"), "--csv", str(out), "--workers", "2", "--no-progress",
            "--no-feedback"]


def test_kill_9_then_resume(tmp_path):
    shutil.copytree(ROOT / "notebooks" / ASSIGNMENT, tmp_path / "notebooks" / ASSIGNMENT)
    for fixture in KINDS.values():
        fixture.build(tmp_path / "submitted", {"root": tmp_path, "port": 9})
    journal = tmp_path / ".autograder" / ASSIGNMENT
    out = tmp_path / "grades.csv"
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    proc = subprocess.Popen(_command(tmp_path, out), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and len(list(journal.glob("*.json"))) < 2:
        time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)  # the grader only: its sandboxes die with it
    proc.wait()
    finished = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in journal.glob("*.json")}
    assert 2 <= len(finished) < len(KINDS), "kill -9 came too late to test resuming"
    assert not out.exists()

    assert subprocess.run(_command(tmp_path, out), env=env, capture_output=True).returncode == 0
    for name, (mtime, data) in finished.items():
        path = journal / name
        assert (path.stat().st_mtime_ns, path.read_bytes()) == (mtime, data), f"{name} regraded"
    rows = {r["student_id"]: r for r in csv.DictReader(out.open(newline=""))}
    assert sorted(rows) == sorted(KINDS)
    for student, fixture in KINDS.items():
        assert float(rows[student]["score"]) == pytest.approx(fixture.expected, abs=1e-3), student
        assert rows[student]["status"] == fixture.status, student

    # Re-grading from scratch (no journal) gives the same scores.
    shutil.rmtree(journal)
    first = out.read_text()
    assert subprocess.run(_command(tmp_path, out), env=env, capture_output=True).returncode == 0
    assert out.read_text() == first
