"""Grading on a Dask cluster against the local pool, in one run, and how it scales.

    .venv/bin/python benchmarks/cluster.py [N] [--workers W]

Makes N week-1 submissions (the mix of ``benchmarks/grading.py``; default 8) in two copies of a
fresh course folder, grades one with ``autograder grade --workers W`` (the local pool) and the
other with ``autograder grade --scheduler`` on a ``distributed.LocalCluster`` of W one-thread
worker processes on this machine, and prints both wall times, seconds per submission and whether
every row (score, status) agrees.

Then a simulation of a real cluster from those measurements (documented in
docs/instructor_guide.md, "Grading on a cluster"): with k workers of one sandbox each, a class of
N submissions takes

    T(N, k) = F + max(ceil(N / k) * c, N * s)

where ``c`` is one submission's seconds on a worker (measured through the LocalCluster: sandbox
plus Dask's hand-over), ``s`` the instructor's own seconds per submission, taken as everything
outside the sandbox's phases (restoring the program, Dask's hand-over, judging, the journal and
gradebook writes; an upper bound of the serial part: the one process that writes the outputs is
the limit no number of workers removes), and ``F`` the batch's fixed cost (start-up check, connect,
CSV and report). It assumes workers as fast as this machine's cores and a network that moves a
job (~100 KB) in much less than ``c``.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from distributed import LocalCluster
from grading import ASSIGNMENT, make_course

from autograder.contract.results import SubmissionResult
from autograder.sandbox.runner import PHASES, TEMPLATE_START

#: Class sizes and worker counts the simulation prints.
CLASS_SIZES = (100, 1000, 5000)
WORKER_COUNTS = (1, 2, 8, 32, 128, 512)


def grade(course: Path, extra: list[str]) -> tuple[float, dict[str, dict]]:
    """Wall seconds of ``autograder grade`` on ``course`` with ``extra`` options, and its rows."""
    out = course / "grades.csv"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "autograder.cli", "--root", str(course), "grade",
                    ASSIGNMENT, str(course / "submitted"), "--csv", str(out), "--no-progress",
                    "--no-feedback", *extra],
                   env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"), check=True,
                   stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    with out.open(newline="") as f:
        return seconds, {r["student_id"]: r for r in csv.DictReader(f)}


def journal(course: Path) -> list[SubmissionResult]:
    return [SubmissionResult.from_json(json.loads(p.read_text())["result"])
            for p in (course / ".autograder" / ASSIGNMENT).glob("*.json")]


def costs(seconds: float, results: list[SubmissionResult], workers: int) -> tuple[float, float, float]:
    """(c, s, F) of the model above from one measured batch: ``c`` the mean seconds a
    submission took (its ``seconds``, measured by the grader around the remote run), ``s`` the
    part of that outside the sandbox's phases, ``F`` the wall time less the submissions' own time
    shared among the workers. A template's start (:mod:`autograder.sandbox.template`) is a worker's
    one-off cost: it counts in ``F``, not in ``c``."""
    n = len(results)
    own = sum(r.seconds - r.phases.get(TEMPLATE_START, 0.0) for r in results)
    serial = own - sum(sum(r.phases.get(p, 0.0) for p in PHASES) for r in results)
    return own / n, serial / n, max(seconds - own / workers, 0.0)


def simulate(c: float, s: float, fixed: float) -> list[str]:
    """The table of T(N, k) (hours) and throughput (submissions per minute)."""
    lines = [f"{'workers':>8}" + "".join(f"{f'N={n}':>16}" for n in CLASS_SIZES)
             + f"{'per minute':>12}"]
    for k in WORKER_COUNTS:
        cells = []
        for n in CLASS_SIZES:
            total = fixed + max(math.ceil(n / k) * c, n * s)
            cells.append(f"{total / 3600:>13.2f} h " if total >= 3600 else f"{total / 60:>13.1f} m ")
        rate = 60 / max(c / k, s)
        lines.append(f"{k:>8}" + "".join(cells) + f"{rate:>12.0f}")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cluster-bench-") as tmp:
        local, kinds = make_course(args.n, Path(tmp) / "local")
        remote = Path(tmp) / "dask"
        shutil.copytree(local, remote)
        local_seconds, local_rows = grade(local, ["--workers", str(args.workers)])
        started = time.perf_counter()
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                          host="127.0.0.1", scheduler_port=0, dashboard_address=":0",
                          silence_logs=40) as cluster:
            cluster_start = time.perf_counter() - started
            dask_seconds, dask_rows = grade(remote, ["--scheduler", cluster.scheduler_address])
        c, s, fixed = costs(dask_seconds, journal(remote), args.workers)
        local_c, _, _ = costs(local_seconds, journal(local), args.workers)
    agree = all((local_rows[k]["score"], local_rows[k]["status"])
                == (dask_rows[k]["score"], dask_rows[k]["status"]) for k in kinds)
    print(f"{args.n} week-1 submissions, {os.cpu_count()} cores, {args.workers} sandboxes at once")
    print(f"{'grader':<34}{'wall s':>8}{'s/submission':>14}{'s in one':>10}")
    print(f"{'local pool (--workers)':<34}{local_seconds:>8.1f}{local_seconds / args.n:>14.2f}"
          f"{local_c:>10.2f}")
    print(f"{'LocalCluster (--scheduler)':<34}{dask_seconds:>8.1f}{dask_seconds / args.n:>14.2f}"
          f"{c:>10.2f}")
    print(f"LocalCluster start (not in its wall time): {cluster_start:.1f} s")
    print(f"every row agrees (score, status): {agree}")
    print(f"\nsimulation, from c = {c:.2f} s per submission on a worker, s = {s:.3f} s of the "
          f"instructor's own per submission, F = {fixed:.1f} s fixed:")
    print("\n".join(simulate(c, s, fixed)))
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
