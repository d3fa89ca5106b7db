"""Judge a function on an assignment's grading cases in this process (the contract's own path:
``run_case_in_process`` + ``judge``), for the tests of each week's cases."""

from __future__ import annotations

from autograder.cases import exercises, judge, run_case_in_process


def verdicts(assignment: str, name: str, func) -> dict[str, tuple[bool, str, str]]:
    """Each case's ``(passed, message, hidden-case summary)`` for ``func``, by case name."""
    out = {}
    for case in exercises(assignment)[name].cases():
        verdict = judge(case, run_case_in_process(func, case))
        out[case.name] = (verdict.passed, verdict.message, verdict.summary)
    return out


def failed(assignment: str, name: str, func) -> dict[str, str]:
    """The failed cases' messages, by case name."""
    return {case: message for case, (ok, message, _) in verdicts(assignment, name, func).items()
            if not ok}
