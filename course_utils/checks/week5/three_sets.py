"""Instant check for ``notebooks/week5/01_three_sets.ipynb`` (three sets): ``best_degree(degrees, costs)``, the selection
step of model selection: the candidate whose **cross-validation** cost is smallest, the simplest
one (smallest degree) when several tie.

``costs`` maps a set's name to one cost per candidate: ``costs["cv"][k]`` is the validation cost of
the polynomial of degree ``degrees[k]``; the check's logs also hold ``"train"`` and ``"test"``
costs, which the choice must not use.

``check_best_degree(best_degree)`` prints one verdict and returns ``True``/``False``. Expected
values only: each case stores its answer and the answers that typical mistakes give (worked out by
hand from the cases' numbers). A mistake is named when the learner's answers agree with its
answers on *every* case, so that two mistakes that coincide on one case are still told apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_utils.checks.core.verdict import given_a_function, print_case_verdict, read_one_number

#: What each typical mistake means, keyed as in the cases' ``mistakes``.
MISTAKES = {
    "chose_on_train": (
        "the degree is chosen on J_train. J_train only falls as the degree grows (a bigger "
        "polynomial can always fit the training points at least as well), so it always picks the "
        "largest degree. Choose on costs['cv']: data the fit did not see."
    ),
    "chose_on_test": (
        "the degree is chosen on J_test. The test set is kept out of every choice, so that its "
        "cost, computed ONCE for the chosen model, is an honest estimate; a test cost used for "
        "choosing is optimistic. Choose on costs['cv']."
    ),
    "position_not_degree": (
        "the position of the smallest J_cv is returned (np.argmin counts from 0), not the degree: "
        "return degrees[k] for that position k."
    ),
    "position_plus_one": (
        "np.argmin(...) + 1 is returned: that is the degree only when the degrees are exactly "
        "1, 2, 3, ...; here they are not. Return degrees[k] for the position k of the smallest "
        "J_cv."
    ),
    "largest_cv": (
        "the degree with the LARGEST J_cv is returned (max or argmax): the best model has the "
        "smallest cost."
    ),
    "returned_cost": (
        "the smallest J_cv itself is returned, not the degree that has it: find its position k "
        "(np.argmin) and return degrees[k]."
    ),
    "smallest_gap": (
        "the degree with the smallest gap J_cv - J_train is chosen. A small gap says the model "
        "does as badly on new data as on its training data (degree 1 underfits with a small "
        "gap); choose the smallest J_cv itself."
    ),
    "last_of_ties": (
        "when two degrees tie for the smallest J_cv, the larger one is returned (a loop with <=, "
        "or searching from the end): take the simpler model, the first in degrees (np.argmin "
        "does)."
    ),
}


@dataclass(frozen=True)
class Case:
    """One call ``best_degree(degrees, costs)``: the ``expected`` degree and what each mistake in
    ``mistakes`` (keys of :data:`MISTAKES`) returns on these inputs. ``costs`` maps "train", "cv"
    and "test" to lists of one cost per degree (mean squared errors / 2, dimensionless here)."""

    name: str
    degrees: list
    costs: dict
    expected: int
    mistakes: dict


CASES = [
    Case("degrees 1 to 6, J_cv U-shaped", [1, 2, 3, 4, 5, 6],
         {"train": [0.30, 0.12, 0.06, 0.05, 0.04, 0.03],
          "cv": [0.32, 0.15, 0.09, 0.11, 0.16, 0.25],
          "test": [0.31, 0.14, 0.10, 0.08, 0.13, 0.22]},
         3,
         {"chose_on_train": 6, "chose_on_test": 4, "position_not_degree": 2,
          "position_plus_one": 3, "largest_cv": 1, "returned_cost": 0.09, "smallest_gap": 1,
          "last_of_ties": 3}),
    Case("every other degree, 2 to 10", [2, 4, 6, 8, 10],
         {"train": [0.20, 0.07, 0.05, 0.04, 0.02],
          "cv": [0.35, 0.12, 0.08, 0.10, 0.30],
          "test": [0.25, 0.09, 0.11, 0.12, 0.28]},
         6,
         {"chose_on_train": 10, "chose_on_test": 4, "position_not_degree": 2,
          "position_plus_one": 3, "largest_cv": 2, "returned_cost": 0.08, "smallest_gap": 6,
          "last_of_ties": 6}),
    Case("two degrees tie for the smallest J_cv", [1, 2, 3, 4, 5, 6, 7, 8],
         {"train": [0.26, 0.14, 0.07, 0.06, 0.05, 0.045, 0.04, 0.035],
          "cv": [0.27, 0.17, 0.10, 0.09, 0.12, 0.09, 0.13, 0.20],
          "test": [0.26, 0.16, 0.11, 0.10, 0.08, 0.12, 0.14, 0.18]},
         4,
         {"chose_on_train": 8, "chose_on_test": 5, "position_not_degree": 3,
          "position_plus_one": 4, "largest_cv": 1, "returned_cost": 0.09, "smallest_gap": 1,
          "last_of_ties": 6}),
]


def _inputs(case: Case) -> tuple[list, dict]:
    """Fresh copies of a case's arguments: a learner's in-place edit must not leak into the next."""
    return list(case.degrees), {name: np.array(values) for name, values in case.costs.items()}


def _call(func, case: Case):
    """``(number, None)`` or ``(None, lines explaining the problem)``."""
    degrees, costs = _inputs(case)
    try:
        raw = func(degrees, costs)
    except NotImplementedError:
        raise
    except KeyError as exc:
        return None, [f"got:      an exception, KeyError: {exc}",
                      "Likely mistake: costs has the keys 'train', 'cv' and 'test'; the "
                      "cross-validation (validation) costs are costs['cv']."]
    except Exception as exc:  # noqa: BLE001 - any exception in learner code is a failed case
        return None, [f"got:      an exception, {type(exc).__name__}: {exc}",
                      "Likely mistake: read the error message; the case's degrees and costs are "
                      "shown so you can try it yourself."]
    edited = [name for name, values in costs.items() if not np.array_equal(values, case.costs[name])]
    if degrees != case.degrees or edited:
        what = "degrees" if degrees != case.degrees else f"costs[{edited[0]!r}]"
        return None, [f"got:      {what} changed by the call",
                      "Likely mistake: the arrays you were given are edited (an in-place sort, "
                      ".pop, ...): sorting the costs loses which degree each belongs to. Only read "
                      "them (np.argmin finds the position without moving anything)."]
    return read_one_number("best_degree", raw,
                           "return ONE degree (an int), not an array or a list.",
                           "return a number, the chosen degree (an int).")


def _signature_mistake(results: list) -> str | None:
    """The mistake whose stored answers equal the learner's on every case, if any."""
    for key, message in MISTAKES.items():
        if all(got is not None and np.isclose(got, case.mistakes[key])
               for got, case in zip(results, CASES)):
            return message
    return None


def _case_mistake(case: Case, got: float) -> str | None:
    """The one mistake that gives ``got`` on this case (and is wrong here), if exactly one does."""
    keys = [key for key, value in case.mistakes.items()
            if value != case.expected and np.isclose(got, value)]
    return MISTAKES[keys[0]] if len(keys) == 1 else None


def _show(case: Case) -> list[str]:
    return [f"inputs:   degrees = {case.degrees}",
            f"          costs['train'] = {case.costs['train']}",
            f"          costs['cv']    = {case.costs['cv']}",
            f"          costs['test']  = {case.costs['test']}",
            f"expected: {case.expected}"]


def check_best_degree(best_degree) -> bool:
    """Check ``best_degree(degrees, costs) -> int``: the degree (an entry of ``degrees``, a list of
    ints in increasing order) whose cross-validation cost ``costs["cv"]`` (an array, one cost per
    degree) is smallest; the smallest such degree when several tie. ``notebooks/week5/01_three_sets.ipynb``. Prints a
    verdict; returns whether every case passed."""
    if not given_a_function("best_degree", best_degree):
        return False
    try:
        calls = [_call(best_degree, case) for case in CASES]
    except NotImplementedError:
        print("\N{HEAVY BALLOT X} best_degree: not written yet: replace "
              "`raise NotImplementedError()` by your code.")
        return False
    named = _signature_mistake([got for got, _ in calls])
    failures = []
    for i, (case, (got, problem)) in enumerate(zip(CASES, calls), 1):
        if problem is None and got == case.expected:
            continue
        lines = _show(case)
        if problem:
            failures.append((i, case.name, lines + problem, True))
            continue
        lines.append(f"got:      {got:g}")
        mistake = named or _case_mistake(case, got)
        if mistake:
            failures.append((i, case.name, [*lines, f"Likely mistake: {mistake}"], True))
        else:
            k = case.degrees.index(case.expected)
            failures.append((i, case.name, [
                *lines, "None of the usual mistakes gives this answer: the smallest J_cv, "
                f"{case.costs['cv'][k]}, is at position {k} of degrees, which is degree "
                f"{case.expected}."], False))
    return print_case_verdict("best_degree", len(CASES), failures)
