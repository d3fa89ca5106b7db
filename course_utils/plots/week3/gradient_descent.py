"""Figures of the gradient-descent lesson: iterates on a 1-D cost and on a 2-D bowl, cost curves,
and the two costs of one-example logistic regression. ``notebooks/week3/02_gradient_descent.ipynb``.

Costs are passed as *vectorised* callables: ``cost(w)`` takes ``(k,)`` values (1-D cost) or ``(k, 2)``
points, one row a point (2-D cost), and returns ``(k,)`` costs, so a whole grid is one call.
"""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.axes import axes_or_new
from course_utils.plots.core.style import COLORS

#: Default view of the lesson's bowl J = (w1² + 10 w2²) / 2: wide in w1 (the shallow direction).
BOWL_XLIM, BOWL_YLIM = (-10.0, 10.0), (-4.0, 4.0)
#: Contour levels of the bowl: the cost grows fast, so the levels are spaced geometrically.
BOWL_LEVELS = (0.25, 1, 3, 8, 16, 32, 63.25, 120, 200)
#: Colours for several runs side by side (cost curves, paths).
RUN_COLORS = (COLORS["blue"], COLORS["green"], COLORS["orange"], COLORS["red"], COLORS["purple"])


def _as_path(path, n: int, name: str) -> np.ndarray:
    path = np.asarray(path, dtype=float)
    if n == 1 and path.ndim == 2 and path.shape[1] == 1:
        path = path[:, 0]
    want = "(k,) or (k, 1)" if n == 1 else f"(k, {n})"
    if (n == 1 and path.ndim != 1) or (n > 1 and (path.ndim != 2 or path.shape[1] != n)):
        raise ValueError(f"{name}: path has shape {path.shape}; it must be {want} (one row an iterate).")
    if path.shape[0] < 1:
        raise ValueError(f"{name}: path is empty; it must hold at least the start point.")
    return path


def plot_descent_1d(cost, path, ax=None, w_range=None, title=None):
    """A 1-D cost curve ``J(w)`` with gradient descent's iterates on it.

    ``cost``: vectorised, ``(k,) → (k,)``; ``path``: the iterates ``w_0, w_1, ...``, shape ``(k,)``
    or ``(k, 1)``. The start is a large marker; arrows join the first ten consecutive iterates (the
    later ones are too close together to see). ``w_range``: ``(low, high)`` of the curve, by default
    the path's range with a margin. Returns the Axes.
    """
    path = _as_path(path, 1, "plot_descent_1d")
    if w_range is None:
        low, high = path.min(), path.max()
        margin = max(1.0, 0.3 * (high - low))
        w_range = (low - margin, high + margin)
    w = np.linspace(*w_range, 300)
    ax = axes_or_new(ax, figsize=(6.4, 3.6))
    ax.plot(w, cost(w), color="0.45", lw=2, label="cost $J(w)$")
    path_cost = cost(path)
    ax.scatter(path, path_cost, s=22, color=COLORS["blue"], zorder=3, label="iterates $w_k$")
    ax.scatter(path[:1], path_cost[:1], s=90, color=COLORS["orange"], zorder=4, label="start $w_0$")
    for k in range(min(10, path.size - 1)):
        ax.annotate("", xy=(path[k + 1], path_cost[k + 1]), xytext=(path[k], path_cost[k]),
                    arrowprops={"arrowstyle": "->", "color": COLORS["blue"], "lw": 1.2})
    ax.set(xlabel="$w$", ylabel="$J(w)$", xlim=w_range,
           title=title or f"Gradient descent on a 1-D cost: {path.size - 1} steps")
    ax.legend(loc="upper center")
    return ax


def bowl_grid(cost, xlim=BOWL_XLIM, ylim=BOWL_YLIM, n: int = 161):
    """``(W1, W2, J)``, each ``(n, n)``: the cost on a grid, evaluated in one call of ``cost``."""
    w1, w2 = np.meshgrid(np.linspace(*xlim, n), np.linspace(*ylim, n))
    points = np.column_stack([w1.ravel(), w2.ravel()])
    values = np.asarray(cost(points), dtype=float)
    if values.shape != (points.shape[0],):
        raise ValueError(f"bowl_grid: cost returned shape {values.shape} for {points.shape} points; "
                         f"it must return one cost per row, shape ({points.shape[0]},).")
    return w1, w2, values.reshape(w1.shape)


def plot_contours(cost, ax=None, xlim=BOWL_XLIM, ylim=BOWL_YLIM, levels=BOWL_LEVELS, minimum=(0, 0)):
    """Contour lines of a 2-D cost (``cost``: ``(k, 2) → (k,)``) and its minimum as a star.

    Equal scales on both axes, so that a round bowl looks round and an elongated one elongated.
    ``minimum``: where to draw the star (``None``: no star). Returns the Axes.
    """
    ax = axes_or_new(ax, figsize=(6.4, 3.4))
    w1, w2, values = bowl_grid(cost, xlim, ylim)
    ax.contour(w1, w2, values, levels=sorted(levels), colors="0.6", linewidths=0.8)
    if minimum is not None:
        ax.plot(*minimum, marker="*", ms=14, color=COLORS["green"], ls="none", label="minimum")
    ax.set(xlabel="$w_1$", ylabel="$w_2$", xlim=xlim, ylim=ylim, aspect="equal")
    ax.grid(False)  # the contours are the grid here
    return ax


def _clipped(path: np.ndarray, xlim, ylim) -> np.ndarray:
    # A diverging path reaches 1e90 and beyond: keep it drawable, well outside the view.
    span = max(xlim[1] - xlim[0], ylim[1] - ylim[0])
    return np.clip(np.nan_to_num(path, nan=0.0, posinf=1e6, neginf=-1e6), -100 * span, 100 * span)


def plot_contour_path(cost, path, ax=None, xlim=BOWL_XLIM, ylim=BOWL_YLIM, levels=BOWL_LEVELS,
                      title=None, color=COLORS["blue"]):
    """Contours of a 2-D cost with the path of gradient descent's iterates over them.

    ``path: (k, 2)``, one row an iterate ``(w1, w2)``, the start first (an orange dot). Points
    outside the view are drawn outside it (the path leaves the picture when it diverges).
    Returns the Axes.
    """
    path = _as_path(path, 2, "plot_contour_path")
    ax = plot_contours(cost, ax=ax, xlim=xlim, ylim=ylim, levels=levels)
    shown = _clipped(path, xlim, ylim)
    ax.plot(shown[:, 0], shown[:, 1], "o-", color=color, ms=3.5, lw=1.4, label="iterates")
    ax.plot(shown[0, 0], shown[0, 1], "o", ms=9, color=COLORS["orange"], label="start")
    if title:
        ax.set_title(title)
    return ax


def plot_cost_curves(curves, ax=None, updates_per_epoch=None, floor=None, ylim=None,
                     title="Cost per iteration"):
    """Cost against iteration, one line per run, on a log scale.

    ``curves`` maps a label to the costs ``(k + 1,)``: before the first update, then after each.
    With ``updates_per_epoch`` (a dict label → updates in one epoch) the horizontal axis counts
    epochs instead, so runs that update at different rates line up. ``floor``: the smallest
    possible cost, drawn as a dashed line. ``ylim`` fixes the cost axis (a diverging run would
    otherwise stretch it). Returns the Axes.
    """
    if not curves:
        raise ValueError("plot_cost_curves: curves is empty; pass {label: costs per iteration}.")
    ax = axes_or_new(ax, figsize=(6.4, 3.6))
    for (label, costs), color in zip(curves.items(), RUN_COLORS * len(curves)):
        costs = np.asarray(costs, dtype=float).ravel()
        steps = np.arange(costs.size, dtype=float)
        if updates_per_epoch is not None:
            steps = steps / updates_per_epoch[label]
        lw = 0.7 if costs.size > 500 else 1.8  # thousands of noisy updates: thin, or they hide the rest
        ax.plot(steps, costs, color=color, lw=lw, label=label)
    if floor is not None:
        ax.axhline(floor, color="0.3", ls="--", lw=1, label=f"smallest possible cost {floor:.4g}")
    ax.set_yscale("log")
    ax.set(xlabel="epoch" if updates_per_epoch is not None else "iteration $k$",
           ylabel="cost $J$", title=title)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.legend(loc="upper right")
    return ax


def second_differences(w, values) -> np.ndarray:
    """The second derivative of ``values`` sampled at the equally spaced ``w``, by central
    differences: ``(J(w+h) − 2 J(w) + J(w−h)) / h²`` at the inner points, shape ``(k − 2,)``."""
    w = np.asarray(w, dtype=float)
    values = np.asarray(values, dtype=float)
    h = w[1] - w[0]
    return (values[2:] - 2 * values[1:-1] + values[:-2]) / h**2


def plot_logistic_costs(w, squared, cross_entropy, axes=None):
    """One example's two costs as functions of the weight ``w`` (left) and their second
    derivatives (right), where the squared error's negative curvature is shaded.

    ``w: (k,)`` equally spaced weights; ``squared`` and ``cross_entropy``: ``(k,)``, the costs
    ``(σ(wx + b) − y)²`` and ``−y log σ(wx + b) − (1 − y) log(1 − σ(wx + b))`` at those weights. The
    second derivatives are central differences of the curves themselves. ``axes``: two Axes, or
    ``None`` for a new pyplot figure. Returns the two Axes.
    """
    w = np.asarray(w, dtype=float)
    squared = np.asarray(squared, dtype=float)
    cross_entropy = np.asarray(cross_entropy, dtype=float)
    if w.ndim != 1 or w.size < 5 or squared.shape != w.shape or cross_entropy.shape != w.shape:
        raise ValueError(f"plot_logistic_costs: w has shape {w.shape}, squared {squared.shape}, "
                         f"cross_entropy {cross_entropy.shape}; all must be the same (k,), k >= 5.")
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained")
    ax_cost, ax_curv = axes
    d2_sq = second_differences(w, squared)
    d2_ce = second_differences(w, cross_entropy)
    concave = np.concatenate([[False], d2_sq < 0, [False]])
    for ax in axes:
        ax.fill_between(w, 0, 1, where=concave, transform=ax.get_xaxis_transform(),
                        color=COLORS["red"], alpha=0.12, lw=0,
                        label="squared error curves down ($J'' < 0$)")
    ax_cost.plot(w, squared, color=COLORS["red"], label=r"squared error $(\sigma(wx+b) - y)^2$")
    ax_cost.plot(w, cross_entropy, color=COLORS["blue"], label="cross-entropy")
    ax_cost.set(xlabel="$w$", ylabel="cost of the one example", title="The two costs",
                xlim=(w[0], w[-1]), ylim=(0, min(4.0, 1.1 * cross_entropy.max())))
    ax_cost.legend(loc="upper right")
    ax_curv.plot(w[1:-1], d2_sq, color=COLORS["red"], label="squared error")
    ax_curv.plot(w[1:-1], d2_ce, color=COLORS["blue"], label="cross-entropy")
    ax_curv.axhline(0, color="0.3", lw=1)
    ax_curv.set(xlabel="$w$", ylabel="second derivative $d^2J/dw^2$",
                title="Their curvature", xlim=(w[0], w[-1]))
    low, high = min(d2_sq.min(), d2_ce.min(), 0.0), max(d2_sq.max(), d2_ce.max())
    ax_curv.set_ylim(low - 0.1 * (high - low), high + 0.6 * (high - low))  # room for the legend
    ax_curv.legend(loc="upper right")
    return axes


def plot_gd_lab(cost, path, costs, axes=None, xlim=BOWL_XLIM, ylim=BOWL_YLIM, levels=BOWL_LEVELS,
                max_steps=100, cost_ylim=(1e-8, 1e6)):
    """The learning-rate widget's figure: the path over the contours (left), its cost per
    iteration (right, log scale). Limits are fixed, so that a new path never rescales the axes.

    ``path: (k, 2)`` iterates, ``costs: (k,)`` their costs; ``axes``: two Axes, or ``None`` for a new
    pyplot figure. Returns ``(axes, lines)``; ``lines["path"]`` and ``lines["cost"]`` are the
    ``Line2D`` to update with :func:`gd_lab_data` and ``set_data``.
    """
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained",
                               gridspec_kw={"width_ratios": [1.6, 1]})
    ax_path, ax_cost = axes
    plot_contours(cost, ax=ax_path, xlim=xlim, ylim=ylim, levels=levels)
    ax_path.set_title("Path of the iterates")
    start = np.asarray(path, dtype=float)[0]
    ax_path.plot(*start, "o", ms=9, color=COLORS["orange"], label="start")
    ax_path.legend(loc="upper right", fontsize=8, framealpha=0.8, frameon=True)
    path_xy, cost_xy = gd_lab_data(path, costs, xlim, ylim, cost_ylim)
    path_line = ax_path.plot(*path_xy, "o-", color=COLORS["blue"], ms=3, lw=1.3)[0]
    cost_line = ax_cost.plot(*cost_xy, color=COLORS["blue"])[0]
    ax_cost.set_yscale("log")
    ax_cost.set(xlim=(0, max_steps), ylim=cost_ylim, xlabel="iteration $k$", ylabel="cost $J$",
                title="Cost per iteration")
    return axes, {"path": path_line, "cost": cost_line}


def gd_lab_data(path, costs, xlim=BOWL_XLIM, ylim=BOWL_YLIM, cost_ylim=(1e-8, 1e6)):
    """What :func:`plot_gd_lab`'s two lines show: ``((w1, w2), (k, J))``, with points far outside
    the view and costs outside ``cost_ylim`` clipped (so that a diverging run stays drawable)."""
    path = _as_path(path, 2, "gd_lab_data")
    costs = np.asarray(costs, dtype=float).ravel()
    if costs.shape != (path.shape[0],):
        raise ValueError(f"gd_lab_data: costs has shape {costs.shape}; it must be ({path.shape[0]},), "
                         "one cost per iterate.")
    shown = _clipped(path, xlim, ylim)
    low, high = cost_ylim
    shown_costs = np.clip(np.nan_to_num(costs, nan=high, posinf=high), low / 10, high * 10)
    return (shown[:, 0], shown[:, 1]), (np.arange(costs.size), shown_costs)
