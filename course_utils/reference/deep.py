"""Reference solutions of week 4: an L-layer network from its building blocks, by hand.

Row convention: ``A[l]`` is ``(m, n[l])`` (one example per row, ``A[0] = X``), ``W[l]`` is
``(n[l-1], n[l])``, ``b[l]`` is ``(n[l],)``; a layer computes ``Z[l] = A[l-1] @ W[l] + b[l]`` and
``A[l] = g(Z[l])`` (ReLU in the hidden layers, sigmoid at the output). Backward, per layer:
``dZ = dA ⊙ g'(Z)``, ``dW = A_prevᵀ dZ / m``, ``db = Σ_rows dZ / m``, ``dA_prev = dZ Wᵀ``.

Caches, as the week's notebook defines them: ``linear_forward`` keeps ``(A_prev, W, b)``;
``linear_activation_forward`` keeps ``(linear_cache, Z)``; ``model_forward`` returns the list of
the L layers' caches, first layer first. Gradients are named ``"d" + key`` of their parameter
(``dW1``, ``db1``, …), so :func:`course_utils.reference.shallow.update_parameters` applies.
``dA{l}`` (``dA0`` … ``dA{L-1}``) is the derivative of the *per-example* loss with respect to
``A[l]``, i.e. ``m · ∂J/∂A[l]``: as in the notes, the ``1/m`` of the mean cost enters only in
``dW`` and ``db``.

ReLU's derivative is taken as 0 at ``z = 0`` (the notebook says so; any value in [0, 1] is a
valid subgradient, the course fixes one so answers can be compared).
"""

from __future__ import annotations

import numpy as np

from course_utils._validation import as_float_array
from course_utils.reference.inference import sigmoid
from course_utils.reference.shallow import compute_cost, update_parameters

#: Iterations between two recorded costs in :func:`model_fit` (iteration 0 is recorded).
COST_EVERY = 100
ACTIVATIONS = ("relu", "sigmoid")


def initialize_parameters_deep(layer_dims, seed: int = 1) -> dict:
    """``{"W1": (n0, n1), "b1": (n1,), …, "WL", "bL"}`` for ``layer_dims = [n0, n1, …, nL]``:
    He initialisation (standard normal × √(2 / n[l-1]), from ``np.random.default_rng(seed)``),
    biases zero."""
    dims = [int(n) for n in layer_dims]
    if len(dims) < 2:
        raise ValueError(f"initialize_parameters_deep: layer_dims {dims} needs at least the input "
                         "size and one layer's size.")
    rng = np.random.default_rng(seed)
    parameters = {}
    for layer in range(1, len(dims)):
        n_prev, n = dims[layer - 1], dims[layer]
        parameters[f"W{layer}"] = rng.standard_normal((n_prev, n)) * np.sqrt(2.0 / n_prev)
        parameters[f"b{layer}"] = np.zeros(n)
    return parameters


def linear_forward(A_prev, W, b):
    """``(Z, cache)``: ``Z = A_prev @ W + b`` of shape ``(m, n[l])`` and ``cache = (A_prev, W, b)``."""
    A_prev = as_float_array(A_prev, "A_prev", "linear_forward", ndim=2)
    W = as_float_array(W, "W", "linear_forward", ndim=2)
    b = as_float_array(b, "b", "linear_forward", ndim=1)
    return A_prev @ W + b, (A_prev, W, b)


def _check_activation(activation: str, func: str) -> None:
    if activation not in ACTIVATIONS:
        raise ValueError(f"{func}: activation must be one of {ACTIVATIONS}, got {activation!r}.")


def linear_activation_forward(A_prev, W, b, activation: str):
    """``(A, cache)``: ``A = g(A_prev @ W + b)`` with ``g`` named by ``activation`` (``"relu"``
    or ``"sigmoid"``) and ``cache = (linear_cache, Z)``."""
    _check_activation(activation, "linear_activation_forward")
    Z, linear_cache = linear_forward(A_prev, W, b)
    A = np.maximum(0.0, Z) if activation == "relu" else sigmoid(Z)
    return A, (linear_cache, Z)


def model_forward(X, parameters: dict):
    """``(AL, caches)``: ReLU for layers 1 … L−1, sigmoid for layer L; ``AL`` is ``(m, nL)`` and
    ``caches`` the list of the L caches of :func:`linear_activation_forward`."""
    A = as_float_array(X, "X", "model_forward", ndim=2)
    layers = len(parameters) // 2
    caches = []
    for layer in range(1, layers + 1):
        activation = "sigmoid" if layer == layers else "relu"
        A, cache = linear_activation_forward(A, parameters[f"W{layer}"], parameters[f"b{layer}"],
                                             activation)
        caches.append(cache)
    return A, caches


def linear_backward(dZ, cache):
    """``(dA_prev, dW, db)`` of one layer's linear part from ``dZ: (m, n[l])`` and its cache
    ``(A_prev, W, b)``: ``dA_prev = dZ Wᵀ``, ``dW = A_prevᵀ dZ / m``, ``db = Σ_rows dZ / m``."""
    A_prev, W, _ = cache
    m = A_prev.shape[0]
    return dZ @ W.T, A_prev.T @ dZ / m, dZ.sum(axis=0) / m


def linear_activation_backward(dA, cache, activation: str):
    """``(dA_prev, dW, db)`` of one layer from ``dA``, its cache ``(linear_cache, Z)`` and its
    activation: ``dZ = dA ⊙ g'(Z)`` (ReLU: 1 where ``Z > 0``, else 0; sigmoid: σ(Z)(1 − σ(Z)))."""
    _check_activation(activation, "linear_activation_backward")
    linear_cache, Z = cache
    if activation == "relu":
        dZ = dA * (Z > 0)
    else:
        s = sigmoid(Z)
        dZ = dA * s * (1.0 - s)
    return linear_backward(dZ, linear_cache)


def model_backward(AL, y, caches) -> dict:
    """Gradients for the whole network: ``{"dA{l-1}", "dW{l}", "db{l}" for l = L … 1}``;
    ``dW``/``db`` are those of :func:`compute_cost`, ``dA{l}`` is m times it (see the module)."""
    AL = np.asarray(AL, dtype=float)
    Y = np.asarray(y, dtype=float).reshape(AL.shape)
    layers = len(caches)
    grads = {}
    # dJ/dAL for the mean cross-entropy is (−y/a + (1 − y)/(1 − a)) / m per entry; the 1/m is
    # applied in linear_backward, so here the per-example derivative.
    dA = -(Y / AL) + (1.0 - Y) / (1.0 - AL)
    for layer in range(layers, 0, -1):
        activation = "sigmoid" if layer == layers else "relu"
        dA, grads[f"dW{layer}"], grads[f"db{layer}"] = linear_activation_backward(
            dA, caches[layer - 1], activation)
        grads[f"dA{layer - 1}"] = dA
    return grads


def model_fit(X, y, layer_dims, learning_rate: float = 0.0075, num_iterations: int = 3000,
              seed: int = 1):
    """Train the L-layer network by batch gradient descent from
    :func:`initialize_parameters_deep` with ``seed``; returns ``(parameters, costs)`` with the
    cost at iterations 0, 100, 200, … (before that iteration's step)."""
    parameters = initialize_parameters_deep(layer_dims, seed)
    costs = []
    for i in range(int(num_iterations)):
        AL, caches = model_forward(X, parameters)
        if i % COST_EVERY == 0:
            costs.append(compute_cost(AL, y))
        parameters = update_parameters(parameters, model_backward(AL, y, caches), learning_rate)
    return parameters, costs


def predict_deep(parameters: dict, X):
    """Predicted labels ``(m,)`` of 0/1 (as floats): 1 where the output probability is > 0.5."""
    AL, _ = model_forward(X, parameters)
    return (AL[:, 0] > 0.5).astype(float)
