"""Figures of the regularisation lesson: the training and cross-validation costs of a λ sweep, and
how large the weights stay for each λ. ``notebooks/week5/03_regularisation.ipynb``.

The λ values are drawn one per tick, evenly spaced, in the order given (a sweep such as 0, 0.01,
0.03, 0.1, … is roughly geometric, so this reads like a log axis that also has room for λ = 0).
"""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.axes import axes_or_new
from course_utils.plots.core.style import COLORS


def _lambda_axis(lambdas, *series) -> tuple[np.ndarray, list[np.ndarray]]:
    """Tick positions 0 … k-1 for the ``k`` λ values, and each of ``series`` as a float array of
    shape ``(k,)``; a series of another length raises ``ValueError``."""
    k = len(lambdas)
    arrays = []
    for name, values in series:
        arr = np.asarray(values, dtype=float).reshape(-1)
        if arr.shape != (k,):
            raise ValueError(f"{name} has shape {arr.shape}; it needs one value per λ, ({k},).")
        arrays.append(arr)
    return np.arange(k), arrays


def _set_lambda_ticks(ax, lambdas) -> None:
    ax.set_xticks(range(len(lambdas)), [f"{lam:g}" for lam in lambdas])
    ax.set_xlabel("regularisation strength λ")


def plot_lambda_sweep(lambdas, j_train, j_cv, ax=None, title: str = "Costs after training, by λ"):
    """``J_train`` (blue) and ``J_cv`` (red) of one trained network per λ, the λ with the lowest
    ``J_cv`` marked by a dashed vertical line, a ring and the label "lowest J_cv: λ = …".

    ``lambdas``: the k values of λ (≥ 0), in the order they are drawn; ``j_train``, ``j_cv``:
    ``(k,)`` mean cross-entropies (dimensionless), WITHOUT the penalty term. Returns the Axes.
    """
    x, (train, cv) = _lambda_axis(lambdas, ("j_train", j_train), ("j_cv", j_cv))
    ax = axes_or_new(ax, figsize=(6.4, 4.0))
    ax.plot(x, train, "o-", color=COLORS["blue"], label="$J_{train}$")
    ax.plot(x, cv, "s-", color=COLORS["red"], label="$J_{cv}$")
    best = int(np.argmin(cv))
    top = max(train.max(), cv.max()) * 1.12
    ax.axvline(best, color="0.4", ls="--", lw=1, zorder=0)
    ax.plot(best, cv[best], "o", ms=14, mfc="none", mec="0.25", mew=1.2)
    # At the top, right of the line: the costs there are low on the left and rising on the right.
    ax.text(best + 0.12, top * 0.97, f"lowest $J_{{cv}}$: λ = {lambdas[best]:g}", ha="left",
            va="top", fontsize="small", color="0.25")
    _set_lambda_ticks(ax, lambdas)
    ax.set_ylabel("cost (mean cross-entropy)")
    ax.set_ylim(0, top)
    ax.legend(loc="center left")  # upper left would cover the λ = 0 points
    ax.set_title(title)
    return ax


def plot_weight_sizes(lambdas, squared_norms, ax=None,
                      title: str = "How large the weights stay, by λ"):
    """One bar per λ: ``Σ_l ‖W[l]‖²_F`` of the network trained with that λ (the sum of the squares
    of all its weights), its value written above the bar.

    ``lambdas``: the k values of λ; ``squared_norms``: ``(k,)`` non-negative numbers (squared
    weight units; the weights of these networks are dimensionless). Returns the Axes.
    """
    x, (sizes,) = _lambda_axis(lambdas, ("squared_norms", squared_norms))
    ax = axes_or_new(ax, figsize=(6.4, 4.0))
    ax.bar(x, sizes, color=COLORS["purple"], width=0.6)
    for xi, size in zip(x, sizes):
        ax.text(xi, size, f"{size:.3g}" if size >= 0.01 else "≈ 0", ha="center", va="bottom",
                fontsize="small")
    _set_lambda_ticks(ax, lambdas)
    ax.set_ylabel(r"$\sum_l \|W^{[l]}\|_F^2$")
    ax.set_ylim(0, sizes.max() * 1.12 if sizes.max() > 0 else 1)
    ax.set_title(title)
    ax.grid(axis="x", visible=False)  # the bars stand on the λ ticks; vertical lines add nothing
    return ax
