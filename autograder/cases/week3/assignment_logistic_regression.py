"""Grading cases of ``notebooks/week3/04_assignment_logistic_regression.ipynb``: ``sigmoid``,
``initialize_zeros``, ``propagate``, ``optimize``, ``predict``, ``model``.

Visible cases repeat the learners' instant checks (the course's checked numbers among them);
hidden cases come from a fixed seed, their expected values from :mod:`course_utils.reference`.
Answers that are tuples and dicts are compared part by part
(:func:`course_utils.checks.core.compare.compare`), so the feedback names the part and the mistake.

``model`` (it trains) is judged by properties and tolerance bands (the cost falls, it starts at
ln 2 from zeros, the reported accuracy is the parameters' own, the accuracy is near the
reference's), never by one exact trajectory.
"""

from __future__ import annotations

import math

import numpy as np

from autograder.cases import SEEDS, Case, Exercise, structure_case
from autograder.cases.inputs import both_labels, rounded
from course_utils import reference as ref
from course_utils.checks.core.compare import Difference, compare, type_name
from course_utils.data import digits_pair

#: Seed of the hidden cases (:data:`autograder.cases.SEEDS`, one table for every week).
SEED = SEEDS["week3"]


# --- the course's checked numbers (issue 7, "Checked numbers to use") ----------------------------
W_FACT = np.array([1.0, 2.0])


B_FACT = 2.0


X_FACT = np.array([[1.0, 3.0], [2.0, 4.0], [-1.0, -3.2]])


Y_FACT = np.array([1.0, 0.0, 1.0])


PREDICT_W = np.array([0.1124579, 0.23106775])


PREDICT_B = -0.3


PREDICT_X = np.array([[1.0, 1.2], [-1.1, 2.0], [-3.2, 0.1]])


#: How far a trained exercise's accuracy may fall below the reference's on the same data (a
#: learner's different but correct initialisation or update order lands within this band).
ACCURACY_BAND = 0.03


# --- assignment 1: logistic regression ----------------------------------------------------------
def sigmoid_cases() -> list[Case]:
    rng = np.random.default_rng(SEED)

    def case(name, z, visible=False, warn_free=False):
        z = np.asarray(z, dtype=float)
        return Case("sigmoid", name, (z,), ref.sigmoid(z), visible=visible, atol=1e-12,
                    warn_free=warn_free)

    return [
        case("sigmoid(0) = 0.5", 0.0, visible=True),
        case("sigmoid([0, 2]) = [0.5, 0.88079708]", [0.0, 2.0], visible=True),
        case("large |z|: [-1000, 1000] gives [0, 1] with no overflow warning", [-1000.0, 1000.0],
             visible=True, warn_free=True),
        case("a 2-D array (3, 4)", rounded(rng, 3, 4, scale=3.0)),
        case("a column (5, 1)", rounded(rng, 5, 1, scale=3.0)),
        case("large negative and positive z mixed, no warning", [-800.0, -40.0, 0.0, 37.0, 710.0],
             warn_free=True),
        case("a single large negative z, no warning", [-745.5], warn_free=True),
    ]


def initialize_zeros_cases() -> list[Case]:
    def case(n, visible=False):
        return structure_case("initialize_zeros", f"n = {n}", (n,), ref.initialize_zeros(n),
                          visible=visible, parts=("w", "b"), float_arrays=True)

    return [case(2, visible=True), case(1), case(64)]


def _propagate_case(name, w, b, X, y, visible=False) -> Case:
    m = X.shape[0]
    return structure_case("propagate", name, (w, b, X, y), ref.propagate(w, b, X, y), visible=visible,
                      parts=("grads", "cost"), batch_rows=m, batch_args=(2, 3), examples=m)


def propagate_cases() -> list[Case]:
    rng = np.random.default_rng(SEED + 1)
    X_digits, y_digits = digits_pair()
    return [
        _propagate_case("fact: w = [1, 2], b = 2, X = [[1, 3], [2, 4], [-1, -3.2]], y = [1, 0, 1]",
                        W_FACT, B_FACT, X_FACT, Y_FACT, visible=True),
        _propagate_case("7 examples, 4 features", rounded(rng, 4), 0.3, rounded(rng, 7, 4),
                        both_labels(rng, 7)),
        _propagate_case("a batch of one example", rounded(rng, 3), -0.5, rounded(rng, 1, 3),
                        np.array([1.0])),
        _propagate_case("every label 1", rounded(rng, 2), 0.1, rounded(rng, 5, 2), np.ones(5)),
        _propagate_case("20 digits (64 pixels in [0, 1]), zero weights", np.zeros(64), 0.0,
                        X_digits[:20], y_digits[:20]),
        _propagate_case("20 digits, small random weights", rounded(rng, 64, scale=0.1), 0.2,
                        X_digits[20:40], y_digits[20:40]),
    ]


def optimize_cases() -> list[Case]:
    rng = np.random.default_rng(SEED + 2)

    def case(name, w, b, X, y, iterations, alpha, visible=False):
        return structure_case("optimize", name, (w, b, X, y, iterations, alpha),
                          ref.optimize(w, b, X, y, iterations, alpha), visible=visible,
                          parts=("params", "grads", "costs"), examples=X.shape[0], rtol=1e-5)

    X, y = rounded(rng, 9, 3), both_labels(rng, 9)
    return [
        case("fact: 100 iterations, learning rate 0.009", W_FACT, B_FACT, X_FACT, Y_FACT, 100,
             0.009, visible=True),
        case("one iteration", rounded(rng, 3), 0.5, X, y, 1, 0.1),
        case("250 iterations (costs at 0, 100 and 200)", np.zeros(3), 0.0, X, y, 250, 0.05),
        case("101 iterations from a non-zero start", rounded(rng, 3), -1.0, X, y, 101, 0.3),
    ]


def predict_cases() -> list[Case]:
    rng = np.random.default_rng(SEED + 3)

    def case(name, w, b, X, visible=False):
        return Case("predict", name, (w, b, X), ref.predict(w, b, X), visible=visible,
                    batch_rows=X.shape[0], batch_args=(2,))

    return [
        case("fact: w = [0.1124579, 0.23106775], b = -0.3 gives [1, 1, 0]", PREDICT_W, PREDICT_B,
             PREDICT_X, visible=True),
        case("probability exactly 0.5 is class 0 (> 0.5 is class 1)", np.array([1.0, -1.0]), 0.0,
             np.array([[2.0, 2.0], [1.0, 0.0], [-3.0, -3.0]])),
        case("8 examples, 5 features", rounded(rng, 5), 0.2, rounded(rng, 8, 5)),
        case("one example", rounded(rng, 4), -0.1, rounded(rng, 1, 4)),
    ]


def _accuracy_problem(name: str, reported, true_accuracy: float) -> Difference | None:
    """Whether the reported accuracy is a number, a fraction, and the parameters' own."""
    if not isinstance(reported, float | int | np.floating | np.integer | np.ndarray) or np.ndim(
            reported) != 0:
        return Difference(f"{name} should be a number, got {type_name(reported)}",
                          f"{name} should be a number")
    reported = float(reported)
    if 1.0 < reported <= 100.0:
        return Difference(f"{name} is {reported:.4g}: give it as a fraction in [0, 1], not a "
                          "percentage", f"{name} should be a fraction in [0, 1], not a percentage")
    if not math.isclose(reported, true_accuracy, abs_tol=1e-9):
        return Difference(
            f"{name} is {reported:.4g}, but the returned w and b classify {true_accuracy:.4g} of "
            "those examples correctly: compute it with predict(w, b, X) on that set",
            f"{name} is not the accuracy of the returned w and b on that set")
    return None


def judge_model(case: Case, value) -> Difference | None:
    """``model``'s result: the keys, the costs (one per 100 iterations, starting at ln 2 from
    zeros, falling), and accuracies that belong to the returned parameters, near the reference's."""
    X_train, y_train, X_test, y_test, iterations, _ = case.args
    want = case.expected
    keys = {"costs": np.asarray(want["costs"]), "w": want["w"], "b": 0.0}
    shape_only = compare(keys, value, name="the returned dict", values=False)
    if shape_only:
        return shape_only
    costs = np.asarray(value["costs"], dtype=float)
    if not math.isclose(costs[0], math.log(2.0), rel_tol=1e-6):
        return Difference(f"the first cost is {costs[0]:.6g}; from zero weights it is ln 2 = "
                          "0.693147: train from initialize_zeros and record the cost of iteration 0",
                          "the first cost is not ln 2: start from zeros and record iteration 0")
    if np.any(np.diff(costs) > 1e-12):
        return Difference("the costs rise somewhere: gradient descent with this learning rate "
                          "lowers the cost at every recorded step (a sign error in the update?)",
                          "the costs do not fall: a sign error in the update?")
    w, b = np.asarray(value["w"], dtype=float), float(value["b"])
    for split, X, y in (("train", X_train, y_train), ("test", X_test, y_test)):
        truth = float(np.mean(ref.predict(w, b, X) == y))
        problem = _accuracy_problem(f"{split}_accuracy", value.get(f"{split}_accuracy"), truth)
        if problem:
            return problem
    reached, best = float(value["train_accuracy"]), want["train_accuracy"]
    if reached < best - ACCURACY_BAND:
        return Difference(f"train_accuracy {reached:.3f} is below the {best:.3f} that "
                          f"{iterations} iterations reach: is the learning rate used, and every "
                          "iteration run?", "the training accuracy is too low: are all "
                          "iterations run with the given learning rate?")
    return None


def model_cases() -> list[Case]:
    X, y = digits_pair()
    order = np.random.default_rng(SEED + 4).permutation(len(y))
    X, y = X[order], y[order]
    train, test = slice(0, 120), slice(120, 200)

    def case(name, iterations, alpha, visible=False):
        args = (X[train], y[train], X[test], y[test], iterations, alpha)
        return Case("model", name, args, ref.model(*args), kind="property", visible=visible,
                    check=judge_model)

    return [
        case("digits 3 vs 8: 120 to train, 80 to test, 300 iterations, learning rate 0.5", 300,
             0.5, visible=True),
        case("digits 3 vs 8: 1000 iterations, learning rate 0.05", 1000, 0.05),
    ]


EXERCISES: dict[str, Exercise] = {
    "sigmoid": Exercise("sigmoid", sigmoid_cases,
                        description="σ(z) for any shape, no overflow warning for large |z|"),
    "initialize_zeros": Exercise("initialize_zeros", initialize_zeros_cases,
                                 description="(w, b): zeros (n,) and the float 0.0"),
    "propagate": Exercise("propagate", propagate_cases, vectorised=True,
                          description="(grads, cost) of logistic regression, vectorised"),
    "optimize": Exercise("optimize", optimize_cases,
                         description="gradient descent: (params, grads, costs every 100 iterations)"),
    "predict": Exercise("predict", predict_cases, vectorised=True,
                        description="labels (m,) of 0/1 where σ(X @ w + b) > 0.5"),
    "model": Exercise("model", model_cases,
                      description="train from zeros; costs, w, b, train/test accuracy"),
}
