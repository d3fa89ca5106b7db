"""Grading cases of ``notebooks/week3/06_assignment_planar_data.ipynb``: ``initialize_parameters``,
``forward_propagation``, ``compute_cost``, ``backward_propagation``, ``update_parameters``,
``nn_model``, ``predict_nn`` (week 4's ``compute_cost`` reuses these cases).

Visible cases repeat the learners' instant checks; hidden cases come from a fixed seed, their
expected values from :mod:`course_utils.reference` — except the ones named "finite
differences", whose expected gradients are two-sided differences of the cost, computed here
without the reference's backward pass. Answers are compared part by part, so the feedback
names the part (``grads['dW1']``) and the mistake (transposed, m times too large, wrong sign).

``nn_model`` (it trains) is judged by properties and tolerance bands, never by one exact
trajectory; random initialisation (``initialize_parameters``) by its shapes, scale and broken
symmetry.
"""

from __future__ import annotations

import numpy as np

from autograder.cases import SEEDS, Case, Exercise, structure_case
from autograder.cases.finite_differences import numeric_gradients
from autograder.cases.inputs import both_labels, rounded
from course_utils import reference as ref
from course_utils.checks.core.compare import Difference
from course_utils.checks.week3.assignment_planar_data import (
    FORWARD_FACT,
    X_SHALLOW_FACT,
    Y_SHALLOW_FACT,
    initialize_parameters_problem,
    trained_network_problem,
)
from course_utils.data import load_planar_data

#: Seed of the hidden cases (:data:`autograder.cases.SEEDS`, one table for every week).
SEED = SEEDS["week3"]
#: How far a trained exercise's accuracy may fall below the reference's on the same data (a
#: learner's different but correct initialisation or update order lands within this band).
ACCURACY_BAND = 0.03


#: ... and how far above the reference's its final cost may end.
COST_BAND = 0.05


# --- assignment 2: one hidden layer -------------------------------------------------------------
def judge_initialize_parameters(case: Case, value) -> Difference | None:
    """Shapes, zero biases, float weights that are small (0.01 × normal, or similar) and not
    all equal (random: symmetric weights would keep every hidden unit identical). The judgment
    is the learners' instant check's (:func:`course_utils.checks.week3.assignment_planar_data.initialize_parameters_problem`)."""
    n_x, n_h, n_y, _ = case.args
    return initialize_parameters_problem(value, n_x, n_h, n_y)


def initialize_parameters_cases() -> list[Case]:
    def case(n_x, n_h, n_y, seed, visible=False):
        args = (n_x, n_h, n_y, seed)
        return Case("initialize_parameters", f"n_x = {n_x}, n_h = {n_h}, n_y = {n_y}, seed = {seed}",
                    args, ref.initialize_parameters(*args), kind="property", visible=visible,
                    check=judge_initialize_parameters)

    return [case(2, 4, 1, 2, visible=True), case(3, 1, 1, 0), case(5, 7, 2, 11)]


def _shallow_inputs(rng: np.random.Generator, m: int, n_x: int, n_h: int):
    parameters = {"W1": rounded(rng, n_x, n_h), "b1": rounded(rng, n_h, scale=0.5),
                  "W2": rounded(rng, n_h, 1), "b2": rounded(rng, 1, scale=0.5)}
    return parameters, rounded(rng, m, n_x), both_labels(rng, m)


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
        case("7 examples", A2, both_labels(rng, 7)),
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
        return {"d" + k: rounded(rng, *v.shape) for k, v in parameters.items()}

    p1 = _shallow_inputs(rng, 1, 2, 4)[0]
    p2 = _shallow_inputs(rng, 1, 3, 5)[0]
    return [
        case("learning rate 1.2", FORWARD_FACT, grads_of(FORWARD_FACT), 1.2, visible=True),
        case("learning rate 0.01", p1, grads_of(p1), 0.01),
        case("3 features, 5 hidden units, learning rate 0.5", p2, grads_of(p2), 0.5),
    ]


def judge_nn_model(case: Case, value) -> Difference | None:
    """The trained parameters: the right shapes, a training accuracy near the reference's
    and a final cost near it (any small random start trains to about the same network). The
    judgment is the learners' instant check's
    (:func:`course_utils.checks.week3.assignment_planar_data.trained_network_problem`); the reference's own
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
                    check=judge_nn_model)

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
