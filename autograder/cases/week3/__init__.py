"""Grading cases of week 3's two assignments, one module per graded notebook."""

from __future__ import annotations

from autograder.cases.week3 import assignment_logistic_regression, assignment_planar_data

#: Every graded exercise of the week, in the order of the notebooks (the gradebook's columns).
EXERCISES = {**assignment_logistic_regression.EXERCISES, **assignment_planar_data.EXERCISES}
