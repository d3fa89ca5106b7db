"""Grading cases of ``notebooks/week4/02_assignment_deep_network_step_by_step.ipynb``:
``initialize_parameters_deep``, ``linear_forward``, ``linear_activation_forward``,
``model_forward``, ``compute_cost`` (week 3's planar cases), ``linear_backward``,
``linear_activation_backward``, ``model_backward``, ``update_parameters``.

Hidden cases are networks of random shapes (1 to 5 layers, non-square), from a fixed seed; the
expected values come from :mod:`course_utils.reference.deep`, except the cases named "finite
differences", whose expected ``dW``/``db`` are two-sided differences of the cost computed here
from the forward pass only. Answers are compared part by part
(:func:`course_utils.checks.core.compare.compare`), so the feedback names the layer and the array
(``the return value['dW3']``, ``caches[1]``) and the mistake (transposed, m times too large).
ReLU's derivative is 0 at exactly 0 (the notebook says so): one hidden case per backward
exercise holds exact zeros in ``Z``, so an answer that differs only there loses only that case.
"""

from __future__ import annotations

import numpy as np

from autograder.cases import SEEDS, Case, Exercise, structure_case
from autograder.cases.finite_differences import numeric_gradients
from autograder.cases.inputs import first_label_one, rounded
from autograder.cases.week3.assignment_planar_data import compute_cost_cases
from course_utils import reference as ref
from course_utils.checks.core.compare import Difference
from course_utils.checks.week4.assignment_deep_network_step_by_step import (
    FACT_DIMS,
    FACT_PARAMETERS,
    FACT_X,
    FACT_Y,
    initialize_parameters_deep_problem,
)

#: Seed of the hidden cases (:data:`autograder.cases.SEEDS`, one table for every week).
SEED = SEEDS["week4"]


def random_dims(rng: np.random.Generator, layers: int, n_x: int | None = None) -> list[int]:
    """Layer sizes ``[n0, …, nL]`` with ``nL = 1``: non-square, 1 to 5 units in hidden layers."""
    n_x = int(rng.integers(2, 6)) if n_x is None else n_x
    return [n_x, *(int(n) for n in rng.integers(1, 6, layers - 1)), 1]


def random_network(rng: np.random.Generator, dims: list[int]) -> dict:
    return {key: value for layer in range(1, len(dims)) for key, value in (
        (f"W{layer}", rounded(rng, dims[layer - 1], dims[layer], scale=0.8)),
        (f"b{layer}", rounded(rng, dims[layer], scale=0.3)))}


# --- initialisation -----------------------------------------------------------------------------
def judge_initialize_parameters_deep(case: Case, value) -> Difference | None:
    """Every layer's shapes, zero biases, random weights (not all equal) of a scale no larger
    than a few times He's √(2 / n[l-1]). The judgment is the learners' instant check's
    (:func:`course_utils.checks.week4.assignment_deep_network_step_by_step.initialize_parameters_deep_problem`)."""
    dims, _ = case.args
    return initialize_parameters_deep_problem(value, dims)


def initialize_parameters_deep_cases() -> list[Case]:
    def case(dims, seed, visible=False):
        args = (dims, seed)
        return Case("initialize_parameters_deep", f"layer_dims = {dims}, seed = {seed}", args,
                    ref.initialize_parameters_deep(*args), kind="property", visible=visible,
                    check=judge_initialize_parameters_deep)

    return [case([5, 4, 3], 3, visible=True), case([2, 1], 0), case([64, 32, 16, 1], 1),
            case([3, 7, 7, 7, 2], 9)]


# --- forward ------------------------------------------------------------------------------------
def linear_forward_cases() -> list[Case]:
    rng = np.random.default_rng(SEED)

    def case(name, A_prev, W, b, visible=False):
        m = A_prev.shape[0]
        return structure_case("linear_forward", name, (A_prev, W, b), ref.linear_forward(A_prev, W, b),
                          visible=visible, parts=("Z", "cache"), batch_rows=m, examples=m)

    cases = [case("layer 1 of the small network", FACT_X, FACT_PARAMETERS["W1"],
                  FACT_PARAMETERS["b1"], visible=True)]
    for m, n_prev, n in ((5, 3, 2), (1, 4, 4), (6, 1, 3)):
        cases.append(case(f"{m} example(s), {n_prev} → {n} units", rounded(rng, m, n_prev),
                          rounded(rng, n_prev, n), rounded(rng, n)))
    return cases


def linear_activation_forward_cases() -> list[Case]:
    rng = np.random.default_rng(SEED + 1)

    def case(name, args, visible=False):
        m = args[0].shape[0]
        return structure_case("linear_activation_forward", name, args,
                          ref.linear_activation_forward(*args), visible=visible,
                          parts=("A", "cache"), batch_rows=m, examples=m)

    W1, b1 = FACT_PARAMETERS["W1"], FACT_PARAMETERS["b1"]
    return [
        case("layer 1 of the small network, relu", (FACT_X, W1, b1, "relu"), visible=True),
        case("layer 1 of the small network, sigmoid", (FACT_X, W1, b1, "sigmoid"), visible=True),
        case("5 examples, 3 → 4 units, relu",
             (rounded(rng, 5, 3), rounded(rng, 3, 4), rounded(rng, 4), "relu")),
        case("2 examples, 4 → 1 unit, sigmoid",
             (rounded(rng, 2, 4), rounded(rng, 4, 1), rounded(rng, 1), "sigmoid")),
    ]


def model_forward_cases() -> list[Case]:
    rng = np.random.default_rng(SEED + 2)

    def case(name, X, parameters, visible=False):
        m = X.shape[0]
        return structure_case("model_forward", name, (X, parameters),
                          ref.model_forward(X, parameters), visible=visible,
                          parts=("AL", "caches"), batch_rows=m, examples=m)

    cases = [case(f"the small network {FACT_DIMS}, 4 examples", FACT_X, FACT_PARAMETERS,
                  visible=True)]
    for layers, m in ((1, 3), (2, 6), (4, 1), (5, 5)):
        dims = random_dims(rng, layers)
        cases.append(case(f"{layers} layer(s) {dims}, {m} example(s)", rounded(rng, m, dims[0]),
                          random_network(rng, dims)))
    return cases


# --- backward -----------------------------------------------------------------------------------
def linear_backward_cases() -> list[Case]:
    rng = np.random.default_rng(SEED + 3)

    def case(name, dZ, cache, visible=False):
        m = dZ.shape[0]
        return structure_case("linear_backward", name, (dZ, cache), ref.linear_backward(dZ, cache),
                          visible=visible, parts=("dA_prev", "dW", "db"), examples=m)

    cases = [case("layer 1 of the small network", rounded(rng, 4, 4),
                  (FACT_X, FACT_PARAMETERS["W1"], FACT_PARAMETERS["b1"]), visible=True)]
    for m, n_prev, n in ((5, 3, 2), (1, 2, 3), (7, 4, 1)):
        cache = (rounded(rng, m, n_prev), rounded(rng, n_prev, n), rounded(rng, n))
        cases.append(case(f"{m} example(s), {n_prev} → {n} units", rounded(rng, m, n), cache))
    return cases


def linear_activation_backward_cases() -> list[Case]:
    rng = np.random.default_rng(SEED + 4)

    def case(name, dA, A_prev, W, b, activation, visible=False, Z=None):
        Z = A_prev @ W + b if Z is None else Z
        args = (dA, ((A_prev, W, b), Z), activation)
        return structure_case("linear_activation_backward", name, args,
                          ref.linear_activation_backward(*args), visible=visible,
                          parts=("dA_prev", "dW", "db"), examples=dA.shape[0])

    W1, b1 = FACT_PARAMETERS["W1"], FACT_PARAMETERS["b1"]
    dA = rounded(rng, 4, 4)
    A_prev, W, b = rounded(rng, 6, 3), rounded(rng, 3, 5), rounded(rng, 5)
    Z_zeros = A_prev @ W + b
    Z_zeros[::2, ::2] = 0.0  # exactly 0: ReLU's derivative there is 0 (the course's convention)
    return [
        case("layer 1 of the small network, relu", dA, FACT_X, W1, b1, "relu", visible=True),
        case("layer 1 of the small network, sigmoid", dA, FACT_X, W1, b1, "sigmoid", visible=True),
        case("6 examples, 3 → 5 units, relu", rounded(rng, 6, 5), A_prev, W, b, "relu"),
        case("relu with Z exactly 0 in places: g'(0) = 0", rounded(rng, 6, 5), A_prev, W, b, "relu",
             Z=Z_zeros),
        case("1 example, 2 → 1 unit, sigmoid", rounded(rng, 1, 1), rounded(rng, 1, 2),
             rounded(rng, 2, 1), rounded(rng, 1), "sigmoid"),
    ]


def model_backward_cases() -> list[Case]:
    rng = np.random.default_rng(SEED + 5)

    def case(name, parameters, X, y, *, numeric=False, visible=False):
        AL, caches = ref.model_forward(X, parameters)
        expected = (numeric_gradients(lambda p: ref.compute_cost(
            ref.model_forward(X, p)[0], y), parameters) if numeric else
                    ref.model_backward(AL, y, caches))
        tolerance = {"rtol": 1e-5, "atol": 1e-8} if numeric else {}
        return structure_case("model_backward", name, (AL, y, caches), expected, visible=visible,
                          examples=X.shape[0], **tolerance)

    cases = [case(f"the small network {FACT_DIMS}, 4 examples", FACT_PARAMETERS, FACT_X, FACT_Y,
                  visible=True)]
    for layers, m in ((1, 4), (2, 1), (3, 6), (5, 5)):
        dims = random_dims(rng, layers)
        cases.append(case(f"{layers} layer(s) {dims}, {m} example(s)", random_network(rng, dims),
                          rounded(rng, m, dims[0]), first_label_one(rng, m)))
    for layers, m in ((2, 5), (4, 7)):
        dims = random_dims(rng, layers)
        cases.append(case(f"finite differences: {layers} layers {dims}, {m} examples",
                          random_network(rng, dims), rounded(rng, m, dims[0]), first_label_one(rng, m),
                          numeric=True))
    return cases


def update_parameters_cases() -> list[Case]:
    rng = np.random.default_rng(SEED + 6)

    def case(name, parameters, alpha, visible=False):
        grads = {"d" + k: rounded(rng, *v.shape) for k, v in parameters.items()}
        return structure_case("update_parameters", name, (parameters, grads, alpha),
                          ref.update_parameters(parameters, grads, alpha), visible=visible)

    return [case(f"the small network {FACT_DIMS}, learning rate 0.1", FACT_PARAMETERS, 0.1,
                 visible=True),
            case("5 layers, learning rate 0.01", random_network(rng, random_dims(rng, 5)), 0.01),
            case("1 layer, learning rate 1.5", random_network(rng, random_dims(rng, 1)), 1.5)]


EXERCISES: dict[str, Exercise] = {
    "initialize_parameters_deep": Exercise(
        "initialize_parameters_deep", initialize_parameters_deep_cases,
        description="W[l] He-scaled random (n[l-1], n[l]), b[l] zeros"),
    "linear_forward": Exercise("linear_forward", linear_forward_cases, vectorised=True,
                               description="(Z, (A_prev, W, b))"),
    "linear_activation_forward": Exercise(
        "linear_activation_forward", linear_activation_forward_cases, vectorised=True,
        description="(A, (linear_cache, Z)), relu or sigmoid"),
    "model_forward": Exercise("model_forward", model_forward_cases, vectorised=True,
                              description="(AL, caches): relu × (L−1), sigmoid"),
    "compute_cost": Exercise("compute_cost", compute_cost_cases,
                             description="mean cross-entropy, a float"),
    "linear_backward": Exercise("linear_backward", linear_backward_cases,
                                description="(dA_prev, dW, db) of the linear part"),
    "linear_activation_backward": Exercise(
        "linear_activation_backward", linear_activation_backward_cases,
        description="(dA_prev, dW, db) through relu or sigmoid"),
    "model_backward": Exercise("model_backward", model_backward_cases,
                               description="grads dA{l-1}, dW{l}, db{l} for every layer"),
    "update_parameters": Exercise("update_parameters", update_parameters_cases,
                                  description="one gradient-descent step on every parameter"),
}
