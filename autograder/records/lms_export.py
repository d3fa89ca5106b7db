"""``autograder export``: the final scores, from the journal, as the LMS imports them.

Every export recomputes the final scores from the journal (``.autograder/<assignment>/``) with the
late rules, extensions and overrides in force now (:mod:`autograder.records.late`): nothing is
graded again. Students are matched by id, never by name: the roster's LMS and course ids, or the
ids ``autograder collect`` recorded (``.autograder/lms/<assignment>.json``).

- ``canvas``: a CSV for Canvas's gradebook import (Grades > Import): ``Student, ID, SIS User ID,
  SIS Login ID, Section``, a ``Points Possible`` row, and one column per assignment named
  ``Title (assignment id)`` as the roster (Canvas's gradebook export) names it; an assignment the
  roster does not have gets a column of its own name, which Canvas imports as a new assignment.
- ``moodle``: the assignment's offline grading worksheet (Moodle's "Upload grading worksheet"):
  the worksheet given as ``--roster`` with ``Grade``, ``Feedback comments`` and ``Last modified
  (grade)`` filled in, or one made from the participant ids ``collect`` recorded.
- ``csv``: one row per student, one column per assignment's final score.

A score is scaled to the points the LMS gives the assignment when they differ (the roster's
``Points Possible`` or ``Maximum Grade``). Roster students with no grade and graded students not on
the roster are listed in the report, never dropped silently. ``feedback_zip`` packs each
student's ``feedback/<student>/<assignment>/feedback.html`` as the LMS's bulk feedback upload
expects (Canvas: "Re-Upload Submissions", Moodle: "Upload multiple feedback files in a zip").
"""

from __future__ import annotations

import csv
import json
import os
import re
import secrets
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from autograder.contract.results import SubmissionResult
from autograder.records import late
from autograder.records.atomic import atomic_write
from autograder.records.grades_csv import format_points
from autograder.records.lms_manifest import read_manifest
from autograder.records.roster import Roster, Student

TARGETS = ("canvas", "moodle", "csv")
_CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


class ExportError(ValueError):
    """Nothing can be exported; ``str(exc)`` names the problem and the fix."""


@dataclass
class Graded:
    """One assignment's journaled results and their final scores."""

    assignment: str
    results: dict[str, SubmissionResult]
    finals: dict[str, late.Final]
    manifest: dict
    max_score: float = 0.0


@dataclass
class Report:
    out: Path
    rows: int = 0
    lines: list[str] = field(default_factory=list)

    def text(self) -> str:
        head = f"wrote {self.out} ({self.rows} students)"
        return "\n".join([head, *(f"  {line}" for line in self.lines)]) + "\n"


def journal_results(root: Path, assignment: str) -> dict[str, SubmissionResult]:
    """Every result journaled for ``assignment``, by student id (damaged files are skipped, as
    ``grade`` skips them)."""
    folder = Path(root) / ".autograder" / assignment
    out = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            result = SubmissionResult.from_json(json.loads(path.read_bytes())["result"])
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            continue
        out[result.student_id] = result
    return out


def load_graded(root: Path, assignment: str, rules: late.Rules) -> Graded:
    results = journal_results(root, assignment)
    if not results:
        raise ExportError(f"no grades of {assignment} in {Path(root) / '.autograder' / assignment}: "
                          f"grade it first (autograder grade {assignment} submitted/ --csv "
                          f"grades/{assignment}.csv), or check the assignment name and --root")
    finals = {s: late.final(rules, assignment, r) for s, r in results.items()}
    top = max(r.max_score for r in results.values())
    return Graded(assignment, results, finals, read_manifest(root, assignment), top)


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def canvas_column(roster: Roster | None, assignment: str) -> str | None:
    """The roster's column for ``assignment`` (``Week 1: Digits (123456)``), or ``None``."""
    if roster is None or roster.kind != "canvas":
        return None
    want = _norm(assignment)
    titles = {c: re.sub(r"\s*\(\d+\)\s*$", "", c) for c in roster.header[5:]}
    exact = [c for c, t in titles.items() if _norm(t) == want]
    if exact:
        return exact[0]
    near = [c for c, t in titles.items() if _norm(t).startswith(want)
            and not _norm(t)[len(want):len(want) + 1].isdigit()]
    if len(near) > 1:
        raise ExportError(f"the roster has several columns for {assignment} ({', '.join(near)}): "
                          "rename the assignment in Canvas or delete the other columns from the "
                          "roster file")
    return near[0] if near else None


def _scaled(points: float, ours: float, theirs: str) -> tuple[float, bool]:
    try:
        top = float(theirs)
    except (TypeError, ValueError):
        return points, False
    if top <= 0 or abs(top - ours) < 1e-9:
        return points, False
    return points * top / ours, True


def _points(x: float) -> str:
    return format_points(round(x, 2))


def _lms_id(graded: dict[str, Graded], student: str) -> tuple[str, str]:
    for g in graded.values():
        record = g.manifest.get("students", {}).get(student)
        if record and record.get("lms_id"):
            return record["lms_id"], record.get("name", "")
    return "", ""


def _check_roster(graded: dict[str, Graded], roster: Roster | None, report: Report) -> None:
    if roster is None:
        return
    on_roster = roster.by_graded_id()
    for a, g in graded.items():
        missing = [f"{s.name or s.student_id} ({s.student_id})" for s in roster.students
                   if s.graded_id not in g.results]
        if missing:
            report.lines.append(f"{a}: {len(missing)} roster students have no grade (left blank): "
                                + "; ".join(missing))
        extra = sorted(set(g.results) - set(on_roster))
        if extra:
            report.lines.append(f"{a}: {len(extra)} graded students are not on the roster: "
                                + ", ".join(extra))


def _late_notes(g: Graded, report: Report) -> None:
    flagged = [s for s, rec in g.manifest.get("students", {}).items()
               if any(f.get("late") and not f.get("submitted") for f in rec.get("files", []))]
    if flagged:
        report.lines.append(f"{g.assignment}: {len(flagged)} marked late by the LMS without a "
                            "submission time (no penalty applied here; the LMS's own late policy "
                            "applies on import, if set): " + ", ".join(sorted(flagged)))
    late_ones = [f"{s} ({f.note})" for s, f in sorted(g.finals.items()) if f.penalty]
    if late_ones:
        report.lines.append(f"{g.assignment}: late penalty for {len(late_ones)}: "
                            + ", ".join(late_ones))


def export_canvas(graded: dict[str, Graded], roster: Roster | None, out: Path) -> Report:
    report = Report(out)
    if roster is not None and roster.kind != "canvas":
        raise ExportError(f"--roster {roster.path} is a {roster.kind} roster: --to canvas needs "
                          "Canvas's gradebook export (Grades > Export) to match students by id")
    columns, scale = {}, {}
    for a, g in graded.items():
        column = canvas_column(roster, a)
        columns[a] = column or a
        possible = roster.points_possible.get(column, "") if roster and column else ""
        scale[a] = possible
        if column is None:
            report.lines.append(f"{a}: the roster has no column for it: written as {a!r}, which "
                                "Canvas imports as a new assignment")
        elif _scaled(1, g.max_score, possible)[1]:
            report.lines.append(f"{a}: scores scaled from {g.max_score:g} to the {possible} points "
                                "Canvas gives the assignment")
    header = [*_CANVAS_COLUMNS, *columns.values()]
    rows = [["Points Possible", "", "", "", "",
             *(scale[a] or format_points(g.max_score) for a, g in graded.items())]]

    def scores(graded_id: str) -> list[str]:
        cells = []
        for a, g in graded.items():
            f = g.finals.get(graded_id)
            cells.append("" if f is None else _points(_scaled(f.final, g.max_score, scale[a])[0]))
        return cells

    listed = set()
    if roster is not None:
        for s in roster.students:
            rows.append([s.row.get(c, "") for c in _CANVAS_COLUMNS] + scores(s.graded_id))
            listed.add(s.graded_id)
    everyone = sorted({s for g in graded.values() for s in g.results})
    unknown = []
    for student in everyone:
        if student in listed:
            continue
        lms_id, name = _lms_id(graded, student)
        if roster is not None and not lms_id:
            unknown.append(student)
            continue
        rows.append([name or student, lms_id or student, "" if lms_id else student, "", ""]
                    + scores(student))
    _check_roster(graded, roster, report)
    if unknown:
        report.lines.append(f"not in the file (no Canvas user id known; collect the Canvas "
                            f"download or add them to Canvas): {', '.join(unknown)}")
    for g in graded.values():
        _late_notes(g, report)
    _write_csv(out, header, rows)
    report.rows = len(rows) - 1
    return report


def feedback_comment(g: Graded, student: str) -> str:
    r, f = g.results[student], g.finals[student]
    parts = [f"{g.assignment}: {format_points(f.final)}/{format_points(r.max_score)}"]
    if f.penalty:
        parts.append(f"(raw {format_points(f.raw)}, {f.note})")
    exercises = ", ".join(f"{ex} {format_points(f.points(r, ex))}/{format_points(x.max_points)}"
                          for ex, x in r.exercises.items())
    text = " ".join(parts) + (f". {exercises}." if exercises else ".")
    for ex, (_, new, why) in f.overrides.items():
        text += f" {ex}: {format_points(new)} points by hand ({why or 'manual grade'})."
    if r.status not in ("graded", "renamed", "cells_changed", "older_release"):
        text += f" Status: {r.status}."
    return text


def _moodle_time() -> str:
    # strtotime() reads this; Moodle compares it with the grade's own time before importing.
    return datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def export_moodle(graded: dict[str, Graded], roster: Roster | None, out: Path) -> Report:
    if len(graded) != 1:
        raise ExportError("--to moodle writes one assignment's grading worksheet: export one "
                          "assignment at a time")
    (a, g), = graded.items()
    report = Report(out)
    if roster is not None and roster.kind != "moodle":
        raise ExportError(f"--roster {roster.path} is a {roster.kind} roster: --to moodle needs "
                          f"{a}'s grading worksheet (Moodle: the assignment's Submissions page > "
                          "Download grading worksheet)")
    header = list(roster.header) if roster else ["Identifier", "Full name", "Grade",
                                                   "Maximum Grade", "Last modified (grade)",
                                                   "Feedback comments"]
    for column in ("Grade", "Last modified (grade)", "Feedback comments"):
        if column not in header:
            header.append(column)
    now, rows, listed, scaled = _moodle_time(), [], set(), False

    def fill(row: dict[str, str], student: str) -> None:
        nonlocal scaled
        f = g.finals.get(student)
        if f is None:
            return
        points, did = _scaled(f.final, g.max_score, row.get("Maximum Grade", ""))
        scaled |= did
        row.update({"Grade": _points(points), "Last modified (grade)": now,
                    "Feedback comments": feedback_comment(g, student)})

    if roster is not None:
        for s in roster.students:
            row = dict(s.row)
            fill(row, s.graded_id)
            rows.append([row.get(c, "") for c in header])
            listed.add(s.graded_id)
    unknown = []
    for student in sorted(g.results):
        if student in listed:
            continue
        lms_id, name = _lms_id(graded, student)
        if not lms_id:
            unknown.append(student)
            continue
        row = {"Identifier": f"Participant {lms_id}", "Full name": name or student,
               "Maximum Grade": format_points(g.max_score)}
        fill(row, student)
        rows.append([row.get(c, "") for c in header])
    _check_roster(graded, roster, report)
    if unknown:
        report.lines.append(f"not in the worksheet (no Moodle participant id known; collect the "
                            f"Moodle download or pass its worksheet as --roster): {', '.join(unknown)}")
    if scaled:
        report.lines.append(f"{a}: scores scaled from {g.max_score:g} to the worksheet's "
                            "Maximum Grade")
    _late_notes(g, report)
    _write_csv(out, header, rows)
    report.rows = len(rows)
    return report


def export_course(graded: dict[str, Graded], roster: Roster | None, out: Path) -> Report:
    report = Report(out)
    header = ["student_id", "name", *graded, "total"]
    rows = [["Points Possible", "", *(format_points(g.max_score) for g in graded.values()),
             format_points(sum(g.max_score for g in graded.values()))]]
    names = {s.graded_id: s.name for s in roster.students} if roster else {}
    everyone = [s.graded_id for s in roster.students] if roster else []
    everyone += sorted({s for g in graded.values() for s in g.results} - set(everyone))
    for student in everyone:
        cells = [g.finals[student].final if student in g.finals else None for g in graded.values()]
        rows.append([student, names.get(student) or _lms_id(graded, student)[1],
                     *("" if c is None else format_points(c) for c in cells),
                     format_points(sum(c for c in cells if c is not None))])
    _check_roster(graded, roster, report)
    for g in graded.values():
        _late_notes(g, report)
    _write_csv(out, header, rows)
    report.rows = len(rows) - 1
    return report


def _write_csv(out: Path, header: list[str], rows: list[list[str]]) -> None:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(out, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def feedback_zip(root: Path, g: Graded, lms: str, roster: Roster | None, out: Path) -> Report:
    """Each student's feedback page in a zip named as ``lms`` matches files to students."""
    report = Report(out)
    by_id: dict[str, Student] = roster.by_graded_id() if roster else {}
    names, skipped, absent = {}, [], []
    for student in sorted(g.results):
        page = Path(root) / "feedback" / student / g.assignment / "feedback.html"
        if not page.is_file():
            absent.append(student)
            continue
        record = g.manifest.get("students", {}).get(student, {})
        if lms == "canvas":
            prefix = next((f["prefix"] for f in record.get("files", []) if f.get("prefix")), "")
            name = f"{prefix}feedback.html" if prefix else None
        else:
            pid = record.get("lms_id") or (by_id[student].lms_id if student in by_id else "")
            full = (record.get("name") or (by_id[student].name if student in by_id else "")
                    or "student").replace("_", " ").replace("/", " ")
            name = f"{full}_{pid}_assignfeedback_file_feedback.html" if pid.isdigit() else None
        if name is None:
            skipped.append(student)
            continue
        names[name] = page
    if not names:
        raise ExportError(f"no feedback page of {g.assignment} can be matched to a {lms} student "
                          "(they are matched by the ids `autograder collect` recorded): collect "
                          f"the {lms} download, grade, then export again")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".tmp-{secrets.token_hex(6)}-{out.name}")
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, page in sorted(names.items()):
                archive.write(page, name)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    report.rows = len(names)
    if skipped:
        report.lines.append(f"no {lms} id recorded, so not in the zip: {', '.join(skipped)}")
    if absent:
        report.lines.append(f"no feedback page (graded with --no-feedback?): {', '.join(absent)}")
    return report


def export(assignments: list[str], to: str, root: Path, out: Path, roster: Roster | None = None,
           feedback: Path | None = None) -> list[Report]:
    """Write ``out`` (and ``feedback``); the reports. :class:`ExportError` or
    :class:`autograder.records.late.LateRulesError` when nothing can be written."""
    rules = late.load_rules(root)
    graded = {a: load_graded(root, a, rules) for a in assignments}
    writer = {"canvas": export_canvas, "moodle": export_moodle, "csv": export_course}[to]
    reports = [writer(graded, roster, out)]
    if feedback is not None:
        if to == "csv" or len(graded) != 1:
            raise ExportError("--feedback-zip packs one assignment's feedback for --to canvas or "
                              "--to moodle: export one assignment at a time")
        reports.append(feedback_zip(root, next(iter(graded.values())), to, roster, feedback))
    return reports
