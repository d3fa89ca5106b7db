"""Instant check for ``notebooks/week5/05_transfer_learning.ipynb`` (transfer learning): ``freeze_hidden_layers(model)``, which
freezes every layer of a ``keras.Sequential`` model but its output layer (``layer.trainable =
False``) and returns how many parameters training can still change.

``check_freeze_hidden_layers(freeze_hidden_layers)`` prints one verdict and returns
``True``/``False``. Expected values only: each case is a network's layer sizes, the frozen/trainable
pattern its layers must end with, the count, and the counts that typical mistakes give (worked out
by hand from ``n[l-1]·n[l] + n[l]`` per layer). The check builds each network itself (fresh, so that
one case's freezing cannot leak into the next); TensorFlow is imported only when it runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_utils.checks.core.verdict import given_a_function, print_case_verdict

#: The layers' pattern a mistake leaves (keyed by what went wrong), explained.
FREEZING_MISTAKES = {
    "nothing_frozen": (
        "no layer is frozen: set the attribute, `layer.trainable = False`, on each hidden layer "
        "of model.layers (the layers of the model you were given, not of a copy)."
    ),
    "everything_frozen": (
        "the output layer is frozen too (model.trainable = False, or a loop over ALL of "
        "model.layers): then nothing can learn the new task. Freeze model.layers[:-1] only."
    ),
    "first_only": (
        "only the first hidden layer is frozen: every hidden layer carries pre-trained features, "
        "so freeze all of model.layers[:-1]."
    ),
    "output_only": (
        "it is the other way round: the output layer is frozen and the hidden layers are left "
        "trainable. The hidden layers hold the pre-trained features to keep; the output layer is "
        "the new one, to train."
    ),
}

#: What each typical counting mistake means, keyed as in the cases' ``mistakes``.
COUNT_MISTAKES = {
    "all_parameters": (
        "that is every parameter of the model (model.count_params() counts frozen ones too): "
        "count only model.trainable_weights."
    ),
    "frozen_parameters": (
        "that is the number of FROZEN parameters (model.non_trainable_weights): count the ones "
        "training still changes, model.trainable_weights."
    ),
    "weights_only": (
        "the biases are left out: the output layer's b, one per unit, is trained too. Count every "
        "array of model.trainable_weights."
    ),
    "arrays_counted": (
        "that is the number of trainable ARRAYS (len(model.trainable_weights): W and b): count "
        "the numbers in them, e.g. the sum of np.prod(w.shape) over the arrays."
    ),
    "layers_counted": (
        "that is the number of trainable LAYERS: count the parameters in them, W's n[L-1]·n[L] "
        "entries and b's n[L]."
    ),
}


@dataclass(frozen=True)
class Case:
    """One network ``Input(n0) → Dense(n1, relu) → … → Dense(nL)`` given to
    ``freeze_hidden_layers``: its layer sizes, the ``expected`` count of trainable parameters
    afterwards (the output layer's ``n[L-1]·n[L] + n[L]``), and what each mistake of
    :data:`COUNT_MISTAKES` (the right layers frozen, counted wrongly) returns. A wrong freezing
    is named from the layers' ``trainable`` pattern (:data:`FREEZING_MISTAKES`)."""

    name: str
    layer_dims: list
    expected: int
    count_mistakes: dict

    @property
    def trainable(self) -> list:
        """``layer.trainable`` of each Dense layer afterwards: False but for the output layer."""
        return [False] * (len(self.layer_dims) - 2) + [True]


CASES = [
    Case("this lesson's network", [64, 64, 32, 5], 165,
         {"all_parameters": 6405, "frozen_parameters": 6240, "weights_only": 160,
          "arrays_counted": 2, "layers_counted": 1}),
    Case("one hidden layer", [64, 16, 3], 51,
         {"all_parameters": 1091, "frozen_parameters": 1040, "weights_only": 48,
          "arrays_counted": 2, "layers_counted": 1}),
    Case("the course notes' L = 5 example", [2, 3, 5, 4, 2, 1], 3,
         {"all_parameters": 66, "frozen_parameters": 63, "weights_only": 2,
          "arrays_counted": 2, "layers_counted": 1}),
]


def build_case_model(layer_dims):
    """A fresh ``keras.Sequential``: ``Input((n0,))``, ReLU ``Dense`` layers of ``n1 … n[L-1]``
    units and a linear ``Dense(nL)`` output (logits), every layer trainable."""
    import keras

    hidden = [keras.layers.Dense(n, activation="relu") for n in layer_dims[1:-1]]
    return keras.Sequential([keras.Input(shape=(layer_dims[0],)), *hidden,
                             keras.layers.Dense(layer_dims[-1])])


def _pattern(flags: list) -> str | None:
    """The key of :data:`FREEZING_MISTAKES` that a wrong trainable pattern shows, if any."""
    if all(flags):
        return "nothing_frozen"
    if not any(flags):
        return "everything_frozen"
    if flags == [False] + [True] * (len(flags) - 1):
        return "first_only"
    if flags == [True] * (len(flags) - 1) + [False]:
        return "output_only"
    return None


def _describe(flags: list) -> str:
    return ", ".join(f"layer {i} {'trainable' if f else 'frozen'}" for i, f in enumerate(flags, 1))


def _call(func, case: Case):
    """``(count or None, trainable flags, lines explaining a problem or None)``."""
    model = build_case_model(case.layer_dims)
    try:
        raw = func(model)
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 - any exception in learner code is a failed case
        return None, None, [f"got:      an exception, {type(exc).__name__}: {exc}",
                            "Likely mistake: read the error message; the case's layer sizes are "
                            "shown so you can build the network and try it yourself."]
    flags = [bool(layer.trainable) for layer in model.layers]
    if raw is None:
        return None, flags, ["got:      None", "Likely mistake: freeze_hidden_layers has no "
                             "`return` statement: return the number of trainable parameters."]
    if np.shape(raw) != ():
        return None, flags, [f"got:      {raw!r:.80} (shape {np.shape(raw)})",
                             "Likely mistake: return ONE number, the total over the trainable "
                             "arrays, not one count per array or per layer."]
    if not np.issubdtype(np.asarray(raw).dtype, np.number):  # a string "165" is not a count
        return None, flags, [f"got:      {type(raw).__name__} {raw!r:.80}",
                             "Likely mistake: return a number (an int)."]
    return float(raw), flags, None


def _named_count_mistake(results: list) -> str | None:
    """The counting mistake whose stored counts equal the learner's on every case, if any."""
    for key, message in COUNT_MISTAKES.items():
        if all(got == case.count_mistakes[key] for got, case in zip(results, CASES)):
            return message
    return None


def check_freeze_hidden_layers(freeze_hidden_layers) -> bool:
    """Check ``freeze_hidden_layers(model) -> int`` (``notebooks/week5/05_transfer_learning.ipynb``): afterwards every layer of
    the ``keras.Sequential`` ``model`` but the last has ``trainable == False``, and the returned
    number is the count of parameters (entries of ``W: (n[L-1], n[L])`` and ``b: (n[L],)``) that
    training can still change. Prints a verdict; returns whether every case passed."""
    if not given_a_function("freeze_hidden_layers", freeze_hidden_layers):
        return False
    try:
        calls = [_call(freeze_hidden_layers, case) for case in CASES]
    except NotImplementedError:
        print("\N{HEAVY BALLOT X} freeze_hidden_layers: not written yet: replace "
              "`raise NotImplementedError()` by your code.")
        return False
    counts = [got for got, _, _ in calls]
    failures = []
    for i, (case, (got, flags, problem)) in enumerate(zip(CASES, calls), 1):
        if problem is None and flags == case.trainable and got == case.expected:
            continue
        lines = [f"inputs:   a new network of layer sizes {case.layer_dims}",
                 f"expected: {_describe(case.trainable)}; {case.expected} trainable parameters"]
        if flags is not None and flags != case.trainable:
            pattern = _pattern(flags)
            shown = f"{got:g} trainable parameters" if got is not None else "no count"
            lines.append(f"got:      {_describe(flags)}; {shown}")
            reason = FREEZING_MISTAKES.get(pattern) or (
                "freeze exactly the hidden layers, model.layers[:-1], and nothing else.")
            failures.append((i, case.name, [*lines, f"Likely mistake: {reason}"], True))
        elif problem:
            failures.append((i, case.name, lines + problem, True))
        else:
            named = _named_count_mistake(counts)
            lines.append(f"got:      the right layers frozen; {got:g} trainable parameters")
            if named:
                failures.append((i, case.name, [*lines, f"Likely mistake: {named}"], True))
            else:
                failures.append((i, case.name, [
                    *lines, "None of the usual mistakes gives these numbers: the output layer "
                    f"has {case.layer_dims[-2]}·{case.layer_dims[-1]} weights and "
                    f"{case.layer_dims[-1]} biases."], False))
    return print_case_verdict("freeze_hidden_layers", len(CASES), failures)
