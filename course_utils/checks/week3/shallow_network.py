"""Instant check for ``notebooks/week3/05_shallow_network.ipynb`` (a shallow network): ``tanh_prime``, tanh's derivative
written from tanh's OUTPUT ``A = tanh(Z)``, which backpropagation has at hand: ``1 - A**2``.

``check_tanh_prime(tanh_prime)`` prints one verdict and returns ``True``/``False``. Expected values
only: the outputs that typical mistakes give on the cases are precomputed numbers; the messages
that name those mistakes are in :data:`course_utils.checks.core.verdict.MISTAKES`.
"""

from __future__ import annotations

import numpy as np

from course_utils.checks.core.verdict import CheckCase, run_check

A_SMALL = np.array([0.0, 0.5, -0.5])
A_BATCH = np.array([[0.9, -0.1], [0.0, 0.99], [-0.6, 0.3]])
# tanh([-2, 0, 2]), rounded to 12 digits: what a hidden layer outputs for those inputs
A_FROM_TANH = np.array([-0.964027580076, 0.0, 0.964027580076])

CASES = [
    CheckCase(
        "three activations", "A = [0, 0.5, -0.5]", (A_SMALL,), [1.0, 0.75, 0.75],
        {"tanh_applied_again": [1.0, 0.786447732966, 0.786447732966],
         "no_square": [1.0, 0.5, 1.5], "sigmoid_rule": [0.0, 0.25, -0.75],
         "wrong_sign": [-1.0, -0.75, -0.75], "plus_instead_of_minus": [1.0, 1.25, 1.25],
         "square_only": [0.0, 0.25, 0.25]},
    ),
    CheckCase(
        "a batch: 3 examples (rows) × 2 hidden units (columns)",
        "A = [[0.9, -0.1], [0, 0.99], [-0.6, 0.3]] (shape (3, 2))", (A_BATCH,),
        [[0.19, 0.99], [1.0, 0.0199], [0.64, 0.91]],
        {"tanh_applied_again": [[0.486917361148, 0.990066290847], [1.0, 0.426402309857],
                                [0.711577762587, 0.915136961827]],
         "no_square": [[0.1, 1.1], [1.0, 0.01], [1.6, 0.7]],
         "sigmoid_rule": [[0.09, -0.11], [0.0, 0.0099], [-0.96, 0.21]],
         "wrong_sign": [[-0.19, -0.99], [-1.0, -0.0199], [-0.64, -0.91]],
         "plus_instead_of_minus": [[1.81, 1.01], [1.0, 1.9801], [1.36, 1.09]],
         "square_only": [[0.81, 0.01], [0.0, 0.9801], [0.36, 0.09]]},
    ),
    CheckCase(
        "outputs of tanh at z = -2, 0, 2", "A = tanh([-2, 0, 2]) = [-0.964027580076, 0, "
        "0.964027580076]", (A_FROM_TANH,), [0.070650824853, 1.0, 0.070650824853],
        {"tanh_applied_again": [0.443382541695, 1.0, 0.443382541695],
         "no_square": [1.964027580076, 1.0, 0.035972419924],
         "sigmoid_rule": [-1.893376755223, 0.0, 0.034678404929],
         "wrong_sign": [-0.070650824853, -1.0, -0.070650824853],
         "plus_instead_of_minus": [1.929349175147, 1.0, 1.929349175147],
         "square_only": [0.929349175147, 0.0, 0.929349175147]},
        rtol=1e-9,
    ),
]


def check_tanh_prime(tanh_prime) -> bool:
    """Check ``tanh_prime(A)``: ``A`` is tanh's output, any shape (``(m, n_h)`` for a hidden layer);
    the result is tanh's derivative at those points, the same shape. ``notebooks/week3/05_shallow_network.ipynb``."""
    return run_check("tanh_prime", tanh_prime, CASES)
