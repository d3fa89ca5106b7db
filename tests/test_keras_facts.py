"""What the lessons say about Keras and TensorFlow, checked in the installed versions.

If an upgrade changes one of these behaviours, the test fails and the lesson's prose must change:
- week 1, lab 1: ``input_dim`` is still accepted, with a warning; a ``Dense`` kernel starts Glorot
  uniform (±√3 for a 1×1 kernel, not small) and its bias at 0;
- week 2, lesson 3 and the week-2 assignment's exercise 2: the loss of a confident, wrong prediction
  (logits ``[-50, 50]``, class 0) is exactly 100 from logits *and* from a softmax layer (Keras hands
  the layer's logits to the loss), but 16.118 from probabilities that carry no logits, because the
  loss clips probabilities to ``[1e-7, 1 - 1e-7]``; e^-100 is a float32 subnormal, which NumPy keeps
  and TensorFlow's CPU kernels flush to 0; the same holds for a sigmoid output with
  ``BinaryCrossentropy``.
"""

from __future__ import annotations

import math
import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf

Z = np.array([[-50.0, 50.0]], dtype="float32")  # logits of one example ...
LABEL = np.array([0])                            # ... whose true class is 0
EXACT = 100.0                                    # -log softmax(z)_0 = -(-50) + log(e^-50 + e^50)
CLIPPED = -math.log(1e-7)                        # 16.1181: what the loss reports for a_y clipped to 1e-7


def _plain_loss():
    return keras.losses.SparseCategoricalCrossentropy()


# --- week 1, lab 1 ---------------------------------------------------------------------------------

def test_input_dim_still_builds_the_model_with_a_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        layer = keras.layers.Dense(1, input_dim=3)
        model = keras.Sequential([layer])
    messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    assert any(m.startswith("Do not pass an `input_shape`/`input_dim` argument to a layer. When "
                            "using Sequential models, prefer using an `Input(shape)` object as the "
                            "first layer in the model instead.") for m in messages), messages
    assert model.built and tuple(model.inputs[0].shape) == (None, 3)
    assert tuple(layer.kernel.shape) == (3, 1)


def test_dense_starts_glorot_uniform_with_zero_bias():
    layer = keras.layers.Dense(1)
    assert isinstance(layer.kernel_initializer, keras.initializers.GlorotUniform)
    assert isinstance(layer.bias_initializer, keras.initializers.Zeros)
    # a 1×1 kernel: uniform on ±sqrt(6 / (1 + 1)) = ±1.73, so |w| is often well above 1
    draws = np.array([float(keras.initializers.GlorotUniform(seed=s)((1, 1))[0, 0])
                      for s in range(200)])
    assert np.abs(draws).max() <= math.sqrt(3) and np.abs(draws).max() > 1.6
    assert np.mean(np.abs(draws) > 1.0) > 0.3          # uniform on ±1.73: 42% of draws beyond ±1
    # 64 inputs, 25 units: ±sqrt(6 / 89) = ±0.26
    wide = np.asarray(keras.initializers.GlorotUniform(seed=0)((64, 25)))
    assert round(math.sqrt(6 / 89), 2) == 0.26
    assert np.abs(wide).max() <= math.sqrt(6 / 89) and np.abs(wide).max() > 0.25


# --- week 2, lesson 3: the three numbers -------------------------------------------------------------

def test_from_logits_gives_the_exact_loss():
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(LABEL, Z)
    assert float(loss) == EXACT


def test_a_softmax_layer_gives_the_loss_its_logits():
    """The 'obvious' model (softmax output, plain loss) gets the exact loss in evaluate and fit."""
    layer = keras.layers.Dense(2, activation="softmax")
    model = keras.Sequential([keras.Input(shape=(2,)), layer])
    layer.set_weights([np.eye(2), np.zeros(2)])     # z passes through: the layer's logits are z
    model.compile(loss=_plain_loss())
    probabilities = model.predict(Z, verbose=0)
    assert probabilities[0, 0] == 0.0               # the probability itself is rounded to 0 ...
    assert model.evaluate(Z, LABEL, verbose=0) == EXACT     # ... yet the loss is exact
    # the same output tensor, called outside fit/evaluate, still carries the logits
    assert float(_plain_loss()(LABEL, model(Z))) == EXACT
    # the NumPy array that predict returns (e.g. saved probabilities) does not
    assert float(_plain_loss()(LABEL, probabilities)) == pytest.approx(CLIPPED, abs=1e-5)


def test_probabilities_without_logits_are_clipped_at_1e_minus_7():
    probabilities = tf.nn.softmax(Z)
    assert float(_plain_loss()(LABEL, probabilities)) == pytest.approx(CLIPPED, abs=1e-5)
    assert round(CLIPPED, 1) == 16.1
    assert keras.config.epsilon() == 1e-7
    # clipping, not rounding, is what loses the 100: float64 holds e^-100 exactly, yet ...
    exact_probs = np.array([[math.exp(-100.0), 1.0]])
    assert exact_probs[0, 0] > 0
    assert float(_plain_loss()(LABEL, exact_probs)) == pytest.approx(CLIPPED, abs=1e-5)


# --- week 2, lesson 3: what e^-100 is in float32 ----------------------------------------------------

def test_e_to_the_minus_100_is_a_float32_subnormal():
    f32 = np.finfo(np.float32)
    value = np.exp(np.float32(-100.0))
    assert 0 < value < f32.smallest_normal                     # below 1.2e-38: subnormal
    assert value > f32.smallest_subnormal                      # above 1.4e-45: not 0
    assert f"{value:.1e}" == "3.8e-44" and f"{math.exp(-100):.1e}" == "3.7e-44"
    assert f"{f32.smallest_normal:.1e}" == "1.2e-38" and f"{f32.smallest_subnormal:.1e}" == "1.4e-45"


def test_tensorflow_flushes_float32_subnormals_to_zero():
    assert float(tf.nn.softmax(Z)[0, 0]) == 0.0
    assert float(tf.exp(tf.constant(-100.0))) == 0.0
    subnormal = tf.constant(np.exp(np.float32(-100.0)))
    assert float(subnormal) > 0 and float(subnormal * 1.0) == 0.0
    # float64 has room for e^-100 as a normal number, and keeps it
    assert float(tf.nn.softmax(tf.constant(Z, tf.float64))[0, 0]) == pytest.approx(math.exp(-100))


def test_clipped_probabilities_give_no_gradient():
    z = tf.Variable(Z)
    with tf.GradientTape() as tape:
        loss = _plain_loss()(LABEL, tf.nn.softmax(z))
    assert tape.gradient(loss, z).numpy().tolist() == [[0.0, 0.0]]
    with tf.GradientTape() as tape:       # from logits: softmax(z) - one_hot(y), full strength
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(LABEL, z)
    assert tape.gradient(loss, z).numpy().tolist() == [[-1.0, 1.0]]


# --- week 2, lesson 3: "for a binary output the same holds" ----------------------------------------

def test_binary_output_the_same_holds():
    """A confident wrong sigmoid output (logit 50, label 0): exact from the logit with
    ``BinaryCrossentropy(from_logits=True)``, clipped (to about 16) from the probability that
    ``tf.nn.sigmoid`` gives (rounded to 1 in float32)."""
    logit, label = np.array([[50.0]], dtype="float32"), np.array([[0.0]], dtype="float32")
    exact = keras.losses.BinaryCrossentropy(from_logits=True)(label, logit)
    assert float(exact) == pytest.approx(50.0, rel=1e-6)  # log(1 + e^50) ≈ 50
    probability = tf.nn.sigmoid(logit)
    assert float(probability[0, 0]) == 1.0
    clipped = keras.losses.BinaryCrossentropy()(label, probability)
    # clipped to 1 - 1e-7, which float32 rounds to 1 - 2^-23: -log(2^-23) = 15.94, not 50
    top = float(np.float32(1.0 - 1e-7))
    assert float(clipped) == pytest.approx(-math.log(1.0 - top), abs=1e-4)
    assert round(float(clipped), 2) == 15.94
