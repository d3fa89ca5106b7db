"""Fast redraws of a matplotlib figure shown as an ``ipywidgets.Image`` (no ipympl needed).

Why an image: a PNG in an ``ipywidgets.Image`` renders wherever ipywidgets do (JupyterLab 4,
Notebook 7, VS Code, Colab) — unlike matplotlib's own widgets, which need the ipympl extension.
Why blitting: drawing a whole figure takes tens of milliseconds; the static parts (axes, ticks,
grid, the target curve) are drawn once and kept as a background, and a slider change only redraws
the moving artists on top of it and encodes the frame.
"""

from __future__ import annotations

import io

import numpy as np


class BlitFigure:
    """A ``matplotlib.figure.Figure`` whose ``animated`` artists are redrawn over a cached background.

    ``fig`` must not be a pyplot figure (so that the notebook does not also show it); the moving
    artists' limits must be fixed by the caller (axis limits are part of the background).
    """

    def __init__(self, fig, animated):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.fig = fig
        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        self.animated = list(animated)
        for artist in self.animated:
            artist.set_animated(True)
        self._layout = fig.get_layout_engine()
        self._background = None

    def refresh_background(self) -> None:
        """Draw the static parts once (after any change to them: limits, labels, size)."""
        canvas = self.fig.canvas
        if self._layout is not None:
            self.fig.set_layout_engine(self._layout)
        canvas.draw()
        # The layout is computed by that draw; freezing it keeps later frames aligned with the
        # cached background (and saves the layout engine's time on every frame).
        self.fig.set_layout_engine("none")
        self._background = canvas.copy_from_bbox(self.fig.bbox)

    def frame(self) -> np.ndarray:
        """The current picture as an ``(height, width, 3)`` uint8 array."""
        if self._background is None:
            self.refresh_background()
        canvas = self.fig.canvas
        canvas.restore_region(self._background)
        for artist in self.animated:
            if artist.get_visible():
                self.fig.draw_artist(artist)
        return np.asarray(canvas.buffer_rgba())[..., :3]

    def png(self) -> bytes:
        """The current picture encoded as PNG (fast compression: encoding dominates otherwise)."""
        from PIL import Image

        buffer = io.BytesIO()
        Image.fromarray(self.frame()).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()
