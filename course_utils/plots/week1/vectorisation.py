"""Figure for ``notebooks/week1/04_vectorisation.ipynb`` (vectorisation): loop versus ``np.matmul`` timings."""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.axes import axes_or_new
from course_utils.plots.core.style import COLORS


def plot_timings(sizes, loop_seconds, vectorised_seconds, ax=None,
                 labels=("Python loop", "np.matmul")):
    """Time of one layer's forward pass against the batch size, log-log. ``notebooks/week1/04_vectorisation.ipynb``.

    ``sizes: (k,)`` batch sizes m (examples); ``loop_seconds`` and ``vectorised_seconds: (k,)``
    the measured time per call in seconds, all positive. The speed-up at the largest batch is
    written next to it. Returns the Axes.
    """
    sizes = np.asarray(sizes, dtype=float).reshape(-1)
    loop = np.asarray(loop_seconds, dtype=float).reshape(-1)
    vec = np.asarray(vectorised_seconds, dtype=float).reshape(-1)
    for name, values in (("loop_seconds", loop), ("vectorised_seconds", vec)):
        if values.shape != sizes.shape:
            raise ValueError(
                f"plot_timings: {name} has shape {values.shape} but sizes has shape {sizes.shape}; "
                f"it needs one time per batch size, shape {sizes.shape}."
            )
    if sizes.size == 0 or (sizes <= 0).any() or (loop <= 0).any() or (vec <= 0).any():
        raise ValueError("plot_timings: sizes and times must be non-empty and positive (log axes).")
    ax = axes_or_new(ax)
    ax.loglog(sizes, loop, "o-", color=COLORS["red"], label=labels[0])
    ax.loglog(sizes, vec, "s-", color=COLORS["blue"], label=labels[1])
    i = int(np.argmax(sizes))
    ax.annotate(
        f"{loop[i] / vec[i]:,.0f}× faster",
        xy=(sizes[i], np.sqrt(loop[i] * vec[i])), xytext=(-8, 0), textcoords="offset points",
        ha="right", va="center",
    )
    ax.vlines(sizes[i], vec[i], loop[i], colors="grey", linestyles=":", linewidth=1)
    ax.set_xlabel("batch size m (examples)")
    ax.set_ylabel("time per forward pass (seconds)")
    ax.set_title("One dense layer: loop versus matrix product")
    ax.legend(loc="upper left")
    return ax
