"""The student edition of the course: ``autograder release-course OUT_DIR``.

Learners who clone the instructors' repository get the reference solutions, the hidden grading
cases and the instructor notebooks. The student edition is a separate folder holding only what a
learner needs, which installs and runs on its own:

- ``notebooks/``: every notebook of every week. A notebook with nbgrader solution cells is the
  student version nbgrader's ``generate_assignment`` makes (as ``autograder release`` does:
  solutions stubbed, hidden tests removed, outputs cleared, nbgrader metadata kept so that
  submissions grade); a lab is copied with its outputs and editor state cleared.
- ``course_utils/`` without its ``reference`` package (the public checks hold expected values only);
- ``data/``, ``LICENSE``, and its own ``README.md``, ``Makefile``, ``pyproject.toml`` and
  ``tests/`` (every lesson runs, the public checks import), from ``autograder/templates/student_edition``.

Not in it: ``autograder/`` (cases, grader), instructor notebooks, the course's tests (they hold
solutions), gradebook, journal, submissions, feedback. Before the edition is moved into place,
every file is checked for a solution or hidden-test marker and every Python file and notebook
cell for an import of :mod:`course_utils.reference`; either is an error naming the file.
"""

from __future__ import annotations

import ast
import json
import shutil
import tempfile
from importlib.resources import files
from pathlib import Path

import nbformat

from autograder.authoring.clean import clean_notebook
from autograder.authoring.colab_cell import with_colab_cell
from autograder.authoring.release import release
from autograder.authoring.withheld import graded_functions, withheld_answers, withhold
from autograder.config import SOURCE_DIRECTORY
from autograder.contract.cells import (
    HIDDEN_TEST_MARKERS,
    SOLUTION_MARKERS,
    solution_ids,
    test_points,
)
from autograder.intake.numpy_only import imports, parse_cell
from autograder.records.grades_csv import format_points

#: The instructor-only module of course_utils, left out of the edition.
REFERENCE_MODULE = "course_utils.reference"
#: Files never copied from course_utils (byte code could hold the reference's code too).
_SKIP = shutil.ignore_patterns("reference", "reference.py", "__pycache__", "*.pyc", ".ipynb_checkpoints")
#: Learners' own requirements: the course's, less what only instructors use.
INSTRUCTOR_ONLY_DEPENDENCIES = {"nbgrader", "pyseccomp", "copydetect"}  # the sandbox; similarity
STUDENT_DEV_DEPENDENCIES = {"pytest", "pytest-xdist"}


class EditionError(RuntimeError):
    """The student edition cannot be built; the message names the problem and the fix."""


def build_student_edition(root: Path, out: Path, install_from: str | None = None) -> Path:
    """Write the student edition of the course at ``root`` to the new folder ``out``; return it.

    Every notebook starts with the Colab install cell (:mod:`autograder.authoring.colab_cell`),
    installing from ``install_from`` (the edition's published git URL or wheel, as pip takes it).
    ``out`` must not exist (or be an empty folder): nothing of the user's is ever replaced. The
    edition is assembled beside ``out`` and moved into place only when complete and checked, so
    a failure leaves nothing behind. Raises :class:`EditionError` naming the problem and the fix.
    """
    root, out = Path(root).resolve(), Path(out).resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise EditionError(f"{out} already exists and is not an empty folder: pass a new folder "
                           "(the student edition never overwrites anything)")
    if out == root or root in out.parents and out.parts[len(root.parts)] in (
            SOURCE_DIRECTORY, "course_utils", "autograder"):
        raise EditionError(f"{out} is inside the course's own sources: pass a folder outside "
                           f"{root} (or e.g. {root / 'student-edition'})")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".tmp-edition-", dir=out.parent))
    try:
        _write_notebooks(root, staging / SOURCE_DIRECTORY, install_from)
        shutil.copytree(root / "course_utils", staging / "course_utils", ignore=_SKIP)
        if (root / "data").is_dir():
            shutil.copytree(root / "data", staging / "data", ignore=_SKIP)
        if (root / "LICENSE").is_file():
            shutil.copy2(root / "LICENSE", staging / "LICENSE")
        _write_project_files(root, staging)
        problems = leaks(staging)
        if problems:
            raise EditionError("the student edition would hold instructor material:\n  "
                               + "\n  ".join(problems)
                               + "\nFix: a lesson or helper must not need the reference solutions "
                                 "(move what it needs into course_utils), then build again")
        if out.exists():
            out.rmdir()
        staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out


def _write_notebooks(root: Path, dest: Path, install_from: str | None = None) -> None:
    """Every week's notebooks: graded ones as nbgrader's student version, labs cleared, and a
    lab's worked answer to a graded exercise withheld (:mod:`autograder.authoring.withheld`)."""
    source = root / SOURCE_DIRECTORY
    weeks = sorted(p for p in source.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not weeks:
        raise EditionError(f"{source} has no week folders: pass the course folder with --root")
    functions = graded_functions(root)
    with tempfile.TemporaryDirectory(prefix="edition-release-") as scratch:
        for week in weeks:
            notebooks = sorted(week.glob("*.ipynb"))
            graded = [p for p in notebooks if solution_ids(nbformat.read(p, as_version=4))]
            released = _release_copy(week, Path(scratch)) if graded else None
            shutil.copytree(week, dest / week.name, ignore=shutil.ignore_patterns(
                "*.ipynb", "__pycache__", ".ipynb_checkpoints", ".*"))
            for path in notebooks:
                if path in graded:
                    nb = nbformat.read(released / path.name, as_version=4)
                    nbformat.write(with_colab_cell(nb, install_from), dest / week.name / path.name)
                else:
                    nb = clean_notebook(nbformat.read(path, as_version=4))
                    lesson = path.relative_to(source).as_posix()
                    withhold(nb, withheld_answers(lesson, nb, functions))
                    nbformat.write(with_colab_cell(nb, install_from), dest / week.name / path.name)


def _release_copy(week: Path, scratch: Path) -> Path:
    """The week released by nbgrader from a scratch copy of its source folder (so the
    instructors' gradebook.db and release/ stay untouched); returns the student notebooks."""
    course = scratch / week.name / "course"
    shutil.copytree(week, course / SOURCE_DIRECTORY / week.name)
    return release(week.name, course, dest=scratch / week.name / "released")


def _write_project_files(root: Path, dest: Path) -> None:
    template = files("autograder").joinpath("templates/student_edition")
    for name, written_as in (("Makefile", "Makefile"), ("gitignore", ".gitignore")):
        (dest / written_as).write_text(template.joinpath(name).read_text(encoding="utf-8"),
                                       encoding="utf-8")
    (dest / "tests").mkdir()
    for name in ("test_lessons.py",):
        (dest / "tests" / name).write_text(
            template.joinpath("tests", name).read_text(encoding="utf-8"), encoding="utf-8")
    (dest / "pyproject.toml").write_text(student_pyproject(root, template), encoding="utf-8")
    (dest / "README.md").write_text(student_readme(root, template), encoding="utf-8")


#: The heading of the course README's section whose table lists every notebook.
COURSE_TABLE_HEADING = "## Where everything is"


def course_table(readme: str) -> str:
    """The week-by-week table of the course README (``| week | notebook | … |`` rows under
    :data:`COURSE_TABLE_HEADING`), as written there."""
    lines = readme.splitlines()
    try:
        start = lines.index(COURSE_TABLE_HEADING)
    except ValueError:
        raise EditionError(f"README.md has no {COURSE_TABLE_HEADING!r} section: the student "
                           "edition's README copies its table of notebooks; restore it") from None
    rows = []
    for line in lines[start + 1:]:
        if line.startswith("|"):
            rows.append(line)
        elif rows or line.startswith("#"):
            break
    if not rows:
        raise EditionError(f"README.md's {COURSE_TABLE_HEADING!r} section has no table of "
                           "notebooks: the student edition's README copies it; restore it")
    return "\n".join(rows)


def student_readme(root: Path, template) -> str:
    """The edition's README: the course README's table of notebooks, the first lesson, and the
    graded notebooks with their points and exercises, read from the notebooks themselves."""
    table = course_table((root / "README.md").read_text(encoding="utf-8"))
    source = root / SOURCE_DIRECTORY
    notebooks = sorted(p for p in source.glob("week*/*.ipynb"))
    graded = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        exercises = solution_ids(nb)
        if exercises:
            graded.append((path.relative_to(root).as_posix(), exercises,
                           sum(test_points(nb).values())))
    if not notebooks or not graded:
        raise EditionError(f"{source} has no week*/ notebooks or no graded one: pass the course "
                           "folder with --root")
    total = sum(points for _, _, points in graded)
    listing = "\n".join(f"- `{name}` — {format_points(points)} points: "
                        + ", ".join(f"`{exercise}`" for exercise in exercises)
                        for name, exercises, points in graded)
    weeks = sorted({p.parent.name for p in notebooks})
    return (template.joinpath("README.md.in").read_text(encoding="utf-8")
            .replace("@WEEKS@", str(len(weeks)))
            .replace("@START@", notebooks[0].relative_to(root).as_posix())
            .replace("@TABLE@", table)
            .replace("@GRADED_COUNT@", _number_word(len(graded)).capitalize())
            .replace("@POINTS@", format_points(total))
            .replace("@GRADED@", listing)
            .replace("@EXAMPLE@", graded[0][0].split("/", 1)[1]))


def _number_word(n: int) -> str:
    words = "zero one two three four five six seven eight nine ten eleven twelve".split()
    return words[n] if n < len(words) else str(n)


def student_pyproject(root: Path, template) -> str:
    """The edition's pyproject.toml: the course's version, Python range, dependencies (less
    the instructor-only ones) and ``course_utils`` package data, so the two never drift."""
    try:
        import tomllib
    except ImportError:  # Python 3.10: jupyterlab depends on tomli there
        import tomli as tomllib
    from packaging.requirements import Requirement

    course = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    project = course["project"]
    deps = [r for r in project["dependencies"]
            if Requirement(r).name.lower() not in INSTRUCTOR_ONLY_DEPENDENCIES]
    dev = [r for r in project.get("optional-dependencies", {}).get("dev", [])
           if Requirement(r).name.lower() in STUDENT_DEV_DEPENDENCIES]
    package_data = course["tool"]["setuptools"]["package-data"]["course_utils"]
    text = template.joinpath("pyproject.toml.in").read_text(encoding="utf-8")
    # TOML strings and arrays of plain ASCII strings are written as JSON writes them.
    return (text.replace("@VERSION@", json.dumps(project["version"]))
                .replace("@REQUIRES_PYTHON@", json.dumps(project["requires-python"]))
                .replace("@DEPENDENCIES@", _toml_list(deps))
                .replace("@DEV_DEPENDENCIES@", _toml_list(dev))
                .replace("@PACKAGE_DATA@", json.dumps(package_data)))


def _toml_list(items: list[str]) -> str:
    return "[\n" + "".join(f"    {json.dumps(i)},\n" for i in items) + "]"


def leaks(folder: Path) -> list[str]:
    """Instructor material in ``folder``: ``"<file>: <what>"`` for each solution or hidden-test
    marker, reference module, and import of :mod:`course_utils.reference` (code and notebooks)."""
    found = []
    markers = (SOLUTION_MARKERS[0], HIDDEN_TEST_MARKERS[0])
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder)
        if path.name == "reference.py" or "reference" in name.parts[:-1]:
            found.append(f"{name}: the reference solutions")
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{name}: holds {m!r}" for m in markers if m in text]
        if path.suffix == ".py":
            found += [f"{name}: {why}" for why in _reference_imports(text)]
        elif path.suffix == ".ipynb":
            nb = nbformat.reads(text, as_version=4)
            for k, cell in enumerate(nb.cells):
                if cell.cell_type == "code":
                    found += [f"{name}, cell {k}: {why}" for why in _reference_imports(cell.source)]
    return found


def _reference_imports(code: str) -> list[str]:
    tree = parse_cell(code)  # as IPython runs it (magics too); plain modules parse the same
    if tree is None:  # not Python: any mention of the module is suspect
        return [f"mentions {REFERENCE_MODULE}"] if REFERENCE_MODULE in code else []
    out = []
    for node in ast.walk(tree):
        relative = isinstance(node, ast.ImportFrom) and node.level > 0
        for module, _ in imports(node):
            if module.startswith(REFERENCE_MODULE) or relative and "reference" in module.split("."):
                out.append(f"line {node.lineno} imports {module}")
        if relative and node.module is None and any(a.name == "reference" for a in node.names):
            out.append(f"line {node.lineno} imports reference (relative)")
    return out
