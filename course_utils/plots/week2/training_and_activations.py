"""Figures about training: cost curves, and fits of models to 1-D data. Week 2, lessons 1, 4 and 9."""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.axes import axes_or_new
from course_utils.plots.core.style import COLORS


def plot_loss_curves(curves, ax=None, ylabel="cost (mean loss over the training set)", log=False,
                     title="Training cost per epoch"):
    """One line per training run: ``curves`` maps a label to the cost after each epoch.

    Typically ``{"Adam": history.history["loss"], ...}``. ``log=True`` uses a log scale for the cost
    (useful when runs differ by orders of magnitude). Returns the Axes.
    """
    if not curves:
        raise ValueError("plot_loss_curves: curves is empty; pass {label: [cost per epoch, ...]}.")
    ax = axes_or_new(ax, figsize=(6.4, 3.4))
    for label, values in curves.items():
        values = np.asarray(values, dtype=float).ravel()
        ax.plot(np.arange(1, values.size + 1), values, label=label)
    ax.set(xlabel="epoch", ylabel=ylabel, title=title)
    if log:
        ax.set_yscale("log")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole numbers
    if len(curves) > 1:
        ax.legend()
    return ax


def plot_fits(x, y, fits, ax=None, title=None):
    """Training data ``(x, y)`` (1-D, m points) as dots and model curves over ``x``.

    ``fits`` maps a label to a model's predictions at ``x`` (shape ``(m,)`` or ``(m, 1)``); ``x`` is
    sorted for drawing. Returns the Axes.
    """
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.shape != y.shape:
        raise ValueError(f"plot_fits: x has shape {x.shape} and y {y.shape}; they need the same length.")
    ax = axes_or_new(ax, figsize=(6.4, 3.4))
    order = np.argsort(x)
    ax.scatter(x, y, s=12, color="0.6", label="training data", zorder=1)
    colors = [COLORS["blue"], COLORS["red"], COLORS["green"], COLORS["purple"]]
    for (label, pred), color in zip(fits.items(), colors * 3):
        pred = np.asarray(pred, dtype=float).ravel()
        if pred.shape != x.shape:
            raise ValueError(f"plot_fits: fits[{label!r}] has {pred.size} values, x has {x.size}.")
        ax.plot(x[order], pred[order], color=color, label=label, zorder=2)
    ax.set(xlabel="$x$", ylabel="$y$")
    if title:
        ax.set_title(title)
    ax.legend()
    return ax
