"""Figures of the hyperparameters lesson: cost curves of runs that differ in one hyperparameter,
and a sweep over two hyperparameters as an annotated heat map. ``notebooks/week4/06_hyperparameters.ipynb``.
"""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.axes import axes_or_new
from course_utils.plots.core.style import COLORS
from course_utils.plots.week3.assignment_logistic_regression import plot_cost_curves

#: One line style per curve, in order: runs that end on the same values (two stuck at ln 2) stay
#: visible on top of each other.
LINE_STYLES = ["-", "--", "-.", ":"]

#: ln 2 ≈ 0.693: the cross-entropy of a network that answers 0.5 for every example (it has
#: learned nothing, or its units have all switched off).
GUESSING_COST = float(np.log(2.0))


def plot_cost_by_setting(curves, every: int = 10, ax=None, title: str = "Training cost",
                         legend_title: str | None = None):
    """One cost curve per setting of a hyperparameter, on a log cost axis, with the cost of
    guessing 0.5 for everything (ln 2) as a thin dashed grey line. The curves take the
    :data:`LINE_STYLES` in turn, so that runs with the same costs stay told apart.

    ``curves`` maps a label (``"α = 0.1"``) to the costs recorded every ``every`` iterations from
    iteration 0 (the mean cross-entropy, dimensionless). Drawn by week 3's
    :func:`~course_utils.plots.week3.assignment_logistic_regression.plot_cost_curves`. Returns the Axes.
    """
    ax = plot_cost_curves(curves, every=every, ax=axes_or_new(ax, figsize=(7.2, 3.8)), log=True,
                          title=title, legend_title=legend_title)
    legend = ax.get_legend()
    handles = legend.legend_handles if legend else []
    for k, line in enumerate(ax.lines):
        line.set_linestyle(LINE_STYLES[k % len(LINE_STYLES)])
        if k < len(handles):
            handles[k].set_linestyle(LINE_STYLES[k % len(LINE_STYLES)])
    ax.axhline(GUESSING_COST, color="0.45", ls="--", lw=1, zorder=0)
    # Labelled under the line rather than in the legend (the legend is about the runs): a run
    # stuck at ln 2 runs along the line's upper edge.
    ax.text(0.99, GUESSING_COST, "ln 2: output 0.5 for everything", transform=ax.get_yaxis_transform(),
            ha="right", va="top", fontsize="small", color="0.35")
    return ax


def plot_sweep(values, rows, columns, ax=None, row_label: str = "learning rate α",
               column_label: str = "units per hidden layer", title: str | None = None,
               value_label: str = "validation accuracy", fmt: str = "{:.3f}", best: str = "max",
               cmap: str = "viridis"):
    """A sweep over two hyperparameters as a heat map: cell ``(i, j)`` is the result of the run
    with ``rows[i]`` and ``columns[j]``, written in the cell; the best cell (every one, if several
    tie) is outlined in red.

    ``values: (len(rows), len(columns))`` — one number per run (e.g. an accuracy, a fraction in
    [0, 1], or a cost); NaN cells (a run that failed) are left blank and marked "—". ``rows``,
    ``columns`` — the hyperparameters' values, shown as tick labels (strings are kept as they
    are). ``best`` is ``"max"`` (accuracies) or ``"min"`` (costs). Returns the Axes.
    """
    grid = np.asarray(values, dtype=float)
    if grid.shape != (len(rows), len(columns)):
        raise ValueError(f"plot_sweep: values has shape {grid.shape}; it must be "
                         f"(len(rows), len(columns)) = ({len(rows)}, {len(columns)}).")
    if best not in ("max", "min"):
        raise ValueError(f"plot_sweep: best must be 'max' or 'min', got {best!r}.")
    if np.isnan(grid).all():
        raise ValueError("plot_sweep: every value is NaN; there is nothing to draw.")
    ax = axes_or_new(ax, figsize=(6.4, 4.2))
    image = ax.imshow(grid, cmap=cmap, origin="lower", aspect="auto")
    ax.figure.colorbar(image, ax=ax, label=value_label)
    ax.grid(False)  # the course style's grid would cut through the cells
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            value = grid[i, j]
            text = "—" if np.isnan(value) else fmt.format(value)
            ax.text(j, i, text, ha="center", va="center", fontsize="small",
                    color="white" if np.isnan(value) or _is_dark(image, value) else "black")
    target = np.nanmax(grid) if best == "max" else np.nanmin(grid)
    # Every cell that ties for the best is outlined: picking one of equals would claim a winner.
    for i, j in zip(*np.nonzero(grid == target)):
        ax.add_patch(_outline(j, i))
    ax.set_xticks(range(len(columns)), [str(c) for c in columns])
    ax.set_yticks(range(len(rows)), [str(r) for r in rows])
    ax.set(xlabel=column_label, ylabel=row_label)
    if title:
        ax.set_title(title)
    return ax


def _is_dark(image, value) -> bool:
    """Whether the colour ``image`` gives ``value`` is dark (so its text is written in white)."""
    red, green, blue, _ = image.cmap(image.norm(value))
    return 0.299 * red + 0.587 * green + 0.114 * blue < 0.5  # perceived luminance (ITU-R 601)


def _outline(x, y):
    """A red square around the cell at column ``x``, row ``y``."""
    from matplotlib.patches import Rectangle

    return Rectangle((x - 0.48, y - 0.48), 0.96, 0.96, fill=False, edgecolor=COLORS["red"], lw=2.5)
