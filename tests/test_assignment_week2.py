"""The week 2 graded assignment (multiclass digits): the instructor notebook runs and passes its own
tests, and the student version made by ``autograder.authoring.release`` stops only at "not implemented"."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder.authoring.release import release
from autograder.contract.cells import nbgrader_meta
from conftest import (
    NOTEBOOKS,
    ROOT,
    assert_graded_cells_pass,
    assert_graded_layout,
    assert_student_stubs,
    assert_student_version_stops_at,
)

NOTEBOOK = NOTEBOOKS / "week2" / "07_assignment_multiclass_digits.ipynb"
EXERCISES = ["softmax", "build_model"]
PUBLIC_CHECKS = {"softmax": "check_softmax(softmax)", "build_model": "check_multiclass_model(build_model())"}
SOLUTION_SNIPPETS = ["np.max(z, axis=-1, keepdims=True)", "keras.layers.Dense(25, activation=\"relu\"",
                     "from_logits=True),\n        optimizer"]


@pytest.fixture(scope="module")
def instructor_nb():
    return nbformat.read(NOTEBOOK, as_version=4)


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(NOTEBOOKS, root / "notebooks")
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    return release("week2", root)


@pytest.fixture(scope="module")
def student_nb(student_dir):
    return nbformat.read(student_dir / NOTEBOOK.name, as_version=4)


def test_instructor_notebook_layout(instructor_nb):
    assert_graded_layout(instructor_nb, "week2", EXERCISES, PUBLIC_CHECKS)


@pytest.mark.notebook
def test_instructor_notebook_runs_and_passes_its_tests(run_notebook):
    start = time.perf_counter()
    nb = run_notebook(NOTEBOOK)
    elapsed = time.perf_counter() - start
    assert_graded_cells_pass(nb)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    accuracy = float(text.split("test accuracy: ")[1].split("%")[0])
    assert accuracy > 90, f"test accuracy {accuracy}%: the model should reach well over 90%"
    # ~10 s on a quiet machine; the bound leaves room for a loaded CI runner.
    assert elapsed < 180, f"the notebook took {elapsed:.0f} s"  # runaway bound only


def test_student_version_has_stubs_and_no_solutions(student_nb):
    assert assert_student_stubs(student_nb, SOLUTION_SNIPPETS) == len(EXERCISES)


@pytest.mark.notebook
def test_student_version_stops_only_at_not_implemented(student_dir, student_nb):
    assert_student_version_stops_at(student_nb, student_dir, "test_softmax")


def test_every_notebook_of_the_week_is_released(student_dir):
    source = sorted(p.name for p in (NOTEBOOKS / "week2").glob("*.ipynb"))
    assert sorted(p.name for p in student_dir.glob("*.ipynb")) == source


NAIVE_SOFTMAX = '''def softmax(z):
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)
'''


def _with_solution(nb, grade_id: str, source: str):
    for cell in nb.cells:
        if nbgrader_meta(cell).get("grade_id") == grade_id:
            cell.source = source
    return nb


@pytest.mark.notebook
def test_autograder_grade_scores_week2(tmp_path, student_dir, student_nb, instructor_nb):
    """`autograder grade` on three learners: everything solved, nothing solved, and a softmax that
    overflows (it loses exactly the cases with huge logits) with a correct model."""
    import csv
    import subprocess
    import sys

    root = tmp_path / "course"
    shutil.copytree(NOTEBOOKS, root / "notebooks")
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    release("week2", root)
    solutions = {nbgrader_meta(c)["grade_id"]: c.source for c in instructor_nb.cells
                 if nbgrader_meta(c).get("solution")}
    learners = {
        "solved": _with_solution(_with_solution(nbformat.from_dict(json.loads(json.dumps(student_nb))),
                                                "softmax", solutions["softmax"]),
                                 "build_model", solutions["build_model"]),
        "stub": student_nb,
        "naive": _with_solution(_with_solution(nbformat.from_dict(json.loads(json.dumps(student_nb))),
                                               "softmax", NAIVE_SOFTMAX),
                                "build_model", solutions["build_model"]),
    }
    for name, nb in learners.items():
        folder = root / "submitted" / name / "week2"
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / NOTEBOOK.name)
    out = tmp_path / "grades.csv"
    cmd = [sys.executable, "-m", "autograder.cli", "--root", str(root), "grade", "week2",
           str(root / "submitted"), "--csv", str(out), "--no-progress", "--no-feedback"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {r["student_id"]: r for r in csv.DictReader(out.open())}
    assert float(rows["solved"]["score"]) == float(rows["solved"]["max_score"]) == 7
    assert float(rows["stub"]["score"]) == 0
    naive = rows["naive"]
    assert float(naive["build_model"]) == 3
    # Right on ordinary logits, NaN on huge ones: exactly the in-process verdicts' share of 4 points.
    from autograder.cases import exercises, judge, run_case_in_process

    namespace = {"np": np}
    exec(NAIVE_SOFTMAX, namespace)
    cases = exercises("week2")["softmax"].cases()
    with np.errstate(all="ignore"):
        verdicts = [judge(c, run_case_in_process(namespace["softmax"], c)).passed for c in cases]
    assert 0 < sum(verdicts) < len(cases)
    assert not any(v for c, v in zip(cases, verdicts) if "huge" in c.name or "1e4" in c.name)
    assert float(naive["softmax"]) == pytest.approx(4 * sum(verdicts) / len(cases), abs=0.01), naive
