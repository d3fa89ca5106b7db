"""Week 3, lesson 2 (gradient descent): the notebook, its plot helpers, its widget and its check.

The numbers the lesson's prose states are checked against independent values: closed forms
(``(1 − αλ)^k`` on the bowl, ``3 − 3·0.8^k`` on the 1-D cost, ``J'' = −2a(1−a)²(1−3a)``), a second
implementation of gradient descent (here, and the widget's state class) and scikit-learn's
least-squares fit for the smallest possible cost of the mini-batch data.
"""

from __future__ import annotations

import json
import re
import time

import claims
import nbformat
import numpy as np
import pytest

from conftest import NOTEBOOKS, execute_notebook
from course_utils.checks.week3.gradient_descent import CASES, MISTAKES, check_gradient_descent
from course_utils.plots.week3.gradient_descent import (
    bowl_grid,
    gd_lab_data,
    plot_contour_path,
    plot_cost_curves,
    plot_descent_1d,
    plot_logistic_costs,
    second_differences,
)
from course_utils.widgets.gradient_descent import (
    CONVERGED_RATIO,
    GradientDescentLab,
    GradientDescentSliders,
)

NOTEBOOK = NOTEBOOKS / "week3" / "02_gradient_descent.ipynb"
STUB = "raise NotImplementedError()"
LAMBDA = np.array([1.0, 10.0])
START = np.array([-8.0, 2.5])
J_START = (64 + 10 * 6.25) / 2  # by hand: 63.25


def descend(grad, w0, alpha, steps):
    """A second implementation (the test's own): every iterate, the start first."""
    out = np.empty((steps + 1, np.size(w0)))
    out[0] = w0
    for k in range(steps):
        out[k + 1] = out[k] - alpha * np.asarray(grad(out[k]))
    return out


def bowl_closed_form(alpha, steps, start=START):
    """``w_k = (1 − αλ)^k w_0`` on the bowl, shape ``(steps + 1, 2)``."""
    return (1 - alpha * LAMBDA) ** np.arange(steps + 1)[:, None] * start


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# ---- the notebook: structure (no kernel) ---------------------------------------------------------

def _nb():
    return nbformat.read(NOTEBOOK, as_version=4)


def _prose(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_notebook_reads_as_a_numpy_only_lesson():
    nb = _nb()
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# Week 3, lesson 2")
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert "use_course_style()" in code[0] and "set_seed(" in code[0]
    everything = "\n".join(code)
    assert "tensorflow" not in everything and "keras" not in everything.lower()
    assert "course_utils.reference" not in everything
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and re.search(r"\bplot_\w+\(", cell.source):
            assert nb.cells[i - 1].cell_type == "markdown", f"cell {i} plots without explanation"
    assert not [c for c in nb.cells if "raises-exception" in c.metadata.get("tags", [])]


def test_your_turn_is_stub_check_answer():
    nb = _nb()
    stubs = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and STUB in c.source]
    assert len(stubs) == 1
    (i,) = stubs
    assert "**Your turn:**" in nb.cells[i - 1].source
    assert nb.cells[i].source.startswith("def gradient_descent(grad, w0, alpha, steps):")
    assert nb.cells[i].source.rstrip().endswith(STUB)
    assert nb.cells[i + 1].source == "_ = check_gradient_descent(gradient_descent)"
    assert nb.cells[i + 2].source.startswith("One possible answer")
    assert nb.cells[i + 3].source.startswith("def gradient_descent(") and STUB not in nb.cells[i + 3].source


# ---- the notebook, executed ----------------------------------------------------------------------

RESULTS = """
import json
print("RESULTS " + json.dumps({
    "path_1d": path_1d[:, 0].tolist(), "final": {str(a): float(c[-1]) for a, c in costs.items()},
    "paths": {str(a): p.tolist() for a, p in paths.items()},
    "concave": [float(concave.min()), float(concave.max())], "d2_ce_min": float(d2_ce.min()),
    "runs": {k: v.tolist() for k, v in runs.items()}, "per_epoch": per_epoch, "J_min": float(J_min),
    "X": X.tolist(), "y": y.tolist(), "widget_alpha": lab.state.alpha,
}))
"""


def _stdout(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
                   if o.output_type == "stream" and o.name == "stdout")


def _count(nb, mime) -> int:
    return sum(mime in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The stored notebook with a last cell printing its results, executed; and its run time."""
    nb = _nb()
    nb.cells.append(nbformat.v4.new_code_cell(RESULTS))
    path = tmp_path_factory.mktemp("gd") / NOTEBOOK.name
    nbformat.write(nb, path)
    start = time.perf_counter()
    nb = execute_notebook(path)
    elapsed = time.perf_counter() - start
    text = _stdout(nb)
    line = next(li for li in text.splitlines() if li.startswith("RESULTS "))
    return nb, json.loads(line.removeprefix("RESULTS ")), text, elapsed


test_numbers_in_prose_match_the_run = claims.test_in(NOTEBOOK, "executed")

@pytest.mark.notebook
def test_notebook_runs_fast_with_its_figures_and_widget(executed):
    nb, r, out, elapsed = executed
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    assert _count(nb, "image/png") >= 5
    assert _count(nb, "application/vnd.jupyter.widget-view+json") == 1
    assert elapsed < 180, f"a NumPy-only lesson took {elapsed:.1f} s"  # runaway bound only
    # the stored stub: the check says "not written yet" and does not raise
    assert "\N{HEAVY BALLOT X} gradient_descent: not written yet: replace `raise NotImplementedError()`" in out
    assert r["widget_alpha"] == pytest.approx(0.05)


@pytest.mark.notebook
def test_filled_in_answer_passes_the_check(tmp_path):
    nb = _nb()
    (i,) = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and STUB in c.source]
    nb.cells[i].source = nb.cells[i + 3].source
    path = tmp_path / NOTEBOOK.name
    nbformat.write(nb, path)
    out = _stdout(execute_notebook(path))
    assert "\N{HEAVY CHECK MARK} gradient_descent: all 3 cases passed." in out
    assert "\N{HEAVY BALLOT X}" not in out


@pytest.mark.notebook
def test_1d_iterates_follow_the_closed_form(executed):
    _, r, out, _ = executed
    np.testing.assert_allclose(r["path_1d"], 3 - 3 * 0.8 ** np.arange(11))
    assert "w_10 = 2.6779, and 3 - 3·0.8^10 = 2.6779" in out


@pytest.mark.notebook
def test_bowl_numbers_the_prose_quotes(executed):
    nb, r, out, _ = executed
    prose = _prose(nb)
    assert "J at the start: 63.25" in out and J_START == 63.25 and "$J = 63.25$" in prose
    for a, path in r["paths"].items():
        np.testing.assert_allclose(path, bowl_closed_form(float(a), 50), rtol=1e-9, atol=1e-12)
    # "the first step ... lands exactly on the valley floor w2 = 0" (α = 0.1)
    assert "first iterates: [[-8.0, 2.5], [-7.2, 0.0], [-6.48, 0.0]]" in out
    final = r["final"]
    # too small: "still 11.7 of the starting 63.25", "0.99^50 ≈ 0.61"
    assert round(final["0.01"], 1) == 11.7 and "still $11.7$" in prose
    assert round(0.99**50, 2) == 0.61 and r"$0.99^{50} \approx 0.61$" in prose
    # right, and zigzag: both below 1e-3, within 3% of each other (same slowest factor, 0.9)
    assert final["0.1"] < 1e-3 and final["0.19"] < 1e-3
    assert abs(final["0.19"] / final["0.1"] - 1) < 0.03 and "less than $3\\%$" in prose
    # zigzag: the sign of w2 alternates for α = 0.19
    w2 = np.array(r["paths"]["0.19"])[:10, 1]
    assert np.all(w2[1:] * w2[:-1] < 0)
    # too large: "above 4 × 10^5 after 50 steps", growing at every step
    assert final["0.21"] > 4e5 and "above $4 \\times 10^{5}$" in prose
    assert np.all(np.diff(np.abs(np.array(r["paths"]["0.21"])[:, 1])) > 0)
    assert "α = 0.21: factors 1 - α·λ = (+0.79, -1.10); cost after 50 steps 4.31e+05" in out


@pytest.mark.notebook
def test_threshold_is_sharp_in_the_notebook(executed):
    _, _, out, _ = executed
    below = float(re.search(r"α = 0\.199: .* cost after 500 steps (\S+)", out).group(1))
    above = float(re.search(r"α = 0\.201: .* cost after 500 steps (\S+)", out).group(1))
    assert below < 1e-2 * J_START < J_START < above
    # independently: the closed form after 500 steps
    assert below == pytest.approx(0.5 * (LAMBDA * bowl_closed_form(0.199, 500)[-1] ** 2).sum(), rel=1e-2)
    assert above == pytest.approx(0.5 * (LAMBDA * bowl_closed_form(0.201, 500)[-1] ** 2).sum(), rel=1e-2)


def test_fastest_alpha_is_two_over_eleven():
    # "at α = 2/(λmin + λmax) = 2/11 ≈ 0.18 both shrink by 9/11 ≈ 0.82, and no α does better"
    alphas = np.linspace(0.001, 0.199, 1981)
    worst = np.array([np.abs(GradientDescentLab(alpha=a).factors).max() for a in alphas])
    assert alphas[worst.argmin()] == pytest.approx(2 / 11, abs=1e-3)
    assert worst.min() == pytest.approx(9 / 11, abs=1e-3)
    assert r"2/11 \approx 0.18" in _prose(_nb()) and r"9/11 \approx 0.82" in _prose(_nb())


@pytest.mark.notebook
def test_squared_error_is_not_convex_and_cross_entropy_is(executed):
    nb, r, out, _ = executed
    low, high = r["concave"]
    # J_sq'' = -2a(1-a)²(1-3a) < 0 exactly where a = σ(w) < 1/3, i.e. w < -ln 2
    assert low == pytest.approx(-7.96) and high < -np.log(2) < high + 0.04 + 1e-9
    assert "squared error: J'' < 0 for w from -7.96 to -0.72 (-ln 2 = -0.693)" in out
    assert r["d2_ce_min"] > 0 and "(never negative)" in out
    # the slope at w = -6, and where 100 steps of α = 1 end
    a = sigmoid(-6.0)
    slope_sq, slope_ce = 2 * (a - 1) * a * (1 - a), a - 1
    assert 150 < slope_ce / slope_sq < 250 and "about 200 times smaller" in _prose(nb)
    end_sq = descend(lambda w: 2 * (sigmoid(w) - 1) * sigmoid(w) * (1 - sigmoid(w)), -6.0, 1.0, 100)[-1, 0]
    end_ce = descend(lambda w: sigmoid(w) - 1, -6.0, 1.0, 100)[-1, 0]
    assert f"after 100 steps w = {end_sq:+.2f}, prediction σ(w) = {sigmoid(end_sq):.3f}" in out
    assert f"after 100 steps w = {end_ce:+.2f}, prediction σ(w) = {sigmoid(end_ce):.3f}" in out
    assert sigmoid(end_sq) < 0.01 and sigmoid(end_ce) > 0.5  # "still predicts almost 0" / "crossed"


def test_second_derivatives_match_the_formulas():
    w = np.linspace(-8, 8, 401)
    a = sigmoid(w)
    d2_sq = second_differences(w, (a - 1) ** 2)
    d2_ce = second_differences(w, -np.log(a))
    exact_sq = (-2 * a * (1 - a) ** 2 * (1 - 3 * a))[1:-1]
    np.testing.assert_allclose(d2_sq, exact_sq, atol=2e-4)
    np.testing.assert_allclose(d2_ce, (a * (1 - a))[1:-1], atol=2e-4)


@pytest.mark.notebook
def test_batch_minibatch_stochastic_claims(executed):
    from sklearn.linear_model import LinearRegression

    nb, r, out, _ = executed
    prose = _prose(nb)
    X, y = np.array(r["X"]), np.array(r["y"])
    fit = LinearRegression().fit(X, y)
    j_min = np.mean((fit.predict(X) - y) ** 2) / 2
    assert r["J_min"] == pytest.approx(j_min, rel=1e-9) and round(j_min, 3) == 0.118
    assert "the minimum $0.118$" in prose
    names = ["batch (B = 256)", "mini-batch (B = 32)", "stochastic (B = 1)"]
    assert [r["per_epoch"][n] for n in names] == [1, 8, 256] and "1, 8 and 256" in prose
    runs = {n: np.array(r["runs"][n]) for n in names}
    batch, mini, sgd = (runs[n] for n in names)
    assert [len(runs[n]) for n in names] == [1 + 20, 1 + 160, 1 + 5120]
    # after one epoch: 5.7, 1.5 and 0.14
    assert (round(batch[1], 1), round(mini[8], 1), round(sgd[256], 2)) == (5.7, 1.5, 0.14)
    assert "still at $5.7$, mini-batch at $1.5$" in prose and "already at $0.14$" in prose
    # smooth vs noisy: batch never rises; about a third of mini-batch and half of SGD updates do
    rises = {n: np.mean(np.diff(runs[n]) > 0) for n in names}
    assert rises[names[0]] == 0
    assert 0.25 <= rises[names[1]] <= 0.42 and 0.42 <= rises[names[2]] <= 0.58
    assert "about a third of the\n  mini-batch updates and half of the stochastic ones" in prose
    # the end: batch about twice the minimum, mini-batch on it, SGD jumping between 0.119 and 0.22
    assert 1.8 <= batch[-1] / j_min <= 2.4 and "about twice the minimum" in prose
    assert mini[-8:].max() <= 1.005 * j_min
    assert round(sgd[-256:].min(), 3) == 0.119 and round(sgd[-256:].max(), 2) == 0.22
    assert "from $0.119$ up to $0.22$" in prose


# ---- plot helpers (Agg) --------------------------------------------------------------------------

def _bowl_cost(w):
    return 0.5 * (LAMBDA * np.asarray(w) ** 2).sum(axis=-1)


def test_descent_1d_draws_the_curve_and_the_iterates():
    path = 3 - 3 * 0.8 ** np.arange(6)
    ax = plot_descent_1d(lambda w: (w - 3) ** 2, path[:, None], w_range=(-1, 7))
    curve = ax.lines[0]
    np.testing.assert_allclose(curve.get_ydata(), (curve.get_xdata() - 3) ** 2)
    np.testing.assert_allclose(ax.collections[0].get_offsets(), np.column_stack([path, (path - 3) ** 2]))
    assert ax.get_xlim() == (-1, 7)
    assert len([t for t in ax.texts]) == 5  # one arrow per step
    with pytest.raises(ValueError, match=r"\(3, 2\)"):
        plot_descent_1d(lambda w: w**2, np.zeros((3, 2)))


def test_contour_path_draws_the_path_over_the_contours():
    path = bowl_closed_form(0.1, 20)
    ax = plot_contour_path(_bowl_cost, path)
    (line,) = [li for li in ax.lines if li.get_label() == "iterates"]
    np.testing.assert_allclose(np.column_stack(line.get_data()), path)
    assert ax.get_aspect() == 1.0 and ax.collections  # equal scales, contour lines drawn
    with pytest.raises(ValueError, match=r"\(5,\)"):
        plot_contour_path(_bowl_cost, np.zeros(5))


def test_bowl_grid_calls_the_cost_once():
    calls = []

    def cost(points):
        calls.append(points.shape)
        return _bowl_cost(points)

    w1, w2, values = bowl_grid(cost, n=11)
    assert calls == [(121, 2)] and values.shape == (11, 11)
    assert values[5, 5] == 0 and values[0, 0] == pytest.approx(0.5 * (100 + 10 * 16))
    with pytest.raises(ValueError, match="one cost per row"):
        bowl_grid(lambda p: p, n=3)


def test_cost_curves_in_iterations_or_epochs():
    ax = plot_cost_curves({"a": [4.0, 2.0, 1.0], "b": np.linspace(4, 1, 9)},
                          updates_per_epoch={"a": 1, "b": 4}, floor=0.5)
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "epoch"
    np.testing.assert_allclose(ax.lines[0].get_xdata(), [0, 1, 2])
    np.testing.assert_allclose(ax.lines[1].get_xdata(), np.arange(9) / 4)  # both end at epoch 2
    assert ax.lines[2].get_ydata()[0] == 0.5
    ax = plot_cost_curves({"x": [1.0, 2.0]}, ylim=(1e-3, 1e3))
    assert ax.get_xlabel() == "iteration $k$" and ax.get_ylim() == pytest.approx((1e-3, 1e3))
    with pytest.raises(ValueError, match="empty"):
        plot_cost_curves({})


def test_logistic_costs_show_the_non_convexity():
    w = np.linspace(-8, 8, 401)
    a = sigmoid(w)
    ax_cost, ax_curv = plot_logistic_costs(w, (a - 1) ** 2, -np.log(a))
    sq, ce = ax_curv.lines[0].get_ydata(), ax_curv.lines[1].get_ydata()
    np.testing.assert_allclose(ax_cost.lines[0].get_ydata(), (a - 1) ** 2)
    # the plotted curvature: a region where the squared error's is clearly negative ...
    assert sq.min() < -0.1 and np.all(sq[ax_curv.lines[0].get_xdata() < -1] < 0)
    # ... and the cross-entropy's is >= 0 on the whole grid
    assert np.all(ce >= 0)
    # the shaded region is where the plotted squared-error curvature is negative
    shaded = ax_cost.collections[0].get_paths()[0].vertices[:, 0]
    assert shaded.min() == pytest.approx(-8, abs=0.05) and -0.75 < shaded.max() < -0.65
    with pytest.raises(ValueError, match="same"):
        plot_logistic_costs(w, a[:-1], a)


def test_gd_lab_data_keeps_a_diverging_path_drawable():
    lab = GradientDescentLab(alpha=1.0, steps=100)
    with np.errstate(over="ignore", invalid="ignore"):
        (x, y), (k, cost) = gd_lab_data(lab.path(), lab.costs())
    assert np.all(np.isfinite(x)) and np.all(np.isfinite(y)) and np.all(np.isfinite(cost))
    assert k.tolist() == list(range(101)) and cost.max() <= 1e7


# ---- the widget's state --------------------------------------------------------------------------

@pytest.mark.parametrize("alpha", [0.001, 0.01, 0.05, 0.1, 0.19, 0.2, 0.21])
def test_state_path_is_the_closed_form(alpha):
    lab = GradientDescentLab(alpha=alpha, steps=40)
    np.testing.assert_allclose(lab.path(), bowl_closed_form(alpha, 40), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(lab.path(), descend(lab.gradient, START, alpha, 40))
    assert lab.costs()[0] == J_START
    np.testing.assert_allclose(lab.factors, 1 - alpha * LAMBDA)


@pytest.mark.parametrize(("alpha", "steps", "verdict"), [
    (0.001, 50, "too slow"), (0.01, 50, "too slow"), (0.05, 50, "too slow"),
    (0.05, 100, "converges"), (0.1, 50, "converges"), (0.19, 50, "converges"),
    (0.19, 10, "oscillates"), (0.199, 50, "oscillates"), (0.2, 50, "oscillates"),
    (0.201, 100, "diverges"), (0.21, 50, "diverges"), (1.0, 100, "diverges"),
])
def test_state_verdicts(alpha, steps, verdict):
    lab = GradientDescentLab(alpha=alpha, steps=steps)
    assert lab.verdict() == verdict
    assert f"— {verdict}:" in lab.status()
    final = lab.final_cost
    if verdict == "converges":
        assert final <= CONVERGED_RATIO * J_START
    elif verdict == "diverges":
        assert not final <= J_START


def test_threshold_two_over_lambda_max():
    lab = GradientDescentLab()
    assert lab.threshold == pytest.approx(0.2)
    # just below: the cost falls (slowly); just above: it grows
    lab.set(alpha=0.2 - 1e-3, steps=100)
    assert lab.final_cost < J_START and abs(lab.factors[1]) < 1
    lab.set(alpha=0.2 + 1e-3)
    assert lab.final_cost > J_START and abs(lab.factors[1]) > 1
    # exactly at it: "w2 bounces between 2.5 and -2.5 for ever"
    lab.set(alpha=0.2, steps=100)
    np.testing.assert_allclose(lab.path()[:, 1], 2.5 * (-1.0) ** np.arange(101))
    assert lab.verdict() == "oscillates"
    assert "bounces between $2.5$ and\n$-2.5$ for ever" in _prose(_nb())


def test_state_rejects_bad_values():
    lab = GradientDescentLab()
    with pytest.raises(ValueError, match="alpha"):
        lab.set(alpha=0.0)
    with pytest.raises(ValueError, match="steps"):
        lab.set(steps=101)
    with pytest.raises(ValueError, match="steps"):
        lab.set(steps=2.5)
    with pytest.raises(ValueError, match=r"\(3,\)"):
        GradientDescentLab(start=(1.0, 2.0, 3.0))


# ---- the widget's display, driven like a learner would -------------------------------------------

def test_display_alpha_slider_is_log_scale():
    gd = GradientDescentSliders()
    s = gd.alpha_slider
    assert (s.base, s.min, s.max, s.value) == (10, -3.0, 0.0, pytest.approx(0.05))
    assert (gd.steps_slider.min, gd.steps_slider.max, gd.steps_slider.value) == (1, 100, 50)


def test_moving_the_alpha_slider_updates_state_lines_readout_and_image():
    gd = GradientDescentSliders()
    first = bytes(gd.image.value)
    assert first.startswith(b"\x89PNG") and "too-slow" in gd.readout._dom_classes
    assert "too slow" in gd.readout.value

    gd.alpha_slider.value = 0.1
    assert gd.state.alpha == pytest.approx(0.1)
    np.testing.assert_allclose(np.column_stack(gd.lines["path"].get_data()), bowl_closed_form(0.1, 50),
                               atol=1e-12)
    np.testing.assert_allclose(gd.lines["cost"].get_ydata()[:3], gd.state.costs()[:3])
    assert "converges" in gd.readout.value and "converges" in gd.readout._dom_classes
    assert "too-slow" not in gd.readout._dom_classes
    second = bytes(gd.image.value)
    assert second != first

    gd.alpha_slider.value = 0.3
    assert "diverges" in gd.readout._dom_classes and "converges" not in gd.readout._dom_classes
    assert bytes(gd.image.value) != second


def test_moving_the_steps_slider_shortens_the_path():
    gd = GradientDescentSliders()
    gd.steps_slider.value = 5
    assert gd.state.steps == 5
    assert len(gd.lines["path"].get_xdata()) == 6 and len(gd.lines["cost"].get_xdata()) == 6


# ---- the instant check ---------------------------------------------------------------------------

def test_check_cases_expected_values_are_right():
    for case in CASES:
        np.testing.assert_allclose(descend(case.grad, case.w0, case.alpha, case.steps), case.expected)
        ascent = descend(case.grad, case.w0, -case.alpha, case.steps)
        np.testing.assert_allclose(ascent, case.mistakes["ascent"])
        no_alpha = descend(case.grad, case.w0, 1.0, case.steps)
        np.testing.assert_allclose(no_alpha, case.mistakes["no_alpha"])


def _verdict(func, capsys) -> tuple[bool, str]:
    ok = check_gradient_descent(func)
    return ok, capsys.readouterr().out


def test_check_passes_a_right_answer(capsys):
    ok, out = _verdict(descend, capsys)
    assert ok and out.startswith("\N{HEAVY CHECK MARK} gradient_descent: all 3 cases passed.")

    def as_list(grad, w0, alpha, steps):  # a list of arrays is fine too
        return list(descend(grad, w0, alpha, steps))

    assert _verdict(as_list, capsys)[0]


def _ascent(grad, w0, alpha, steps):
    return descend(grad, w0, -alpha, steps)


def _no_alpha(grad, w0, alpha, steps):
    return descend(grad, w0, 1.0, steps)


def _aliased(grad, w0, alpha, steps):
    w = np.array(w0, dtype=float)
    path = [w]
    for _ in range(steps):
        w -= alpha * grad(w)
        path.append(w)
    return np.array(path)


def _mutates_w0(grad, w0, alpha, steps):
    out = descend(grad, w0, alpha, steps)
    w0[:] = out[-1]
    return out


@pytest.mark.parametrize(("func", "key"), [
    (_ascent, "ascent"), (_no_alpha, "no_alpha"), (_aliased, "aliased"),
    (lambda g, w0, a, s: descend(g, w0, a, s)[1:], "no_start"),
    (lambda g, w0, a, s: descend(g, w0, a, s - 1), "one_step_short"),
    (lambda g, w0, a, s: descend(g, w0, a, s + 1), "one_step_long"),
    (lambda g, w0, a, s: descend(g, w0, a, s)[-1], "last_only"),
    (lambda g, w0, a, s: descend(g, w0, a, s).T, "transposed"),
])
def test_check_names_the_mistake(func, key, capsys):
    ok, out = _verdict(func, capsys)
    assert not ok and out.startswith("\N{HEAVY BALLOT X} gradient_descent: case 1 of 3 failed")
    assert f"Likely mistake: {MISTAKES[key]}" in out


def test_check_names_other_failures(capsys):
    ok, out = _verdict(_mutates_w0, capsys)
    assert not ok and "w0 was changed" in out

    def stub(grad, w0, alpha, steps):
        raise NotImplementedError()

    ok, out = _verdict(stub, capsys)
    assert not ok and out.startswith("\N{HEAVY BALLOT X} gradient_descent: not written yet")
    ok, out = _verdict(lambda g, w0, a, s: None, capsys)
    assert not ok and "no `return` statement" in out
    ok, out = _verdict(descend(_bowl_cost, START, 0.1, 1), capsys)
    assert not ok and "needs the function itself" in out
    ok, out = _verdict(lambda g, w0, a, s: descend(g, w0, a, s) + 1.0, capsys)
    assert not ok and "None of the usual mistakes" in out
