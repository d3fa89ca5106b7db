"""The learners' instant checks for week 1 (course_utils.checks): right answers pass, and each
typical wrong answer fails with a message naming the likely mistake."""

from __future__ import annotations

import json

import numpy as np
import pytest
import vectorisation_variants as variants

from course_utils import checks
from course_utils import reference as ref
from course_utils.checks import (
    check_dense,
    check_dense_v,
    check_forward_v,
    check_model,
    check_predict,
    check_sequential,
    describe_model,
)

# --- typical wrong answers -------------------------------------------------------------------------


def dense_no_activation(a_in, W, b, g):
    return np.array([np.dot(W[:, j], a_in) + b[j] for j in range(W.shape[1])])


def dense_activation_before_bias(a_in, W, b, g):
    return np.array([g(np.dot(W[:, j], a_in)) + b[j] for j in range(W.shape[1])])


def dense_no_bias(a_in, W, b, g):
    return np.array([g(np.dot(W[:, j], a_in)) for j in range(W.shape[1])])


def dense_transposed(a_in, W, b, g):
    return np.array([g(np.dot(W[j, :], a_in) + b[j]) for j in range(W.shape[1])])


def dense_column_shape(a_in, W, b, g):  # (units, 1) instead of (units,)
    return ref.dense(a_in, W, b, g).reshape(-1, 1)


def dense_tensor(a_in, W, b, g):
    import tensorflow as tf

    return tf.constant(ref.dense(a_in, W, b, g))


def dense_raises(a_in, W, b, g):
    return {}["oops"]


def dense_stub(a_in, W, b, g):
    raise NotImplementedError()


def dense_no_return(a_in, W, b, g):
    ref.dense(a_in, W, b, g)


def dense_v_no_activation(A_in, W, b, g):
    return A_in @ W + b


def dense_v_activation_before_bias(A_in, W, b, g):
    return g(A_in @ W) + b


def dense_v_no_bias(A_in, W, b, g):
    return g(A_in @ W)


def dense_v_transposed(A_in, W, b, g):
    return g(A_in @ W.T + b)


def dense_v_loop(A_in, W, b, g):  # loops over examples: correct numbers, not vectorised
    return np.array([g(a @ W + b) for a in A_in])


def dense_v_flat(A_in, W, b, g):
    return g(A_in @ W + b).ravel()


def dense_v_tensor(A_in, W, b, g):
    import tensorflow as tf

    return tf.matmul(tf.constant(A_in), tf.constant(W)) + b


def sequential_no_chaining(x, layers):  # every layer gets x instead of the previous output
    a = x
    for W, b, g in layers:
        a = ref.dense(x, W, b, g)
    return a


def sequential_first_activation(x, layers):
    a = x
    for W, b, _ in layers:
        a = ref.dense(a, W, b, layers[0][2])
    return a


def forward_v_loop(X, layers):  # a loop over examples inside the "vectorised" forward pass
    return np.array([ref.sequential(x, layers) for x in X])


def forward_v_last_activation(X, layers):
    A = X
    for W, b, _ in layers:
        A = ref.dense_v(A, W, b, layers[-1][2])
    return A


def forward_v_tensor(X, layers):
    import tensorflow as tf

    return tf.constant(ref.forward_v(X, layers))


def predict_lab(X, layers):  # week 1, lab 3: one example at a time, outputs (m, units)
    p = np.zeros((X.shape[0], layers[-1][0].shape[1]))
    for i in range(X.shape[0]):
        p[i] = ref.sequential(X[i], layers)
    return p


def predict_thresholded(X, layers):  # decisions instead of probabilities
    return (predict_lab(X, layers) >= 0.5).astype(float)


def predict_first_row(X, layers):  # X[0] instead of X[i] inside the loop
    return np.array([ref.sequential(X[0], layers) for _ in X])


def predict_flat(X, layers):  # (m,) instead of (m, 1)
    return predict_lab(X, layers).ravel()


def predict_no_activation(X, layers):
    return np.array([sequential_no_activation(x, layers) for x in X])


def sequential_no_activation(x, layers):
    a = x
    for W, b, _ in layers:
        a = dense_no_activation(a, W, b, None)
    return a


def predict_stub(X, layers):
    raise NotImplementedError()


# --- right answers pass ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("check", "func", "n_cases"),
    [(check_dense, ref.dense, 5), (check_sequential, ref.sequential, 3),
     (check_dense_v, ref.dense_v, 6), (check_forward_v, ref.forward_v, 4),
     (check_predict, predict_lab, 4)],
    ids=["dense", "sequential", "dense_v", "forward_v", "predict"],
)
def test_correct_function_passes(check, func, n_cases, capsys):
    assert check(func) is True
    out = capsys.readouterr().out
    assert f"all {n_cases} cases passed" in out and "\N{HEAVY BALLOT X}" not in out


def test_a_learner_style_loop_passes(capsys):
    def dense(a_in, W, b, g):
        units = W.shape[1]
        a_out = np.zeros(units)
        for j in range(units):
            a_out[j] = g(np.dot(W[:, j], a_in) + b[j])
        return a_out

    assert check_dense(dense)


# --- wrong answers fail with the right message ------------------------------------------------------


@pytest.mark.parametrize(
    ("check", "func", "message"),
    [
        (check_dense, dense_no_activation, "the activation is not applied"),
        (check_dense, dense_activation_before_bias, "applied before adding the bias"),
        (check_dense, dense_no_bias, "the bias b is ignored"),
        (check_dense, dense_transposed, "W is used transposed"),
        (check_dense, dense_column_shape, "wrong output shape"),
        (check_dense, dense_tensor, "returns a TensorFlow tensor instead of a NumPy array"),
        (check_dense, dense_raises, "got:      an exception, KeyError: 'oops'"),
        (check_dense, dense_stub, "dense_stub is not written yet"),
        (check_dense, dense_no_return, "has no `return` statement"),
        (check_dense_v, dense_v_no_activation, "the activation is not applied"),
        (check_dense_v, dense_v_activation_before_bias, "applied before adding the bias"),
        (check_dense_v, dense_v_no_bias, "the bias b is ignored"),
        (check_dense_v, dense_v_transposed, "W is used transposed"),
        (check_dense_v, dense_v_loop, "a loop over examples left in the vectorised version"),
        (check_dense_v, dense_v_flat, "wrong output shape"),
        (check_dense_v, dense_v_tensor, "returns a TensorFlow tensor instead of a NumPy array"),
        (check_sequential, sequential_no_chaining, "a shape mismatch"),
        (check_sequential, sequential_first_activation, "uses the first layer's activation"),
        (check_forward_v, forward_v_loop, "a loop over examples left in the vectorised version"),
        (check_forward_v, forward_v_last_activation, "uses the last layer's activation"),
        (check_forward_v, forward_v_tensor, "returns a TensorFlow tensor instead of a NumPy array"),
        (check_predict, predict_thresholded, "the output holds 0/1 decisions, not probabilities"),
        (check_predict, predict_first_row, "every row holds the first example's output"),
        (check_predict, predict_flat, "the numbers are right but the shape is (2,), not (2, 1)"),
        (check_predict, predict_no_activation, "the activation is not applied"),
        (check_predict, predict_stub, "predict_stub is not written yet"),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_wrong_function_fails_naming_the_mistake(check, func, message, capsys):
    assert check(func) is False
    out = capsys.readouterr().out
    assert "\N{HEAVY BALLOT X}" in out and "failed" in out
    assert message in out, out
    assert "expected:" in out and "inputs:" in out  # the learner can redo the case by hand


def test_failure_shows_expected_and_got(capsys):
    check_dense(dense_activation_before_bias)
    out = capsys.readouterr().out
    assert 'failed, "activation applied after the bias"' in out
    assert "expected: [39., 75.]" in out and "got:      [33., 65.]" in out


def test_predict_expected_values_are_the_networks_outputs(capsys):
    """check_predict's expected outputs, recomputed here by hand: a loop over examples is what
    lab 3 teaches, so a looping predict passes; the decisions case straddles the threshold."""
    assert check_predict(predict_lab)
    sig = 1.0 / (1.0 + np.exp(-np.array([-1.0, 0.0, 2.0])))
    assert sig.tolist() == pytest.approx([0.268941421370, 0.5, 0.880797077978], abs=1e-12)
    # layer 1: [1..4]·W + [3, 5, 6] = [73, 85, 96], times 3; layer 2: 219 - 288 + 5 = -64, squared
    assert (3 * (np.array([1.0, 2, 3, 4]) @ np.arange(1.0, 13).reshape(4, 3) + [3, 5, 6])
            ).tolist() == [219.0, 255.0, 288.0]
    assert (219 - 288 + 5) ** 2 == 4096 and (483 - 648 + 5) ** 2 == 25600
    assert check_predict(lambda X, layers: [list(row) for row in predict_lab(X, layers)])
    assert "\N{HEAVY BALLOT X}" not in capsys.readouterr().out


def test_loop_detection_reports_the_steps(capsys):
    check_dense_v(dense_v_loop)
    out = capsys.readouterr().out
    assert "Python steps for 2 example(s) and" in out
    assert "np.matmul" in out


@pytest.mark.parametrize("name", sorted(variants.DENSE_V_VECTORISED))
def test_every_vectorised_dense_v_passes(name, capsys):
    assert check_dense_v(variants.define(variants.DENSE_V_VECTORISED[name], "dense_v")) is True, \
        capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(variants.DENSE_V_LOOPING))
def test_every_looping_dense_v_is_named(name, capsys):
    assert check_dense_v(variants.define(variants.DENSE_V_LOOPING[name], "dense_v")) is False
    assert "a loop over examples left in the vectorised version" in capsys.readouterr().out


def test_a_loop_in_a_helper_from_another_cell_is_named(capsys):
    func = variants.define(variants.DENSE_V_LOOPING_HELPER, "dense_v", variants.HELPER_CELL)
    assert check_dense_v(func) is False
    assert "a loop over examples left in the vectorised version" in capsys.readouterr().out


@pytest.mark.parametrize(("name", "source", "vectorised"), [
    *((n, s, True) for n, s in sorted(variants.FORWARD_V_VECTORISED.items())),
    *((n, s, False) for n, s in sorted(variants.FORWARD_V_LOOPING.items())),
])
def test_forward_v_variants(name, source, vectorised, capsys):
    assert check_forward_v(variants.define(source, "forward_v")) is vectorised, \
        capsys.readouterr().out


def test_check_given_a_value_not_a_function(capsys):
    assert check_dense(np.zeros(2)) is False
    assert "check_dense(dense)" in capsys.readouterr().out


def test_in_place_edits_do_not_leak_between_cases(capsys):
    def dense_mutating(a_in, W, b, g):
        out = ref.dense(a_in, W, b, g)
        W *= 0.0  # a learner's side effect on the case's inputs
        b *= 0.0
        return out

    assert check_dense(dense_mutating)
    assert check_dense(ref.dense)


def test_checks_hold_expected_values_not_reference_code():
    import inspect

    from course_utils.checks.core import verdict as _report
    from course_utils.checks.week1 import assignment_binary_digits as week1

    for module in (checks, week1, _report):
        source = inspect.getsource(module)
        assert "reference" not in source.replace("never reference code", "")
        assert "import course_utils.reference" not in source


# --- Keras models: describe_model and check_model ----------------------------------------------------


@pytest.fixture(scope="module")
def keras():
    import keras

    return keras


def _model(keras, units=(25, 15, 1), activations=("sigmoid",) * 3, n_in=64, with_input=True):
    layers = [keras.Input(shape=(n_in,))] if with_input else []
    layers += [keras.layers.Dense(u, activation=a) for u, a in zip(units, activations)]
    return keras.Sequential(layers)


def test_describe_model_is_plain_data(keras):
    # what the grader compares it with
    from autograder.cases.week1.assignment_binary_digits import MODEL_EXPECTED

    d = describe_model(_model(keras))
    assert {key: d[key] for key in MODEL_EXPECTED} == MODEL_EXPECTED
    assert d["loss"] is None and d["from_logits"] is None  # not compiled
    assert d["input_shape"] == [64] and d["total_params"] == 2031
    assert [layer["units"] for layer in d["layers"]] == [25, 15, 1]
    assert json.loads(json.dumps(d)) == d  # survives any plain-data transport


def test_describe_model_of_non_models_and_unbuilt_models(keras):
    assert describe_model(None) == {"type": "NoneType"}
    assert describe_model(42) == {"type": "int"}

    class Broken:  # model-like, but its attributes fail
        count_params = None

        @property
        def layers(self):
            raise RuntimeError("broken")

    assert describe_model(Broken()) == {"type": "Broken"}
    d = describe_model(_model(keras, with_input=False))
    assert d["input_shape"] is None and d["total_params"] is None and len(d["layers"]) == 3


def test_check_model_passes_the_right_architecture(keras, capsys):
    assert check_model(_model(keras))
    assert "2,031 parameters" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"with_input": False}, "no input shape: make keras.Input(shape=(64,))"),
        ({"n_in": 8}, "input shape is (8,), expected (64,)"),
        ({"units": (25, 10, 1)}, "layer 2 has 10 units, expected 15"),
        ({"units": (25, 1), "activations": ("sigmoid",) * 2}, "expected 3 Dense layers"),
        ({"activations": ("relu", "sigmoid", "sigmoid")}, "layer 1 has activation 'relu'"),
        ({"activations": ("sigmoid", "sigmoid", None)}, "without it a Dense layer is linear"),
    ],
    ids=["no-input", "wrong-input", "wrong-units", "two-layers", "relu", "default-linear"],
)
def test_check_model_names_the_problem(keras, capsys, kwargs, message):
    assert check_model(_model(keras, **kwargs)) is False
    out = capsys.readouterr().out
    assert message in out, out


def test_check_model_of_none(capsys):
    assert check_model(None) is False
    assert "forget `return model`" in capsys.readouterr().out
