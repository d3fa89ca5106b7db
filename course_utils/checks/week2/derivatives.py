"""Instant check for ``notebooks/week2/05_derivatives.ipynb``'s "your turn" cell:
``check_two_sided(two_sided)``: a two-sided finite difference.

Expected values only, run by :func:`course_utils.checks.core.exercise.run_exercise`.
"""

from __future__ import annotations

import numpy as np

from course_utils.checks.core.exercise import Case, Exercise, run_exercise

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
    two-sided estimate of ``f'(x)`` for a function ``f`` of one number. ``notebooks/week2/05_derivatives.ipynb``. Prints a
    verdict; returns whether every case passed."""
    return run_exercise(TWO_SIDED, two_sided)
