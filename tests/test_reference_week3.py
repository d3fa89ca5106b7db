"""Week 3's reference solutions against the course's checked numbers (issue: "Checked numbers to
use", row convention), finite differences of their own costs, and a second implementation
(tf.GradientTape) — independent values, never the reference checked against itself."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.cases.finite_differences import numeric_gradient
from course_utils import reference as ref

W_FACT = np.array([1.0, 2.0])
B_FACT = 2.0
X_FACT = np.array([[1.0, 3.0], [2.0, 4.0], [-1.0, -3.2]])
Y_FACT = np.array([1.0, 0.0, 1.0])


def test_propagate_gives_the_checked_numbers():
    grads, cost = ref.propagate(W_FACT, B_FACT, X_FACT, Y_FACT)
    np.testing.assert_allclose(grads["dw"], [0.99845601, 2.39507239], rtol=1e-8)
    assert grads["db"] == pytest.approx(0.00145558, rel=1e-5)
    assert cost == pytest.approx(5.80154532, rel=1e-8)
    assert type(cost) is float and type(grads["db"]) is float and grads["dw"].shape == (2,)


def test_optimize_gives_the_checked_numbers():
    params, grads, costs = ref.optimize(W_FACT, B_FACT, X_FACT, Y_FACT, num_iterations=100,
                                        learning_rate=0.009)
    np.testing.assert_allclose(params["w"], [0.19033591, 0.12259159], rtol=1e-7)
    assert params["b"] == pytest.approx(1.92535983, rel=1e-8)
    np.testing.assert_allclose(grads["dw"], [0.67752042, 1.41625495], rtol=1e-7)
    assert grads["db"] == pytest.approx(0.21919450, rel=1e-7)
    # The cost every 100 iterations, iteration 0 included: one cost for 100 iterations.
    assert costs == [pytest.approx(5.80154532, rel=1e-8)]
    assert len(ref.optimize(W_FACT, B_FACT, X_FACT, Y_FACT, 201, 0.009)[2]) == 3


def test_predict_gives_the_checked_labels():
    got = ref.predict(np.array([0.1124579, 0.23106775]), -0.3,
                      np.array([[1.0, 1.2], [-1.1, 2.0], [-3.2, 0.1]]))
    assert got.tolist() == [1.0, 1.0, 0.0]


def test_propagate_gradient_matches_finite_differences_and_gradient_tape():
    rng = np.random.default_rng(0)
    X, w, y = rng.normal(size=(7, 4)), rng.normal(size=4), rng.integers(0, 2, 7).astype(float)
    b = 0.3
    grads, _ = ref.propagate(w, b, X, y)
    np.testing.assert_allclose(grads["dw"], numeric_gradient(
        lambda v: ref.propagate(v, b, X, y)[1], w), rtol=1e-6, atol=1e-9)
    assert grads["db"] == pytest.approx(
        numeric_gradient(lambda v: ref.propagate(w, v[0], X, y)[1], np.array([b]))[0], rel=1e-6)
    import tensorflow as tf

    tw, tb = tf.Variable(w), tf.Variable(b, dtype=tf.float64)
    with tf.GradientTape() as tape:
        a = tf.sigmoid(tf.linalg.matvec(tf.constant(X), tw) + tb)
        cost = tf.reduce_mean(-y * tf.math.log(a) - (1 - y) * tf.math.log(1 - a))
    dw, db = tape.gradient(cost, [tw, tb])
    np.testing.assert_allclose(grads["dw"], dw.numpy(), rtol=1e-10)
    assert grads["db"] == pytest.approx(float(db), rel=1e-10)


def test_propagate_cost_is_finite_for_saturated_examples():
    # log(σ(z)) of z = −800 is −800, not log(0): the cost stays finite and right.
    grads, cost = ref.propagate(np.array([1.0]), 0.0, np.array([[-800.0]]), np.array([1.0]))
    assert cost == pytest.approx(800.0)
    assert grads["dw"][0] == pytest.approx(800.0)


def test_model_trains_and_measures():
    rng = np.random.default_rng(1)
    X = np.vstack([rng.normal(-1, 1, (40, 3)), rng.normal(1, 1, (40, 3))])
    y = np.repeat([0.0, 1.0], 40)
    out = ref.model(X[::2], y[::2], X[1::2], y[1::2], num_iterations=500, learning_rate=0.1)
    assert set(out) == {"costs", "w", "b", "train_accuracy", "test_accuracy"}
    assert len(out["costs"]) == 5 and all(np.diff(out["costs"]) < 0)
    assert out["train_accuracy"] == np.mean(ref.predict(out["w"], out["b"], X[::2]) == y[::2])
    assert 0.85 <= out["test_accuracy"] <= 1.0


def _shallow_case(seed=0, m=6, n_x=3, n_h=4):
    rng = np.random.default_rng(seed)
    params = {"W1": rng.normal(size=(n_x, n_h)), "b1": rng.normal(size=n_h),
              "W2": rng.normal(size=(n_h, 1)), "b2": rng.normal(size=1)}
    return params, rng.normal(size=(m, n_x)), rng.integers(0, 2, m).astype(float)


def test_initialize_parameters_shapes_scale_and_seed():
    p = ref.initialize_parameters(2, 4, 1, seed=2)
    assert {k: v.shape for k, v in p.items()} == {"W1": (2, 4), "b1": (4,), "W2": (4, 1), "b2": (1,)}
    assert not p["b1"].any() and not p["b2"].any()
    assert 0 < np.abs(p["W1"]).max() < 0.05
    again = ref.initialize_parameters(2, 4, 1, seed=2)
    assert all(np.array_equal(p[k], again[k]) for k in p)
    assert not np.array_equal(p["W1"], ref.initialize_parameters(2, 4, 1, seed=3)["W1"])


def test_forward_propagation_by_hand():
    params, X, _ = _shallow_case()
    A2, cache = ref.forward_propagation(X, params)
    A1 = np.tanh(X @ params["W1"] + params["b1"])
    np.testing.assert_allclose(A2, 1 / (1 + np.exp(-(A1 @ params["W2"] + params["b2"]))))
    assert A2.shape == (6, 1) and set(cache) == {"Z1", "A1", "Z2", "A2"}


def test_backward_propagation_matches_finite_differences():
    params, X, y = _shallow_case()
    _, cache = ref.forward_propagation(X, params)
    grads = ref.backward_propagation(params, cache, X, y)
    assert set(grads) == {"dW1", "db1", "dW2", "db2"}
    for name, value in params.items():
        def cost(v, name=name):
            return ref.compute_cost(ref.forward_propagation(X, {**params, name: v})[0], y)

        np.testing.assert_allclose(grads["d" + name], numeric_gradient(cost, value),
                                   rtol=1e-6, atol=1e-9, err_msg=name)
        assert grads["d" + name].shape == value.shape


def test_compute_cost_accepts_row_or_column_labels():
    A2 = np.array([[0.9], [0.2], [0.6]])
    want = -np.mean(np.log([0.9, 0.8, 0.6]))
    assert ref.compute_cost(A2, np.array([1, 0, 1])) == pytest.approx(want)
    assert ref.compute_cost(A2, np.array([[1], [0], [1]])) == pytest.approx(want)


def test_update_parameters_is_one_step_and_leaves_inputs_alone():
    params, _, _ = _shallow_case()
    grads = {"d" + k: np.ones_like(v) for k, v in params.items()}
    before = {k: v.copy() for k, v in params.items()}
    new = ref.update_parameters(params, grads, 0.5)
    assert all(np.allclose(new[k], before[k] - 0.5) for k in params)
    assert all(np.array_equal(params[k], before[k]) for k in params)


def test_nn_model_separates_moons_a_line_cannot():
    from sklearn.datasets import make_moons

    X, y = make_moons(200, noise=0.1, random_state=0)
    params = ref.nn_model(X, y.astype(float), n_h=4, num_iterations=3000, learning_rate=1.2, seed=3)
    accuracy = np.mean(ref.predict_nn(params, X) == y)
    w_line = ref.model(X, y, X, y, num_iterations=3000, learning_rate=1.2)["train_accuracy"]
    assert accuracy > 0.97 > 0.9 > w_line
