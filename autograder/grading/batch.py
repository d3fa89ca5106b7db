"""Grade a whole class: submissions in parallel sandboxes, results journaled, one gradebook writer.

``grade_batch`` is what ``autograder grade`` runs. Every student gets a result, whatever their
notebook does (a grader bug on one submission becomes that row's ``error`` status); finished
results are journaled at once, so a killed batch resumes where it stopped.

**Starved timeouts.** Which timed-out submissions to grade again, alone: those that were starved of CPU.

Each sandbox gets at most one core and an equal share of the machine (:mod:`autograder.sandbox.cgroups`),
but a busy machine (other sandboxes, other users) can still leave a submission less CPU than its
wall-clock time limits assume. A row that timed out while its sandboxes got less than
:data:`STARVED_SHARE` of a core over their wall time is graded once more after the batch, alone.
A notebook that timed out by waiting (``time.sleep``, a blocked read) looks the same and is graded
again too: it costs one more run and gives the same result.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from functools import partial
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from autograder.contract.limits import Limits
from autograder.contract.results import SubmissionResult
from autograder.grading import grade
from autograder.grading.assignment import Assignment, load_assignment
from autograder.intake import submissions
from autograder.records.gradebook import GradebookWriter
from autograder.records.journal import Journal


class LayoutError(ValueError):
    """SUBMISSIONS_DIR is not laid out as ``<student_id>/<ASSIGNMENT>/*.ipynb``."""


#: Below this much CPU time per second of wall time, a timed-out submission was starved.
STARVED_SHARE = 0.5


def starved(result: SubmissionResult) -> bool:
    """True when ``result`` (a graded row) timed out with less CPU than :data:`STARVED_SHARE`."""
    cpu, wall = result.cpu_seconds, result.seconds
    return result.status == "timeout" and cpu is not None and wall > 0 \
        and cpu < STARVED_SHARE * wall


def grade_batch(assignment: str, root: Path, submissions_dir: Path, *, workers: int = 2,
                limits: Limits | None = None, progress: bool = True,
                registry=None, console: Console | None = None,
                run=None) -> tuple[Assignment, list[SubmissionResult]]:
    """Grade every submission of ``assignment``; return the assignment and one result per student.
    ``run``: how a notebook's program is run (see :func:`autograder.grading.grade.grade_submission`;
    default: in a sandbox on this machine); ``workers`` submissions are in flight at once.

    Raises :class:`autograder.records.gradebook.GradebookError` (holding the assignment and the results)
    after grading everyone when ``gradebook.db`` could not be written."""
    limits = limits or Limits()
    root, submissions_dir = Path(root).resolve(), Path(submissions_dir).resolve()
    spec = load_assignment(root, assignment, registry)
    problem = submissions.submissions_problem(submissions_dir, assignment)
    if problem:
        raise LayoutError(problem)
    subs = submissions.discover(submissions_dir, assignment, spec.sources, spec.released)
    journal = Journal(root, assignment)
    results: dict[str, SubmissionResult] = {}
    with journal.lock():
        writer = GradebookWriter(root, spec)
        try:
            todo = []
            for sub in subs:
                key = grade.submission_key(spec, sub, limits)
                done = journal.get(sub.student, key)
                if done is not None:
                    results[sub.student] = done
                    writer.record(done)
                else:
                    todo.append((sub, key))
            _run(spec, todo, limits, workers, journal, writer, results, progress, console, run)
        finally:
            writer.close()
    ordered = [results[s.student] for s in subs]
    if writer.problem:  # every grade is journaled; the caller still writes the CSV from them
        writer.problem.assignment, writer.problem.results = spec, ordered
        raise writer.problem
    return spec, ordered


def _run(spec, todo, limits, workers, journal, writer, results, progress, console,
         run) -> None:
    def store(sub, key, result):
        if result.status != "error":  # an internal error is retried next run
            journal.put(sub.student, key, result)
        writer.record(result)
        results[sub.student] = result

    # Missing and malformed submissions need no sandbox (and would skew the time estimate).
    for sub, key in [(s, k) for s, k in todo if s.problem]:
        store(sub, key, grade.grade_submission(spec, sub, limits))
    todo = [(s, k) for s, k in todo if not s.problem]
    if not todo:
        return
    # The local default leaves grade_submission's own (run_program in a local sandbox).
    grade_one = partial(grade.grade_submission, run=run) if run else grade.grade_submission
    running: list[str] = []
    lock = threading.Lock()
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("({task.remaining:.0f} left)"), TimeElapsedColumn(), TextColumn("ETA"),
                   TimeRemainingColumn(), console=console or Console(stderr=True),
                   disable=not progress, transient=False)
    task = bar.add_task("starting", total=len(todo))

    def describe():
        with lock:
            names = ", ".join(running[:3]) + (" …" if len(running) > 3 else "")
        bar.update(task, description=f"grading {names}" if names else "finishing")

    def one(sub):
        with lock:
            running.append(sub.student)
        describe()
        try:
            return grade_one(spec, sub, limits)
        except Exception as exc:  # noqa: BLE001 - a grader bug costs one row, not the batch
            return grade.error_result(spec, sub.student, exc)
        finally:
            with lock:
                running.remove(sub.student)

    regrade = []
    with bar, ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(one, sub): (sub, key) for sub, key in todo}
        for future in as_completed(futures):
            sub, key = futures[future]
            result = future.result()
            if workers > 1 and len(todo) > 1 and starved(result):
                regrade.append((sub, key))  # not journaled: a resumed batch grades it again
                continue
            store(sub, key, result)
            bar.advance(task)
            describe()
        # Timed out while other sandboxes had the CPU: graded once more, one at a time.
        for sub, key in regrade:
            store(sub, key, one(sub))
            bar.advance(task)
            describe()
