"""Per-student feedback: ``feedback/<student_id>/<assignment>/feedback.html``.

Each exercise, each case passed or failed with the grader's message (shape expected vs got, the
property that failed). It is built from the result only: hidden cases are shown by their name (their
inputs, the grading code and the reference solutions never appear), and the learner's own output
is not copied (it could echo the hidden inputs). Everything is HTML-escaped.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import jinja2

from autograder.contract.results import SubmissionResult
from autograder.records.grades_csv import format_points


def _template() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    text = files("autograder").joinpath("templates/feedback.html.j2").read_text(encoding="utf-8")
    return env.from_string(text)


def write_feedback(root: Path, assignment: str,
                   results: list[SubmissionResult]) -> tuple[list[Path], list[str]]:
    """Write each student's page; return the pages written and, for each one that could not be,
    a message naming the student and why. One student's failure never costs another's page."""
    template = _template()
    paths, failures = [], []
    for r in results:
        try:
            folder = Path(root) / "feedback" / r.student_id / assignment
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / "feedback.html"
            path.write_text(template.render(r=r, assignment=assignment, fmt=format_points), encoding="utf-8")
        except (OSError, ValueError, TypeError, KeyError, jinja2.TemplateError) as exc:
            # UnicodeError is a ValueError; a bad id or result must not stop the other pages.
            failures.append(f"feedback for {getattr(r, 'student_id', None)!r} was not written "
                            f"({type(exc).__name__}: {str(exc)[:200]}); its grade is in the CSV")
            continue
        paths.append(path)
    return paths, failures
