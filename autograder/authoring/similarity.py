"""Which submissions of an assignment are suspiciously alike: ``autograder similarity``.

Computed here, on this machine, with copydetect's winnowing fingerprints (the method of MOSS:
Schleimer, Wilkerson and Aiken, "Winnowing: local algorithms for document fingerprinting", 2003);
no code leaves the machine. What is compared, per exercise, is the learner's solution cell (the
cell with the exercise's ``grade_id``, where the graded function lives):

- **normalised**: copydetect's filter replaces every variable, attribute and function name with one
  letter, every string with another, and drops comments and white space, so renaming variables and
  adding comments changes nothing; fingerprints are a set, so reordering functions changes nothing;
- **minus the starter code**: every fingerprint of the released cell (signature, docstring, given
  lines; :mod:`autograder.authoring.starter`) is removed, so an untouched or half-done cell shares
  nothing with anyone;
- **minus the class's common idiom**: a fingerprint that more than ``common_share`` of the attempts
  of an exercise hold (and at least :data:`MIN_COMMON` of them) is the natural way to write it,
  not copying (as MOSS ignores passages found in many programs);
- **short answers cannot match**: a fingerprint covers ``K`` normalised characters, so a one-line
  ``return 1 / (1 + np.exp(-z))`` (19 of them) has none.

A pair's score is the larger of the two shares of each learner's fingerprinted code (over all of
the assignment's exercises) found in the other's: 1.0 means all of one learner's own code is in
the other's. A pair is **flagged** when its score is at least ``threshold`` and the shared code
is at least ``min_shared`` normalised characters. A flag is a reason to read the two side by side
(the HTML pages), never a verdict.
"""

from __future__ import annotations

import io
import itertools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
from copydetect import CodeFingerprint, compare_files

from autograder.authoring.starter import starter_cells
from autograder.contract.cells import grade_id
from autograder.intake.submissions import Refused, discover, load

#: Normalised characters per fingerprint (copydetect's default noise threshold).
K = 25
#: Every k-gram is kept (window 1): the cells are small, and every shared passage is then found.
WINDOW = 1
#: A fingerprint counts as the class's common idiom only when at least this many attempts hold it.
MIN_COMMON = 4


@dataclass(frozen=True)
class Attempt:
    """One learner's solution cell of one exercise, as submitted, with its fingerprints."""

    student: str
    exercise: str
    code: str
    fingerprint: CodeFingerprint


@dataclass(frozen=True)
class Passage:
    """What two learners' cells of one exercise share. Slices are ``(start, end)`` character
    offsets into each raw cell text; ``shared`` counts normalised characters (of ``a``'s cell)."""

    exercise: str
    code_a: str
    code_b: str
    slices_a: tuple[tuple[int, int], ...]
    slices_b: tuple[tuple[int, int], ...]
    shared: int


@dataclass(frozen=True)
class Pair:
    """Two learners (``a`` < ``b``); similarities are fractions in [0, 1] of each one's own code."""

    a: str
    b: str
    similarity_a: float
    similarity_b: float
    shared: int  # normalised characters of a's code found in b's, over all exercises
    passages: tuple[Passage, ...]
    flagged: bool

    @property
    def score(self) -> float:
        return max(self.similarity_a, self.similarity_b)


@dataclass(frozen=True)
class Unread:
    student: str
    why: str


@dataclass(frozen=True)
class SimilarityReport:
    assignment: str
    students: tuple[str, ...]  # every learner with at least one attempted exercise
    pairs: tuple[Pair, ...]  # every pair sharing anything, highest score first
    unread: tuple[Unread, ...]  # learners whose notebooks could not be read, and why
    threshold: float
    min_shared: int
    common_share: float

    @property
    def flagged(self) -> tuple[Pair, ...]:
        return tuple(p for p in self.pairs if p.flagged)


def fingerprint(code: str, boilerplate=()) -> CodeFingerprint:
    """copydetect's fingerprint of Python ``code`` without the ``boilerplate`` hashes."""
    return CodeFingerprint("cell.py", K, WINDOW, boilerplate=list(boilerplate), fp=io.StringIO(code))


@dataclass(frozen=True)
class Graded:
    """What is compared of an assignment: its name, its graded source notebooks by file name and
    every notebook file name it releases (as :class:`autograder.grading.assignment.Assignment`)."""

    name: str
    sources: dict
    released: list[str]

    @cached_property
    def starters(self) -> dict[str, dict[str, str]]:
        """``{notebook: {grade_id: the solution cell as released}}``, made once."""
        return {nb_name: starter_cells(nb) for nb_name, nb in self.sources.items()}


def read_attempts(assignment: Graded, submissions_dir: Path,
                  progress: Callable[[int, int], None] | None = None,
                  ) -> tuple[dict[str, dict[str, str]], list[Unread]]:
    """``({student: {exercise: cell text}}, unread)``: every solution cell that differs from the
    starter code, read as the grader reads submissions (no link followed, size capped)."""
    subs = discover(Path(submissions_dir), assignment.name, assignment.sources, assignment.released)
    attempts: dict[str, dict[str, str]] = {}
    unread: list[Unread] = []
    for n, sub in enumerate(subs, 1):
        if progress:
            progress(n, len(subs))
        cells: dict[str, str] = {}
        whys = [sub.problem.message] if sub.problem and not sub.files else []
        for nb_name, file in sub.files.items():
            try:
                nb, issue = load(sub.read(file), file)
            except (Refused, OSError) as exc:
                nb, why = None, str(exc)
            else:
                why = issue.message if issue else ""
            if nb is None:
                whys.append(why)
                continue
            by_id = {}
            for cell in nb.cells:
                if cell.get("cell_type") == "code" and grade_id(cell) and grade_id(cell) not in by_id:
                    by_id[grade_id(cell)] = str(cell.get("source", ""))
            for ex, starter in assignment.starters.get(nb_name, {}).items():
                code = by_id.get(ex, "")
                if code.strip() and code.strip() != starter.strip():
                    cells[ex] = code
        if cells:
            attempts[sub.student] = cells
        elif whys:
            unread.append(Unread(sub.student, "; ".join(whys)))
    return attempts, unread


def compare_class(assignment: Graded, attempts: dict[str, dict[str, str]], *,
                  threshold: float = 0.6, min_shared: int = 100, common_share: float = 0.5,
                  unread: tuple[Unread, ...] = ()) -> SimilarityReport:
    """Compare every pair of learners who share any fingerprint; see the module docstring."""
    starters = {ex: code for cells in assignment.starters.values() for ex, code in cells.items()}
    by_exercise: dict[str, list[Attempt]] = defaultdict(list)
    for ex, starter in starters.items():
        raw = {s: cells[ex] for s, cells in attempts.items() if ex in cells}
        removed = set(fingerprint(starter).hashes) | common_hashes(raw, common_share)
        for student, code in sorted(raw.items()):
            own_code = without_lines_of(code, starter)
            by_exercise[ex].append(Attempt(student, ex, code, fingerprint(own_code, removed)))
    own = defaultdict(float)  # student -> fingerprinted normalised characters over all exercises
    for ex_attempts in by_exercise.values():
        for att in ex_attempts:
            own[att.student] += float(att.fingerprint.token_coverage)
    found: dict[tuple[str, str], list[Passage]] = defaultdict(list)
    shared_of = defaultdict(lambda: [0, 0])
    for ex, ex_attempts in by_exercise.items():
        for x, y in candidate_pairs(ex_attempts):
            overlap, _, (sl_x, sl_y) = compare_files(x.fingerprint, y.fingerprint)
            if overlap == 0:
                continue
            overlap_y, _, _ = compare_files(y.fingerprint, x.fingerprint)
            found[(x.student, y.student)].append(Passage(
                ex, x.code, y.code, _as_tuples(sl_x), _as_tuples(sl_y), int(overlap)))
            shared_of[(x.student, y.student)][0] += int(overlap)
            shared_of[(x.student, y.student)][1] += int(overlap_y)
    pairs = []
    for (a, b), passages in found.items():
        shared_a, shared_b = shared_of[(a, b)]
        sim_a = shared_a / own[a] if own[a] else 0.0
        sim_b = shared_b / own[b] if own[b] else 0.0
        flagged = max(sim_a, sim_b) >= threshold and min(shared_a, shared_b) >= min_shared
        pairs.append(Pair(a, b, round(sim_a, 4), round(sim_b, 4), shared_a,
                          tuple(sorted(passages, key=lambda p: p.exercise)), flagged))
    pairs.sort(key=lambda p: (-p.score, p.a, p.b))
    return SimilarityReport(assignment.name, tuple(sorted(attempts)), tuple(pairs), tuple(unread),
                            threshold, min_shared, common_share)


def without_lines_of(code: str, starter: str) -> str:
    """``code`` with every line that is also a line of ``starter`` (the signature, the docstring,
    given lines, the stub) blanked to spaces of the same length: the learner's own code stays at
    the same offsets, so shared passages found in it highlight the submitted text."""
    given = {line.strip() for line in starter.splitlines() if line.strip()}
    return "".join(" " * len(line.rstrip("\r\n")) + line[len(line.rstrip("\r\n")):]
                   if line.strip() in given else line
                   for line in code.splitlines(keepends=True))


def common_hashes(codes: dict[str, str], common_share: float) -> set[int]:
    """Fingerprints held by more than ``common_share`` of ``codes`` (and by ≥ MIN_COMMON)."""
    counts: dict[int, int] = defaultdict(int)
    for code in codes.values():
        for h in set(fingerprint(code).hashes):  # starter passages are removed anyway
            counts[h] += 1
    need = max(MIN_COMMON, int(common_share * len(codes)) + 1)
    return {h for h, n in counts.items() if n >= need}


def candidate_pairs(attempts: list[Attempt]):
    """Pairs (in student order) holding at least one fingerprint in common: the others share
    nothing, so they are never compared (a class of 300 is not 44,850 comparisons)."""
    holders: dict[int, set[int]] = defaultdict(set)
    for i, att in enumerate(attempts):
        for h in att.fingerprint.hashes:
            holders[h].add(i)
    pairs = {pair for group in holders.values()
             for pair in itertools.combinations(sorted(group), 2)}
    for i, j in sorted(pairs):
        yield attempts[i], attempts[j]


def _as_tuples(slices: np.ndarray) -> tuple[tuple[int, int], ...]:
    if slices.size == 0:
        return ()
    return tuple((int(s), int(e)) for s, e in zip(slices[0], slices[1]))


def class_similarity(assignment: Graded, submissions_dir: Path, *, threshold: float = 0.6,
                     min_shared: int = 100, common_share: float = 0.5,
                     progress: Callable[[int, int], None] | None = None) -> SimilarityReport:
    """Read every submission of ``assignment`` in ``submissions_dir`` and compare the class."""
    attempts, unread = read_attempts(assignment, submissions_dir, progress)
    return compare_class(assignment, attempts, threshold=threshold, min_shared=min_shared,
                         common_share=common_share, unread=tuple(unread))
