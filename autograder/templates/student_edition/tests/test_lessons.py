"""The student edition runs: every lesson top to bottom (one whose worked answer is withheld until
the deadline, up to the first cell that needs the learner's own function), each assignment up to
its first check (which stops with NotImplementedError until the exercise is written), and the
public checks work without the reference solutions (which are not part of this edition)."""

from __future__ import annotations

import importlib
import os
import tempfile
from pathlib import Path

import nbformat
import numpy as np
import pytest
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)


def _first_check(nb: nbformat.NotebookNode) -> int | None:
    """Index of the first graded check cell (nbgrader ``grade: true``), None in a lesson."""
    return next((i for i, cell in enumerate(nb.cells)
                 if cell.get("metadata", {}).get("nbgrader", {}).get("grade")), None)


def _first_withheld(nb: nbformat.NotebookNode) -> int | None:
    """Index of the first note that stands for a withheld worked answer, None if there is none."""
    return next((i for i, cell in enumerate(nb.cells)
                 if "withheld" in cell.get("metadata", {}).get("course", {})), None)


def _execute(nb: nbformat.NotebookNode, folder: Path) -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's C++ chatter off
    # Unix sockets in a folder of this test's own: TCP ports picked by two pytest workers at once
    # can collide ("Address already in use") and kill a kernel.
    with tempfile.TemporaryDirectory(prefix="kernel-", dir="/tmp") as sockets:
        km = KernelManager(kernel_name="python3", transport="ipc", ip=f"{sockets}/k")
        NotebookClient(nb, km=km, timeout=600,
                       resources={"metadata": {"path": str(folder)}}).execute()


def test_there_are_lessons():
    assert len(NOTEBOOKS) >= 2


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT / "notebooks")))
def test_notebook_runs(path):
    nb = nbformat.read(path, as_version=4)
    first_check = _first_check(nb)
    withheld = _first_withheld(nb)
    if first_check is None and withheld is None:
        _execute(nb, path.parent)  # a lesson: top to bottom without an error
        return
    if first_check is None:
        # A lesson whose worked answer to a graded exercise is withheld until the deadline: it
        # runs up to the note, and from there on needs the learner's own function, so the first
        # cell that uses it stops with the stub's NotImplementedError (and nothing before it).
        with pytest.raises(CellExecutionError) as failed:
            _execute(nb, path.parent)
        assert failed.value.ename == "NotImplementedError"
        errors = [i for i, c in enumerate(nb.cells)
                  if c.cell_type == "code" and any(o.output_type == "error" for o in c.outputs)
                  and "raises-exception" not in c.metadata.get("tags", [])]  # shown on purpose
        assert len(errors) == 1 and errors[0] > withheld
        return
    # An assignment: everything before the first check runs; the check stops the notebook with
    # NotImplementedError, because the exercise above it is still `raise NotImplementedError()`.
    nb.cells = nb.cells[:first_check + 1]
    with pytest.raises(CellExecutionError) as failed:
        _execute(nb, path.parent)
    assert failed.value.ename == "NotImplementedError"
    errors = [i for i, c in enumerate(nb.cells)
              if c.cell_type == "code" and any(o.output_type == "error" for o in c.outputs)]
    assert errors == [first_check]


def test_public_checks_work_without_the_reference_solutions(capsys):
    checks = importlib.import_module("course_utils.checks")
    # Every exported name is there (the checks and the facts a lesson quotes, e.g. FACT_X), and
    # every check is a function.
    assert checks.__all__ and all(hasattr(checks, name) for name in checks.__all__)
    assert all(callable(getattr(checks, name)) for name in checks.__all__
               if name.startswith("check_"))
    # A wrong answer gets a failing verdict from the expected values the checks hold.
    assert checks.check_dense(lambda a_in, W, b, g: np.zeros(W.shape[1])) is False
    assert "dense" in capsys.readouterr().out
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("course_utils.reference")
