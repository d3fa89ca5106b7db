"""``autograder export``: grades back to Canvas, Moodle and a course CSV, matched by id; feedback
packed for the LMS's bulk upload; and the whole loop, download → collect → grade → export."""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import lms_downloads as lms
import nbformat
import pytest
from autograder_fixtures import SOURCE, _stubbed, source_notebook

from autograder import cli
from autograder.contract.results import SubmissionResult
from autograder.records.journal import Journal

POINTS = {"build_model": 2.0, "dense": 3.0, "sequential": 2.0, "dense_v": 3.0, "forward_v": 2.0}


def _result(student: str, earned: float, timestamp: str | None = None) -> SubmissionResult:
    r = SubmissionResult.empty(student, POINTS)
    for ex in r.exercises.values():
        ex.points = ex.max_points * earned
    r.timestamp = timestamp
    return r.finish([])


def _journal(root: Path, assignment: str, results: list[SubmissionResult]) -> None:
    journal = Journal(root, assignment)
    for r in results:
        journal.put(r.student_id, "key", r)


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def _export(root: Path, *args: str) -> int:
    return cli.main(["--root", str(root), "export", *args])


# --- Canvas --------------------------------------------------------------------------------------
def test_canvas_round_trip_matches_by_id_not_name(tmp_path, capsys):
    root, class_ = lms.course(tmp_path), lms.people(5)
    twin = lms.people(12)[10]  # "Li Wei10"…: make two students share a display name
    twin.sortable, class_[4].sortable = "Smith, John", "Smith, John"
    class_.append(twin)
    roster = tmp_path / "canvas_export.csv"
    roster.write_text(lms.canvas_roster(class_, points="100"), encoding="utf-8")
    graded = {p.sis_id: e for p, e in zip(class_, (1.0, 0.5, 0.25, 0.0, 0.75, 1.0))}
    del graded[class_[3].sis_id]  # on the roster, no grade
    _journal(root, "week1", [_result(s, e) for s, e in graded.items()] + [_result("ghost", 1.0)])
    assert _export(root, "week1", "--to", "canvas", "--roster", str(roster)) == 0
    out = capsys.readouterr().out
    rows = _rows(root / "grades" / "week1_canvas.csv")
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                       "Week 1 Binary digits (771)"]
    assert rows[1][0] == "Points Possible" and rows[1][5] == "100"
    by_id = {r[1]: r for r in rows[2:]}
    for p in class_:
        expected = "" if p.sis_id not in graded else f"{graded[p.sis_id] * 100:g}"
        assert by_id[str(p.canvas_id)][5] == expected, p
        assert by_id[str(p.canvas_id)][2:5] == [p.sis_id, p.username, "NN 101, Sect. A"]
    assert "1 roster students have no grade (left blank)" in out and class_[3].sis_id in out
    assert "1 graded students are not on the roster: ghost" in out
    assert "not in the file (no Canvas user id known" in out and "scaled from 12 to the 100" in out


def test_canvas_without_roster_uses_the_ids_collect_recorded(tmp_path, capsys):
    root, class_ = lms.course(tmp_path), lms.people(3)
    download = lms.write_zip(tmp_path / "s.zip", {lms.canvas_file(p, 900 + i, lms.NB): b"{}"
                                              for i, p in enumerate(class_)})
    assert cli.main(["--root", str(root), "collect", "week1", str(download), "--from", "canvas",
                     "--no-progress"]) == 0
    _journal(root, "week1", [_result(str(p.canvas_id), 1.0) for p in class_])
    out_file = tmp_path / "to_canvas.csv"
    assert _export(root, "week1", "--to", "canvas", "--out", str(out_file)) == 0
    rows = _rows(out_file)
    assert rows[0][-1] == "week1" and "Canvas imports as a new assignment" in capsys.readouterr().out
    assert sorted(r[1] for r in rows[2:]) == sorted(str(p.canvas_id) for p in class_)
    assert {r[5] for r in rows[2:]} == {"12"}


# --- Moodle --------------------------------------------------------------------------------------
def test_moodle_worksheet_round_trip(tmp_path, capsys):
    root, class_ = lms.course(tmp_path), lms.people(4)
    sheet = tmp_path / "Grades-NN101-Week 1-42.csv"
    sheet.write_text(lms.moodle_worksheet(class_, {}), encoding="utf-8")
    (root / "autograder.toml").write_text('[late.week1]\ndeadline = "2024-01-08T09:00+00:00"\n'
                                          'penalty = "10% per day"\n')
    _journal(root, "week1", [_result(class_[0].sis_id, 1.0, "2024-01-09 10:00:00+00:00"),
                             _result(class_[1].sis_id, 0.5)])
    assert _export(root, "week1", "--to", "moodle", "--roster", str(sheet)) == 0
    out = capsys.readouterr().out
    rows = _rows(root / "grades" / "week1_moodle.csv")
    header = rows[0]
    assert header == ["Identifier", "Full name", "Email address", "ID number", "Status", "Grade",
                      "Maximum Grade", "Grade can be changed", "Last modified (submission)",
                      "Last modified (grade)", "Feedback comments"]
    got = {r[0]: dict(zip(header, r)) for r in rows[1:]}
    first = got[f"Participant {class_[0].participant}"]
    assert first["Grade"] == "80"  # 12 - 20% (2 days begun), scaled to 100
    assert "week1: 9.6/12 (raw 12, 25.0 hours late: -20%)" in first["Feedback comments"]
    datetime.strptime(first["Last modified (grade)"], "%Y-%m-%d %H:%M:%S")
    assert got[f"Participant {class_[1].participant}"]["Grade"] == "50"
    assert got[f"Participant {class_[2].participant}"]["Grade"] == ""
    assert "2 roster students have no grade" in out


def test_moodle_needs_one_assignment_and_its_worksheet(tmp_path, capsys):
    root = lms.course(tmp_path)
    _journal(root, "week1", [_result("a", 1.0)])
    _journal(root, "week2", [_result("a", 1.0)])
    assert _export(root, "week1", "week2", "--to", "moodle") == 2
    assert "one assignment at a time" in capsys.readouterr().err
    canvas = tmp_path / "c.csv"
    canvas.write_text(lms.canvas_roster(lms.people(2)))
    assert _export(root, "week1", "--to", "moodle", "--roster", str(canvas)) == 2
    assert "Download grading worksheet" in capsys.readouterr().err


# --- lms.course CSV and errors -----------------------------------------------------------------------
def test_course_csv_has_every_assignment(tmp_path, capsys):
    root = lms.course(tmp_path)
    _journal(root, "week1", [_result("a", 1.0), _result("b", 0.5)])
    _journal(root, "week2", [_result("a", 0.25)])
    assert _export(root, "week1", "week2", "--to", "csv") == 0
    rows = _rows(root / "grades" / "course_csv.csv")
    assert rows[0] == ["student_id", "name", "week1", "week2", "total"]
    assert rows[1] == ["Points Possible", "", "12", "12", "24"]
    assert rows[2:] == [["a", "", "12", "3", "15"], ["b", "", "6", "", "6"]]


def test_export_bad_input(tmp_path, capsys):
    root = lms.course(tmp_path)
    assert _export(root, "week1", "--to", "csv") == 2
    assert "no grades of week1" in capsys.readouterr().err and "grade it first"
    _journal(root, "week1", [_result("a", 1.0)])
    (root / "grades").mkdir()
    assert _export(root, "week1", "--to", "csv", "--out", str(root / "grades")) == 2
    assert "is a folder" in capsys.readouterr().err
    assert _export(root, "week1", "--to", "csv", "--roster", str(root / "none.csv")) == 2
    assert "cannot be read" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        _export(root, "week1", "--to", "blackboard")


# --- feedback for the LMS's bulk upload ----------------------------------------------------------
def _feedback(root: Path, student: str) -> None:
    page = root / "feedback" / student / "week1" / "feedback.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(f"<p>{student}</p>")


def test_feedback_zips_are_named_as_each_lms_matches_them(tmp_path):
    root, class_ = lms.course(tmp_path), lms.people(3)
    files = {lms.canvas_file(p, 900 + i, lms.NB, late=i == 1): b"{}" for i, p in enumerate(class_)}
    assert cli.main(["--root", str(root), "collect", "week1",
                     str(lms.write_zip(tmp_path / "c.zip", files)), "--from", "canvas"]) == 0
    for p in class_:
        _feedback(root, str(p.canvas_id))
    _journal(root, "week1", [_result(str(p.canvas_id), 1.0) for p in class_])
    out = tmp_path / "canvas_feedback.zip"
    assert _export(root, "week1", "--to", "canvas", "--feedback-zip", str(out)) == 0
    names = zipfile.ZipFile(out).namelist()
    # Canvas's re-upload: the first two all-digit "_" parts are the user id and the attachment id.
    got = {tuple(part for part in n.split("_") if re.fullmatch(r"\d+", part))[:2] for n in names}
    assert got == {(str(p.canvas_id), str(900 + i)) for i, p in enumerate(class_)}
    # Moodle: fullname_participantid_assignfeedback_file_<file>, split on "_" at most 5 times.
    shutil.rmtree(root / ".autograder")
    shutil.rmtree(root / "feedback")
    files = {lms.moodle_file(p, lms.NB): b"{}" for p in class_}
    sheet = tmp_path / "w.csv"
    sheet.write_text(lms.moodle_worksheet(class_, {}))
    assert cli.main(["--root", str(root), "collect", "week1", str(lms.write_zip(tmp_path / "m.zip", files)),
                     "--from", "moodle", "--roster", str(sheet), "--into", "moodle_in"]) == 0
    for p in class_:
        _feedback(root, p.sis_id)
    _journal(root, "week1", [_result(p.sis_id, 1.0) for p in class_])
    out = tmp_path / "moodle_feedback.zip"
    assert _export(root, "week1", "--to", "moodle", "--roster", str(sheet),
                   "--feedback-zip", str(out)) == 0
    parts = sorted(n.split("_", 4) for n in zipfile.ZipFile(out).namelist())
    assert parts == sorted([p.full, str(p.participant), "assignfeedback", "file", "feedback.html"]
                           for p in class_)


# --- the whole loop ------------------------------------------------------------------------------
def _honest() -> bytes:
    return SOURCE.read_bytes()


def _stub() -> bytes:
    nb = source_notebook()
    _stubbed(nb, {})
    return nbformat.writes(nb).encode()


def _class_course(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    shutil.copytree(SOURCE.parent, root / "notebooks" / "week1")
    (root / "autograder.toml").write_text(
        '[late]\ntimezone = "Europe/Paris"\npenalty = "10% per day"\nzero_after = "5 days"\n'
        '[late.week1]\ndeadline = "2024-01-08 09:00"\n')
    return root


def _grade(root: Path, submitted: str, csv_name: str) -> None:
    assert cli.main(["--root", str(root), "grade", "week1", str(root / submitted), "--csv",
                     str(root / "grades" / csv_name), "--no-progress"]) == 0


def test_canvas_and_moodle_class_end_to_end(tmp_path, capsys):
    """30 students: late ones, resubmissions, one hostile entry, one missing; collect → grade →
    export; the LMS file is checked student by student, by id."""
    root, class_ = _class_course(tmp_path), lms.people(30)
    absent, latecomers, resubmitters = class_[29], class_[:4], class_[4:6]
    honest, stub = _honest(), _stub()
    # Canvas: LATE for four; two re-uploads (the first upload a stub); one hostile entry.
    files = {}
    for i, p in enumerate(class_[:29]):
        if p in resubmitters:
            files[lms.canvas_file(p, 800 + i, lms.NB)] = stub
            files[lms.canvas_file(p, 900 + i, lms.NB.replace(".ipynb", "-1.ipynb"))] = honest
        else:
            files[lms.canvas_file(p, 900 + i, lms.NB, late=p in latecomers)] = \
                stub if p is class_[7] else honest
    files[f"../../../home/instructor_1_2_{lms.NB}"] = honest
    canvas_zip = lms.write_zip(tmp_path / "NN101-Week1 submissions.zip", files)
    roster = tmp_path / "2024-01-10T1200_Grades-NN101.csv"
    roster.write_text(lms.canvas_roster(class_), encoding="utf-8")
    assert cli.main(["--root", str(root), "collect", "week1", str(canvas_zip), "--from", "canvas",
                     "--roster", str(roster), "--into", "submitted_canvas"]) == 0
    out = capsys.readouterr().out
    assert "late: 4" in out and "students with more than one notebook: 2" in out
    assert f"missing (on the roster, nothing in this download): 1\n    {absent.sortable} " \
           f"({absent.sis_id})" in out
    assert "../../../home/instructor_1_2_" in out and "its path leaves the download" in out
    _grade(root, "submitted_canvas", "week1_canvas_grades.csv")
    capsys.readouterr()
    assert cli.main(["--root", str(root), "export", "week1", "--to", "canvas", "--roster",
                     str(roster)]) == 0
    report = capsys.readouterr().out
    rows = _rows(root / "grades" / "week1_canvas.csv")
    assert rows[0][5] == "Week 1 Binary digits (771)"
    by_id = {r[1]: r[5] for r in rows[2:]}
    assert len(by_id) == 30
    for p in class_:
        expected = "" if p is absent else "0" if p is class_[7] else "12"
        assert by_id[str(p.canvas_id)] == expected, p  # Canvas's LATE gives no time: no penalty
    assert "4 marked late by the LMS without a submission time" in report
    assert "1 roster students have no grade (left blank)" in report

    # Moodle: folders, the worksheet gives the submission times (Paris time).
    files = {}
    times = {}
    for i, p in enumerate(class_[:29]):
        day = 8 if p in latecomers else 7  # two hours late, one day begun: -10%
        times[p.participant] = f"Monday, {day} January 2024, 11:{i:02d} AM"
        files[lms.moodle_file(p, lms.NB)] = stub if p is class_[7] else honest
    files[lms.moodle_file(class_[10], "link.ipynb").replace("_file/", "_file/sub/../../")] = honest
    moodle_zip = lms.write_zip(tmp_path / "NN101-Week 1-42.zip", files)
    sheet = tmp_path / "Grades-NN101-Week 1-42.csv"
    sheet.write_text(lms.moodle_worksheet(class_, times), encoding="utf-8")
    assert cli.main(["--root", str(root), "collect", "week1", str(moodle_zip), "--from", "moodle",
                     "--roster", str(sheet), "--into", "submitted_moodle"]) == 0
    out = capsys.readouterr().out
    assert "late: 4 (times read as Europe/Paris)" in out and "its path leaves the download" in out
    _grade(root, "submitted_moodle", "week1_moodle_grades.csv")
    grades = {r["student_id"]: r for r in csv.DictReader(
        (root / "grades" / "week1_moodle_grades.csv").open(encoding="utf-8"))}
    assert grades[latecomers[0].sis_id]["penalty"] == "1.2"
    assert grades[latecomers[0].sis_id]["final_score"] == "10.8"
    capsys.readouterr()
    assert cli.main(["--root", str(root), "export", "week1", "--to", "moodle", "--roster",
                     str(sheet), "--feedback-zip", str(tmp_path / "feedback.zip")]) == 0
    rows = _rows(root / "grades" / "week1_moodle.csv")
    got = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    for p in class_:
        grade = got[f"Participant {p.participant}"]["Grade"]
        expected = "" if p is absent else "0" if p is class_[7] else \
            "90" if p in latecomers else "100"
        assert grade == expected, p
    names = zipfile.ZipFile(tmp_path / "feedback.zip").namelist()
    assert len(names) == 29 and all(n.split("_", 4)[2:4] == ["assignfeedback", "file"]
                                    for n in names)
