"""Instant checks of week 3's assignment 2 (course_utils.checks.week3.assignment_planar_data): they repeat the
grader's visible cases (same inputs, expected values equal to the reference's and to finite
differences), pass the right answers, and name each mistake they claim to name."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.cases.week3 import EXERCISES
from course_utils import reference as ref
from course_utils.checks.core import compare
from course_utils.checks.week3 import assignment_planar_data as planar
from course_utils.data import load_planar_data

NAMES = ["initialize_parameters", "forward_propagation", "compute_cost", "backward_propagation",
         "update_parameters", "nn_model", "predict_nn"]


def verdict(capsys, name: str, func) -> tuple[bool, str]:
    ok = getattr(planar, f"check_{name}")(func)
    return ok, capsys.readouterr().out


def visible(name: str):
    (case,) = [c for c in EXERCISES[name].cases() if c.visible]
    return case


# --- the checks repeat the grader's visible cases ------------------------------------------------
@pytest.mark.parametrize("name, args, expected", [
    ("forward_propagation", (planar.X_SHALLOW_FACT, planar.FORWARD_FACT),
     (planar.FORWARD_CACHE["A2"], planar.FORWARD_CACHE)),
    ("compute_cost", (planar.COST_A2, planar.COST_Y), planar.COST),
    ("backward_propagation", (planar.FORWARD_FACT, planar.FORWARD_CACHE, planar.X_SHALLOW_FACT,
                              planar.Y_SHALLOW_FACT), planar.GRADS),
    ("update_parameters", (planar.FORWARD_FACT, planar.UPDATE_GRADS, planar.UPDATE_RATE),
     planar.UPDATED),
    ("predict_nn", (planar.FORWARD_FACT, planar.X_SHALLOW_FACT), planar.PREDICTIONS),
])
def test_the_checks_hold_the_visible_cases_inputs_and_answers(name, args, expected):
    case = visible(name)
    assert compare.compare(case.args, args, rtol=0, atol=1e-15) is None
    assert compare.compare(case.expected, expected, rtol=1e-12, atol=1e-15) is None


def test_the_trained_cases_match_the_grader():
    init, train = visible("initialize_parameters"), visible("nn_model")
    assert init.args == (2, 4, 1, 2)
    X, y = load_planar_data()
    assert np.array_equal(train.args[0], X) and np.array_equal(train.args[1], y)
    assert train.args[2:] == planar.NN_MODEL_ARGS
    accuracy, cost = planar.network_scores(train.expected, X, y)
    assert accuracy == planar.NN_MODEL_ACCURACY
    assert cost == pytest.approx(planar.NN_MODEL_COST, rel=1e-9)
    from autograder.cases.week3 import assignment_planar_data as week3

    assert (planar.ACCURACY_BAND, planar.COST_BAND) == (week3.ACCURACY_BAND, week3.COST_BAND)


def test_network_scores_agree_with_the_reference():
    X, y = load_planar_data(seed=4)
    p = ref.initialize_parameters(2, 3, 1, 0)
    p = {k: v * 300 for k, v in p.items()}  # a network that is right and wrong in places
    accuracy, cost = planar.network_scores(p, X, y)
    assert accuracy == np.mean(ref.predict_nn(p, X) == y)
    assert cost == pytest.approx(ref.compute_cost(ref.forward_propagation(X, p)[0], y), rel=1e-12)


def test_the_expected_gradients_are_the_costs_finite_differences():
    """Independent of any backward pass: two-sided differences of the cost."""
    eps, P, X, y = 1e-6, planar.FORWARD_FACT, planar.X_SHALLOW_FACT, planar.Y_SHALLOW_FACT

    def cost(params):
        A1 = np.tanh(X @ params["W1"] + params["b1"])
        A2 = 1 / (1 + np.exp(-(A1 @ params["W2"] + params["b2"])))
        return -np.mean(y[:, None] * np.log(A2) + (1 - y[:, None]) * np.log(1 - A2))

    for name, value in P.items():
        def shifted(step, name=name, value=value):
            return cost({**P, name: value + step.reshape(value.shape)})

        numeric = [(shifted(e) - shifted(-e)) / (2 * eps) for e in np.eye(value.size) * eps]
        np.testing.assert_allclose(planar.GRADS["d" + name], np.reshape(numeric, value.shape),
                                   rtol=1e-6, atol=1e-9)
    assert cost(P) == pytest.approx(
        -np.mean(np.log(np.where(y == 1, planar.FORWARD_CACHE["A2"][:, 0],
                                 1 - planar.FORWARD_CACHE["A2"][:, 0]))))


# --- right answers pass, stubs say so and stop ----------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_the_reference_passes(capsys, name):
    ok, out = verdict(capsys, name, getattr(ref, name))
    assert ok and out.startswith(f"✔ {name}: all 1 cases passed.")


@pytest.mark.parametrize("name", NAMES)
def test_a_stub_is_reported_and_stops_the_cell(capsys, name):
    def stub(*args):
        raise NotImplementedError()

    with pytest.raises(NotImplementedError):
        getattr(planar, f"check_{name}")(stub)
    assert f"✘ {name} is not written yet" in capsys.readouterr().out


def test_passing_the_result_instead_of_the_function_is_named(capsys):
    ok, out = verdict(capsys, "compute_cost", 0.27)
    assert not ok and "check_compute_cost(compute_cost), not check_compute_cost(compute_cost(...))" in out


def test_a_missing_return_is_named(capsys):
    ok, out = verdict(capsys, "update_parameters", lambda p, g, a: None)
    assert not ok and "update_parameters has no `return` statement" in out


# --- each named mistake ---------------------------------------------------------------------------
def test_initialize_parameters_mistakes(capsys):
    def zeros(n_x, n_h, n_y, seed):
        return {"W1": np.zeros((n_x, n_h)), "b1": np.zeros(n_h), "W2": np.zeros((n_h, n_y)),
                "b2": np.zeros(n_y)}

    def with_(**changes):
        return lambda *args: {**ref.initialize_parameters(*args), **changes}

    rng = np.random.default_rng(0)
    cases = {
        "are all equal: every hidden unit would compute the same thing": zeros,
        "parameters['W1'] has an entry of size": with_(W1=rng.standard_normal((2, 4))),
        "parameters['W1'] has shape (4, 2), expected (2, 4): it is transposed":
            with_(W1=rng.standard_normal((4, 2)) * 0.01),
        "parameters['b1'] has shape (4, 1), expected (4,)": with_(b1=np.zeros((4, 1))),
        "parameters['b1'] has dtype int64; it should hold floats": with_(b1=np.zeros(4, dtype=int)),
        "parameters['b2'] should be zeros": with_(b2=np.ones(1)),
        "parameters has no key 'b1'": lambda *a: {"W1": ref.initialize_parameters(*a)["W1"]},
    }
    for text, func in cases.items():
        ok, out = verdict(capsys, "initialize_parameters", func)
        assert not ok and text in out, (text, out)


def test_other_small_random_schemes_pass(capsys):
    def legacy(n_x, n_h, n_y, seed):
        np.random.seed(seed)
        return {"W1": np.random.randn(n_x, n_h) * 0.01, "b1": np.zeros(n_h),
                "W2": np.random.randn(n_h, n_y) * 0.01, "b2": np.zeros(n_y)}

    assert verdict(capsys, "initialize_parameters", legacy)[0]


def _forward_with(A1=None, Z1=None, out=None):
    def forward(X, p):
        Z1_ = X @ p["W1"] + (p["b1"] if Z1 is None else 0)
        A1_ = np.tanh(Z1_) if A1 is None else A1(Z1_)
        Z2 = A1_ @ p["W2"] + p["b2"]
        A2 = ref.sigmoid(Z2) if out is None else out(Z2)
        return A2, {"Z1": Z1_, "A1": A1_, "Z2": Z2, "A2": A2}
    return forward


def test_forward_mistakes(capsys):
    cases = {
        "the hidden layer uses sigmoid: it is tanh": _forward_with(A1=ref.sigmoid),
        "b1 is not added": _forward_with(Z1="no bias"),
        "the output uses tanh: A2 = σ(Z2)": _forward_with(out=np.tanh),
        "is transposed": lambda X, p: (lambda A2, c: (A2, {**c, "A1": c["A1"].T}))(
            *ref.forward_propagation(X, p)),
        "a shape mismatch. Row convention": lambda X, p: np.tanh(p["W1"] @ X),
        "A2 has shape (3,), expected (3, 1)": lambda X, p: (lambda A2, c: (A2[:, 0], c))(
            *ref.forward_propagation(X, p)),
    }
    for text, func in cases.items():
        ok, out = verdict(capsys, "forward_propagation", func)
        assert not ok and text in out, (text, out)


def test_a_forward_pass_that_loops_over_examples_is_not_vectorised(capsys):
    def one_at_a_time(X, p):
        rows = [ref.forward_propagation(X[i:i + 1], p) for i in range(X.shape[0])]
        cache = {k: np.vstack([c[k] for _, c in rows]) for k in rows[0][1]}
        return cache["A2"], cache

    ok, out = verdict(capsys, "forward_propagation", one_at_a_time)
    assert not ok and "it still works example by example" in out


def test_compute_cost_mistakes(capsys):
    def broadcast(A2, y):
        return float(-np.sum(y * np.log(A2) + (1 - y) * np.log(1 - A2)) / A2.shape[0])

    def exact(A2, y):
        return ref.compute_cost(A2, y)

    cases = {
        "combining them broadcasts to an (m, m) table": broadcast,
        "the (1 − y) log(1 − a) term is missing": lambda A2, y: float(
            -np.sum(y * np.log(A2[:, 0])) / 3),
        "is m = 3 times too large: divide by m": lambda A2, y: 3 * exact(A2, y),
        "has the wrong sign": lambda A2, y: -exact(A2, y),
        "should be a number, got an array of shape (1,) (use float(...)": lambda A2, y: np.array([exact(A2, y)]),
    }
    for text, func in cases.items():
        ok, out = verdict(capsys, "compute_cost", func)
        assert not ok and text in out, (text, out)


def _backward_with(derivative=None, db1=None):
    def backward(p, cache, X, y):
        m, A1 = X.shape[0], cache["A1"]
        dZ2 = cache["A2"] - y.reshape(-1, 1)
        dA1 = dZ2 @ p["W2"].T
        dZ1 = dA1 * (1 - A1**2) if derivative is None else derivative(dA1, cache)
        grads = {"dW1": X.T @ dZ1 / m, "db1": dZ1.sum(axis=0) / m, "dW2": A1.T @ dZ2 / m,
                 "db2": dZ2.sum(axis=0) / m}
        if db1 is not None:
            grads["db1"] = db1(dZ1) / m
        return grads
    return backward


def test_backward_mistakes(capsys):
    def grads_with(**change):
        def backward(p, cache, X, y):
            grads = ref.backward_propagation(p, cache, X, y)
            return {**grads, **{k: f(grads[k]) for k, f in change.items()}}
        return backward

    cases = {
        "dZ1 uses the sigmoid's derivative": _backward_with(lambda d, c: d * c["A1"] * (1 - c["A1"])),
        "not 1 − Z1**2": _backward_with(lambda d, c: d * (1 - c["Z1"] ** 2)),
        "dZ1 misses tanh's derivative": _backward_with(lambda d, c: d),
        "db1 sums over the units (axis=1)": _backward_with(db1=lambda dZ1: dZ1.sum(axis=1)),
        "db1 has shape (1, n_h) (keepdims=True)": _backward_with(
            db1=lambda dZ1: dZ1.sum(axis=0, keepdims=True)),
        "['dW1'] has shape (4, 2), expected (2, 4): it is transposed": grads_with(dW1=np.transpose),
        "['dW2'] is m = 3 times too large: divide by m": grads_with(dW2=lambda g: 3 * g),
        "['db2'] has the wrong sign": grads_with(db2=np.negative),
        "a shape mismatch. Row convention": lambda p, c, X, y: {"dW1": (c["A2"] - y) @ p["W2"].T},
    }
    for text, func in cases.items():
        ok, out = verdict(capsys, "backward_propagation", func)
        assert not ok and text in out, (text, out)


def test_update_parameters_mistakes(capsys):
    def step(sign, rate=True):
        return lambda p, g, a: {k: v + sign * (a if rate else 1) * g["d" + k] for k, v in p.items()}

    cases = {
        "the step adds the gradient, which climbs the cost": step(+1),
        "the learning rate is not used": step(-1, rate=False),
        "has no key 'b2'": lambda p, g, a: {k: v - a * g["d" + k] for k, v in p.items() if k != "b2"},
    }
    for text, func in cases.items():
        ok, out = verdict(capsys, "update_parameters", func)
        assert not ok and text in out, (text, out)


def test_nn_model_mistakes(capsys):
    cases = {
        "the trained network classifies": lambda X, y, n_h, it, lr, s: ref.nn_model(X, y, n_h, it, 0.01, s),
        "parameters['W2'] has shape (4,), expected (4, 1)": lambda *a: {
            **ref.nn_model(*a), "W2": ref.nn_model(*a)["W2"][:, 0]},
        "the trained parameters hold NaN or inf": lambda *a: {
            **ref.nn_model(*a), "b2": np.array([np.nan])},
    }
    for text, func in cases.items():
        ok, out = verdict(capsys, "nn_model", func)
        assert not ok and text in out, (text, out)


def test_nn_model_from_another_small_start_passes(capsys):
    from test_cases_week3 import nn_model_own_init  # the grader's honest variant passes here too

    assert verdict(capsys, "nn_model", nn_model_own_init)[0]


def test_predict_nn_mistakes(capsys):
    def probabilities(p, X):
        return ref.forward_propagation(X, p)[0][:, 0]

    def column(p, X):
        return ref.predict_nn(p, X)[:, None]

    def looped(p, X):
        return np.array([ref.predict_nn(p, X[i:i + 1])[0] for i in range(X.shape[0])])

    cases = {
        "these are the probabilities A2, not labels": probabilities,
        "has shape (3, 1), expected (3,)": column,
        "it still works example by example": looped,
    }
    for text, func in cases.items():
        ok, out = verdict(capsys, "predict_nn", func)
        assert not ok and text in out, (text, out)
