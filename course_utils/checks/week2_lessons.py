"""Instant checks for week 2's "your turn" cells in lessons 2 and 4–6:

* ``check_relu_sum(relu_sum)``: a sum of ReLU units over a batch of points (lesson 2);
* ``check_conv_params(conv_params)``: a 2-D convolutional layer's parameter count (lesson 4);
* ``check_two_sided(two_sided)``: a two-sided finite difference (lesson 5);
* ``check_backprop_graph1(backprop_graph1)``: graph 1's backward pass, ``(dJ/dw, dJ/db)`` (lesson 6).

Each prints one verdict and returns ``True``/``False``. Expected values only: every case stores its
answer and the answers that typical mistakes give on it (worked out by hand or in exact
arithmetic; ``tests/test_week2_lessons_your_turn.py`` recomputes each from the mistaken formula).
A mistake is named when the learner's results equal its stored ones on *every* case, so two
mistakes that give the same number on one case are still told apart; failing that, when exactly
one mistake gives the learner's number on the failed case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from course_utils.checks._report import (
    format_array,
    given_a_function,
    read_one_number,
    run_failures,
    shown_name,
)

# The answers are exact (small integers) or worked out to 16 digits; the learner's float
# arithmetic rounds differently, so compare to 1e-9. A mistaken formula computed in floating point
# is still that formula: mistakes match a little more loosely.
ANSWER_RTOL, ANSWER_ATOL = 1e-9, 1e-12
MISTAKE_RTOL, MISTAKE_ATOL = 1e-6, 1e-9


@dataclass(frozen=True)
class Case:
    """One call: ``args``, shown to the learner as ``inputs``; the ``expected`` result (a number,
    or a tuple of numbers); ``mistakes`` maps a key of the exercise's mistakes to the result that
    mistake gives here (a key left out gives the right answer on this case); ``worked`` is the
    answer worked out, shown when the learner's result matches no known mistake."""

    name: str
    inputs: str
    args: tuple
    expected: float | tuple
    mistakes: dict = field(default_factory=dict)
    worked: str = ""

    def result_of(self, key: str):
        """What mistake ``key`` gives on this case."""
        return self.mistakes.get(key, self.expected)


@dataclass(frozen=True)
class Exercise:
    """A function to check: its ``name``, ``cases``, the messages naming its ``mistakes``, and
    what to return when the result has the wrong form (``returns``)."""

    name: str
    cases: list
    mistakes: dict
    returns: str


def _close(got: np.ndarray, want, rtol: float, atol: float) -> bool:
    want = np.asarray(want, dtype=float)
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=rtol, atol=atol))


def _read(exercise: Exercise, case: Case, raw):
    """The learner's result as a float array shaped like ``case.expected``, or ``(None, lines)``."""
    if np.ndim(case.expected) == 0:
        value, problem = read_one_number(exercise.name, raw, exercise.returns, exercise.returns)
        return (None, problem) if problem else (np.asarray(value), None)
    if raw is None:
        return None, ["got:      None", f"Likely mistake: {exercise.name} has no `return` statement."]
    try:
        got = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        return None, [f"got:      {type(raw).__name__} {raw!r:.80}",
                      f"Likely mistake: {exercise.returns}"]
    if got.shape != np.shape(case.expected):
        return None, [f"got:      {format_array(got)} (shape {got.shape})",
                      f"Likely mistake: {exercise.returns}"]
    return got, None


def _call(exercise: Exercise, func, case: Case):
    """``(result, None)`` or ``(None, lines explaining the problem)``; NotImplementedError (the
    stub) propagates."""
    try:
        raw = func(*case.args)
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 - any exception in learner code is a failed case
        return None, [f"got:      an exception, {type(exc).__name__}: {exc}",
                      "Likely mistake: read the error message; the case's inputs are shown so you "
                      "can try them yourself."]
    return _read(exercise, case, raw)


def _named(exercise: Exercise, results: list, case: Case, got: np.ndarray) -> str | None:
    """The mistake the learner's results point to (see the module's docstring), if any."""
    for key, message in exercise.mistakes.items():
        if all(r is not None and _close(r, c.result_of(key), MISTAKE_RTOL, MISTAKE_ATOL)
               for r, c in zip(results, exercise.cases)):
            return message
    here = [message for key, message in exercise.mistakes.items()
            if key in case.mistakes and _close(got, case.mistakes[key], MISTAKE_RTOL, MISTAKE_ATOL)]
    return here[0] if len(here) == 1 else None


def _shown(value) -> str:
    if np.ndim(value) == 0:
        return f"{float(value):.10g}"
    return "(" + ", ".join(f"{float(v):.10g}" for v in value) + ")"


def run_exercise(exercise: Exercise, func) -> bool:
    """Run ``exercise``'s cases on ``func``, print one verdict and return whether all passed (a
    stub is reported once as "not written yet", by :func:`run_failures`)."""
    if not given_a_function(exercise.name, func):
        return False
    calls: dict = {}  # id(case) -> (result, problem): a mistake is named from all the cases' results

    def failure(case: Case):
        if not calls:
            calls.update((id(c), _call(exercise, func, c)) for c in exercise.cases)
        got, problem = calls[id(case)]
        lines = [f"inputs:   {case.inputs}", f"expected: {_shown(case.expected)}"]
        if problem:
            return lines + problem, True
        if _close(got, case.expected, ANSWER_RTOL, ANSWER_ATOL):
            return None
        lines.append(f"got:      {_shown(got)}")
        results = [calls[id(c)][0] for c in exercise.cases]
        named = _named(exercise, results, case, got)
        if named:
            return [*lines, f"Likely mistake: {named}"], True
        return [*lines, f"None of the usual mistakes gives this: work it out by hand, {case.worked}."], False

    return run_failures(shown_name(exercise.name, func), exercise.cases, failure)


# ---- lesson 4: a convolutional layer's parameters ------------------------------------------------

CONV_MISTAKES = {
    "no_biases": "the biases are forgotten: each filter has k·k·c_in weights AND one bias.",
    "k_not_squared": (
        "the window is counted as k weights per channel: a k×k window holds k·k = k² of them "
        "(a 3×3 window, 9)."
    ),
    "channels_forgotten": (
        "the input channels are left out: a filter's window spans all c_in channels (a colour "
        "image has 3), so it holds k·k·c_in weights."
    ),
    "bias_per_channel": (
        "one bias per input channel: there is one bias per FILTER (each filter makes one output "
        "channel), so + filters, not + c_in."
    ),
    "bias_per_channel_and_filter": (
        "one bias per input channel of each filter, (k·k + 1)·c_in·filters: a filter adds up its "
        "whole k×k×c_in window and then adds ONE bias, so + filters."
    ),
    "one_filter": (
        "only one filter is counted: each of the `filters` filters has its own k·k·c_in weights "
        "and its own bias."
    ),
}


def _conv_case(k: int, c_in: int, filters: int, name: str) -> Case:
    # The numbers are written out as the formulas the learner may have used; a mistake that gives
    # the right count on this case is left out (result_of then gives the answer).
    weights = k * k * c_in * filters
    right = weights + filters
    wrong = {"no_biases": weights, "k_not_squared": k * c_in * filters + filters,
             "channels_forgotten": k * k * filters + filters,
             "bias_per_channel": weights + c_in,
             "bias_per_channel_and_filter": (k * k + 1) * c_in * filters,
             "one_filter": k * k * c_in + 1}
    return Case(name, f"k = {k}, c_in = {c_in}, filters = {filters}", (k, c_in, filters), right,
                {key: value for key, value in wrong.items() if value != right},
                f"{k}·{k}·{c_in}·{filters} weights + {filters} biases = {right}")


CONV_PARAMS = Exercise(
    "conv_params",
    [_conv_case(3, 1, 8, "3×3 windows on a grey image (1 channel), 8 filters"),
     _conv_case(5, 3, 16, "5×5 windows on a colour image (3 channels), 16 filters"),
     _conv_case(3, 32, 64, "3×3 windows on 32 channels, 64 filters"),
     _conv_case(1, 4, 2, "1×1 windows on 4 channels, 2 filters")],
    CONV_MISTAKES,
    "return ONE number, the layer's total count (weights and biases together).",
)


def check_conv_params(conv_params) -> bool:
    """Check ``conv_params(k, c_in, filters) -> int``: the number of parameters of a 2-D
    convolutional layer with ``filters`` filters of ``k × k`` windows over ``c_in`` input channels,
    ``k·k·c_in·filters`` weights plus ``filters`` biases (the image's size does not enter).
    Week 2, lesson 4. Prints a verdict; returns whether every case passed."""
    return run_exercise(CONV_PARAMS, conv_params)


# ---- lesson 5: the two-sided difference ----------------------------------------------------------

TWO_SIDED_MISTAKES = {
    "forward": (
        "a one-sided difference, (f(x + eps) − f(x)) / eps: its error shrinks only like eps. Look "
        "both ways: (f(x + eps) − f(x − eps)) / (2 * eps)."
    ),
    "backward": (
        "a one-sided difference, (f(x) − f(x − eps)) / eps: its error shrinks only like eps. Look "
        "both ways: (f(x + eps) − f(x − eps)) / (2 * eps)."
    ),
    "missing_2": (
        "the difference is divided by eps, not by 2 * eps: the points x − eps and x + eps are "
        "2·eps apart, so the result is twice too large."
    ),
    "wrong_sign": (
        "the sign is flipped: it is f(x + eps) − f(x − eps), the value on the right minus the "
        "value on the left."
    ),
    "eps_ignored": (
        "the result does not depend on eps (a fixed, smaller step is used): nudge by the eps the "
        "caller gives."
    ),
    "times_eps": (
        "`/ 2 * eps` MULTIPLIES by eps: Python reads a / 2 * eps as (a / 2) * eps. Divide by the "
        "whole distance: / (2 * eps)."
    ),
    "precedence": (
        "only f(x − eps) is divided: f(x + eps) − f(x − eps) / (2 * eps) divides before it "
        "subtracts. Put the difference in parentheses: (f(x + eps) − f(x − eps)) / (2 * eps)."
    ),
}


def _square(x):
    return x**2


def _cube(x):
    return x**3


def _reciprocal(x):
    return 1 / x


# Worked out in exact arithmetic (fractions; exp with 30 digits), rounded to 16 digits.
TWO_SIDED = Exercise(
    "two_sided",
    [Case("f(x) = x² at 3 (lesson 5's example)", "f(x) = x**2, x = 3.0, eps = 0.001",
          (_square, 3.0, 0.001), 6.0,
          {"forward": 6.001, "backward": 5.999, "missing_2": 12.0, "wrong_sign": -6.0,
           "times_eps": 6e-06, "precedence": -4487.994499},
          "(3.001² − 2.999²) / 0.002 = 0.012 / 0.002 = 6"),
     Case("f(x) = x³ at 2, a large eps", "f(x) = x**3, x = 2.0, eps = 0.1", (_cube, 2.0, 0.1),
          12.01,
          {"forward": 12.61, "backward": 11.41, "missing_2": 24.02, "wrong_sign": -12.01,
           "eps_ignored": 12.0, "times_eps": 0.1201, "precedence": -25.034},
          "(2.1³ − 1.9³) / 0.2 = 2.402 / 0.2 = 12.01 (the exact derivative is 12)"),
     Case("f(x) = 1/x at 2", "f(x) = 1 / x, x = 2.0, eps = 0.01", (_reciprocal, 2.0, 0.01),
          -0.2500062501562539,
          {"forward": -0.2487562189054726, "backward": -0.2512562814070352,
           "missing_2": -0.5000125003125078, "wrong_sign": 0.2500062501562539,
           "eps_ignored": -0.25, "times_eps": -2.500062501562539e-05,
           "precedence": -24.62811570289257},
          "(1/2.01 − 1/1.99) / 0.02 = −1/3.9999 ≈ −0.2500063"),
     Case("f(x) = eˣ at 0", "f = np.exp, x = 0.0, eps = 0.1", (np.exp, 0.0, 0.1),
          1.001667500198440,
          {"forward": 1.051709180756477, "backward": 0.9516258196404048,
           "missing_2": 2.003335000396881, "wrong_sign": -1.001667500198440,
           "eps_ignored": 1.0, "times_eps": 0.01001667500198440,
           "precedence": -3.419016172104149},
          "(e^0.1 − e^−0.1) / 0.2 ≈ 1.0016675 (the exact derivative is 1)")],
    TWO_SIDED_MISTAKES,
    "return ONE number, the estimate of f'(x).",
)


def check_two_sided(two_sided) -> bool:
    """Check ``two_sided(f, x, eps) -> float``: ``(f(x + eps) − f(x − eps)) / (2·eps)``, the
    two-sided estimate of ``f'(x)`` for a function ``f`` of one number. Week 2, lesson 5. Prints a
    verdict; returns whether every case passed."""
    return run_exercise(TWO_SIDED, two_sided)


# ---- lesson 6: graph 1's backward pass -----------------------------------------------------------

BACKPROP_MISTAKES = {
    "no_chain": (
        "these are the LOCAL derivatives, ∂c/∂w = x and ∂a/∂b = 1, not multiplied by the derivative "
        "of J already known on their right: ∂J/∂w = ∂J/∂c · x and ∂J/∂b = ∂J/∂a · 1."
    ),
    "w_for_x": (
        "∂c/∂w is taken as w: c = w·x grows x times as fast as w, so ∂c/∂w = x (and ∂c/∂x = w)."
    ),
    "no_half": (
        "∂J/∂d is taken as 2d: J = ½ d², and the ½ cancels the 2, so ∂J/∂d = d."
    ),
    "value_for_derivative": (
        "the VALUE J = ½ d² is used where its derivative ∂J/∂d = d belongs: the backward pass "
        "starts from ∂J/∂d = d."
    ),
    "wrong_sign": (
        "the sign is flipped: d = a − y (prediction minus target), so ∂d/∂a = +1 and "
        "∂J/∂a = d = a − y, not y − a."
    ),
    "swapped": "the two are swapped: return (∂J/∂w, ∂J/∂b), in that order.",
}


def _graph1_case(x: float, w: float, b: float, y: float, name: str) -> Case:
    # c = w x, a = c + b, d = a − y, J = d²/2: ∂J/∂w = d·x, ∂J/∂b = d. Small numbers, exact in floats.
    d = w * x + b - y
    right = (d * x, d)
    wrong = {"no_chain": (x, 1.0), "w_for_x": (d * w, d), "no_half": (2 * d * x, 2 * d),
             "value_for_derivative": (d * d / 2 * x, d * d / 2), "wrong_sign": (-d * x, -d),
             "swapped": (d, d * x)}
    return Case(name, f"x = {x:g}, w = {w:g}, b = {b:g}, y = {y:g}", (x, w, b, y), right,
                {key: value for key, value in wrong.items() if value != right},
                f"c = {w * x:g}, a = {w * x + b:g}, d = {d:g}, so ∂J/∂d = {d:g}, "
                f"∂J/∂w = d·x = {d * x:g}, ∂J/∂b = d = {d:g}")


BACKPROP_GRAPH1 = Exercise(
    "backprop_graph1",
    [_graph1_case(2.0, -2.0, 8.0, 1.0, "lesson 6's numbers"),
     _graph1_case(3.0, 1.0, -2.0, 4.0, "a prediction below its target (d < 0)"),
     _graph1_case(-2.0, 1.0, 4.0, 0.5, "a negative input x"),
     _graph1_case(0.5, 4.0, 1.0, 5.0, "fractions")],
    BACKPROP_MISTAKES,
    "return TWO numbers, (dJ_dw, dJ_db): e.g. `return dJ_dw, dJ_db`.",
)


def check_backprop_graph1(backprop_graph1) -> bool:
    """Check ``backprop_graph1(x, w, b, y) -> (dJ_dw, dJ_db)``: graph 1's backward pass, for
    ``c = w x``, ``a = c + b``, ``d = a − y``, ``J = ½ d²`` (all numbers). Week 2, lesson 6.
    Prints a verdict; returns whether every case passed."""
    return run_exercise(BACKPROP_GRAPH1, backprop_graph1)



# ---- lesson 2: a sum of ReLU units, in code -------------------------------------------------------

RELU_SUM_MISTAKES = {
    "linear": "the units are added without max(0, ·): apply ReLU to each unit, "
              "np.maximum(0, w·x + b), before adding the units up.",
    "no_bias": "the biases are left out: each unit computes max(0, w_j x + b_j).",
    "absolute": "|w·x + b| is not ReLU: a unit outputs 0 (not −z) when w·x + b < 0.",
}

RELU_SUM = Exercise(
    "relu_sum",
    [Case("four points, three units", "x = [-1, 0, 0.5, 2], w = [-2, 1, 3], b = [2, -0.5, -3]",
          (np.array([-1.0, 0.0, 0.5, 2.0]), np.array([-2.0, 1.0, 3.0]), np.array([2.0, -0.5, -3.0])),
          (4.0, 2.0, 1.0, 4.5),
          {"linear": (-3.5, -1.5, -0.5, 2.5), "no_bias": (2.0, 0.0, 2.0, 8.0),
           "absolute": (11.5, 5.5, 2.5, 6.5)},
          "unit j at x gives max(0, w_j x + b_j); e.g. x = -1: 4 + 0 + 0 = 4"),
     Case("three points, two units", "x = [0, 1, 3], w = [1, -1], b = [0, 2]",
          (np.array([0.0, 1.0, 3.0]), np.array([1.0, -1.0]), np.array([0.0, 2.0])),
          (2.0, 2.0, 3.0),
          {"linear": (2.0, 2.0, 2.0), "no_bias": (0.0, 1.0, 3.0), "absolute": (2.0, 2.0, 4.0)},
          "x = 3: max(0, 3) + max(0, -1) = 3"),
     Case("one point, four units", "x = [1.5], w = [2, -1, 0.5, 1], b = [-1, 1, 0.25, -2]",
          (np.array([1.5]), np.array([2.0, -1.0, 0.5, 1.0]), np.array([-1.0, 1.0, 0.25, -2.0])),
          (3.0,),
          {"linear": (2.0,), "no_bias": (5.25,), "absolute": (4.0,)},
          "2 + 0 + 1 + 0 = 3")],
    RELU_SUM_MISTAKES,
    "return one value per example, an array of shape (m,): add each row of the (m, units) "
    "array up (axis=1), not each column.",
)


def check_relu_sum(relu_sum) -> bool:
    """Check ``relu_sum(x, w, b) -> (m,)``: for each example ``x[i]``, the sum over the units of
    ``max(0, w[j]·x[i] + b[j])``; ``x`` is ``(m,)``, ``w`` and ``b`` are ``(units,)``. Week 2,
    lesson 2. Prints a verdict; returns whether every case passed."""
    return run_exercise(RELU_SUM, relu_sum)
