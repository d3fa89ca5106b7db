"""Week 5, lesson 3 (regularisation in practice): the notebook reads as a lesson and runs top to
bottom in a fresh kernel; its L2 gradients are checked against finite differences of a cost written
here and against week 4's reference blocks plus (λ/m) W; every claim its prose makes about a run,
about Keras's L2 factor and about dropout is pinned; the instant check names each typical mistake;
the plot helpers draw what they say.
"""

from __future__ import annotations

import math
import re

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from sklearn.datasets import make_moons

from conftest import (
    NOTEBOOKS,
    assert_reads_as_a_lesson,
    assert_your_turn_cells,
    execute_with_results,
    fill_your_turns,
    markdown_text,
    printed,
)
from course_utils.checks import check_l2_penalty
from course_utils.checks.week5.regularisation import CASES, MISTAKES
from course_utils.plots.week5.regularisation import plot_lambda_sweep, plot_weight_sizes
from course_utils.reference.deep import model_backward, model_forward

LESSON = NOTEBOOKS / "week5" / "03_regularisation.ipynb"
YOUR_TURN = [("l2_penalty", "check_l2_penalty")]
#: What week 5's graded assignment asks learners to write: the lesson must not hand it out.
WEEK5_GRADED = ["split_data", "classification_error", "diagnose", "choose_lambda",
                "build_transfer_model"]
#: TensorFlow's import alone takes 5-17 s on the shared machine; the run is about 22 s there.
TIME_LIMIT_S = 180  # a runaway bound only: speed is benchmarks/notebooks.py's job
LN2 = math.log(2)
LAMBDAS = [0, 0.01, 0.03, 0.1, 0.3, 1, 3, 10]


def _code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


# ---- structure: cheap, no kernel ---------------------------------------------------------------

def test_lesson_reads_as_a_lesson_with_one_your_turn():
    nb = nbformat.read(LESSON, as_version=4)
    assert_reads_as_a_lesson(nb, "# Week 5, lesson 3 — Regularisation in practice")
    assert_your_turn_cells(nb, YOUR_TURN)
    text = markdown_text(nb)
    for heading in ["## 1. An over-fitting set-up", "## 2. The L2 penalty",
                    "## 3. The gradient term", "## 4. Training for several values",
                    "## 5. Choosing $\\lambda$ on the cross-validation set",
                    "## 6. The same penalty in Keras", "## 7. Dropout, in one cell", "## Summary"]:
        assert heading in text, heading
    # the notes' formulas: the cost term and the gradient term, and Keras's factor
    assert "\\frac{\\lambda}{2m} \\sum_{l=1}^{L} \\big\\|W^{[l]}\\big\\|_F^2" in text
    assert "\\frac{\\lambda}{m} W^{[l]}" in text and "\\text{l2} = \\frac{\\lambda}{2m}" in text
    assert "kernel_regularizer" in text and "not** penalised" in text


def test_lesson_hands_out_no_graded_answer_and_mentions_dropout_in_one_cell():
    nb = nbformat.read(LESSON, as_version=4)
    source = "\n".join(c.source for c in _code(nb))
    assert "course_utils.reference" not in source
    for name in WEEK5_GRADED:
        assert not re.search(rf"\bdef {name}\(", source), name
    assert not [c for c in _code(nb) if "raises-exception" in c.metadata.get("tags", [])]
    # "dropout mentioned in one cell, no more": one code cell, after the one markdown cell on it
    dropout_code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "Dropout" in c.source]
    dropout_text = [i for i, c in enumerate(nb.cells)
                    if c.cell_type == "markdown" and "dropout" in c.source.lower()
                    and "## Summary" not in c.source and not c.source.startswith("# Week 5")]
    assert len(dropout_code) == 1 and dropout_text == [dropout_code[0] - 1]
    # every training is seeded: the NumPy runs by init_params(seed=...), Keras by set_seed
    assert "set_seed(0)" in source and "default_rng(seed)" in source


# ---- the notebook, executed --------------------------------------------------------------------

RESULTS = """
import json as _json
def _p(params):
    return [[np.asarray(W).tolist(), np.asarray(b).tolist()] for W, b in params]
print("RESULTS " + _json.dumps({
    "lambdas": lambdas, "j_train": j_train.tolist(), "j_cv": j_cv.tolist(),
    "weight_sizes": weight_sizes.tolist(), "runs": {f"{k:g}": _p(p) for k, p in runs.items()},
    "best": best, "keras_loss": float(keras_loss), "numpy_cost": numpy_cost,
    "small": _p(small), "small_grads": _p(gradients(small, X_small, Y_small, lambd_small)),
    "with_term": with_term, "without_term": without_term,
    "one_step": _p(train(X_small, Y_small, [2, 3, 2, 1], 0.7, alpha=1.0, iterations=1, seed=1)),
}))
"""


@pytest.fixture(scope="module")
def lesson(tmp_path_factory):
    """The lesson as stored (with its stub), executed once for the tests below."""
    nb = nbformat.read(LESSON, as_version=4)
    return execute_with_results(nb, LESSON.name, tmp_path_factory.mktemp("w5l3"), RESULTS)


def _data():
    """The lesson's three sets, rebuilt here."""
    X, y = make_moons(n_samples=460, noise=0.3, random_state=0)
    Y = y.reshape(-1, 1).astype(float)
    return (X[:60], Y[:60]), (X[60:260], Y[60:260]), (X[260:], Y[260:])


def _params(pairs):
    return [(np.array(W), np.array(b)) for W, b in pairs]


def _output(pairs, X):
    """The network's output (m, 1), written again here: ReLU hidden layers, sigmoid output."""
    params = _params(pairs)
    A = X
    for k, (W, b) in enumerate(params, start=1):
        Z = A @ W + b
        A = 1 / (1 + np.exp(-Z)) if k == len(params) else np.maximum(0, Z)
    return A


def _cost(params, X, Y, lambd):
    """The notes' regularised cost, written here: mean cross-entropy + λ/2m Σ‖W‖²."""
    params = _params(params)
    A = np.clip(_output(params, X), 1e-15, 1 - 1e-15)
    ce = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    return float(ce + lambd / (2 * len(X)) * sum(np.sum(W ** 2) for W, _ in params))


@pytest.mark.notebook
def test_stored_lesson_runs_and_its_check_says_not_written_yet(lesson):
    nb, r, elapsed = lesson
    assert elapsed < TIME_LIMIT_S, f"{elapsed:.1f} s"
    out = printed(nb)
    assert ("\N{HEAVY BALLOT X} l2_penalty: not written yet: replace `raise NotImplementedError()` "
            "by your code.") in out
    images = sum("image/png" in o.get("data", {}) for c in _code(nb) for o in c.outputs)
    assert images == 2
    assert "training (60, 2), cross-validation (200, 2), test (200, 2)" in out
    # "[2, 32, 32, 1], that is ... 1,185 parameters"
    assert sum(W.size + b.size for W, b in _params(r["runs"]["0"])) == 1185
    assert [W.shape for W, _ in _params(r["runs"]["0"])] == [(2, 32), (32, 32), (32, 1)]


@pytest.mark.notebook
def test_filled_with_its_answer_the_check_passes(tmp_path):
    nb = fill_your_turns(nbformat.read(LESSON, as_version=4), ["l2_penalty"])
    nb, _, _ = execute_with_results(nb, LESSON.name, tmp_path, 'print("RESULTS {}")')
    out = printed(nb)
    assert "\N{HEAVY BALLOT X}" not in out
    assert "\N{HEAVY CHECK MARK} l2_penalty: all 3 cases passed." in out


@pytest.mark.notebook
def test_gradients_agree_with_finite_differences_and_the_reference_blocks(lesson):
    nb, r, _ = lesson
    (X_train, Y_train), _, _ = _data()
    X, Y, lambd = X_train[:8], Y_train[:8], 0.7
    small = _params(r["small"])
    eps = 1e-6
    for (W, b), (dW, db) in zip(small, _params(r["small_grads"])):
        for array, grad in ((W, dW), (b, db)):
            for idx in np.ndindex(array.shape):
                saved = array[idx]
                array[idx] = saved + eps
                up = _cost(small, X, Y, lambd)
                array[idx] = saved - eps
                down = _cost(small, X, Y, lambd)
                array[idx] = saved
                assert grad[idx] == pytest.approx((up - down) / (2 * eps), rel=1e-5, abs=1e-8)
    # one step of train with α = 1 moves every parameter by minus that gradient
    start = [(W, np.zeros_like(b)) for W, b in small]  # train starts from init_params: zero biases
    AL, caches = model_forward(X, {f"{k}{i}": v for i, (W, b) in enumerate(start, 1)
                                   for k, v in (("W", W), ("b", b))})
    grads = model_backward(AL, Y, caches)
    for layer, ((W0, b0), (W1, b1)) in enumerate(zip(start, _params(r["one_step"])), 1):
        # week 4's reference backward pass, plus the L2 term (λ/m) W on the weights only
        np.testing.assert_allclose(W0 - W1, grads[f"dW{layer}"] + lambd / 8 * W0, rtol=1e-9,
                                   atol=1e-12)
        np.testing.assert_allclose(b0 - b1, grads[f"db{layer}"], rtol=1e-9, atol=1e-12)
    # "agree to about 7 significant digits; without it, a difference of about 0.3"
    assert r["with_term"] < 1e-7 and round(r["without_term"], 1) == 0.3
    out = printed(nb)
    assert f"with the (λ/m) W term: {r['with_term']:.1e}; without it: 0.34" in out


@pytest.mark.notebook
def test_sweep_claims(lesson):
    nb, r, _ = lesson
    (X_train, Y_train), (X_cv, Y_cv), _ = _data()
    assert r["lambdas"] == LAMBDAS
    j_train, j_cv, sizes = (np.array(r[k]) for k in ("j_train", "j_cv", "weight_sizes"))
    runs = {lam: r["runs"][f"{lam:g}"] for lam in LAMBDAS}
    # the costs are the plain cross-entropy (no penalty), recomputed here from the weights
    for k, lam in enumerate(LAMBDAS):
        assert _cost(runs[lam], X_train, Y_train, 0) == pytest.approx(j_train[k], rel=1e-6)
        assert _cost(runs[lam], X_cv, Y_cv, 0) == pytest.approx(j_cv[k], rel=1e-6)
        assert sum(np.sum(W ** 2) for W, _ in _params(runs[lam])) == pytest.approx(sizes[k])
    # "λ = 0: J_train almost 0 (0.008) but J_cv 0.95, over a hundred times larger; 256"
    assert round(j_train[0], 3) == 0.008 and round(j_cv[0], 2) == 0.95 and j_cv[0] / j_train[0] > 100
    assert round(sizes[0]) == 256
    # "the weights shrink (256 -> 85 at λ = 0.1 -> 24 at λ = 1) and J_train rises, every step"
    assert np.all(np.diff(sizes) < 0) and np.all(np.diff(j_train) > 0)
    assert round(sizes[LAMBDAS.index(0.1)]) == 85 and round(sizes[LAMBDAS.index(1)]) == 24
    # "J_cv falls at first, to its lowest, 0.25, at λ = 1; past that it rises again"
    best = int(np.argmin(j_cv))
    assert LAMBDAS[best] == 1 == r["best"] and round(j_cv[best], 2) == 0.25
    assert np.all(np.diff(j_cv[:best + 1]) < 0) and np.all(np.diff(j_cv[best:]) > 0)
    # "at λ = 10 the weights are crushed to almost 0 and both costs sit at about ln 2"
    assert sizes[-1] < 0.005 and abs(j_train[-1] - LN2) < 0.01 and abs(j_cv[-1] - LN2) < 0.01
    out = printed(nb)
    assert "λ =    0:  J_train 0.008   J_cv 0.952   sum of W²  255.64" in out
    assert "λ =    1:  J_train 0.196   J_cv 0.253   sum of W²   23.53" in out


@pytest.mark.notebook
def test_boundary_claims(lesson):
    _, r, _ = lesson
    (X_train, Y_train), _, _ = _data()
    runs = {lam: r["runs"][f"{lam:g}"] for lam in (0, 1, 10)}
    # "with λ = 0 ... every training point on its side"
    assert np.all((_output(runs[0], X_train) >= 0.5) == (Y_train == 1))
    # "with λ = 1 ... leaves the points in the overlap to be wrong"
    assert 0.85 < np.mean((_output(runs[1], X_train) >= 0.5) == (Y_train == 1)) < 1
    # "with λ = 10 ... the network predicts class 1 everywhere" (the figure's whole grid)
    grid = np.stack(np.meshgrid(np.linspace(-2, 3.5, 60), np.linspace(-1.5, 2, 60)), -1).reshape(-1, 2)
    assert np.all(_output(runs[10], grid) > 0.5) and Y_train.mean() > 0.5


@pytest.mark.notebook
def test_test_set_and_keras_claims(lesson):
    nb, r, _ = lesson
    _, _, (X_test, Y_test) = _data()
    chosen = r["runs"]["1"]
    out = printed(nb)
    # "J_test (0.26) is close to J_cv (0.25), and 89.5% of the test points are classified right"
    assert round(_cost(chosen, X_test, Y_test, 0), 2) == 0.26
    assert np.mean((_output(chosen, X_test) >= 0.5) == (Y_test == 1)) == 0.895
    assert "λ chosen on the cross-validation set: 1 (J_cv 0.253)" in out
    assert "test set, once: J_test 0.262, accuracy 0.895" in out
    # the copied weights: Keras's loss is the NumPy cost J, penalty included
    (X_train, Y_train), _, _ = _data()
    assert r["numpy_cost"] == pytest.approx(_cost(chosen, X_train, Y_train, 1.0), rel=1e-9)
    assert r["keras_loss"] == pytest.approx(r["numpy_cost"], rel=1e-5)
    # Keras trained with l2 = 1/120: "J_cv 0.25 (NumPy: 0.253), a sum of squared weights of 23
    # (NumPy: 23.5), far from the 256 of the unregularised network"
    found = re.findall(r"Keras, λ = 1: J_train (\S+), J_cv (\S+), sum of W² (\S+)\n", out)
    assert len(found) == 1
    _, cv, size = map(float, found[0])
    assert round(cv, 2) == 0.25 and round(size) == 23


# ---- what the lesson says about Keras, in the installed version -----------------------------

def test_keras_l2_adds_l2_times_sum_of_squares_to_the_mean_loss():
    import keras

    keras.utils.set_random_seed(3)
    l2 = 0.05
    model = keras.Sequential([
        keras.Input(shape=(2,)),
        keras.layers.Dense(4, activation="relu", kernel_regularizer=keras.regularizers.L2(l2)),
        keras.layers.Dense(1, activation="sigmoid", kernel_regularizer=keras.regularizers.L2(l2)),
    ])
    model.compile(loss=keras.losses.BinaryCrossentropy())
    X = np.random.default_rng(0).normal(size=(10, 2)).astype("float32")
    Y = (X[:, :1] > 0).astype("float32")
    weights = model.get_weights()
    A = np.maximum(0, X @ weights[0] + weights[1])
    P = 1 / (1 + np.exp(-(A @ weights[2] + weights[3])))
    mean_ce = -np.mean(Y * np.log(P) + (1 - Y) * np.log(1 - P))
    penalty = l2 * (np.sum(weights[0] ** 2) + np.sum(weights[2] ** 2))  # kernels only
    assert model.evaluate(X, Y, batch_size=10, verbose=0) == pytest.approx(mean_ce + penalty,
                                                                            rel=1e-5)
    assert float(sum(model.losses)) == pytest.approx(penalty, rel=1e-5)
    # and the same with two batches of 5: each batch is a mean plus the whole penalty
    assert model.evaluate(X, Y, batch_size=5, verbose=0) == pytest.approx(mean_ce + penalty,
                                                                           rel=1e-5)


def test_keras_dropout_zeroes_and_rescales_in_training_only():
    import keras

    ones = np.ones((50, 40), dtype="float32")
    layer = keras.layers.Dropout(rate=0.5, seed=0)
    trained = np.asarray(layer(ones, training=True))
    assert set(np.unique(trained)) == {0.0, 2.0}          # dropped, or scaled by 1 / (1 - 0.5)
    assert 0.45 < np.mean(trained == 0) < 0.55
    assert np.array_equal(np.asarray(layer(ones, training=False)), ones)
    # predict runs the layer at test time: nothing dropped, nothing scaled
    model = keras.Sequential([keras.Input(shape=(40,)), keras.layers.Dropout(0.5, seed=0)])
    assert np.array_equal(model.predict(ones, verbose=0), ones)


# ---- the instant check -------------------------------------------------------------------------

def _squares(params):
    return sum(np.sum(W ** 2) for W, _ in params)


def _right(params, lambd, m):
    return lambd / (2 * m) * _squares(params)


#: Each typical mistake, written as the mistaken code would compute it.
WRONG = {
    "lambda_over_m": lambda ps, lam, m: lam / m * _squares(ps),
    "no_m": lambda ps, lam, m: lam / 2 * _squares(ps),
    "biases_included": lambda ps, lam, m: lam / (2 * m) * sum(np.sum(W ** 2) + np.sum(b ** 2)
                                                              for W, b in ps),
    "norm_not_squared": lambda ps, lam, m: lam / (2 * m) * sum(np.linalg.norm(W) for W, _ in ps),
    "no_square": lambda ps, lam, m: lam / (2 * m) * sum(np.sum(W) for W, _ in ps),
    "absolute_values": lambda ps, lam, m: lam / (2 * m) * sum(np.sum(np.abs(W)) for W, _ in ps),
    "mean_not_sum": lambda ps, lam, m: lam / (2 * m) * sum(np.mean(W ** 2) for W, _ in ps),
    "square_of_sum": lambda ps, lam, m: lam / (2 * m) * sum(np.sum(W) ** 2 for W, _ in ps),
    "norms_summed_then_squared": lambda ps, lam, m: lam / (2 * m) * sum(
        np.linalg.norm(W) for W, _ in ps) ** 2,
    "last_layer_only": lambda ps, lam, m: lam / (2 * m) * np.sum(ps[-1][0] ** 2),
    "last_layer_missing": lambda ps, lam, m: lam / (2 * m) * _squares(ps[:-1]),
}


def test_stored_numbers_are_what_the_formula_and_the_mistakes_give():
    assert set(WRONG) == set(MISTAKES)
    for case in CASES:
        params = case.arrays()
        assert case.expected == pytest.approx(_right(params, case.lambd, case.m), rel=1e-12)
        assert set(case.mistakes) == set(MISTAKES)
        for key, f in WRONG.items():
            assert case.mistakes[key] == pytest.approx(f(params, case.lambd, case.m), rel=1e-8), key
        # on every case, each mistake gives its own number, none of them the right one
        numbers = [case.expected, *case.mistakes.values()]
        assert len({round(v, 6) for v in numbers}) == len(numbers)
        assert len(params) >= 2 and any(np.any(b != 0) for _, b in params)


@pytest.mark.parametrize("key", sorted(WRONG))
def test_each_mistake_is_named(key, capsys):
    assert check_l2_penalty(WRONG[key]) is False
    out = capsys.readouterr().out
    assert MISTAKES[key] in out and "case 1 of 3 failed" in out


def test_right_answers_pass_in_several_forms(capsys):
    assert check_l2_penalty(_right)
    assert check_l2_penalty(lambda ps, lam, m: np.float32(_right(ps, lam, m)).item())
    assert check_l2_penalty(lambda ps, lam, m: lam / 2 / m * sum(np.linalg.norm(W) ** 2
                                                                  for W, _ in ps))
    assert check_l2_penalty(lambda ps, lam, m: np.array(_right(ps, lam, m)))
    assert "\N{HEAVY CHECK MARK} l2_penalty: all 3 cases passed." in capsys.readouterr().out


def test_other_failures_are_explained(capsys):
    def stub(ps, lam, m):
        raise NotImplementedError()

    def squares_in_place(ps, lam, m):
        for W, _ in ps:
            W **= 2
        return lam / (2 * m) * sum(np.sum(W) for W, _ in ps)

    expectations = [
        (stub, "not written yet"),
        (squares_in_place, "the weights are edited in place"),
        (lambda ps, lam, m: [lam / (2 * m) * np.sum(W ** 2) for W, _ in ps], "return ONE number"),
        (lambda ps, lam, m: None, "no `return` statement"),
        (lambda ps, lam, m: _right(ps, lam, m) + 1, "‖W1‖² = 1 + 4 + 0 + 9 = 14"),
        (lambda ps, lam, m: ps[5], "an exception, IndexError"),
        (lambda ps, lam, m: "2.7", "return a number"),
    ]
    for func, text in expectations:
        assert check_l2_penalty(func) is False
        assert text in capsys.readouterr().out, text
    assert check_l2_penalty(2.7) is False
    assert "needs the function itself" in capsys.readouterr().out


# ---- the plot helpers --------------------------------------------------------------------------

def test_plot_lambda_sweep_draws_both_costs_and_marks_the_lowest_cv(tmp_path):
    j_train, j_cv = [0.01, 0.05, 0.2, 0.7], [0.9, 0.4, 0.25, 0.7]
    ax = plot_lambda_sweep([0, 0.1, 1, 10], j_train, j_cv)
    train, cv = ax.lines[:2]
    np.testing.assert_allclose(train.get_ydata(), j_train)
    np.testing.assert_allclose(cv.get_ydata(), j_cv)
    np.testing.assert_allclose(cv.get_xdata(), [0, 1, 2, 3])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "0.1", "1", "10"]
    vertical = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert len(vertical) == 1 and list(vertical[0].get_xdata()) == [2, 2]
    assert any(t.get_text() == "lowest $J_{cv}$: λ = 1" for t in ax.texts)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["$J_{train}$", "$J_{cv}$"]
    assert ax.get_ylim()[1] > 0.9
    ax.figure.savefig(tmp_path / "sweep.png")
    assert (tmp_path / "sweep.png").stat().st_size > 5_000
    with pytest.raises(ValueError, match=r"j_cv has shape \(3,\).*\(4,\)"):
        plot_lambda_sweep([0, 0.1, 1, 10], j_train, j_cv[:3])
    plt.close("all")


def test_plot_weight_sizes_draws_one_labelled_bar_per_lambda(tmp_path):
    fig, ax = plt.subplots()
    assert plot_weight_sizes([0, 1, 10], [256.0, 23.5, 1e-4], ax=ax) is ax
    np.testing.assert_allclose([p.get_height() for p in ax.patches], [256.0, 23.5, 1e-4])
    assert [t.get_text() for t in ax.texts] == ["256", "23.5", "≈ 0"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1", "10"]
    fig.savefig(tmp_path / "sizes.png")
    with pytest.raises(ValueError, match="squared_norms"):
        plot_weight_sizes([0, 1], [1.0, 2.0, 3.0])
    plt.close("all")
