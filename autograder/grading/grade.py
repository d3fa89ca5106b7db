"""Grade one submission: restore its program, run it, judge its answers here.

:func:`grade_submission` builds the program (:mod:`autograder.intake.assemble`), has
:func:`autograder.sandbox.runner.run_program` run it in the sandbox with the cases' inputs, and judges
the answers that come back (plain data: the values the learner's functions returned) with
:func:`autograder.cases.judge`, in this process. The outcome is a typed
:class:`~autograder.contract.results.SubmissionResult`.
"""

from __future__ import annotations

import hashlib
import time

from autograder.cases import Case, Exercise, judge
from autograder.contract.limits import Limits
from autograder.contract.results import CaseVerdict, ExerciseResult, Issue, SubmissionResult
from autograder.contract.untrusted import clean_text
from autograder.grading.assignment import Assignment, encode
from autograder.intake import assemble, submissions
from autograder.intake.submissions import Submission
from autograder.sandbox.runner import run_program
from course_utils.checks.core.steps import probe_batch


def submission_key(assignment: Assignment, submission: Submission, limits: Limits) -> str:
    """Same submission, same cases, same limits and grader -> same key (the journal reuses it)."""
    h = hashlib.sha256(assignment.fingerprint.encode())
    h.update(repr(limits).encode() + submission.digest().encode())
    return h.hexdigest()


def grade_submission(assignment: Assignment, submission: Submission,
                     limits: Limits, run=run_program) -> SubmissionResult:
    """The result of one submission (what the journal, gradebook, CSV, feedback and report use).
    ``run``: what runs a notebook's program and returns its answers, with
    :func:`~autograder.sandbox.runner.run_program`'s arguments (:meth:`autograder.grading.cluster.Cluster.run`
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
            if nb_name in submission.not_handed_in:
                issues.append(_not_handed_in(assignment, nb_name, names, result))
                continue
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
        if nb_name in submission.not_handed_in:
            continue
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


def _not_handed_in(assignment: Assignment, nb_name: str, names: list[str],
                   result: SubmissionResult) -> Issue:
    """A graded notebook the student did not hand in: its exercises earn nothing (each says
    why); the assignment's other notebooks are graded on their own, as nbgrader does."""
    why = f"{nb_name} was not handed in"
    for ex in names:
        result.exercises[ex].message = f"{why}: this exercise earns no points"
    result.not_handed_in.append(nb_name)
    lost = sum(assignment.points[ex] for ex in names)
    return Issue("incomplete", f"{why} (no {nb_name} in {assignment.name}/): its {len(names)} "
                               f"exercise(s), {lost:g} points, earn nothing; the other notebooks "
                               "were graded")


def _grade_notebook(assignment, nb_name, submitted, names, limits, deadline, result,
                    places, run_program) -> list[Issue]:
    source = assignment.sources[nb_name]
    numpy_only = {ex for ex in names if assignment.exercises[ex].numpy_only}
    program = assemble.build(source, submitted, numpy_only)
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
        out = result.exercises[ex]
        _judge_exercise(assignment, ex, program.zero.get(ex), run.by_key, out)
        # The cell graded for it (as assemble matched it) is still the released stub.
        left = ex in program.solutions and \
            program.solutions[ex].strip() == assignment.starters[ex].strip()
        out.attempted = out.points > 0 or not left
    return program.issues + run.issues


def _call(exercise: Exercise, key: str, case: Case) -> dict:
    """What the sandbox needs to make one call: the inputs only (never the expected answer).
    Vectorised cases also send a batch of another size, to compare the Python work it takes."""
    call = {"key": key, "function": exercise.name, "args": encode(case.args), "kind": case.kind,
            "numpy_only": exercise.numpy_only, "warn_free": case.warn_free}
    if exercise.vectorised and case.batch_rows is not None:
        call["probe"] = encode(probe_batch(case.args, case.batch_args)[0])
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
