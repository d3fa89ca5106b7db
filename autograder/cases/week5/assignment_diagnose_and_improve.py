"""Grading cases of week 5's assignment (``notebooks/week5/06_assignment_diagnose_and_improve.ipynb``):
``split_data``, ``classification_error``, ``diagnose``, ``choose_lambda``, ``build_transfer_model``.

``split_data`` is judged by properties, not by one permutation: the sizes (``int(fraction × m)``
rows for the cross-validation and test sets, the rest for training), every row exactly once
across the three sets (so a split that leaks test rows into training fails), each row with its
own label, and the order shuffled. The inputs carry a row id in column 0 so the grader can tell
rows apart. ``diagnose`` has cases where the baseline decides the verdict and cases exactly at
the tolerance (not above it). ``choose_lambda``'s expected curve comes from the closed-form
ridge fit of :mod:`course_utils.reference.diagnosis`.

``build_transfer_model`` gets a Keras base model, sent as data (:class:`~autograder.cases.ModelSpec`,
built by one builder in the sandbox and in process), and is judged on the description of the
model it returns (:func:`course_utils.checks.week5.transfer_problem`): the base's hidden layers
with the base's weights (by fingerprint: shared layers or copied weights pass, fresh layers fail),
frozen exactly when ``fine_tune`` is False, a new linear output layer of ``n_classes`` units with
fresh weights, compiled with ``SparseCategoricalCrossentropy(from_logits=True)``. The visible
cases' inputs and the generators of the others' come from :mod:`course_utils.checks.week5` (one
copy, shared with the instant checks).
"""

from __future__ import annotations

import numpy as np

from autograder.cases import SEEDS, Case, Exercise, ModelSpec, structure_case
from course_utils import reference as ref
from course_utils.checks.core.compare import Difference
from course_utils.checks.week5.assignment_diagnose_and_improve import (
    TRANSFER_BASE,
    TRANSFER_CASES,
    ided_rows,
    polynomial_data,
    split_problem,
    transfer_base,
    transfer_problem,
)

#: Seed of the hidden cases (:data:`autograder.cases.SEEDS`, one table for every week).
SEED = SEEDS["week5"]


# --- split_data ---------------------------------------------------------------------------------
def judge_split(case: Case, value) -> Difference | None:
    """Sizes, every row exactly once, rows kept with their labels, shuffled (the rule is
    :func:`course_utils.checks.week5.split_problem`, which the instant check applies too)."""
    fractions = case.args[2] if len(case.args) > 2 else (0.6, 0.2, 0.2)
    return split_problem(case.args[0], case.args[1], fractions, value)


def split_data_cases() -> list[Case]:
    rng = np.random.default_rng(SEED)

    def case(name, args, visible=False):
        return Case("split_data", name, args, None, kind="property", visible=visible,
                    check=judge_split)

    X50, y50 = ided_rows(rng, 50, 3)
    X48, y48 = ided_rows(rng, 48, 2)
    X200, y200 = ided_rows(rng, 200, 4, classes=10)
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


def choose_lambda_cases() -> list[Case]:
    rng = np.random.default_rng(SEED + 2)

    def case(name, lambdas, m_train, degree, noise, visible=False):
        X_train, y_train = polynomial_data(rng, m_train, degree, noise)
        X_cv, y_cv = polynomial_data(rng, 40, degree, noise)
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


# --- build_transfer_model -----------------------------------------------------------------------
def spec_of(base: dict) -> ModelSpec:
    """A base model's spec (plain data, :func:`course_utils.checks.week5.transfer_base`) as a case
    input: the sandbox receives it as data and builds the Keras model itself."""
    return ModelSpec(base["input_dim"], tuple((u, a) for u, a in base["layers"]),
                     tuple(base["weights"]), base["loss"])


def judge_transfer(case: Case, description) -> Difference | None:
    """The transfer model's description judged against the base it was given
    (:func:`course_utils.checks.week5.transfer_problem`: the rule, and why a copy of the base's
    weights counts as reusing them)."""
    spec, n_classes, fine_tune = case.args
    return transfer_problem(description, spec.data(), n_classes, fine_tune)


def build_transfer_model_cases() -> list[Case]:
    def case(name, base, n_classes, fine_tune, visible=False):
        return Case("build_transfer_model", name, (spec_of(base), n_classes, fine_tune), None,
                    kind="model", visible=visible, check=judge_transfer)

    # Other bases than the visible one: other sizes, a third hidden layer, a tanh layer, so that
    # an answer that hard-codes 32 and 16 units or two hidden layers fails.
    small = transfer_base(SEED + 3, 64, ((24, "relu"), (12, "relu"), (5, "linear")))
    deep = transfer_base(SEED + 4, 64, ((40, "relu"), (20, "tanh"), (10, "relu"), (4, "linear")))
    return [
        *(case(name, TRANSFER_BASE, n, ft, visible=True) for name, n, ft in TRANSFER_CASES),
        case("another base (64 → 24 → 12 → 5), 10 new classes, frozen", small, 10, False),
        case("another base (64 → 24 → 12 → 5), 5 new classes, fine-tuned", small, 5, True),
        case("three hidden layers (64 → 40 → 20 tanh → 10 → 4), 4 new classes, frozen", deep, 4,
             False),
        case("three hidden layers, 3 new classes, fine-tuned", deep, 3, True),
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
    "build_transfer_model": Exercise(
        "build_transfer_model", build_transfer_model_cases, numpy_only=False,
        description="Keras: the base's hidden layers (frozen unless fine_tune) + a new Dense "
                    "output layer of n_classes logits"),
}
