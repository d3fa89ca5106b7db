"""Checks whose answer is ONE number (week 1's lab checks): each case stores the answer and what the
typical mistakes give on it, so that a wrong answer is named, never compared with reference code.

:func:`check_numbers` runs the cases and prints one verdict. A mistake is named preferably when its
stored numbers equal the learner's on EVERY case (two mistakes may give the same number on one
case), else when it gives the failed case's number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_utils.checks.core.verdict import format_array, print_case_verdict, shown_name


@dataclass(frozen=True)
class Case:
    """One call: ``args``, shown as ``inputs``; the ``expected`` number and, for each key of
    :data:`MISTAKES` in ``mistakes``, the number that mistake gives on these inputs."""

    name: str
    inputs: str
    args: tuple
    expected: float
    mistakes: dict


def _call(func, case: Case, what: str):
    """``(number, None)`` or ``(None, lines explaining why the result is not one number)``."""
    args = tuple(a.copy() if isinstance(a, np.ndarray) else a for a in case.args)
    try:
        raw = func(*args)
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 - any exception in learner code is a failed case
        return None, [f"got:      an exception, {type(exc).__name__}: {exc}",
                      "Likely mistake: read the error message; the case's inputs are shown so you "
                      "can try it yourself."]
    if raw is None:
        return None, ["got:      None", "Likely mistake: the function has no `return` statement."]
    try:
        got = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        return None, [f"got:      {type(raw).__name__} {raw!r:.80}",
                      f"Likely mistake: return {what}."]
    if got.size != 1:
        return None, [f"got:      {format_array(got)} (shape {got.shape})",
                      f"Likely mistake: return {what}, not an array of shape {got.shape}"
                      + (": add the products up, np.dot(w, x)." if got.shape == np.shape(case.args[0])
                         else ".")]
    return float(got.reshape(())), None


def _same(got, want) -> bool:
    return got is not None and bool(np.isclose(got, want, rtol=1e-6, atol=1e-9))


def _named(cases: list[Case], results: list, i: int, mistakes: dict) -> str | None:
    """The mistake behind the wrong result of case ``i``: preferably one whose stored numbers equal
    the learner's on EVERY case (two mistakes may give the same number on one case, e.g. 200 // 32
    and round(200 / 32) are both 6), else one that gives this case's number."""
    for key, message in mistakes.items():
        if key in cases[i].mistakes and all(_same(got, c.mistakes[key])
                                            for got, c in zip(results, cases)):
            return message
    for key, value in cases[i].mistakes.items():
        if _same(results[i], value):
            return mistakes[key]
    return None


def check_numbers(check_name: str, func_name: str, func, cases: list[Case], mistakes: dict, what: str,
                  how: str) -> bool:
    """Run ``cases`` on ``func``, whose answer is ONE number; print one verdict and return whether
    every case passed. ``mistakes`` names the mistakes the cases' ``mistakes`` keys stand for;
    ``what`` is what to return, ``how`` how to work a case out by hand."""
    if not callable(func):  # a common slip: check_x(x(...)), the function's result
        print(f"\N{HEAVY BALLOT X} {check_name} needs the function itself: {check_name}({func_name}), "
              f"not {check_name}({func_name}(...)). Got a {type(func).__name__}.")
        return False
    name = shown_name(func_name, func)
    try:
        calls = [_call(func, case, what) for case in cases]
    except NotImplementedError:
        print(f"\N{HEAVY BALLOT X} {name}: not written yet: replace `raise NotImplementedError()` by "
              "your code, run its cell, then this check again.")
        return False
    results = [got for got, _ in calls]
    failures = []
    for i, (case, (got, problem)) in enumerate(zip(cases, calls), 1):
        lines = [f"inputs:   {case.inputs}", f"expected: {case.expected:.10g}"]
        if problem:
            failures.append((i, case.name, lines + problem, True))
            continue
        if _same(got, case.expected):
            continue
        named = _named(cases, results, i - 1, mistakes)
        explain = named or f"none of the usual mistakes gives this number: {how}"
        failures.append((i, case.name, [*lines, f"got:      {got:.10g}", f"Likely mistake: {explain}"],
                         named is not None))
    return print_case_verdict(name, len(cases), failures)
