"""Reference solutions of weeks 1–2 (inference: activations, layers, forward passes, softmax).

Row convention throughout (syllabus, "Conventions"): one example ``x: (n,)``, a batch
``X: (m, n)``, a layer ``W: (n_in, units)`` and ``b: (units,)``.

Lessons: activations and ``dense``/``sequential`` — week 1, lessons 3–4 and 6; ``dense_v`` and
``forward_v`` — week 1, lessons 5–6; ``softmax`` — week 2, lessons 4 and 9.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from course_utils._validation import as_float_array, check_inputs_match, check_layer

Activation = Callable[[np.ndarray], np.ndarray]
Layer = tuple[np.ndarray, np.ndarray, Activation]

__all__ = ["sigmoid", "relu", "linear", "softmax", "dense", "sequential", "dense_v", "forward_v"]


def sigmoid(z):
    """Logistic function ``1 / (1 + exp(-z))``, element-wise, any shape; no overflow warnings.

    Week 1, lesson 1 (a neuron with a sigmoid is logistic regression).
    """
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    # exp of a large positive number overflows: use exp(-|z|) on both branches.
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out[()] if out.ndim == 0 else out


def relu(z):
    """Rectified linear unit ``max(0, z)``, element-wise. Week 2, lesson 2."""
    out = np.maximum(0.0, np.asarray(z, dtype=float))
    return out[()] if out.ndim == 0 else out


def linear(z):
    """Identity activation ``g(z) = z`` (a float copy). Week 1, lesson 1."""
    out = np.array(z, dtype=float)
    return out[()] if out.ndim == 0 else out


def softmax(z):
    """Numerically stable softmax. Week 2, lesson 4.

    ``z: (n,)`` gives ``(n,)``; ``z: (m, n)`` is taken row by row (one example per row) and gives
    ``(m, n)`` with every row summing to 1. Subtracting the row maximum leaves the result unchanged
    and keeps ``exp`` from overflowing for large logits.
    """
    z = as_float_array(z, "z", "softmax", ndim=(1, 2))
    if z.shape[-1] == 0:
        raise ValueError(f"softmax: z has shape {z.shape}; it needs at least one logit per row.")
    if np.isnan(z).any():
        raise ValueError("softmax: z contains NaN; check the computation that produced the logits.")
    shifted = z - z.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)


def dense(a_in, W, b, g: Activation):
    """One layer's output for one example. Week 1, lessons 3–4.

    ``a_in: (n_in,)``, ``W: (n_in, units)``, ``b: (units,)``, ``g`` an element-wise activation.
    Returns ``a_out: (units,)`` with ``a_out[j] = g(W[:, j] · a_in + b[j])``.
    """
    a_in = as_float_array(a_in, "a_in", "dense", ndim=1)
    W = as_float_array(W, "W", "dense", ndim=2)
    b = check_layer(W, as_float_array(b, "b", "dense", ndim=(1, 2)), "dense")
    check_inputs_match(a_in.shape, W.shape, "a_in", "dense")
    return np.asarray(g(a_in @ W + b), dtype=float).reshape(W.shape[1])


def _check_layers(layers, func: str) -> list[Layer]:
    layers = list(layers)
    if not layers:
        raise ValueError(f"{func}: layers is empty; pass a sequence of (W, b, g) tuples.")
    for i, layer in enumerate(layers):
        if not isinstance(layer, tuple | list) or len(layer) != 3 or not callable(layer[2]):
            raise ValueError(
                f"{func}: layers[{i}] must be a (W, b, g) tuple with g callable, "
                f"got {type(layer).__name__}."
            )
    return layers


def sequential(x, layers: Sequence[Layer]):
    """Forward pass of one example through ``layers``. Week 1, lessons 3–4.

    ``x: (n,)``; ``layers`` is a sequence of ``(W, b, g)`` with ``W: (n_in, units)``; each layer's
    output is the next one's input. Returns the last layer's activation, ``(units_last,)``.
    """
    a = as_float_array(x, "x", "sequential", ndim=1)
    for i, (W, b, g) in enumerate(_check_layers(layers, "sequential")):
        try:
            a = dense(a, W, b, g)
        except ValueError as exc:
            raise ValueError(f"sequential: layer {i}: {exc}") from None
    return a


def dense_v(A_in, W, b, g: Activation):
    """Vectorised layer over a batch. Week 1, lessons 5–6.

    ``A_in: (m, n_in)``, ``W: (n_in, units)``, ``b: (units,)`` or ``(1, units)``.
    Returns ``g(A_in @ W + b)``, shape ``(m, units)``.
    """
    A_in = as_float_array(A_in, "A_in", "dense_v", ndim=2)
    W = as_float_array(W, "W", "dense_v", ndim=2)
    b = check_layer(W, as_float_array(b, "b", "dense_v", ndim=(1, 2)), "dense_v")
    check_inputs_match(A_in.shape, W.shape, "A_in", "dense_v")
    Z = np.matmul(A_in, W) + b
    return np.asarray(g(Z), dtype=float).reshape(A_in.shape[0], W.shape[1])


def forward_v(X, layers: Sequence[Layer]):
    """Vectorised forward pass of a batch ``X: (m, n)`` through ``layers``. Week 1, lessons 5–6.

    Returns the last layer's activations, shape ``(m, units_last)``.
    """
    A = as_float_array(X, "X", "forward_v", ndim=2)
    for i, (W, b, g) in enumerate(_check_layers(layers, "forward_v")):
        try:
            A = dense_v(A, W, b, g)
        except ValueError as exc:
            raise ValueError(f"forward_v: layer {i}: {exc}") from None
    return A
