"""Explicit seeding: notebooks call :func:`set_seed` once; importing does nothing."""

from __future__ import annotations

import random

import numpy as np


def set_seed(seed: int = 1234) -> np.random.Generator:
    """Seed Python, NumPy and (if already imported or importable) Keras/TensorFlow.

    Returns a fresh ``np.random.Generator`` seeded with ``seed`` for the notebook's own draws.
    """
    random.seed(seed)
    np.random.seed(seed)
    try:
        import keras
    except ImportError:  # pragma: no cover - keras is a dependency, but seeding must not need it
        pass
    else:
        keras.utils.set_random_seed(seed)
    return np.random.default_rng(seed)
