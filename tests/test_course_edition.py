"""`autograder release-course`: the student edition holds no solution and no hidden case, keeps
what grading needs, installs in a fresh virtual environment and runs every lesson there."""

from __future__ import annotations

import ast
import inspect
import json
import re
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import nbformat
import pytest

from autograder import cli
from autograder.authoring.course_edition import EditionError, build_student_edition
from autograder.authoring.withheld import graded_functions, withheld_answers, withhold
from conftest import NOTEBOOKS, ROOT

SOURCE_NOTEBOOKS = sorted(p.relative_to(NOTEBOOKS) for p in NOTEBOOKS.rglob("*.ipynb")
                          if ".ipynb_checkpoints" not in p.parts)
REFERENCE_IMPORT = re.compile(r"(from|import)\s+course_utils(\.reference\b|\s+import\s.*\breference\b)")


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("edition") / "nn-course-student"
    assert cli.main(["--root", str(ROOT), "release-course", str(out)]) == 0
    return out


def _normalised(lines) -> list[str]:
    """Code lines as compared: stripped, without blank lines and comments."""
    return [s for s in (line.strip() for line in lines) if s and not s.startswith("#")]


def _reference_bodies() -> dict[str, list[str]]:
    """Each reference function's body (docstring left out) as normalised source lines."""
    from course_utils import reference

    bodies = {}
    for name, func in inspect.getmembers(reference, inspect.isfunction):
        if not func.__module__.startswith(reference.__name__ + "."):
            continue
        source = textwrap.dedent(inspect.getsource(func))
        body = ast.parse(source).body[0].body
        if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]  # the docstring says what, not how
        lines = source.splitlines()[body[0].lineno - 1:body[-1].end_lineno]
        bodies[name] = _normalised(lines)
    return bodies


def _code_lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".ipynb":
        cells = json.loads(text)["cells"]
        text = "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                         for c in cells)
    return _normalised(text.splitlines())


def _holds_body(lines: list[str], body: list[str], window: int = 3) -> bool:
    """Whether ``lines`` hold ``window`` consecutive lines of ``body`` (all of it if shorter)."""
    size = min(window, len(body))
    chunks = {tuple(body[i:i + size]) for i in range(len(body) - size + 1)}
    return any(tuple(lines[i:i + size]) in chunks for i in range(len(lines) - size + 1))


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_reference_scan_finds_the_reference_itself():
    """The scan below is able to fail: it finds every body in the instructors' reference package."""
    bodies = _reference_bodies()
    assert {"sigmoid", "dense", "dense_v", "forward_v", "softmax", "sequential", "propagate",
            "backward_propagation", "nn_model"} <= set(bodies)
    lines = [line for path in sorted((ROOT / "course_utils" / "reference").glob("*.py"))
             for line in _code_lines(path)]
    assert all(_holds_body(lines, body) for body in bodies.values())


def test_edition_holds_no_solution_and_no_hidden_case(edition):
    files = _files(edition)
    names = {p.relative_to(edition).as_posix() for p in files}
    assert not [n for n in names if n.endswith("reference.py") or "/reference/" in n
                or n.startswith("autograder/")]
    for forbidden in ("gradebook.db", ".autograder", "submitted", "release", "feedback"):
        assert not (edition / forbidden).exists(), forbidden
    assert sorted(n for n in names if n.startswith("tests/")) == ["tests/test_lessons.py"]
    bodies = _reference_bodies()
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for marker in ("### BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "assert_cases"):
            assert marker not in text, (path, marker)
        assert not REFERENCE_IMPORT.search(text), path
        lines = _code_lines(path)
        copied = [name for name, body in bodies.items() if _holds_body(lines, body)]
        assert copied == [], (path, copied)


def test_edition_notebooks_are_the_student_versions(edition):
    assert sorted(p.relative_to(edition / "notebooks")
                  for p in (edition / "notebooks").rglob("*.ipynb")) == SOURCE_NOTEBOOKS
    for rel in SOURCE_NOTEBOOKS:
        source = nbformat.read(NOTEBOOKS / rel, as_version=4)
        student = nbformat.read(edition / "notebooks" / rel, as_version=4)
        assert student.cells[0].metadata["course"] == {"colab_install": True}
        student.cells = student.cells[1:]  # the Colab install cell, tested below
        assert all(not c.outputs and c.execution_count is None
                   for c in student.cells if c.cell_type == "code"), rel
        # nbgrader's metadata is kept cell for cell, so a learner's submission grades.
        ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in source.cells]
        if any(ids):
            assert [c.metadata.get("nbgrader", {}).get("grade_id") for c in student.cells] == ids
            assert "# YOUR CODE HERE" in "".join(c.source for c in student.cells), rel
        else:  # a lesson: the same cells, only outputs cleared and graded answers withheld
            withhold(source, withheld_answers(rel.as_posix(), source, graded_functions(ROOT)))
            assert [c.source for c in student.cells] == [c.source for c in source.cells], rel


def test_edition_pyproject_follows_the_course(edition):
    try:
        import tomllib
    except ImportError:  # Python 3.10: pytest brings tomli
        import tomli as tomllib

    course_toml = tomllib.loads((ROOT / "pyproject.toml").read_text())
    student_toml = tomllib.loads((edition / "pyproject.toml").read_text())
    course, student = course_toml["project"], student_toml["project"]
    # Learners install neither the release tool, the grader's sandbox filter nor the
    # similarity report's fingerprinting.
    assert student["dependencies"] == [d for d in course["dependencies"]
                                       if not d.startswith(("nbgrader", "pyseccomp", "copydetect"))]
    assert not any(d.startswith("pyseccomp") for d in student["dependencies"])
    # The same package data, and every file it names is in the edition (the style sheet moved once
    # to plots/core/ and the edition's copy of the rule did not follow).
    data = student_toml["tool"]["setuptools"]["package-data"]["course_utils"]
    assert data == course_toml["tool"]["setuptools"]["package-data"]["course_utils"]
    for pattern in data:
        assert list((edition / "course_utils").glob(pattern)), pattern
    assert student["version"] == course["version"]
    assert student["requires-python"] == course["requires-python"]
    makefile = (edition / "Makefile").read_text()
    assert "\nlab: setup" in makefile and "\ntest: setup" in makefile
    readme = (edition / "README.md").read_text()
    assert "make lab" in readme and "make test" in readme


def test_edition_readme_is_the_courses_table_and_its_graded_notebooks(edition):
    """The learner's README is made from the course README's table and the notebooks themselves,
    so it cannot go stale again (it once described two weeks and started at week1/01)."""
    from autograder.contract.cells import solution_ids, test_points

    ours = (ROOT / "README.md").read_text(encoding="utf-8")
    readme = (edition / "README.md").read_text(encoding="utf-8")
    table = [line for line in ours.split("## Where everything is", 1)[1].splitlines()
             if line.startswith("|")]
    assert len(table) > 30 and "\n".join(table) in readme
    assert "@" not in readme.replace("`@", "")  # no placeholder left
    # The table lists every notebook of the edition, in order, and the README starts at the first.
    listed = re.findall(r"^\| \d \| `(notebooks/week\d/[^`]+\.ipynb)`", readme, re.M)
    shipped = sorted(p.relative_to(edition).as_posix() for p in (edition / "notebooks").rglob("*.ipynb"))
    assert listed == shipped
    assert f"Start with **`{shipped[0]}`**" in readme
    assert shipped[0].endswith("00_what_is_a_neural_network.ipynb")
    # Every graded notebook with its points and exercises, counted from the source notebooks.
    graded = {}
    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        if solution_ids(nb):
            graded[path.relative_to(ROOT).as_posix()] = (solution_ids(nb), sum(test_points(nb).values()))
    assert len(graded) == 7 and sum(p for _, p in graded.values()) == 70
    assert "Seven notebooks are graded, 70 points in all" in readme
    for name, (exercises, points) in graded.items():
        line = next(line for line in readme.splitlines() if line.startswith(f"- `{name}`"))
        assert f"{points:g} points" in line and all(f"`{e}`" in line for e in exercises)
    for promise in ("Run All on a fresh assignment stops at the first exercise",
                    "How and where to submit", "NotImplementedError"):
        assert promise in readme


@pytest.mark.slow
def test_colab_cell_installs_course_utils_only_on_colab(edition, tmp_path):
    """Every edition notebook opens with the Colab cell; run in a fresh venv that has the course's
    dependencies but no course_utils (as Colab has), it installs the edition's wheel only when
    Colab's variable is set, says so, and names the problem when the address cannot be reached."""
    from autograder.authoring.colab_cell import colab_cell_source

    for path in sorted((edition / "notebooks").rglob("*.ipynb")):
        first = nbformat.read(path, as_version=4).cells[0]
        assert first.metadata.get("course", {}).get("colab_install") is True, path
        assert first.metadata.get("tags") == ["autograder:skip"], path
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w",
                            str(tmp_path / "dist"), str(edition)], capture_output=True, text=True,
                           timeout=600)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((tmp_path / "dist").glob("nn_course_student-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "course-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {"PATH": f"{venv}/bin:/usr/bin:/bin", "HOME": str(tmp_path), "PIP_RETRIES": "0",
           "PIP_TIMEOUT": "3", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    probe = "import importlib.util; print(importlib.util.find_spec('course_utils') is not None)"

    def run(code: str, **extra) -> str:
        done = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=300,
                              cwd=tmp_path, env={**env, **extra})
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    assert run(probe) == "False\n"  # the layered environment has no course_utils of its own
    assert run(colab_cell_source(str(wheel))) == ""  # not on Colab: nothing at all
    assert run(probe) == "False\n"
    offline = run(colab_cell_source("http://127.0.0.1:9/nn_course_student-0.1.0-py3-none-any.whl"),
                  COLAB_RELEASE_TAG="release-colab-20260101")
    assert "Could not install course_utils" in offline and "offline" in offline
    assert "address" in run(colab_cell_source(None), COLAB_RELEASE_TAG="x")
    assert run(colab_cell_source(str(wheel)), COLAB_RELEASE_TAG="x") == f"course_utils installed from {wheel}\n"
    assert run(probe) == "True\n"
    assert "check_dense" in run("import course_utils.checks as c; print(c.__all__)")
    assert run(colab_cell_source(str(wheel)), COLAB_RELEASE_TAG="x") == ""  # installed: nothing to do


def test_an_existing_folder_is_never_overwritten(tmp_path):
    out = tmp_path / "edition"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    with pytest.raises(EditionError, match="not an empty folder"):
        build_student_edition(ROOT, out)
    assert [p.name for p in tmp_path.iterdir()] == ["edition"]  # nothing staged left behind
    assert (out / "mine.txt").read_text() == "keep me"
    with pytest.raises(EditionError, match="inside the course's own sources"):
        build_student_edition(ROOT, ROOT / "notebooks" / "student")


@pytest.mark.slow
def test_edition_installs_and_every_lesson_runs(edition, tmp_path):
    """A fresh venv holding only the edition: its own ``course_utils`` installed from the edition
    (not editable), the heavy dependencies (TensorFlow, Jupyter) layered underneath from this
    test's environment by a plain ``.pth`` path line (so none of that environment's own ``.pth``
    hooks, e.g. the course's editable ``course_utils``, are loaded). ``venv
    --system-site-packages`` would only layer the base interpreter's packages, which lack them."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "course-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"{edition}[dev]"],
                             capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr[-3000:]

    probe = ("import importlib.util, course_utils\n"
             "from jupyter_client.kernelspec import KernelSpecManager\n"
             "print(course_utils.__file__)\n"
             "print(importlib.util.find_spec('course_utils.reference'))\n"
             "print(KernelSpecManager().get_kernel_spec('python3').argv[0])\n")
    seen = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, cwd=tmp_path,
                          check=True).stdout.split("\n")
    assert seen[0] == f"{site}/course_utils/__init__.py"  # the edition's, installed
    assert seen[1] == "None"  # no reference solutions to import
    assert seen[2] == str(python)  # notebooks run in this venv's kernel

    # The edition's own `make test`, in that venv (one worker: the caller may run -n 2 already).
    run = subprocess.run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "-p", "no:xdist"], cwd=edition, capture_output=True, text=True,
                         timeout=1500, env={"PATH": f"{venv}/bin:/usr/bin:/bin",
                                            "HOME": str(tmp_path), "TF_CPP_MIN_LOG_LEVEL": "2"})
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-2000:]
    assert f"{len(SOURCE_NOTEBOOKS) + 2} passed" in run.stdout, run.stdout[-2000:]
