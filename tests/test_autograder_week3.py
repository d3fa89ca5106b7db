"""Week 3 end to end: ``autograder release week3`` and ``autograder grade week3 submitted/`` on a
class whose two notebooks (logistic regression, planar data) hold the common mistakes.

Each student's expected points per exercise come from the grading contract run in this process
(:func:`autograder.cases.run_case_in_process` + :func:`autograder.cases.judge` on the student's
solution cells), independently of the sandbox that graded the batch; the correct class member gets
full marks, the released stubs 0, and the feedback names each mistake."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from class_grading import Student, case_messages, expected_points, grade_class

from autograder.cases import exercises
from autograder.contract import cells
from autograder.grading.assignment import load_assignment
from conftest import NOTEBOOKS, ROOT, once_per_run

ASSIGNMENT = "week3"
LOGISTIC = "04_assignment_logistic_regression.ipynb"
PLANAR = "06_assignment_planar_data.ipynb"
EXERCISES = exercises(ASSIGNMENT)


PROPAGATE_NO_MEAN = """\
def propagate(w, b, X, y):
    a = sigmoid(X @ w + b)
    cost = -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))
    return {"dw": X.T @ (a - y), "db": float(np.mean(a - y))}, float(cost)
"""
PROPAGATE_WRONG_SIGN = """\
def propagate(w, b, X, y):
    m = X.shape[0]
    a = sigmoid(X @ w + b)
    cost = -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))
    return {"dw": X.T @ (y - a) / m, "db": float(np.mean(y - a))}, float(cost)
"""
PROPAGATE_HARDCODED = """\
def propagate(w, b, X, y):
    return {"dw": np.array([0.99845601, 2.39507239]), "db": 0.00145558}, 5.80154532
"""
PROPAGATE_LOOP = """\
def propagate(w, b, X, y):
    m = X.shape[0]
    dw, db, cost = np.zeros(X.shape[1]), 0.0, 0.0
    for i in range(m):
        a = sigmoid(X[i] @ w + b)
        cost -= (y[i] * np.log(a) + (1 - y[i]) * np.log(1 - a)) / m
        dw += X[i] * (a - y[i]) / m
        db += (a - y[i]) / m
    return {"dw": dw, "db": float(db)}, float(cost)
"""
OPTIMIZE_NEVER_ENDS = """\
def optimize(w, b, X, y, num_iterations, learning_rate, print_cost=False):
    costs = []
    i = 0
    while i < num_iterations or True:  # forgot to stop
        grads, cost = propagate(w, b, X, y)
        i += 1
    return {"w": w, "b": b}, grads, costs
"""
SIGMOID_NAIVE = """\
def sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
"""
BACKWARD_TRANSPOSED = """\
def backward_propagation(parameters, cache, X, y):
    m = X.shape[0]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - y.reshape(A2.shape)
    dZ1 = (dZ2 @ parameters["W2"].T) * (1 - A1 ** 2)
    return {"dW1": dZ1.T @ X / m, "db1": dZ1.sum(axis=0) / m,
            "dW2": A1.T @ dZ2 / m, "db2": dZ2.sum(axis=0) / m}
"""

STUDENTS = [
    Student("correct", {}),
    Student("stubs", {}, stubs=True),
    Student("no_mean", {"propagate": PROPAGATE_NO_MEAN}),
    Student("wrong_sign", {"propagate": PROPAGATE_WRONG_SIGN}),
    Student("hardcoded", {"propagate": PROPAGATE_HARDCODED}),
    Student("loops", {"propagate": PROPAGATE_LOOP}),
    Student("never_ends", {"optimize": OPTIMIZE_NEVER_ENDS}, stalls=frozenset({"optimize", "model"})),
    Student("naive_sigmoid", {"sigmoid": SIGMOID_NAIVE}),
    Student("transposed", {"backward_propagation": BACKWARD_TRANSPOSED}),
]


def _grade_class(root: Path) -> dict:
    # 24 s per cell, so a call may run 8 s: the never-ending training loop costs 8 s once per
    # exercise (optimize, and model, which calls it; their other cases are not called), and the honest loop over examples (1000 iterations × 120 examples in `model`, about
    # 3 s on a loaded 2-core machine) stays well inside it.
    return grade_class(root, ASSIGNMENT, STUDENTS, timeout=24)


@pytest.fixture(scope="module")
def graded(tmp_path_factory, worker_id) -> dict:
    return once_per_run(tmp_path_factory, worker_id, "autograder-week3", _grade_class)


@pytest.fixture(scope="module")
def points() -> dict[str, float]:
    assignment = load_assignment(ROOT, ASSIGNMENT)
    return assignment.points


def test_release_makes_both_student_notebooks(graded):
    assert graded["code"] == 0
    assert set(graded["released"]) >= {LOGISTIC, PLANAR}


def test_points_come_from_both_notebooks(points):
    logistic = cells.test_points(nbformat.read(NOTEBOOKS / ASSIGNMENT / LOGISTIC, as_version=4))
    planar = cells.test_points(nbformat.read(NOTEBOOKS / ASSIGNMENT / PLANAR, as_version=4))
    assert points == {ex: {**logistic, **planar}[f"test_{ex}"] for ex in EXERCISES}


@pytest.mark.parametrize("student", STUDENTS, ids=[s.name for s in STUDENTS])
def test_each_exercise_gets_the_contracts_points(graded, points, student):
    row = graded["rows"][student.name]
    want = expected_points(ASSIGNMENT, student, points)
    got = {ex: float(row[ex]) for ex in EXERCISES}
    assert got == pytest.approx(want, abs=1e-3), row
    # A training loop that never ends is stopped once per exercise, and the row says so.
    assert row["status"] == ("timeout" if student.stalls else "graded"), row
    for ex in student.stalls:
        assert f"calling {ex} ran longer than its limit" in row["message"], row
    if student.name == "correct":
        assert float(row["score"]) == pytest.approx(sum(points.values()))
    if student.name == "stubs":
        assert float(row["score"]) == 0.0
    else:
        # every mistake here costs points only where it is, and somewhere
        assert (float(row["score"]) < sum(points.values())) == (student.name != "correct")


def _messages(graded, student: str, exercise: str) -> list[tuple[bool, bool, str]]:
    return case_messages(graded, student, exercise)


def test_feedback_names_each_mistake(graded):
    assert any("m = 3 times too large" in m for v, ok, m in _messages(graded, "no_mean", "propagate")
               if v)
    assert any("has the wrong sign" in m for v, _, m in _messages(graded, "wrong_sign", "propagate"))
    assert all("not vectorised" in m for v, ok, m in _messages(graded, "loops", "propagate")
               if not ok)
    assert any("TimeoutError" in m for _, _, m in _messages(graded, "never_ends", "optimize"))
    assert any("overflow" in m for _, _, m in _messages(graded, "naive_sigmoid", "sigmoid"))
    hidden = [m for v, ok, m in _messages(graded, "transposed", "backward_propagation")
              if not v and not ok]
    assert hidden and all("['dW1'] is transposed" in m for m in hidden)


def test_hidden_feedback_never_quotes_the_learners_values(graded):
    # The hard-coded answer's numbers appear only in visible cases' messages, if anywhere.
    for student in graded["results"]:
        for exercise in EXERCISES:
            for visible, _, message in _messages(graded, student, exercise):
                if not visible:
                    assert "got" not in message and "0.998" not in message, (student, message)
