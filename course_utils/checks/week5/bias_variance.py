"""Instant check for ``notebooks/week5/02_bias_variance.ipynb`` (bias and variance): ``learning_curve``, the two errors of a
learning curve.

``learning_curve(fit, x_train, y_train, x_cv, y_cv, sizes)`` returns ``(j_train, j_cv)``, two arrays
of shape ``(len(sizes),)``: for each ``m`` in ``sizes``, the model ``predict = fit(x, y)`` trained on
the FIRST ``m`` training examples, ``J_train`` its cost on those same ``m`` examples and ``J_cv``
its cost on the WHOLE cross-validation set, with ``J = 1/(2m) Σ (predict(x_i) − y_i)²``.

``check_learning_curve(learning_curve)`` prints one verdict and returns ``True``/``False``. Expected
values only: each case passes a simple model as ``fit`` (the training mean; a least-squares line)
and stores the answer and what typical mistakes give, worked out by hand (see each case's comment).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_utils.checks.core.verdict import format_array, given_a_function, print_case_verdict

#: What each typical mistake means, keyed as in the cases' ``mistakes``.
MISTAKES = {
    "fit_on_all": (
        "the model is trained on ALL the training examples every time: for each m, call "
        "fit(x_train[:m], y_train[:m]), so that each point of the curve has its own training set."
    ),
    "j_train_on_all": (
        "J_train is measured on the whole training set: it is the error on the m examples the "
        "model was trained on, x_train[:m] and y_train[:m]."
    ),
    "cv_first_m": (
        "J_cv is measured on only the first m cross-validation examples: use the whole "
        "cross-validation set for every m (only the TRAINING set grows)."
    ),
    "no_half": (
        "the errors are twice too large: the cost has a 1/2, J = 1/(2m) Σ (f(x) − y)², i.e. half "
        "the mean squared error."
    ),
    "sum_not_mean": (
        "the squared errors are summed, not averaged: divide by the number of examples the cost "
        "is measured on (m for J_train, the cross-validation set's size for J_cv)."
    ),
    "swapped": "J_train and J_cv are swapped: return (j_train, j_cv), in that order.",
}


def _mean_model(x, y):
    """``fit`` of case 1: predict the training targets' mean, whatever the input."""
    mean = float(np.mean(y))
    return lambda xs: np.full(len(xs), mean)


def _line_model(x, y):
    """``fit`` of case 2: the least-squares line, slope = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)²."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    slope = float(np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2))
    intercept = float(y.mean() - slope * x.mean())
    return lambda xs: slope * np.asarray(xs, float) + intercept


@dataclass(frozen=True)
class Case:
    """One call ``learning_curve(fit, x_train, y_train, x_cv, y_cv, sizes)``: the expected
    ``(j_train, j_cv)`` and, for each key of :data:`MISTAKES`, what that mistake returns."""

    name: str
    model: str
    fit: object
    x_train: tuple
    y_train: tuple
    x_cv: tuple
    y_cv: tuple
    sizes: tuple
    expected: tuple
    mistakes: dict

    def shown(self) -> str:
        return (f"fit = {self.model}, "
                f"x_train = {list(self.x_train)}, y_train = {list(self.y_train)}, "
                f"x_cv = {list(self.x_cv)}, y_cv = {list(self.y_cv)}, sizes = {list(self.sizes)}")


CASES = [
    # The mean of y_train[:m] is 1, 2, 3 for m = 1, 2, 4.
    # J_train: 0; ((2-1)² + (2-3)²)/4 = 0.5; (4 + 0 + 1 + 9)/8 = 1.75.
    # J_cv:    (1 + 9 + 4)/6 = 7/3; (0 + 4 + 1)/6 = 5/6; (1 + 1 + 0)/6 = 1/3.
    Case("the training mean as the model", "predict the mean of y (whatever x)", _mean_model, (0.0, 1.0, 2.0, 3.0), (1.0, 3.0, 2.0, 6.0),
         (0.5, 1.5, 2.5), (2.0, 4.0, 3.0), (1, 2, 4),
         ((0.0, 0.5, 1.75), (7 / 3, 5 / 6, 1 / 3)),
         {"fit_on_all": ((2.0, 1.0, 1.75), (1 / 3, 1 / 3, 1 / 3)),
          "j_train_on_all": ((3.75, 2.25, 1.75), (7 / 3, 5 / 6, 1 / 3)),
          "cv_first_m": ((0.0, 0.5, 1.75), (0.5, 1.0, 1 / 3)),
          "no_half": ((0.0, 1.0, 3.5), (14 / 3, 5 / 3, 2 / 3)),
          "sum_not_mean": ((0.0, 1.0, 7.0), (7.0, 2.5, 1.0)),
          "swapped": ((7 / 3, 5 / 6, 1 / 3), (0.0, 0.5, 1.75))}),
    # m = 2: the line through (0, 0) and (1, 2), y = 2x: J_train 0; J_cv (0 + 9 + 16)/6 = 25/6.
    # m = 4: y = 1.1x + 0.1: J_train (0.01 + 0.64 + 1.69 + 0.36)/8 = 0.3375; J_cv 0.14125.
    # m = 6: y = 1.0857x + 0.2857 (slope 19/17.5): J_train 0.4015873; J_cv 0.1121995.
    Case("a least-squares line as the model", "the least-squares line", _line_model, (0.0, 1.0, 2.0, 3.0, 4.0, 5.0),
         (0.0, 2.0, 1.0, 4.0, 3.0, 6.0), (0.5, 2.5, 4.5), (1.0, 2.0, 5.0), (2, 4, 6),
         ((0.0, 0.3375, 0.4015873016), (25 / 6, 0.14125, 0.1121995465)),
         {"fit_on_all": ((0.1941950113, 0.3469501134, 0.4015873016),
                         (0.1121995465, 0.1121995465, 0.1121995465)),
          "j_train_on_all": ((4.5, 0.4258333333, 0.4015873016), (25 / 6, 0.14125, 0.1121995465)),
          "cv_first_m": ((0.0, 0.3375, 0.4015873016), (2.25, 0.14125, 0.1121995465)),
          "no_half": ((0.0, 0.675, 0.8031746032), (25 / 3, 0.2825, 0.2243990930)),
          "sum_not_mean": ((0.0, 1.35, 2.4095238095), (12.5, 0.42375, 0.3365986395)),
          "swapped": ((25 / 6, 0.14125, 0.1121995465), (0.0, 0.3375, 0.4015873016))}),
]


def _close(got: np.ndarray, want) -> bool:
    want = np.asarray(want, dtype=float)
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=1e-6, atol=1e-9))


def _call(func, case: Case):
    """``(array (2, k), None)`` or ``(None, lines explaining the problem)``."""
    args = [np.array(v, dtype=float) for v in (case.x_train, case.y_train, case.x_cv, case.y_cv)]
    try:
        raw = func(case.fit, *args, list(case.sizes))
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 - any exception in learner code is a failed case
        return None, [f"got:      an exception, {type(exc).__name__}: {exc}",
                      "Likely mistake: read the error message; the case's inputs are shown so you "
                      "can try it yourself (x[:m] and y[:m] must be sliced alike)."]
    if raw is None:
        return None, ["got:      None", "Likely mistake: learning_curve has no `return` statement."]
    k = len(case.sizes)
    # A (2, k) array unpacks like the pair (j_train, j_cv): accepted too.
    if not isinstance(raw, (tuple, list, np.ndarray)) or np.ndim(raw) == 0 or len(raw) != 2:
        return None, [f"got:      {type(raw).__name__} {raw!r:.80}",
                      "Likely mistake: return TWO arrays, (j_train, j_cv), each with one error "
                      "per size in sizes."]
    try:
        got = np.array([np.asarray(part, dtype=float) for part in raw], dtype=float)
    except (TypeError, ValueError):
        return None, [f"got:      {raw!r:.80}",
                      f"Likely mistake: j_train and j_cv must be arrays of numbers of shape ({k},)."]
    if got.shape != (2, k):
        return None, [f"got:      arrays of shapes {[np.shape(part) for part in raw]}",
                      f"Likely mistake: one error per training-set size: j_train and j_cv both of "
                      f"shape ({k},), for sizes = {list(case.sizes)}."]
    return got, None


def check_learning_curve(learning_curve) -> bool:
    """Check ``learning_curve(fit, x_train, y_train, x_cv, y_cv, sizes) -> (j_train, j_cv)`` (see
    the module docstring). ``notebooks/week5/02_bias_variance.ipynb``. Prints a verdict; returns whether every case passed."""
    if not given_a_function("learning_curve", learning_curve):
        return False
    try:
        calls = [_call(learning_curve, case) for case in CASES]
    except NotImplementedError:
        print("\N{HEAVY BALLOT X} learning_curve: not written yet: replace "
              "`raise NotImplementedError()` by your code.")
        return False
    failures = []
    for i, (case, (got, problem)) in enumerate(zip(CASES, calls), 1):
        if problem is None and _close(got, case.expected):
            continue
        lines = [f"inputs:   {case.shown()}",
                 f"expected: j_train = {format_array(case.expected[0])}",
                 f"          j_cv    = {format_array(case.expected[1])}"]
        if problem:
            failures.append((i, case.name, lines + problem, True))
            continue
        lines += [f"got:      j_train = {format_array(got[0])}", f"          j_cv    = {format_array(got[1])}"]
        named = next((MISTAKES[key] for key, value in case.mistakes.items() if _close(got, value)), None)
        if named:
            failures.append((i, case.name, [*lines, f"Likely mistake: {named}"], True))
        else:
            failures.append((i, case.name, [
                *lines, "None of the usual mistakes gives these numbers: for each m, train on "
                "x_train[:m], y_train[:m]; J_train on those m examples, J_cv on all of x_cv, y_cv; "
                "J = 1/(2m) Σ (predict(x) − y)²."], False))
    return print_case_verdict("learning_curve", len(CASES), failures)
