"""Week 5, lesson 2 (bias and variance): the notebook reads as a lesson and runs top to bottom in a
fresh kernel; its fits are checked against scikit-learn (a second implementation of regularised
least squares), its network's gradients against finite differences, and every claim its prose
makes about a run is pinned here; the instant check names each typical mistake; the diagnosis
lab's state is a lookup that agrees with the notebook, and its display redraws what moved; the
plot helpers draw what they say.
"""

from __future__ import annotations

import claims
import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.preprocessing import PolynomialFeatures

from conftest import (
    NOTEBOOKS,
    assert_hands_out_no_graded_answer,
    assert_reads_as_a_lesson,
    assert_your_turn_cells,
    execute_with_results,
    fill_your_turns,
    markdown_text,
    printed,
)
from course_utils.checks import check_learning_curve
from course_utils.checks.week5.bias_variance import CASES, MISTAKES
from course_utils.plots.week5.bias_variance import (
    plot_diagnosis_lab,
    plot_error_reports,
    plot_errors,
    plot_fits,
    set_error_bars,
)
from course_utils.widgets import diagnosis
from course_utils.widgets.diagnosis import LAMBDAS, VERDICTS, DiagnosisLab, DiagnosisSliders

LESSON = NOTEBOOKS / "week5" / "02_bias_variance.ipynb"
YOUR_TURN = [("learning_curve", "check_learning_curve")]
#: What week 5's graded assignment asks learners to write: the lesson must not hand it out.
WEEK5_GRADED = ["split_data", "classification_error", "diagnose", "choose_lambda",
                "build_transfer_model"]
#: NumPy only: about 6 s of work on a quiet machine; the bound leaves room for a loaded one.
TIME_LIMIT_S = 180  # a runaway bound only: speed is benchmarks/notebooks.py's job
SIGMA, BASELINE = 0.3, 0.045


def _verdict(j_train, j_cv, baseline, tau):
    """The lesson's rule, written again here."""
    bias, variance = j_train - baseline > tau, j_cv - j_train > tau
    return {(True, True): "high bias and high variance", (True, False): "high bias",
            (False, True): "high variance", (False, False): "good fit"}[(bias, variance)]


def _data():
    """The lesson's data, drawn again here in the same order from the same seed."""
    rng = np.random.default_rng(2)
    x_pool = rng.uniform(-1, 1, 100)
    y_pool = np.sin(1.5 * np.pi * x_pool) + SIGMA * rng.standard_normal(100)
    x_cv = rng.uniform(-1, 1, 200)
    y_cv = np.sin(1.5 * np.pi * x_cv) + SIGMA * rng.standard_normal(200)
    return x_pool, y_pool, x_cv, y_cv


def _sk_errors(x, y, x_cv, y_cv, degree, lam=0.0):
    """(J_train, J_cv) of scikit-learn's fit of the same regularised cost: Ridge minimises
    Σ(f − y)² + α Σ w², which is 2m × the lesson's J with α = λ (the intercept is not penalised)."""
    poly = PolynomialFeatures(degree, include_bias=False)
    model = (Ridge(alpha=lam) if lam > 0 else LinearRegression()).fit(poly.fit_transform(x[:, None]), y)

    def cost(xs, ys):
        return float(np.mean((model.predict(poly.transform(xs[:, None])) - ys) ** 2) / 2)

    return cost(x, y), cost(x_cv, y_cv)


# ---- structure: cheap, no kernel ---------------------------------------------------------------

def test_lesson_reads_as_a_lesson_with_one_your_turn():
    nb = nbformat.read(LESSON, as_version=4)
    assert_reads_as_a_lesson(nb, "# Week 5, lesson 2 — Bias and variance")
    assert_your_turn_cells(nb, YOUR_TURN)
    text = markdown_text(nb)
    for heading in ["## 1. Two errors, four cases, and a baseline", "## 2. Data whose baseline we know",
                    "## 3. Three models", "## 4. Learning curves", "## 5. What each remedy does",
                    "### More features: the degree", "### A bigger network",
                    "### Regularisation: λ up, λ down", "## 6. The diagnosis lab", "## Summary"]:
        assert heading in text, heading
    # the graded diagnose's rule, in LaTeX, and the four verdicts it returns
    assert r"\text{high bias} \iff J_{train} - J_{base} > \tau" in text
    assert r"\text{high variance} \iff J_{cv} - J_{train} > \tau" in text
    for verdict in VERDICTS:
        assert verdict in text.lower().replace("**", ""), verdict
    # the remedies table names every remedy of the issue, each with what it cures
    table = text[text.index("| remedy |"):text.index("**More data** is")]
    for remedy, cures in [("more training examples", "high variance"), ("more features", "high bias"),
                          ("a bigger network", "high bias"), (r"larger $\lambda$", "high variance"),
                          (r"smaller $\lambda$", "high bias")]:
        row = next(line for line in table.splitlines() if line.startswith(f"| {remedy}"))
        assert row.rstrip(" |").endswith(cures), row


def test_lesson_hands_out_no_graded_answer_and_stays_numpy_only():
    nb = nbformat.read(LESSON, as_version=4)
    assert_hands_out_no_graded_answer(nb, WEEK5_GRADED)
    assert not [c for c in nb.cells if "raises-exception" in c.metadata.get("tags", [])]


# ---- the notebook, executed --------------------------------------------------------------------

RESULTS = """
import json as _json
_r = np.random.default_rng(7)
_X, _Y = _r.uniform(-1, 1, (6, 1)), _r.standard_normal((6, 1))
_params = [_r.standard_normal((1, 3)), _r.standard_normal(3), _r.standard_normal((3, 1)), _r.standard_normal(1)]
_J, _grads = network_gradients(_params, _X, _Y, 0.3)
_numeric = []
for _k, _p in enumerate(_params):
    _g = np.zeros_like(_p)
    for _i in np.ndindex(_p.shape):
        _plus = [q.copy() for q in _params]; _plus[_k][_i] += 1e-6
        _minus = [q.copy() for q in _params]; _minus[_k][_i] -= 1e-6
        _g[_i] = (network_gradients(_plus, _X, _Y, 0.3)[0] - network_gradients(_minus, _X, _Y, 0.3)[0]) / 2e-6
    _numeric.append(_g.tolist())
print("RESULTS " + _json.dumps({
    "x_pool": x_pool.tolist(), "y_pool": y_pool.tolist(), "x_cv": x_cv.tolist(), "y_cv": y_cv.tolist(),
    "m": m, "baseline": baseline, "tau": tau, "truth_cv": truth_cv,
    "models": {d: [cost(p, x_train, y_train), cost(p, x_cv, y_cv)] for d, p in models.items()},
    "sizes": sizes.tolist(), "line": [a.tolist() for a in line], "wiggly": [a.tolist() for a in wiggly],
    "degrees": degrees.tolist(), "by_degree": by_degree.tolist(), "units": units.tolist(),
    "by_units": {str(k): v.tolist() for k, v in by_units.items()},
    "lambdas": lambdas.tolist(), "by_lambda": by_lambda.tolist(),
    "lab_train": lab.j_train_grid.tolist(), "lab_cv": lab.j_cv_grid.tolist(),
    "lab_degrees": list(lab.degrees), "lab_lambdas": list(lab.lambdas),
    "net": {"params": [p.tolist() for p in _params], "X": _X.tolist(), "Y": _Y.tolist(), "J": _J,
            "grads": [g.tolist() for g in _grads], "numeric": _numeric},
}))
"""


@pytest.fixture(scope="module")
def lesson(tmp_path_factory):
    """The lesson as stored (with its stub), executed once for the tests below."""
    nb = nbformat.read(LESSON, as_version=4)
    return execute_with_results(nb, LESSON.name, tmp_path_factory.mktemp("w5l2"), RESULTS)


test_numbers_in_prose_match_the_run = claims.test_in(LESSON, "lesson")


@pytest.mark.notebook
def test_stored_lesson_runs_fast_and_its_check_says_not_written_yet(lesson):
    nb, _, elapsed = lesson
    assert elapsed < TIME_LIMIT_S, f"{elapsed:.1f} s"
    out = printed(nb)
    assert ("\N{HEAVY BALLOT X} learning_curve: not written yet: replace `raise NotImplementedError()` "
            "by your code.") in out
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 6
    widgets = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(widgets) == 1


@pytest.mark.notebook
def test_filled_with_its_answer_the_check_passes(tmp_path, lesson):
    nb = fill_your_turns(nbformat.read(LESSON, as_version=4), [f for f, _ in YOUR_TURN])
    nb, r, _ = execute_with_results(nb, LESSON.name, tmp_path, RESULTS)
    out = printed(nb)
    assert "\N{HEAVY BALLOT X}" not in out
    assert "\N{HEAVY CHECK MARK} learning_curve: all 2 cases passed." in out
    assert r["line"] == lesson[1]["line"] and r["wiggly"] == lesson[1]["wiggly"]


@pytest.mark.notebook
def test_the_four_reports(lesson):
    nb, _, _ = lesson
    reports = {"A": (10.8, 14.8, 10.6), "B": (15.0, 15.5, 10.6), "C": (15.0, 19.7, 10.6),
               "D": (10.9, 11.4, 10.6)}
    verdicts = {name: _verdict(*r, 1.0) for name, r in reports.items()}
    # "A: high variance; B: high bias; C: high bias and high variance; D: a good fit"
    assert verdicts == {"A": "high variance", "B": "high bias", "C": "high bias and high variance",
                        "D": "good fit"}
    # "against a baseline of 0%, A's bias gap would be 10.8 points: high bias and high variance"
    assert _verdict(10.8, 14.8, 0.0, 1.0) == "high bias and high variance"
    out = printed(nb)
    for line in ["report A: J_train - J_base =  0.2, J_cv - J_train =  4.0",
                 "report B: J_train - J_base =  4.4, J_cv - J_train =  0.5",
                 "report C: J_train - J_base =  4.4, J_cv - J_train =  4.7",
                 "report D: J_train - J_base =  0.3, J_cv - J_train =  0.5"]:
        assert line in out


@pytest.mark.notebook
def test_data_and_baseline(lesson):
    nb, r, _ = lesson
    for name, values in zip(("x_pool", "y_pool", "x_cv", "y_cv"), _data()):
        np.testing.assert_array_equal(r[name], values)
    # J_base = E[ε²]/2 = σ²/2 = 0.045, checked on a million noise draws; τ is the baseline
    noise = np.random.default_rng(0).normal(0, SIGMA, 1_000_000)
    assert np.mean(noise**2) / 2 == pytest.approx(BASELINE, rel=0.01)
    assert r["baseline"] == pytest.approx(BASELINE) and r["tau"] == r["baseline"] and r["m"] == 30
    # "The true function's own error on the 200 cross-validation points is 0.042"
    assert round(r["truth_cv"], 3) == 0.042
    assert ("training set (30,), cross-validation set (200,); baseline 0.045; the true function's "
            "own J_cv: 0.042") in printed(nb)


@pytest.mark.notebook
def test_three_models_against_scikit_learn_and_the_prose(lesson):
    nb, r, _ = lesson
    x_pool, y_pool, x_cv, y_cv = _data()
    x, y = x_pool[:30], y_pool[:30]
    for degree, (j_train, j_cv) in r["models"].items():
        np.testing.assert_allclose([j_train, j_cv], _sk_errors(x, y, x_cv, y_cv, int(degree)), rtol=1e-6)
    (t1, c1), (t5, c5), (t12, c12) = (r["models"][d] for d in ("1", "5", "12"))
    assert _verdict(t1, c1, BASELINE, BASELINE) == "high bias"
    assert _verdict(t5, c5, BASELINE, BASELINE) == "good fit"
    assert _verdict(t12, c12, BASELINE, BASELINE) == "high variance"
    # "degree 1: 0.290, 0.245 above the baseline, J_cv = 0.294 no worse"
    assert [round(v, 3) for v in (t1, t1 - BASELINE, c1)] == [0.290, 0.245, 0.294]
    # "degree 5: J_train = 0.037 below the baseline, J_cv = 0.054 only 0.017 above"
    assert [round(v, 3) for v in (t5, c5, c5 - t5)] == [0.037, 0.054, 0.017] and t5 < BASELINE
    # "degree 12: J_train = 0.020, less than half the baseline, J_cv = 0.307, a gap of 0.286"
    assert [round(v, 3) for v in (t12, c12, c12 - t12)] == [0.020, 0.307, 0.286]
    assert t12 < BASELINE / 2
    assert "degree 12: J_train = 0.020, J_cv = 0.307; J_train - J_base = -0.025, J_cv - J_train = +0.286" in printed(nb)


@pytest.mark.notebook
def test_learning_curves_against_scikit_learn_and_the_prose(lesson):
    _, r, _ = lesson
    x_pool, y_pool, x_cv, y_cv = _data()
    sizes = np.array(r["sizes"])
    assert sizes.tolist() == list(range(5, 101, 5))
    line, wiggly = np.array(r["line"]), np.array(r["wiggly"])
    for k, m in enumerate(sizes):
        np.testing.assert_allclose(line[:, k], _sk_errors(x_pool[:m], y_pool[:m], x_cv, y_cv, 1),
                                   rtol=1e-9)
        if m >= 30:  # below, the fit interpolates and J_cv is in the thousands: checked apart
            np.testing.assert_allclose(wiggly[:, k], _sk_errors(x_pool[:m], y_pool[:m], x_cv, y_cv, 12),
                                       rtol=1e-5)
    # high bias: "from m = 15 to m = 100 both errors stay between 0.24 and 0.36, five to eight
    # times the baseline; from m = 30 to m = 100 J_cv does not improve (0.294, then 0.306)"
    late = line[:, sizes >= 15]
    assert late.min() >= 0.24 and late.max() <= 0.36 and 5 < late.min() / BASELINE < late.max() / BASELINE < 8
    at30, at100 = list(sizes).index(30), list(sizes).index(100)
    assert round(line[1, at30], 3) == 0.294 and round(line[1, at100], 3) == 0.306
    # high variance: "with 5 or 10 examples J_train = 0; J_cv off the chart up to m = 25 (in the
    # thousands, and millions at m = 15)"
    assert wiggly[0, :2].max() < 1e-12
    assert np.all(wiggly[1, sizes <= 25] > 0.45) and np.all(wiggly[1, (sizes >= 30) & (sizes != 45)] < 0.45)
    assert wiggly[1, list(sizes).index(20)] > 1000 and wiggly[1, list(sizes).index(15)] > 1e6
    # "the gap closes, from 0.286 at m = 30 to 0.007 at m = 100"
    gap = wiggly[1] - wiggly[0]
    assert round(gap[at30], 3) == 0.286 and round(gap[at100], 3) == 0.007
    assert _verdict(*wiggly[:, at100], BASELINE, BASELINE) == "good fit"
    assert _verdict(*line[:, at100], BASELINE, BASELINE) == "high bias"


@pytest.mark.notebook
def test_degree_claims(lesson):
    _, r, _ = lesson
    j_train, j_cv = np.array(r["by_degree"]).T
    assert r["degrees"] == list(range(1, 13))
    # "J_train only goes down as the degree grows" (nested models)
    assert np.all(np.diff(j_train) <= 1e-12)
    # "J_cv from 0.294 (degree 1) to 0.054 (degree 5), then back up to 0.307 at degree 12"
    assert int(np.argmin(j_cv)) + 1 == 5 and round(j_cv.min(), 3) == 0.054
    assert round(j_cv[0], 3) == 0.294 and round(j_cv[-1], 3) == 0.307
    verdicts = [_verdict(t, c, BASELINE, BASELINE) for t, c in zip(j_train, j_cv)]
    # "high bias for degrees 1 and 2; from degree 7 on, high variance; degree 4 worse than 3 and 5"
    assert verdicts[:2] == ["high bias"] * 2 and verdicts[6:] == ["high variance"] * 6
    assert [verdicts[k - 1] for k in (3, 5, 6)] == ["good fit"] * 3
    assert j_cv[3] > max(j_cv[2], j_cv[4])
    # "x² adds nothing to an odd curve": degree 2 is no better than the line on new data
    assert abs(j_cv[1] - j_cv[0]) < 0.005


@pytest.mark.notebook
def test_network_gradients_and_claims(lesson):
    _, r, _ = lesson
    net = r["net"]
    W1, b1, W2, b2 = (np.array(p) for p in net["params"])
    X, Y = np.array(net["X"]), np.array(net["Y"])
    # the cost, written again here: 1/(2m) Σ (f − y)² + λ/(2m) (ΣW1² + ΣW2²), λ = 0.3
    f = np.tanh(X @ W1 + b1) @ W2 + b2
    own = np.mean((f - Y) ** 2) / 2 + 0.3 / (2 * len(X)) * (np.sum(W1**2) + np.sum(W2**2))
    assert net["J"] == pytest.approx(own, rel=1e-12)
    for analytic, numeric in zip(net["grads"], net["numeric"]):
        np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)
    units = r["units"]
    free, reg = np.array(r["by_units"]["0.0"]), np.array(r["by_units"]["0.01"])
    assert units == [1, 2, 4, 16, 64]
    free_v = [_verdict(t, c, BASELINE, BASELINE) for t, c in free]
    reg_v = [_verdict(t, c, BASELINE, BASELINE) for t, c in reg]
    # "One tanh unit: high bias, with or without λ. Two units already can."
    assert free_v[0] == reg_v[0] == "high bias" and free_v[1] == reg_v[1] == "good fit"
    # "without regularisation: at 16 units 0.014 and 0.125, at 64 units 0.013 and 0.088: high variance"
    assert [round(v, 3) for v in (*free[3], *free[4])] == [0.014, 0.125, 0.013, 0.088]
    assert free_v[3:] == ["high variance"] * 2
    # "a bigger network lowers J_train further" (from 2 units on, without λ)
    assert free[4, 0] < free[3, 0] < free[2, 0] < free[1, 0]
    # "With λ = 0.01 the big networks stay good fits, up to 64 units"
    assert reg_v[1:] == ["good fit"] * 4


@pytest.mark.notebook
def test_lambda_claims(lesson):
    _, r, _ = lesson
    lambdas = np.array(r["lambdas"])
    np.testing.assert_allclose(lambdas, LAMBDAS, rtol=1e-12)
    j_train, j_cv = np.array(r["by_lambda"]).T
    x_pool, y_pool, x_cv, y_cv = _data()
    for k in (1, 5, 9, 11):  # λ = 1e-4, 0.01, 1, 10 by scikit-learn's Ridge
        np.testing.assert_allclose([j_train[k], j_cv[k]],
                                   _sk_errors(x_pool[:30], y_pool[:30], x_cv, y_cv, 12, lambdas[k]),
                                   rtol=1e-5)
    verdicts = {round(lam, 4): _verdict(t, c, BASELINE, BASELINE)
                for lam, t, c in zip(lambdas, j_train, j_cv)}
    # "At λ = 0 high variance; from 0.01 to 0.03 a good fit (J_cv = 0.082 at 0.01); from λ = 1 on
    # high bias; at 0.3, both at once"
    assert verdicts[0.0] == "high variance"
    assert verdicts[0.01] == verdicts[0.0316] == "good fit" and round(j_cv[5], 3) == 0.082
    assert verdicts[1.0] == verdicts[3.1623] == verdicts[10.0] == "high bias"
    assert verdicts[0.3162] == "high bias and high variance"
    # "The best λ is where J_cv is lowest": 0.01; and J_train only grows with λ
    assert lambdas[np.argmin(j_cv)] == pytest.approx(0.01) and np.all(np.diff(j_train) > 0)


@pytest.mark.notebook
def test_the_lab_agrees_with_the_notebook_and_its_suggestions(lesson):
    nb, r, _ = lesson
    train, cv = np.array(r["lab_train"]), np.array(r["lab_cv"])
    assert r["lab_degrees"] == list(range(1, 13))
    # the widget's fits are the notebook's: every degree at λ = 0, every λ at degree 12
    np.testing.assert_allclose(np.c_[train[:, 0], cv[:, 0]], r["by_degree"], rtol=1e-12)
    np.testing.assert_allclose(np.c_[train[-1], cv[-1]], r["by_lambda"], rtol=1e-12)
    lam = {round(v, 4): j for j, v in enumerate(r["lab_lambdas"])}

    def at(degree, penalty):
        i, j = degree - 1, lam[penalty]
        return _verdict(train[i, j], cv[i, j], BASELINE, BASELINE)

    # "degree 12 with λ = 0 (high variance), then 0.01 (a good fit), 3 (high bias), 0.3 (both);
    # degree 1 with any λ (high bias); degree 5 with λ = 0 (a good fit)"
    assert at(12, 0.0) == "high variance" and at(12, 0.01) == "good fit"
    assert at(12, 3.1623) == "high bias" and at(12, 0.3162) == "high bias and high variance"
    assert all(at(1, v) == "high bias" for v in lam) and at(5, 0.0) == "good fit"
    assert ("degree 12, λ = 0: J_train − J_base = -0.025 ≤ τ, J_cv − J_train = 0.286 > τ "
            "(τ = 0.045) — high variance") in printed(nb)


# ---- the instant check -------------------------------------------------------------------------

def _cost(predict, x, y):
    return float(np.mean((predict(x) - y) ** 2) / 2)


def _variant(kind):
    """A learning_curve written with the mistake ``kind`` (or right, for ``None``)."""

    def learning_curve(fit, x_train, y_train, x_cv, y_cv, sizes):
        j_train, j_cv = [], []
        for m in sizes:
            predict = fit(x_train, y_train) if kind == "fit_on_all" else fit(x_train[:m], y_train[:m])
            on = (x_train, y_train) if kind == "j_train_on_all" else (x_train[:m], y_train[:m])
            j_train.append(_cost(predict, *on))
            j_cv.append(_cost(predict, x_cv[:m], y_cv[:m]) if kind == "cv_first_m"
                        else _cost(predict, x_cv, y_cv))
        j_train, j_cv = np.array(j_train), np.array(j_cv)
        if kind == "no_half":
            return 2 * j_train, 2 * j_cv
        if kind == "sum_not_mean":
            return j_train * np.array(sizes), j_cv * len(x_cv)
        return (j_cv, j_train) if kind == "swapped" else (j_train, j_cv)

    return learning_curve


def _args(case):
    return (case.fit, *(np.array(v) for v in (case.x_train, case.y_train, case.x_cv, case.y_cv)),
            list(case.sizes))


def test_stored_numbers_are_what_the_rule_and_the_mistakes_give():
    for case in CASES:
        np.testing.assert_allclose(np.array(_variant(None)(*_args(case))), case.expected, rtol=1e-9,
                                   atol=1e-12)
        assert set(case.mistakes) == set(MISTAKES)
        for key, value in case.mistakes.items():
            np.testing.assert_allclose(np.array(_variant(key)(*_args(case))), value, rtol=1e-9,
                                       atol=1e-12, err_msg=key)
    # the second case's model is the least-squares line: the same as NumPy's polyfit
    x, y = np.arange(6.0), np.array([0.0, 2, 1, 4, 3, 6])
    np.testing.assert_allclose(CASES[1].fit(x, y)(x), np.polyval(np.polyfit(x, y, 1), x))
    # no two mistakes give the same numbers on every case, and none gives the right ones
    signatures = {key: tuple(np.round(np.ravel(case.mistakes[key]), 8).tobytes() for case in CASES)
                  for key in MISTAKES}
    assert len(set(signatures.values())) == len(signatures)


@pytest.mark.parametrize("key", sorted(MISTAKES))
def test_each_mistake_is_named(key, capsys):
    assert check_learning_curve(_variant(key)) is False
    out = capsys.readouterr().out
    assert MISTAKES[key] in out and "case 1 of 2 failed" in out


def test_right_answers_pass_in_several_forms(capsys):
    right = _variant(None)
    assert check_learning_curve(right)
    assert check_learning_curve(lambda *a: [list(v) for v in right(*a)])
    assert check_learning_curve(lambda *a: np.array(right(*a)))
    assert "\N{HEAVY CHECK MARK} learning_curve: all 2 cases passed." in capsys.readouterr().out


def test_other_failures_are_explained(capsys):
    def stub(*args):
        raise NotImplementedError()

    right = _variant(None)
    expectations = [
        (stub, "learning_curve: not written yet"),
        (lambda *a: None, "no `return` statement"),
        (lambda *a: right(*a)[0], "return TWO arrays"),
        (lambda *a: (right(*a)[0][:2], right(*a)[1][:2]), "one error per training-set size"),
        (lambda *a: (right(*a)[0] + 1, right(*a)[1]), "None of the usual mistakes"),
        # predictions on the cross-validation inputs against training targets: shapes clash
        (lambda fit, xt, yt, xc, yc, sizes: [fit(xt[:m], yt[:m])(xc) - yt[:m] for m in sizes],
         "an exception, ValueError"),
    ]
    for func, text in expectations:
        assert check_learning_curve(func) is False
        assert text in capsys.readouterr().out, text
    assert check_learning_curve(3) is False
    assert "needs the function itself" in capsys.readouterr().out


# ---- the diagnosis lab: state, headless ---------------------------------------------------------

@pytest.fixture(scope="module")
def lab_data():
    x_pool, y_pool, x_cv, y_cv = _data()
    return x_pool[:30], y_pool[:30], x_cv, y_cv


def test_lab_precomputes_every_fit_and_a_move_is_a_lookup(lab_data, monkeypatch):
    lab = DiagnosisLab(*lab_data, BASELINE, degree=12, lam=0.0)
    assert lab.j_train_grid.shape == lab.j_cv_grid.shape == (12, 12) and lab.curves.shape == (12, 12, 200)
    assert lab.tolerance == BASELINE  # the default τ is the baseline
    # after construction nothing is fitted again: moves work with the fitting function broken
    monkeypatch.setattr(diagnosis, "_fit", lambda *a: pytest.fail("refitted on a slider move"))
    for degree, lam in [(1, 0.0), (5, 0.01), (12, 10.0), (7, LAMBDAS[3])]:
        lab.set(degree=degree, lam=lam)
        assert (lab.degree, lab.lam) == (degree, lam)
        expected = _sk_errors(*lab_data, degree, lam)
        np.testing.assert_allclose([lab.j_train, lab.j_cv], expected, rtol=1e-5)
        assert lab.verdict() == _verdict(*expected, BASELINE, BASELINE)


def test_lab_curve_is_the_fitted_model(lab_data):
    lab = DiagnosisLab(*lab_data, BASELINE, degree=3, lam=0.0)
    x, y = lab_data[:2]
    np.testing.assert_allclose(lab.curve, np.polyval(np.polyfit(x, y, 3), lab.grid), atol=1e-9)
    assert lab.grid[0] == min(x.min(), lab_data[2].min()) and lab.grid[-1] == max(x.max(), lab_data[2].max())


def test_lab_verdicts_follow_the_rule_at_its_edges(lab_data):
    # binary fractions, so that "a gap exactly τ" is exact
    lab = DiagnosisLab(*lab_data, 0.25, tolerance=0.125)
    i, j = lab.degrees.index(lab.degree), lab.lambdas.index(lab.lam)
    cases = {(0.375, 0.5): "good fit",  # both gaps exactly τ: not larger, so not high
             (0.5, 0.5): "high bias", (0.25, 0.5): "high variance",
             (0.5, 0.75): "high bias and high variance", (0.125, 0.25): "good fit"}
    for (j_train, j_cv), verdict in cases.items():
        lab.j_train_grid[i, j], lab.j_cv_grid[i, j] = j_train, j_cv
        assert lab.verdict() == verdict == _verdict(j_train, j_cv, 0.25, 0.125)
        assert verdict in lab.status() and "τ = 0.125" in lab.status()
    lab.j_train_grid[i, j], lab.j_cv_grid[i, j] = 0.5, 0.5625
    assert "J_train − J_base = 0.250 > τ, J_cv − J_train = 0.062 ≤ τ" in lab.status()


def test_lab_rejects_bad_values(lab_data):
    lab = DiagnosisLab(*lab_data, BASELINE)
    with pytest.raises(ValueError, match="degree = 13"):
        lab.set(degree=13)
    with pytest.raises(ValueError, match="lam = 0.5"):
        lab.set(lam=0.5)
    with pytest.raises(ValueError, match=r"shape \(30,\).*\(29,\)"):
        DiagnosisLab(lab_data[0], lab_data[1][:29], *lab_data[2:], BASELINE)
    with pytest.raises(ValueError, match="baseline"):
        DiagnosisLab(*lab_data, -1.0)
    with pytest.raises(ValueError, match="tolerance"):
        DiagnosisLab(*lab_data, BASELINE, tolerance=0.0)


# ---- the diagnosis lab: display, headless ---------------------------------------------------------

def test_sliders_move_the_curve_the_bars_the_verdict_and_the_image(lab_data):
    w = DiagnosisSliders(DiagnosisLab(*lab_data, BASELINE, degree=12, lam=0.0))
    figure, png = w.figure, bytes(w.image.value)
    assert "high variance" in w.readout.value and "high-variance" in w.readout._dom_classes
    assert w.lambda_slider.options[0] == ("0", 0.0) and len(w.lambda_slider.options) == 12
    assert (w.degree_slider.min, w.degree_slider.max) == (1, 12)
    w.lambda_slider.value = 0.01
    assert w.state.lam == 0.01 and "good fit" in w.readout.value
    assert "good-fit" in w.readout._dom_classes and "high-variance" not in w.readout._dom_classes
    np.testing.assert_allclose(w.artists["curve"].get_ydata(), w.state.curve)
    heights = [bar.get_height() for bar in w.artists["bars"]]
    np.testing.assert_allclose(heights, [BASELINE, w.state.j_train, w.state.j_cv])
    assert bytes(w.image.value) != png
    w.degree_slider.value = 1
    assert w.state.degree == 1 and "high bias" in w.readout.value
    assert w.figure is figure  # updated in place, never rebuilt
    mime = w._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in mime


def test_a_bar_above_the_top_is_cut_and_says_its_value(lab_data):
    fig, axes = plt.subplots(1, 2)
    x, y, x_cv, y_cv = lab_data
    grid = np.linspace(-1, 1, 50)
    _, artists = plot_diagnosis_lab(x, y, x_cv, y_cv, grid, np.sin(grid), (0.045, 0.02, 0.307),
                                    tolerance=0.01, axes=axes)
    top = artists["bar_max"]
    assert top == pytest.approx(0.045 + 8 * 0.01)
    assert artists["bars"][2].get_height() == pytest.approx(top)
    assert artists["labels"][2].get_text() == "↑ 0.307" and artists["labels"][1].get_text() == "0.020"
    set_error_bars(artists, (0.045, 0.05, 0.06))
    assert [b.get_height() for b in artists["bars"]] == [0.045, 0.05, 0.06]
    assert artists["labels"][2].get_text() == "0.060"
    assert axes[1].get_ylim()[1] == pytest.approx(1.12 * top)


# ---- the plot helpers --------------------------------------------------------------------------

def test_plot_error_reports_draws_three_bars_and_two_gaps_per_report(tmp_path):
    reports = {"A": (10.8, 14.8, 10.6), "D": (10.9, 11.4, 10.6)}
    ax = plot_error_reports(reports, 1.0)
    assert len(ax.patches) == 6
    heights = [round(p.get_height(), 6) for p in ax.patches]
    assert heights == [10.6, 10.8, 14.8, 10.6, 10.9, 11.4]
    gaps = {t.get_text(): t.get_fontweight() for t in ax.texts if "gap" in t.get_text()}
    # percentage points, not per cent (issue 18)
    assert gaps == {"bias gap +0.2 points": "normal", "variance gap +4.0 points": "bold",
                    "bias gap +0.3 points": "normal", "variance gap +0.5 points": "normal"}
    assert [t.get_text() for t in ax.get_xticklabels()] == ["A", "D"]
    ax.figure.savefig(tmp_path / "reports.png")
    with pytest.raises(ValueError, match="empty"):
        plot_error_reports({}, 1.0)
    with pytest.raises(ValueError, match="'B' has 2 numbers"):
        plot_error_reports({"B": (1, 2)}, 1.0)
    plt.close("all")


def test_plot_fits_one_panel_per_model(tmp_path):
    x = np.linspace(-1, 1, 10)
    grid = np.linspace(-1, 1, 40)
    axes = plot_fits(x, x**2, grid, {"a": grid, "b": grid**2}, truth=grid**2, ylim=(-2, 2))
    assert len(axes) == 2 and [ax.get_title() for ax in axes] == ["a", "b"]
    assert len(axes[0].lines) == 2 and axes[0].get_ylim() == (-2, 2)
    np.testing.assert_allclose(axes[1].lines[1].get_ydata(), grid**2)
    axes[0].figure.savefig(tmp_path / "fits.png")
    with pytest.raises(ValueError, match="a curve has shape"):
        plot_fits(x, x, grid, {"a": grid[:5]})
    plt.close("all")


def test_plot_errors_scales_and_a_second_setting_on_the_same_axes(tmp_path):
    lambdas = np.array(LAMBDAS)
    ax = plot_errors(lambdas, lambdas + 0.01, lambdas + 0.05, 0.045, xscale="symlog", tolerance=0.045)
    assert ax.get_xscale() == "symlog" and ax.get_xlim()[0] < 0 < ax.get_xlim()[1]
    assert ax.get_ylim()[0] == 0
    units = np.array([1, 2, 4, 16, 64])
    ax = plot_errors(units, units * 0.01, units * 0.02, 0.045, xscale="log", linestyle="--",
                     label="(λ = 0)", ylim=(0, 0.35))
    ax = plot_errors(units, units * 0.001, units * 0.002, 0.045, ax=ax, xscale="log", label="(λ = 0.01)")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "4", "16", "64"]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [r"$J_{train}$ (λ = 0)", r"$J_{cv}$ (λ = 0)", r"$J_{base}$",
                      r"$J_{train}$ (λ = 0.01)", r"$J_{cv}$ (λ = 0.01)"]
    assert sum(line.get_gid() == "baseline" for line in ax.lines) == 1  # the baseline drawn once
    assert ax.lines[0].get_linestyle() == "--" and ax.lines[3].get_linestyle() == "-"
    ax.figure.savefig(tmp_path / "errors.png")
    with pytest.raises(ValueError, match=r"j_cv has shape \(3,\)"):
        plot_errors(units, units, units[:3])
    plt.close("all")

