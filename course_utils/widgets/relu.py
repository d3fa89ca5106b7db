"""The ReLU slider lab: build a piecewise-linear target from three ReLU units. Week 2, lesson 2.

Two parts, as every course widget:

- :class:`ReluLab` — the state and the arithmetic (no display): slider values, each unit's output,
  the model, the error and whether the target is matched. Tests drive it directly.
- :class:`ReluSliders` — the display: ipywidgets sliders, a "show solution" button and a live error
  readout around a matplotlib figure shown as an ``ipywidgets.Image``. A slider change updates the
  lines' data and redraws only them (see :mod:`course_utils.widgets._canvas`); the figure is built
  once.
"""

from __future__ import annotations

import numpy as np

#: The slider parameters the learner controls, in display order.
PARAMS = ("w1", "b1", "w2", "b2")
#: Slider range and step (syllabus W2.3).
SLIDER_MIN, SLIDER_MAX, SLIDER_STEP = -4.0, 4.0, 0.1
#: Unit 0 is fixed: it produces the first piece, -2x + 2, on [0, 1).
FIXED_UNIT = (-2.0, 2.0)
#: One solution (syllabus W2.3): each unit switches on at a kink and adds the change of slope there.
SOLUTION = {"w1": 1.0, "b1": -1.0, "w2": 2.0, "b2": -4.0}


def relu_target(x):
    """The lab's target (syllabus W2.3): ``-2x + 2`` on [0, 1), ``x - 1`` on [1, 2), ``3x - 5`` on [2, 3]."""
    x = np.asarray(x, dtype=float)
    return np.select([x < 1, x < 2], [-2 * x + 2, x - 1], 3 * x - 5)


class ReluLab:
    """State of the ReLU lab: ``model(x) = sum_i max(0, w_i x + b_i)`` over three units.

    ``x = linspace(0, 3, 300)``; unit 0 is fixed at ``w0 = -2, b0 = 2``; ``w1, b1, w2, b2`` start at
    0. The target is *matched* when the largest absolute error over ``x`` is at most ``tol``.
    """

    def __init__(self, n_points: int = 300, tol: float = 0.05):
        self.x = np.linspace(0.0, 3.0, n_points)
        self.target = relu_target(self.x)
        self.tol = float(tol)
        self.params = dict.fromkeys(PARAMS, 0.0)

    def set(self, **values: float) -> None:
        """Set some of ``w1, b1, w2, b2`` (each within the slider range −4..4)."""
        for name, value in values.items():
            if name not in self.params:
                raise ValueError(f"ReluLab.set: unknown parameter {name!r}; use one of {PARAMS}.")
            value = float(value)
            if not SLIDER_MIN - 1e-9 <= value <= SLIDER_MAX + 1e-9:
                raise ValueError(
                    f"ReluLab.set: {name} = {value} is outside the slider range "
                    f"[{SLIDER_MIN}, {SLIDER_MAX}]."
                )
            self.params[name] = value

    def reset(self) -> None:
        self.set(**dict.fromkeys(PARAMS, 0.0))

    @property
    def weights(self) -> np.ndarray:
        """``(3,)``: ``w0`` (fixed), ``w1``, ``w2``."""
        return np.array([FIXED_UNIT[0], self.params["w1"], self.params["w2"]])

    @property
    def biases(self) -> np.ndarray:
        """``(3,)``: ``b0`` (fixed), ``b1``, ``b2``."""
        return np.array([FIXED_UNIT[1], self.params["b1"], self.params["b2"]])

    def units(self) -> np.ndarray:
        """Each unit's output over ``x``, shape ``(3, n_points)`` (one row a unit)."""
        return np.maximum(0.0, np.outer(self.weights, self.x) + self.biases[:, None])

    def model(self) -> np.ndarray:
        """The model's output over ``x``, the sum of the units, shape ``(n_points,)``."""
        return self.units().sum(axis=0)

    def error(self) -> float:
        """Largest absolute difference between model and target over ``x``."""
        return float(np.max(np.abs(self.model() - self.target)))

    @property
    def matched(self) -> bool:
        return self.error() <= self.tol

    def status(self) -> str:
        """One line for the readout: the error and whether the target is matched."""
        err = self.error()
        if err <= self.tol:
            return f"Matched! Largest error {err:.3f} — the three ReLU units reproduce the target."
        return f"Largest error {err:.2f} — not matched yet (goal: at most {self.tol:g})."


class ReluSliders:
    """The ReLU lab as ipywidgets: four sliders, buttons, an error readout and the figure.

    Display it by leaving it as the last expression of a cell. Attributes for tests and curious
    learners: ``state`` (:class:`ReluLab`), ``sliders`` (dict name → ``FloatSlider``),
    ``solution_button``, ``reset_button``, ``readout`` (``HTML``), ``image`` (``Image``),
    ``lines`` (the matplotlib artists, see :func:`course_utils.plots.week2.relu_sliders.plot_relu_lab`).
    """

    def __init__(self, state: ReluLab | None = None, figsize=(9.0, 3.4), dpi: int = 90):
        import ipywidgets as widgets
        from matplotlib.figure import Figure

        from course_utils.plots.week2.relu_sliders import plot_relu_lab
        from course_utils.widgets._canvas import BlitFigure

        self.state = state if state is not None else ReluLab()
        fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        axes = fig.subplots(1, 2, sharey=True)
        _, self.lines = plot_relu_lab(self.state.x, self.state.target, self.state.units(), axes=axes)
        moving = [self.lines["model"], *self.lines["units"][1:]]  # unit 0 is fixed: background
        self.canvas = BlitFigure(fig, moving)
        self.figure = fig

        self.sliders = {
            name: widgets.FloatSlider(
                value=self.state.params[name], min=SLIDER_MIN, max=SLIDER_MAX, step=SLIDER_STEP,
                description=name, readout_format=".1f", continuous_update=True,
                layout=widgets.Layout(width="320px"),
            )
            for name in PARAMS
        }
        self.solution_button = widgets.Button(description="Show solution", icon="eye")
        self.reset_button = widgets.Button(description="Reset", icon="undo")
        self.readout = widgets.HTML()
        self.image = widgets.Image(format="png")
        self.image.add_class("relu-lab-figure")  # a stable handle for the browser test

        for slider in self.sliders.values():
            slider.observe(self._on_slider, names="value")
        self.solution_button.on_click(lambda _: self._set_sliders(SOLUTION))
        self.reset_button.on_click(lambda _: self._set_sliders(dict.fromkeys(PARAMS, 0.0)))

        sliders = widgets.VBox([self.sliders[n] for n in PARAMS])
        controls = widgets.HBox([sliders, widgets.VBox([self.solution_button, self.reset_button])])
        self.box = widgets.VBox([controls, self.readout, self.image])
        self.box.add_class("relu-lab")
        self._holding = False
        self.update()

    def _set_sliders(self, values: dict) -> None:
        # One redraw for the whole change, not one per slider.
        self._holding = True
        try:
            for name, value in values.items():
                self.sliders[name].value = value
        finally:
            self._holding = False
        self._on_slider(None)

    def _on_slider(self, _change) -> None:
        if self._holding:
            return
        self.state.set(**{name: slider.value for name, slider in self.sliders.items()})
        self.update()

    def update(self) -> None:
        """Push the state into the lines' data, the readout and the image (no figure rebuild)."""
        units = self.state.units()
        self.lines["model"].set_ydata(units.sum(axis=0))
        for line, row in zip(self.lines["units"], units):
            line.set_ydata(row)
        matched = self.state.matched
        color = "#00a86b" if matched else "#c55a11"
        self.readout.value = f"<b style='color:{color}'>{self.state.status()}</b>"
        self.readout.remove_class("unmatched" if matched else "matched")
        self.readout.add_class("matched" if matched else "unmatched")
        self.image.value = self.canvas.png()

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)


def relu_sliders(**kwargs) -> ReluSliders:
    """Build the ReLU lab widget (week 2, lesson 2); show it as a cell's last expression."""
    return ReluSliders(**kwargs)
