"""Week 3's graded assignment 2 (planar data, one hidden layer): nbgrader layout, the instructor
notebook passes its own tests, the student release stops at exercise 1, the sandbox grades a
correct submission full and the stubs 0, and every claim the notebook's prose makes is pinned.

Until the other week-3 graded notebook is merged, ``load_assignment(root, "week3")`` needs a
registry limited to this notebook's exercises (``REGISTRY``) and a course folder holding only
this notebook; the end-to-end ``autograder grade week3`` test comes with the merge.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import claims
import nbformat
import numpy as np
import pytest

from autograder.authoring.release import release
from autograder.cases.week3 import EXERCISES as WEEK3
from autograder.contract.cells import nbgrader_meta
from autograder.contract.limits import Limits
from autograder.grading import grade
from autograder.grading.assignment import load_assignment
from autograder.intake import submissions
from conftest import (
    NOTEBOOKS,
    ROOT,
    assert_graded_cells_pass,
    assert_student_stubs,
    assert_student_version_stops_at,
)

NOTEBOOK = NOTEBOOKS / "week3" / "06_assignment_planar_data.ipynb"
EXERCISES = ["initialize_parameters", "forward_propagation", "compute_cost",
             "backward_propagation", "update_parameters", "nn_model", "predict_nn"]
REGISTRY = {name: WEEK3[name] for name in EXERCISES}
#: Distinctive lines of the solutions: none may reach learners.
SOLUTION_SNIPPETS = ["A1 = np.tanh(Z1)", "(dZ2 @ parameters[\"W2\"].T) * (1 - A1**2)",
                     "learning_rate * grads[\"d\" + key]", "(A2[:, 0] > 0.5).astype(float)",
                     "\"b1\": np.zeros(n_h), \"W2\": W2"]


def _course(root: Path) -> Path:
    """A course folder whose week3 holds only this notebook (see the module docstring)."""
    (root / "notebooks" / "week3").mkdir(parents=True)
    shutil.copy(NOTEBOOK, root / "notebooks" / "week3" / NOTEBOOK.name)
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    return root


@pytest.fixture(scope="module")
def instructor_nb():
    return nbformat.read(NOTEBOOK, as_version=4)


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory) -> Path:
    return release("week3", _course(tmp_path_factory.mktemp("course")))


@pytest.fixture(scope="module")
def student_nb(student_dir):
    return nbformat.read(student_dir / NOTEBOOK.name, as_version=4)


@pytest.fixture(scope="module")
def executed():
    """The instructor notebook run top to bottom in a fresh kernel, and how long it took."""
    from conftest import execute_notebook

    start = time.perf_counter()
    nb = execute_notebook(NOTEBOOK)
    return nb, time.perf_counter() - start


test_numbers_in_prose_match_the_run = claims.test_in(NOTEBOOK, "executed")

def _printed(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs if o.output_type == "stream")


def _percent(text: str, pattern: str) -> float:
    match = re.search(pattern, text)
    assert match, f"{pattern!r} not printed"
    return float(match.group(1)) / 100


# --- layout ----------------------------------------------------------------------------------------
def test_instructor_notebook_layout(instructor_nb):
    graded = [nbgrader_meta(c) for c in instructor_nb.cells if nbgrader_meta(c)]
    assert [m["grade_id"] for m in graded if m["solution"]] == EXERCISES
    assert [m["grade_id"] for m in graded if m["grade"]] == [f"test_{n}" for n in EXERCISES]
    for k, cell in enumerate(instructor_nb.cells):
        meta = nbgrader_meta(cell)
        if meta.get("solution"):
            name = meta["grade_id"]
            assert cell.source.startswith(f"def {name}(")
            body = cell.source.split("### BEGIN SOLUTION")[1]
            assert "### END SOLUTION" in body
            # The docstring (kept in the release) states the shapes.
            head = cell.source.split("### BEGIN SOLUTION")[0]
            assert '"""' in head and ("(m" in head or "(n_" in head or "shapes" in head), name
            assert instructor_nb.cells[k - 1].cell_type == "markdown"
            assert nbgrader_meta(instructor_nb.cells[k + 1])["grade_id"] == f"test_{name}"
        if meta.get("grade"):
            name = meta["grade_id"].removeprefix("test_")
            source = cell.source
            assert source.startswith(f"assert check_{name}({name})")
            assert f'assert_cases("week3", "{name}", {name})' in source
            assert source.index("### BEGIN HIDDEN TESTS") > source.index(f"check_{name}(")
            assert meta["points"] > 0 and meta["locked"]
    # Demonstration cells are skipped by `autograder grade`; the graded functions need none.
    for cell in instructor_nb.cells:
        if cell.cell_type == "code" and not nbgrader_meta(cell):
            assert "autograder:skip" in cell.metadata.get("tags", []), cell.source[:60]
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None  # stored without outputs
    # The learner's code may not use the reference solutions, TensorFlow or Keras anywhere.
    text = "\n".join(c.source for c in instructor_nb.cells)
    assert "course_utils.reference" not in text and "tensorflow" not in text


def test_points_follow_the_work(instructor_nb):
    points = {nbgrader_meta(c)["grade_id"]: nbgrader_meta(c)["points"] for c in instructor_nb.cells
              if nbgrader_meta(c).get("grade")}
    assert points["test_backward_propagation"] == max(points.values())
    assert sum(points.values()) == 11


# --- the instructor notebook ----------------------------------------------------------------------
@pytest.mark.notebook
def test_instructor_notebook_runs_and_passes_its_tests(executed):
    nb, seconds = executed
    assert_graded_cells_pass(nb)
    # NumPy only: a few seconds (bare `import tensorflow` is ~5 s; the bound leaves room for a
    # loaded machine).
    assert seconds < 180, f"the notebook took {seconds:.0f} s"  # runaway bound only


def _best_line_accuracy(X, y, directions: int = 2880) -> float:
    """The training accuracy of the best straight line: for each of ``directions`` unit vectors u
    (all of the circle, so both orientations), every threshold between the sorted projections
    X u, predicting 1 above it."""
    y = np.asarray(y).ravel().astype(int)
    best = 0.0
    for angle in np.linspace(0, 2 * np.pi, directions, endpoint=False):
        labels = y[np.argsort(X @ np.array([np.cos(angle), np.sin(angle)]), kind="stable")]
        zeros_below = np.concatenate([[0], np.cumsum(labels == 0)])
        ones_above = np.concatenate([[0], np.cumsum(labels[::-1] == 1)])[::-1]
        best = max(best, (zeros_below + ones_above).max() / len(y))
    return best


def test_the_best_straight_line_beats_logistic_regression():
    """The prose (issue 18): logistic regression's line gets about 86%, but "trying every direction
    and every offset finds a line that classifies 88.5% of the training moons"; one and two hidden
    units do no better than it."""
    from sklearn.linear_model import LogisticRegression

    from course_utils.data import load_planar_data

    X, y = load_planar_data()
    assert _best_line_accuracy(X, y) == 0.885
    assert _best_line_accuracy(X, y, directions=20_000) == 0.885  # no finer direction does better
    assert LogisticRegression().fit(X, y).score(X, y) < 0.885


@pytest.mark.notebook
def test_prose_claims_hold_in_the_executed_notebook(executed):
    nb, _ = executed
    text = _printed(nb)
    assert "X_train: (200, 2)   y_train: (200,)" in text and "X_test:  (200, 2)" in text
    assert "label 1 in training: 100 of 200" in text
    # "about 86% ... on both sets": the straight line.
    line_train = _percent(text, r"a straight line: training accuracy ([\d.]+)%")
    line_test = _percent(text, r"held-out accuracy ([\d.]+)%\n")
    assert abs(line_train - 0.86) <= 0.01 and abs(line_test - 0.86) <= 0.01
    # "99.5% of the training points (one point in 200 is wrong) and 98% of the held-out points",
    # "slightly lower".
    train = _percent(text, r"training accuracy: ([\d.]+)%")
    test = _percent(text, r"held-out accuracy: ([\d.]+)%")
    assert (train, test) == (0.995, 0.98) and test < train
    # The hidden-size comparison.
    sizes = {int(n): (float(a) / 100, float(b) / 100) for n, a, b in re.findall(
        r"n_h = +(\d+): training accuracy ([\d.]+)%, held-out accuracy ([\d.]+)%", text)}
    assert sorted(sizes) == [1, 2, 3, 4, 20]
    for n_h in (1, 2):  # "little better than the straight line (under 90%)"
        assert line_train - 0.02 <= sizes[n_h][0] < 0.90
    for n_h in (3, 4):  # "from three units on ... 99.5% of the training set, 98% held out"
        assert sizes[n_h] == (0.995, 0.98)
    assert sizes[20][0] == sizes[4][0] and sizes[20][1] == 0.975 < sizes[4][1]


@pytest.mark.notebook
def test_the_executed_notebook_shows_every_figure(executed):
    nb, _ = executed
    figures = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
                  for o in c.outputs)
    assert figures == 4  # the data, the straight line, the trained boundary, the hidden sizes


def test_one_hidden_unit_draws_a_straight_boundary():
    """The prose: with one unit the output is a monotone function of that unit's z, so the
    predictions over the plane switch once along z — a straight boundary."""
    from course_utils import reference as ref
    from course_utils.data import load_planar_data

    X, y = load_planar_data()
    p = ref.nn_model(X, y, 1, 5000, 1.2, 3)
    points = np.random.default_rng(0).uniform(-2, 3, (4000, 2))
    z = (points @ p["W1"] + p["b1"])[:, 0]
    labels = ref.predict_nn(p, points)[np.argsort(z)]
    assert np.count_nonzero(np.diff(labels)) == 1


def test_the_prose_states_the_checked_facts(instructor_nb):
    """Numbers in the markdown that the checks hold as data: the same numbers."""
    from course_utils.checks.week3 import assignment_planar_data as planar

    text = "\n".join(c.source for c in instructor_nb.cells if c.cell_type == "markdown")
    assert f"{planar.COST:.8f}" in text  # 0.27977656
    assert "[[0.72516541], [0.43990284], [0.30956729]]" in text
    assert np.allclose(planar.FORWARD_CACHE["A2"].ravel(), [0.72516541, 0.43990284, 0.30956729])
    assert np.isclose(-(np.log(0.9) + np.log(0.8) + np.log(0.6)) / 3, planar.COST)
    assert "(99.5%)" in text and "(0.025)" in text
    assert planar.NN_MODEL_ACCURACY == 0.995 and round(planar.NN_MODEL_COST, 3) == 0.025


# --- the student release ----------------------------------------------------------------------------
def test_student_version_has_stubs_and_no_solutions(student_nb):
    assert assert_student_stubs(student_nb, SOLUTION_SNIPPETS) == len(EXERCISES)
    stubs = [c for c in student_nb.cells if nbgrader_meta(c).get("solution")]
    assert len(stubs) == len(EXERCISES)
    for cell in stubs:
        assert "# YOUR CODE HERE\n    raise NotImplementedError()" in cell.source
        assert '"""' in cell.source  # the docstring with the shapes stays


@pytest.mark.notebook
def test_student_version_stops_only_at_not_implemented(student_dir, student_nb):
    assert_student_version_stops_at(student_nb, student_dir, "test_initialize_parameters")


# --- grading through the sandbox -------------------------------------------------------------------
@pytest.mark.notebook
def test_the_sandbox_grades_the_solutions_full_and_the_stubs_zero(tmp_path, student_nb):
    root = _course(tmp_path / "course")
    spec = load_assignment(root, "week3", registry=REGISTRY)
    assert spec.max_score == 11
    learners = {"solved": nbformat.read(NOTEBOOK, as_version=4), "stub": student_nb}
    for name, nb in learners.items():
        folder = root / "submitted" / name / "week3"
        folder.mkdir(parents=True)
        nbformat.write(nbformat.from_dict(json.loads(json.dumps(nb))), folder / NOTEBOOK.name)
    subs = {s.student: s for s in submissions.discover(root / "submitted", "week3", spec.sources,
                                                        spec.released)}
    results = {name: grade.grade_submission(spec, subs[name], Limits())
               for name in learners}
    solved, stub = results["solved"], results["stub"]
    assert (solved.status, solved.score) == ("graded", 11), solved.message
    for name, exercise in solved.exercises.items():
        assert exercise.cases and all(case.passed for case in exercise.cases), name
    assert stub.score == 0
    assert all(ex.points == 0 for ex in stub.exercises.values())
