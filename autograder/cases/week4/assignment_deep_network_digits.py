"""Grading cases of ``notebooks/week4/04_assignment_deep_network_digits.ipynb``: ``model_fit``,
judged by properties and tolerance bands, as week 3's training exercises.
"""

from __future__ import annotations

import numpy as np

from autograder.cases import Case, Exercise
from course_utils import reference as ref
from course_utils.checks.core.compare import Difference
from course_utils.checks.week4.assignment_deep_network_digits import (
    MOONS_SEED,
    trained_deep_network_problem,
)
from course_utils.data import digits_pair, load_planar_data

#: Training accuracy and final cost bands of ``model_fit`` against the reference's.
ACCURACY_BAND = 0.03
COST_BAND = 0.05


# --- training -----------------------------------------------------------------------------------
def judge_model_fit(case: Case, value) -> Difference | None:
    """``(parameters, costs)``: the shapes of ``layer_dims``, one cost per 100 iterations that
    ends well below where it starts, a training accuracy and final cost near the reference's.
    The learners' instant check judges alike
    (:func:`course_utils.checks.week4.assignment_deep_network_digits.trained_deep_network_problem`)."""
    X, y, dims, _, iterations, _ = case.args
    want_parameters, want_costs = case.expected
    AL = ref.model_forward(X, want_parameters)[0]
    best, best_cost = float(np.mean((AL[:, 0] > 0.5) == y)), ref.compute_cost(AL, y)
    return trained_deep_network_problem(value, X, y, dims, iterations, want_costs[0],
                                        want_costs[-1], best, best_cost,
                                        accuracy_band=ACCURACY_BAND, cost_band=COST_BAND)


def model_fit_cases() -> list[Case]:
    X_moons, y_moons = load_planar_data(seed=MOONS_SEED)  # the instant check's data too
    X_digits, y_digits = digits_pair(3, 8)

    def case(name, X, y, dims, alpha, iterations, seed, visible=False):
        args = (X, y.astype(float), dims, alpha, iterations, seed)
        return Case("model_fit", name, args, ref.model_fit(*args), kind="property",
                    visible=visible, check=judge_model_fit)

    return [
        case("moons, [2, 8, 4, 1], learning rate 0.3, 1500 iterations", X_moons, y_moons,
             [2, 8, 4, 1], 0.3, 1500, 0, visible=True),
        case("digits 3 vs 8 (150), [64, 16, 1], learning rate 0.1, 500 iterations",
             X_digits[:150], y_digits[:150], [64, 16, 1], 0.1, 500, 2),
        case("moons, 5 layers [2, 6, 6, 4, 3, 1], learning rate 0.2, 2000 iterations", X_moons,
             y_moons, [2, 6, 6, 4, 3, 1], 0.2, 2000, 1),
    ]


EXERCISES: dict[str, Exercise] = {
    "model_fit": Exercise("model_fit", model_fit_cases,
                          description="train the L-layer network: (parameters, costs)"),
}
