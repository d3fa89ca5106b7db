"""Where ``autograder grade`` writes, checked before any submission is graded.

A class takes minutes to grade; finding out afterwards that ``--csv`` names a folder, or that the
report cannot be written beside it, wastes all of that. :func:`output_problem` says what is wrong
with the output paths, and how to fix it, before the grading starts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class GradeOutputs:
    """The files and folder one ``autograder grade`` run writes."""

    csv: Path
    report_png: Path
    summary_txt: Path
    #: ``<root>/feedback``, or None with ``--no-feedback``.
    feedback: Path | None

    @classmethod
    def beside(cls, csv: Path, root: Path, feedback: bool = True) -> GradeOutputs:
        """``OUT.csv`` and, beside it, ``OUT_report.png`` and ``OUT_summary.txt``."""
        stem = Path(csv).with_suffix("")
        return cls(Path(csv), Path(f"{stem}_report.png"), Path(f"{stem}_summary.txt"),
                   Path(root) / "feedback" if feedback else None)


def csv_argument_problem(raw: str, assignment: str) -> str | None:
    """Why the ``--csv`` value as typed cannot be the grades file (a folder), or None."""
    if raw.endswith(("/", os.sep)) or Path(raw).is_dir():
        example = Path(raw) / f"{assignment}.csv"
        return (f"--csv {raw} is a folder, not a file: pass the CSV file to write, "
                f"e.g. --csv {example}")
    return None


def output_problem(outputs: GradeOutputs) -> str | None:
    """What stops ``outputs`` from being written (named, with the fix), or None."""
    for path in (outputs.csv, outputs.report_png, outputs.summary_txt):
        if path.is_dir():
            return (f"{path} is a folder, so the grades cannot be written there: pass another "
                    f"--csv name (or move the folder away)")
        if path.exists() and not os.access(path, os.W_OK):
            return f"{path} exists and cannot be overwritten (permission denied): pass another --csv"
        problem = _folder_problem(path.parent, "--csv path")
        if problem:
            return problem
    if outputs.feedback is not None:
        if outputs.feedback.exists() and not outputs.feedback.is_dir():
            return (f"{outputs.feedback} is a file, but the feedback goes into a folder of that "
                    "name: move the file away, or pass --no-feedback")
        problem = _folder_problem(outputs.feedback, "course folder (--root)")
        if problem:
            return problem + " (or pass --no-feedback)"
    return None


def _folder_problem(folder: Path, what: str) -> str | None:
    """Why files cannot be created in ``folder`` (creating it if needed), or None."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return (f"{existing} is a file, so the folder {folder} cannot be created: "
                f"choose another {what}")
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"cannot create files in {existing} (permission denied): choose another {what}"
    return None
