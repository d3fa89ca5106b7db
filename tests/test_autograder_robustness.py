"""What the adversarial suite's fixtures cannot express: nothing a submission does breaks the batch
or loses a grade (feedback error boundaries, gradebook, journal, exit codes, the result channel)."""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import psutil
import pytest
from autograder_fixtures import ASSIGNMENT, NB_NAME, ROOT
from nbgrader.api import Gradebook

from autograder import cli
from autograder.contract.limits import Limits
from autograder.contract.results import SubmissionResult
from autograder.contract.untrusted import MAX_ID, clean_text, student_id
from autograder.grading.assignment import load_assignment
from autograder.intake import submissions
from autograder.intake.json_depth import deeper_than, nesting_depth
from autograder.records import feedback
from autograder.records.gradebook import GradebookWriter, db_url
from autograder.records.journal import Journal
from autograder.sandbox import cgroups, channel, process, runner
from autograder.sandbox.events import SENT


@pytest.mark.parametrize("name, expected", [
    ("alice", "alice"),
    (os.fsdecode(b"caf\xe9"), "caf\\xe9"),  # a byte that is not UTF-8
    ("tab\there", "tab\\x09here"),
    ("a\\b", "a\\\\b"),  # a backslash is doubled: "a\\xe9" and b"a\xe9" stay apart
    ("r\u202eevil", "r\\u202eevil"),
    ("Zoë", "Zoë"),
])
def test_student_ids_are_printable_and_distinct(name, expected):
    assert student_id(name) == expected


def test_long_student_ids_are_cut_but_stay_distinct():
    a, b = student_id("x" * 300 + "a"), student_id("x" * 300 + "b")
    assert len(a) == len(b) == MAX_ID and a != b


def test_clean_text_escapes_surrogates_and_controls_and_caps():
    text = clean_text("\ud800ok\x1b[2J\x00\nnext\t" + "y" * 5000)
    assert text.startswith("\\ud800ok\\x1b[2J\\x00\nnext\t")
    assert len(text) == 2000 and text.endswith("…")
    text.encode("utf-8")  # writable anywhere


def test_nesting_depth_ignores_brackets_in_strings():
    assert nesting_depth(b'{"a": "[[[{{\\"[", "b": [[1], {"c": []}]}') == 4
    assert nesting_depth(b"[" * 100_000 + b"]" * 100_000) == 100_000
    assert nesting_depth(b"17") == 0
    assert not deeper_than(b"[[[]]]", 3) and deeper_than(b"[[[[]]]]", 3)


def _result(student: str) -> SubmissionResult:
    spec = load_assignment(ROOT, ASSIGNMENT)
    return SubmissionResult.empty(student, spec.points)


def test_one_bad_result_costs_only_its_own_feedback(tmp_path):
    bad = _result("nul\x00id")  # not a possible folder name: its page cannot be written
    broken = _result("broken")
    broken.exercises = None  # a result the template cannot render
    paths, failures = feedback.write_feedback(tmp_path, ASSIGNMENT,
                                              [_result("alice"), bad, broken, _result("bob")])
    assert [p.parent.parent.name for p in paths] == ["alice", "bob"]
    assert len(failures) == 2
    assert failures[0].startswith("feedback for 'nul\\x00id' was not written (ValueError")
    assert failures[1].startswith("feedback for 'broken' was not written")
    assert all(f.endswith("its grade is in the CSV") for f in failures)


def test_a_fifo_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "x.ipynb")  # nobody writes to it: a blocking open would hang forever
    fd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        with pytest.raises(submissions.Refused, match="not a regular file"):
            submissions.read_regular(fd, "x.ipynb", 100)
    finally:
        os.close(fd)


def test_a_file_that_grows_past_the_cap_is_refused(tmp_path):
    (tmp_path / "big.ipynb").write_bytes(b"x" * 101)
    fd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        with pytest.raises(submissions.Refused, match="101 bytes, over the limit of 100 bytes"):
            submissions.read_regular(fd, "big.ipynb", 100)
        assert submissions.read_regular(fd, "big.ipynb", 101) == b"x" * 101
    finally:
        os.close(fd)


# --- gradebook -------------------------------------------------------------------------------------
def _course(tmp_path: Path, *assignments: str) -> Path:
    for name in assignments:
        shutil.copytree(ROOT / "notebooks" / name, tmp_path / "notebooks" / name)
    return tmp_path


def _grade(root: Path, assignment: str = ASSIGNMENT) -> int:
    return cli.main(["--root", str(root), "grade", assignment, str(root / "submitted"), "--csv",
                     str(root / "grades.csv"), "--no-progress"])


def _rows(root: Path) -> dict[str, dict]:
    with (root / "grades.csv").open(newline="") as f:
        return {r["student_id"]: r for r in csv.DictReader(f)}


def _malformed(root: Path, student: str) -> Path:
    """A student whose notebook is an empty file: graded (malformed) without a sandbox."""
    folder = root / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / NB_NAME).write_bytes(b"")
    return folder


def test_a_missing_submission_keeps_the_gradebook_grade_and_comments(tmp_path):
    root = _course(tmp_path, ASSIGNMENT)
    spec = load_assignment(root, ASSIGNMENT)
    result = SubmissionResult.empty("alice", spec.points)
    result.exercises["dense"].points = 3.0
    writer = GradebookWriter(root, spec)
    writer.record(result)
    nb = Path(NB_NAME).stem
    grade = writer.gb.find_grade("test_dense", nb, ASSIGNMENT, "alice")
    grade.manual_score = 2.5
    writer.gb.find_comment("dense", nb, ASSIGNMENT, "alice").manual_comment = "see me"
    writer.gb.db.commit()
    writer.close()

    (root / "submitted" / "alice").mkdir(parents=True)  # alice's week1/ folder is gone
    _malformed(root, "bob")
    assert _grade(root) == 0
    assert _rows(root)["alice"]["status"] == "missing"
    with Gradebook(db_url(root)) as gb:
        grade = gb.find_grade("test_dense", nb, ASSIGNMENT, "alice")
        assert (grade.auto_score, grade.manual_score) == (3.0, 2.5)
        assert gb.find_comment("dense", nb, ASSIGNMENT, "alice").manual_comment == "see me"


def _random_bytes(db: Path) -> None:
    db.write_bytes(random.Random(0).randbytes(50_000))


def _truncated(db: Path) -> None:
    spec = load_assignment(db.parent, ASSIGNMENT)
    GradebookWriter(db.parent, spec).close()
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])


@pytest.mark.parametrize("damage", [_random_bytes, _truncated])
def test_a_corrupt_gradebook_still_gives_the_csv_then_resumes(tmp_path, capsys, damage):
    root = _course(tmp_path, ASSIGNMENT)
    _malformed(root, "bob")
    (root / "submitted" / "carol").mkdir()
    db = root / "gradebook.db"
    damage(db)
    assert _grade(root) == 1
    err = capsys.readouterr().err
    assert f"{db} cannot be used" in err and f"mv {db} {db}.broken" in err
    assert {s: r["status"] for s, r in _rows(root).items()} == {"bob": "malformed", "carol": "missing"}
    assert (root / "feedback" / "bob" / ASSIGNMENT / "feedback.html").exists()
    journaled = {p.name: p.stat().st_mtime_ns for p in (root / ".autograder" / ASSIGNMENT).glob("*.json")}
    assert sorted(journaled) == ["bob.json", "carol.json"]

    db.rename(db.with_name("gradebook.db.broken"))  # the fix the message names
    assert _grade(root) == 0
    with Gradebook(db_url(root)) as gb:
        assert gb.find_submission(ASSIGNMENT, "bob").score == 0.0
    again = {p.name: p.stat().st_mtime_ns for p in (root / ".autograder" / ASSIGNMENT).glob("*.json")}
    assert again == journaled  # recorded from the journal, not graded again


# --- journal ---------------------------------------------------------------------------------------
def test_a_new_timestamp_alone_is_recorded_again(tmp_path):
    root = _course(tmp_path, ASSIGNMENT)
    folder = _malformed(root, "bob")
    (folder / "timestamp.txt").write_text("2024-01-05 10:00:00")
    assert _grade(root) == 0
    (folder / "timestamp.txt").write_text("2024-01-06 11:30:00")
    assert _grade(root) == 0
    journal = json.loads((root / ".autograder" / ASSIGNMENT / "bob.json").read_text())
    assert journal["result"]["timestamp"] == "2024-01-06 11:30:00"
    with Gradebook(db_url(root)) as gb:
        assert gb.find_submission(ASSIGNMENT, "bob").timestamp == datetime(2024, 1, 6, 11, 30)


@pytest.mark.parametrize("content", [
    b"\x00\xff garbage",
    b"[" * 100_000 + b"]" * 100_000,
    b'{"key": "KEY", "result": {"student_id": "bob", "sco',  # cut by a crash mid-write
    b'{"key": "KEY", "result": [1, 2]}',
    b'{"key": "KEY", "result": {"student_id": "bob", "status": "graded", "message": "",'
    b' "score": 1, "max_score": 12, "exercises": {"dense": {"points": "3"}}}}',
], ids=["binary", "deeply_nested", "truncated", "not_a_result", "bad_exercise"])
def test_a_damaged_journal_file_means_grade_again(tmp_path, content):
    journal = Journal(tmp_path, ASSIGNMENT)
    (journal.folder / "bob.json").write_bytes(content)
    assert journal.get("bob", "KEY") is None


def test_a_damaged_journal_file_is_regraded_in_a_batch(tmp_path):
    root = _course(tmp_path, ASSIGNMENT)
    _malformed(root, "bob")
    assert _grade(root) == 0
    path = root / ".autograder" / ASSIGNMENT / "bob.json"
    path.write_bytes(path.read_bytes()[:40])
    assert _grade(root) == 0
    assert _rows(root)["bob"]["status"] == "malformed"
    assert json.loads(path.read_text())["result"]["status"] == "malformed"


# --- grading the wrong folder -----------------------------------------------------------------------
def test_grading_an_assignment_nobody_submitted_exits_2(tmp_path, capsys):
    root = _course(tmp_path, ASSIGNMENT, "week2")
    for student in ("alice", "bob", "carol"):
        _malformed(root, student)
    (root / "submitted" / "carol" / "notes").mkdir()
    assert _grade(root, "week2") == 2
    err = capsys.readouterr().err
    assert (f"no student in {root / 'submitted'} has a week2/ folder; found week1/ in 3, notes/ "
            "in 1 of them (3 student folders)") in err
    assert not (root / "grades.csv").exists()
    assert not (root / ".autograder" / "week2").exists() or not any((root / ".autograder" / "week2").glob("*.json"))


def test_one_student_with_the_folder_is_enough_to_grade(tmp_path):
    root = _course(tmp_path, ASSIGNMENT)
    _malformed(root, "alice")
    (root / "submitted" / "bob" / "week0").mkdir(parents=True)
    assert _grade(root) == 0
    assert {s: r["status"] for s, r in _rows(root).items()} == {"alice": "malformed", "bob": "missing"}


# --- the result channel ---------------------------------------------------------------------------
def _watch(lines: list[bytes]) -> tuple[channel.RunResult, int]:
    """Run a plain child that writes ``lines`` to the result channel, through the sandbox's own
    watcher; return the run and the grader's peak RSS growth meanwhile (bytes)."""
    read_fd, write_fd = os.pipe()
    script = (f"import os, sys\nfd = {write_fd}\n"
              "for n in map(int, sys.argv[1:]):\n"
              "    view = memoryview(sys.stdin.buffer.read(n))\n"
              "    while view:\n"
              "        view = view[os.write(fd, view):]\n")
    cmd = [sys.executable, "-c", script, *(str(len(line)) for line in lines)]
    payload = b"".join(lines)  # the child's input: allocated before the measurement starts
    me = psutil.Process()
    base, peak, stop = me.memory_info().rss, [0], threading.Event()

    def sample():
        while not stop.wait(0.01):
            peak[0] = max(peak[0], me.memory_info().rss - base)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        with cgroups.sandbox_group(64) as group:
            proc = subprocess.Popen(cgroups.wrap(cmd, group), stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    pass_fds=(write_fd,), start_new_session=True)
            os.close(write_fd)
            run = channel.watch(process.Started(proc, group), payload, [], read_fd,
                                Limits(), time.monotonic(), time.monotonic() + 120)
    finally:
        stop.set()
        sampler.join()
    return run, peak[0]


def _event(**fields) -> bytes:
    return json.dumps(fields).encode() + b"\n"


ANSWER = {"__dict__": [["value", 1.5]]}
HONEST = [_event(ev="ready"), _event(ev="call", key="f/0"), _event(ev="result", key="f/0", result=ANSWER),
          _event(ev="done")]


def _answers(run: channel.RunResult, asked=("f/0",)) -> dict:
    answers: dict = {}
    runner.collect(run.events, None, Limits(), answers, [], list(asked))
    return answers


def test_channel_skips_huge_lines_without_holding_them():
    huge = b'{"ev": "result", "key": "f/0", "result": "' + b"A" * (60 << 20) + b'"}\n'
    run, peak = _watch([huge, huge] + HONEST)
    print(f"grader RSS growth while reading two 60 MB lines: {peak / 2**20:.1f} MB")
    assert run.finished and run.killed is None
    assert run.dropped == 2
    assert [e["ev"] for e in run.events] == ["ready", "call", "result", "done"]
    assert _answers(run) == {"f/0": {"value": 1.5}}
    assert peak < 64 << 20, f"the grader grew by {peak / 2**20:.0f} MB"


def test_channel_rejects_deep_nesting_before_parsing():
    deep = b'{"ev": "result", "key": "f/0", "result": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n"
    run, _ = _watch(HONEST[:2] + [deep] + HONEST[2:])
    assert run.dropped == 1 and run.finished
    assert _answers(run) == {"f/0": {"value": 1.5}}


def test_channel_drops_other_lines_unparsed_and_reads_nothing_after_done():
    junk = [b"[" * 100_000 + b"\n", b"\x00\xff not json\n", _event(ev="hello", x=1), b'{"ev": "call", \n']
    after = [_event(ev="result", key="f/0", result={"__dict__": [["error", "forged"]]}),
             _event(ev="cell_end", i=0, error="MemoryError")]
    run, _ = _watch(junk + HONEST + after)
    assert [e["ev"] for e in run.events] == ["ready", "call", "result", "done"]
    assert run.dropped == 1  # the cut "call" line is an event the grader reads, but not JSON
    assert _answers(run) == {"f/0": {"value": 1.5}}


def test_only_the_first_result_for_the_call_in_progress_counts():
    forged = {"__dict__": [["error", "forged"]]}
    ok = {"__dict__": [["value", 2.0]]}
    events = [
        {"ev": "result", "key": "f/0", "result": forged},  # before its call
        {"ev": "call", "key": "f/1"},  # out of turn: f/0 is asked first
        {"ev": "call", "key": "f/0"},
        {"ev": "result", "key": "f/1", "result": forged},  # another key, during f/0
        {"ev": "call", "key": "f/2"},  # not the next key
        {"ev": "result", "key": "f/0", "result": ok},
        {"ev": "result", "key": "f/0", "result": forged},  # a second result for f/0
        {"ev": "call", "key": "f/1"},  # its result never comes (dropped as too large)
        {"ev": "call", "key": "f/2"},
        {"ev": "result", "key": "f/1", "result": ok},  # f/1 is no longer in progress
        {"ev": "result", "key": "f/2", "result": ok},
        {"ev": "call", "key": "g/0"},  # never asked
        {"ev": "result", "key": "g/0", "result": ok},
    ]
    answers: dict = {}
    runner.collect(events, None, Limits(), answers, [], ["f/0", "f/1", "f/2"])
    assert answers == {"f/0": {"value": 2.0}, "f/2": {"value": 2.0}, "f/1": {
        "error": "its result did not come back (larger than the grader accepts, 4 MB, or not sent)",
        "grader": True}}


def test_a_result_after_the_next_call_was_sent_never_counts():
    """Learner code that asks for the next call early (a forged "next") can read its inputs; a
    result for the current call that comes after the grader sent the next one could quote them, so
    it is never taken, and a forged "grader" flag is removed from any result."""
    ok = {"__dict__": [["value", 2.0], ["grader", True], ["error", "quoted"]]}
    events = [
        {"ev": "call", "key": "f/0"},
        {"ev": SENT, "key": "f/1"},  # the grader answered a forged "next"
        {"ev": "result", "key": "f/0", "result": ok},  # too late
        {"ev": "call", "key": "f/1"},
        {"ev": "result", "key": "f/1", "result": ok},
    ]
    answers: dict = {}
    runner.collect(events, None, Limits(), answers, [], ["f/0", "f/1"])
    assert answers == {
        "f/0": {"error": "its result did not come back before the next call", "grader": True},
        "f/1": {"value": 2.0, "error": "quoted"}}
    assert SENT.encode() not in channel.EVENTS  # learner code cannot write one


def test_a_result_too_large_costs_only_its_own_case():
    big = {"__dict__": [["value", "x" * (5 << 20)]]}
    run, _ = _watch(HONEST[:2] + [_event(ev="result", key="f/0", result=big),
                                  _event(ev="call", key="f/1"),
                                  _event(ev="result", key="f/1", result=ANSWER), _event(ev="done")])
    assert run.dropped == 1
    answers = _answers(run, ("f/0", "f/1"))
    assert answers["f/1"] == {"value": 1.5} and "did not come back" in answers["f/0"]["error"]
