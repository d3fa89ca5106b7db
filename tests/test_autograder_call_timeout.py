"""A graded call that loops forever ends its exercise: the first call stopped at the per-call
limit fails that exercise's remaining cases at once (the learner's function is not called
again), the row's status is ``timeout`` and its message names the exercise and the limit; the
other exercises are graded as usual. Graded end to end with ``autograder grade``."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import nbformat
import pytest
from autograder_fixtures import ASSIGNMENT, NB_NAME, ROOT, append, source_notebook

from autograder import cli
from autograder.cases import exercises
from autograder.contract.results import SubmissionResult

#: A ``dense`` that never returns (and so does ``sequential``, which calls it).
DENSE_LOOPS = """\
def dense(a_in, W, b, g):
    while True:
        pass
"""
#: ``--timeout 6``: a graded call may run 2 s (a third of it).
TIMEOUT, CALL_LIMIT = 6, 2.0


#: A ``dense_v`` that swallows the interrupt: the sandbox is killed at the hard limit and the
#: notebook is run again without it, after ``dense`` has timed out (visible cases come first).
DENSE_V_IGNORES_INTERRUPT = """\
def dense_v(A_in, W, b, g):
    while True:
        try:
            while True:
                pass
        except KeyboardInterrupt:
            pass
"""


def _grade_one(root: Path, *edits: tuple[str, str]) -> dict:
    """``autograder grade`` (``--timeout 6``) on the instructor notebook with ``edits``
    appended: the exit code, the CSV row, the journaled result and the feedback page."""
    shutil.copytree(ROOT / "notebooks" / ASSIGNMENT, root / "notebooks" / ASSIGNMENT)
    nb = source_notebook()
    for gid, code in edits:
        append(nb, gid, code)
    folder = root / "submitted" / "loops" / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / NB_NAME)
    out = root / "grades.csv"
    code = cli.main(["--root", str(root), "grade", ASSIGNMENT, str(root / "submitted"), "--csv",
                     str(out), "--timeout", str(TIMEOUT), "--workers", "1", "--no-progress"])
    with out.open(newline="") as f:
        row = next(csv.DictReader(f))
    result = SubmissionResult.from_json(json.loads(
        (root / ".autograder" / ASSIGNMENT / "loops.json").read_text())["result"])
    page = (root / "feedback" / "loops" / ASSIGNMENT / "feedback.html").read_text()
    return {"code": code, "row": row, "result": result, "page": page}


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict:
    return _grade_one(tmp_path_factory.mktemp("call-timeout"), ("dense", DENSE_LOOPS))


@pytest.mark.slow
def test_a_looping_call_ends_its_exercise_and_the_row_says_timeout(graded):
    row, result = graded["row"], graded["result"]
    assert graded["code"] == 0
    assert row["status"] == "timeout", row
    for looping in ("dense", "sequential"):  # sequential calls the looping dense
        assert float(row[looping]) == 0.0, row
        assert f"calling {looping} ran longer than its limit of {CALL_LIMIT:g} s" in row["message"]
        cases = result.exercises[looping].cases
        assert len(cases) == len(exercises(ASSIGNMENT)[looping].cases())
        assert not any(c.passed for c in cases)
        # Only the first call ran (and was stopped); the rest were failed without a call.
        assert sum("not run" in c.message for c in cases) == len(cases) - 1, cases
    # The other exercises are graded as usual: full marks for the instructor's answers.
    for honest, points in (("build_model", 2), ("dense_v", 3), ("forward_v", 2)):
        assert float(row[honest]) == points, row
    assert float(row["score"]) == 7.0
    assert "calling dense ran longer than" in graded["page"]


@pytest.mark.slow
def test_a_looping_exercise_costs_one_call_limit_not_one_per_case(graded):
    # 17 looping cases (dense 10, sequential 7) at 2 s each would be 34 s; two stopped calls
    # and the other exercises' quick cases are a few seconds.
    spent = graded["result"].phases["cases"]
    assert 2 * CALL_LIMIT <= spent < 4 * CALL_LIMIT + 4, graded["result"].phases


@pytest.mark.slow
def test_a_run_killed_later_does_not_call_a_timed_out_exercise_again(tmp_path):
    graded = _grade_one(tmp_path, ("dense", DENSE_LOOPS), ("dense_v", DENSE_V_IGNORES_INTERRUPT))
    row, result = graded["row"], graded["result"]
    assert row["status"] == "timeout", row
    assert "calling dense_v ran longer than" in row["message"] and "(killed)" in row["message"]
    # dense's hidden cases come after dense_v's visible ones, so the run was killed before the
    # feeder reached them: the run made again without dense_v must not call dense either.
    messages = [c.message for c in result.exercises["dense"].cases]
    assert sum("TimeoutError" in m for m in messages) == 1, messages
    assert sum("not run: calling dense on an earlier case" in m for m in messages) == 9, messages
    assert float(row["build_model"]) == 2.0, row
