"""Record results in nbgrader's gradebook (``gradebook.db`` at the course root).

Only the grader's main process writes here (one writer, however many ``--workers``), so that
``nbgrader export`` and formgrader see the same scores as ``autograder``'s CSV. Each exercise's
points go to the ``auto_score`` of its test cell (``test_<exercise>``), as ``nbgrader autograde``
would record them. Writing the same result twice changes nothing. A ``missing`` submission never
removes what the gradebook holds for the student (an earlier grade, formgrader's manual scores
and comments): the student's folder may only have been moved.

A ``gradebook.db`` that cannot be used (not a database, truncated, malformed) never stops the
batch: the writer records the first problem as a :class:`GradebookError` (naming the file and the
fix), stops writing, and :func:`autograder.grading.batch.grade_batch` raises it once every submission is
graded and journaled.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SQLAlchemyError

from autograder.config import venv_scripts_on_path
from autograder.contract import cells
from autograder.contract.results import SubmissionResult


def db_url(root: Path) -> str:
    return f"sqlite:///{Path(root).resolve() / 'gradebook.db'}"


class GradebookError(RuntimeError):
    """``gradebook.db`` cannot be used. ``results`` (and ``assignment``) are set by the batch:
    every grade was computed and journaled, only the gradebook did not get them."""

    results: list[SubmissionResult] | None = None
    assignment = None


def unusable(root: Path, exc: BaseException) -> GradebookError:
    path = Path(root).resolve() / "gradebook.db"
    why = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    return GradebookError(
        f"{path} cannot be used ({why}); no grade was recorded in it, but the CSV, the feedback and "
        f"the journal were written. Move it aside (mv {path} {path}.broken) and run the same "
        "`autograder grade` command again: it records every grade from the journal without "
        "running any notebook again. Manual grades and comments made in formgrader were in the "
        "old file: restore it from a backup, or try `sqlite3 gradebook.db.broken .recover`."
    )


class GradebookWriter:
    """The gradebook of ``root``, with ``assignment``'s notebooks and test cells registered.

    ``problem`` is set (and nothing more is written) once the database fails."""

    def __init__(self, root: Path, assignment):
        self.assignment = assignment
        self.root = root
        self.problem: GradebookError | None = None
        self.gb = None
        try:
            with venv_scripts_on_path():  # nbgrader runs the `alembic` command
                self.gb = Gradebook(db_url(root))
            self._register()
        except (SQLAlchemyError, OSError, ValueError) as exc:  # alembic/sqlite raise several kinds
            self._fail(exc)

    def _register(self) -> None:
        assignment = self.assignment
        self.gb.update_or_create_assignment(assignment.name)
        for nb_name, source in assignment.sources.items():
            notebook = Path(nb_name).stem
            self.gb.update_or_create_notebook(notebook, assignment.name)
            points = cells.test_points(source)
            for gid, max_score in points.items():
                self.gb.update_or_create_grade_cell(gid, notebook, assignment.name,
                                                    max_score=max_score, cell_type="code")
            for gid in cells.solution_ids(source):
                self.gb.update_or_create_solution_cell(gid, notebook, assignment.name)

    def _fail(self, exc: BaseException) -> None:
        self.problem = unusable(self.root, exc)
        self.close()

    def record(self, result: SubmissionResult) -> None:
        """Store ``result`` (see :func:`autograder.grading.grade.grade_submission`); ``missing``
        submissions get a student entry only, and keep whatever the gradebook held for them."""
        if self.problem:
            return
        try:
            self._record(result)
        except (SQLAlchemyError, OSError) as exc:
            self._fail(exc)

    def _record(self, result: SubmissionResult) -> None:
        name, student = self.assignment.name, result.student_id
        self.gb.update_or_create_student(student)
        if result.status == "missing":
            self.gb.db.commit()
            return
        with warnings.catch_warnings():
            # nbgrader's add_submission builds objects before adding them (SQLAlchemy warns)
            warnings.simplefilter("ignore")
            stamp = {"timestamp": result.timestamp} if result.timestamp else {}
            try:
                self.gb.update_or_create_submission(name, student, **stamp)
            except ValueError:  # an unreadable timestamp.txt: record the grades without it
                self.gb.update_or_create_submission(name, student)
            try:
                self._scores(result)
            except MissingEntry:  # the assignment gained a cell since this submission was stored
                self.gb.remove_submission(name, student)
                self.gb.add_submission(name, student)
                self._scores(result)
        self.gb.db.commit()

    def _scores(self, result: SubmissionResult) -> None:
        for ex, outcome in result.exercises.items():
            notebook = Path(self.assignment.home[ex]).stem
            grade = self.gb.find_grade(f"test_{ex}", notebook, self.assignment.name,
                                       result.student_id)
            grade.auto_score = float(outcome.points)
            grade.needs_manual_grade = False

    def close(self) -> None:
        if self.gb is not None:
            try:
                self.gb.close()
            except SQLAlchemyError:
                pass
            self.gb = None
