"""Instant checks for week 2's labs: the cost of a binary classifier (lesson 1, ``my_bce``) and of a
softmax classifier (lesson 3, ``my_cross_entropy``).

``check_bce(my_bce)`` and ``check_cross_entropy(my_cross_entropy)`` run the learner's function on a
few small cases, print one verdict and return ``True``/``False``. A function not written yet
(``raise NotImplementedError()``) is reported as such, without raising. Expected values only: the
right cost, the per-example losses and what the usual mistakes give on each case (sign flipped, a
sum instead of the mean, base-10 logarithms, a term or an index wrong) are precomputed numbers, so
nothing here contains a solution.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from course_utils.checks._report import (
    format_array,
    given_a_function,
    run_failures,
    shown_name,
)

#: What each precomputed wrong cost reveals, for both checks.
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


BCE_CASES = [
    CostCase("four examples", "y = [1, 0, 1, 0], a = [0.9, 0.2, 0.6, 0.4]",
             ([1, 0, 1, 0], [0.9, 0.2, 0.6, 0.4]), 0.3375388286260044,
             [0.10536051565782628, 0.2231435513142097, 0.5108256237659907, 0.5108256237659907],
             {"no_minus": -0.3375388286260044, "sum_not_mean": 1.3501553145040175,
              "log10": 0.14659125070036105, "first_term_only": 0.15404653485595426,
              "log_a_twice": 0.7854786959330181, "squared_error": 0.09250000000000001}),
    CostCase("confident and wrong", "y = [0, 1, 1], a = [0.99, 0.05, 0.5]",
             ([0, 1, 1], [0.99, 0.05, 0.5]), 2.7646832133673427,
             [4.605170185988091, 2.995732273553991, 0.6931471805599453],
             {"no_minus": -2.7646832133673427, "sum_not_mean": 8.294049640102028,
              "log10": 1.2006866637759874, "first_term_only": 1.2296264847046454,
              "log_a_twice": 1.2329765966558126, "squared_error": 0.7108666666666666}),
    CostCase("one example, label 0", "y = [0], a = [0.3]", ([0], [0.3]), 0.35667494393873245,
             [0.35667494393873245],
             {"no_minus": -0.35667494393873245, "log10": 0.1549019599857432,
              "first_term_only": 0.0, "log_a_twice": 1.2039728043259361, "squared_error": 0.09}),
    CostCase("columns of shape (m, 1), as Keras's Y", "y = [[1], [0]], a = [[0.8], [0.3]]",
             ([[1], [0]], [[0.8], [0.3]]), 0.2899092476264711,
             [0.2231435513142097, 0.35667494393873245],
             {"no_minus": -0.2899092476264711, "sum_not_mean": 0.5798184952529422,
              "log10": 0.1259059864968998, "first_term_only": 0.11157177565710485,
              "log_a_twice": 0.7135581778200729, "squared_error": 0.06499999999999999}),
]

CROSS_ENTROPY_CASES = [
    CostCase("three examples, four classes",
             "a = [[0.1, 0.2, 0.3, 0.4], [0.7, 0.1, 0.1, 0.1], [0.25, 0.25, 0.4, 0.1]], y = [3, 0, 2]",
             ([[0.1, 0.2, 0.3, 0.4], [0.7, 0.1, 0.1, 0.1], [0.25, 0.25, 0.4, 0.1]], [3, 0, 2]),
             0.7297521358956809, [0.916290731874155, 0.35667494393873245, 0.916290731874155],
             {"no_minus": -0.7297521358956809, "sum_not_mean": 2.1892564076870427,
              "log10": 0.3169273257766061, "all_classes": 6.4293937705523625,
              "all_entries": 1.6073484426380906, "columns_by_label": 1.554429327234339},
             integer_args=(1,)),
    CostCase("four examples, three classes",
             "a = [[0.5, 0.3, 0.2], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6], [0.6, 0.3, 0.1]], "
             "y = [1, 1, 2, 0]",
             ([[0.5, 0.3, 0.2], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6], [0.6, 0.3, 0.1]], [1, 1, 2, 0]),
             0.6121919007930319,
             [1.2039728043259361, 0.2231435513142097, 0.5108256237659907, 0.5108256237659907],
             {"no_minus": -0.6121919007930319, "sum_not_mean": 2.4487676031721275,
              "log10": 0.2658715643802767, "all_classes": 4.020489151085611,
              "all_entries": 1.3401630503618704, "rows_by_label": 1.4077405683798976,
              "columns_by_label": 1.2701552297964143},
             integer_args=(1,)),
    CostCase("as many examples as classes (m = N = 3)",
             "a = [[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8]], y = [1, 2, 0]",
             ([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8]], [1, 2, 0]),
             1.5701769005486392, [1.2039728043259361, 1.2039728043259361, 2.3025850929940455],
             {"no_minus": -1.5701769005486392, "sum_not_mean": 4.710530701645918,
              "log10": 0.681919163520225, "all_classes": 4.117418385236085,
              "transposed": 2.0715360328073973},
             integer_args=(1,)),
    CostCase("one example, two classes", "a = [[0.2, 0.8]], y = [1]", ([[0.2, 0.8]], [1]),
             0.2231435513142097, [0.2231435513142097],
             {"no_minus": -0.2231435513142097, "log10": 0.09691001300805638,
              "all_classes": 1.83258146374831, "all_entries": 0.916290731874155},
             integer_args=(1,)),
]


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


def _failure(func_name: str, func, case: CostCase, shapes: str) -> tuple[list[str], bool] | None:
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
            return [*lines, f"Likely mistake: {COST_MISTAKES[key]}"], True
    return [*lines, "None of the usual mistakes gives this number: compute each example's loss by "
            "hand, then their mean, and compare."], False


def _run(func_name: str, func, cases: list[CostCase], shapes: str) -> bool:
    if not given_a_function(func_name, func):
        return False
    name = shown_name(func_name, func)
    return run_failures(name, cases, lambda case: _failure(name, func, case, shapes))


def check_bce(bce) -> bool:
    """Check ``bce(y, a) -> J``: the binary cross-entropy cost, the mean over the m examples of
    ``-y log(a) - (1 - y) log(1 - a)`` (natural log). ``y`` holds labels 0/1 and ``a`` the
    predicted probabilities of label 1, both ``(m,)`` or both ``(m, 1)``; ``J`` is one number.
    Week 2, lesson 1. Prints a verdict and returns whether every case passed."""
    return _run("bce", bce, BCE_CASES, "y and a have the same shape, (m,) or (m, 1)")


def check_cross_entropy(cross_entropy) -> bool:
    """Check ``cross_entropy(a, y) -> J``: the mean over the m examples of ``-log a[i, y[i]]``, the
    (sparse categorical) cross-entropy of softmax outputs. ``a: (m, N)`` holds each example's N
    class probabilities in a row, ``y: (m,)`` the true classes, integers 0 … N-1; ``J`` is one
    number. Week 2, lesson 3. Prints a verdict and returns whether every case passed."""
    return _run("cross_entropy", cross_entropy, CROSS_ENTROPY_CASES,
                "a is (m, N), one example per row; y is (m,), one class index per example")
