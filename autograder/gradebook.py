"""Record results in nbgrader's gradebook (``gradebook.db`` at the course root).

Only the grader's main process writes here (one writer, however many ``--workers``), so that
``nbgrader export`` and formgrader see the same scores as ``autograder``'s CSV. Each exercise's
points go to the ``auto_score`` of its test cell (``test_<exercise>``), as ``nbgrader autograde``
would record them. Writing the same result twice changes nothing.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from autograder import restore
from autograder.release import _venv_scripts_on_path


def db_url(root: Path) -> str:
    return f"sqlite:///{Path(root).resolve() / 'gradebook.db'}"


class GradebookWriter:
    """The gradebook of ``root``, with ``assignment``'s notebooks and test cells registered."""

    def __init__(self, root: Path, assignment):
        self.assignment = assignment
        with _venv_scripts_on_path():  # nbgrader runs the `alembic` command
            self.gb = Gradebook(db_url(root))
        self.gb.update_or_create_assignment(assignment.name)
        for nb_name, source in assignment.sources.items():
            notebook = Path(nb_name).stem
            self.gb.update_or_create_notebook(notebook, assignment.name)
            points = restore.test_points(source)
            for gid, max_score in points.items():
                self.gb.update_or_create_grade_cell(gid, notebook, assignment.name,
                                                    max_score=max_score, cell_type="code")
            for gid in restore.solution_ids(source):
                self.gb.update_or_create_solution_cell(gid, notebook, assignment.name)

    def record(self, result: dict) -> None:
        """Store ``result`` (see :func:`autograder.grading.grade_submission`); ``missing``
        submissions get a student entry only (nbgrader then reports 0)."""
        name, student = self.assignment.name, result["student_id"]
        self.gb.update_or_create_student(student)
        if result["status"] == "missing":
            try:
                self.gb.remove_submission(name, student)
            except MissingEntry:
                pass
            return
        with warnings.catch_warnings():
            # nbgrader's add_submission builds objects before adding them (SQLAlchemy warns)
            warnings.simplefilter("ignore")
            stamp = {"timestamp": result["timestamp"]} if result.get("timestamp") else {}
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

    def _scores(self, result: dict) -> None:
        for ex, outcome in result["exercises"].items():
            notebook = Path(self.assignment.home[ex]).stem
            grade = self.gb.find_grade(f"test_{ex}", notebook, self.assignment.name,
                                       result["student_id"])
            grade.auto_score = float(outcome["points"])
            grade.needs_manual_grade = False

    def close(self) -> None:
        self.gb.close()
