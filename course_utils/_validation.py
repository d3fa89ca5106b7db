"""Input validation with messages that name the problem and the fix (scikit-learn style).

Used by :mod:`course_utils.reference`; every message names the function, the argument, the shape
it got and the shape it needs.
"""

from __future__ import annotations

import numpy as np


def as_float_array(value, name: str, func: str, ndim: int | tuple[int, ...]) -> np.ndarray:
    """Return ``value`` as a float ndarray with one of the allowed ranks, or raise ``ValueError``.

    Tensors (TensorFlow, JAX, ...) are converted through ``np.asarray`` so that learners who pass
    one get a NumPy result back.
    """
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{func}: {name} must be an array of numbers, got {type(value).__name__} ({exc})."
        ) from None
    if arr.ndim not in allowed:
        want = " or ".join(f"{d}-D" for d in allowed)
        raise ValueError(
            f"{func}: {name} must be {want}, got shape {arr.shape} ({arr.ndim}-D). "
            + _rank_hint(name, arr.ndim, allowed)
        )
    return arr


def _rank_hint(name: str, got: int, allowed: tuple[int, ...]) -> str:
    if got == 2 and 1 in allowed:
        return f"For one example pass a 1-D vector, e.g. {name}[0] or {name}.ravel()."
    if got == 1 and 2 in allowed:
        return f"For a batch pass a 2-D (m, n) array, e.g. {name}.reshape(1, -1) for one example."
    return "Check how the array was built."


def check_layer(W: np.ndarray, b: np.ndarray, func: str) -> np.ndarray:
    """Validate a layer's ``W: (n_in, units)`` and ``b: (units,)`` (``(1, units)`` is accepted).

    Returns ``b`` as a 1-D ``(units,)`` array.
    """
    units = W.shape[1]
    if b.ndim == 2:
        if b.shape[0] != 1:
            raise ValueError(
                f"{func}: b has shape {b.shape} but W has shape {W.shape}; b needs one value per "
                f"unit, shape ({units},) (or (1, {units}))."
            )
        b = b[0]
    if b.shape != (units,):
        raise ValueError(
            f"{func}: b has shape {b.shape} but W has shape {W.shape}; W has {units} unit(s) "
            f"(columns), so b must have shape ({units},)."
        )
    return b


def check_inputs_match(a_shape: tuple, W_shape: tuple, a_name: str, func: str) -> None:
    """Raise when the input's feature count differs from ``W``'s row count ``n_in``."""
    n_features = a_shape[-1]
    if n_features != W_shape[0]:
        want = f"({W_shape[0]},)" if len(a_shape) == 1 else f"(m, {W_shape[0]})"
        raise ValueError(
            f"{func}: {a_name} has shape {a_shape} but W has shape {W_shape}; W needs one row per "
            f"input feature, so {a_name} should have shape {want} — or W is transposed "
            f"(the course uses W: (n_in, units))."
        )
