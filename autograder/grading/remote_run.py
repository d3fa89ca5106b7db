"""The seam between the instructor's grader and a cluster worker: one sandbox run, as plain data.

What crosses to a worker is a :func:`job` dict: the program already restored on the instructor's
machine (its cells' code and labels), the calls' inputs (never the expected answers), the limits,
the seconds the submission has left, the folders to hide and the instructor's
:func:`environment` digest. :func:`run_job` runs it on the worker with the same
:func:`autograder.sandbox.runner.run_program` (the same sandbox, the same limits) and sends back the
:class:`~autograder.sandbox.runner.Answers` as a dict; :func:`answers` turns that back into ``Answers``
on the instructor's machine, where the verdicts are made. Learner code runs only in the sandbox.

Why the built program and not the submission file: the worker then needs no copy of the course
notebooks or of the submissions (no shared file system), the learner's file is read once, by the
instructor, with :mod:`autograder.intake.submissions`' guards, and what runs is exactly what the
instructor's machine would have run.

Nothing here imports Dask: a worker calls :func:`run_job` through it (see
:mod:`autograder.grading.cluster`), and a test can call it directly.
"""

from __future__ import annotations

import hashlib
import platform
import time
from dataclasses import asdict
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from autograder import __version__
from autograder.contract.limits import Limits
from autograder.contract.program import Program, ProgramCell
from autograder.contract.results import Issue
from autograder.sandbox.runner import Answers, run_program

#: The installed distributions whose versions can change a grade (the sandbox imports them, or
#: they read and judge the notebooks), compared between the instructor and every worker.
GRADE_PACKAGES = ("numpy", "tensorflow", "keras", "nbformat", "nbgrader", "nn-course")


class EnvironmentMismatch(RuntimeError):
    """A worker's Python, packages or grader code differ from the instructor's."""


def job(program: Program, calls: dict[str, dict], limits: Limits, deadline: float,
        folder: str, nb_name: str, places: dict) -> dict:
    """The plain-data job of one notebook's run (the arguments of
    :func:`autograder.sandbox.runner.run_program`); ``deadline`` (this machine's ``time.monotonic()``)
    is sent as the seconds left, since another machine's clock means nothing here."""
    return {
        "cells": [{"code": c.code, "origin": c.origin, "label": c.label} for c in program.cells],
        "calls": calls,
        "limits": asdict(limits),
        "seconds_left": max(deadline - time.monotonic(), 0.0),
        "folder": folder,
        "nb_name": nb_name,
        "places": {k: None if v is None else str(v) for k, v in places.items()},
        "environment": environment_digest(),
    }


def run_job(data: dict) -> dict:
    """Run a :func:`job` in this machine's sandbox; the answers as plain data (see
    :func:`answers`). :class:`EnvironmentMismatch` when this worker's environment is not the one
    the job was made for (so a worker that joined late cannot grade with other versions)."""
    mine = environment_digest()
    if data["environment"] != mine:
        raise EnvironmentMismatch(
            f"worker {platform.node()} has another environment than the instructor's "
            f"(digest {mine[:12]} here, {data['environment'][:12]} there): install the same "
            "versions of Python and the course's packages on it (see `autograder grade "
            "--scheduler` in docs/instructor_guide.md)")
    program = Program(cells=[ProgramCell(**c) for c in data["cells"]])
    deadline = time.monotonic() + data["seconds_left"]
    run = run_program(program, data["calls"], Limits(**data["limits"]), deadline,
                      data["folder"], data["nb_name"], data["places"])
    return {"by_key": run.by_key, "issues": [[i.status, i.message] for i in run.issues],
            "output": run.output, "cpu_seconds": run.cpu_seconds, "phases": run.phases}


def answers(data: dict) -> Answers:
    """The :class:`~autograder.sandbox.runner.Answers` that :func:`run_job` sent back."""
    return Answers(data["by_key"], [Issue(s, m) for s, m in data["issues"]], data["output"],
                   data["cpu_seconds"], data["phases"])


@lru_cache(maxsize=1)
def environment() -> dict[str, str]:
    """What decides a grade on this machine, by name: the Python version, each of
    :data:`GRADE_PACKAGES`' installed version, and ``grader code`` (a SHA-256 of the
    ``autograder`` and ``course_utils`` packages' Python files: the harness, the sandbox, the
    cases and what learner code imports)."""
    import course_utils

    found = {"python": platform.python_version()}
    for name in GRADE_PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    found["autograder"] = __version__
    h = hashlib.sha256()
    for package in (Path(__file__).parent, Path(course_utils.__file__).parent):
        for path in sorted(package.rglob("*.py")):
            h.update(f"{path.relative_to(package.parent)}\0".encode() + path.read_bytes())
    found["grader code"] = h.hexdigest()
    return found


def environment_digest() -> str:
    """One SHA-256 over :func:`environment` (what a job carries)."""
    return hashlib.sha256(repr(sorted(environment().items())).encode()).hexdigest()


def first_difference(instructor: dict[str, str], worker: dict[str, str]) -> str | None:
    """The first entry of :func:`environment` that differs, as ``"numpy 2.1.0 here, 2.0.2 on
    the worker"``; ``None`` when they agree."""
    for name in dict.fromkeys([*instructor, *worker]):
        mine, theirs = instructor.get(name, "absent"), worker.get(name, "absent")
        if mine != theirs:
            if name == "grader code":
                return (f"the grader code (autograder/course_utils files) differs: "
                        f"{mine[:12]} here, {theirs[:12]} on the worker")
            return f"{name} {mine} here, {theirs} on the worker"
    return None
