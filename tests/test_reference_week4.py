"""Week 4's reference blocks against independent values: two-sided finite differences of the
cost on random network shapes (hypothesis: 1 to 5 layers, non-square), a plain loop-free
re-derivation of the forward pass, and the layer/caching conventions the notebook states."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.cases.finite_differences import numeric_gradient
from course_utils import reference as ref


def _network(seed: int, dims: list[int], m: int):
    rng = np.random.default_rng(seed)
    # Weights of about unit size and non-zero biases: ReLU kinks are met but rarely sat on.
    parameters = {}
    for layer in range(1, len(dims)):
        parameters[f"W{layer}"] = rng.normal(0, 1, (dims[layer - 1], dims[layer]))
        parameters[f"b{layer}"] = rng.normal(0, 0.5, dims[layer])
    X = rng.normal(0, 1, (m, dims[0]))
    y = rng.integers(0, 2, m).astype(float)
    return parameters, X, y


def _cost(parameters, X, y) -> float:
    return ref.compute_cost(ref.model_forward(X, parameters)[0], y)


shapes = st.tuples(
    st.integers(0, 10_000),                                   # seed
    st.lists(st.integers(1, 5), min_size=1, max_size=5),      # hidden and output layer sizes
    st.integers(1, 5),                                        # input features
    st.integers(1, 6),                                        # examples
)


@settings(max_examples=25, deadline=None)
@given(shapes)
def test_model_backward_matches_finite_differences(shape):
    seed, sizes, n_x, m = shape
    dims = [n_x, *sizes[:-1], 1]
    parameters, X, y = _network(seed, dims, m)
    AL, caches = ref.model_forward(X, parameters)
    grads = ref.model_backward(AL, y, caches)
    layers = len(dims) - 1
    assert sorted(grads) == sorted([f"d{p}{k}" for k in range(1, layers + 1) for p in "Wb"]
                                   + [f"dA{k}" for k in range(layers)])
    for name, value in parameters.items():
        def cost(v, name=name):
            return _cost({**parameters, name: v}, X, y)

        np.testing.assert_allclose(grads["d" + name], numeric_gradient(cost, value), rtol=1e-4, atol=1e-7,
                                   err_msg=f"{name}, dims {dims}")
    # dA0 is m times the cost's gradient with respect to X (the notes' per-example convention).
    np.testing.assert_allclose(grads["dA0"] / m, numeric_gradient(lambda v: _cost(parameters, v, y), X),
                               rtol=1e-4, atol=1e-7)


def test_forward_equals_a_plain_rederivation():
    parameters, X, _ = _network(3, [4, 5, 3, 1], 7)
    A = X
    for layer in (1, 2):
        A = np.maximum(0, A @ parameters[f"W{layer}"] + parameters[f"b{layer}"])
    want = 1 / (1 + np.exp(-(A @ parameters["W3"] + parameters["b3"])))
    AL, caches = ref.model_forward(X, parameters)
    np.testing.assert_allclose(AL, want)
    assert len(caches) == 3
    (A_prev, W, b), Z = caches[1]
    assert A_prev.shape == (7, 5) and np.array_equal(W, parameters["W2"])
    np.testing.assert_allclose(Z, A_prev @ W + b)


def test_relu_derivative_is_zero_at_zero():
    Z = np.array([[-1.0, 0.0, 2.0]])
    cache = ((np.ones((1, 1)), np.ones((1, 3)), np.zeros(3)), Z)
    dA_prev, dW, db = ref.linear_activation_backward(np.ones((1, 3)), cache, "relu")
    assert db.tolist() == [0.0, 0.0, 1.0]


def test_initialize_parameters_deep_is_he_and_seeded():
    p = ref.initialize_parameters_deep([64, 32, 16, 1], seed=1)
    assert {k: v.shape for k, v in p.items()} == {"W1": (64, 32), "b1": (32,), "W2": (32, 16),
                                                   "b2": (16,), "W3": (16, 1), "b3": (1,)}
    assert np.std(p["W1"]) == pytest.approx(np.sqrt(2 / 64), rel=0.1)
    again = ref.initialize_parameters_deep([64, 32, 16, 1], seed=1)
    assert all(np.array_equal(p[k], again[k]) for k in p)
    with pytest.raises(ValueError, match="at least"):
        ref.initialize_parameters_deep([5])


def test_model_fit_lowers_the_cost_and_learns():
    from sklearn.datasets import make_moons

    X, y = make_moons(300, noise=0.15, random_state=0)
    parameters, costs = ref.model_fit(X, y.astype(float), [2, 8, 4, 1], 0.3, 2000, seed=0)
    assert len(costs) == 20 and costs[-1] < costs[0] / 4
    assert np.mean(ref.predict_deep(parameters, X) == y) > 0.95


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 6), st.integers(1, 5), st.integers(1, 5),
       st.sampled_from(["relu", "sigmoid"]))
def test_each_backward_block_matches_finite_differences(seed, m, n_prev, n, activation):
    """linear_backward and linear_activation_backward on their own: the gradients of a scalar
    L = Σ (G ⊙ A) (a fixed random G plays the role of the upstream gradient dA) with respect to
    A_prev, W and b, against two-sided differences; dW and db carry the 1/m of the course's mean."""
    rng = np.random.default_rng(seed)
    A_prev, W, b = rng.normal(size=(m, n_prev)), rng.normal(size=(n_prev, n)), rng.normal(size=n)
    G = rng.normal(size=(m, n))

    def loss(A_prev_, W_, b_):
        return float(np.sum(G * ref.linear_activation_forward(A_prev_, W_, b_, activation)[0]))

    _, cache = ref.linear_activation_forward(A_prev, W, b, activation)
    dA_prev, dW, db = ref.linear_activation_backward(G, cache, activation)
    np.testing.assert_allclose(dA_prev, numeric_gradient(lambda v: loss(v, W, b), A_prev),
                               rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(dW * m, numeric_gradient(lambda v: loss(A_prev, v, b), W),
                               rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(db * m, numeric_gradient(lambda v: loss(A_prev, W, v), b),
                               rtol=1e-5, atol=1e-7)
    # The linear block alone is the same computation with g the identity.
    Z = cache[1]
    dZ = G * (Z > 0) if activation == "relu" else G * ref.sigmoid(Z) * (1 - ref.sigmoid(Z))
    for got, want in zip(ref.linear_backward(dZ, cache[0]), (dA_prev, dW, db)):
        np.testing.assert_allclose(got, want)
