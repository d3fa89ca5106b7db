"""The grades CSV: ``student_id, score, max_score, status``, one column per exercise, ``message``."""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path


def columns(exercises: list[str]) -> list[str]:
    return ["student_id", "score", "max_score", "status", *exercises, "message"]


def _number(x: float) -> str:
    """Points as written: ``3``, ``1.5``, ``0.8182`` (4 decimals at most)."""
    return f"{float(x):.4f}".rstrip("0").rstrip(".")


def write_csv(path: Path, exercises: list[str], results: list[dict]) -> Path:
    """Write one row per result (atomically: a reader never sees half a file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".csv")
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(columns(exercises))
        for r in results:
            writer.writerow([
                r["student_id"], _number(r["score"]), _number(r["max_score"]), r["status"],
                *(_number(r["exercises"][ex]["points"]) for ex in exercises),
                r["message"],
            ])
    os.replace(tmp, path)
    return path
