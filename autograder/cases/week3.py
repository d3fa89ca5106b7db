"""Grading cases of week 3's two assignments.

- ``notebooks/week3/04_assignment_logistic_regression.ipynb``: ``sigmoid``, ``initialize_zeros``,
  ``propagate``, ``optimize``, ``predict``, ``model``;
- ``notebooks/week3/06_assignment_planar_data.ipynb``: ``initialize_parameters``,
  ``forward_propagation``, ``compute_cost``, ``backward_propagation``, ``update_parameters``,
  ``nn_model``, ``predict_nn``.

Visible cases repeat the learners' instant checks (the course's checked numbers among them);
hidden cases come from a fixed seed, their expected values from :mod:`course_utils.reference` —
except the ones named "finite differences", whose expected gradients are two-sided differences
of the cost, computed here without the reference's backward pass. Answers that are tuples and
dicts are compared part by part (:func:`course_utils.checks.compare.compare`), so the feedback
names the part (``grads['dW1']``) and the mistake (transposed, m times too large, wrong sign).

The exercises that train (``model``, ``nn_model``) are judged by properties and tolerance bands
(the cost falls, it starts at ln 2 from zeros, the reported accuracy is the parameters' own, the
accuracy is near the reference's), never by one exact trajectory; random initialisation
(``initialize_parameters``) by its shapes, scale and broken symmetry.
"""

from __future__ import annotations

import math

import numpy as np

from autograder.cases import Case, Exercise, structure_case
from autograder.cases.finite_differences import numeric_gradients
from course_utils import reference as ref
from course_utils.checks.core.compare import Difference, compare, type_name
from course_utils.checks.week3.assignment_planar_data import (
    FORWARD_FACT,
    X_SHALLOW_FACT,
    Y_SHALLOW_FACT,
    initialize_parameters_problem,
    trained_network_problem,
)
from course_utils.data import digits_pair, load_planar_data

#: Seed of the hidden cases; change it only together with a note to instructors (grades move).
SEED = 20243

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
#: ... and how far above the reference's its final cost may end.
COST_BAND = 0.05


def _labels(rng: np.random.Generator, m: int) -> np.ndarray:
    y = rng.integers(0, 2, m).astype(float)
    y[0], y[-1] = 1.0, 0.0  # both classes, whatever the draw (m ≥ 2)
    return y if m > 1 else np.array([1.0])


def _round(rng: np.random.Generator, *shape: int, scale: float = 1.0) -> np.ndarray:
    # Two decimals keep the hidden inputs readable in a grader's report.
    return np.round(rng.normal(0.0, scale, size=shape), 2)


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
        case("a 2-D array (3, 4)", _round(rng, 3, 4, scale=3.0)),
        case("a column (5, 1)", _round(rng, 5, 1, scale=3.0)),
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
        _propagate_case("7 examples, 4 features", _round(rng, 4), 0.3, _round(rng, 7, 4),
                        _labels(rng, 7)),
        _propagate_case("a batch of one example", _round(rng, 3), -0.5, _round(rng, 1, 3),
                        np.array([1.0])),
        _propagate_case("every label 1", _round(rng, 2), 0.1, _round(rng, 5, 2), np.ones(5)),
        _propagate_case("20 digits (64 pixels in [0, 1]), zero weights", np.zeros(64), 0.0,
                        X_digits[:20], y_digits[:20]),
        _propagate_case("20 digits, small random weights", _round(rng, 64, scale=0.1), 0.2,
                        X_digits[20:40], y_digits[20:40]),
    ]


def optimize_cases() -> list[Case]:
    rng = np.random.default_rng(SEED + 2)

    def case(name, w, b, X, y, iterations, alpha, visible=False):
        return structure_case("optimize", name, (w, b, X, y, iterations, alpha),
                          ref.optimize(w, b, X, y, iterations, alpha), visible=visible,
                          parts=("params", "grads", "costs"), examples=X.shape[0], rtol=1e-5)

    X, y = _round(rng, 9, 3), _labels(rng, 9)
    return [
        case("fact: 100 iterations, learning rate 0.009", W_FACT, B_FACT, X_FACT, Y_FACT, 100,
             0.009, visible=True),
        case("one iteration", _round(rng, 3), 0.5, X, y, 1, 0.1),
        case("250 iterations (costs at 0, 100 and 200)", np.zeros(3), 0.0, X, y, 250, 0.05),
        case("101 iterations from a non-zero start", _round(rng, 3), -1.0, X, y, 101, 0.3),
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
        case("8 examples, 5 features", _round(rng, 5), 0.2, _round(rng, 8, 5)),
        case("one example", _round(rng, 4), -0.1, _round(rng, 1, 4)),
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


def check_model(case: Case, value) -> Difference | None:
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
                    check=check_model)

    return [
        case("digits 3 vs 8: 120 to train, 80 to test, 300 iterations, learning rate 0.5", 300,
             0.5, visible=True),
        case("digits 3 vs 8: 1000 iterations, learning rate 0.05", 1000, 0.05),
    ]


# --- assignment 2: one hidden layer -------------------------------------------------------------
def check_initialize_parameters(case: Case, value) -> Difference | None:
    """Shapes, zero biases, float weights that are small (0.01 × normal, or similar) and not
    all equal (random: symmetric weights would keep every hidden unit identical). The judgment
    is the learners' instant check's (:func:`course_utils.checks.week3_planar.initialize_parameters_problem`)."""
    n_x, n_h, n_y, _ = case.args
    return initialize_parameters_problem(value, n_x, n_h, n_y)


def initialize_parameters_cases() -> list[Case]:
    def case(n_x, n_h, n_y, seed, visible=False):
        args = (n_x, n_h, n_y, seed)
        return Case("initialize_parameters", f"n_x = {n_x}, n_h = {n_h}, n_y = {n_y}, seed = {seed}",
                    args, ref.initialize_parameters(*args), kind="property", visible=visible,
                    check=check_initialize_parameters)

    return [case(2, 4, 1, 2, visible=True), case(3, 1, 1, 0), case(5, 7, 2, 11)]


def _shallow_inputs(rng: np.random.Generator, m: int, n_x: int, n_h: int):
    parameters = {"W1": _round(rng, n_x, n_h), "b1": _round(rng, n_h, scale=0.5),
                  "W2": _round(rng, n_h, 1), "b2": _round(rng, 1, scale=0.5)}
    return parameters, _round(rng, m, n_x), _labels(rng, m)


def forward_propagation_cases() -> list[Case]:
    rng = np.random.default_rng(SEED + 5)

    def case(name, X, parameters, visible=False):
        m = X.shape[0]
        return structure_case("forward_propagation", name, (X, parameters),
                          ref.forward_propagation(X, parameters), visible=visible,
                          parts=("A2", "cache"), batch_rows=m, examples=m)

    cases = [case("3 examples, 2 features, 4 hidden units", X_SHALLOW_FACT, FORWARD_FACT,
                  visible=True)]
    for m, n_x, n_h in ((6, 3, 5), (1, 2, 4), (10, 2, 1)):
        parameters, X, _ = _shallow_inputs(rng, m, n_x, n_h)
        cases.append(case(f"{m} example(s), {n_x} features, {n_h} hidden unit(s)", X, parameters))
    return cases


def compute_cost_cases() -> list[Case]:
    rng = np.random.default_rng(SEED + 6)

    def case(name, A2, y, visible=False):
        return structure_case("compute_cost", name, (A2, y), ref.compute_cost(A2, y), visible=visible,
                          examples=A2.shape[0])

    A2 = np.clip(np.round(rng.uniform(0, 1, (7, 1)), 3), 0.01, 0.99)
    return [
        case("A2 = [[0.9], [0.2], [0.6]], y = [1, 0, 1]", np.array([[0.9], [0.2], [0.6]]),
             np.array([1.0, 0.0, 1.0]), visible=True),
        case("7 examples", A2, _labels(rng, 7)),
        case("one example, label 0", np.array([[0.25]]), np.array([0.0])),
        case("confident and right: cost near 0", np.array([[0.999], [0.001]]), np.array([1.0, 0.0])),
    ]


def backward_propagation_cases() -> list[Case]:
    rng = np.random.default_rng(SEED + 7)

    def case(name, parameters, X, y, *, numeric=False, visible=False):
        cache = ref.forward_propagation(X, parameters)[1]
        expected = (numeric_gradients(lambda p: ref.compute_cost(
            ref.forward_propagation(X, p)[0], y), parameters) if numeric else
                    ref.backward_propagation(parameters, cache, X, y))
        tolerance = {"rtol": 1e-5, "atol": 1e-8} if numeric else {}
        return structure_case("backward_propagation", name, (parameters, cache, X, y), expected,
                          visible=visible, examples=X.shape[0], **tolerance)

    cases = [case("3 examples, 2 features, 4 hidden units", FORWARD_FACT, X_SHALLOW_FACT,
                  Y_SHALLOW_FACT, visible=True)]
    for m, n_x, n_h in ((6, 3, 5), (1, 2, 4), (8, 2, 1)):
        parameters, X, y = _shallow_inputs(rng, m, n_x, n_h)
        cases.append(case(f"{m} example(s), {n_x} features, {n_h} hidden unit(s)", parameters, X, y))
    for m, n_x, n_h in ((5, 2, 3), (9, 4, 6)):
        parameters, X, y = _shallow_inputs(rng, m, n_x, n_h)
        cases.append(case(f"finite differences: {m} examples, {n_x} features, {n_h} hidden units",
                          parameters, X, y, numeric=True))
    return cases


def update_parameters_cases() -> list[Case]:
    rng = np.random.default_rng(SEED + 8)

    def case(name, parameters, grads, alpha, visible=False):
        return structure_case("update_parameters", name, (parameters, grads, alpha),
                          ref.update_parameters(parameters, grads, alpha), visible=visible)

    def grads_of(parameters):
        return {"d" + k: _round(rng, *v.shape) for k, v in parameters.items()}

    p1 = _shallow_inputs(rng, 1, 2, 4)[0]
    p2 = _shallow_inputs(rng, 1, 3, 5)[0]
    return [
        case("learning rate 1.2", FORWARD_FACT, grads_of(FORWARD_FACT), 1.2, visible=True),
        case("learning rate 0.01", p1, grads_of(p1), 0.01),
        case("3 features, 5 hidden units, learning rate 0.5", p2, grads_of(p2), 0.5),
    ]


def check_nn_model(case: Case, value) -> Difference | None:
    """The trained parameters: the right shapes, a training accuracy near the reference's
    and a final cost near it (any small random start trains to about the same network). The
    judgment is the learners' instant check's
    (:func:`course_utils.checks.week3_planar.trained_network_problem`); the reference's own
    training sets the mark."""
    X, y, n_h = case.args[:3]
    best = float(np.mean(ref.predict_nn(case.expected, X) == y))
    best_cost = ref.compute_cost(ref.forward_propagation(X, case.expected)[0], y)
    return trained_network_problem(value, X, y, n_h, best, best_cost,
                                   accuracy_band=ACCURACY_BAND, cost_band=COST_BAND)


def nn_model_cases() -> list[Case]:
    X, y = load_planar_data()  # the notebook's training set

    def case(name, n_h, iterations, alpha, seed, visible=False):
        args = (X, y, n_h, iterations, alpha, seed)
        return Case("nn_model", name, args, ref.nn_model(*args), kind="property", visible=visible,
                    check=check_nn_model)

    return [
        case("moons, 4 hidden units, 2000 iterations, learning rate 1.2", 4, 2000, 1.2, 3,
             visible=True),
        case("moons, 1 hidden unit, 1000 iterations, learning rate 1.2", 1, 1000, 1.2, 0),
        case("moons, 8 hidden units, 1500 iterations, learning rate 0.8", 8, 1500, 0.8, 5),
    ]


def predict_nn_cases() -> list[Case]:
    rng = np.random.default_rng(SEED + 9)

    def case(name, parameters, X, visible=False):
        return Case("predict_nn", name, (parameters, X), ref.predict_nn(parameters, X),
                    visible=visible, batch_rows=X.shape[0], batch_args=(1,))

    cases = [case("3 examples, 4 hidden units", FORWARD_FACT, X_SHALLOW_FACT, visible=True)]
    for m, n_x, n_h in ((7, 2, 3), (1, 3, 2)):
        parameters, X, _ = _shallow_inputs(rng, m, n_x, n_h)
        cases.append(case(f"{m} example(s), {n_x} features", parameters, X))
    return cases


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
    "initialize_parameters": Exercise("initialize_parameters", initialize_parameters_cases,
                                      description="W small random, b zeros"),
    "forward_propagation": Exercise("forward_propagation", forward_propagation_cases,
                                    vectorised=True, description="(A2, cache), tanh then sigmoid"),
    "compute_cost": Exercise("compute_cost", compute_cost_cases,
                             description="mean cross-entropy, a float"),
    "backward_propagation": Exercise("backward_propagation", backward_propagation_cases,
                                     description="dW1, db1, dW2, db2"),
    "update_parameters": Exercise("update_parameters", update_parameters_cases,
                                  description="one gradient-descent step on every parameter"),
    "nn_model": Exercise("nn_model", nn_model_cases,
                         description="train the one-hidden-layer network"),
    "predict_nn": Exercise("predict_nn", predict_nn_cases, vectorised=True,
                           description="labels (m,) of 0/1 from the network"),
}
