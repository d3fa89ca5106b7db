"""A lesson's worked answer to a graded exercise is withheld from the student edition, and
``autograder release-solutions`` publishes it with the assignment's solutions after the deadline
(issue 22: 8 of week 1's 12 points were copyable from its lessons)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest
from kernels import notebook_client

from autograder import cli
from autograder.authoring.solutions import SolutionsError, last_deadline, release_solutions
from autograder.authoring.withheld import (
    defined_functions,
    graded_functions,
    withheld_answers,
    withhold,
    worked_answers,
)
from autograder.contract.cells import HIDDEN_TEST_MARKERS, SOLUTION_MARKERS, is_solution
from conftest import NOTEBOOKS, ROOT

#: What the course's lessons answer of its assignments (found by reading them: the worked
#: answers of week 1's lessons 3 and 4 and week 3's lesson 3).
EXPECTED = {("week1/03_coffee_roasting_numpy.ipynb", "my_dense", "dense"),
            ("week1/03_coffee_roasting_numpy.ipynb", "my_sequential", "sequential"),
            ("week1/04_vectorisation.ipynb", "dense_v", "dense_v"),
            ("week3/03_logistic_regression_derived.ipynb", "gradients", "propagate")}


def _lessons():
    for path in sorted(NOTEBOOKS.glob("week*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        if not any(is_solution(c) for c in nb.cells):
            yield path.relative_to(NOTEBOOKS).as_posix(), nb


def test_the_withheld_answers_are_the_ones_that_answer_a_graded_exercise():
    graded = graded_functions(ROOT)
    assert graded["dense"].notebook == "week1/05_assignment_binary_digits.ipynb"
    assert graded["propagate"].assignment == "week3"
    assert graded["build_model"].assignment == "week1"  # graded twice: the first one counts
    found = {(a.lesson, a.function, a.graded) for lesson, nb in _lessons()
             for a in withheld_answers(lesson, nb, graded)}
    assert found == EXPECTED
    # Every other worked answer stays: it answers no graded exercise.
    kept = {name for lesson, nb in _lessons() for i in worked_answers(nb)
            for name in defined_functions(nb.cells[i].source)}
    assert {"relu", "my_neuron", "two_sided", "numerical_gradient", "l2_penalty"} <= kept


def test_withholding_replaces_the_answer_by_a_note_and_keeps_the_learners_stub():
    lesson = "week1/04_vectorisation.ipynb"
    nb = nbformat.read(NOTEBOOKS / lesson, as_version=4)
    before = len(nb.cells)
    answers = withheld_answers(lesson, nb, graded_functions(ROOT))
    withhold(nb, answers)
    assert len(nb.cells) == before - 1  # "One possible answer" and its code became one note
    notes = [c for c in nb.cells if "withheld" in c.get("metadata", {}).get("course", {})]
    assert [n.metadata["course"] for n in notes] == [
        {"withheld": "dense_v", "graded": "dense_v", "released_with": "week1"}]
    assert "05_assignment_binary_digits.ipynb" in notes[0].source
    assert "after the deadline" in notes[0].source
    definitions = [c.source for c in nb.cells if c.cell_type == "code"
                   and "dense_v" in defined_functions(c.source)]
    assert len(definitions) == 1 and "raise NotImplementedError()" in definitions[0]


def test_edition_lessons_hold_the_notes_not_the_answers(tmp_path):
    out = tmp_path / "edition"
    assert cli.main(["--root", str(ROOT), "release-course", str(out)]) == 0
    seen = set()
    for lesson, _ in _lessons():
        nb = nbformat.read(out / "notebooks" / lesson, as_version=4)
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("course", {})
            if "withheld" in meta:
                seen.add((lesson, meta["withheld"], meta["graded"]))
            if cell.cell_type == "code":
                for name in defined_functions(cell.source):
                    if (lesson, name) in {(e[0], e[1]) for e in EXPECTED}:
                        # only the learner's stub defines it
                        assert "raise NotImplementedError()" in cell.source, (lesson, name)
        assert "One possible answer" not in "".join(
            nb.cells[i - 1].source for i in worked_answers(nb)
            if (lesson, *defined_functions(nb.cells[i].source)[:1]) in {e[:2] for e in EXPECTED})
    assert seen == EXPECTED


def _course(tmp_path: Path, toml: str = "", extensions: str = "") -> Path:
    root = tmp_path / "course"
    root.mkdir()
    (root / "notebooks").symlink_to(NOTEBOOKS)
    if toml:
        (root / "autograder.toml").write_text(toml, encoding="utf-8")
    if extensions:
        (root / "extensions.csv").write_text(extensions, encoding="utf-8")
    return root


def test_solutions_wait_for_the_last_deadline_with_extensions(tmp_path):
    root = _course(tmp_path, '[late.week1]\ndeadline = "2026-03-01T23:59+00:00"\n',
                   "\ufeffstudent_id,assignment,days\ns1,week1,3\ns2,week2,9\n")
    last = last_deadline(root, "week1")
    assert last == datetime(2026, 3, 4, 23, 59, tzinfo=timezone.utc)  # s1's 3 days
    assert last_deadline(root, "week2") is None
    between = datetime(2026, 3, 3, tzinfo=timezone.utc)  # after the class's, before s1's
    with pytest.raises(SolutionsError, match=r"2026-03-04T23:59:00\+00:00.*--before-deadline"):
        release_solutions(root, "week1", tmp_path / "early", now=between)
    assert not (tmp_path / "early").exists()  # nothing written
    early = release_solutions(root, "week1", tmp_path / "early", now=between, before_deadline=True)
    assert early.deadline == last
    after = release_solutions(root, "week1", tmp_path / "after",
                              now=datetime(2026, 3, 5, tzinfo=timezone.utc))
    assert after.assignments == ("05_assignment_binary_digits.ipynb",)
    assert after.lessons == ("03_coffee_roasting_numpy.ipynb", "04_vectorisation.ipynb")


def test_bad_requests_are_refused_with_the_fix(tmp_path, capsys):
    root = _course(tmp_path)
    for assignment, message in (("week9", "pass one of week1, week2"), ("../x", "no assignment")):
        assert cli.main(["--root", str(root), "release-solutions", assignment]) == 2
        assert message in capsys.readouterr().err
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "mine.txt").write_text("keep")
    assert cli.main(["--root", str(root), "release-solutions", "week3",
                     "--out", str(tmp_path / "taken")]) == 2
    assert "never overwritten" in capsys.readouterr().err
    assert (tmp_path / "taken" / "mine.txt").read_text() == "keep"


@pytest.mark.notebook
def test_released_solutions_are_solved_and_run(tmp_path, capsys):
    root = _course(tmp_path)
    assert cli.main(["--root", str(root), "release-solutions", "week1"]) == 0
    printed = capsys.readouterr().out
    assert "no deadline for it in autograder.toml" in printed
    folder = root / "solutions" / "week1"
    assert sorted(p.name for p in folder.iterdir()) == [
        "03_coffee_roasting_numpy.ipynb", "04_vectorisation.ipynb", "05_assignment_binary_digits.ipynb"]
    solved = nbformat.read(folder / "05_assignment_binary_digits.ipynb", as_version=4)
    text = "\n".join(c.source for c in solved.cells if c.cell_type == "code")
    for marker in (*SOLUTION_MARKERS, *HIDDEN_TEST_MARKERS, "raise NotImplementedError"):
        assert marker not in text, marker
    assert all(not c.get("outputs") for c in solved.cells if c.cell_type == "code")
    # The lessons are whole again: their worked answers are back.
    lesson = nbformat.read(folder / "04_vectorisation.ipynb", as_version=4)
    assert any("dense_v" in defined_functions(lesson.cells[i].source) for i in worked_answers(lesson))
    # Solved, the assignment runs top to bottom and every public check passes.
    notebook_client(solved, timeout=600,
                    resources={"metadata": {"path": str(NOTEBOOKS / "week1")}}).execute()
    out = "".join(o.get("text", "") for c in solved.cells if c.cell_type == "code"
                  for o in c.outputs if o.get("output_type") == "stream")
    assert "\N{HEAVY BALLOT X}" not in out and out.count("\N{HEAVY CHECK MARK}") >= 4


@pytest.mark.notebook
def test_the_solved_assignment_with_the_colab_cell_gets_full_marks(tmp_path):
    """Two promises at once: the released solutions are right (the grader gives them 12 of 12),
    and a submission made from the student edition, which opens with the Colab install cell,
    loses nothing for it (the cell is a learner-added cell that does nothing off Colab)."""
    from autograder.authoring.colab_cell import with_colab_cell

    root = _course(tmp_path)
    assert cli.main(["--root", str(root), "release-solutions", "week1"]) == 0
    name = "05_assignment_binary_digits.ipynb"
    solved = nbformat.read(root / "solutions" / "week1" / name, as_version=4)
    mine = tmp_path / "submitted" / "s1" / "week1"
    mine.mkdir(parents=True)
    nbformat.write(with_colab_cell(solved, "git+https://example.org/nn-course-student"), mine / name)
    csv = tmp_path / "grades.csv"
    assert cli.main(["--root", str(root), "grade", "week1", str(tmp_path / "submitted"),
                     "--csv", str(csv), "--workers", "1"]) == 0
    rows = csv.read_text(encoding="utf-8").splitlines()
    assert rows[1].startswith("s1,12,12,graded,"), rows
