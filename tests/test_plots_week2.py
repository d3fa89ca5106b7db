"""Week-2 plot helpers under Agg: what they draw (the data behind the artists), one batch call per
grid, and clear errors for bad shapes."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.plots.week2.backprop import graph_layout, plot_computation_graph
from course_utils.plots.week2.derivatives import plot_difference_errors
from course_utils.plots.week2.multiclass import (
    plane_grid,
    plot_classes,
    plot_decision_regions,
    plot_hidden_space,
    plot_hidden_units,
)
from course_utils.plots.week2.relu_sliders import plot_relu_lab
from course_utils.plots.week2.softmax import plot_overflow, plot_softmax_bars
from course_utils.plots.week2.training_and_activations import plot_fits, plot_loss_curves

X4 = np.array([[-5.0, 2.0], [-2.0, -2.0], [1.0, 2.0], [5.0, -2.0]])
Y4 = np.array([0, 1, 2, 3])


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts if t.get_text()]  # arrows are empty Annotations


# --- ReLU lab -------------------------------------------------------------------------------------

def test_relu_lab_draws_target_model_and_units():
    x = np.linspace(0, 3, 7)
    units = np.vstack([np.maximum(0, -2 * x + 2), np.maximum(0, x - 1), np.zeros_like(x)])
    axes, lines = plot_relu_lab(x, x**2, units)
    np.testing.assert_allclose(lines["target"].get_ydata(), x**2)
    np.testing.assert_allclose(lines["model"].get_ydata(), units.sum(axis=0))
    assert len(lines["units"]) == 3
    np.testing.assert_allclose(lines["units"][1].get_ydata(), units[1])
    assert axes[0].get_ylim() == (-0.5, 5.5)  # fixed: moving a slider never rescales


def test_relu_lab_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match=r"units \(2, 5\)"):
        plot_relu_lab(np.arange(4.0), np.arange(4.0), np.zeros((2, 5)))


# --- softmax ------------------------------------------------------------------------------------------

def test_softmax_bars_heights_and_labels():
    z = np.array([1.0, 2.0, 3.0, 4.0])
    p = np.exp(z) / np.exp(z).sum()
    _, art = plot_softmax_bars(z, p)
    assert [b.get_height() for b in art["logit_bars"]] == pytest.approx(z)
    assert [b.get_height() for b in art["prob_bars"]] == pytest.approx(p)
    assert [t.get_text() for t in art["prob_labels"]] == ["0.032", "0.087", "0.237", "0.644"]


def test_softmax_bars_reject_mismatched_shapes():
    with pytest.raises(ValueError, match=r"\(3,\).*\(4,\)"):
        plot_softmax_bars(np.zeros(3), np.zeros(4))


def test_overflow_plot_marks_where_the_naive_formula_breaks():
    shifts = np.array([0.0, 400.0, 800.0])
    ax = plot_overflow(shifts, [0.665, 0.665, np.nan], [0.665] * 3)
    assert len(ax.lines) == 2
    assert any("NaN from" in t and "800" in t for t in _texts(ax))


# --- training ------------------------------------------------------------------------------------------

def test_loss_curves_one_line_per_run_starting_at_epoch_one():
    ax = plot_loss_curves({"SGD": [3.0, 2.0, 1.5], "Adam": [3.0, 1.0, 0.5]})
    assert [line.get_label() for line in ax.lines] == ["SGD", "Adam"]
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1, 2, 3])
    assert ax.get_legend() is not None
    with pytest.raises(ValueError, match="empty"):
        plot_loss_curves({})


def test_fits_sorts_x_and_checks_lengths():
    x = np.array([2.0, 0.0, 1.0])
    ax = plot_fits(x, x**2, {"model": 2 * x})
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [0.0, 1.0, 2.0])
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [0.0, 2.0, 4.0])
    with pytest.raises(ValueError, match="fits\\['bad'\\]"):
        plot_fits(x, x, {"bad": np.zeros(2)})


# --- multiclass: the whole grid in one call ------------------------------------------------------------

class CountingModel:
    """A linear 'model' that counts its calls and the points it was given."""

    def __init__(self, W):
        self.W, self.calls, self.rows = np.asarray(W, float), 0, 0

    def __call__(self, P):
        self.calls += 1
        self.rows += len(P)
        return np.asarray(P, float) @ self.W


def test_plane_grid_covers_the_data():
    xx, yy, points = plane_grid(X4, n=11, pad=1.0)
    assert xx.shape == yy.shape == (11, 11) and points.shape == (121, 2)
    assert points[:, 0].min() == -6.0 and points[:, 0].max() == 6.0
    with pytest.raises(ValueError, match=r"\(4, 3\)"):
        plane_grid(np.zeros((4, 3)))


def test_hidden_units_one_panel_per_unit_one_call():
    model = CountingModel([[1.0, 0.0], [0.0, 1.0]])
    axes = plot_hidden_units(lambda P: np.maximum(0, model(P)), X4, Y4, n=30)
    assert len(axes) == 2 and model.calls == 1 and model.rows == 900
    assert "hidden unit 1" in axes[1].get_title()


def test_decision_regions_one_call_and_argmax_classes():
    # Scores that pick class 0 left of x1 = 0 and class 1 right of it.
    model = CountingModel([[-1.0, 1.0], [0.0, 0.0]])
    ax = plot_decision_regions(model, X4[[0, 3]], np.array([0, 1]), n=40)
    assert model.calls == 1 and model.rows == 1600
    mesh = ax.collections[0]
    classes = np.asarray(mesh.get_array()).reshape(40, 40)
    assert set(np.unique(classes)) == {0, 1}
    assert classes[0, 0] == 0 and classes[0, -1] == 1


def test_decision_regions_reject_a_model_that_drops_rows():
    with pytest.raises(ValueError, match="one row per point"):
        plot_decision_regions(lambda P: np.zeros((3, 4)), X4, Y4, n=10)


def test_hidden_space_draws_each_example_at_its_activations_and_counts_the_origin():
    A = np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [2.0, 0.0], [0.0, 3.0], [1.5, 2.5]])
    y = np.array([0, 0, 1, 1, 2, 3])
    ax = plot_hidden_space(A, y)
    assert len(ax.collections) == 4                          # one scatter per class
    np.testing.assert_array_equal(ax.collections[1].get_offsets(), A[y == 1])
    assert "hidden unit 0" in ax.get_xlabel() and "hidden unit 1" in ax.get_ylabel()
    assert _texts(ax) == ["both units off, at (0, 0):\n2 of class 0\n1 of class 1"]


def test_hidden_space_without_points_at_the_origin_writes_nothing():
    ax = plot_hidden_space(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0, 1]))
    assert _texts(ax) == []


def test_hidden_space_rejects_bad_shapes():
    with pytest.raises(ValueError, match=r"A has shape \(4, 3\)"):
        plot_hidden_space(np.zeros((4, 3)), np.zeros(4))
    with pytest.raises(ValueError, match=r"y has shape \(3,\); it needs shape \(4,\)"):
        plot_hidden_space(np.zeros((4, 2)), np.zeros(3))


def test_classes_scatter_one_collection_per_class():
    ax = plot_classes(X4, Y4)
    assert len(ax.collections) == 4


# --- backprop graph ---------------------------------------------------------------------------------

GRAPH1 = [("c", "w x", ["w", "x"]), ("a", "c + b", ["c", "b"]), ("d", "a - y", ["a", "y"]),
          ("J", r"\frac{1}{2} d^2", ["d"])]


def test_graph_layout_places_steps_left_to_right_and_inputs_before_their_step():
    pos = graph_layout(GRAPH1)
    assert set(pos) == {"c", "a", "d", "J", "w", "x", "b", "y"}
    steps = [pos[n] for n in "cadJ"]
    assert all(p[1] == 0 for p in steps) and [p[0] for p in steps] == sorted(p[0] for p in steps)
    assert pos["w"][0] < pos["c"][0] and pos["b"][0] < pos["a"][0] and pos["b"][1] > 0


def test_computation_graph_writes_values_and_derivatives():
    values = dict(w=-2, x=2, c=-4, b=8, a=4, y=1, d=3, J=4.5)
    derivs = dict(d=3, a=3, c=3, b=3, w=6)
    ax = plot_computation_graph(GRAPH1, values=values, derivatives=derivs)
    texts = _texts(ax)
    assert "$c = -4$" in texts and "$J = 4.5$" in texts
    assert r"$\partial J / \partial w = 6$" in texts
    assert sum(t.startswith(r"$\partial J") for t in texts) == 5
    assert len(ax.patches) == 8  # one box per node
    assert len([c for c in ax.get_children() if type(c).__name__ == "Annotation"]) == 7  # edges


def test_computation_graph_without_numbers_draws_only_the_graph():
    ax = plot_computation_graph([("a", "2 + 3w", ["w"]), ("J", "a^2", ["a"])])
    assert sorted(_texts(ax)) == sorted(["$a = 2 + 3w$", "$J = a^2$", "$w$"])


# --- derivatives: finite-difference errors -----------------------------------------------------------

def test_difference_errors_are_drawn_log_log_as_absolute_values():
    eps = [0.1, 0.01, 0.001]
    ax = plot_difference_errors(eps, {"one-sided": [0.61, 0.0601, 0.006001],
                                      "two-sided": [-0.01, -1e-4, -1e-6]})
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    one, two = ax.get_lines()
    assert [one.get_label(), two.get_label()] == ["one-sided", "two-sided"]
    np.testing.assert_allclose(one.get_xdata(), eps)
    np.testing.assert_allclose(two.get_ydata(), [0.01, 1e-4, 1e-6])  # |error|: a log axis needs > 0
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["one-sided", "two-sided"]


def test_difference_errors_reject_mismatched_shapes():
    with pytest.raises(ValueError, match=r"errors\['two-sided'\] has shape \(2,\).*\(3,\)"):
        plot_difference_errors([0.1, 0.01, 0.001], {"two-sided": [1.0, 2.0]})
    with pytest.raises(ValueError, match=r"epsilons has shape \(1,\)"):
        plot_difference_errors([0.1], {"one-sided": [1.0]})
