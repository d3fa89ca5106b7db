"""A Keras model described as plain data, in two steps that may run in different processes.

:func:`model_data` reads what a model says about itself — its class name, its config
(``model.get_config()``), the shapes of its weights and its compiled loss — as plain data (dicts,
lists, strings, numbers). :func:`describe_model_data` turns that data into the description the
checks and the autograder compare: ``{"type": "Sequential", "input_shape": [64], "layers":
[{"class": "Dense", "units": 25, "activation": "sigmoid"}, ...], "total_params": 2031, "loss":
..., "from_logits": ...}``. The autograder runs the first step next to the learner's code and the
second in the grader, so no code in the learner's process decides what the description says.
First used by ``notebooks/week1/05_assignment_binary_digits.ipynb``; the loss by week 2.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

#: Activations and losses a model spec may name (the grader's specs only use these).
SPEC_ACTIVATIONS = ("linear", "relu", "sigmoid", "tanh", "softmax")
SPEC_LOSSES = {
    "sparse_categorical_crossentropy_from_logits": ("SparseCategoricalCrossentropy", True),
    "sparse_categorical_crossentropy": ("SparseCategoricalCrossentropy", False),
}


def model_data(model) -> dict:
    """What ``model`` says about itself, as plain data; only ``{"class": name}`` for anything that
    is not a Keras model (or a broken one)."""
    data: dict[str, Any] = {"class": type(model).__name__}
    try:
        if not (hasattr(model, "layers") and hasattr(model, "get_config")):
            return data
        config = model.get_config()
        weights = [[int(d) for d in w.shape] for w in model.weights]
        built = bool(getattr(model, "built", False))
        loss = _loss_data(getattr(model, "loss", None))
        leaves = _leaves_data(model)
    except Exception:  # noqa: BLE001 - something model-like but broken: not a model
        return data
    return dict(data, config=config, weights=weights, built=built, loss=loss, leaves=leaves)


def weight_fingerprint(array) -> list:
    """``[shape, sum, sum of squares, ramp]`` of a weight array, in float64: enough to tell the
    same weights from others without sending them. ``ramp`` weighs entry k (C order) by
    ``1 + k / size``, so a permuted or transposed copy (same sum and sum of squares) differs too.

    Why it is enough: two weight arrays drawn independently from a continuous distribution (a
    fresh Glorot initialisation, a trained layer) agree in these three numbers, to 1e-6
    relative, with probability nil; the same values, shared or copied, agree exactly.
    """
    values = np.asarray(array, dtype=np.float64)
    flat = values.ravel()
    ramp = 1.0 + np.arange(flat.size) / max(flat.size, 1)
    return [[int(d) for d in values.shape], float(flat.sum()), float(flat @ flat),
            float(flat @ ramp)]


def _leaves(layer, frozen: bool = False):
    """``(layer, frozen by an enclosing model)`` of every non-input layer, nested models flattened."""
    inner = getattr(layer, "layers", None)
    if isinstance(inner, list):
        for child in inner:
            yield from _leaves(child, frozen or not layer.trainable)
    elif type(layer).__name__ != "InputLayer":
        yield layer, frozen


def _leaves_data(model) -> list[dict]:
    """Each leaf layer: class, units, activation, whether it trains (its own flag and every
    enclosing model's) and its weights' fingerprints (layer order: kernel, then bias)."""
    out = []
    for leaf, frozen in _leaves(model):
        config = leaf.get_config()
        out.append({
            "class": type(leaf).__name__,
            "units": config.get("units"),
            "activation": _activation_name(config.get("activation")),
            "trainable": bool(leaf.trainable) and not frozen,
            "weights": [weight_fingerprint(w) for w in leaf.get_weights()],
        })
    return out


def model_from_spec(spec: dict):
    """A compiled ``keras.Sequential`` from a spec (plain data, as the grader sends it):
    ``{"input_dim": n, "layers": [[units, activation], ...], "weights": [kernel, bias, ...],
    "loss": a key of SPEC_LOSSES}``; the weights are set to exactly these arrays (float32).
    The one builder of the sandbox and of the in-process grading path. Imports Keras."""
    import keras

    layers = [keras.Input(shape=(int(spec["input_dim"]),))]
    for units, activation in spec["layers"]:
        if activation not in SPEC_ACTIVATIONS:
            raise ValueError(f"model spec: unknown activation {activation!r}")
        layers.append(keras.layers.Dense(int(units), activation=str(activation)))
    model = keras.Sequential(layers)
    model.set_weights([np.asarray(w, dtype=np.float32) for w in spec["weights"]])
    loss_class, from_logits = SPEC_LOSSES[spec["loss"]]
    model.compile(loss=getattr(keras.losses, loss_class)(from_logits=from_logits),
                  optimizer=keras.optimizers.Adam(learning_rate=1e-3))
    return model


def _loss_data(loss) -> Any:
    if loss is None or isinstance(loss, str):
        return loss
    try:
        config = loss.get_config()
    except Exception:  # noqa: BLE001 - a plain function as loss has no config
        config = {}
    return {"class": type(loss).__name__, "config": config if isinstance(config, dict) else {}}


def describe_model(model) -> dict:
    """A Keras model as plain data (lists, ints and strings), for the checks and the autograder.

    Returns ``{"type": "Sequential", "input_shape": [64], "layers": [{"class": "Dense",
    "units": 25, "activation": "sigmoid"}, ...], "total_params": 2031, "loss": None,
    "from_logits": None}``. ``input_shape`` leaves out the batch dimension and is ``None`` when
    the model has no ``keras.Input`` (it is not built yet); ``total_params`` is then ``None`` too.
    Anything that is not a Keras model gives only ``{"type": <its type name>}``. First used by ``notebooks/week1/05_assignment_binary_digits.ipynb``
    (:func:`model_data`, then :func:`describe_model_data`).
    """
    return describe_model_data(model_data(model))


def describe_model_data(data: Any) -> dict:
    """The description (see the module docstring) of :func:`model_data`'s output. ``input_shape``
    leaves out the batch dimension and is ``None`` when the model has no ``keras.Input``;
    ``total_params`` is ``None`` when the model is not built. Data that does not describe a model
    gives ``{"type": <its class name>}``. Pure: it never runs anything the data names."""
    kind = str(data.get("class")) if isinstance(data, dict) else type(data).__name__
    config = data.get("config") if isinstance(data, dict) else None
    if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
        return {"type": kind}
    layers, input_shape = [], None
    for entry in config["layers"]:
        entry = entry if isinstance(entry, dict) else {}
        layer = entry.get("config") if isinstance(entry.get("config"), dict) else {}
        if entry.get("class_name") == "InputLayer":
            shape = layer.get("batch_shape") or layer.get("batch_input_shape")
            input_shape = _shape_without_batch(shape)
            continue
        units = layer.get("units")
        layers.append({
            "class": str(entry.get("class_name")),
            "units": int(units) if isinstance(units, int | float) and not isinstance(units, bool) else None,
            "activation": _activation_name(layer.get("activation")) if "activation" in layer else None,
        })
    if input_shape is None:
        input_shape = _shape_without_batch(config.get("build_input_shape"))
    weights = data.get("weights")
    total = None
    if data.get("built") and isinstance(weights, list):
        total = sum(math.prod(int(d) for d in shape) for shape in weights if isinstance(shape, list))
    loss, from_logits = _describe_loss(data.get("loss"))
    return {"type": kind, "input_shape": input_shape, "layers": layers, "total_params": total,
            "loss": loss, "from_logits": from_logits, "leaves": _describe_leaves(data.get("leaves"))}


def _describe_leaves(leaves) -> list[dict]:
    """:func:`_leaves_data`'s list, checked to be plain data of the expected form (anything else
    is dropped): ``{"class", "units", "activation", "trainable", "weights": [fingerprint]}``."""
    out = []
    for leaf in leaves if isinstance(leaves, list) else []:
        if not isinstance(leaf, dict):
            continue
        units = leaf.get("units")
        prints = [w for w in leaf.get("weights", []) if _is_fingerprint(w)] if isinstance(
            leaf.get("weights"), list) else []
        out.append({"class": str(leaf.get("class")),
                    "units": units if isinstance(units, int) and not isinstance(units, bool) else None,
                    "activation": leaf.get("activation") if isinstance(leaf.get("activation"), str) else None,
                    "trainable": leaf.get("trainable") is True,
                    "weights": prints})
    return out


def _is_fingerprint(value) -> bool:
    return (isinstance(value, list | tuple) and len(value) == 4 and isinstance(value[0], list | tuple)
            and all(isinstance(d, int) for d in value[0])
            and all(isinstance(x, float | int) and not isinstance(x, bool) for x in value[1:]))


def same_weights(a, b, rtol: float = 1e-6) -> bool:
    """Whether two :func:`weight_fingerprint` s describe the same array (shape equal, the three
    sums equal to ``rtol``)."""
    return list(a[0]) == list(b[0]) and all(
        np.isclose(x, y, rtol=rtol, atol=1e-9) for x, y in zip(a[1:], b[1:]))


def _shape_without_batch(shape) -> list | None:
    if not isinstance(shape, list | tuple) or not shape:
        return None
    return [None if d is None else int(d) for d in shape[1:]]


def _activation_name(activation) -> str | None:
    """Keras 3 writes a built-in activation as its name and any other function as a dict whose
    ``config`` is the function's name."""
    if isinstance(activation, str):
        return activation
    if isinstance(activation, dict) and isinstance(activation.get("config"), str):
        return activation["config"]
    return None


def _describe_loss(loss) -> tuple[str | None, bool | None]:
    """The compiled loss's class name (or string) and its ``from_logits`` flag; (None, None) when
    the model is not compiled. A loss given as a string (``"sparse_categorical_crossentropy"``)
    takes Keras' default, ``from_logits=False``."""
    if loss is None:
        return None, None
    if isinstance(loss, str):
        return loss, False
    if not isinstance(loss, dict):
        return None, None
    config = loss.get("config") if isinstance(loss.get("config"), dict) else {}
    from_logits = config.get("from_logits")
    return str(loss.get("class")), None if from_logits is None else bool(from_logits)
