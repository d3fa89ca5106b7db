"""Instant checks for week 5's graded assignment, diagnose and improve
(``notebooks/week5/06_assignment_diagnose_and_improve.ipynb``).

Each ``check_<exercise>(<exercise>)`` repeats that exercise's visible grading cases
(``autograder/cases/week5.py``): the same inputs, made here by the generators the grader imports
(one copy: :func:`ided_rows`, :func:`polynomial_data`, :func:`transfer_base`), and the expected
answers held here as numbers; nothing here calls or contains the reference solutions. Answers are
compared with :func:`course_utils.checks.core.compare.compare`, as the grader compares them, and the
two judgments that are rules rather than values are shared with the grader:
:func:`split_problem` (sizes, disjoint sets, rows kept with their labels, shuffled) and
:func:`transfer_problem` (the base's hidden layers with the base's weights, frozen unless
fine-tuning, a new output layer, the loss). Typical mistakes the comparison alone cannot name are
recognised by the values they give (precomputed, :class:`~course_utils.checks.core.structured.Mistake`).

Two checks add a case of their own to the grader's visible ones: ``check_classification_error``
a case where the error and the accuracy differ, ``check_diagnose`` cases exactly at the tolerance
and with both problems.

Row convention: ``X`` is ``(m, n)``, one example per row; labels ``y`` are ``(m,)``.
"""

from __future__ import annotations

import numpy as np

from course_utils.checks.core.compare import Difference, compare
from course_utils.checks.core.models import (
    describe_model_data,
    model_data,
    model_from_spec,
    same_weights,
    weight_fingerprint,
)
from course_utils.checks.core.structured import (
    Mistake,
    StructureCase,
    generic_exception_hint,
    run_structure_check,
)
from course_utils.checks.core.verdict import FAIL_MARK

# --- generators of the cases' inputs (the grader imports them: one copy) ------------------------


def ided_rows(rng: np.random.Generator, m: int, n: int, classes: int = 3):
    """``X (m, n)`` whose column 0 is the row's id (so a split's rows can be told apart), the
    other columns numbers with two decimals, and labels ``y (m,)`` in ``0 … classes-1``."""
    X = np.hstack([np.arange(m, dtype=float)[:, None], np.round(rng.normal(size=(m, n - 1)), 2)])
    return X, rng.integers(0, classes, m)


def polynomial_data(rng: np.random.Generator, m: int, degree: int, noise: float):
    """``X (m, degree)``: powers 1…degree of x in [-1, 1]; ``y (m,)`` a noisy cubic
    ``1 + 2x − 3x³ + noise``."""
    x = rng.uniform(-1, 1, m)
    X = np.stack([x**k for k in range(1, degree + 1)], axis=1)
    return X, 1.0 + 2.0 * x - 3.0 * x**3 + rng.normal(0, noise, m)


def transfer_base(seed: int, input_dim: int, layers) -> dict:
    """A pre-trained base model as a spec (see :func:`~course_utils.checks.core.models.model_from_spec`):
    Dense ``layers`` (``(units, activation)`` pairs) on ``input_dim`` inputs, with Glorot-uniform
    kernels and biases drawn from N(0, 0.1²) — not zeros, as trained biases are not: a fresh
    layer's zero biases must not look like the base's. float32, as Keras holds weights."""
    rng = np.random.default_rng(seed)
    weights, fan_in = [], input_dim
    for units, _ in layers:
        limit = np.sqrt(6.0 / (fan_in + units))
        weights += [rng.uniform(-limit, limit, (fan_in, units)).astype(np.float32),
                    rng.normal(0.0, 0.1, units).astype(np.float32)]
        fan_in = units
    return {"input_dim": input_dim, "layers": [[int(u), str(a)] for u, a in layers],
            "weights": weights, "loss": "sparse_categorical_crossentropy_from_logits"}


# --- the visible cases' inputs ------------------------------------------------------------------
#: split_data: 50 rows (ids in column 0), 3 classes, from the grader's seed.
SPLIT_X, SPLIT_Y = ided_rows(np.random.default_rng(20245), 50, 3)
SPLIT_FRACTIONS, SPLIT_SEED = (0.6, 0.2, 0.2), 0

#: choose_lambda: degree-8 features, 15 training and 40 cross-validation points.
LAMBDAS = [0.0, 0.01, 0.1, 1.0, 10.0, 100.0]
_rng = np.random.default_rng(20247)
LAMBDA_X_TRAIN, LAMBDA_Y_TRAIN = polynomial_data(_rng, 15, 8, 0.3)
LAMBDA_X_CV, LAMBDA_Y_CV = polynomial_data(_rng, 40, 8, 0.3)
del _rng

#: build_transfer_model: the base 64 → 32 relu → 16 relu → 5 linear (logits), seed 5.
TRANSFER_BASE = transfer_base(5, 64, ((32, "relu"), (16, "relu"), (5, "linear")))

# --- expected answers (what the reference returns on the inputs above) -------------------------
#: J_cv for each λ of LAMBDAS (λ = 0 interpolates 15 points with a degree-8 polynomial: wild).
J_CV = [3445369.8600737676, 1.0059049543768912, 0.2679583341553836, 0.14474277271430105,
        0.15797080683372602, 0.16126387674389403]
BEST_LAMBDA = 1.0

# --- what typical mistakes give on those inputs -------------------------------------------------
LAMBDA_MISTAKES = (
    Mistake((1,), [0.021006077879400665, 0.042621492131129514, 0.04725998253905016,
                   0.07072349176512359, 0.10166190255987054, 0.12101643539747764],
            "J_cv is measured on the training set: evaluate each λ's (w, b) on X_cv, y_cv — the "
            "training cost always prefers the smallest λ."),
    Mistake((1,), [3445369.8600737676, 1.0067665997634219, 0.2711214484289111,
                   0.14983372885153165, 0.16141485671288786, 0.16203616801898374],
            "J_cv includes the penalty (λ/2m)‖w‖²: J_cv is the plain squared-error cost, "
            "(1/2m_cv) Σ (x·w + b − y)², the λ term only shapes the fit."),
    Mistake((1,), [3445369.8600737676, 1.009794100733622, 0.26764174638221644,
                   0.15225283042437066, 0.2525787726864063, 0.5130107559142766],
            "the bias b is regularised: the penalty is λ‖w‖² only, so the entry of the identity "
            "that multiplies b must be 0."),
    Mistake((1,), [3445369.8600737676, 0.22238574950096313, 0.14670603167318194,
                   0.15881684487057354, 0.16152189521861038, 0.16205188802204587],
            "λ is m times too strong: the cost's penalty (λ/2m)‖w‖² adds λ (not m·λ) to the "
            "diagonal of AᵀA: (AᵀA + λI′)θ = Aᵀy."),
    Mistake((1,), [3445369.8600737676, 6.991465864630648, 1.3246242177457512,
                   0.3281121882560318, 0.1466023477785378, 0.15679388286192125],
            "λ is divided by m: the cost's 1/m multiplies both terms, so it cancels — "
            "(AᵀA + λI′)θ = Aᵀy with λ itself."),
    Mistake((0,), 3, "best_lambda is the position of the lowest J_cv: return lambdas[i], the λ "
                     "itself."),
    Mistake((0,), 0.0, "best_lambda is the λ with the HIGHEST J_cv: take np.argmin, the lowest."),
)

ERROR_MISTAKES = (
    Mistake((), 0.6, "this is the accuracy (the fraction right): the error is the fraction wrong, "
                     "np.mean(y_hat != y)."),
    Mistake((), 2, "this is the number of wrong labels: divide by m for the fraction."),
)

DIAGNOSE_BASELINE = (
    "the baseline is ignored: high bias means J_train is far above the BASELINE "
    "(J_train − baseline > tolerance), not far above 0.")
DIAGNOSE_MISTAKES = {
    "high variance": (Mistake((), "high bias and high variance", DIAGNOSE_BASELINE),),
    "high bias": (Mistake((), "high bias and high variance",
                          "variance compares J_cv with J_train (J_cv − J_train > tolerance), not "
                          "with the baseline."),),
    "at the tolerance": (Mistake((), "high bias and high variance",
                                 "exactly at the tolerance is not above it: use >, not >=."),),
    "both": (Mistake((), "high variance and high bias",
                     "write the verdict exactly \"high bias and high variance\" (bias first)."),
             Mistake((), "high bias", "both problems are there: check the variance too, not "
                                      "only when there is no bias (if, then if — not elif)."),),
}


# --- split_data: a rule, shared with the grader -------------------------------------------------
def split_problem(X, y, fractions, value) -> Difference | None:
    """What is wrong with ``value`` as ``split_data(X, y, fractions, seed)``'s answer, or ``None``:
    the sizes (``int(fraction × m)`` rows for the cross-validation and test sets, the rest for
    training), rows of ``X`` only, each with its own label, every row exactly once across the three
    sets (a split that leaks test rows into training fails), and the order shuffled. ``X``'s
    column 0 must be the row's id (:func:`ided_rows`)."""
    m = X.shape[0]
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


# --- build_transfer_model: a rule, shared with the grader ---------------------------------------
def _both(text: str) -> Difference:
    return Difference(text, text)


def _spec_fingerprints(base: dict) -> list[list]:
    """Each of the base's layers as ``[kernel fingerprint, bias fingerprint]``."""
    prints = [weight_fingerprint(w) for w in base["weights"]]
    return [prints[i:i + 2] for i in range(0, len(prints), 2)]


def _same_layer(leaf: dict, prints: list) -> bool:
    weights = leaf.get("weights") or []
    return len(weights) == len(prints) and all(same_weights(a, b) for a, b in zip(weights, prints))


def transfer_problem(description, base: dict, n_classes: int, fine_tune: bool) -> Difference | None:
    """What is wrong with a transfer model (its :func:`~course_utils.checks.core.models.describe_model_data`
    description) built on ``base`` (a spec), or ``None``.

    The rule: the model takes the base's inputs; its layers are the base's hidden layers (every
    layer but the base's output layer), in order, holding the base's weights when the model is
    returned — the base's own layers, or copies with the base's weights, pass alike (the grader
    sees values: both start from what the base learned; fresh layers do not) — then ONE new
    Dense output layer of ``n_classes`` units, linear (logits), with fresh weights, trained.
    The base's layers are frozen when ``fine_tune`` is False, trained when True. Compiled with
    ``SparseCategoricalCrossentropy(from_logits=True)``. ``message`` may quote the model's
    numbers; ``summary`` never does (hidden cases).
    """
    if not isinstance(description, dict) or "layers" not in description:
        kind = description.get("type") if isinstance(description, dict) else type(description).__name__
        hint = " (did you forget `return model`?)" if kind == "NoneType" else ""
        return Difference(f"build_transfer_model should return a Keras model, got {kind}{hint}",
                          "build_transfer_model did not return a Keras model")
    n_in = int(base["input_dim"])
    if description.get("input_shape") != [n_in]:
        return _both(f"the model has no input of shape ({n_in},): start it with keras.Input("
                     f"shape=({n_in},)), the base's input, so that it is built")
    hidden, head = _spec_fingerprints(base)[:-1], _spec_fingerprints(base)[-1]
    leaves = description.get("leaves") or []
    if len(leaves) == len(hidden) + 2 and _same_layer(leaves[-2], head):
        return _both("the base's output layer is still in the model: keep every layer of the "
                     "base but the last (base_model.layers[:-1]), then add the new output layer")
    if len(leaves) != len(hidden) + 1:
        shown = ", ".join(f"{leaf['class']}({leaf['units']})" for leaf in leaves) or "none"
        return Difference(
            f"expected the base's {len(hidden)} hidden layers and 1 new output layer "
            f"({len(hidden) + 1} layers), got {len(leaves)}: {shown}",
            f"expected the base's {len(hidden)} hidden layers and 1 new output layer")
    for i, (leaf, prints) in enumerate(zip(leaves, hidden), 1):
        if not _same_layer(leaf, prints):
            return _both(f"layer {i}'s weights are not the base's: reuse base_model.layers[{i - 1}]"
                         " (the pre-trained layer itself); a new Dense layer starts from random "
                         "weights and throws away what the base learned")
    for i, leaf in enumerate(leaves[:-1], 1):
        if leaf["trainable"] and not fine_tune:
            return _both(f"layer {i} is trainable: freeze the base's hidden layers when fine_tune "
                         "is False (layer.trainable = False, before compiling)")
        if not leaf["trainable"] and fine_tune:
            return _both(f"layer {i} is frozen: with fine_tune=True the base's layers train too "
                         "(layer.trainable = True, before compiling)")
    out = leaves[-1]
    if out["class"] != "Dense" or out["units"] != n_classes:
        return Difference(f"the output layer is {out['class']}({out['units']}), expected "
                          f"Dense({n_classes}): one logit per class of the new task",
                          "the output layer should be a Dense layer of n_classes units")
    if _same_layer(out, head):
        return _both("the output layer is the base's own (same weights): add a NEW "
                     "keras.layers.Dense(n_classes) — the new task's classes are not the base's")
    if out["activation"] != "linear":
        return Difference(f"the output layer's activation is {out['activation']!r}: keep it linear "
                          "(logits) and let the loss apply softmax (from_logits=True)",
                          "the output layer should be linear (logits; from_logits=True)")
    if not out["trainable"]:
        return _both("the new output layer is frozen: it is the part that must learn the new task")
    loss, from_logits = description.get("loss"), description.get("from_logits")
    if loss is None:
        return _both("the model is not compiled: compile it with loss=keras.losses."
                     "SparseCategoricalCrossentropy(from_logits=True) and an optimizer")
    if loss not in ("SparseCategoricalCrossentropy", "sparse_categorical_crossentropy"):
        return Difference(f"the loss is {str(loss)[:60]}: labels are integers, so use "
                          "keras.losses.SparseCategoricalCrossentropy(from_logits=True)",
                          "the loss should be SparseCategoricalCrossentropy(from_logits=True)")
    if from_logits is not True:
        return _both("the loss needs from_logits=True: the output layer is linear, so the model "
                     "returns logits, not probabilities")
    return None


# --- the checks ---------------------------------------------------------------------------------
def _run(func_name: str, func, cases: list[StructureCase]) -> bool:
    return run_structure_check(func_name, func, cases, exception_hint=_exception_hint)


def _exception_hint(func_name: str, exc: Exception) -> str:
    text = str(exc).lower()
    if any(word in text for word in ("shape", "align", "broadcast", "dimension", "mismatch")):
        return ("a shape mismatch. Row convention: X is (m, n), one example per row; y is (m,); "
                "w is (n,) and b a number, so predictions are X @ w + b, of shape (m,).")
    if "singular" in text:
        return ("a singular matrix: with λ = 0 the normal equations need AᵀA invertible; solve "
                "(AᵀA + λI′)θ = Aᵀy with np.linalg.solve (I′: the identity with 0 for the bias).")
    return generic_exception_hint(func_name, exc)


def check_split_data(split_data) -> bool:
    """Check ``split_data(X, y, fractions, seed) -> (X_train, y_train, X_cv, y_cv, X_test,
    y_test)`` on the grader's visible case: 50 rows, fractions (0.6, 0.2, 0.2), seed 0."""
    case = StructureCase(
        "50 rows, fractions (0.6, 0.2, 0.2), seed 0",
        "X = SPLIT_X (50, 3), row ids in column 0; y = SPLIT_Y (50,); fractions (0.6, 0.2, "
        "0.2); seed 0",
        (SPLIT_X, SPLIT_Y, SPLIT_FRACTIONS, SPLIT_SEED),
        judge=lambda answer: split_problem(SPLIT_X, SPLIT_Y, SPLIT_FRACTIONS, answer))
    return _run("split_data", split_data, [case])


def check_classification_error(classification_error) -> bool:
    """Check ``classification_error(y_hat, y) -> float``: the grader's visible case and one where
    the error (0.4) and the accuracy (0.6) differ."""
    cases = [
        StructureCase("y_hat = [1, 0, 1, 1], y = [1, 1, 1, 0]: 2 of 4 wrong",
                      "y_hat = [1, 0, 1, 1], y = [1, 1, 1, 0]",
                      (np.array([1, 0, 1, 1]), np.array([1, 1, 1, 0])), 0.5, examples=4,
                      mistakes=ERROR_MISTAKES),
        StructureCase("2 of 5 wrong", "y_hat = [2, 0, 1, 1, 2], y = [2, 1, 1, 1, 0]",
                      (np.array([2, 0, 1, 1, 2]), np.array([2, 1, 1, 1, 0])), 0.4, examples=5,
                      mistakes=ERROR_MISTAKES),
    ]
    return _run("classification_error", classification_error, cases)


def check_diagnose(diagnose) -> bool:
    """Check ``diagnose(j_train, j_cv, baseline, tolerance) -> str``: the grader's two visible
    cases, a case exactly at the tolerance (not above it) and one with both problems."""
    def case(name, args, expected, mistakes):
        shown = ", ".join(f"{k} = {v}" for k, v in zip(("j_train", "j_cv", "baseline",
                                                         "tolerance"), args))
        return StructureCase(name, shown, args, expected, mistakes=DIAGNOSE_MISTAKES[mistakes])

    return _run("diagnose", diagnose, [
        case("high bias: J_train 0.3125, J_cv 0.34375, baseline 0.125, tolerance 0.0625",
             (0.3125, 0.34375, 0.125, 0.0625), "high bias", "high bias"),
        case("high variance: J_train 0.125, J_cv 0.3125, baseline 0.109375, tolerance 0.0625",
             (0.125, 0.3125, 0.109375, 0.0625), "high variance", "high variance"),
        case("exactly at the tolerance: a good fit", (0.25, 0.375, 0.125, 0.125), "good fit",
             "at the tolerance"),
        case("both problems", (0.375, 0.75, 0.125, 0.0625), "high bias and high variance", "both"),
    ])


def check_choose_lambda(choose_lambda) -> bool:
    """Check ``choose_lambda(lambdas, X_train, y_train, X_cv, y_cv) -> (best_lambda, j_cv)`` on
    the grader's visible case (degree 8, 15 training points, λ in [0, 0.01, 0.1, 1, 10, 100])."""
    case = StructureCase(
        "degree 8, 15 training points, λ in [0, 0.01, 0.1, 1, 10, 100]",
        "lambdas = [0, 0.01, 0.1, 1, 10, 100], X_train = LAMBDA_X_TRAIN (15, 8), "
        "X_cv = LAMBDA_X_CV (40, 8)",
        (list(LAMBDAS), LAMBDA_X_TRAIN, LAMBDA_Y_TRAIN, LAMBDA_X_CV, LAMBDA_Y_CV),
        (BEST_LAMBDA, J_CV), parts=("best_lambda", "j_cv"), rtol=1e-6, atol=1e-9,
        mistakes=LAMBDA_MISTAKES)
    return _run("choose_lambda", choose_lambda, [case])


#: The visible build_transfer_model cases: (name, n_classes, fine_tune).
TRANSFER_CASES = [
    ("the 64 → 32 → 16 → 5 base, 5 new classes, frozen", 5, False),
    ("the 64 → 32 → 16 → 5 base, 10 new classes, fine-tuned", 10, True),
]


def check_build_transfer_model(build_transfer_model) -> bool:
    """Check ``build_transfer_model(base_model, n_classes, fine_tune)`` on the grader's visible
    cases: a fresh copy of the base ``TRANSFER_BASE`` (64 → 32 relu → 16 relu → 5 linear) each
    time, and the returned model judged as the grader judges it (:func:`transfer_problem`)."""
    if not callable(build_transfer_model):
        print(f"{FAIL_MARK} check_build_transfer_model needs the function itself: "
              "check_build_transfer_model(build_transfer_model), not "
              "check_build_transfer_model(build_transfer_model(...)). "
              f"Got a {type(build_transfer_model).__name__}.")
        return False

    def on_a_fresh_base(spec, n_classes, fine_tune):
        return build_transfer_model(model_from_spec(spec), n_classes, fine_tune)

    cases = [StructureCase(name, f"base_model = the base TRANSFER_BASE (64 → 32 relu → 16 relu → "
                                 f"5 linear), n_classes = {n}, fine_tune = {ft}",
                           (TRANSFER_BASE, n, ft),
                           judge=lambda answer, n=n, ft=ft: transfer_problem(
                               describe_model_data(model_data(answer)), TRANSFER_BASE, n, ft))
             for name, n, ft in TRANSFER_CASES]
    return _run("build_transfer_model", on_a_fresh_base, cases)
