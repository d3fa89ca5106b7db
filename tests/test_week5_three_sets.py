"""Week 5, lesson 1 (three sets: training, cross-validation, test): the notebook reads as a lesson
and runs top to bottom in a fresh kernel; its fits and costs agree with a second implementation
(NumPy's ``polynomial.polyfit``, data regenerated here from the generator's formula); every claim
its prose makes about the run and the 1000 experiments is pinned, the "true" costs against an
exact integral rather than the notebook's fresh samples; the instant check names each typical
mistake; the plot helpers draw what they say.
"""

from __future__ import annotations

import re

import claims
import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from numpy.polynomial import polynomial as P

from conftest import (
    NOTEBOOKS,
    assert_hands_out_no_graded_answer,
    assert_mistakes_told_apart,
    assert_reads_as_a_lesson,
    assert_your_turn_cells,
    execute_with_results,
    fill_your_turns,
    markdown_text,
    printed,
)
from course_utils.checks import check_best_degree
from course_utils.checks.week5.three_sets import CASES, MISTAKES
from course_utils.plots.week5.three_sets import (
    SET_STYLES,
    plot_cost_by_complexity,
    plot_reported_vs_true,
    plot_sets_and_fits,
)

LESSON = NOTEBOOKS / "week5" / "01_three_sets.ipynb"
YOUR_TURN = [("best_degree", "check_best_degree")]
#: What week 5's graded assignment asks learners to write: the lesson must not hand it out.
WEEK5_GRADED = ["split_data", "classification_error", "diagnose", "choose_lambda",
                "build_transfer_model"]
#: NumPy only: a few seconds of work on a quiet machine; the bound leaves room for a loaded one.
TIME_LIMIT_S = 180  # a runaway bound only: speed is benchmarks/notebooks.py's job
NOISE = 0.3
FLOOR = NOISE**2 / 2
DEGREES = list(range(1, 11))


def _code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


# ---- structure: cheap, no kernel ---------------------------------------------------------------

def test_lesson_reads_as_a_lesson_with_one_your_turn():
    nb = nbformat.read(LESSON, as_version=4)
    assert_reads_as_a_lesson(nb, "# Week 5, lesson 1 — Three sets: training, cross-validation, test")
    assert_your_turn_cells(nb, YOUR_TURN)
    text = markdown_text(nb)
    for heading in ["## 1. A generator of data", "## 2. Three sets",
                    "## 3. Polynomials of degree 1 to 10", "## 4. The test set: one number, once",
                    "## 5. Why a test cost used for choosing is no longer an estimate",
                    "## Summary"]:
        assert heading in text, heading
    # the formulas: the generator, the cost on each set, the polynomial
    assert sum("$$" in c.source for c in nb.cells if c.cell_type == "markdown") >= 3
    assert r"J_{train}(\vec{w}) = \frac{1}{2 m_{train}}" in text


def test_lesson_hands_out_no_graded_answer_and_stays_numpy_only():
    nb = nbformat.read(LESSON, as_version=4)
    assert_hands_out_no_graded_answer(nb, WEEK5_GRADED)
    assert not [c for c in _code(nb) if "raises-exception" in c.metadata.get("tags", [])]


def test_test_set_is_used_once_before_the_experiments():
    # "now, and only now, the test set is used, for this one model": before section 5 the code
    # touches the test examples in exactly one place, the chosen model's cost.
    nb = nbformat.read(LESSON, as_version=4)
    cells = nb.cells[:next(i for i, c in enumerate(nb.cells)
                           if c.source.startswith("## 5. Why a test cost"))]
    uses = [line.strip() for c in cells if c.cell_type == "code"
            for line in c.source.splitlines() if re.search(r"\[test\]", line)]
    assert uses == ["j_test = cost(w, X[test], y[test])"]
    assert "chosen = best_degree(degrees, {\"train\": j_train, \"cv\": j_cv})" in "\n".join(
        c.source for c in cells)


# ---- the notebook, executed --------------------------------------------------------------------

RESULTS = """
import json as _json
print("RESULTS " + _json.dumps({
    "train": train.tolist(), "cv": cv.tolist(), "test": test.tolist(), "x": x.tolist(),
    "y": y.tolist(), "weights": {str(d): w.tolist() for d, w in weights.items()},
    "j_train": j_train.tolist(), "j_cv": j_cv.tolist(), "chosen": int(chosen),
    "j_test": j_test, "j_fresh": j_fresh, "costs": costs.tolist(),
}))
"""


def _run(folder, fill=False):
    nb = nbformat.read(LESSON, as_version=4)
    if fill:
        nb = fill_your_turns(nb, [func for func, _ in YOUR_TURN])
    nb, results, elapsed = execute_with_results(nb, LESSON.name, folder, RESULTS)
    assert not [o for c in _code(nb) for o in c.outputs if o.output_type == "error"]
    return nb, results, elapsed


@pytest.fixture(scope="module")
def lesson(tmp_path_factory):
    """The lesson as stored (with its stub), executed once for the tests below."""
    return _run(tmp_path_factory.mktemp("w5l1"))


test_numbers_in_prose_match_the_run = claims.test_in(LESSON, "lesson")

def _true_curve(x):
    return np.sin(np.pi * x + 0.5)


def _data(seed, m=60, fresh=0):
    """The generator, written again from the lesson's formulas: x = cos(πu), y = sin(πx + 0.5) +
    0.3·noise; then the shuffle into 36 / 12 / 12, then (the experiments) fresh examples."""
    rng = np.random.default_rng(seed)
    x = np.cos(np.pi * rng.uniform(0, 1, m))
    y = _true_curve(x) + NOISE * rng.standard_normal(m)
    order = rng.permutation(m)
    return x, y, (order[:36], order[36:48], order[48:]), rng


def _J(coef, x, y):
    """The lesson's cost, 1/(2m) Σ (f(x) − y)², with NumPy's own polynomial evaluation."""
    return float(np.mean((P.polyval(x, coef) - y) ** 2) / 2)


#: Midpoints of u in [0, 1]: x = cos(πu) at these points samples the generator's x exactly.
_U = (np.arange(20_000) + 0.5) / 20_000


def _exact_true_cost(coef):
    """What a polynomial costs on average on new examples, by quadrature instead of sampling:
    (E_x[(f(x) − sin(πx + 0.5))²] + 0.3²) / 2, with x = cos(πu), u uniform."""
    x = np.cos(np.pi * _U)
    return float((np.mean((P.polyval(x, coef) - _true_curve(x)) ** 2) + NOISE**2) / 2)


@pytest.mark.notebook
def test_stored_lesson_runs_fast_and_its_check_says_not_written_yet(lesson):
    nb, r, elapsed = lesson
    assert elapsed < TIME_LIMIT_S, f"{elapsed:.1f} s"
    out = printed(nb)
    assert ("\N{HEAVY BALLOT X} best_degree: not written yet: replace `raise NotImplementedError()` "
            "by your code.") in out
    images = sum("image/png" in o.get("data", {}) for c in _code(nb) for o in c.outputs)
    assert images == 3
    for line in ["training 36, cross-validation 12, test 12 examples; noise floor 0.045",
                 "chosen degree: 4, J_train = 0.0477, J_cv = 0.0224",
                 "degree 4: J_cv 0.0224, J_test 0.0571, on 100 000 fresh examples 0.0499"]:
        assert line in out, line


@pytest.mark.notebook
def test_filled_with_its_answer_the_check_passes(tmp_path):
    nb, r, _ = _run(tmp_path, fill=True)
    out = printed(nb)
    assert "\N{HEAVY BALLOT X}" not in out
    assert "\N{HEAVY CHECK MARK} best_degree: all 3 cases passed." in out
    assert r["chosen"] == 4


@pytest.mark.notebook
def test_data_split_and_fits_agree_with_a_second_implementation(lesson):
    _, r, _ = lesson
    x, y, (train, cv, test), _ = _data(36)
    np.testing.assert_allclose(r["x"], x, rtol=1e-12)
    np.testing.assert_allclose(r["y"], y, rtol=1e-12)
    assert [r["train"], r["cv"], r["test"]] == [train.tolist(), cv.tolist(), test.tolist()]
    # three disjoint sets covering the 60 examples, 60% / 20% / 20%
    assert sorted(r["train"] + r["cv"] + r["test"]) == list(range(60))
    assert np.all(np.abs(x) <= 1)
    for d in DEGREES:
        coef = P.polyfit(x[train], y[train], d)  # scaled Vandermonde + lstsq, NumPy's own
        np.testing.assert_allclose(r["weights"][str(d)], coef, rtol=1e-6, atol=1e-8)
        assert r["j_train"][d - 1] == pytest.approx(_J(coef, x[train], y[train]), rel=1e-7)
        assert r["j_cv"][d - 1] == pytest.approx(_J(coef, x[cv], y[cv]), rel=1e-7)
    chosen = _exact_true_cost(P.polyfit(x[train], y[train], 4))
    # "its cost on 100 000 fresh examples": 0.0499, the exact value within sampling noise
    assert r["j_fresh"] == pytest.approx(chosen, rel=0.02)
    assert r["j_test"] == pytest.approx(_J(P.polyfit(x[train], y[train], 4), x[test], y[test]))


@pytest.mark.notebook
def test_claims_about_the_costs_by_degree(lesson):
    nb, r, _ = lesson
    j_train, j_cv = np.array(r["j_train"]), np.array(r["j_cv"])
    # "J_train only goes down": nested least-squares models
    assert np.all(np.diff(j_train) <= 1e-12)
    # "degree 1 has J_train and J_cv both high, 0.18 and 0.14, three times the noise floor"
    assert (round(j_train[0], 2), round(j_cv[0], 2)) == (0.18, 0.14)
    assert 2.5 < min(j_train[0], j_cv[0]) / FLOOR and max(j_train[0], j_cv[0]) / FLOOR < 4.5
    # "Degree 2's J_cv, 0.045, is even below its J_train, 0.097"
    assert (round(j_cv[1], 3), round(j_train[1], 3)) == (0.045, 0.097)
    # "from degree 5 on, J_train is below the noise floor ... J_cv climbs back up, not smoothly,
    # from 0.035 at degree 5 to 0.060 at degree 10"
    assert j_train[3] > FLOOR and np.all(j_train[4:] < FLOOR)
    assert (round(j_cv[4], 3), round(j_cv[9], 3)) == (0.035, 0.060)
    assert np.any(np.diff(j_cv[4:]) < 0) and np.all(j_cv[4:] > j_cv[3])
    # "J_cv is lowest at degree 4, 0.022"
    assert int(np.argmin(j_cv)) + 1 == r["chosen"] == 4 and round(j_cv[3], 3) == 0.022
    assert "     4   0.0477    0.0224" in printed(nb)
    # the figure of the fits: degree 1 underfits, degree 10 overfits, degree 4 is the best of the
    # three on new data (exact integrals)
    x, y, (train, _, _), _ = _data(36)
    truth = {d: _exact_true_cost(P.polyfit(x[train], y[train], d)) for d in (1, 4, 10)}
    assert truth[4] < truth[10] < truth[1] and j_train[9] < j_train[3]
    assert truth[4] == min(_exact_true_cost(P.polyfit(x[train], y[train], d)) for d in DEGREES)


@pytest.mark.notebook
def test_claims_about_the_chosen_model(lesson):
    _, r, _ = lesson
    j_cv = r["j_cv"][3]
    # "J_cv of the chosen model, 0.022, is far below its real cost, 0.050, and even below the noise
    # floor"; "J_test, 0.057 ... here it happens to be above the truth"
    assert round(j_cv, 3) == 0.022 and round(r["j_fresh"], 3) == 0.050 and j_cv < FLOOR
    assert round(r["j_test"], 3) == 0.057 and r["j_test"] > r["j_fresh"]


@pytest.fixture(scope="module")
def experiments(lesson):
    """The 1000 experiments, recomputed here: data regenerated, degrees fitted by NumPy's polyfit,
    the models' costs on the cross-validation and test sets, and their exact true costs."""
    _, r, _ = lesson
    cv_costs, test_costs, exact = (np.zeros((1000, 10)) for _ in range(3))
    for seed in range(1000):
        x, y, (train, cv, test), _ = _data(seed)
        for k, d in enumerate(DEGREES):
            coef = P.polyfit(x[train], y[train], d)
            cv_costs[seed, k], test_costs[seed, k] = _J(coef, x[cv], y[cv]), _J(coef, x[test], y[test])
            exact[seed, k] = _exact_true_cost(coef)
    return np.array(r["costs"]), cv_costs, test_costs, exact


@pytest.mark.notebook
def test_experiments_agree_with_a_second_implementation(experiments):
    costs, cv_costs, test_costs, exact = experiments
    assert costs.shape == (1000, 3, 10)
    np.testing.assert_allclose(costs[:, 0], cv_costs, rtol=1e-6)
    np.testing.assert_allclose(costs[:, 1], test_costs, rtol=1e-6)
    # the notebook's "true" costs come from 1000 fresh examples per run: noisy, but unbiased.
    # Model by model they are the exact value give or take sampling noise (a wildly swinging
    # degree-10 fit's cost is much noisier, hence the ratios); for the models the procedures
    # chose, their means over the runs are the exact means.
    ratio = costs[:, 2] / exact
    assert abs(ratio.mean() - 1) < 0.005 and np.median(np.abs(ratio - 1)) < 0.05
    runs = np.arange(1000)
    for chosen in (costs[:, 0].argmin(axis=1), costs[:, 1].argmin(axis=1)):
        assert costs[:, 2][runs, chosen].mean() == pytest.approx(exact[runs, chosen].mean(), rel=0.01)
    # the lesson's own data set is the run of seed 36
    assert costs[36, 0, 3] == pytest.approx(0.0224, abs=5e-5)


@pytest.mark.notebook
def test_claims_about_the_experiments(lesson, experiments):
    nb, _, _ = lesson
    costs, _, _, exact = experiments
    runs = np.arange(1000)
    on_test, on_cv = costs[:, 1].argmin(axis=1), costs[:, 0].argmin(axis=1)
    procedures = {"test": (costs[:, 1][runs, on_test], on_test),
                  "cv": (costs[:, 0][runs, on_cv], on_cv),
                  "honest": (costs[:, 1][runs, on_cv], on_cv)}

    def bias(name, truth):
        reported, chosen = procedures[name]
        gap = reported - truth[runs, chosen]
        return gap.mean() / truth[runs, chosen].mean(), 2 * gap.std(ddof=1) / np.sqrt(1000)

    for truth in (costs[:, 2], exact):  # the notebook's fresh samples, and the exact integral
        # "21% too optimistic", twice
        for name in ("test", "cv"):
            assert -0.24 < bias(name, truth)[0] < -0.18, name
        # "about right ... within two standard errors"
        relative, two_se = bias("honest", truth)
        assert abs(relative) < 0.03 and abs(relative) * exact[runs, on_cv].mean() < two_se
    # "it reports 0.046 on average, almost the noise floor, for models that really cost 0.059"
    reported = procedures["test"][0].mean()
    assert round(reported, 3) == 0.046 and 0 < reported - FLOOR < 0.002
    assert round(exact[runs, on_test].mean(), 3) == 0.059
    # "reported 0.0586, true 0.0594"
    assert round(procedures["honest"][0].mean(), 4) == 0.0586
    assert round(costs[:, 2][runs, on_cv].mean(), 4) == 0.0594
    out = printed(nb)
    for line in [" choose on test, report test: reported 0.0465, true 0.0587, off by -20.8% (± 2.9%)",
                 "     choose on cv, report cv: reported 0.0469, true 0.0594, off by -21.1% (± 5.0%)",
                 "   choose on cv, report test: reported 0.0586, true 0.0594, off by -1.4% (± 2.9%)"]:
        assert line in out, line


# ---- the instant check -------------------------------------------------------------------------

def _last_smallest(degrees, costs):
    cv = np.asarray(costs["cv"])
    return degrees[len(cv) - 1 - int(np.argmin(cv[::-1]))]


#: Each typical mistake, written as the mistaken code would compute it.
WRONG = {
    "chose_on_train": lambda d, c: d[int(np.argmin(c["train"]))],
    "chose_on_test": lambda d, c: d[int(np.argmin(c["test"]))],
    "position_not_degree": lambda d, c: int(np.argmin(c["cv"])),
    "position_plus_one": lambda d, c: int(np.argmin(c["cv"])) + 1,
    "largest_cv": lambda d, c: d[int(np.argmax(c["cv"]))],
    "returned_cost": lambda d, c: float(np.min(c["cv"])),
    "smallest_gap": lambda d, c: d[int(np.argmin(np.subtract(c["cv"], c["train"])))],
    "last_of_ties": _last_smallest,
}


def _right(degrees, costs):
    return degrees[int(np.argmin(costs["cv"]))]


def _arrays(case):
    return {name: np.array(values) for name, values in case.costs.items()}


def test_stored_answers_are_what_the_rule_and_the_mistakes_give():
    assert set(WRONG) == set(MISTAKES)
    for case in CASES:
        assert case.expected == _right(case.degrees, _arrays(case))
        assert case.mistakes == {key: f(case.degrees, _arrays(case)) for key, f in WRONG.items()}
        assert sorted(case.costs) == ["cv", "test", "train"] and case.degrees == sorted(case.degrees)
    # J_train falls in every case, as it does for nested models
    assert all(np.all(np.diff(case.costs["train"]) < 0) for case in CASES)
    # over all cases, no two mistakes give the same answers, and none gives the right ones
    assert_mistakes_told_apart(CASES, MISTAKES)


@pytest.mark.parametrize("key", sorted(WRONG))
def test_each_mistake_is_named(key, capsys):
    assert check_best_degree(WRONG[key]) is False
    out = capsys.readouterr().out
    assert MISTAKES[key] in out and "failed" in out


def test_right_answers_pass_in_several_forms(capsys):
    def loop(degrees, costs):
        best = 0
        for k in range(1, len(degrees)):
            if costs["cv"][k] < costs["cv"][best]:
                best = k
        return degrees[best]

    assert check_best_degree(_right)
    assert check_best_degree(lambda d, c: np.int64(_right(d, c)))
    assert check_best_degree(loop)
    assert check_best_degree(lambda d, c: min(zip(c["cv"], d))[1])
    assert capsys.readouterr().out.count(
        "\N{HEAVY CHECK MARK} best_degree: all 3 cases passed.") == 4


def test_other_failures_are_explained(capsys):
    def stub(d, c):
        raise NotImplementedError()

    def sorts(d, c):
        c["cv"].sort()
        return d[0]

    expectations = [
        (stub, "not written yet"),
        (sorts, "the arrays you were given are edited"),
        (lambda d, c: d[int(np.argmin(c["validation"]))], "the cross-validation (validation) "
                                                          "costs are costs['cv']"),
        (lambda d, c: [_right(d, c)], "return ONE degree"),
        (lambda d, c: None, "no `return` statement"),
        (lambda d, c: "three", "return a number, the chosen degree"),
        (lambda d, c: d[-2], "None of the usual mistakes gives this answer: the smallest J_cv, "
                             "0.09, is at position 2 of degrees, which is degree 3."),
        (lambda d, c: d[20], "an exception, IndexError"),
    ]
    for func, text in expectations:
        assert check_best_degree(func) is False
        assert text in capsys.readouterr().out, text
    assert check_best_degree(3) is False
    assert "needs the function itself" in capsys.readouterr().out


# ---- the plot helpers --------------------------------------------------------------------------

def test_plot_sets_and_fits_draws_each_set_and_curve(tmp_path):
    sets = {"training": ([0.1, 0.2, 0.3], [1, 2, 3]), "cross-validation": ([0.4], [4]),
            "test": ([0.5, 0.6], [5, 6])}
    grid = np.linspace(0, 1, 5)
    ax = plot_sets_and_fits(sets, {"degree 1": (grid, grid), "degree 4": (grid, grid**4)},
                            title="sets")
    assert [c.get_offsets().shape for c in ax.collections] == [(3, 2), (1, 2), (2, 2)]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["training (3)", "cross-validation (1)", "test (2)", "degree 1", "degree 4"]
    # training filled, the two sets the fit never saw hollow
    faces = [c.get_facecolors() for c in ax.collections]
    assert faces[0][0][3] == 1 and all(f.size == 0 or f[0][3] == 0 for f in faces[1:])
    assert SET_STYLES["training"]["marker"] != SET_STYLES["test"]["marker"]
    np.testing.assert_allclose(ax.lines[1].get_ydata(), grid**4)
    ax.figure.savefig(tmp_path / "sets.png")
    with pytest.raises(ValueError, match=r"sets\['test'\].*\(2,\).*\(3,\)"):
        plot_sets_and_fits({"test": ([1, 2], [1, 2, 3])})
    plt.close("all")


def test_plot_cost_by_complexity_marks_the_choice_and_the_floor(tmp_path):
    degrees, j_train, j_cv = [1, 2, 3, 4], [0.3, 0.1, 0.05, 0.03], [0.32, 0.12, 0.2, 0.4]
    ax = plot_cost_by_complexity(degrees, j_train, j_cv, chosen=2, floor=0.045)
    assert ax.get_yscale() == "log"
    np.testing.assert_allclose(ax.lines[0].get_ydata(), j_train)
    np.testing.assert_allclose(ax.lines[1].get_ydata(), j_cv)
    floor = next(line for line in ax.lines if line.get_label() == "noise floor")
    assert floor.get_ydata()[0] == 0.045
    marker = next(line for line in ax.lines if line.get_label().startswith("chosen"))
    assert (marker.get_xdata()[0], marker.get_ydata()[0]) == (2, 0.12)
    assert list(ax.get_xticks()) == degrees
    # the costs are labelled as plain decimals, on a log axis
    ax.figure.canvas.draw()
    shown = [t.get_text() for t in ax.get_yticklabels(minor=True) if t.get_text()]
    assert "0.05" in shown and not any("10^" in s for s in shown)
    ax.figure.savefig(tmp_path / "costs.png")
    assert plot_cost_by_complexity(degrees, j_train, j_cv, log=False).get_yscale() == "linear"
    with pytest.raises(ValueError, match="chosen = 7"):
        plot_cost_by_complexity(degrees, j_train, j_cv, chosen=7)
    with pytest.raises(ValueError, match=r"j_cv \(3,\)"):
        plot_cost_by_complexity(degrees, j_train, j_cv[:3])
    plt.close("all")


def test_plot_reported_vs_true_draws_the_means_with_two_standard_errors(tmp_path):
    rng = np.random.default_rng(0)
    reported = {"a": rng.normal(1, 0.5, 100), "b": rng.normal(2, 0.1, 100)}
    true = {"a": rng.normal(1.5, 0.2, 100), "b": rng.normal(2, 0.3, 100)}
    ax = plot_reported_vs_true(reported, true, floor=0.5)
    bars = ax.patches
    heights = [b.get_height() for b in bars]
    np.testing.assert_allclose(heights, [reported["a"].mean(), reported["b"].mean(),
                                         true["a"].mean(), true["b"].mean()])
    # each bar's error bar spans two standard errors of its mean either side
    caps = [c for c in ax.containers if hasattr(c, "errorbar") and c.errorbar]
    segments = np.concatenate([c.errorbar.lines[2][0].get_segments() for c in caps])
    halves = [(s[1][1] - s[0][1]) / 2 for s in segments]
    want = [2 * v.std(ddof=1) / 10 for v in (*reported.values(), *true.values())]
    np.testing.assert_allclose(halves, want, rtol=1e-9)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "noise floor", "reported", "true (fresh data)"]
    ax.figure.savefig(tmp_path / "bias.png")
    with pytest.raises(ValueError, match="same"):
        plot_reported_vs_true(reported, {"b": true["b"], "a": true["a"]})
    plt.close("all")
