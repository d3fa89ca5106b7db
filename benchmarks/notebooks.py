"""Notebook benchmark: every course notebook, top to bottom in a fresh kernel, against a baseline.

The baseline is a bare ``python -c "import tensorflow"`` (run a few times in the same session; the
median counts), because importing TensorFlow is the floor under any notebook that uses it and
scales with the machine. Each notebook's time runs from starting its kernel to the end of its last
cell; its *ratio* is that time over the baseline and must be at most its week's target: 4.0 for
weeks 1–2, 2.0 for weeks 3–4 (the issues that added them ask for it), 3.0 for week 5, unless
``--target`` sets one target for all.

On a shared machine one run can be off by half a baseline either way, so each notebook runs
``--repeat`` times (default 3), in rounds over all the notebooks with the baseline runs spread
among them, and its median counts.

Graded notebooks are run as stored, i.e. the instructor version with its solutions and hidden
tests. Cells tagged ``raises-exception`` may fail; any other failure marks the notebook ERROR.

Usage::

    python benchmarks/notebooks.py                     # every notebook under notebooks/
    python benchmarks/notebooks.py notebooks/week1     # files or folders
    python benchmarks/notebooks.py --strict            # also exit 1 when a notebook is too slow

Exit status: 1 if any notebook failed to execute (with ``--strict``, also if any is over the
target), 2 if there was nothing to run, else 0.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
BASELINE_CODE = "import tensorflow"
TARGET_RATIO = 4.0
#: Weeks whose notebooks have a tighter (or looser) target than :data:`TARGET_RATIO`.
WEEK_TARGETS = {"week3": 2.0, "week4": 2.0, "week5": 3.0}


def target_for(path: Path) -> float:
    """The largest acceptable ratio for ``path``: its week's target, else :data:`TARGET_RATIO`."""
    return next((WEEK_TARGETS[p] for p in path.parts if p in WEEK_TARGETS), TARGET_RATIO)


@dataclass
class Result:
    path: Path
    seconds: float
    error: str | None = None
    target: float = TARGET_RATIO
    runs: tuple[float, ...] = ()

    @classmethod
    def median_of(cls, results: list[Result]) -> Result:
        """One result from several runs of the same notebook: the median time, the first error."""
        error = next((r.error for r in results if r.error), None)
        times = tuple(r.seconds for r in results)
        return cls(results[0].path, statistics.median(times), error, results[0].target, times)

    def ratio(self, baseline: float) -> float:
        return self.seconds / baseline

    def verdict(self, baseline: float) -> str:
        if self.error:
            return "ERROR"
        return "PASS" if self.ratio(baseline) <= self.target else "FAIL"


def find_notebooks(paths: list[Path]) -> list[Path]:
    """Notebooks named or found below the given files/folders, sorted, checkpoints skipped."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(path.rglob("*.ipynb"))
        elif path.suffix == ".ipynb" and path.exists():
            found.add(path)
        else:
            raise SystemExit(f"notebooks.py: {path} is neither a notebook nor a folder.")
    return sorted(p.resolve() for p in found if ".ipynb_checkpoints" not in p.parts)


def measure_baseline(runs: int) -> list[float]:
    """Wall-clock seconds of ``runs`` bare ``python -c "import tensorflow"`` processes."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", BASELINE_CODE], stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True,
        )
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise SystemExit(f"notebooks.py: the baseline failed:\n{proc.stderr[-2000:]}")
    return times


def run_notebook(path: Path, timeout: int) -> Result:
    """Execute ``path`` in a fresh ``python3`` kernel, in its own folder; time it."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    error = None
    try:
        # the kernel's own stderr (TensorFlow's C++ start-up lines) would garble the table
        client.execute(stderr=subprocess.DEVNULL)
    except CellExecutionError as exc:
        error = f"{exc.ename}: {exc.evalue}"[:200]
    except (CellTimeoutError, DeadKernelError) as exc:
        error = f"{type(exc).__name__}: {str(exc).strip()[:200]}"
    return Result(path, time.perf_counter() - start, error)


def format_table(results: list[Result], baseline: float) -> str:
    rows = [("notebook", "seconds (median)", "runs", "ratio", "target", "verdict")]
    for r in results:
        rows.append((
            str(r.path.relative_to(NOTEBOOKS) if r.path.is_relative_to(NOTEBOOKS) else r.path),
            f"{r.seconds:.1f}", " ".join(f"{t:.1f}" for t in r.runs or (r.seconds,)),
            f"{r.ratio(baseline):.2f}", f"≤ {r.target:g}", r.verdict(baseline),
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(6)]
    align = ("<", ">", ">", ">", ">", "<")

    def line(row):
        return "| " + " | ".join(f"{c:{a}{w}}" for c, a, w in zip(row, align, widths)) + " |"

    sep = "|" + "|".join(("-" * (w + 1) + ":") if a == ">" else "-" * (w + 2)
                         for a, w in zip(align, widths)) + "|"
    return "\n".join([line(rows[0]), sep, *map(line, rows[1:])])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[NOTEBOOKS],
                        help="notebooks or folders (default: every notebook under notebooks/)")
    parser.add_argument("--baseline-runs", type=int, default=3,
                        help="how many times to time the baseline (median counts; default 3, "
                             "at least --repeat)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each notebook (median counts; default 3)")
    parser.add_argument("--target", type=float, default=None,
                        help=f"largest acceptable ratio to the baseline for every notebook "
                             f"(default: the week's, {WEEK_TARGETS}, else {TARGET_RATIO:g})")
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    parser.add_argument("--strict", action="store_true",
                        help="also exit with status 1 when a notebook is over the target")
    args = parser.parse_args(argv)
    if args.baseline_runs < 1 or args.repeat < 1:
        parser.error("--baseline-runs and --repeat must be at least 1")

    # Same environment for the baseline and the kernels (the Makefile sets this too).
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    notebooks = find_notebooks(args.paths)
    if not notebooks:
        print("notebooks.py: no notebooks found.", file=sys.stderr)
        return 2

    # On a shared machine the load drifts: spread the baseline runs between the notebooks so that
    # both are measured under the same conditions.
    order = [path for _ in range(args.repeat) for path in notebooks]  # rounds over the notebooks
    baseline_runs = max(args.baseline_runs, args.repeat)
    schedule = [k * len(order) // baseline_runs for k in range(baseline_runs)]
    times: list[float] = []
    runs: dict[Path, list[Result]] = {path: [] for path in notebooks}
    for i, path in enumerate(order):
        times += measure_baseline(schedule.count(i))  # baseline runs due before this run
        print(f"running {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} ...",
              file=sys.stderr, flush=True)
        result = run_notebook(path, args.timeout)
        result.target = target_for(path) if args.target is None else args.target
        runs[path].append(result)
    results = [Result.median_of(runs[path]) for path in notebooks]
    baseline = statistics.median(times)
    print(f'baseline: python -c "{BASELINE_CODE}", median {baseline:.2f} s of '
          f"{len(times)} runs ({', '.join(f'{t:.2f}' for t in times)})", flush=True)

    print()
    print(format_table(results, baseline))
    failed = [r for r in results if r.error]
    slow = [r for r in results if not r.error and r.ratio(baseline) > r.target]
    for r in failed:
        print(f"\nERROR {r.path.name}: {r.error}")
    print(f"\n{len(results)} notebooks: {len(results) - len(failed) - len(slow)} pass, "
          f"{len(slow)} over their target ratio, {len(failed)} failed to execute.")
    return 1 if failed or (args.strict and slow) else 0


if __name__ == "__main__":
    sys.exit(main())
