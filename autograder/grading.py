"""Grade one submission: restore its program, run it, judge its answers here.

:func:`grade_submission` builds the program (:mod:`autograder.restore`), has
:func:`autograder.runner.run_program` run it in the sandbox with the cases' inputs, and judges
the answers that come back (plain data: the values the learner's functions returned) with
:func:`autograder.cases.judge`, in this process. The outcome is a typed
:class:`~autograder.results.SubmissionResult`.
"""

from __future__ import annotations

import hashlib
import json
import pkgutil
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder import __version__, cells, harness, restore, sandbox, submissions
from autograder.cases import Act, Case, Exercise, ModelSpec, exercises, judge
from autograder.config import SOURCE_DIRECTORY
from autograder.results import CaseVerdict, ExerciseResult, Issue, SubmissionResult
from autograder.runner import run_program
from autograder.submissions import Submission
from autograder.untrusted import clean_text
from course_utils.checks.core.steps import probe_batch


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
        if cells.solution_ids(nb):
            sources[path.name] = nb
    registry = exercises(name) if registry is None else registry
    home, points = {}, {}
    for ex in registry:
        home[ex] = next((n for n, nb in sources.items() if ex in cells.solution_ids(nb)), None)
        if home[ex] is None:
            raise ValueError(f"exercise {ex!r} has grading cases but no solution cell with "
                             f"grade_id {ex!r} in {folder}")
        tests = cells.test_points(sources[home[ex]])
        if f"test_{ex}" not in tests:
            raise ValueError(f"exercise {ex!r} has no test cell test_{ex} (its points) in {home[ex]}")
        points[ex] = tests[f"test_{ex}"]
    cases = {ex: list(e.cases()) for ex, e in registry.items()}
    h = hashlib.sha256(__version__.encode())
    for nb_name in sorted(sources):
        h.update((folder / nb_name).read_bytes())
    for cs in cases.values():
        h.update(json.dumps([[_encode(c.args), _encode(c.expected), *c.settings()]
                             for c in cs]).encode())
    return Assignment(name, Path(root), sources, released, registry, cases, points, home,
                      h.hexdigest())


def graded_assignments(root: Path) -> list[str]:
    """The assignments ``root`` can grade: a source folder with a graded notebook AND a
    grading-cases module each."""
    from autograder import cases

    with_cases = {m.name for m in pkgutil.iter_modules(cases.__path__)}
    folder = Path(root) / SOURCE_DIRECTORY
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir()
                  if p.is_dir() and p.name in with_cases and _has_graded_notebook(p))


def _has_graded_notebook(folder: Path) -> bool:
    """Whether a notebook in ``folder`` has a solution cell (a week whose graded notebook is not
    written yet holds lessons only)."""
    for path in folder.glob("*.ipynb"):
        try:
            if cells.solution_ids(nbformat.read(path, as_version=4)):
                return True
        except (OSError, ValueError):  # an unreadable notebook grades nothing
            continue
    return False


def _encode(value):
    return harness.encode(value, _encode_custom)


def _encode_custom(value):
    """Activations by name; a model spec as ``{"__model__": its data}`` (arrays encoded as usual)."""
    if isinstance(value, Act):
        return {"__act__": value.name}
    if isinstance(value, ModelSpec):
        return {"__model__": harness.encode(value.data())}
    return None


def submission_key(assignment: Assignment, submission: Submission, limits: sandbox.Limits) -> str:
    """Same submission, same cases, same limits and grader -> same key (the journal reuses it)."""
    h = hashlib.sha256(assignment.fingerprint.encode())
    h.update(repr(limits).encode() + submission.digest().encode())
    return h.hexdigest()


def grade_submission(assignment: Assignment, submission: Submission,
                     limits: sandbox.Limits, run=run_program) -> SubmissionResult:
    """The result of one submission (what the journal, gradebook, CSV, feedback and report use).
    ``run``: what runs a notebook's program and returns its answers, with
    :func:`~autograder.runner.run_program`'s arguments (:meth:`autograder.cluster.Cluster.run`
    sends it to a cluster worker); the answers are judged here either way."""
    started = time.monotonic()
    result = SubmissionResult.empty(submission.student, assignment.points)
    result.timestamp = submission.timestamp and clean_text(submission.timestamp, 64)
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
                                      limits, deadline, result, places, run)
    result.finish([Issue(i.status, clean_text(i.message)) for i in issues])
    result.seconds = round(time.monotonic() - started, 2)
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
                    places, run_program) -> list[Issue]:
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
    run = run_program(program, calls, limits, deadline, assignment.name, nb_name, places)
    result.output += run.output
    if run.cpu_seconds is not None:
        result.cpu_seconds = round((result.cpu_seconds or 0.0) + run.cpu_seconds, 2)
    for name, spent in run.phases.items():
        result.phases[name] = round(result.phases.get(name, 0.0) + spent, 3)
    for ex in names:
        _judge_exercise(assignment, ex, program.zero.get(ex), run.by_key, result.exercises[ex])
    return program.issues + run.issues


def _call(exercise: Exercise, key: str, case: Case) -> dict:
    """What the sandbox needs to make one call: the inputs only (never the expected answer).
    Vectorised cases also send a batch of another size, to compare the Python work it takes."""
    call = {"key": key, "function": exercise.name, "args": _encode(case.args), "kind": case.kind,
            "numpy_only": exercise.numpy_only, "warn_free": case.warn_free}
    if exercise.vectorised and case.batch_rows is not None:
        call["probe"] = _encode(probe_batch(case.args, case.batch_args)[0])
    return call


def _judge_exercise(assignment, ex, zero_reason, answers, out: ExerciseResult) -> None:
    cases = assignment.cases[ex]
    forbidden = sorted({m for k in range(len(cases))
                        for m in answers.get(f"{ex}/{k}", {}).get("forbidden", [])})
    if zero_reason is None and forbidden and assignment.exercises[ex].numpy_only:
        zero_reason = (f"{ex} must be written with NumPy only, but calling it ran "
                       f"{', '.join(forbidden)} code: this exercise earns no points")
    passed = 0
    for k, case in enumerate(cases):
        answer = answers.get(f"{ex}/{k}", {"error": "no result", "grader": True})
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
        out.cases.append(CaseVerdict(case.name, case.visible, verdict_ok, clean_text(message)))
    out.points = round(out.max_points * passed / len(cases), 4) if cases else 0.0
    if zero_reason:
        out.message = clean_text(zero_reason)
    elif any("not vectorised" in c.message for c in out.cases):
        out.message = (f"{ex} is not vectorised (its Python work grows with the number of "
                       "examples: it still loops over them): those cases earn no points")


def error_result(assignment: Assignment, student: str, exc: BaseException) -> SubmissionResult:
    """The row of a submission the grader itself failed on (a bug): the batch goes on."""
    return SubmissionResult.empty(student, assignment.points).finish(
        [Issue("error", clean_text(f"internal grader error: {type(exc).__name__}: {exc}"))])
