"""A class of submissions for one assignment, graded end to end by ``autograder release`` and
``autograder grade`` (the week-3-on classes of common mistakes): how each student's notebooks are
made from the instructor's, how the batch is graded, and the points the grading contract gives
each exercise when run in this process (independently of the sandbox that graded the batch)."""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder import cli
from autograder.cases import exercises, judge, run_case_in_process
from autograder.contract.results import SubmissionResult
from conftest import NOTEBOOKS, ROOT


@dataclass(frozen=True)
class Student:
    """One submission: solution cells replaced (``grade_id`` → code), or the released stubs.
    ``stalls``: exercises whose first call is stopped at the per-call limit, which ends them (0
    points, not run here; the row's status is ``timeout``)."""

    name: str
    answers: dict[str, str]
    stubs: bool = False
    stalls: frozenset[str] = field(default_factory=frozenset)


def _graded_notebooks(assignment: str) -> list[str]:
    return sorted(p.name for p in (NOTEBOOKS / assignment).glob("*.ipynb")
                  if any(c.metadata.get("nbgrader", {}).get("solution")
                         for c in nbformat.read(p, as_version=4).cells))


def submission(assignment: str, student: Student, released: Path | None = None
               ) -> dict[str, nbformat.NotebookNode]:
    """The student's graded notebooks, by file name."""
    notebooks = {}
    for name in _graded_notebooks(assignment):
        folder = released if student.stubs else NOTEBOOKS / assignment
        nb = nbformat.read(folder / name, as_version=4)
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid in student.answers and cell.metadata["nbgrader"].get("solution"):
                cell.source = student.answers[gid]
        notebooks[name] = nb
    return notebooks


def grade_class(root: Path, assignment: str, students: list[Student], timeout: float) -> dict:
    """Release ``assignment`` in a copy of the course at ``root``, write each student's
    submission from it, grade them all with ``autograder grade`` (2 workers, ``--timeout``) and
    return the exit code, the CSV rows, each journaled result (JSON) and the released files."""
    shutil.copytree(NOTEBOOKS / assignment, root / "notebooks" / assignment)
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    assert cli.main(["--root", str(root), "release", assignment]) == 0
    released = root / "release" / assignment
    for student in students:
        folder = root / "submitted" / student.name / assignment
        folder.mkdir(parents=True)
        for name, nb in submission(assignment, student, released).items():
            nbformat.write(nb, folder / name)
    out = root / "grades.csv"
    code = cli.main(["--root", str(root), "grade", assignment, str(root / "submitted"), "--csv",
                     str(out), "--workers", "2", "--timeout", str(timeout), "--no-progress"])
    with out.open(newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    journal = root / ".autograder" / assignment
    # An "error" row is not journaled (it is graded again next time): its result is None.
    results = {s.name: json.loads((journal / f"{s.name}.json").read_text())["result"]
               if (journal / f"{s.name}.json").exists() else None for s in students}
    return {"code": code, "rows": rows, "results": results,
            "released": sorted(p.name for p in released.glob("*.ipynb"))}


def expected_points(assignment: str, student: Student, points: dict[str, float]) -> dict[str, float]:
    """Each exercise's points from the student's code judged in this process: the notebooks'
    cells the grader runs (every code cell but the test cells and those tagged
    ``autograder:skip``), then every case through ``run_case_in_process`` + ``judge``."""
    if student.stubs:
        return dict.fromkeys(points, 0.0)
    # Each notebook runs in its own namespace (a kernel of its own), and each exercise is
    # judged where its solution cell is: another notebook may define a helper of the same name.
    home: dict[str, dict] = {}
    for nb in submission(assignment, student).values():
        namespace: dict = {}
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type != "code" or meta.get("grade") or \
                    "autograder:skip" in cell.metadata.get("tags", []):
                continue
            exec(compile(cell.source, "<cell>", "exec"), namespace)
            if meta.get("solution"):
                home[meta["grade_id"]] = namespace
    out = {}
    for ex, exercise in exercises(assignment).items():
        if ex in student.stalls:
            out[ex] = 0.0
            continue
        cases = exercise.cases()
        passed = sum(judge(c, run_case_in_process(home[ex][ex], c)).passed for c in cases)
        out[ex] = points[ex] * passed / len(cases)
    return out


def case_messages(graded: dict, student: str, exercise: str) -> list[tuple[bool, bool, str]]:
    """``(visible, passed, message)`` of each case of ``exercise`` in ``student``'s result."""
    result = SubmissionResult.from_json(graded["results"][student])
    return [(c.visible, c.passed, c.message) for c in result.exercises[exercise].cases]
