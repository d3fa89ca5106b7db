"""Instant checks for ``notebooks/week3/04_assignment_logistic_regression.ipynb`` (logistic
regression as a tiny neural network).

``assert check_propagate(propagate)`` runs the learner's function on the grading cases that are
visible (the course's checked numbers), prints one verdict and returns ``True``/``False``. A
returned tuple or dict is compared part by part by :func:`course_utils.checks.core.compare.compare`,
the grader's own comparison, so the learner and the grader name a mistake the same way (the part,
``grads['dw']``, and the mistake: m times too large, the wrong sign, a column, integers). Vectorised
exercises are also run on one example to count their Python steps (:mod:`course_utils.checks.core.steps`).

Expected values only: the outputs of the correct functions, and of typical mistakes, are
precomputed numbers held here as data; nothing here computes a solution. A function that is not
written yet (``raise NotImplementedError()``) is reported and the exception passes through, so the
student notebook stops at the first unfinished exercise, as nbgrader expects.
"""

from __future__ import annotations

import copy
import math
import warnings
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

import numpy as np

from course_utils.checks.core.compare import compare
from course_utils.checks.core.steps import StepCounter, iterates_over_examples, probe_batch
from course_utils.checks.core.verdict import FAIL_MARK, print_verdict
from course_utils.data import digits_pair

# --- the course's checked numbers (also the grader's visible cases, autograder/cases/week3.py) ---
W_FACT = [1.0, 2.0]
B_FACT = 2.0
X_FACT = [[1.0, 3.0], [2.0, 4.0], [-1.0, -3.2]]
Y_FACT = [1.0, 0.0, 1.0]
FACT_INPUTS = "w = [1, 2], b = 2, X = [[1, 3], [2, 4], [-1, -3.2]], y = [1, 0, 1]"
GRADS_FACT = {"dw": [0.9984560146379561, 2.395072388486207], "db": 0.001455578136784208}
COST_FACT = 5.80154531939415
#: optimize(w, b, X, y, 100, 0.009) from the fact: params after 100 steps, the last gradients
#: (computed before the last step) and the one recorded cost (iteration 0).
OPTIMIZE_FACT = (
    {"w": [0.19033590888604332, 0.1225915924656141], "b": 1.9253598300845747},
    {"dw": [0.6775204222153582, 1.416254952638088], "db": 0.21919450454067657},
    [COST_FACT],
)
PREDICT_W = [0.1124579, 0.23106775]
PREDICT_B = -0.3
PREDICT_X = [[1.0, 1.2], [-1.1, 2.0], [-3.2, 0.1]]
PREDICT_PROBABILITIES = [0.5224197562625682, 0.5096067700926029, 0.34597965087838745]

#: model's visible case: digits 3 vs 8, 120 to train and 80 to test (this permutation of
#: digits_pair()), 300 iterations at learning rate 0.5; its costs and accuracies.
MODEL_SEED = 20247
MODEL_ITERATIONS, MODEL_RATE = 300, 0.5
MODEL_COSTS = [0.6931471805599453, 0.0844917437947959, 0.05343171347806831]
MODEL_TRAIN_ACCURACY = 119 / 120
MODEL_TEST_ACCURACY = 78 / 80
#: How far the training accuracy may fall below the expected one (the grader's band too).
ACCURACY_BAND = 0.03


@dataclass(frozen=True)
class Mistake:
    """What a typical mistake returns on a case's inputs (precomputed), and how it is named.

    In a returned tuple, a part left ``None`` is any value: the mistake shows in the others."""

    output: Any
    message: str


@dataclass(frozen=True)
class ReturnCase:
    """One call of the learner's function and the value it must return.

    ``inputs`` shows the call to the learner; ``expected`` is compared by
    :func:`~course_utils.checks.core.compare.compare` (``parts`` names a returned tuple's parts, ``m``
    is the number of examples, to name a missing ``1/m``; ``float_arrays``: float arrays must not
    come back as integers). ``batch_rows``: for vectorised exercises, m, with ``batch_args`` the
    arguments whose first axis runs over the examples. ``warn_free``: the call must not warn.
    ``mistakes``: typical mistakes' outputs; ``shape_hints``: ``(part, hint)``, the likely cause
    added when that part (e.g. ``costs``) comes back in another shape.
    """

    name: str
    inputs: str
    args: tuple
    expected: Any
    parts: tuple[str, ...] | None = None
    m: int | None = None
    float_arrays: bool = False
    batch_rows: int | None = None
    batch_args: tuple[int, ...] = (0,)
    warn_free: bool = False
    rtol: float = 1e-6
    atol: float = 1e-8
    mistakes: tuple[Mistake, ...] = ()
    shape_hints: tuple[tuple[str, str], ...] = ()


def _arrays(value):
    """Lists of numbers (and nested dicts/tuples of them) as float arrays: the inputs as the
    learner's function receives them."""
    if isinstance(value, list):
        return np.array(value, dtype=float)
    if isinstance(value, tuple):
        return tuple(_arrays(v) for v in value)
    return value


def show(value) -> str:
    """A returned value as a check prints it: arrays and numbers to 8 significant digits, dicts
    and tuples part by part, an exception by its type and message, anything else by its type."""
    if isinstance(value, Exception):
        return f"an exception, {type(value).__name__}" + (f": {value}" if str(value) else "")
    if value is None:
        return "None"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k!r}: {show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, tuple):
        return "(" + ", ".join(show(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, list) and not all(isinstance(v, int | float) for v in value):
        return "[" + ", ".join(show(v) for v in value) + "]"
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return f"a {type(value).__name__}"
    if array.size > 12:
        return f"an array of shape {array.shape}"
    text = np.array2string(array, precision=8, separator=", ", suppress_small=False)
    kind = type(value).__name__
    return text if isinstance(value, np.ndarray | list) else f"{text} ({kind})"


def _exception_hint(func_name: str, exc: Exception) -> str:
    text = str(exc).lower()
    if isinstance(exc, TypeError) and ("scalar" in text or "length-1" in text):
        return ("math.exp takes one number, not an array: use np.exp, which works element-wise on "
                "arrays of any shape.")
    if any(word in text for word in ("shape", "align", "broadcast", "dimension", "size")):
        return ("a shape mismatch. Row convention: X is (m, n), one example per row; w is (n,), "
                "so X @ w is (m,), one z per example; y is (m,); dw = Xᵀ (a − y) / m is (n,). "
                "Print the shapes of your intermediate arrays (w.T or a reshape to a column is "
                "the usual slip).")
    if isinstance(exc, NameError):
        return "a name is not defined: run the cells above (your earlier functions among them)."
    if isinstance(exc, KeyError):
        return "a dict has no such key: the gradients are grads['dw'] and grads['db']."
    return "read the error message above; the case's inputs are shown so you can try it yourself."


def _gives(output, got) -> bool:
    """Whether ``got`` is a mistake's precomputed ``output``; a tuple's parts left ``None`` in
    ``output`` match anything (the mistake is named by the parts it sets)."""
    if isinstance(output, tuple) and any(part is None for part in output):
        return isinstance(got, tuple | list) and len(got) == len(output) and all(
            want is None or _gives(want, part) for want, part in zip(output, got))
    return compare(output, got, rtol=1e-6, atol=1e-8) is None


def _vectorised_problem(func: Callable, case: ReturnCase, steps: int) -> list[str] | None:
    """Why ``func`` is not vectorised (its Python work grows with m), or ``None``."""
    probe, m_probe = probe_batch(case.args, case.batch_args)
    try:
        with StepCounter() as counter:
            func(*copy.deepcopy(probe))
    except Exception:  # noqa: BLE001 - fails on the other batch only: nothing to compare
        return None
    if not iterates_over_examples(case.batch_rows, steps, m_probe, counter.steps):
        return None
    return [f"got:      the right values, but your code does {steps} Python steps for "
            f"{case.batch_rows} examples and {counter.steps} for {m_probe}: it still works "
            "example by example",
            "Likely mistake: a loop over the examples (a for loop, comprehension, map, "
            "np.vectorize or apply_along_axis over the rows of X). Compute the whole batch at "
            "once: z = X @ w + b, then Xᵀ (a − y) / m."]


def _run_case(func_name: str, func: Callable, case: ReturnCase) -> tuple[list[str], bool] | None:
    """``None`` when ``case`` passes, else the lines explaining the failure and whether they name
    a specific mistake. A ``NotImplementedError`` passes through (see the module docstring)."""
    lines = [f"inputs:   {case.inputs}", f"expected: {show(case.expected)}"]
    batched = case.batch_rows is not None
    try:
        with warnings.catch_warnings(record=True) as caught, \
                StepCounter() if batched else nullcontext() as counter:
            warnings.simplefilter("always")
            got = func(*copy.deepcopy(case.args))  # a learner's in-place edit stays in its call
    except NotImplementedError:
        print(f"{FAIL_MARK} {func_name} is not written yet: replace `raise NotImplementedError()` "
              "by your code.")
        raise
    except Exception as exc:  # noqa: BLE001 - any exception in learner code is a failed case
        got = exc
    lines.append(f"got:      {show(got)}")
    if isinstance(got, Exception):
        return [*lines, f"Likely mistake: {_exception_hint(func_name, got)}"], False
    if got is None:
        return [*lines, f"Likely mistake: {func_name} has no `return` statement."], True
    if case.warn_free and caught:
        return [*lines, f"Likely mistake: the call warned ({caught[0].category.__name__}: "
                f"{caught[0].message}). np.exp of a large positive number overflows; compute "
                "with np.exp(-np.abs(z)) only, which is at most 1 (np.where evaluates BOTH "
                "branches, so an overflowing branch warns even where it is not used)."], True
    problem = compare(case.expected, got, rtol=case.rtol, atol=case.atol, name="the return value",
                      parts=case.parts, m=case.m or case.batch_rows, float_arrays=case.float_arrays)
    if problem:
        for mistake in case.mistakes:
            if _gives(mistake.output, got):
                return [*lines, f"Likely mistake: {mistake.message}"], True
        named = "wrong values: largest difference" not in problem.message
        if not named:
            return [*lines, f"Problem:  {problem.message}; work this case out by hand, step by "
                    "step, and compare."], False
        hints = [hint for part, hint in case.shape_hints
                 if problem.message.startswith(f"{part} has shape")]
        return [*lines, f"Likely mistake: {problem.message}", *hints], True
    if batched:
        vectorised = _vectorised_problem(func, case, counter.steps)
        if vectorised:
            return [*lines[:2], *vectorised], True
    return None


def run_return_check(func_name: str, func: Callable, cases: list[ReturnCase]) -> bool:
    """Run ``cases`` on ``func``, print one verdict and return whether every case passed."""
    if not callable(func):
        return print_verdict(func_name, [f"check_... needs the function itself ({func_name}, not "
                                         f"{func_name}(...)); got a {type(func).__name__}."], "")
    failures = []
    for i, case in enumerate(cases, 1):
        outcome = _run_case(func_name, func, case)
        if outcome is not None:
            failures.append((i, case, *outcome))
    problems = []
    if failures:
        # The first failure that names a mistake is the most useful to show; the others by name.
        i, case, lines, _ = next((f for f in failures if f[3]), failures[0])
        problems = [f'case {i} of {len(cases)} failed, "{case.name}".', *lines]
        if len(failures) > 1:
            others = ", ".join(f'{j} "{c.name}"' for j, c, *_ in failures if j != i)
            problems.append(f"({len(failures) - 1} more case(s) failed: {others}.)")
    passed = f"all {len(cases)} cases passed." if len(cases) > 1 else "its case passed."
    return print_verdict(func_name, problems, passed)


# --- the cases ---------------------------------------------------------------------------------
SIGMOID_CASES = [
    ReturnCase("sigmoid(0) = 0.5", "z = 0.0", (np.array(0.0),), 0.5, atol=1e-12),
    ReturnCase("sigmoid([0, 2]) = [0.5, 0.88079708]", "z = [0, 2]", (np.array([0.0, 2.0]),),
               [0.5, 0.8807970779778823], atol=1e-12,
               mistakes=(Mistake([0.5, 0.11920292202211755],
                                 "the sign of z: σ(z) = 1 / (1 + e^(−z)); 1 / (1 + e^z) is "
                                 "σ(−z) = 1 − σ(z)."),)),
    ReturnCase("large |z|: [-1000, 1000] gives [0, 1] with no overflow warning",
               "z = [-1000, 1000]", (np.array([-1000.0, 1000.0]),), [0.0, 1.0], atol=1e-12,
               warn_free=True),
]

INITIALIZE_ZEROS_CASES = [
    ReturnCase("n = 2", "n = 2", (2,), (np.zeros(2), 0.0), parts=("w", "b"), float_arrays=True),
]

PROPAGATE_CASES = [
    ReturnCase("fact: " + FACT_INPUTS, FACT_INPUTS, _arrays((W_FACT, B_FACT, X_FACT, Y_FACT)),
               (GRADS_FACT, COST_FACT), parts=("grads", "cost"), batch_rows=3, batch_args=(2, 3),
               shape_hints=(("grads['dw']", "An (m, 1) column minus y of shape (m,) broadcasts "
                             "to an (m, m) table: keep w, z, a and y 1-D (X @ w with w of shape "
                             "(n,) is (m,))."),)),
]

OPTIMIZE_CASES = [
    ReturnCase(
        "fact: 100 iterations, learning rate 0.009", FACT_INPUTS + ", 100 iterations, α = 0.009",
        _arrays((W_FACT, B_FACT, X_FACT, Y_FACT)) + (100, 0.009), OPTIMIZE_FACT,
        parts=("params", "grads", "costs"), m=3, rtol=1e-5,
        mistakes=(
            Mistake(({"w": [1.8998144119759928, 4.159407606029802], "b": 2.000174619516814},
                     {"dw": [0.9999993116797067, 2.399997803068415], "db": 6.327862935121923e-07},
                     [COST_FACT]),
                    "the step climbs the cost: gradient DEScent subtracts, w = w − α·dw and "
                    "b = b − α·db."),
            Mistake((OPTIMIZE_FACT[0], {"dw": [0.6716659864670621, 1.4004814689215976],
                                        "db": 0.21946480740675026}, [COST_FACT]),
                    "grads are computed once more after the loop, at the final parameters: "
                    "return the last gradients the loop used (those of its last step)."),
            Mistake(({"w": [-4.171235095534144, 0.3767005391064229], "b": 4.749473846737009},
                     None, None),
                    "the learning rate is not used (these are the parameters of α = 1): the "
                    "step is w − learning_rate · dw."),
        ),
        shape_hints=(("costs", "One cost per 100 iterations: record it only when i % 100 == 0 "
                      "(iterations 0, 100, 200, …), so 100 iterations give one cost."),),
    ),
]

PREDICT_CASES = [
    ReturnCase("fact: w = [0.1124579, 0.23106775], b = -0.3 gives [1, 1, 0]",
               "w = [0.1124579, 0.23106775], b = -0.3, X = [[1, 1.2], [-1.1, 2], [-3.2, 0.1]]",
               _arrays((PREDICT_W, PREDICT_B, PREDICT_X)), [1.0, 1.0, 0.0], batch_rows=3,
               batch_args=(2,),
               mistakes=(Mistake(PREDICT_PROBABILITIES,
                                 "these are the probabilities σ(X @ w + b): predict returns the "
                                 "labels, 1 where the probability is > 0.5 and 0 elsewhere."),)),
]


# --- the checks ---------------------------------------------------------------------------------
def check_sigmoid(sigmoid) -> bool:
    """Check ``sigmoid(z)``: any shape, and no overflow warning for large |z|."""
    return run_return_check("sigmoid", sigmoid, SIGMOID_CASES)


def check_initialize_zeros(initialize_zeros) -> bool:
    """Check ``initialize_zeros(n)`` → ``(w, b)``: float zeros of shape ``(n,)`` and ``0.0``."""
    return run_return_check("initialize_zeros", initialize_zeros, INITIALIZE_ZEROS_CASES)


def check_propagate(propagate) -> bool:
    """Check ``propagate(w, b, X, y)`` → ``(grads, cost)`` on the course's numbers, vectorised."""
    return run_return_check("propagate", propagate, PROPAGATE_CASES)


def check_optimize(optimize) -> bool:
    """Check ``optimize(w, b, X, y, 100, 0.009)`` → ``(params, grads, costs)``."""
    return run_return_check("optimize", optimize, OPTIMIZE_CASES)


def check_logistic_predict(predict) -> bool:
    """Check ``predict(w, b, X)`` → labels ``(m,)`` of 0/1, vectorised."""
    return run_return_check("predict", predict, PREDICT_CASES)


def model_case_data() -> tuple:
    """The inputs of ``model``'s visible case: ``(X_train (120, 64), y_train (120,), X_test
    (80, 64), y_test (80,), 300, 0.5)``, the digits 3 and 8 in the grader's order."""
    X, y = digits_pair(3, 8)
    order = np.random.default_rng(MODEL_SEED).permutation(len(y))
    X, y = X[order], y[order]
    return X[:120], y[:120], X[120:200], y[120:200], MODEL_ITERATIONS, MODEL_RATE


def _accuracy_problems(result: Mapping) -> list[str]:
    """What is wrong with the two reported accuracies (they are numbers by now)."""
    train, test = float(result["train_accuracy"]), float(result["test_accuracy"])
    for name, value in (("train_accuracy", train), ("test_accuracy", test)):
        if 1.0 < value <= 100.0:
            return [f"{name} is {value:.4g}: give it as a fraction in [0, 1] (0.975), not a "
                    "percentage (97.5)."]
    if math.isclose(train, MODEL_TEST_ACCURACY) and math.isclose(test, MODEL_TRAIN_ACCURACY):
        return [f"train_accuracy is {train:.4g} and test_accuracy {test:.4g}: they are swapped "
                "(the training set is X_train, y_train)."]
    if train < MODEL_TRAIN_ACCURACY - ACCURACY_BAND:
        return [f"train_accuracy is {train:.4g}, but {MODEL_ITERATIONS} iterations at learning "
                f"rate {MODEL_RATE} classify {MODEL_TRAIN_ACCURACY:.4g} of the training set "
                "correctly: are all iterations run, with the given learning rate?"]
    for name, value, want, split in (("train_accuracy", train, MODEL_TRAIN_ACCURACY, "train"),
                                     ("test_accuracy", test, MODEL_TEST_ACCURACY, "test")):
        if not math.isclose(value, want, abs_tol=1e-9):
            return [f"{name} is {value:.4g}, but the trained w and b classify {want:.4g} of the "
                    f"{split}ing set correctly: compute it after training, as "
                    f"np.mean(predict(w, b, X_{split}) == y_{split})."]
    return []


def _model_problems(result) -> list[str]:
    expected_form = {"costs": MODEL_COSTS, "w": np.zeros(64), "b": 0.0, "train_accuracy": 0.0,
                     "test_accuracy": 0.0}
    form = compare(expected_form, result, name="the returned dict", values=False)
    if form and form.message.startswith("the returned dict['costs'] has shape"):
        return [f"{form.message}: one cost per 100 iterations, from iteration 0, so "
                f"{MODEL_ITERATIONS} iterations give {len(MODEL_COSTS)}: pass num_iterations and "
                "learning_rate on to optimize."]
    if form:
        return [form.message]
    costs = np.asarray(result["costs"], dtype=float)
    if not math.isclose(costs[0], math.log(2.0), rel_tol=1e-6):
        return [f"the first cost is {costs[0]:.6g}; from zero weights every probability is 0.5 "
                "and the cost is ln 2 = 0.693147: start from initialize_zeros and record the cost "
                "of iteration 0, before its step."]
    if np.any(np.diff(costs) > 1e-12):
        return [f"the costs rise ({show(costs)}): at this learning rate gradient descent lowers "
                "the cost at every step. A sign error in the update (w + α·dw)?"]
    values = compare(MODEL_COSTS, costs, rtol=1e-5, name="the returned dict['costs']")
    if values:
        return [f"{values.message}. The costs are {show(MODEL_COSTS)} for {MODEL_ITERATIONS} "
                f"iterations at learning rate {MODEL_RATE}: pass num_iterations and "
                "learning_rate on to optimize."]
    return _accuracy_problems(result)


def check_logistic_model(model) -> bool:
    """Check ``model(X_train, y_train, X_test, y_test, 300, 0.5)`` on the digits 3 and 8 (120 to
    train, 80 to test): the dict's keys and forms, costs that start at ln 2 (zero weights) and
    fall, and the train/test accuracies (fractions) of that training."""
    if not callable(model):
        return print_verdict("model", [f"check_logistic_model needs the function itself (model, "
                                       f"not model(...)); got a {type(model).__name__}."], "")
    try:
        result = model(*model_case_data())
    except NotImplementedError:
        print(f"{FAIL_MARK} model is not written yet: replace `raise NotImplementedError()` by "
              "your code.")
        raise
    except Exception as exc:  # noqa: BLE001 - any exception in learner code is a failed check
        return print_verdict("model", [f"raised {type(exc).__name__}: {exc}",
                                       f"Likely mistake: {_exception_hint('model', exc)}"], "")
    problems = (["returned None: model has no `return` statement."] if result is None else
                _model_problems(result))
    return print_verdict("model", problems, "keys, costs from ln 2 down, and the accuracies of "
                         f"{MODEL_ITERATIONS} iterations at learning rate {MODEL_RATE} "
                         f"({MODEL_TRAIN_ACCURACY:.2%} train, {MODEL_TEST_ACCURACY:.2%} test).")
