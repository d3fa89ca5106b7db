"""Realistic LMS files for the collect/late/export tests, named as each LMS names them.

Canvas: ``lib/content_zipper.rb`` (instructure/canvas-lms); Moodle: ``mod/assign/classes/
downloader.php`` and the grading worksheet's columns (``mod/assign/gradingtable.php``);
Blackboard: ``<Assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>_<file>`` and its receipt.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

NB = "05_assignment_binary_digits.ipynb"


@dataclass
class Person:
    sortable: str  # "Last, First" as Canvas sorts it
    full: str  # "First Last"
    canvas_id: int
    sis_id: str
    participant: int  # Moodle's participant id
    username: str


def people(n: int) -> list[Person]:
    """A class of ``n``: commas, apostrophes and non-ASCII in names, odd ids."""
    firsts = ["Seán", "Zoë", "John, Jr.", "Ана", "Li", "Marie-Claire", "Ngozi", "Kōji"]
    lasts = ["O'Brien", "Müller", "Smith", "Иванова", "Wei", "d'Arc", "Okafor", "Satō"]
    out = []
    for i in range(n):
        first, last = firsts[i % len(firsts)], f"{lasts[i % len(lasts)]}{'' if i < 8 else i}"
        out.append(Person(f"{last}, {first}", f"{first} {last}", 40000 + 7 * i,
                          f"S{i:04d}-x", 510000 + 13 * i, f"u{i:03d}_lms"))
    return out


def canvas_file(p: Person, attachment: int, name: str, late: bool = False) -> str:
    """Canvas's name for an uploaded file (ContentZipper#get_filename + attachment id)."""
    user = re.sub(r"_(\d+)_", r"\1", p.sortable).lower()
    base = re.sub(r"[^\w]", "", "_".join([user, *(["LATE"] if late else []), str(p.canvas_id)]))
    shown = re.sub(r'[\x00/\\:*?"<>|]+', "_", name)
    return f"{base}_{attachment}_{shown}"


def canvas_roster(students: list[Person], column: str = "Week 1 Binary digits (771)",
                  points: str = "12") -> str:
    """Canvas's gradebook export: BOM, quoted names with commas, the Points Possible row."""
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", column,
                     "Current Score", "Final Score"])
    writer.writerow(["    Points Possible", "", "", "", "", points, "(read only)", "(read only)"])
    for p in students:
        writer.writerow([p.sortable, p.canvas_id, p.sis_id, p.username, "NN 101, Sect. A", "", "", ""])
    return "\ufeff" + buf.getvalue()


def moodle_file(p: Person, name: str, folders: bool = True) -> str:
    prefix = f"{p.full.replace('_', ' ')}_{p.participant}_assignsubmission_file"
    return f"{prefix}/{name}" if folders else f"{prefix}_{name}"


MOODLE_HEADER = ["Identifier", "Full name", "Email address", "ID number", "Status", "Grade",
                 "Maximum Grade", "Grade can be changed", "Last modified (submission)",
                 "Last modified (grade)", "Feedback comments"]


def moodle_worksheet(students: list[Person], times: dict[int, str], maximum: str = "100.00") -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(MOODLE_HEADER)
    for p in students:
        when = times.get(p.participant, "-")
        writer.writerow([f"Participant {p.participant}", p.full, f"{p.username}@uni.example",
                         p.sis_id, "Submitted for grading" if when != "-" else "No submission",
                         "", maximum, "Yes", when, "-", ""])
    return "\ufeff" + buf.getvalue()


def blackboard_files(assignment: str, p: Person, stamp: str, name: str) -> dict[str, bytes]:
    """The file and its receipt, as Blackboard's Download Assignment writes them."""
    base = f"{assignment}_{p.username.replace('_', '')}_attempt_{stamp}"
    receipt = (f"Name: {p.full} ({p.username.replace('_', '')})\nAssignment: {assignment}\n"
               f"Date Submitted: Monday, January 8, 2024 11:23:45 AM GMT\nCurrent Grade: Needs "
               f"Grading\n\nSubmission Field:\nThere is no student submission text data for this "
               f"assignment.\n\nComments:\nThere are no student comments for this assignment.\n\n"
               f"Files:\n\tOriginal filename: {name}\n\tFilename: {base}_{name}\n")
    return {f"{base}_{name}": b"", f"{base}.txt": receipt.encode()}


def write_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def course(tmp_path: Path) -> Path:
    """A course folder with week1's notebook names (collect reads only the names)."""
    root = tmp_path / "course"
    (root / "notebooks" / "week1").mkdir(parents=True)
    (root / "notebooks" / "week1" / NB).write_text("{}")
    return root
