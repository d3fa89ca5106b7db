"""The table engine for checks whose answer is a number or a short tuple of numbers (week 2's
lesson checks): an :class:`Exercise` is a function's cases and the messages naming its mistakes.

Expected values only: every case stores its answer and the answers that typical mistakes give on
it. A mistake is named when the learner's results equal its stored ones on *every* case, so two
mistakes that give the same number on one case are still told apart; failing that, when exactly
one mistake gives the learner's number on the failed case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from course_utils.checks.core.verdict import (
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
