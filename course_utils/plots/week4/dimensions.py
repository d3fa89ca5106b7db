"""Figures of the lesson on dimensions and depth: what the units of each layer respond to, and how
many units parity needs, deep or shallow. ``notebooks/week4/01_dimensions.ipynb``.
"""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.axes import axes_or_new
from course_utils.plots.core.style import COLORS


def plot_unit_responses(grid_x, grid_y, layers, output, points, fig=None):
    """What each unit responds to: one row of panels per hidden layer, one panel per unit, and the
    network's output last.

    ``grid_x, grid_y: (r, c)`` the input plane's coordinates (``np.meshgrid``); ``layers`` maps a
    row's title (``"layer 1"``) to that hidden layer's ReLU activations on the grid,
    ``(r, c, units)``; ``output: (r, c)`` the output unit's probability on the grid; ``points =
    (X, y)``, ``X: (m, 2)`` and labels ``y: (m,)`` in {0, 1}, drawn on the output's panel. A hidden
    unit's panel is white where it outputs 0 and darker the larger its output (each panel on its
    own scale: where a unit is on matters here, not how strongly), with a black line along the edge
    of the region where it is on. The output's panel has its decision boundary (probability 0.5)
    in black. Returns the Figure (``fig``, cleared, or a new pyplot figure).
    """
    grid_x, grid_y = np.asarray(grid_x, dtype=float), np.asarray(grid_y, dtype=float)
    output = np.asarray(output, dtype=float)
    if grid_x.ndim != 2 or grid_x.shape != grid_y.shape or output.shape != grid_x.shape:
        raise ValueError(f"plot_unit_responses: grid_x {grid_x.shape}, grid_y {grid_y.shape} and "
                         f"output {output.shape} need the same 2-D shape (r, c), as np.meshgrid "
                         "gives.")
    if not layers:
        raise ValueError("plot_unit_responses: layers is empty; pass {title: (r, c, units)}.")
    layers = {name: np.asarray(acts, dtype=float) for name, acts in layers.items()}
    for name, acts in layers.items():
        if acts.ndim != 3 or acts.shape[:2] != grid_x.shape:
            raise ValueError(f"plot_unit_responses: layers[{name!r}] has shape {acts.shape}; it "
                             f"needs (r, c, units) with (r, c) = {grid_x.shape}.")
    columns = max(acts.shape[2] for acts in layers.values())
    if fig is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(1.8 * columns + 0.6, 1.9 * (len(layers) + 1)),
                         layout="constrained")
    else:
        fig.clear()
    axes = fig.subplots(len(layers) + 1, columns, squeeze=False, sharex=True, sharey=True)
    cmap = plt_colormap()
    for row, (name, acts) in zip(axes, layers.items()):
        for unit, ax in enumerate(row):
            if unit >= acts.shape[2]:
                ax.set_axis_off()
                continue
            values = acts[:, :, unit]
            top = values.max()
            ax.contourf(grid_x, grid_y, values / top if top > 0 else values,
                        levels=np.linspace(0, 1, 11), cmap=cmap)
            if top > 0 and values.min() == 0:
                ax.contour(grid_x, grid_y, (values > 0).astype(float), levels=[0.5],
                           colors="black", linewidths=1.0)
            ax.set_title(f"unit {unit + 1}", fontsize=9)
        row[0].set_ylabel(name)
    last = axes[-1]
    last[0].contourf(grid_x, grid_y, output, levels=np.linspace(0, 1, 11), cmap=cmap)
    last[0].contour(grid_x, grid_y, output, levels=[0.5], colors="black", linewidths=1.0)
    X, y = np.asarray(points[0], dtype=float), np.asarray(points[1])
    for label, color in ((0, COLORS["red"]), (1, COLORS["yellow"])):
        last[0].scatter(*X[y == label].T, s=5, color=color, alpha=0.8, linewidths=0,
                        label=f"class {label}")
    last[0].set_title("output: P(class 1)", fontsize=9)
    last[0].set_ylabel("output")
    for ax in last[1:]:
        ax.set_axis_off()
    for ax in axes.ravel():
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_aspect("equal")
    return fig


def plt_colormap():
    """White at 0 (a unit that is off), blue towards 1."""
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("off_white_on_blue", ["#ffffff", COLORS["dark_blue"]])


def plot_unit_counts(ns, counts, ax=None):
    """Units needed against the number of input bits n, one line per construction, log scale.

    ``ns: (k,)`` the numbers of bits; ``counts`` maps a construction's name to its unit counts
    ``(k,)`` (hidden units, all layers together). Returns the Axes.
    """
    ns = np.asarray(ns)
    if ns.ndim != 1 or ns.size == 0:
        raise ValueError(f"plot_unit_counts: ns has shape {ns.shape}; it needs (k,), k >= 1.")
    for name, values in counts.items():
        if np.shape(values) != ns.shape:
            raise ValueError(f"plot_unit_counts: counts[{name!r}] has shape {np.shape(values)}; "
                             f"it needs ns's shape {ns.shape}.")
    ax = axes_or_new(ax, figsize=(6, 3.6))
    colors = [COLORS["red"], COLORS["blue"], COLORS["green"], COLORS["purple"]]
    for (name, values), color in zip(counts.items(), colors):
        ax.plot(ns, values, marker="o", color=color, label=name)
    ax.set_yscale("log", base=2)
    ax.set(xlabel="number of input bits $n$", ylabel="hidden units (log scale)", xticks=ns)
    ax.legend(loc="upper left")
    return ax
