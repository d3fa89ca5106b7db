"""What a learner receives in a solution cell: the cell as ``autograder release`` hands it out.

nbgrader's ``ClearSolutions`` replaces each ``### BEGIN SOLUTION`` … ``### END SOLUTION`` block with
the course's stub (:data:`autograder.config.CODE_STUB`); the rest of the cell (the signature, the
docstring, any given lines) is the released starter code, which every submission shares and which
therefore never counts as copying (:mod:`autograder.authoring.similarity`) and, left
untouched, marks an exercise as not attempted (:mod:`autograder.grading.grade`).
"""

from __future__ import annotations

import copy

from nbgrader.preprocessors import ClearSolutions

from autograder.config import CODE_STUB
from autograder.contract.cells import grade_id, is_solution


def starter_source(cell) -> str:
    """The released text of a solution ``cell`` (its solution replaced by the stub)."""
    clear = ClearSolutions(code_stub={"python": CODE_STUB})
    released, _ = clear.preprocess_cell(copy.deepcopy(cell), {"language": "python"}, 0)
    return str(released.source)


def starter_cells(source_nb) -> dict[str, str]:
    """``{grade_id: released text}`` of the source notebook's solution cells."""
    return {grade_id(c): starter_source(c) for c in source_nb.cells if is_solution(c) and grade_id(c)}
