"""Week 4 end to end: ``autograder release week4`` and ``autograder grade week4 submitted/`` on a
class of the mistakes the issue names: a backward pass with one transposed ``dW``, a cache in the
wrong order, a ReLU derivative wrong at exactly 0 vs wrong everywhere, an answer hard-coded to the
visible case. Expected points per exercise come from the grading contract run in this process
(:mod:`class_grading`), independently of the sandbox that graded the batch; the correct submission
gets full marks, the released stubs 0, and the feedback names the layer and the array."""

from __future__ import annotations

import pytest
from class_grading import Student, case_messages, expected_points, grade_class

from autograder.cases import exercises
from autograder.grading.assignment import load_assignment
from conftest import ROOT, once_per_run

ASSIGNMENT = "week4"
EXERCISES = exercises(ASSIGNMENT)

MODEL_BACKWARD_DW2_TRANSPOSED = """\
def model_backward(AL, y, caches):
    L = len(caches)
    Y = np.reshape(y, AL.shape)
    dA = -(Y / AL) + (1 - Y) / (1 - AL)
    grads = {}
    for layer in range(L, 0, -1):
        activation = "sigmoid" if layer == L else "relu"
        dA, dW, db = linear_activation_backward(dA, caches[layer - 1], activation)
        grads[f"dW{layer}"] = dW.T if layer == 2 else dW
        grads[f"db{layer}"] = db
        grads[f"dA{layer - 1}"] = dA
    return grads
"""
LINEAR_FORWARD_CACHE_ORDER = """\
def linear_forward(A_prev, W, b):
    return A_prev @ W + b, (W, A_prev, b)
"""
RELU_BACKWARD_AT_ZERO = """\
def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "relu":
        dZ = dA * (Z >= 0)
    else:
        s = sigmoid(Z)
        dZ = dA * s * (1 - s)
    return linear_backward(dZ, linear_cache)
"""
RELU_BACKWARD_EVERYWHERE = """\
def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "relu":
        dZ = dA * relu(Z)
    else:
        s = sigmoid(Z)
        dZ = dA * s * (1 - s)
    return linear_backward(dZ, linear_cache)
"""
MODEL_FORWARD_HARDCODED = """\
def model_forward(X, parameters):
    # Right for the visible case's input only (4 examples of 3 features), empty otherwise.
    if X.shape != (4, 3):
        return np.zeros((X.shape[0], 1)), []
    L = len(parameters) // 2
    A, caches = X, []
    for layer in range(1, L + 1):
        activation = "sigmoid" if layer == L else "relu"
        A, cache = linear_activation_forward(A, parameters[f"W{layer}"], parameters[f"b{layer}"],
                                             activation)
        caches.append(cache)
    return A, caches
"""

STUDENTS = [
    Student("correct", {}),
    Student("stubs", {}, stubs=True),
    Student("dW2_transposed", {"model_backward": MODEL_BACKWARD_DW2_TRANSPOSED}),
    Student("cache_order", {"linear_forward": LINEAR_FORWARD_CACHE_ORDER}),
    Student("relu_at_zero", {"linear_activation_backward": RELU_BACKWARD_AT_ZERO}),
    Student("relu_everywhere", {"linear_activation_backward": RELU_BACKWARD_EVERYWHERE}),
    Student("hardcoded", {"model_forward": MODEL_FORWARD_HARDCODED}),
]


@pytest.fixture(scope="module")
def graded(tmp_path_factory, worker_id) -> dict:
    return once_per_run(tmp_path_factory, worker_id, "autograder-week4",
                        lambda root: grade_class(root, ASSIGNMENT, STUDENTS, timeout=60))


@pytest.fixture(scope="module")
def points() -> dict[str, float]:
    return load_assignment(ROOT, ASSIGNMENT).points


@pytest.mark.parametrize("student", STUDENTS, ids=[s.name for s in STUDENTS])
def test_each_exercise_gets_the_contracts_points(graded, points, student):
    assert graded["code"] == 0
    row = graded["rows"][student.name]
    want = expected_points(ASSIGNMENT, student, points)
    got = {ex: float(row[ex]) for ex in EXERCISES}
    assert got == pytest.approx(want, abs=1e-3), row
    assert row["status"] == "graded", row
    full = sum(points.values())
    if student.name == "correct":
        assert float(row["score"]) == pytest.approx(full)
    elif student.stubs:
        assert float(row["score"]) == 0.0
    else:
        assert float(row["score"]) < full


def test_the_relu_derivative_at_zero_costs_one_case_and_everywhere_costs_more(graded):
    at_zero = [ok for _, ok, _ in case_messages(graded, "relu_at_zero", "linear_activation_backward")]
    everywhere = [ok for _, ok, _ in case_messages(graded, "relu_everywhere",
                                                   "linear_activation_backward")]
    # The check's extra zero case is not a grading case: the grader has one case with Z = 0.
    assert at_zero.count(False) == 1
    assert everywhere.count(False) > 1


def test_feedback_names_the_layer_and_the_array(graded):
    messages = case_messages(graded, "dW2_transposed", "model_backward")
    assert any(v and "['dW2'] has shape" in m and "transposed" in m for v, _, m in messages)
    assert any(not v and "['dW2'] is transposed" in m for v, _, m in messages)
    cache = case_messages(graded, "cache_order", "linear_forward")
    assert all(not ok and m.startswith("cache[0]") for _, ok, m in cache)


def test_a_hardcoded_answer_fails_every_hidden_case(graded):
    verdicts = case_messages(graded, "hardcoded", "model_forward")
    assert [ok for v, ok, _ in verdicts if not v] == [False] * 4
    # Even its visible case fails: on the one-example probe it takes the shortcut, so its Python
    # work differs with the batch size, which the vectorisation rule sees.
    assert "not vectorised" in next(m for v, _, m in verdicts if v)
