"""The typed grading results (autograder/contract/results.py): a lossless JSON round trip, a clear
ValueError for anything else, and the status rule (the most serious issue wins)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.contract.results import (
    STATUSES,
    CaseVerdict,
    ExerciseResult,
    Issue,
    SubmissionResult,
)

text = st.text(max_size=30)
number = st.floats(allow_nan=False, allow_infinity=False, width=64)
cases = st.builds(CaseVerdict, text, st.booleans(), st.booleans(), text)
exercise = st.builds(ExerciseResult, number, number, text, st.lists(cases, max_size=4))
results = st.builds(
    SubmissionResult, student_id=text, max_score=number,
    exercises=st.dictionaries(text, exercise, max_size=4), status=st.sampled_from(STATUSES),
    message=text, score=number, notes=st.lists(st.builds(Issue, st.sampled_from(("",) + STATUSES), text), max_size=3),
    output=text, seconds=number, cpu_seconds=st.none() | number, timestamp=st.none() | text,
    phases=st.dictionaries(text, number, max_size=5), not_handed_in=st.lists(text, max_size=2),
)


@settings(max_examples=200, deadline=None)
@given(results)
def test_json_round_trip_is_lossless(result):
    assert SubmissionResult.from_json(json.loads(json.dumps(result.to_json()))) == result


def _sample() -> dict:
    result = SubmissionResult.empty("alice", {"dense": 3.0, "sequential": 2.0})
    result.exercises["dense"].cases.append(CaseVerdict("fact", True, True))
    return result.finish([]).to_json()


@pytest.mark.parametrize(("edit", "named"), [
    (lambda d: d.pop("score"), "score"),
    (lambda d: d.update(score="12"), "finite number"),
    (lambda d: d.update(score=float("nan")), "finite number"),
    (lambda d: d.update(status="great"), "unknown status"),
    (lambda d: d["exercises"]["dense"]["cases"][0].update(passed=1), "true or false"),
    (lambda d: d.update(notes={}), "a list"),
    (lambda d: d.update(exercises=[]), "an object"),
    (lambda d: d.update(student_id=None), "text"),
])
def test_anything_else_is_a_value_error_naming_it(edit, named):
    data = _sample()
    edit(data)
    with pytest.raises(ValueError, match=named):
        SubmissionResult.from_json(data)
    with pytest.raises(ValueError):
        SubmissionResult.from_json([data])


def test_status_is_the_most_serious_issue_and_score_the_sum():
    result = SubmissionResult.empty("bob", {"a": 2.0, "b": 1.0})
    result.exercises["a"].points = 1.5
    result.exercises["b"].message = "b must be NumPy only"
    result.finish([Issue("", "a note"), Issue("timeout", "slow"), Issue("crashed", "died"),
                   Issue("timeout", "slow")])
    assert (result.score, result.max_score, result.status) == (1.5, 3.0, "crashed")
    assert result.message == "a note; slow; died; b must be NumPy only"
    assert result.notes == [Issue("", "a note"), Issue("timeout", "slow"), Issue("crashed", "died")]
    assert SubmissionResult.empty("c", {"a": 1.0}).finish([]).status == "graded"


def test_a_runs_phases_add_up_to_its_seconds():
    from autograder.sandbox.runner import PHASES, phases

    timeline = [("ready", 0.4), ("cell_end", 4.0), ("cell_end", 4.3), ("cell_end", 4.5),
                ("result", 4.55), ("result", 4.6), ("done", 4.62)]
    spent = phases(timeline, 4.7)
    assert list(spent) == list(PHASES)
    assert spent == pytest.approx({"start": 0.4, "first cell": 3.6, "other cells": 0.5,
                                   "cases": 0.1, "exit": 0.1})
    assert sum(spent.values()) == pytest.approx(4.7)
    # killed in the first cell: the rest of the run counts there
    early = phases([("ready", 0.5)], 30.5)
    assert early == pytest.approx({"start": 0.5, "first cell": 30.0, "other cells": 0.0,
                                   "cases": 0.0, "exit": 0.0})
    # no graded calls: the cases took no time
    assert phases([("ready", 0.2), ("cell_end", 1.0), ("done", 1.0)], 1.1)["cases"] == 0.0


def test_a_result_journaled_before_notebooks_were_graded_one_by_one_still_reads():
    data = _sample()
    del data["not_handed_in"]
    assert SubmissionResult.from_json(data).not_handed_in == []
