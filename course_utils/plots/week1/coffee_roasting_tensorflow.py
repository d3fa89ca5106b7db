"""Coffee-roasting figures: week 1, lessons 2 (TensorFlow) and 3 (NumPy).

Inputs are always *raw*: column 0 is the temperature in °C, column 1 the duration in minutes, as
returned by :func:`course_utils.data.load_coffee_data`. Labels ``Y`` are 1 for a good roast.

The plots over the (temperature, duration) plane take a callable ``fn`` that maps an ``(n, 2)``
array of raw inputs to outputs (``(n,)`` or ``(n, k)``; a NumPy array or a tensor). Each plot calls
``fn`` exactly once, on the whole grid: one batch, never one prediction per point. Normalising the
inputs is the callable's job, so the same helpers serve a Keras model and a NumPy forward pass.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from course_utils.data import COFFEE_DURATION_RANGE, COFFEE_TEMPERATURE_RANGE
from course_utils.plots.core.axes import axes_or_new
from course_utils.plots.core.style import COLORS

TEMPERATURE_LABEL = "Temperature (°C)"
DURATION_LABEL = "Duration (minutes)"

#: Corners (°C, minutes) of the region that :func:`course_utils.data.coffee_is_good` labels good.
#: The rule ``175 < T < 260``, ``12 < D < 15``, ``D <= -3/85 T + 21`` is a triangle: the sloped
#: line meets ``D = 12`` at ``T = 255`` and is already below ``D = 15`` at ``T = 175``, so only
#: three edges matter — which is why three hidden units are enough.
GOOD_REGION = np.array([[175.0, 12.0], [255.0, 12.0], [175.0, 21.0 - 3.0 / 85.0 * 175.0]])

RawFunction = Callable[[np.ndarray], object]


def _check_data(X, Y, func: str):
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(
            f"{func}: X has shape {X.shape}; it needs one roast per row, shape (m, 2) "
            "(temperature in °C, duration in minutes)."
        )
    Y = np.asarray(Y, dtype=float).reshape(-1)
    if Y.shape[0] != X.shape[0]:
        raise ValueError(
            f"{func}: Y has {Y.shape[0]} labels but X has {X.shape[0]} rows; Y needs shape "
            f"({X.shape[0]},) or ({X.shape[0]}, 1)."
        )
    return X, Y == 1


def coffee_grid(n_grid: int = 80):
    """A regular grid over the coffee data's plane. Week 1, lessons 2–3.

    Returns ``T, D: (n_grid, n_grid)`` (°C and minutes, ``T`` varies along columns) and
    ``points: (n_grid * n_grid, 2)`` raw inputs in row-major order, so that any output computed on
    ``points`` reshapes to ``(n_grid, n_grid)`` to match ``T`` and ``D``.
    """
    if n_grid < 2:
        raise ValueError(f"coffee_grid: n_grid is {n_grid}; it needs at least 2 points per axis.")
    t = np.linspace(*COFFEE_TEMPERATURE_RANGE, n_grid)
    d = np.linspace(*COFFEE_DURATION_RANGE, n_grid)
    T, D = np.meshgrid(t, d)
    return T, D, np.column_stack([T.ravel(), D.ravel()])


def _evaluate_on_grid(fn: RawFunction, n_grid: int, func: str):
    """Call ``fn`` once on the grid; return ``T, D`` and the outputs as ``(k, n_grid, n_grid)``."""
    T, D, points = coffee_grid(n_grid)
    out = np.asarray(fn(points), dtype=float)
    n, got = points.shape[0], out.shape
    if out.ndim == 1:
        out = out[:, None]
    if out.ndim != 2 or out.shape[0] != n:
        raise ValueError(
            f"{func}: fn returned shape {got} for {n} inputs; it must map an (n, 2) array of "
            f"raw inputs to (n,) or (n, k) outputs, here ({n},) or ({n}, k)."
        )
    return T, D, out.T.reshape(-1, n_grid, n_grid)


def _format_plane(ax) -> None:
    ax.set_xlim(COFFEE_TEMPERATURE_RANGE)
    ax.set_ylim(COFFEE_DURATION_RANGE)
    ax.set_xlabel(TEMPERATURE_LABEL)
    ax.set_ylabel(DURATION_LABEL)
    ax.grid(False)


def _scatter(ax, X, good, size: float = 40.0, labels: bool = True) -> None:
    ax.scatter(
        X[good, 0], X[good, 1], s=size, marker="x", c=COLORS["red"], linewidths=1.5,
        label=f"good roast ({good.sum()})" if labels else None, zorder=3,
    )
    ax.scatter(
        X[~good, 0], X[~good, 1], s=size, marker="o", facecolors="none",
        edgecolors=COLORS["dark_blue"], linewidths=1, label=f"bad roast ({(~good).sum()})"
        if labels else None, zorder=3,
    )


def _draw_rule(ax, label: str | None = "rule that labelled the data"):
    (polygon,) = ax.fill(*GOOD_REGION.T, facecolor="none", edgecolor="black", linestyle="--", linewidth=1.2,
            label=label, zorder=2)
    return polygon


def _overlay(ax, X, Y, func: str, labels: bool = False) -> None:
    if X is not None and Y is not None:
        X, good = _check_data(X, Y, func)
        _scatter(ax, X, good, size=18.0, labels=labels)


def plot_coffee_data(X, Y, ax=None, show_rule: bool = False, title: str | None = "Coffee roasting data"):
    """Scatter the coffee data, good roasts as red crosses, bad ones as blue circles. ``notebooks/week1/02_coffee_roasting_tensorflow.ipynb``.

    ``X: (m, 2)`` raw inputs (°C, minutes); ``Y: (m,)`` or ``(m, 1)``, 1 for a good roast.
    ``show_rule`` also outlines the triangle :data:`GOOD_REGION` that labelled the data.
    Returns the Axes; the legend sits to the right of the plot so that it hides no point.
    """
    X, good = _check_data(X, Y, "plot_coffee_data")
    ax = axes_or_new(ax, figsize=(7.2, 4.0))
    _scatter(ax, X, good)
    if show_rule:
        _draw_rule(ax)
    _format_plane(ax)
    if title:
        ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


def plot_unit_regions(units_fn: RawFunction, X=None, Y=None, output_weights=None, n_grid: int = 60,
                      fig=None):
    """What each hidden unit has learned, one panel per unit. Week 1, lessons 2–3.

    ``units_fn`` maps raw inputs ``(n, 2)`` to the hidden layer's activations ``(n, units)``, values in
    (0, 1); it is called once, on an ``n_grid × n_grid`` grid. ``output_weights: (units,)`` (or
    ``(units, 1)``), the output unit's weight on each hidden unit, says which way a unit votes:
    where a weight is negative, a high activation pushes the output towards *bad roast*, so the
    panel shades the activation ``a``; where it is positive, it shades ``1 - a``. Either way the
    shading reads "this unit says bad roast here". Without ``output_weights`` the activation itself
    is shaded. The dashed line is where the unit's activation is 0.5. ``X, Y`` optionally overlay the
    data. Returns the Figure (``fig``, cleared, or a new pyplot figure).
    """
    T, D, acts = _evaluate_on_grid(units_fn, n_grid, "plot_unit_regions")
    units = acts.shape[0]
    if output_weights is None:
        shaded, label = acts, "unit's activation $a_j$"
    else:
        w = np.asarray(output_weights, dtype=float).reshape(-1)
        if w.shape != (units,):
            raise ValueError(
                f"plot_unit_regions: output_weights has shape {np.shape(output_weights)}; the hidden "
                f"layer has {units} units, so it needs shape ({units},) or ({units}, 1)."
            )
        shaded = np.where(w[:, None, None] < 0, acts, 1.0 - acts)
        label = "unit says 'bad roast' (0 to 1)"
    if fig is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(3.6 * units + 1.0, 3.4), layout="constrained")
    else:
        fig.clear()
    axes = fig.subplots(1, units, sharey=True, squeeze=False)[0]
    cmap = _white_to(COLORS["orange"])
    for j, ax in enumerate(axes):
        mesh = ax.pcolormesh(T, D, shaded[j], cmap=cmap, vmin=0.0, vmax=1.0, shading="nearest")
        ax.contour(T, D, acts[j], levels=[0.5], colors="black", linestyles="--", linewidths=1)
        _overlay(ax, X, Y, "plot_unit_regions")
        _format_plane(ax)
        title = f"Layer 1, unit {j}"
        if output_weights is not None:
            title += f"  (output weight {w[j]:+.1f})"
        ax.set_title(title, fontsize=10)
        if j > 0:
            ax.set_ylabel("")
    fig.colorbar(mesh, ax=list(axes), label=label, shrink=0.9)
    return fig


def _white_to(color: str):
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list(f"white_to_{color}", ["white", color])


def plot_probability(prob_fn: RawFunction, X=None, Y=None, threshold: float = 0.5, n_grid: int = 80,
                     ax=None):
    """The network's probability of a good roast over the plane. Week 1, lessons 2–3.

    ``prob_fn`` maps raw inputs ``(n, 2)`` to probabilities ``(n,)`` or ``(n, 1)``; it is called
    once, on an ``n_grid × n_grid`` grid. The solid line is where the probability equals
    ``threshold``. ``X, Y`` optionally overlay the data. Returns the Axes.
    """
    T, D, out = _evaluate_on_grid(prob_fn, n_grid, "plot_probability")
    prob = _single_output(out, "plot_probability")
    ax = axes_or_new(ax, figsize=(6.4, 4.0))
    mesh = ax.pcolormesh(T, D, prob, cmap=_white_to(COLORS["green"]), vmin=0.0, vmax=1.0,
                         shading="nearest")
    ax.contour(T, D, prob, levels=[threshold], colors="black", linewidths=1.2)
    _overlay(ax, X, Y, "plot_probability")
    _format_plane(ax)
    ax.set_title(f"Output unit: P(good roast); line at {threshold:g}")
    ax.figure.colorbar(mesh, ax=ax, label="P(good roast)")
    return ax


def plot_decision(prob_fn: RawFunction, X=None, Y=None, threshold: float = 0.5, n_grid: int = 80,
                  show_rule: bool = True, ax=None):
    """The decision ``P(good roast) >= threshold`` over the plane. Week 1, lessons 2–3.

    ``prob_fn`` maps raw inputs ``(n, 2)`` to probabilities ``(n,)`` or ``(n, 1)``; it is called
    once, on an ``n_grid × n_grid`` grid. Green is where the network says *good roast*.
    ``show_rule`` outlines the triangle that labelled the data, to compare with. ``X, Y``
    optionally overlay the data. Returns the Axes.
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    T, D, out = _evaluate_on_grid(prob_fn, n_grid, "plot_decision")
    decision = (_single_output(out, "plot_decision") >= threshold).astype(float)
    ax = axes_or_new(ax, figsize=(7.2, 4.0))
    cmap = ListedColormap(["#f2f2f2", "#b9e6cf"])
    ax.pcolormesh(T, D, decision, cmap=cmap, vmin=0.0, vmax=1.0, shading="nearest")
    regions = [Patch(facecolor="#b9e6cf", label="predicted good"),
               Patch(facecolor="#f2f2f2", edgecolor="#cccccc", label="predicted bad")]
    if show_rule:
        _draw_rule(ax)
    _overlay(ax, X, Y, "plot_decision", labels=True)
    _format_plane(ax)
    ax.set_title(f"Decision: good roast if P ≥ {threshold:g}")
    labelled, _ = ax.get_legend_handles_labels()  # the rule's outline and the data, if drawn
    ax.legend(handles=regions + labelled, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


def _single_output(out: np.ndarray, func: str) -> np.ndarray:
    if out.shape[0] != 1:
        raise ValueError(
            f"{func}: fn returned {out.shape[0]} outputs per input; it needs one probability per "
            "input, shape (n,) or (n, 1)."
        )
    return out[0]
