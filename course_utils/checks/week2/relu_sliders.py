"""Instant check for ``notebooks/week2/02_relu_sliders.ipynb``'s "your turn" cell:
``check_relu_sum(relu_sum)``: a sum of ReLU units over a batch of points.

Expected values only, run by :func:`course_utils.checks.core.exercise.run_exercise`.
"""

from __future__ import annotations

import numpy as np

from course_utils.checks.core.exercise import Case, Exercise, run_exercise

RELU_SUM_MISTAKES = {
    "linear": "the units are added without max(0, ·): apply ReLU to each unit, "
              "np.maximum(0, w·x + b), before adding the units up.",
    "no_bias": "the biases are left out: each unit computes max(0, w_j x + b_j).",
    "absolute": "|w·x + b| is not ReLU: a unit outputs 0 (not −z) when w·x + b < 0.",
}

RELU_SUM = Exercise(
    "relu_sum",
    [Case("four points, three units", "x = [-1, 0, 0.5, 2], w = [-2, 1, 3], b = [2, -0.5, -3]",
          (np.array([-1.0, 0.0, 0.5, 2.0]), np.array([-2.0, 1.0, 3.0]), np.array([2.0, -0.5, -3.0])),
          (4.0, 2.0, 1.0, 4.5),
          {"linear": (-3.5, -1.5, -0.5, 2.5), "no_bias": (2.0, 0.0, 2.0, 8.0),
           "absolute": (11.5, 5.5, 2.5, 6.5)},
          "unit j at x gives max(0, w_j x + b_j); e.g. x = -1: 4 + 0 + 0 = 4"),
     Case("three points, two units", "x = [0, 1, 3], w = [1, -1], b = [0, 2]",
          (np.array([0.0, 1.0, 3.0]), np.array([1.0, -1.0]), np.array([0.0, 2.0])),
          (2.0, 2.0, 3.0),
          {"linear": (2.0, 2.0, 2.0), "no_bias": (0.0, 1.0, 3.0), "absolute": (2.0, 2.0, 4.0)},
          "x = 3: max(0, 3) + max(0, -1) = 3"),
     Case("one point, four units", "x = [1.5], w = [2, -1, 0.5, 1], b = [-1, 1, 0.25, -2]",
          (np.array([1.5]), np.array([2.0, -1.0, 0.5, 1.0]), np.array([-1.0, 1.0, 0.25, -2.0])),
          (3.0,),
          {"linear": (2.0,), "no_bias": (5.25,), "absolute": (4.0,)},
          "2 + 0 + 1 + 0 = 3")],
    RELU_SUM_MISTAKES,
    "return one value per example, an array of shape (m,): add each row of the (m, units) "
    "array up (axis=1), not each column.",
)


def check_relu_sum(relu_sum) -> bool:
    """Check ``relu_sum(x, w, b) -> (m,)``: for each example ``x[i]``, the sum over the units of
    ``max(0, w[j]·x[i] + b[j])``; ``x`` is ``(m,)``, ``w`` and ``b`` are ``(units,)``. ``notebooks/week2/02_relu_sliders.ipynb``. Prints a verdict; returns whether every case passed."""
    return run_exercise(RELU_SUM, relu_sum)
