"""The release round-trip: released notebooks hold no solution and no hidden test; graded through
``autograder grade``, the untouched student version earns 0 and the instructor solution full marks."""

from __future__ import annotations

import csv
import shutil

import nbformat
from autograder_fixtures import ASSIGNMENT, FULL, NB_NAME, ROOT

from autograder import cli


def test_release_then_grade(tmp_path):
    shutil.copytree(ROOT / "notebooks" / ASSIGNMENT, tmp_path / "notebooks" / ASSIGNMENT)
    assert cli.main(["--root", str(tmp_path), "release", ASSIGNMENT]) == 0
    released = tmp_path / "release" / ASSIGNMENT / NB_NAME
    text = released.read_text()
    for secret in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "assert_cases", "np.matmul(A_in, W)"):
        assert secret not in text, secret
    nb = nbformat.read(released, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")

    submitted = tmp_path / "submitted"
    for student, source in (("student_version", released),
                            ("instructor", tmp_path / "notebooks" / ASSIGNMENT / NB_NAME)):
        (submitted / student / ASSIGNMENT).mkdir(parents=True)
        shutil.copy(source, submitted / student / ASSIGNMENT / NB_NAME)
    out = tmp_path / "grades.csv"
    assert cli.main(["--root", str(tmp_path), "grade", ASSIGNMENT, str(submitted), "--csv", str(out),
                     "--no-progress"]) == 0
    rows = {r["student_id"]: r for r in csv.DictReader(out.open(newline=""))}
    assert (float(rows["instructor"]["score"]), rows["instructor"]["status"]) == (FULL, "graded")
    assert (float(rows["student_version"]["score"]), rows["student_version"]["status"]) == (0.0, "graded")
    # The released stubs are left, not answered wrong: the message says so and nothing else.
    assert rows["student_version"]["message"] == (
        "not attempted (still as released): build_model, dense, sequential, dense_v, forward_v")
