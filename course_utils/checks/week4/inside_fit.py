"""Instant check for ``notebooks/week4/05_inside_fit.ipynb`` (inside ``fit``): one training step written with
``tf.GradientTape``.

``check_train_step(my_train_step)`` builds a small Keras network (2 inputs → 2 ReLU units → 1
sigmoid unit) with fixed starting weights, hands the learner's function a fresh
``SGD(learning_rate=0.5)`` and ``BinaryCrossentropy()`` and a batch, and compares the loss it
returns and the weights after the step with precomputed numbers. The weights that typical mistakes
leave behind (no step, a step uphill, two steps, only the last layer updated) and the loss of the
"loss read after the step" mistake are precomputed too, so a failure names the mistake. Expected
values only: nothing here computes a training step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from course_utils.checks.core.verdict import print_verdict

#: Starting weights of the check's network, in ``model.get_weights()`` order:
#: ``W1 (2, 2)``, ``b1 (2,)``, ``W2 (2, 1)``, ``b2 (1,)``.
START = (
    [[0.5, -0.3], [0.2, 0.4]],
    [0.1, -0.1],
    [[0.7], [-0.6]],
    [0.05],
)
LEARNING_RATE = 0.5
#: The model runs in float32: its weights agree with the float64 numbers below to about 1e-7.
ATOL = 1e-5

MISTAKES = {
    "no_step": (
        "the weights did not change: after tape.gradient(...), call "
        "optimizer.apply_gradients(zip(grads, model.trainable_variables))."
    ),
    "uphill": (
        "the weights moved uphill (w + α·dJ/dw): pass the gradients themselves to "
        "apply_gradients; the optimizer subtracts them."
    ),
    "two_steps": (
        "the weights moved by two steps: apply the gradients once per call (one call = one "
        "mini-batch = one step)."
    ),
    "last_layer_only": (
        "only the last layer moved: take the gradients with respect to all of "
        "model.trainable_variables (every layer's W and b), not one layer's."
    ),
    "first_layer_only": (
        "only the first layer moved: take the gradients with respect to all of "
        "model.trainable_variables (every layer's W and b), not one layer's."
    ),
    "loss_after": (
        "the loss returned is the one after the step: return the loss computed inside the tape, "
        "before apply_gradients (that is the number fit averages into its epoch loss)."
    ),
}


@dataclass(frozen=True)
class StepCase:
    """One call: a batch, the loss before the step, the weights after it, and what mistakes give."""

    name: str
    X: list
    y: list
    loss: float
    weights: tuple
    mistake_weights: dict = field(default_factory=dict)
    loss_after: float | None = None


# Precomputed in float64 (tests/test_week4_inside_fit.py re-derives them by finite differences).
CASES = [
    StepCase(
        "a batch of 4 examples",
        [[1.0, 2.0], [-1.0, 0.5], [0.3, -0.7], [2.0, 1.0]], [[1.0], [0.0], [0.0], [1.0]],
        0.5389514446584341,
        ([[0.5673257985, -0.3620876931], [0.3224527869, 0.3606950605]],
         [0.1105318786, -0.0941913358], [[0.7845809207], [-0.6038724428]], [0.0084652431]),
        {
            "uphill": ([[0.4326742015, -0.2379123069], [0.0775472131, 0.4393049395]],
                       [0.0894681214, -0.1058086642], [[0.6154190793], [-0.5961275572]],
                       [0.0915347569]),
            "two_steps": ([[0.6249389939, -0.4169431787], [0.4369566465, 0.3330388101]],
                          [0.1108954913, -0.0834030447], [[0.8733515365], [-0.6185623991]],
                          [-0.0454236618]),
        },
        loss_after=0.47239812855660274,
    ),
    StepCase(
        "a last, smaller batch of 3 examples",
        [[0.5, -1.0], [1.5, 0.2], [-0.4, 1.2]], [[0.0], [1.0], [1.0]],
        0.6526352483883217,
        ([[0.502593619, -0.2784829198], [0.3460375112, 0.3354487593]],
         [0.1393259787, -0.1537927006], [[0.7491955851], [-0.5551727495]], [0.1061799695]),
        {
            "uphill": ([[0.497406381, -0.3215170802], [0.0539624888, 0.4645512407]],
                       [0.0606740213, -0.0462072994], [[0.6508044149], [-0.6448272505]],
                       [-0.0061799695]),
            "two_steps": ([[0.5033425695, -0.2615565368], [0.4889439041, 0.2846696103]],
                          [0.1676356656, -0.1961086581], [[0.8209681185], [-0.5277225086]],
                          [0.1439667471]),
        },
        loss_after=0.5797869939420187,
    ),
]


def start_model():
    """The check's network, ``Dense(2, relu) → Dense(1, sigmoid)`` on 2 inputs, at :data:`START`."""
    import keras

    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(2, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.set_weights([np.asarray(w, dtype="float32") for w in START])
    return model


def _close(got: list, want) -> bool:
    return all(g.shape == np.shape(w) and np.allclose(g, w, atol=ATOL) for g, w in zip(got, want))


def _diagnose_weights(case: StepCase, got: list) -> str | None:
    """The mistake whose weights equal ``got``, if any (``None``: the weights are right)."""
    if _close(got, case.weights):
        return None
    candidates = dict(case.mistake_weights)
    candidates["no_step"] = START
    half = len(START) // 2  # the first layer's (W, b), then the second layer's
    candidates["last_layer_only"] = (*START[:half], *case.weights[half:])
    candidates["first_layer_only"] = (*case.weights[:half], *START[half:])
    for key, weights in candidates.items():
        if _close(got, weights):
            return MISTAKES[key]
    return "None of the usual mistakes gives these weights: compare your step with the lesson's."


def _exception_hint(exc: BaseException) -> str:
    text = str(exc)
    if "No gradients provided" in text or "NoneType" in text:
        return ("the gradients are None: compute the predictions with model(X_batch, "
                "training=True) and the loss inside `with tf.GradientTape() as tape:` "
                "(model.predict returns NumPy arrays, which the tape does not record).")
    return "read the error message above; the case's batch is shown so you can try it yourself."


def _case_problems(train_step, case: StepCase) -> list[str]:
    import keras

    model = start_model()
    optimizer = keras.optimizers.SGD(learning_rate=LEARNING_RATE)
    X = np.asarray(case.X, dtype="float32")
    y = np.asarray(case.y, dtype="float32")
    head = [f'case "{case.name}": X = {case.X}, y = {case.y}']
    try:
        raw = train_step(model, optimizer, keras.losses.BinaryCrossentropy(), X, y)
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 - any exception in learner code is a failed case
        return [*head, f"got an exception, {type(exc).__name__}: {str(exc)[:300]}",
                f"Likely mistake: {_exception_hint(exc)}"]
    if raw is None:
        return [*head, "got None as the loss",
                "Likely mistake: the function has no `return loss` (the batch's loss, a scalar)."]
    try:
        loss = float(np.asarray(raw))
    except (TypeError, ValueError):
        return [*head, f"got {type(raw).__name__} as the loss",
                "Likely mistake: return the batch's loss as a scalar tensor or number."]
    mistake = _diagnose_weights(case, [np.asarray(w, dtype=float) for w in model.get_weights()])
    if mistake:
        return [*head, "the weights after the step are wrong", f"Likely mistake: {mistake}"]
    if not np.isclose(loss, case.loss, atol=ATOL):
        named = MISTAKES["loss_after"] if np.isclose(loss, case.loss_after, atol=ATOL) else (
            "the loss should be the mean binary cross-entropy of the batch, "
            "loss_fn(y_batch, model(X_batch, training=True)).")
        return [*head, f"expected loss {case.loss:.6f}, got {loss:.6f}", f"Likely mistake: {named}"]
    return []


def check_train_step(train_step) -> bool:
    """Run ``train_step(model, optimizer, loss_fn, X_batch, y_batch)`` on the check's cases; print
    a verdict and return whether every case passed.

    A correct step returns the batch's loss before the step (a scalar) and moves every weight by
    one ``optimizer.apply_gradients`` of the loss's gradients.
    """
    if not callable(train_step):
        return print_verdict("train_step", ["check_train_step needs the function itself, "
                                            "check_train_step(my_train_step)."], "")
    try:
        for case in CASES:
            problems = _case_problems(train_step, case)
            if problems:
                return print_verdict("train_step", problems, "")
    except NotImplementedError:
        return print_verdict("train_step", ["not written yet: replace `raise "
                                            "NotImplementedError()` by your code."], "")
    return print_verdict("train_step", [], f"all {len(CASES)} cases passed (loss and weights).")
