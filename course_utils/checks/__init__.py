"""Instant checks for the graded exercises: ``assert check_dense(dense)`` in a notebook prints a
verdict naming the failed case and the likely mistake, and returns ``True``/``False``.

They hold expected values only (never reference code); the full grading cases are in
``autograder/cases/``.
"""

from course_utils.checks.week1 import (
    check_dense,
    check_dense_v,
    check_forward_v,
    check_model,
    check_predict,
    check_sequential,
    describe_model,
)

__all__ = [
    "check_dense",
    "check_sequential",
    "check_predict",
    "check_dense_v",
    "check_forward_v",
    "check_model",
    "describe_model",
]

# Week 2 (multiclass digits).
from course_utils.checks.week2 import check_multiclass_model, check_softmax  # noqa: E402

__all__ += ["check_softmax", "check_multiclass_model"]

# Week 4, lesson 3 (gradient checking).
from course_utils.checks.gradient_checking import (  # noqa: E402
    check_numerical_gradient,
    check_relative_difference,
)

__all__ += ["check_numerical_gradient", "check_relative_difference"]
