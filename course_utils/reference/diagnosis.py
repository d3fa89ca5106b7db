"""Reference solutions of week 5: is the model any good? (splits, errors, bias/variance, λ).

Row convention: ``X`` is ``(m, n)``, one example per row, ``y`` is ``(m,)``.

- :func:`split_data`: train / cross-validation / test, disjoint, shuffled with a seed;
- :func:`classification_error`: the fraction of wrong labels;
- :func:`diagnose`: the four cases of bias and variance, read against a baseline;
- :func:`choose_lambda`: the L2 strength with the lowest cross-validation cost, for linear
  regression ``J(w, b) = (1/2m) Σ (x·w + b − y)² + (λ/2m) ‖w‖²`` (the bias is not regularised),
  whose minimiser has a closed form; ``J_cv`` is the plain squared-error cost on the
  cross-validation set, ``(1/2m_cv) Σ (x·w + b − y)²``, without the λ term.
"""

from __future__ import annotations

import numpy as np

from course_utils._validation import as_float_array

#: The four verdicts of :func:`diagnose`.
VERDICTS = ("high bias", "high variance", "high bias and high variance", "good fit")


def split_data(X, y, fractions=(0.6, 0.2, 0.2), seed: int = 0):
    """``(X_train, y_train, X_cv, y_cv, X_test, y_test)``: the rows of ``X`` (with their labels)
    shuffled by ``np.random.default_rng(seed).permutation(m)``; the cross-validation and test
    sets have ``int(fraction × m)`` rows each (the 2nd and 3rd fractions), the training set the
    rest. Disjoint, and together every row exactly once."""
    X = np.asarray(X)
    y = np.asarray(y)
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"split_data: X has {X.shape[0]} rows but y has {y.shape[0]} labels.")
    if len(fractions) != 3 or abs(sum(fractions) - 1.0) > 1e-9 or min(fractions) < 0:
        raise ValueError(f"split_data: fractions {fractions} must be three non-negative numbers "
                         "that sum to 1 (train, cross-validation, test).")
    m = X.shape[0]
    n_cv, n_test = int(fractions[1] * m), int(fractions[2] * m)
    order = np.random.default_rng(seed).permutation(m)
    cv, test, train = order[:n_cv], order[n_cv:n_cv + n_test], order[n_cv + n_test:]
    return X[train], y[train], X[cv], y[cv], X[test], y[test]


def classification_error(y_hat, y) -> float:
    """The fraction of examples whose predicted label differs from the true one, a float in
    [0, 1]; ``y_hat`` and ``y`` are ``(m,)`` arrays of labels."""
    y_hat, y = np.asarray(y_hat).ravel(), np.asarray(y).ravel()
    if y_hat.shape != y.shape:
        raise ValueError(f"classification_error: y_hat has {y_hat.size} labels but y has {y.size}.")
    return float(np.mean(y_hat != y))


def diagnose(j_train: float, j_cv: float, baseline: float, tolerance: float) -> str:
    """One of :data:`VERDICTS`: high bias when ``j_train − baseline > tolerance``, high variance
    when ``j_cv − j_train > tolerance``, both, or a good fit when neither."""
    bias = j_train - baseline > tolerance
    variance = j_cv - j_train > tolerance
    if bias and variance:
        return "high bias and high variance"
    if bias:
        return "high bias"
    if variance:
        return "high variance"
    return "good fit"


def fit_ridge(X, y, lam: float):
    """``(w, b)`` minimising ``(1/2m) Σ (x·w + b − y)² + (λ/2m) ‖w‖²`` (closed form; ``b`` free)."""
    X = as_float_array(X, "X", "fit_ridge", ndim=2)
    y = as_float_array(y, "y", "fit_ridge", ndim=1)
    n = X.shape[1]
    A = np.hstack([X, np.ones((X.shape[0], 1))])
    penalty = lam * np.eye(n + 1)
    penalty[n, n] = 0.0  # the bias is not regularised
    theta = np.linalg.solve(A.T @ A + penalty, A.T @ y)
    return theta[:n], float(theta[n])


def squared_error_cost(X, y, w, b) -> float:
    """``(1/2m) Σ (x·w + b − y)²``."""
    residual = np.asarray(X, dtype=float) @ w + b - np.asarray(y, dtype=float)
    return float(residual @ residual / (2 * residual.size))


def choose_lambda(lambdas, X_train, y_train, X_cv, y_cv):
    """``(best_lambda, j_cv)``: for each λ of ``lambdas`` fit L2-regularised linear regression on
    the training set (:func:`fit_ridge`) and measure the plain squared-error cost on the
    cross-validation set; ``j_cv`` lists those costs in the order of ``lambdas`` and
    ``best_lambda`` is the λ with the lowest one (the first, on a tie)."""
    j_cv = [squared_error_cost(X_cv, y_cv, *fit_ridge(X_train, y_train, lam)) for lam in lambdas]
    return float(lambdas[int(np.argmin(j_cv))]), j_cv
