"""Week 3, lesson 3 (logistic regression, derived): the notebook, its instant check and its plots.

The notebook is executed once in a fresh kernel; its numbers are compared with the course's checked
values (the issue's w = [1, 2], b = 2 example), with independent computations made here (a
numerically stable cost differentiated by finite differences, scikit-learn's logistic regression)
and with every claim its prose makes about a run.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest

from conftest import NOTEBOOKS, execute_notebook
from course_utils.checks import check_gradients
from course_utils.checks.week3.logistic_regression_derived import GRADIENT_CASES, GRADIENT_MISTAKES
from course_utils.plots.week3.logistic_regression_derived import (
    LOCAL_DERIVATIVES,
    plot_cost_curves,
    plot_decision_boundary,
    plot_logistic_graph,
)

NOTEBOOK = NOTEBOOKS / "week3" / "03_logistic_regression_derived.ipynb"
# ~20 s on a loaded 2-core machine (TensorFlow's import alone is 3-15 s there); room for a slow CI.
TIME_LIMIT_S = 180  # a runaway bound only: speed is benchmarks/notebooks.py's job

# The course's checked numbers (the issue): w = [1, 2], b = 2, X = [[1, 3], [2, 4], [-1, -3.2]],
# y = [1, 0, 1].
COURSE_DW = [0.99845601, 2.39507239]
COURSE_DB = 0.00145558
COURSE_COST = 5.80154532


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# --- answers to the your-turn exercise: one right, the usual wrong ones ---------------------------

def right(w, b, X, y):
    dz = sigmoid(X @ w + b) - y
    return X.T @ dz / X.shape[0], float(np.mean(dz))


def right_einsum(w, b, X, y):  # a second correct formulation, returning db as a 0-d array
    a = 1.0 / (1.0 + np.exp(-(np.einsum("mn,n->m", X, w) + b)))
    return np.einsum("mn,m->n", X, a - y) / len(y), np.array((a - y).sum() / len(y))


def no_mean(w, b, X, y):
    dz = sigmoid(X @ w + b) - y
    return X.T @ dz, dz.sum()


def db_sum_only(w, b, X, y):
    dz = sigmoid(X @ w + b) - y
    return X.T @ dz / X.shape[0], dz.sum()


def divided_by_n(w, b, X, y):
    dz = sigmoid(X @ w + b) - y
    return X.T @ dz / X.shape[1], dz.sum() / X.shape[1]


def wrong_sign(w, b, X, y):
    dz = y - sigmoid(X @ w + b)
    return X.T @ dz / len(y), dz.mean()


def transposed(w, b, X, y):
    dz = sigmoid(X @ w + b) - y
    return X @ dz / len(y), dz.mean()


def sigma_prime(w, b, X, y):
    a = sigmoid(X @ w + b)
    dz = (a - y) * a * (1 - a)
    return X.T @ dz / len(y), dz.mean()


def z_for_a(w, b, X, y):
    dz = X @ w + b - y
    return X.T @ dz / len(y), dz.mean()


def no_bias(w, b, X, y):
    dz = sigmoid(X @ w) - y
    return X.T @ dz / len(y), dz.mean()


def looping(w, b, X, y):
    dw, db = np.zeros_like(w), 0.0
    for i in range(len(y)):
        dz = sigmoid(X[i] @ w + b) - y[i]
        dw += X[i] * dz
        db += dz
    return dw / len(y), db / len(y)


def column_dw(w, b, X, y):
    dz = (sigmoid(X @ w + b) - y)[:, None]
    return X.T @ dz / len(y), float(dz.mean())


def db_per_example(w, b, X, y):
    dz = sigmoid(X @ w + b) - y
    return X.T @ dz / len(y), dz


def only_dw(w, b, X, y):
    return right(w, b, X, y)[0]


def not_written(w, b, X, y):
    raise NotImplementedError()


# The mistakes whose numbers the cases store (compare() names a missing 1/m and a flipped sign).
MISTAKE_FUNCTIONS = {"divided_by_n": divided_by_n, "transposed": transposed,
                     "sigma_prime": sigma_prime, "z_for_a": z_for_a, "no_bias": no_bias}


def _case_arrays(case):
    return np.array(case.w), case.b, np.array(case.X), np.array(case.y)


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_the_checks_stored_numbers_are_what_the_answers_give(case):
    """The check's precomputed numbers are reproduced here by independent code: the right answer
    and, for each named mistake, a function that makes exactly that mistake."""
    dw, db = right(*_case_arrays(case))
    np.testing.assert_allclose(dw, case.dw, rtol=1e-12)
    assert db == pytest.approx(case.db, rel=1e-12)
    assert set(case.mistakes) <= set(GRADIENT_MISTAKES) == set(MISTAKE_FUNCTIONS)
    for key, (mistake_dw, mistake_db) in case.mistakes.items():
        got_dw, got_db = MISTAKE_FUNCTIONS[key](*_case_arrays(case))
        np.testing.assert_allclose(got_dw, mistake_dw, rtol=1e-12, err_msg=key)
        assert float(got_db) == pytest.approx(mistake_db, rel=1e-12), key
        # every stored mistake is distinguishable from the right answer
        assert not (np.allclose(mistake_dw, case.dw) and np.isclose(mistake_db, case.db)), key


def test_the_first_case_is_the_course_example():
    case = GRADIENT_CASES[0]
    assert (case.w, case.b, case.X, case.y) == ([1.0, 2.0], 2.0, [[1.0, 3.0], [2.0, 4.0], [-1.0, -3.2]],
                                                [1.0, 0.0, 1.0])
    np.testing.assert_allclose(case.dw, COURSE_DW, atol=5e-9)
    assert case.db == pytest.approx(COURSE_DB, abs=5e-9)


@pytest.mark.parametrize("answer", [right, right_einsum])
def test_check_passes_right_answers(answer, capsys):
    assert check_gradients(answer) is True
    assert "\N{HEAVY CHECK MARK} gradients: all 4 cases passed." in capsys.readouterr().out


@pytest.mark.parametrize(("answer", "says"), [
    (no_mean, "Likely mistake: dw is m = 3 times too large: divide by m"),
    (db_sum_only, "Likely mistake: db is m = 3 times too large: divide by m"),
    (divided_by_n, "divided by n"),
    (wrong_sign, "Likely mistake: dw has the wrong sign"),
    (transposed, "X @ dz only has the right shape here because m = n. (in dw)"),
    (sigma_prime, "multiplied by σ'(z) = a(1 − a) again"),
    (z_for_a, "dz uses z instead of the prediction"),
    (no_bias, "the bias is left out"),
    (looping, "it still works example by example"),
    (column_dw, "dw has shape (2, 1), expected (2,): the numbers are right: a column"),
    (db_per_example, "db should be a number, got an array of shape (3,)"),
    (only_dw, "gradients(...) should be a tuple of 2 (dw, db), got an array of shape (2,)"),
    (not_written, "gradients is not written yet"),
    (42, "needs the function itself"),
])
def test_check_names_the_mistake(answer, says, capsys):
    assert check_gradients(answer) is False  # and never raises, even for NotImplementedError
    out = capsys.readouterr().out
    assert out.startswith("\N{HEAVY BALLOT X}") and says in out, out


def test_a_shape_error_shows_the_shapes_when_no_mistake_is_named(capsys):
    def w_times_X(w, b, X, y):  # z = w @ X: fails unless m = n, and then gives unnamed numbers
        dz = sigmoid(w @ X + b) - y
        return X.T @ dz / len(y), dz.mean()

    assert check_gradients(w_times_X) is False
    out = capsys.readouterr().out
    assert 'case 1 of 4 failed, "the course\'s numbers"' in out
    assert "a shape mismatch" in out and "dw = X.T @ dz is (n, m) @ (m,) → (n,)" in out


# --- plots ---------------------------------------------------------------------------------------

def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts if t.get_text()]


def test_logistic_graph_shows_values_derivatives_and_local_derivatives():
    ax = plot_logistic_graph(values={"w": np.array([1.0, 2.0]), "b": 2.0, "z": -5.4},
                             derivatives={"w": np.array([0.995504, 3.18561]), "z": -0.995504})
    texts = _texts(ax)
    assert r"$\vec{w} = [1, 2]$" in texts  # vectors are written as [..] (week 2's graph: numbers)
    assert r"$\partial L / \partial \vec{w} = [0.995504, 3.18561]$" in texts
    assert "$z = -5.4$" in texts and r"$\partial L / \partial z = -0.995504$" in texts
    for text in LOCAL_DERIVATIVES.values():
        assert text in texts
    assert r"$L = -y\,\log a - (1 - y)\log(1 - a)$" in texts
    with pytest.raises(ValueError, match=r"unknown node\(s\) \['w_1'\]"):
        plot_logistic_graph(values={"w_1": 1.0})


def test_cost_curves_start_at_iteration_zero():
    ax = plot_cost_curves({"α = 1": [0.69, 0.4, 0.3], "α = 0.1": [0.69, 0.6, 0.5]})
    assert [line.get_label() for line in ax.lines] == ["α = 1", "α = 0.1"]
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [0, 1, 2])
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [0.69, 0.6, 0.5])
    assert ax.get_ylim()[0] == 0 and ax.get_legend() is not None
    with pytest.raises(ValueError, match="empty"):
        plot_cost_curves({})
    with pytest.raises(ValueError, match=r"shape \(1,\)"):
        plot_cost_curves({"one cost": [0.7]})


def test_decision_boundary_is_the_line_where_w_x_plus_b_is_zero():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] + 2 * X[:, 1] > 0.3).astype(int)
    w, b = np.array([1.5, 3.0]), -0.45
    ax = plot_decision_boundary(X, y, w, b)
    boundary = ax.collections[-3]  # contourf, contour (the boundary), then the two scatters
    vertices = np.vstack([p.vertices for p in boundary.get_paths()])
    assert len(vertices) > 10
    np.testing.assert_allclose(vertices @ w + b, 0, atol=0.02)
    scatters = ax.collections[-2:]
    assert [len(s.get_offsets()) for s in scatters] == [int((y == 0).sum()), int((y == 1).sum())]
    with pytest.raises(ValueError, match=r"X has shape \(40, 3\)"):
        plot_decision_boundary(np.zeros((40, 3)), y, w, b)
    with pytest.raises(ValueError, match=r"y has shape \(39,\)"):
        plot_decision_boundary(X, y[:-1], w, b)
    with pytest.raises(ValueError, match=r"w has shape \(3,\)"):
        plot_decision_boundary(X, y, np.zeros(3), b)
    plt.close("all")


# --- the notebook ---------------------------------------------------------------------------------

RESULTS = r"""
import json
course = dict(w=np.array([1.0, 2.0]), b=2.0, X=np.array([[1.0, 3.0], [2.0, 4.0], [-1.0, -3.2]]),
              y=np.array([1.0, 0.0, 1.0]))
course_dw, course_db = gradients(**course)
loop_dw, loop_db = gradients_loop(**course)

# the prose's float32 claim: the same fit in Keras' defaults (restored by the notebook)
model32 = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, activation="sigmoid")])
model32.layers[0].set_weights([w_ex.reshape(2, 1), np.array([b_ex])])
model32.compile(loss=keras.losses.BinaryCrossentropy(),
                optimizer=keras.optimizers.SGD(learning_rate=alpha))
model32.fit(X_ex, y_ex, batch_size=3, epochs=1, shuffle=False, verbose=0)
W32, b32 = model32.layers[0].get_weights()
float32_gap = max(np.abs(W32[:, 0] - w_hand).max(), abs(b32[0] - b_hand))

print("RESULTS " + json.dumps({
    "course": {"dw": course_dw.tolist(), "db": float(course_db), "cost": cost(**course),
               "loop_dw": loop_dw.tolist(), "loop_db": float(loop_db)},
    "losses": losses_ex.tolist(),
    "sympy": str(sympy.simplify(dL_da * a * (1 - a))), "dL_da": str(dL_da),
    "third": {"z": float(z3), "a": float(a3), "L": float(L3), "da": float(da3), "dz": float(dz3),
              "dw": dw3.tolist(), "db": float(db3)},
    "speedup": t_loop / t_vec,
    "fd": {"dw": dw_num.tolist(), "db": float(db_num), "difference": float(difference),
           "sweep": {f"{e:.0e}": float(d) for e, d in sweep.items()},
           "without_mean": float(difference_without_mean)},
    "tape": {"dw": dw_tf.numpy().tolist(), "db": float(db_tf), "J": float(J_tf),
             "dtype": dw_tf.dtype.name},
    "fit": {"w": W_fit[:, 0].tolist(), "b": float(b_fit[0]), "loss": history.history["loss"][0],
            "dtype": str(W_fit.dtype), "float32_gap": float(float32_gap), "alpha": alpha,
            "dtype32": str(W32.dtype)},
    "train": {"X": X_train.tolist(), "y": y_train.tolist(), "fast": costs_fast.tolist(),
              "slow": costs_slow.tolist(), "w": w_fast.tolist(), "b": float(b_fast),
              "accuracy": float(accuracy)},
}))
"""


@pytest.fixture(scope="module")
def lesson(tmp_path_factory):
    """The notebook executed once in a fresh kernel (with RESULTS appended): (notebook, results,
    stdout, seconds)."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(RESULTS))
    path = tmp_path_factory.mktemp("w3l3") / NOTEBOOK.name
    nbformat.write(nb, path)
    start = time.perf_counter()
    nb = execute_notebook(path)
    seconds = time.perf_counter() - start
    stdout = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
                     if o.output_type == "stream" and o.name == "stdout")
    line = next(li for li in stdout.splitlines() if li.startswith("RESULTS "))
    return nb, json.loads(line.removeprefix("RESULTS ")), stdout, seconds


def test_notebook_is_stored_clean_and_follows_the_your_turn_pattern():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert not any("course_utils.reference" in c.source for c in code)
    sources = [c.source for c in nb.cells]
    stub = next(i for i, s in enumerate(sources) if "raise NotImplementedError()" in s)
    assert sources[stub].startswith("def gradients(w, b, X, y):")
    assert nb.cells[stub + 1].source == "_ = check_gradients(gradients)"
    assert nb.cells[stub + 2].cell_type == "markdown"
    assert nb.cells[stub + 2].source.startswith("One possible answer")
    assert sources[stub + 3].startswith("def gradients(w, b, X, y):")
    assert "propagate" not in "".join(sources)  # the next notebook's graded exercise
    assert nb.cells[0].source.startswith("# Week 3, lesson 3: logistic regression, derived")


@pytest.mark.notebook
def test_notebook_runs_top_to_bottom_with_its_figures_and_checks(lesson):
    nb, _, stdout, seconds = lesson
    assert seconds < TIME_LIMIT_S, f"took {seconds:.0f} s"
    images = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
                 for o in c.outputs)
    assert images == 3  # the graph, the cost curves, the decision boundary
    # the check first reports the stub as not written (without stopping the notebook), then passes
    assert "\N{HEAVY BALLOT X} gradients is not written yet" in stdout
    assert "\N{HEAVY CHECK MARK} gradients: all 4 cases passed." in stdout


@pytest.mark.notebook
def test_notebook_gives_the_course_numbers(lesson):
    _, r, stdout, _ = lesson
    c = r["course"]
    np.testing.assert_allclose(c["dw"], COURSE_DW, atol=5e-9)
    assert c["db"] == pytest.approx(COURSE_DB, abs=5e-9)
    assert c["cost"] == pytest.approx(COURSE_COST, abs=5e-9)
    # the loop and the vectorised version give the same numbers
    np.testing.assert_allclose(c["loop_dw"], c["dw"], rtol=1e-12)
    assert c["loop_db"] == pytest.approx(c["db"], rel=1e-12)
    assert "J      = 5.80154532" in stdout
    assert "dw = [0.99845601 2.39507239]  db = 0.00145557813678" in stdout
    # "confidently wrong twice, at a loss of about 12 and 5.4"; the first example nearly free
    losses = r["losses"]
    assert losses[0] < 1e-3 and round(losses[1]) == 12 and round(losses[2], 1) == 5.4
    assert np.mean(losses) == pytest.approx(COURSE_COST, abs=5e-9)


@pytest.mark.notebook
def test_sympy_and_the_third_example(lesson):
    _, r, stdout, _ = lesson
    assert r["sympy"] == "a - y" and r["dL_da"] == "(1 - y)/(1 - a) - y/a"
    assert "dL/da * a(1-a)  = a - y" in stdout
    t = r["third"]
    a3 = 1 / (1 + math.exp(5.4))  # z = -1·1 + (-3.2)·2 + 2 = -5.4, y = 1
    assert t["z"] == pytest.approx(-5.4) and t["a"] == pytest.approx(a3, rel=1e-12)
    assert t["L"] == pytest.approx(-math.log(a3), rel=1e-12)
    # "dL/da ≈ −222 is huge, ... a(1 − a) ≈ 0.0045 ... dz = a − y ≈ −1"
    assert t["da"] == pytest.approx(-1 / a3, rel=1e-12) and round(t["da"]) == -222
    assert t["dz"] == pytest.approx(a3 - 1, rel=1e-12) and round(t["dz"], 2) == -1.0
    np.testing.assert_allclose(t["dw"], [-1 * (a3 - 1), -3.2 * (a3 - 1)], rtol=1e-12)
    # "a step lowers w_1 and w_2 and raises b, which raises z for this x"
    assert all(g > 0 for g in t["dw"]) and t["db"] < 0
    w_new, b_new = np.array([1.0, 2.0]) - 0.1 * np.array(t["dw"]), 2.0 - 0.1 * t["db"]
    assert np.array([-1.0, -3.2]) @ w_new + b_new > t["z"]
    assert "dL/da = -222.406, dz = -0.995504, dw = [0.995504 3.185612], db = -0.995504" in stdout


@pytest.mark.notebook
def test_vectorised_is_many_times_faster(lesson):
    _, r, _, _ = lesson
    # "The same gradient, many times faster" (hundreds of times on a quiet machine)
    assert r["speedup"] > 20, r["speedup"]


def _stable_cost(w, b, X, y):
    """J computed without log(1 − a): log(1 + e^{±z}) via logaddexp (exact where a is near 1)."""
    z = X @ w + b
    return np.mean(y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z))


@pytest.mark.notebook
def test_finite_differences_agree_and_the_sweep_matches_the_prose(lesson):
    _, r, stdout, _ = lesson
    fd = r["fd"]
    # an independent estimate: the stable cost, differentiated by central differences here
    X, y, w, b = np.array([[1.0, 3.0], [2.0, 4.0], [-1.0, -3.2]]), np.array([1.0, 0.0, 1.0]), \
        np.array([1.0, 2.0]), 2.0
    eps = 1e-5
    mine = [(_stable_cost(w + eps * e, b, X, y) - _stable_cost(w - eps * e, b, X, y)) / (2 * eps)
            for e in np.eye(2)]
    mine.append((_stable_cost(w, b + eps, X, y) - _stable_cost(w, b - eps, X, y)) / (2 * eps))
    np.testing.assert_allclose(mine, [*COURSE_DW, COURSE_DB], atol=1e-8)
    np.testing.assert_allclose([*fd["dw"], fd["db"]], mine, atol=1e-7)
    # "relative difference < 1e-7", "they agree to about eight digits"
    assert 1e-9 < fd["difference"] < 1e-8
    assert f"relative difference: {fd['difference']:.1e}" in stdout
    # the sweep: 1e-3 and 1e-4 pass easily; 1e-2 (the chord), 1e-6 and 1e-7 (rounding) fail
    sweep = fd["sweep"]
    assert list(sweep) == ["1e-02", "1e-03", "1e-04", "1e-05", "1e-06", "1e-07"]
    assert sweep["1e-03"] < 1e-8 and sweep["1e-04"] < 1e-8
    assert sweep["1e-02"] > 1e-7 and sweep["1e-06"] > 1e-7 and sweep["1e-07"] > 1e-7
    # rounding grows as eps shrinks; the chord's error shrinks like eps² (100× per decade)
    assert sweep["1e-07"] > sweep["1e-06"] > sweep["1e-05"] > sweep["1e-04"]
    assert sweep["1e-02"] / sweep["1e-03"] == pytest.approx(100, rel=0.25)
    # "(3 − 1)/(3 + 1) = 0.5" without 1/m
    assert fd["without_mean"] == pytest.approx(0.5, abs=1e-8)
    assert "relative difference without 1/m: 0.50" in stdout


@pytest.mark.notebook
def test_gradient_tape_and_one_fit_step_meet_the_hand_computation(lesson):
    _, r, stdout, _ = lesson
    tape = r["tape"]
    assert tape["dtype"] == "float64"
    np.testing.assert_allclose(tape["dw"], r["course"]["dw"], rtol=1e-12)
    assert tape["db"] == pytest.approx(r["course"]["db"], rel=1e-9)
    assert tape["J"] == pytest.approx(COURSE_COST, abs=5e-9)
    fit = r["fit"]
    alpha = fit["alpha"]
    assert alpha == 0.5 and fit["dtype"] == "float64"
    # one fit step = one hand step, from the course's numbers
    np.testing.assert_allclose(fit["w"], np.array([1.0, 2.0]) - alpha * np.array(COURSE_DW), atol=1e-8)
    assert fit["b"] == pytest.approx(2.0 - alpha * COURSE_DB, abs=1e-8)
    np.testing.assert_allclose(fit["w"], np.array([1.0, 2.0]) - alpha * np.array(r["course"]["dw"]),
                               rtol=1e-12)
    # "the loss fit reported is J before the step"
    assert fit["loss"] == pytest.approx(COURSE_COST, abs=5e-9)
    assert "loss fit reported: 5.80154532 (J before the step)" in stdout
    # "in float32 the differences would be around 1e-8 instead of 1e-16"
    assert fit["dtype32"] == "float32" and 1e-10 < fit["float32_gap"] < 1e-6, fit
    gap = next(li for li in stdout.splitlines() if li.startswith("largest difference:"))
    assert float(gap.split(":")[1]) < 1e-14


@pytest.mark.notebook
def test_hand_training_loop_matches_the_prose_and_scikit_learn(lesson):
    from sklearn.linear_model import LogisticRegression

    _, r, stdout, _ = lesson
    t = r["train"]
    X, y = np.array(t["X"]), np.array(t["y"])
    fast, slow = np.array(t["fast"]), np.array(t["slow"])
    assert X.shape == (200, 2) and len(fast) == len(slow) == 301
    # "label 1 for the cloud on the upper right"
    assert (X[y == 1].mean(axis=0) > X[y == 0].mean(axis=0)).all()
    # "both start at log 2 ≈ 0.6931" and "fall at every single iteration"
    assert fast[0] == pytest.approx(math.log(2), rel=1e-12) and slow[0] == fast[0]
    assert (np.diff(fast) < 0).all() and (np.diff(slow) < 0).all()
    # "α = 1 levels off at about 0.148 within 100 iterations"
    assert round(fast[-1], 3) == 0.148 and fast[100] - fast[-1] < 1e-3
    # "with α = 0.1 ... after 300 iterations the cost is still falling" (and well above α = 1's)
    assert slow[-2] - slow[-1] > 1e-6 and slow[-1] - fast[-1] > 3e-3
    # an independent fit of the same data: scikit-learn's unregularised logistic regression
    sk = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(t["w"], sk.coef_[0], atol=2e-3)
    assert t["b"] == pytest.approx(sk.intercept_[0], abs=2e-3)
    sk_cost = _stable_cost(sk.coef_[0], sk.intercept_[0], X, y)
    assert fast[-1] - sk_cost < 1e-6
    # the accuracy printed: 93.0%, 14 of 200 on the wrong side, as scikit-learn's
    assert t["accuracy"] == pytest.approx(0.93) == sk.score(X, y)
    assert "training accuracy: 93.0% (14 of 200 points on the wrong side)" in stdout


FLOATX_ONLY = """
import json
import keras
import numpy as np
w, b, alpha = np.array([1.0, 2.0]), 2.0, 0.5
X, y = np.array([[1.0, 3.0], [2.0, 4.0], [-1.0, -3.2]]), np.array([1.0, 0.0, 1.0])
a = 1 / (1 + np.exp(-(X @ w + b)))
w_hand = w - alpha * X.T @ (a - y) / 3
def one_step():
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, activation="sigmoid")])
    model.layers[0].set_weights([w.reshape(2, 1), np.array([b])])
    model.compile(loss=keras.losses.BinaryCrossentropy(),
                  optimizer=keras.optimizers.SGD(learning_rate=alpha))
    model.fit(X, y, batch_size=3, epochs=1, shuffle=False, verbose=0)
    return model.layers[0].dtype_policy.name, float(np.abs(model.layers[0].get_weights()[0][:, 0] - w_hand).max())
keras.config.set_floatx("float64")
first = one_step()
keras.config.set_floatx("float32")   # floatx only, not the dtype policy
print(json.dumps([first, one_step()]))
"""


def test_resetting_floatx_alone_leaves_layers_in_float64():
    """The notebook's comment on why it resets the dtype policy too (a fresh process: Keras makes
    its global dtype policy from floatx once, when the first layer is built, and keeps it)."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    out = subprocess.run([sys.executable, "-c", FLOATX_ONLY], capture_output=True, text=True,
                         env=env, timeout=300, check=True).stdout
    (policy64, gap64), (policy_after, gap_after) = json.loads(out.strip().splitlines()[-1])
    assert policy64 == "float64" and gap64 < 1e-14
    # still a float64 layer, but now with a float32 loss: far from the hand step (1 − a for
    # a ≈ 0.999994 keeps few digits in float32), worse than a clean float32 run's ~1e-8
    assert policy_after == "float64" and gap_after > 1e-5

