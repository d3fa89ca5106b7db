"""Figures of week 4's second graded assignment (a deep network on the digits 1 and 8): networks
of different depths compared by their training costs and their mistakes. Week 4, assignment 2
(``notebooks/week4/04_assignment_deep_network_digits.ipynb``).
"""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.style import COLORS
from course_utils.plots.week3.assignment_logistic_regression import plot_cost_curves

#: Bar colours of the two sets.
SET_COLORS = {"training set": COLORS["blue"], "test set": COLORS["orange"]}


def plot_depth_comparison(runs: dict, m_train: int, m_test: int, every: int = 100, fig=None):
    """Two panels, one entry per trained network, and return the ``Figure``.

    ``runs`` maps a network's label (``"2 layers [64, 7, 1]"``) to a dict with ``"costs"`` (the
    mean cross-entropy recorded every ``every`` iterations from iteration 0, dimensionless),
    ``"train_wrong"`` and ``"test_wrong"`` (numbers of misclassified images out of ``m_train`` and
    ``m_test``). Left: the cost curves on a log scale (late costs differ by orders of magnitude).
    Right: the misclassified images of each set as bars, each labelled "k of m": counts, because
    accuracies of 97–100% all look alike on a bar from 0 to 1. ``fig``: a Figure to draw on
    (cleared first); by default a new pyplot figure.
    """
    if not runs:
        raise ValueError("plot_depth_comparison: runs is empty; pass {label: {'costs': [...], "
                         "'train_wrong': k, 'test_wrong': k}}.")
    for label, run in runs.items():
        missing = {"costs", "train_wrong", "test_wrong"} - set(run)
        if missing:
            raise ValueError(f"plot_depth_comparison: runs[{label!r}] has no {sorted(missing)}.")
    if fig is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(11.0, 3.8), layout="constrained")
    else:
        fig.clear()
    cost_ax, bar_ax = fig.subplots(1, 2, width_ratios=[1.5, 1.0])
    plot_cost_curves({label: run["costs"] for label, run in runs.items()}, every=every,
                     ax=cost_ax, log=True, title="Training cost")
    # Inside, top right: the costs are that high only at the start (plot_cost_curves puts the
    # legend outside the axes, which would crowd the second panel).
    cost_ax.legend(loc="upper right")

    labels = list(runs)
    x = np.arange(len(labels))
    width = 0.38
    top = 0
    for k, (name, key, m) in enumerate((("training set", "train_wrong", m_train),
                                         ("test set", "test_wrong", m_test))):
        counts = [int(runs[label][key]) for label in labels]
        top = max(top, *counts)
        bars = bar_ax.bar(x + (k - 0.5) * width, counts, width, color=SET_COLORS[name], label=name)
        bar_ax.bar_label(bars, labels=[f"{c} of {m}" for c in counts], fontsize=9, padding=2)
    bar_ax.set_xticks(x, labels)
    bar_ax.set_ylim(0, max(top, 1) * 1.35 + 0.5)  # room for the "k of m" labels
    bar_ax.yaxis.get_major_locator().set_params(integer=True)
    bar_ax.set(ylabel="misclassified images", title="Mistakes after training")
    bar_ax.legend(loc="upper right")
    return fig
