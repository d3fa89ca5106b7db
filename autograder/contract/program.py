"""The program to run for one submission: its cells in order (each with where it came from and
how feedback names it), the problems found while making it, and the exercises that earn nothing
whatever their results (made by :mod:`autograder.intake.assemble`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from autograder.contract.results import Issue


@dataclass
class ProgramCell:
    code: str
    origin: str  # "source", "solution" or "added"
    label: str  # how feedback names the cell


@dataclass
class Program:
    cells: list[ProgramCell] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    #: Exercise name -> why it earns nothing whatever its results (static check, missing cell).
    zero: dict[str, str] = field(default_factory=dict)
    #: Exercise name -> the text of the learner's cell graded for it (as matched to the source).
    solutions: dict[str, str] = field(default_factory=dict)
