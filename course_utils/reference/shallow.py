"""Reference solutions of week 3, assignment 2: a network with one hidden ``tanh`` layer, by hand.

Row convention: ``X`` is ``(m, n_x)``; parameters ``W1: (n_x, n_h)``, ``b1: (n_h,)``,
``W2: (n_h, n_y)``, ``b2: (n_y,)``; forward ``Z1 = X @ W1 + b1``, ``A1 = tanh(Z1)``,
``Z2 = A1 @ W2 + b2``, ``A2 = σ(Z2)`` of shape ``(m, n_y)``. Backward (week 3, lesson 5):
``dZ2 = A2 − Y``, ``dW2 = A1ᵀ dZ2 / m``, ``db2 = Σ_rows dZ2 / m``, ``dZ1 = dZ2 W2ᵀ ⊙ (1 − A1²)``,
``dW1 = Xᵀ dZ1 / m``, ``db1 = Σ_rows dZ1 / m``.

:func:`compute_cost` and :func:`update_parameters` keep their names and meanings in week 4 (any
number of layers: a gradient is named ``"d" + key`` of its parameter).
"""

from __future__ import annotations

import numpy as np

from course_utils._validation import as_float_array
from course_utils.reference.inference import sigmoid

#: Scale of the initial weights: small, so tanh starts in its steep, nearly linear part.
INIT_SCALE = 0.01


def initialize_parameters(n_x: int, n_h: int, n_y: int, seed: int = 2) -> dict:
    """``{"W1": (n_x, n_h), "b1": (n_h,), "W2": (n_h, n_y), "b2": (n_y,)}``: weights
    ``0.01 × standard normal`` from ``np.random.default_rng(seed)``, biases zeros."""
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.standard_normal((n_x, n_h)) * INIT_SCALE,
        "b1": np.zeros(n_h),
        "W2": rng.standard_normal((n_h, n_y)) * INIT_SCALE,
        "b2": np.zeros(n_y),
    }


def forward_propagation(X, parameters: dict):
    """``(A2, cache)``: ``A2: (m, n_y)`` the output probabilities and
    ``cache = {"Z1", "A1": (m, n_h), "Z2", "A2": (m, n_y)}`` for the backward pass."""
    X = as_float_array(X, "X", "forward_propagation", ndim=2)
    Z1 = X @ parameters["W1"] + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = A1 @ parameters["W2"] + parameters["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def _labels_like(y, A: np.ndarray) -> np.ndarray:
    """``y`` ((m,) or (m, n_y)) reshaped to the output's shape ``(m, n_y)``."""
    y = np.asarray(y, dtype=float)
    if y.size != A.size:
        raise ValueError(f"y has {y.size} value(s) but the output has shape {A.shape}; "
                         "pass one label per example (and per output unit).")
    return y.reshape(A.shape)


def compute_cost(A2, y) -> float:
    """Mean cross-entropy over the m examples (summed over output units), a float.

    ``A2: (m, n_y)`` probabilities in (0, 1); ``y: (m,)`` or ``(m, n_y)`` labels 0/1.
    """
    A2 = as_float_array(A2, "A2", "compute_cost", ndim=(1, 2))
    Y = _labels_like(y, A2)
    m = A2.shape[0]
    return float(-np.sum(Y * np.log(A2) + (1.0 - Y) * np.log(1.0 - A2)) / m)


def backward_propagation(parameters: dict, cache: dict, X, y) -> dict:
    """Gradients of :func:`compute_cost` with respect to each parameter, as
    ``{"dW1": (n_x, n_h), "db1": (n_h,), "dW2": (n_h, n_y), "db2": (n_y,)}``."""
    X = as_float_array(X, "X", "backward_propagation", ndim=2)
    m = X.shape[0]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - _labels_like(y, A2)
    dZ1 = (dZ2 @ parameters["W2"].T) * (1.0 - A1**2)  # tanh'(Z1) = 1 − tanh(Z1)²
    return {
        "dW1": X.T @ dZ1 / m,
        "db1": dZ1.sum(axis=0) / m,
        "dW2": A1.T @ dZ2 / m,
        "db2": dZ2.sum(axis=0) / m,
    }


def update_parameters(parameters: dict, grads: dict, learning_rate: float) -> dict:
    """One gradient-descent step: a new dict with ``p − α · grads["d" + name]`` for each
    parameter ``name`` (any number of layers). The inputs are not changed."""
    return {name: np.asarray(value, dtype=float) - learning_rate * np.asarray(grads["d" + name])
            for name, value in parameters.items()}


def nn_model(X, y, n_h: int, num_iterations: int = 10000, learning_rate: float = 1.2,
             seed: int = 3) -> dict:
    """Train the one-hidden-layer network (``n_h`` tanh units, one sigmoid output) by batch
    gradient descent from :func:`initialize_parameters` with ``seed``; returns the parameters."""
    X = as_float_array(X, "X", "nn_model", ndim=2)
    parameters = initialize_parameters(X.shape[1], n_h, 1, seed)
    for _ in range(int(num_iterations)):
        _, cache = forward_propagation(X, parameters)
        grads = backward_propagation(parameters, cache, X, y)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters


def predict_nn(parameters: dict, X):
    """Predicted labels ``(m,)`` of 0/1 (as floats): 1 where the output probability is > 0.5."""
    A2, _ = forward_propagation(X, parameters)
    return (A2[:, 0] > 0.5).astype(float)
