"""Figures of the transfer-learning lesson: held-out accuracy against the number of labelled
examples, one line per training strategy, with the spread over seeds. ``notebooks/week5/05_transfer_learning.ipynb``.
"""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.axes import axes_or_new
from course_utils.plots.core.style import COLORS

#: Colour and marker of each strategy, in the order they are drawn (others take the style's cycle).
STRATEGY_STYLES = {
    "from scratch": (COLORS["blue"], "o"),
    "frozen + new output layer": (COLORS["red"], "s"),
    "fine-tuned": (COLORS["green"], "^"),
}


def plot_accuracy_vs_examples(sizes, accuracies, ax=None, chance: float | None = None,
                              title: str = "Accuracy on the held-out set"):
    """One line per strategy: the mean held-out accuracy over seeds against the number of
    labelled examples (log axis, a tick at each size), with a band from the lowest to the highest
    seed's accuracy.

    ``sizes``: the labelled set sizes, ``(k,)`` examples. ``accuracies``: strategy name → array
    ``(n_seeds, k)`` of accuracies, fractions in [0, 1] (row = seed, column = size). ``chance``, if
    given, is drawn as a dashed grey line (e.g. 0.2 for guessing among 5 classes). Returns the Axes.
    """
    sizes = np.asarray(sizes, dtype=float)
    ax = axes_or_new(ax, figsize=(7.2, 4.2))
    for name, values in accuracies.items():
        values = np.asarray(values, dtype=float)
        if values.ndim != 2 or values.shape[1] != len(sizes):
            raise ValueError(f"plot_accuracy_vs_examples: accuracies[{name!r}] has shape "
                             f"{values.shape}; it must be (n_seeds, len(sizes)) = "
                             f"(n_seeds, {len(sizes)}).")
        color, marker = STRATEGY_STYLES.get(name, (None, "o"))
        (line,) = ax.plot(sizes, values.mean(axis=0), marker=marker, color=color, lw=2,
                          label=f"{name} (mean of {len(values)} seeds)")
        ax.fill_between(sizes, values.min(axis=0), values.max(axis=0), color=line.get_color(),
                        alpha=0.18, lw=0)
    if chance is not None:
        ax.axhline(chance, color="0.45", ls="--", lw=1, zorder=0)
        ax.text(sizes[0], chance, f" guessing: {chance:g}", ha="left", va="bottom",
                fontsize="small", color="0.35")
    ax.set_xscale("log")
    ax.set_xticks(sizes, [f"{s:g}" for s in sizes])
    ax.minorticks_off()  # the log axis' minor ticks would crowd the sizes' labels
    ax.set_xlabel("labelled examples of the new task (log scale)")
    ax.set_ylabel("held-out accuracy")
    ax.set_ylim(0 if chance is not None else None, 1.0)
    ax.set_title(title)
    # Just above the guessing line, where accuracies that beat guessing leave the axes empty.
    ax.legend(loc="lower right", bbox_to_anchor=(1, (chance or 0) + 0.03), fontsize="small",
              title="band: lowest to highest seed", title_fontsize="small")
    return ax
