"""The week 1 graded assignment: the instructor notebook runs and passes its own tests, and the
student version made by ``autograder.authoring.release`` is what learners should get.

The golden-folder test of the student version is in ``tests/test_golden_releases.py``.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import nbformat
import pytest

from autograder.authoring.release import ReleaseError, release
from autograder.contract.cells import nbgrader_meta
from conftest import NOTEBOOKS, ROOT, assert_graded_cells_pass, assert_student_version_stops_at

NOTEBOOK = NOTEBOOKS / "week1" / "05_assignment_binary_digits.ipynb"
GOLDEN = ROOT / "tests" / "golden" / "release" / "week1"
EXERCISES = ["build_model", "dense", "sequential", "dense_v", "forward_v"]
# Distinctive lines of the solutions: none may reach learners.
SOLUTION_SNIPPETS = ["keras.layers.Dense(25", "np.dot(W[:, j], a_in)", "np.matmul(A_in, W)",
                     "a = dense(a, W, b, g)", "A = dense_v(A, W, b, g)"]


@pytest.fixture(scope="module")
def instructor_nb():
    return nbformat.read(NOTEBOOK, as_version=4)


def _course_copy(dest: Path) -> Path:
    shutil.copytree(NOTEBOOKS, dest / "notebooks")
    shutil.copy(ROOT / "nbgrader_config.py", dest / "nbgrader_config.py")
    return dest


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory) -> Path:
    root = _course_copy(tmp_path_factory.mktemp("course"))
    out = release("week1", root)
    assert out == root / "release" / "week1"
    return out


@pytest.fixture(scope="module")
def student_nb(student_dir):
    return nbformat.read(student_dir / NOTEBOOK.name, as_version=4)


# --- (a) the instructor notebook -------------------------------------------------------------------


def test_instructor_notebook_layout(instructor_nb):
    graded = [(nbgrader_meta(c)["grade_id"], nbgrader_meta(c)) for c in instructor_nb.cells if nbgrader_meta(c)]
    solutions = [gid for gid, meta in graded if meta["solution"]]
    tests = [gid for gid, meta in graded if meta["grade"]]
    assert solutions == EXERCISES
    assert tests == [f"test_{name}" for name in EXERCISES]
    for cell in instructor_nb.cells:
        meta = nbgrader_meta(cell)
        if meta.get("grade"):
            name = meta["grade_id"].removeprefix("test_")
            public = "check_model(build_model())" if name == "build_model" else f"check_{name}({name})"
            assert f"assert {public}" in cell.source
            assert f'assert_cases("week1", "{name}", {name})' in cell.source
            assert cell.source.index("### BEGIN HIDDEN TESTS") > cell.source.index(public)
            assert meta["points"] > 0 and meta["locked"] and not meta["solution"]


@pytest.mark.notebook
def test_instructor_notebook_runs_and_passes_its_tests(run_notebook):
    start = time.perf_counter()
    nb = run_notebook(NOTEBOOK)
    elapsed = time.perf_counter() - start
    assert_graded_cells_pass(nb)
    # ~10 s on a quiet machine; the bound leaves room for a loaded CI runner.
    assert elapsed < 180, f"the notebook took {elapsed:.0f} s"  # runaway bound only


# --- (b) the student version -------------------------------------------------------------------------


def test_student_version_has_no_solutions_hidden_tests_or_outputs(student_nb):
    text = "\n".join(cell.source for cell in student_nb.cells)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "assert_cases"):
        assert marker not in text
    for snippet in SOLUTION_SNIPPETS:
        assert snippet not in text
    for cell in student_nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_student_version_keeps_stubs_and_nbgrader_metadata(instructor_nb, student_nb):
    student = {nbgrader_meta(c)["grade_id"]: c for c in student_nb.cells if nbgrader_meta(c)}
    for cell in instructor_nb.cells:
        meta = nbgrader_meta(cell)
        if not meta:
            continue
        kept = nbgrader_meta(student[meta["grade_id"]])
        for key in ("solution", "grade", "locked", "points", "schema_version"):
            assert kept.get(key) == meta.get(key), (meta["grade_id"], key)
        if meta["solution"]:
            source = student[meta["grade_id"]].source
            assert source.startswith(f"def {meta['grade_id']}(")
            assert "# YOUR CODE HERE\n    raise NotImplementedError()" in source


@pytest.mark.notebook
def test_student_version_fails_first_at_the_first_exercise(student_dir, student_nb):
    assert_student_version_stops_at(student_nb, student_dir, "test_build_model")


def test_every_notebook_of_the_week_is_released_without_outputs(student_dir):
    source = sorted(p.name for p in (NOTEBOOKS / "week1").glob("*.ipynb"))
    assert sorted(p.name for p in student_dir.glob("*.ipynb")) == source
    for name in source:
        for cell in nbformat.read(student_dir / name, as_version=4).cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, name


# --- release errors ----------------------------------------------------------------------------------


def test_release_to_dest(tmp_path):
    root = _course_copy(tmp_path / "course")
    out = release("week1", root, dest=tmp_path / "out")
    assert out == (tmp_path / "out").resolve() and (out / NOTEBOOK.name).is_file()
    assert not (root / "release").exists()


def test_release_of_a_missing_assignment(tmp_path):
    root = _course_copy(tmp_path / "course")
    with pytest.raises(ReleaseError, match=r"no assignment folder .*week9.*available assignments: week1.*Fix"):
        release("week9", root)


def _break(nb, index, edit):
    cell = nb.cells[index]
    edit(cell)
    return nb


def _solution_index(nb, grade_id):
    return next(i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("grade_id") == grade_id)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda c: c.metadata["nbgrader"].update(grade_id="imports"), "grade_id 'imports' is also used"),
        (lambda c: c.update(source=c.source.replace("### END SOLUTION", "")), "do not pair up"),
        (lambda c: c.metadata["nbgrader"].update(solution=False), "is not a solution cell"),
        (lambda c: c.metadata["nbgrader"].pop("schema_version"), "schema_version is None"),
        (lambda c: c.metadata.pop("nbgrader"), "no nbgrader metadata"),
    ],
    ids=["duplicate-grade-id", "unpaired-marker", "not-solution", "no-schema", "no-metadata"],
)
def test_release_names_malformed_markup(tmp_path, instructor_nb, edit, message):
    root = _course_copy(tmp_path / "course")
    path = root / "notebooks" / "week1" / NOTEBOOK.name
    nb = nbformat.from_dict(json.loads(json.dumps(instructor_nb)))
    nbformat.write(_break(nb, _solution_index(nb, "dense"), edit), path)
    with pytest.raises(ReleaseError) as err:
        release("week1", root)
    text = str(err.value)
    assert NOTEBOOK.name in text and "cell" in text and "Fix" in text and message in text, text
    assert not (root / "release" / "week1").exists()


def test_release_reports_what_nbgrader_rejects(tmp_path, instructor_nb):
    root = _course_copy(tmp_path / "course")
    nb = nbformat.from_dict(json.loads(json.dumps(instructor_nb)))
    nb.cells[0].metadata["nbgrader"] = {"solution": False, "grade": True, "locked": True,
                                        "points": 1, "grade_id": "intro", "schema_version": 3}
    nbformat.write(nb, root / "notebooks" / "week1" / NOTEBOOK.name)
    with pytest.raises(ReleaseError, match=r"cell 0 \(grade_id 'intro'\).*nbgrader rejects.*Markdown"):
        release("week1", root)


def test_release_names_a_graded_cell_without_points(tmp_path, instructor_nb):
    root = _course_copy(tmp_path / "course")
    nb = nbformat.from_dict(json.loads(json.dumps(instructor_nb)))
    nb.cells[_solution_index(nb, "test_dense")].metadata["nbgrader"].pop("points")
    nbformat.write(nb, root / "notebooks" / "week1" / NOTEBOOK.name)
    with pytest.raises(ReleaseError, match=r"grade_id 'test_dense'.*needs \"points\""):
        release("week1", root)


# --- the assignment's figure helper --------------------------------------------------------------------


def test_plot_digits_grid_and_empty_case():
    import numpy as np
    from matplotlib.figure import Figure

    from course_utils.data import load_digits_binary
    from course_utils.plots.week1.assignment_binary_digits import plot_digits

    data = load_digits_binary()
    labels = data.y_test[:10]
    fig = plot_digits(data.X_test[:10], labels=labels, predictions=1 - labels,
                      probabilities=np.linspace(0, 1, 10), ncols=5, title="wrong")
    assert isinstance(fig, Figure)
    images = [ax for ax in fig.axes if ax.images]
    assert len(images) == 10 and len(fig.axes) == 10  # a 2 × 5 grid, no spare axes
    assert images[0].get_title().startswith(f"label {labels[0, 0]}\npred. {1 - labels[0, 0]}")
    assert images[0].title.get_color() != "black"  # errors are written in red

    empty = plot_digits(data.X_test[:0], labels=data.y_test[:0], empty_message="none wrong")
    assert [t.get_text() for ax in empty.axes for t in ax.texts] == ["none wrong"]

    many = plot_digits(data.X_test, max_images=16, title="all")
    assert len([ax for ax in many.axes if ax.images]) == 16
    assert "first 16 of 73" in many._suptitle.get_text()  # the 73 test images of 3 vs 5


def test_plot_digits_rejects_bad_shapes():
    import numpy as np

    from course_utils.plots.week1.assignment_binary_digits import plot_digits

    with pytest.raises(ValueError, match=r"X has shape \(3, 10\).*\(m, 64\)"):
        plot_digits(np.zeros((3, 10)))
    with pytest.raises(ValueError, match="labels has 2 values but X has 3 images"):
        plot_digits(np.zeros((3, 64)), labels=[0, 1])
