"""Figures of the multiclass lesson: four clusters, hidden ReLU units, the data in hidden-unit space,
decision regions. ``notebooks/week2/04_multiclass.ipynb``.

Every function that shows a model over the plane evaluates it on the whole grid in ONE batch call
(``predict(grid)`` with ``grid: (k, 2)``), never point by point.
"""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.axes import axes_or_new
from course_utils.plots.core.style import COLORS

CLASS_COLORS = (COLORS["blue"], COLORS["red"], COLORS["green"], COLORS["purple"], COLORS["orange"],
                COLORS["magenta"], COLORS["dark_blue"], COLORS["yellow"])


def plane_grid(X, n: int = 200, pad: float = 1.0):
    """A grid over the bounding box of ``X: (m, 2)`` widened by ``pad``.

    Returns ``(xx, yy, points)`` with ``xx, yy: (n, n)`` and ``points: (n*n, 2)`` (one row a point),
    ready for a single batch call of a model.
    """
    X = _check_points(X, "plane_grid")
    lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def _check_points(X, func):
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"{func}: X has shape {X.shape}; it needs shape (m, 2), one point per row.")
    return X


def _batch(predict, points, func):
    out = np.asarray(predict(points.astype(np.float32)), dtype=float)
    if out.ndim == 1:
        out = out[:, None]
    if out.shape[0] != points.shape[0]:
        raise ValueError(f"{func}: predict returned shape {out.shape} for {points.shape[0]} points; "
                         "it must return one row per point.")
    return out


def plot_classes(X, y, ax=None, title="Four classes in the plane"):
    """Scatter ``X: (m, 2)`` coloured by integer class ``y: (m,)``. Returns the Axes."""
    X = _check_points(X, "plot_classes")
    y = np.asarray(y).ravel()
    ax = axes_or_new(ax, figsize=(5.2, 4.0))
    for k in np.unique(y):
        pts = X[y == k]
        ax.scatter(pts[:, 0], pts[:, 1], s=14, color=CLASS_COLORS[int(k) % len(CLASS_COLORS)],
                   edgecolor="white", linewidth=0.4, label=f"class {k}")
    ax.set(xlabel="$x_1$", ylabel="$x_2$", title=title)
    ax.legend(loc="best", markerscale=1.5)
    return ax


def plot_hidden_units(hidden, X, y, axes=None, n: int = 150):
    """Each hidden unit's output over the plane, one panel a unit, with the data on top.

    ``hidden`` maps points ``(k, 2)`` to the hidden layer's activations ``(k, units)`` — called
    once on the whole grid. A ReLU unit is 0 (white) on one side of a line and grows on the other.
    Returns the list of Axes.
    """
    X = _check_points(X, "plot_hidden_units")
    xx, yy, points = plane_grid(X, n)
    acts = _batch(hidden, points, "plot_hidden_units")
    units = acts.shape[1]
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, units, figsize=(4.6 * units, 3.8), layout="constrained",
                               squeeze=False)
        axes = list(axes[0])
    y = np.asarray(y).ravel()
    for j, ax in enumerate(axes[:units]):
        a = acts[:, j].reshape(xx.shape)
        mesh = ax.pcolormesh(xx, yy, a, cmap="Blues", shading="auto", vmin=0)
        ax.contour(xx, yy, a, levels=[1e-6], colors="0.3", linewidths=1, linestyles="--")
        for k in np.unique(y):
            pts = X[y == k]
            ax.scatter(pts[:, 0], pts[:, 1], s=8, color=CLASS_COLORS[int(k) % len(CLASS_COLORS)],
                       edgecolor="white", linewidth=0.3)
        ax.figure.colorbar(mesh, ax=ax, label=f"$a^{{[1]}}_{j}$")
        ax.set(title=f"hidden unit {j}: 0 on the white side", xlabel="$x_1$", ylabel="$x_2$")
        ax.grid(False)
    return axes


def plot_hidden_space(A, y, ax=None, title="The data in hidden-unit space"):
    """Each example at its hidden activations ``A: (m, 2)`` (two ReLU units), coloured by class
    ``y: (m,)``: the plane the output layer actually sees.

    Points where both units are off all land on the origin, on top of each other; how many of
    each class is written next to it. Returns the Axes.
    """
    A = np.asarray(A, dtype=float)
    y = np.asarray(y).ravel()
    if A.ndim != 2 or A.shape[1] != 2:
        raise ValueError(f"plot_hidden_space: A has shape {A.shape}; it needs shape (m, 2), one "
                         "row of two hidden activations per example.")
    if y.shape != (A.shape[0],):
        raise ValueError(f"plot_hidden_space: y has shape {y.shape}; it needs shape "
                         f"({A.shape[0]},), one class per row of A.")
    ax = plot_classes(A, y, ax=ax, title=title)
    ax.set(xlabel="$a^{[1]}_0$ (hidden unit 0)", ylabel="$a^{[1]}_1$ (hidden unit 1)")
    classes, counts = np.unique(y[np.all(A == 0, axis=1)], return_counts=True)
    if counts.size:
        lines = "\n".join(f"{n} of class {k}" for k, n in zip(classes, counts))
        ax.annotate(f"both units off, at (0, 0):\n{lines}", xy=(0, 0), xytext=(0.2, 0.3),
                    textcoords="axes fraction", fontsize=9,
                    bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "0.7"},
                    arrowprops={"arrowstyle": "->", "color": "0.3"})
    return ax


def plot_decision_regions(predict, X, y, ax=None, n: int = 200, title="Decision regions"):
    """Colour the plane by the class ``argmax(predict(points))`` and draw the data.

    ``predict`` maps ``(k, 2)`` points to class scores ``(k, classes)`` (logits or probabilities:
    the argmax is the same); it is called once on the whole grid. Returns the Axes.
    """
    from matplotlib.colors import ListedColormap

    X = _check_points(X, "plot_decision_regions")
    xx, yy, points = plane_grid(X, n)
    scores = _batch(predict, points, "plot_decision_regions")
    classes = scores.argmax(axis=1).reshape(xx.shape)
    k = max(scores.shape[1], int(np.max(y)) + 1)
    ax = axes_or_new(ax, figsize=(5.2, 4.0))
    ax.pcolormesh(xx, yy, classes, cmap=ListedColormap(CLASS_COLORS[:k]), alpha=0.22,
                  shading="auto", vmin=-0.5, vmax=k - 0.5)
    plot_classes(X, y, ax=ax, title=title)
    ax.grid(False)
    return ax
