"""Instant check for ``notebooks/week2/01_training_and_activations.ipynb``'s "your turn" cell:
``check_bce(my_bce)``, the binary cross-entropy cost.

Prints one verdict and returns ``True``/``False``; a function not written yet is reported as such,
without raising. Expected values only: the right cost, the per-example losses and what the usual
mistakes give on each case are precomputed numbers, so nothing here contains a solution.
"""

from __future__ import annotations

from course_utils.checks.core.costs import COST_MISTAKES, CostCase, run_cost_check

BCE_CASES = [
    CostCase("four examples", "y = [1, 0, 1, 0], a = [0.9, 0.2, 0.6, 0.4]",
             ([1, 0, 1, 0], [0.9, 0.2, 0.6, 0.4]), 0.3375388286260044,
             [0.10536051565782628, 0.2231435513142097, 0.5108256237659907, 0.5108256237659907],
             {"no_minus": -0.3375388286260044, "sum_not_mean": 1.3501553145040175,
              "log10": 0.14659125070036105, "first_term_only": 0.15404653485595426,
              "log_a_twice": 0.7854786959330181, "squared_error": 0.09250000000000001}),
    CostCase("confident and wrong", "y = [0, 1, 1], a = [0.99, 0.05, 0.5]",
             ([0, 1, 1], [0.99, 0.05, 0.5]), 2.7646832133673427,
             [4.605170185988091, 2.995732273553991, 0.6931471805599453],
             {"no_minus": -2.7646832133673427, "sum_not_mean": 8.294049640102028,
              "log10": 1.2006866637759874, "first_term_only": 1.2296264847046454,
              "log_a_twice": 1.2329765966558126, "squared_error": 0.7108666666666666}),
    CostCase("one example, label 0", "y = [0], a = [0.3]", ([0], [0.3]), 0.35667494393873245,
             [0.35667494393873245],
             {"no_minus": -0.35667494393873245, "log10": 0.1549019599857432,
              "first_term_only": 0.0, "log_a_twice": 1.2039728043259361, "squared_error": 0.09}),
    CostCase("columns of shape (m, 1), as Keras's Y", "y = [[1], [0]], a = [[0.8], [0.3]]",
             ([[1], [0]], [[0.8], [0.3]]), 0.2899092476264711,
             [0.2231435513142097, 0.35667494393873245],
             {"no_minus": -0.2899092476264711, "sum_not_mean": 0.5798184952529422,
              "log10": 0.1259059864968998, "first_term_only": 0.11157177565710485,
              "log_a_twice": 0.7135581778200729, "squared_error": 0.06499999999999999}),
]


def check_bce(bce) -> bool:
    """Check ``bce(y, a) -> J``: the binary cross-entropy cost, the mean over the m examples of
    ``-y log(a) - (1 - y) log(1 - a)`` (natural log). ``y`` holds labels 0/1 and ``a`` the
    predicted probabilities of label 1, both ``(m,)`` or both ``(m, 1)``; ``J`` is one number.
    ``notebooks/week2/01_training_and_activations.ipynb``. Prints a verdict and returns whether every case passed."""
    return run_cost_check("bce", bce, BCE_CASES, COST_MISTAKES, "y and a have the same shape, (m,) or (m, 1)")
