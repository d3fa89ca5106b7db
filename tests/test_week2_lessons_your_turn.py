"""Week 2, lessons 4–6: their "your turn" cells and the instant checks in
``course_utils/checks/week2_lessons.py``. No kernel here (tests/test_notebooks_week2.py executes the
notebooks): the cells' layout, each notebook's own answer against its check, the stub's verdict,
every stored answer recomputed independently (exact fractions, SymPy, Keras' ``count_params``),
and every named mistake written as the code a learner would write and recognised by name.
"""

from __future__ import annotations

import contextlib
import io
from fractions import Fraction

import keras
import nbformat
import numpy as np
import pytest
import sympy

from conftest import NOTEBOOKS, assert_your_turn_cells, your_turns
from course_utils.checks import check_backprop_graph1, check_conv_params, check_two_sided
from course_utils.checks.week2.backprop import BACKPROP_GRAPH1, BACKPROP_MISTAKES
from course_utils.checks.week2.derivatives import TWO_SIDED, TWO_SIDED_MISTAKES
from course_utils.checks.week2.multiclass import CONV_MISTAKES, CONV_PARAMS

WEEK2 = NOTEBOOKS / "week2"
LESSONS = {
    "04_multiclass": ("conv_params", "check_conv_params", check_conv_params),
    "05_derivatives": ("two_sided", "check_two_sided", check_two_sided),
    "06_backprop": ("backprop_graph1", "check_backprop_graph1", check_backprop_graph1),
}


def _verdict(check, func) -> tuple[bool, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        passed = check(func)
    return passed, out.getvalue()


def _answer(name: str):
    """The notebook's own "One possible answer" function, defined from its cell."""
    nb = nbformat.read(WEEK2 / f"{name}.ipynb", as_version=4)
    func, _, _ = LESSONS[name]
    (_, answer), = your_turns(nb)
    namespace = {"np": np}
    exec(nb.cells[answer].source, namespace)  # noqa: S102 - the course's own answer cell
    return namespace[func]


# ---- layout ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", LESSONS)
def test_each_lesson_has_one_your_turn_in_week1_lab3s_pattern(name):
    nb = nbformat.read(WEEK2 / f"{name}.ipynb", as_version=4)
    func, check, _ = LESSONS[name]
    assert_your_turn_cells(nb, [(func, check)])
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "course_utils.reference" not in source
    # the stub's check cell does not raise: no cell of these lessons is an intentional error
    assert not [c for c in nb.cells if "raises-exception" in c.metadata.get("tags", [])]


def test_lesson5_uses_the_learners_function_afterwards():
    nb = nbformat.read(WEEK2 / "05_derivatives.ipynb", as_version=4)
    (_, answer), = your_turns(nb)
    later = "\n".join(c.source for c in nb.cells[answer + 1:] if c.cell_type == "code")
    assert later.count("two_sided(") >= 3 and "(f(at + eps) - f(at - eps))" not in later


def test_lesson4_conv_paragraph_has_the_two_line_count():
    nb = nbformat.read(WEEK2 / "04_multiclass.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert r"3 \cdot 3 \cdot 1 \cdot 8 + 8 = 80" in text
    assert r"784 \cdot 8 + 8 = 6{,}280" in text


# ---- the notebooks' answers, the stubs ----------------------------------------------------------

@pytest.mark.parametrize("name", LESSONS)
def test_the_notebooks_answer_passes_its_check(name):
    func, _, check = LESSONS[name]
    passed, text = _verdict(check, _answer(name))
    assert passed and text.startswith(f"\N{HEAVY CHECK MARK} {func}: all 4 cases passed."), text


@pytest.mark.parametrize("name", LESSONS)
def test_a_stub_is_not_written_yet_and_does_not_raise(name):
    func, _, check = LESSONS[name]
    namespace = {}
    exec(f"def {func}(*args):\n    raise NotImplementedError()", namespace)  # noqa: S102
    passed, text = _verdict(check, namespace[func])
    assert not passed
    assert text == (f"\N{HEAVY BALLOT X} {func} is not written yet: replace `raise NotImplementedError()` "
                    "by your code.\n")


@pytest.mark.parametrize("name", LESSONS)
def test_a_result_instead_of_the_function_is_refused(name):
    func, _, check = LESSONS[name]
    passed, text = _verdict(check, 80)
    assert not passed and f"check_{func}({func}), not check_{func}({func}(...))" in text


# ---- stored answers, recomputed ---------------------------------------------------------------

def test_conv_answers_are_keras_counts():
    assert keras.__version__.startswith("3.")
    for case in CONV_PARAMS.cases:
        k, c_in, filters = case.args
        layer = keras.layers.Conv2D(filters, kernel_size=k)
        layer.build((None, 12, 12, c_in))
        assert case.expected == layer.count_params(), case.name
        # the image's size does not enter
        larger = keras.layers.Conv2D(filters, kernel_size=k)
        larger.build((None, 64, 48, c_in))
        assert larger.count_params() == case.expected


def test_the_notes_example_is_the_first_conv_case():
    assert CONV_PARAMS.cases[0].args == (3, 1, 8) and CONV_PARAMS.cases[0].expected == 80
    dense = keras.layers.Dense(8)
    dense.build((None, 28 * 28))
    assert dense.count_params() == 6280


def _exact_two_sided(case):
    """(f(x + ε) − f(x − ε)) / 2ε in exact arithmetic (fractions; exp with SymPy, 30 digits)."""
    f, x, eps = case.args
    if f is np.exp:
        x_s, e_s = sympy.Rational(str(x)), sympy.Rational(str(eps))
        return float(((sympy.exp(x_s + e_s) - sympy.exp(x_s - e_s)) / (2 * e_s)).evalf(30))
    x_f, e_f = Fraction(str(x)), Fraction(str(eps))
    return float((f(x_f + e_f) - f(x_f - e_f)) / (2 * e_f))


def test_two_sided_answers_in_exact_arithmetic():
    for case in TWO_SIDED.cases:
        assert case.expected == pytest.approx(_exact_two_sided(case), rel=1e-15, abs=1e-15), case.name


def test_backprop_answers_are_sympys_derivatives():
    x, w, b, y = sympy.symbols("x w b y")
    J = (w * x + b - y) ** 2 / 2
    for case in BACKPROP_GRAPH1.cases:
        at = dict(zip((x, w, b, y), (sympy.Rational(str(v)) for v in case.args)))
        want = (float(sympy.diff(J, w).subs(at)), float(sympy.diff(J, b).subs(at)))
        assert case.expected == want, case.name


# ---- each mistake, written as a learner would, is named -----------------------------------------

CONV_WRONG = {
    "no_biases": lambda k, c, f: k * k * c * f,
    "k_not_squared": lambda k, c, f: k * c * f + f,
    "channels_forgotten": lambda k, c, f: k * k * f + f,
    "bias_per_channel": lambda k, c, f: k * k * c * f + c,
    "bias_per_channel_and_filter": lambda k, c, f: (k * k + 1) * c * f,
    "one_filter": lambda k, c, f: k * k * c + 1,
}

TWO_SIDED_WRONG = {
    "forward": lambda f, x, e: (f(x + e) - f(x)) / e,
    "backward": lambda f, x, e: (f(x) - f(x - e)) / e,
    "missing_2": lambda f, x, e: (f(x + e) - f(x - e)) / e,
    "wrong_sign": lambda f, x, e: (f(x - e) - f(x + e)) / (2 * e),
    "eps_ignored": lambda f, x, e: (f(x + 1e-5) - f(x - 1e-5)) / (2 * 1e-5),
    "times_eps": lambda f, x, e: (f(x + e) - f(x - e)) / 2 * e,
    "precedence": lambda f, x, e: f(x + e) - f(x - e) / (2 * e),
}


def _d(x, w, b, y):
    return w * x + b - y


BACKPROP_WRONG = {
    "no_chain": lambda x, w, b, y: (x, 1),
    "w_for_x": lambda x, w, b, y: (_d(x, w, b, y) * w, _d(x, w, b, y)),
    "no_half": lambda x, w, b, y: (2 * _d(x, w, b, y) * x, 2 * _d(x, w, b, y)),
    "value_for_derivative": lambda x, w, b, y: (_d(x, w, b, y) ** 2 / 2 * x, _d(x, w, b, y) ** 2 / 2),
    "wrong_sign": lambda x, w, b, y: (-_d(x, w, b, y) * x, -_d(x, w, b, y)),
    "swapped": lambda x, w, b, y: (_d(x, w, b, y), _d(x, w, b, y) * x),
}

EXERCISES = [
    (CONV_PARAMS, CONV_MISTAKES, CONV_WRONG, check_conv_params),
    (TWO_SIDED, TWO_SIDED_MISTAKES, TWO_SIDED_WRONG, check_two_sided),
    (BACKPROP_GRAPH1, BACKPROP_MISTAKES, BACKPROP_WRONG, check_backprop_graph1),
]


@pytest.mark.parametrize(("exercise", "messages", "wrong", "check"), EXERCISES,
                         ids=[e[0].name for e in EXERCISES])
def test_every_mistake_is_written_out_and_its_stored_results_are_what_it_gives(
        exercise, messages, wrong, check):
    assert set(wrong) == set(messages) == set(exercise.mistakes)
    for key, func in wrong.items():
        for case in exercise.cases:
            stored = case.result_of(key)
            got = np.asarray(func(*case.args), dtype=float)
            assert np.allclose(got, stored, rtol=1e-6, atol=1e-9), (key, case.name, got, stored)


@pytest.mark.parametrize(("exercise", "messages", "wrong", "check"), EXERCISES,
                         ids=[e[0].name for e in EXERCISES])
def test_mistakes_are_told_apart_and_named(exercise, messages, wrong, check):
    # over all cases, no two mistakes give the same results, and none gives the right ones
    signatures = {key: tuple(np.round(np.asarray(c.result_of(key), dtype=float), 9).tobytes()
                             for c in exercise.cases) for key in messages}
    right = tuple(np.round(np.asarray(c.expected, dtype=float), 9).tobytes() for c in exercise.cases)
    assert len(set(signatures.values())) == len(signatures)
    assert right not in signatures.values()
    for key, func in wrong.items():
        passed, text = _verdict(check, func)
        assert not passed, key
        assert f"Likely mistake: {messages[key]}" in text, (key, text)


def test_an_unknown_wrong_answer_shows_the_worked_answer():
    passed, text = _verdict(check_backprop_graph1, lambda x, w, b, y: (0.25, 0.5))
    assert not passed
    assert "None of the usual mistakes gives this: work it out by hand, c = -4, a = 4, d = 3" in text


def test_wrong_forms_are_explained():
    passed, text = _verdict(check_conv_params, lambda k, c, f: [k * k * c * f, f])
    assert not passed and "return ONE number" in text
    passed, text = _verdict(check_backprop_graph1, lambda x, w, b, y: _d(x, w, b, y) * x)
    assert not passed and "return TWO numbers, (dJ_dw, dJ_db)" in text
    passed, text = _verdict(check_two_sided, lambda f, x, e: 1 / 0)
    assert not passed and "got:      an exception, ZeroDivisionError" in text


# ---- lesson 2: relu_sum ---------------------------------------------------------------------------
RELU_SUM_VARIANTS = {
    "linear": lambda x, w, b: (np.outer(x, w) + b).sum(axis=1),
    "no_bias": lambda x, w, b: np.maximum(0, np.outer(x, w)).sum(axis=1),
    "absolute": lambda x, w, b: np.abs(np.outer(x, w) + b).sum(axis=1),
}


def test_relu_sum_stored_answers_are_what_each_formula_gives():
    from course_utils.checks.week2.relu_sliders import RELU_SUM

    for case in RELU_SUM.cases:
        x, w, b = case.args
        right = [sum(max(0.0, wj * xi + bj) for wj, bj in zip(w, b)) for xi in x]  # a plain loop
        np.testing.assert_allclose(case.expected, right)
        for key, func in RELU_SUM_VARIANTS.items():
            np.testing.assert_allclose(case.result_of(key), func(x, w, b), err_msg=key)


@pytest.mark.parametrize("key", sorted(RELU_SUM_VARIANTS))
def test_each_relu_sum_mistake_is_named(key, capsys):
    from course_utils.checks import check_relu_sum
    from course_utils.checks.week2.relu_sliders import RELU_SUM_MISTAKES

    assert not check_relu_sum(RELU_SUM_VARIANTS[key])
    assert RELU_SUM_MISTAKES[key] in capsys.readouterr().out


def test_relu_sum_right_answers_pass_and_wrong_axis_is_explained(capsys):
    from course_utils.checks import check_relu_sum

    def loops(x, w, b):
        return np.array([np.sum(np.maximum(0, w * xi + b)) for xi in x])

    assert check_relu_sum(loops)
    assert check_relu_sum(lambda x, w, b: np.maximum(0, x[:, None] * w + b).sum(axis=1))
    capsys.readouterr()
    assert not check_relu_sum(lambda x, w, b: np.maximum(0, np.outer(x, w) + b).sum(axis=0))
    assert "add each row of the (m, units) array up (axis=1)" in capsys.readouterr().out


def test_relu_sliders_lesson_has_the_relu_sum_your_turn():
    import nbformat

    from conftest import NOTEBOOKS, assert_your_turn_cells

    nb = nbformat.read(NOTEBOOKS / "week2" / "02_relu_sliders.ipynb", as_version=4)
    assert_your_turn_cells(nb, [("relu_sum", "check_relu_sum")])
