"""Unattempted is not wrong: an exercise whose cell is still as released is "not attempted" in
the CSV, the class report and the feedback (one line, not a table of raised exceptions), while
an exercise written and wrong keeps its case table. Graded end to end with ``autograder grade``."""

from __future__ import annotations

import csv
import json
import re
import shutil

import nbformat
import pytest
from autograder_fixtures import ASSIGNMENT, NB_NAME, ROOT, WRONG_DENSE, replace

from autograder import cli
from autograder.authoring.starter import starter_source
from autograder.contract.cells import grade_id, is_solution
from autograder.contract.results import ExerciseResult, SubmissionResult

EXERCISES = ["build_model", "dense", "sequential", "dense_v", "forward_v"]


def released() -> nbformat.NotebookNode:
    """The week-1 assignment as a learner receives it (every solution cell as released)."""
    nb = nbformat.read(ROOT / "notebooks" / ASSIGNMENT / NB_NAME, as_version=4)
    for c in nb.cells:
        if is_solution(c):
            c.source = starter_source(c)
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("not-attempted")
    shutil.copytree(ROOT / "notebooks" / ASSIGNMENT, root / "notebooks" / ASSIGNMENT)
    wrong_dense = released()
    replace(wrong_dense, "dense", WRONG_DENSE)
    for student, nb in {"blank": released(), "wrong_dense": wrong_dense}.items():
        folder = root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / NB_NAME)
    out = root / "grades.csv"
    code = cli.main(["--root", str(root), "grade", ASSIGNMENT, str(root / "submitted"), "--csv",
                     str(out), "--workers", "1", "--no-progress"])
    rows = {r["student_id"]: r for r in csv.DictReader(out.open(newline=""))}
    results = {s: SubmissionResult.from_json(json.loads(
        (root / ".autograder" / ASSIGNMENT / f"{s}.json").read_text())["result"]) for s in rows}
    pages = {s: (root / "feedback" / s / ASSIGNMENT / "feedback.html").read_text() for s in rows}
    report = (root / "grades_summary.txt").read_text()
    return code, rows, results, pages, report


def test_a_blank_submission_is_not_attempted_everywhere(graded):
    code, rows, results, pages, _ = graded
    assert code == 0
    row = rows["blank"]
    assert row["status"] == "graded" and float(row["score"]) == 0.0
    assert row["message"] == "not attempted (still as released): " + ", ".join(EXERCISES)
    assert not any(e.attempted for e in results["blank"].exercises.values())
    page = pages["blank"]
    assert page.count("Not attempted: your cell is still as released") == len(EXERCISES)
    assert "<table>" not in page and "NotImplementedError:" not in page


def test_a_written_wrong_answer_keeps_its_table_and_its_dependents_are_told_apart(graded):
    _, rows, results, pages, _ = graded
    exercises = results["wrong_dense"].exercises
    assert exercises["dense"].attempted and exercises["dense"].points == 0
    # sequential calls dense; its own cell is still as released, so it is not attempted.
    assert not exercises["sequential"].attempted
    assert "not attempted (still as released): build_model, sequential, dense_v, forward_v" \
        in rows["wrong_dense"]["message"]
    page = pages["wrong_dense"]
    assert page.count("<table>") == 1 and page.count("Not attempted:") == 4


def test_the_class_report_counts_what_was_left(graded):
    *_, report = graded
    for ex in EXERCISES:
        share = "50.0%" if ex == "dense" else "100.0%"
        assert re.search(rf"{ex}\s+full marks\s+0\.0%\s+cases passed\s+0\.0%\s+not attempted\s+{share}",
                         report), report


def test_an_older_journal_entry_reads_as_attempted():
    data = SubmissionResult("s", 1.0, {"e": ExerciseResult(0.0, 1.0)}).to_json()
    del data["exercises"]["e"]["attempted"]
    assert SubmissionResult.from_json(data).exercises["e"].attempted


def test_released_is_what_release_writes():
    """The fixture's notebook equals nbgrader's student version in every solution cell."""
    nb = released()
    stub = "# YOUR CODE HERE\n    raise NotImplementedError()"
    assert all(stub in c.source for c in nb.cells if is_solution(c) and grade_id(c))
