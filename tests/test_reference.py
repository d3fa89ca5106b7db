"""course_utils.reference against the syllabus's facts, TensorFlow itself, and properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from course_utils import reference as ref


def triple(z):
    return 3 * np.asarray(z)


# --- facts from the syllabus -------------------------------------------------------------------

def test_linear_neuron_house_price():  # W1.1: w = 200, b = 100 gives 300 at x = 1
    out = ref.dense(np.array([1.0]), np.array([[200.0]]), np.array([100.0]), ref.linear)
    assert out.shape == (1,)
    assert out[0] == pytest.approx(300.0)


def test_sigmoid_neuron_logistic_fact():  # W1.1: sigmoid(2*0 - 4.5) = 0.01099
    out = ref.dense(np.array([0.0]), np.array([[2.0]]), np.array([-4.5]), ref.sigmoid)
    assert out[0] == pytest.approx(0.01099, abs=5e-6)


LECTURE_W = np.array([[1.0, -3.0, 5.0], [2.0, 4.0, -6.0]])
LECTURE_B = np.array([-1.0, 1.0, 2.0])
LECTURE_A = np.array([-2.0, 4.0])


def test_lecture_forward_prop_linear_sigmoid_relu():  # W1.4
    np.testing.assert_allclose(ref.dense(LECTURE_A, LECTURE_W, LECTURE_B, ref.linear), [5, 23, -32])
    np.testing.assert_allclose(
        ref.dense(LECTURE_A, LECTURE_W, LECTURE_B, ref.sigmoid), [0.99331, 1.0, 1.27e-14], rtol=5e-3  # the syllabus rounds to 3 figures
    )
    np.testing.assert_allclose(ref.dense(LECTURE_A, LECTURE_W, LECTURE_B, ref.relu), [5, 23, 0])


def test_lecture_vectorised_example():  # W1.5: Z = [[165, -531, 900]]
    W = np.array([[1.0, -3.0, 5.0], [-2.0, 4.0, -6.0]])
    b = np.array([[-1.0, 1.0, 2.0]])
    Z = ref.dense_v(np.array([[200.0, 17.0]]), W, b, ref.linear)
    np.testing.assert_allclose(Z, [[165, -531, 900]])


@pytest.mark.parametrize(
    ("b", "g", "expected"),
    [([0, 0], ref.linear, [10, 20]), ([3, 5], ref.linear, [13, 25]), ([3, 5], triple, [39, 75])],
)
def test_assignment_dense_facts(b, g, expected):  # W1.6
    W = np.tile([1.0, 2.0], (4, 1))
    np.testing.assert_allclose(ref.dense(np.array([1.0, 2, 3, 4]), W, np.array(b, float), g), expected)


@pytest.mark.parametrize(
    ("b", "expected"),
    [([0, 0, 0], [[70, 80, 90], [158, 184, 210]]), ([3, 5, 6], [[73, 85, 96], [161, 189, 216]])],
)
def test_assignment_dense_v_facts(b, expected):  # W1.6
    X = np.array([[1.0, 2, 3, 4], [5, 6, 7, 8]])
    W = np.arange(1.0, 13.0).reshape(4, 3)
    np.testing.assert_allclose(ref.dense_v(X, W, np.array(b, float), ref.linear), expected)


def test_assignment_small_sigmoid_fact():  # W1.6
    x = 0.1 * np.array([1.0, 2.0])
    W = 0.1 * np.arange(1, 7).reshape(2, 3)
    b = 0.1 * np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(
        ref.dense(x, W, b, ref.sigmoid), [0.54735762, 0.57932425, 0.61063923], rtol=1e-7
    )
    np.testing.assert_allclose(
        ref.dense_v(x[None, :], W, b, ref.sigmoid), [[0.54735762, 0.57932425, 0.61063923]], rtol=1e-7
    )


def test_softmax_fact():  # W2.4
    np.testing.assert_allclose(
        ref.softmax(np.array([1.0, 2, 3, 4])), [0.0320586, 0.08714432, 0.23688282, 0.64391426], rtol=1e-6
    )


def test_coffee_network_with_trained_weights():  # W1.3: about 0.97 and 3.3e-08
    from course_utils.data import coffee_trained_weights, load_coffee_data

    X, _ = load_coffee_data()
    mean, std = X.mean(axis=0), X.std(axis=0)
    layers = [(W, b, ref.sigmoid) for W, b in coffee_trained_weights()]
    raw = np.array([[200.0, 13.9], [200.0, 17.0]])
    out = ref.forward_v((raw - mean) / std, layers)
    assert out.shape == (2, 1)
    assert out[0, 0] == pytest.approx(0.97, abs=0.02)
    assert out[1, 0] == pytest.approx(3.3e-08, rel=0.5)
    np.testing.assert_array_equal(out >= 0.5, [[True], [False]])
    # the one-example path agrees with the batch path
    np.testing.assert_allclose(ref.sequential((raw[0] - mean) / std, layers), out[0])


# --- bad input: ValueError naming both shapes ---------------------------------------------------

@pytest.mark.parametrize(
    ("call", "fragments"),
    [
        (lambda: ref.dense(np.ones(3), np.ones((2, 4)), np.ones(4), ref.linear), ["(3,)", "(2, 4)"]),
        (lambda: ref.dense(np.ones(2), np.ones((2, 4)), np.ones(3), ref.linear), ["(3,)", "(2, 4)"]),
        (lambda: ref.dense(np.ones((1, 2)), np.ones((2, 4)), np.ones(4), ref.linear), ["(1, 2)", "1-D"]),
        (lambda: ref.dense_v(np.ones(2), np.ones((2, 4)), np.ones(4), ref.linear), ["(2,)", "2-D"]),
        (lambda: ref.dense_v(np.ones((5, 3)), np.ones((2, 4)), np.ones(4), ref.linear), ["(5, 3)", "(2, 4)"]),
        (lambda: ref.dense_v(np.ones((5, 2)), np.ones((2, 4)), np.ones((2, 4)), ref.linear), ["(2, 4)"]),
        (lambda: ref.forward_v(np.ones((5, 2)), [(np.ones((2, 3)), np.ones(3), ref.relu),
                                                 (np.ones((4, 1)), np.ones(1), ref.relu)]),
         ["layer 1", "(5, 3)", "(4, 1)"]),
        (lambda: ref.sequential(np.ones(2), []), ["empty"]),
        (lambda: ref.sequential(np.ones(2), [(np.ones((2, 1)), np.ones(1))]), ["(W, b, g)"]),
        (lambda: ref.softmax(np.ones((2, 2, 2))), ["(2, 2, 2)"]),
        (lambda: ref.softmax(np.array([])), ["(0,)"]),
        (lambda: ref.softmax(np.array([1.0, np.nan])), ["NaN"]),
        (lambda: ref.dense(["a", "b"], np.ones((2, 1)), np.ones(1), ref.linear), ["array of numbers"]),
    ],
)
def test_bad_input_raises_clear_value_error(call, fragments):
    with pytest.raises(ValueError) as info:
        call()
    for fragment in fragments:
        assert fragment in str(info.value)


def test_no_overflow_warnings_for_extreme_logits():
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        assert ref.sigmoid(np.array([-1000.0, 1000.0])).tolist() == [0.0, 1.0]
        np.testing.assert_allclose(ref.softmax(np.array([1000.0, 1000.0])), [0.5, 0.5])
        np.testing.assert_allclose(ref.softmax(np.array([-1e4, 0.0])), [0.0, 1.0])


def test_inputs_are_not_modified():
    X, W, b = np.ones((3, 2)), np.ones((2, 2)), np.zeros(2)
    ref.forward_v(X, [(W, b, ref.relu)])
    assert X.tolist() == np.ones((3, 2)).tolist() and b.tolist() == [0.0, 0.0]


# --- against TensorFlow: Dense layers with the same weights give the same outputs ---------------

@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras", reason="keras is a dependency of the course; install .[dev]")


@pytest.mark.parametrize("activation", ["linear", "sigmoid", "relu"])
def test_dense_v_matches_keras_dense(keras, activation):
    rng = np.random.default_rng(7)
    X = rng.normal(size=(6, 5))
    W = rng.normal(size=(5, 4))
    b = rng.normal(size=4)
    layer = keras.layers.Dense(4, activation=activation)
    layer.build((None, 5))
    layer.set_weights([W, b])
    expected = np.asarray(layer(X.astype("float32")))
    g = getattr(ref, activation)
    np.testing.assert_allclose(ref.dense_v(X, W, b, g), expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(ref.dense(X[0], W, b, g), expected[0], rtol=1e-4, atol=1e-5)


def test_forward_v_matches_keras_sequential(keras):
    rng = np.random.default_rng(3)
    sizes = [64, 25, 15, 1]
    model = keras.Sequential(
        [keras.Input((64,))] + [keras.layers.Dense(n, activation="sigmoid") for n in sizes[1:]]
    )
    weights = [(rng.normal(size=(a, c)) * 0.3, rng.normal(size=c)) for a, c in zip(sizes, sizes[1:])]
    model.set_weights([w for pair in weights for w in pair])
    X = rng.random((10, 64))
    expected = np.asarray(model(X.astype("float32")))
    layers = [(W, b, ref.sigmoid) for W, b in weights]
    np.testing.assert_allclose(ref.forward_v(X, layers), expected, rtol=1e-4, atol=1e-6)


def test_softmax_matches_tf(keras):
    import tensorflow as tf

    z = np.random.default_rng(0).normal(scale=20, size=(8, 10))
    np.testing.assert_allclose(ref.softmax(z), tf.nn.softmax(z).numpy(), rtol=1e-6, atol=1e-12)


# --- properties ---------------------------------------------------------------------------------

finite = st.floats(-50, 50, allow_nan=False, width=64)


@st.composite
def layer_and_batch(draw):
    m = draw(st.integers(1, 6))
    n_in = draw(st.integers(1, 6))
    units = draw(st.integers(1, 6))
    X = draw(arrays(float, (m, n_in), elements=finite))
    W = draw(arrays(float, (n_in, units), elements=finite))
    b = draw(arrays(float, (units,), elements=finite))
    return X, W, b


@settings(max_examples=60, deadline=None)
@given(layer_and_batch())
def test_dense_v_rows_equal_dense(data):
    X, W, b = data
    out = ref.dense_v(X, W, b, ref.sigmoid)
    assert out.shape == (X.shape[0], W.shape[1])
    for i in range(X.shape[0]):
        np.testing.assert_allclose(out[i], ref.dense(X[i], W, b, ref.sigmoid), rtol=1e-12, atol=1e-15)


@settings(max_examples=60, deadline=None)
@given(layer_and_batch())
def test_dense_loop_definition(data):
    X, W, b = data
    out = ref.dense(X[0], W, b, ref.relu)
    by_unit = [max(0.0, float(np.dot(W[:, j], X[0]) + b[j])) for j in range(W.shape[1])]
    np.testing.assert_allclose(out, by_unit, rtol=1e-9, atol=1e-9)


@settings(max_examples=80, deadline=None)
@given(arrays(float, st.tuples(st.integers(1, 5), st.integers(1, 8)),
              elements=st.floats(-1e4, 1e4, allow_nan=False)),
       st.floats(-1e3, 1e3, allow_nan=False))
def test_softmax_properties(z, c):
    p = ref.softmax(z)
    assert p.shape == z.shape
    assert np.all((p >= 0) & (p <= 1))
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(ref.softmax(z + c), p, atol=1e-9)
    np.testing.assert_allclose(ref.softmax(z[0]), p[0], rtol=1e-12)


# --- softmax on huge, tiny and mixed-scale logits (week 2 assignment's grading cases) -------------

@pytest.mark.parametrize(
    ("z", "expected"),
    [
        ([1000.0, 1001.0], [0.2689414213699951, 0.7310585786300049]),
        ([-1000.0, -1001.0], [0.7310585786300049, 0.2689414213699951]),
        ([1e-12, 2e-12, 0.0], [1 / 3, 1 / 3, 1 / 3]),  # tiny logits: uniform to ~1e-12
        ([[1000.0, 1001.0, 1002.0], [0.0, 1.0, 2.0]],  # rows of very different scale
         [[0.09003057317038046, 0.24472847105479764, 0.6652409557748218]] * 2),
        ([3.7], [1.0]),
    ],
)
def test_softmax_huge_tiny_and_mixed_scale_logits(z, expected):
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        np.testing.assert_allclose(ref.softmax(np.array(z)), expected, rtol=1e-9, atol=1e-15)
