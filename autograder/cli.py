"""``autograder``: release an assignment and grade a class (see docs/instructor_guide.md).

    autograder release ASSIGNMENT
    autograder grade ASSIGNMENT SUBMISSIONS_DIR --csv OUT.csv [--workers N] [--timeout S] [--memory MB]

``grade`` exits 0 when every submission got a row (even rows with problems), 1 when every row was
written (CSV, feedback, report, journal) but ``gradebook.db`` could not be (the message names the
file and the fix), 2 when the command line or the SUBMISSIONS_DIR layout is wrong (the message
names the problem and the fix).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder import sandbox

#: TensorFlow's C++ start-up chatter stays out of the grader's output (it never changes a score).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="autograder", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="the course folder (holds notebooks/ and gradebook.db); default: .")
    sub = parser.add_subparsers(dest="command", required=True)
    rel = sub.add_parser("release", help="student versions into release/ASSIGNMENT/")
    rel.add_argument("assignment")
    grade = sub.add_parser("grade", help="grade SUBMISSIONS_DIR/<student_id>/ASSIGNMENT/*.ipynb")
    grade.add_argument("assignment")
    grade.add_argument("submissions_dir", type=Path)
    grade.add_argument("--csv", type=Path, required=True, help="where to write the grades")
    grade.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1),
                       help="submissions graded in parallel (default: 2, or 1 on one core)")
    grade.add_argument("--timeout", type=float, default=60.0,
                       help="seconds one cell may run (a graded call gets a third of it)")
    grade.add_argument("--submission-timeout", type=float, default=300.0,
                       help="seconds one submission may run in total")
    grade.add_argument("--memory", type=int, default=4096, help="MB of memory for learner code")
    grade.add_argument("--no-feedback", action="store_true", help="skip the feedback HTML")
    grade.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    root = args.root.resolve()
    if args.command == "release":
        from autograder.release import ReleaseError, release

        try:
            out = release(args.assignment, root)
        except ReleaseError as exc:
            print(f"autograder release: {exc}", file=sys.stderr)
            return 2
        print(f"released {args.assignment} to {out}")
        return 0
    return _grade(args, root)


def _grade(args, root: Path) -> int:
    from autograder.batch import LayoutError, grade_batch
    from autograder.gradebook import GradebookError
    from autograder.journal import BusyError

    if args.workers < 1 or args.timeout <= 0 or args.memory < 256:
        print("autograder grade: --workers must be ≥ 1, --timeout > 0 and --memory ≥ 256 (MB)",
              file=sys.stderr)
        return 2
    limits = sandbox.Limits(cell_timeout=args.timeout, call_timeout=max(args.timeout / 3, 1.0),
                            submission_timeout=args.submission_timeout, memory_mb=args.memory)
    try:
        spec, results = grade_batch(args.assignment, root, args.submissions_dir,
                                    workers=args.workers, limits=limits,
                                    progress=not args.no_progress)
    except GradebookError as exc:  # every grade exists: write the outputs, then say what failed
        code = _write_outputs(args, root, exc.assignment, exc.results)
        print(f"autograder grade: {exc}", file=sys.stderr)
        return max(code, 1)
    except (LayoutError, BusyError, ValueError) as exc:
        print(f"autograder grade: {exc}", file=sys.stderr)
        return 2
    return _write_outputs(args, root, spec, results)


def _write_outputs(args, root: Path, spec, results: list[dict]) -> int:
    """The CSV, feedback pages and class report of a finished batch."""
    from autograder.export import write_csv
    from autograder.feedback import write_feedback
    from autograder.report import summary, write_report

    exercises = list(spec.exercises)
    write_csv(args.csv, exercises, results)
    if not args.no_feedback:
        for failure in write_feedback(root, args.assignment, results)[1]:
            print(f"autograder grade: {failure}", file=sys.stderr)
    stem = args.csv.with_suffix("")
    write_report(Path(f"{stem}_report.png"), Path(f"{stem}_summary.txt"), args.assignment,
                 exercises, results)
    print(summary(args.assignment, exercises, results), end="")
    print(f"isolation: {sandbox.isolation_level()}; grades: {args.csv}; report: {stem}_report.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
