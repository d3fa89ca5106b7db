"""Instant checks for answers that are tuples, dicts and numbers (week 3 on).

A graded function such as ``forward_propagation`` returns ``(A2, cache)``; ``backward_propagation``
a dict of gradients. :func:`run_structure_check` calls the learner's function on a few cases,
compares each answer with the expected one part by part with
:func:`course_utils.checks.core.compare.compare` — the comparison the grader uses, so both name a
mistake in the same words (``the return value['dW1'] is transposed``) — and prints one verdict.

A case may also list :class:`Mistake` s: the value a typical mistake gives for one part of the
answer (a sigmoid where tanh belongs, ...), precomputed as data, so that the verdict can name a
mistake the comparison alone cannot. Exercises judged by properties rather than one expected value
(random initialisation, training) give a ``judge`` instead. Cases with ``batch_rows`` must be
vectorised: their Python steps may not grow with the number of examples
(:mod:`course_utils.checks.core.steps`).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from course_utils.checks.core.compare import Difference, compare, type_name
from course_utils.checks.core.steps import StepCounter, iterates_over_examples, probe_batch
from course_utils.checks.core.verdict import FAIL_MARK, print_case_verdict

#: How the grader names a returned value; the checks use the same words.
RESULT = "the return value"


@dataclass(frozen=True)
class Mistake:
    """A typical mistake, recognised by the value it gives: ``part`` is the path to a part of
    the answer (``(1, "A1")`` is ``cache["A1"]`` in ``(A2, cache)``, ``("dW1",)`` in a dict, ``()`` for the
    whole answer), ``value`` what the mistake puts there, ``message`` what to do about it."""

    part: tuple
    value: Any
    message: str


@dataclass(frozen=True)
class StructureCase:
    """One call of the learner's function.

    ``inputs`` is how the case is shown (short and readable); ``expected``, ``parts``,
    ``examples`` (m, to name a missing ``1/m``) and ``float_arrays`` are passed to
    :func:`~course_utils.checks.core.compare.compare`; ``judge(answer)`` replaces that comparison
    for property cases. ``batch_rows``: m, when the function must be vectorised over the rows
    of the arguments at positions ``batch_args``.
    """

    name: str
    inputs: str
    args: tuple
    expected: Any = None
    parts: tuple[str, ...] | None = None
    examples: int | None = None
    float_arrays: bool = False
    rtol: float = 1e-6
    atol: float = 1e-8
    mistakes: tuple[Mistake, ...] = ()
    batch_rows: int | None = None
    batch_args: tuple[int, ...] = (0,)
    judge: Callable[[Any], Difference | None] | None = field(default=None, compare=False)


def part_of(answer, path: tuple):
    """The part of ``answer`` at ``path`` (keys of dicts, indices of tuples), or ``None``."""
    for key in path:
        if isinstance(key, int) and isinstance(answer, list | tuple) and -len(answer) <= key < len(answer):
            answer = answer[key]
        elif isinstance(key, str) and isinstance(answer, Mapping) and key in answer:
            answer = answer[key]
        else:
            return None
    return answer


def _named_mistake(case: StructureCase, answer) -> str | None:
    for mistake in case.mistakes:
        got = part_of(answer, mistake.part)
        if got is not None and compare(mistake.value, got, rtol=1e-6, atol=1e-8) is None:
            return mistake.message
    return None


def _exception_hint(func_name: str, exc: Exception) -> str:
    text = str(exc).lower()
    if any(word in text for word in ("shape", "align", "broadcast", "dimension", "mismatch")):
        return ("a shape mismatch. Row convention: X is (m, n_x), one example per row; W1 is "
                "(n_x, n_h), b1 (n_h,), W2 (n_h, n_y), b2 (n_y,); so Z1 = X @ W1 + b1 (the notes' "
                "W1 X is the column convention). Labels y are (m,) and A2 is (m, 1): reshape y "
                "to A2's shape before subtracting. Print the shapes of your arrays.")
    if isinstance(exc, KeyError):
        return (f"a missing dict key {exc}: parameters hold 'W1', 'b1', 'W2', 'b2'; the cache "
                "'Z1', 'A1', 'Z2', 'A2'; gradients are named 'd' + the parameter's name.")
    return generic_exception_hint(func_name, exc)


def generic_exception_hint(func_name: str, exc: Exception) -> str:
    """The hint for an exception that no exercise-specific hint explains."""
    if isinstance(exc, NameError):
        return "a name is not defined: run the cells above (or define the helper you call)."
    return f"read the error message above; the case's inputs are shown so you can try {func_name} yourself."


def _vectorised_problem(func: Callable, case: StructureCase, steps: int) -> str | None:
    probe, m_probe = probe_batch(case.args, case.batch_args)
    try:
        with StepCounter() as counter:
            func(*copy.deepcopy(probe))
    except Exception:  # noqa: BLE001 - fails on the other batch only: nothing to compare
        return None
    if not iterates_over_examples(case.batch_rows, steps, m_probe, counter.steps):
        return None
    return (f"the right answer, but your code does {steps} Python steps for {case.batch_rows} "
            f"example(s) and {counter.steps} for {m_probe}: it still works example by example (a "
            "for loop, comprehension, map or np.vectorize over the rows). Compute the whole "
            "batch at once: X @ W1 + b1 handles every row in one matrix product.")


def _failure(func_name: str, func: Callable, case: StructureCase,
             exception_hint: Callable[[str, Exception], str]) -> list[str] | None:
    """``None`` when ``case`` passes, else the lines explaining why it failed."""
    lines = [f"inputs:   {case.inputs}"]
    args = copy.deepcopy(case.args)  # an in-place edit must not leak into the next case
    counter = StepCounter()
    try:
        if case.batch_rows is None:
            answer = func(*args)
        else:
            with counter:
                answer = func(*args)
    except NotImplementedError:
        # Not written yet: the test cell stops right here with NotImplementedError, as nbgrader
        # expects of an unanswered exercise.
        print(f"{FAIL_MARK} {func_name} is not written yet: replace `raise NotImplementedError()` "
              "by your code.")
        raise
    except Exception as exc:  # noqa: BLE001 - any exception in learner code is a failed case
        shown = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return [*lines, f"got:      an exception, {shown}",
                f"Likely mistake: {exception_hint(func_name, exc)}"]
    if answer is None:
        return [*lines, "got:      None", f"Likely mistake: {func_name} has no `return` statement."]
    if case.judge is not None:
        problem = case.judge(answer)
    else:
        problem = compare(case.expected, answer, rtol=case.rtol, atol=case.atol, name=RESULT,
                          parts=case.parts, m=case.examples or case.batch_rows,
                          float_arrays=case.float_arrays)
    if problem:
        named = _named_mistake(case, answer)
        if named:
            return [*lines, f"got:      {problem.message}", f"Likely mistake: {named}"]
        return [*lines, f"got:      {type_name(answer)}", f"Problem:  {problem.message}"]
    if case.batch_rows is not None:
        loops = _vectorised_problem(func, case, counter.steps)
        if loops:
            return [*lines, f"got:      {loops}"]
    return None


def run_structure_check(func_name: str, func: Callable, cases: Sequence[StructureCase], *,
                        exception_hint: Callable[[str, Exception], str] | None = None) -> bool:
    """Run ``cases`` on ``func``, print one verdict and return whether every case passed.

    Raises ``NotImplementedError`` (after saying so) when ``func`` is still the stub.
    ``exception_hint(func_name, exc)``: the likely mistake behind an exception the learner's code
    raised (the default speaks of week 3's one-hidden-layer network).
    """
    hint = exception_hint or _exception_hint
    if not callable(func):
        print(f"{FAIL_MARK} check_{func_name} needs the function itself: check_{func_name}"
              f"({func_name}), not check_{func_name}({func_name}(...)). Got a {type(func).__name__}.")
        return False
    # The first failure is shown in full (none is preferred as "naming" a mistake).
    failures = [(i, case.name, lines, False) for i, case in enumerate(cases, 1)
                if (lines := _failure(func_name, func, case, hint)) is not None]
    return print_case_verdict(func_name, len(cases), failures)
