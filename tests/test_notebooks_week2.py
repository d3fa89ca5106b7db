"""Every week-2 lesson notebook runs top to bottom in a fresh kernel; the derivatives and backprop
notebooks' numbers are checked against the syllabus's facts (W2.7, W2.8).

The graded notebook (07) is executed by tests/test_assignment_week2.py (instructor and student
versions), so it is not run a second time here.
"""

from __future__ import annotations

import json
import math
import time

import nbformat
import numpy as np
import pytest

from conftest import NOTEBOOKS, execute_notebook

pytestmark = pytest.mark.notebook

WEEK2 = NOTEBOOKS / "week2"
# ~15-25 s each on a quiet machine (TensorFlow's import alone is ~5 s); the bound only catches a
# runaway notebook (speed is measured by benchmarks/notebooks.py), with room for a
# loaded CI runner.
TIME_LIMIT_S = 180  # a runaway bound only: speed is benchmarks/notebooks.py's job


def test_the_week_has_its_seven_notebooks():
    assert sorted(p.stem for p in WEEK2.glob("*.ipynb")) == [
        "01_training_and_activations", "02_relu_sliders", "03_softmax", "04_multiclass",
        "05_derivatives", "06_backprop", "07_assignment_multiclass_digits",
    ]


def _run(path, extra_code: str | None = None, tmp_path=None):
    """Execute the notebook (with ``extra_code`` appended as a last cell); return it and the time."""
    if extra_code is not None:
        nb = nbformat.read(path, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(extra_code))
        path = tmp_path / path.name
        nbformat.write(nb, path)
    start = time.perf_counter()
    nb = execute_notebook(path)
    elapsed = time.perf_counter() - start
    for cell in nb.cells:
        if cell.cell_type == "code":
            errors = [o for o in cell.outputs if o.output_type == "error"]
            assert not errors, f"{path.name}: {cell.source[:80]!r} raised {errors[0].ename}"
    assert elapsed < TIME_LIMIT_S, f"{path.name} took {elapsed:.0f} s"
    return nb, elapsed


def _results(nb) -> dict:
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    line = next(li for li in text.splitlines() if li.startswith("RESULTS "))
    return json.loads(line.removeprefix("RESULTS "))


def _images(nb) -> int:
    return sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
               for o in c.outputs)


def _stdout(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
                   if o.output_type == "stream" and o.name == "stdout")


def _widgets(nb) -> int:
    return sum("application/vnd.jupyter.widget-view+json" in o.get("data", {})
               for c in nb.cells if c.cell_type == "code" for o in c.outputs)


@pytest.mark.parametrize(
    ("name", "min_images", "min_widgets"),
    [("01_training_and_activations", 3, 0), ("02_relu_sliders", 2, 1)],
)
def test_lesson_runs_top_to_bottom(name, min_images, min_widgets):
    nb, _ = _run(WEEK2 / f"{name}.ipynb")
    assert _images(nb) >= min_images
    assert _widgets(nb) >= min_widgets


SOFTMAX_RESULTS = """
import json
print("RESULTS " + json.dumps({
    "curve_gap": float(curve_gap), "weight_gap": float(weight_gap),
    "three": [float(from_logits), float(from_softmax_layer), float(from_probabilities)],
    "gradient": gradient.tolist(),
}))
"""


def test_softmax_notebook_shows_where_precision_goes(tmp_path):
    nb, _ = _run(WEEK2 / "03_softmax.ipynb", SOFTMAX_RESULTS, tmp_path)
    assert _images(nb) >= 2 and _widgets(nb) >= 1
    r = _results(nb)
    # "identical — the differences printed above are exactly 0": a softmax layer with the plain loss
    # trains exactly like a linear layer with from_logits=True (same start, same batches)
    assert r["curve_gap"] == 0.0 and r["weight_gap"] == 0.0
    out = _stdout(nb)
    assert "largest difference between the two cost curves: 0.0\n" in out
    assert "largest difference between the trained weights: 0.0\n" in out
    # the three numbers: 100 from logits, 100 from a softmax layer, 16.1 from bare probabilities
    assert r["three"][:2] == [100.0, 100.0]
    assert r["three"][2] == pytest.approx(-math.log(1e-7), abs=1e-5)
    assert "1. from logits (from_logits=True):           100.0000\n" in out
    assert "2. from a softmax layer (evaluate):          100.0000\n" in out
    assert "3. from probabilities (tf.nn.softmax):        16.1181\n" in out
    assert "the softmax layer's own output: [[0. 1.]]" in out
    # what e^-100 is: a float32 subnormal in NumPy, flushed to 0 by TensorFlow; clipped at 1e-7
    assert "e^-100 = 3.7e-44; float32: smallest normal 1.2e-38, smallest subnormal 1.4e-45" in out
    assert "e^-100 in float32, NumPy:         3.8e-44" in out
    assert "softmax(z) in float32, TensorFlow: [[0. 1.]]" in out
    assert "-log(1e-07) = 16.1181" in out
    assert r["gradient"] == [[0.0, 0.0]]


MULTICLASS_RESULTS = """
import json
on = A > 0      # (400, 2): which hidden units are on for each point
shares = {str(k): {f"{a0}{a1}": float(np.mean((on[y == k] == [a0, a1]).all(axis=1)))
                   for a0 in (0, 1) for a1 in (0, 1)}
          for k in range(4)}
print("RESULTS " + json.dumps({"network": float(accuracy), "regression": float(regression_accuracy),
                               "shares": shares, "curves": {k: [float(v) for v in c]
                                                            for k, c in curves.items()},
                               "sums": [float(v) for v in probs.sum(axis=1)],
                               "first_step": {k: v.tolist() for k, v in first_step.items()},
                               "paths": {k: v.tolist() for k, v in paths.items()},
                               "conv": [int(conv.count_params()), int(conv_large.count_params()),
                                        int(dense.count_params())],
                               "answer_passes": bool(check_conv_params(conv_params))}))
"""


@pytest.fixture(scope="module")
def multiclass_run(tmp_path_factory):
    """04_multiclass executed once for the tests below: the notebook and its results."""
    nb, _ = _run(WEEK2 / "04_multiclass.ipynb", MULTICLASS_RESULTS, tmp_path_factory.mktemp("04"))
    return nb, _results(nb)


def test_multiclass_notebook_compares_softmax_regression_and_the_network(multiclass_run):
    nb, r = multiclass_run
    assert _images(nb) >= 7
    # "Both classify about 98% of the points correctly": the hidden layer is not needed here
    assert abs(r["network"] - 0.98) <= 0.01, r
    assert abs(r["regression"] - 0.98) <= 0.01, r
    out = _stdout(nb)
    assert f"softmax regression {r['regression']:.1%}, network with 2 hidden units {r['network']:.1%}" in out
    # "each cluster lands in a place of its own" in hidden-unit space: each class has its own on/off
    # pattern of the two units ("00" both off, "01"/"10" one on, "11" both on), for most of its points
    majority = {k: max(shares, key=shares.get) for k, shares in r["shares"].items()}
    assert sorted(majority.values()) == ["00", "01", "10", "11"], r["shares"]
    assert all(r["shares"][k][pattern] >= 0.75 for k, pattern in majority.items()), r["shares"]
    # Multi-label: "the sums are not 1" (independent sigmoids, anything from 0 to 3)
    assert any(abs(total - 1.0) > 0.1 for total in r["sums"]), r["sums"]
    # "Plain gradient descent creeps down while Adam drops fast": from the same start, Adam's cost
    # is already below gradient descent's after 5 epochs, and at most half of it after 20.
    sgd, adam = r["curves"]["gradient descent (SGD)"], r["curves"]["Adam"]
    assert adam[4] < sgd[4] and adam[-1] <= 0.5 * sgd[-1], (sgd, adam)
    assert sgd[-1] < sgd[0]  # it does creep down


def _bowl_path(alpha, steps=30, start=(-8.0, 2.0)):
    """Gradient descent on J = (w1² + 25 w2²)/2, written again here: w ← w − α (w1, 25 w2)."""
    path = [np.array(start)]
    for _ in range(steps):
        path.append(path[-1] - alpha * np.array([1.0, 25.0]) * path[-1])
    return np.array(path)


def _adam_bowl_path(alpha, steps=30, start=(-8.0, 2.0), beta1=0.9, beta2=0.999, eps=1e-7):
    """Adam on the same bowl, from its published update (a second implementation)."""
    path, m, v = [np.array(start)], np.zeros(2), np.zeros(2)
    for t in range(1, steps + 1):
        g = np.array([1.0, 25.0]) * path[-1]
        m, v = beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g * g
        path.append(path[-1] - alpha * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps))
    return np.array(path)


def test_multiclass_notebook_shows_adams_step_per_parameter(multiclass_run):
    nb, r = multiclass_run
    out = _stdout(nb)
    # One step on the lab's own network from the same start: "gradient descent's steps differ by a
    # factor of more than 20 ..., all below α = 0.01, the median about a tenth of it"; "Adam moves
    # every parameter by α".
    sgd, adam = np.array(r["first_step"]["SGD"]), np.array(r["first_step"]["Adam"])
    assert sgd.shape == adam.shape == (2 * 2 + 2 + 2 * 4 + 4,)
    assert sgd.max() > 20 * sgd.min() and sgd.max() < 0.01
    assert 0.05 < np.median(sgd) / 0.01 < 0.2, np.median(sgd)
    assert adam == pytest.approx(np.full(18, 0.01), rel=1e-3)
    assert "Adam: the 18 parameters moved by 1.0e-02 (least), 1.0e-02 (median), 1.0e-02 (most)" in out
    # The bowl: Keras' optimizers follow the update rules (a second implementation, float64; Keras
    # keeps the learning rate as a float32 variable, so α is rounded to float32 first)
    paths = {k: np.array(v) for k, v in r["paths"].items()}
    assert list(paths) == ["SGD, α = 0.02", "SGD, α = 0.075", "Adam, α = 0.5"]
    assert paths["SGD, α = 0.02"] == pytest.approx(_bowl_path(float(np.float32(0.02))), abs=1e-12)
    assert paths["SGD, α = 0.075"] == pytest.approx(_bowl_path(float(np.float32(0.075))), abs=1e-12)
    assert paths["Adam, α = 0.5"] == pytest.approx(_adam_bowl_path(0.5), abs=1e-3)
    steps = {k: np.abs(np.diff(p, axis=0)) for k, p in paths.items()}
    # the first steps printed and quoted: (0.16, 1), (0.6, 3.75), Adam (0.5, 0.5)
    assert steps["SGD, α = 0.02"][0] == pytest.approx([0.16, 1.0])
    assert steps["SGD, α = 0.075"][0] == pytest.approx([0.6, 3.75])
    assert steps["Adam, α = 0.5"][0] == pytest.approx([0.5, 0.5], rel=1e-4)
    assert "Adam, α = 0.5   first step: |Δw1| = 0.5, |Δw2| = 0.5;" in out
    # "zig-zags once α > 0.04, diverges once α > 0.08": 0.02 never crosses the valley's floor,
    # 0.075 crosses it at every step, and 0.085 leaves it
    w2_slow, w2_fast = paths["SGD, α = 0.02"][:, 1], paths["SGD, α = 0.075"][:, 1]
    assert np.all(w2_slow >= 0) and np.all(w2_fast[1:] * w2_fast[:-1] < 0)
    assert abs(_bowl_path(0.085)[-1, 1]) > abs(_bowl_path(0.085)[0, 1])
    assert abs(_bowl_path(0.079)[-1, 1]) < abs(_bowl_path(0.079)[0, 1])
    # "after 30 steps w1 is still about −4.4" (α = 0.02), and its w1 steps are at most 0.16
    assert round(paths["SGD, α = 0.02"][-1, 0], 1) == -4.4
    assert steps["SGD, α = 0.02"][:, 0].max() == pytest.approx(0.16)
    # Adam: "its steps across the valley shrink (to 0.02 by the 9th step)", "its steps along w1
    # stay above 0.4 for 13 steps", "w1 reaches the minimum in about 20 steps, overshoots to about
    # 1.4 and turns back"
    adam_w1, adam_steps = paths["Adam, α = 0.5"][:, 0], steps["Adam, α = 0.5"]
    assert round(adam_steps[8, 1], 2) == 0.02 and np.all(adam_steps[:8, 1] > 0.1)
    assert np.all(adam_steps[:13, 0] > 0.4) and adam_steps[13, 0] < 0.4
    assert 19 <= int(np.argmax(adam_w1 > 0)) <= 22
    assert round(adam_w1.max(), 1) == 1.4 and adam_w1[-1] < adam_w1.max()


def test_multiclass_notebook_counts_conv_parameters_like_keras(multiclass_run):
    nb, r = multiclass_run
    # "3·3·1·8 + 8 = 80" for Conv2D and "784·8 + 8 = 6,280" for Dense, as Keras 3 counts them, and
    # the same Conv2D on a 280×280 image: still 80
    assert r["conv"] == [80, 80, 6280]
    out = _stdout(nb)
    assert "Conv2D, 8 filters of 3×3, 28×28 image:   conv_params 80, Keras 80" in out
    assert "Dense, 784 inputs → 8 units:             784·8 + 8 = 6280, Keras 6280" in out
    # the stored stub reports "not written yet"; the answer, run after it, passes the check
    assert ("\N{HEAVY BALLOT X} conv_params is not written yet: replace `raise NotImplementedError()` by "
            "your code.") in out
    assert r["answer_passes"] and "\N{HEAVY CHECK MARK} conv_params: all 4 cases passed." in out


DERIVATIVES_RESULTS = """
import json
print("RESULTS " + json.dumps({
    "k": k, "k_two_sided": k_two_sided,
    "one_sided": {f: float(v) for f, v in one_sided.items()},
    "finite_difference": {f: float(v) for f, v in finite_difference.items()},
    "exact": {f: str(v) for f, v in exact.items()},
    "epsilons": epsilons, "errors": errors,
    "answer_passes": bool(check_two_sided(two_sided)), "two_sided_J": two_sided(J, 3.0, 0.001),
}))
"""


@pytest.fixture(scope="module")
def derivatives_nb(tmp_path_factory):
    """05_derivatives executed once for the tests below."""
    return _run(WEEK2 / "05_derivatives.ipynb", DERIVATIVES_RESULTS, tmp_path_factory.mktemp("05"))[0]


def test_derivatives_notebook_matches_the_syllabus(derivatives_nb):
    nb = derivatives_nb
    r = _results(nb)
    assert round(r["k"], 3) == 6.001  # J = w² at w = 3, ε = 0.001, one-sided (the syllabus's nudge)
    assert r["exact"] == {"w**2": "6", "w**3": "12", "1/w": "-1/4", "1/w**2": "-1/32"}
    exact = {"w**2": 6, "w**3": 12, "1/w": -0.25, "1/w**2": -1 / 32}
    for formula, value in exact.items():
        assert r["one_sided"][formula] == pytest.approx(value, abs=0.01)
    assert round(r["one_sided"]["w**2"], 3) == 6.001


def test_two_sided_differences_are_more_accurate_and_their_error_shrinks_like_eps_squared(derivatives_nb):
    nb = derivatives_nb
    r = _results(nb)
    out = _stdout(nb)
    # "for J = w² the error disappears": (w+ε)² − (w−ε)² = 4wε, so 6 up to rounding
    assert r["k_two_sided"] == pytest.approx(6, abs=1e-9) and abs(r["k"] - 6) > 1e-4
    assert "two-sided: k = 6.000000000" in out
    # the four cases: "agree with SymPy to at least 5 decimal places, each closer than its
    # one-sided neighbour"
    exact = {"w**2": 6, "w**3": 12, "1/w": -0.25, "1/w**2": -1 / 32}
    for formula, value in exact.items():
        two, one = r["finite_difference"][formula], r["one_sided"][formula]
        assert abs(two - value) < 5e-6, (formula, two)
        assert abs(two - value) < abs(one - value), (formula, one, two)
    # J = w³ at w = 2: the errors are 6ε + ε² (one-sided) and ε² (two-sided), as the prose says
    eps, one, two = r["epsilons"], r["errors"]["one-sided"], r["errors"]["two-sided"]
    assert eps == [0.1, 0.01, 0.001, 0.0001]
    assert one == pytest.approx([6 * e + e * e for e in eps], rel=1e-6)
    assert two == pytest.approx([e * e for e in eps], rel=2e-3)  # rounding: 8e-4 at ε = 1e-4
    # "shrinks 10 times per row" vs "100 times per row"
    for i in range(3):
        assert one[i] / one[i + 1] == pytest.approx(10, rel=0.02)
        assert two[i] / two[i + 1] == pytest.approx(100, rel=0.01)
    # "6.1e-1 down to 6.0e-4", "1e-2 down to 1e-8", "about 6000 times closer" at ε = 0.001
    assert f"{one[0]:.1e}" == "6.1e-01" and f"{one[-1]:.1e}" == "6.0e-04"
    assert f"{two[0]:.0e}" == "1e-02" and f"{two[-1]:.0e}" == "1e-08"
    assert one[2] / two[2] == pytest.approx(6000, rel=0.01)
    assert "     0.1         6.10e-01         1.00e-02\n" in out
    # the tangent plot and the log-log plot of these errors
    assert _images(nb) == 2


def test_derivatives_notebook_your_turn_two_sided(derivatives_nb):
    nb = derivatives_nb
    r, out = _results(nb), _stdout(nb)
    # the stub reports "not written yet"; the answer, run after it, passes the check and gives the
    # two-sided number printed above it (the table and the four cases use the same function)
    assert ("\N{HEAVY BALLOT X} two_sided is not written yet: replace `raise NotImplementedError()` by "
            "your code.") in out
    assert r["answer_passes"] and "\N{HEAVY CHECK MARK} two_sided: all 4 cases passed." in out
    assert r["two_sided_J"] == r["k_two_sided"] and "two_sided(J, 3.0, 0.001) = 6.000000000" in out


# The learner's side of the quizzes: type the syllabus's numbers, press Check, read the score.
BACKPROP_RESULTS = """
import json
def _answer(quiz, typed):
    for box, button, text in zip(quiz.inputs, quiz.buttons, typed):
        box.value = text
        button.click()
    return {"score": quiz.score, "n": len(quiz.questions),
            "answers": [str(q.answer) for q in quiz.questions],
            "wrong_rejected": not quiz.questions[0].check("12345").correct}
print("RESULTS " + json.dumps({
    "values0": {k: str(v) for k, v in values0.items()},
    "derivs0": {k: str(v) for k, v in derivs0.items()}, "da_dw": str(da_dw),
    "values1": {k: str(v) for k, v in values1.items()},
    "derivs1": {k: str(v) for k, v in derivs1.items()},
    "quiz0": _answer(quiz0, ["22", "3", "66"]),
    "quiz1": _answer(quiz1, ["3", "3", "3", "3", "6"]),
    "larger_J": str(values2[J]),
    "larger_backprop": {str(p): str(grads[p]) for p in (w1, b1, w2, b2)},
    "larger_direct": {k: str(v) for k, v in direct.items()},
    "larger_z": [str(values2[z1]), str(values2[z2])],
    "quiz2": _answer(quiz2, ["4", "2", "6", "6"]),
    "quiz2_wrong": [not q.check(t).correct for q, t in zip(quiz2.questions, ["2", "4", "3", "0"])],
    "tape": tape_grads, "tape0": tape0, "tape1": tape1, "nudge0": nudge0,
    "answer_passes": bool(check_backprop_graph1(backprop_graph1)),
    "graph1_function": [float(v) for v in backprop_graph1(2, -2, 8, 1)],
}))
"""


@pytest.fixture(scope="module")
def backprop_nb(tmp_path_factory):
    """06_backprop executed once for the tests below."""
    return _run(WEEK2 / "06_backprop.ipynb", BACKPROP_RESULTS, tmp_path_factory.mktemp("06"))[0]


def test_backprop_notebook_matches_the_syllabus(backprop_nb):
    nb = backprop_nb
    r = _results(nb)
    # graph 0 at w = 3: a = 11, J = 121, dJ/da = 22, da/dw = 3, dJ/dw = 66
    assert r["values0"] == {"w": "3", "a": "11", "J": "121"}
    assert r["derivs0"] == {"a": "22", "w": "66"} and r["da_dw"] == "3"
    # graph 1 at x = 2, w = -2, b = 8, y = 1: c = -4, a = 4, d = 3, J = 4.5; dJ/d(d, a, c, b) = 3, dJ/dw = 6
    assert {k: r["values1"][k] for k in "cadJ"} == {"c": "-4", "a": "4", "d": "3", "J": "9/2"}
    assert r["derivs1"] == {"d": "3", "a": "3", "c": "3", "b": "3", "w": "6"}
    # the quizzes accept exactly these numbers and reject a wrong one
    assert r["quiz0"]["answers"] == ["22", "3", "66"] and r["quiz0"]["score"] == 3
    assert r["quiz1"]["answers"] == ["3", "3", "3", "3", "6"] and r["quiz1"]["score"] == 5
    assert r["quiz0"]["wrong_rejected"] and r["quiz1"]["wrong_rejected"]
    # the larger example (x = 1, y = 5): backprop agrees with differentiating the whole formula
    assert r["larger_backprop"] == r["larger_direct"]
    assert r["larger_J"] == "2" and r["larger_backprop"] == {"w_1": "6", "b_1": "6", "w_2": "4", "b_2": "2"}


def test_backprop_larger_example_quiz_and_gradient_tape(backprop_nb):
    nb = backprop_nb
    r = _results(nb)
    # "both units are on (z_1 = 2 > 0, z_2 = 7 > 0)"
    assert r["larger_z"] == ["2", "7"]
    # the four quiz boxes accept the hand-computed derivatives, in the order w_2, b_2, w_1, b_1 ...
    assert r["quiz2"]["answers"] == ["4", "2", "6", "6"] and r["quiz2"]["score"] == 4
    # ... and reject plausible slips (b_2's value for w_2, a_1 for b_2, w_2 for w_1, a dead ReLU)
    assert r["quiz2_wrong"] == [True, True, True, True] and r["quiz2"]["wrong_rejected"]
    # tf.GradientTape gives exactly the hand-computed derivatives (small integers, exact in float32)
    assert r["tape"] == {k: float(v) for k, v in r["larger_backprop"].items()}
    assert r["tape"] == {"w_1": 6.0, "b_1": 6.0, "w_2": 4.0, "b_2": 2.0}
    # and the syllabus's numbers for graphs 0 and 1: dJ/dw = 66; dJ/dw = 6, dJ/db = 3
    assert r["tape0"] == {"w": 66.0} and r["tape1"] == {"w": 6.0, "b": 3.0}
    assert r["tape0"]["w"] == float(r["derivs0"]["w"])
    assert (r["tape1"]["w"], r["tape1"]["b"]) == (float(r["derivs1"]["w"]), float(r["derivs1"]["b"]))
    # graph 0's two-sided nudge: (3·3.001+2)² − (3·2.999+2)² over 0.002 is 66 up to rounding
    # (J is quadratic, so the two-sided difference has no ε error)
    assert r["nudge0"] == pytest.approx(66, abs=1e-9)
    out = _stdout(nb)
    for line in ["dJ/dw_1           6           6.0\n", "dJ/db_1           6           6.0\n",
                 "dJ/dw_2           4           4.0\n", "dJ/db_2           2           2.0\n",
                 "graph 0: dJ/dw by hand 66, GradientTape 66.0",
                 "graph 1: dJ/dw by hand 6, GradientTape 6.0; dJ/db by hand 3, GradientTape 3.0"]:
        assert line in out, line


def test_backprop_notebook_your_turn_backprop_graph1(backprop_nb):
    nb = backprop_nb
    r, out = _results(nb), _stdout(nb)
    assert ("\N{HEAVY BALLOT X} backprop_graph1 is not written yet: replace `raise NotImplementedError()` "
            "by your code.") in out
    assert r["answer_passes"]
    assert "\N{HEAVY CHECK MARK} backprop_graph1: all 4 cases passed." in out
    # "At the lesson's numbers it gives SymPy's answers, dJ/dw = 6 and dJ/db = 3"
    assert r["graph1_function"] == [float(r["derivs1"]["w"]), float(r["derivs1"]["b"])] == [6.0, 3.0]
    assert "backprop_graph1(2, -2, 8, 1) = (6, 3);  SymPy: dJ/dw = 6, dJ/db = 3" in out
