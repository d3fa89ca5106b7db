"""Figures of the bias-and-variance lesson: error reports as bars against a baseline, fitted
curves over the data, error curves (learning curves, errors against the degree, the network's
size or λ), and the diagnosis lab's figure. ``notebooks/week5/02_bias_variance.ipynb``.

Errors are costs ``J`` (or error rates) in the units the caller uses; every helper labels them
``J_train``, ``J_cv`` and ``J_base`` (the baseline).
"""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.axes import axes_or_new
from course_utils.plots.core.style import COLORS

#: One colour per error, in every figure of the lesson.
ERROR_COLORS = {"baseline": "0.55", "train": COLORS["blue"], "cv": COLORS["red"]}
ERROR_NAMES = ("baseline", "train", "cv")
ERROR_LABELS = {"baseline": r"$J_{base}$", "train": r"$J_{train}$", "cv": r"$J_{cv}$"}


def _vector(values, name: str, size: int | None = None) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or (size is not None and arr.size != size):
        want = f"({size},)" if size is not None else "(k,)"
        raise ValueError(f"{name} has shape {arr.shape}; it must be {want}.")
    return arr


def plot_error_reports(reports, tolerance: float, ax=None, unit: str = "%",
                       title: str = "Four error reports"):
    """Grouped bars, one group per report: the baseline, ``J_train`` and ``J_cv``, each value written
    on its bar, and under each group the two gaps that the diagnosis reads.

    ``reports`` maps a label to ``(j_train, j_cv, baseline)`` (numbers in ``unit``); ``tolerance``
    ``τ`` (same unit) decides whether a gap is drawn as large (bold, red) or not; gaps between
    percentages are written in (percentage) points. Returns the Axes.
    """
    if not reports:
        raise ValueError("plot_error_reports: reports is empty; pass {label: (j_train, j_cv, baseline)}.")
    ax = axes_or_new(ax, figsize=(9.0, 4.0))
    width = 0.26
    top = max(max(r) for r in reports.values())
    for k, (label, report) in enumerate(reports.items()):
        if len(report) != 3:
            raise ValueError(f"plot_error_reports: report {label!r} has {len(report)} numbers; it "
                             "must be (j_train, j_cv, baseline).")
        j_train, j_cv, baseline = (float(v) for v in report)
        for offset, name, value in zip((-width, 0.0, width), ERROR_NAMES, (baseline, j_train, j_cv)):
            ax.bar(k + offset, value, width * 0.92, color=ERROR_COLORS[name],
                   label=ERROR_LABELS[name] if k == 0 else None)
            ax.text(k + offset, value + 0.01 * top, f"{value:g}", ha="center", va="bottom",
                    fontsize="small")
        for row, (gap_name, gap) in enumerate((("bias", j_train - baseline),
                                               ("variance", j_cv - j_train))):
            large = gap > tolerance
            # a difference of two percentages is in percentage points, not per cent
            gap_unit = " points" if unit == "%" else unit
            ax.text(k, -0.09 * top - 0.075 * top * row, f"{gap_name} gap {gap:+.1f}{gap_unit}",
                    ha="center", va="top", fontsize="small", color=COLORS["red"] if large else "0.3",
                    fontweight="bold" if large else "normal")
    ax.axhline(0, color="0.3", lw=0.8)
    ax.set_xticks(range(len(reports)), list(reports))
    ax.tick_params(axis="x", length=0, pad=2)
    ax.xaxis.set_ticks_position("top")
    ax.set_ylim(-0.27 * top, 1.15 * top)
    ax.set_yticks([t for t in ax.get_yticks() if 0 <= t <= top * 1.1])
    ax.set_ylabel(f"error ({unit})")
    ax.set_title(title, pad=22)
    ax.legend(loc="upper left", ncols=3)
    return ax


def plot_fits(x_train, y_train, grid, curves, truth=None, axes=None, ylim=None):
    """One panel per fitted model: the training points, the model's curve and (dashed) the true
    function. ``x_train, y_train: (m,)``; ``grid: (k,)``; ``curves`` maps a panel title to the
    model's predictions at ``grid``, ``(k,)``; ``truth``: the true function at ``grid`` ``(k,)``, or
    ``None``. ``ylim`` fixes the vertical range (a wild curve may leave it). Returns the Axes.
    """
    x_train = _vector(x_train, "plot_fits: x_train")
    y_train = _vector(y_train, "plot_fits: y_train", x_train.size)
    grid = _vector(grid, "plot_fits: grid")
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, len(curves), figsize=(3.6 * len(curves), 3.3), layout="constrained",
                               sharey=True)
    axes = np.atleast_1d(axes)
    if len(axes) != len(curves):
        raise ValueError(f"plot_fits: {len(curves)} curves need as many Axes, got {len(axes)}.")
    if ylim is None:
        pad = 0.4 * np.ptp(y_train)
        ylim = (y_train.min() - pad, y_train.max() + pad)
    for ax, (title, curve) in zip(axes, curves.items()):
        ax.scatter(x_train, y_train, s=18, color="0.25", zorder=3, label="training points")
        if truth is not None:
            ax.plot(grid, _vector(truth, "plot_fits: truth", grid.size), color="0.5", ls="--", lw=1.2,
                    label="true function")
        ax.plot(grid, _vector(curve, "plot_fits: a curve", grid.size), color=COLORS["blue"],
                label="model")
        ax.set(title=title, xlabel="$x$", ylim=ylim)
    axes[0].set_ylabel("$y$")
    # Above the data, where the curves (kept inside ylim's middle) leave room.
    axes[0].legend(loc="upper center", fontsize="x-small", ncols=3, handlelength=1.5,
                   columnspacing=0.8)
    return axes


def plot_errors(x, j_train, j_cv, baseline=None, ax=None, xlabel: str = "training-set size $m$",
                title: str | None = None, label: str = "", linestyle: str = "-",
                xscale: str = "linear", ylim=None, tolerance=None, legend_loc: str = "upper right"):
    """``J_train`` (blue) and ``J_cv`` (red) against ``x`` (a training-set size, a degree, a
    number of units, λ …), and the baseline as a grey horizontal line.

    ``x, j_train, j_cv: (k,)``; ``label`` is added to the legend entries (call twice on the same
    Axes with another ``linestyle`` to compare two settings); ``tolerance``: also shade the band
    ``J_base … J_base + τ`` where ``J_train`` counts as close to the baseline. ``xscale="symlog"``
    shows λ = 0 next to 10⁻⁴ … 10; with ``"log"`` the ticks are the values of ``x`` (sizes of a
    network). ``ylim`` fixes the range (errors above it leave the top). Returns the Axes.
    """
    x = _vector(x, "plot_errors: x")
    j_train = _vector(j_train, "plot_errors: j_train", x.size)
    j_cv = _vector(j_cv, "plot_errors: j_cv", x.size)
    ax = axes_or_new(ax, figsize=(6.4, 3.8))
    suffix = f" {label}" if label else ""
    ax.plot(x, j_train, "o", ls=linestyle, ms=3.5, color=ERROR_COLORS["train"],
            label=ERROR_LABELS["train"] + suffix)
    ax.plot(x, j_cv, "o", ls=linestyle, ms=3.5, color=ERROR_COLORS["cv"], label=ERROR_LABELS["cv"] + suffix)
    if baseline is not None and not any(line.get_gid() == "baseline" for line in ax.lines):
        ax.axhline(baseline, color=ERROR_COLORS["baseline"], ls=":", lw=1.6, gid="baseline",
                   label=ERROR_LABELS["baseline"])
        if tolerance is not None:
            ax.axhspan(baseline, baseline + tolerance, color=ERROR_COLORS["baseline"], alpha=0.15, lw=0,
                       label=r"$J_{base} + \tau$")
    if xscale == "symlog":
        linthresh = float(np.min(x[x > 0]))
        ax.set_xscale("symlog", linthresh=linthresh)
        ax.set_xlim(x.min() - 0.5 * linthresh, 1.5 * x.max())  # no empty negative half
    else:
        ax.set_xscale(xscale)
    if xscale == "log":
        from matplotlib.ticker import NullLocator

        ax.set_xticks(x, [f"{v:g}" for v in x])
        ax.xaxis.set_minor_locator(NullLocator())
    ax.set(xlabel=xlabel, ylabel="cost $J$")
    if ylim is not None:
        ax.set_ylim(*ylim)
    else:
        ax.set_ylim(bottom=0)
    if title:
        ax.set_title(title)
    ax.legend(loc=legend_loc, fontsize="small")
    return ax


def plot_diagnosis_lab(x_train, y_train, x_cv, y_cv, grid, curve, errors, tolerance: float,
                       axes=None, bar_max: float | None = None):
    """The diagnosis lab's figure: left, the training points (dark) and cross-validation points
    (light) with the model's curve; right, three bars (``J_base``, ``J_train``, ``J_cv``) with
    their values, and the dashed level ``J_base + τ``.

    ``x_*, y_*: (m,)``; ``grid, curve: (k,)``; ``errors = (baseline, j_train, j_cv)``; the limits are
    fixed (a bar above ``bar_max``, by default 8 τ above the baseline, is cut there and its label
    says its value). ``axes``: two Axes, or ``None`` for a new pyplot figure. Returns
    ``(axes, artists)``: ``"curve"`` (``Line2D``), ``"bars"`` and ``"labels"`` (three each) and
    ``"bar_max"``; update them with :func:`set_error_bars` and ``artists["curve"].set_ydata``.
    """
    grid = _vector(grid, "plot_diagnosis_lab: grid")
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained",
                               gridspec_kw={"width_ratios": [1.5, 1]})
    ax_fit, ax_bars = axes
    ax_fit.scatter(x_cv, y_cv, s=10, color=ERROR_COLORS["cv"], alpha=0.35, label="cross-validation")
    ax_fit.scatter(x_train, y_train, s=18, color="0.2", zorder=3, label="training")
    line = ax_fit.plot(grid, _vector(curve, "plot_diagnosis_lab: curve", grid.size),
                       color=COLORS["blue"], lw=2, zorder=4)[0]
    y_all = np.concatenate([np.asarray(y_train, float), np.asarray(y_cv, float)])
    pad = 0.25 * np.ptp(y_all)
    ax_fit.set(xlim=(grid[0], grid[-1]), ylim=(y_all.min() - pad, y_all.max() + pad), xlabel="$x$",
               ylabel="$y$", title="The model and the data")
    ax_fit.legend(loc="lower left", fontsize="small", ncols=2)
    baseline = float(errors[0])
    if bar_max is None:
        bar_max = baseline + 8 * tolerance
    names = ERROR_NAMES
    bars = list(ax_bars.bar(range(3), [0, 0, 0], 0.6, color=[ERROR_COLORS[n] for n in names]))
    labels = [ax_bars.text(k, 0, "", ha="center", va="bottom", fontsize="small") for k in range(3)]
    ax_bars.axhline(baseline + tolerance, color="0.3", ls="--", lw=1)
    ax_bars.text(-0.45, baseline + tolerance, r"$J_{base} + \tau$", ha="left", va="bottom",
                 fontsize="small", color="0.3")
    ax_bars.set_xticks(range(3), [ERROR_LABELS[n] for n in names])
    ax_bars.set(ylim=(0, 1.12 * bar_max), xlim=(-0.5, 2.5), ylabel="cost $J$", title="Errors")
    artists = {"curve": line, "bars": bars, "labels": labels, "bar_max": bar_max}
    set_error_bars(artists, errors)
    return axes, artists


def set_error_bars(artists: dict, errors) -> None:
    """Set the lab's three bars and labels to ``errors = (baseline, j_train, j_cv)``: a bar taller
    than ``artists["bar_max"]`` is cut there and its label starts with an arrow up."""
    top = artists["bar_max"]
    for bar, label, value in zip(artists["bars"], artists["labels"], errors):
        value = float(value)
        shown = min(value, top)
        bar.set_height(shown)
        label.set_y(shown + 0.01 * top)
        label.set_text(f"↑ {value:.3g}" if value > top else f"{value:.3f}")
