"""Shared fixtures: the repository root and a notebook runner (fresh kernel, top to bottom)."""

from __future__ import annotations

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
