"""The instructor guide's table of assignments says what the course really grades: every gradable
assignment is listed, with its graded notebooks, its exercises in order and its total points."""

from __future__ import annotations

import re

from autograder.grading.assignment import graded_assignments, load_assignment
from conftest import ROOT

GUIDE = ROOT / "docs" / "instructor_guide.md"


def _table() -> dict[str, tuple[list[str], list[str], float]]:
    rows = {}
    for line in GUIDE.read_text().splitlines():
        match = re.match(r"\| `(week\d+)` \| (.+?) \| (.+?) \| ([\d.]+) \|$", line)
        if match:
            week, notebooks, exercises, points = match.groups()
            rows[week] = (re.findall(r"`([^`]+\.ipynb)`", notebooks),
                          re.findall(r"`(\w+)`", exercises), float(points))
    return rows


def test_every_gradable_assignment_is_in_the_guide_as_graded():
    table = _table()
    assert sorted(table) == graded_assignments(ROOT)
    for week, (notebooks, exercises, points) in table.items():
        assignment = load_assignment(ROOT, week)
        assert notebooks == sorted(assignment.sources), week
        assert exercises == list(assignment.exercises), week
        assert points == assignment.max_score, week
