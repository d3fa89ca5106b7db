"""Figures of the lesson "logistic regression, derived": the computation graph of one example's
loss with its local derivatives, cost curves of a hand-written training loop, and the learned
decision boundary. ``notebooks/week3/03_logistic_regression_derived.ipynb``.
"""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.axes import axes_or_new
from course_utils.plots.core.style import COLORS
from course_utils.plots.week2.backprop import graph_layout, plot_computation_graph
from course_utils.plots.week2.multiclass import plane_grid

#: One example's loss as a computation graph (steps for :func:`plot_computation_graph`); the
#: example ``x`` and the weights ``w`` are vectors of shape (n,), drawn as one node each; ``w`` on
#: top, where its value and derivative have room above it.
LOGISTIC_GRAPH = [
    ("z", r"\vec{w} \cdot \vec{x} + b", [r"\vec{w}", r"\vec{x}", "b"]),
    ("a", r"\sigma(z)", ["z"]),
    ("L", r"-y\,\log a - (1 - y)\log(1 - a)", ["a", "y"]),
]

#: The lesson's plain names of the graph's nodes -> the mathtext names drawn.
NODE_NAMES = {"x": r"\vec{x}", "w": r"\vec{w}", "b": "b", "y": "y", "z": "z", "a": "a", "L": "L"}

#: The local derivative written on each edge of the main row: (from, to) -> mathtext.
LOCAL_DERIVATIVES = {
    ("z", "a"): r"$\dfrac{\partial a}{\partial z} = a(1 - a)$",
    ("a", "L"): r"$\dfrac{\partial L}{\partial a} = -\dfrac{y}{a} + \dfrac{1 - y}{1 - a}$",
}


def plot_logistic_graph(values=None, derivatives=None, ax=None,
                        title="One example's loss as a computation graph"):
    """The graph x, w, b -> z = w · x + b -> a = sigma(z) -> L(a, y) for one example.

    ``values`` and ``derivatives`` map the names ``"x"``, ``"w"``, ``"b"``, ``"y"``, ``"z"``,
    ``"a"``, ``"L"`` to the forward values (green; ``x`` and ``w`` are vectors of shape (n,)) and to
    dL/d(node) (red), as in :func:`course_utils.plots.week2.backprop.plot_computation_graph`. The local
    derivatives of the two steps after z are written on their edges. Returns the Axes.
    """
    for given in (values or {}, derivatives or {}):
        unknown = set(given) - set(NODE_NAMES)
        if unknown:
            raise ValueError(f"plot_logistic_graph: unknown node(s) {sorted(unknown)}; the nodes are "
                             f"{list(NODE_NAMES)}.")
    ax = plot_computation_graph(
        LOGISTIC_GRAPH, ax=ax, title=title, cost="L",
        values={NODE_NAMES[k]: v for k, v in (values or {}).items()},
        derivatives={NODE_NAMES[k]: v for k, v in (derivatives or {}).items()},
    )
    pos = graph_layout(LOGISTIC_GRAPH)
    for (start, end), text in LOCAL_DERIVATIVES.items():
        # Above the arrow: the values and derivatives are written below the nodes.
        x = (pos[start][0] + pos[end][0]) / 2
        ax.text(x, 0.45, text, ha="center", va="bottom", fontsize=11, color="0.25")
    return ax


def plot_cost_curves(curves, ax=None, title="Cost during gradient descent"):
    """Cost after each iteration of a training loop, one line per run.

    ``curves`` maps a label (e.g. ``"α = 1"``) to the costs ``J`` at iterations 0, 1, 2, ...
    (iteration 0 is the cost before the first step; J is the mean loss, no unit). Returns the Axes.
    """
    if not curves:
        raise ValueError("plot_cost_curves: curves is empty; pass {label: [J at iteration 0, 1, ...]}.")
    ax = axes_or_new(ax, figsize=(6.4, 3.4))
    for label, costs in curves.items():
        costs = np.asarray(costs, dtype=float)
        if costs.ndim != 1 or costs.size < 2:
            raise ValueError(f"plot_cost_curves: curves[{label!r}] has shape {costs.shape}; it needs "
                             "shape (iterations + 1,), at least two costs.")
        ax.plot(np.arange(costs.size), costs, label=label)
    ax.set(xlabel="iteration", ylabel="cost $J(\\vec{w}, b)$", title=title)
    ax.set_ylim(bottom=0)
    ax.legend()
    return ax


def plot_decision_boundary(X, y, w, b, ax=None, title="Decision boundary"):
    """Points ``X: (m, 2)`` with labels ``y: (m,)`` in {0, 1}, the model's probability
    ``sigma(X @ w + b)`` as background shading, and its boundary ``w · x + b = 0`` (where the
    probability is 0.5) as a line; ``w: (2,)``, ``b`` a float. Returns the Axes.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y).ravel()
    w = np.asarray(w, dtype=float).ravel()
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary: X has shape {X.shape}; it needs (m, 2).")
    if y.shape != (X.shape[0],):
        raise ValueError(f"plot_decision_boundary: y has shape {y.shape}; it needs ({X.shape[0]},).")
    if w.shape != (2,):
        raise ValueError(f"plot_decision_boundary: w has shape {w.shape}; it needs (2,).")
    ax = axes_or_new(ax, figsize=(5.4, 4.4))
    xx, yy, points = plane_grid(X, n=150, pad=0.8)
    p = 1.0 / (1.0 + np.exp(-(points @ w + b)))  # the whole grid in one batch
    shading = ax.contourf(xx, yy, p.reshape(xx.shape), levels=np.linspace(0, 1, 11), cmap="RdBu",
                          alpha=0.35)
    ax.contour(xx, yy, p.reshape(xx.shape), levels=[0.5], colors="k", linewidths=1.5)
    for label, color, marker in ((0, COLORS["red"], "o"), (1, COLORS["blue"], "x")):
        pts = X[y == label]
        ax.scatter(pts[:, 0], pts[:, 1], s=18, color=color, marker=marker, linewidth=1.2,
                   label=f"y = {label}")
    ax.plot([], [], color="k", linewidth=1.5, label=r"boundary $\vec{w} \cdot \vec{x} + b = 0$")
    ax.figure.colorbar(shading, ax=ax, label=r"$\sigma(\vec{w} \cdot \vec{x} + b)$")
    ax.set(xlabel="$x_1$", ylabel="$x_2$", title=title)
    ax.legend(loc="upper left", fontsize=8)
    return ax
