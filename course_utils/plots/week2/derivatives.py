"""Figures of the derivatives lesson: how a finite difference's error shrinks with ε. ``notebooks/week2/05_derivatives.ipynb``."""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.axes import axes_or_new
from course_utils.plots.core.style import COLORS


def plot_difference_errors(epsilons, errors, ax=None):
    """The error of finite differences against the step ε, on log-log axes.

    ``epsilons: (k,)`` — the steps (positive); ``errors`` — ``{label: (k,)}``, each method's error
    (finite difference minus the exact derivative) at those steps; the plot shows its absolute value.
    On log-log axes an error proportional to ε^p is a straight line of slope p. Returns the Axes.
    """
    eps = np.asarray(epsilons, dtype=float)
    if eps.ndim != 1 or eps.size < 2 or np.any(eps <= 0):
        raise ValueError(f"plot_difference_errors: epsilons has shape {eps.shape}; "
                         "it must be (k,) with k >= 2 positive steps.")
    ax = axes_or_new(ax, figsize=(6.4, 3.6))
    colors = [COLORS["red"], COLORS["blue"], COLORS["green"], COLORS["purple"]]
    for (label, err), color in zip(errors.items(), colors * len(errors)):
        err = np.abs(np.asarray(err, dtype=float))
        if err.shape != eps.shape:
            raise ValueError(f"plot_difference_errors: errors[{label!r}] has shape {err.shape}; "
                             f"it must match epsilons, {eps.shape}.")
        ax.loglog(eps, err, "o-", color=color, label=label)
    ax.set(xlabel=r"step $\varepsilon$", ylabel="|finite difference − exact|",
           title="How fast each finite difference's error shrinks")
    ax.legend(loc="lower right")
    return ax
