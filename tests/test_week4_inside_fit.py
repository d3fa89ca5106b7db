"""Week 4, lesson 5 (inside ``fit``): the notebook runs top to bottom and every number its prose
states is pinned here, against independent values (the syllabus's week-2 facts, finite
differences, second implementations written in this file); what the prose says about Keras and
TensorFlow (compiled vs eager steps, the epoch loss, fit's own shuffling, Adam's rounding, He's
initialiser) is measured in the installed versions; the instant check passes a right step and names
the usual mistakes; the plot helpers draw their data under Agg.
"""

from __future__ import annotations

import math
import re

import claims
import nbformat
import numpy as np
import pytest

from autograder.cases.finite_differences import numeric_gradients
from conftest import (
    NOTEBOOKS,
    WEEK4_GRADED,
    assert_reads_as_a_lesson,
    assert_your_turn_cells,
    execute_with_results,
    printed,
)
from course_utils.checks import check_train_step
from course_utils.checks.week4 import inside_fit as checks
from course_utils.plots.week4.inside_fit import (
    plot_activation_spread,
    plot_cost_runs,
    plot_paths_on_contours,
    plot_step_sizes,
)

NOTEBOOK = NOTEBOOKS / "week4" / "05_inside_fit.ipynb"
# ~12 s on a quiet machine (TensorFlow's import alone is ~5 s); the bound leaves room for a loaded
# CI runner. benchmarks/notebooks.py measures the ratio to a bare `import tensorflow`.
TIME_LIMIT_S = 180  # a runaway bound only: speed is benchmarks/notebooks.py's job

RESULTS = r"""
import json
first_layer_grad = {name: float(np.abs(cost_and_gradients(starts[name], X_deep, y_deep)[1][0][0]).max())
                    for name in ("×0.01", "×1")}
print("RESULTS " + json.dumps({
    "dJ0_dw": dJ0_dw, "week2": week2_grads,
    "J_hand": float(J_hand), "gradient_gap": float(gradient_gap),
    "params_small": [[W.tolist(), b.tolist()] for W, b in params_small],
    "X_small": X_small.tolist(), "y_small": y_small.tolist(),
    "grads_hand": [[dW.tolist(), db.tolist()] for dW, db in grads_hand],
    "relu_slopes": relu_slopes.tolist(),
    "steps_per_epoch": steps_per_epoch, "fit_steps": len(recorder.after_step),
    "loop_steps": len(loop_steps), "iterations": int(fit_model.optimizer.iterations),
    "compilations": compilations, "compilations_total": train_step.experimental_get_tracing_count(),
    "step_gaps": [float(g) for g in step_gaps], "loss_gap": float(loss_gap),
    "fit_losses": history.history["loss"], "loop_losses": loop_losses,
    "shuffled_gaps": [float(g) for g in shuffled_gaps],
    "shuffled_steps": len(shuffled_steps), "shuffled_vs_in_order": float(shuffled_vs_in_order),
    "adam_gap": float(adam_gap), "gd_path": gd_path.tolist(), "adam_path": adam_path.tolist(),
    "spreads": spreads, "runs": {k: [float(c) for c in v] for k, v in runs.items()},
    "first_layer_grad": first_layer_grad,
}))
"""


@pytest.fixture(scope="module")
def lesson(tmp_path_factory):
    """The notebook executed once (with a cell that prints its numbers appended): (nb, results)."""
    nb, results, elapsed = execute_with_results(nbformat.read(NOTEBOOK, as_version=4),
                                                NOTEBOOK.name, tmp_path_factory.mktemp("w4l5"),
                                                RESULTS)
    assert elapsed < TIME_LIMIT_S, f"{NOTEBOOK.name} took {elapsed:.0f} s"
    return nb, results


test_numbers_in_prose_match_the_run = claims.test_in(NOTEBOOK, "lesson")

def _fd_gradients(cost, arrays: list) -> list:
    """Central finite-difference gradients of ``cost(list of arrays)``, in the same order."""
    names = [f"p{i}" for i in range(len(arrays))]
    grads = numeric_gradients(lambda d: cost([d[n] for n in names]), dict(zip(names, arrays)))
    return [grads["d" + n] for n in names]


# --- the stored notebook -------------------------------------------------------------------------

def test_notebook_is_stored_clean_reads_as_a_lesson_and_has_its_your_turn():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert all(not c.outputs and c.execution_count is None for c in nb.cells if c.cell_type == "code")
    assert_reads_as_a_lesson(nb, "# Week 4, lesson 5")
    assert_your_turn_cells(nb, [("my_train_step", "check_train_step")])
    # TensorFlow is this lesson's subject, but the graded answers are neither imported nor handed out
    assert "course_utils.reference" not in code
    for name in WEEK4_GRADED:
        assert not re.search(rf"\bdef {name}\(", code), name


# --- the executed notebook -----------------------------------------------------------------------

@pytest.mark.notebook
def test_lesson_runs_and_shows_its_figures(lesson):
    nb, _ = lesson   # execute_notebook has already failed on any error and any stray repr
    images = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
                 for o in c.outputs)
    assert images == 2                                # two figures of two panels each
    out = printed(nb)
    # the your-turn check: "not written yet" without raising, then the answer passes
    assert "✘ train_step: not written yet" in out
    assert "✔ train_step: all 2 cases passed (loss and weights)." in out


@pytest.mark.notebook
def test_tape_reproduces_week_2s_graphs(lesson):
    _, r = lesson
    # syllabus, week 2 lesson 8 (graph 0) and notebooks/week2/06_backprop.ipynb (larger example)
    assert r["dJ0_dw"] == 66
    assert r["week2"] == {"w1": 6, "b1": 6, "w2": 4, "b2": 2}
    assert r["relu_slopes"] == [0.0, 0.0, 1.0]   # ReLU'(0) = 0, as the course fixes it


def _cross_entropy(params, X, y):
    """Mean cross-entropy of the ReLU/sigmoid network, written independently of the notebook."""
    A = X
    for i, (W, b) in enumerate(params):
        Z = A @ W + b
        A = np.maximum(Z, 0) if i < len(params) - 1 else 1 / (1 + np.exp(-Z))
    return float(-np.mean(y * np.log(A) + (1 - y) * np.log(1 - A)))


@pytest.mark.notebook
def test_hand_written_gradients_match_the_tape_and_finite_differences(lesson):
    _, r = lesson
    assert r["gradient_gap"] < 1e-15                   # "rounding error (about 1e-16)"
    params = [[np.array(W), np.array(b)] for W, b in r["params_small"]]
    X, y = np.array(r["X_small"]), np.array(r["y_small"])
    assert [p[0].shape for p in params] == [(4, 5), (5, 3), (3, 1)]   # sizes [4, 5, 3, 1]
    assert r["J_hand"] == pytest.approx(_cross_entropy(params, X, y), abs=1e-12)
    flat = [a for pair in params for a in pair]                  # W1, b1, W2, b2, W3, b3
    numeric = _fd_gradients(lambda f: _cross_entropy(list(zip(f[::2], f[1::2])), X, y), flat)
    hand = [np.array(g) for pair in r["grads_hand"] for g in pair]
    for got, want in zip(hand, numeric, strict=True):
        np.testing.assert_allclose(got, want, atol=1e-8)


@pytest.mark.notebook
def test_hand_written_loop_matches_fit_step_for_step(lesson):
    nb, r = lesson
    assert r["steps_per_epoch"] == math.ceil(200 / 32) == 7
    assert r["fit_steps"] == r["loop_steps"] == r["iterations"] == 35   # one apply_gradients a step
    assert r["step_gaps"] == [0.0] * 35                                 # bit for bit, every step
    assert r["loss_gap"] < 1e-6
    assert r["fit_losses"] == pytest.approx(r["loop_losses"], abs=1e-6)
    assert r["shuffled_steps"] == 35 and r["shuffled_gaps"] == [0.0] * 35
    assert r["shuffled_vs_in_order"] > 1e-3           # "different from the in-order run"
    # "compiles once for each batch shape (here 32 and 8: twice)", and section 5 reuses the step
    batch_sizes = {len(range(200)[start:start + 32]) for start in range(0, 200, 32)}
    assert r["compilations"] == r["compilations_total"] == len(batch_sizes) == 2
    out = printed(nb)
    assert "steps: loop 35, fit 35; our step was compiled 2 times" in out
    assert "m = 200, batch_size = 32: 7 steps per epoch, the last batch has 8 examples" in out
    assert "largest weight difference after each epoch: [0.0, 0.0, 0.0, 0.0, 0.0]" in out


@pytest.mark.notebook
def test_adam_and_gradient_descent_on_the_bowl_as_described(lesson):
    _, r = lesson
    gd, adam = np.array(r["gd_path"]), np.array(r["adam_path"])
    assert gd.shape == adam.shape == (41, 2)
    assert 1e-6 < r["adam_gap"] < 1e-4                # "about 4·10⁻⁵, not float64's 10⁻¹⁶"
    gd_steps, adam_steps = np.abs(np.diff(gd, axis=0)), np.abs(np.diff(adam, axis=0))
    # gradient descent: w2 changes sign at every step (zig-zag), w1 never (creeps); its first
    # steps are α·(8, 50) = (0.6, 3.75), "about six times"; fixed factors 0.875 and 0.925
    assert np.all(np.sign(gd[1:, 1]) == -np.sign(gd[:-1, 1])) and np.all(gd[:, 0] < 0)
    np.testing.assert_allclose(gd_steps[0], [0.6, 3.75])
    np.testing.assert_allclose(gd_steps[1:, 1] / gd_steps[:-1, 1], 0.875)
    np.testing.assert_allclose(gd_steps[1:, 0] / gd_steps[:-1, 0], 0.925)
    # Adam: first step α = 0.5 in both coordinates; w1 steps above 0.45 for the first 10 steps,
    # and above gradient descent's from the 4th (to the 20th at least); by the 10th step, w2's
    # steps are about a tenth of w1's
    np.testing.assert_allclose(adam_steps[0], [0.5, 0.5], rtol=1e-6)
    assert np.all(adam_steps[:10, 0] > 0.45)
    assert np.all(adam_steps[:3, 0] < gd_steps[:3, 0]) and np.all(adam_steps[3:20, 0] > gd_steps[3:20, 0])
    assert 0.05 < adam_steps[9, 1] / adam_steps[9, 0] < 0.15
    # "a few wide, slow swings" across the valley instead of a zig-zag; w1 overshoots and comes back
    assert np.count_nonzero(np.diff(np.sign(adam[:, 1]))) <= 4
    assert adam[:, 0].max() > 1.0 and adam[-1, 0] < adam[:, 0].max()


def test_the_bowls_step_size_limit_is_2_over_25():
    """'diverges once α > 2/25 = 0.08' (an independent run of gradient descent)."""
    def run(alpha, steps=60):
        w = np.array([-8.0, 2.0])
        for _ in range(steps):
            w = w - alpha * np.array([1.0, 25.0]) * w
        return w

    assert abs(run(0.081)[1]) > 2.0 and abs(run(0.079)[1]) < 2.0


@pytest.mark.notebook
def test_initialisation_scales_behave_as_described(lesson):
    _, r = lesson
    small, one, he = (np.array(r["spreads"][k]) for k in ("×0.01", "×1", "He"))
    assert small.size == one.size == he.size == 10
    per_layer = lambda s: (s[-1] / s[0]) ** (1 / 9)  # noqa: E731 - geometric mean ratio
    assert 1 / 40 < per_layer(small) < 1 / 20 and small[-1] < 1e-14   # "about 30", "about 1e-15"
    assert 3 < per_layer(one) < 5 and 1e4 < one[-1] < 1e6              # "about 4-fold", "1e5"
    assert np.all((he > 0.25) & (he < 1.5))                           # "between about 0.3 and 1.3"
    costs = {k: np.array(v) for k, v in r["runs"].items()}
    # ×0.01: ln 2 throughout; its first layer's gradient has vanished
    assert costs["×0.01"].size == 120
    np.testing.assert_allclose(costs["×0.01"], math.log(2), atol=1e-6)
    assert r["first_layer_grad"]["×0.01"] < 1e-12
    # ... and at ×1 it has exploded ("too large make them explode", the summary)
    assert r["first_layer_grad"]["×1"] > 1e3
    # ×1: thousands, ~1e26, ~1e208, then nan at iteration 3
    x1 = costs["×1"]
    assert x1.size == 4 and np.isnan(x1[3])
    assert 1e3 <= x1[0] < 1e4 and 1e25 < x1[1] < 1e27 and 1e207 < x1[2] < 1e209
    # He: from about 0.6 to below 0.1
    assert 0.55 < costs["He"][0] < 0.65 and costs["He"][-1] < 0.1 and costs["He"].size == 120


# --- what the prose says about Keras, measured ---------------------------------------------------

@pytest.fixture(scope="module")
def moons():
    from sklearn.datasets import make_moons

    X, y = make_moons(200, noise=0.2, random_state=0)
    return X.astype("float32"), y.astype("float32").reshape(-1, 1)


def _model(seed=1):
    import keras

    keras.utils.set_random_seed(seed)
    return keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(8, activation="relu"),
                             keras.layers.Dense(1, activation="sigmoid")])


def _loop(model, X, y, orders, compiled, batch_size=32):
    """A second hand-written loop (Adam 0.01): weights after each step and each batch's loss."""
    import keras
    import tensorflow as tf

    optimizer, loss_fn = keras.optimizers.Adam(0.01), keras.losses.BinaryCrossentropy()

    def step(xb, yb):
        with tf.GradientTape() as tape:
            loss = loss_fn(yb, model(xb, training=True))
        optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables),
                                      model.trainable_variables))
        return loss

    step = tf.function(step) if compiled else step
    weights, losses = [], []
    for order in orders:
        for start in range(0, len(order), batch_size):
            batch = order[start:start + batch_size]
            losses.append((float(step(X[batch], y[batch])), len(batch)))
            weights.append([w.copy() for w in model.get_weights()])
    return weights, losses


def _fit(model, X, y, shuffle, epochs=5):
    import keras

    model.compile(optimizer=keras.optimizers.Adam(0.01), loss=keras.losses.BinaryCrossentropy())
    history = model.fit(X, y, batch_size=32, epochs=epochs, shuffle=shuffle, verbose=0)
    return model.get_weights(), history.history["loss"]


def _gap(a, b) -> float:
    return max(float(np.max(np.abs(u - v))) for u, v in zip(a, b))


def test_eager_loop_agrees_only_to_rounding_and_epoch_loss_is_the_size_weighted_mean(moons):
    X, y = moons
    start = _model().get_weights()
    fit_model = _model()
    fit_model.set_weights(start)
    fit_weights, fit_losses = _fit(fit_model, X, y, shuffle=False)
    orders = [np.arange(200)] * 5
    for compiled in (True, False):
        model = _model()
        model.set_weights(start)
        weights, losses = _loop(model, X, y, orders, compiled)
        gap = _gap(weights[-1], fit_weights)
        if compiled:
            assert gap == 0.0
        else:
            # "agrees only to about 1e-7": not bit for bit, well within float32 rounding
            assert 0.0 < gap < 1e-6, gap
        per_epoch = np.array([loss for loss, _ in losses]).reshape(5, 7)
        sizes = np.array([n for _, n in losses]).reshape(5, 7)
        assert sizes[0].tolist() == [32] * 6 + [8]
        weighted = (per_epoch * sizes).sum(axis=1) / 200
        np.testing.assert_allclose(weighted, fit_losses, atol=1e-6)
        # ... and not the plain mean of the 7 batch losses
        assert np.max(np.abs(per_epoch.mean(axis=1) - fit_losses)) > 1e-3


def test_tf_function_compiles_per_batch_shape_and_per_new_python_argument():
    """'tf.function compiles once for each batch shape it is given and again for each new Python
    object among the arguments' (why the lesson makes its loss object once)."""
    import keras
    import tensorflow as tf

    step = tf.function(lambda loss_fn, y, p: loss_fn(y, p))
    loss_fn, y = keras.losses.BinaryCrossentropy(), np.ones((32, 1), "float32")
    counts = []
    for fn, batch in [(loss_fn, 32), (loss_fn, 32), (loss_fn, 8), (loss_fn, 32), (loss_fn, 8),
                      (keras.losses.BinaryCrossentropy(), 32)]:
        step(fn, y[:batch], y[:batch] / 2)
        counts.append(step.experimental_get_tracing_count())
    assert counts == [1, 1, 2, 2, 2, 3]


def test_fits_own_shuffle_is_not_the_lessons_numpy_orders(moons):
    """'fit(shuffle=True) draws its orders from TensorFlow's generator ... its weights differ
    from both runs' (in order, and shuffled by NumPy as in the notebook)."""
    X, y = moons
    start = _model().get_weights()
    runs = {}
    for shuffle in (True, False):
        model = _model()
        model.set_weights(start)
        runs[shuffle] = _fit(model, X, y, shuffle=shuffle)[0]
    model = _model()
    model.set_weights(start)
    rng = np.random.default_rng(1)
    numpy_orders = _loop(model, X, y, [rng.permutation(200) for _ in range(5)], True)[0][-1]
    assert _gap(runs[True], runs[False]) > 1e-3
    assert _gap(runs[True], numpy_orders) > 1e-3


def test_fit_shuffles_by_default_but_not_a_generators_batches(moons):
    """'By default fit uses shuffle=True'; given a generator of batches 'it cannot shuffle: it
    takes the batches as they come' (Keras says so in a warning, and the steps show it)."""
    import inspect
    import warnings

    import keras

    assert inspect.signature(keras.Model.fit).parameters["shuffle"].default is True
    X, y = moons
    model = _model()
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss=keras.losses.BinaryCrossentropy())
    seen = []

    def batches():
        for start in range(0, 64, 32):
            seen.append(start)
            yield X[start:start + 32], y[start:start + 32]

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(batches(), epochs=1, steps_per_epoch=2, shuffle=True, verbose=0)
    assert any("will be ignored since the data `x` was provided as a generator" in str(w.message)
               for w in caught)
    assert seen == [0, 32]


def test_keras_adam_differs_from_the_textbook_formula_only_by_float32_betas_and_epsilon():
    """The notebook's explanation of its 4e-5 gap: Keras' bias corrections use β rounded to
    float32, and ε is added to √v before the correction. Written that way, the paths agree to
    float64 rounding."""
    import keras
    import tensorflow as tf

    grad = lambda w: np.array([1.0, 25.0]) * w  # noqa: E731
    w = tf.Variable(np.array([-8.0, 2.0]))
    optimizer = keras.optimizers.Adam(learning_rate=0.5)
    keras_path = [w.numpy().copy()]
    for _ in range(40):
        optimizer.apply_gradients([(tf.constant(grad(w.numpy())), w)])
        keras_path.append(w.numpy().copy())
    b1, b2 = float(np.float32(0.9)), float(np.float32(0.999))
    ours, m, v = [np.array([-8.0, 2.0])], np.zeros(2), np.zeros(2)
    for t in range(1, 41):
        g = grad(ours[-1])
        m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g**2
        ours.append(ours[-1] - 0.5 * math.sqrt(1 - b2**t) / (1 - b1**t) * m / (np.sqrt(v) + 1e-7))
    assert np.max(np.abs(np.array(keras_path) - np.array(ours))) < 1e-12


def test_he_normal_has_hes_scale():
    """'kernel_initializer="he_normal" gives He's': a normal truncated at two of its standard
    deviations, widened so that what is drawn has standard deviation √(2 / n_in) itself."""
    import keras

    n_in = 1000
    W = np.asarray(keras.initializers.HeNormal(seed=0)((n_in, 500)))
    scale = math.sqrt(2 / n_in)
    assert W.std() == pytest.approx(scale, rel=0.01)
    assert np.abs(W).max() <= 2 * scale / 0.87962566 + 1e-7


# --- the instant check ---------------------------------------------------------------------------

def _step(kind):
    """Training steps: the right one and the usual mistakes."""
    import tensorflow as tf

    def step(model, optimizer, loss_fn, X_batch, y_batch):
        variables = model.trainable_variables
        if kind == "last_layer_only":
            variables = model.layers[-1].trainable_variables
        with tf.GradientTape() as tape:
            pred = model.predict(X_batch, verbose=0) if kind == "predict" else model(X_batch,
                                                                                   training=True)
            loss = loss_fn(y_batch, pred)
        grads = tape.gradient(loss, variables)
        if kind == "uphill":
            grads = [-g for g in grads]
        if kind != "no_step":
            optimizer.apply_gradients(zip(grads, variables))
        if kind == "two_steps":
            with tf.GradientTape() as tape:
                loss2 = loss_fn(y_batch, model(X_batch, training=True))
            optimizer.apply_gradients(zip(tape.gradient(loss2, variables), variables))
        if kind == "loss_after":
            return loss_fn(y_batch, model(X_batch, training=True))
        if kind == "no_return":
            return None
        return loss

    return step


def test_check_passes_a_right_step(capsys):
    assert check_train_step(_step("right")) is True
    assert "✔ train_step: all 2 cases passed (loss and weights)." in capsys.readouterr().out


def test_check_reports_not_written_yet_without_raising(capsys):
    def stub(model, optimizer, loss_fn, X_batch, y_batch):
        raise NotImplementedError()

    assert check_train_step(stub) is False
    assert "✘ train_step: not written yet" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("kind", "diagnosis"),
    [
        ("no_step", "the weights did not change"),
        ("uphill", "moved uphill"),
        ("two_steps", "two steps"),
        ("last_layer_only", "only the last layer moved"),
        ("loss_after", "the one after the step"),
        ("predict", "the gradients are None"),
        ("no_return", "no `return loss`"),
    ],
)
def test_check_names_the_mistake(capsys, kind, diagnosis):
    assert check_train_step(_step(kind)) is False
    out = capsys.readouterr().out
    assert "✘ train_step" in out and diagnosis in out, out


def test_check_needs_the_function_itself(capsys):
    assert check_train_step(3.0) is False
    assert "needs the function itself" in capsys.readouterr().out


def _bce_cost(weights, X, y):
    W1, b1, W2, b2 = weights
    A1 = np.maximum(X @ W1 + b1, 0)
    A2 = 1 / (1 + np.exp(-(A1 @ W2 + b2)))
    return float(-np.mean(y * np.log(A2) + (1 - y) * np.log(1 - A2)))


def _fd_step(weights, X, y, sign=-1.0):
    """One gradient step (``sign=+1``: uphill) with finite-difference gradients, in float64."""
    grads = _fd_gradients(lambda w: _bce_cost(w, X, y), weights)
    return [w + sign * checks.LEARNING_RATE * g for w, g in zip(weights, grads)]


@pytest.mark.parametrize("case", checks.CASES, ids=lambda c: c.name)
def test_the_checks_numbers_are_one_gradient_step(case):
    start = [np.array(w, dtype=float) for w in checks.START]
    X, y = np.array(case.X), np.array(case.y)
    assert case.loss == pytest.approx(_bce_cost(start, X, y), abs=1e-12)
    one = _fd_step(start, X, y)
    for got, want in zip(case.weights, one):
        np.testing.assert_allclose(got, want, atol=1e-8)
    for got, want in zip(case.mistake_weights["uphill"], _fd_step(start, X, y, sign=1.0)):
        np.testing.assert_allclose(got, want, atol=1e-8)
    for got, want in zip(case.mistake_weights["two_steps"], _fd_step(one, X, y)):
        np.testing.assert_allclose(got, want, atol=1e-8)
    assert case.loss_after == pytest.approx(_bce_cost(one, X, y), abs=1e-8)
    # the ReLU units are not all on: some example has a unit off, so ReLU' matters in the check
    assert (X @ np.array(checks.START[0]) + checks.START[1] <= 0).any()


# --- plot helpers (Agg) --------------------------------------------------------------------------

def _bowl(W):
    return 0.5 * (W[:, 0] ** 2 + 25 * W[:, 1] ** 2)


PATHS = {"a": np.array([[-8.0, 2.0], [-7.0, -1.0], [-6.5, 0.5]]),
         "b": np.array([[-8.0, 2.0], [-7.5, 1.5], [-7.0, 1.0]])}


def test_paths_on_contours_draw_each_path_over_the_contours():
    ax = plot_paths_on_contours(_bowl, PATHS)
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_allclose(lines["a"].get_xdata(), PATHS["a"][:, 0])
    np.testing.assert_allclose(lines["b"].get_ydata(), PATHS["b"][:, 1])
    assert "start" in lines and "minimum" in lines
    assert ax.get_aspect() == 1.0 and ax.collections  # equal scales; the contour set


def test_paths_on_contours_reject_a_bad_path_and_a_bad_cost():
    with pytest.raises(ValueError, match=r"paths\['a'\] has shape \(3,\)"):
        plot_paths_on_contours(_bowl, {"a": np.zeros(3)})
    with pytest.raises(ValueError, match="one cost per row"):
        plot_paths_on_contours(lambda W: W, PATHS)


def test_step_sizes_are_the_absolute_differences_per_coordinate():
    ax = plot_step_sizes(PATHS)
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_allclose(lines["a: $|\\Delta w_1|$"].get_ydata(), [1.0, 0.5])
    np.testing.assert_allclose(lines["a: $|\\Delta w_2|$"].get_ydata(), [3.0, 1.5])
    np.testing.assert_allclose(lines["b: $|\\Delta w_2|$"].get_xdata(), [1, 2])
    assert ax.get_yscale() == "log"


def test_activation_spread_plots_one_point_per_layer():
    ax = plot_activation_spread({"He": [1.0, 0.9, 0.8], "×1": [1.0, 4.0, 16.0]})
    (he, one) = ax.get_lines()
    np.testing.assert_allclose(he.get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(one.get_ydata(), [1.0, 4.0, 16.0])
    assert ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="spreads is empty"):
        plot_activation_spread({})


def test_cost_runs_cut_an_overflowing_run_and_say_where():
    ax = plot_cost_runs({"ok": [0.7, 0.5, 0.3], "bad": [6000.0, 1e23, 1e178, np.nan]})
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[0] == "ok"
    assert labels[1] == "bad (off the chart at iteration 1, nan or inf at 3)"
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), [6000.0, 1e23, 1e178])
    assert ax.get_ylim() == pytest.approx((1e-2, 1e5))
    # a run that stops on the chart gets a cross at its last finite cost
    ax = plot_cost_runs({"stops": [0.7, 0.5, np.inf]})
    cross = [line for line in ax.get_lines() if line.get_marker() == "x"]
    assert len(cross) == 1 and cross[0].get_ydata()[0] == 0.5
