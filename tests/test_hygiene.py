"""Repository hygiene: clean notebooks (nbgrader metadata kept), no import side effects, no hacks."""

from __future__ import annotations

import ast
import copy
import subprocess
import sys

import nbformat
import pytest

from autograder.authoring.clean import clean_notebook, is_clean
from conftest import NOTEBOOKS, ROOT

ALL_NOTEBOOKS = sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
PY_FILES = sorted(
    p for d in ("course_utils", "autograder", "tests", "benchmarks") for p in (ROOT / d).rglob("*.py")
)


def test_there_are_notebooks():
    assert len(ALL_NOTEBOOKS) >= 1


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: str(p.relative_to(NOTEBOOKS)))
def test_notebook_stored_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "run python -m autograder.authoring.clean"
    assert is_clean(nb), f"{path.name} carries editor state: run python -m autograder.authoring.clean {path}"


def _dirty_graded_notebook():
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    meta = {"nbgrader": {"solution": True, "grade": False, "locked": False, "grade_id": "dense",
                         "schema_version": 3}, "tags": ["raises-exception"], "collapsed": True,
            "scrolled": True, "ExecuteTime": {"end_time": "2026"}}
    cell = nbformat.v4.new_code_cell("def dense():\n    pass", metadata=meta, execution_count=3)
    cell.outputs = [nbformat.v4.new_output("stream", text="hello")]
    nb.cells.append(cell)
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    return nb


def test_cleaner_keeps_nbgrader_metadata_and_tags():
    nb = _dirty_graded_notebook()
    original_nbgrader = copy.deepcopy(nb.cells[0].metadata["nbgrader"])
    cleaned = clean_notebook(copy.deepcopy(nb))
    meta = cleaned.cells[0].metadata
    assert meta["nbgrader"] == original_nbgrader
    assert meta["tags"] == ["raises-exception"]
    assert "ExecuteTime" not in meta and "collapsed" not in meta
    assert cleaned.cells[0].outputs == [] and cleaned.cells[0].execution_count is None
    assert "widgets" not in cleaned.metadata and cleaned.metadata["kernelspec"]["name"] == "python3"
    assert is_clean(cleaned) and not is_clean(nb)


def test_cleaner_cli_round_trip(tmp_path):
    path = tmp_path / "graded.ipynb"
    nbformat.write(_dirty_graded_notebook(), path)
    check = [sys.executable, "-m", "autograder.authoring.clean", "--check", str(tmp_path)]
    assert subprocess.run(check, capture_output=True, text=True).returncode == 1
    subprocess.run([sys.executable, "-m", "autograder.authoring.clean", str(tmp_path)], check=True)
    assert subprocess.run(check, capture_output=True, text=True).returncode == 0
    assert nbformat.read(path, as_version=4).cells[0].metadata["nbgrader"]["grade_id"] == "dense"


def test_importing_course_utils_changes_no_global_state():
    # A fresh interpreter: import every module and compare matplotlib rcParams and NumPy's RNG.
    code = """
import importlib, pkgutil, numpy as np, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
before = dict(plt.rcParams); state = np.random.get_state()[1].copy()
import course_utils
for mod in pkgutil.walk_packages(course_utils.__path__, "course_utils."):
    if mod.name.endswith("__main__"):
        continue  # running a module is not importing it
    importlib.import_module(mod.name)
after = dict(plt.rcParams)
changed = sorted(k for k in before if before[k] != after[k] and k != "backend")
assert not changed, changed
assert (np.random.get_state()[1] == state).all(), "NumPy's global RNG was reseeded on import"
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]


@pytest.mark.parametrize("path", PY_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_star_imports_or_sys_path_hacks(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert all(alias.name != "*" for alias in node.names), f"{path}:{node.lineno} import *"
        if isinstance(node, ast.Attribute) and node.attr == "path":
            if isinstance(node.value, ast.Name) and node.value.id == "sys":
                parent_calls = [
                    n for n in ast.walk(tree)
                    if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                    and n.func.value is node and n.func.attr in {"insert", "append", "extend"}
                ]
                # The sandbox harness reproduces a kernel's own sys.path (the notebook's folder
                # first); that line says so. Anything else is a hack around a missing install.
                line = path.read_text().splitlines()[node.lineno - 1]
                if "kernel emulation" not in line:
                    assert not parent_calls, f"{path}:{node.lineno} edits sys.path"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: str(p.relative_to(NOTEBOOKS)))
def test_notebooks_import_cleanly(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        src = cell.source
        assert "import *" not in src and "sys.path" not in src, f"{path.name}: {src[:80]!r}"
        assert "input_dim" not in src, f"{path.name}: use keras.Input(shape=...) (Keras 3)"
        assert ".mplstyle" not in src, f"{path.name}: use course_utils.plots.use_course_style()"
