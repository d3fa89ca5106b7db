"""Grading cases of the week1 assignment (``notebooks/week1/05_assignment_binary_digits.ipynb``)."""

from __future__ import annotations

from autograder.cases.week1 import assignment_binary_digits

#: Every graded exercise of the week, in the order of the notebooks (the gradebook's columns).
EXERCISES = {**assignment_binary_digits.EXERCISES}
