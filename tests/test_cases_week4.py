"""Week 4's grading cases judged in process: the reference and honest variants pass; each named
mistake (a transposed dW in one layer, a cache in the wrong order, a ReLU derivative wrong at
exactly 0 vs wrong everywhere, a hard-coded visible answer) fails exactly where it should, with
feedback naming the layer and the array."""

from __future__ import annotations

import case_verdicts
import numpy as np
import pytest

from autograder.cases import exercises
from course_utils import reference as ref

EXERCISES = exercises("week4")


def verdicts(name: str, func) -> dict[str, tuple[bool, str, str]]:
    return case_verdicts.verdicts("week4", name, func)


def failed(name: str, func) -> dict[str, str]:
    return case_verdicts.failed("week4", name, func)


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_the_reference_passes_every_case(name):
    assert failed(name, getattr(ref, name)) == {}


# --- honest variants ----------------------------------------------------------------------------
def model_forward_list_caches(X, parameters):
    A, caches, L = X, [], len(parameters) // 2
    for layer in range(1, L + 1):
        Z = A @ parameters["W" + str(layer)] + parameters["b" + str(layer)]
        cache = ((A, parameters["W" + str(layer)], parameters["b" + str(layer)]), Z)
        A = 1 / (1 + np.exp(-Z)) if layer == L else np.where(Z > 0, Z, 0.0)
        caches.append(cache)
    return A, caches


def linear_activation_backward_heaviside(dA, cache, activation):
    (A_prev, W, b), Z = cache
    if activation == "relu":
        dZ = dA * np.heaviside(Z, 0.0)
    else:
        s = 1 / (1 + np.exp(-Z))
        dZ = dA * s * (1 - s)
    m = A_prev.shape[0]
    return dZ @ W.T, np.einsum("mi,mj->ij", A_prev, dZ) / m, np.mean(dZ, axis=0)


def initialize_xavier(layer_dims, seed):
    rng = np.random.default_rng(seed)
    out = {}
    for layer in range(1, len(layer_dims)):
        n_prev, n = layer_dims[layer - 1], layer_dims[layer]
        out[f"W{layer}"] = rng.standard_normal((n_prev, n)) / np.sqrt(n_prev)
        out[f"b{layer}"] = np.zeros(n)
    return out


@pytest.mark.parametrize("name, func", [
    ("model_forward", model_forward_list_caches),
    ("linear_activation_backward", linear_activation_backward_heaviside),
    ("initialize_parameters_deep", initialize_xavier),
])
def test_honest_variants_pass(name, func):
    assert failed(name, func) == {}


# --- mistakes -----------------------------------------------------------------------------------
def test_a_cache_in_the_wrong_order_is_named():
    def swapped(A_prev, W, b):
        Z, _ = ref.linear_forward(A_prev, W, b)
        return Z, (W, A_prev, b)

    bad = failed("linear_forward", swapped)
    assert len(bad) == 4
    assert bad["layer 1 of the small network"].startswith("cache[0] has shape (3, 4), expected (4, 3)")


def test_relu_derivative_wrong_at_zero_only_loses_the_zero_case():
    def at_zero(dA, cache, activation):
        (A_prev, W, b), Z = cache
        if activation != "relu":
            return ref.linear_activation_backward(dA, cache, activation)
        return ref.linear_backward(dA * (Z >= 0), (A_prev, W, b))

    def everywhere(dA, cache, activation):  # the activation's value used as its derivative
        (A_prev, W, b), Z = cache
        if activation != "relu":
            return ref.linear_activation_backward(dA, cache, activation)
        return ref.linear_backward(dA * np.maximum(0, Z), (A_prev, W, b))

    assert sorted(failed("linear_activation_backward", at_zero)) == [
        "relu with Z exactly 0 in places: g'(0) = 0"]
    assert sorted(failed("linear_activation_backward", everywhere)) == [
        "6 examples, 3 → 5 units, relu", "layer 1 of the small network, relu",
        "relu with Z exactly 0 in places: g'(0) = 0"]


def test_one_transposed_dW_names_the_layer():
    def transposed(AL, y, caches):
        grads = ref.model_backward(AL, y, caches)
        return {**grads, "dW2": grads["dW2"].T}

    result = verdicts("model_backward", transposed)
    ok, message, summary = result["the small network [3, 4, 2, 1], 4 examples"]
    assert not ok and message.startswith("the return value['dW2'] has shape (2, 4), expected (4, 2)")
    # Hidden summaries name the array too (a square dW2 can only fail by its values).
    transposed_summaries = [s for ok, _, s in result.values() if not ok and "is transposed" in s]
    assert transposed_summaries and all(s.startswith("the return value['dW2'] is transposed")
                                        for s in transposed_summaries)


def test_hardcoded_visible_answer_fails_every_hidden_case():
    visible = next(c for c in EXERCISES["model_forward"].cases() if c.visible)
    answer = visible.expected

    result = verdicts("model_forward", lambda X, parameters: answer)
    assert [ok for ok, _, _ in result.values()] == [True] + [False] * (len(result) - 1)


def test_model_fit_that_never_updates_fails():
    def frozen(X, y, layer_dims, learning_rate, num_iterations, seed):
        parameters = ref.initialize_parameters_deep(layer_dims, seed)
        AL, _ = ref.model_forward(X, parameters)
        return parameters, [ref.compute_cost(AL, y)] * len(range(0, num_iterations, 100))

    bad = failed("model_fit", frozen)
    assert len(bad) == 3 and all("barely fall" in m for m in bad.values())
