"""Instant check for ``notebooks/week3/02_gradient_descent.ipynb``'s ``gradient_descent(grad, w0, alpha, steps)``.

``_ = check_gradient_descent(gradient_descent)`` runs the learner's function on three small costs
whose iterates were worked out by hand, prints one verdict naming the likely mistake (the update
going uphill, α forgotten, the start point missing, one step too few or too many, only the last
point returned, every row the same point because ``w`` was changed in place, ``w0`` overwritten)
and returns ``True``/``False``. Expected values only: the outputs of the mistakes are precomputed
numbers, so nothing here contains a solution.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from course_utils.checks.core.verdict import format_array, given_a_function, print_verdict

NAME = "gradient_descent"

#: What each mistake looks like, named by the (precomputed) output it gives.
MISTAKES = {
    "ascent": (
        "the update goes uphill (gradient ascent): w := w − α·dJ/dw, with a minus sign. The "
        "gradient points to where J grows; gradient descent steps the other way."
    ),
    "no_alpha": "the learning rate is not used: the step is α·grad(w), not grad(w).",
    "aliased": (
        "every row is the same point: w is changed in place (w -= ...) after it was appended, so "
        "all the rows are one array. Write w = w - alpha * grad(w), which makes a new array, or "
        "append w.copy()."
    ),
    "no_start": (
        "the start point w0 is missing: the first row must be w0 itself, then one row per step "
        "(steps + 1 rows in all)."
    ),
    "one_step_short": (
        "one step too few: the loop must run `steps` times (range(steps)), giving steps + 1 rows "
        "with the start point."
    ),
    "one_step_long": "one step too many: the loop must run exactly `steps` times (range(steps)).",
    "last_only": (
        "only the final point is returned: return every iterate, the start point first, as an "
        "array of shape (steps + 1, n)."
    ),
    "transposed": "the result is transposed: one ROW per iterate, shape (steps + 1, n).",
}


def _square_1d(w):  # J(w) = (w − 3)², the lesson's 1-D cost
    return 2.0 * (np.asarray(w, dtype=float) - 3.0)


def _bowl(w):  # J(w) = (w1² + 10 w2²) / 2, the lesson's bowl
    return np.array([1.0, 10.0]) * np.asarray(w, dtype=float)


def _quartic(w):  # J(w) = w1⁴ / 4 + w2²: not a quadratic, so the steps are not all alike
    w = np.asarray(w, dtype=float)
    return np.array([w[0] ** 3, 2.0 * w[1]])


@dataclass(frozen=True)
class DescentCase:
    name: str
    inputs: str
    grad: object
    w0: tuple
    alpha: float
    steps: int
    expected: list
    mistakes: dict = field(default_factory=dict)


CASES = [
    DescentCase("the 1-D cost J(w) = (w − 3)²", "grad(w) = 2(w − 3), w0 = [0.], alpha = 0.1, steps = 3",
                _square_1d, (0.0,), 0.1, 3, [[0.0], [0.6], [1.08], [1.464]],
                {"ascent": [[0.0], [-0.6], [-1.32], [-2.184]],
                 "no_alpha": [[0.0], [6.0], [0.0], [6.0]]}),
    DescentCase("the bowl J = (w1² + 10 w2²)/2", "grad(w) = [w1, 10 w2], w0 = [-8., 2.5], "
                "alpha = 0.05, steps = 3", _bowl, (-8.0, 2.5), 0.05, 3,
                [[-8.0, 2.5], [-7.6, 1.25], [-7.22, 0.625], [-6.859, 0.3125]],
                {"ascent": [[-8.0, 2.5], [-8.4, 3.75], [-8.82, 5.625], [-9.261, 8.4375]],
                 "no_alpha": [[-8.0, 2.5], [0.0, -22.5], [0.0, 202.5], [0.0, -1822.5]]}),
    DescentCase("a cost that is not a bowl, J = w1⁴/4 + w2²", "grad(w) = [w1³, 2 w2], "
                "w0 = [1., -2.], alpha = 0.25, steps = 2", _quartic, (1.0, -2.0), 0.25, 2,
                [[1.0, -2.0], [0.75, -1.0], [0.64453125, -0.5]],
                {"ascent": [[1.0, -2.0], [1.25, -3.0], [1.73828125, -4.5]],
                 "no_alpha": [[1.0, -2.0], [0.0, 2.0], [0.0, -2.0]]}),
]


def _close(a: np.ndarray, b) -> bool:
    b = np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-6, atol=1e-9))


def _shape_mistake(got: np.ndarray, want: np.ndarray) -> str:
    """The named mistake behind a wrong shape, or a description of the shape needed."""
    if _close(got, want[-1]):
        return MISTAKES["last_only"]
    if _close(got, want[1:]):
        return MISTAKES["no_start"]
    if _close(got, want[:-1]):
        return MISTAKES["one_step_short"]
    if got.shape == (want.shape[0] + 1, want.shape[1]) and _close(got[:-1], want):
        return MISTAKES["one_step_long"]
    if _close(got, want.T):
        return MISTAKES["transposed"]
    if got.size == want.size and _close(got.reshape(want.shape), want):
        return (f"the numbers are right but the shape is {got.shape}: return shape "
                f"(steps + 1, n) = {want.shape}, one row per iterate.")
    return (f"wrong shape {got.shape}: the result must be (steps + 1, n) = {want.shape}, the start "
            "point first, then one row per step.")


def _value_mistake(got: np.ndarray, case: DescentCase) -> str | None:
    if len(got) > 1 and np.allclose(got, got[-1]) and not np.allclose(got[0], case.w0):
        return MISTAKES["aliased"]
    for key, value in case.mistakes.items():
        if _close(got, value):
            return MISTAKES[key]
    return None


def _run_case(func, case: DescentCase) -> list[str] | None:
    """``None`` when the case passes, else the lines that explain the failure."""
    w0 = np.array(case.w0, dtype=float)
    want = np.asarray(case.expected, dtype=float)
    lines = [f"inputs:   {case.inputs}", f"expected: {format_array(want)}  shape {want.shape}"]
    try:
        raw = func(case.grad, w0, case.alpha, case.steps)
    except NotImplementedError:
        raise  # the stub: reported once, by check_gradient_descent
    except Exception as exc:  # noqa: BLE001 - any exception in learner code is a failed case
        return [*lines, f"got:      an exception, {type(exc).__name__}: {exc}",
                "Likely mistake: read the error above; try the case's inputs yourself."]
    if raw is None:
        return [*lines, "got:      None", f"Likely mistake: {NAME} has no `return` statement."]
    try:
        got = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        return [*lines, f"got:      {type(raw).__name__} {raw!r:.80}",
                "Likely mistake: return the iterates as an array of numbers, shape (steps + 1, n)."]
    lines.append(f"got:      {format_array(got)}  shape {got.shape}")
    changed = not np.array_equal(w0, np.asarray(case.w0, dtype=float))
    if got.shape != want.shape:
        return [*lines, f"Likely mistake: {_shape_mistake(got, want)}"]
    if not _close(got, want):
        named = _value_mistake(got, case)
        return [*lines, f"Likely mistake: {named}" if named else
                "None of the usual mistakes gives these numbers: work the first step out by hand, "
                "w1 = w0 − alpha·grad(w0), and compare."]
    if changed:
        return [*lines[:2], f"got:      the right iterates, but w0 was changed to {w0}",
                "Likely mistake: w0 is updated in place (w = w0, then w -= ...): the caller's "
                "start point must stay as it was. Start from a copy, w = np.array(w0, dtype=float)."]
    return None


def check_gradient_descent(func) -> bool:
    """Run the cases on the learner's ``gradient_descent``; print one verdict; return success."""
    if not given_a_function(NAME, func):
        return False
    for i, case in enumerate(CASES, 1):
        try:
            lines = _run_case(func, case)
        except NotImplementedError:
            # The stub as given: say so and let the lesson go on.
            return print_verdict(NAME, ["not written yet: replace `raise NotImplementedError()` by "
                                        "your code, run its cell, then this check again."], "")
        if lines is not None:
            return print_verdict(NAME, [f"case {i} of {len(CASES)} failed, \"{case.name}\".", *lines], "")
    return print_verdict(NAME, [], f"all {len(CASES)} cases passed.")
