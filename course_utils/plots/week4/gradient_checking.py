"""Figures of the gradient-checking lesson: which ε to use, and which parameters a failed check
points at. ``notebooks/week4/03_gradient_checking.ipynb``."""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.axes import axes_or_new
from course_utils.plots.core.style import COLORS
from course_utils.plots.week2.derivatives import plot_difference_errors

#: Where zeros are drawn on a log axis (an exactly equal entry has no logarithm).
LOG_FLOOR = 1e-18


def plot_epsilon_sweep(epsilons, errors, machine_eps=None, ax=None):
    """The error of finite-difference gradients against the step ε, on log-log axes, with each
    curve's minimum circled (and given in the legend) and the step ∛(machine ε) drawn as a
    dotted vertical line.

    ``epsilons: (k,)`` — the steps; ``errors`` — ``{label: (k,)}``, each method's error at those
    steps (here the relative difference to the backprop gradient, a pure number);
    ``machine_eps`` — the spacing of floats near 1 (default float64's, 2.2e-16). Drawn by week 2's
    :func:`~course_utils.plots.week2.derivatives.plot_difference_errors`. Returns the Axes.
    """
    u = float(np.finfo(float).eps if machine_eps is None else machine_eps)
    ax = plot_difference_errors(epsilons, errors, ax=axes_or_new(ax, figsize=(7.2, 4.2)))
    eps = np.asarray(epsilons, dtype=float)
    for line, err in zip(ax.lines, errors.values()):
        err = np.abs(np.asarray(err, dtype=float))
        best = int(np.argmin(err))
        ax.plot(eps[best], err[best], "o", ms=13, mfc="none", mew=2, color=line.get_color())
        # In the legend, not next to the circle: a V's minimum sits among the other curves.
        line.set_label(f"{line.get_label()}: smallest {err[best]:.0e} at ε = {eps[best]:.0e}")
    ax.axvline(u ** (1 / 3), color=COLORS["purple"], ls=":", lw=1.5,
               label=r"$\sqrt[3]{\mathrm{machine}\ \varepsilon}$" + f" = {u ** (1 / 3):.1e}")
    ax.set(ylabel="relative difference to backprop", title="Round-off (left) against truncation (right)")
    # Upper left, clear of the curves (they start low on the left) and of the dotted line.
    ax.legend(loc="upper left", bbox_to_anchor=(0.12, 1.0), fontsize="small")
    return ax


def plot_parameter_differences(differences, blocks, ax=None):
    """Each parameter's ``|g − g_approx|`` (backprop minus two-sided difference), on a log axis,
    in the flattened vector's order, with each parameter array's entries on a band of its own.

    ``differences: (n,)`` — absolute differences (zeros are drawn at :data:`LOG_FLOOR`);
    ``blocks`` — ``[(name, size), ...]`` in vector order (``[("W1", 10), ("b1", 5), ...]``), the
    sizes adding up to n. Returns the Axes.
    """
    diff = np.abs(np.asarray(differences, dtype=float))
    sizes = [int(size) for _, size in blocks]
    if diff.ndim != 1 or sum(sizes) != diff.size:
        raise ValueError(f"plot_parameter_differences: differences has shape {diff.shape}; it "
                         f"must be (n,) with n = {sum(sizes)}, the sum of the blocks' sizes.")
    ax = axes_or_new(ax, figsize=(7.2, 3.6))
    ax.set_yscale("log")
    starts = np.concatenate([[0], np.cumsum(sizes)])
    colors = [COLORS["blue"], COLORS["green"], COLORS["orange"], COLORS["purple"]]
    for k, ((name, _), start, stop) in enumerate(zip(blocks, starts[:-1], starts[1:])):
        if k % 2:  # alternate shading so that neighbouring arrays are told apart
            ax.axvspan(start - 0.5, stop - 0.5, color="0.93", zorder=0)
        index = np.arange(start, stop)
        ax.vlines(index, LOG_FLOOR, np.maximum(diff[start:stop], LOG_FLOOR),
                  color=colors[(k // 2) % len(colors)], lw=2)
        ax.text((start + stop - 1) / 2, 1.02, name, transform=ax.get_xaxis_transform(),
                ha="center", va="bottom")
    top = max(float(diff.max()), LOG_FLOOR) * 30
    ax.set(xlim=(-0.5, diff.size - 0.5), ylim=(max(float(diff[diff > 0].min(initial=top)) / 30,
                                                   LOG_FLOOR), top),
           xlabel="entry of the flattened parameter vector θ", ylabel="|backprop − two-sided|")
    ax.set_title("Which parameters disagree", pad=18)
    return ax
