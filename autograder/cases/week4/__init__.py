"""Grading cases of week 4's two assignments, one module per graded notebook."""

from __future__ import annotations

from autograder.cases.week4 import (
    assignment_deep_network_digits,
    assignment_deep_network_step_by_step,
)

#: Every graded exercise of the week, in the order of the notebooks (the gradebook's columns).
EXERCISES = {**assignment_deep_network_step_by_step.EXERCISES, **assignment_deep_network_digits.EXERCISES}
