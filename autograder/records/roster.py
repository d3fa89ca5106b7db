"""A class list from the LMS: who is enrolled, under the LMS's id and the course's.

The LMS's own exports are rosters, recognised by their header:

- **Canvas** gradebook export: ``Student, ID, SIS User ID, SIS Login ID, Section``, the
  assignments' columns (``Week 1 (123456)``), and a second row ``Points Possible``. The LMS id is
  ``ID`` (the user id in the download's file names); the course's id is ``SIS User ID``, else
  ``SIS Login ID``, else ``ID``.
- **Moodle** grading worksheet: ``Identifier, Full name, Email address, …, Grade, Maximum Grade,
  …, Last modified (grade), Feedback comments``. The LMS id is the number of ``Participant 123``;
  the course's id is ``ID number``, else ``Username``, else ``Email address``, else that number.
- **Blackboard** Grade Center export: ``Last Name, First Name, Username, Student ID, …``: the LMS
  id is ``Username``, the course's id ``Student ID``, else ``Username``.
- Any other CSV with a ``student_id`` column (and optionally ``lms_id`` and ``name``).

Files saved by Excel are read too: a UTF-8 byte-order mark, Windows-1252 text, ``;`` separators.
Students are matched by id, never by display name.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from autograder.contract.untrusted import student_id as graded_id_of_folder


class RosterError(ValueError):
    """The roster cannot be used; ``str(exc)`` names the file, the problem and the fix."""


@dataclass
class Student:
    lms_id: str
    student_id: str  # the course's id: the folder name under submitted/
    name: str
    row: dict[str, str] = field(default_factory=dict)

    @property
    def graded_id(self) -> str:
        """The id the grader records this student under (CSV, journal, feedback/)."""
        return graded_id(self.student_id)


@dataclass
class Roster:
    kind: str  # canvas, moodle, blackboard or csv
    path: Path
    header: list[str]
    students: list[Student]
    #: Canvas's "Points Possible" row, by column.
    points_possible: dict[str, str] = field(default_factory=dict)

    def by_lms_id(self) -> dict[str, Student]:
        return {s.lms_id: s for s in self.students}

    def by_graded_id(self) -> dict[str, Student]:
        return {s.graded_id: s for s in self.students}


def folder_name(student: str) -> str:
    """The folder under ``submitted/`` for the course id ``student``: no ``/``, no NUL, not hidden
    (a leading ``.`` would make the grader skip it), at most 120 characters."""
    name = student.replace("/", "_").replace("\0", "_").replace("\\", "_").strip()
    if not name or name.startswith("."):
        name = "_" + name
    return name[:120]


def graded_id(student: str) -> str:
    return graded_id_of_folder(folder_name(student))


def _decode(raw: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterError(f"{path} is not text (neither UTF-8 nor Windows-1252): export it from "
                      "the LMS again, or save it from your spreadsheet as CSV UTF-8")


def _first(row: dict[str, str], *columns: str) -> str:
    return next((row[c].strip() for c in columns if (row.get(c) or "").strip()), "")


def read_roster(path: Path) -> Roster:
    """The roster in ``path``; :class:`RosterError` naming the problem and the fix."""
    path = Path(path)
    try:
        text = _decode(path.read_bytes(), path)
    except OSError as exc:
        raise RosterError(f"--roster {path} cannot be read ({exc.strerror}): pass the CSV the "
                          "LMS exported (Canvas: Grades > Export; Moodle: Download grading "
                          "worksheet)") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows or not any(c.strip() for c in rows[0]):
        raise RosterError(f"--roster {path} is empty: export the class list from the LMS again")
    header = [c.strip() for c in rows[0]]
    kind = _kind(header)
    if kind is None:
        raise RosterError(
            f"--roster {path} is not a roster this grader knows: its columns are "
            f"{', '.join(header[:6])}{'…' if len(header) > 6 else ''}. Pass Canvas's gradebook "
            "export (Student, ID, SIS User ID, …), Moodle's grading worksheet (Identifier, Full "
            "name, …), Blackboard's Grade Center export (Username, …), or a CSV with a "
            "student_id column (and lms_id)")
    roster = Roster(kind, path, header, [])
    for number, values in enumerate(rows[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        row = dict(zip(header, values))
        if kind == "canvas" and row.get("Student", "").strip() == "Points Possible":
            roster.points_possible = {k: v.strip() for k, v in row.items()}
            continue
        student = _student(kind, row)
        if student is None:
            raise RosterError(f"--roster {path}, line {number}: no id in it "
                              f"({', '.join(v for v in values[:3] if v)}): fix or delete the line")
        roster.students.append(student)
    _no_duplicates(roster)
    return roster


def _kind(header: list[str]) -> str | None:
    names = set(header)
    if {"Student", "ID"} <= names:
        return "canvas"
    if {"Identifier", "Full name"} <= names:
        return "moodle"
    if "Username" in names and ({"Last Name", "First Name"} & names):
        return "blackboard"
    if "student_id" in names:
        return "csv"
    return None


def _student(kind: str, row: dict[str, str]) -> Student | None:
    if kind == "canvas":
        lms, course = _first(row, "ID"), _first(row, "SIS User ID", "SIS Login ID", "ID")
        name = _first(row, "Student")
    elif kind == "moodle":
        m = re.search(r"(\d+)\s*$", row.get("Identifier", ""))
        lms = m.group(1) if m else ""
        course = _first(row, "ID number", "Username", "Email address") or lms
        name = _first(row, "Full name")
    elif kind == "blackboard":
        lms, course = _first(row, "Username"), _first(row, "Student ID", "Username")
        name = " ".join(filter(None, (_first(row, "First Name"), _first(row, "Last Name"))))
    else:
        course = _first(row, "student_id")
        lms, name = _first(row, "lms_id") or course, _first(row, "name")
    if not lms or not course:
        return None
    return Student(lms, course, name, row)


def _no_duplicates(roster: Roster) -> None:
    for what, key in (("LMS id", lambda s: s.lms_id), ("course id", lambda s: s.graded_id)):
        seen: dict[str, Student] = {}
        for s in roster.students:
            if key(s) in seen:
                raise RosterError(
                    f"--roster {roster.path}: {seen[key(s)].name or key(s)} and {s.name or key(s)} "
                    f"share the {what} {key(s)!r}; every student needs their own: fix the roster")
            seen[key(s)] = s
