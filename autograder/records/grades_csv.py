"""The grades CSV: ``student_id, score, max_score, status``, one column per exercise, ``message``."""

from __future__ import annotations

import csv
from pathlib import Path

from autograder.contract.results import SubmissionResult
from autograder.records.atomic import atomic_write


def columns(exercises: list[str]) -> list[str]:
    return ["student_id", "score", "max_score", "status", *exercises, "message"]


def format_points(x: float) -> str:
    """Points as written: ``3``, ``1.5``, ``0.8182`` (4 decimals at most)."""
    return f"{float(x):.4f}".rstrip("0").rstrip(".")


def write_csv(path: Path, exercises: list[str], results: list[SubmissionResult],
              finals: dict | None = None) -> Path:
    """Write one row per result, atomically (a reader never sees half a file; a failure leaves
    no temporary file), with the user's umask like the report beside it (0644 under umask 022).

    ``finals`` (:func:`autograder.records.late.finals`, by student id): ``score`` is then the raw
    score with the manual overrides, and ``late_by, penalty, final_score`` follow ``status``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path, newline="") as f:
        writer = csv.writer(f)
        header = columns(exercises)
        if finals is not None:
            from autograder.records.late import late_by_text, row_message

            header[4:4] = ["late_by", "penalty", "final_score"]
        writer.writerow(header)
        for r in results:
            if finals is None:
                writer.writerow([
                    r.student_id, format_points(r.score), format_points(r.max_score), r.status,
                    *(format_points(r.exercises[ex].points) for ex in exercises),
                    r.message,
                ])
                continue
            fin = finals[r.student_id]
            writer.writerow([
                r.student_id, format_points(fin.raw), format_points(r.max_score), r.status,
                late_by_text(fin), format_points(fin.penalty), format_points(fin.final),
                *(format_points(fin.points(r, ex)) for ex in exercises),
                row_message(r, fin),
            ])
    return path
