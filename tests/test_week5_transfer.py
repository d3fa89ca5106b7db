"""Week 5, lesson 5 (transfer learning): the notebook reads as a lesson and runs top to bottom in a
fresh kernel, twice with the same numbers; its comparison is reproduced by a second implementation
(batch gradient descent written here in NumPy, from the notebook's pre-trained weights); every
claim its prose makes about the runs and about Keras is pinned; the comparison stays under a
minute; the instant check names each typical mistake; the plot helper and the data loader do what
they say.
"""

from __future__ import annotations

import math
import re
import time

import claims
import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest

from conftest import (
    NOTEBOOKS,
    assert_reads_as_a_lesson,
    assert_your_turn_cells,
    execute_with_results,
    fill_your_turns,
    markdown_text,
    printed,
)
from course_utils.checks import check_freeze_hidden_layers
from course_utils.checks.week5.transfer_learning import CASES, COUNT_MISTAKES, FREEZING_MISTAKES
from course_utils.data import load_digits_transfer
from course_utils.plots.week5.transfer_learning import STRATEGY_STYLES, plot_accuracy_vs_examples

LESSON = NOTEBOOKS / "week5" / "05_transfer_learning.ipynb"
YOUR_TURN = [("freeze_hidden_layers", "check_freeze_hidden_layers")]
#: What week 5's graded assignment asks learners to write: the lesson must not hand it out.
WEEK5_GRADED = ["split_data", "classification_error", "diagnose", "choose_lambda",
                "build_transfer_model"]
#: The issue: "the transfer-learning comparison runs in under a minute on 2 cores". It takes
#: 3-10 s on the shared machine; the bound is the issue's.
COMPARISON_LIMIT_S = 60
#: The whole notebook, kernel start and TensorFlow's import included: about 20-35 s on the shared
#: 2-core machine; benchmarks/notebooks.py holds it to week 5's target.
NOTEBOOK_LIMIT_S = 120
STRATEGIES = ["from scratch", "frozen + new output layer", "fine-tuned"]
SIZES, SEEDS, STEPS = [10, 25, 50, 100, 200], [0, 1, 2], 100
ALPHAS = {"from scratch": 0.5, "frozen + new output layer": 0.1, "fine-tuned": 0.5}
#: Which layers (0-2) each strategy trains.
TRAINED = {"from scratch": (0, 1, 2), "frozen + new output layer": (2,), "fine-tuned": (0, 1, 2)}
LN5 = math.log(5)


def _code(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


# ---- structure: cheap, no kernel ---------------------------------------------------------------

def test_lesson_reads_as_a_lesson_with_one_your_turn():
    nb = nbformat.read(LESSON, as_version=4)
    assert_reads_as_a_lesson(nb, "# Week 5, lesson 5 — Transfer learning")
    assert_your_turn_cells(nb, YOUR_TURN)
    text = markdown_text(nb)
    for heading in ["## 1. Two tasks on the same kind of input", "## 2. Pre-training on digits 0–4",
                    "## 3. Freezing layers", "## 4. The comparison", "## 5. What the numbers show",
                    "## Summary"]:
        assert heading in text, heading
    # the course notes' two ways (syllabus, "Transfer learning"): output layer only for small
    # data, everything from the pre-trained start for more data
    assert "train only a new output layer:\n   the way for a *small* labelled set" in text
    assert "starting from the pre-trained weights" in text and "*more* labelled data" in text


def test_lesson_hands_out_no_graded_answer():
    nb = nbformat.read(LESSON, as_version=4)
    source = _code(nb)
    assert "course_utils.reference" not in source
    for name in WEEK5_GRADED:
        assert not re.search(rf"\bdef {name}\(", source), name
    # nothing downloaded: the data are scikit-learn's bundled digits, the weights trained here
    assert "load_digits_transfer()" in source and "base.fit(" in source
    for word in ("urllib", "requests", "get_file", "weights=\"imagenet\"", "applications"):
        assert word not in source
    assert not [c for c in nb.cells if "raises-exception" in c.metadata.get("tags", [])]


# ---- the notebook, executed --------------------------------------------------------------------

RESULTS = """
import json as _json
def _l(ws):
    return [np.asarray(w).tolist() for w in ws]
print("RESULTS " + _json.dumps({
    "pretrained": _l(pretrained), "base_accuracy": accuracy(base, source.X_test, source.y_test),
    "old_answers": old_answers.tolist(),
    "before": _l(before), "after": _l(after), "n_trainable": n_trainable,
    "frozen_accuracy": accuracy(frozen, target.X_test, target.y_test),
    "results": {k: v.tolist() for k, v in results.items()},
    "final": {k: _l(m.get_weights()) for k, m in models.items()},
    "trainable_flags": {k: [layer.trainable for layer in m.layers] for k, m in models.items()},
    "comparison_seconds": comparison_seconds,
    "sizes": SIZES, "seeds": SEEDS, "steps": STEPS, "alphas": ALPHAS,
}))
"""


def _run(tmp_path, fill=False):
    nb = nbformat.read(LESSON, as_version=4)
    if fill:
        nb = fill_your_turns(nb, [func for func, _ in YOUR_TURN])
    return execute_with_results(nb, LESSON.name, tmp_path, RESULTS)


@pytest.fixture(scope="module")
def lesson(tmp_path_factory):
    """The lesson as stored (with its stub), executed once for the tests below."""
    return _run(tmp_path_factory.mktemp("w5l5"))


test_numbers_in_prose_match_the_run = claims.test_in(LESSON, "lesson")

@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """The lesson with its answer pasted into the stub, executed in another fresh kernel."""
    return _run(tmp_path_factory.mktemp("w5l5_filled"), fill=True)


@pytest.mark.notebook
def test_stored_lesson_runs_and_its_check_says_not_written_yet(lesson):
    nb, r, elapsed = lesson
    assert elapsed < NOTEBOOK_LIMIT_S, f"{elapsed:.1f} s"
    assert r["comparison_seconds"] < COMPARISON_LIMIT_S, r["comparison_seconds"]
    out = printed(nb)
    assert ("\N{HEAVY BALLOT X} freeze_hidden_layers: not written yet: replace "
            "`raise NotImplementedError()` by your code.") in out
    images = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
                 for o in c.outputs)
    assert images == 1
    for line in ["source, digits 0-4: (720, 64) for training, (181, 64) held out",
                 "target, digits 5-9: (496, 64) in the pool, (400, 64) held out",
                 "kept: [(64, 64), (64,), (64, 32), (32,)]",
                 f"45 training runs in {r['comparison_seconds']:.0f} s"]:
        assert line in out, line
    assert (r["sizes"], r["seeds"], r["steps"], r["alphas"]) == (SIZES, SEEDS, STEPS, ALPHAS)


@pytest.mark.notebook
def test_filled_with_its_answer_the_check_passes_and_every_number_repeats(lesson, filled):
    nb, r, _ = filled
    out = printed(nb)
    assert "\N{HEAVY BALLOT X}" not in out
    assert "\N{HEAVY CHECK MARK} freeze_hidden_layers: all 3 cases passed." in out
    # two fresh kernels, the same numbers: the prose's figures are reproducible on CPU
    first = lesson[1]
    for key in ("pretrained", "base_accuracy", "old_answers", "after", "results", "final"):
        assert r[key] == first[key], key


def _softmax_step(weights, trainable, X, y, alpha):
    """One step of batch gradient descent on the mean softmax cross-entropy of the network
    ReLU-ReLU-linear, written here; only the layers in ``trainable`` (indices 0-2) move."""
    (W1, b1, W2, b2, W3, b3) = weights
    A1 = np.maximum(0, X @ W1 + b1)
    A2 = np.maximum(0, A1 @ W2 + b2)
    Z3 = A2 @ W3 + b3
    P = np.exp(Z3 - Z3.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    dZ3 = (P - np.eye(5)[y]) / len(X)
    dZ2 = (dZ3 @ W3.T) * (A2 > 0)
    dZ1 = (dZ2 @ W2.T) * (A1 > 0)
    grads = [X.T @ dZ1, dZ1.sum(0), A1.T @ dZ2, dZ2.sum(0), A2.T @ dZ3, dZ3.sum(0)]
    return [w - alpha * g if k // 2 in trainable else w
            for k, (w, g) in enumerate(zip(weights, grads))]


def _labelled(n, seed):
    """The notebook's labelled set, drawn again: n // 5 of each digit of the pool."""
    target = load_digits_transfer().target
    rng = np.random.default_rng(seed)
    rows = np.concatenate([rng.choice(np.flatnonzero(target.y_train == k), n // 5, replace=False)
                           for k in range(5)])
    return target.X_train[rows], target.y_train[rows]


def _start(seed, pretrained=None):
    """Glorot-uniform kernels from a generator seeded with ``seed``, zero biases; then the
    pre-trained hidden layers, if given."""
    rng = np.random.default_rng(seed)
    weights = []
    for shape in [(64, 64), (64,), (64, 32), (32,), (32, 5), (5,)]:
        if len(shape) == 2:
            weights.append(rng.uniform(-1, 1, shape) * math.sqrt(6 / sum(shape)))
        else:
            weights.append(np.zeros(shape))
    if pretrained is not None:
        weights[:4] = [np.array(w) for w in pretrained]
    return weights


def _predict(weights, X):
    W1, b1, W2, b2, W3, b3 = weights
    return np.argmax(np.maximum(0, np.maximum(0, X @ W1 + b1) @ W2 + b2) @ W3 + b3, axis=1)


@pytest.mark.notebook
def test_the_last_runs_repeated_in_numpy(lesson):
    # The comparison's models end with the run of 200 examples and seed 2: repeated here from the
    # same start with gradient descent written in NumPy (float64), the weights agree with Keras'
    # (float32) and so does the held-out accuracy the table reports.
    _, r, _ = lesson
    X, y = _labelled(200, 2)
    test = load_digits_transfer().target
    for name, trainable in TRAINED.items():
        weights = _start(2, None if name == "from scratch" else r["pretrained"])
        for _ in range(STEPS):
            weights = _softmax_step(weights, trainable, X, y, ALPHAS[name])
        for ours, keras_w in zip(weights, r["final"][name]):
            np.testing.assert_allclose(keras_w, ours, rtol=2e-3, atol=2e-4)
        ours_acc = float(np.mean(_predict(weights, test.X_test) == test.y_test))
        assert abs(ours_acc - r["results"][name][2][4]) <= 1 / 400, name
    # frozen: the hidden layers of the last run are still exactly the pre-trained ones
    for keras_w, pre in zip(r["final"]["frozen + new output layer"][:4], r["pretrained"]):
        assert keras_w == pre
    assert r["trainable_flags"] == {"from scratch": [True] * 3, "fine-tuned": [True] * 3,
                                    "frozen + new output layer": [False, False, True]}


@pytest.mark.notebook
def test_pretraining_claims(lesson):
    nb, r, _ = lesson
    # "pre-trained on digits 0-4: held-out accuracy 0.983"
    assert round(r["base_accuracy"], 3) == 0.983
    assert "pre-trained on digits 0-4: held-out accuracy 0.983" in printed(nb)
    # "Most 5s and 9s are called 3, 8s are split between 1 and 3"
    test = load_digits_transfer().target
    old = np.array(r["old_answers"])
    assert old.min() >= 0 and old.max() <= 4
    called = {5 + k: np.bincount(old[test.y_test == k], minlength=5) for k in range(5)}
    for digit in (5, 9):
        assert np.argmax(called[digit]) == 3 and called[digit][3] > called[digit].sum() / 2
    assert set(np.argsort(called[8])[-2:]) == {1, 3} and called[8][[1, 3]].sum() > 0.8 * 80
    assert "digit 5: called 0:  3, 1:  4, 2:  9, 3: 62, 4:  3" in printed(nb)


@pytest.mark.notebook
def test_frozen_demo_claims(lesson):
    nb, r, _ = lesson
    before, after = r["before"], r["after"]
    # "Only W3 and b3 changed; the hidden layers are exactly the pre-trained ones"
    assert before[:4] == after[:4] == r["pretrained"]
    assert all(np.abs(np.array(a) - np.array(b)).max() > 0.1 for a, b in zip(after[4:], before[4:]))
    out = printed(nb)
    for name in ("W1", "b1", "W2", "b2"):
        assert re.search(rf"{name} +\(\d+(, \d+)?,?\): largest change 0\.0000\n", out), name
    # "32 · 5 + 5 = 165 numbers of the network's 6,405"
    assert r["n_trainable"] == 32 * 5 + 5 == 165
    assert 64 * 64 + 64 + 64 * 32 + 32 + 165 == 6405
    # "Is 0.675 good?": the demo is the comparison's run of 50 examples with seed 0
    assert f"{r['frozen_accuracy']:.3f}" == "0.675"
    assert r["frozen_accuracy"] == r["results"]["frozen + new output layer"][0][2]
    assert "165 trainable parameters; held-out accuracy on 5-9: 0.675" in out


def _f3(x) -> str:
    """A number as the notebook prints it (and the prose quotes it)."""
    return f"{x:.3f}"


@pytest.mark.notebook
def test_comparison_claims(lesson):
    nb, r, _ = lesson
    acc = {k: np.array(v) for k, v in r["results"].items()}
    assert list(acc) == STRATEGIES and all(a.shape == (3, 5) for a in acc.values())
    mean = {k: a.mean(axis=0) for k, a in acc.items()}
    scratch, frozen, tuned = (mean[k] for k in STRATEGIES)
    # "From scratch wins at every size ... 0.847 ... 0.963 with 40 per digit"
    assert np.all(scratch > tuned) and np.all(tuned > frozen)
    assert _f3(scratch[0]) == "0.847" and _f3(scratch[-1]) == "0.963"
    # "Fine-tuned comes second at every size, and the gap closes as labels grow: 0.054 behind
    # with 10 examples, 0.004 behind with 200, less than the spread between seeds there"
    gap = scratch - tuned
    assert _f3(gap[0]) == "0.054" and _f3(gap[-1]) == "0.004"
    assert np.all(np.diff(gap) < 0)
    assert gap[-1] < np.ptp(acc["from scratch"][:, -1]) and gap[-1] < np.ptp(acc["fine-tuned"][:, -1])
    # "Frozen + new output layer is far behind: 0.569 with 10 examples, 0.732 with 200, less than
    # training from scratch reaches with 10"
    assert _f3(frozen[0]) == "0.569" and _f3(frozen[-1]) == "0.732"
    assert frozen.max() == frozen[-1] < scratch[0] and np.all(frozen < tuned - 0.2)
    # summary: "frozen features from a small, narrow source task kept the mean accuracy below 0.74"
    assert frozen.max() < 0.74
    # all beat guessing (the plot's 0.2 line)
    assert min(a.min() for a in acc.values()) > 0.2
    table = printed(nb)
    assert "              from scratch  0.847  0.910  0.939  0.957  0.963" in table
    assert " frozen + new output layer  0.569  0.651  0.687  0.716  0.732" in table
    assert "                fine-tuned  0.792  0.874  0.927  0.948  0.958" in table


def _training_cost(weights, X, y) -> float:
    W1, b1, W2, b2, W3, b3 = weights
    Z = np.maximum(0, np.maximum(0, X @ W1 + b1) @ W2 + b2) @ W3 + b3
    Z = Z - Z.max(axis=1, keepdims=True)
    return float(np.mean(np.log(np.exp(Z).sum(axis=1)) - Z[np.arange(len(y)), y]))


@pytest.mark.notebook
def test_learning_rates_are_chosen_on_the_training_cost(lesson):
    # "of 0.05, 0.1, 0.2, 0.5 and 1, the value after which 100 steps on 200 examples leave the
    # lowest training cost, averaged over the three seeds", by the NumPy gradient descent that
    # test_the_last_runs_repeated_in_numpy checks against Keras, from the notebook's weights.
    _, r, _ = lesson
    grid = [0.05, 0.1, 0.2, 0.5, 1.0]
    cost = {}
    for name, trainable in TRAINED.items():
        for alpha in grid:
            finals = []
            for seed in SEEDS:
                X, y = _labelled(200, seed)
                weights = _start(seed, None if name == "from scratch" else r["pretrained"])
                for _ in range(STEPS):
                    weights = _softmax_step(weights, trainable, X, y, alpha)
                finals.append(_training_cost(weights, X, y))
            cost[name, alpha] = np.mean(finals), finals
        best = min(grid, key=lambda a: cost[name, a][0])
        assert best == ALPHAS[name], (name, {a: cost[name, a][0] for a in grid})
    # "With α = 0.5 its training cost on 200 examples ends above ln 5 ≈ 1.61, the cost of
    # answering 1/5 for every digit"
    assert cost["frozen + new output layer", 0.5][0] > LN5 and round(LN5, 2) == 1.61
    # "α = 0.1 left a higher training cost than 0.5 after 100 steps" (fine-tuning)
    assert cost["fine-tuned", 0.1][0] > cost["fine-tuned", 0.5][0]
    # "the pre-trained features reach values of 8 where pixels stay within [0, 1]"
    target = load_digits_transfer().target
    W1, b1, W2, b2 = (np.array(w) for w in r["pretrained"])
    images = np.vstack([target.X_train, target.X_test])
    features = np.maximum(0, np.maximum(0, images @ W1 + b1) @ W2 + b2)
    assert 8 <= features.max() < 9 and 0 <= images.min() and images.max() <= 1


# ---- what the prose says about Keras -----------------------------------------------------------

def _tiny():
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3, activation="relu"),
                              keras.layers.Dense(2)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def _moves(model, X, y) -> bool:
    hidden = model.layers[0].get_weights()[0].copy()
    model.fit(X, y, epochs=3, verbose=0)
    return not np.array_equal(hidden, model.layers[0].get_weights()[0])


def test_keras_reads_trainable_when_it_first_trains_and_after_compile():
    # "Set trainable before training starts: once a model has been trained, Keras has built its
    # training step, and a later change of trainable is ignored until you compile again."
    X = np.random.default_rng(0).random((20, 4)).astype("float32")
    y = np.arange(20) % 2
    model = _tiny()
    model.layers[0].trainable = False  # after compile, before the first fit: honoured
    assert not _moves(model, X, y)
    model = _tiny()
    model.fit(X, y, epochs=1, verbose=0)
    model.layers[0].trainable = False  # after a fit: ignored ...
    assert _moves(model, X, y)
    model.compile(optimizer="sgd", loss=keras_loss())  # ... until compiled again
    assert not _moves(model, X, y)


def keras_loss():
    import keras

    return keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def test_keras_facts_the_lesson_states():
    import keras

    model = _tiny()
    # "model.layers lists them; keras.Input is not one of them"
    assert len(model.layers) == 2
    # "Keras' default for Dense, Glorot uniform", biases zero
    dense = keras.layers.Dense(3)
    assert isinstance(dense.kernel_initializer, keras.initializers.GlorotUniform)
    assert isinstance(dense.bias_initializer, keras.initializers.Zeros)
    # "set_weights copies the values into the model's own variables"
    weights = [np.ones(w.shape, "float32") for w in model.get_weights()]
    model.set_weights(weights)
    weights[0][:] = 7
    assert np.all(model.get_weights()[0] == 1)
    # "Plain gradient descent keeps no state between steps; Adam would need its running averages
    # reset too"
    sgd, adam = keras.optimizers.SGD(0.5), keras.optimizers.Adam(0.01)
    sgd.build(model.trainable_variables)
    adam.build(model.trainable_variables)
    assert sorted(v.name for v in sgd.variables) == ["iteration", "learning_rate"]
    assert len(adam.variables) > 2 + len(model.trainable_variables)


def test_train_on_batch_steps_are_full_batch_epochs():
    # train(): "train_on_batch is one step on the batch it is given, here the whole set: the same
    # steps as fit(X, y, batch_size=len(X), epochs=STEPS)"
    X = np.random.default_rng(1).random((10, 4)).astype("float32")
    y = np.arange(10) % 2
    a, b = _tiny(), _tiny()
    b.set_weights(a.get_weights())
    for _ in range(20):
        a.train_on_batch(X, y)
    b.fit(X, y, batch_size=10, epochs=20, verbose=0)
    assert int(a.optimizer.iterations.numpy()) == int(b.optimizer.iterations.numpy()) == 20
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(wa, wb, rtol=1e-6, atol=1e-7)


def test_a_restarted_model_reuses_its_training_step():
    # "a new model's first training costs more than a restarted one's: Keras builds and traces
    # its training step the first time a model trains, and a restarted model reuses it" -- the
    # lesson's network, 100 full-batch steps on 50 examples, as in one run of the comparison.
    import keras

    X = np.random.default_rng(2).random((50, 64)).astype("float32")
    y = np.arange(50) % 5

    def new():
        model = keras.Sequential([keras.Input(shape=(64,)), keras.layers.Dense(64, activation="relu"),
                                  keras.layers.Dense(32, activation="relu"), keras.layers.Dense(5)])
        model.compile(optimizer=keras.optimizers.SGD(0.5), loss=keras_loss())
        return model

    def run(model):
        start = time.perf_counter()
        model.set_weights(model.get_weights())
        for _ in range(100):
            model.train_on_batch(X, y)
        return time.perf_counter() - start

    run(new())  # the process's first model pays one-off costs that no later one does
    firsts, restarts = [], []
    for _ in range(5):
        model = new()
        assert model.train_function is None
        firsts.append(run(model))
        step = model.train_function
        restarts.append(run(model))
        assert step is not None and model.train_function is step
    # the least disturbed runs (the machine is shared): about 2.5 times on a quiet one
    assert min(firsts) > 1.3 * min(restarts), (firsts, restarts)


# ---- the instant check -------------------------------------------------------------------------

def _trainable_count(model) -> int:
    return int(sum(np.prod(w.shape) for w in model.trainable_weights))


def _freeze(layers):
    for layer in layers:
        layer.trainable = False


def _right(model):
    _freeze(model.layers[:-1])
    return _trainable_count(model)


#: Each counting mistake (the right layers frozen), written as the mistaken code would compute it.
WRONG_COUNTS = {
    "all_parameters": lambda m: (_freeze(m.layers[:-1]), m.count_params())[1],
    "frozen_parameters": lambda m: (_freeze(m.layers[:-1]),
                                    int(sum(np.prod(w.shape) for w in m.non_trainable_weights)))[1],
    "weights_only": lambda m: (_freeze(m.layers[:-1]), int(np.prod(m.trainable_weights[0].shape)))[1],
    "arrays_counted": lambda m: (_freeze(m.layers[:-1]), len(m.trainable_weights))[1],
    "layers_counted": lambda m: (_freeze(m.layers[:-1]),
                                 sum(layer.trainable for layer in m.layers))[1],
}

#: Each freezing mistake, counted right for the layers it froze.
WRONG_FREEZING = {
    "nothing_frozen": lambda m: _trainable_count(m),
    "everything_frozen": lambda m: (setattr(m, "trainable", False), _trainable_count(m))[1],
    "first_only": lambda m: (_freeze(m.layers[:1]), _trainable_count(m))[1],
    "output_only": lambda m: (_freeze(m.layers[-1:]), _trainable_count(m))[1],
}


def test_stored_numbers_are_what_keras_and_the_formula_give():
    from course_utils.checks.week5.transfer_learning import build_case_model

    assert set(WRONG_COUNTS) == set(COUNT_MISTAKES)
    for case in CASES:
        d = case.layer_dims
        assert case.expected == d[-2] * d[-1] + d[-1]
        assert case.expected == _right(build_case_model(d))
        assert case.count_mistakes == {key: f(build_case_model(d)) for key, f in WRONG_COUNTS.items()}
        assert case.trainable == [False] * (len(d) - 2) + [True]
    assert CASES[0].layer_dims == [64, 64, 32, 5] and CASES[0].expected == 165  # the lesson's network
    assert CASES[2].layer_dims == [2, 3, 5, 4, 2, 1]                            # the notes' example
    signatures = {key: tuple(c.count_mistakes[key] for c in CASES) for key in COUNT_MISTAKES}
    assert len(set(signatures.values())) == len(signatures)
    assert tuple(c.expected for c in CASES) not in signatures.values()


@pytest.mark.parametrize("key", sorted(WRONG_COUNTS))
def test_each_counting_mistake_is_named(key, capsys):
    assert check_freeze_hidden_layers(WRONG_COUNTS[key]) is False
    out = capsys.readouterr().out
    assert COUNT_MISTAKES[key] in out and "case 1 of 3 failed" in out
    assert "the right layers frozen" in out


@pytest.mark.parametrize("key", sorted(WRONG_FREEZING))
def test_each_freezing_mistake_is_named(key, capsys):
    assert check_freeze_hidden_layers(WRONG_FREEZING[key]) is False
    out = capsys.readouterr().out
    assert FREEZING_MISTAKES[key] in out
    # with one hidden layer, freezing the first layer only is right: case 1 names it
    assert "case 1 of 3 failed" in out


def test_right_answers_pass_in_several_forms(capsys):
    def by_index(model):
        for i in range(len(model.layers) - 1):
            model.layers[i].trainable = False
        return sum(w.numpy().size for w in model.trainable_weights)

    def by_layer(model):
        for layer in model.layers[:-1]:
            layer.trainable = False
        out = model.layers[-1]
        return np.int64(out.kernel.shape[0] * out.kernel.shape[1] + out.bias.shape[0])

    for func in (_right, by_index, by_layer):
        assert check_freeze_hidden_layers(func)
        assert "\N{HEAVY CHECK MARK} freeze_hidden_layers: all 3 cases passed." in (
            capsys.readouterr().out)


def test_other_failures_are_explained(capsys):
    def stub(model):
        raise NotImplementedError()

    def no_return(model):
        _freeze(model.layers[:-1])

    def per_array(model):
        _freeze(model.layers[:-1])
        return [int(np.prod(w.shape)) for w in model.trainable_weights]

    def odd_pattern(model):
        _freeze(model.layers[1:2])
        return _trainable_count(model)

    expectations = [
        (stub, "not written yet"),
        (no_return, "has no `return` statement"),
        (per_array, "return ONE number"),
        (lambda m: (_freeze(m.layers[:-1]), "165")[1], "return a number"),
        (lambda m: m.layers[9], "an exception, IndexError"),
        (lambda m: (_freeze(m.layers[:-1]), _trainable_count(m) + 1)[1],
         "the output layer has 32·5 weights and 5 biases"),
        (odd_pattern, "freeze exactly the hidden layers, model.layers[:-1]"),
    ]
    for func, text in expectations:
        assert check_freeze_hidden_layers(func) is False
        assert text in capsys.readouterr().out, text
    assert check_freeze_hidden_layers(165) is False
    assert "needs the function itself" in capsys.readouterr().out


# ---- the plot helper ---------------------------------------------------------------------------

def test_plot_accuracy_vs_examples_draws_means_bands_and_the_guessing_line(tmp_path):
    sizes = [10, 25, 50]
    accuracies = {"from scratch": [[0.8, 0.9, 0.95], [0.6, 0.7, 0.93]],
                  "fine-tuned": [[0.5, 0.6, 0.9], [0.7, 0.8, 0.9]],
                  "another": [[0.3, 0.3, 0.3], [0.3, 0.3, 0.3]]}
    ax = plot_accuracy_vs_examples(sizes, accuracies, chance=0.2)
    lines = ax.get_lines()
    np.testing.assert_allclose(lines[0].get_xdata(), sizes)
    np.testing.assert_allclose(lines[0].get_ydata(), [0.7, 0.8, 0.94])
    np.testing.assert_allclose(lines[1].get_ydata(), [0.6, 0.7, 0.9])
    assert lines[0].get_color() == STRATEGY_STYLES["from scratch"][0]
    assert lines[1].get_marker() == STRATEGY_STYLES["fine-tuned"][1]
    # one band per strategy, from the lowest to the highest seed
    bands = ax.collections
    assert len(bands) == 3
    lower, upper = bands[0].get_paths()[0].vertices[:, 1].min(), bands[0].get_paths()[0].vertices[:, 1].max()
    assert (lower, upper) == pytest.approx((0.6, 0.95))
    assert ax.get_xscale() == "log" and [t.get_text() for t in ax.get_xticklabels()] == ["10", "25", "50"]
    assert lines[3].get_ydata()[0] == pytest.approx(0.2)
    assert any("guessing: 0.2" in t.get_text() for t in ax.texts)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [f"{k} (mean of 2 seeds)" for k in accuracies]
    assert ax.get_ylim() == (0, 1.0)
    ax.figure.savefig(tmp_path / "transfer.png")
    assert (tmp_path / "transfer.png").stat().st_size > 5_000
    with pytest.raises(ValueError, match=r"accuracies\['a'\].*\(3,\).*\(n_seeds, 3\)"):
        plot_accuracy_vs_examples(sizes, {"a": [0.1, 0.2, 0.3]})
    plt.close("all")


# ---- the data ----------------------------------------------------------------------------------

def test_load_digits_transfer_splits_as_documented():
    from sklearn.datasets import load_digits

    task = load_digits_transfer()
    src, tgt = task.source, task.target
    assert src.X_train.shape == (720, 64) and src.X_test.shape == (181, 64)
    assert tgt.X_train.shape == (496, 64) and tgt.X_test.shape == (400, 64)
    for part in (src.y_train, src.y_test, tgt.y_train, tgt.y_test):
        assert part.dtype == np.int64 and set(np.unique(part)) == {0, 1, 2, 3, 4}
    assert 96 <= np.bincount(tgt.y_train).min() and np.bincount(tgt.y_train).max() <= 101
    assert 78 <= np.bincount(tgt.y_test).min() and np.bincount(tgt.y_test).max() <= 81
    # every image of 0-4 is in the source task and of 5-9 in the target, each exactly once, with
    # label k for the digit 5 + k; pixels scaled to [0, 1]
    digits = load_digits()
    rows = {row.tobytes(): label for row, label in zip(digits.data / 16.0, digits.target)}
    for X, y, offset in ((src.X_train, src.y_train, 0), (src.X_test, src.y_test, 0),
                         (tgt.X_train, tgt.y_train, 5), (tgt.X_test, tgt.y_test, 5)):
        assert all(rows[x.tobytes()] == label + offset for x, label in zip(X, y))
    assert len(src.y_train) + len(src.y_test) == np.sum(digits.target < 5)
    assert len(tgt.y_train) + len(tgt.y_test) == np.sum(digits.target >= 5)
    assert not {x.tobytes() for x in tgt.X_train} & {x.tobytes() for x in tgt.X_test}
    again = load_digits_transfer()
    np.testing.assert_array_equal(again.target.X_test, tgt.X_test)


def test_the_frozen_model_is_held_back_by_its_budget_and_dead_features():
    """The prose of section 5 (issue 18), recomputed outside the lesson with its own helpers (its
    code cells defining the data, the network, the pre-training and the restarts, run in
    process): 8 of the 32 pre-trained features are 0 on every target image, and the frozen model
    trained for 2,000 steps instead of 100 reaches about 0.85 with 200 labels (mean of the three
    seeds), as does a logistic regression on the frozen features."""
    from sklearn.linear_model import LogisticRegression

    code = [c.source for c in nbformat.read(LESSON, as_version=4).cells if c.cell_type == "code"]
    keep = ("task = load_digits_transfer()", "def new_network", "base = new_network()",
            "def restart", "def freeze_hidden_layers")
    ns: dict = {}
    for source in [code[0]] + [s for s in code if any(k in s for k in keep)]:
        exec(source, ns)  # noqa: S102 - the lesson's own definitions
    keras, target, (W1, b1, W2, b2) = ns["keras"], ns["target"], ns["pretrained"]

    def features(X):
        return np.maximum(np.maximum(X @ W1 + b1, 0) @ W2 + b2, 0)

    assert int(np.sum(features(np.vstack([target.X_train, target.X_test])).max(axis=0) == 0)) == 8
    frozen, regression = [], []
    for seed in (0, 1, 2):
        X_few, y_few = ns["labelled_set"](200, seed)
        model = ns["new_network"]()
        ns["restart"](model, seed, start=ns["pretrained"])
        ns["freeze_hidden_layers"](model)
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss=ns["LOSS"])
        for _ in range(2000):
            model.train_on_batch(X_few, y_few)
        frozen.append(ns["accuracy"](model, target.X_test, target.y_test))
        fitted = LogisticRegression(max_iter=5000).fit(features(X_few), y_few)
        regression.append(fitted.score(features(target.X_test), target.y_test))
    assert abs(np.mean(frozen) - 0.85) < 0.01  # "reaches about 0.85 with 200 labels"
    assert abs(np.mean(regression) - 0.85) < 0.03  # "a logistic regression ... about as much"
    assert np.mean(frozen) > 0.74 + 0.1  # far above the 100-step run's 0.732
