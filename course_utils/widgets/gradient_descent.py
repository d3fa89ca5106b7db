"""The learning-rate lab: gradient descent on an elongated bowl, with an α slider. Week 3, lesson 2.

Two parts, as every course widget:

- :class:`GradientDescentLab` — the state and the arithmetic (no display): the learning rate α,
  the start point and the number of steps give the path of the iterates, its costs and a verdict
  ("converges", "too slow", "oscillates" or "diverges"). Tests drive it directly.
- :class:`GradientDescentSliders` — the display: a log-scale α slider and a steps slider, a
  readout, and a matplotlib figure (the path over the contours, the cost per iteration) shown as
  an ``ipywidgets.Image``. A slider change updates the two lines' data and redraws only them (see
  :mod:`course_utils.widgets._canvas`); the figure is built once.

The bowl is ``J(w) = (λ1 w1² + λ2 w2²) / 2`` with ``λ = (1, 10)``: its gradient is ``(λ1 w1, λ2 w2)``,
so one step multiplies each coordinate by ``1 − α λi``. The path converges exactly when every
``|1 − α λi| < 1``, i.e. ``0 < α < 2 / λ_max = 0.2``.
"""

from __future__ import annotations

import numpy as np

#: The bowl's curvatures (the Hessian's eigenvalues): shallow along w1, ten times steeper along w2.
CURVATURES = (1.0, 10.0)
START = (-8.0, 2.5)
#: The α slider's range, as powers of ten (0.001 … 1) and its step in the exponent.
ALPHA_EXP_MIN, ALPHA_EXP_MAX, ALPHA_EXP_STEP = -3.0, 0.0, 0.01
STEPS_MAX = 100
VERDICTS = ("converges", "too slow", "oscillates", "diverges")
#: "Converges" means: the final cost is at most this fraction of the starting cost.
CONVERGED_RATIO = 1e-3


class GradientDescentLab:
    """State of the learning-rate lab: gradient descent on ``J(w) = Σ λi wi² / 2``.

    ``alpha`` (the learning rate, > 0), ``start`` ``(2,)`` and ``steps`` (an int, 1 … ``STEPS_MAX``)
    determine the path; the verdict is read from it:

    - **diverges**: the final cost is above the starting cost (or overflowed);
    - **converges**: the final cost is at most ``CONVERGED_RATIO`` × the starting cost;
    - **oscillates**: neither, and the last two steps point in opposite directions (a zigzag);
    - **too slow**: neither, and the path still heads the same way (steps too short).
    """

    def __init__(self, alpha: float = 0.05, start=START, steps: int = 50, curvatures=CURVATURES):
        self.curvatures = np.asarray(curvatures, dtype=float)
        self.start = np.asarray(start, dtype=float)
        if self.curvatures.shape != (2,) or np.any(self.curvatures <= 0):
            raise ValueError(f"GradientDescentLab: curvatures {self.curvatures} must be 2 positive numbers.")
        if self.start.shape != (2,):
            raise ValueError(f"GradientDescentLab: start has shape {self.start.shape}; it must be (2,).")
        self.alpha, self.steps = 0.0, 0
        self.set(alpha=alpha, steps=steps)

    def set(self, alpha: float | None = None, steps: int | None = None) -> None:
        """Change the learning rate and/or the number of steps."""
        if alpha is not None:
            if not np.isfinite(alpha) or alpha <= 0:
                raise ValueError(f"GradientDescentLab.set: alpha = {alpha}; it must be > 0.")
            self.alpha = float(alpha)
        if steps is not None:
            if int(steps) != steps or not 1 <= steps <= STEPS_MAX:
                raise ValueError(f"GradientDescentLab.set: steps = {steps}; it must be a whole "
                                 f"number from 1 to {STEPS_MAX}.")
            self.steps = int(steps)

    def cost(self, w) -> np.ndarray:
        """``J`` at points ``w``: ``(2,) → ()`` or ``(k, 2) → (k,)`` (vectorised for contour grids)."""
        w = np.asarray(w, dtype=float)
        return 0.5 * (w**2 * self.curvatures).sum(axis=-1)

    def gradient(self, w) -> np.ndarray:
        """``dJ/dw = (λ1 w1, λ2 w2)``, shape ``(2,)``."""
        return self.curvatures * np.asarray(w, dtype=float)

    @property
    def threshold(self) -> float:
        """The largest learning rate that still converges: ``2 / λ_max``."""
        return 2.0 / float(self.curvatures.max())

    @property
    def factors(self) -> np.ndarray:
        """``1 − α λi``: what one step multiplies each coordinate by, shape ``(2,)``."""
        return 1.0 - self.alpha * self.curvatures

    def path(self) -> np.ndarray:
        """The iterates ``w_0 … w_steps``, shape ``(steps + 1, 2)``, the start first."""
        path = np.empty((self.steps + 1, 2))
        path[0] = self.start
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run may overflow: allowed
            for k in range(self.steps):
                path[k + 1] = path[k] - self.alpha * self.gradient(path[k])
        return path

    def costs(self) -> np.ndarray:
        """The cost of each iterate, shape ``(steps + 1,)``."""
        with np.errstate(over="ignore", invalid="ignore"):
            return self.cost(self.path())

    @property
    def final_cost(self) -> float:
        return float(self.costs()[-1])

    def verdict(self) -> str:
        """One of :data:`VERDICTS` (see the class docstring)."""
        path = self.path()
        with np.errstate(over="ignore", invalid="ignore"):
            costs = self.cost(path)
            start, final = costs[0], costs[-1]
            if not np.isfinite(final) or final > start:
                return "diverges"
            if final <= CONVERGED_RATIO * start:
                return "converges"
            steps = np.diff(path[-3:], axis=0)
            if len(steps) == 2 and float(steps[0] @ steps[1]) < 0:
                return "oscillates"
        return "too slow"

    def status(self) -> str:
        """One line for the readout: α, the cost reached and the verdict with its reason."""
        verdict = self.verdict()
        why = {
            "converges": "the path reaches the minimum.",
            "too slow": "every step goes downhill, but the steps are short: raise α or take more steps.",
            "oscillates": (f"the path zigzags across the valley: α is close to 2/λ_max = "
                           f"{self.threshold:g}."),
            "diverges": (f"each step overshoots more than the last: α > 2/λ_max = {self.threshold:g}, "
                         f"so |1 − α λ_max| = {abs(self.factors.min()):.3g} > 1."),
        }[verdict]
        return (f"α = {self.alpha:.3g}: after {self.steps} steps the cost is {self.final_cost:.3g} "
                f"(it started at {self.cost(self.start):.4g}) — {verdict}: {why}")


class GradientDescentSliders:
    """The learning-rate lab as ipywidgets: an α slider (log scale), a steps slider, a readout and
    the figure.

    Display it by leaving it as the last expression of a cell. Attributes for tests and curious
    learners: ``state`` (:class:`GradientDescentLab`), ``alpha_slider`` (``FloatLogSlider``),
    ``steps_slider`` (``IntSlider``), ``readout`` (``HTML``), ``image`` (``Image``), ``lines``
    (``"path"`` and ``"cost"``, see :func:`course_utils.plots.week3.gradient_descent.plot_gd_lab`).
    """

    def __init__(self, state: GradientDescentLab | None = None, figsize=(10.0, 3.6), dpi: int = 90):
        import ipywidgets as widgets
        from matplotlib.figure import Figure

        from course_utils.plots.week3.gradient_descent import plot_gd_lab
        from course_utils.widgets._canvas import BlitFigure, SliderPanel

        self.state = state if state is not None else GradientDescentLab()
        fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        axes = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.6, 1]})
        _, self.lines = plot_gd_lab(self.state.cost, self.state.path(), self.state.costs(),
                                    axes=axes, max_steps=STEPS_MAX)
        self.canvas = BlitFigure(fig, [self.lines["path"], self.lines["cost"]])
        self.figure = fig

        self.alpha_slider = widgets.FloatLogSlider(
            value=self.state.alpha, base=10, min=ALPHA_EXP_MIN, max=ALPHA_EXP_MAX,
            step=ALPHA_EXP_STEP, description="α", readout_format=".3g", continuous_update=True,
            layout=widgets.Layout(width="420px"),
        )
        self.steps_slider = widgets.IntSlider(
            value=self.state.steps, min=1, max=STEPS_MAX, description="steps",
            continuous_update=True, layout=widgets.Layout(width="420px"),
        )
        self.panel = SliderPanel("gd-lab", [self.alpha_slider, self.steps_slider], self._on_slider)
        self.readout, self.image, self.box = self.panel.readout, self.panel.image, self.panel.box
        self.update()

    def _on_slider(self, _change) -> None:
        self.state.set(alpha=self.alpha_slider.value, steps=self.steps_slider.value)
        self.update()

    def update(self) -> None:
        """Push the state into the lines' data, the readout and the image (no figure rebuild)."""
        from course_utils.plots.week3.gradient_descent import gd_lab_data

        path_xy, cost_xy = gd_lab_data(self.state.path(), self.state.costs())
        self.lines["path"].set_data(*path_xy)
        self.lines["cost"].set_data(*cost_xy)
        verdict = self.state.verdict()
        color = {"converges": "#00a86b", "diverges": "#c00000"}.get(verdict, "#c55a11")
        self.panel.show(self.state.status(), color, verdict, VERDICTS, self.canvas.png())

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)


def learning_rate_slider(**kwargs) -> GradientDescentSliders:
    """Build the learning-rate lab widget (week 3, lesson 2); show it as a cell's last expression."""
    return GradientDescentSliders(**kwargs)
