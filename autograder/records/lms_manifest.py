"""What ``autograder collect`` recorded of an LMS download, per assignment: which LMS, and for each
graded student id the LMS's own ids and file names (Canvas's user and attachment ids, Moodle's
participant id), so that ``export`` and ``--feedback-zip`` name each row and file as the LMS
expects. Written by :mod:`autograder.intake.collect`, read by :mod:`autograder.records.lms_export`.
"""

from __future__ import annotations

import json
from pathlib import Path

from autograder.records.atomic import atomic_write


def manifest_path(root: Path, assignment: str) -> Path:
    """``ROOT/.autograder/lms/<assignment>.json``."""
    return Path(root) / ".autograder" / "lms" / f"{assignment}.json"


def read_manifest(root: Path, assignment: str) -> dict:
    """What ``collect`` recorded for ``assignment``: ``{"lms": …, "students": {graded id: …}}``."""
    try:
        data = json.loads(manifest_path(root, assignment).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"students": {}}
    return data if isinstance(data.get("students"), dict) else {"students": {}}


def write_manifest(root: Path, assignment: str, manifest: dict) -> None:
    """Replace the record of ``assignment`` (readable by its owner only: it holds LMS ids)."""
    path = manifest_path(root, assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path, mode=0o600) as handle:
        json.dump(manifest, handle, indent=1, ensure_ascii=False)
