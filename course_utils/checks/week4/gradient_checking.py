"""Instant checks for ``notebooks/week4/03_gradient_checking.ipynb`` (gradient checking): ``numerical_gradient`` and
``relative_difference``.

Each check calls the learner's function on a few small cases whose answers were worked out in
exact (rational) arithmetic, prints one verdict and returns ``True``/``False``. The outputs that
typical mistakes give on those cases (one-sided differences, a missing 2 in 2ε, the wrong norm,
the absolute instead of the relative difference, ...) are stored as numbers too, so a failed case
names the mistake. Expected values only: nothing here computes a finite difference.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from course_utils.checks.core.verdict import print_verdict

#: What each typical mistake means, keyed as in the cases' ``mistakes``.
MISTAKES = {
    "one_sided": (
        "a one-sided difference, (J(θ + ε) − J(θ)) / ε or (J(θ) − J(θ − ε)) / ε: its error "
        "shrinks only like ε. Nudge both ways: (J(θ + ε·e_i) − J(θ − ε·e_i)) / (2ε)."
    ),
    "missing_2": (
        "the difference is divided by ε, not by 2ε: the two points θ − ε and θ + ε are 2ε apart, "
        "so every entry comes out twice too large."
    ),
    "wrong_sign": (
        "the sign is flipped: it is J(θ + ε·e_i) − J(θ − ε·e_i), the value on the right minus the "
        "value on the left."
    ),
    "all_at_once": (
        "every entry of θ is nudged at the same time (θ + ε): that measures the slope along the "
        "diagonal, the same number for every entry. Nudge one entry i at a time, the others fixed."
    ),
    "not_restored": (
        "θ[i] is not put back after its nudge, so the next entries are differentiated at a "
        "shifted θ. Nudge a fresh copy for each i (or restore θ[i] before moving on)."
    ),
    "integer_theta": (
        "θ holds integers here, and an integer array cannot hold θ[i] ± ε: NumPy cuts the nudged "
        "value back to an integer (1 + 0.01 stays 1, 1 − 0.01 becomes 0). Work on a float copy: "
        "theta = np.array(theta, dtype=float)."
    ),
    "eps_ignored": (
        "the result does not depend on the eps argument (a fixed step, such as 1e-7, is used): "
        "nudge by the eps the caller gives."
    ),
    "absolute": (
        "this is the absolute difference ‖g − g_approx‖, not the relative one: divide by "
        "‖g‖ + ‖g_approx‖ so that the number does not depend on the gradient's scale."
    ),
    "squared_norms": (
        "squared norms (sums of squares) are used: ‖v‖ is the square root of the sum of squares, "
        "np.linalg.norm(v)."
    ),
    "norm_of_sum": (
        "the denominator is ‖g + g_approx‖; the formula adds the two norms, ‖g‖ + ‖g_approx‖ "
        "(the norm of the sum can be 0 when the gradients point opposite ways)."
    ),
    "l1_norm": (
        "the sum of absolute values (the L1 norm) is used; the formula uses the Euclidean (L2) "
        "norm, np.linalg.norm(v)."
    ),
    "max_norm": (
        "the largest absolute entry (the max norm) is used; the formula uses the Euclidean (L2) "
        "norm, np.linalg.norm(v)."
    ),
    "grad_only_denominator": (
        "the denominator is ‖g‖ alone; it is ‖g‖ + ‖g_approx‖ (symmetric in the two gradients, "
        "and never above 1)."
    ),
    "difference_of_norms": (
        "the numerator is |‖g‖ − ‖g_approx‖|, the difference of the lengths; it is "
        "‖g − g_approx‖, the length of the difference (two gradients of equal length can point "
        "different ways)."
    ),
}

# Mistakes are matched a little more loosely than the answer: a mistaken formula computed in
# floating point is still that formula.
ANSWER_RTOL, ANSWER_ATOL = 1e-9, 1e-12
MISTAKE_RTOL, MISTAKE_ATOL = 1e-6, 1e-9


def _cube(theta):
    """J(θ) = θ0³ (one parameter)."""
    return theta[0] ** 3


def _coupled(theta):
    """J(θ) = θ0²·θ1 + θ1³: each partial derivative depends on the other parameter."""
    return theta[0] ** 2 * theta[1] + theta[1] ** 3


def _three(theta):
    """J(θ) = θ0·θ1·θ2 + θ2² − 2·θ0."""
    return theta[0] * theta[1] * theta[2] + theta[2] ** 2 - 2 * theta[0]


@dataclass(frozen=True)
class Case:
    """One call of the learner's function: ``args``, the ``expected`` result and the results
    that the mistakes named in ``mistakes`` (keys of :data:`MISTAKES`) give on these arguments."""

    name: str
    inputs: str
    args: tuple
    expected: float | list[float]
    mistakes: dict = field(default_factory=dict)


# Two-sided differences of polynomials, worked out with fractions: J = θ³ at 2 with ε = 1/10 is
# ((2.1)³ − (1.9)³) / 0.2 = 1201/100, i.e. 12 + ε² (the two-sided error of a cubic is J'''ε²/6).
NUMERICAL_GRADIENT_CASES = [
    Case("a cubic, large ε", "f(θ) = θ0³, θ = [2.0], eps = 0.1", (_cube, np.array([2.0]), 0.1),
         [12.01],
         {"one_sided": [[12.61], [11.41]], "missing_2": [24.02], "wrong_sign": [-12.01],
          "eps_ignored": [12.0]}),
    Case("two coupled parameters", "f(θ) = θ0²·θ1 + θ1³, θ = [1.0, 2.0], eps = 0.01",
         (_coupled, np.array([1.0, 2.0]), 0.01), [4.0, 13.0001],
         {"one_sided": [[4.02, 13.0601], [3.98, 12.9401]], "missing_2": [8.0, 26.0002],
          "wrong_sign": [-4.0, -13.0001], "all_at_once": [17.0002, 17.0002],
          "not_restored": [4.0, 12.9802], "eps_ignored": [4.0, 13.0]}),
    Case("three parameters", "f(θ) = θ0·θ1·θ2 + θ2² − 2·θ0, θ = [1.0, -2.0, 3.0], eps = 0.001",
         (_three, np.array([1.0, -2.0, 3.0]), 0.001), [-8.0, 3.0, 4.0],
         {"one_sided": [[-8.0, 3.0, 4.001], [-8.0, 3.0, 3.999]], "missing_2": [-16.0, 6.0, 8.0],
          "wrong_sign": [8.0, -3.0, -4.0], "all_at_once": [-0.999999] * 3,
          "not_restored": [-8.0, 2.997, 4.001001]}),
    Case("θ given as integers", "f(θ) = θ0²·θ1 + θ1³, θ = np.array([1, 2]) (int), eps = 0.01",
         (_coupled, np.array([1, 2]), 0.01), [4.0, 13.0001],
         {"integer_theta": [100.0, 400.0], "one_sided": [[4.02, 13.0601], [3.98, 12.9401]],
          "missing_2": [8.0, 26.0002], "wrong_sign": [-4.0, -13.0001],
          "all_at_once": [17.0002, 17.0002], "not_restored": [4.0, 12.9802]}),
]

# ‖(0, −0.5)‖ / (‖(3, 4)‖ + ‖(3, 4.5)‖) = 0.5 / (5 + √29.25).
RELATIVE_DIFFERENCE_CASES = [
    Case("equal gradients", "grad = [1, -2, 2], grad_approx = [1, -2, 2]",
         (np.array([1.0, -2.0, 2.0]), np.array([1.0, -2.0, 2.0])), 0.0),
    Case("one entry differs", "grad = [3, 4], grad_approx = [3, 4.5]",
         (np.array([3.0, 4.0]), np.array([3.0, 4.5])), 0.048038460375998106,
         {"absolute": 0.5, "squared_norms": 0.004608294930875576,
          "norm_of_sum": 0.04805693313322127, "l1_norm": 0.034482758620689655,
          "max_norm": 0.058823529411764705, "grad_only_denominator": 0.1,
          "difference_of_norms": 0.03923079248003782}),
    Case("the same, 1000 times larger (the relative difference does not change)",
         "grad = [3000, 4000], grad_approx = [3000, 4500]",
         (np.array([3000.0, 4000.0]), np.array([3000.0, 4500.0])), 0.048038460375998106,
         {"absolute": 500.0, "squared_norms": 0.004608294930875576,
          "norm_of_sum": 0.04805693313322127, "l1_norm": 0.034482758620689655,
          "max_norm": 0.058823529411764705, "grad_only_denominator": 0.1,
          "difference_of_norms": 0.03923079248003782}),
    Case("opposite gradients (the largest possible value, 1)", "grad = [1, 0], grad_approx = [-1, 0]",
         (np.array([1.0, 0.0]), np.array([-1.0, 0.0])), 1.0,
         {"absolute": 2.0, "squared_norms": 2.0, "norm_of_sum": np.inf,
          "grad_only_denominator": 2.0, "difference_of_norms": 0.0}),
]


def _shown(value) -> str:
    return np.array2string(np.asarray(value, dtype=float), precision=10, separator=", ")


def _candidates(value) -> list[np.ndarray]:
    """A mistake's stored output, or its list of alternatives (``one_sided``: forward, backward)."""
    if isinstance(value, list) and value and isinstance(value[0], list):
        return [np.asarray(v, dtype=float) for v in value]
    return [np.asarray(value, dtype=float)]


def _named_mistake(case: Case, got: np.ndarray) -> str | None:
    for key, value in case.mistakes.items():
        for candidate in _candidates(value):
            if candidate.shape == got.shape and np.allclose(
                    got, candidate, rtol=MISTAKE_RTOL, atol=MISTAKE_ATOL, equal_nan=True):
                return MISTAKES[key]
    return None


def _call(func: Callable, case: Case):
    """``(result, None)``, or ``(None, problem lines)`` when the call raised. Copies the array
    arguments so that one case cannot leak into the next; reports an in-place edit of θ."""
    args = tuple(a.copy() if isinstance(a, np.ndarray) else a for a in case.args)
    try:
        with np.errstate(all="ignore"):  # a 0/0 of a mistaken formula is diagnosed, not warned
            result = func(*args)
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 - any exception in learner code is a failed case
        return None, [f"got:      an exception, {type(exc).__name__}: {exc}",
                      "Likely mistake: read the error message; the case's inputs are shown so "
                      "you can try them yourself."]
    theta = case.args[1] if callable(case.args[0]) else None
    if theta is not None and not np.array_equal(args[1], theta):
        return None, [f"got:      θ changed from {_shown(theta)} to {_shown(args[1])} by the call",
                      "Likely mistake: the θ you were given is nudged in place and not put back "
                      "exactly: nudge a copy (np.array(theta, dtype=float)), so the caller's "
                      "parameters stay as they were."]
    return result, None


def _judge(func_name: str, func: Callable, case: Case, scalar: bool) -> list[str] | None:
    """``None`` when ``case`` passes, else the lines explaining the failure."""
    lines = [f"inputs:   {case.inputs}", f"expected: {_shown(case.expected)}"]
    raw, problem = _call(func, case)
    if problem:
        return lines + problem
    if raw is None:
        return [*lines, "got:      None", f"Likely mistake: {func_name} has no `return` statement."]
    try:
        got = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        return [*lines, f"got:      {type(raw).__name__} {raw!r:.80}",
                "Likely mistake: return numbers (a NumPy array or a float)."]
    want = np.asarray(case.expected, dtype=float)
    lines.append(f"got:      {_shown(got)}")
    if scalar and got.size == 1:
        got = got.reshape(())
    if got.shape != want.shape:
        hint = ("return one number: the norms turn each whole vector into its length, so the "
                "result is a single float, not one value per entry." if scalar else
                f"return one partial derivative per entry of θ, an array of shape {want.shape}.")
        return [*lines, f"Likely mistake: wrong shape {got.shape} — {hint}"]
    if np.allclose(got, want, rtol=ANSWER_RTOL, atol=ANSWER_ATOL):
        return None
    named = _named_mistake(case, got)
    if named:
        return [*lines, f"Likely mistake: {named}"]
    return [*lines, "None of the usual mistakes gives these numbers: work this case out by hand "
            "and compare, step by step."]


def _run(func_name: str, func, cases: list[Case], scalar: bool, passed: str) -> bool:
    if not callable(func):
        return print_verdict(func_name, [
            f"check_{func_name} needs the function itself: check_{func_name}({func_name}), not "
            f"check_{func_name}({func_name}(...)). Got a {type(func).__name__}."], "")
    try:
        failures = [(i, case, lines) for i, case in enumerate(cases, 1)
                    if (lines := _judge(func_name, func, case, scalar)) is not None]
    except NotImplementedError:
        return print_verdict(func_name, [
            "not written yet: replace `raise NotImplementedError()` by your code."], "")
    if not failures:
        return print_verdict(func_name, [], passed)
    i, case, lines = next((f for f in failures if "Likely mistake" in f[2][-1]), failures[0])
    others = [f'{j} "{c.name}"' for j, c, _ in failures if j != i]
    if others:
        lines = [*lines, f"({len(others)} more case(s) failed: {', '.join(others)}.)"]
    return print_verdict(func_name, [f'case {i} of {len(cases)} failed, "{case.name}".', *lines], "")


def check_numerical_gradient(numerical_gradient) -> bool:
    """Check ``numerical_gradient(f, theta, eps) -> (n,)``, the two-sided differences
    ``(f(θ + ε·e_i) − f(θ − ε·e_i)) / (2ε)`` for each entry i of ``theta: (n,)`` (week 4,
    lesson 3). Prints a verdict; returns whether every case passed."""
    return _run("numerical_gradient", numerical_gradient, NUMERICAL_GRADIENT_CASES, scalar=False,
                passed=f"all {len(NUMERICAL_GRADIENT_CASES)} cases passed (two-sided, one entry "
                "at a time, θ left as it was).")


def check_relative_difference(relative_difference) -> bool:
    """Check ``relative_difference(grad, grad_approx) -> float``,
    ``‖g − g_approx‖ / (‖g‖ + ‖g_approx‖)`` with Euclidean norms, for two ``(n,)`` vectors (week
    4, lesson 3). Prints a verdict; returns whether every case passed."""
    return _run("relative_difference", relative_difference, RELATIVE_DIFFERENCE_CASES, scalar=True,
                passed=f"all {len(RELATIVE_DIFFERENCE_CASES)} cases passed.")
