"""The nbgrader cell rules of the course, in one place: what a cell's markup says it is.

Release (:mod:`autograder.authoring.release`, :mod:`autograder.authoring.course_edition`), grading
(:mod:`autograder.intake.assemble`, :mod:`autograder.grading`, :mod:`autograder.records.gradebook`) and the
submissions reader all read cells through these functions (see docs/conventions.md, "Graded
notebooks"): a **solution cell** (``solution: true``, a code cell) holds the learner's function; a
**test cell** (``grade: true``, not a solution) holds the exercise's points; a cell tagged
``autograder:skip`` only demonstrates (``autograder grade`` does not run it).
"""

from __future__ import annotations

import copy

from nbgrader.preprocessors import ClearHiddenTests

SKIP_TAG = "autograder:skip"
#: The markers nbgrader looks for (docs/conventions.md, "Graded notebooks").
SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN_TEST_MARKERS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


def nbgrader_meta(cell) -> dict:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def grade_id(cell) -> str | None:
    gid = nbgrader_meta(cell).get("grade_id")
    return gid if isinstance(gid, str) else None


def is_solution(cell) -> bool:
    return cell.get("cell_type") == "code" and bool(nbgrader_meta(cell).get("solution"))


def is_test(cell) -> bool:
    return bool(nbgrader_meta(cell).get("grade")) and not nbgrader_meta(cell).get("solution")


def is_skipped(cell) -> bool:
    tags = cell.get("metadata", {}).get("tags", [])
    return isinstance(tags, list) and SKIP_TAG in tags


def test_points(source_nb) -> dict[str, float]:
    """``{grade_id: points}`` of the source notebook's test cells."""
    return {
        grade_id(c): float(nbgrader_meta(c).get("points", 0) or 0)
        for c in source_nb.cells
        if is_test(c) and grade_id(c)
    }


def solution_ids(source_nb) -> list[str]:
    return [grade_id(c) for c in source_nb.cells if is_solution(c) and grade_id(c)]


def released_source(cell) -> str:
    """The cell's text as nbgrader releases it (hidden tests removed)."""
    released, _ = ClearHiddenTests().preprocess_cell(copy.deepcopy(cell), {}, 0)
    return str(released.source)
