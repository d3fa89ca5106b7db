"""The activations a case may pass to a graded function, by name: the grader sends the name, and
the sandbox (its own copy of each function's code, marshalled) and the in-process runner each
resolve it to a function of their own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

#: Activations that may appear in case inputs, by name. ``triple`` (g(z) = 3z) is not an activation
#: anyone would use: it reveals ordering mistakes (g applied before adding b, or not at all).
ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "linear": lambda z: np.asarray(z, dtype=float),
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float))),
    "relu": lambda z: np.maximum(0.0, z),
    "triple": lambda z: 3.0 * np.asarray(z, dtype=float),
    "square": lambda z: np.asarray(z, dtype=float) ** 2,
}


@dataclass(frozen=True)
class Act:
    """An activation passed to a graded function, by name (a key of :data:`ACTIVATIONS`)."""

    name: str

    def resolve(self) -> Callable[[np.ndarray], np.ndarray]:
        return ACTIVATIONS[self.name]
