"""Grading throughput: plain ``nbgrader autograde`` against ``autograder grade``, in one run.

    .venv/bin/python benchmarks/grading.py [N] [--workers W]

Makes N week-1 submissions (a mix of correct, partly right and broken; default 8) in a fresh
course folder, grades them with ``nbgrader autograde`` (hidden tests run in each learner's kernel,
every cell run) and with ``autograder grade`` (the same cases judged outside learner code;
``autograder:skip`` cells not run; W sandboxes in parallel), and prints seconds per submission for
each, their ratio, and whether the scores of the honest submissions agree; then where
``autograder``'s time went (from its journal): each sandbox phase per submission (start, the first
cell's imports, the other cells, the graded calls, exit), the grader's own work per submission, and
the batch's fixed cost.

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
from pathlib import Path

import nbformat

from autograder.gradebook import GradebookWriter
from autograder.grading import load_assignment
from autograder.results import SubmissionResult
from autograder.runner import PHASES

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


def run_autograder(course: Path, workers: int) -> tuple[float, dict[str, dict]]:
    out = course / "autograder.csv"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "autograder.cli", "--root", str(course / "ag"), "grade",
                    ASSIGNMENT, str(course / "submitted"), "--csv", str(out), "--workers",
                    str(workers), "--no-progress", "--no-feedback"],
                   env=_env(), check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    with out.open(newline="") as f:
        return seconds, {r["student_id"]: r for r in csv.DictReader(f)}


def phase_table(course: Path, seconds: float, workers: int) -> list[str]:
    """Where ``autograder grade``'s time went, from the journal: each sandbox phase's mean over
    the submissions, and the batch's fixed cost (start-up check, gradebook, outputs): the wall
    time less the submissions' own time shared among the workers."""
    results = [SubmissionResult.from_json(json.loads(p.read_text())["result"])
               for p in (course / "ag" / ".autograder" / ASSIGNMENT).glob("*.json")]
    n = len(results)
    lines = [f"{'autograder phase':<22}{'s/submission':>14}"]
    for name in PHASES:
        mean = sum(r.phases.get(name, 0.0) for r in results) / n
        lines.append(f"  {name:<20}{mean:>14.3f}")
    own = sum(r.seconds for r in results)
    lines.append(f"  {'grader itself':<20}{(own - sum(sum(r.phases.values()) for r in results)) / n:>14.3f}")
    lines.append(f"{'batch fixed cost':<22}{max(seconds - own / workers, 0.0):>14.2f} s "
                 "(start-up check, gradebook, CSV, report)")
    lower = sum(r.phases.get("other cells", 0.0) + r.phases.get("cases", 0.0) for r in results) / n
    lines.append(f"learner cells after the imports + cases (the work itself): {lower:.3f} s/submission")
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
        # autograder's own course folder (separate gradebook), same source notebooks.
        shutil.copytree(course / "notebooks", course / "ag" / "notebooks")
        ag_seconds, ag_rows = run_autograder(course, args.workers)
        phases = phase_table(course, ag_seconds, args.workers)
        nb_seconds, nb_scores = run_nbgrader(course, list(kinds))
    points = load_assignment(ROOT, ASSIGNMENT).points
    partly = {s for s, row in ag_rows.items()
              if any(0 < float(row[ex]) < p for ex, p in points.items())}
    exact = all(abs(float(ag_rows[s]["score"]) - nb_scores[s]) < 1e-6 for s in kinds if s not in partly)
    per_exercise = all(abs(all_or_nothing(ag_rows[s], points) - nb_scores[s]) < 1e-6 for s in kinds)
    agree = exact and per_exercise
    per_nb, per_ag = nb_seconds / args.n, ag_seconds / args.n
    print(f"{args.n} submissions ({', '.join(k for k, _ in MIX)}), {os.cpu_count()} cores, "
          f"autograder --workers {args.workers}")
    print(f"{'grader':<22}{'s/submission':>14}")
    print(f"{'nbgrader autograde':<22}{per_nb:>14.2f}")
    print(f"{'autograder grade':<22}{per_ag:>14.2f}")
    print(f"speed-up: {per_nb / per_ag:.2f}x")
    print(f"honest scores agree: {agree} (exact on the {args.n - len(partly)} without a partly right "
          f"exercise: {exact}; per exercise, all-or-nothing, on all {args.n}: {per_exercise})")
    print("\n".join(phases))
    if not agree:
        for s in kinds:
            print(f"  {s}: nbgrader {nb_scores[s]:g}, autograder {ag_rows[s]['score']}")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
