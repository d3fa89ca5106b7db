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


def write_csv(path: Path, exercises: list[str], results: list[SubmissionResult]) -> Path:
    """Write one row per result, atomically (a reader never sees half a file; a failure leaves
    no temporary file), with the user's umask like the report beside it (0644 under umask 022)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns(exercises))
        for r in results:
            writer.writerow([
                r.student_id, format_points(r.score), format_points(r.max_score), r.status,
                *(format_points(r.exercises[ex].points) for ex in exercises),
                r.message,
            ])
    return path
