"""Golden folders (otter's model): the student version of every graded notebook, as
``autograder.authoring.release.release(week, root)`` generates it, compared with the committed copy in
``tests/golden/release/<week>/``. A solution or hidden test leaking, a stub or lock lost, nbgrader
settings changed: each shows as a diff. After an intended change, regenerate and review::

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden_releases.py
    git diff tests/golden/
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest

from autograder.authoring.release import release
from conftest import NOTEBOOKS, ROOT

GOLDEN = ROOT / "tests" / "golden" / "release"
WEEKS = ["week1", "week2", "week3", "week4", "week5"]
REGENERATE = "UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden_releases.py"


def normalise(nb: nbformat.NotebookNode) -> str:
    """The notebook as stable JSON: cell ids, checksums and kernel versions are left out."""
    nb = json.loads(json.dumps(nb))
    nb["metadata"].pop("language_info", None)
    for i, cell in enumerate(nb["cells"]):
        cell["id"] = f"cell-{i}"  # random when the notebook is regenerated
        cell["source"] = cell["source"].splitlines(keepends=True)  # line-by-line diffs
        cell.get("metadata", {}).get("nbgrader", {}).pop("checksum", None)  # derived from the source
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _graded(path: Path) -> bool:
    return any(c.get("metadata", {}).get("nbgrader") for c in nbformat.read(path, as_version=4).cells)


def test_every_week_with_graded_notebooks_has_a_golden_copy():
    graded = sorted(w.name for w in NOTEBOOKS.iterdir()
                    if w.is_dir() and any(_graded(p) for p in w.glob("*.ipynb")))
    assert graded == WEEKS


@pytest.mark.parametrize("week", WEEKS)
def test_student_version_matches_golden_copy(week, tmp_path):
    shutil.copytree(NOTEBOOKS, tmp_path / "notebooks")
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    student_dir = release(week, tmp_path)
    # Only graded notebooks (those with nbgrader cells) have a golden copy: the week's lesson
    # notebooks pass through unchanged but for their outputs (each week's test checks that).
    generated = {p.name: p for p in sorted(student_dir.glob("*.ipynb")) if _graded(p)}
    golden_dir = GOLDEN / week
    if os.environ.get("UPDATE_GOLDEN"):
        if golden_dir.exists():
            shutil.rmtree(golden_dir)
        golden_dir.mkdir(parents=True)
        for name, path in generated.items():
            (golden_dir / name).write_text(normalise(nbformat.read(path, as_version=4)))
        pytest.skip(f"golden copy rewritten in {golden_dir}: review `git diff tests/golden` and commit")
    golden = {p.name: p for p in sorted(golden_dir.glob("*.ipynb"))}
    assert sorted(generated) == sorted(golden), (
        f"graded notebooks differ: generated {sorted(generated)}, golden {sorted(golden)}; "
        f"if intended run {REGENERATE}"
    )
    problems = []
    for name, path in generated.items():
        got = normalise(nbformat.read(path, as_version=4))
        want = golden[name].read_text()
        if got != want:
            diff = difflib.unified_diff(want.splitlines(), got.splitlines(), f"golden/{name}",
                                        f"generated/{name}", lineterm="", n=2)
            problems.append("\n".join(list(diff)[:80]))
    assert not problems, (
        f"the student version differs from tests/golden/release/{week}/ (golden → generated):\n"
        + "\n".join(problems) + f"\nIf the change is intended, regenerate the golden copy: {REGENERATE}"
    )
