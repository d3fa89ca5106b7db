"""Helpers that draw hidden-case inputs from a seeded generator (shared by weeks 3 and 4)."""

from __future__ import annotations

import numpy as np


def both_labels(rng: np.random.Generator, m: int) -> np.ndarray:
    """``m`` random 0/1 labels with both classes present, whatever the draw (``m`` ≥ 2); week 3."""
    y = rng.integers(0, 2, m).astype(float)
    y[0], y[-1] = 1.0, 0.0  # both classes, whatever the draw (m ≥ 2)
    return y if m > 1 else np.array([1.0])


def first_label_one(rng: np.random.Generator, m: int) -> np.ndarray:
    """``m`` random 0/1 labels, the first of them 1; week 4."""
    y = rng.integers(0, 2, m).astype(float)
    y[0] = 1.0
    return y


def rounded(rng: np.random.Generator, *shape: int, scale: float = 1.0) -> np.ndarray:
    """Normal draws of ``shape`` (standard deviation ``scale``), rounded to two decimals."""
    # Two decimals keep the hidden inputs readable in a grader's report.
    return np.round(rng.normal(0.0, scale, size=shape), 2)
