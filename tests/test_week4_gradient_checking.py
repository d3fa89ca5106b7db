"""Week 4, lesson 3 (gradient checking): the notebook reads as a lesson and runs top to bottom in
a fresh kernel; every number its prose states is pinned here, against a second implementation of
the backward pass (``course_utils.reference.deep``), exact arithmetic and closed forms; the
instant checks name each typical mistake; the plot helpers draw what they say.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest

from conftest import (
    NOTEBOOKS,
    WEEK4_GRADED,
    assert_hands_out_no_graded_answer,
    execute_with_results,
)
from course_utils.checks import check_numerical_gradient, check_relative_difference
from course_utils.checks.week4.gradient_checking import (
    MISTAKES,
    NUMERICAL_GRADIENT_CASES,
    RELATIVE_DIFFERENCE_CASES,
)
from course_utils.plots.week4.gradient_checking import (
    LOG_FLOOR,
    plot_epsilon_sweep,
    plot_parameter_differences,
)
from course_utils.reference.deep import model_backward, model_forward

LESSON = NOTEBOOKS / "week4" / "03_gradient_checking.ipynb"
STUB = "raise NotImplementedError()"
#: (function, its check), in the order of the your-turn cells.
YOUR_TURN = [("numerical_gradient", "check_numerical_gradient"),
             ("relative_difference", "check_relative_difference")]
#: NumPy-only lessons run in a few seconds (measured: about 3 s with the kernel's start).
TIME_LIMIT_S = 180  # a runaway bound only: speed is benchmarks/notebooks.py's job


def _code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def _stdout(nb) -> str:
    return "".join(o.get("text", "") for c in _code(nb) for o in c.outputs
                   if o.output_type == "stream" and o.name == "stdout")


def _stub_cells(nb) -> list[int]:
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and STUB in c.source]


# ---- structure: cheap, no kernel ---------------------------------------------------------------

def test_lesson_reads_as_a_lesson():
    nb = nbformat.read(LESSON, as_version=4)
    assert nb.cells[0].cell_type == "markdown"
    assert nb.cells[0].source.startswith("# Week 4, lesson 3 — Gradient checking")
    first = _code(nb)[0].source
    assert "use_course_style()" in first and "set_seed(" in first
    assert all(check in first for _, check in YOUR_TURN)
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert sum("$$" in text for text in markdown) >= 4  # formulas in LaTeX
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and re.search(r"\bplot_\w+\(", cell.source):
            assert nb.cells[i - 1].cell_type == "markdown", f"cell {i} plots without explanation"
    # the four parts of the issue each have their place
    for heading in ["## 2. Two-sided differences", "## 3. One number: the relative difference",
                    "### A deliberately broken backward pass", "## 5. Which $\\varepsilon$?",
                    "## 6. Practical rules"]:
        assert any(text.startswith(heading) for text in markdown), heading


def test_your_turn_cells_are_stub_check_answer():
    nb = nbformat.read(LESSON, as_version=4)
    stubs = _stub_cells(nb)
    assert len(stubs) == len(YOUR_TURN)
    for stub, (func, check) in zip(stubs, YOUR_TURN):
        define = f"def {func}("
        assert "**Your turn:**" in nb.cells[stub - 1].source
        assert nb.cells[stub].source.startswith(define)
        assert nb.cells[stub].source.rstrip().endswith(STUB)
        assert nb.cells[stub + 1].source == f"_ = {check}({func})"
        assert nb.cells[stub + 2].source == "One possible answer:"
        answer = nb.cells[stub + 3].source
        assert answer.startswith(define) and STUB not in answer


def test_lesson_hands_out_no_graded_answer_and_stays_numpy_only():
    nb = nbformat.read(LESSON, as_version=4)
    assert_hands_out_no_graded_answer(nb, WEEK4_GRADED)
    assert not [c for c in _code(nb) if "raises-exception" in c.metadata.get("tags", [])]


# ---- the notebook, executed --------------------------------------------------------------------

RESULTS = """
import json
print("RESULTS " + json.dumps({
    "X": X.tolist(), "Y": Y.tolist(), "params": {k: v.tolist() for k, v in params.items()},
    "names": names, "theta": theta.tolist(), "g": g.tolist(), "g_approx": g_approx.tolist(),
    "g_broken": g_broken.tolist(), "check": check, "broken_check": broken_check,
    "J0": J(theta), "J_gd": J(theta_gd), "epsilons": epsilons.tolist(), "sweep": sweep,
    "kinks": [kinks_crossed(e) for e in epsilons], "smallest_z": float(smallest_z),
    "lam": lam, "forgot": forgot, "included": included, "weight_term": weight_term.tolist(),
    "J_trained": J(theta_trained), "g_trained": g_trained.tolist(),
    "after": {f"{k:.0e}": v for k, v in after.items()},
}))
"""


def _run(path, tmp_path, fill=False):
    """Execute the lesson (``fill``: the your-turn stubs replaced by the lesson's own answers),
    with a last cell printing its results; return the notebook, the results and the time."""
    nb = nbformat.read(path, as_version=4)
    if fill:
        for stub in _stub_cells(nb):
            nb.cells[stub].source = nb.cells[stub + 3].source
    nb, results, elapsed = execute_with_results(nb, path.name, tmp_path, RESULTS)
    assert not [o for c in _code(nb) for o in c.outputs if o.output_type == "error"]
    return nb, results, elapsed


@pytest.fixture(scope="module")
def lesson(tmp_path_factory):
    """The lesson as stored (with its stubs), executed once for the tests below."""
    return _run(LESSON, tmp_path_factory.mktemp("w4l3"))


def _vector(grads, params):
    return np.concatenate([np.asarray(grads[f"d{k}"]).ravel() for k in params])


@pytest.mark.notebook
def test_stored_lesson_runs_fast_and_its_checks_say_not_written_yet(lesson):
    nb, _, elapsed = lesson
    assert elapsed < TIME_LIMIT_S, f"{elapsed:.1f} s"
    out = _stdout(nb)
    for func, _ in YOUR_TURN:
        assert (f"\N{HEAVY BALLOT X} {func}: not written yet: replace `raise NotImplementedError()` "
                "by your code.") in out
    images = sum("image/png" in o.get("data", {}) for c in _code(nb) for o in c.outputs)
    assert images == 2
    assert "W1: (2, 5)   b1: (5,)   W2: (5, 3)   b2: (3,)   W3: (3, 1)   b3: (1,)" in out
    assert "\n37 parameters\n" in out
    assert "theta: (37,), from W1[0] to b3[0]; back to a dictionary unchanged: True" in out


@pytest.mark.notebook
def test_backprop_agrees_with_a_second_implementation_and_the_check(lesson):
    nb, r, _ = lesson
    params = {k: np.array(v) for k, v in r["params"].items()}
    X, Y = np.array(r["X"]), np.array(r["Y"])
    # The notebook's compact backward pass gives the reference blocks' gradient (row convention,
    # same names), and its own two-sided differences agree with both.
    AL, caches = model_forward(X, params)
    reference = _vector(model_backward(AL, Y, caches), params)
    g, g_approx = np.array(r["g"]), np.array(r["g_approx"])
    np.testing.assert_allclose(g, reference, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(g_approx, reference, rtol=1e-6, atol=1e-8)
    # "About 2e-9: well under the 1e-7 of the rule"
    assert 1.5e-9 < r["check"] < 3e-9 and r["check"] < 1e-7
    independent = np.linalg.norm(reference - g_approx) / (
        np.linalg.norm(reference) + np.linalg.norm(g_approx))
    assert r["check"] == pytest.approx(independent, rel=1e-6)
    assert "relative difference, correct backward pass: 2.2e-09" in _stdout(nb)


@pytest.mark.notebook
def test_the_broken_backward_pass_is_found_and_localised_to_W2(lesson):
    nb, r, _ = lesson
    names = r["names"]
    g, g_approx, broken = (np.array(r[k]) for k in ("g", "g_approx", "g_broken"))
    in_w2 = np.array([n.startswith("W2[") for n in names])
    # the planted bug is exactly "dW2 without 1/m": m = 20 times the right dW2, nothing else moved
    assert np.array_equal(broken[~in_w2], g[~in_w2])
    np.testing.assert_allclose(broken[in_w2], 20 * g[in_w2], rtol=1e-12)
    # "0.88: far above 1e-3, a bug"
    assert 0.875 <= r["broken_check"] < 0.885
    assert "relative difference, dW2 without 1/m: 0.88" in _stdout(nb)
    gaps = np.abs(broken - g_approx)
    # "Outside W2 every entry agrees to about 1e-9 ... no entry differs by more than 2e-9"
    assert gaps[~in_w2].max() < 2e-9
    # "the 13 entries whose gradient is not zero are off by 3e-3 to 7; the two others are exactly
    # 0 both ways"
    zero = in_w2 & (g == 0)
    assert zero.sum() == 2 and np.all(broken[zero] == 0) and np.all(np.abs(g_approx[zero]) < 1e-9)
    # "(their inputs are 0 on every example that reaches them)": W2[0] and W2[6] are W2[0, 0] and
    # W2[2, 0]; layer-1 units 0 and 2 are 0 wherever layer-2 unit 0 is on
    assert [names[i] for i in np.flatnonzero(zero)] == ["W2[0]", "W2[6]"]
    params = {k: np.array(v) for k, v in r["params"].items()}
    _, caches = model_forward(np.array(r["X"]), params)
    (A1, _, _), Z2 = caches[1]
    assert (Z2[:, 0] > 0).any() and np.all(A1[Z2[:, 0] > 0][:, [0, 2]] == 0)
    off = gaps[in_w2 & ~zero]
    assert len(off) == 13 and 3e-3 <= off.min() < 4e-3 and 7 < off.max() < 7.5
    # the five worst entries are all in W2, with ratio 20 = m
    out = _stdout(nb)
    rows = re.findall(r"^\s*(\S+): backprop .* ratio ([\d.]+)$", out, flags=re.M)
    assert len(rows) == 5 and all(n.startswith("W2[") and float(x) == 20.0 for n, x in rows)
    assert [n for n, _ in rows] == [names[i] for i in np.argsort(gaps)[::-1][:5]]
    assert "largest difference outside W2: 1.6e-09" in out
    # "Gradient descent with it still lowers the cost"
    assert r["J_gd"] < r["J0"] - 0.1


def _slope(eps, err):
    return float(np.polyfit(np.log10(eps), np.log10(err), 1)[0])


@pytest.mark.notebook
def test_epsilon_sweep_is_a_v_with_the_minimum_near_the_cube_root_of_machine_epsilon(lesson):
    nb, r, _ = lesson
    eps = np.array(r["epsilons"])
    one, two = np.array(r["sweep"]["one-sided"]), np.array(r["sweep"]["two-sided"])
    assert eps[0] == pytest.approx(1e-12) and eps[-1] == pytest.approx(1e-1) and len(eps) == 23
    u = np.finfo(float).eps
    # the minima: two-sided at 1e-5, within a decade of ∛u = 6.1e-6; one-sided at 3e-8 (≈ √u)
    best_two, best_one = eps[np.argmin(two)], eps[np.argmin(one)]
    assert 1e-6 <= best_two <= 1e-4 and best_two == pytest.approx(1e-5)
    assert abs(math.log10(best_two / u ** (1 / 3))) < 1
    assert best_one == pytest.approx(10 ** -7.5) and abs(math.log10(best_one / u ** 0.5)) < 0.5
    # "about 700 times lower than the one-sided minimum"
    assert 600 < one.min() / two.min() < 800
    # left arm, round-off: slope -1 for both
    left = eps <= 1e-8
    assert _slope(eps[left], two[left]) == pytest.approx(-1, abs=0.1)
    assert _slope(eps[left], one[left]) == pytest.approx(-1, abs=0.1)
    # right arm, truncation: slope 2 two-sided, slope 1 one-sided (before any kink is crossed)
    right_two, right_one = (eps >= 1e-4) & (eps <= 1e-2), (eps >= 1e-6) & (eps <= 1e-2)
    assert _slope(eps[right_two], two[right_two]) == pytest.approx(2, abs=0.05)
    assert _slope(eps[right_one], one[right_one]) == pytest.approx(1, abs=0.05)
    # "beyond 1e-2 the two-sided curve jumps": a nudge moves some Z across ReLU's kink
    kinks = dict(zip(eps, r["kinks"]))
    assert all(k == 0 for e, k in kinks.items() if e <= 1.01e-2)
    assert kinks[eps[-2]] == 8 and kinks[eps[-1]] == 27
    assert two[-2] > 1000 * two[-3]
    assert r["smallest_z"] == pytest.approx(0.0166087, rel=1e-4)
    out = _stdout(nb)
    assert "machine epsilon u = 2.2e-16, cube root 6.1e-06, square root 1.5e-08" in out
    assert "two-sided: smallest relative difference 2.3e-11 at eps = 1e-05" in out
    assert "one-sided: smallest relative difference 1.6e-08 at eps = 3e-08" in out
    # "ε = 1e-7 ... still gives 2e-9" (the check of section 4 is the sweep's point at 1e-7)
    assert two[np.argmin(abs(eps - 1e-7))] == pytest.approx(r["check"], rel=1e-12)


@pytest.mark.notebook
def test_regularisation_and_training_rules(lesson):
    nb, r, _ = lesson
    params = {k: np.array(v) for k, v in r["params"].items()}
    # the term the gradient needs is λ/m·W for each W and nothing for the biases
    expected = np.concatenate([(r["lam"] / 20 * v if k.startswith("W") else 0 * v).ravel()
                               for k, v in params.items()])
    np.testing.assert_allclose(r["weight_term"], expected, rtol=1e-15)
    assert r["lam"] == 0.1
    # "forgetting it gives about 2e-2: a bug; added, the check is back near 1e-9"
    assert 1.5e-2 < r["forgot"] < 3e-2 and r["included"] < 5e-9
    # after 2000 steps: cost 0.9015 -> 0.0957; the gradient 250 times shorter; with ε = 1e-7 the
    # check passes "only just" (9e-8), with ε = 1e-5 it is 1e-9 again
    assert r["J0"] == pytest.approx(0.9015, abs=5e-5) and r["J_trained"] == pytest.approx(0.0957, abs=5e-5)
    shrink = np.linalg.norm(r["g"]) / np.linalg.norm(r["g_trained"])
    assert 200 < shrink < 300
    assert 8e-8 < r["after"]["1e-07"] < 1e-7
    assert r["after"]["1e-05"] < 2e-9
    out = _stdout(nb)
    assert "L2 term in J, forgotten in the gradient: 2.2e-02" in out
    # The printed values are the recorded ones (their last digit moves with the BLAS: 8.4e-08 and
    # 9.7e-10 with NumPy 2.4's OpenBLAS, 8.6e-08 and 9.8e-10 before); the ranges above pin the facts.
    for eps in ("1e-07", "1e-05"):
        assert (f"relative difference at the trained parameters, eps = {eps}: "
                f"{r['after'][eps]:.1e}") in out


@pytest.mark.notebook
def test_filled_with_its_answers_every_check_passes(tmp_path):
    nb, r, _ = _run(LESSON, tmp_path, fill=True)
    out = _stdout(nb)
    assert "\N{HEAVY BALLOT X}" not in out
    assert "\N{HEAVY CHECK MARK} numerical_gradient: all 4 cases passed" in out
    assert "\N{HEAVY CHECK MARK} relative_difference: all 4 cases passed." in out
    assert 1.5e-9 < r["check"] < 3e-9


# ---- the instant checks ------------------------------------------------------------------------

def _two_sided(f, theta, eps):
    theta = np.array(theta, dtype=float)
    out = np.zeros_like(theta)
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = eps
        out[i] = (f(theta + step) - f(theta - step)) / (2 * eps)
    return out


def _relative(g, ga):
    g, ga = np.asarray(g, float), np.asarray(ga, float)
    return float(np.sqrt(np.sum((g - ga) ** 2)) / (np.sqrt(np.sum(g ** 2)) + np.sqrt(np.sum(ga ** 2))))


def test_stored_expected_values_are_exact_two_sided_differences():
    for case in NUMERICAL_GRADIENT_CASES:
        f, theta, eps = case.args
        eps_q = Fraction(eps).limit_denominator(10**6)
        exact = []
        for i in range(len(theta)):
            plus = [Fraction(int(t)) + (eps_q if j == i else 0) for j, t in enumerate(theta)]
            minus = [Fraction(int(t)) - (eps_q if j == i else 0) for j, t in enumerate(theta)]
            exact.append(float((f(plus) - f(minus)) / (2 * eps_q)))
        assert exact == pytest.approx(case.expected, rel=1e-15), case.name
    for case in RELATIVE_DIFFERENCE_CASES:
        assert _relative(*case.args) == pytest.approx(case.expected, rel=1e-14, abs=0), case.name


def test_right_answers_pass(capsys):
    assert check_numerical_gradient(_two_sided)
    assert check_relative_difference(_relative)
    # the default eps of the lesson's signature is allowed too
    assert check_numerical_gradient(lambda f, theta, eps=1e-7: _two_sided(f, theta, eps))
    out = capsys.readouterr().out
    assert out.count("\N{HEAVY CHECK MARK}") == 3 and "\N{HEAVY BALLOT X}" not in out


def _forward(f, theta, eps):
    theta = np.array(theta, dtype=float)
    return np.array([(f(theta + eps * e) - f(theta)) / eps for e in np.eye(theta.size)])


def _backward(f, theta, eps):
    theta = np.array(theta, dtype=float)
    return np.array([(f(theta) - f(theta - eps * e)) / eps for e in np.eye(theta.size)])


def _no_two(f, theta, eps):
    return 2 * _two_sided(f, theta, eps)


def _flipped(f, theta, eps):
    return -_two_sided(f, theta, eps)


def _all_at_once(f, theta, eps):
    theta = np.array(theta, dtype=float)
    return np.full(theta.size, (f(theta + eps) - f(theta - eps)) / (2 * eps))


def _not_restored(f, theta, eps):
    theta = np.array(theta, dtype=float)
    out = np.zeros_like(theta)
    for i in range(theta.size):
        theta[i] += eps
        plus = f(theta)
        theta[i] -= 2 * eps
        out[i] = (plus - f(theta)) / (2 * eps)
    return out


def _integer_copy(f, theta, eps):
    out = np.zeros(len(theta))
    for i in range(len(theta)):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += eps
        minus[i] -= eps
        out[i] = (f(plus) - f(minus)) / (2 * eps)
    return out


def _fixed_eps(f, theta, eps):
    return _two_sided(f, theta, 1e-7)


def _in_place(f, theta, eps):
    out = np.zeros(theta.size)
    for i in range(theta.size):
        theta[i] += eps
        plus = f(theta)
        theta[i] -= 2 * eps
        out[i] = (plus - f(theta)) / (2 * eps)
        theta[i] += eps  # "restored", but θ + ε − 2ε + ε need not be θ in floating point
    return out


@pytest.mark.parametrize(("wrong", "mistake"), [
    (_forward, "one_sided"), (_backward, "one_sided"), (_no_two, "missing_2"),
    (_flipped, "wrong_sign"), (_all_at_once, "all_at_once"), (_not_restored, "not_restored"),
    (_integer_copy, "integer_theta"), (_fixed_eps, "eps_ignored"),
])
def test_numerical_gradient_mistakes_are_named(wrong, mistake, capsys):
    assert not check_numerical_gradient(wrong)
    out = capsys.readouterr().out
    assert out.startswith("\N{HEAVY BALLOT X} numerical_gradient: case ")
    assert MISTAKES[mistake] in out, out


def test_an_in_place_nudge_that_moves_theta_is_reported(capsys):
    assert not check_numerical_gradient(_in_place)
    out = capsys.readouterr().out
    assert re.search(r"got: +θ changed from \[1\., 2\.\] to \[\S+, \S+\] by the call", out), out
    assert "nudged in place" in out


def _norm(v, kind):
    v = np.asarray(v, float)
    return {"l2": np.sqrt(np.sum(v ** 2)), "sq": np.sum(v ** 2), "l1": np.sum(np.abs(v)),
            "max": np.max(np.abs(v))}[kind]


@pytest.mark.parametrize(("wrong", "mistake"), [
    (lambda g, ga: _norm(g - ga, "l2"), "absolute"),
    (lambda g, ga: _norm(g - ga, "sq") / (_norm(g, "sq") + _norm(ga, "sq")), "squared_norms"),
    (lambda g, ga: _norm(g - ga, "l2") / _norm(g + ga, "l2"), "norm_of_sum"),
    (lambda g, ga: _norm(g - ga, "l1") / (_norm(g, "l1") + _norm(ga, "l1")), "l1_norm"),
    (lambda g, ga: _norm(g - ga, "max") / (_norm(g, "max") + _norm(ga, "max")), "max_norm"),
    (lambda g, ga: _norm(g - ga, "l2") / _norm(g, "l2"), "grad_only_denominator"),
    (lambda g, ga: abs(_norm(g, "l2") - _norm(ga, "l2")) / (_norm(g, "l2") + _norm(ga, "l2")),
     "difference_of_norms"),
], ids=["absolute", "squared", "norm_of_sum", "l1", "max", "grad_only", "difference_of_norms"])
def test_relative_difference_mistakes_are_named(wrong, mistake, capsys):
    assert not check_relative_difference(wrong)
    out = capsys.readouterr().out
    assert MISTAKES[mistake] in out, out


def test_stubs_elementwise_answers_and_non_functions_get_their_own_verdicts(capsys):
    def stub(*_):
        raise NotImplementedError()

    assert not check_numerical_gradient(stub) and not check_relative_difference(stub)
    assert not check_relative_difference(lambda g, ga: np.abs(g - ga) / (np.abs(g) + np.abs(ga)))
    assert not check_numerical_gradient(lambda f, theta, eps: float(f(theta)))
    assert not check_relative_difference(0.5)
    out = capsys.readouterr().out
    assert out.count("not written yet: replace `raise NotImplementedError()` by your code.") == 2
    assert "the result is a single float, not one value per entry" in out
    assert "return one partial derivative per entry of θ, an array of shape (1,)" in out
    assert "check_relative_difference needs the function itself" in out


# ---- the plot helpers --------------------------------------------------------------------------

def test_epsilon_sweep_marks_each_minimum_and_the_cube_root(tmp_path):
    eps = np.logspace(-12, -1, 12)
    two = 1e-16 / eps + eps ** 2  # a V with its minimum near ∛(1e-16 / 2)
    one = 1e-16 / eps + eps
    ax = plot_epsilon_sweep(eps, {"one-sided": one, "two-sided": two})
    curves, circles = ax.lines[:2], ax.lines[2:4]
    np.testing.assert_allclose(curves[1].get_ydata(), two)
    assert circles[0].get_xdata()[0] == eps[np.argmin(one)]
    assert circles[1].get_xdata()[0] == eps[np.argmin(two)]
    assert circles[1].get_color() == curves[1].get_color()
    u = np.finfo(float).eps
    assert ax.lines[4].get_xdata()[0] == pytest.approx(u ** (1 / 3))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[1] == f"two-sided: smallest {two.min():.0e} at ε = {eps[np.argmin(two)]:.0e}"
    assert "6.1e-06" in labels[2]
    assert ax.get_xscale() == ax.get_yscale() == "log"
    ax.figure.savefig(tmp_path / "sweep.png")
    assert (tmp_path / "sweep.png").stat().st_size > 10_000


def test_parameter_differences_one_band_per_array(tmp_path):
    blocks = [("W1", 4), ("b1", 2), ("W2", 2), ("b2", 1)]
    diffs = np.array([1e-9, 2e-9, 0.0, 1e-10, 3e-10, 1e-9, 5.0, 0.5, 1e-9])
    ax = plot_parameter_differences(diffs, blocks)
    assert [t.get_text() for t in ax.texts] == ["W1", "b1", "W2", "b2"]
    heights = np.concatenate([seg[:, 1, 1] for c in ax.collections for seg in [np.array(c.get_segments())]])
    np.testing.assert_allclose(heights, np.maximum(diffs, LOG_FLOOR))
    assert ax.get_yscale() == "log" and ax.get_ylim()[1] == pytest.approx(150)
    assert len(ax.patches) == 2  # b1 and b2 shaded
    ax.figure.savefig(tmp_path / "diffs.png")
    with pytest.raises(ValueError, match=r"\(9,\).*n = 10"):
        plot_parameter_differences(diffs, [("W1", 10)])
    plt.close("all")
