"""The program to run for one submission: the source notebook's cells, with the learner's answers.

For each code cell of the source (instructor) notebook, in order:

- a **solution cell** (nbgrader ``solution: true``): the learner's cell with the same ``grade_id``
  (a duplicated, deleted or re-typed cell is handled here, with an :class:`Issue`);
- a **test cell** (``grade: true``): not run at all; verdicts are computed by the grader from the
  cases (:mod:`autograder.cases`);
- a cell tagged ``autograder:skip``: not run (demonstrations no graded function needs);
  (the cell rules are in :mod:`autograder.contract.cells`)
- any other cell: the **source** version, whatever the submission holds (nbgrader's "restore
  locked cells", and the submission's metadata is never trusted).

Code cells the learner added (no known ``grade_id``) run where the learner put them, as they
would in the learner's kernel. For NumPy-only exercises the learner's solution code is checked
statically (:mod:`autograder.intake.numpy_only`): importing or naming TensorFlow, Keras or
:mod:`course_utils.reference` earns nothing.
"""

from __future__ import annotations

import ast
from collections import defaultdict

from nbgrader.utils import compute_checksum

from autograder.contract.cells import (
    grade_id,
    is_skipped,
    is_test,
    nbgrader_meta,
    released_source,
    solution_ids,
)
from autograder.contract.program import Program, ProgramCell
from autograder.contract.results import Issue
from autograder.intake import python_source
from autograder.intake.numpy_only import forbidden_use, global_aliases


def _defines(code: str, name: str) -> bool:
    try:
        tree = python_source.parse(code)
    except SyntaxError:
        return f"def {name}(" in code
    return any(isinstance(n, ast.FunctionDef) and n.name == name for n in tree.body)


def build(source_nb, submitted_nb, numpy_only: set[str]) -> Program:
    """The program for ``submitted_nb`` against ``source_nb``; see the module docstring."""
    program = Program()
    src_ids = {grade_id(c): c for c in source_nb.cells if grade_id(c)}
    solutions = set(solution_ids(source_nb))
    by_id: dict[str, list[int]] = defaultdict(list)
    for k, cell in enumerate(submitted_nb.cells):
        if grade_id(cell) in src_ids:
            by_id[grade_id(cell)].append(k)

    used: dict[str, int] = {}  # solution grade_id -> submission cell index
    for gid in solutions:
        _match_solution(gid, submitted_nb, by_id, src_ids, used, program)
    _check_read_only(source_nb, submitted_nb, by_id, solutions, program)
    _check_kernel(source_nb, submitted_nb, program)

    # Learner-added code cells run after the source cell they follow. A submission cell is the
    # learner's own when no source cell has its grade_id, cell id or text.
    where = _source_positions(source_nb)
    solution_at = {k: gid for gid, k in used.items()}
    added: dict[int, list[int]] = defaultdict(list)
    anchor = -1
    for k, cell in enumerate(submitted_nb.cells):
        gid = solution_at.get(k) or grade_id(cell)
        j = where.get(("gid", gid)) if gid in src_ids else None
        if j is None:
            j = where.get(("id", cell.get("id"))) if cell.get("id") else None
        if j is None:
            j = where.get(("text", str(cell.get("source", "")).strip()))
        if j is not None:
            anchor = j
        elif cell.get("cell_type") == "code" and str(cell.get("source", "")).strip():
            added[anchor].append(k)

    def emit_added(j):
        for k in added.get(j, []):
            program.cells.append(ProgramCell(str(submitted_nb.cells[k].source), "added",
                                             f"your added cell #{k + 1}"))

    emit_added(-1)
    for j, cell in enumerate(source_nb.cells):
        gid = grade_id(cell)
        if cell.get("cell_type") == "code" and not is_skipped(cell) and not is_test(cell):
            if gid in solutions:
                if gid in used:
                    code = str(submitted_nb.cells[used[gid]].source)
                    program.cells.append(ProgramCell(code, "solution", f"your cell `{gid}`"))
                    program.solutions[gid] = code
                    if gid in numpy_only:
                        why = forbidden_use(code, global_aliases(source_nb, submitted_nb))
                        if why:
                            program.zero[gid] = (
                                f"{gid} must be written with NumPy only, but your code {why}: "
                                "this exercise earns no points"
                            )
            else:
                program.cells.append(ProgramCell(str(cell.source), "source",
                                                 f"cell `{gid or 'unnamed'}` (restored)"))
        emit_added(j)
    return program


def _source_positions(source_nb) -> dict[tuple, int]:
    """Where each source cell is, by grade_id, cell id and (stripped) text."""
    where: dict[tuple, int] = {}
    for j, cell in enumerate(source_nb.cells):
        for key in (("gid", grade_id(cell)), ("id", cell.get("id")),
                    ("text", str(cell.get("source", "")).strip())):
            if key[1]:
                where.setdefault(key, j)
    return where


def _match_solution(gid, submitted_nb, by_id, src_ids, used, program) -> None:
    ks = by_id.get(gid, [])
    code = [k for k in ks if submitted_nb.cells[k].get("cell_type") == "code"]
    if len(code) > 1:
        used[gid] = code[-1]
        program.issues.append(Issue("cells_changed", (
            f"{len(code)} cells have grade_id {gid} (a duplicated cell); the last one was graded")))
    elif code:
        used[gid] = code[0]
    elif ks:
        kind = submitted_nb.cells[ks[0]].get("cell_type")
        program.zero[gid] = f"the cell for {gid} was changed into a {kind} cell, so it never ran"
        program.issues.append(Issue("cells_changed", program.zero[gid]))
    else:
        found = [
            k for k, c in enumerate(submitted_nb.cells)
            if c.get("cell_type") == "code" and grade_id(c) not in src_ids
            and _defines(str(c.get("source", "")), gid)
        ]
        if found:
            used[gid] = found[-1]
            program.issues.append(Issue("cells_changed", (
                f"the cell for {gid} lost its nbgrader metadata; the cell defining {gid}() "
                "was graded")))
        else:
            program.zero[gid] = f"the cell for {gid} was deleted"
            program.issues.append(Issue("cells_changed", program.zero[gid]))


def _check_read_only(source_nb, submitted_nb, by_id, solutions, program) -> None:
    older = False
    for cell in source_nb.cells:
        gid = grade_id(cell)
        if not gid or gid in solutions:
            continue
        ks = by_id.get(gid, [])
        what = "test cell" if is_test(cell) else "read-only cell"
        if not ks:
            program.issues.append(Issue("", f"the {what} {gid} was deleted; the original was used"))
            continue
        if len(ks) > 1:
            program.issues.append(Issue("", f"the {what} {gid} was duplicated; the copies were ignored"))
        mine = submitted_nb.cells[ks[0]]
        if str(mine.get("source", "")) not in (str(cell.source), released_source(cell)):
            if _untouched(mine):
                older = True
            else:
                program.issues.append(Issue("", f"the {what} {gid} was edited; the original was used"))
        if _meta_core(mine) != _meta_core(cell) or mine.get("cell_type") != cell.get("cell_type"):
            program.issues.append(Issue("", f"the metadata of the {what} {gid} was changed; ignored"))
    if older:
        program.issues.append(Issue("older_release", (
            "this notebook comes from an older release of the assignment; it was graded with the "
            "current release's cells")))


def _meta_core(cell) -> tuple:
    meta = nbgrader_meta(cell)
    return tuple(meta.get(k) for k in ("grade", "solution", "locked", "points", "grade_id"))


def _untouched(cell) -> bool:
    """The cell still matches the checksum nbgrader stored when it was released."""
    stored = nbgrader_meta(cell).get("checksum")
    if not stored:
        return False
    try:
        return compute_checksum(cell) == stored
    except Exception:  # noqa: BLE001 - forged metadata: not a pristine released cell
        return False


def _check_kernel(source_nb, submitted_nb, program) -> None:
    want = source_nb.metadata.get("kernelspec", {}).get("name", "python3")
    spec = submitted_nb.metadata.get("kernelspec", {})
    got = spec.get("name") if isinstance(spec, dict) else None
    if got and got != want:
        program.issues.append(Issue("", f"the notebook's kernel {got!r} was ignored; graded with {want}"))
