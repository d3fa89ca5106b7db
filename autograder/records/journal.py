"""The grading journal: one JSON file per student, written atomically after each submission.

It makes a batch resumable (killed with ``kill -9``, the same command keeps every finished
grade and grades only the rest) and re-runs idempotent (an unchanged submission, graded with the
same cases, limits and grader version, is not run again; the key covers ``timestamp.txt`` too, so
a re-submission that only changes the time is recorded again with the new time). Each result is
stored with the grading rules' revision (:mod:`autograder.contract.revisions`): one journaled
under older rules that a newer rule could grade otherwise is graded again, once. A damaged
file is ignored: that student is graded again. It lives in ``<root>/.autograder/``,
which learner code never sees.
"""

from __future__ import annotations

import fcntl
import json
from contextlib import contextmanager
from pathlib import Path

from autograder.contract import revisions
from autograder.contract.results import SubmissionResult
from autograder.records.atomic import atomic_write


class BusyError(RuntimeError):
    """Another ``autograder grade`` is grading the same assignment."""


class Journal:
    def __init__(self, root: Path, assignment: str):
        self.folder = Path(root) / ".autograder" / assignment
        self.folder.mkdir(parents=True, exist_ok=True)

    def _path(self, student: str) -> Path:
        return self.folder / f"{student}.json"

    def get(self, student: str, key: str) -> SubmissionResult | None:
        """The stored result of ``student`` if it was graded under ``key``; ``None`` (grade it
        again) when there is none or the file is damaged (truncated, garbage, another shape)."""
        try:
            data = json.loads(self._path(student).read_bytes())
        except (OSError, ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
            return None
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        try:
            result = SubmissionResult.from_json(data.get("result"))
        except ValueError:
            return None
        # A result journaled before "rules" was written is revision 1's.
        revision = data.get("rules", 1)
        if type(revision) is not int or revisions.stale(result, revision):
            return None
        return result if result.student_id == student else None

    def put(self, student: str, key: str, result: SubmissionResult) -> None:
        # 0600: the journal holds a student's grade and messages; only the grader reads it.
        with atomic_write(self._path(student), mode=0o600, fsync=True) as f:
            json.dump({"key": key, "rules": revisions.RULES, "result": result.to_json()}, f)

    @contextmanager
    def lock(self):
        """Hold the assignment's grading lock; :class:`BusyError` if another run holds it."""
        with open(self.folder / "lock", "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise BusyError(
                    f"another `autograder grade` is grading this assignment ({self.folder}); "
                    "wait for it to finish (its finished grades are kept)"
                ) from None
            yield
