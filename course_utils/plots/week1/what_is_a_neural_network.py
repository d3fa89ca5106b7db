"""Figures of ``notebooks/week1/00_what_is_a_neural_network.ipynb`` (what is a neural network): schematic pictures, not measurements.

- :func:`plot_network` — a network as columns of labelled nodes joined by edges (the demand
  prediction example: inputs → learned features → output);
- :func:`feature_hierarchy_images` and :func:`plot_feature_hierarchy` — the image-recognition
  story, short edges → parts → faces, drawn with NumPy (no trained network, no downloaded image);
- :func:`scale_curves` and :func:`plot_scale_curves` — the lecture's sketch of performance against
  the amount of labelled data for a traditional algorithm and small, medium and large networks.

The lesson's other two figures come from earlier helpers: the housing-price neuron from
:func:`course_utils.plots.week1.neurons_and_layers.plot_linear_neuron`, sigmoid vs ReLU with their slopes from
:func:`course_utils.plots.week3.shallow_network.plot_activations`.
"""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.axes import axes_or_new
from course_utils.plots.core.style import COLORS

#: Node colours: inputs, hidden layers, output.
LAYER_COLORS = ("#d6ecff", "#ffe3c2", "#d4f2e4")


def dense_edges(sizes) -> list[tuple[int, int, int]]:
    """Every edge of a fully connected network with layer sizes ``sizes`` (inputs first), as
    ``(layer, i, j)``: node ``i`` of layer ``layer`` feeds node ``j`` of layer ``layer + 1``."""
    return [(k, i, j) for k in range(len(sizes) - 1)
            for i in range(sizes[k]) for j in range(sizes[k + 1])]


def _node_positions(layers) -> list[list[tuple[float, float]]]:
    """(x, y) of each node: layer k at x = k, its nodes one unit apart, centred on y = 0."""
    return [[(float(k), (len(nodes) - 1) / 2.0 - i) for i in range(len(nodes))]
            for k, nodes in enumerate(layers)]


def plot_network(layers, edges=None, ax=None, layer_titles=None, title=None):
    """A network drawn as columns of labelled nodes (boxes) joined by lines.

    ``layers``: a list of layers, inputs first, each a list of node labels (strings).
    ``edges``: ``(layer, i, j)`` triples, node ``i`` of ``layer`` → node ``j`` of ``layer + 1``;
    ``None`` draws every one (a dense network, see :func:`dense_edges`). ``layer_titles``: one
    caption per layer, shown above it. Returns the Axes (one ``Line2D`` per edge, one text per node).
    """
    layers = [list(nodes) for nodes in layers]
    if len(layers) < 2 or any(not nodes for nodes in layers):
        raise ValueError(f"plot_network: layers has sizes {[len(n) for n in layers]}; it needs at "
                         "least two layers, each with at least one node label.")
    sizes = [len(nodes) for nodes in layers]
    edges = dense_edges(sizes) if edges is None else [tuple(e) for e in edges]
    for edge in edges:
        k, i, j = edge
        if not (0 <= k < len(layers) - 1 and 0 <= i < sizes[k] and 0 <= j < sizes[k + 1]):
            raise ValueError(f"plot_network: edge {edge} does not join two nodes of consecutive "
                             f"layers (layer sizes {sizes}).")
    if layer_titles is not None and len(layer_titles) != len(layers):
        raise ValueError(f"plot_network: {len(layer_titles)} layer_titles for {len(layers)} layers.")
    ax = axes_or_new(ax, figsize=(8.0, 3.8))
    pos = _node_positions(layers)
    for k, i, j in edges:
        (x0, y0), (x1, y1) = pos[k][i], pos[k + 1][j]
        ax.plot([x0, x1], [y0, y1], color="0.55", linewidth=1.2, zorder=1)
    for k, nodes in enumerate(layers):
        color = LAYER_COLORS[0 if k == 0 else 2 if k == len(layers) - 1 else 1]
        for (x, y), label in zip(pos[k], nodes):
            ax.text(x, y, label, ha="center", va="center", fontsize=10, zorder=3,
                    bbox={"boxstyle": "round,pad=0.45", "facecolor": color, "edgecolor": "0.35"})
    top = max(sizes) / 2.0
    if layer_titles is not None:
        for k, caption in enumerate(layer_titles):
            ax.text(k, top + 0.05, caption, ha="center", va="bottom", fontsize=10, style="italic",
                    color="0.25")
    ax.set_xlim(-0.55, len(layers) - 0.45)
    ax.set_ylim(-top - 0.05, top + 0.55)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


# --- the feature hierarchy (schematic images) --------------------------------------------------------

def _coordinates(n: int):
    """``(x, y)`` of an ``n × n`` image's pixels on [-1, 1]², y pointing up (row 0 is the top)."""
    y, x = np.mgrid[1.0:-1.0:n * 1j, -1.0:1.0:n * 1j]
    return x, y


def _stroke(distance, width: float):
    """A soft line: 1 on it (distance 0), falling off over about ``width``."""
    return np.exp(-((np.asarray(distance) / width) ** 2))


def _segment(x, y, p, q, width: float):
    """A soft stroke along the segment from point ``p`` to point ``q``."""
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    d = q - p
    t = np.clip(((x - p[0]) * d[0] + (y - p[1]) * d[1]) / (d @ d), 0.0, 1.0)
    return _stroke(np.hypot(x - p[0] - t * d[0], y - p[1] - t * d[1]), width)


def _ellipse(x, y, a: float, b: float, width: float, lower_only: bool = False):
    """A soft stroke along the ellipse (x/a)² + (y/b)² = 1 (only its lower half if asked, faded
    out softly at the ends)."""
    r = np.hypot(x / a, y / b)
    ring = _stroke((r - 1.0) * min(a, b), width)
    return ring / (1.0 + np.exp(y / (0.15 * b))) if lower_only else ring


# Parts: functions of pixel coordinates, so that a face can place and scale them.
def _eye(x, y):
    return np.maximum(_ellipse(x, y, 0.8, 0.45, 0.09), (np.hypot(x, y) < 0.25).astype(float))


def _nose(x, y):
    return np.maximum(_segment(x, y, (0.0, 0.7), (-0.25, -0.45), 0.09),
                      _segment(x, y, (-0.25, -0.45), (0.25, -0.45), 0.09))


def _mouth(x, y, smile: float = 0.5):
    return _ellipse(x, y + 0.2, 0.75, smile, 0.09, lower_only=True) if smile > 0 else \
        _segment(x, y, (-0.7, -0.1), (0.7, -0.1), 0.09)


def _ear(x, y):
    return _ellipse(x, y, 0.45, 0.8, 0.09) / (1.0 + np.exp(-x / 0.08))  # the outer half, softly


def _placed(part, x, y, centre, scale: float, mirror: bool = False):
    """``part`` drawn centred on ``centre`` and shrunk by ``scale`` (mirrored left-right if asked)."""
    u = (x - centre[0]) / scale
    return part(-u if mirror else u, (y - centre[1]) / scale)


#: The three schematic faces: outline half-width and half-height, eye spacing, mouth curvature.
FACES = {"face 1": (0.62, 0.85, 0.28, 0.5), "face 2": (0.72, 0.8, 0.33, 0.0),
         "face 3": (0.58, 0.92, 0.25, 0.9)}
EDGE_ANGLES = (0, 30, 60, 90, 120, 150)


def face_parts(face: str, n: int = 64) -> dict:
    """The parts of one of :data:`FACES` as they sit in its ``n × n`` image: name → ``(n, n)``."""
    half_w, half_h, eye_dx, smile = FACES[face]
    x, y = _coordinates(n)
    return {
        "outline": _ellipse(x, y, half_w, half_h, 0.03),
        "left eye": _placed(_eye, x, y, (-eye_dx, 0.22), 0.15),
        "right eye": _placed(_eye, x, y, (eye_dx, 0.22), 0.15),
        "nose": _placed(_nose, x, y, (0.0, -0.05), 0.2),
        "mouth": _placed(lambda u, v: _mouth(u, v, smile), x, y, (0.0, -0.45), 0.22),
        "left ear": _placed(_ear, x, y, (-half_w - 0.02, 0.05), 0.2, mirror=True),
        "right ear": _placed(_ear, x, y, (half_w + 0.02, 0.05), 0.2),
    }


def feature_hierarchy_images(n_edge: int = 21, n_part: int = 41, n_face: int = 64) -> dict:
    """The schematic images of the feature hierarchy, values in [0, 1] (1 = bright).

    Returns ``{row title: {caption: (n, n) image}}`` with three rows: short edges at the angles
    :data:`EDGE_ANGLES` (degrees from the horizontal, ``n_edge`` pixels), face parts (``n_part``)
    and whole faces made of those parts (``n_face``; see :func:`face_parts`). A drawing of the idea,
    not what a trained network's units look like.
    """
    x, y = _coordinates(n_edge)
    edges = {}
    for angle in EDGE_ANGLES:
        c, s = np.cos(np.radians(angle)), np.sin(np.radians(angle))
        edges[f"{angle}°"] = _segment(x, y, (-0.6 * c, -0.6 * s), (0.6 * c, 0.6 * s), 0.12)
    x, y = _coordinates(n_part)
    parts = {"eye": _eye(x, y), "nose": _nose(x, y), "mouth": _mouth(x, y), "ear": _ear(x, y)}
    faces = {name: np.maximum.reduce(list(face_parts(name, n_face).values())) for name in FACES}
    return {"hidden layer 1: short edges": edges, "hidden layer 2: parts of faces": parts,
            "hidden layer 3: whole faces": faces}


def plot_feature_hierarchy(images, fig=None):
    """Each row of ``images`` (as from :func:`feature_hierarchy_images`: ``{row title: {caption:
    (n, n) image}}``) as a row of small grey images, the row's title above it. Returns the Figure
    (``fig``, cleared, or a new pyplot figure)."""
    rows = list(images.items())
    if not rows or any(not row for _, row in rows):
        raise ValueError("plot_feature_hierarchy: images is empty or has an empty row; pass "
                         "{row title: {caption: (n, n) image}, ...}.")
    for title, row in rows:
        for caption, image in row.items():
            if np.ndim(image) != 2:
                raise ValueError(f"plot_feature_hierarchy: {title!r} / {caption!r} has shape "
                                 f"{np.shape(image)}; an image is a 2-D array (n, n).")
    columns = max(len(row) for _, row in rows)
    if fig is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(1.45 * columns, 2.0 * len(rows)), layout="constrained")
    else:
        fig.clear()
    subfigs = fig.subfigures(len(rows), 1)
    for sub, (title, row) in zip(np.atleast_1d(subfigs), rows):
        sub.suptitle(title, fontsize=11, x=0.02, ha="left")
        axes = sub.subplots(1, columns, squeeze=False)[0]
        for ax in axes:
            ax.set_axis_off()
        for ax, (caption, image) in zip(axes, row.items()):
            ax.imshow(image, cmap="gray", vmin=0.0, vmax=1.0, interpolation="bilinear")
            ax.set_title(caption, fontsize=9)
    return fig


# --- why deep learning took off: the scale sketch -----------------------------------------------------

#: Each sketched curve's ceiling and how much data it takes to get near it (arbitrary units).
SCALE_SKETCH = {
    "traditional learning algorithm": (0.45, 0.8),
    "small neural network": (0.6, 1.5),
    "medium neural network": (0.75, 2.5),
    "large neural network": (0.95, 5.0),
}


def scale_curves(m) -> dict:
    """The lecture's sketch: "performance" against the amount of labelled data ``m`` (arbitrary
    units, ``(k,)``) for each of :data:`SCALE_SKETCH`, as ``ceiling · (1 − exp(−m / reach))``.
    Made-up curves with the sketch's shape, not measurements. Returns ``{label: (k,)}``."""
    m = np.asarray(m, dtype=float)
    return {label: top * (1.0 - np.exp(-m / reach)) for label, (top, reach) in SCALE_SKETCH.items()}


def plot_scale_curves(m, curves, ax=None):
    """Curves of :func:`scale_curves` against ``m: (k,)``, without numbers on the axes (it is a
    sketch). Returns the Axes."""
    m = np.asarray(m, dtype=float)
    if m.ndim != 1 or m.size < 2:
        raise ValueError(f"plot_scale_curves: m has shape {m.shape}; it needs shape (k,), k >= 2.")
    if not curves:
        raise ValueError("plot_scale_curves: curves is empty; pass {label: (k,) performance}.")
    ax = axes_or_new(ax, figsize=(6.4, 4.0))
    colors = [COLORS["red"], COLORS["yellow"], COLORS["blue"], COLORS["green"], COLORS["purple"]]
    for (label, perf), color in zip(curves.items(), colors):
        perf = np.asarray(perf, dtype=float)
        if perf.shape != m.shape:
            raise ValueError(f"plot_scale_curves: curves[{label!r}] has shape {perf.shape}; it "
                             f"needs m's shape {m.shape}.")
        ax.plot(m, perf, color=color, linewidth=2.5, label=label)
    ax.set_xlim(m[0], m[-1])
    ax.set_ylim(0.0, 1.0)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("amount of labelled data, m")
    ax.set_ylabel("performance (e.g. accuracy)")
    ax.set_title("Scale drives deep learning (a sketch, not a measurement)")
    ax.legend(loc="upper left", fontsize=9)
    return ax
