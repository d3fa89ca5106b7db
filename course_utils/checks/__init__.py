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

# Week 3, lesson 1 (shapes and the two conventions).
from course_utils.checks.conventions import check_db_column, check_to_column  # noqa: E402

__all__ += ["check_to_column", "check_db_column"]

# Week 3, lesson 2 (gradient descent).
from course_utils.checks.gradient_descent import check_gradient_descent  # noqa: E402

__all__ += ["check_gradient_descent"]
