"""The grading contract's results, typed: what grading one submission produced.

:func:`autograder.grading.grade.grade_submission` makes a :class:`SubmissionResult`; the journal stores
it as JSON (:meth:`SubmissionResult.to_json` / :meth:`SubmissionResult.from_json`, a lossless
round trip); the gradebook, the CSV, the feedback and the class report read its attributes.

A submission's ``status`` is the most serious of its :class:`Issue` statuses (see
:data:`STATUSES`), ``graded`` when it has none.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

#: Statuses, most serious first; a submission's status is its most serious issue's.
STATUSES = ("missing", "malformed", "error", "crashed", "memory", "timeout", "incomplete",
            "older_release", "renamed", "cells_changed", "graded")


@dataclass(frozen=True)
class Issue:
    """Something about a submission worth telling. ``status`` is the CSV status it implies
    (``""``: a note only, the status stays ``graded``)."""

    status: str
    message: str


@dataclass(frozen=True)
class CaseVerdict:
    """One case of an exercise: passed or not, and the grader's reason (shown in the feedback)."""

    name: str
    visible: bool
    passed: bool
    message: str = ""


@dataclass
class ExerciseResult:
    """An exercise's points (its share of passed cases) and, when it earned nothing whatever its
    answers, why (``message``). ``attempted`` is False when the learner's cell is still the
    released stub: the exercise was left, not answered wrong."""

    points: float
    max_points: float
    message: str = ""
    cases: list[CaseVerdict] = field(default_factory=list)
    attempted: bool = True


@dataclass
class SubmissionResult:
    """One student's result: one CSV row, one feedback page, one gradebook submission."""

    student_id: str
    max_score: float
    exercises: dict[str, ExerciseResult]
    status: str = "graded"
    message: str = ""
    score: float = 0.0
    notes: list[Issue] = field(default_factory=list)
    #: The learner's (capped) stdout and stderr; kept for the instructor, never shown in feedback.
    output: str = ""
    seconds: float = 0.0
    #: CPU time (s) of the submission's sandboxes; None where cgroups do not measure it.
    cpu_seconds: float | None = None
    #: nbgrader's ``timestamp.txt`` (when the student submitted), for late penalties.
    timestamp: str | None = None
    #: Seconds in each phase of the sandbox runs (:data:`autograder.sandbox.runner.PHASES`).
    phases: dict[str, float] = field(default_factory=dict)
    #: The assignment's graded notebooks (file names) the student did not hand in (status
    #: ``incomplete``: each cost its own exercises' points only).
    not_handed_in: list[str] = field(default_factory=list)

    @classmethod
    def empty(cls, student_id: str, points: dict[str, float]) -> SubmissionResult:
        """Nothing earned yet: every exercise of ``points`` (name -> max points) at 0."""
        return cls(student_id, sum(points.values()),
                   {ex: ExerciseResult(0.0, p) for ex, p in points.items()})

    def finish(self, issues: list[Issue]) -> SubmissionResult:
        """Set the score, the status, the message and the notes from the exercises and
        ``issues``; return ``self``."""
        self.score = round(sum(e.points for e in self.exercises.values()), 4)
        problems = {i.status for i in issues if i.status}
        self.status = next((s for s in STATUSES if s in problems), "graded")
        left = [name for name, e in self.exercises.items() if not e.attempted]
        messages = [i.message for i in issues] + [e.message for e in self.exercises.values()
                                                  if e.message]
        if left:
            messages.append("not attempted (still as released): " + ", ".join(left))
        self.message = "; ".join(dict.fromkeys(messages))
        self.notes = list(dict.fromkeys(issues))
        return self

    def to_json(self) -> dict[str, Any]:
        return {
            "student_id": self.student_id, "status": self.status, "message": self.message,
            "score": self.score, "max_score": self.max_score,
            "exercises": {
                name: {"points": e.points, "max_points": e.max_points, "message": e.message,
                       "cases": [{"name": c.name, "visible": c.visible, "passed": c.passed,
                                  "message": c.message} for c in e.cases],
                       "attempted": e.attempted}
                for name, e in self.exercises.items()
            },
            "notes": [{"status": n.status, "message": n.message} for n in self.notes],
            "output": self.output, "seconds": self.seconds, "cpu_seconds": self.cpu_seconds,
            "timestamp": self.timestamp, "phases": dict(self.phases),
            "not_handed_in": list(self.not_handed_in),
        }

    @classmethod
    def from_json(cls, data: Any) -> SubmissionResult:
        """The result :meth:`to_json` wrote; ``ValueError`` naming the first thing that is not
        (a journal file from another version, or edited by hand)."""
        try:
            exercises = {
                _text(name): ExerciseResult(
                    _number(e["points"]), _number(e["max_points"]), _text(e["message"]),
                    [CaseVerdict(_text(c["name"]), _flag(c["visible"]), _flag(c["passed"]),
                                 _text(c["message"])) for c in _list(e["cases"])],
                    # Absent in results journaled before "not attempted" was told apart.
                    _flag(e.get("attempted", True)))
                for name, e in _dict(data["exercises"]).items()
            }
            result = cls(
                student_id=_text(data["student_id"]), max_score=_number(data["max_score"]),
                exercises=exercises, status=_text(data["status"]), message=_text(data["message"]),
                score=_number(data["score"]),
                notes=[Issue(_text(n["status"]), _text(n["message"])) for n in _list(data["notes"])],
                output=_text(data["output"]), seconds=_number(data["seconds"]),
                cpu_seconds=None if data["cpu_seconds"] is None else _number(data["cpu_seconds"]),
                timestamp=None if data["timestamp"] is None else _text(data["timestamp"]),
                phases={_text(k): _number(v) for k, v in _dict(data.get("phases", {})).items()},
                # Absent in results journaled before notebooks were graded one by one.
                not_handed_in=[_text(n) for n in _list(data.get("not_handed_in", []))],
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a submission result: {type(exc).__name__} {exc}") from None
        if result.status not in STATUSES:
            raise ValueError(f"not a submission result: unknown status {result.status!r}")
        return result


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise TypeError(f"expected a finite number, got {value!r}")
    return float(value)


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {type(value).__name__}")
    return value


def _list(value: Any) -> list:
    if not isinstance(value, list):
        raise TypeError(f"expected a list, got {type(value).__name__}")
    return value


def _dict(value: Any) -> dict:
    if not isinstance(value, dict):
        raise TypeError(f"expected an object, got {type(value).__name__}")
    return value
