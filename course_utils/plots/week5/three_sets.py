"""Figures of the three-sets lesson: the data's three sets with fitted curves, the training and
cross-validation costs against model complexity, and the cost a selection procedure reports against
the cost its choice really has. ``notebooks/week5/01_three_sets.ipynb``.
"""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.axes import axes_or_new
from course_utils.plots.core.style import COLORS

#: How each set's points are drawn: training filled, cross-validation and test hollow (data the
#: fit never saw), each in its own colour and marker so that they stay apart in grey print too.
SET_STYLES = {
    "training": {"marker": "o", "color": COLORS["blue"], "facecolor": COLORS["blue"]},
    "cross-validation": {"marker": "s", "color": COLORS["orange"], "facecolor": "none"},
    "test": {"marker": "^", "color": COLORS["purple"], "facecolor": "none"},
}


def plot_sets_and_fits(sets, curves=None, ax=None, title: str | None = None,
                       legend_loc: str = "best"):
    """The data's sets as points, and fitted curves over them.

    ``sets`` maps a set's name (``"training"``, ``"cross-validation"``, ``"test"``; other names get
    the next colour) to ``(x, y)``, two arrays of shape ``(m_set,)``. ``curves`` maps a label
    (``"degree 4"``) to ``(x_grid, y_grid)``, two arrays of shape ``(g,)``, drawn as lines in the
    order given; ``legend_loc`` is matplotlib's ``loc`` for the legend. Returns the Axes.
    """
    ax = axes_or_new(ax, figsize=(7.2, 4.2))
    for k, (name, (x, y)) in enumerate(sets.items()):
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        if x.shape != y.shape or x.ndim != 1:
            raise ValueError(f"plot_sets_and_fits: sets[{name!r}] has x {x.shape} and y {y.shape};"
                             " both must be (m_set,).")
        style = SET_STYLES.get(name, {"marker": "D", "color": f"C{k}", "facecolor": f"C{k}"})
        ax.scatter(x, y, s=30, marker=style["marker"], edgecolors=style["color"],
                   facecolors=style["facecolor"], linewidths=1.4, label=f"{name} ({len(x)})",
                   zorder=3)
    line_colors = [COLORS["green"], COLORS["red"], "0.25", COLORS["magenta"]]
    for k, (label, (grid, values)) in enumerate((curves or {}).items()):
        ax.plot(grid, values, color=line_colors[k % len(line_colors)], lw=1.8, label=label,
                ls=["-", "-", "--", ":"][k % 4], zorder=2)
    ax.set(xlabel="x", ylabel="y")
    ax.legend(loc=legend_loc, ncols=2)
    if title:
        ax.set_title(title)
    return ax


def plot_cost_by_complexity(complexity, j_train, j_cv, chosen=None, ax=None,
                            xlabel: str = "polynomial degree", floor: float | None = None,
                            log: bool = True, title: str | None = None):
    """J_train and J_cv against model complexity: one point per model.

    ``complexity: (k,)`` the models' complexity (degrees, units, ...), shown as the x ticks;
    ``j_train, j_cv: (k,)`` their costs on the training and cross-validation sets (the same cost
    function on both, dimensionless). ``chosen`` (an entry of ``complexity``) is marked with a
    vertical line and its J_cv circled; ``floor`` (e.g. the noise's own cost) is drawn as a thin
    dashed grey line, named in the legend. ``log`` puts the costs on a log scale, where an
    overfit model's large J_cv and the small costs near the floor stay readable together.
    Returns the Axes.
    """
    complexity = np.asarray(complexity)
    j_train, j_cv = np.asarray(j_train, dtype=float), np.asarray(j_cv, dtype=float)
    if not complexity.shape == j_train.shape == j_cv.shape or complexity.ndim != 1:
        raise ValueError(f"plot_cost_by_complexity: complexity {complexity.shape}, j_train "
                         f"{j_train.shape} and j_cv {j_cv.shape} must all be (k,), one per model.")
    ax = axes_or_new(ax, figsize=(6.8, 4.0))
    ax.plot(complexity, j_train, "o-", color=COLORS["blue"], label=r"$J_{train}$ (fitted on it)")
    ax.plot(complexity, j_cv, "s-", color=COLORS["orange"], label=r"$J_{cv}$ (new to the fit)")
    if floor is not None:
        ax.axhline(floor, color="0.45", ls="--", lw=1, zorder=0, label="noise floor")
    if chosen is not None:
        (where,) = np.nonzero(complexity == chosen)
        if where.size != 1:
            raise ValueError(f"plot_cost_by_complexity: chosen = {chosen!r} is not one of "
                             f"complexity {complexity.tolist()}.")
        ax.axvline(chosen, color="0.3", lw=1, ls=":", zorder=0)
        ax.plot([chosen], [j_cv[where[0]]], "o", ms=14, mfc="none", mec=COLORS["red"], mew=2,
                label=f"chosen: smallest $J_{{cv}}$ ({chosen})")
    if log:
        from matplotlib.ticker import FuncFormatter

        ax.set_yscale("log")
        # Plain decimals (0.05, not 5×10⁻²): the costs are compared with numbers in the text.
        # Between powers of ten only 2, 3 and 5 are labelled, so that the labels never crowd.
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.2g}"))
        ax.yaxis.set_minor_formatter(FuncFormatter(
            lambda value, _: f"{value:.2g}" if f"{value:.0e}"[0] in "235" else ""))
    ax.set_xticks(complexity)
    ax.set(xlabel=xlabel, ylabel="cost J")
    ax.legend(loc="upper right")
    if title:
        ax.set_title(title)
    return ax


def plot_reported_vs_true(reported, true, ax=None, floor: float | None = None,
                          title: str | None = None):
    """What selection procedures report against what their chosen models really cost.

    ``reported`` and ``true`` map a procedure's label to arrays of shape ``(runs,)``: the cost it
    reports for its chosen model in each run, and that model's cost on fresh data from the same
    generator. For each procedure two bars show the means over the runs, with error bars of two
    standard errors of each mean; ``floor`` (the noise's own cost, which no model beats on
    average) is a thin dashed grey line. Returns the Axes.
    """
    if list(reported) != list(true):
        raise ValueError(f"plot_reported_vs_true: reported has the procedures {list(reported)}, "
                         f"true has {list(true)}; they must be the same, in the same order.")
    ax = axes_or_new(ax, figsize=(7.2, 4.0))
    positions = np.arange(len(reported))
    tops = []
    for offset, values, color, label in ((-0.2, reported, COLORS["red"], "reported"),
                                         (0.2, true, COLORS["blue"], "true (fresh data)")):
        arrays = [np.asarray(v, dtype=float) for v in values.values()]
        means = [a.mean() for a in arrays]
        errors = [2 * a.std(ddof=1) / np.sqrt(a.size) for a in arrays]
        ax.bar(positions + offset, means, width=0.4, color=color, alpha=0.85, label=label,
               yerr=errors, capsize=4)
        tops += [m + e for m, e in zip(means, errors)]
        for x, mean in zip(positions + offset, means):
            ax.text(x, mean / 2, f"{mean:.4f}", ha="center", va="center", rotation=90,
                    color="white", fontsize="small")
    if floor is not None:
        ax.axhline(floor, color="0.45", ls="--", lw=1, zorder=3, label="noise floor")
    ax.set_ylim(0, 1.2 * max(tops))  # room for the legend above the bars
    ax.set_xticks(positions, list(reported))
    ax.set_ylabel("mean cost J over the runs")
    ax.grid(axis="x", visible=False)
    ax.legend(loc="upper left", ncols=3)
    if title:
        ax.set_title(title)
    return ax
