"""A partial submission earns what it holds: each graded notebook of an assignment is graded on
its own, and one that was not handed in costs its own points only, named in the CSV message, the
feedback page and the class report (status ``incomplete``). A class graded before this rule is
graded again once for the rows the old rule got wrong, and only those."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from autograder import cli
from autograder.contract import cells
from autograder.contract.results import SubmissionResult
from conftest import NOTEBOOKS

#: (assignment, the graded notebook handed in, the graded notebook left out)
PARTIAL = {
    "week3": ("04_assignment_logistic_regression.ipynb", "06_assignment_planar_data.ipynb"),
    "week4": ("02_assignment_deep_network_step_by_step.ipynb",
              "04_assignment_deep_network_digits.ipynb"),
}


def _course(root: Path, assignment: str, students: dict[str, list[str]]) -> Path:
    """A course at ``root`` with ``assignment``'s notebooks and, for each student, the
    instructor's (solved) notebooks named in ``students``; the submissions folder."""
    shutil.copytree(NOTEBOOKS / assignment, root / "notebooks" / assignment)
    for student, names in students.items():
        folder = root / "submitted" / student / assignment
        folder.mkdir(parents=True)
        for name in names:
            shutil.copy(NOTEBOOKS / assignment / name, folder / name)
    return root / "submitted"


def _grade(root: Path, assignment: str) -> dict[str, dict]:
    out = root / "grades.csv"
    code = cli.main(["--root", str(root), "grade", assignment, str(root / "submitted"), "--csv",
                     str(out), "--workers", "1", "--no-progress"])
    assert code == 0
    with out.open(newline="") as f:
        return {r["student_id"]: r for r in csv.DictReader(f)}


def _points(assignment: str, name: str) -> float:
    """The points of a notebook's test cells, read from the notebook itself."""
    return sum(cells.test_points(nbformat.read(NOTEBOOKS / assignment / name, as_version=4)).values())


@pytest.mark.slow
@pytest.mark.parametrize("assignment", sorted(PARTIAL))
def test_one_notebook_handed_in_earns_its_own_points(tmp_path, assignment):
    kept, left_out = PARTIAL[assignment]
    _course(tmp_path, assignment, {"half": [kept]})
    row = _grade(tmp_path, assignment)["half"]
    assert float(row["score"]) == pytest.approx(_points(assignment, kept), abs=1e-3), row
    assert float(row["max_score"]) == pytest.approx(
        _points(assignment, kept) + _points(assignment, left_out), abs=1e-3)
    assert row["status"] == "incomplete", row
    assert f"{left_out} was not handed in" in row["message"], row
    assert kept not in row["message"], row
    page = (tmp_path / "feedback" / "half" / assignment / "feedback.html").read_text()
    assert f"{left_out} was not handed in" in page
    report = (tmp_path / "grades_summary.txt").read_text()
    assert f"not handed in: {left_out} (1 student;" in report, report
    assert "incomplete 1" in report


def _entry(journal: Path, student: str) -> dict:
    return json.loads((journal / f"{student}.json").read_text())


@pytest.mark.slow
def test_rows_graded_under_the_old_rule_are_graded_again_once(tmp_path):
    assignment = "week3"
    kept, left_out = PARTIAL[assignment]
    _course(tmp_path, assignment, {"half": [kept], "whole": [kept, left_out]})
    first = _grade(tmp_path, assignment)
    journal = tmp_path / ".autograder" / assignment
    # Make the journal what the grader wrote before this rule: no rules revision, and the
    # half submission's old row (0 points, "missing").
    for student in ("half", "whole"):
        entry = _entry(journal, student)
        assert entry.pop("rules") >= 2
        if student == "half":
            old = SubmissionResult.from_json(entry["result"])
            for ex in old.exercises.values():
                ex.points, ex.cases, ex.message = 0.0, [], ""
            old.not_handed_in = []
            entry["result"] = old.finish([]).to_json()
            entry["result"].update(status="missing", message=f"no {left_out} in {assignment}/")
            entry["result"].pop("not_handed_in")
        (journal / f"{student}.json").write_text(json.dumps(entry))
    whole_before = (journal / "whole.json").read_bytes()
    whole_mtime = (journal / "whole.json").stat().st_mtime_ns

    second = _grade(tmp_path, assignment)
    # The old 0 was graded again under the new rule; the complete row was kept as it was.
    assert second["half"] == first["half"]
    assert float(second["half"]["score"]) == pytest.approx(_points(assignment, kept), abs=1e-3)
    assert (journal / "whole.json").read_bytes() == whole_before
    assert (journal / "whole.json").stat().st_mtime_ns == whole_mtime
    assert second["whole"] == first["whole"]
    assert _entry(journal, "half")["rules"] >= 2

    # Once: a third run grades nothing again.
    half_mtime = (journal / "half.json").stat().st_mtime_ns
    assert _grade(tmp_path, assignment) == second
    assert (journal / "half.json").stat().st_mtime_ns == half_mtime


@pytest.mark.slow
def test_one_renamed_notebook_is_graded_as_itself_and_the_other_is_not_handed_in(tmp_path):
    # The only unknown notebook must not be taken for the other graded notebook as well.
    assignment = "week3"
    kept, left_out = PARTIAL[assignment]
    copy = kept.replace(".ipynb", "-Copy1.ipynb")
    folder = tmp_path / "submitted" / "half" / assignment
    _course(tmp_path, assignment, {})
    folder.mkdir(parents=True)
    shutil.copy(NOTEBOOKS / assignment / kept, folder / copy)
    row = _grade(tmp_path, assignment)["half"]
    assert float(row["score"]) == pytest.approx(_points(assignment, kept), abs=1e-3), row
    assert row["status"] == "incomplete", row
    assert f"{kept} was submitted as {copy}" in row["message"], row
    assert f"{left_out} was not handed in" in row["message"], row
