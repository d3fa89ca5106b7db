"""A computation graph drawn with matplotlib patches: forward values and backward derivatives.

``notebooks/week2/06_backprop.ipynb`` (backprop). No image files: the graph is laid out from its description.
"""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.axes import axes_or_new
from course_utils.plots.core.style import COLORS

FORWARD_COLOR = COLORS["green"]
BACKWARD_COLOR = COLORS["red"]


def _fmt(value) -> str:
    """A number as ``3``, ``-0.995504``; a vector (e.g. a weight vector) as ``[1, 2]``."""
    if np.ndim(value) == 0:
        return f"{float(value):g}"
    return "[" + ", ".join(f"{float(v):g}" for v in np.ravel(value)) + "]"


def _box_width(expression: str) -> float:
    """Rough width (in data units, about inches) of a mathtext label, to size its box."""
    import re

    text = re.sub(r"\\frac\{(.*?)\}\{(.*?)\}", r"\1/\2", expression)
    text = re.sub(r"\\[a-zA-Z]+", "", text)
    text = re.sub(r"[{}_^ ]", "", text)
    return max(0.5, 0.13 * len(text) + 0.35)


def graph_layout(steps):
    """Positions of every node: ``{name: (x, y)}``.

    The steps stand on one row, left to right; the inputs of the first step in a column before it;
    the inputs read by a later step side by side above that step.
    """
    outputs = [name for name, _, _ in steps]
    widths = [_box_width(f"{name} = {expression}") for name, expression, _ in steps]
    spacing = max(2.0, max(widths) + 0.9)
    pos = {}
    for i, (name, _, operands) in enumerate(steps):
        x = 0.9 + spacing * i + widths[0] / 2
        pos[name] = (x, 0.0)
        leaves = [op for op in operands if op not in outputs and op not in pos]
        if i == 0:
            ys = [1.2 * (len(leaves) - 1) / 2 - 1.2 * k for k in range(len(leaves))]
            for leaf, y in zip(leaves, ys):
                pos[leaf] = (0.0, y)
        else:
            for k, leaf in enumerate(leaves):
                pos[leaf] = (x - 0.6 * (len(leaves) - 1) - 0.5 + 1.2 * k, 1.5)
    return pos


def plot_computation_graph(steps, values=None, derivatives=None, ax=None, title=None,
                           cost="J"):
    """Draw a computation graph.

    ``steps``: ``[(name, expression, operands), ...]`` in forward order, e.g.
    ``[("a", "2 + 3w", ["w"]), ("J", "a^2", ["a"])]`` (expressions are mathtext without ``$``);
    operands that no step computes are the graph's inputs. ``values`` (``{name: number}``; a
    vector, such as a weight vector, is written ``[1, 2]``) are
    written in green under each node (the forward pass); ``derivatives`` (``{name: dJ/dname}``)
    in red (the backward pass). Returns the Axes.
    """
    from matplotlib.patches import FancyBboxPatch

    values = values or {}
    derivatives = derivatives or {}
    pos = graph_layout(steps)
    outputs = {name for name, _, _ in steps}
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    top = max(ys) + (1.3 if max(ys) > 0.5 else 0.5)
    bottom = min(ys) - 1.4
    left, right = min(xs) - 0.9, max(xs) + max(_box_width(f"{n} = {e}") for n, e, _ in steps) / 2 + 0.3
    ax = axes_or_new(ax, figsize=(0.9 * (right - left) + 0.4, 0.9 * (top - bottom) + 0.5))
    for name, (x, y) in pos.items():
        is_step = name in outputs
        expression = next((e for n, e, _ in steps if n == name), None)
        label = f"${name} = {expression}$" if is_step else f"${name}$"
        width = _box_width(label.strip("$")) if is_step else 0.5
        box = FancyBboxPatch((x - width / 2, y - 0.28), width, 0.56,
                             boxstyle="round,pad=0.02,rounding_size=0.15",
                             facecolor="#e8f4ff" if is_step else "#f3f3f3",
                             edgecolor=COLORS["blue"] if is_step else "0.5", linewidth=1.4, zorder=2)
        ax.add_patch(box)
        ax.text(x, y, label, ha="center", va="center", fontsize=11, zorder=3)
        # Annotations go below a node, or above it for the inputs drawn above the main row (so that
        # their arrows, which leave from below, do not cross the text).
        above = y > 0.5
        texts = []
        if name in values:
            texts.append((f"${name} = {_fmt(values[name])}$", FORWARD_COLOR))
        if name in derivatives:
            texts.append((rf"$\partial {cost} / \partial {name} = {_fmt(derivatives[name])}$",
                          BACKWARD_COLOR))
        for k, (text, color) in enumerate(reversed(texts) if above else texts):
            ty = y + 0.4 + 0.32 * k if above else y - 0.42 - 0.32 * k
            ax.text(x, ty, text, ha="center", va="bottom" if above else "top", color=color,
                    fontsize=10)
    for name, _, operands in steps:
        x1, y1 = pos[name]
        for op in operands:
            x0, y0 = pos[op]
            w0 = _box_width(f"{op} = {dict((n, e) for n, e, _ in steps).get(op, '')}") \
                if op in outputs else 0.5
            w1 = _box_width(f"{name} = {dict((n, e) for n, e, _ in steps)[name]}")
            if y0 > y1 + 0.5:  # an input drawn above: from its bottom to the box's top edge
                reach = w1 / 2 - 0.15
                start, end = (x0, y0 - 0.28), (min(max(x0, x1 - reach), x1 + reach), y1 + 0.28)
            else:
                start = (x0 + w0 / 2, y0)
                end = (x1 - w1 / 2, y1 + (0.15 if y0 > y1 else -0.15 if y0 < y1 else 0.0))
            ax.annotate("", xy=end, xytext=start, zorder=1,
                        arrowprops=dict(arrowstyle="-|>", color="0.35", lw=1.3,
                                        shrinkA=0, shrinkB=0))
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.set_aspect("equal")
    ax.axis("off")
    if values or derivatives:
        key = []
        if values:
            key.append(("forward values", FORWARD_COLOR))
        if derivatives:
            key.append((f"derivatives of {cost} (backward)", BACKWARD_COLOR))
        for k, (text, color) in enumerate(key):
            ax.text(right - 0.1, bottom + 0.05 + 0.3 * k, text, color=color, fontsize=9,
                    ha="right", va="bottom")
    if title:
        ax.set_title(title)
    return ax
