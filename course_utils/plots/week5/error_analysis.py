"""Figures of the error-analysis lesson: the confusion matrix's errors as a heat map (row-normalised,
diagonal blanked), the error rate of each class, and the misclassified images of the most confused
pairs. ``notebooks/week5/04_error_analysis.ipynb``.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from course_utils.plots.core.axes import axes_or_new
from course_utils.plots.core.style import COLORS
from course_utils.plots.week1.assignment_binary_digits import plot_digits


def _square_counts(cm, name: str) -> np.ndarray:
    cm = np.asarray(cm, dtype=float)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1] or cm.shape[0] < 2:
        raise ValueError(f"{name}: cm has shape {cm.shape}; it needs a square confusion matrix "
                         "(n_classes, n_classes), rows = true class, columns = predicted class.")
    if np.any(cm < 0) or np.any(cm.sum(axis=1) == 0):
        raise ValueError(f"{name}: cm needs non-negative counts and at least one example per row "
                         "(true class).")
    return cm


def plot_error_matrix(cm, ax=None, class_names=None, title: str = "Where each class's errors go",
                      cmap: str = "Reds"):
    """The errors of a confusion matrix as a heat map: cell ``(i, j)``, ``i != j``, is the share
    of class ``i``'s examples predicted as ``j``, in percent (``100 · cm[i, j] / Σ_k cm[i, k]``),
    written in the cell when it is not 0 (cells that are 0 stay white). The diagonal (the correct
    answers, 90 % or more of each row for a good model) is greyed out, so that the colour scale
    spans the errors only.

    ``cm: (n, n)`` counts, rows = true class, columns = predicted class (scikit-learn's
    ``confusion_matrix(y_true, y_pred)``). ``class_names``: n tick labels (default 0 … n-1).
    Returns the Axes.
    """
    cm = _square_counts(cm, "plot_error_matrix")
    n = cm.shape[0]
    names = [str(k) for k in range(n)] if class_names is None else [str(c) for c in class_names]
    if len(names) != n:
        raise ValueError(f"plot_error_matrix: {len(names)} class_names for {n} classes.")
    rates = 100 * cm / cm.sum(axis=1, keepdims=True)
    errors = rates.copy()
    np.fill_diagonal(errors, 0.0)
    ax = axes_or_new(ax, figsize=(6.4, 5.2))
    top = max(float(errors.max()), 1e-9)  # all-correct matrix: an empty, but valid, scale
    # Zeros are masked (drawn white): the lightest red of the map would tint every empty cell.
    image = ax.imshow(np.ma.masked_equal(errors, 0.0), cmap=cmap, vmin=0, vmax=top)
    ax.figure.colorbar(image, ax=ax, label="% of the true class's examples", shrink=0.85)
    ax.grid(False)  # the course style's grid would cut through the cells
    for i in range(n):
        for j in range(n):
            if i == j:
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, color="0.88", lw=0))
            elif rates[i, j] > 0:
                dark = rates[i, j] > 0.6 * top  # white text on the darkest reds
                ax.text(j, i, f"{rates[i, j]:.1f}", ha="center", va="center", fontsize="small",
                        color="white" if dark else "black")
    ax.set_xticks(range(n), names)
    ax.set_yticks(range(n), names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(title)
    return ax


def plot_class_error_rates(cm, ax=None, class_names=None, title: str = "Error rate of each class"):
    """One bar per true class: its error rate ``1 - cm[i, i] / Σ_k cm[i, k]`` in percent, with
    ``wrong/total`` above the bar, and the overall error rate (all errors over all examples) as a
    dashed line. ``cm: (n, n)`` counts, rows = true class. Returns the Axes."""
    cm = _square_counts(cm, "plot_class_error_rates")
    n = cm.shape[0]
    names = [str(k) for k in range(n)] if class_names is None else [str(c) for c in class_names]
    totals = cm.sum(axis=1)
    wrong = totals - np.diag(cm)
    rates = 100 * wrong / totals
    overall = 100 * wrong.sum() / totals.sum()
    ax = axes_or_new(ax, figsize=(7.0, 3.6))
    ax.bar(range(n), rates, color=COLORS["red"], width=0.7)
    for k in range(n):
        ax.text(k, rates[k], f"{wrong[k]:.0f}/{totals[k]:.0f}", ha="center", va="bottom",
                fontsize="small")
    ax.axhline(overall, color="0.3", ls="--", lw=1)
    # at the left end: the worst classes' bars, which the label could hide, are not known in advance
    ax.text(-0.5, overall, f"all classes: {overall:.1f} %", ha="left", va="bottom",
            fontsize="small", color="0.3")
    ax.set_xticks(range(n), names)
    ax.set_xlabel("true class")
    ax.set_ylabel("error rate (%)")
    ax.set_ylim(0, max(rates.max(), overall) * 1.25 + 0.5)  # room for the counts above the bars
    ax.set_title(title)
    return ax


def plot_confused_pairs(X, y_true, y_pred, pairs, max_per_pair: int = 6, fig=None):
    """The images of each pair, one row per pair: the row of ``(i, j)`` shows the examples of true
    class ``i`` predicted as ``j`` (at most ``max_per_pair``, the row's title says how many there
    are), drawn by :func:`~course_utils.plots.week1.assignment_binary_digits.plot_digits`. A pair ``(i, i)`` shows
    correctly classified examples of ``i``, for comparison with the mistakes.

    ``X: (m, 64)`` flattened 8×8 images in [0, 1]; ``y_true``, ``y_pred``: ``(m,)`` class numbers;
    ``pairs``: a list of ``(true class, predicted class)``. ``fig``: a Figure to draw on (cleared
    first); by default a new pyplot figure. Returns the Figure.
    """
    y_true = np.asarray(y_true).reshape(-1)
    y_pred = np.asarray(y_pred).reshape(-1)
    if y_true.shape != y_pred.shape or y_true.shape[0] != np.shape(X)[0]:
        raise ValueError(f"plot_confused_pairs: X has {np.shape(X)[0]} rows, y_true "
                         f"{y_true.shape[0]} and y_pred {y_pred.shape[0]} values; they must agree.")
    pairs = [(int(i), int(j)) for i, j in pairs]
    if not pairs:
        raise ValueError("plot_confused_pairs: pairs is empty; give at least one (true, predicted).")
    if fig is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(1.25 * max_per_pair + 0.6, 2.1 * len(pairs)), layout="constrained")
    else:
        fig.clear()
    rows = np.atleast_1d(fig.subfigures(len(pairs), 1))
    for row, (i, j) in zip(rows, pairs):
        where = np.flatnonzero((y_true == i) & (y_pred == j))
        count = f"{len(where)} image" + ("" if len(where) == 1 else "s")
        shown = where[:max_per_pair]
        what = f"true {i}, predicted {j}" + (" (correct)" if i == j else "")
        more = f", the first {len(shown)}" if len(where) > len(shown) else ""
        plot_digits(np.asarray(X)[shown], labels=y_true[shown], predictions=y_pred[shown],
                    ncols=max_per_pair, max_images=max_per_pair, fig=row,
                    title=f"{what}: {count}{more}",
                    empty_message=f"no {i} predicted as {j}")
    return fig
