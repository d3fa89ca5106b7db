"""Grids of 8×8 digit images with their labels and predictions (``notebooks/week1/05_assignment_binary_digits.ipynb``; ``notebooks/week2/07_assignment_multiclass_digits.ipynb``)."""

from __future__ import annotations

import numpy as np

from course_utils.plots.core.style import COLORS

#: Side of one digit image in the course's data (scikit-learn's 8×8 digits).
IMAGE_SIDE = 8


def _as_images(X) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[None, :]
    if X.ndim == 3 and X.shape[1:] == (IMAGE_SIDE, IMAGE_SIDE):
        return X
    if X.ndim != 2 or X.shape[1] != IMAGE_SIDE * IMAGE_SIDE:
        raise ValueError(
            f"plot_digits: X has shape {X.shape}; it needs one flattened 8×8 image per row, shape "
            f"(m, {IMAGE_SIDE * IMAGE_SIDE}) (or images of shape (m, 8, 8))."
        )
    return X.reshape(-1, IMAGE_SIDE, IMAGE_SIDE)


def _column(values, name: str, m: int):
    if values is None:
        return None
    values = np.asarray(values).reshape(-1)
    if values.shape[0] != m:
        raise ValueError(f"plot_digits: {name} has {values.shape[0]} values but X has {m} images.")
    return values


def plot_digits(
    X,
    labels=None,
    predictions=None,
    *,
    probabilities=None,
    ncols: int = 8,
    max_images: int = 32,
    title: str | None = None,
    empty_message: str = "No images to show.",
    fig=None,
):
    """Draw digit images in a grid and return the ``Figure``. ``notebooks/week1/05_assignment_binary_digits.ipynb``.

    ``X: (m, 64)`` flattened 8×8 images with values in [0, 1] (or ``(m, 8, 8)``); optional
    ``labels``, ``predictions`` (class numbers) and ``probabilities`` (of class 1, shown as
    ``p = 0.43``), each with m values. A prediction that differs from its label is written in red.
    At most ``max_images`` images are drawn (the title says how many there were). With ``m = 0`` the
    figure shows ``empty_message`` instead of an empty grid. ``fig``: a Figure to draw on (it is
    cleared first); by default a new pyplot figure.
    """
    images = _as_images(X) if np.size(X) else np.zeros((0, IMAGE_SIDE, IMAGE_SIDE))
    m = images.shape[0]
    labels = _column(labels, "labels", m)
    predictions = _column(predictions, "predictions", m)
    probabilities = _column(probabilities, "probabilities", m)
    shown = min(m, max_images)
    if fig is None:
        import matplotlib.pyplot as plt

        if shown == 0:
            figsize = (6.0, 1.6)  # room for the message and the title
        else:
            cols = min(ncols, shown)
            rows = -(-shown // cols)
            figsize = (max(1.25 * cols, 3.0) + 0.3, 1.5 * rows + 0.5)
        fig = plt.figure(figsize=figsize, layout="constrained")
    else:
        fig.clear()
    if title is not None or m > shown:
        more = f" (first {shown} of {m})" if m > shown else ""
        fig.suptitle(f"{title or ''}{more}".strip())
    if shown == 0:
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.text(0.5, 0.5, empty_message, ha="center", va="center", fontsize=12,
                transform=ax.transAxes, color=COLORS["green"])
        return fig
    cols = max(1, min(ncols, shown))
    rows = -(-shown // cols)
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
    for i, ax in enumerate(axes):
        ax.set_axis_off()
        if i >= shown:
            continue
        ax.imshow(images[i], cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest")
        ax.set_title(_caption(i, labels, predictions, probabilities), fontsize=8,
                     color=_caption_color(i, labels, predictions), pad=2)
    return fig


def _caption(i, labels, predictions, probabilities) -> str:
    parts = []
    if labels is not None:
        parts.append(f"label {labels[i]}")
    if predictions is not None:
        parts.append(f"pred. {predictions[i]}")
    if probabilities is not None:
        parts.append(f"p = {float(probabilities[i]):.2f}")
    return "\n".join(parts)


def _caption_color(i, labels, predictions) -> str:
    if labels is not None and predictions is not None and labels[i] != predictions[i]:
        return COLORS["red"]
    return "black"
