"""Week 3, lesson 1 (shapes, broadcasting and the two conventions): the notebook, its instant checks
and its broadcasting picture.

The notebook runs top to bottom in a fresh kernel as stored (the checks say "not written yet") and
filled with its answers (every check passes). What its prose states about a run is pinned here:
the rank-1 results, the (m, m) mean squared error, strides, TensorFlow's shapes and refusal, and
that the network computed in both conventions agrees, with gradients checked by finite differences
computed here, independently of both implementations.
"""

from __future__ import annotations

import json
import re
import time

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from matplotlib.patches import Rectangle

from conftest import (
    NOTEBOOKS,
    assert_reads_as_a_lesson,
    assert_your_turn_cells,
    execute_notebook,
    fill_your_turns,
)
from course_utils.checks import check_db_column, check_to_column
from course_utils.plots.week3.shapes_and_conventions import (
    broadcast_shape,
    plot_broadcast,
    real_cells,
)

LESSON = NOTEBOOKS / "week3" / "01_shapes_and_conventions.ipynb"
YOUR_TURN = [("to_column", "check_to_column"), ("db_column", "check_db_column")]
# About 6 s on a quiet machine, most of it TensorFlow's import; room for a loaded runner.
TIME_LIMIT_S = 180  # a runaway bound only: speed is benchmarks/notebooks.py's job
PASS, FAIL = "\N{HEAVY CHECK MARK}", "\N{HEAVY BALLOT X}"


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def _stdout(nb) -> str:
    return "".join(o.get("text", "") for c in _code_cells(nb) for o in c.outputs
                   if o.output_type == "stream" and o.name == "stdout")


# ---- structure: no kernel ------------------------------------------------------------------------

def test_lesson_structure():
    nb = nbformat.read(LESSON, as_version=4)
    assert_reads_as_a_lesson(nb, "# Week 3, lesson 1")
    for cell in nb.cells:
        assert "course_utils.reference" not in cell.source  # lessons never use the graded solutions
    # the translation table's rows, both conventions
    table = next(c.source for c in nb.cells if c.cell_type == "markdown" and "| weight gradient |" in c.source)
    for pair in ("$dW = A_{prev}^T \\, dZ \\, / \\, m$ | $dW = dZ \\, A_{prev}^T \\, / \\, m$",
                 "$Z = A_{prev} W + b$", "$Z = W A_{prev} + b$", "`db = dZ.sum(axis=0) / m`",
                 "`db = np.sum(dZ, axis=1, keepdims=True) / m`"):
        assert pair in table, pair


def test_your_turn_cells_are_stub_check_answer():
    assert len(YOUR_TURN) >= 2
    assert_your_turn_cells(nbformat.read(LESSON, as_version=4), YOUR_TURN)


# ---- the notebook, executed -------------------------------------------------------------------------

RESULTS = """
import json
print("RESULTS " + json.dumps({
    "X": X.tolist(), "Y": Y.tolist(), "W1": W1.tolist(), "b1": b1.tolist(), "W2": W2.tolist(),
    "b2": b2.tolist(), "row": {k: v.tolist() for k, v in net_row.items()},
    "col": {k: v.tolist() for k, v in net_col.items()},
    "differences": {k: float(v) for k, v in differences.items()},
    "estimate": float(estimate),
}))
"""


def _run(nb, folder):
    path = folder / LESSON.name
    nbformat.write(nb, path)
    start = time.perf_counter()
    executed = execute_notebook(path)
    return executed, time.perf_counter() - start


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """The lesson as stored (stubs in place), with a last cell that prints its results as JSON."""
    nb = nbformat.read(LESSON, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(RESULTS))
    return _run(nb, tmp_path_factory.mktemp("stored"))


def _results(nb) -> dict:
    line = next(li for li in _stdout(nb).splitlines() if li.startswith("RESULTS "))
    return json.loads(line.removeprefix("RESULTS "))


@pytest.mark.notebook
def test_runs_as_stored_and_only_the_intended_cells_fail(stored):
    nb, seconds = stored
    assert seconds < TIME_LIMIT_S
    errors = [(c.metadata.get("tags", []), o.ename, o.evalue) for c in _code_cells(nb)
              for o in c.outputs if o.output_type == "error"]
    assert [(tags, name) for tags, name, _ in errors] == [
        (["raises-exception"], "AssertionError"), (["raises-exception"], "ValueError"),
        (["raises-exception"], "ValueError")]
    # what the prose says each failure shows: the shapes
    assert errors[0][2] == "y has shape (4,), expected (4, 1)"
    assert "shapes (4,3) (4,)" in errors[1][2] and "shapes (3,4) (3,)" in errors[2][2]
    verdicts = re.findall(rf"^(?:{PASS}|{FAIL}) .*$", _stdout(nb), flags=re.M)
    assert verdicts == [f"{FAIL} {f}: not written yet: replace `raise NotImplementedError()` by your "
                        "code, run its cell, then this check again." for f, _ in YOUR_TURN]
    images = sum("image/png" in o.get("data", {}) for c in _code_cells(nb) for o in c.outputs)
    assert images == 1


@pytest.mark.notebook
def test_numpy_facts_the_prose_states(stored):
    out = _stdout(stored[0])
    # rank 1: .T does nothing and v @ v.T is the dot product 1 + 4 + 9; rows and columns behave
    for line in ("  v: shape (3,)    ndim 1", "row: shape (1, 3)  ndim 2", "col: shape (3, 1)  ndim 2",
                 "v.T.shape      : (3,)\n", "v @ v.T        : 14.0\n", "row @ row.T    : [[14.]]\n",
                 "col @ col.T    : shape (3, 3)\n[[1. 2. 3.]\n [2. 4. 6.]\n [3. 6. 9.]]"):
        assert line in out, line
    # (m, 1) - (m,) is (m, m): the mean runs over all 16 prediction-label pairs
    preds, labels = [0.9, 0.2, 0.7, 0.6], [1.0, 0.0, 1.0, 1.0]
    right = sum((p - t) ** 2 for p, t in zip(preds, labels)) / 4
    wrong = sum((p - t) ** 2 for p in preds for t in labels) / 16
    assert (round(right, 3), round(wrong, 3)) == (0.075, 0.275)
    assert "(A - y).shape: (4, 4)\n" in out
    assert f"(m, 1) - (m,):  {wrong:.3f}  (wrong)" in out and f"(m, 1) - (m, 1): {right:.3f}" in out
    # reshape is not a transpose
    assert "M.T:\n [[1 4]\n [2 5]\n [3 6]]" in out and "M.reshape(3, 2):\n [[1 2]\n [3 4]\n [5 6]]" in out
    # sums along an axis and keepdims
    assert "Z.sum(axis=0)               : (3,) [22. 26. 30.]" in out
    assert "Z.sum(axis=1)               : (4,) [ 6. 15. 24. 33.]" in out
    assert "Z.sum(axis=1, keepdims=True): (4, 1)" in out
    assert "each row of the shares sums to [1. 1. 1. 1.]" in out
    # the virtual copies: stride 0 along the stretched axis, no new memory
    assert "shape (3, 4)  strides (0, 8)  shares memory with b_demo: True" in out


def test_a_square_array_divided_by_its_row_totals_without_keepdims_silently_mixes_rows():
    # The prose's parenthesis: with a square Z, Z / Z.sum(axis=1) does not fail, and divides
    # column j by row j's total.
    Z = np.array([[1.0, 2.0], [3.0, 5.0]])
    got = Z / Z.sum(axis=1)
    np.testing.assert_allclose(got, [[1 / 3, 2 / 8], [3 / 3, 5 / 8]])
    assert not np.allclose(got, Z / Z.sum(axis=1, keepdims=True))


@pytest.mark.notebook
def test_tensorflow_facts_the_prose_states(stored):
    out = _stdout(stored[0])
    for line in ("v_tf.shape            : (3,)  col_tf.shape: (3, 1)",
                 "tf.transpose(v_tf)    : (3,)",             # rank 1: nothing to swap
                 "(col_tf - v_tf).shape : (3, 3)",            # the same silent broadcast
                 "col_tf.numpy()        : ndarray (3, 1) float32",
                 "tf.reduce_sum(col_tf, axis=0)               : (1,)",
                 "tf.reduce_sum(col_tf, axis=0, keepdims=True): (1, 1)",
                 "tf.matmul(v_tf, v_tf) raised InvalidArgumentError: In[0] ndims must be >= 2",
                 "tf.matmul(row, column): [[14.]]"):
        assert line in out, line


def _cost(X, Y, W1, b1, W2, b2) -> float:
    """The lesson's network and cost, one example at a time (a second implementation)."""
    total = 0.0
    for x, y in zip(X, Y[:, 0]):
        hidden = [np.tanh(sum(x[k] * W1[k, j] for k in range(3)) + b1[j]) for j in range(4)]
        a = 1.0 / (1.0 + np.exp(-(sum(hidden[j] * W2[j, 0] for j in range(4)) + b2[0])))
        total += -y * np.log(a) - (1 - y) * np.log(1 - a)
    return total / len(X)


@pytest.mark.notebook
def test_the_network_computed_both_ways_agrees_and_its_gradients_are_right(stored):
    r = _results(stored[0])
    params = {k: np.array(r[k]) for k in ("W1", "b1", "W2", "b2")}
    X, Y = np.array(r["X"]), np.array(r["Y"])
    row = {k: np.array(v) for k, v in r["row"].items()}
    col = {k: np.array(v) for k, v in r["col"].items()}
    assert X.shape == (5, 3) and Y.shape == (5, 1) and params["W1"].shape == (3, 4)
    assert set(row) == set(col) == {"Z1", "A1", "Z2", "A2", "dZ2", "dW2", "db2", "dA1", "dZ1",
                                    "dW1", "db1"}
    # every array of one convention is the other's transposed (bias gradients become columns)
    for name in row:
        want = row[name].reshape(-1, 1) if name.startswith("db") else row[name].T
        assert col[name].shape == want.shape, name
        np.testing.assert_allclose(col[name], want, rtol=0, atol=1e-15, err_msg=name)
    # "0 or a few times 1e-17": rounding only
    assert max(r["differences"].values()) < 1e-16 and min(r["differences"].values()) == 0.0
    # the gradients: two-sided differences of a cost computed here, example by example
    eps = 1e-6
    for name, value in params.items():
        numeric = np.zeros_like(value)
        for idx in np.ndindex(value.shape):
            up, down = dict(params), dict(params)
            up[name], down[name] = value.copy(), value.copy()
            up[name][idx] += eps
            down[name][idx] -= eps
            numeric[idx] = (_cost(X, Y, **up) - _cost(X, Y, **down)) / (2 * eps)
        np.testing.assert_allclose(row[f"d{name}"], numeric, rtol=0, atol=1e-8, err_msg=name)
    # the notebook's own two-sided difference: "agree to about 1e-10"
    gap = abs(r["estimate"] - row["dW1"][0, 0])
    assert 1e-13 < gap < 1e-9, gap


@pytest.mark.notebook
def test_filled_with_its_answers_every_check_passes(tmp_path):
    nb = fill_your_turns(nbformat.read(LESSON, as_version=4), [func for func, _ in YOUR_TURN])
    executed, _ = _run(nb, tmp_path)
    verdicts = re.findall(rf"^(?:{PASS}|{FAIL}) .*$", _stdout(executed), flags=re.M)
    assert verdicts == [f"{PASS} to_column: all 3 cases passed.", f"{PASS} db_column: all 3 cases passed."]


# ---- the instant checks: right answers pass, each wrong answer is named ----------------------------

def to_column_right(W, b, A):
    return W.T, b.reshape(-1, 1), A.T


def _verdict(check, func, capsys) -> tuple[bool, str]:
    ok = check(func)
    return ok, capsys.readouterr().out


def test_to_column_accepts_right_answers(capsys):
    for func in (to_column_right, lambda W, b, A: (np.transpose(W), b[:, None], A.T.copy()),
                 lambda W, b, A: [W.T.tolist(), np.atleast_2d(b).T, A.T]):
        ok, out = _verdict(check_to_column, func, capsys)
        assert ok and out == f"{PASS} to_column: all 3 cases passed.\n"


TO_COLUMN_MISTAKES = [
    ("W kept as it is", lambda W, b, A: (W, b.reshape(-1, 1), A.T),
     "W_col is the row convention's W as it was, shape (2, 3)", 1),
    ("W reshaped instead of transposed", lambda W, b, A: (W.reshape(W.shape[::-1]), b.reshape(-1, 1), A.T),
     "W_col has the right shape (3, 2) but the wrong numbers: reshape keeps the entries in "
     "reading order", 1),
    ("b left rank-1", lambda W, b, A: (W.T, b, A.T), "b_col is rank-1, shape (3,)", 1),
    ("b.T, still rank-1", lambda W, b, A: (W.T, b.T, A.T), "b_col is rank-1, shape (3,)", 1),
    ("b made a row", lambda W, b, A: (W.T, b.reshape(1, -1), A.T), "b_col is a row, shape (1, 3)", 1),
    ("A kept as it is", lambda W, b, A: (W.T, b.reshape(-1, 1), A),
     "A_col is the row convention's A as it was, shape (4, 2)", 1),
    ("A reshaped instead of transposed", lambda W, b, A: (W.T, b.reshape(-1, 1), A.reshape(A.shape[::-1])),
     "A_col has the right shape (2, 4) but the wrong numbers: reshape regroups the entries", 1),
    # a transpose forgotten only where it keeps the shape: caught by the square case
    ("W not transposed when square",
     lambda W, b, A: (W if W.shape[0] == W.shape[1] else W.T, b.reshape(-1, 1), A.T),
     "W_col is the row convention's W as it was, shape (2, 2)", 2),
]


def test_to_column_explains_other_failures(capsys):
    def stub(W, b, A):
        raise NotImplementedError()

    ok, out = _verdict(check_to_column, stub, capsys)
    assert not ok and out.startswith(f"{FAIL} to_column: not written yet") and out.count("\n") == 1
    ok, out = _verdict(check_to_column, lambda W, b, A: (W.T, b[:, None]), capsys)
    assert not ok and "got:      a tuple of 2 item(s)" in out
    assert "to_column returns 3 arrays: `return W_col, b_col, A_col`" in out
    ok, out = _verdict(check_to_column, lambda W, b, A: None, capsys)
    assert not ok and "to_column has no `return` statement" in out
    ok, out = _verdict(check_to_column, lambda W, b, A: (W.T @ A, b, A), capsys)
    assert not ok and "got:      an exception, ValueError: matmul" in out
    ok, out = _verdict(check_to_column, to_column_right(np.eye(2), np.zeros(2), np.eye(2)), capsys)
    assert not ok and "check_to_column(to_column), not check_to_column(to_column(...))" in out
    # right shapes, numbers no named mistake gives
    ok, out = _verdict(check_to_column, lambda W, b, A: (W.T, b.reshape(-1, 1) + 1, A.T), capsys)
    assert not ok and "None of the usual mistakes gives these numbers" in out


def test_to_column_does_not_let_the_learner_change_the_cases(capsys):
    def in_place(W, b, A):
        W *= 0  # the next cases must still get their own W
        return W.T, b.reshape(-1, 1), A.T

    assert not check_to_column(in_place)
    capsys.readouterr()
    assert check_to_column(to_column_right)


def db_right(dZ):
    return np.sum(dZ, axis=1, keepdims=True) / dZ.shape[1]


def test_db_column_accepts_right_answers(capsys):
    for func in (db_right, lambda dZ: dZ.mean(axis=1, keepdims=True),
                 lambda dZ: (dZ.sum(axis=-1) / dZ.shape[-1]).reshape(-1, 1)):
        ok, out = _verdict(check_db_column, func, capsys)
        assert ok and out == f"{PASS} db_column: all 3 cases passed.\n"


DB_MISTAKES = [
    ("summed over axis 0", lambda dZ: dZ.sum(axis=0) / dZ.shape[1], "db is summed over axis 0", 1),
    ("summed over axis 0, keepdims", lambda dZ: dZ.sum(axis=0, keepdims=True) / dZ.shape[1],
     "db is summed over axis 0", 1),
    ("no keepdims", lambda dZ: dZ.sum(axis=1) / dZ.shape[1],
     "the numbers are right, but db is rank-1, shape (3,)", 1),
    ("no 1/m", lambda dZ: dZ.sum(axis=1, keepdims=True), "db is m times too large", 1),
    ("divided by the units", lambda dZ: dZ.sum(axis=1, keepdims=True) / dZ.shape[0],
     "db is divided by the number of units, dZ.shape[0]", 1),
    ("summed over everything", lambda dZ: np.sum(dZ) / dZ.shape[1], "db is a single number, shape ()", 1),
    ("summed over everything, keepdims", lambda dZ: np.sum(dZ, keepdims=True) / dZ.shape[1],
     "db is a single number, shape (1, 1)", 1),
    ("a row", lambda dZ: (dZ.sum(axis=1, keepdims=True) / dZ.shape[1]).T,
     "the numbers are right but db is a row, shape (1, 3)", 1),
    # the wrong axis on a square dZ keeps the shape (2, 2) -> (2,)... and is named by its numbers
    ("axis 0 on a square dZ only",
     lambda dZ: (dZ.sum(axis=0 if dZ.shape[0] == dZ.shape[1] else 1) / dZ.shape[1]).reshape(-1, 1),
     "db is summed over axis 0", 2),
]


MISTAKES = [(check_to_column, *m) for m in TO_COLUMN_MISTAKES] + [(check_db_column, *m) for m in DB_MISTAKES]


@pytest.mark.parametrize(("check", "func", "message", "case"), [m[:1] + m[2:] for m in MISTAKES],
                         ids=[m[1] for m in MISTAKES])
def test_each_mistake_is_named(check, func, message, case, capsys):
    ok, out = _verdict(check, func, capsys)
    name = check.__name__.removeprefix("check_")
    assert not ok
    assert out.startswith(f"{FAIL} {name}: case {case} of 3 failed")
    assert f"Likely mistake: {message}" in out, out


def test_db_column_stub_and_unknown_numbers(capsys):
    def stub(dZ):
        raise NotImplementedError()

    ok, out = _verdict(check_db_column, stub, capsys)
    assert not ok and out.startswith(f"{FAIL} db_column: not written yet")
    ok, out = _verdict(check_db_column, lambda dZ: db_right(dZ) + 0.5, capsys)
    assert not ok and "None of the usual mistakes gives these numbers" in out
    ok, out = _verdict(check_db_column, lambda dZ: np.zeros((5, 5)), capsys)
    assert not ok and "db should have shape (3, 1), not (5, 5)" in out


# ---- the broadcasting picture ----------------------------------------------------------------------

SHAPE_PAIRS = [((3, 4), (4,)), ((3, 1), (1, 4)), ((4,), (3, 4)), ((), (2, 3)), ((5,), (1,)),
               ((2, 1, 3), (4, 1)), ((0,), (1,)), ((3, 4), (3,)), ((2, 3), (3, 2)), ((0,), (3,)),
               ((1, 0), (5, 1)), ((4, 1), (2, 4, 3))]


@pytest.mark.parametrize(("shape_a", "shape_b"), SHAPE_PAIRS)
def test_broadcast_shape_follows_numpy(shape_a, shape_b):
    try:
        want = np.broadcast_shapes(shape_a, shape_b)
    except ValueError:
        with pytest.raises(ValueError, match=re.escape(f"shapes {shape_a} and {shape_b} do not broadcast")):
            broadcast_shape(shape_a, shape_b)
        return
    assert broadcast_shape(shape_a, shape_b) == want


@pytest.mark.parametrize(("shape", "out"), [((4,), (3, 4)), ((3, 1), (3, 4)), ((1, 4), (3, 4)),
                                             ((), (2, 2)), ((3, 4), (3, 4)), ((2, 1, 3), (4, 2, 5, 3))])
def test_real_cells_are_the_first_copy_of_each_entry(shape, out):
    # Independently: stretch distinct numbers with NumPy; a cell is real iff it holds the first
    # occurrence of its number (in reading order), and there is one real cell per entry.
    size = int(np.prod(shape, dtype=int))
    stretched = np.broadcast_to(np.arange(size).reshape(shape), out).ravel()
    first = np.zeros(stretched.size, dtype=bool)
    first[np.unique(stretched, return_index=True)[1]] = True
    mask = real_cells(shape, out)
    assert mask.shape == out and mask.sum() == size
    np.testing.assert_array_equal(mask.ravel(), first)


def _cells(ax, gid) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_gid() == gid]


def test_plot_broadcast_row_added_to_every_row():
    X = np.arange(12.0).reshape(3, 4)
    b = np.array([10.0, 20.0, 30.0, 40.0])
    ax = plot_broadcast(X, b)
    counts = {gid: len(_cells(ax, gid)) for gid in ("a-real", "a-virtual", "b-real", "b-virtual",
                                                    "result-real")}
    assert counts == {"a-real": 12, "a-virtual": 0, "b-real": 4, "b-virtual": 8, "result-real": 12}
    # b's real cells are its single row (the top one); the copies fill the rows below
    assert sorted({c.get_y() for c in _cells(ax, "b-real")}) == [0]
    assert sorted({c.get_y() for c in _cells(ax, "b-virtual")}) == [1, 2]
    # the three grids side by side, each 4 cells wide, left to right: a, b, result
    lefts = [min(c.get_x() for c in _cells(ax, g)) for g in ("a-real", "b-real", "result-real")]
    assert lefts[0] < lefts[1] < lefts[2] and lefts[1] - lefts[0] >= 4 and lefts[2] - lefts[1] >= 4
    texts = [t.get_text() for t in ax.texts]
    result_values = [t.get_text() for t in ax.texts if t.get_gid() == "result-value"]
    assert result_values == [f"{v:g}" for v in (X + b).ravel()]
    b_values = [t.get_text() for t in ax.texts if t.get_gid() == "b-value"]
    assert b_values == ["10", "20", "30", "40"] * 3  # the copies show the same numbers
    assert "(3, 4)" in texts and "(4,)" in texts and "stretched to (3, 4)" in texts
    assert texts.count("stretched to (3, 4)") == 1  # only b is stretched
    assert "+" in texts and "=" in texts


def test_plot_broadcast_column_plus_row_stretches_both():
    fig, ax = plt.subplots()
    assert plot_broadcast([[0.0], [10.0], [20.0]], [[1.0, 2.0, 3.0, 4.0]], ax=ax, title="t") is ax
    assert len(_cells(ax, "a-real")) == 3 and len(_cells(ax, "a-virtual")) == 9
    assert len(_cells(ax, "b-real")) == 4 and len(_cells(ax, "b-virtual")) == 8
    assert {c.get_x() for c in _cells(ax, "a-real")} == {0}  # the column is the left-most one
    assert [t.get_text() for t in ax.texts].count("stretched to (3, 4)") == 2
    virtual = _cells(ax, "a-virtual")[0]
    assert virtual.get_linestyle() == "--" and virtual.get_facecolor() != _cells(ax, "a-real")[0].get_facecolor()
    assert ax.get_title() == "t"


def test_plot_broadcast_rejects_what_numpy_rejects_and_what_it_cannot_draw():
    with pytest.raises(ValueError, match=re.escape("shapes (3, 4) and (3,) do not broadcast")):
        plot_broadcast(np.zeros((3, 4)), np.zeros(3))
    with pytest.raises(ValueError, match=re.escape("b has shape (2, 2, 2)")):
        plot_broadcast(np.zeros(2), np.zeros((2, 2, 2)))
