"""Figures of the shallow-network lesson: activations next to their derivatives. ``notebooks/week3/05_shallow_network.ipynb``
(and ``notebooks/week2/01_training_and_activations.ipynb``'s gallery of activations, laid out in a grid).

The lesson's decision boundaries are drawn by :mod:`course_utils.plots.week3.assignment_planar_data` (shared with the
graded assignment on planar data), its scatter of two classes by
:func:`course_utils.plots.week2.multiclass.plot_classes`.
"""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.style import COLORS


def plot_activations(z, curves, fig=None, ncols=None, sharey=True):
    """Each activation next to its derivative, one panel per activation.

    ``z: (k,)`` the inputs, sorted; ``curves`` maps a name to ``(g, dg)``, the activation's values
    ``g(z)`` and its derivative's ``g'(z)``, each ``(k,)``. The function is the solid line, the
    derivative the dashed one. The panels fill rows of ``ncols`` (default: all in one row);
    ``sharey=False`` gives each panel its own vertical scale (for functions of different ranges).
    Returns the Figure (``fig``, cleared, or a new pyplot figure).
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
    ncols = len(curves) if ncols is None else ncols
    if ncols < 1:
        raise ValueError(f"plot_activations: ncols is {ncols}; it needs at least one column.")
    nrows = -(-len(curves) // ncols)  # ceiling division: enough rows for every activation
    if fig is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(3.7 * ncols, 3.3 * nrows), layout="constrained")
    else:
        fig.clear()
    grid = fig.subplots(nrows, ncols, sharex=nrows > 1, sharey=sharey, squeeze=False)
    axes = grid.ravel()
    for ax in axes[len(curves):]:  # a last row that is not full
        ax.remove()
    for ax, (name, (g, dg)) in zip(axes, curves.items()):
        ax.axhline(0, color="0.6", linewidth=0.8)
        ax.axvline(0, color="0.6", linewidth=0.8)
        ax.plot(z, g, color=COLORS["blue"], label=f"{name}$(z)$")
        ax.plot(z, dg, color=COLORS["red"], linestyle="--", label="its derivative")
        ax.set_title(name)
        ax.legend(loc="upper left")
    for column in range(min(ncols, len(curves))):  # z under each column's lowest panel, with ticks
        lowest = grid[(len(curves) - 1 - column) // ncols, column]
        lowest.set_xlabel("$z$")
        lowest.xaxis.set_tick_params(labelbottom=True)
    for row in grid:
        row[0].set_ylabel("value")
    return fig
