"""Instant check for ``notebooks/week5/04_error_analysis.ipynb`` (error analysis): ``most_confused(cm)``, the pair
``(true class, predicted class)`` of the largest error RATE of a confusion matrix ``cm`` — the
largest off-diagonal entry of ``cm[i, j] / Σ_k cm[i, k]``, the share of class i's examples that
the model calls j.

``check_most_confused(most_confused)`` prints one verdict and returns ``True``/``False``.
Expected values only: each case stores its answer and the pairs that typical mistakes give (worked
out by hand from the small matrices below); a stored mistake is named when the learner's pairs
agree with its pairs on *every* case. Two mistakes are recognised on a single case: a pair on the
diagonal (the correct answers were not left out) and the expected pair reversed (rows and columns
swapped).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_utils.checks.core.verdict import given_a_function, print_case_verdict

#: What each stored mistake means, keyed as in the cases' ``mistakes``.
MISTAKES = {
    "not_normalised": (
        "the largest COUNT is returned, not the largest rate: a big class makes more mistakes just "
        "by having more examples. Divide each row by its total first, cm / cm.sum(axis=1, "
        "keepdims=True), then look for the largest off-diagonal share."
    ),
    "columns_normalised": (
        "each COLUMN is divided by its total (cm.sum(axis=0)): that is the share of the images "
        "PREDICTED as j that are really i. The question is about each true class's examples: "
        "divide each ROW by its total, cm.sum(axis=1, keepdims=True)."
    ),
    "sums_broadcast_wrong": (
        "cm / cm.sum(axis=1) divides column j by ROW j's total: the (n,) vector of row totals is "
        "broadcast along the rows. Keep the totals as a column, cm.sum(axis=1, keepdims=True) "
        "(shape (n, 1)), so that row i is divided by its own total."
    ),
}

DIAGONAL = (
    "the pair is on the diagonal, i == j: those are the CORRECT answers, which are most of every "
    "row. Leave the diagonal out (e.g. set it to 0 in a copy) before looking for the largest entry."
)
SWAPPED = (
    "the pair is reversed, (predicted, true): in a confusion matrix the ROW is the true class and "
    "the COLUMN the predicted class, so entry [i, j] gives the pair (i, j)."
)


@dataclass(frozen=True)
class Case:
    """One call ``most_confused(cm)``: the ``expected`` pair, the error rates' largest entries
    (``why``, shown when the learner's pair matches no known mistake) and the pair each mistake of
    :data:`MISTAKES` gives on this matrix."""

    name: str
    cm: list
    expected: tuple
    why: str
    mistakes: dict


CASES = [
    Case("three classes of 10 examples each", [[9, 1, 0], [0, 7, 3], [2, 0, 8]], (1, 2),
         "row 1: 3 of 10 examples predicted 2, a rate of 0.3; the next largest is 2 of 10",
         {"not_normalised": (1, 2), "columns_normalised": (1, 2), "sums_broadcast_wrong": (1, 2)}),
    Case("a big class (100 examples) and a small one (10)",
         [[90, 6, 4], [0, 7, 3], [5, 0, 45]], (1, 2),
         "row 1 has 10 examples, 3 predicted 2: 0.3; row 0's 6 of 100 is only 0.06",
         {"not_normalised": (0, 1), "columns_normalised": (0, 1), "sums_broadcast_wrong": (0, 1)}),
    Case("four classes of different sizes",
         [[25, 1, 3, 3], [2, 21, 1, 2], [5, 3, 10, 2], [3, 4, 0, 8]], (3, 1),
         "row 3 has 15 examples, 4 predicted 1: 0.267; next, row 2's 5 of 20 predicted 0: 0.25",
         {"not_normalised": (2, 0), "columns_normalised": (0, 2), "sums_broadcast_wrong": (0, 3)}),
]


def _as_pair(raw) -> tuple[tuple[int, int] | None, list[str] | None]:
    """``((i, j), None)`` for two whole numbers, else ``(None, lines explaining the problem)``."""
    if raw is None:
        return None, ["got:      None", "Likely mistake: most_confused has no `return` statement."]
    values = np.asarray(raw)
    if values.shape == () and np.issubdtype(values.dtype, np.integer):
        return None, [f"got:      {raw!r}, one number",
                      "Likely mistake: np.argmax of a 2-D array gives a FLAT index (row · n + "
                      "column); turn it into the pair (row, column) with "
                      "np.unravel_index(index, cm.shape)."]
    if values.shape != (2,) or not all(float(v).is_integer() for v in values.ravel()):
        return None, [f"got:      {raw!r:.80}",
                      "Likely mistake: return the two class numbers (true class, predicted class), "
                      "e.g. (1, 2), not the rate or the whole matrix."]
    return (int(values[0]), int(values[1])), None


def _call(func, case: Case):
    """``(pair, None)`` or ``(None, lines explaining the problem)``."""
    cm = np.array(case.cm, dtype=np.int64)
    try:
        raw = func(cm)
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 - any exception in learner code is a failed case
        return None, [f"got:      an exception, {type(exc).__name__}: {exc}",
                      "Likely mistake: read the error message; the case's cm is shown so you can "
                      "try it yourself."]
    if not np.array_equal(cm, case.cm):
        return None, [f"got:      cm changed by the call, to {cm.tolist()}",
                      "Likely mistake: the matrix you were given is edited (np.fill_diagonal and "
                      "cm[i, i] = 0 work IN PLACE): work on a copy, e.g. rates = cm / "
                      "cm.sum(axis=1, keepdims=True) is a new array."]
    return _as_pair(raw)


def _signature_mistake(pairs: list) -> str | None:
    """The stored mistake whose pairs equal the learner's on every case, if any."""
    for key, message in MISTAKES.items():
        if all(got == case.mistakes[key] for got, case in zip(pairs, CASES)):
            return message
    return None


def check_most_confused(most_confused) -> bool:
    """Check ``most_confused(cm) -> (i, j)``: for a confusion matrix ``cm: (n, n)`` of counts
    (rows = true class, columns = predicted class), the pair with the largest off-diagonal
    ``cm[i, j] / Σ_k cm[i, k]``. ``notebooks/week5/04_error_analysis.ipynb``. Prints a verdict; returns whether every case
    passed."""
    if not given_a_function("most_confused", most_confused):
        return False
    try:
        calls = [_call(most_confused, case) for case in CASES]
    except NotImplementedError:
        print("\N{HEAVY BALLOT X} most_confused: not written yet: replace "
              "`raise NotImplementedError()` by your code.")
        return False
    named = _signature_mistake([got for got, _ in calls])
    failures = []
    for k, (case, (got, problem)) in enumerate(zip(CASES, calls), 1):
        if problem is None and got == case.expected:
            continue
        lines = [f"inputs:   cm = {case.cm}", f"expected: {case.expected}"]
        if problem:
            failures.append((k, case.name, lines + problem, True))
            continue
        lines.append(f"got:      {got}")
        if got[0] == got[1]:
            failures.append((k, case.name, [*lines, f"Likely mistake: {DIAGONAL}"], True))
        elif got == case.expected[::-1]:
            failures.append((k, case.name, [*lines, f"Likely mistake: {SWAPPED}"], True))
        elif named:
            failures.append((k, case.name, [*lines, f"Likely mistake: {named}"], True))
        else:
            failures.append((k, case.name, [
                *lines, f"None of the usual mistakes gives this pair: {case.why}."], False))
    return print_case_verdict("most_confused", len(CASES), failures)
