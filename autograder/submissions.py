"""Find the submissions of an assignment and classify what is wrong with each, per student.

The layout is nbgrader's: ``SUBMISSIONS_DIR/<student_id>/<ASSIGNMENT>/<notebook>.ipynb``. A student
folder without the assignment folder or without the notebook is ``missing``; an empty file, invalid
JSON or something that is not a notebook is ``malformed``; a notebook under another name is graded
and reported as ``renamed``. Nothing here aborts the batch.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.restore import Issue, grade_id


@dataclass
class Submission:
    student: str
    folder: Path
    #: Source notebook name -> the submitted file graded for it.
    files: dict[str, Path] = field(default_factory=dict)
    notebooks: dict[str, nbformat.NotebookNode] = field(default_factory=dict)
    #: nbgrader's ``timestamp.txt`` (when the student submitted), for late penalties.
    timestamp: str | None = None
    #: ``missing`` or ``malformed``: nothing can be graded.
    problem: Issue | None = None
    issues: list[Issue] = field(default_factory=list)

    def digest(self) -> str:
        h = hashlib.sha256()
        for name in sorted(self.files):
            h.update(name.encode() + b"\0" + self.files[name].name.encode() + b"\0")
            h.update(self.files[name].read_bytes())
        if self.problem:
            h.update(self.problem.message.encode())
        return h.hexdigest()


def layout_problem(submissions_dir: Path, assignment: str) -> str | None:
    """Why ``submissions_dir`` is not a submissions folder at all (for a clear CLI error), or None."""
    if not submissions_dir.is_dir():
        return f"{submissions_dir} is not a folder: pass the folder that holds one folder per student"
    students = [p for p in submissions_dir.iterdir() if p.is_dir() and not p.name.startswith(".")]
    if any((p / assignment).is_dir() for p in students):
        return None
    if (submissions_dir / assignment).is_dir() or any(submissions_dir.glob("*.ipynb")):
        return _one_student_problem(submissions_dir, assignment)
    variants = {d.name for s in students for d in s.iterdir() if _same_but_case(d, assignment)}
    if variants:
        found = ", ".join(f"{v}/" for v in sorted(variants))
        return (f"no student folder in {submissions_dir} has a {assignment}/ folder, but some have "
                f"{found}: folder names are case-sensitive; rename them to {assignment}/ "
                f"(or grade the assignment named {sorted(variants)[0]}, if that is its name)")
    if not students:
        return (f"{submissions_dir} has no student folders; the layout is "
                f"<student_id>/{assignment}/*.ipynb (nbgrader's submitted/ folder)")
    if any(any(p.glob("*.ipynb")) for p in students):
        return (
            f"no student folder in {submissions_dir} has a {assignment}/ folder, but some hold "
            f"notebooks directly: move each student's notebooks into <student_id>/{assignment}/"
        )
    return None


def _one_student_problem(folder: Path, assignment: str) -> str:
    """The message for a folder that is one student's: which folder to pass instead."""
    if (folder / assignment).is_dir():
        what, pass_instead = f"it holds {assignment}/", folder.parent
    elif folder.name == assignment:
        # submitted/alice/week1: the submissions folder is two levels up.
        what, pass_instead = "it holds the notebooks of one student's assignment", folder.parent.parent
    else:
        return (f"{folder} holds notebooks directly, like ONE student's folder; pass the folder "
                f"that holds one folder per student (e.g. {folder.parent}), with each student's "
                f"notebooks in <student_id>/{assignment}/")
    return (f"{folder} looks like ONE student's folder ({what}); pass {pass_instead} instead, "
            f"laid out as <student_id>/{assignment}/*.ipynb")


def _same_but_case(path: Path, assignment: str) -> bool:
    return path.is_dir() and path.name != assignment and path.name.lower() == assignment.lower()


def discover(submissions_dir: Path, assignment: str, graded: dict[str, nbformat.NotebookNode],
             released: list[str]) -> list[Submission]:
    """One :class:`Submission` per student folder, sorted by student id.

    ``graded``: the source notebooks that hold exercises, by file name; ``released``: the file
    names of every notebook of the assignment (a notebook under another name is "renamed").
    """
    out = []
    for student_dir in sorted(p for p in submissions_dir.iterdir() if p.is_dir()):
        if student_dir.name.startswith("."):
            continue
        out.append(_classify(student_dir.name, student_dir / assignment, assignment, graded, released))
    return out


def _classify(student, folder: Path, assignment, graded, released) -> Submission:
    sub = Submission(student, folder)
    if not folder.is_dir():
        loose = sorted(p.name for p in folder.parent.glob("*.ipynb"))
        hint = f" (found {', '.join(loose)} directly in the student folder)" if loose else ""
        cased = sorted(p.name for p in folder.parent.iterdir() if _same_but_case(p, assignment))
        if cased:
            hint = f" (found {cased[0]}/: folder names are case-sensitive)"
        sub.problem = Issue("missing", f"no {assignment}/ folder{hint}")
        return sub
    stamp = folder / "timestamp.txt"
    if stamp.is_file():
        sub.timestamp = stamp.read_text(encoding="utf-8", errors="replace").strip()[:64] or None
    present = sorted(p for p in folder.glob("*.ipynb") if p.is_file())
    unknown = [p for p in present if p.name not in released]
    for name, source in graded.items():
        path = folder / name
        if not path.exists():
            path = _renamed(unknown, source)
            if path is None:
                sub.problem = Issue("missing", f"no {name} in {assignment}/")
                return sub
            sub.issues.append(Issue("renamed", f"{name} was submitted as {path.name}; graded it"))
        sub.files[name] = path
        nb, problem = load(path)
        if problem:
            sub.problem = problem
            return sub
        sub.notebooks[name] = nb
    return sub


def _renamed(candidates: list[Path], source) -> Path | None:
    """The unknown notebook sharing most grade_ids with ``source`` (any, if only one exists)."""
    wanted = {grade_id(c) for c in source.cells if grade_id(c)}
    best, best_score = None, 0
    for path in candidates:
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
            score = len(wanted & {grade_id(c) for c in cells if isinstance(c, dict)})
        except (ValueError, OSError, AttributeError):
            score = 0
        if score > best_score:
            best, best_score = path, score
    if best is None and len(candidates) == 1:
        return candidates[0]
    return best


def load(path: Path) -> tuple[nbformat.NotebookNode | None, Issue | None]:
    """Read a submitted notebook; ``(None, Issue("malformed", why))`` when it cannot be graded."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, Issue("malformed", f"{path.name} cannot be read ({exc.strerror})")
    if not raw.strip():
        return None, Issue("malformed", f"{path.name} is an empty file")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        return None, Issue("malformed", f"{path.name} is not valid JSON ({str(exc)[:80]})")
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        return None, Issue("malformed", f"{path.name} is JSON but not a Jupyter notebook (no cells)")
    try:
        nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises several kinds
        return None, Issue("malformed", f"{path.name} is not a readable notebook ({str(exc)[:80]})")
    for cell in nb.cells:
        if not isinstance(cell.get("source", ""), str) or "cell_type" not in cell:
            return None, Issue("malformed", f"{path.name} has a cell without text or type")
    return nb, None
