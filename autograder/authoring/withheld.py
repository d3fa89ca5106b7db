"""Worked answers a lesson must not ship before the deadline: those that answer a graded exercise.

A lesson's worked answer is the code cell under a markdown cell that starts "One possible
answer". It is *withheld* from the student edition when the function it defines is graded by an
assignment, under the same name (week 1's ``dense_v``) or as a lesson's twin of it
(:data:`GRADED_TWINS`: week 1's ``my_dense`` is the graded ``dense``). In its place the edition
says what was withheld and when it comes; ``autograder release-solutions`` publishes it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.config import SOURCE_DIRECTORY
from autograder.contract.cells import solution_ids
from autograder.intake.numpy_only import parse_cell

#: The marker of a worked answer: the markdown cell above it starts with these words.
WORKED_ANSWER = "One possible answer"

#: Lesson functions that answer a graded exercise under another name: lesson name -> graded name.
#: ``gradients`` is ``propagate`` less the cost (week 3); ``my_dense`` and ``my_sequential`` are
#: week 1's graded ``dense`` and ``sequential``.
GRADED_TWINS = {"my_dense": "dense", "my_sequential": "sequential", "gradients": "propagate"}


@dataclass(frozen=True)
class GradedIn:
    """Where a function is graded: the assignment (its week folder) and the notebook."""

    assignment: str  # "week1"
    notebook: str  # "week1/05_assignment_binary_digits.ipynb", relative to notebooks/


@dataclass(frozen=True)
class WithheldAnswer:
    """A worked answer left out of the student edition until ``graded_in``'s solutions."""

    lesson: str  # "week1/04_vectorisation.ipynb", relative to notebooks/
    cell: int  # the answer's code cell, 0-based
    function: str  # the lesson's name for it ("my_dense")
    graded: str  # the graded exercise it answers ("dense")
    graded_in: GradedIn


def graded_functions(root: Path) -> dict[str, GradedIn]:
    """``{exercise: GradedIn}`` for every graded function of the course at ``root``.

    A name graded twice (``build_model`` in weeks 1 and 2) keeps its first assignment: its
    answer is withheld until the first of them is released.
    """
    found: dict[str, GradedIn] = {}
    source = Path(root) / SOURCE_DIRECTORY
    for path in sorted(source.glob("week*/*.ipynb")):
        for name in solution_ids(nbformat.read(path, as_version=4)):
            found.setdefault(name, GradedIn(path.parent.name, path.relative_to(source).as_posix()))
    return found


def worked_answers(nb) -> list[int]:
    """Indices of the worked-answer code cells of ``nb``."""
    return [i + 1 for i, cell in enumerate(nb.cells[:-1])
            if cell.cell_type == "markdown" and cell.source.lstrip().startswith(WORKED_ANSWER)
            and nb.cells[i + 1].cell_type == "code"]


def defined_functions(source: str) -> list[str]:
    """Names of the functions a cell defines at its top level (none if it does not parse).

    Parsed as IPython runs it, through the grader's one serialised parser."""
    tree = parse_cell(source)
    if tree is None:
        return []
    return [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


def withheld_answers(lesson: str, nb, graded: dict[str, GradedIn]) -> list[WithheldAnswer]:
    """The worked answers of the lesson ``nb`` (at ``lesson``) that answer a graded exercise."""
    found = []
    for i in worked_answers(nb):
        for name in defined_functions(nb.cells[i].source):
            exercise = GRADED_TWINS.get(name, name)
            if exercise in graded:
                found.append(WithheldAnswer(lesson, i, name, exercise, graded[exercise]))
                break
    return found


def withheld_note(answer: WithheldAnswer) -> str:
    """The markdown the student edition shows where ``answer`` was."""
    twin = (f"`{answer.function}` is the graded `{answer.graded}`"
            if answer.function != answer.graded else f"`{answer.function}` is graded")
    return (f"**This worked answer is withheld until the deadline.** {twin} in "
            f"`{answer.graded_in.notebook}`, so its answer comes with that assignment's solutions, "
            f"which your instructor releases after the deadline. The cells below use your own "
            f"`{answer.function}`: write it above, and run its check, before you go on.")


def withhold(nb, answers: list[WithheldAnswer]):
    """``nb`` with each of ``answers``' code cells replaced by its note (a markdown cell), and the
    "One possible answer" line above it removed; returns ``nb`` (changed in place)."""
    for answer in sorted(answers, key=lambda a: a.cell, reverse=True):
        note = nbformat.v4.new_markdown_cell(withheld_note(answer))
        note.metadata["course"] = {"withheld": answer.function, "graded": answer.graded,
                                   "released_with": answer.graded_in.assignment}
        nb.cells[answer.cell - 1:answer.cell + 1] = [note]
    return nb
