"""Memory problems of one sandbox run that the learner's own cell errors do not show, as issues
(status ``memory``) whose message names ``--memory``.

- a process of the submission ended by the OOM killer of its memory cgroup while the notebook
  went on (a forked child, say: the main process survives, so the run still finishes);
- a cell whose ``OSError`` is ``ENOSPC`` (the home folder, ``/tmp`` or ``/dev/shm`` is full: they
  are size-limited tmpfs, i.e. memory) or ``ENOMEM``;
- one of the notebook's *own* import cells (a restored source cell, so never the learner's doing)
  failing for lack of memory: TensorFlow's import under a small address-space limit raises
  ``ImportError: … failed to map segment from shared object``, and without this every exercise
  would just fail with a silent 0.
"""

from __future__ import annotations

import ast
import errno

from autograder import python_source
from autograder.restore import ProgramCell
from autograder.results import Issue
from autograder.sandbox import Limits, RunResult

#: What the C library, the dynamic loader and Python print when memory runs out.
OUT_OF_MEMORY_WORDS = (b"failed to map segment", b"Cannot allocate memory", b"MemoryError",
                       b"bad_alloc", b"out of memory")


def is_import_cell(code: str) -> bool:
    """True when ``code`` has an ``import`` statement at its top level."""
    try:
        tree = python_source.parse(code)
    except SyntaxError:
        return False
    return any(isinstance(node, ast.Import | ast.ImportFrom) for node in tree.body)


def imports_message(memory_mb: int, detail: str = "") -> str:
    return (f"the notebook's imports ran out of memory{detail}; raise --memory "
            f"(now {memory_mb} MB)")


def run_issues(run: RunResult, cells: list[ProgramCell], limits: Limits) -> list[Issue]:
    """The memory issues of ``run`` (the program ``cells`` it ran, under ``limits``)."""
    issues = []
    output = run.stdout + run.stderr
    for event in run.events:
        i = event.get("i")
        if event.get("ev") != "cell_end" or not event.get("error") or type(i) is not int \
                or not 0 <= i < len(cells):
            continue
        cell, error = cells[i], str(event["error"])
        if event.get("errno") == errno.ENOSPC:
            issues.append(Issue("memory", (
                f"{cell.label} filled its scratch space: the home folder, /tmp and /dev/shm hold "
                f"{limits.scratch_mb} MB each, kept in memory and counted in --memory "
                f"({limits.memory_mb} MB)")))
        elif event.get("errno") == errno.ENOMEM:
            issues.append(Issue("memory", f"{cell.label} ran out of memory (--memory "
                                          f"{limits.memory_mb} MB)"))
        elif cell.origin == "source" and is_import_cell(cell.code) and (
                error == "MemoryError"
                or error in ("ImportError", "OSError") and any(w in output for w in OUT_OF_MEMORY_WORDS)):
            issues.append(Issue("memory", imports_message(limits.memory_mb,
                                                          f" ({cell.label}: {error})")))
    if run.finished and run.oom_kills:
        issues.append(Issue("memory", (
            f"{run.oom_kills} of the notebook's processes were killed: together they went over "
            f"--memory ({limits.memory_mb} MB)")))
    return issues
