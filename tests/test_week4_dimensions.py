"""Week 4, lesson 1 (getting the dimensions right): the notebook reads as a lesson and runs top to
bottom in a fresh kernel; the check's expected tables are the shapes of real arrays (the reference
blocks' forward and backward pass in rows, a column-convention pass written here); the check names
each typical mistake; every number and claim of the prose is pinned; the plot helpers draw what
they say.
"""

from __future__ import annotations

import math
import re

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from scipy.special import expit

from conftest import (
    NOTEBOOKS,
    WEEK4_GRADED,
    assert_hands_out_no_graded_answer,
    assert_reads_as_a_lesson,
    assert_your_turn_cells,
    execute_with_results,
    fill_your_turns,
)
from course_utils.checks import check_layer_shapes
from course_utils.checks.week4.dimensions import CASES
from course_utils.plots.week4.dimensions import plot_unit_counts, plot_unit_responses
from course_utils.reference.deep import initialize_parameters_deep, model_backward, model_forward

LESSON = NOTEBOOKS / "week4" / "01_dimensions.ipynb"
TITLE = "# Week 4, lesson 1 — Getting the dimensions right"
YOUR_TURN = [("layer_shapes", "check_layer_shapes")]
#: NumPy-only lessons run in a few seconds (measured: about 3 to 7 s with the kernel's start).
TIME_LIMIT_S = 180  # a runaway bound only: speed is benchmarks/notebooks.py's job
NOTES_EXAMPLE = [2, 3, 5, 4, 2, 1]


def _code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def _stdout(nb) -> str:
    return "".join(o.get("text", "") for c in _code(nb) for o in c.outputs
                   if o.output_type == "stream" and o.name == "stdout")


# ---- shapes of real arrays: the independent source of every expected table -------------------

def real_shapes(layer_dims, m, convention, seed=0):
    """The shapes of the arrays of an actual forward and backward pass: in rows with the reference
    blocks (course_utils.reference.deep), in columns with the notes' formulas written here."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, layer_dims[0]))
    Y = (rng.random((m, layer_dims[-1])) > 0.5).astype(float)
    params = initialize_parameters_deep(layer_dims, seed=seed)
    L = len(layer_dims) - 1
    if convention == "rows":
        AL, caches = model_forward(X, params)
        grads = model_backward(AL, Y, caches)
        table = {"A0": X.shape}
        for layer, ((_, W, b), Z) in enumerate(caches, 1):
            A = caches[layer][0][0] if layer < L else AL
            table.update({f"W{layer}": W.shape, f"b{layer}": b.shape, f"Z{layer}": Z.shape,
                          f"A{layer}": A.shape, f"dW{layer}": grads[f"dW{layer}"].shape,
                          f"db{layer}": grads[f"db{layer}"].shape})
        return table
    # The notes' column convention: W (n[l], n[l-1]), b (n[l], 1), one example per column.
    W = {layer: params[f"W{layer}"].T for layer in range(1, L + 1)}
    b = {layer: params[f"b{layer}"].reshape(-1, 1) for layer in range(1, L + 1)}
    A, Z = {0: X.T}, {}
    for layer in range(1, L + 1):
        Z[layer] = W[layer] @ A[layer - 1] + b[layer]
        A[layer] = 1 / (1 + np.exp(-Z[layer])) if layer == L else np.maximum(0, Z[layer])
    dZ, table = A[L] - Y.T, {"A0": A[0].shape}
    for layer in range(L, 0, -1):
        dW = dZ @ A[layer - 1].T / m
        db = np.sum(dZ, axis=1, keepdims=True) / m
        table.update({f"W{layer}": W[layer].shape, f"b{layer}": b[layer].shape,
                      f"Z{layer}": Z[layer].shape, f"A{layer}": A[layer].shape,
                      f"dW{layer}": dW.shape, f"db{layer}": db.shape})
        dZ = (W[layer].T @ dZ) * (Z[layer - 1] > 0) if layer > 1 else None
    return table


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_expected_table_is_the_shapes_of_real_arrays(case):
    assert case.expected == real_shapes(list(case.layer_dims), case.m, case.convention)
    assert list(case.expected) == ["A0"] + [f"{kind}{layer}" for layer in
                                            range(1, len(case.layer_dims))
                                            for kind in ("W", "b", "Z", "A", "dW", "db")]


def test_the_cases_cover_the_notes_example_in_both_conventions_and_a_visible_m():
    covered = {(c.layer_dims, c.convention) for c in CASES}
    assert {(tuple(NOTES_EXAMPLE), "rows"), (tuple(NOTES_EXAMPLE), "columns")} <= covered
    assert {len(c.layer_dims) - 1 for c in CASES} >= {5, 2, 1}
    for case in CASES:  # m is none of the layer sizes, so a misplaced m is visible
        assert case.m not in case.layer_dims


# ---- the instant check ---------------------------------------------------------------------

def right(layer_dims, m, convention):
    """A second answer: the shapes read off real arrays."""
    return real_shapes(layer_dims, m, convention)


def _mutated(change):
    return lambda layer_dims, m, convention: change(right(layer_dims, m, convention),
                                                    layer_dims, m, convention)


def _renumbered(table, shift):
    return {(re.sub(r"\d+", lambda d: str(int(d.group()) + shift), k) if k != "A0" else k): v
            for k, v in table.items()}


MISTAKEN = {
    "convention ignored": (
        lambda d, m, c: right(d, m, "rows"),
        "the whole table is in the other convention, not 'columns'"),
    "W transposed in rows": (
        _mutated(lambda t, d, m, c: {k: (v[::-1] if k[0] == "W" and c == "rows" else v)
                                     for k, v in t.items()}),
        "W[1] is transposed: (3, 2) is its shape in the columns convention"),
    "b a column in rows": (
        _mutated(lambda t, d, m, c: {k: ((v[0], 1) if k[0] == "b" and c == "rows" else v)
                                     for k, v in t.items()}),
        "b[1] is a column (3, 1) in the row convention"),
    "b rank-1 in columns": (
        _mutated(lambda t, d, m, c: {k: ((v[0],) if k[0] == "b" else v) for k, v in t.items()}),
        "b[1] is rank-1 (3,) in the column convention"),
    "b a row matrix": (
        _mutated(lambda t, d, m, c: {k: ((1, v[0]) if k[0] == "b" else v) for k, v in t.items()}),
        "b[1] is a row matrix (1, 3)"),
    "n[l-1] and n[l] mixed up": (
        _mutated(lambda t, d, m, c: {k: ((v[1], v[1]) if k[0] == "W" else v)
                                     for k, v in t.items()}),
        "n[l-1] and n[l] are mixed up in W[1] (3, 3)"),
    "m forgotten": (
        _mutated(lambda t, d, m, c: {k: (tuple(x for x in v if x != m) if k[0] in "ZA"
                                         and k != "A0" else v) for k, v in t.items()}),
        "m is forgotten in Z[1] (3,): Z and A hold one row per example"),
    "m in dW": (
        _mutated(lambda t, d, m, c: {k: (t["Z" + k[2:]] if k.startswith("dW") else v)
                                     for k, v in t.items()}),
        "dW[1] (7, 3) has m = 7 in its shape"),
    "off by one layer": (
        _mutated(lambda t, d, m, c: {k: (t.get(f"W{int(k[1:]) + 1}", v) if k[0] == "W" else v)
                                     for k, v in t.items()}),
        "off by one layer: (3, 5) is the shape of W2, not of W1"),
    "layers from 0": (
        _mutated(lambda t, d, m, c: _renumbered(t, -1)),
        "layers numbered from 0"),
    "one layer too many": (
        _mutated(lambda t, d, m, c: _renumbered(t, +1)),
        "one layer too many"),
    "stops one layer early": (
        _mutated(lambda t, d, m, c: {k: v for k, v in t.items()
                                     if not k.endswith(str(len(d) - 1))}),
        "the loop stops one layer early"),
    "A0 missing": (
        _mutated(lambda t, d, m, c: {k: v for k, v in t.items() if k != "A0"}),
        "A0 is missing"),
    "no gradients": (
        _mutated(lambda t, d, m, c: {k: v for k, v in t.items() if k[0] != "d"}),
        "no entries for dW, db"),
    "lists for tuples": (
        _mutated(lambda t, d, m, c: {k: list(v) for k, v in t.items()}),
        "a shape is a tuple of whole numbers"),
    "not a dict": (lambda d, m, c: list(right(d, m, c).items()), "return a dict"),
    "no return": (lambda d, m, c: None, "layer_shapes has no `return`"),
    "an exception": (lambda d, m, c: d[m], "got:      an exception, IndexError"),
}


def test_the_check_passes_a_right_answer(capsys):
    assert check_layer_shapes(right) is True
    assert capsys.readouterr().out == "\N{HEAVY CHECK MARK} layer_shapes: all 4 cases passed.\n"


def test_the_stub_is_reported_as_not_written_yet_without_raising(capsys):
    def layer_shapes(layer_dims, m, convention):
        raise NotImplementedError()

    assert check_layer_shapes(layer_shapes) is False
    assert capsys.readouterr().out.startswith(
        "\N{HEAVY BALLOT X} layer_shapes: not written yet: replace `raise NotImplementedError()`")


def test_a_result_instead_of_the_function_is_named(capsys):
    assert check_layer_shapes(right([2, 1], 3, "rows")) is False
    assert "needs the function itself" in capsys.readouterr().out


@pytest.mark.parametrize("mistake", MISTAKEN)
def test_the_check_names_each_mistake(mistake, capsys):
    func, named = MISTAKEN[mistake]
    assert check_layer_shapes(func) is False
    out = capsys.readouterr().out
    assert out.startswith("\N{HEAVY BALLOT X} layer_shapes: case ")
    assert named in out, out


def test_a_wrong_table_without_a_known_mistake_still_shows_what_was_expected(capsys):
    wrong = _mutated(lambda t, d, m, c: dict(t, W1=(11, 13)))
    assert check_layer_shapes(wrong) is False
    out = capsys.readouterr().out
    assert "entry:    W1" in out and "expected: (2, 3)" in out and "got:      (11, 13)" in out
    assert "W1 should be (2, 3)" in out


# ---- structure: cheap, no kernel ---------------------------------------------------------------

def test_lesson_reads_as_a_lesson_with_the_issue_s_parts():
    nb = nbformat.read(LESSON, as_version=4)
    assert_reads_as_a_lesson(nb, TITLE)
    assert_your_turn_cells(nb, YOUR_TURN)
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    for heading in ["## 2. The rule", "## 3. The table for any network",
                    "## 4. Build the arrays, run them, assert every shape",
                    "## 5. How many parameters?", "## 6. Why deep?",
                    "### A circuit that is small only when deep"]:
        assert any(text.startswith(heading) for text in markdown), heading
    rule = next(text for text in markdown if text.startswith("## 2. The rule"))
    assert "| this course (rows) | the notes (columns) |" in rule


def test_lesson_hands_out_no_graded_answer_and_stays_numpy_only():
    nb = nbformat.read(LESSON, as_version=4)
    assert_hands_out_no_graded_answer(nb, WEEK4_GRADED)
    failing = [c for c in _code(nb) if "raises-exception" in c.metadata.get("tags", [])]
    assert [c.source for c in failing] == ['broken = dict(params, W2=params["W2"].T)\n'
                                           "forward_rows(X, broken)"]
    assert all(not c.outputs and c.execution_count is None for c in _code(nb))


# ---- the notebook, executed --------------------------------------------------------------------

RESULTS = """
import json
print("RESULTS " + json.dumps({
    "X": X.tolist(), "params": {k: v.tolist() for k, v in params.items()},
    "acts_rows": [a.tolist() for a in acts_rows], "gap": float(gap),
    "by_formula": by_formula, "by_arrays": by_arrays, "by_arrays_col": by_arrays_col,
    "coefs": [w.tolist() for w in net.coefs_], "intercepts": [b.tolist() for b in net.intercepts_],
    "accuracy": net.score(X_c, y_c), "grid": G.tolist(), "P": P.tolist(),
    "ns": ns, "deep_units": deep_units, "shallow_units": shallow_units,
    "deep_layers": [len(parity_deep(n)) - 1 for n in ns], "counting_right": counting_right,
}))
"""


def _run(path, tmp_path, fill=False):
    """Execute the lesson (``fill``: the stub replaced by the lesson's answer) with a last cell
    printing its results; return the notebook, the results and the time it took."""
    nb = nbformat.read(path, as_version=4)
    if fill:
        nb = fill_your_turns(nb, [func for func, _ in YOUR_TURN])
    return execute_with_results(nb, path.name, tmp_path, RESULTS)


@pytest.fixture(scope="module")
def lesson(tmp_path_factory):
    """The lesson as stored (with its stub), executed once for the tests below."""
    return _run(LESSON, tmp_path_factory.mktemp("w4l1"))


@pytest.mark.notebook
def test_stored_lesson_runs_fast_and_its_check_says_not_written_yet(lesson):
    nb, _, elapsed = lesson
    assert elapsed < TIME_LIMIT_S, f"{elapsed:.1f} s"
    out = _stdout(nb)
    assert ("\N{HEAVY BALLOT X} layer_shapes: not written yet: replace `raise NotImplementedError()` "
            "by your code") in out
    assert "L = 5 layers: 4 hidden, 1 output; inputs n[0] = 2" in out
    images = sum("image/png" in o.get("data", {}) for c in _code(nb) for o in c.outputs)
    assert images == 2
    # the only error is the cell that fails on purpose, and it is the one the prose describes
    errors = [o for c in _code(nb) for o in c.outputs if o.output_type == "error"]
    assert len(errors) == 1 and errors[0].ename == "ValueError"
    # "(8, 3) x (5, 3) does not fit, and NumPy stops with an error naming the mismatched sizes"
    assert "mismatch in its core dimension" in errors[0].evalue
    assert "size 5 is different from 3" in errors[0].evalue


@pytest.mark.notebook
def test_the_printed_table_is_the_shapes_of_real_arrays(lesson):
    nb, _, _ = lesson
    rows, cols = real_shapes(NOTES_EXAMPLE, 8, "rows"), real_shapes(NOTES_EXAMPLE, 8, "columns")
    expected = [f"{'':>4} {'rows':>8} {'columns':>8}"] + [
        f"{key:>4} {rows[key]!s:>8} {cols[key]!s:>8}" for key in rows]
    assert "\n".join(expected) in _stdout(nb)


@pytest.mark.notebook
def test_both_forward_passes_agree_with_a_second_implementation(lesson):
    nb, r, _ = lesson
    X = np.array(r["X"])
    params = {k: np.array(v) for k, v in r["params"].items()}
    AL, caches = model_forward(X, params)  # the reference blocks, row convention
    np.testing.assert_allclose(np.array(r["acts_rows"][-1]), AL, rtol=1e-12)
    for layer, ((A_prev, _, _), _) in enumerate(caches):
        np.testing.assert_allclose(np.array(r["acts_rows"][layer]), A_prev, rtol=1e-12)
    # "the largest difference is at most rounding, of order 1e-16 (...), and here even exactly 0"
    assert r["gap"] <= 1e-15
    assert f"largest difference between the two: {r['gap']:.1e}" in _stdout(nb)
    assert "largest difference between the two: 0.0e+00" in _stdout(nb)
    # "the input, the 10 parameter arrays, and Z and A of all 5 layers"
    assert len(params) == 10 and len(r["acts_rows"]) == 6
    # "biases not zero, so that a bias added along the wrong axis would show"
    assert all(np.all(params[f"b{layer}"] != 0) for layer in range(1, 6))


@pytest.mark.notebook
def test_the_parameter_count_is_66(lesson):
    nb, r, _ = lesson
    # (6 + 3) + (15 + 5) + (20 + 4) + (8 + 2) + (2 + 1), as the prose writes it out
    assert [2 * 3 + 3, 3 * 5 + 5, 5 * 4 + 4, 4 * 2 + 2, 2 * 1 + 1] == [9, 20, 24, 10, 3]
    independent = sum(v.size for v in initialize_parameters_deep(NOTES_EXAMPLE).values())
    assert independent == 66 == r["by_formula"] == r["by_arrays"] == r["by_arrays_col"]
    assert "formula: 66, row arrays: 66, column arrays: 66" in _stdout(nb)


@pytest.mark.notebook
def test_the_trained_network_s_units_are_as_the_prose_describes(lesson):
    nb, r, _ = lesson
    W = [np.array(w) for w in r["coefs"]]
    b = [np.array(v) for v in r["intercepts"]]
    # scikit-learn stores the row convention: coefs_[l-1] (n[l-1], n[l]), intercepts_ (n[l],)
    assert [w.shape for w in W] == [(2, 5), (5, 3), (3, 1)]
    assert [v.shape for v in b] == [(5,), (3,), (1,)]
    assert "W shapes: [(2, 5), (5, 3), (3, 1)]  b shapes: [(5,), (3,), (1,)]" in _stdout(nb)
    assert r["accuracy"] == 1.0 and "training accuracy: 1.000" in _stdout(nb)
    G = np.array(r["grid"])
    H1 = np.maximum(0, G @ W[0] + b[0])
    H2 = np.maximum(0, H1 @ W[1] + b[1])
    # "the row formula computes its hidden layers unchanged": its output is sigmoid of ours
    np.testing.assert_allclose(np.array(r["P"]), expit((H2 @ W[2] + b[2])[:, 0]),
                               rtol=1e-9, atol=1e-12)
    # every unit of both layers has an edge in view (on somewhere, off somewhere): no dead unit
    for H in (H1, H2):
        assert np.all((H > 0).any(axis=0)) and np.all((H == 0).any(axis=0))
    # layer 2's edges are bent: on its active region no unit is one affine function of (x1, x2)
    design = np.column_stack([G, np.ones(len(G))])
    for unit in range(3):
        on = H2[:, unit] > 0
        coef, *_ = np.linalg.lstsq(design[on], H2[on, unit], rcond=None)
        misfit = np.max(np.abs(design[on] @ coef - H2[on, unit])) / H2[on, unit].max()
        assert misfit > 0.05, (unit, misfit)
    centre = np.argmin(np.linalg.norm(G, axis=1))
    # "unit 1 of layer 2 is on over a many-sided region around the centre, units 2 and 3
    # everywhere but a small polygon there"
    assert H2[centre, 0] > 0
    near = np.linalg.norm(G, axis=1) < 0.6
    for unit in (1, 2):
        off = H2[:, unit] == 0
        assert off[near].any() and off.mean() < 0.1, (unit, off.mean())
        assert not off[np.linalg.norm(G, axis=1) > 1.2].any()
    # the output's class-1 region surrounds the inner circle
    assert r["P"][centre] > 0.5


@pytest.mark.notebook
def test_parity_numbers_are_the_ones_the_prose_states(lesson):
    nb, r, _ = lesson
    assert r["ns"] == list(range(2, 11))
    for n, layers, units, shallow in zip(r["ns"], r["deep_layers"], r["deep_units"],
                                         r["shallow_units"]):
        assert layers == math.ceil(math.log2(n))  # ceil(log2 n) levels deep
        # "2(n - 1) units, plus one for each bit that waits a level for a partner (at most one
        # per level): fewer than 2n + log2 n"
        signals, waiting = n, 0
        while signals > 1:
            waiting += signals % 2
            signals = (signals + 1) // 2
        assert units == 2 * (n - 1) + waiting < 2 * n + math.log2(n)
        assert shallow == 2 ** (n - 1)
    # every row of the printed table ends in True: both networks computed parity on all inputs
    table = re.findall(r"^ ?(\d+) +(\d+) +(\d+) +(\d+) +(\w+)$", _stdout(nb), flags=re.M)
    assert table == [(str(n), str(layers), str(units), str(shallow), "True") for n, layers, units,
                     shallow in zip(r["ns"], r["deep_layers"], r["deep_units"], r["shallow_units"])]
    # "For 10 bits the deep network needs 4 hidden layers and 20 units, the shallow one 512"
    assert (r["deep_layers"][-1], r["deep_units"][-1], r["shallow_units"][-1]) == (4, 20, 512)
    # the footnote: n ReLU units of the count compute parity too
    assert r["counting_right"] == [True] * 9
    assert "n ReLU units of the count compute parity for n = 2 ... 10: True" in _stdout(nb)


@pytest.mark.notebook
def test_lesson_with_the_answer_filled_in_passes_its_check(tmp_path):
    nb, _, _ = _run(LESSON, tmp_path, fill=True)
    assert "\N{HEAVY CHECK MARK} layer_shapes: all 4 cases passed." in _stdout(nb)


# ---- the plot helpers, under Agg ---------------------------------------------------------------

def _grid(k=21):
    return np.meshgrid(np.linspace(-1, 1, k), np.linspace(-1, 1, k))


def test_plot_unit_responses_draws_one_panel_per_unit_and_edges_where_units_switch():
    gx, gy = _grid()
    on_half = np.maximum(0, gx)[:, :, None]  # on over a half-plane: has an edge
    always = (gx + 2)[:, :, None]  # never 0 on the grid: no edge to draw
    layers = {"layer 1": np.concatenate([on_half, always, on_half], axis=2),
              "layer 2": np.concatenate([on_half, always], axis=2)}
    X, y = np.array([[0.0, 0.0], [0.9, 0.9]]), np.array([1, 0])
    fig = plot_unit_responses(gx, gy, layers, 1 / (1 + np.exp(-5 * gx)), (X, y))
    axes = np.array(fig.axes).reshape(3, 3)
    assert [ax.get_ylabel() for ax in axes[:, 0]] == ["layer 1", "layer 2", "output"]
    assert [ax.get_title() for ax in axes[0]] == ["unit 1", "unit 2", "unit 3"]
    assert not axes[1, 2].axison and not axes[2, 1].axison and not axes[2, 2].axison
    edges = [len(ax.collections) for ax in axes[0]]
    assert edges[0] == edges[2] == edges[1] + 1  # an edge for the switching units only
    assert len(axes[2, 0].collections) == 4  # output filled, its 0.5 boundary, two classes
    plt.close(fig)


def test_plot_unit_responses_rejects_mismatched_shapes():
    gx, gy = _grid()
    with pytest.raises(ValueError, match=r"layers\['layer 1'\] has shape \(21, 21\)"):
        plot_unit_responses(gx, gy, {"layer 1": gx}, gx, (np.zeros((1, 2)), np.zeros(1)))
    with pytest.raises(ValueError, match="output"):
        plot_unit_responses(gx, gy, {"layer 1": gx[:, :, None]}, gx[:3],
                            (np.zeros((1, 2)), np.zeros(1)))


def test_plot_unit_counts_draws_each_construction_on_a_log_scale():
    ns = np.arange(2, 6)
    ax = plot_unit_counts(ns, {"deep": [2, 5, 6, 10], "shallow": [2, 4, 8, 16]})
    assert ax.get_yscale() == "log"
    assert [line.get_label() for line in ax.get_lines()] == ["deep", "shallow"]
    np.testing.assert_array_equal(ax.get_lines()[1].get_ydata(), [2, 4, 8, 16])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["deep", "shallow"]
    with pytest.raises(ValueError, match="counts\\['deep'\\]"):
        plot_unit_counts(ns, {"deep": [1, 2]})
