"""Every worked answer ("One possible answer") is collapsed under its exercise, in all five weeks,
so that a learner tries before looking (issue 18): the answer's code cell carries JupyterLab's
``"jupyter": {"source_hidden": true}``."""

from __future__ import annotations

import nbformat
import pytest

from autograder.authoring.withheld import worked_answers
from conftest import NOTEBOOKS

ALL = sorted(NOTEBOOKS.glob("week*/*.ipynb"))


@pytest.mark.parametrize("path", ALL, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_worked_answer_is_collapsed(path):
    nb = nbformat.read(path, as_version=4)
    mentions = sum("One possible answer" in c.source for c in nb.cells if c.cell_type == "markdown")
    answers = worked_answers(nb)
    assert len(answers) == mentions  # every mention opens a worked answer
    for i in answers:
        assert nb.cells[i].cell_type == "code", f"cell {i}"
        assert nb.cells[i].metadata.get("jupyter", {}).get("source_hidden") is True, (
            f"cell {i}: the worked answer is visible; collapse it (source_hidden)")


def test_the_course_has_worked_answers_in_every_week():
    weeks = {p.parent.name for p in ALL if worked_answers(nbformat.read(p, as_version=4))}
    assert weeks == {"week1", "week2", "week3", "week4", "week5"}


def test_a_visible_worked_answer_is_caught():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("One possible answer:"), nbformat.v4.new_code_cell("x = 1")]
    assert worked_answers(nb) == [1]
    assert nb.cells[1].metadata.get("jupyter", {}).get("source_hidden") is not True
