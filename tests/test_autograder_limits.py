"""Per-submission limits through the real sandbox: CPU shared fairly between sandboxes graded at
the same time, memory counted over all of a submission's processes and its tmpfs, the start-up
check of ``--memory`` against what the notebook's imports need, leftover cgroups removed."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import nbformat
from autograder_fixtures import ASSIGNMENT, FULL, NB_NAME, ROOT, append, source_notebook

from autograder import cli

#: 8 children spinning forever; the cell itself returns at once (the children outlive it).
BUSY_CHILDREN = """\
import os
for _ in range(8):
    if os.fork() == 0:
        while True:
            pass
"""
#: Work that needs 6 s of one core: well within a 15 s cell limit with a fair share of the CPU,
#: over it with a tenth of the machine (what 8 busy neighbours leave without per-sandbox limits).
HONEST_WORK = """\
import time
_start = time.process_time()
while time.process_time() - _start < 6.0:
    pass
"""


def _course(tmp_path: Path, notebooks: dict[str, nbformat.NotebookNode]) -> tuple[Path, Path]:
    root = tmp_path / "course"
    shutil.copytree(ROOT / "notebooks" / ASSIGNMENT, root / "notebooks" / ASSIGNMENT)
    for student, nb in notebooks.items():
        folder = root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / NB_NAME)
    return root, root / "submitted"


def _with(*edits: tuple[str, str]) -> nbformat.NotebookNode:
    """The instructor notebook with each ``(grade_id, code)`` appended to that cell."""
    nb = source_notebook()
    for gid, code in edits:
        append(nb, gid, code)
    return nb


def _grade(root: Path, submitted: Path, *options: str) -> tuple[int, dict[str, dict]]:
    out = root / "grades.csv"
    code = cli.main(["--root", str(root), "grade", ASSIGNMENT, str(submitted), "--csv", str(out),
                     "--no-progress", "--no-feedback", *options])
    if not out.exists():
        return code, {}
    with out.open(newline="") as f:
        return code, {row["student_id"]: row for row in csv.DictReader(f)}


def test_busy_children_do_not_make_a_classmate_time_out(tmp_path):
    # The sleep keeps the busy sandbox (and its children) alive while the classmate works.
    busy = _with(("dense", BUSY_CHILDREN), ("sequential", "import time\ntime.sleep(12)"))
    root, submitted = _course(tmp_path, {"busy_children": busy,
                                         "honest": _with(("dense", HONEST_WORK))})
    code, rows = _grade(root, submitted, "--workers", "2", "--timeout", "15", "--memory", "3072")
    assert code == 0
    honest = rows["honest"]
    assert (float(honest["score"]), honest["status"], honest["message"]) == (FULL, "graded", ""), honest

