"""The class report: a PNG (score histogram, per-exercise rates, statuses) and a text summary.

Rates are shares of the whole class: a student with no gradable submission (``missing``,
``malformed``, a grader ``error``) counts as having failed every case of every exercise, so
"cases passed" is the share of all (student, case) pairs that passed.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from autograder.contract.results import STATUSES, SubmissionResult


@dataclass(frozen=True)
class ExerciseRate:
    """One exercise across the class; both rates are fractions in [0, 1]."""

    exercise: str
    full_marks: float  # share of students with all its points
    cases_passed: float  # passed (student, case) pairs / (students × the exercise's cases)
    not_attempted: float = 0.0  # share of students whose cell was still as released


def exercise_rates(n_cases: dict[str, int], results: list[SubmissionResult]) -> list[ExerciseRate]:
    """Each exercise's rates, in the order of ``n_cases`` (exercise -> its number of cases)."""
    rates = []
    for ex, cases in n_cases.items():
        outcomes = [r.exercises[ex] for r in results]
        full = sum(o.points >= o.max_points for o in outcomes)
        # A row without case verdicts (missing, malformed, error) failed all of them.
        passed = sum(c.passed for o in outcomes for c in o.cases)
        total = len(results) * cases
        left = sum(not o.attempted for o in outcomes)
        rates.append(ExerciseRate(ex, full / len(results) if results else 0.0,
                                  passed / total if total else 0.0,
                                  left / len(results) if results else 0.0))
    return rates


def status_counts(results: list[SubmissionResult]) -> list[tuple[str, int]]:
    """``(status, students)`` for each status present, most serious first (as in the CSV)."""
    counts = Counter(r.status for r in results)
    order = [s for s in STATUSES if s in counts] + sorted(set(counts) - set(STATUSES))
    return [(s, counts[s]) for s in order]


def not_handed_in_counts(results: list[SubmissionResult]) -> list[tuple[str, int]]:
    """``(notebook, students)`` for each graded notebook some ``incomplete`` rows lack, by name."""
    counts = Counter(name for r in results for name in r.not_handed_in)
    return sorted(counts.items())


def summary(assignment: str, n_cases: dict[str, int], results: list[SubmissionResult]) -> str:
    """A few lines: how many graded, mean/median score, statuses, each exercise's rates."""
    n = len(results)
    scores = np.array([r.score for r in results], dtype=float)
    max_score = results[0].max_score if results else 0
    lines = [f"{assignment}: {n} submission(s), max score {max_score:g}"]
    if n:
        lines.append(f"score: mean {scores.mean():.2f}, median {np.median(scores):.2f}, "
                     f"min {scores.min():g}, max {scores.max():g}")
    lines.append("status: " + ", ".join(f"{s} {c}" for s, c in status_counts(results)))
    for name, count in not_handed_in_counts(results):
        lines.append(f"not handed in: {name} ({count} student{'s' if count > 1 else ''}; "
                     "its exercises earned nothing, the other notebooks were graded)")
    for rate in exercise_rates(n_cases, results):
        lines.append(f"  {rate.exercise:<14} full marks {rate.full_marks:6.1%}   "
                     f"cases passed {rate.cases_passed:6.1%}   "
                     f"not attempted {rate.not_attempted:6.1%}")
    return "\n".join(lines) + "\n"


def score_bins(max_score: float) -> np.ndarray:
    """Histogram edges on whole score steps: ``[0, 1), [1, 2), …, [max, max + 1]`` for a max of
    up to 20 points (wider steps above), so the last bar is exactly full marks."""
    step = max(1, math.ceil(max_score / 20))
    return np.arange(0, max_score + 1.5 * step, step, dtype=float)


def report_figure(assignment: str, n_cases: dict[str, int], results: list[SubmissionResult]):
    """The class report as a matplotlib ``Figure``: score histogram, per-exercise rates, statuses."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(15, 4.5), layout="constrained")
    ax_hist, ax_rate, ax_status = fig.subplots(1, 3, width_ratios=[1.2, 1.2, 1])
    scores = [r.score for r in results]
    max_score = results[0].max_score if results else 1
    edges = score_bins(max_score)
    ax_hist.hist(scores, bins=edges, color="#4C72B0", edgecolor="white")
    # Each bar is labelled at its middle with its lowest score: "12" under the full-marks bar.
    step = edges[1] - edges[0]
    ax_hist.set_xticks(edges[:-1] + step / 2, [f"{e:g}" for e in edges[:-1]])
    ax_hist.yaxis.set_major_locator(MaxNLocator(integer=True))  # students come whole
    ax_hist.set(xlabel=f"score (bar k: k ≤ score < k + {step:g}; the last bar: full marks)",
                ylabel="students",
                title=f"{assignment}: scores (n = {len(results)})")

    rates = exercise_rates(n_cases, results)
    y = np.arange(len(rates))
    # Green for what was passed, blue for full marks (red would read as failure), grey for
    # what was left as released.
    ax_rate.barh(y - 0.27, [r.cases_passed for r in rates], 0.27, label="cases passed",
                 color="#55A868")
    ax_rate.barh(y, [r.full_marks for r in rates], 0.27, label="full marks", color="#4C72B0")
    ax_rate.barh(y + 0.27, [r.not_attempted for r in rates], 0.27, label="not attempted",
                 color="#8C8C8C")
    ax_rate.set_yticks(y, [r.exercise for r in rates])
    ax_rate.invert_yaxis()
    ax_rate.set(xlim=(0, 1), xlabel="fraction of the class", title="per exercise")
    ax_rate.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, frameon=False)

    counts = status_counts(results)
    ys = np.arange(len(counts))
    colours = ["#55A868" if s == "graded" else "#DD8452" for s, _ in counts]
    bars = ax_status.barh(ys, [c for _, c in counts], color=colours)
    ax_status.bar_label(bars, labels=[str(c) for _, c in counts], padding=3)
    ax_status.set_yticks(ys, [s for s, _ in counts])
    ax_status.invert_yaxis()
    ax_status.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_status.set_xlim(0, max([c for _, c in counts], default=1) * 1.15)
    ax_status.set(xlabel="students", title="statuses")
    return fig


def write_report(png: Path, text: Path, assignment: str, n_cases: dict[str, int],
                 results: list[SubmissionResult]) -> tuple[Path, Path]:
    """Write the PNG (100 dpi) and the text summary; return their paths."""
    Path(png).parent.mkdir(parents=True, exist_ok=True)
    report_figure(assignment, n_cases, results).savefig(png, dpi=100)
    Path(text).write_text(summary(assignment, n_cases, results), encoding="utf-8")
    return Path(png), Path(text)
