"""Student versions of an assignment, made by nbgrader's own ``GenerateAssignment``.

``release("week1", root)`` reads the instructor notebooks in ``<root>/notebooks/week1/`` and
writes the student versions to ``<root>/release/week1/``: solutions replaced by
``# YOUR CODE HERE / raise NotImplementedError()``, hidden tests removed, outputs cleared, the
nbgrader metadata kept (``autograder grade`` and ``nbgrader autograde`` need it), and the
assignment recorded in ``<root>/gradebook.db`` as ``nbgrader generate_assignment`` does.

Before nbgrader runs, every notebook's markup is checked against ``docs/conventions.md`` so that a
mistake is reported as *which notebook, which cell, what is wrong and how to fix it* rather than
as a traceback from deep inside nbgrader.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
from pathlib import Path

import nbformat

from autograder.config import SOURCE_DIRECTORY, course_config, venv_scripts_on_path
from autograder.contract.cells import HIDDEN_TEST_MARKERS, SOLUTION_MARKERS, grade_id

_GRADE_ID = re.compile(r"^[A-Za-z0-9_-]+$")
_CONVENTIONS = "see docs/conventions.md, 'Graded notebooks (nbgrader markup)'"


class ReleaseError(RuntimeError):
    """The assignment cannot be released; the message names the problem and the fix."""


def release(assignment: str, root: Path, dest: Path | None = None) -> Path:
    """Generate the student version of ``assignment`` and return the folder holding it.

    ``root`` is the course folder (the repository root: it holds ``notebooks/<assignment>/``).
    The student notebooks go to ``<root>/release/<assignment>/`` or, when given, to ``dest``
    (replaced if it exists). Raises :class:`ReleaseError` for a missing assignment folder or
    malformed nbgrader metadata, naming the problem and the fix.
    """
    root = Path(root).resolve()
    source = root / SOURCE_DIRECTORY / assignment
    notebooks = _assignment_notebooks(assignment, root, source)
    for path in notebooks:
        check_markup(path)

    config = course_config(root)
    staging = None
    if dest is not None:
        # nbgrader writes to <release_directory>/<assignment>; stage there, then move to dest.
        staging = Path(tempfile.mkdtemp(prefix="release-"))
        config.CourseDirectory.release_directory = str(staging)
    out = (staging or root / "release") / assignment
    try:
        _generate(assignment, root, config)
        if dest is None:
            return out
        dest = Path(dest).resolve()
        if dest.exists():
            shutil.rmtree(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(out, dest)
        return dest
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def _assignment_notebooks(assignment: str, root: Path, source: Path) -> list[Path]:
    if not assignment or "/" in assignment or "\\" in assignment or assignment.startswith("."):
        raise ReleaseError(
            f"invalid assignment name {assignment!r}: pass the name of a folder under "
            f"{root / SOURCE_DIRECTORY}, e.g. 'week1'."
        )
    if not source.is_dir():
        folder = root / SOURCE_DIRECTORY
        known = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
        available = f"available assignments: {', '.join(known)}" if known else (
            f"{folder} has no assignment folders" if folder.is_dir() else f"{folder} does not exist"
        )
        raise ReleaseError(
            f"no assignment folder {source} ({available}). Fix: check the assignment name and the "
            f"course root (root={root}), or create {source} holding the instructor notebooks."
        )
    notebooks = sorted(source.glob("*.ipynb"))
    if not notebooks:
        raise ReleaseError(
            f"the assignment folder {source} has no notebooks (*.ipynb). Fix: put the instructor "
            "notebooks there, or check the assignment name."
        )
    return notebooks


def check_markup(path: Path) -> None:
    """Raise :class:`ReleaseError` at the first nbgrader markup problem in the notebook ``path``."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # noqa: BLE001 - any unreadable notebook gets the same clear error
        raise ReleaseError(
            f"{path}: not a readable notebook ({type(exc).__name__}: {exc}). Fix: repair the JSON, "
            "e.g. restore the file from git."
        ) from None
    seen: dict[str, int] = {}
    for index, cell in enumerate(nb.cells):
        problem = _cell_problem(cell, seen, index)
        if problem:
            gid = grade_id(cell)
            named = f" (grade_id {gid!r})" if gid else ""
            first_line = cell.source.strip().splitlines()[0][:60] if cell.source.strip() else ""
            raise ReleaseError(
                f"{path.name}, cell {index}{named}, starting {first_line!r}: {problem} "
                f"({_CONVENTIONS})."
            )


def _cell_problem(cell, seen: dict[str, int], index: int) -> str | None:
    meta = cell.get("metadata", {}).get("nbgrader")
    source = cell.source
    for begin, end in (SOLUTION_MARKERS, HIDDEN_TEST_MARKERS):
        if source.count(begin) != source.count(end) or (
            begin in source and source.index(begin) > source.index(end)
        ):
            return f"'{begin}' and '{end}' do not pair up. Fix: one '{end}' after each '{begin}'"
    has_solution = SOLUTION_MARKERS[0] in source
    has_hidden = HIDDEN_TEST_MARKERS[0] in source
    if meta is None:
        if has_solution:
            return ("has '### BEGIN SOLUTION' but no nbgrader metadata. Fix: make it a solution cell, "
                    'metadata {"solution": true, "grade": false, "locked": false, '
                    '"grade_id": "<function name>", "schema_version": 3}')
        if has_hidden:
            return ("has '### BEGIN HIDDEN TESTS' but no nbgrader metadata. Fix: make it a test cell, "
                    'metadata {"solution": false, "grade": true, "locked": true, "points": P, '
                    '"grade_id": "test_<function name>", "schema_version": 3}')
        return None
    if not isinstance(meta, dict):
        return f"its nbgrader metadata is a {type(meta).__name__}, not an object. Fix: rewrite it"
    if meta.get("schema_version") != 3:
        return (f"nbgrader schema_version is {meta.get('schema_version')!r}, nbgrader 0.9 needs 3. "
                "Fix: set \"schema_version\": 3")
    for key in ("solution", "grade", "locked"):
        if not isinstance(meta.get(key), bool):
            return f"nbgrader metadata needs \"{key}\": true or false, got {meta.get(key)!r}. Fix: add it"
    gid = meta.get("grade_id")
    if not isinstance(gid, str) or not _GRADE_ID.match(gid):
        return (f"grade_id {gid!r} is missing or invalid. Fix: use letters, digits, '_' or '-' "
                "(the function name for a solution cell, test_<name> for its test cell)")
    if gid in seen:
        return f"grade_id {gid!r} is also used by cell {seen[gid]}. Fix: make it unique"
    seen[gid] = index
    if meta["grade"]:
        points = meta.get("points")
        if isinstance(points, bool) or not isinstance(points, int | float) or points < 0:
            return f"a graded cell needs \"points\": a number >= 0, got {points!r}. Fix: set points"
    if has_solution and not meta["solution"]:
        return ("has '### BEGIN SOLUTION' but is not a solution cell. Fix: set \"solution\": true "
                "(and \"locked\": false), or remove the markers")
    if has_hidden and not meta["grade"]:
        return ("has '### BEGIN HIDDEN TESTS' but is not a graded test cell. Fix: set "
                "\"grade\": true and \"points\"")
    if meta["solution"] and cell.cell_type == "code" and not has_solution:
        return ("is a code solution cell without '### BEGIN SOLUTION' / '### END SOLUTION': "
                "nbgrader would replace the whole cell, def line included. Fix: put the markers "
                "around the function body")
    return _nbgrader_rejects(cell)


def _nbgrader_rejects(cell) -> str | None:
    """What nbgrader's own metadata validator says about ``cell`` (its rules beyond ours)."""
    from nbgrader.nbgraderformat import MetadataValidator

    try:
        MetadataValidator().validate_cell(nbformat.from_dict(cell))
    except Exception as exc:  # noqa: BLE001 - ValidationError and the schema-version errors
        return (f"nbgrader rejects its metadata: {exc}. Fix: correct the metadata as nbgrader "
                "says, using one of the cell kinds of the conventions")
    return None


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname}: {record.getMessage()}")


def _generate(assignment: str, root: Path, config) -> None:
    from nbgrader.converters import GenerateAssignment
    from nbgrader.converters.base import NbGraderException
    from nbgrader.coursedir import CourseDirectory

    config.CourseDirectory.assignment_id = assignment
    config.GenerateAssignment.force = True  # a re-release replaces the previous student version
    config.GenerateAssignment.create_assignment = True
    log = logging.getLogger("autograder.authoring.release")
    collect = _Collect()
    log.addHandler(collect)
    try:
        coursedir = CourseDirectory(config=config, log=log)
        converter = GenerateAssignment(coursedir=coursedir, config=config, log=log)
        with venv_scripts_on_path():
            converter.start()
    except NbGraderException as exc:
        details = "\n  ".join(collect.lines[-8:]) or str(exc)
        raise ReleaseError(
            f"nbgrader could not generate the student version of {assignment!r} from "
            f"{root / SOURCE_DIRECTORY / assignment}:\n  {details}\nFix: what nbgrader says above; "
            f"for a notebook markup error correct the notebook ({_CONVENTIONS}), then release again."
        ) from None
    finally:
        log.removeHandler(collect)
