"""Figures of the shallow-network lesson: two classes in the plane, a binary classifier's decision
boundary (one panel, or a grid of them), and activations next to their derivatives.
Week 3, lesson 5.

A classifier is passed as ``predict``: a function from points ``(k, 2)`` to the probability of
class 1, ``(k,)`` or ``(k, 1)``. Each panel calls it ONCE, on the whole grid (one batch).
"""

from __future__ import annotations

import numpy as np

from course_utils.plots import COLORS
from course_utils.plots._axes import axes_or_new
from course_utils.plots.multiclass import plane_grid

#: Class 0, class 1: the points' colours, and the lighter shades of the regions predicted for them.
CLASS_COLORS = (COLORS["blue"], COLORS["red"])
REGION_COLORS = ("#d6ecff", "#ffe0dc")


def _check_data(X, y, func: str):
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"{func}: X has shape {X.shape}; it needs shape (m, 2), one point per row.")
    y = np.asarray(y).reshape(-1)
    if y.shape != (X.shape[0],):
        raise ValueError(f"{func}: y has shape {np.shape(y)}; it needs one 0/1 label per row of X, "
                         f"shape ({X.shape[0]},) or ({X.shape[0]}, 1).")
    return X, y == 1


def plot_two_classes(X, y, ax=None, title: str | None = "Two classes in the plane", size: float = 14):
    """Scatter ``X: (m, 2)`` with class 0 as blue dots and class 1 as red dots; ``y: (m,)`` or
    ``(m, 1)`` holds 0/1 labels. Returns the Axes (legend outside, on the right)."""
    X, is_one = _check_data(X, y, "plot_two_classes")
    ax = axes_or_new(ax, figsize=(5.6, 4.4))
    for k, mask in enumerate((~is_one, is_one)):
        ax.scatter(X[mask, 0], X[mask, 1], s=size, color=CLASS_COLORS[k], edgecolor="white",
                   linewidth=0.4, label=f"class {k} ({mask.sum()})", zorder=3)
    ax.set(xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
    if title:
        ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), markerscale=1.5)
    return ax


def _probabilities(predict, points: np.ndarray, func: str) -> np.ndarray:
    out = np.asarray(predict(points), dtype=float)
    if out.ndim == 2 and out.shape[1] == 1:
        out = out[:, 0]
    if out.shape != (points.shape[0],):
        raise ValueError(f"{func}: predict returned shape {np.shape(out)} for {points.shape[0]} "
                         f"points; it must return one probability per point, ({points.shape[0]},) "
                         f"or ({points.shape[0]}, 1).")
    return out


def plot_boundary(predict, X, y, ax=None, title: str | None = None, n: int = 200, pad: float = 0.5,
                  legend: bool = True):
    """A binary classifier's decision over the plane, with the data on top.

    ``predict`` maps points ``(k, 2)`` to P(class 1) ``(k,)`` or ``(k, 1)``; it is called once, on an
    ``n × n`` grid over the data's bounding box widened by ``pad``. The plane is shaded light blue
    where the prediction is class 0 (P < 0.5) and light red where it is class 1; the black line is
    the decision boundary, P = 0.5. ``X: (m, 2)``, ``y: (m,)`` 0/1 labels. Returns the Axes.
    """
    from matplotlib.colors import ListedColormap

    X, _ = _check_data(X, y, "plot_boundary")
    xx, yy, points = plane_grid(X, n, pad)
    prob = _probabilities(predict, points, "plot_boundary").reshape(xx.shape)
    ax = axes_or_new(ax, figsize=(5.6, 4.4))
    ax.pcolormesh(xx, yy, (prob >= 0.5).astype(float), cmap=ListedColormap(REGION_COLORS),
                  vmin=0.0, vmax=1.0, shading="auto")
    if prob.min() < 0.5 <= prob.max():  # a contour needs both sides of 0.5 on the grid
        ax.contour(xx, yy, prob, levels=[0.5], colors="black", linewidths=1.2)
    plot_two_classes(X, y, ax=ax, title=title, size=10)
    if not legend:
        ax.get_legend().remove()
    ax.grid(False)
    return ax


def plot_boundary_grid(predicts, X, y, ncols: int = 3, fig=None, n: int = 120):
    """One decision-boundary panel per classifier, in a grid of ``ncols`` columns.

    ``predicts`` maps each panel's title to its ``predict`` function (as in :func:`plot_boundary`:
    points ``(k, 2)`` to P(class 1)), called once per panel on an ``n × n`` grid. ``X: (m, 2)`` and
    ``y: (m,)`` are drawn on every panel. Returns the Figure (``fig``, cleared, or a new pyplot
    figure).
    """
    if not predicts:
        raise ValueError("plot_boundary_grid: predicts is empty; pass {title: predict, ...}.")
    if ncols < 1:
        raise ValueError(f"plot_boundary_grid: ncols is {ncols}; it needs at least 1 column.")
    _check_data(X, y, "plot_boundary_grid")
    nrows = -(-len(predicts) // ncols)
    if fig is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(3.6 * ncols, 3.5 * nrows), layout="constrained")
    else:
        fig.clear()
    axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False).ravel()
    for ax, (title, predict) in zip(axes, predicts.items()):
        plot_boundary(predict, X, y, ax=ax, title=title, n=n, legend=False)
        ax.title.set_fontsize(10)
    for ax in axes[len(predicts):]:
        ax.set_visible(False)
    for ax in axes:
        if not ax.get_subplotspec().is_last_row():
            ax.set_xlabel("")
        if not ax.get_subplotspec().is_first_col():
            ax.set_ylabel("")
    return fig


def plot_activations(z, curves, fig=None):
    """Each activation next to its derivative, one panel per activation.

    ``z: (k,)`` the inputs, sorted; ``curves`` maps a name to ``(g, dg)``, the activation's values
    ``g(z)`` and its derivative's ``g'(z)``, each ``(k,)``. The function is the solid line, the
    derivative the dashed one. Returns the Figure (``fig``, cleared, or a new pyplot figure).
    """
    z = np.asarray(z, dtype=float)
    if z.ndim != 1 or z.size < 2:
        raise ValueError(f"plot_activations: z has shape {z.shape}; it needs shape (k,), k >= 2.")
    if not curves:
        raise ValueError("plot_activations: curves is empty; pass {name: (g(z), g'(z)), ...}.")
    for name, pair in curves.items():
        shapes = [np.shape(v) for v in pair]
        if len(pair) != 2 or any(s != z.shape for s in shapes):
            raise ValueError(f"plot_activations: curves[{name!r}] has shapes {shapes}; it needs "
                             f"two arrays (g(z), g'(z)) of z's shape {z.shape}.")
    if fig is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(3.7 * len(curves), 3.3), layout="constrained")
    else:
        fig.clear()
    axes = fig.subplots(1, len(curves), sharey=True, squeeze=False)[0]
    for ax, (name, (g, dg)) in zip(axes, curves.items()):
        ax.axhline(0, color="0.6", linewidth=0.8)
        ax.axvline(0, color="0.6", linewidth=0.8)
        ax.plot(z, g, color=COLORS["blue"], label=f"{name}$(z)$")
        ax.plot(z, dg, color=COLORS["red"], linestyle="--", label="its derivative")
        ax.set(title=name, xlabel="$z$")
        ax.legend(loc="upper left")
    axes[0].set_ylabel("value")
    return fig
