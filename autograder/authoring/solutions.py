"""``autograder release-solutions ASSIGNMENT``: an assignment's solutions, after its deadline.

Writes ``solutions/<assignment>/`` (or ``--out``), a folder to publish to the class:

- each graded notebook of the assignment with the reference solutions in its exercise cells
  (the ``### BEGIN/END SOLUTION`` lines dropped), its hidden tests removed and no outputs, as the
  student version looks once it is solved;
- each lesson whose worked answers the student edition withheld because this assignment grades
  them (:mod:`autograder.authoring.withheld`), complete, as the instructors' edition holds it.

The solutions go out only once every deadline of the assignment has passed: the deadline of
``autograder.toml``'s ``[late.<assignment>]`` moved by the latest extension of
``extensions.csv`` (``--before-deadline`` releases them anyway, e.g. for an ungraded week).
Nothing already written is ever replaced: ``out`` must be new or empty.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import nbformat

from autograder.authoring.clean import clean_notebook
from autograder.authoring.withheld import graded_functions, withheld_answers
from autograder.config import SOURCE_DIRECTORY
from autograder.contract.cells import SOLUTION_MARKERS, is_solution, released_source, solution_ids
from autograder.records.late import due_for, load_rules


class SolutionsError(RuntimeError):
    """The solutions cannot be released; the message names the problem and the fix."""


@dataclass(frozen=True)
class SolutionsRelease:
    """What ``release-solutions`` wrote (paths relative to ``folder``: a notebook of the
    assignment's week by its name, one of another week under its week folder)."""

    folder: Path
    assignments: tuple[str, ...]  # the graded notebooks, solved
    lessons: tuple[str, ...]  # the lessons whose withheld answers they release
    deadline: datetime | None  # the last deadline of the assignment (None: none configured)


def last_deadline(root: Path, assignment: str) -> datetime | None:
    """The latest moment a student of ``assignment`` may still submit: its deadline, moved by
    the latest extension (an extension never moves it earlier than the class's)."""
    rules = load_rules(root)
    due = rules.policies.get(assignment)
    if due is None or due.deadline is None:
        return None
    students = {student for student, name in rules.extensions if name in (assignment, "*")}
    return max([due.deadline, *(due_for(rules, assignment, s) for s in students)])


def solved(nb):
    """The notebook ``nb`` with its solutions, without hidden tests, markers or outputs."""
    nb = clean_notebook(nb)
    for cell in nb.cells:
        cell.source = released_source(cell)
        if is_solution(cell):
            cell.source = "\n".join(line for line in cell.source.split("\n")
                                    if line.strip() not in SOLUTION_MARKERS)
    return nb


def release_solutions(root: Path, assignment: str, out: Path | None = None, *,
                      now: datetime | None = None, before_deadline: bool = False) -> SolutionsRelease:
    """Write the solutions of ``assignment`` (a week folder of ``notebooks/``) into ``out``."""
    root = Path(root).resolve()
    source = root / SOURCE_DIRECTORY
    week = source / assignment
    if not week.is_dir() or "/" in assignment or assignment.startswith("."):
        weeks = ", ".join(sorted(p.name for p in source.glob("week*") if p.is_dir()))
        raise SolutionsError(f"no assignment {assignment!r} in {source}: pass one of {weeks}")
    graded = [p for p in sorted(week.glob("*.ipynb"))
              if solution_ids(nbformat.read(p, as_version=4))]
    if not graded:
        raise SolutionsError(f"{week} has no graded notebook (no nbgrader solution cell): "
                             "there are no solutions to release")
    deadline = last_deadline(root, assignment)
    now = now or datetime.now(timezone.utc)
    if deadline is not None and now < deadline and not before_deadline:
        raise SolutionsError(
            f"{assignment}'s last deadline is {deadline.isoformat()} (autograder.toml, with the "
            f"latest extension in extensions.csv), still ahead: release the solutions after it, "
            f"or pass --before-deadline to release them now")
    out = Path(out).resolve() if out else root / "solutions" / assignment
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise SolutionsError(f"{out} already exists and is not an empty folder: pass a new folder "
                             "with --out (released solutions are never overwritten)")

    functions = graded_functions(root)
    lessons = []
    for path in sorted(source.glob("week*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        if solution_ids(nb):
            continue
        lesson = path.relative_to(source).as_posix()
        if any(a.graded_in.assignment == assignment for a in withheld_answers(lesson, nb, functions)):
            lessons.append(path)

    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".tmp-solutions-", dir=out.parent))
    try:
        for path in graded:
            _write(solved(nbformat.read(path, as_version=4)), staging / _place(path, week))
        for path in lessons:
            _write(clean_notebook(nbformat.read(path, as_version=4)), staging / _place(path, week))
        if out.exists():
            out.rmdir()
        staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return SolutionsRelease(out, tuple(_place(p, week).as_posix() for p in graded),
                            tuple(_place(p, week).as_posix() for p in lessons), deadline)


def _place(path: Path, week: Path) -> Path:
    """Where a notebook goes in the solutions folder: by its name when it is of the assignment's
    own week (as the class has it), under its week folder otherwise."""
    return Path(path.name) if path.parent == week else Path(path.parent.name, path.name)


def _write(nb, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
