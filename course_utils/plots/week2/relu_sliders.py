"""Figures of the ReLU lab: a piecewise-linear target built from ReLU units. ``notebooks/week2/02_relu_sliders.ipynb``."""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.style import COLORS

UNIT_COLORS = (COLORS["orange"], COLORS["green"], COLORS["purple"])


def plot_relu_lab(x, target, units, axes=None, ylim=(-0.5, 5.5)):
    """Draw the target with the model (left) and each unit's contribution (right).

    ``x: (k,)`` inputs; ``target: (k,)``; ``units: (n_units, k)`` — row ``i`` is unit ``i``'s output
    ``max(0, w_i x + b_i)``; the model is their sum. ``axes``: two Axes, or ``None`` for a new pyplot
    figure. ``ylim`` is fixed so that moving a slider never rescales the plot.

    Returns ``(axes, lines)`` where ``lines`` has ``"target"``, ``"model"`` (Line2D) and ``"units"``
    (a list of Line2D, one a unit) — update them with ``set_ydata`` rather than redrawing.
    """
    x = np.asarray(x, dtype=float)
    target = np.asarray(target, dtype=float)
    units = np.atleast_2d(np.asarray(units, dtype=float))
    if target.shape != x.shape or units.shape[1:] != x.shape:
        raise ValueError(
            f"plot_relu_lab: x has shape {x.shape}, target {target.shape}, units {units.shape}; "
            f"target must have shape {x.shape} and units (n_units, {x.shape[0]})."
        )
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, 2, figsize=(9, 3.4), sharey=True, layout="constrained")
    ax_fit, ax_units = axes
    target_line = ax_fit.plot(x, target, color="0.55", lw=5, alpha=0.5, label="target")[0]
    model_line = ax_fit.plot(x, units.sum(axis=0), color=COLORS["blue"], label="model = sum of units")[0]
    ax_fit.set(title="Target and model", xlabel="$x$", ylabel="$y$", ylim=ylim, xlim=(x[0], x[-1]))
    ax_fit.legend(loc="upper center")
    unit_lines = []
    for i, row in enumerate(units):
        color = UNIT_COLORS[i % len(UNIT_COLORS)]
        label = f"unit {i}: $\\max(0, w_{i}x + b_{i})$" + (" (fixed)" if i == 0 else "")
        unit_lines.append(ax_units.plot(x, row, color=color, label=label)[0])
    ax_units.set(title="Each unit's contribution", xlabel="$x$", ylim=ylim, xlim=(x[0], x[-1]))
    ax_units.legend(loc="upper left")
    return axes, {"target": target_line, "model": model_line, "units": unit_lines}
