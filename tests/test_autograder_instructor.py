"""What a new instructor tripped over: output paths checked before grading, atomic CSV with the
user's umask, grade outputs git-ignored, a class report that counts a missing submission as every
case failed and shows the statuses, and messages that say exactly what to pass."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from autograder_fixtures import ASSIGNMENT, NB_NAME, ROOT, SOURCE

from autograder import cli
from autograder.contract.results import CaseVerdict, SubmissionResult
from autograder.grading.assignment import graded_assignments, load_assignment
from autograder.intake import submissions
from autograder.records import report
from autograder.records.grades_csv import write_csv
from autograder.records.journal import Journal

EXERCISES = ["build_model", "dense", "sequential", "dense_v", "forward_v"]


@pytest.fixture(scope="module")
def spec():
    return load_assignment(ROOT, ASSIGNMENT)


def _course(tmp_path: Path) -> tuple[Path, Path]:
    """A course folder with the week-1 source and one student's submission."""
    root = tmp_path / "course"
    shutil.copytree(ROOT / "notebooks" / ASSIGNMENT, root / "notebooks" / ASSIGNMENT)
    (root / "submitted" / "alice" / ASSIGNMENT).mkdir(parents=True)
    shutil.copy(SOURCE, root / "submitted" / "alice" / ASSIGNMENT / NB_NAME)
    return root, root / "submitted"


def _grade(root: Path, submitted: Path, csv: str, *extra: str) -> int:
    return cli.main(["--root", str(root), "grade", ASSIGNMENT, str(submitted), "--csv", csv,
                     "--no-progress", *extra])


def _leftovers(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob(".tmp-*"))


# --- 1. output paths are checked before grading ---------------------------------------------------
@pytest.mark.parametrize("make_folder, slash", [(True, ""), (False, "/"), (True, "/")])
def test_csv_folder_is_refused_before_grading(tmp_path, capsys, make_folder, slash):
    root, submitted = _course(tmp_path)
    grades = tmp_path / "grades"
    if make_folder:
        grades.mkdir()
    code = _grade(root, submitted, f"{grades}{slash}")
    err = capsys.readouterr().err
    assert code == 2
    assert f"--csv {grades}{slash} is a folder" in err
    assert f"e.g. --csv {grades / 'week1.csv'}" in err and "nothing was graded" in err
    assert not (root / ".autograder").exists()  # no journal: grading never started
    assert not (root / "feedback").exists() and _leftovers(tmp_path) == []


@pytest.mark.parametrize("blocker", ["grades/week1_report.png", "grades/week1_summary.txt"])
def test_report_path_that_is_a_folder_is_refused_before_grading(tmp_path, capsys, blocker):
    root, submitted = _course(tmp_path)
    (tmp_path / blocker).mkdir(parents=True)
    assert _grade(root, submitted, str(tmp_path / "grades" / "week1.csv")) == 2
    assert f"{tmp_path / blocker} is a folder" in capsys.readouterr().err
    assert not (root / ".autograder").exists() and _leftovers(tmp_path) == []


def test_csv_under_a_file_is_refused(tmp_path, capsys):
    root, submitted = _course(tmp_path)
    (tmp_path / "notes.txt").write_text("not a folder")
    assert _grade(root, submitted, str(tmp_path / "notes.txt" / "week1.csv")) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'notes.txt'} is a file, so the folder" in err
    assert not (root / ".autograder").exists()


def test_feedback_file_in_the_way_is_refused_unless_no_feedback(tmp_path, capsys):
    root, submitted = _course(tmp_path)
    (root / "feedback").write_text("an old export")
    assert _grade(root, submitted, str(tmp_path / "g.csv")) == 2
    err = capsys.readouterr().err
    assert f"{root / 'feedback'} is a file" in err and "--no-feedback" in err
    assert not (root / ".autograder").exists()


def _rows(n_rows: int) -> list[SubmissionResult]:
    points = {e: 1.0 for e in EXERCISES}
    return [SubmissionResult.empty(f"s{i}", points) for i in range(n_rows)]


def test_csv_failure_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    out = tmp_path / "grades.csv"
    write_csv(out, EXERCISES, _rows(2))
    before = out.read_text()
    broken = _rows(3)
    broken[2].exercises = {}  # fails half-way through the rows
    with pytest.raises(KeyError):
        write_csv(out, EXERCISES, broken)
    assert out.read_text() == before and _leftovers(tmp_path) == []
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(IsADirectoryError):
        write_csv(tmp_path / "folder.csv", EXERCISES, _rows(1))
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_csv_is_created_with_the_users_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        write_csv(tmp_path / "grades.csv", EXERCISES, _rows(1))
        Journal(tmp_path, ASSIGNMENT).put("alice", "key", _rows(1)[0])
    finally:
        os.umask(old)
    assert (tmp_path / "grades.csv").stat().st_mode & 0o777 == mode
    # The journal stays readable by its owner only, whatever the umask.
    assert (tmp_path / ".autograder" / ASSIGNMENT / "alice.json").stat().st_mode & 0o777 == 0o600


# --- 3. grade outputs are git-ignored ---------------------------------------------------------------
IGNORED = ["grades/week1.csv", "grades/week1_report.png", "week1_grades.csv",
           "week1_grades_report.png", "week1_grades_summary.txt", "grades.csv",
           "some/where/week2_grades.csv", "feedback/alice/week1/feedback.html", "gradebook.db"]
KEPT = ["notebooks/week1/05_assignment_binary_digits.ipynb", "autograder/grading/grade.py",
        "docs/instructor_guide.md", "data/README.md", "tests/golden/README.md"]


def test_grade_outputs_are_git_ignored():
    def ignored(path):
        run = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "--no-index", "-q", path])
        assert run.returncode in (0, 1), run
        return run.returncode == 0

    assert [p for p in IGNORED if not ignored(p)] == []
    assert [p for p in KEPT if ignored(p)] == []


# --- 2. the class report --------------------------------------------------------------------------
def _result(spec, student: str, status: str, passed: dict[str, int] | None) -> SubmissionResult:
    """A result as grading makes it: ``passed[ex]`` cases of ``ex`` passed (None: no verdicts)."""
    r = SubmissionResult.empty(student, spec.points)
    r.status = status
    for ex, k in (passed or {}).items():
        n = len(spec.cases[ex])
        r.exercises[ex].cases = [CaseVerdict(f"c{i}", True, i < k) for i in range(n)]
        r.exercises[ex].points = round(spec.points[ex] * k / n, 4)
    r.score = round(sum(e.points for e in r.exercises.values()), 4)
    return r


def _class(spec) -> tuple[list[SubmissionResult], dict[str, list[int]], list[str]]:
    """30 students: 20 graded with varied passes, 2 partial with odd statuses, 8 without verdicts.
    Returns the results, the passes per exercise per student (0 for no verdicts), statuses."""
    import numpy as np

    rng = np.random.default_rng(7)
    statuses = (["graded"] * 20 + ["timeout", "cells_changed"] + ["missing"] * 5
                + ["malformed"] * 2 + ["error"])
    results, passes = [], {ex: [] for ex in EXERCISES}
    for i, status in enumerate(statuses):
        if status in ("missing", "malformed", "error"):
            results.append(_result(spec, f"s{i:02d}", status, None))
            for ex in EXERCISES:
                passes[ex].append(0)
            continue
        all_or_none = i < 10  # the first ten either solved an exercise or did not
        got = {}
        for ex in EXERCISES:
            n = len(spec.cases[ex])
            got[ex] = int(rng.choice([0, n])) if all_or_none else int(rng.integers(0, n + 1))
            passes[ex].append(got[ex])
        results.append(_result(spec, f"s{i:02d}", status, got))
    return results, passes, statuses


def test_summary_counts_a_missing_submission_as_every_case_failed(spec):
    n_cases = {ex: len(spec.cases[ex]) for ex in EXERCISES}
    solved = {ex: n_cases[ex] for ex in EXERCISES}
    results = [_result(spec, f"s{i}", "graded", solved) for i in range(10)]
    results.append(_result(spec, "late", "missing", None))
    text = report.summary(ASSIGNMENT, n_cases, results)
    # Ten of eleven students passed every case: 10/11 of the (student, case) pairs, not 10·n/(10·n+1).
    for ex in EXERCISES:
        assert re.search(rf"{ex}\s+full marks  90\.9%   cases passed  90\.9%", text), text
    assert "status: missing 1, graded 10" in text


def test_summary_and_figure_of_a_realistic_class(spec):
    results, passes, statuses = _class(spec)
    n_cases = {ex: len(spec.cases[ex]) for ex in EXERCISES}
    text = report.summary(ASSIGNMENT, n_cases, results)
    for ex in EXERCISES:
        cases = sum(passes[ex]) / (30 * n_cases[ex])
        full = sum(k == n_cases[ex] for k in passes[ex]) / 30
        assert f"{ex:<14} full marks {full:6.1%}   cases passed {cases:6.1%}" in text
    # Statuses most serious first, as results.STATUSES orders them.
    assert "status: missing 5, malformed 2, error 1, timeout 1, cells_changed 1, graded 20" in text

    fig = report.report_figure(ASSIGNMENT, n_cases, results)
    ax_hist, ax_rate, ax_status = fig.axes
    # Histogram: one bar per whole point [k, k+1), the last one exactly full marks (12).
    assert [p.get_x() for p in ax_hist.patches] == list(range(13))
    assert [t.get_text() for t in ax_hist.get_xticklabels()] == [str(k) for k in range(13)]
    scores = [r.score for r in results]
    heights = [int(p.get_height()) for p in ax_hist.patches]
    assert heights == [sum(k <= s < k + 1 for s in scores) for k in range(13)]
    assert heights[12] == sum(s == 12.0 for s in scores)
    assert all(float(t).is_integer() for t in ax_hist.get_yticks())
    # Statuses: one bar per status present, most serious first, its count written on it.
    assert ax_status.get_title() == "statuses"
    labels = [t.get_text() for t in ax_status.get_yticklabels()]
    assert labels == ["missing", "malformed", "error", "timeout", "cells_changed", "graded"]
    assert [p.get_width() for p in ax_status.patches] == [statuses.count(s) for s in labels]
    assert [t.get_text() for t in ax_status.texts] == [str(statuses.count(s)) for s in labels]
    # Per exercise: the cases-passed bars equal the summary's rates.
    cases_bars = [p.get_width() for p in ax_rate.patches[:len(EXERCISES)]]
    assert cases_bars == pytest.approx([sum(passes[ex]) / (30 * n_cases[ex]) for ex in EXERCISES])


def test_write_report_renders_the_png(spec, tmp_path):
    results, _, _ = _class(spec)
    n_cases = {ex: len(spec.cases[ex]) for ex in EXERCISES}
    png, text = report.write_report(tmp_path / "r.png", tmp_path / "r.txt", ASSIGNMENT, n_cases,
                                    results)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert text.read_text() == report.summary(ASSIGNMENT, n_cases, results)


# --- 4. messages that say exactly what to do ------------------------------------------------------
def test_one_students_folder_names_the_folder_to_pass(tmp_path):
    alice = tmp_path / "submitted" / "alice"
    (alice / ASSIGNMENT).mkdir(parents=True)
    (alice / ASSIGNMENT / NB_NAME).write_text("{}")
    message = submissions.layout_problem(alice, ASSIGNMENT)
    assert f"pass {tmp_path / 'submitted'} instead" in message
    message = submissions.layout_problem(alice / ASSIGNMENT, ASSIGNMENT)
    assert f"pass {tmp_path / 'submitted'} instead" in message  # the grandparent, not the parent


def test_wrong_case_folder_is_named(tmp_path):
    submitted = tmp_path / "submitted"
    for student, folder in (("alice", "week1"), ("bob", "Week1")):
        (submitted / student / folder).mkdir(parents=True)
        shutil.copy(SOURCE, submitted / student / folder / NB_NAME)
    spec = load_assignment(ROOT, ASSIGNMENT)
    found = submissions.discover(submitted, ASSIGNMENT, spec.sources, spec.released)
    bob = next(s for s in found if s.student == "bob")
    assert bob.problem.status == "missing"
    assert bob.problem.message == "no week1/ folder (found Week1/: folder names are case-sensitive)"
    assert submissions.layout_problem(submitted, ASSIGNMENT) is None  # alice is fine


def test_wrong_case_for_the_whole_class_is_a_cli_error(tmp_path, capsys):
    root, submitted = _course(tmp_path)
    (submitted / "alice" / ASSIGNMENT).rename(submitted / "alice" / "WEEK1")
    (submitted / "bob" / "Week1").mkdir(parents=True)
    assert _grade(root, submitted, str(tmp_path / "g.csv")) == 2
    err = capsys.readouterr().err
    assert "but some have WEEK1/, Week1/: folder names are case-sensitive" in err
    assert "rename them to week1/" in err


def test_unknown_assignment_lists_the_gradable_ones(tmp_path, capsys):
    assert cli.main(["--root", str(ROOT), "grade", "week9", str(tmp_path), "--csv",
                     str(tmp_path / "g.csv"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "assignments that can be graded here: week1, week2, week3, week4" in err
    # A source folder without grading cases is not offered, nor one without a graded notebook.
    (tmp_path / "notebooks" / "week1").mkdir(parents=True)
    (tmp_path / "notebooks" / "extra").mkdir()
    (tmp_path / "notebooks" / "week5").mkdir()
    shutil.copy(ROOT / "notebooks" / "week1" / "05_assignment_binary_digits.ipynb",
                tmp_path / "notebooks" / "week1")
    shutil.copy(ROOT / "notebooks" / "week1" / "01_neurons_and_layers.ipynb",
                tmp_path / "notebooks" / "week5")
    assert graded_assignments(tmp_path) == ["week1"]


def test_grade_help_shows_the_defaults(capsys):
    with pytest.raises(SystemExit):
        cli.main(["grade", "--help"])
    text = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    for default in ("default: 60.0", "default: 300.0", "default: 4096",
                    f"default: {min(2, os.cpu_count() or 1)} on this machine"):
        assert default in text, default


COMMAND = re.compile(r"^\s*(autograder|nbgrader|jupyter|pytest|python)\b")


@pytest.mark.parametrize("doc", ["README.md", "docs/instructor_guide.md"])
def test_docs_commands_use_the_venv(doc):
    """Every command in a code block runs as typed after `make setup` (no activated venv)."""
    text = (ROOT / doc).read_text()
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    bare = [line for block in blocks for line in block.splitlines() if COMMAND.match(line)]
    if doc == "README.md":  # the conda route activates its environment first
        conda = re.search(r"### The conda route.*?```bash\n(.*?)```", text, flags=re.S).group(1)
        bare = [line for line in bare if line not in conda.splitlines()]
    # Inline commands with arguments too (`autograder grade` alone names the command).
    spans = re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.S))
    bare += [s for s in spans if COMMAND.match(s) and len(s.split()) > 2]
    assert bare == []
    assert ".venv/bin/autograder" in text


def test_a_write_failure_after_grading_keeps_the_grades(tmp_path, capsys, monkeypatch, spec):
    """Output paths that break during the run (checked fine before it): exit 2, the message says
    the grades are journaled and that re-running the command finishes the outputs."""
    from autograder.grading import batch
    from autograder.records import feedback

    root, submitted = _course(tmp_path)
    graded = [_result(spec, "alice", "graded", {ex: 1 for ex in EXERCISES})]
    monkeypatch.setattr(batch, "grade_batch", lambda *a, **k: (spec, graded))

    def fail(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(root / "feedback" / "alice"))

    monkeypatch.setattr(feedback, "write_feedback", fail)
    out = tmp_path / "grades" / "week1.csv"
    assert _grade(root, submitted, str(out)) == 2
    err = capsys.readouterr().err
    assert "could not write the outputs" in err and "Permission denied" in err
    assert f"every grade is kept in {root / '.autograder' / ASSIGNMENT}" in err
    assert "run the same command again" in err
    assert out.read_text().splitlines()[1].startswith("alice,")
    assert _leftovers(tmp_path) == []
