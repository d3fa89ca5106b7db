"""A graded assignment as the grader reads it: its source notebooks, exercises, cases and points,
and the fingerprint the journal keys on (:func:`load_assignment`)."""

from __future__ import annotations

import hashlib
import json
import pkgutil
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder import __version__
from autograder.authoring.starter import starter_cells
from autograder.cases import Case, Exercise, ModelSpec, exercises
from autograder.config import SOURCE_DIRECTORY
from autograder.contract import cells
from autograder.contract.activations import Act
from autograder.sandbox import child


@dataclass
class Assignment:
    """A graded assignment: its source notebooks, exercises, cases and points."""

    name: str
    root: Path
    sources: dict[str, nbformat.NotebookNode]  # graded source notebooks by file name
    released: list[str]  # every notebook file name of the assignment
    exercises: dict[str, Exercise]
    cases: dict[str, list[Case]]
    points: dict[str, float]
    home: dict[str, str]  # exercise -> source notebook name
    fingerprint: str
    #: Exercise -> its solution cell as released (a learner cell still equal to it: not attempted).
    starters: dict[str, str]

    @property
    def max_score(self) -> float:
        return sum(self.points.values())


def load_assignment(root: Path, name: str, registry: dict[str, Exercise] | None = None) -> Assignment:
    """Read ``notebooks/<name>/`` and the grading cases; raise ``ValueError`` naming what is wrong."""
    folder = Path(root) / SOURCE_DIRECTORY / name
    if not folder.is_dir():
        known = ", ".join(graded_assignments(root)) or "none"
        raise ValueError(f"no source folder {folder}: an assignment is a folder under "
                         f"{SOURCE_DIRECTORY}/ with grading cases in autograder/cases/; "
                         f"assignments that can be graded here: {known}")
    released, sources = [], {}
    for path in sorted(folder.glob("*.ipynb")):
        released.append(path.name)
        nb = nbformat.read(path, as_version=4)
        if cells.solution_ids(nb):
            sources[path.name] = nb
    registry = exercises(name) if registry is None else registry
    home, points = {}, {}
    for ex in registry:
        home[ex] = next((n for n, nb in sources.items() if ex in cells.solution_ids(nb)), None)
        if home[ex] is None:
            raise ValueError(f"exercise {ex!r} has grading cases but no solution cell with "
                             f"grade_id {ex!r} in {folder}")
        tests = cells.test_points(sources[home[ex]])
        if f"test_{ex}" not in tests:
            raise ValueError(f"exercise {ex!r} has no test cell test_{ex} (its points) in {home[ex]}")
        points[ex] = tests[f"test_{ex}"]
    cases = {ex: list(e.cases()) for ex, e in registry.items()}
    h = hashlib.sha256(__version__.encode())
    for nb_name in sorted(sources):
        h.update((folder / nb_name).read_bytes())
    for cs in cases.values():
        h.update(json.dumps([[encode(c.args), encode(c.expected), *c.settings()]
                             for c in cs]).encode())
    starters = {ex: text for nb in sources.values() for ex, text in starter_cells(nb).items()}
    return Assignment(name, Path(root), sources, released, registry, cases, points, home,
                      h.hexdigest(), starters)


def graded_assignments(root: Path) -> list[str]:
    """The assignments ``root`` can grade: a source folder with a graded notebook AND a
    grading-cases module each."""
    from autograder import cases

    with_cases = {m.name for m in pkgutil.iter_modules(cases.__path__)}
    folder = Path(root) / SOURCE_DIRECTORY
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir()
                  if p.is_dir() and p.name in with_cases and _has_graded_notebook(p))


def _has_graded_notebook(folder: Path) -> bool:
    """Whether a notebook in ``folder`` has a solution cell (a week whose graded notebook is not
    written yet holds lessons only)."""
    for path in folder.glob("*.ipynb"):
        try:
            if cells.solution_ids(nbformat.read(path, as_version=4)):
                return True
        except (OSError, ValueError):  # an unreadable notebook grades nothing
            continue
    return False


def encode(value):
    return child.encode(value, encode_custom)


def encode_custom(value):
    """Activations by name; a model spec as ``{"__model__": its data}`` (arrays encoded as usual)."""
    if isinstance(value, Act):
        return {"__act__": value.name}
    if isinstance(value, ModelSpec):
        return {"__model__": child.encode(value.data())}
    return None
