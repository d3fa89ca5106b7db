"""course_utils.plots.planar under Agg: what each figure draws, one batch call, bad input named."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402

from course_utils.data import load_planar_data  # noqa: E402
from course_utils.plots.week3.assignment_planar_data import (  # noqa: E402
    plot_decision_boundaries,
    plot_decision_boundary,
)

X, Y = load_planar_data()


def above_line(points):
    """P(y = 1) of a classifier whose boundary is the line x2 = 0.25."""
    return 1 / (1 + np.exp(-10 * (0.25 - points[:, 1])))


def test_decision_boundary_draws_regions_the_boundary_and_the_data(tmp_path):
    calls = []

    def counted(points):
        calls.append(points.shape)
        return above_line(points)[:, None]  # (k, 1) works as well as (k,)

    ax = plot_decision_boundary(counted, X, Y, n=50, title="a line")
    assert calls == [(2500, 2)]  # one batch call on the whole grid
    assert ax.get_title() == "a line"
    (mesh,) = ax.collections[:1]
    assert set(np.unique(mesh.get_array())) == {0.0, 1.0}  # both predicted classes shaded
    (level,) = [c for c in ax.collections if hasattr(c, "levels")][0].levels
    assert level == 0.5
    paths = [c for c in ax.collections if hasattr(c, "levels")][0].get_paths()
    boundary = np.vstack([p.vertices for p in paths])
    np.testing.assert_allclose(boundary[:, 1], 0.25, atol=0.05)  # the line x2 = 0.25
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1"]
    scatters = [c for c in ax.collections
                if isinstance(c, PathCollection) and not hasattr(c, "levels")]
    assert sum(len(c.get_offsets()) for c in scatters) == len(X)
    ax.figure.savefig(tmp_path / "boundary.png")


def test_a_constant_classifier_has_no_boundary():
    ax = plot_decision_boundary(lambda points: np.zeros(len(points)), X, Y, n=20)
    assert not [c for c in ax.collections if hasattr(c, "levels")]


def test_decision_boundaries_one_panel_each_one_legend(tmp_path):
    models = {f"model {k}": above_line for k in range(4)}
    fig = plot_decision_boundaries(models, X, Y, ncols=3, n=30)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == list(models)
    assert len(fig.axes) == 6 and [ax.get_legend() is not None for ax in visible] == [
        True, False, False, False]
    fig.savefig(tmp_path / "boundaries.png")


def test_bad_input_is_named():
    with pytest.raises(ValueError, match=r"X has shape \(200,\)"):
        plot_decision_boundary(above_line, X[:, 0], Y)
    with pytest.raises(ValueError, match="one probability per point"):
        plot_decision_boundary(lambda p: np.zeros((len(p), 2)), X, Y, n=10)
    with pytest.raises(ValueError, match="models is empty"):
        plot_decision_boundaries({}, X, Y)
