"""Figures of week 5's graded assignment, diagnose and improve
(``notebooks/week5/06_assignment_diagnose_and_improve.ipynb``): the training and cross-validation
costs across the regularisation strength λ, and errors of several models side by side (training
and cross-validation errors against a baseline; a new task's error with and without transfer).
"""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.axes import axes_or_new
from course_utils.plots.core.style import COLORS

#: One colour per series of bars, in order.
BAR_COLORS = [COLORS[k] for k in ("blue", "red", "green", "purple")]


def plot_lambda_curve(lambdas, j_train, j_cv, best=None, ax=None,
                      title: str = "Choosing λ on the cross-validation set"):
    """``J_train`` and ``J_cv`` (squared-error costs, in the squared units of ``y``, without the λ
    term) for each λ of ``lambdas`` (``(k,)``, non-negative, increasing), on a symmetric-log x axis
    so that λ = 0 has a place beside λ = 10⁻⁴ … 10²; ``best`` (a λ) is marked. Left: small λ,
    overfitting (J_train low, J_cv high); right: large λ, underfitting (both high). Returns the
    Axes."""
    lambdas = np.asarray(lambdas, dtype=float).ravel()
    j_train = np.asarray(j_train, dtype=float).ravel()
    j_cv = np.asarray(j_cv, dtype=float).ravel()
    if not lambdas.size or j_train.shape != lambdas.shape or j_cv.shape != lambdas.shape:
        raise ValueError(f"plot_lambda_curve: {lambdas.size} λ values need as many costs; got "
                         f"{j_train.size} training and {j_cv.size} cross-validation costs.")
    if np.any(lambdas < 0):
        raise ValueError("plot_lambda_curve: λ must be non-negative.")
    ax = axes_or_new(ax, figsize=(6.4, 3.8))
    ax.plot(lambdas, j_train, marker="o", color=COLORS["blue"], label="$J_{train}$")
    ax.plot(lambdas, j_cv, marker="o", color=COLORS["red"], label="$J_{cv}$")
    if best is not None:
        ax.axvline(best, color=COLORS["green"], linestyle="--", label=f"chosen λ = {best:g}")
    positive = lambdas[lambdas > 0]
    linthresh = float(positive.min()) if positive.size else 1.0
    ax.set_xscale("symlog", linthresh=linthresh)
    ax.set_xlim(-0.5 * linthresh, float(lambdas.max()) * 2 if positive.size else 1.0)  # no λ < 0
    ax.set(xlabel="regularisation strength λ", ylabel="cost (squared error, no λ term)",
           title=title)
    ax.legend(loc="upper left")
    return ax


def plot_error_bars(labels, errors, baseline=None, ax=None, title: str = "Errors",
                    ylabel: str = "classification error"):
    """Grouped bars: ``errors`` maps a series name (e.g. ``"training"``, ``"cross-validation"``)
    to one error per label of ``labels`` (fractions in [0, 1], shown as percentages on the bars);
    ``baseline`` (a fraction), if given, is a dashed horizontal line. Returns the Axes."""
    labels = list(labels)
    if not labels or not errors:
        raise ValueError("plot_error_bars: give at least one label and one series of errors.")
    for name, values in errors.items():
        if len(values) != len(labels):
            raise ValueError(f"plot_error_bars: series {name!r} has {len(values)} errors for "
                             f"{len(labels)} labels.")
    ax = axes_or_new(ax, figsize=(6.4, 3.8))
    width = 0.8 / len(errors)
    x = np.arange(len(labels))
    for k, ((name, values), color) in enumerate(zip(errors.items(), BAR_COLORS * 3)):
        values = np.asarray(values, dtype=float)
        bars = ax.bar(x + (k - (len(errors) - 1) / 2) * width, values, width, color=color,
                      label=name)
        ax.bar_label(bars, labels=[f"{100 * v:.1f}%" for v in values], fontsize=8, padding=2)
    if baseline is not None:
        ax.axhline(baseline, color="black", linestyle="--", linewidth=1,
                   label=f"baseline {100 * baseline:g}%")
    ax.set_xticks(x, labels)
    top = max(float(np.max(v)) for v in errors.values())
    ax.set_ylim(0, max(top, baseline or 0) * 1.25 + 1e-3)  # room for the bars' labels
    ax.set(ylabel=ylabel, title=title)
    ax.legend(loc="upper right")
    return ax
