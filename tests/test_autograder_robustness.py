"""What the adversarial suite's fixtures cannot express: nothing a submission does breaks the batch
or loses a grade (feedback error boundaries, gradebook, journal, exit codes, the result channel)."""

from __future__ import annotations

import os

import pytest
from autograder_fixtures import ASSIGNMENT, ROOT

from autograder import feedback, grading, submissions
from autograder.json_depth import deeper_than, nesting_depth
from autograder.untrusted import MAX_ID, clean_text, student_id


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


def _result(student: str) -> dict:
    spec = grading.load_assignment(ROOT, ASSIGNMENT)
    return grading.empty_result(spec, student)


def test_one_bad_result_costs_only_its_own_feedback(tmp_path):
    bad = _result("nul\x00id")  # not a possible folder name: its page cannot be written
    broken = _result("broken")
    broken["exercises"] = None  # a result the template cannot render
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
