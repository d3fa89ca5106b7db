"""Grading throughput: plain ``nbgrader autograde`` against ``autograder grade``, in one run.

    .venv/bin/python benchmarks/grading.py [N] [--workers W]

Makes N week-1 submissions (a mix of correct, partly right and broken; default 8) in a fresh
course folder, grades them with ``nbgrader autograde`` (hidden tests run in each learner's kernel,
every cell run), with ``autograder grade --no-template`` (a fresh Python in each sandbox) and with
``autograder grade`` (each sandbox's process forked from a template that imported TensorFlow once,
:mod:`autograder.sandbox.template`) — the same cases judged outside learner code, ``autograder:skip``
cells not run, W sandboxes in parallel — and prints seconds per submission for each, the speed-ups
over nbgrader, and whether the scores of the honest submissions agree; then where each
``autograder``'s time went (from its journal), per submission: the sandbox starting (bubblewrap
alone, measured here), the interpreter starting (until the harness is ready), the imports (the
first cell), the learner's other cells, the graded calls, the exit and the grader's own work; the
batch's fixed cost (start-up check, templates, writing the gradebook, CSV and report); and the
lower bound (the learner's cells after the imports plus the cases) with each mode's ratio to it.

Honest submissions (no cheating, nothing broken in the notebook itself) must get identical
scores wherever an exercise is all right or all wrong. A partly right exercise is where the two
differ by design: nbgrader's test cell is all-or-nothing (one failed case fails the cell), while
``autograder`` splits an exercise's points across its cases. So the benchmark compares nbgrader's
totals with ``autograder``'s exact totals on submissions without a partly right exercise, and with
``autograder``'s totals counted all-or-nothing per exercise on every submission.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.contract.results import SubmissionResult
from autograder.grading.assignment import load_assignment
from autograder.records.gradebook import GradebookWriter
from autograder.sandbox.runner import PHASES, TEMPLATE_START

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = "week1"
NB_NAME = "05_assignment_binary_digits.ipynb"


def source_notebook() -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "notebooks" / ASSIGNMENT / NB_NAME, as_version=4)


def replace(nb, grade_id: str, code: str) -> None:
    """Give the cell with nbgrader ``grade_id`` the text ``code``."""
    next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id).source = code


# Honest answers, partly right or wrong (tests/autograder_fixtures.py has the hostile ones).
WRONG_DENSE = "def dense(a_in, W, b, g):\n    return g(a_in @ W + b) + 1.0\n"
DENSE_V_BIAS_AFTER_G = "def dense_v(A_in, W, b, g):\n    return g(np.matmul(A_in, W)) + b\n"
FORWARD_V_STANDALONE = (
    "def forward_v(X, layers):\n    A = X\n    for W, b, g in layers:\n"
    "        A = g(np.matmul(A, W) + b)\n    return A\n"
)


def _correct(nb):
    return nb


def _partial(nb):
    replace(nb, "dense_v", DENSE_V_BIAS_AFTER_G)
    replace(nb, "forward_v", FORWARD_V_STANDALONE)
    return nb


def _wrong_dense(nb):
    replace(nb, "dense", WRONG_DENSE)
    return nb


def _broken(nb):
    replace(nb, "sequential", "def sequential(x, layers):\n    raise ValueError('todo')\n")
    return nb


#: (kind, maker): all honest (no cheating), some wrong or broken; cycled over the N students.
MIX = [("correct", _correct), ("partial", _partial), ("wrong_dense", _wrong_dense),
       ("broken", _broken)]


def make_course(n: int, where: Path) -> tuple[Path, dict[str, str]]:
    shutil.copytree(ROOT / "notebooks" / ASSIGNMENT, where / "notebooks" / ASSIGNMENT)
    (where / "nbgrader_config.py").write_text(
        "from autograder.config import configure\nconfigure(get_config())\n"
    )
    kinds = {}
    for i in range(n):
        kind, make = MIX[i % len(MIX)]
        student = f"s{i:03d}_{kind}"
        folder = where / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(make(source_notebook()), folder / NB_NAME)
        kinds[student] = kind
    return where, kinds


def _env() -> dict:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def run_nbgrader(course: Path, students: list[str]) -> tuple[float, dict[str, float]]:
    """``nbgrader generate_assignment`` (untimed: it fills the gradebook), then ``autograde``."""
    env = _env()
    _quiet([sys.executable, "-m", "nbgrader", "generate_assignment", ASSIGNMENT, "--force",
            "--log-level=ERROR"], course, env)
    started = time.perf_counter()
    _quiet([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--force",
            "--log-level=ERROR"], course, env)
    seconds = time.perf_counter() - started
    spec = load_assignment(course, ASSIGNMENT)
    writer = GradebookWriter(course, spec)
    try:
        scores = {s: float(writer.gb.find_submission(ASSIGNMENT, s).score) for s in students}
    finally:
        writer.close()
    return seconds, scores


def _quiet(cmd: list[str], cwd: Path, env: dict) -> None:
    """Run ``cmd``; its output (kernels' TensorFlow chatter) is shown only if it fails."""
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"failed: {' '.join(cmd[:4])}")


#: autograder's two ways of starting a sandbox's process: (label, course folder, extra options).
MODES = [("autograder --no-template", "ag-fresh", ["--no-template"]),
         ("autograder (templates)", "ag", [])]


def run_autograder(course: Path, folder: str, options: list[str],
                   workers: int) -> tuple[float, dict[str, dict], float]:
    """``autograder release`` (untimed: it fills the gradebook, as ``generate_assignment`` does
    for nbgrader), then ``autograder grade``: its wall seconds and rows, and the seconds of the
    same command run again, when every grade comes from the journal (starting the command and
    writing the outputs: the gradebook, CSV and report)."""
    shutil.copytree(course / "notebooks", course / folder / "notebooks")
    _quiet([sys.executable, "-m", "autograder.cli", "--root", str(course / folder), "release",
            ASSIGNMENT], course, _env())
    out = course / f"{folder}.csv"
    started = time.perf_counter()
    command = [sys.executable, "-m", "autograder.cli", "--root", str(course / folder), "grade",
               ASSIGNMENT, str(course / "submitted"), "--csv", str(out), "--workers",
               str(workers), "--no-progress", "--no-feedback", *options]
    subprocess.run(command, env=_env(), check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    with out.open(newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    started = time.perf_counter()
    subprocess.run(command, env=_env(), check=True, stdout=subprocess.DEVNULL)
    return seconds, rows, time.perf_counter() - started


def sandbox_start_seconds(times: int = 5) -> float:
    """Mean seconds for bubblewrap alone to set up the sandbox and run ``true`` in it."""
    from autograder.sandbox import command, isolation

    if isolation.isolation_level() != "bubblewrap":
        return 0.0
    started = time.perf_counter()
    for _ in range(times):
        subprocess.run(command.bwrap_prefix() + ["true"], check=True)
    return (time.perf_counter() - started) / times


@dataclass
class Breakdown:
    """Where one mode's time went, in seconds per submission (means over the journal's rows)."""

    phases: dict[str, float]
    grader: float
    own: float  # a submission's own time: its sandbox runs and the grader's work on it
    fixed: float  # the batch's: wall time less the submissions' own time shared among workers
    templates: list[float]  # seconds each template took to start (a worker's, not a submission's)
    outputs: float = 0.0  # a re-run from the journal: the command's start and writing the outputs

    @property
    def lower_bound(self) -> float:
        """The work itself: the learner's cells after the imports, plus the graded calls."""
        return self.phases["other cells"] + self.phases["cases"]


def breakdown(course: Path, folder: str, seconds: float, workers: int) -> Breakdown:
    results = [SubmissionResult.from_json(json.loads(p.read_text())["result"])
               for p in (course / folder / ".autograder" / ASSIGNMENT).glob("*.json")]
    n = len(results)
    phases = {name: sum(r.phases.get(name, 0.0) for r in results) / n for name in PHASES}
    templates = [r.phases[TEMPLATE_START] for r in results if r.phases.get(TEMPLATE_START)]
    # A template's start is paid once per worker: it goes to the batch's fixed cost.
    own = sum(r.seconds for r in results) - sum(templates)
    grader = (own - sum(sum(r.phases.get(p, 0.0) for p in PHASES) for r in results)) / n
    return Breakdown(phases, grader, own / n, max(seconds - own / workers, 0.0), templates)


def breakdown_table(modes: dict[str, Breakdown], bwrap: float) -> list[str]:
    """The breakdown side by side, one column per mode; the sandbox's start is split into
    bubblewrap's own (measured alone; a template pays it once, not per submission) and the
    interpreter's."""
    names = list(modes)
    lines = [f"{'where the time goes (s/submission)':<40}" + "".join(f"{n[11:]:>16}" for n in names)]

    def row(label, values, fmt="{:>16.3f}"):
        lines.append(f"  {label:<38}" + "".join(fmt.format(v) for v in values))

    fresh = [not name.endswith("(templates)") for name in names]
    row("sandbox start (bubblewrap)", [bwrap if f else 0.0 for f in fresh])
    row("interpreter start / fork", [max(b.phases["start"] - (bwrap if f else 0.0), 0.0)
                                     for b, f in zip(modes.values(), fresh)])
    labels = {"first cell": "imports (first cell)", "other cells": "learner cells",
              "cases": "cases (graded calls)", "exit": "exit"}
    for phase, label in labels.items():
        row(label, [b.phases[phase] for b in modes.values()])
    row("grader (restore, judge, journal)", [b.grader for b in modes.values()])
    row("= one submission's own time", [b.own for b in modes.values()])
    row("batch fixed cost (s, once)", [b.fixed for b in modes.values()], "{:>16.2f}")
    lines.append("    (start-up check, templates, gradebook, writing the CSV and report)")
    row("  of it: start + writing outputs (s)", [b.outputs for b in modes.values()], "{:>16.2f}")
    lines.append("    (the same command again, every grade from the journal)")
    for name, b in modes.items():
        if b.templates:
            lines.append(f"    {name}: {len(b.templates)} template(s) started during grading, "
                         f"{', '.join(f'{t:.2f}' for t in b.templates)} s (one more, if any, was "
                         "started by the start-up check and reused)")
    row("lower bound: learner cells + cases", [b.lower_bound for b in modes.values()])
    row("own time / lower bound (target ≤ 2)", [b.own / b.lower_bound if b.lower_bound else 0.0
                                                 for b in modes.values()], "{:>15.1f}x")
    return lines


def all_or_nothing(row: dict, points: dict[str, float]) -> float:
    """``row``'s total with each exercise counted only when it earned all its points."""
    return sum(p for ex, p in points.items() if float(row[ex]) >= p - 1e-9)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="grading-bench-") as tmp:
        course, kinds = make_course(args.n, Path(tmp))
        bwrap = sandbox_start_seconds()
        seconds, rows, broken_down = {}, {}, {}
        for label, folder, options in MODES:  # each its own course folder and gradebook
            seconds[label], rows[label], again = run_autograder(course, folder, options,
                                                                args.workers)
            broken_down[label] = breakdown(course, folder, seconds[label], args.workers)
            broken_down[label].outputs = again
        nb_seconds, nb_scores = run_nbgrader(course, list(kinds))
    points = load_assignment(ROOT, ASSIGNMENT).points
    agree = True
    print(f"{args.n} submissions ({', '.join(k for k, _ in MIX)}), {os.cpu_count()} cores, "
          f"autograder --workers {args.workers}")
    print(f"{'grader':<28}{'s/submission':>14}{'speed-up':>10}")
    print(f"{'nbgrader autograde':<28}{nb_seconds / args.n:>14.2f}{'1.00x':>10}")
    for label, _, _ in MODES:
        print(f"{label:<28}{seconds[label] / args.n:>14.2f}{nb_seconds / seconds[label]:>9.2f}x")
    for label, _, _ in MODES:
        ag_rows = rows[label]
        partly = {s for s, row in ag_rows.items()
                  if any(0 < float(row[ex]) < p for ex, p in points.items())}
        exact = all(abs(float(ag_rows[s]["score"]) - nb_scores[s]) < 1e-6
                    for s in kinds if s not in partly)
        per_exercise = all(abs(all_or_nothing(ag_rows[s], points) - nb_scores[s]) < 1e-6
                           for s in kinds)
        same = all(ag_rows[s]["score"] == rows[MODES[0][0]][s]["score"] for s in kinds)
        print(f"{label}: honest scores agree with nbgrader: {exact and per_exercise} (exact on the "
              f"{args.n - len(partly)} without a partly right exercise: {exact}; per exercise, "
              f"all-or-nothing, on all {args.n}: {per_exercise}); same as --no-template: {same}")
        agree = agree and exact and per_exercise and same
        if not (exact and per_exercise and same):
            for s in kinds:
                print(f"  {s}: nbgrader {nb_scores[s]:g}, autograder {ag_rows[s]['score']}")
    print("\n".join(breakdown_table(broken_down, bwrap)))
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
