"""Instant checks for ``notebooks/week3/01_shapes_and_conventions.ipynb`` (shapes and the two conventions).

``check_to_column(to_column)`` and ``check_db_column(db_column)`` run the learner's function on
small cases with known answers, print one verdict and return ``True``/``False``. When an answer is
wrong they name the mistake: a rank-1 array where a column is needed, a sum over the wrong axis, a
forgotten ``keepdims`` or ``1/m``, ``reshape`` used as if it transposed. Expected values only: each
case lists the exact outputs that those mistakes give, as precomputed numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from course_utils.checks.core.verdict import format_array, given_a_function, print_verdict

#: What each mistake is, keyed as in the cases' ``mistakes``; ``{shape}`` is the shape the learner got.
MISTAKES = {
    # to_column
    "W_not_transposed": (
        "W_col is the row convention's W as it was, shape {shape}: the column convention stores "
        "one ROW per unit, shape (units, n_in), which is W transposed: W.T."
    ),
    "W_reshaped": (
        "W_col has the right shape {shape} but the wrong numbers: reshape keeps the entries in "
        "reading order and only regroups them, it does not swap rows and columns. Use W.T."
    ),
    "b_rank1": (
        "b_col is rank-1, shape {shape}: the column convention's b is a column (units, 1), so that "
        "it is added to every one of the m columns of W A. Use b.reshape(-1, 1) or b[:, None] "
        "(b.T does nothing to a rank-1 array)."
    ),
    "b_row": (
        "b_col is a row, shape {shape}: it must be a column (units, 1), one row per unit, like the "
        "rows of W_col. b.reshape(1, -1) and np.atleast_2d(b) make rows; b.reshape(-1, 1) a column."
    ),
    "A_not_transposed": (
        "A_col is the row convention's A as it was, shape {shape}: in the column convention each "
        "example is a COLUMN, shape (n, m), which is A transposed: A.T."
    ),
    "A_reshaped": (
        "A_col has the right shape {shape} but the wrong numbers: reshape regroups the entries in "
        "reading order, so examples get mixed up; it does not transpose. Use A.T."
    ),
    # db_column
    "axis0": (
        "db is summed over axis 0, the units: in the column convention the examples are the "
        "columns, so the sum over the examples runs along axis=1 (axis=0 is the row convention's "
        "db, where the examples are rows)."
    ),
    "no_keepdims": (
        "the numbers are right, but db is rank-1, shape {shape}: the sum dropped the summed axis. "
        "Keep it with np.sum(dZ, axis=1, keepdims=True), so that db is a column (units, 1) like b."
    ),
    "no_mean": (
        "db is m times too large: the 1/m is missing. The cost is the MEAN over the m examples, "
        "so db = np.sum(dZ, axis=1, keepdims=True) / m."
    ),
    "divided_by_units": (
        "db is divided by the number of units, dZ.shape[0]: m is the number of examples, the "
        "number of COLUMNS of dZ, dZ.shape[1]."
    ),
    "total": (
        "db is a single number, shape {shape}: the sum ran over the whole array. Sum over the "
        "examples only, axis=1, keeping one value per unit."
    ),
    "row": (
        "the numbers are right but db is a row, shape {shape}: it must be a column (units, 1), "
        "one row per unit, like b."
    ),
}

#: Mistakes recognised by their numbers alone: summing over the wrong axis (or over everything)
#: is named whether or not keepdims=True was also used.
SHAPE_FREE = {"axis0", "total"}


@dataclass(frozen=True)
class ShapeCase:
    """One call: ``args`` (copied before each call), the ``expected`` output(s), and for each output
    the exact arrays that named mistakes give (``mistakes[k]`` maps a :data:`MISTAKES` key to an
    output for output ``k``)."""

    name: str
    inputs: str
    args: tuple
    expected: tuple
    mistakes: tuple = field(default_factory=tuple)


def _same(got: np.ndarray, want) -> bool:
    want = np.asarray(want, dtype=float)
    return got.shape == want.shape and np.allclose(got, want, rtol=1e-9, atol=1e-12)


def _output_problem(label: str, got, want, mistakes: dict) -> list[str] | None:
    """``None`` when output ``label`` is right, else the lines that describe what is wrong."""
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return [f"output:   {label}", f"got:      {type(got).__name__} {got!r:.80}",
                f"Likely mistake: {label} is not an array of numbers; return a NumPy array."]
    if _same(got, want):
        return None
    lines = [f"output:   {label}",
             f"expected: {format_array(want)}  shape {np.shape(want)}",
             f"got:      {format_array(got)}  shape {got.shape}"]
    # An exact match (shape and numbers) first; then the mistakes that give the same wrong
    # numbers whatever the shape (with or without keepdims), compared entry by entry.
    named = [key for key, output in mistakes.items() if _same(got, output)]
    named = named or [key for key, output in mistakes.items() if key in SHAPE_FREE
                      and _same(got.ravel(), np.ravel(output))]
    if named:
        return [*lines, "Likely mistake: " + MISTAKES[named[0]].format(shape=got.shape)]
    if got.shape != np.shape(want):
        return [*lines, f"Likely mistake: {label} should have shape {np.shape(want)}, not "
                f"{got.shape}; print the shapes of your intermediate arrays."]
    return [*lines, "None of the usual mistakes gives these numbers: work this case out by hand "
            "and compare."]


def _case_problem(func_name: str, func: Callable, labels: tuple, case: ShapeCase) -> list[str] | None:
    """``None`` when ``case`` passes, else the lines explaining the failure."""
    lines = [f"inputs:   {case.inputs}"]
    try:
        raw = func(*(np.array(a, dtype=float) for a in case.args))
    except NotImplementedError:
        raise  # the stub: reported once, by _run
    except Exception as exc:  # noqa: BLE001 - any exception in learner code is a failed case
        shown = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return [*lines, f"got:      an exception, {shown}",
                "Likely mistake: read the error message; the inputs are shown so you can try "
                "them yourself (print the shapes)."]
    if raw is None:
        return [*lines, "got:      None", f"Likely mistake: {func_name} has no `return` statement."]
    outputs = (raw,) if len(labels) == 1 else raw
    if len(labels) > 1 and (not isinstance(raw, tuple | list) or len(raw) != len(labels)):
        what = (f"a {type(raw).__name__} of {len(raw)} item(s)" if isinstance(raw, tuple | list)
                else f"a single {type(raw).__name__}")
        return [*lines, f"got:      {what}",
                f"Likely mistake: {func_name} returns {len(labels)} arrays: "
                f"`return {', '.join(labels)}`."]
    mistakes = case.mistakes or ({},) * len(labels)
    for label, got, want, named in zip(labels, outputs, case.expected, mistakes):
        problem = _output_problem(label, got, want, named)
        if problem:
            return [*lines, *problem]
    return None


def _run(func_name: str, func, labels: tuple, cases: list[ShapeCase]) -> bool:
    """Run the cases, print one verdict (the first failed case in full), return whether all passed."""
    if not given_a_function(func_name, func):
        return False
    try:
        failures = [(i, case, lines) for i, case in enumerate(cases, 1)
                    if (lines := _case_problem(func_name, func, labels, case)) is not None]
    except NotImplementedError:
        # The stub as given: say so and let the lesson go on (this is not a graded notebook).
        return print_verdict(func_name, [
            "not written yet: replace `raise NotImplementedError()` by your code, run its cell, "
            "then this check again."], "")
    if not failures:
        return print_verdict(func_name, [], f"all {len(cases)} cases passed.")
    i, case, lines = failures[0]
    more = [f"({len(failures) - 1} more case(s) failed.)"] if len(failures) > 1 else []
    return print_verdict(func_name, [f'case {i} of {len(cases)} failed, "{case.name}".', *lines, *more],
                         "")


# --- to_column: the row convention's W, b, A to the column convention's ---------------------------

TO_COLUMN_LABELS = ("W_col", "b_col", "A_col")

TO_COLUMN_CASES = [
    ShapeCase(
        "2 inputs, 3 units, m = 4 examples",
        "W = [[1, 2, 3], [4, 5, 6]] (2, 3), b = [10, 20, 30] (3,), "
        "A = [[1, -1], [2, -2], [3, -3], [4, -4]] (4, 2)",
        ([[1, 2, 3], [4, 5, 6]], [10, 20, 30], [[1, -1], [2, -2], [3, -3], [4, -4]]),
        ([[1, 4], [2, 5], [3, 6]], [[10], [20], [30]], [[1, 2, 3, 4], [-1, -2, -3, -4]]),
        ({"W_not_transposed": [[1, 2, 3], [4, 5, 6]], "W_reshaped": [[1, 2], [3, 4], [5, 6]]},
         {"b_rank1": [10, 20, 30], "b_row": [[10, 20, 30]]},
         {"A_not_transposed": [[1, -1], [2, -2], [3, -3], [4, -4]],
          "A_reshaped": [[1, -1, 2, -2], [3, -3, 4, -4]]}),
    ),
    ShapeCase(
        "square: 2 inputs, 2 units, m = 2 examples (a forgotten transpose keeps the shape)",
        "W = [[1, 2], [3, 4]], b = [5, 6], A = [[7, 8], [9, 10]]",
        ([[1, 2], [3, 4]], [5, 6], [[7, 8], [9, 10]]),
        ([[1, 3], [2, 4]], [[5], [6]], [[7, 9], [8, 10]]),
        ({"W_not_transposed": [[1, 2], [3, 4]]},
         {"b_rank1": [5, 6], "b_row": [[5, 6]]},
         {"A_not_transposed": [[7, 8], [9, 10]]}),
    ),
    ShapeCase(
        "an output layer: 3 inputs, 1 unit, m = 1 example",
        "W = [[0.5], [-1], [2]] (3, 1), b = [0.25] (1,), A = [[1, 2, 3]] (1, 3)",
        ([[0.5], [-1], [2]], [0.25], [[1, 2, 3]]),
        ([[0.5, -1, 2]], [[0.25]], [[1], [2], [3]]),
        ({"W_not_transposed": [[0.5], [-1], [2]]},
         {"b_rank1": [0.25]},
         {"A_not_transposed": [[1, 2, 3]]}),
    ),
]


def check_to_column(to_column) -> bool:
    """Check ``to_column(W, b, A) -> (W_col, b_col, A_col)``. ``notebooks/week3/01_shapes_and_conventions.ipynb``.

    Row convention in: ``W (n_in, units)``, ``b (units,)``, ``A (m, n_in)``; column convention out:
    ``W_col (units, n_in)``, ``b_col (units, 1)``, ``A_col (n_in, m)``. Prints a verdict.
    """
    return _run("to_column", to_column, TO_COLUMN_LABELS, TO_COLUMN_CASES)


# --- db_column: the bias gradient in the column convention ------------------------------------------

DB_CASES = [
    ShapeCase(
        "3 units, m = 4 examples",
        "dZ = [[1, 2, 3, 4], [10, 20, 30, 40], [-1, 0, 1, 2]] (3, 4)",
        ([[1, 2, 3, 4], [10, 20, 30, 40], [-1, 0, 1, 2]],),
        ([[2.5], [25.0], [0.5]],),
        ({"axis0": [2.5, 5.5, 8.5, 11.5], "no_keepdims": [2.5, 25.0, 0.5],
          "no_mean": [[10.0], [100.0], [2.0]],
          "divided_by_units": [[10 / 3], [100 / 3], [2 / 3]], "total": 28.0,
          "row": [[2.5, 25.0, 0.5]]},),
    ),
    ShapeCase(
        "a square dZ: 2 units, m = 2 examples (the wrong axis keeps the shape)",
        "dZ = [[1, 3], [5, 7]] (2, 2)",
        ([[1, 3], [5, 7]],),
        ([[2.0], [6.0]],),
        ({"axis0": [3.0, 5.0], "no_keepdims": [2.0, 6.0], "no_mean": [[4.0], [12.0]],
          "total": 8.0, "row": [[2.0, 6.0]]},),
    ),
    ShapeCase(
        "one example: 2 units, m = 1",
        "dZ = [[0.5], [-2]] (2, 1)",
        ([[0.5], [-2.0]],),
        ([[0.5], [-2.0]],),
        ({"axis0": [-1.5], "no_keepdims": [0.5, -2.0], "divided_by_units": [[0.25], [-1.0]],
          "total": -1.5, "row": [[0.5, -2.0]]},),
    ),
]


def check_db_column(db_column) -> bool:
    """Check ``db_column(dZ) -> db``, the bias gradient in the column convention. ``notebooks/week3/01_shapes_and_conventions.ipynb``.

    ``dZ: (units, m)``, one column per example; ``db: (units, 1)``, the mean of each row of ``dZ``
    (the sum over the examples divided by m). Prints a verdict.
    """
    return _run("db_column", db_column, ("db",), DB_CASES)
