"""The adversarial suite: a class of hostile and broken week-1 submissions, graded once in one
batch by ``autograder grade``; each row must have its expected score, status and message."""

from __future__ import annotations

import csv
import shutil
import socket
import threading
from pathlib import Path

import pytest
from autograder_fixtures import ASSIGNMENT, FIXTURES, FULL, ROOT

from autograder import cli
from autograder.grading.assignment import load_assignment
from autograder.records.gradebook import GradebookWriter
from conftest import once_per_run

EXERCISES = ["build_model", "dense", "sequential", "dense_v", "forward_v"]


class _Listener:
    """A TCP server on the host's loopback that counts connections (there must be none)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self.stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self):
        self.stop = True
        self.thread.join(timeout=2)
        self.sock.close()


def _grade_class(root: Path, options: tuple[str, ...] = ()) -> dict:
    shutil.copytree(ROOT / "notebooks" / ASSIGNMENT, root / "notebooks" / ASSIGNMENT)
    submitted = root / "submitted"
    listener = _Listener()
    ctx = {"root": root, "port": listener.port}
    for fixture in FIXTURES:
        fixture.build(submitted, ctx)
    out = root / "grades.csv"
    # 30 s per cell: the first cell imports TensorFlow, which must fit on a loaded CI machine.
    argv = ["--root", str(root), "grade", ASSIGNMENT, str(submitted), "--csv", str(out),
            "--workers", "2", "--timeout", "30", "--memory", "3072", "--no-progress", *options]
    try:
        code = cli.main(argv)
    finally:
        listener.close()
    first = out.read_text()
    rerun_code = cli.main(argv)  # every grade comes from the journal: same CSV
    with out.open(newline="") as f:
        rows = list(csv.DictReader(f))
    return {"root": str(root), "code": code, "rows": {r["student_id"]: r for r in rows},
            "header": list(rows[0].keys()) if rows else [], "hits": listener.hits,
            "csv": str(out), "rerun": [rerun_code, out.read_text() == first]}


@pytest.fixture(scope="module")
def graded(tmp_path_factory, worker_id):
    """The class graded once per test run, even when pytest-xdist spreads these tests over
    several workers."""
    data = once_per_run(tmp_path_factory, worker_id, "autograder-adversarial", _grade_class)
    data["root"], data["csv"] = Path(data["root"]), Path(data["csv"])
    return data


@pytest.fixture(scope="module")
def graded_fresh(tmp_path_factory, worker_id):
    """The same class graded with a fresh Python per sandbox (``--no-template``)."""
    return once_per_run(tmp_path_factory, worker_id, "autograder-adversarial-fresh",
                        lambda root: _grade_class(root, ("--no-template",)))


@pytest.mark.slow
def test_templates_change_no_row(graded, graded_fresh):
    """Forked from a template or started afresh, every hostile and broken submission gets the
    same score, status, points per exercise and message (the CSV row), and none reaches the
    network."""
    assert graded_fresh["code"] == graded["code"] == 0
    assert graded_fresh["hits"] == graded["hits"] == 0
    differ = {s: (graded_fresh["rows"][s], row) for s, row in graded["rows"].items()
              if graded_fresh["rows"].get(s) != row}
    assert differ == {}


def test_batch_finishes_with_a_row_per_student(graded):
    assert graded["code"] == 0
    assert sorted(graded["rows"]) == sorted(f.student for f in FIXTURES)
    assert list(graded["header"]) == ["student_id", "score", "max_score", "status", *EXERCISES,
                                      "message"]


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.student for f in FIXTURES])
def test_fixture_score_status_message(graded, fixture):
    row = graded["rows"][fixture.student]
    expected = pytest.approx(fixture.expected, abs=1e-3)
    assert (float(row["score"]), row["status"]) == (expected, fixture.status), row
    assert float(row["max_score"]) == FULL
    assert sum(float(row[ex]) for ex in EXERCISES) == pytest.approx(float(row["score"]))
    if fixture.message:
        assert fixture.message in row["message"], row["message"]
    elif fixture.status == "graded":
        assert row["message"] == "", row["message"]


def test_no_network_and_no_writes_outside_scratch(graded):
    assert graded["hits"] == 0
    assert not (graded["root"] / "pwned.txt").exists()
    assert not (ROOT / "pwned.txt").exists()


def test_gradebook_holds_the_csv_scores(graded):
    spec = load_assignment(graded["root"], ASSIGNMENT)
    writer = GradebookWriter(graded["root"], spec)
    try:
        for student, row in graded["rows"].items():
            if row["status"] == "missing":
                continue
            submission = writer.gb.find_submission(ASSIGNMENT, student)
            assert submission.score == pytest.approx(float(row["score"]), abs=1e-3), student
            assert submission.max_score == FULL
    finally:
        writer.close()


def test_feedback_explains_and_hides_the_tests(graded):
    root = graded["root"]
    for student in graded["rows"]:
        html = (root / "feedback" / student / ASSIGNMENT / "feedback.html").read_text()
        for secret in ("assert_cases", "BEGIN HIDDEN", "def dense", "ref.dense", "np.random",
                       "flood flood"):
            assert secret not in html, (student, secret)
    wrong = (root / "feedback" / "wrong" / ASSIGNMENT / "feedback.html").read_text()
    assert "wrong output shape: expected (2,), got (2, 1)" in wrong or "expected (2, 3)" in wrong
    assert "units: expected 25, got 10" in wrong or "expected" in wrong
    loops = (root / "feedback" / "dense_v_loops" / ASSIGNMENT / "feedback.html").read_text()
    assert "not vectorised" in loops
    leaks = (root / "feedback" / "leaks_inputs" / ASSIGNMENT / "feedback.html").read_text()
    visible = sum(c.visible for ex in ("dense", "sequential")
                  for c in load_assignment(root, ASSIGNMENT).cases[ex])
    assert 0 < leaks.count("INPUTS:") <= visible
    assert "error message is not shown" in leaks
    typed = (root / "feedback" / "leaks_in_type_name" / ASSIGNMENT / "feedback.html").read_text()
    assert 0 < typed.count("LEAK_") <= visible
    keras_dense = (root / "feedback" / "dense_uses_keras" / ASSIGNMENT / "feedback.html").read_text()
    assert "NumPy only" in keras_dense


def test_class_report(graded):
    stem = graded["csv"].with_suffix("")
    png = Path(f"{stem}_report.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = Path(f"{stem}_summary.txt").read_text()
    assert f"{len(FIXTURES)} submission(s)" in text and "dense_v" in text


def test_rerun_reuses_every_grade(graded):
    assert graded["rerun"] == [0, True]


def test_exception_texts_carry_no_secret_and_are_capped(graded):
    """A learner exception quoting /etc/shadow, the gradebook, the journal and the source notebook
    shows only that none of them exists in the sandbox, cut to the harness's cap."""
    html = (graded["root"] / "feedback" / "raises_with_secrets" / ASSIGNMENT / "feedback.html").read_text()
    assert "SECRETS:" + "|".join(["FileNotFoundError"] * 6) + "yyy" in html
    assert "y" * 300 not in html
    assert "root:" not in html and "SQLite format" not in html and "nbgrader" not in html
    assert "SECRETS" not in graded["rows"]["raises_with_secrets"]["message"]
