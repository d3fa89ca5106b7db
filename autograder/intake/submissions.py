"""Find the submissions of an assignment and classify what is wrong with each, per student.

The layout is nbgrader's: ``SUBMISSIONS_DIR/<student_id>/<ASSIGNMENT>/<notebook>.ipynb``. A student
folder without the assignment folder or without any graded notebook is ``missing`` (one without some
of an assignment's graded notebooks is graded on the others: ``incomplete``); an empty file, invalid
JSON or something that is not a notebook is ``malformed``; a notebook under another name is graded
and reported as ``renamed``. Nothing here aborts the batch.

Everything below ``SUBMISSIONS_DIR`` is the learners', so nothing there is trusted: each folder and
file is opened without following symbolic links (``O_NOFOLLOW``, one path component at a time, so
a file read is always inside its student's folder) and without blocking (``O_NONBLOCK``: a FIFO
cannot hang the grader), then checked with ``fstat`` to be a regular file under a size cap before
a byte is read. A student folder, assignment folder or notebook that is a link, a FIFO, a device
or a folder is ``malformed`` and never graded. Notebooks are read when they are graded (parsed
once, then dropped), not kept for the whole class.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.utils import parse_utc

from autograder.contract.cells import grade_id
from autograder.contract.results import Issue
from autograder.contract.untrusted import clean_text, student_id
from autograder.intake.json_depth import deeper_than

#: Largest notebook graded (bytes); checked with ``fstat`` before reading.
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
#: Largest ``timestamp.txt`` read (bytes); nbgrader writes about 30.
MAX_TIMESTAMP_BYTES = 256
#: Deepest JSON nesting accepted in a notebook (nbformat's own schema needs about 6).
MAX_NOTEBOOK_NESTING = 64

_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


class Refused(Exception):
    """A learner's file or folder the grader will not read; ``str(exc)`` says why and what to do."""


@dataclass
class Submission:
    student: str  # the id its rows are written under (see autograder.contract.untrusted.student_id)
    folder: Path  # SUBMISSIONS_DIR/<student folder>/<assignment>
    #: Source notebook name -> the name of the submitted file graded for it (inside ``folder``).
    files: dict[str, str] = field(default_factory=dict)
    #: Submitted file name -> SHA-256 of its bytes when it was discovered.
    digests: dict[str, str] = field(default_factory=dict)
    #: nbgrader's ``timestamp.txt`` (when the student submitted), for late penalties.
    timestamp: str | None = None
    #: ``missing`` or ``malformed``: nothing can be graded.
    problem: Issue | None = None
    #: Graded notebooks (source file names) not handed in, when some others were: the others
    #: are graded and these cost their own exercises' points (see :func:`discover`).
    not_handed_in: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def digest(self) -> str:
        """What the submission is: its files' bytes, its timestamp and its problem (no re-reading,
        no link followed)."""
        h = hashlib.sha256()
        for name in sorted(self.files):
            file = self.files[name]
            h.update(f"{name}\0{file}\0{self.digests.get(file, '')}\0".encode("utf-8", "surrogateescape"))
        h.update(f"timestamp\0{self.timestamp}\0".encode("utf-8", "surrogateescape"))
        for name in self.not_handed_in:
            h.update(f"not handed in\0{name}\0".encode("utf-8", "surrogateescape"))
        if self.problem:
            h.update(self.problem.message.encode("utf-8", "surrogateescape"))
        return h.hexdigest()

    def read(self, file: str) -> bytes:
        """The bytes of ``file`` in the assignment folder, opened as :func:`discover` did;
        :class:`Refused` if it is no longer a regular file of the student's."""
        with _opened_folder(self.folder) as folder_fd:
            return read_regular(folder_fd, file, MAX_NOTEBOOK_BYTES)


class _opened_folder:
    """``with _opened_folder(SUBMISSIONS_DIR/student/assignment) as fd``: the last two components
    opened without following links."""

    def __init__(self, folder: Path):
        self.parts = (folder.parent.parent, folder.parent.name, folder.name)
        self.fds: list[int] = []

    def __enter__(self) -> int:
        base, student, assignment = self.parts
        try:
            self.fds.append(os.open(base, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC))
            self.fds.append(open_folder(self.fds[-1], student))
            self.fds.append(open_folder(self.fds[-1], assignment))
        except BaseException:
            self.__exit__()
            raise
        return self.fds[-1]

    def __exit__(self, *exc) -> None:
        for fd in reversed(self.fds):
            os.close(fd)
        self.fds.clear()


def _why_not_opened(dir_fd: int, name: str, exc: OSError, what: str) -> Refused:
    try:
        mode = os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode
    except OSError:
        mode = 0
    shown = clean_text(name, 200)
    if stat.S_ISLNK(mode):
        return Refused(f"{shown} is a symbolic link; links are not followed: submit the {what} itself")
    if what == "file" and stat.S_ISDIR(mode):
        return Refused(f"{shown} is a folder, not a file")
    return Refused(f"{shown} cannot be opened ({exc.strerror})")


def open_folder(dir_fd: int, name: str) -> int:
    """A descriptor of folder ``name`` in ``dir_fd``; :class:`Refused` if it is a link or no folder,
    ``FileNotFoundError`` if it does not exist."""
    try:
        return os.open(name, _FOLDER_FLAGS, dir_fd=dir_fd)
    except FileNotFoundError:
        raise
    except OSError as exc:
        if exc.errno == errno.ENOTDIR and not stat.S_ISLNK(
                os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode):
            raise Refused(f"{clean_text(name, 200)} is a file, not a folder") from None
        raise _why_not_opened(dir_fd, name, exc, "folder") from None


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n} bytes"


def read_regular(dir_fd: int, name: str, limit: int) -> bytes:
    """The bytes of regular file ``name`` in ``dir_fd``, at most ``limit`` of them.

    Raises :class:`Refused` for a link (to anything: a classmate's notebook, ``/dev/zero``), a
    FIFO, a device, a folder or a file over ``limit``; ``FileNotFoundError`` if it is absent.
    """
    try:
        fd = os.open(name, _FILE_FLAGS, dir_fd=dir_fd)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise _why_not_opened(dir_fd, name, exc, "file") from None
    shown = clean_text(name, 200)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise Refused(f"{shown} is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise Refused(f"{shown} is not a regular file (a FIFO or a device): submit the file itself")
        if info.st_size > limit:
            raise Refused(f"{shown} is {_size(info.st_size)}, over the limit of {_size(limit)}"
                          + (": clear the notebook's outputs and submit it again"
                             if name.endswith(".ipynb") else ""))
        chunks, size = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # it grew after fstat
                raise Refused(f"{shown} is over the limit of {_size(limit)}")
        return b"".join(chunks)
    finally:
        os.close(fd)


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


def submissions_problem(submissions_dir: Path, assignment: str) -> str | None:
    """Why ``submissions_dir`` cannot be read for ``assignment`` at all (not a submissions folder,
    or nobody in it has the assignment), with the fix; None when it can."""
    return layout_problem(submissions_dir, assignment) or assignment_absent(submissions_dir, assignment)


def assignment_absent(submissions_dir: Path, assignment: str) -> str | None:
    """Why nobody in ``submissions_dir`` can be graded for ``assignment`` (no student folder has an
    ``assignment/`` entry: most likely the wrong assignment or folder was named), or None."""
    counts: dict[str, int] = {}
    students = 0
    with os.scandir(submissions_dir) as entries:
        for entry in entries:
            if entry.name.startswith(".") or not entry.is_dir():
                continue
            students += 1
            try:
                with os.scandir(entry.path) as inner:
                    names = [e.name for e in inner if e.is_dir() and not e.name.startswith(".")]
            except OSError:
                continue
            if assignment in names or os.path.lexists(os.path.join(entry.path, assignment)):
                return None
            for name in names:
                counts[name] = counts.get(name, 0) + 1
    if not students:
        return None  # layout_problem's case
    where = clean_text(str(submissions_dir), 300)
    found = ", ".join(f"{clean_text(name, 60)}/ in {n}" for name, n in
                      sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5])
    found = f"found {found} of them" if found else "their folders hold no assignment folder"
    return (f"no student in {where} has a {assignment}/ folder; {found} "
            f"({students} student folders): check the assignment name and SUBMISSIONS_DIR")


def discover(submissions_dir: Path, assignment: str, graded: dict[str, nbformat.NotebookNode],
             released: list[str]) -> list[Submission]:
    """One :class:`Submission` per student folder, sorted by student id.

    ``graded``: the source notebooks that hold exercises, by file name; ``released``: the file
    names of every notebook of the assignment (a notebook under another name is "renamed"). A
    link to a folder in ``submissions_dir`` gets a ``malformed`` row; any other entry that is not
    a folder, or whose name starts with ``.``, is not a student.
    """
    out = []
    with os.scandir(submissions_dir) as entries:
        folders = [e for e in entries if not e.name.startswith(".") and e.is_dir()]
    for entry in folders:
        sub = Submission(student_id(entry.name), Path(entry.path) / assignment)
        if entry.is_symlink():
            sub.problem = Issue("malformed", f"the student folder {sub.student} is a symbolic link; "
                                "links are not followed: put the student's files in a real folder")
        else:
            _classify(sub, assignment, graded, released)
        out.append(sub)
    return sorted(out, key=lambda s: s.student)


def _classify(sub: Submission, assignment, graded, released) -> None:
    try:
        with _opened_folder(sub.folder) as folder_fd:
            _classify_folder(sub, folder_fd, assignment, graded, released)
    except FileNotFoundError:
        try:
            loose = sorted(p.name for p in sub.folder.parent.glob("*.ipynb"))
            cased = sorted(p.name for p in sub.folder.parent.iterdir()
                           if _same_but_case(p, assignment))
        except OSError:
            loose, cased = [], []
        hint = f" (found {', '.join(loose)} directly in the student folder)" if loose else ""
        if cased:
            hint = f" (found {cased[0]}/: folder names are case-sensitive)"
        sub.problem = Issue("missing", f"no {assignment}/ folder{hint}")
    except Refused as exc:
        sub.problem = Issue("malformed", str(exc))
    except OSError as exc:  # unreadable folder (permissions): a row saying so, the batch goes on
        sub.problem = Issue("malformed", f"{assignment}/ cannot be read ({exc.strerror})")


def _classify_folder(sub: Submission, folder_fd: int, assignment, graded, released) -> None:
    sub.timestamp, note = read_timestamp(folder_fd)
    if note:
        sub.issues.append(Issue("", note))
    present = sorted(name for name in os.listdir(folder_fd) if name.endswith(".ipynb"))
    unknown = [name for name in present if name not in released]
    absent = [name for name in graded if name not in present]
    for name, source in graded.items():
        file = name
        if name not in present:
            # A file stands for one graded notebook at most; any file only when one is absent.
            file = _renamed(folder_fd, [u for u in unknown if u not in sub.files.values()],
                            source, any_one=len(absent) == 1)
            if file is None:
                sub.not_handed_in.append(name)
                continue
            sub.issues.append(Issue("renamed", f"{name} was submitted as {file}; graded it"))
        sub.files[name] = file
        try:
            raw = read_regular(folder_fd, file, MAX_NOTEBOOK_BYTES)
        except (Refused, OSError) as exc:
            why = str(exc) if isinstance(exc, Refused) else f"{file} cannot be read ({exc.strerror})"
            sub.problem = Issue("malformed", why)
            return
        sub.digests[file] = hashlib.sha256(raw).hexdigest()
    if len(sub.not_handed_in) == len(graded):  # nothing to grade
        sub.problem = Issue("missing", f"no {' and no '.join(sub.not_handed_in)} in {assignment}/")


def read_timestamp(folder_fd: int) -> tuple[str | None, str]:
    """nbgrader's ``timestamp.txt`` in the assignment folder, if it holds a date nbgrader can
    read; else ``(None, why it was ignored)`` (``""`` when there is none)."""
    try:
        raw = read_regular(folder_fd, "timestamp.txt", MAX_TIMESTAMP_BYTES)
    except FileNotFoundError:
        return None, ""
    except (Refused, OSError) as exc:
        return None, f"timestamp.txt was ignored: {exc if isinstance(exc, Refused) else exc.strerror}"
    try:
        text = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        return None, "timestamp.txt was ignored: it is not text"
    if not text:
        return None, ""
    try:
        parse_utc(text)
    except (ValueError, OverflowError, TypeError):
        return None, f"timestamp.txt was ignored: {clean_text(text, 64)!r} is not a date"
    return text, ""


def _renamed(folder_fd: int, candidates: list[str], source, any_one: bool) -> str | None:
    """The unknown notebook sharing most grade_ids with ``source`` (with ``any_one``: the only
    candidate even if it shares none)."""
    wanted = {grade_id(c) for c in source.cells if grade_id(c)}
    best, best_score = None, 0
    for name in candidates:
        try:
            raw = read_regular(folder_fd, name, MAX_NOTEBOOK_BYTES)
            if deeper_than(raw, MAX_NOTEBOOK_NESTING):
                continue
            cells = json.loads(raw).get("cells", [])
            score = len(wanted & {grade_id(c) for c in cells if isinstance(c, dict)})
        except (Refused, ValueError, OSError, AttributeError, TypeError, RecursionError):
            score = 0
        if score > best_score:
            best, best_score = name, score
    if best is None and any_one and len(candidates) == 1:
        return candidates[0]
    return best


def load(raw: bytes, name: str) -> tuple[nbformat.NotebookNode | None, Issue | None]:
    """Parse a submitted notebook's bytes (once); ``(None, Issue("malformed", why))`` when it
    cannot be graded."""
    shown = clean_text(name, 200)
    if not raw.strip():
        return None, Issue("malformed", f"{shown} is an empty file")
    if deeper_than(raw, MAX_NOTEBOOK_NESTING):
        return None, Issue("malformed", f"{shown} nests JSON more than {MAX_NOTEBOOK_NESTING} levels "
                                        "deep; no notebook does: submit the notebook file itself")
    try:
        data = json.loads(raw.decode("utf-8"))
    except RecursionError:  # unreachable after the depth check; kept so it can never escape
        return None, Issue("malformed", f"{shown} nests JSON too deeply to be read")
    except (ValueError, UnicodeDecodeError) as exc:
        return None, Issue("malformed", f"{shown} is not valid JSON ({str(exc)[:80]})")
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        return None, Issue("malformed", f"{shown} is JSON but not a Jupyter notebook (no cells)")
    try:
        major, minor = nbformat.reader.get_version(data)
        nb = nbformat.convert(nbformat.versions[major].to_notebook_json(data, minor=minor), 4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises several kinds
        return None, Issue("malformed", f"{shown} is not a readable notebook ({str(exc)[:80]})")
    for cell in nb.cells:
        if not isinstance(cell.get("source", ""), str) or "cell_type" not in cell:
            return None, Issue("malformed", f"{shown} has a cell without text or type")
    return nb, None
