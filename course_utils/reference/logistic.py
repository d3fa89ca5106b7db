"""Reference solutions of week 3, assignment 1: logistic regression as a tiny neural network.

Row convention: ``X`` is ``(m, n)`` (one example per row), ``w`` is ``(n,)``, ``b`` a float, labels
``y`` are ``(m,)`` of 0/1. The model is ``a = σ(X @ w + b)``; the cost is the mean cross-entropy
``J = −mean(y log a + (1 − y) log(1 − a))``; its gradients are ``dw = Xᵀ (a − y) / m`` and
``db = mean(a − y)`` (week 3, lesson 3 derives them).
"""

from __future__ import annotations

import numpy as np

from course_utils._validation import as_float_array
from course_utils.reference.inference import sigmoid

#: Iterations between two recorded costs in :func:`optimize` (iteration 0 is recorded).
COST_EVERY = 100


def initialize_zeros(n: int):
    """``(w, b)``: ``w`` zeros of shape ``(n,)`` (floats) and ``b`` the float ``0.0``."""
    return np.zeros(int(n)), 0.0


def _check_data(w, X, y, func: str):
    X = as_float_array(X, "X", func, ndim=2)
    w = as_float_array(w, "w", func, ndim=1)
    if w.shape[0] != X.shape[1]:
        raise ValueError(f"{func}: w has shape {w.shape} but X has {X.shape[1]} feature(s) per row; "
                         f"w needs one weight per feature, shape ({X.shape[1]},).")
    if y is None:
        return w, X, None
    y = as_float_array(y, "y", func, ndim=1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"{func}: y has {y.shape[0]} label(s) but X has {X.shape[0]} row(s).")
    return w, X, y


def propagate(w, b, X, y):
    """Cost and gradients of logistic regression at ``(w, b)``, vectorised over the examples.

    ``w: (n,)``, ``b`` a float, ``X: (m, n)``, ``y: (m,)`` of 0/1. Returns ``(grads, cost)`` with
    ``grads = {"dw": (n,) array, "db": float}`` and ``cost`` a float (mean cross-entropy).
    """
    w, X, y = _check_data(w, X, y, "propagate")
    m = X.shape[0]
    z = X @ w + float(b)
    a = sigmoid(z)
    # −y log σ(z) − (1 − y) log(1 − σ(z)) = log(1 + e^z) − y z, exact for any z (no log of 0).
    cost = float(np.mean(np.logaddexp(0.0, z) - y * z))
    dz = a - y
    return {"dw": X.T @ dz / m, "db": float(np.sum(dz) / m)}, cost


def optimize(w, b, X, y, num_iterations: int, learning_rate: float, print_cost: bool = False):
    """Gradient descent from ``(w, b)``: ``num_iterations`` steps ``w -= α dw``, ``b -= α db``.

    Returns ``(params, grads, costs)``: ``params = {"w": (n,), "b": float}`` after the last step,
    ``grads`` the last gradients computed (at the parameters before the last step) and ``costs``
    the cost at iterations 0, 100, 200, … (before that iteration's step), as a list of floats.
    """
    w = np.array(w, dtype=float)
    b = float(b)
    costs: list[float] = []
    grads = {"dw": np.zeros_like(w), "db": 0.0}
    for i in range(int(num_iterations)):
        grads, cost = propagate(w, b, X, y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % COST_EVERY == 0:
            costs.append(cost)
            if print_cost:
                print(f"cost after iteration {i}: {cost:.6f}")
    return {"w": w, "b": b}, grads, costs


def predict(w, b, X):
    """Predicted labels ``(m,)`` of 0/1 (as floats): 1 where ``σ(X @ w + b) > 0.5``."""
    w, X, _ = _check_data(w, X, None, "predict")
    return (sigmoid(X @ w + float(b)) > 0.5).astype(float)


def model(X_train, y_train, X_test, y_test, num_iterations: int = 2000,
          learning_rate: float = 0.5, print_cost: bool = False) -> dict:
    """Train logistic regression from zeros and measure it.

    Returns ``{"costs": list of floats (every 100 iterations), "w": (n,), "b": float,
    "train_accuracy": float in [0, 1], "test_accuracy": float in [0, 1]}``.
    """
    w, b = initialize_zeros(np.shape(X_train)[1])
    params, _, costs = optimize(w, b, X_train, y_train, num_iterations, learning_rate, print_cost)
    w, b = params["w"], params["b"]
    return {
        "costs": costs,
        "w": w,
        "b": b,
        "train_accuracy": float(np.mean(predict(w, b, X_train) == np.asarray(y_train))),
        "test_accuracy": float(np.mean(predict(w, b, X_test) == np.asarray(y_test))),
    }
