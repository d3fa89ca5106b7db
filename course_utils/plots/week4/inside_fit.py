"""Figures of ``notebooks/week4/05_inside_fit.ipynb`` (inside ``fit``): optimiser paths over a 2-D cost's contours, the
size of each step in each coordinate, and how the initial weights' scale shows in a deep network
(activations' spread per layer, training cost per iteration).

The contours are week 3's (:func:`course_utils.plots.week3.gradient_descent.plot_contours`); this module
adds several optimisers' paths over them and what is particular to this lesson.
"""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.axes import axes_or_new
from course_utils.plots.core.style import COLORS
from course_utils.plots.week3.gradient_descent import plot_contours

RUN_COLORS = (COLORS["blue"], COLORS["orange"], COLORS["green"], COLORS["purple"], COLORS["red"])


def _log_y(ax) -> None:
    """A log-scale y axis without minor ticks: over many decades they add little, and laying
    out their labels is most of the figure's drawing time (the lesson's notebook has a budget)."""
    from matplotlib.ticker import NullLocator

    ax.set_yscale("log")
    ax.yaxis.set_minor_locator(NullLocator())


def _paths(paths: dict, func: str) -> dict:
    if not paths:
        raise ValueError(f"{func}: paths is empty; pass {{label: (k, 2) array of iterates}}.")
    out = {}
    for label, path in paths.items():
        path = np.asarray(path, dtype=float)
        if path.ndim != 2 or path.shape[1] != 2 or path.shape[0] < 2:
            raise ValueError(f"{func}: paths[{label!r}] has shape {path.shape}; it must be (k, 2) "
                             "with k >= 2 (one row an iterate, the start first).")
        out[label] = path
    return out


def plot_paths_on_contours(cost, paths, ax=None, xlim=(-10.0, 10.0), ylim=(-3.0, 3.0),
                           levels=(1, 5, 10, 20, 35, 50, 70)):
    """Contours of a 2-D cost and each optimiser's iterates drawn over them.

    ``cost``: vectorised, ``(k, 2) → (k,)`` (the whole grid is one call); ``paths``: ``{label:
    (k, 2) iterates (w1, w2)}``, the start first. Both axes use the same scale, so an elongated
    bowl looks elongated; the minimum, assumed at the origin, is a star. Returns the Axes.
    """
    paths = _paths(paths, "plot_paths_on_contours")
    ax = plot_contours(cost, ax=axes_or_new(ax, figsize=(7.2, 3.2)), xlim=xlim, ylim=ylim,
                       levels=levels)
    for (label, path), color in zip(paths.items(), RUN_COLORS):
        ax.plot(path[:, 0], path[:, 1], "o-", color=color, ms=3, lw=1.2, label=label)
    first = next(iter(paths.values()))[0]
    ax.plot(*first, "s", color="0.2", ms=7, ls="none", label="start", zorder=4)
    ax.set(xlabel="$w_1$ (shallow direction)", ylabel="$w_2$ (steep direction)")
    ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
    return ax


def plot_step_sizes(paths, ax=None):
    """Each optimiser's step length in each coordinate, ``|Δw1|`` (solid) and ``|Δw2|``
    (dashed), against the iteration, on a log scale.

    ``paths``: ``{label: (k, 2) iterates}`` as for :func:`plot_paths_on_contours`; a path of k
    iterates has k − 1 steps. Returns the Axes.
    """
    paths = _paths(paths, "plot_step_sizes")
    ax = axes_or_new(ax, figsize=(6.4, 3.2))
    for (label, path), color in zip(paths.items(), RUN_COLORS):
        steps = np.abs(np.diff(path, axis=0))
        t = np.arange(1, steps.shape[0] + 1)
        ax.plot(t, steps[:, 0], "-", color=color, label=f"{label}: $|\\Delta w_1|$")
        ax.plot(t, steps[:, 1], "--", color=color, label=f"{label}: $|\\Delta w_2|$")
    _log_y(ax)
    ax.set(xlabel="iteration", ylabel="step length in one coordinate",
           title="Step size per parameter")
    ax.legend(fontsize=8, ncols=2)
    return ax


def plot_activation_spread(spreads, ax=None):
    """Standard deviation of each layer's pre-activations ``Z[l]`` (over the examples and units),
    one line per initialisation, on a log scale.

    ``spreads``: ``{label: (L,) values}``, layer 1 first. Returns the Axes.
    """
    if not spreads:
        raise ValueError("plot_activation_spread: spreads is empty; pass {label: (L,) values}.")
    ax = axes_or_new(ax, figsize=(6.4, 3.2))
    for (label, values), color in zip(spreads.items(), RUN_COLORS):
        values = np.asarray(values, dtype=float).ravel()
        ax.plot(np.arange(1, values.size + 1), values, "o-", color=color, label=label)
    _log_y(ax)
    ax.set(xlabel="layer $l$", ylabel="std of $Z^{[l]}$", title="Spread of each layer's $Z$")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # layers are whole numbers
    ax.legend(fontsize=8)
    return ax


def plot_cost_runs(costs, ax=None, ylim=(1e-2, 1e5)):
    """Training cost per iteration, one line per run, on a log scale limited to ``ylim``.

    ``costs``: ``{label: (k,) costs}``, iteration 0 first. A run whose cost overflows (``inf`` or
    ``nan``) is drawn up to its last finite value, marked with a cross where it is on the chart,
    and its label says at which iteration the cost stopped being a number; a run that leaves the
    chart upwards says at which iteration. Returns the Axes.
    """
    if not costs:
        raise ValueError("plot_cost_runs: costs is empty; pass {label: (k,) costs}.")
    ax = axes_or_new(ax, figsize=(6.4, 3.2))
    for (label, values), color in zip(costs.items(), RUN_COLORS):
        values = np.asarray(values, dtype=float).ravel()
        finite = np.isfinite(values)
        last = values.size if finite.all() else int(np.argmin(finite))
        notes = []
        above = np.flatnonzero(values[:last] > ylim[1])
        if above.size:
            notes.append(f"off the chart at iteration {above[0]}")
        if last < values.size:
            notes.append(f"nan or inf at {last}")
        if notes:
            label = f"{label} ({', '.join(notes)})"
        ax.plot(np.arange(last), values[:last], "-", color=color, label=label)
        if 0 < last < values.size and values[last - 1] <= ylim[1]:
            ax.plot(last - 1, values[last - 1], "x", color=color, ms=9, mew=2)
    _log_y(ax)
    ax.set(xlabel="iteration", ylabel="cost $J$", title="Training cost", ylim=ylim)
    ax.legend(fontsize=8)
    return ax
