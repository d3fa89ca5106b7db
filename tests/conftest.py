"""Shared fixtures: the repository root and a notebook runner (fresh kernel, top to bottom)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import matplotlib
import nbformat
import pytest
from nbclient import NotebookClient

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


def execute_notebook(path: Path | str, timeout: int = 600) -> nbformat.NotebookNode:
    """Execute a notebook in a fresh ``python3`` kernel, in its own folder; return it with outputs.

    Raises ``nbclient.exceptions.CellExecutionError`` at the first failing cell (cells tagged
    ``raises-exception`` may fail).
    """
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    env_defaults = {"TF_CPP_MIN_LOG_LEVEL": "2"}
    for key, value in env_defaults.items():
        os.environ.setdefault(key, value)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return nb


@pytest.fixture
def run_notebook():
    return execute_notebook


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def assert_graded_cells_pass(nb: nbformat.NotebookNode) -> None:
    """An executed instructor notebook: no cell errored and every graded test cell printed a
    passing public check (✅) and no failing one (❌)."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.source[:80]
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            assert "\N{WHITE HEAVY CHECK MARK}" in text and "\N{CROSS MARK}" not in text, text


def assert_student_version_stops_at(nb: nbformat.NotebookNode, folder: Path, grade_id: str) -> None:
    """Execute a private copy of a released student notebook in ``folder``: exactly one cell
    fails, it is the first graded test cell (``grade_id``), and it fails with NotImplementedError."""
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.from_dict(json.loads(json.dumps(nb)))  # a private copy to fill with outputs
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}})
    with pytest.raises(CellExecutionError):
        client.execute()
    errors = [i for i, c in enumerate(nb.cells)
              if c.cell_type == "code" and any(o.output_type == "error" for o in c.outputs)]
    assert len(errors) == 1
    nbgrader = [c.get("metadata", {}).get("nbgrader", {}) for c in nb.cells]
    first_test = next(i for i, meta in enumerate(nbgrader) if meta.get("grade"))
    assert errors[0] == first_test and nbgrader[first_test]["grade_id"] == grade_id
    (error,) = [o for o in nb.cells[first_test].outputs if o.output_type == "error"]
    assert error.ename == "NotImplementedError"
