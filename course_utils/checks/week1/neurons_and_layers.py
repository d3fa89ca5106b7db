"""Instant check for ``notebooks/week1/01_neurons_and_layers.ipynb``'s "your turn" cell:
``check_neuron(my_neuron)``, one sigmoid neuron on one example, ``g(w · x + b)``, the number a
``Dense(1, activation="sigmoid")`` layer computes for that example.

Prints one verdict and returns ``True``/``False``. Expected values only: every case stores its
answer and what the typical mistakes give on it (numbers worked out once, by hand or with a
calculator), so that a wrong answer is named, never compared with reference code.
"""

from __future__ import annotations

import numpy as np

from course_utils.checks.core.numbers import Case, check_numbers

#: What each typical mistake means, keyed as in the cases' ``mistakes``.
MISTAKES = {
    "no_sigmoid": (
        "the sigmoid is not applied: this is z = w · x + b itself. The neuron returns g(z) = "
        "1 / (1 + e^(-z)), a probability between 0 and 1."
    ),
    "exp_sign": (
        "the sign in the exponent is flipped: 1 / (1 + e^(+z)) is g(-z), the probability of y = 0. "
        "The sigmoid is 1 / (1 + np.exp(-z))."
    ),
    "no_bias": "the bias b is left out: z = w · x + b, then g(z).",
    "bias_after_sigmoid": (
        "b is added after the sigmoid, g(w · x) + b: the bias belongs inside, z = w · x + b, and "
        "only then g(z) (the output of a sigmoid neuron is always between 0 and 1)."
    ),
    "decision": (
        "the result is the 0/1 decision, not the probability: return g(z) itself; the threshold "
        "0.5 is applied afterwards, to turn a probability into a prediction."
    ),
}

NEURON_CASES = [
    Case("lab 1's first example", "x = [0], w = [2], b = -4.5",
         (np.array([0.0]), np.array([2.0]), -4.5), 0.01098694263059318,
         {"no_sigmoid": -4.5, "exp_sign": 0.9890130573694068, "no_bias": 0.5,
          "bias_after_sigmoid": -4.0, "decision": 0.0}),
    Case("right of the boundary", "x = [3], w = [2], b = -4.5",
         (np.array([3.0]), np.array([2.0]), -4.5), 0.8175744761936437,
         {"no_sigmoid": 1.5, "exp_sign": 0.18242552380635635, "no_bias": 0.9975273768433653,
          "bias_after_sigmoid": -3.5024726231566348, "decision": 1.0}),
    Case("two features", "x = [1, 2], w = [0.5, -1], b = 1",
         (np.array([1.0, 2.0]), np.array([0.5, -1.0]), 1.0), 0.3775406687981454,
         {"no_sigmoid": -0.5, "exp_sign": 0.6224593312018546, "no_bias": 0.18242552380635635,
          "bias_after_sigmoid": 1.1824255238063563, "decision": 0.0}),
    Case("three features", "x = [2, -1, 0.5], w = [1, 2, -2], b = 0.25",
         (np.array([2.0, -1.0, 0.5]), np.array([1.0, 2.0, -2.0]), 0.25), 0.320821300824607,
         {"no_sigmoid": -0.75, "exp_sign": 0.679178699175393, "no_bias": 0.2689414213699951,
          "bias_after_sigmoid": 0.5189414213699951, "decision": 0.0}),
]


def check_neuron(my_neuron) -> bool:
    """Check ``my_neuron(x, w, b) -> a``: one sigmoid neuron on one example, ``x: (n,)`` features,
    ``w: (n,)`` weights, ``b`` a number; ``a = 1 / (1 + exp(-(w · x + b)))``, one number in (0, 1).
    ``notebooks/week1/01_neurons_and_layers.ipynb``. Prints a verdict; returns whether every case passed."""
    return check_numbers("check_neuron", "my_neuron", my_neuron, NEURON_CASES, MISTAKES,
                         "one number, the probability g(w · x + b)",
                  "work it out by hand, z = w · x + b first, then 1 / (1 + e^(-z)).")
