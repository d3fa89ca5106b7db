"""Figures for ``notebooks/week1/01_neurons_and_layers.ipynb``: a neuron is linear regression (linear activation) or logistic
regression (sigmoid activation).

Both helpers take the data and ``models``, a mapping from a legend label to a callable that maps an
``(n, 1)`` column of inputs to ``n`` outputs (``(n,)`` or ``(n, 1)``; a NumPy array or a tensor).
Each callable is called once, on a whole line of inputs, so a Keras layer and a NumPy function can
be drawn on the same axes and compared.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from course_utils.plots.core.axes import axes_or_new
from course_utils.plots.core.style import COLORS

#: Line styles for successive models: a wide solid line under a narrower dashed one, so two
#: models that agree are both visible.
_STYLES = (
    {"color": COLORS["blue"], "linestyle": "-", "linewidth": 4.0, "alpha": 0.6},
    {"color": COLORS["orange"], "linestyle": "--", "linewidth": 2.0},
    {"color": COLORS["purple"], "linestyle": ":", "linewidth": 2.0},
)


def _column(X, name: str, func: str) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2 or X.shape[1] != 1:
        raise ValueError(
            f"{func}: {name} has shape {X.shape}; it needs one feature per example, shape (m, 1)."
        )
    return X


def _data(X, Y, func: str):
    X = _column(X, "X", func)
    Y = np.asarray(Y, dtype=float).reshape(-1)
    if Y.shape[0] != X.shape[0]:
        raise ValueError(
            f"{func}: Y has {Y.shape[0]} values but X has {X.shape[0]} rows; Y needs shape "
            f"({X.shape[0]},) or ({X.shape[0]}, 1)."
        )
    return X, Y


def _draw_models(ax, models: Mapping[str, Callable], x_line: np.ndarray, func: str) -> list:
    """Call each model once on ``x_line: (n, 1)``, draw it, return the outputs ``(n,)`` in order."""
    if not models:
        raise ValueError(f"{func}: models is empty; pass {{label: callable}} with at least one model.")
    outputs = []
    for i, (label, model) in enumerate(models.items()):
        f = np.asarray(model(x_line), dtype=float).reshape(-1)
        if f.shape[0] != x_line.shape[0]:
            raise ValueError(
                f"{func}: model {label!r} returned {f.shape[0]} values for {x_line.shape[0]} inputs; "
                f"it must map (n, 1) inputs to (n,) or (n, 1) outputs."
            )
        ax.plot(x_line[:, 0], f, label=label, **_STYLES[i % len(_STYLES)])
        outputs.append(f)
    return outputs


def plot_linear_neuron(X, Y, models: Mapping[str, Callable], ax=None, n_points: int = 100):
    """House prices and the line a linear neuron draws through them. ``notebooks/week1/01_neurons_and_layers.ipynb``.

    ``X: (m, 1)`` sizes in 1000 sqft, ``Y: (m,)`` or ``(m, 1)`` prices in 1000s of dollars.
    ``models``: ``{label: f}`` with ``f`` mapping ``(n, 1)`` sizes to ``n`` prices, called once on
    ``n_points`` sizes from 0 to 1.25 × the largest size. Returns the Axes.
    """
    X, Y = _data(X, Y, "plot_linear_neuron")
    ax = axes_or_new(ax)
    x_line = np.linspace(0.0, 1.25 * X.max(), n_points)[:, None]
    _draw_models(ax, models, x_line, "plot_linear_neuron")
    ax.scatter(X[:, 0], Y, marker="x", s=80, c=COLORS["red"], linewidths=2, label="data", zorder=3)
    ax.set_xlim(x_line[0, 0], x_line[-1, 0])
    ax.set_xlabel("Size (1000 sqft)")
    ax.set_ylabel("Price (1000s of dollars)")
    ax.set_title("A linear neuron is linear regression")
    ax.legend(loc="upper left")
    return ax


def plot_logistic_neuron(X, Y, models: Mapping[str, Callable], threshold: float = 0.5, ax=None,
                         n_points: int = 200):
    """0/1 data, a sigmoid neuron's curve, the threshold and the decision boundary. ``notebooks/week1/01_neurons_and_layers.ipynb``.

    ``X: (m, 1)`` one feature (no unit), ``Y: (m,)`` or ``(m, 1)`` labels 0 or 1. ``models``:
    ``{label: f}`` with ``f`` mapping ``(n, 1)`` inputs to ``n`` probabilities, called once on
    ``n_points`` inputs spanning the data with a margin of 0.5 on each side. The dotted vertical
    line is where the first model's curve crosses ``threshold``: the prediction is 1 to its right.
    Returns the Axes.
    """
    X, Y = _data(X, Y, "plot_logistic_neuron")
    ax = axes_or_new(ax)
    x_line = np.linspace(X.min() - 0.5, X.max() + 0.5, n_points)[:, None]
    first = _draw_models(ax, models, x_line, "plot_logistic_neuron")[0]
    pos = Y == 1
    ax.scatter(X[pos, 0], Y[pos], marker="x", s=80, c=COLORS["red"], linewidths=2, label="y = 1",
               zorder=3)
    ax.scatter(X[~pos, 0], Y[~pos], marker="o", s=80, facecolors="none",
               edgecolors=COLORS["dark_blue"], linewidths=1.5, label="y = 0", zorder=3)
    ax.axhline(threshold, color="grey", linestyle="--", linewidth=1, label=f"threshold {threshold:g}")
    above = first >= threshold
    if above.any() and not above.all():
        # the curve is monotone for a sigmoid neuron: interpolate the first crossing
        k = int(np.argmax(above != above[0]))
        x0, x1, f0, f1 = x_line[k - 1, 0], x_line[k, 0], first[k - 1], first[k]
        x_cross = x0 + (threshold - f0) * (x1 - x0) / (f1 - f0)
        ax.axvline(x_cross, color="black", linestyle=":", linewidth=1.2,
                   label=f"boundary x ≈ {x_cross:.2f}")
    ax.set_xlim(x_line[0, 0], x_line[-1, 0])
    ax.set_ylim(-0.08, 1.08)
    ax.set_xlabel("x")
    ax.set_ylabel("y, and the neuron's output P(y = 1)")
    ax.set_title("A sigmoid neuron is logistic regression")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax
