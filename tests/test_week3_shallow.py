"""Week 3, lesson 5 (a shallow network): the petals data, the instant check of ``tanh_prime``, the
plot helpers, and the notebook, executed in a fresh kernel, with every number its prose states.

The notebook's own code is checked against independent values: its derivatives against finite
differences of NumPy's functions, its backward pass against finite differences of a cost written
here in the notes' COLUMN convention, its accuracies against a forward pass written here, its
training against a second implementation (columns again), and logistic regression against
scikit-learn and against the best of all straight lines.
"""

from __future__ import annotations

import json
import re
import time

import claims
import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest

from conftest import (
    NOTEBOOKS,
    assert_reads_as_a_lesson,
    assert_your_turn_cells,
    execute_notebook,
    fill_your_turns,
)
from course_utils.checks import check_tanh_prime
from course_utils.checks.core.verdict import MISTAKES
from course_utils.data import load_petals
from course_utils.plots.week3.shallow_network import plot_activations

NB = NOTEBOOKS / "week3" / "05_shallow_network.ipynb"
#: The graded notebook (06) asks for these: the lesson must not hand them out under these names.
GRADED_NAMES = ["initialize_parameters", "forward_propagation", "compute_cost",
                "backward_propagation", "update_parameters", "nn_model", "predict_nn"]
# A NumPy-only lesson: a few seconds on a quiet machine; the bound leaves room for a loaded runner.
TIME_LIMIT_S = 180  # a runaway bound only: speed is benchmarks/notebooks.py's job


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _split():
    """The lesson's data and split (X_train, X_test, y_train, y_test), rebuilt here: half of each
    class, drawn with a generator seeded with 0, is the test set."""
    X, y = load_petals(m=400, noise=0.2, seed=1)
    rng = np.random.default_rng(0)
    test = np.concatenate([rng.permutation(np.flatnonzero(y == k))[:100] for k in (0, 1)])
    train = np.setdiff1d(np.arange(len(y)), test)
    return X[train], X[test], y[train], y[test]


def _best_line_accuracy(X, y, angles: int = 720) -> float:
    """The highest accuracy of ANY straight-line classifier on (X, y): for each direction, every
    threshold between projected points, both orientations (brute force, no training)."""
    best = 0.0
    for theta in np.linspace(0.0, np.pi, angles, endpoint=False):
        order = np.argsort(X @ np.array([np.cos(theta), np.sin(theta)]))
        ys = y[order]
        # predicting class 1 above the k-th point: ones above plus zeros below (k = 0 .. m)
        ones_above = np.concatenate([[ys.sum()], ys.sum() - np.cumsum(ys)])
        zeros_below = np.concatenate([[0], np.cumsum(1 - ys)])
        correct = ones_above + zeros_below
        best = max(best, correct.max() / len(y), 1 - correct.min() / len(y))
    return best


# --- a second implementation, in the notes' column convention -------------------------------------
# Parameters as the notes store them: W1 (n_h, 2), b1 (n_h, 1), W2 (1, n_h), b2 (1, 1); X is (2, m).

def _to_columns(W1, b1, W2, b2):
    W1, b1, W2, b2 = (np.asarray(p, dtype=float) for p in (W1, b1, W2, b2))
    return W1.T, b1.reshape(-1, 1), W2.T, b2.reshape(1, 1)


def _column_forward(params, X):
    W1, b1, W2, b2 = params
    A1 = np.tanh(W1 @ X.T + b1)
    return A1, _sigmoid(W2 @ A1 + b2)  # (n_h, m), (1, m)


def _column_cost(params, X, y):
    A2 = _column_forward(params, X)[1][0]
    return -np.mean(y * np.log(A2) + (1 - y) * np.log(1 - A2))


def _column_gradients(params, X, y):
    W1, b1, W2, b2 = params
    m = X.shape[0]
    A1, A2 = _column_forward(params, X)
    dZ2 = A2 - y[None, :]
    dZ1 = W2.T @ dZ2 * (1 - A1**2)
    return (dZ1 @ X / m, dZ1.sum(axis=1, keepdims=True) / m,
            dZ2 @ A1.T / m, dZ2.sum(axis=1, keepdims=True) / m)


def _column_accuracy(params, X, y) -> float:
    return float(np.mean((_column_forward(params, X)[1][0] >= 0.5) == y))


# --- data -----------------------------------------------------------------------------------------

def test_petals_are_balanced_seeded_and_not_linearly_separable():
    X, y = load_petals()
    assert X.shape == (400, 2) and y.shape == (400,) and y.dtype == np.int64
    assert np.bincount(y).tolist() == [200, 200]
    assert np.abs(X).max() < 4.0 + 1.0  # within about ±radius (noise adds a little)
    X2, y2 = load_petals()
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(load_petals(seed=2)[0], X)
    # no straight line separates the classes: the best of all lines gets far from 100 %
    assert _best_line_accuracy(X, y) < 0.75
    with pytest.raises(ValueError, match="m is 5"):
        load_petals(m=5)


# --- the instant check ------------------------------------------------------------------------------

@pytest.mark.parametrize("answer", [lambda A: 1 - A**2, lambda A: 1 - A * A,
                                    lambda A: (1 - A) * (1 + A), lambda A: 1 - np.square(A)])
def test_check_accepts_right_answers(answer, capsys):
    assert check_tanh_prime(answer)
    assert capsys.readouterr().out == "\N{HEAVY CHECK MARK} tanh_prime: all 3 cases passed.\n"


@pytest.mark.parametrize(("mistake", "wrong"), [
    ("tanh_applied_again", lambda A: 1 - np.tanh(A) ** 2),
    ("no_square", lambda A: 1 - A),
    ("sigmoid_rule", lambda A: A * (1 - A)),
    ("wrong_sign", lambda A: A**2 - 1),
    ("plus_instead_of_minus", lambda A: 1 + A**2),
    ("square_only", lambda A: A**2),
])
def test_check_names_each_mistake(mistake, wrong, capsys):
    assert not check_tanh_prime(wrong)
    out = capsys.readouterr().out
    assert out.startswith('\N{HEAVY BALLOT X} tanh_prime: case 1 of 3 failed, "three activations".')
    assert f"Likely mistake: {MISTAKES[mistake]}" in out


def test_check_names_shape_and_missing_code(capsys):
    assert not check_tanh_prime(lambda A: (1 - A**2).T)  # 1-D cases pass, the batch is transposed
    out = capsys.readouterr().out
    assert "case 2 of 3 failed" in out and "the output is transposed" in out

    def tanh_prime(A):
        raise NotImplementedError()

    assert not check_tanh_prime(tanh_prime)
    assert "tanh_prime is not written yet" in capsys.readouterr().out
    assert not check_tanh_prime(lambda A: 1 - A**2 + 0.01)
    assert "None of the usual mistakes" in capsys.readouterr().out
    assert not check_tanh_prime(0.75)
    assert "needs the function itself" in capsys.readouterr().out


def test_never_called_verdict_needs_a_given_activation(capsys):
    # tanh_prime's cases give no g, so a right answer is not told "g was never called" (above);
    # a check whose cases give a g still says so when the function ignores it
    from course_utils.checks import check_dense

    assert not check_dense(lambda a, W, b, g: a @ W + b)
    assert "got:      the right numbers, but g was never called" in capsys.readouterr().out


def test_check_expected_values_are_tanhs_derivative():
    # the check's expected values against finite differences of np.tanh (not against 1 - A**2)
    from course_utils.checks.week3.shallow_network import CASES

    z = np.array([-2.0, 0.0, 2.0])
    eps = 1e-6
    numeric = (np.tanh(z + eps) - np.tanh(z - eps)) / (2 * eps)
    np.testing.assert_allclose(CASES[2].expected, numeric, atol=1e-9)
    for case in CASES[:2]:
        z = np.arctanh(np.asarray(case.args[0]))
        numeric = (np.tanh(z + eps) - np.tanh(z - eps)) / (2 * eps)
        np.testing.assert_allclose(case.expected, numeric, atol=1e-8)


# --- plot helper (the decision boundaries are course_utils.plots.planar's, tested with it) -------

def test_plot_activations_draws_each_function_and_its_derivative():
    z = np.linspace(-2, 2, 5)
    fig = plot_activations(z, {"tanh": (np.tanh(z), 1 - np.tanh(z) ** 2), "id": (z, np.ones(5))})
    assert [ax.get_title() for ax in fig.axes] == ["tanh", "id"]
    solid, dashed = fig.axes[0].lines[-2:]
    np.testing.assert_allclose(solid.get_ydata(), np.tanh(z))
    np.testing.assert_allclose(dashed.get_ydata(), 1 - np.tanh(z) ** 2)
    assert dashed.get_linestyle() == "--"
    with pytest.raises(ValueError, match=r"curves\['id'\]"):
        plot_activations(z, {"id": (z, np.ones(4))})
    with pytest.raises(ValueError, match="empty"):
        plot_activations(z, {})
    with pytest.raises(ValueError, match=r"z has shape \(1, 5\)"):
        plot_activations(z[None, :], {"id": (z, z)})
    again = plot_activations(z, {"id": (z, np.ones(5))}, fig=fig)  # redraws the given figure
    assert again is fig and [ax.get_title() for ax in fig.axes] == ["id"]
    plt.close("all")


# --- the notebook: structure (no kernel) ------------------------------------------------------------

def test_lesson_reads_as_a_lesson_and_gives_no_graded_answer_away():
    nb = nbformat.read(NB, as_version=4)
    assert_reads_as_a_lesson(nb, "# Week 3, lesson 5: a shallow network")
    code = [c for c in nb.cells if c.cell_type == "code"]
    everything = "\n".join(c.source for c in code)
    assert "course_utils.reference" not in everything
    assert "tensorflow" not in everything and "keras" not in everything
    for name in GRADED_NAMES:
        assert not re.search(rf"\b{name}\b", everything), name
    assert not [c for c in nb.cells if "raises-exception" in c.metadata.get("tags", [])]


def test_your_turn_is_stub_check_answer():
    assert_your_turn_cells(nbformat.read(NB, as_version=4), [("tanh_prime", "check_tanh_prime")])


# --- the notebook, executed --------------------------------------------------------------------------

RESULTS = """
import json
def _params(n):
    return [n.W1.tolist(), n.b1.tolist(), n.W2.tolist(), n.b2.tolist()]
print("RESULTS " + json.dumps({
    "lr": [float(lr_train), float(lr_cv)],
    "z": z.tolist(), "curves": {k: [g.tolist(), dg.tolist()] for k, (g, dg) in curves.items()},
    "check_params": _params(check_net), "check_grads": [g.tolist() for g in formulas],
    "net": [float(net_train), float(net_cv)], "net_params": _params(net),
    "zeros": _params(zeros), "same": _params(same), "randomly": _params(randomly),
    "init_acc": [float(accuracy(f(X_train), y_train)) for f in (zeros, same, randomly)],
    "scores": {str(k): list(map(float, v)) for k, v in scores.items()},
    "sweep": {str(k): _params(f) for k, f in sweep.items()},
}))
"""


def _stdout(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
                   if o.output_type == "stream" and o.name == "stdout")


def _images(nb) -> int:
    return sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
               for o in c.outputs)


def _verdicts(nb) -> list[str]:
    return re.findall(r"^(?:\N{HEAVY CHECK MARK}|\N{HEAVY BALLOT X}) .*$", _stdout(nb), flags=re.M)


def _execute(nb, folder):
    nb.cells.append(nbformat.v4.new_code_cell(RESULTS))
    path = folder / NB.name
    nbformat.write(nb, path)
    start = time.perf_counter()
    done = execute_notebook(path)
    return done, time.perf_counter() - start


@pytest.fixture(scope="module")
def lesson(tmp_path_factory):
    """The notebook as stored (the stub left in), executed once, with its results and stdout."""
    nb, elapsed = _execute(nbformat.read(NB, as_version=4), tmp_path_factory.mktemp("shallow"))
    text = _stdout(nb)
    line = next(li for li in text.splitlines() if li.startswith("RESULTS "))
    return {"nb": nb, "out": text, "r": json.loads(line.removeprefix("RESULTS ")), "s": elapsed}


test_numbers_in_prose_match_the_run = claims.test_in(NB, "lesson")

@pytest.mark.notebook
def test_stored_notebook_runs_fast_and_says_the_stub_is_not_written(lesson):
    nb = lesson["nb"]
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert errors == []
    assert lesson["s"] < TIME_LIMIT_S, f"{lesson['s']:.1f} s"
    assert _verdicts(nb) == ['\N{HEAVY BALLOT X} tanh_prime: case 1 of 3 failed, "three activations".']
    assert "tanh_prime is not written yet" in lesson["out"]
    # data, logistic regression, activations, 4 units, the sweep's grid
    assert _images(nb) == 5


@pytest.mark.notebook
def test_with_the_answer_in_the_stub_the_check_passes(tmp_path):
    done, _ = _execute(fill_your_turns(nbformat.read(NB, as_version=4), ["tanh_prime"]), tmp_path)
    assert _verdicts(done) == ["\N{HEAVY CHECK MARK} tanh_prime: all 3 cases passed."]


@pytest.mark.notebook
def test_data_and_logistic_regression_fail_as_the_prose_says(lesson):
    out, r = lesson["out"], lesson["r"]
    assert "X_train (200, 2), y_train (200,), per class [100 100]" in out
    assert "X_cv    (200, 2), y_cv    (200,), per class [100 100]" in out
    assert "logistic regression: train accuracy 53.0%, validation accuracy 54.5%" in out
    # "hardly better than guessing": 50 % is what always answering one class scores
    assert r["lr"] == [0.53, 0.545]
    # independent: scikit-learn's logistic regression (almost no regularisation) on the same split
    from sklearn.linear_model import LogisticRegression

    X_train, X_test, y_train, y_test = _split()
    sk = LogisticRegression(C=1e6).fit(X_train, y_train)
    assert sk.score(X_train, y_train) == pytest.approx(r["lr"][0], abs=0.03)
    assert sk.score(X_test, y_test) == pytest.approx(r["lr"][1], abs=0.03)
    # "even the best [line] ... classifies 72.0 % of the training points correctly", and
    # logistic regression's "is not even the best line"
    best = _best_line_accuracy(X_train, y_train)
    assert best == 0.72 and r["lr"][0] < best
    # the 1-unit network's boundary is a line too: it cannot beat the best line
    assert r["scores"]["1"][0] <= best


@pytest.mark.notebook
def test_derivatives_match_finite_differences_and_the_prose(lesson):
    r, out = lesson["r"], lesson["out"]
    z = np.array(r["z"])
    eps = 1e-6
    own = {"sigmoid": _sigmoid, "tanh": np.tanh, "ReLU": lambda v: np.maximum(0.0, v)}
    for name, g in own.items():
        value, slope = (np.array(v) for v in r["curves"][name])
        np.testing.assert_allclose(value, g(z), atol=1e-12)
        numeric = (g(z + eps) - g(z - eps)) / (2 * eps)
        keep = np.abs(z) > 2 * eps  # ReLU has no derivative at exactly 0
        np.testing.assert_allclose(slope[keep], numeric[keep], atol=1e-8)
    sig, tanh, relu = (np.array(r["curves"][k][1]) for k in ("sigmoid", "tanh", "ReLU"))
    zero = np.flatnonzero(z == 0)[0]
    # "at most 0.25, at z = 0"; "tanh's reaches 1 there, four times as steep"
    assert sig.max() == sig[zero] == 0.25 and tanh.max() == tanh[zero] == 1.0
    # "at |z| = 4 their slopes are below 0.02"
    assert max(sig[0], sig[-1], tanh[0], tanh[-1]) < 0.02
    # ReLU: "exactly 1 for every positive z and exactly 0 for negative z"
    assert set(relu[z > 0]) == {1.0} and set(relu[z < 0]) == {0.0}
    assert relu[zero] == 0.0  # "the code below uses 0 there"
    assert "sigmoid: largest slope 0.25, slope at z = 4: 0.0177" in out
    assert "   tanh: largest slope 1.00, slope at z = 4: 0.0013" in out


@pytest.mark.notebook
def test_backward_pass_matches_finite_differences_and_the_notes_column_form(lesson):
    r, out = lesson["r"], lesson["out"]
    X_train, _, y_train, _ = _split()
    params = _to_columns(*r["check_params"])
    row_grads = [np.array(g) for g in r["check_grads"]]
    assert [g.shape for g in row_grads] == [(2, 4), (4,), (4, 1), (1,)]
    # the notes' column formulas, transposed, give the lesson's row formulas
    for row, col in zip(row_grads, _column_gradients(params, X_train, y_train)):
        np.testing.assert_allclose(row.reshape(col.T.shape), col.T, rtol=1e-10, atol=1e-14)
    # and both are the derivatives of the cost (finite differences of the cost written here)
    eps = 1e-6
    for k, row in enumerate(row_grads):
        col_shape = params[k].shape
        numeric = np.zeros(col_shape)
        for i in np.ndindex(col_shape):
            up, down = [p.copy() for p in params], [p.copy() for p in params]
            up[k][i] += eps
            down[k][i] -= eps
            numeric[i] = (_column_cost(up, X_train, y_train)
                          - _column_cost(down, X_train, y_train)) / (2 * eps)
        np.testing.assert_allclose(row.reshape(numeric.T.shape), numeric.T, atol=1e-8)
        assert np.abs(row).max() > 1e-3  # scale 1: no derivative is trivially small
    # the printed table: "all are below 1e-9"
    gaps = [float(g) for g in re.findall(r"largest \|formula - finite difference\| = (\S+)", out)]
    assert len(gaps) == 4 and max(gaps) < 1e-9, gaps


@pytest.mark.notebook
def test_four_units_train_as_described(lesson):
    out, r = lesson["out"], lesson["r"]
    costs = [float(c) for c in re.findall(r"(?:start|steps): cost ([\d.]+)", out)]
    assert len(costs) == 6 and costs[0] == pytest.approx(np.log(2), abs=1e-4)  # P = 0.5 at start
    assert all(a > b for a, b in zip(costs, costs[1:]))
    # "falls fast in the first 2,000 steps and slowly after"
    assert costs[0] - costs[1] > 10 * (costs[1] - costs[-1])
    assert "4 hidden units: train accuracy 94.5%, validation accuracy 92.5%" in out
    assert r["net"] == [0.945, 0.925]
    # recomputed with the forward pass written here
    X_train, X_test, y_train, y_test = _split()
    params = _to_columns(*r["net_params"])
    assert _column_accuracy(params, X_train, y_train) == 0.945
    assert _column_accuracy(params, X_test, y_test) == 0.925


@pytest.mark.notebook
def test_equal_starts_keep_the_hidden_units_identical(lesson):
    r, out = lesson["r"], lesson["out"]
    W1, b1, W2, b2 = (np.array(p) for p in r["zeros"])
    # from zeros "nothing moves": every parameter is still exactly 0
    assert np.ptp(W1, axis=1).max() == 0.0
    assert not W1.any() and not b1.any() and not W2.any() and not b2.any()
    assert "spread 0.0, b2 = [0.], train accuracy 50.0%" in out
    # "the network answers P = 0.5 for every point"
    X_train, _, _, _ = _split()
    assert set(_column_forward(_to_columns(W1, b1, W2, b2), X_train)[1][0]) == {0.5}
    # from 0.5 everywhere: the weights move, and the four columns of W1 stay equal
    W1, b1, W2, _ = (np.array(p) for p in r["same"])
    assert np.ptp(W1, axis=1).max() == 0.0 and np.ptp(b1) == 0.0 and np.ptp(W2) == 0.0
    assert np.abs(W1 - 0.5).min() > 1.0
    zeros_acc, same_acc, random_acc = r["init_acc"]
    assert (zeros_acc, same_acc, random_acc) == (0.5, 0.675, 0.95)
    # "below even that of the 1-unit network of section 7"
    assert same_acc < r["scores"]["1"][0]
    # random weights: different columns ("differ by up to 8.2")
    W1 = np.array(r["randomly"][0])
    assert round(float(np.ptp(W1, axis=1).max()), 1) == 8.2
    assert "spread 0.0e+00, train accuracy 67.5%" in out
    assert "spread 8.2e+00, train accuracy 95.0%" in out


SWEEP_TABLE = """n_h   train    cv      train - cv
  1   71.0%   71.0%   +0.0%
  2   70.5%   69.0%   +1.5%
  3   94.5%   93.0%   +1.5%
  5   95.5%   90.5%   +5.0%
 20   99.5%   89.0%   +10.5%
 50   98.5%   86.0%   +12.5%
"""


def _grid_decisions(params, n: int = 120):
    xs = np.linspace(-4.5, 4.5, n)
    grid = np.column_stack([g.ravel() for g in np.meshgrid(xs, xs)])
    return _column_forward(params, grid)[1][0] >= 0.5


@pytest.mark.notebook
def test_hidden_size_sweep_over_fits_as_the_prose_says(lesson):
    r, out = lesson["r"], lesson["out"]
    assert SWEEP_TABLE in out
    X_train, X_test, y_train, y_test = _split()
    nets = {int(k): _to_columns(*p) for k, p in r["sweep"].items()}
    assert sorted(nets) == [1, 2, 3, 5, 20, 50]
    # the table's accuracies, recomputed with the forward pass written here
    for n_h, params in nets.items():
        assert params[0].shape == (n_h, 2)
        assert [_column_accuracy(params, X_train, y_train),
                _column_accuracy(params, X_test, y_test)] == r["scores"][str(n_h)]
    train = {k: v[0] for k, v in r["scores"].items()}
    test = {k: v[1] for k, v in r["scores"].items()}
    # "1 or 2 units ... about 70 % on both sets"
    assert all(abs(v - 0.7) <= 0.015 for k in ("1", "2") for v in (train[k], test[k]))
    # "3 units ... the best test accuracy of the six"
    assert max(test, key=test.get) == "3"
    # "fit the training set better ... the test accuracy goes the other way"
    assert min(train["5"], train["20"], train["50"]) > train["3"]
    assert test["3"] > test["5"] > test["20"] > test["50"]
    gaps = {k: train[k] - test[k] for k in train}
    assert round(gaps["3"], 3) == 0.015 and round(gaps["50"], 3) == 0.125
    # where 3 and 50 units disagree: 50 units win on the training set (10 of 12), 3 units on the
    # test set (16 of 18), recomputed here
    for X_set, y_set, want in [(X_train, y_train, (12, 2, 10)), (X_test, y_test, (18, 16, 2))]:
        says_3, says_50 = (_column_forward(nets[k], X_set)[1][0] >= 0.5 for k in (3, 50))
        differ = says_3 != says_50
        assert (differ.sum(), (says_3[differ] == y_set[differ]).sum(),
                (says_50[differ] == y_set[differ]).sum()) == want
    assert "training points where they disagree: 12; 3 units right on  2, 50 units right on 10" in out
    assert "validation points where they disagree: 18; 3 units right on 16, 50 units right on  2" in out
    # the grid: "1 and 2 units draw one diagonal line"; "5 units draw about the same three edges,
    # with a first small bend" (they agree on most of the plane, not all of it); 20 units differ
    decisions = {n_h: _grid_decisions(p) for n_h, p in nets.items()}
    assert np.mean(decisions[1] == decisions[2]) > 0.97
    assert 0.95 < np.mean(decisions[3] == decisions[5]) < 0.99
    assert np.mean(decisions[3] == decisions[20]) < 0.9
    # the fingers: "the three red points" in the blue petal at the top are taken in by 20 and 50
    # units, not by 3; likewise "three blue points" in the red petal at the bottom
    red_in_blue = X_train[(y_train == 1) & (X_train[:, 0] < -0.5) & (X_train[:, 1] > 2.5)]
    blue_in_red = X_train[(y_train == 0) & (X_train[:, 1] < -2.0) & (np.abs(X_train[:, 0]) < 1.0)]
    assert len(red_in_blue) == 3 and len(blue_in_red) == 3
    for n_h, taken in [(3, False), (20, True), (50, True)]:
        assert (_column_forward(nets[n_h], red_in_blue)[1][0] >= 0.5).all() == taken, n_h
        assert (_column_forward(nets[n_h], blue_in_red)[1][0] < 0.5).all() == taken, n_h


@pytest.mark.notebook
def test_a_second_implementation_trains_the_same_network(lesson):
    # "each from small random weights with the same seed": the lesson's recipe (0.01 × standard
    # normal draws, W1 then W2, seed 2), trained here in the column convention
    n_h = 3
    X_train, X_test, y_train, y_test = _split()
    rng = np.random.default_rng(2)
    params = list(_to_columns(0.01 * rng.standard_normal((2, n_h)), np.zeros(n_h),
                              0.01 * rng.standard_normal((n_h, 1)), np.zeros(1)))
    for _ in range(10_000):
        for p, g in zip(params, _column_gradients(params, X_train, y_train)):
            p -= 1.2 * g
    # 10,000 steps amplify rounding differences (the two conventions sum in different orders) to
    # a few 1e-5 on weights of size up to 13; a wrong formula would land somewhere else entirely
    for mine, theirs in zip(params, _to_columns(*lesson["r"]["sweep"]["3"])):
        np.testing.assert_allclose(mine, theirs, rtol=1e-4, atol=1e-4)
    assert [_column_accuracy(params, X_train, y_train),
            _column_accuracy(params, X_test, y_test)] == lesson["r"]["scores"]["3"]
