"""Explicit seeding: notebooks call :func:`set_seed` once, after their imports; importing does nothing."""

from __future__ import annotations

import random
import sys

import numpy as np


def set_seed(seed: int = 1234) -> np.random.Generator:
    """Seed Python's and NumPy's global generators, and Keras/TensorFlow if the notebook uses them.

    Keras is seeded only when it (or TensorFlow) is already imported: a NumPy-only lesson should not
    pay TensorFlow's several-second import just to be reproducible. Call this after the imports.
    Returns a fresh ``np.random.Generator`` seeded with ``seed`` for the notebook's own draws.
    """
    random.seed(seed)
    np.random.seed(seed)
    if "keras" in sys.modules or "tensorflow" in sys.modules:
        import keras

        keras.utils.set_random_seed(seed)
    return np.random.default_rng(seed)
