"""Grading cases of week 5's assignment (``notebooks/week5/06_assignment_diagnose_and_improve.ipynb``):
``split_data``, ``classification_error``, ``diagnose``, ``choose_lambda``.

``split_data`` is judged by properties, not by one permutation: the sizes (``int(fraction × m)``
rows for the cross-validation and test sets, the rest for training), every row exactly once
across the three sets (so a split that leaks test rows into training fails), each row with its
own label, and the order shuffled. The inputs carry a row id in column 0 so the grader can tell
rows apart. ``diagnose`` has cases where the baseline decides the verdict and cases exactly at
the tolerance (not above it). ``choose_lambda``'s expected curve comes from the closed-form
ridge fit of :mod:`course_utils.reference.diagnosis`.
"""

from __future__ import annotations

import numpy as np

from autograder.cases import Case, Exercise, structure_case
from course_utils import reference as ref
from course_utils.checks.compare import Difference, compare

#: Seed of the hidden cases; change it only together with a note to instructors (grades move).
SEED = 20245


# --- split_data ---------------------------------------------------------------------------------
def check_split(case: Case, value) -> Difference | None:
    """Sizes, every row exactly once, rows kept with their labels, shuffled."""
    X, y = case.args[0], case.args[1]
    m = X.shape[0]
    fractions = case.args[2] if len(case.args) > 2 else (0.6, 0.2, 0.2)
    n_cv, n_test = int(fractions[1] * m), int(fractions[2] * m)
    sizes = {"train": m - n_cv - n_test, "cv": n_cv, "test": n_test}
    template = tuple(np.zeros((sizes[s], *shape)) for s in ("train", "cv", "test")
                     for shape in (X.shape[1:], ()))
    parts = ("X_train", "y_train", "X_cv", "y_cv", "X_test", "y_test")
    problem = compare(template, value, name="the return value", parts=parts, values=False)
    if problem:
        return problem
    ids = []
    for k, split in enumerate(("train", "cv", "test")):
        X_part, y_part = np.asarray(value[2 * k], dtype=float), np.asarray(value[2 * k + 1])
        part_ids = X_part[:, 0].astype(int)
        if not np.all((part_ids >= 0) & (part_ids < m)) or not np.array_equal(X_part, X[part_ids]):
            return Difference(f"X_{split} holds rows that are not rows of X",
                              f"X_{split} holds rows that are not rows of X")
        if not np.array_equal(y_part, y[part_ids]):
            return Difference(f"y_{split} does not match X_{split}: shuffle X and y with the same "
                              "permutation, so each row keeps its label",
                              f"y_{split} does not match X_{split}: shuffle X and y together")
        ids.append(part_ids)
    every = np.concatenate(ids)
    if len(np.unique(every)) != m:
        return Difference(
            "some rows are in two sets (and others in none): the training, cross-validation and "
            "test sets must be disjoint — a test row seen in training makes the test score a lie",
            "the sets are not disjoint: some rows are in two sets")
    if np.array_equal(every, np.arange(m)):
        return Difference("the rows are in their original order: shuffle them (with the seed) "
                          "before cutting, or the sets differ systematically",
                          "the rows are not shuffled")
    return None


def _ided(rng: np.random.Generator, m: int, n: int, classes: int = 3):
    """``X (m, n)`` whose column 0 is the row's id, and labels ``y (m,)``."""
    X = np.hstack([np.arange(m, dtype=float)[:, None], np.round(rng.normal(size=(m, n - 1)), 2)])
    return X, rng.integers(0, classes, m)


def split_data_cases() -> list[Case]:
    rng = np.random.default_rng(SEED)

    def case(name, args, visible=False):
        return Case("split_data", name, args, None, kind="property", visible=visible,
                    check=check_split)

    X50, y50 = _ided(rng, 50, 3)
    X48, y48 = _ided(rng, 48, 2)
    X200, y200 = _ided(rng, 200, 4, classes=10)
    return [
        case("50 rows, fractions (0.6, 0.2, 0.2), seed 0", (X50, y50, (0.6, 0.2, 0.2), 0),
             visible=True),
        case("48 rows: int(0.2 × 48) = 9 rows each for cv and test, not 10", (X48, y48, (0.6, 0.2, 0.2), 3)),
        case("200 rows, fractions (0.8, 0.1, 0.1), seed 7", (X200, y200, (0.8, 0.1, 0.1), 7)),
        case("50 rows, default fractions and seed", (X50, y50)),
    ]


# --- classification_error -----------------------------------------------------------------------
def classification_error_cases() -> list[Case]:
    rng = np.random.default_rng(SEED + 1)

    def case(name, y_hat, y, visible=False):
        return structure_case("classification_error", name, (y_hat, y),
                          ref.classification_error(y_hat, y), visible=visible)

    y = rng.integers(0, 10, 40)
    y_hat = np.where(rng.random(40) < 0.2, (y + 1) % 10, y)
    return [
        case("y_hat = [1, 0, 1, 1], y = [1, 1, 1, 0]: 2 of 4 wrong", np.array([1, 0, 1, 1]),
             np.array([1, 1, 1, 0]), visible=True),
        case("all right", np.array([2, 0, 1]), np.array([2, 0, 1])),
        case("all wrong", np.array([1, 1, 0]), np.array([0, 0, 1])),
        case("ten classes, 40 examples", y_hat, y),
        case("float labels against integer labels", np.array([1.0, 0.0, 3.0]), np.array([1, 0, 2])),
    ]


# --- diagnose -----------------------------------------------------------------------------------
def diagnose_cases() -> list[Case]:
    def case(name, args, visible=False):
        return structure_case("diagnose", name, args, ref.diagnose(*args), visible=visible)

    # Dyadic numbers (exact in binary), so `j_cv - j_train > tolerance` and
    # `j_cv > j_train + tolerance` agree: a verdict never hangs on a rounding error.
    return [
        case("high bias: J_train 0.3125, J_cv 0.34375, baseline 0.125, tolerance 0.0625",
             (0.3125, 0.34375, 0.125, 0.0625), visible=True),
        case("high variance: J_train 0.125, J_cv 0.3125, baseline 0.109375, tolerance 0.0625",
             (0.125, 0.3125, 0.109375, 0.0625), visible=True),
        case("both: J_train 0.3125, J_cv 0.625, baseline 0.125", (0.3125, 0.625, 0.125, 0.0625)),
        case("good fit: J_train 0.125, J_cv 0.15625, baseline 0.09375",
             (0.125, 0.15625, 0.09375, 0.0625)),
        case("a high baseline: J_train 0.25 is a good fit when humans err 0.234375",
             (0.25, 0.265625, 0.234375, 0.03125)),
        case("the baseline decides: the same errors are high bias against 0.0625",
             (0.25, 0.265625, 0.0625, 0.03125)),
        case("exactly at the tolerance is not above it", (0.375, 0.5, 0.25, 0.125)),
        case("J_cv below J_train (a lucky cv set): high bias, no variance problem",
             (0.5, 0.25, 0.125, 0.25)),
    ]


# --- choose_lambda ------------------------------------------------------------------------------
LAMBDAS = [0.0, 0.01, 0.1, 1.0, 10.0, 100.0]


def _polynomial_data(rng: np.random.Generator, m: int, degree: int, noise: float):
    """``X (m, degree)``: powers 1…degree of x in [-1, 1]; ``y (m,)`` a noisy cubic."""
    x = rng.uniform(-1, 1, m)
    X = np.stack([x**k for k in range(1, degree + 1)], axis=1)
    return X, 1.0 + 2.0 * x - 3.0 * x**3 + rng.normal(0, noise, m)


def choose_lambda_cases() -> list[Case]:
    rng = np.random.default_rng(SEED + 2)

    def case(name, lambdas, m_train, degree, noise, visible=False):
        X_train, y_train = _polynomial_data(rng, m_train, degree, noise)
        X_cv, y_cv = _polynomial_data(rng, 40, degree, noise)
        args = (lambdas, X_train, y_train, X_cv, y_cv)
        return structure_case("choose_lambda", name, args, ref.choose_lambda(*args), visible=visible,
                          parts=("best_lambda", "j_cv"), rtol=1e-6, atol=1e-9)

    return [
        case("degree 8, 15 training points, λ in [0, 0.01, 0.1, 1, 10, 100]", LAMBDAS, 15, 8, 0.3,
             visible=True),
        case("degree 3, 200 training points (little to regularise)", LAMBDAS, 200, 3, 0.1),
        case("degree 10, 12 training points, a finer grid", [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0],
             12, 10, 0.2),
    ]


EXERCISES: dict[str, Exercise] = {
    "split_data": Exercise("split_data", split_data_cases,
                           description="train / cv / test: disjoint, shuffled, int(fraction × m)"),
    "classification_error": Exercise("classification_error", classification_error_cases,
                                     description="the fraction of wrong labels, a float"),
    "diagnose": Exercise("diagnose", diagnose_cases,
                         description="high bias / high variance / both / good fit"),
    "choose_lambda": Exercise("choose_lambda", choose_lambda_cases,
                              description="(best λ, J_cv per λ) for L2 linear regression"),
}
