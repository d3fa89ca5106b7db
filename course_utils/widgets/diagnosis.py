"""The diagnosis lab: polynomial models of growing size and regularisation, read as bias and
variance against a baseline. Week 5, lesson 2 (``notebooks/week5/02_bias_variance.ipynb``).

Two parts, as every course widget:

- :class:`DiagnosisLab` — the state and the arithmetic (no display). Given a training set, a
  cross-validation set, a baseline error and a tolerance, it fits a polynomial of every degree
  in ``degrees`` with every λ in ``lambdas`` ONCE, at construction, and keeps each fit's
  ``J_train``, ``J_cv`` and curve. Moving a slider is then a lookup. Tests drive it directly.
- :class:`DiagnosisSliders` — the display: a degree slider (the model's size), a λ slider, a
  readout with the verdict, and a figure (the data with the fitted curve; bars for the baseline,
  ``J_train`` and ``J_cv``) shown as an ``ipywidgets.Image``. A slider change updates the curve's
  data and the bars' heights and redraws only them (see :mod:`course_utils.widgets._canvas`).

The model of degree ``d`` is ``f(x) = b + w_1 x + … + w_d x^d``, fitted by minimising the course's
regularised squared-error cost (``b`` is not regularised)::

    J(w, b) = 1/(2m) Σ_i (f(x_i) − y_i)² + λ/(2m) Σ_j w_j²

and ``J_train``, ``J_cv`` are the same cost WITHOUT the regularisation term, on the training and on
the cross-validation set. The verdict is the lesson's rule, with tolerance ``τ``:

- high bias when ``J_train − J_base > τ`` (the model does not even fit the data it was trained on);
- high variance when ``J_cv − J_train > τ`` (it does much worse on data it has not seen);
- both, or neither ("good fit").
"""

from __future__ import annotations

import numpy as np

#: The λ slider's values: none, then 10^-4 … 10 in half-decades (12 values).
LAMBDAS = (0.0, *(float(10.0 ** (k / 2)) for k in range(-8, 3)))
#: The degree slider's range: a line up to a polynomial of degree 12.
DEGREES = tuple(range(1, 13))
VERDICTS = ("high bias", "high variance", "high bias and high variance", "good fit")


def _features(x: np.ndarray, degree: int) -> np.ndarray:
    """``(m,) → (m, degree)``: the columns ``x, x², …, x^degree`` (one row per example)."""
    return x[:, None] ** np.arange(1, degree + 1)


def _fit(x: np.ndarray, y: np.ndarray, degree: int, lam: float) -> tuple[np.ndarray, float]:
    """``(w (degree,), b)`` minimising the regularised cost of the module docstring.

    Centring the features and the targets takes ``b`` out of the problem (it is not regularised);
    the ridge term is added as ``degree`` extra rows ``√λ I`` of a least-squares system, which also
    covers λ = 0 with fewer examples than weights (``lstsq`` then returns the smallest ``w``).
    """
    X = _features(x, degree)
    x_mean, y_mean = X.mean(axis=0), y.mean()
    A = np.vstack([X - x_mean, np.sqrt(lam) * np.eye(degree)])
    t = np.concatenate([y - y_mean, np.zeros(degree)])
    w = np.linalg.lstsq(A, t, rcond=None)[0]
    return w, float(y_mean - x_mean @ w)


def _cost(x: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> float:
    """``1/(2m) Σ (f(x_i) − y_i)²``, without the regularisation term."""
    return float(np.mean((_features(x, w.size) @ w + b - y) ** 2) / 2)


def _as_set(x, y, name: str) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.ndim != 1 or y.shape != x.shape or x.size < 2:
        raise ValueError(f"DiagnosisLab: {name} has x of shape {x.shape} and y of shape {y.shape}; "
                         "both must be (m,) with m >= 2 (one number per example).")
    return x, y


class DiagnosisLab:
    """State of the diagnosis lab: which polynomial (``degree``, ``lam``) is selected, and the
    ``J_train``, ``J_cv`` and verdict of every one, computed at construction.

    ``x_train, y_train: (m,)``; ``x_cv, y_cv: (m_cv,)``; ``baseline``: the error to compare
    ``J_train`` with (e.g. human-level, or, for generated data, the noise's own cost ``σ²/2``), in
    the units of ``J``; ``tolerance`` ``τ`` (same units; by default the baseline itself: a gap counts
    when it is as large as the baseline). ``grid``: the x values where the curves are kept, ``(k,)``.
    Attributes: ``j_train_grid``, ``j_cv_grid`` ``(len(degrees), len(lambdas))``; ``curves``
    ``(len(degrees), len(lambdas), k)``.
    """

    def __init__(self, x_train, y_train, x_cv, y_cv, baseline: float, tolerance: float | None = None,
                 degrees=DEGREES, lambdas=LAMBDAS, grid=None, degree: int = 1, lam: float = 0.0):
        self.x_train, self.y_train = _as_set(x_train, y_train, "the training set")
        self.x_cv, self.y_cv = _as_set(x_cv, y_cv, "the cross-validation set")
        if not np.isfinite(baseline) or baseline < 0:
            raise ValueError(f"DiagnosisLab: baseline = {baseline}; it must be a number >= 0.")
        self.baseline = float(baseline)
        self.tolerance = self.baseline if tolerance is None else float(tolerance)
        if not np.isfinite(self.tolerance) or self.tolerance <= 0:
            raise ValueError(f"DiagnosisLab: tolerance = {tolerance}; it must be > 0.")
        self.degrees = tuple(int(d) for d in degrees)
        self.lambdas = tuple(float(v) for v in lambdas)
        if not self.degrees or min(self.degrees) < 1 or any(v < 0 for v in self.lambdas):
            raise ValueError(f"DiagnosisLab: degrees {self.degrees} must be >= 1 and lambdas "
                             f"{self.lambdas} >= 0.")
        lo, hi = min(self.x_train.min(), self.x_cv.min()), max(self.x_train.max(), self.x_cv.max())
        self.grid = np.linspace(lo, hi, 200) if grid is None else np.asarray(grid, dtype=float)
        shape = (len(self.degrees), len(self.lambdas))
        self.j_train_grid, self.j_cv_grid = np.empty(shape), np.empty(shape)
        self.curves = np.empty((*shape, self.grid.size))
        # Every fit once, here: a slider move must not refit anything (it is a lookup).
        for i, d in enumerate(self.degrees):
            for j, penalty in enumerate(self.lambdas):
                w, b = _fit(self.x_train, self.y_train, d, penalty)
                self.j_train_grid[i, j] = _cost(self.x_train, self.y_train, w, b)
                self.j_cv_grid[i, j] = _cost(self.x_cv, self.y_cv, w, b)
                self.curves[i, j] = _features(self.grid, d) @ w + b
        self._i = self._j = 0
        self.set(degree=degree, lam=lam)

    def set(self, degree: int | None = None, lam: float | None = None) -> None:
        """Select another fit: ``degree`` from ``degrees``, ``lam`` from ``lambdas``."""
        if degree is not None:
            if degree not in self.degrees:
                raise ValueError(f"DiagnosisLab.set: degree = {degree}; it must be one of "
                                 f"{self.degrees}.")
            self._i = self.degrees.index(degree)
        if lam is not None:
            close = np.isclose(self.lambdas, lam, rtol=1e-6, atol=0.0)
            if not close.any():
                raise ValueError(f"DiagnosisLab.set: lam = {lam}; it must be one of {self.lambdas}.")
            self._j = int(np.argmax(close))

    @property
    def degree(self) -> int:
        return self.degrees[self._i]

    @property
    def lam(self) -> float:
        return self.lambdas[self._j]

    @property
    def j_train(self) -> float:
        return float(self.j_train_grid[self._i, self._j])

    @property
    def j_cv(self) -> float:
        return float(self.j_cv_grid[self._i, self._j])

    @property
    def curve(self) -> np.ndarray:
        """The selected fit's predictions at ``grid``, shape ``(k,)``."""
        return self.curves[self._i, self._j]

    @property
    def bias_gap(self) -> float:
        """``J_train − J_base``: how far the training error is above the baseline."""
        return self.j_train - self.baseline

    @property
    def variance_gap(self) -> float:
        """``J_cv − J_train``: how much worse the model does on data it was not trained on."""
        return self.j_cv - self.j_train

    #: The verdict for (J_train − J_base > τ, J_cv − J_train > τ). A table, not the branches a
    #: learner writes in week 5's graded `diagnose` (this module ships to learners).
    _READING = {(True, True): VERDICTS[2], (True, False): VERDICTS[0],
                (False, True): VERDICTS[1], (False, False): VERDICTS[3]}

    def verdict(self) -> str:
        """One of :data:`VERDICTS`, by the rule of the module docstring."""
        return self._READING[(bool(self.bias_gap > self.tolerance),
                              bool(self.variance_gap > self.tolerance))]

    def status(self) -> str:
        """One line for the readout: the selected model, its two gaps against τ, the verdict."""
        tau = self.tolerance

        def compare(gap: float) -> str:
            return ">" if gap > tau else "≤"

        return (f"degree {self.degree}, λ = {self.lam:g}: J_train − J_base = {self.bias_gap:.3f} "
                f"{compare(self.bias_gap)} τ, J_cv − J_train = {self.variance_gap:.3f} "
                f"{compare(self.variance_gap)} τ (τ = {tau:g}) — {self.verdict()}")


class DiagnosisSliders:
    """The diagnosis lab as ipywidgets: a degree slider, a λ slider, a readout and the figure.

    Display it by leaving it as the last expression of a cell. Attributes for tests and curious
    learners: ``state`` (:class:`DiagnosisLab`), ``degree_slider`` (``IntSlider``),
    ``lambda_slider`` (``SelectionSlider`` over ``state.lambdas``), ``readout`` (``HTML``),
    ``image`` (``Image``), ``artists`` (see :func:`course_utils.plots.week5.bias_variance.plot_diagnosis_lab`).
    """

    def __init__(self, state: DiagnosisLab, figsize=(10.0, 3.6), dpi: int = 90):
        import ipywidgets as widgets
        from matplotlib.figure import Figure

        from course_utils.plots.week5.bias_variance import plot_diagnosis_lab
        from course_utils.widgets._canvas import BlitFigure, SliderPanel

        self.state = state
        fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        axes = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.5, 1]})
        _, self.artists = plot_diagnosis_lab(
            state.x_train, state.y_train, state.x_cv, state.y_cv, state.grid, state.curve,
            (state.baseline, state.j_train, state.j_cv), tolerance=state.tolerance, axes=axes)
        moving = [self.artists["curve"], *self.artists["bars"], *self.artists["labels"]]
        self.canvas = BlitFigure(fig, moving)
        self.figure = fig

        self.degree_slider = widgets.IntSlider(
            value=state.degree, min=min(state.degrees), max=max(state.degrees), description="degree",
            continuous_update=True, layout=widgets.Layout(width="420px"))
        self.lambda_slider = widgets.SelectionSlider(
            options=[(f"{lam:.2g}", lam) for lam in state.lambdas], value=state.lam,
            description="λ", continuous_update=True, layout=widgets.Layout(width="420px"))
        self.panel = SliderPanel("diagnosis-lab", [self.degree_slider, self.lambda_slider],
                                 self._on_slider)
        self.readout, self.image, self.box = self.panel.readout, self.panel.image, self.panel.box
        self.update()

    def _on_slider(self, _change) -> None:
        self.state.set(degree=self.degree_slider.value, lam=self.lambda_slider.value)
        self.update()

    def update(self) -> None:
        """Push the state into the curve, the bars, the readout and the image (no figure rebuild)."""
        from course_utils.plots.week5.bias_variance import set_error_bars

        state = self.state
        self.artists["curve"].set_ydata(state.curve)
        set_error_bars(self.artists, (state.baseline, state.j_train, state.j_cv))
        verdict = state.verdict()
        color = "#00a86b" if verdict == "good fit" else "#c00000"
        self.panel.show(state.status(), color, verdict, VERDICTS, self.canvas.png())

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)


def diagnosis_sliders(state: DiagnosisLab, **kwargs) -> DiagnosisSliders:
    """Build the diagnosis lab widget (week 5, lesson 2) on ``state``; show it as a cell's last
    expression."""
    return DiagnosisSliders(state, **kwargs)
