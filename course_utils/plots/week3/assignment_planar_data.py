"""Figures of week 3's graded assignment 2 (planar data, one hidden layer): the decision boundary
of a binary classifier in the plane, for one network or several side by side.

The classifier is given as ``predict_proba``, mapping points ``(k, 2)`` to ``P(y = 1)`` of shape
``(k,)`` or ``(k, 1)``; it is called ONCE on the whole grid.
"""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.axes import axes_or_new
from course_utils.plots.week2.multiclass import CLASS_COLORS, plane_grid, plot_classes


def _probabilities(predict_proba, points: np.ndarray) -> np.ndarray:
    p = np.asarray(predict_proba(points), dtype=float)
    if p.size != points.shape[0]:
        raise ValueError(f"predict_proba returned shape {p.shape} for {points.shape[0]} points; "
                         "it must return one probability per point, shape (k,) or (k, 1).")
    return p.reshape(-1)


def plot_decision_boundary(predict_proba, X, y, ax=None, n: int = 200, title="Decision boundary"):
    """Shade the plane by the predicted class (``P(y = 1) > 0.5``), draw the boundary
    ``P(y = 1) = 0.5`` as a black line and the data ``X: (m, 2)`` coloured by label
    ``y: (m,)`` of 0/1 (class 0 blue, class 1 red). Returns the Axes."""
    from matplotlib.colors import ListedColormap

    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary: X has shape {X.shape}; it needs shape (m, 2).")
    xx, yy, points = plane_grid(X, n, pad=0.5)
    p = _probabilities(predict_proba, points).reshape(xx.shape)
    ax = axes_or_new(ax, figsize=(5.2, 4.0))
    ax.pcolormesh(xx, yy, (p > 0.5).astype(float), cmap=ListedColormap(CLASS_COLORS[:2]),
                  alpha=0.22, shading="auto", vmin=-0.5, vmax=1.5)
    if p.min() < 0.5 < p.max():  # a constant prediction has no boundary to draw
        ax.contour(xx, yy, p, levels=[0.5], colors="black", linewidths=1.2)
    plot_classes(X, np.asarray(y).astype(int).ravel(), ax=ax, title=title)
    ax.grid(False)
    return ax


def plot_decision_boundaries(models, X, y, ncols: int = 3, n: int = 100):
    """One :func:`plot_decision_boundary` panel per entry of ``models`` (title -> predict_proba),
    in rows of ``ncols``; each panel's legend is left out but the first's. Returns the Figure."""
    import matplotlib.pyplot as plt

    if not models:
        raise ValueError("plot_decision_boundaries: models is empty; pass {title: predict_proba}.")
    rows = -(-len(models) // ncols)
    fig, axes = plt.subplots(rows, ncols, figsize=(3.6 * ncols, 3.2 * rows), layout="constrained",
                             squeeze=False)
    for k, (ax, (title, predict_proba)) in enumerate(zip(axes.flat, models.items())):
        plot_decision_boundary(predict_proba, X, y, ax=ax, n=n, title=title)
        if k:
            ax.get_legend().remove()
    for ax in list(axes.flat)[len(models):]:
        ax.set_visible(False)
    return fig
