"""Reference solution of week 5's transfer learning exercise: a new task on a pre-trained base.

:func:`build_transfer_model` keeps the base's hidden layers — the layer objects themselves, so
the new model starts from what the base learned (and, when fine-tuning, trains those very
layers: the base changes with it) — and puts a new output layer on top. Keras is imported only
when the function is called.
"""

from __future__ import annotations


def build_transfer_model(base_model, n_classes: int, fine_tune: bool):
    """A compiled ``keras.Sequential``: ``keras.Input`` of the base's input size, the base's
    hidden layers (every layer but its output layer), frozen unless ``fine_tune``, then a new
    ``Dense(n_classes)`` output layer (linear: logits), compiled with
    ``SparseCategoricalCrossentropy(from_logits=True)`` and Adam (learning rate 1e-3)."""
    import keras

    hidden = base_model.layers[:-1]
    for layer in hidden:
        layer.trainable = bool(fine_tune)
    model = keras.Sequential([keras.Input(shape=(base_model.input_shape[-1],)), *hidden,
                              keras.layers.Dense(n_classes)])
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  optimizer=keras.optimizers.Adam(learning_rate=1e-3))
    return model
