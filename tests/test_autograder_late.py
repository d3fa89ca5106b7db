"""Late rules, extensions and manual overrides: the final score from the journal, recomputed on
every export, never stored with the grade."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import pytest

from autograder import cli
from autograder.contract.results import SubmissionResult
from autograder.records import late
from autograder.records.grades_csv import write_csv
from autograder.records.journal import Journal

POINTS = {"dense": 3.0, "sequential": 3.0, "forward_v": 4.0}
CONFIG = """\
[late]
timezone = "Europe/London"
grace = "15 minutes"
penalty = "10% per day"
floor = "50%"
zero_after = "7 days"

[late.week1]
deadline = "2024-03-01 23:59"
"""


def _result(student: str, timestamp: str | None, earned: float = 1.0) -> SubmissionResult:
    r = SubmissionResult.empty(student, POINTS)
    for ex in r.exercises.values():
        ex.points = ex.max_points * earned
    r.timestamp = timestamp
    return r.finish([])


def _root(tmp_path: Path, config: str = CONFIG, **files: str) -> Path:
    (tmp_path / "autograder.toml").write_text(config, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("stamp, penalty, note", [
    (None, 0, "no submission time"),
    ("2024-03-01 23:00:00+00:00", 0, ""),                 # on time
    ("2024-03-02 00:10:00+00:00", 0, ""),                 # within the 15-minute grace
    ("2024-03-02 00:20:00", 1.0, "late: -10%"),           # no offset: UTC, as nbgrader reads it
    ("2024-03-04 12:00:00+00:00", 3.0, "late: -30%"),     # 2.5 days: three days begun
    ("2024-03-07 12:00:00+00:00", 5.0, "late: -50%"),     # 60% but the floor keeps half
    ("2024-03-09 12:00:00+00:00", 10.0, ": 0"),           # beyond 7 days: zero
])
def test_penalty_rule(tmp_path, stamp, penalty, note):
    rules = late.load_rules(_root(tmp_path))
    f = late.final(rules, "week1", _result("s1", stamp))
    assert (f.raw, f.penalty, f.final) == (10.0, penalty, 10.0 - penalty)
    assert note in f.note


def test_per_hour_and_offset_deadline(tmp_path):
    rules = late.load_rules(_root(tmp_path, '[late.week1]\ndeadline = "2024-03-01T12:00+05:00"\n'
                                            'penalty = "2% per hour"\n'))
    f = late.final(rules, "week1", _result("s1", "2024-03-01 09:30:00+00:00"))  # 2.5 h late
    assert f.penalty == pytest.approx(0.6) and f.late_by == timedelta(hours=2, minutes=30)


def test_extensions_move_the_deadline(tmp_path):
    root = _root(tmp_path, extensions="student_id,assignment,deadline,days\n"
                                      "s1,week1,2024-03-05 12:00,\n"
                                      "s2,week1,,3\n"
                                      "s3,*,,1\n")
    rules = late.load_rules(root)
    stamp = "2024-03-04 10:00:00+00:00"
    assert [late.final(rules, "week1", _result(s, stamp)).penalty for s in ("s1", "s2", "s3", "s4")] \
        == [0, 0, 2.0, 3.0]


def test_overrides_replace_points_with_a_reason_and_late_applies_after(tmp_path):
    root = _root(tmp_path, overrides="student_id,assignment,exercise,points,reason\n"
                                     's1,week1,forward_v,4,"regraded by hand: the loop is fine"\n')
    rules = late.load_rules(root)
    f = late.final(rules, "week1", _result("s1", "2024-03-02 01:00:00+00:00", earned=0.5))
    assert (f.raw, f.penalty, f.final) == (7.0, 0.7, 6.3)
    assert f.overrides == {"forward_v": (2.0, 4.0, "regraded by hand: the loop is fine")}


@pytest.mark.parametrize("config, files, expected", [
    ("[late.week1]\ndeadline = \"March 1st\"\n", {}, "is not a date and time"),
    ("[late]\ntimezone = \"Mars/Base\"\n", {}, "IANA"),
    ("[late.week1]\npenalty = \"a lot\"\n", {}, "10% per day"),
    ("[late.week1]\ngrace = \"soon\"\n", {}, "15 minutes"),
    ("[late.week1]\nfloor = \"150%\"\n", {}, "is not a share"),
    ("[late\n", {}, "is not valid TOML"),
    ("", {"extensions": "who,when\n"}, "needs the columns assignment, student_id"),
    ("", {"extensions": "student_id,assignment\ns1,week1\n"}, "give the new deadline"),
    ("", {"overrides": "student_id,assignment,exercise,points\ns1,week1,dense,lots\n"},
     "is not a number"),
])
def test_bad_rules_name_the_file_and_the_fix(tmp_path, config, files, expected):
    with pytest.raises(late.LateRulesError, match=expected.replace("(", r"\(")) as info:
        late.load_rules(_root(tmp_path, config, **files))
    assert str(tmp_path) in str(info.value)


def test_override_of_an_unknown_exercise_or_too_many_points(tmp_path):
    for row, expected in [("s1,week1,dense_x,1", "no exercise 'dense_x'"),
                          ("s1,week1,dense,5", "which is worth 3")]:
        root = _root(tmp_path, overrides=f"student_id,assignment,exercise,points\n{row}\n")
        with pytest.raises(late.LateRulesError, match=expected):
            late.final(late.load_rules(root), "week1", _result("s1", None))


def test_grades_csv_shows_raw_penalty_final(tmp_path):
    rules = late.load_rules(_root(tmp_path))
    results = [_result("s1", "2024-03-02 01:00:00+00:00"), _result("s2", None)]
    finals = late.finals(tmp_path, "week1", results, rules)
    write_csv(tmp_path / "g.csv", list(POINTS), results, finals)
    rows = list(csv.DictReader((tmp_path / "g.csv").open()))
    assert list(rows[0])[:7] == ["student_id", "score", "max_score", "status", "late_by",
                                 "penalty", "final_score"]
    assert (rows[0]["score"], rows[0]["penalty"], rows[0]["final_score"]) == ("10", "1", "9")
    assert "late: -10%" in rows[0]["message"] and "no submission time" in rows[1]["message"]
    # No deadline and no override: the CSV keeps its plain columns.
    assert late.finals(tmp_path, "week2", results, rules) is None


def test_changing_the_policy_recomputes_from_the_journal(tmp_path, capsys):
    root = _root(tmp_path)
    journal = Journal(root, "week1")
    for r in (_result("s1", "2024-03-03 12:00:00+00:00"), _result("s2", "2024-03-01 12:00:00+00:00")):
        journal.put(r.student_id, "key", r)

    def finals() -> dict[str, str]:
        assert cli.main(["--root", str(root), "export", "week1", "--to", "csv"]) == 0
        rows = list(csv.DictReader((root / "grades" / "week1_csv.csv").open(encoding="utf-8")))
        return {r["student_id"]: r["week1"] for r in rows[1:]}

    assert finals() == {"s1": "8", "s2": "10"}
    (root / "extensions.csv").write_text("student_id,assignment,days\ns1,week1,3\n")
    assert finals() == {"s1": "10", "s2": "10"}
    (root / "autograder.toml").write_text(CONFIG.replace("10% per day", "25% per day"))
    (root / "extensions.csv").unlink()
    assert finals() == {"s1": "5", "s2": "10"}  # 75% would take more than the 50% floor
    (root / "overrides.csv").write_text("student_id,assignment,exercise,points,reason\n"
                                        "s2,week1,dense,0,copied\n")
    assert finals() == {"s1": "5", "s2": "7"}
    assert "late penalty for 1: s1" in capsys.readouterr().out


def test_grade_survives_a_broken_rules_file(tmp_path, capsys):
    """The grades CSV is still written when autograder.toml is broken; the warning says how to
    recompute."""
    root = _root(tmp_path, "[late.week1]\ndeadline = \"soon\"\n")
    assert cli._late_finals(root, "week1", [_result("s1", None)]) is None
    err = capsys.readouterr().err
    assert "late rules not applied" in err and "autograder export week1 --to csv" in err
