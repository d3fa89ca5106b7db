"""``autograder``: release an assignment and grade a class (see docs/instructor_guide.md).

    autograder release ASSIGNMENT
    autograder release-course OUT_DIR
    autograder grade ASSIGNMENT SUBMISSIONS_DIR --csv OUT.csv [--workers N] [--timeout S] [--memory MB]
                     [--scheduler tcp://HOST:8786]
    autograder collect ASSIGNMENT DOWNLOAD --from canvas|moodle|blackboard|folder [--roster FILE]
    autograder export ASSIGNMENT... --to canvas|moodle|csv [--roster FILE] [--out FILE]
    autograder similarity ASSIGNMENT [SUBMISSIONS_DIR] [--out DIR] [--threshold F]

``grade`` exits 0 when every submission got a row (even rows with problems), 1 when every row was
written (CSV, feedback, report, journal) but ``gradebook.db`` could not be (the message names the
file and the fix), 2 when the command line, an output path or the SUBMISSIONS_DIR layout is wrong
(the message names the problem and the fix; output paths are checked before anything is graded).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder.contract.limits import Limits
from autograder.sandbox import cgroups, template
from autograder.sandbox.isolation import isolation_report

#: TensorFlow's C++ start-up chatter stays out of the grader's output (it never changes a score).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _parser() -> argparse.ArgumentParser:
    # Each option with a value says its default through "%(default)s" (argparse fills it in);
    # ArgumentDefaultsHelpFormatter would also print "(default: None/False)" for flags.
    parser = argparse.ArgumentParser(prog="autograder", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="the course folder (holds notebooks/ and gradebook.db); "
                             "default: %(default)s")
    sub = parser.add_subparsers(dest="command", required=True)
    rel = sub.add_parser("release", help="student versions into release/ASSIGNMENT/")
    rel.add_argument("assignment")
    course = sub.add_parser("release-course",
                            help="the student edition of the whole course into OUT_DIR (a new folder)")
    course.add_argument("out_dir", type=Path)
    course.add_argument("--install-from", default=None, metavar="SOURCE",
                        help="where Colab installs the edition's course_utils from: its published "
                             "git URL (git+https://…) or a wheel's URL, as pip takes it; without "
                             "it, the notebooks' Colab cell asks the learner for the address")
    sol = sub.add_parser("release-solutions",
                         help="ASSIGNMENT's solutions and the worked answers the student edition "
                              "withheld for it, into solutions/ASSIGNMENT/ (after the deadline)")
    sol.add_argument("assignment")
    sol.add_argument("--out", type=Path, default=None,
                     help="a new folder to write them to; default: solutions/ASSIGNMENT/")
    sol.add_argument("--before-deadline", action="store_true",
                     help="release them although a deadline in autograder.toml is still ahead")
    grade = sub.add_parser("grade", help="grade SUBMISSIONS_DIR/<student_id>/ASSIGNMENT/*.ipynb")
    grade.add_argument("assignment")
    grade.add_argument("submissions_dir", type=Path)
    # A string, not a Path: Path("grades/") drops the slash that says "a folder".
    grade.add_argument("--csv", required=True,
                       help="the grades file to write (the report goes beside it)")
    grade.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1),
                       help="submissions graded in parallel; default: %(default)s on this "
                            "machine (2, or 1 on one core)")
    grade.add_argument("--timeout", type=float, default=60.0,
                       help="seconds one cell may run (a graded call gets a third of it); "
                            "default: %(default)s")
    grade.add_argument("--submission-timeout", type=float, default=300.0,
                       help="seconds one submission may run in total; default: %(default)s")
    grade.add_argument("--memory", type=int, default=4096, help="MB of memory (address space) for learner code; default: %(default)s")
    grade.add_argument("--scheduler", metavar="ADDRESS",
                       help="grade on the workers of the Dask scheduler at ADDRESS (e.g. "
                            "tcp://HOST:8786; needs the cluster extra); --workers is then ignored: the "
                            "workers' threads or sandbox resources decide; default: grade here")
    grade.add_argument("--no-template", action="store_true",
                       help="start a fresh Python in each submission's sandbox instead of forking "
                            "it from a sandbox that imported TensorFlow once (slower; same grades)")
    grade.add_argument("--no-feedback", action="store_true", help="skip the feedback HTML")
    grade.add_argument("--no-progress", action="store_true", help="no progress bar")
    _collect_parser(sub)
    _export_parser(sub)
    _similarity_parser(sub)
    return parser


def _collect_parser(sub) -> None:
    col = sub.add_parser("collect", help="an LMS bulk download into SUBMITTED/<student>/ASSIGNMENT/",
                         description="Read an LMS's bulk download of ASSIGNMENT (the zip, or the "
                         "folder it was unpacked into) and write the submitted/ layout `grade` "
                         "reads, with timestamp.txt where the download says when. Prints what "
                         "was collected, late, kept or not, and why.")
    col.add_argument("assignment")
    col.add_argument("download", type=Path, help="the zip the LMS gave you, or its unpacked folder")
    col.add_argument("--from", dest="lms", choices=["canvas", "moodle", "blackboard", "folder"],
                     help="the LMS whose file naming the download has (required unless --pattern)")
    col.add_argument("--pattern", metavar="REGEX",
                     help="any other naming: a regex searched in each path, with the named group "
                          "(?P<student>...) and optionally name, file, late, timestamp")
    col.add_argument("--roster", type=Path, metavar="FILE",
                     help="the LMS's class list (Canvas gradebook export, Moodle grading "
                          "worksheet, Blackboard Grade Center export, or a CSV with student_id "
                          "and lms_id): maps LMS ids to course ids, lists who submitted nothing")
    col.add_argument("--into", type=Path, default=Path("submitted"),
                     help="the submissions folder to write (relative to --root); default: "
                          "%(default)s")
    col.add_argument("--timezone", metavar="ZONE",
                     help="the zone of times the download writes without one (Blackboard's file "
                          "names, Moodle's worksheet); default: [late] timezone of "
                          "autograder.toml, else this machine's")
    col.add_argument("--no-progress", action="store_true", help="no progress lines")


def _similarity_parser(sub) -> None:
    sim = sub.add_parser("similarity", help="pairs of submissions that are suspiciously alike, "
                         "side by side in HTML (computed locally)",
                         description="Compare every pair of learners' solution cells of ASSIGNMENT "
                         "(names normalised, comments ignored, the starter code and the class's "
                         "common idiom removed) and write similarity/ASSIGNMENT/index.html, a page "
                         "per listed pair and similarity.csv. Nothing leaves this machine.")
    sim.add_argument("assignment")
    sim.add_argument("submissions_dir", type=Path, nargs="?", default=Path("submitted"),
                     help="SUBMISSIONS_DIR/<student_id>/ASSIGNMENT/*.ipynb; default: %(default)s")
    sim.add_argument("--out", type=Path, default=None, metavar="DIR",
                     help="the folder to write; default: similarity/ASSIGNMENT/")
    sim.add_argument("--threshold", type=float, default=0.6,
                     help="flag a pair when this share (0-1) of either learner's own code is in "
                          "the other's; default: %(default)s")
    sim.add_argument("--min-shared", type=int, default=100, metavar="CHARS",
                     help="and at least this many normalised characters are shared; "
                          "default: %(default)s")
    sim.add_argument("--common-share", type=float, default=0.5, metavar="F",
                     help="a passage more than this share (0-1) of the class wrote is the common "
                          "idiom, never copying; default: %(default)s")
    sim.add_argument("--no-progress", action="store_true", help="no progress lines")


def _export_parser(sub) -> None:
    exp = sub.add_parser("export", help="final scores (from the journal) as the LMS imports them",
                         description="Write the final scores of ASSIGNMENT(s), recomputed from "
                         "the journal with the late rules, extensions and overrides in force "
                         "now (nothing is graded again), as the LMS imports them.")
    exp.add_argument("assignments", nargs="+", metavar="ASSIGNMENT")
    exp.add_argument("--to", required=True, choices=["canvas", "moodle", "csv"],
                     help="canvas: a gradebook import CSV; moodle: the assignment's grading "
                          "worksheet; csv: every assignment's final score, one row per student")
    exp.add_argument("--roster", type=Path, metavar="FILE",
                     help="Canvas's gradebook export or Moodle's grading worksheet (matched by "
                          "id; its students with no grade are listed)")
    exp.add_argument("--out", type=Path, metavar="FILE",
                     help="the file to write; default: grades/<assignment>_<to>.csv")
    exp.add_argument("--feedback-zip", type=Path, metavar="FILE",
                     help="also pack the feedback pages for the LMS's bulk feedback upload "
                          "(Canvas: Re-Upload Submissions; Moodle: feedback files zip)")


def main(argv: list[str] | None = None) -> int:
    without_iri_format_checker()
    args = _parser().parse_args(argv)
    root = args.root.resolve()
    if args.command == "release":
        from autograder.authoring.release import ReleaseError, release

        try:
            out = release(args.assignment, root)
        except ReleaseError as exc:
            print(f"autograder release: {exc}", file=sys.stderr)
            return 2
        print(f"released {args.assignment} to {out}")
        return 0
    if args.command == "release-course":
        from autograder.authoring.course_edition import EditionError, build_student_edition
        from autograder.authoring.release import ReleaseError

        try:
            out = build_student_edition(root, args.out_dir, args.install_from)
        except (EditionError, ReleaseError) as exc:
            print(f"autograder release-course: {exc}", file=sys.stderr)
            return 2
        print(f"student edition of the course in {out} (try: cd {out} && make test)")
        return 0
    if args.command == "release-solutions":
        return _release_solutions(args, root)
    if args.command == "collect":
        return _collect(args, root)
    if args.command == "export":
        return _export(args, root)
    if args.command == "similarity":
        return _similarity(args, root)
    return _grade(args, root)


def _release_solutions(args, root: Path) -> int:
    from autograder.authoring.solutions import SolutionsError, release_solutions
    from autograder.records.late import LateRulesError

    try:
        done = release_solutions(root, args.assignment, args.out,
                                 before_deadline=args.before_deadline)
    except (SolutionsError, LateRulesError) as exc:
        print(f"autograder release-solutions: {exc}", file=sys.stderr)
        return 2
    print(f"solutions of {args.assignment} in {done.folder}:")
    for name in done.assignments:
        print(f"  {name} (solved)")
    for name in done.lessons:
        print(f"  {name} (with the worked answers the student edition withheld)")
    if done.deadline is None:
        print("  no deadline for it in autograder.toml: released as asked")
    return 0


def _collect(args, root: Path) -> int:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from autograder.intake.archive import ArchiveError
    from autograder.intake.collect import CollectError, collect
    from autograder.intake.lms_formats import compile_pattern
    from autograder.records.late import LateRulesError, load_rules
    from autograder.records.roster import RosterError, read_roster

    def fail(message: str) -> int:
        print(f"autograder collect: {message}; nothing was collected", file=sys.stderr)
        return 2

    if not args.lms and not args.pattern:
        return fail("say which LMS the download comes from: --from canvas, moodle, blackboard "
                    "or folder (or give --pattern REGEX)")
    try:
        pattern = compile_pattern(args.pattern) if args.pattern else None
        roster = read_roster(args.roster) if args.roster else None
        zone_name = args.timezone
        if zone_name is None:
            zone_name = load_rules(root).zone_name
        zone = ZoneInfo(zone_name) if zone_name else None
    except (ValueError, RosterError, LateRulesError) as exc:
        return fail(str(exc))
    except ZoneInfoNotFoundError:
        return fail(f"--timezone {zone_name} is unknown: use an IANA name such as Europe/London")
    into = args.into if args.into.is_absolute() else root / args.into

    def progress(n: int, total: int) -> None:
        if not args.no_progress and (n == total or n % 25 == 0):
            print(f"collecting: {n}/{total} students", file=sys.stderr)

    try:
        summary = collect(args.assignment, args.download, args.lms or "folder", into, root,
                          roster=roster, pattern=pattern, zone=zone, progress=progress)
    except (ArchiveError, CollectError) as exc:
        return fail(str(exc))
    print(summary.text(), end="")
    return 0


def _similarity(args, root: Path) -> int:
    from autograder.authoring.similarity import Graded, class_similarity
    from autograder.authoring.similarity_page import write_report
    from autograder.grading.assignment import load_assignment
    from autograder.intake.submissions import submissions_problem

    def fail(message: str) -> int:
        print(f"autograder similarity: {message}", file=sys.stderr)
        return 2

    for name, value in (("--threshold", args.threshold), ("--common-share", args.common_share)):
        if not 0 < value <= 1:
            return fail(f"{name} {value} is not a share: give a number above 0 and at most 1, "
                        "e.g. 0.6")
    if args.min_shared < 0:
        return fail(f"--min-shared {args.min_shared} is negative: give a number of characters, "
                    "e.g. 100")
    submissions = args.submissions_dir if args.submissions_dir.is_absolute() \
        else root / args.submissions_dir
    try:
        assignment = load_assignment(root, args.assignment)
    except ValueError as exc:
        return fail(str(exc))
    problem = submissions_problem(submissions, args.assignment)
    if problem:
        return fail(problem)
    out = args.out or Path("similarity") / args.assignment
    out = out if out.is_absolute() else root / out
    if out.exists() and not out.is_dir():
        return fail(f"--out {out} is a file: name a folder, e.g. --out similarity/{args.assignment}")

    def progress(n: int, total: int) -> None:
        if not args.no_progress and (n == total or n % 25 == 0):
            print(f"reading: {n}/{total} students", file=sys.stderr)

    graded = Graded(assignment.name, assignment.sources, assignment.released)
    report = class_similarity(graded, submissions, threshold=args.threshold,
                              min_shared=args.min_shared, common_share=args.common_share,
                              progress=progress)
    try:
        index = write_report(report, out)
    except OSError as exc:
        return fail(f"cannot write the report into {out} ({exc.strerror}): choose another --out")
    print(f"{len(report.students)} learners compared, {len(report.pairs)} pairs share code, "
          f"{len(report.flagged)} flagged")
    for p in report.flagged:
        print(f"  {p.a} and {p.b}: {100 * p.score:.0f} %")
    for u in report.unread:
        print(f"  not compared: {u.student} ({u.why})")
    print(f"report: {index}")
    return 0


def _export(args, root: Path) -> int:
    from autograder.records.late import LateRulesError
    from autograder.records.lms_export import ExportError, export
    from autograder.records.roster import RosterError, read_roster

    name = args.assignments[0] if len(args.assignments) == 1 else "course"
    out = args.out or Path("grades") / f"{name}_{args.to}.csv"
    out = out if out.is_absolute() else root / out
    if out.is_dir():
        print(f"autograder export: --out {out} is a folder: name the file, e.g. --out "
              f"{out / (name + '_' + args.to + '.csv')}", file=sys.stderr)
        return 2
    try:
        roster = read_roster(args.roster) if args.roster else None
        reports = export(args.assignments, args.to, root, out, roster, args.feedback_zip)
    except (ExportError, RosterError, LateRulesError) as exc:
        print(f"autograder export: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"autograder export: could not write {exc.filename} ({exc.strerror}): fix the path "
              "and run the same command again", file=sys.stderr)
        return 2
    for report in reports:
        print(report.text(), end="")
    return 0


def without_iri_format_checker() -> None:
    """Let this process's ``jsonschema`` go without its ``iri`` format checker.

    jsonschema adds that checker only when ``rfc3987_syntax`` imports (the Jupyter server's
    dependencies install it), and that import compiles 38 grammars: 1.1 s of every process that
    imports nbformat, measured here, against 0.13 s for the rest of nbformat. No notebook schema
    uses the format, so the grader marks the module absent (an import of it raises
    ``ImportError``, which jsonschema expects) before anything imports jsonschema.
    """
    sys.modules.setdefault("rfc3987_syntax", None)


def _grade(args, root: Path) -> int:
    from autograder.grading.batch import LayoutError, grade_batch
    from autograder.records.gradebook import GradebookError
    from autograder.records.journal import BusyError
    from autograder.records.outputs import GradeOutputs, csv_argument_problem, output_problem

    if args.workers < 1 or args.timeout <= 0 or args.memory < 256:
        print("autograder grade: --workers must be ≥ 1, --timeout > 0 and --memory ≥ 256 (MB)",
              file=sys.stderr)
        return 2
    outputs = GradeOutputs.beside(Path(args.csv), root, feedback=not args.no_feedback)
    problem = csv_argument_problem(args.csv, args.assignment) or output_problem(outputs)
    if problem:
        print(f"autograder grade: {problem}; nothing was graded", file=sys.stderr)
        return 2
    limits = Limits(cell_timeout=args.timeout, call_timeout=max(args.timeout / 3, 1.0),
                            submission_timeout=args.submission_timeout, memory_mb=args.memory,
                            template=not args.no_template)
    problem = _startup_check(args, root)
    if problem:
        print(f"autograder grade: {problem}", file=sys.stderr)
        return 2
    cluster = None
    if args.scheduler:
        from autograder.grading.cluster import ClusterError, connect

        try:
            cluster = connect(args.scheduler)
        except ClusterError as exc:
            print(f"autograder grade: {exc}; nothing was graded", file=sys.stderr)
            return 2
        isolation = cluster.isolation()
        print(f"grading on {args.scheduler}: {cluster.slots} sandboxes at once; "
              f"dashboard: {cluster.dashboard}; isolation on the workers: {isolation}",
              file=sys.stderr)
    else:
        isolation = isolation_report()
    try:
        spec, results = grade_batch(args.assignment, root, args.submissions_dir,
                                    workers=cluster.slots if cluster else args.workers,
                                    limits=limits, progress=not args.no_progress,
                                    run=cluster.run if cluster else None)
    except GradebookError as exc:  # every grade exists: write the outputs, then say what failed
        code = _write_outputs(args, root, outputs, exc.assignment, exc.results, isolation)
        print(f"autograder grade: {exc}", file=sys.stderr)
        return max(code, 1)
    except (LayoutError, BusyError, ValueError) as exc:
        print(f"autograder grade: {exc}", file=sys.stderr)
        return 2
    finally:
        if cluster:
            cluster.close()
    return _write_outputs(args, root, outputs, spec, results, isolation)


def _write_outputs(args, root: Path, outputs, spec, results: list[dict], isolation: str) -> int:
    """The CSV, feedback pages and class report of a finished batch; ``isolation``: where the
    sandboxes ran, as :func:`autograder.sandbox.isolation.isolation_report` says (the workers' on a
    cluster)."""
    from autograder.records.feedback import write_feedback
    from autograder.records.grades_csv import write_csv
    from autograder.records.report import summary, write_report

    exercises = list(spec.exercises)
    n_cases = {ex: len(spec.cases[ex]) for ex in exercises}
    finals = _late_finals(root, args.assignment, results)
    try:
        write_csv(outputs.csv, exercises, results, finals)
        if outputs.feedback is not None:
            for failure in write_feedback(root, args.assignment, results)[1]:
                print(f"autograder grade: {failure}", file=sys.stderr)
        write_report(outputs.report_png, outputs.summary_txt, args.assignment,
                     n_cases, results)
    except OSError as exc:
        # Checked before grading, so this is a race (e.g. a folder removed meanwhile).
        print(f"autograder grade: could not write the outputs ({exc}); every grade is kept in "
              f"{root / '.autograder' / args.assignment}: fix the path and run the same command "
              "again (nothing is graded twice)", file=sys.stderr)
        return 2
    print(summary(args.assignment, n_cases, results), end="")
    limits = Limits(memory_mb=args.memory, template=not args.no_template)
    starts = template.describe(limits)
    if args.scheduler:
        starts = ("runs forked from templates on workers with bubblewrap" if limits.template
                  else "a fresh Python process per run")
    print(f"isolation: {isolation}; {starts}; "
          f"limits: {limits_in_force(limits)}; grades: {outputs.csv}; report: {outputs.report_png}")
    return 0


def _late_finals(root: Path, assignment: str, results: list) -> dict | None:
    """The final scores under the course's late rules and overrides (autograder.toml), or None."""
    from autograder.records.late import LateRulesError, finals

    try:
        return finals(root, assignment, results)
    except LateRulesError as exc:
        print(f"autograder grade: warning: late rules not applied ({exc}); fix it, then "
              f"`autograder export {assignment} --to csv` recomputes from the journal",
              file=sys.stderr)
        return None


def _startup_check(args, root: Path) -> str | None:
    """Before grading anyone: remove the cgroups a killed grader left, and check ``--memory``
    against what the assignment's imports need (measured once, cached). Why not to go on, or
    ``None``."""
    from autograder.grading.assignment import load_assignment
    from autograder.sandbox.memory import MeasureError, check

    cgroups.remove_leftovers()
    try:
        # The grading runs' folder and places: the template made to measure is then reused.
        places = {"course_root": root, "submissions_dir": args.submissions_dir}
        return check(load_assignment(root, args.assignment).sources, root, args.memory,
                     args.assignment, places, templates=not args.no_template)
    except ValueError:
        return None  # grade_batch reports a wrong assignment, with its fix
    except MeasureError as exc:
        print(f"autograder grade: warning: --memory not checked: {exc}", file=sys.stderr)
        return None


def limits_in_force(limits: Limits) -> str:
    """The per-submission limits in force on this machine, as the isolation line prints them."""
    controllers = cgroups.available()
    parts = [f"{limits.memory_mb} MB address space per process"]
    if "memory" in controllers:
        parts.append(f"{limits.memory_mb} MB memory per submission (processes and tmpfs)")
    parts.append("1 core per submission" if "cpu" in controllers else "no CPU limit per submission")
    if "pids" in controllers:
        parts.append(f"{limits.max_pids} processes")
    used = ", ".join(controllers) if controllers else "not writable here"
    return ", ".join(parts) + f" (cgroups: {used})"


if __name__ == "__main__":
    sys.exit(main())
