"""Figures of the softmax lesson: logits and probabilities as bars; naive vs stable. ``notebooks/week2/03_softmax.ipynb``."""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.axes import axes_or_new
from course_utils.plots.core.style import COLORS


def plot_softmax_bars(z, probs, axes=None, zlim=(-10.0, 10.0)):
    """Logits ``z: (n,)`` as bars (left) and their softmax probabilities ``probs: (n,)`` (right).

    ``axes``: two Axes, or ``None`` for a new pyplot figure. The y-limits are fixed (``zlim`` for the
    logits, [0, 1] for probabilities) so that the bars can move without the plot rescaling.
    Returns ``(axes, artists)`` with ``"logit_bars"`` and ``"prob_bars"`` (lists of Rectangle — update
    with ``set_height``) and ``"prob_labels"`` (the value above each probability bar).
    """
    z = np.asarray(z, dtype=float)
    probs = np.asarray(probs, dtype=float)
    if z.ndim != 1 or probs.shape != z.shape:
        raise ValueError(
            f"plot_softmax_bars: z has shape {z.shape} and probs {probs.shape}; both must be (n,)."
        )
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, 2, figsize=(8.5, 3.2), layout="constrained")
    ax_z, ax_p = axes
    classes = np.arange(z.size)
    names = [f"class {j}" for j in classes]
    logit_bars = ax_z.bar(classes, z, color=COLORS["blue"], width=0.6)
    ax_z.axhline(0.0, color="0.3", lw=0.8)
    ax_z.set(title="Logits $z_j$", ylim=zlim, xticks=classes, xticklabels=names)
    prob_bars = ax_p.bar(classes, probs, color=COLORS["orange"], width=0.6)
    ax_p.set(title=r"Probabilities $a_j = \mathrm{softmax}(z)_j$", ylim=(0.0, 1.12),
             xticks=classes, xticklabels=names)
    labels = [
        ax_p.text(j, p + 0.02, f"{p:.3f}", ha="center", va="bottom", fontsize=9)
        for j, p in zip(classes, probs)
    ]
    return axes, {"logit_bars": list(logit_bars), "prob_bars": list(prob_bars), "prob_labels": labels}


def plot_overflow(shifts, naive, stable, ax=None):
    """The largest softmax probability as the logits grow, computed naively and stably.

    ``shifts: (k,)`` — a constant added to every logit; ``naive``, ``stable: (k,)`` — the largest
    probability each way (NaN where the naive formula overflowed). Returns the Axes.
    """
    ax = axes_or_new(ax, figsize=(6.4, 3.4))
    shifts = np.asarray(shifts, dtype=float)
    naive = np.asarray(naive, dtype=float)
    ax.plot(shifts, stable, color=COLORS["blue"], lw=4, alpha=0.5, label="stable: subtract max(z) first")
    ax.plot(shifts, naive, color=COLORS["red"], label="naive: exp(z) / sum(exp(z))")
    broken = ~np.isfinite(naive)
    if broken.any():
        first = shifts[broken][0]
        ax.axvspan(first, shifts[-1], color=COLORS["red"], alpha=0.1)
        ax.annotate(f"exp overflows:\nNaN from $c \\approx {first:.0f}$", (first, 0.4),
                    xytext=(-8, 0), textcoords="offset points", color=COLORS["red"], ha="right")
    ax.set(xlabel="constant $c$ added to every logit", ylabel="largest probability",
           ylim=(0.0, 1.0), title="Same logits, shifted: the answer should not change")
    ax.legend(loc="lower left")
    return ax
