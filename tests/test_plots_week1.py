"""Week 1 plot helpers (neurons, coffee, vectorisation) under Agg: what they draw, not just that
they run."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PathCollection, QuadMesh

from course_utils.data import (
    COFFEE_DURATION_RANGE,
    COFFEE_TEMPERATURE_RANGE,
    coffee_is_good,
    coffee_trained_weights,
    load_coffee_data,
)
from course_utils.plots.week1 import coffee_roasting_tensorflow as coffee
from course_utils.plots.week1 import neurons_and_layers as neurons
from course_utils.plots.week1 import vectorisation
from course_utils.reference import sigmoid


class Counting:
    """Wraps a function of a batch; records every call's input shape."""

    def __init__(self, fn):
        self.fn = fn
        self.shapes = []

    def __call__(self, X):
        self.shapes.append(np.shape(X))
        return self.fn(X)


@pytest.fixture(scope="module")
def coffee_data():
    return load_coffee_data()


@pytest.fixture(scope="module")
def coffee_fns(coffee_data):
    """The syllabus's trained network as functions of raw inputs: hidden layer and output."""
    X, _ = coffee_data
    mu, sd = X.mean(axis=0), X.std(axis=0)
    (W1, b1), (W2, b2) = coffee_trained_weights()

    def hidden(R):
        return sigmoid((np.asarray(R) - mu) / sd @ W1 + b1)

    def prob(R):
        return sigmoid(hidden(R) @ W2 + b2)

    return hidden, prob, W2


def _points(ax, label=None):
    """Number of points in each scatter on ``ax`` (optionally only the one with ``label``)."""
    return [
        len(c.get_offsets()) for c in ax.collections
        if isinstance(c, PathCollection) and (label is None or c.get_label().startswith(label))
    ]


# ---- coffee -----------------------------------------------------------------------------------

def test_coffee_data_scatter(coffee_data):
    X, Y = coffee_data
    ax = coffee.plot_coffee_data(X, Y, show_rule=True)
    assert _points(ax, "good roast") == [43] and _points(ax, "bad roast") == [157]
    assert ax.get_xlabel() == "Temperature (°C)" and ax.get_ylabel() == "Duration (minutes)"
    assert ax.get_xlim() == COFFEE_TEMPERATURE_RANGE and ax.get_ylim() == COFFEE_DURATION_RANGE
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["good roast (43)", "bad roast (157)", "rule that labelled the data"]
    # the good points really are the good ones
    good = next(c for c in ax.collections if c.get_label().startswith("good"))
    assert coffee_is_good(*good.get_offsets().T).all()


def test_coffee_data_draws_on_given_axes(coffee_data):
    X, Y = coffee_data
    fig, ax = plt.subplots()
    assert coffee.plot_coffee_data(X, Y[:, 0], ax=ax) is ax
    assert len(fig.axes) == 1


def test_good_region_is_the_labelling_rule():
    # points strictly inside the outlined triangle are good, points just outside are not
    T, D, points = coffee.coffee_grid(200)
    from matplotlib.path import Path

    inside = Path(coffee.GOOD_REGION).contains_points(points, radius=-1e-6)
    good = coffee_is_good(points[:, 0], points[:, 1])
    outline = Path(coffee.GOOD_REGION).contains_points(points, radius=0.3)
    disagree = inside != good
    assert not (disagree & ~outline).any()  # disagreement only on the outline itself


def test_grid_is_row_major_and_covers_the_data_ranges():
    T, D, points = coffee.coffee_grid(5)
    assert T.shape == D.shape == (5, 5) and points.shape == (25, 2)
    np.testing.assert_array_equal(points[:, 0].reshape(5, 5), T)
    np.testing.assert_array_equal(points[:, 1].reshape(5, 5), D)
    assert (T.min(), T.max()) == COFFEE_TEMPERATURE_RANGE
    assert (D.min(), D.max()) == COFFEE_DURATION_RANGE


def test_unit_regions_one_call_one_panel_per_unit(coffee_data, coffee_fns):
    X, Y = coffee_data
    hidden, _, W2 = coffee_fns
    fn = Counting(hidden)
    fig = coffee.plot_unit_regions(fn, X, Y, output_weights=W2, n_grid=30)
    assert fn.shapes == [(900, 2)]
    panels = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert len(panels) == 3
    for j, ax in enumerate(panels):
        (mesh,) = [c for c in ax.collections if isinstance(c, QuadMesh)]
        assert mesh.get_array().shape == (30, 30)
        assert ax.get_title().startswith(f"Layer 1, unit {j}")
        assert _points(ax) == [43, 157]
    # all output weights are negative: the shading is the activation itself, checked at one cell
    T, D, points = coffee.coffee_grid(30)
    mesh0 = next(c for c in panels[0].collections if isinstance(c, QuadMesh))
    np.testing.assert_allclose(np.asarray(mesh0.get_array()).reshape(30, 30),
                               hidden(points)[:, 0].reshape(30, 30))


def test_unit_regions_flip_for_positive_output_weight(coffee_fns):
    hidden, _, W2 = coffee_fns
    flipped = -W2.copy()
    fig = coffee.plot_unit_regions(hidden, output_weights=flipped, n_grid=10)
    mesh = next(c for c in fig.axes[0].collections if isinstance(c, QuadMesh))
    _, _, points = coffee.coffee_grid(10)
    np.testing.assert_allclose(np.asarray(mesh.get_array()).ravel(), 1 - hidden(points)[:, 0])


def test_unit_regions_reject_wrong_output_weights(coffee_fns):
    hidden, _, _ = coffee_fns
    with pytest.raises(ValueError, match=r"output_weights.*\(3,\)"):
        coffee.plot_unit_regions(hidden, output_weights=[1.0, 2.0], n_grid=5)


def test_probability_plot(coffee_data, coffee_fns):
    X, Y = coffee_data
    _, prob, _ = coffee_fns
    fn = Counting(prob)
    ax = coffee.plot_probability(fn, X, Y, n_grid=40)
    assert fn.shapes == [(1600, 2)]
    (mesh,) = [c for c in ax.collections if isinstance(c, QuadMesh)]
    values = np.asarray(mesh.get_array())
    assert values.shape == (40, 40) and 0 <= values.min() and values.max() <= 1
    assert mesh.get_clim() == (0.0, 1.0)
    assert ax.get_xlim() == COFFEE_TEMPERATURE_RANGE and ax.get_ylim() == COFFEE_DURATION_RANGE
    assert any(a.get_label() == "<colorbar>" for a in ax.figure.axes)


def test_decision_plot(coffee_data, coffee_fns):
    X, Y = coffee_data
    _, prob, _ = coffee_fns
    fn = Counting(prob)
    ax = coffee.plot_decision(fn, X, Y, n_grid=50)
    assert fn.shapes == [(2500, 2)]
    (mesh,) = [c for c in ax.collections if isinstance(c, QuadMesh)]
    decision = np.asarray(mesh.get_array())
    assert decision.shape == (50, 50) and set(np.unique(decision)) == {0.0, 1.0}
    # the trained weights decide like the labelling rule on most of the plane
    _, _, points = coffee.coffee_grid(50)
    rule = coffee_is_good(points[:, 0], points[:, 1]).reshape(50, 50)
    assert (decision == rule).mean() > 0.95
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:3] == ["predicted good", "predicted bad", "rule that labelled the data"]
    assert _points(ax) == [43, 157]


def test_decision_threshold_changes_the_region(coffee_fns):
    _, prob, _ = coffee_fns
    area = []
    for threshold in (0.1, 0.9):
        ax = coffee.plot_decision(prob, threshold=threshold, n_grid=40)
        mesh = next(c for c in ax.collections if isinstance(c, QuadMesh))
        area.append(np.asarray(mesh.get_array()).mean())
    assert area[0] > area[1]


def test_plane_plots_accept_tensor_like_column_outputs(coffee_fns):
    _, prob, _ = coffee_fns

    class TensorLike:
        def __init__(self, a):
            self.a = a

        def __array__(self, dtype=None, copy=None):
            return np.asarray(self.a, dtype=dtype)

    ax = coffee.plot_probability(lambda R: TensorLike(prob(R).astype(np.float32)), n_grid=8)
    assert next(c for c in ax.collections if isinstance(c, QuadMesh)).get_array().shape == (8, 8)


def test_plane_plots_reject_wrong_shapes(coffee_fns):
    hidden, _, _ = coffee_fns
    with pytest.raises(ValueError, match="one probability per input"):
        coffee.plot_probability(hidden, n_grid=5)  # 3 outputs per input
    with pytest.raises(ValueError, match=r"returned shape \(3,\)"):
        coffee.plot_decision(lambda R: np.zeros(3), n_grid=5)
    with pytest.raises(ValueError, match=r"X has shape \(4,\)"):
        coffee.plot_coffee_data(np.zeros(4), np.zeros(4))


# ---- neurons ----------------------------------------------------------------------------------

HOUSE_X = np.array([[1.0], [2.0]])
HOUSE_Y = np.array([[300.0], [500.0]])
LOGISTIC_X = np.arange(6.0).reshape(-1, 1)
LOGISTIC_Y = np.array([0, 0, 0, 1, 1, 1])


def test_linear_neuron_plot():
    a, b = Counting(lambda x: 200 * x + 100), Counting(lambda x: (200 * x + 100).ravel())
    ax = neurons.plot_linear_neuron(HOUSE_X, HOUSE_Y, {"Keras": a, "NumPy": b}, n_points=50)
    assert a.shapes == [(50, 1)] and b.shapes == [(50, 1)]
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["Keras", "NumPy"]
    x, y = lines[0].get_data()
    np.testing.assert_allclose(np.interp(1.0, x, y), 300.0)  # syllabus fact: 300 at x = 1
    assert _points(ax, "data") == [2]
    assert ax.get_xlabel() == "Size (1000 sqft)" and ax.get_ylabel() == "Price (1000s of dollars)"
    assert ax.get_xlim() == (0.0, 2.5)


def test_logistic_neuron_plot_threshold_and_boundary():
    ax = neurons.plot_logistic_neuron(LOGISTIC_X, LOGISTIC_Y, {"neuron": lambda x: sigmoid(2 * x - 4.5)})
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[0] == "neuron" and "threshold 0.5" in labels
    boundary = next(line for line in ax.get_lines() if line.get_label().startswith("boundary"))
    np.testing.assert_allclose(boundary.get_xdata()[0], 2.25, atol=1e-3)  # -b / w
    assert _points(ax, "y = 1") == [3] and _points(ax, "y = 0") == [3]
    assert ax.get_ylim() == (-0.08, 1.08)
    x, f = ax.get_lines()[0].get_data()
    np.testing.assert_allclose(np.interp(0.0, x, f), 0.01099, atol=2e-4)  # syllabus fact


def test_logistic_neuron_without_crossing_draws_no_boundary():
    ax = neurons.plot_logistic_neuron(LOGISTIC_X, LOGISTIC_Y, {"flat": lambda x: 0 * x + 0.2})
    assert not any(line.get_label().startswith("boundary") for line in ax.get_lines())


def test_neuron_plots_reject_bad_input():
    with pytest.raises(ValueError, match=r"X has shape \(2, 2\)"):
        neurons.plot_linear_neuron(np.ones((2, 2)), HOUSE_Y, {"m": lambda x: x})
    with pytest.raises(ValueError, match="models is empty"):
        neurons.plot_linear_neuron(HOUSE_X, HOUSE_Y, {})
    with pytest.raises(ValueError, match="returned 1 values"):
        neurons.plot_logistic_neuron(LOGISTIC_X, LOGISTIC_Y, {"m": lambda x: np.zeros(1)})


# ---- vectorisation ----------------------------------------------------------------------------

def test_timing_plot():
    sizes = [1, 10, 100, 1000]
    loop = [1e-5, 1e-4, 1e-3, 1e-2]
    vec = [1e-6, 1e-6, 2e-6, 1e-5]
    ax = vectorisation.plot_timings(sizes, loop, vec)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["Python loop", "np.matmul"]
    np.testing.assert_array_equal(lines[0].get_xdata(), sizes)
    np.testing.assert_array_equal(lines[1].get_ydata(), vec)
    assert any(t.get_text() == "1,000× faster" for t in ax.texts)
    assert "batch size" in ax.get_xlabel() and "seconds" in ax.get_ylabel()


def test_timing_plot_rejects_mismatch_and_non_positive():
    with pytest.raises(ValueError, match="vectorised_seconds has shape"):
        vectorisation.plot_timings([1, 2], [1e-3, 2e-3], [1e-4])
    with pytest.raises(ValueError, match="positive"):
        vectorisation.plot_timings([1, 2], [1e-3, 0.0], [1e-4, 1e-4])


@pytest.mark.parametrize("draw", [
    lambda: neurons.plot_linear_neuron(HOUSE_X, HOUSE_Y, {"m": lambda x: x}),
    lambda: vectorisation.plot_timings([1, 2], [1.0, 2.0], [0.1, 0.1]),
])
def test_helpers_never_show(monkeypatch, draw):
    monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("plt.show() called"))
    draw()
