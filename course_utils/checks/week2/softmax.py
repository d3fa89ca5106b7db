"""Instant check for ``notebooks/week2/03_softmax.ipynb``'s "your turn" cell:
``check_cross_entropy(my_cross_entropy)``, the (sparse categorical) cross-entropy of softmax outputs.

Prints one verdict and returns ``True``/``False``; a function not written yet is reported as such,
without raising. Expected values only: the right cost, the per-example losses and what the usual
mistakes give on each case are precomputed numbers.
"""

from __future__ import annotations

from course_utils.checks.core.costs import COST_MISTAKES, CostCase, run_cost_check

CROSS_ENTROPY_CASES = [
    CostCase("three examples, four classes",
             "a = [[0.1, 0.2, 0.3, 0.4], [0.7, 0.1, 0.1, 0.1], [0.25, 0.25, 0.4, 0.1]], y = [3, 0, 2]",
             ([[0.1, 0.2, 0.3, 0.4], [0.7, 0.1, 0.1, 0.1], [0.25, 0.25, 0.4, 0.1]], [3, 0, 2]),
             0.7297521358956809, [0.916290731874155, 0.35667494393873245, 0.916290731874155],
             {"no_minus": -0.7297521358956809, "sum_not_mean": 2.1892564076870427,
              "log10": 0.3169273257766061, "all_classes": 6.4293937705523625,
              "all_entries": 1.6073484426380906, "columns_by_label": 1.554429327234339},
             integer_args=(1,)),
    CostCase("four examples, three classes",
             "a = [[0.5, 0.3, 0.2], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6], [0.6, 0.3, 0.1]], "
             "y = [1, 1, 2, 0]",
             ([[0.5, 0.3, 0.2], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6], [0.6, 0.3, 0.1]], [1, 1, 2, 0]),
             0.6121919007930319,
             [1.2039728043259361, 0.2231435513142097, 0.5108256237659907, 0.5108256237659907],
             {"no_minus": -0.6121919007930319, "sum_not_mean": 2.4487676031721275,
              "log10": 0.2658715643802767, "all_classes": 4.020489151085611,
              "all_entries": 1.3401630503618704, "rows_by_label": 1.4077405683798976,
              "columns_by_label": 1.2701552297964143},
             integer_args=(1,)),
    CostCase("as many examples as classes (m = N = 3)",
             "a = [[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8]], y = [1, 2, 0]",
             ([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8]], [1, 2, 0]),
             1.5701769005486392, [1.2039728043259361, 1.2039728043259361, 2.3025850929940455],
             {"no_minus": -1.5701769005486392, "sum_not_mean": 4.710530701645918,
              "log10": 0.681919163520225, "all_classes": 4.117418385236085,
              "transposed": 2.0715360328073973},
             integer_args=(1,)),
    CostCase("one example, two classes", "a = [[0.2, 0.8]], y = [1]", ([[0.2, 0.8]], [1]),
             0.2231435513142097, [0.2231435513142097],
             {"no_minus": -0.2231435513142097, "log10": 0.09691001300805638,
              "all_classes": 1.83258146374831, "all_entries": 0.916290731874155},
             integer_args=(1,)),
]


def check_cross_entropy(cross_entropy) -> bool:
    """Check ``cross_entropy(a, y) -> J``: the mean over the m examples of ``-log a[i, y[i]]``, the
    (sparse categorical) cross-entropy of softmax outputs. ``a: (m, N)`` holds each example's N
    class probabilities in a row, ``y: (m,)`` the true classes, integers 0 … N-1; ``J`` is one
    number. ``notebooks/week2/03_softmax.ipynb``. Prints a verdict and returns whether every case passed."""
    return run_cost_check("cross_entropy", cross_entropy, CROSS_ENTROPY_CASES,
                          COST_MISTAKES,
                "a is (m, N), one example per row; y is (m,), one class index per example")
