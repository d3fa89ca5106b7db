"""Week 3's grading cases judged in process: the reference passes every case, honest variants
(other idioms, other vectorised forms) pass too, and each common mistake fails exactly the cases
it should, with feedback that names the part and the mistake."""

from __future__ import annotations

import warnings

import case_verdicts
import numpy as np
import pytest

from autograder.cases import exercises
from course_utils import reference as ref

EXERCISES = exercises("week3")


def verdicts(name: str, func) -> dict[str, tuple[bool, str, str]]:
    return case_verdicts.verdicts("week3", name, func)


def failed(name: str, func) -> dict[str, str]:
    return case_verdicts.failed("week3", name, func)


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_the_reference_passes_every_case(name):
    assert failed(name, getattr(ref, name)) == {}


def test_every_exercise_has_visible_and_hidden_cases():
    for name, exercise in EXERCISES.items():
        cases = exercise.cases()
        assert any(c.visible for c in cases) and any(not c.visible for c in cases), name


# --- honest variants ----------------------------------------------------------------------------
def sigmoid_where_clipped(z):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))


def sigmoid_tanh(z):
    return 0.5 * (1 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def propagate_einsum(w, b, X, y):
    m = X.shape[0]
    a = 1 / (1 + np.exp(-(np.einsum("mn,n->m", X, w) + b)))
    cost = -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)) / m
    dz = a - y
    return {"dw": np.dot(dz, X) / m, "db": np.mean(dz)}, np.squeeze(cost)


def propagate_column_style(w, b, X, y):
    # The notes' column convention inside, translated back at the end.
    A = 1 / (1 + np.exp(-(w.reshape(-1, 1).T @ X.T + b)))  # (1, m)
    Y = y.reshape(1, -1)
    m = X.shape[0]
    cost = float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)
    dw = (X.T @ (A - Y).T / m).ravel()
    return [{"dw": dw, "db": float(np.sum(A - Y) / m), "extra": 1}, cost]


def predict_bool(w, b, X):
    return 1 / (1 + np.exp(-(X @ w + b))) > 0.5


def initialize_parameters_legacy(n_x, n_h, n_y, seed):
    np.random.seed(seed)
    return {"W1": np.random.randn(n_x, n_h) * 0.01, "b1": np.zeros((n_h,)),
            "W2": np.random.randn(n_h, n_y) * 0.01, "b2": np.zeros(n_y)}


def nn_model_own_init(X, y, n_h, num_iterations, learning_rate, seed):
    rng = np.random.default_rng(seed + 1000)  # another start, same training
    p = {"W1": rng.uniform(-0.01, 0.01, (X.shape[1], n_h)), "b1": np.zeros(n_h),
         "W2": rng.uniform(-0.01, 0.01, (n_h, 1)), "b2": np.zeros(1)}
    for _ in range(num_iterations):
        _, cache = ref.forward_propagation(X, p)
        p = ref.update_parameters(p, ref.backward_propagation(p, cache, X, y), learning_rate)
    return p


@pytest.mark.parametrize("name, func", [
    ("sigmoid", sigmoid_where_clipped),
    ("sigmoid", sigmoid_tanh),
    ("propagate", propagate_einsum),
    ("propagate", propagate_column_style),
    ("predict", predict_bool),
    ("initialize_parameters", initialize_parameters_legacy),
    ("nn_model", nn_model_own_init),
])
def test_honest_variants_pass(name, func):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # none of them may warn either
        assert failed(name, func) == {}


# --- mistakes, each named -----------------------------------------------------------------------
def test_a_naive_sigmoid_fails_only_the_no_warning_cases():
    def naive(z):
        return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bad = failed("sigmoid", naive)
    assert sorted(bad) == ["a single large negative z, no warning",
                           "large negative and positive z mixed, no warning",
                           "large |z|: [-1000, 1000] gives [0, 1] with no overflow warning"]
    assert all("RuntimeWarning: overflow encountered in exp" in m for m in bad.values())


def test_propagate_mistakes_are_named():
    def no_mean(w, b, X, y):
        grads, cost = ref.propagate(w, b, X, y)
        return {"dw": grads["dw"] * X.shape[0], "db": grads["db"]}, cost

    def wrong_sign(w, b, X, y):
        grads, cost = ref.propagate(w, b, X, y)
        return {"dw": -grads["dw"], "db": grads["db"]}, cost

    def db_array(w, b, X, y):
        grads, cost = ref.propagate(w, b, X, y)
        return {"dw": grads["dw"], "db": np.array([grads["db"]])}, cost

    def loops(w, b, X, y):
        m = X.shape[0]
        dw, db, cost = np.zeros_like(w), 0.0, 0.0
        for i in range(m):
            a = ref.sigmoid(X[i] @ w + b)
            cost += -(y[i] * np.log(a) + (1 - y[i]) * np.log(1 - a)) / m
            dw += X[i] * (a - y[i]) / m
            db += (a - y[i]) / m
        return {"dw": dw, "db": float(db)}, float(cost)

    fact = "fact: w = [1, 2], b = 2, X = [[1, 3], [2, 4], [-1, -3.2]], y = [1, 0, 1]"
    bad = failed("propagate", no_mean)
    # The batch of one example has m = 1: there the missing mean changes nothing.
    assert sorted(bad) == sorted(n for n in verdicts("propagate", ref.propagate)
                                 if n != "a batch of one example")
    assert bad[fact] == ("grads['dw'] is m = 3 times too large: divide by m (the cost is a mean "
                         "over the examples)")
    assert "grads['dw'] has the wrong sign" in failed("propagate", wrong_sign)[fact]
    assert failed("propagate", db_array)[fact] == (
        "grads['db'] should be a number, got an array of shape (1,) (use float(...) or .item())")
    looped = verdicts("propagate", loops)
    assert all(not ok and "not vectorised" in msg for n, (ok, msg, _) in looped.items()
               if n != "a batch of one example")


def test_hardcoding_the_visible_case_fails_every_hidden_case():
    def hardcoded(w, b, X, y):
        return {"dw": np.array([0.99845601, 2.39507239]), "db": 0.00145558}, 5.80154532

    result = verdicts("propagate", hardcoded)
    assert [ok for ok, _, _ in result.values()] == [True] + [False] * (len(result) - 1)


def test_backward_mistakes_are_named_in_hidden_summaries_without_learner_values():
    def transposed(parameters, cache, X, y):
        grads = ref.backward_propagation(parameters, cache, X, y)
        return {**grads, "dW1": grads["dW1"].T}

    def sigmoid_derivative(parameters, cache, X, y):  # the tanh' replaced by a'(1 − a)
        A1 = cache["A1"]
        m = X.shape[0]
        dZ2 = cache["A2"] - y.reshape(-1, 1)
        dZ1 = dZ2 @ parameters["W2"].T * A1 * (1 - A1)
        return {"dW1": X.T @ dZ1 / m, "db1": dZ1.sum(0) / m, "dW2": A1.T @ dZ2 / m,
                "db2": dZ2.sum(0) / m}

    result = verdicts("backward_propagation", transposed)
    square = "finite differences: 9 examples, 4 features, 6 hidden units"
    ok, message, summary = result[square]
    assert not ok and message.startswith("the return value['dW1'] has shape (6, 4), expected (4, 6)")
    assert summary.startswith("the return value['dW1'] is transposed")
    bad = failed("backward_propagation", sigmoid_derivative)
    assert len(bad) == 6 and all("['dW1']" in m for m in bad.values())


def test_optimize_that_records_the_cost_after_the_step_fails():
    def late_costs(w, b, X, y, num_iterations, learning_rate, print_cost=False):
        costs = []
        for i in range(num_iterations):
            grads, _ = ref.propagate(w, b, X, y)
            w, b = w - learning_rate * grads["dw"], b - learning_rate * grads["db"]
            if i % 100 == 0:
                costs.append(ref.propagate(w, b, X, y)[1])
        return {"w": w, "b": b}, grads, costs

    bad = failed("optimize", late_costs)
    assert len(bad) == 4 and all(m.startswith("costs has wrong values") for m in bad.values())


def test_model_percentages_and_wrong_accuracies_are_named():
    def percent(*args):
        out = ref.model(*args)
        return {**out, "train_accuracy": 100 * out["train_accuracy"]}

    def stale_accuracy(*args):
        out = ref.model(*args)
        return {**out, "test_accuracy": 0.5}

    def no_training(X_train, y_train, X_test, y_test, num_iterations, learning_rate):
        return ref.model(X_train, y_train, X_test, y_test, 1, learning_rate)

    first = "digits 3 vs 8: 120 to train, 80 to test, 300 iterations, learning rate 0.5"
    assert "not a percentage" in failed("model", percent)[first]
    assert "the returned w and b classify" in failed("model", stale_accuracy)[first]
    bad = failed("model", no_training)
    assert len(bad) == 2 and "the returned dict['costs'] has shape (1,)" in bad[first]


def test_initialize_parameters_mistakes_are_named():
    def zeros(n_x, n_h, n_y, seed):
        return {"W1": np.zeros((n_x, n_h)), "b1": np.zeros(n_h), "W2": np.zeros((n_h, n_y)),
                "b2": np.zeros(n_y)}

    def large(n_x, n_h, n_y, seed):
        rng = np.random.default_rng(seed)
        return {"W1": rng.standard_normal((n_x, n_h)), "b1": np.zeros(n_h),
                "W2": rng.standard_normal((n_h, n_y)), "b2": np.zeros(n_y)}

    def column_bias(n_x, n_h, n_y, seed):
        return {**ref.initialize_parameters(n_x, n_h, n_y, seed), "b1": np.zeros((n_h, 1))}

    visible = "n_x = 2, n_h = 4, n_y = 1, seed = 2"
    assert "are all equal" in failed("initialize_parameters", zeros)[visible]
    assert "is not small" in verdicts("initialize_parameters", large)[visible][2]
    assert failed("initialize_parameters", column_bias)[visible] == (
        "parameters['b1'] has shape (4, 1), expected (4,): the numbers are right: a column where "
        "a 1-D array belongs? Use .ravel() or [:, 0]")


def test_nn_model_that_ignores_the_learning_rate_fails():
    def fixed_rate(X, y, n_h, num_iterations, learning_rate, seed):
        return ref.nn_model(X, y, n_h, num_iterations, 0.01, seed)

    bad = failed("nn_model", fixed_rate)
    assert len(bad) == 3 and all("are all iterations run" in m for m in bad.values())
