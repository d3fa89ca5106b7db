"""Grading cases of the week5 assignment (``notebooks/week5/06_assignment_diagnose_and_improve.ipynb``)."""

from __future__ import annotations

from autograder.cases.week5 import assignment_diagnose_and_improve

#: Every graded exercise of the week, in the order of the notebooks (the gradebook's columns).
EXERCISES = {**assignment_diagnose_and_improve.EXERCISES}
