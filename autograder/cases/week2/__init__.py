"""Grading cases of the week2 assignment (``notebooks/week2/07_assignment_multiclass_digits.ipynb``)."""

from __future__ import annotations

from autograder.cases.week2 import assignment_multiclass_digits

#: Every graded exercise of the week, in the order of the notebooks (the gradebook's columns).
EXERCISES = {**assignment_multiclass_digits.EXERCISES}
