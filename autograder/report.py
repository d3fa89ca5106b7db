"""The class report: a PNG (score histogram, per-exercise pass rates) and a short text summary."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np


def summary(assignment: str, exercises: list[str], results: list[dict]) -> str:
    """A few lines: how many graded, mean/median score, statuses, each exercise's pass rate."""
    n = len(results)
    scores = np.array([r["score"] for r in results], dtype=float)
    max_score = results[0]["max_score"] if results else 0
    statuses = Counter(r["status"] for r in results)
    lines = [f"{assignment}: {n} submission(s), max score {max_score:g}"]
    if n:
        lines.append(f"score: mean {scores.mean():.2f}, median {np.median(scores):.2f}, "
                     f"min {scores.min():g}, max {scores.max():g}")
    lines.append("status: " + ", ".join(f"{s} {c}" for s, c in statuses.most_common()))
    for ex, full, cases in _rates(exercises, results):
        lines.append(f"  {ex:<14} full marks {full:6.1%}   cases passed {cases:6.1%}")
    return "\n".join(lines) + "\n"


def _rates(exercises, results):
    for ex in exercises:
        outcomes = [r["exercises"][ex] for r in results]
        full = np.mean([o["points"] >= o["max_points"] for o in outcomes]) if outcomes else 0.0
        passed = [c["passed"] for o in outcomes for c in o["cases"]]
        total = sum(len(o["cases"]) or 1 for o in outcomes)
        yield ex, float(full), (sum(passed) / total if total else 0.0)


def write_report(png: Path, text: Path, assignment: str, exercises: list[str],
                 results: list[dict]) -> tuple[Path, Path]:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 4), layout="constrained")
    ax_hist, ax_rate = fig.subplots(1, 2)
    scores = [r["score"] for r in results]
    max_score = results[0]["max_score"] if results else 1
    ax_hist.hist(scores, bins=np.linspace(0, max_score, min(int(max_score) + 2, 21)),
                 color="#4C72B0", edgecolor="white")
    ax_hist.set(xlabel="score", ylabel="students", title=f"{assignment}: scores (n = {len(results)})")
    rates = list(_rates(exercises, results))
    y = np.arange(len(rates))
    ax_rate.barh(y - 0.2, [c for _, _, c in rates], 0.4, label="cases passed", color="#55A868")
    ax_rate.barh(y + 0.2, [f for _, f, _ in rates], 0.4, label="full marks", color="#C44E52")
    ax_rate.set_yticks(y, [ex for ex, _, _ in rates])
    ax_rate.invert_yaxis()
    ax_rate.set(xlim=(0, 1), xlabel="fraction of the class", title="per exercise")
    ax_rate.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False)
    Path(png).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(png, dpi=100)
    Path(text).write_text(summary(assignment, exercises, results), encoding="utf-8")
    return Path(png), Path(text)
