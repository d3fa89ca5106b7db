"""Checks of a cost function, whose answer is ONE number, the mean of m per-example losses (week 2's
lab checks, ``check_bce`` and ``check_cross_entropy``).

The right cost, the per-example losses and what the usual mistakes give on each case (sign
flipped, a sum instead of the mean, base-10 logarithms, ...) are precomputed numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from course_utils.checks.core.verdict import (
    format_array,
    given_a_function,
    run_failures,
    shown_name,
)

#: What each precomputed wrong cost reveals, for both cost checks (week 2's ``check_bce`` and
#: ``check_cross_entropy``).
COST_MISTAKES = {
    "no_minus": (
        "the sign is flipped: the logarithm of a probability is negative, so the loss is MINUS the "
        "log; a cost is never negative."
    ),
    "sum_not_mean": (
        "the losses are summed, not averaged: the cost J is the MEAN of the m losses (the sum "
        "divided by m, np.mean)."
    ),
    "log10": "np.log10 is used: the cross-entropy uses the natural logarithm, np.log.",
    # binary cross-entropy, my_bce(y, a)
    "first_term_only": (
        "only the first term, -y·log(a), is there: examples with y = 0 then cost nothing. Add "
        "-(1 - y)·log(1 - a)."
    ),
    "log_a_twice": (
        "the second term uses log(a): for y = 0 the loss is -log(1 - a), the log of the "
        "probability of class 0."
    ),
    "squared_error": (
        "this is the mean squared error, mean((a - y)**2): the binary cross-entropy is "
        "-y·log(a) - (1 - y)·log(1 - a)."
    ),
    # softmax cross-entropy, my_cross_entropy(a, y)
    "all_classes": (
        "the logs of ALL N probabilities of each example are added: the loss of an example is "
        "-log of ONE probability, the one of its true class, a[i, y[i]]."
    ),
    "all_entries": (
        "the mean runs over every probability of the array: only the true class's probability of "
        "each row counts, a[np.arange(m), y]."
    ),
    "rows_by_label": (
        "a[y] picks whole ROWS (examples), not one entry per row: use a[np.arange(m), y], row i "
        "and column y[i]."
    ),
    "columns_by_label": (
        "a[:, y] is an (m, m) block (column y[j] of every row), not one entry per row: use "
        "a[np.arange(m), y]."
    ),
    "transposed": (
        "the indices are swapped, a[y, np.arange(m)]: rows are examples and columns classes, so "
        "example i's probability of its class is a[i, y[i]] (a[np.arange(m), y])."
    ),
}


@dataclass(frozen=True)
class CostCase:
    """One call of the learner's cost function on ``args`` (lists, turned into fresh arrays).

    ``expected`` is the cost, ``losses`` the m per-example losses it averages, and ``mistakes``
    maps a key of :data:`COST_MISTAKES` to the cost that mistake gives on these inputs.
    """

    name: str
    inputs: str
    args: tuple
    expected: float
    losses: list
    mistakes: dict = field(default_factory=dict)
    integer_args: tuple = ()  # positions of the integer labels (class indices)

    def arguments(self) -> tuple:
        """Fresh arrays for one call (a learner's in-place edit must not leak into the next case)."""
        return tuple(np.array(a, dtype=int if i in self.integer_args else float)
                     for i, a in enumerate(self.args))


def _close(got, want) -> bool:
    return bool(np.allclose(got, want, rtol=1e-6, atol=1e-9))


def _exception_hint(exc: Exception, shapes: str) -> str:
    text = str(exc).lower()
    if isinstance(exc, IndexError):
        return ("an index is out of range: the labels y are used as ROW numbers (a[y] or "
                "a[y, ...]), but rows are the m examples and columns the N classes. Pick one entry "
                "per row, row i and column y[i]: a[np.arange(m), y].")
    if any(word in text for word in ("shape", "align", "broadcast", "dimension")):
        return f"a shape mismatch. {shapes}; print the shapes of your intermediate arrays."
    return "read the error message; the inputs are shown so you can try them yourself."


def _failure(func_name: str, func, case: CostCase, mistakes: dict, shapes: str) -> tuple[list[str], bool] | None:
    """``None`` when ``case`` passes, else the lines explaining why and whether they name a mistake.
    A ``NotImplementedError`` is let through: the caller reports "not written yet" once."""
    lines = [f"inputs:   {case.inputs}", f"expected: {format_array(case.expected)}"]
    args = case.arguments()
    try:
        with np.errstate(all="ignore"):  # a log of 0 is diagnosed below, not warned about
            raw = func(*args)
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 - any exception in learner code is a failed case
        return [*lines, f"got:      an exception, {type(exc).__name__}: {exc}",
                f"Likely mistake: {_exception_hint(exc, shapes)}"], isinstance(exc, IndexError)
    if raw is None:
        return [*lines, "got:      None", f"Likely mistake: {func_name} has no `return` statement."], True
    try:
        got = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        return [*lines, f"got:      {type(raw).__name__} {raw!r:.80}",
                "Likely mistake: the result is not a number; return the cost, a float."], True
    lines.append(f"got:      {format_array(got)}")
    m = len(case.losses)
    if got.size != 1:
        if got.size == m and _close(got.ravel(), case.losses):
            why = (f"these are the {m} losses, one per example: the cost J is their mean, one "
                   "number (np.mean).")
        else:
            why = f"the cost is one number, but the result has shape {got.shape}."
        return [*lines, f"Likely mistake: {why}"], True
    value = float(got.ravel()[0])
    if _close(value, case.expected):
        return None
    if not np.isfinite(value):
        return [*lines, "Likely mistake: a log of 0 (or of a negative number): the logs take the "
                "predicted probabilities a, which are never exactly 0 or 1, never the labels y. "
                "Are the arguments in the right order?"], True
    for key, wrong in case.mistakes.items():
        if _close(value, wrong):
            return [*lines, f"Likely mistake: {mistakes[key]}"], True
    return [*lines, "None of the usual mistakes gives this number: compute each example's loss by "
            "hand, then their mean, and compare."], False


def run_cost_check(func_name: str, func, cases: list[CostCase], mistakes: dict, shapes: str) -> bool:
    """Run ``cases`` on the cost function ``func``, print one verdict and return whether all passed.
    ``mistakes`` names the mistakes of the cases' ``mistakes`` keys (:data:`COST_MISTAKES` and the
    check's own); ``shapes`` says what shapes the arguments have, for a shape-mismatch hint."""
    if not given_a_function(func_name, func):
        return False
    name = shown_name(func_name, func)
    return run_failures(name, cases, lambda case: _failure(name, func, case, mistakes, shapes))
