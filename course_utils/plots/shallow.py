"""Figures of the shallow-network lesson: activations next to their derivatives. Week 3, lesson 5.

The lesson's decision boundaries are drawn by :mod:`course_utils.plots.planar` (shared with the
graded assignment on planar data), its scatter of two classes by
:func:`course_utils.plots.multiclass.plot_classes`.
"""

from __future__ import annotations

import numpy as np

from course_utils.plots import COLORS


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
