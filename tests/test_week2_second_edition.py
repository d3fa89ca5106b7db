"""Week 2's second edition, labs 01 and 03 and graded notebook 07: the "your turn" checks
(course_utils/checks/week2_labs.py) and every new claim of the three notebooks, pinned.

- Lab 01: the three steps side by side; specify / compile / fit in three cells; ``my_bce`` (your
  turn); one epoch of full-batch ``SGD`` moves each parameter by ``-alpha`` times the slope of the
  cost (checked against the analytic gradient of logistic regression, computed here); each
  activation's derivative checked against finite differences, and each activation against Keras's.
- Lab 03: ``my_cross_entropy`` (your turn), equal to Keras's loss; 100 from float64 probabilities,
  infinity from TensorFlow's float32 ones.
- Graded 07: trained until the cost curve has flattened (the last 20 % of epochs lower it by under
  1 % of its first value), the confusion matrix and every number of the captions.
"""

from __future__ import annotations

import math
import re

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest

from conftest import NOTEBOOKS, assert_your_turn_cells, execute_with_results, printed, your_turns
from course_utils.checks import check_bce, check_cross_entropy
from course_utils.checks.core.costs import COST_MISTAKES
from course_utils.checks.week2.softmax import CROSS_ENTROPY_CASES
from course_utils.checks.week2.training_and_activations import BCE_CASES
from course_utils.plots.week3.shallow_network import plot_activations

WEEK2 = NOTEBOOKS / "week2"
LAB1 = WEEK2 / "01_training_and_activations.ipynb"
LAB3 = WEEK2 / "03_softmax.ipynb"
GRADED = WEEK2 / "07_assignment_multiclass_digits.ipynb"


# --- the checks: expected values recomputed from the formulas, every mistake named ---------------

def _bce_variants(y, a):
    """The right cost and what each named mistake computes, written out independently."""
    losses = -y * np.log(a) - (1 - y) * np.log(1 - a)
    return losses, {
        "expected": losses.mean(), "no_minus": -losses.mean(), "sum_not_mean": losses.sum(),
        "log10": np.mean(-y * np.log10(a) - (1 - y) * np.log10(1 - a)),
        "first_term_only": np.mean(-y * np.log(a)),
        "log_a_twice": np.mean(-y * np.log(a) - (1 - y) * np.log(a)),
        "squared_error": np.mean((a - y) ** 2),
    }


def _ce_variants(a, y):
    m = len(y)
    losses = -np.log(a[np.arange(m), y])
    values = {"expected": losses.mean(), "no_minus": -losses.mean(), "sum_not_mean": losses.sum(),
              "log10": np.mean(-np.log10(a[np.arange(m), y])),
              "all_classes": np.mean(-np.log(a).sum(axis=1)), "all_entries": np.mean(-np.log(a)),
              "columns_by_label": np.mean(-np.log(a[:, y]))}
    if y.max() < m:
        values["rows_by_label"] = np.mean(-np.log(a[y]))
    if a.shape[0] == a.shape[1]:
        values["transposed"] = np.mean(-np.log(a[y, np.arange(m)]))
    return losses, values


@pytest.mark.parametrize(("cases", "variants"), [(BCE_CASES, _bce_variants),
                                                 (CROSS_ENTROPY_CASES, _ce_variants)])
def test_stored_values_are_what_the_formulas_give(cases, variants):
    for case in cases:
        losses, values = variants(*case.arguments())
        np.testing.assert_allclose(losses.ravel(), case.losses, rtol=1e-12)
        assert case.expected == pytest.approx(values["expected"], rel=1e-12)
        for key, wrong in case.mistakes.items():
            assert key in COST_MISTAKES
            assert wrong == pytest.approx(values[key], rel=1e-12, abs=1e-15), (case.name, key)
            # a named mistake must not be confused with the right answer
            assert not math.isclose(wrong, case.expected, rel_tol=1e-6), (case.name, key)


def _verdict(check, func, capsys) -> tuple[bool, str]:
    passed = check(func)
    return passed, capsys.readouterr().out


BCE_RIGHT = lambda y, a: float(np.mean(-y * np.log(a) - (1 - y) * np.log(1 - a)))  # noqa: E731
CE_RIGHT = lambda a, y: float(np.mean(-np.log(a[np.arange(len(y)), y])))  # noqa: E731


def test_check_bce_passes_the_right_cost_and_names_each_mistake(capsys):
    assert _verdict(check_bce, BCE_RIGHT, capsys) == (True, "✔ bce: all 4 cases passed.\n")

    def stub(y, a):
        raise NotImplementedError()

    passed, out = _verdict(check_bce, stub, capsys)  # reports, does not raise
    assert not passed and "stub is not written yet" in out and out.count("\n") == 1
    mistakes = {
        "no_minus": lambda y, a: np.mean(y * np.log(a) + (1 - y) * np.log(1 - a)),
        "sum_not_mean": lambda y, a: np.sum(-y * np.log(a) - (1 - y) * np.log(1 - a)),
        "log10": lambda y, a: np.mean(-y * np.log10(a) - (1 - y) * np.log10(1 - a)),
        "first_term_only": lambda y, a: np.mean(-y * np.log(a)),
        "log_a_twice": lambda y, a: np.mean(-y * np.log(a) - (1 - y) * np.log(a)),
        "squared_error": lambda y, a: np.mean((a - y) ** 2),
    }
    for key, func in mistakes.items():
        passed, out = _verdict(check_bce, func, capsys)
        assert not passed and COST_MISTAKES[key] in out, (key, out)
    passed, out = _verdict(check_bce, lambda y, a: -y * np.log(a) - (1 - y) * np.log(1 - a), capsys)
    assert not passed and "these are the 4 losses, one per example" in out
    passed, out = _verdict(check_bce, lambda y, a: BCE_RIGHT(a, y), capsys)  # arguments swapped
    assert not passed and "a log of 0" in out and "right order" in out
    passed, out = _verdict(check_bce, BCE_RIGHT(np.ones(1), np.full(1, 0.5)), capsys)
    assert not passed and "check_bce(bce), not check_bce(bce(...))" in out


def test_check_cross_entropy_passes_the_right_cost_and_names_each_mistake(capsys):
    assert _verdict(check_cross_entropy, CE_RIGHT, capsys)[0]
    mistakes = {
        "no_minus": lambda a, y: np.mean(np.log(a[np.arange(len(y)), y])),
        "sum_not_mean": lambda a, y: np.sum(-np.log(a[np.arange(len(y)), y])),
        "all_classes": lambda a, y: np.mean(-np.log(a).sum(axis=1)),
        "all_entries": lambda a, y: np.mean(-np.log(a)),
        "columns_by_label": lambda a, y: np.mean(-np.log(a[:, y])),
    }
    for key, func in mistakes.items():
        passed, out = _verdict(check_cross_entropy, func, capsys)
        assert not passed and COST_MISTAKES[key] in out, (key, out)
    # a[y] and a[y, range(m)] use the labels as row numbers: out of range on the first case
    for func in (lambda a, y: np.mean(-np.log(a[y])),
                 lambda a, y: np.mean(-np.log(a[y, np.arange(len(y))]))):
        passed, out = _verdict(check_cross_entropy, func, capsys)
        assert not passed and "IndexError" in out and "a[np.arange(m), y]" in out
    # ... and named where they run without an error: the cases built for them
    where_they_run = {
        "rows_by_label": lambda a, y: (np.mean(-np.log(a[y])) if y.max() < len(y)
                                       else CE_RIGHT(a, y)),
        "transposed": lambda a, y: (np.mean(-np.log(a[y, np.arange(len(y))]))
                                    if a.shape[0] == a.shape[1] else CE_RIGHT(a, y)),
    }
    for key, func in where_they_run.items():
        passed, out = _verdict(check_cross_entropy, func, capsys)
        assert not passed and COST_MISTAKES[key] in out, (key, out)
    passed, out = _verdict(check_cross_entropy, lambda a, y: -np.log(a[np.arange(len(y)), y]), capsys)
    assert not passed and "these are the 3 losses" in out


# --- the gallery's helper: a grid of panels --------------------------------------------------------

def test_plot_activations_fills_a_grid_and_can_scale_each_panel():
    z = np.linspace(-4, 4, 50)
    curves = {name: (k * np.tanh(z), 1 - np.tanh(z) ** 2) for k, name in enumerate("abcde", 1)}
    fig = plot_activations(z, curves, ncols=3, sharey=False)
    assert [ax.get_title() for ax in fig.axes] == list("abcde")  # the empty sixth panel is gone
    assert [ax.get_xlabel() for ax in fig.axes] == ["", "", "$z$", "$z$", "$z$"]
    assert fig.axes[0].get_ylim() != fig.axes[4].get_ylim()     # each panel its own scale
    assert fig.axes[0].get_ylabel() == fig.axes[3].get_ylabel() == "value"
    with pytest.raises(ValueError, match="ncols is 0"):
        plot_activations(z, curves, ncols=0)
    plt.close("all")


# --- lab 01 ------------------------------------------------------------------------------------------

LAB1_RESULTS = """
import json
import keras as _k
_h = 1e-5
_p = np.concatenate([np.linspace(-3.9, -0.05, 20), np.linspace(0.05, 3.9, 20)])
_keras = {"linear": _k.activations.linear, "sigmoid": _k.activations.sigmoid,
          "tanh": _k.activations.tanh, "ReLU": _k.activations.relu,
          "LeakyReLU": lambda v: _k.activations.leaky_relu(v, negative_slope=0.1),
          "swish": _k.activations.silu}
print("RESULTS " + json.dumps({
    "points": _p.tolist(), "h": _h,
    "g": {n: g(_p).tolist() for n, (g, dg) in activations.items()},
    "g_up": {n: g(_p + _h).tolist() for n, (g, dg) in activations.items()},
    "g_down": {n: g(_p - _h).tolist() for n, (g, dg) in activations.items()},
    "dg": {n: dg(_p).tolist() for n, (g, dg) in activations.items()},
    "keras": {n: np.asarray(f(_p.astype("float32"))).tolist() for n, f in _keras.items()},
    "dg_at": {n: dg(np.array([0.0, 4.0, -4.0, 1e-3, 2.5])).tolist() for n, (g, dg) in activations.items()},
    "alpha": alpha, "before": before.tolist(), "moved": moved.tolist(),
    "curve_names": list(curves),
}))
"""


@pytest.fixture(scope="module")
def lab1(tmp_path_factory):
    nb = nbformat.read(LAB1, as_version=4)
    return execute_with_results(nb, LAB1.name, tmp_path_factory.mktemp("lab1"), LAB1_RESULTS)


def _answer(nb, func: str):
    """The notebook's "one possible answer" for ``func``, defined in a namespace with NumPy."""
    (_, answer), = [t for t in your_turns(nb) if f"def {func}(" in nb.cells[t[0]].source]
    namespace = {"np": np}
    exec(nb.cells[answer].source, namespace)
    return namespace[func]


@pytest.mark.notebook
def test_lab1_lays_out_the_three_steps_and_one_cell_for_each(lab1):
    nb, _, _ = lab1
    sources = [c.source for c in nb.cells]
    table = next(s for s in sources if s.startswith("## Training in three steps"))
    for row in ("| 1. specify", "| 2. specify the loss", "| 3. train on the data"):
        assert row in table
    assert r"w_j := w_j - \alpha \dfrac{\partial J}{\partial w_j}" in table
    assert "`model = Sequential([Dense(...), Dense(...)])`" in table
    assert "`model.compile(loss=BinaryCrossentropy())`" in table and "`model.fit(X, Y" in table
    # specify, compile, fit: three code cells, each doing one step only
    spec = next(i for i, s in enumerate(sources) if s.startswith("model = keras.Sequential(["))
    assert sources[spec + 2].startswith("model.compile(") and "fit(" not in sources[spec + 2]
    assert sources[spec + 4].startswith("history = model.fit(") and "compile" not in sources[spec + 4]
    for i, label in ((spec - 1, "**1. Specify.**"), (spec + 1, "**2. Compile.**"), (spec + 3, "**3. Fit.**")):
        assert nb.cells[i].cell_type == "markdown" and nb.cells[i].source.startswith(label)


@pytest.mark.notebook
def test_lab1_your_turn_my_bce(lab1, capsys):
    nb, _, _ = lab1
    assert_your_turn_cells(nb, [("my_bce", "check_bce")])
    stub, _ = your_turns(nb)[0]
    check_output = "".join(o.get("text", "") for o in nb.cells[stub + 1].outputs)
    assert "my_bce is not written yet" in check_output  # the stub as stored: reported, not raised
    assert check_bce(_answer(nb, "my_bce"))
    assert "✔ my_bce: all 4 cases passed." in capsys.readouterr().out
    out = printed(nb)
    mine = re.search(r"cost by hand, my_bce: +([\d.]+)", out).group(1)
    keras_value = re.search(r"keras BinaryCrossentropy: ([\d.]+)", out).group(1)
    assert mine == keras_value


@pytest.mark.notebook
def test_lab1_one_sgd_epoch_is_one_gradient_descent_step(lab1):
    """'Each parameter moved by -alpha dJ/d(parameter), to the six printed decimals': the analytic
    gradient of logistic regression's cost, X.T (f - y) / m and mean(f - y), computed here."""
    from course_utils.data import load_blobs

    nb, r, _ = lab1
    X, classes = load_blobs()
    y = (classes >= 2).astype(float)
    w, b = np.array(r["before"][:2]), r["before"][2]
    f = 1 / (1 + np.exp(-(X @ w + b)))
    gradient = np.append(X.T @ (f - y) / len(y), np.mean(f - y))
    assert r["alpha"] == 0.5
    np.testing.assert_allclose(r["moved"], -r["alpha"] * gradient, rtol=2e-5, atol=1e-7)
    rows = re.findall(r"^ +(w_1|w_2|b) +(-?[\d.]+) +(-?[\d.]+)$", printed(nb), flags=re.M)
    assert [name for name, _, _ in rows] == ["w_1", "w_2", "b"]
    assert all(moved == slope for _, moved, slope in rows), rows  # equal to six decimals
    assert all(abs(float(moved)) > 0.01 for _, moved, _ in rows)  # a real step, not a no-op


@pytest.mark.notebook
def test_lab1_derivatives_match_finite_differences_and_keras(lab1):
    nb, r, _ = lab1
    assert r["curve_names"] == ["linear", "sigmoid", "tanh", "ReLU", "LeakyReLU", "swish"]
    h = r["h"]
    for name in r["curve_names"]:
        two_sided = (np.array(r["g_up"][name]) - np.array(r["g_down"][name])) / (2 * h)
        np.testing.assert_allclose(r["dg"][name], two_sided, atol=1e-8, err_msg=name)
        np.testing.assert_allclose(r["g"][name], r["keras"][name], atol=2e-6, err_msg=name)
    at = {name: dict(zip(["0", "4", "-4", "0+", "2.5"], v)) for name, v in r["dg_at"].items()}
    # the prose: sigmoid's slope at most 0.25 (at 0), 0.018 at ±4; tanh's 1 at 0 and 0.0013 at ±4;
    # ReLU's exactly 1 for z > 0 (even just above 0); linear's 1 everywhere
    assert at["sigmoid"]["0"] == 0.25 and max(r["dg"]["sigmoid"]) < 0.25
    assert round(at["sigmoid"]["4"], 3) == round(at["sigmoid"]["-4"], 3) == 0.018
    assert at["tanh"]["0"] == 1.0 and round(at["tanh"]["4"], 4) == round(at["tanh"]["-4"], 4) == 0.0013
    assert at["ReLU"]["0+"] == at["ReLU"]["4"] == 1.0 and at["ReLU"]["-4"] == 0.0
    assert set(at["linear"].values()) == {1.0} and at["LeakyReLU"]["-4"] == 0.1
    out = printed(nb)
    assert "sigmoid             0.0177    0.1966    0.1966    0.0177" in out
    assert "tanh                0.0013    0.4200    0.4200    0.0013" in out
    assert "ReLU                0.0000    0.0000    1.0000    1.0000" in out
    images = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
                 for o in c.outputs)
    assert images == 3  # the cost curve, the gallery with derivatives, the two fits


# --- lab 03 ------------------------------------------------------------------------------------------

@pytest.mark.notebook
def test_lab3_your_turn_my_cross_entropy(tmp_path, capsys):
    nb = nbformat.read(LAB3, as_version=4)
    nb, r, _ = execute_with_results(nb, LAB3.name, tmp_path, 'print("RESULTS {}")')
    assert_your_turn_cells(nb, [("my_cross_entropy", "check_cross_entropy")])
    stub, _ = your_turns(nb)[0]
    assert "my_cross_entropy is not written yet" in "".join(
        o.get("text", "") for o in nb.cells[stub + 1].outputs)
    answer = _answer(nb, "my_cross_entropy")
    assert check_cross_entropy(answer)
    assert "✔ my_cross_entropy: all 4 cases passed." in capsys.readouterr().out
    out = printed(nb)
    # "gives the same cost" as Keras's SparseCategoricalCrossentropy (six decimals)
    mine = re.search(r"my_cross_entropy: +([\d.]+)", out).group(1)
    assert mine == re.search(r"SparseCategoricalCrossentropy: ([\d.]+)", out).group(1)
    z = np.array([[1.0, 2.0, 3.0, 4.0], [2.0, 0.0, 0.0, 1.0], [0.0, 3.0, 1.0, 0.0]])
    log_softmax = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    assert float(mine) == pytest.approx(-np.mean(log_softmax[[0, 1, 2], [3, 0, 2]]), abs=1e-6)
    # "it returns the exact 100 ... it returns -log 0 = infinity"
    assert "my_cross_entropy, float64 probabilities:    100.0\n" in out
    assert "my_cross_entropy, TensorFlow's probabilities: inf\n" in out


# --- graded 07 ---------------------------------------------------------------------------------------

GRADED_RESULTS = """
import json
print("RESULTS " + json.dumps({"cost": [float(v) for v in cost], "cm": cm.tolist(),
                               "wrong": len(wrong), "m_train": len(X_train)}))
"""


@pytest.mark.notebook
def test_graded_notebook_trains_until_flat_and_its_captions_match_the_run(tmp_path):
    nb = nbformat.read(GRADED, as_version=4)
    nb, r, _ = execute_with_results(nb, GRADED.name, tmp_path, GRADED_RESULTS)
    cost, cm = np.array(r["cost"]), np.array(r["cm"])
    # "40 epochs, 1,800 steps of Adam", "all 1,437 training images, in 45 batches of 32"
    assert len(cost) == 40 and r["m_train"] == 1437 and math.ceil(1437 / 32) == 45 == 1800 / 40
    # the loss curve's caption: near -log(1/10) = 2.3; 2.27 after the first epoch, 0.31 after 10;
    # over the last 8 epochs (20 %) it falls by 0.019, under 1 % of where it started
    assert round(-math.log(0.1), 1) == 2.3 and round(cost[0], 2) == 2.27
    assert round(cost[9], 2) == 0.31
    fall = cost[-9] - cost[-1]
    assert round(fall, 3) == 0.019 and 0 < fall < 0.01 * cost[0]
    out = printed(nb)
    assert f"over the last 8 epochs the cost fell by {fall:.4f}, {fall / cost[0]:.1%}" in out
    # flattened, unlike the first edition's 20 epochs: there the last 20 % fell by more than 1 %
    assert cost[15] - cost[19] > 0.01 * cost[0]
    # the confusion matrix's caption
    diagonal, errors = np.diag(cm), cm - np.diag(np.diag(cm))
    assert cm.shape == (10, 10) and cm.sum() == 360
    assert (diagonal.min(), diagonal.max()) == (31, 36)
    assert errors.sum() == r["wrong"] == 11 and np.count_nonzero(errors) == 9
    assert errors[8, 1] == 3 and np.count_nonzero(errors > 1) == 1      # the only cell above 1
    recall = diagonal / cm.sum(axis=1)
    assert np.argmin(recall) == 8 and (diagonal[8], cm[8].sum()) == (31, 35)
    assert recall[8] < np.delete(recall, 8).min()                        # digit 8 is the hardest
    assert errors[:, 1].sum() == 5 and np.argmax(errors.sum(axis=0)) == 1
    assert np.sort(errors.sum(axis=0))[-2] < 5                           # 1: the favourite wrong answer
    assert "correct per digit (the diagonal): [36 35 35 36 34 36 35 36 31 35]   errors: 11" in out
