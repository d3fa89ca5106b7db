"""Broadcasting drawn as grids of cells: ``notebooks/week3/01_shapes_and_conventions.ipynb`` (shapes and conventions).

``plot_broadcast(a, b)`` draws ``a + b = result``: each operand as a grid of cells at the result's
shape, its real entries in colour and the "virtual" copies that broadcasting pretends to make in
grey (NumPy never stores them). :func:`broadcast_shape` and :func:`real_cells` are the rule itself,
separate from the drawing so that they can be tested against NumPy.
"""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.axes import axes_or_new
from course_utils.plots.core.style import COLORS

#: Face colours of the cells: each operand's real entries, the result, and the virtual copies.
CELL_COLORS = {"a": "#cfe8ff", "b": "#ffd9d4", "result": "#d4f2e4", "virtual": "#eeeeee"}
EDGE_COLORS = {"a": COLORS["blue"], "b": COLORS["red"], "result": COLORS["green"], "virtual": "0.6"}
GAP = 1.6  # columns of empty space between two grids, for the "+" and "=" signs


def broadcast_shape(shape_a: tuple, shape_b: tuple) -> tuple:
    """The shape of ``a + b`` by NumPy's rule, or ``ValueError`` when the shapes do not broadcast.

    The rule: line the shapes up from the right (a missing leading axis counts as 1); on each axis
    the sizes must be equal, or one of them 1, which is stretched to the other.
    """
    shape_a, shape_b = tuple(shape_a), tuple(shape_b)
    ndim = max(len(shape_a), len(shape_b))
    padded_a = (1,) * (ndim - len(shape_a)) + shape_a
    padded_b = (1,) * (ndim - len(shape_b)) + shape_b
    out = []
    for axis, (n_a, n_b) in enumerate(zip(padded_a, padded_b)):
        if n_a != n_b and 1 not in (n_a, n_b):
            raise ValueError(
                f"shapes {shape_a} and {shape_b} do not broadcast: aligned from the right, axis "
                f"{axis - ndim} has sizes {n_a} and {n_b} (they must be equal, or one of them 1)."
            )
        out.append(max(n_a, n_b) if 0 not in (n_a, n_b) else 0)
    return tuple(out)


def real_cells(shape: tuple, out_shape: tuple) -> np.ndarray:
    """Boolean mask of shape ``out_shape``: True where a cell of the stretched operand is one of its
    own entries, False where it is a virtual copy (an axis of size 1, or a missing leading axis,
    stretched by broadcasting)."""
    shape, out_shape = tuple(shape), tuple(out_shape)
    padded = (1,) * (len(out_shape) - len(shape)) + shape
    mask = np.ones(out_shape, dtype=bool)
    for axis, (n, n_out) in enumerate(zip(padded, out_shape)):
        if n == 1 and n_out != 1:
            index = [slice(None)] * len(out_shape)
            index[axis] = slice(1, None)
            mask[tuple(index)] = False
    return mask


def _as_grid(values: np.ndarray) -> np.ndarray:
    """A 0-, 1- or 2-D array as rows × columns (a 1-D array lies along a row, as NumPy aligns it)."""
    return values.reshape((1,) * (2 - values.ndim) + values.shape)


def _fmt(value: float) -> str:
    return f"{value:g}"


def _draw_grid(ax, x0: float, values: np.ndarray, real: np.ndarray, role: str) -> None:
    """Cells of a (rows, columns) grid whose top-left corner is at (x0, 0); y grows downwards."""
    from matplotlib.patches import Rectangle

    for (i, j), value in np.ndenumerate(values):
        kind = role if real[i, j] else "virtual"
        cell = Rectangle((x0 + j, i), 1, 1, facecolor=CELL_COLORS[kind], edgecolor=EDGE_COLORS[kind],
                         linewidth=1.2, linestyle="-" if real[i, j] else "--", zorder=2)
        cell.set_gid(f"{role}-{'real' if real[i, j] else 'virtual'}")
        ax.add_patch(cell)
        ax.text(x0 + j + 0.5, i + 0.5, _fmt(value), ha="center", va="center", fontsize=10,
                color="black" if real[i, j] else "0.55", zorder=3, gid=f"{role}-value")


def plot_broadcast(a, b, ax=None, title=None):
    """Draw ``a + b = a + b`` with both operands stretched to the result's shape. ``notebooks/week3/01_shapes_and_conventions.ipynb``.

    ``a`` and ``b``: NumPy arrays (or nested lists) of at most 2 dimensions whose shapes broadcast,
    e.g. ``(3, 4)`` and ``(4,)``, or ``(3, 1)`` and ``(1, 4)``; keep them small (a cell per entry,
    its value written in it). Real entries are coloured (blue ``a``, red ``b``, green result);
    virtual copies are grey with dashed edges. Each grid is labelled with its shape as stored (above)
    and, when stretched, with the shape it is stretched to (below). Every cell is a ``Rectangle``
    whose gid is ``"a-real"``, ``"a-virtual"``, ``"b-real"``, ``"b-virtual"`` or ``"result-real"``.
    Returns the Axes.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    for name, arr in (("a", a), ("b", b)):
        if arr.ndim > 2:
            raise ValueError(f"plot_broadcast: {name} has shape {arr.shape}; only arrays of up to "
                             "2 dimensions can be drawn as a grid of cells.")
    out_shape = broadcast_shape(a.shape, b.shape)
    result = a + b
    grid_shape = _as_grid(result).shape
    n_rows, n_cols = grid_shape
    grids = [
        ("a", np.broadcast_to(_as_grid(a), grid_shape), real_cells(_as_grid(a).shape, grid_shape), a),
        ("b", np.broadcast_to(_as_grid(b), grid_shape), real_cells(_as_grid(b).shape, grid_shape), b),
        ("result", _as_grid(result), np.ones(grid_shape, dtype=bool), result),
    ]
    width = 3 * n_cols + 2 * GAP
    ax = axes_or_new(ax, figsize=(0.55 * width + 0.4, 0.55 * (n_rows + 1.6) + 0.4))
    for k, (role, values, real, stored) in enumerate(grids):
        x0 = k * (n_cols + GAP)
        _draw_grid(ax, x0, values, real, role)
        ax.text(x0 + n_cols / 2, -0.25, f"{stored.shape}", ha="center", va="bottom", fontsize=11,
                color=EDGE_COLORS[role], fontweight="bold")
        if not real.all():
            ax.text(x0 + n_cols / 2, n_rows + 0.25, f"stretched to {out_shape}", ha="center",
                    va="top", fontsize=9, color="0.45")
        if k < 2:
            ax.text(x0 + n_cols + GAP / 2, n_rows / 2, "+" if k == 0 else "=", ha="center",
                    va="center", fontsize=18)
    ax.set_xlim(-0.2, width + 0.2)
    ax.set_ylim(n_rows + 0.9, -0.9)  # row 0 at the top, as NumPy prints arrays
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax
