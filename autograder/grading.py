"""Grade one submission: restore its program, run it in the sandbox, judge the results here.

The only thing that comes back from learner code is the values its functions returned on the
cases' inputs (plain data); :func:`autograder.cases.judge` decides every verdict in this process.
When the sandbox is killed (a cell or call over its hard time limit, the memory limit, a crash),
the run is repeated without that cell or call, as nbgrader's interrupt-and-continue would, so one
bad cell costs only what it must.

Learner code can also write to the channel the results come back on. Which events count is
decided here (:func:`_collect`): one result per requested call, in the order the calls are made,
the first one written while that call is in progress; see :mod:`autograder.sandbox` for the
bounds on what is read at all.
"""

from __future__ import annotations

import base64
import hashlib
import json
import marshal
import pkgutil
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder import __version__, harness, memory_issues, restore, sandbox, submissions
from autograder.cases import ACTIVATIONS, Act, Case, Exercise, exercises, judge
from autograder.config import SOURCE_DIRECTORY
from autograder.restore import Issue
from autograder.submissions import Submission
from autograder.untrusted import clean_text
from course_utils.checks.steps import probe_batch

#: Statuses, most serious first; a submission's status is its most serious issue's.
STATUSES = ("missing", "malformed", "error", "crashed", "memory", "timeout", "older_release",
            "renamed", "cells_changed", "graded")
#: Runs of one notebook beyond one per exercise (each run after a kill skips what was killed).
MAX_RUNS = 3


@dataclass
class Assignment:
    """A graded assignment: its source notebooks, exercises, cases and points."""

    name: str
    root: Path
    sources: dict[str, nbformat.NotebookNode]  # graded source notebooks by file name
    released: list[str]  # every notebook file name of the assignment
    exercises: dict[str, Exercise]
    cases: dict[str, list[Case]]
    points: dict[str, float]
    home: dict[str, str]  # exercise -> source notebook name
    fingerprint: str

    @property
    def max_score(self) -> float:
        return sum(self.points.values())


def load_assignment(root: Path, name: str, registry: dict[str, Exercise] | None = None) -> Assignment:
    """Read ``notebooks/<name>/`` and the grading cases; raise ``ValueError`` naming what is wrong."""
    folder = Path(root) / SOURCE_DIRECTORY / name
    if not folder.is_dir():
        known = ", ".join(graded_assignments(root)) or "none"
        raise ValueError(f"no source folder {folder}: an assignment is a folder under "
                         f"{SOURCE_DIRECTORY}/ with grading cases in autograder/cases/; "
                         f"assignments that can be graded here: {known}")
    released, sources = [], {}
    for path in sorted(folder.glob("*.ipynb")):
        released.append(path.name)
        nb = nbformat.read(path, as_version=4)
        if restore.solution_ids(nb):
            sources[path.name] = nb
    registry = exercises(name) if registry is None else registry
    home, points = {}, {}
    for ex in registry:
        home[ex] = next((n for n, nb in sources.items() if ex in restore.solution_ids(nb)), None)
        if home[ex] is None:
            raise ValueError(f"exercise {ex!r} has grading cases but no solution cell with "
                             f"grade_id {ex!r} in {folder}")
        tests = restore.test_points(sources[home[ex]])
        if f"test_{ex}" not in tests:
            raise ValueError(f"exercise {ex!r} has no test cell test_{ex} (its points) in {home[ex]}")
        points[ex] = tests[f"test_{ex}"]
    cases = {ex: list(e.cases()) for ex, e in registry.items()}
    h = hashlib.sha256(__version__.encode())
    for nb_name in sorted(sources):
        h.update((folder / nb_name).read_bytes())
    for cs in cases.values():
        h.update(json.dumps([[c.name, _encode(c.args), _encode(c.expected), c.kind, c.visible,
                              c.rtol, c.atol, c.batch_rows] for c in cs]).encode())
    return Assignment(name, Path(root), sources, released, registry, cases, points, home,
                      h.hexdigest())


def graded_assignments(root: Path) -> list[str]:
    """The assignments ``root`` can grade: a source folder AND a grading-cases module each."""
    from autograder import cases

    with_cases = {m.name for m in pkgutil.iter_modules(cases.__path__)}
    folder = Path(root) / SOURCE_DIRECTORY
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name in with_cases)


def _encode(value):
    return harness.encode(value, lambda v: {"__act__": v.name} if isinstance(v, Act) else None)


def _activation_code() -> dict[str, str]:
    return {k: base64.b64encode(marshal.dumps(f.__code__)).decode() for k, f in ACTIVATIONS.items()}


def submission_key(assignment: Assignment, submission: Submission, limits: sandbox.Limits) -> str:
    """Same submission, same cases, same limits and grader -> same key (the journal reuses it)."""
    h = hashlib.sha256(assignment.fingerprint.encode())
    h.update(repr(limits).encode() + submission.digest().encode())
    return h.hexdigest()


def empty_result(assignment: Assignment, student: str) -> dict:
    return {
        "student_id": student,
        "status": "graded",
        "message": "",
        "score": 0.0,
        "max_score": assignment.max_score,
        "exercises": {
            ex: {"points": 0.0, "max_points": assignment.points[ex], "message": "", "cases": []}
            for ex in assignment.exercises
        },
        "notes": [],
        "output": "",
        "seconds": 0.0,
        # CPU time (s) of the submission's sandboxes; None where cgroups do not measure it.
        "cpu_seconds": None,
    }


def grade_submission(assignment: Assignment, submission: Submission, limits: sandbox.Limits) -> dict:
    """The result of one submission as plain data (what the journal, CSV and feedback use)."""
    started = time.monotonic()
    result = empty_result(assignment, submission.student)
    result["timestamp"] = submission.timestamp and clean_text(submission.timestamp, 64)
    issues: list[Issue] = list(submission.issues)
    notebooks, problem = _load_notebooks(assignment, submission)
    if problem:
        issues.append(problem)
    else:
        deadline = started + limits.submission_timeout
        # Absent in the sandbox wherever they live (submission.folder is <dir>/<student>/<assignment>).
        places = {"course_root": assignment.root, "submissions_dir": submission.folder.parents[1]}
        for nb_name in assignment.sources:
            names = [ex for ex in assignment.exercises if assignment.home[ex] == nb_name]
            issues += _grade_notebook(assignment, nb_name, notebooks.pop(nb_name), names,
                                      limits, deadline, result, places)
    _finish(result, issues)
    result["seconds"] = round(time.monotonic() - started, 2)
    return result


def _load_notebooks(assignment: Assignment, submission: Submission):
    """The submitted notebooks, parsed (each once; the caller drops them after grading), or the
    problem that stops the submission from being graded."""
    if submission.problem:
        return {}, submission.problem
    notebooks = {}
    for nb_name in assignment.sources:
        file = submission.files[nb_name]
        try:
            raw = submission.read(file)
        except submissions.Refused as exc:
            return {}, Issue("malformed", str(exc))
        except OSError as exc:
            return {}, Issue("malformed", f"{clean_text(file, 200)} cannot be read ({exc.strerror})")
        notebooks[nb_name], problem = submissions.load(raw, file)
        if problem:
            return {}, problem
    return notebooks, None


def _grade_notebook(assignment, nb_name, submitted, names, limits, deadline, result,
                    places) -> list[Issue]:
    source = assignment.sources[nb_name]
    numpy_only = {ex for ex in names if assignment.exercises[ex].numpy_only}
    program = restore.build(source, submitted, numpy_only)
    # Every visible case is answered before any hidden input reaches the sandbox: learner text
    # (exception messages) is shown for visible cases only, so it can never carry hidden inputs.
    ordered = sorted(((ex, k, case) for ex in names if ex not in program.zero
                      for k, case in enumerate(assignment.cases[ex])),
                     key=lambda item: not item[2].visible)
    calls = {f"{ex}/{k}": _call(assignment.exercises[ex], f"{ex}/{k}", case)
             for ex, k, case in ordered}
    answers, issues, output = _run_with_retries(program, calls, limits, deadline, assignment.name,
                                                nb_name, places, result)
    result["output"] += output
    for ex in names:
        _judge_exercise(assignment, ex, program.zero.get(ex), answers, result["exercises"][ex])
    return program.issues + issues


def _call(exercise: Exercise, key: str, case: Case) -> dict:
    """What the sandbox needs to make one call: the inputs only (never the expected answer).
    Vectorised cases also send a batch of another size, to compare the Python work it takes."""
    call = {"key": key, "function": exercise.name, "args": _encode(case.args), "kind": case.kind,
            "numpy_only": exercise.numpy_only}
    if exercise.vectorised and case.batch_rows is not None:
        call["probe"] = _encode(probe_batch(case.args)[0])
    return call


def _run_with_retries(program, calls, limits, deadline, folder, nb_name, places, result):
    answers: dict[str, dict] = {}
    issues: list[Issue] = []
    skip: set[int] = set()
    output = ""
    for _ in range(MAX_RUNS + len({c["function"] for c in calls.values()})):
        job = {
            "cells": [{"i": i, "code": c.code} for i, c in enumerate(program.cells) if i not in skip],
            "calls": [c for key, c in calls.items() if key not in answers],
            "activations": _activation_code(),
        }
        run = sandbox.run(job, limits, nb_name, folder=folder, deadline=deadline, **places)
        output = (run.stdout + run.stderr).decode("utf-8", "replace")
        if run.output_bytes > 4 * sandbox.KEEP_OUTPUT:
            issues.append(Issue("", f"the notebook printed {run.output_bytes / 1e6:.1f} MB of "
                                    "output; only its beginning and end were kept"))
        _collect(run.events, program, limits, answers, issues, [c["key"] for c in job["calls"]])
        if run.dropped:
            issues.append(Issue("", "the notebook wrote lines to the grader's result channel that "
                                    "no answer can be (too long, too deeply nested or not JSON); "
                                    "they were ignored"))
        issues += memory_issues.run_issues(run, program.cells, limits)
        if run.cpu_seconds is not None:
            result["cpu_seconds"] = round((result["cpu_seconds"] or 0.0) + run.cpu_seconds, 2)
        if run.finished:
            break
        problem, why = _failure(run, limits)
        where = _checked(run.killed_at, len(program.cells), calls)
        if run.killed == "submission_timeout":
            issues.append(Issue("timeout", f"the submission ran longer than its limit of "
                                           f"{limits.submission_timeout:g} s"))
            break
        if where.get("ev") == "cell":
            skip.add(where["i"])
            issues.append(Issue(problem, f"{program.cells[where['i']].label} {why}; it was skipped"))
        elif where.get("ev") == "call":
            # The rest of this exercise's cases would most likely do the same: fail them too.
            exercise = where["key"].split("/")[0]
            for key in calls:
                if key.split("/")[0] == exercise and key not in answers:
                    answers[key] = {"error": f"calling {exercise} {why}", "grader": True}
            issues.append(Issue(problem, f"calling {exercise} {why}"))
        elif not any(e.get("ev") == "ready" for e in run.events):
            # Learner code only runs after "ready": this is the sandbox failing to start.
            tail = run.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            issues.append(Issue("error", "the sandbox did not start: " + " / ".join(tail)))
            break
        else:
            issues.append(Issue("crashed", f"the notebook's Python process {why} between cells"))
            break
    for key in calls:
        answers.setdefault(key, {"error": "not run: the submission stopped before this call",
                                 "grader": True})
    return answers, _dedupe(issues), output


def _checked(event: dict | None, n_cells: int, calls: dict) -> dict:
    """The last cell/call event if it names a real cell or call (learner code can write to the
    channel too), else ``{}``."""
    event = event or {}
    if event.get("ev") == "cell" and type(event.get("i")) is int and 0 <= event["i"] < n_cells:
        return event
    if event.get("ev") == "call" and isinstance(event.get("key"), str) and event["key"] in calls:
        return event
    return {}


def _collect(events, program, limits, answers, issues, asked: list[str]) -> None:
    """Take the answers and cell problems out of one run's channel events.

    Learner code can write events too, so a ``result`` counts only if it is the first one for the
    call in progress. ``asked`` is in the order the harness makes the calls; a ``call`` event
    opens the next requested key (closing, unanswered, a call whose result never came, e.g. one
    the sandbox dropped as too large), and the first ``result`` for the open key closes it.
    Results for any other key, repeats, and ``call`` events for any other key are ignored (the
    sandbox already dropped everything after ``done``), and so is a result that arrives after the
    grader sent the next call (its ``sent`` event): it could quote that call's inputs. A forged
    event can thus only replace or lose the forger's own answer to the call in progress, never
    reorder or add answers.
    """
    waiting = list(reversed(asked))  # next requested key last
    current = None
    for event in events:
        kind = event.get("ev")
        if kind == "call" and waiting and event.get("key") == waiting[-1]:
            if current is not None:
                answers[current] = {"error": "its result did not come back (larger than the "
                                             f"grader accepts, {sandbox.MAX_LINE >> 20} MB, or not sent)",
                                    "grader": True}
            current = waiting.pop()
        elif kind == sandbox.SENT and current is not None:
            # The next call's inputs are on their way: a later result could quote them.
            answers[current] = {"error": "its result did not come back before the next call",
                                "grader": True}
            current = None
        elif kind == "result" and current is not None and event.get("key") == current:
            try:
                value = harness.decode(event.get("result"))
            except Exception:  # noqa: BLE001 - anything unreadable is a failed case
                value = None
            if isinstance(value, dict):
                value.pop("grader", None)  # only the grader's own answers may carry its words
                answers[current] = value
            else:
                answers[current] = {"error": "its result could not be read back", "grader": True}
            current = None
        elif kind == "cell_end" and isinstance(event.get("error"), str):
            _cell_problem(event, program, limits, issues)


def _cell_problem(event, program, limits, issues) -> None:
    i = event.get("i")
    label = program.cells[i].label if type(i) is int and 0 <= i < len(program.cells) else "a cell"
    if event["error"] == "timeout":
        issues.append(Issue("timeout", f"{label} ran longer than {limits.cell_timeout:g} s "
                                       "and was interrupted"))
    elif event["error"] == "MemoryError":
        issues.append(Issue("memory", f"{label} ran out of memory (limit {limits.memory_mb} MB)"))
    elif event["error"] != "KeyboardInterrupt":
        # A SyntaxError or an exception: what the learner would have seen in the notebook.
        detail = event.get("detail") if isinstance(event.get("detail"), str) else ""
        issues.append(Issue("", f"{label} raised "
                                f"{clean_text(detail or event['error'], harness.MAX_ERROR)}"))


def _failure(run: sandbox.RunResult, limits) -> tuple[str, str]:
    """(status, what happened) for a run that did not finish."""
    where = (run.killed_at or {}).get("ev")
    if run.killed == "timeout":
        limit = limits.cell_timeout if where == "cell" else limits.call_timeout
        if where not in ("cell", "call"):
            limit = limits.startup_timeout
        return "timeout", f"ran longer than {limit:g} s and ignored the interrupt (killed)"
    if run.killed == "channel":
        return "crashed", "sent more data than any answer needs (killed)"
    if run.oom_kills:
        # The cgroup's OOM killer sends SIGKILL: the process cannot say it ran out of memory.
        return "memory", (f"ran out of memory: the notebook's processes and files together went "
                          f"over --memory ({limits.memory_mb} MB) (killed)")
    tail = run.stderr[-4000:] + run.stdout[-4000:]
    if b"MemoryError" in tail or b"bad_alloc" in tail or b"Cannot allocate memory" in tail:
        return "memory", f"ran out of memory (limit {limits.memory_mb} MB)"
    if run.returncode is not None and run.returncode < 0:
        return "crashed", f"ended the Python process (signal {-run.returncode})"
    return "crashed", f"ended the Python process (exit code {run.returncode})"


def _judge_exercise(assignment, ex, zero_reason, answers, out) -> None:
    cases = assignment.cases[ex]
    forbidden = sorted({m for k in range(len(cases))
                        for m in answers.get(f"{ex}/{k}", {}).get("forbidden", [])})
    if zero_reason is None and forbidden and assignment.exercises[ex].numpy_only:
        zero_reason = (f"{ex} must be written with NumPy only, but calling it ran "
                       f"{', '.join(forbidden)} code: this exercise earns no points")
    passed = 0
    for k, case in enumerate(cases):
        answer = answers.get(f"{ex}/{k}", {"error": "no result"})
        if zero_reason:
            verdict_ok, message = False, zero_reason
        else:
            try:
                verdict = judge(case, answer)
                # A hidden case's message never quotes the learner's answer: its type, shape,
                # numbers or exception text could carry the hidden inputs into the feedback.
                verdict_ok = verdict.passed
                message = verdict.message if case.visible else verdict.summary
            except Exception as exc:  # noqa: BLE001 - an odd value fails the case, never the batch
                verdict_ok, message = False, f"the returned value could not be judged ({type(exc).__name__})"
        if not case.visible and answer.get("raised") and not zero_reason:
            message += " (a hidden case's error message is not shown)"
        passed += verdict_ok
        # The message may quote the learner's exception text or their value's type name.
        out["cases"].append({"name": case.name, "visible": case.visible, "passed": verdict_ok,
                             "message": clean_text(message)})
    out["points"] = round(out["max_points"] * passed / len(cases), 4) if cases else 0.0
    if zero_reason:
        out["message"] = clean_text(zero_reason)
    elif any("not vectorised" in c["message"] for c in out["cases"]):
        out["message"] = (f"{ex} is not vectorised (its Python work grows with the number of "
                          "examples: it still loops over them): those cases earn no points")


def _finish(result: dict, issues: list[Issue]) -> None:
    result["score"] = round(sum(e["points"] for e in result["exercises"].values()), 4)
    problems = [i.status for i in issues if i.status]
    result["status"] = next((s for s in STATUSES if s in problems), "graded")
    messages = [clean_text(i.message) for i in issues] + [
        clean_text(e["message"]) for e in result["exercises"].values() if e["message"]
    ]
    result["message"] = "; ".join(dict.fromkeys(messages))
    result["notes"] = [{"status": i.status, "message": clean_text(i.message)} for i in issues]


def _dedupe(issues: list[Issue]) -> list[Issue]:
    return list(dict.fromkeys(issues))


def error_result(assignment: Assignment, student: str, exc: BaseException) -> dict:
    """The row of a submission the grader itself failed on (a bug): the batch goes on."""
    result = empty_result(assignment, student)
    _finish(result, [Issue("error", f"internal grader error: {type(exc).__name__}: {exc}")])
    return result
