"""Figures of the week 3 assignment (logistic regression on the digits 3 and 8): cost curves
recorded every few iterations, several learning rates on one axes, and the learned weights shown
as an 8×8 image. Week 3, assignment 1 (``notebooks/week3/04_assignment_logistic_regression.ipynb``).
"""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.axes import axes_or_new
from course_utils.plots.core.style import COLORS

#: One colour per curve, in order (a learning-rate comparison has up to six).
CURVE_COLORS = [COLORS[k] for k in ("blue", "red", "green", "purple", "orange", "dark_blue")]


def plot_cost_curves(curves, every: int = 100, ax=None, log: bool = False,
                     title: str = "Training cost", legend_title: str | None = None):
    """One line per run: ``curves`` maps a label to its costs, recorded every ``every`` iterations
    starting at iteration 0 (``optimize``'s ``costs``: iterations 0, 100, 200, … for
    ``every=100``; ``every=1`` for a cost per iteration).

    The x axis is the iteration number; the cost is the mean cross-entropy (dimensionless, ln 2 ≈
    0.693 from zero weights). ``log=True``: a log scale for the cost, for runs that differ by orders
    of magnitude. Returns the Axes.
    """
    if not curves:
        raise ValueError("plot_cost_curves: curves is empty; pass {label: [cost, ...]}.")
    if every < 1:
        raise ValueError(f"plot_cost_curves: every is {every}; it is the number of iterations "
                         "between two recorded costs, at least 1.")
    ax = axes_or_new(ax, figsize=(6.4, 3.6))
    for (label, costs), color in zip(curves.items(), CURVE_COLORS * 4):
        costs = np.asarray(costs, dtype=float).ravel()
        if costs.size == 0:
            raise ValueError(f"plot_cost_curves: curves[{label!r}] holds no costs.")
        iterations = every * np.arange(costs.size)
        ax.plot(iterations, costs, color=color, label=label, marker="o" if costs.size <= 40 else None,
                markersize=3)
    ax.set(xlabel="iteration", ylabel="cost $J$ (mean cross-entropy)", title=title)
    if log:
        ax.set_yscale("log")
    if len(curves) > 1 or legend_title:
        # Outside, on the right: the curves fill the axes from corner to corner.
        ax.legend(title=legend_title, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


def plot_weights_image(w, ax=None, title: str = "Learned weights w, one per pixel"):
    """The 64 weights ``w: (64,)`` of a digit classifier as the 8×8 image they multiply.

    Diverging colours centred on 0: red pixels (w > 0) raise z = X @ w + b, towards class 1; blue
    pixels (w < 0) lower it, towards class 0; white ones do not matter. Returns the Axes.
    """
    w = np.asarray(w, dtype=float).ravel()
    if w.size != 64:
        raise ValueError(f"plot_weights_image: w has {w.size} values; it needs one per pixel of an "
                         "8×8 image, shape (64,).")
    ax = axes_or_new(ax, figsize=(3.8, 3.4))
    limit = float(np.max(np.abs(w))) or 1.0  # symmetric, so white is exactly w = 0
    image = ax.imshow(w.reshape(8, 8), cmap="RdBu_r", vmin=-limit, vmax=limit,
                      interpolation="nearest")
    ax.figure.colorbar(image, ax=ax, label="weight")
    ax.set(title=title, xticks=[], yticks=[])
    return ax
