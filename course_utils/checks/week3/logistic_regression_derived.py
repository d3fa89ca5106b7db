"""Instant check for ``notebooks/week3/03_logistic_regression_derived.ipynb`` (logistic regression, derived): the learner's vectorised
``gradients(w, b, X, y) -> (dw, db)``.

The answer is compared part by part by :func:`course_utils.checks.core.compare.compare`, as the grader
does: it names a wrong form (not a pair, a column for ``dw``, an array for ``db``), a missing 1/m
and a flipped sign. The cases add what only their numbers can show: the right ``(dw, db)`` and what
other usual mistakes give on the same inputs (X used untransposed, sigma' multiplied in again, z
for a, no bias, 1/n for 1/m), all precomputed numbers, so nothing here contains a solution. A
function that loops over the examples is caught by counting its Python steps
(:mod:`course_utils.checks.core.steps`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from course_utils.checks.core.compare import compare
from course_utils.checks.core.steps import StepCounter, iterates_over_examples, probe_batch
from course_utils.checks.core.verdict import FAIL_MARK, format_array, run_failures

#: What each precomputed wrong answer reveals (compare() names a missing 1/m and a flipped sign).
GRADIENT_MISTAKES = {
    "divided_by_n": (
        "the sums are divided by n (the number of features, X.shape[1]) instead of m (the number "
        "of examples, X.shape[0])."
    ),
    "transposed": (
        "X is used untransposed: with X of shape (m, n), dw = X.T @ dz, (n, m) @ (m,) → (n,); "
        "X @ dz only has the right shape here because m = n."
    ),
    "sigma_prime": (
        "dz is multiplied by σ'(z) = a(1 − a) again: for the cross-entropy loss that factor cancels "
        "against ∂L/∂a, leaving dz = a − y."
    ),
    "z_for_a": "dz uses z instead of the prediction a = σ(z): dz = σ(X @ w + b) − y.",
    "no_bias": "the bias is left out of z: z = X @ w + b, one b added to every example.",
}


@dataclass(frozen=True)
class GradientCase:
    """One call ``gradients(w, b, X, y)``; ``mistakes`` maps a key of :data:`GRADIENT_MISTAKES`
    to the ``(dw, db)`` that mistake gives on these inputs."""

    name: str
    inputs: str
    w: list
    b: float
    X: list
    y: list
    dw: list
    db: float
    mistakes: dict = field(default_factory=dict)


GRADIENT_CASES = [
    GradientCase(
        "the course's numbers", "w = [1, 2], b = 2, X = [[1, 3], [2, 4], [-1, -3.2]], y = [1, 0, 1]",
        [1.0, 2.0], 2.0, [[1.0, 3.0], [2.0, 4.0], [-1.0, -3.2]], [1.0, 0.0, 1.0],
        [0.9984560146379561, 2.395072388486207], 0.001455578136784208,
        {"divided_by_n": ([1.497684021956934, 3.5926085827293104], 0.002183367205176312),
         "sigma_prime": ([0.0014894013629687874, 0.0047611700971757496], -0.0014832674134298111),
         "z_for_a": ([12.799999999999999, 30.826666666666668], 4.533333333333333),
         "no_bias": ([0.9994624245695868, 2.398376813663933], -0.00011518990122287114)},
    ),
    GradientCase(
        "one example: dw = x dz, db = dz", "w = [1, 2], b = 2, X = [[-1, -3.2]], y = [1]",
        [1.0, 2.0], 2.0, [[-1.0, -3.2]], [1.0],
        [0.9955037268390589, 3.1856119258849884], -0.9955037268390589,
        {"divided_by_n": ([0.49775186341952943, 1.5928059629424942], -0.49775186341952943),
         "sigma_prime": ([0.00445593111504756, 0.014258979568152192], -0.00445593111504756),
         "z_for_a": ([6.4, 20.480000000000004], -6.4),
         "no_bias": ([0.9993891206405656, 3.1980451860498103], -0.9993891206405656)},
    ),
    GradientCase(
        "square X (m = n = 2)", "w = [0.5, -1], b = 0.1, X = [[1, 2], [-1, 0.5]], y = [1, 0]",
        [0.5, -1.0], 0.1, [[1.0, 2.0], [-1.0, 0.5]], [1.0, 0.0],
        [-0.5456171929667888, -0.7299212642148327], -0.25656669559179285,
        {"transposed": ([-0.11204144690429485, 0.4733545686230398], -0.25656669559179285),
         "sigma_prime": ([-0.09334721708827393, -0.11244447661655313], -0.033947251040278154),
         "z_for_a": ([-0.75, -2.625], -1.65),
         "no_bias": ([-0.5432579487818194, -0.7503391208511448], -0.2743165274118243)},
    ),
    GradientCase(
        "four examples, three features",
        "w = [0.2, -0.3, 0.1], b = -0.5, X = [[1, 0, 2], [-1, 1, 0.5], [0, -2, 1], [3, 1, -1]], "
        "y = [0, 1, 1, 0]",
        [0.2, -0.3, 0.1], -0.5, [[1.0, 0.0, 2.0], [-1.0, 1.0, 0.5], [0.0, -2.0, 1.0], [3.0, 1.0, -1.0]],
        [0.0, 1.0, 1.0, 0.0],
        [0.6182021100272366, 0.15119357763513058, -0.0715598624612937], -0.06767572125024604,
        {"divided_by_n": ([0.8242694800363154, 0.20159143684684078, -0.0954131499483916],
                          -0.09023429500032805),
         "sigma_prime": ([0.14389352208545664, 0.045464017159362935, -0.01276200882111353],
                         -0.008488940134169117),
         "z_for_a": ([0.23750000000000007, -0.16249999999999992, -0.41874999999999996],
                     -0.7874999999999999),
         "no_bias": ([0.714707221499777, 0.15070480475673093, 0.002602369526495313],
                     0.05151754891096855)},
    ),
]

SHAPES = "w is (n,), b a number, X (m, n) with one example per row, y (m,)"


def _arguments(case: GradientCase) -> tuple:
    """Fresh arrays for one call (a learner's in-place edit must not leak into the next case)."""
    return (np.array(case.w), case.b, np.array(case.X), np.array(case.y))


def _close(got, want) -> bool:
    return np.shape(got) == np.shape(want) and np.allclose(got, want, rtol=1e-6, atol=1e-9)


def _named_mistake(case: GradientCase, dw, db) -> str | None:
    """The mistake whose precomputed (dw, db) matches, allowing one of the two to be right."""
    dw_ok, db_ok = _close(dw, case.dw), _close(db, case.db)
    for key, (mistake_dw, mistake_db) in case.mistakes.items():
        if (dw_ok or _close(dw, mistake_dw)) and (db_ok or _close(db, mistake_db)):
            where = " (in db)" if dw_ok else " (in dw)" if db_ok else ""
            return GRADIENT_MISTAKES[key] + where
    return None


def _looping(gradients, case: GradientCase, steps: int) -> list[str] | None:
    """Why ``gradients`` is not vectorised, when its Python steps grow with the examples."""
    probe, m_probe = probe_batch(_arguments(case), axes=(2, 3))  # X and y run over the examples
    try:
        with StepCounter() as counter:
            gradients(*probe)
    except Exception:  # noqa: BLE001 - fails on the other batch only: nothing to compare
        return None
    m = len(case.y)
    if not iterates_over_examples(m, steps, m_probe, counter.steps):
        return None
    return [f"got:      the right numbers, but your code does {steps} Python steps for {m} examples "
            f"and {counter.steps} for {m_probe}: it still works example by example",
            "Likely mistake: a loop over the examples (for, a comprehension, map, np.vectorize): "
            "the vectorised form is a = sigmoid(X @ w + b), dz = a − y, dw = X.T @ dz / m, "
            "db = mean(dz), with no loop."]


def _failure(gradients, case: GradientCase) -> tuple[list[str], bool] | None:
    """``None`` when ``case`` passes, else the lines explaining why and whether they name a mistake."""
    lines = [f"inputs:   {case.inputs}",
             f"expected: dw = {format_array(case.dw)}, db = {format_array(case.db)}"]
    args = _arguments(case)  # before counting: only the learner's steps count
    try:
        with StepCounter() as counter, np.errstate(all="ignore"):
            raw = gradients(*args)
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 - any exception in learner code is a failed case
        hint = "read the error message; the inputs are shown so you can try them yourself."
        if any(word in str(exc).lower() for word in ("shape", "align", "broadcast", "dimension")):
            hint = (f"a shape mismatch. {SHAPES}: dw = X.T @ dz is (n, m) @ (m,) → (n,). Did you "
                    "write X @ dz, or w @ X?")
        return [*lines, f"got:      an exception, {type(exc).__name__}: {exc}",
                f"Likely mistake: {hint}"], False
    difference = compare((case.dw, case.db), raw, name="gradients(...)", parts=("dw", "db"),
                         m=len(case.y), rtol=1e-6, atol=1e-9)
    if difference is None:
        looping = _looping(gradients, case, counter.steps) if len(case.y) > 1 else None
        return None if looping is None else ([*lines[:2], *looping], True)
    if isinstance(raw, tuple) and len(raw) == 2:
        lines.append(f"got:      dw = {format_array(raw[0])}, db = {format_array(raw[1])}")
    if "has wrong values" in difference.message:  # compare() saw no pattern; the cases may
        named = _named_mistake(case, *(np.asarray(part, dtype=float) for part in raw))
        if named:
            return [*lines, f"Likely mistake: {named}"], True
        return [*lines, f"Problem:  {difference.message}.",
                "None of the usual mistakes gives these numbers: compute z, a and dz for this "
                "case by hand and compare."], False
    return [*lines, f"Likely mistake: {difference.message}."], True


def check_gradients(gradients) -> bool:
    """Check ``gradients(w, b, X, y) -> (dw, db)``: the gradient of the mean cross-entropy cost
    of logistic regression, vectorised (``notebooks/week3/03_logistic_regression_derived.ipynb``). ``w: (n,)``, ``b`` a float,
    ``X: (m, n)``, ``y: (m,)`` in {0, 1}; ``dw: (n,)``, ``db`` a float. Prints a verdict and
    returns whether every case passed; a function not written yet (``NotImplementedError``) is
    reported as such, without raising.
    """
    if not callable(gradients):
        print(f"{FAIL_MARK} check_gradients needs the function itself: check_gradients(gradients), "
              f"not check_gradients(gradients(...)). Got a {type(gradients).__name__}.")
        return False
    return run_failures("gradients", GRADIENT_CASES, lambda case: _failure(gradients, case))
