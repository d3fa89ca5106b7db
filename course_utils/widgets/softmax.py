"""Softmax with sliders: move the logits, watch the probabilities. Week 2, lesson 3.

:class:`SoftmaxLab` holds the logits and computes the (stable) softmax — no display;
:class:`SoftmaxSliders` shows one slider per logit and the two bar charts, updating the bars'
heights (never rebuilding the figure) on every slider change.
"""

from __future__ import annotations

import numpy as np

#: Slider range and step for the logits.
Z_MIN, Z_MAX, Z_STEP = -10.0, 10.0, 0.1
#: The syllabus example (W2.4): softmax([1, 2, 3, 4]) = [0.0320586, 0.0871443, 0.2368828, 0.6439143].
START = (1.0, 2.0, 3.0, 4.0)


class SoftmaxLab:
    """Logits ``z: (n,)`` and their softmax probabilities."""

    def __init__(self, z=START):
        self.z = np.array(z, dtype=float)
        if self.z.ndim != 1 or self.z.size < 2:
            raise ValueError(f"SoftmaxLab: z has shape {self.z.shape}; it needs shape (n,), n >= 2.")

    def set(self, index: int, value: float) -> None:
        """Set logit ``z[index]``."""
        if not 0 <= index < self.z.size:
            raise ValueError(f"SoftmaxLab.set: index {index} is not in 0..{self.z.size - 1}.")
        self.z[index] = float(value)

    def probabilities(self) -> np.ndarray:
        """``(n,)``: ``exp(z_j - max z) / sum_k exp(z_k - max z)`` — the stable form, never overflows."""
        e = np.exp(self.z - self.z.max())
        return e / e.sum()

    def status(self) -> str:
        p = self.probabilities()
        j = int(np.argmax(p))
        return (
            f"Most likely: class {j} with probability {p[j]:.3f}; "
            f"the probabilities sum to {p.sum():.6f}."
        )


class SoftmaxSliders:
    """One slider per logit, the logits and probabilities as bars, and a one-line readout.

    Attributes: ``state`` (:class:`SoftmaxLab`), ``sliders`` (list of ``FloatSlider``),
    ``reset_button``, ``readout``, ``image``, ``artists`` (see
    :func:`course_utils.plots.week2.softmax.plot_softmax_bars`).
    """

    def __init__(self, state: SoftmaxLab | None = None, figsize=(8.5, 3.2), dpi: int = 90):
        import ipywidgets as widgets
        from matplotlib.figure import Figure

        from course_utils.plots.week2.softmax import plot_softmax_bars
        from course_utils.widgets._canvas import BlitFigure

        self.state = state if state is not None else SoftmaxLab()
        self._start = self.state.z.copy()
        fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        axes = fig.subplots(1, 2)
        _, self.artists = plot_softmax_bars(
            self.state.z, self.state.probabilities(), axes=axes, zlim=(Z_MIN, Z_MAX)
        )
        moving = self.artists["logit_bars"] + self.artists["prob_bars"] + self.artists["prob_labels"]
        self.canvas = BlitFigure(fig, moving)
        self.figure = fig

        self.sliders = [
            widgets.FloatSlider(
                value=float(v), min=Z_MIN, max=Z_MAX, step=Z_STEP, description=f"z{j}",
                readout_format=".1f", layout=widgets.Layout(width="320px"),
            )
            for j, v in enumerate(self.state.z)
        ]
        self.reset_button = widgets.Button(description="Reset", icon="undo")
        self.readout = widgets.HTML()
        self.image = widgets.Image(format="png")
        self.image.add_class("softmax-lab-figure")  # stable handles for the browser test
        for j, slider in enumerate(self.sliders):
            slider.observe(lambda change, j=j: self._on_slider(j, change["new"]), names="value")
        self.reset_button.on_click(lambda _: self._reset())
        self.box = widgets.VBox(
            [widgets.HBox([widgets.VBox(self.sliders), self.reset_button]), self.readout, self.image]
        )
        self.box.add_class("softmax-lab")
        self._holding = False
        self.update()

    def _on_slider(self, index: int, value: float) -> None:
        self.state.set(index, value)
        if not self._holding:
            self.update()

    def _reset(self) -> None:
        self._holding = True
        try:
            for slider, value in zip(self.sliders, self._start):
                slider.value = float(value)
        finally:
            self._holding = False
        self.update()

    def update(self) -> None:
        """Push the state into the bars' heights, the labels, the readout and the image."""
        probs = self.state.probabilities()
        for bar, z in zip(self.artists["logit_bars"], self.state.z):
            bar.set_height(z)
        for bar, label, p in zip(self.artists["prob_bars"], self.artists["prob_labels"], probs):
            bar.set_height(p)
            label.set_y(p + 0.02)
            label.set_text(f"{p:.3f}")
        self.readout.value = self.state.status()
        self.image.value = self.canvas.png()

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)


def softmax_sliders(**kwargs) -> SoftmaxSliders:
    """Build the softmax widget (week 2, lesson 3); show it as a cell's last expression."""
    return SoftmaxSliders(**kwargs)
