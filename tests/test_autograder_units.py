"""Fast checks of the autograder's parts that need no sandbox: codec, restoring, discovery, CLI errors."""

from __future__ import annotations

import ast
import base64
import io
from pathlib import Path

import nbformat
import numpy as np
import pytest
from autograder_fixtures import ASSIGNMENT, NB_NAME, cell, source_notebook

from autograder import cli
from autograder.contract.activations import Act
from autograder.contract.limits import Limits
from autograder.intake import assemble, submissions
from autograder.sandbox import child, command, events, isolation, process


def test_codec_round_trip_keeps_types():
    value = {"a": (np.arange(6.0).reshape(2, 3), [1, 2.5, None, "x"]), "b": np.float64(3.0)}
    back = child.decode(child.encode(value))
    assert isinstance(back["a"], tuple) and isinstance(back["a"][1], list)
    np.testing.assert_array_equal(back["a"][0], value["a"][0])
    assert back["b"] == 3.0


def test_codec_never_unpickles():
    buffer = io.BytesIO()
    np.save(buffer, np.array([object()], dtype=object), allow_pickle=True)
    forged = {"__nd__": base64.b64encode(buffer.getvalue()).decode()}
    with pytest.raises(ValueError):
        child.decode(forged)


def test_activations_are_encoded_by_name():
    encoded = child.encode((Act("sigmoid"),), lambda v: {"__act__": v.name} if isinstance(v, Act) else None)
    assert child.decode(encoded, lambda name: name.upper()) == ("SIGMOID",)


def test_restore_runs_source_cells_and_learner_solutions_only():
    source = source_notebook()
    submitted = source_notebook()
    cell(submitted, "imports").source = "import os\nos._exit(1)"  # a locked cell, edited
    cell(submitted, "dense").source = "def dense(a_in, W, b, g):\n    return 0"
    submitted.cells.insert(1, nbformat.v4.new_code_cell("HELPER = 1"))
    program = assemble.build(source, submitted, {"dense"})
    codes = [c.code for c in program.cells]
    assert codes[0] == "HELPER = 1"  # the learner's own cell, where they put it
    assert cell(source, "imports").source in codes
    assert "def dense(a_in, W, b, g):\n    return 0" in codes
    assert not any("assert_cases" in c or "plot_digits(X_train" in c for c in codes)
    assert any("imports was edited" in i.message for i in program.issues)


def test_layout_problems_name_the_fix(tmp_path):
    assert "not a folder" in submissions.layout_problem(tmp_path / "nope", ASSIGNMENT)
    (tmp_path / ASSIGNMENT).mkdir()
    assert "ONE student's folder" in submissions.layout_problem(tmp_path, ASSIGNMENT)
    other = tmp_path / "class"
    (other / "alice").mkdir(parents=True)
    (other / "alice" / NB_NAME).write_text("{}")
    assert "into <student_id>/week1/" in submissions.layout_problem(other, ASSIGNMENT)


def test_cli_exits_2_on_a_bad_submissions_dir(tmp_path, capsys, repo_root):
    code = cli.main(["--root", str(repo_root), "grade", ASSIGNMENT, str(tmp_path / "missing"),
                     "--csv", str(tmp_path / "out.csv"), "--no-progress"])
    assert code == 2
    assert "is not a folder" in capsys.readouterr().err
    assert not (tmp_path / "out.csv").exists()


def test_kernel_environment_has_no_grading_marker():
    env = command.kernel_environment(NB_NAME, "/home/learner")
    words = ("GRADE", "SANDBOX", "BWRAP", "PYTEST", "AUTOGRADER")
    assert not any(w in key.upper() or w in value.upper() for key, value in env.items() for w in words)


@pytest.mark.parametrize("level", ["bubblewrap", "unshare", "limits"])
def test_every_isolation_level_brings_results_back(monkeypatch, level):
    if level == "bubblewrap" and isolation.isolation_level() != "bubblewrap":
        pytest.skip("bubblewrap does not work on this machine")
    monkeypatch.setattr(isolation, "isolation_level", lambda: level)
    job = {
        "cells": [{"i": 0, "code": "import numpy as np\ndef double(x):\n    return 2 * x"}],
        "calls": [{"key": "double/0", "function": "double", "args": child.encode((np.ones(3),)),
                   "kind": "array", "numpy_only": True}],
        "activations": {},
    }
    run = process.run(job, Limits(), NB_NAME)
    assert run.finished, run.stderr[-500:]
    result = child.decode(next(e for e in run.events if e.get("ev") == "result")["result"])
    np.testing.assert_array_equal(result["value"], [2.0, 2.0, 2.0])


def test_one_grader_per_assignment(tmp_path):
    from autograder.records.journal import BusyError, Journal

    journal = Journal(tmp_path, ASSIGNMENT)
    with journal.lock():
        with pytest.raises(BusyError, match="another `autograder grade`"):
            with Journal(tmp_path, ASSIGNMENT).lock():
                pass


def test_codec_rejects_a_header_that_lies_about_the_size():
    buffer = io.BytesIO()
    np.save(buffer, np.zeros(4))
    raw = buffer.getvalue().replace(b"(4,)", b"(9,)")  # claims 9 numbers, holds 4
    with pytest.raises(ValueError):
        child.decode({"__nd__": base64.b64encode(raw).decode()})


PROBE = """
import json, os, course_utils
root = os.path.dirname(os.path.dirname(course_utils.__file__))
def writable(path):
    try:
        with open(path, "w") as f:
            f.write("x")
        return True
    except OSError:
        return False
def readable(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError as exc:
        return type(exc).__name__
REPORT = {
    "writable": [p for p in ["/x", "/dev/x", "/usr/x", root + "/x", "/tmp/x", "/dev/shm/x", "x",
                             os.path.join(os.path.dirname(course_utils.__file__), "reference", "x")]
                 if writable(p)],
    "course": sorted(os.listdir(root)),
    "reference": readable(os.path.join(os.path.dirname(course_utils.__file__), "reference", "inference.py")),
    "reference_files": os.listdir(os.path.join(os.path.dirname(course_utils.__file__), "reference")),
    "uid": os.getuid(),
}
def report():
    return np.array([0.0])
"""


def test_bubblewrap_file_system_view(repo_root):
    if isolation.isolation_level() != "bubblewrap":
        pytest.skip("bubblewrap does not work on this machine")
    job = {"cells": [{"i": 0, "code": "import numpy as np\n" + PROBE + "print(json.dumps(REPORT))"}],
           "calls": [], "activations": {}}
    run = process.run(job, Limits(), NB_NAME)
    assert run.finished, run.stderr[-500:]
    import json

    seen = json.loads(run.stdout.decode().strip().splitlines()[-1])
    expected = ["/tmp/x", "/dev/shm/x", "x"]  # x: the home/working folder
    if str(repo_root).startswith("/tmp/"):
        # A checkout under /tmp sits inside the sandbox's own fresh /tmp: a write there lands in
        # that tmpfs, never in the real checkout (checked below).
        expected.insert(0, str(repo_root) + "/x")
    assert sorted(seen["writable"]) == sorted(expected)
    assert not (repo_root / "x").exists(), "learner code wrote into the real course folder"
    assert set(seen["course"]) - {"x"} == {".venv", "course_utils"}  # x: the tmpfs write above
    assert seen["reference"] == "FileNotFoundError"  # the reference package is an empty folder
    assert seen["reference_files"] == []
    assert seen["uid"] != 0


@pytest.mark.parametrize("result", [
    {"error": "ValueError: SECRET"},
    {"error": "SECRET: x", "raised": True},
    {"value": None, "type": "SECRET"},
    {"value": np.zeros((4, 4)), "type": "ndarray"},
    {"value": np.full(2, 4242.0), "type": "ndarray"},
    {"value": np.zeros(2), "type": "SECRETTensor"},
    {"value": np.array([np.nan, 1.0]), "type": "ndarray"},
    {"value": np.array([10.0, 20.0]), "type": "ndarray", "g_calls": 7, "steps": [4242, 1]},
])
def test_a_verdict_summary_never_quotes_the_answer(result):
    """What a hidden case's feedback shows (Verdict.summary) holds none of the learner's answer:
    not its type name, shape, numbers, step counts or exception text."""
    from autograder.cases import Case, judge

    case = Case("dense", "hidden", (np.ones(4), np.ones((4, 2)), np.zeros(2), Act("linear")),
                np.array([4.0, 4.0]), batch_rows=None)
    verdict = judge(case, result)
    assert not verdict.passed and verdict.summary
    for quoted in ("SECRET", "4242", "(4, 4)", "nan"):
        assert quoted not in verdict.summary, verdict.summary


def test_structured_answers_and_warnings_come_back_from_the_sandbox():
    """Week 3's answers (tuples of dicts of arrays and floats) come back as data, judged here by
    the same week-3 cases as in process; a call that must not warn reports its warnings."""
    from autograder.cases import exercises, judge

    code = (
        "import numpy as np\n"
        "def propagate(w, b, X, y):\n"
        "    a = 1 / (1 + np.exp(-(X @ w + b)))\n"
        "    m = X.shape[0]\n"
        "    cost = -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))\n"
        "    return {'dw': X.T @ (a - y) / m, 'db': np.mean(a - y)}, cost\n"
        "def sigmoid(z):\n"
        "    return 1 / (1 + np.exp(-z))\n"
    )
    cases = {"propagate": exercises("week3")["propagate"].cases()[0],
             "sigmoid": exercises("week3")["sigmoid"].cases()[2]}
    assert cases["sigmoid"].warn_free
    job = {"cells": [{"i": 0, "code": code}], "activations": {},
           "calls": [{"key": name, "function": name, "args": child.encode(case.args),
                      "kind": case.kind, "numpy_only": True, "warn_free": case.warn_free}
                     for name, case in cases.items()]}
    run = process.run(job, Limits(), NB_NAME)
    assert run.finished, run.stderr[-500:]
    results = {e["key"]: child.decode(e["result"]) for e in run.events if e.get("ev") == "result"}
    grads, cost = results["propagate"]["value"]
    assert isinstance(grads, dict) and grads["dw"].shape == (2,) and cost.shape == ()
    assert judge(cases["propagate"], results["propagate"]).passed
    assert results["sigmoid"]["warnings"] == ["RuntimeWarning: overflow encountered in exp"]
    verdict = judge(cases["sigmoid"], results["sigmoid"])
    assert not verdict.passed and "overflow" in verdict.summary


def test_the_grader_parses_python_only_through_the_serialised_parser():
    """CPython 3.11.7's AST converter keeps its recursion depth in shared state: two grading
    threads parsing at once failed a submission with "SystemError: AST constructor recursion
    depth mismatch". Every parse in the grader goes through autograder.intake.python_source's lock."""
    import re

    from conftest import ROOT

    direct = [f"{path.name}:{n}" for path in sorted((ROOT / "autograder").rglob("*.py"))
              if path.name != "python_source.py"
              for n, line in enumerate(path.read_text().splitlines(), 1)
              if re.search(r"\bast\.parse\(|\bsymtable\.symtable\(|\bcompile\(.*ast", line)]
    assert direct == []


def test_the_child_file_imports_nothing_of_autograder():
    """Its source alone is sent into the sandbox, where no ``autograder`` package exists."""
    tree = ast.parse(Path(child.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name.split(".")[0] == "autograder"}


def test_the_child_sends_exactly_the_named_events():
    """The child keeps its own copy of the event names (it is self-contained): the names it writes
    (``{"ev": ...}``) are those of :mod:`autograder.sandbox.events`, which the grader reads."""
    tree = ast.parse(Path(child.__file__).read_text(encoding="utf-8"))
    sent = {value.value for node in ast.walk(tree) if isinstance(node, ast.Dict)
            for key, value in zip(node.keys, node.values)
            if isinstance(key, ast.Constant) and key.value == "ev" and isinstance(value, ast.Constant)}
    assert sent == set(events.RUN_EVENTS) | set(events.TEMPLATE_EVENTS)
