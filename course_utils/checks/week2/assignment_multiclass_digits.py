"""Instant checks for the week 2 assignment (``notebooks/week2/07_assignment_multiclass_digits.ipynb``: multiclass digits).

``check_softmax(softmax)`` runs the learner's softmax on a few inputs with known answers (the
syllabus's fact, huge and very negative logits, batches whose rows differ in scale) and names the
likely mistake; ``check_multiclass_model(model)`` checks the Keras model's architecture and how it
was compiled. Expected values only: the outputs that typical mistakes give are precomputed
numbers, so nothing here contains a solution.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from course_utils.checks.core.models import describe_model
from course_utils.checks.core.verdict import (
    FAIL_MARK,
    PASS_MARK,
    format_array,
    given_a_function,
    is_tensor,
    print_verdict,
)

#: Mistakes a softmax can make, named by the outputs they give on the cases below.
SOFTMAX_MISTAKES = {
    "not_normalised": "the exponentials are not divided by their sum: return e / e.sum(...).",
    "whole_array_sum": (
        "for a batch, the sum runs over the whole array: each row (one example) must sum to 1, so "
        "sum over the last axis with keepdims=True: e.sum(axis=-1, keepdims=True)."
    ),
    "column_sum": (
        "for a batch, the sum runs down the columns (axis=0): the course puts one example per row, "
        "so sum along axis=-1 (keepdims=True)."
    ),
    "overflow": (
        "np.exp overflows for large logits (exp(1000) is inf, and inf / inf is NaN): subtract the "
        "largest logit first, z - max(z); softmax does not change when a constant is subtracted."
    ),
    "global_max": (
        "the maximum is taken over the whole batch: a row whose logits are much smaller than the "
        "global maximum underflows to 0 / 0. Subtract each row's own maximum: "
        "z.max(axis=-1, keepdims=True)."
    ),
}

FACT = [0.03205860328008499, 0.08714431874203257, 0.23688281808991013, 0.6439142598879724]
EXP_FACT = [2.718281828459045, 7.38905609893065, 20.085536923187668, 54.598150033144236]
SOFTMAX_012 = [0.09003057317038046, 0.24472847105479764, 0.6652409557748218]
NAN2, NAN3 = [np.nan] * 2, [np.nan] * 3


@dataclass(frozen=True)
class SoftmaxCase:
    name: str
    inputs: str
    z: list
    expected: list
    mistakes: dict = field(default_factory=dict)


SOFTMAX_CASES = [
    SoftmaxCase("the syllabus's example", "z = [1, 2, 3, 4]", [1.0, 2.0, 3.0, 4.0], FACT,
                {"not_normalised": EXP_FACT}),
    SoftmaxCase("huge logits", "z = [1000, 1001]", [1000.0, 1001.0],
                [0.2689414213699951, 0.7310585786300049], {"overflow": NAN2}),
    SoftmaxCase("very negative logits", "z = [-1000, -1001]", [-1000.0, -1001.0],
                [0.7310585786300049, 0.2689414213699951], {"overflow": NAN2}),
    SoftmaxCase("a batch: one example per row", "Z = [[1, 2, 3, 4], [1, 1, 1, 1]]",
                [[1.0, 2.0, 3.0, 4.0], [1.0, 1.0, 1.0, 1.0]], [FACT, [0.25] * 4],
                {"whole_array_sum": [[0.028414842613620532, 0.07723955033512842,
                                      0.20995886611432735, 0.5707273704824416],
                                     [0.028414842613620532] * 4],
                 "column_sum": [[0.5, 0.7310585786300049, 0.8807970779778824, 0.9525741268224331],
                                [0.5, 0.2689414213699951, 0.11920292202211755,
                                 0.04742587317756678]]}),
    SoftmaxCase("rows of very different scale", "Z = [[1000, 1001, 1002], [0, 1, 2]]",
                [[1000.0, 1001.0, 1002.0], [0.0, 1.0, 2.0]], [SOFTMAX_012, SOFTMAX_012],
                {"overflow": [NAN3, SOFTMAX_012], "global_max": [SOFTMAX_012, NAN3]}),
    SoftmaxCase("a batch of one example", "Z = [[0.5, -1, 2]] (shape (1, 3))", [[0.5, -1.0, 2.0]],
                [[0.1752903921400367, 0.039112573270687456, 0.7855970345892759]]),
]


def _softmax_failure(softmax, case: SoftmaxCase) -> list[str] | None:
    """``None`` when ``case`` passes, else the lines that explain the failure."""
    lines = [f"inputs:   {case.inputs}", f"expected: {format_array(case.expected)}"]
    z = np.array(case.z, dtype=float)
    try:
        with np.errstate(all="ignore"):  # an overflow is diagnosed below, not printed as a warning
            raw = softmax(z.copy())
    except NotImplementedError:
        # Not written yet: let the cell stop right here with NotImplementedError (as nbgrader expects).
        print(f"{FAIL_MARK} softmax is not written yet: replace `raise NotImplementedError()` by your code.")
        raise
    except Exception as exc:  # noqa: BLE001 - any exception in learner code is a failed case
        hint = "read the error message; the inputs are shown so you can try them yourself."
        message = str(exc).lower()
        if "axis" in message:
            hint = ("axis=1 does not exist for a 1-D z: use axis=-1 (the last axis), which works "
                    "for (n,) and (m, n) alike.")
        elif "broadcast" in message:
            hint = ("a row's max or sum has shape (m,) and cannot be subtracted from or divide an "
                    "(m, n) batch: keep it as a column with keepdims=True.")
        return [*lines, f"got:      an exception, {type(exc).__name__}: {exc}", f"Likely mistake: {hint}"]
    if raw is None:
        return [*lines, "got:      None", "Likely mistake: softmax has no `return` statement."]
    if is_tensor(raw):
        return [*lines, f"got:      a {type(raw).__name__}", "Likely mistake: this exercise is NumPy "
                "only (np.exp, np.max, np.sum); tf.nn.softmax returns a tensor."]
    got = np.asarray(raw, dtype=float)
    want = np.asarray(case.expected, dtype=float)
    lines.append(f"got:      {format_array(got)}")
    if got.shape != want.shape:
        return [*lines, f"Likely mistake: the output must have the input's shape {want.shape}, "
                f"got {got.shape}; keep the dimensions (keepdims=True when you sum or take a max)."]
    if np.allclose(got, want, rtol=1e-6, atol=1e-12):
        return None
    for key, value in case.mistakes.items():
        if np.allclose(got, np.asarray(value, dtype=float), rtol=1e-6, atol=1e-12, equal_nan=True):
            return [*lines, f"Likely mistake: {SOFTMAX_MISTAKES[key]}"]
    if np.isnan(got).any():
        return [*lines, f"Likely mistake: {SOFTMAX_MISTAKES['overflow']}"]
    return [*lines, "None of the usual mistakes gives these numbers: work this case out by hand."]


def check_softmax(softmax) -> bool:
    """Check ``softmax(z)`` for ``z: (n,)`` and ``Z: (m, n)`` (``notebooks/week2/07_assignment_multiclass_digits.ipynb``, exercise 1)."""
    if not given_a_function("softmax", softmax):
        return False
    failures = [(i, c, lines) for i, c in enumerate(SOFTMAX_CASES, 1)
                if (lines := _softmax_failure(softmax, c)) is not None]
    if not failures:
        print(f"{PASS_MARK} softmax: all {len(SOFTMAX_CASES)} cases passed.")
        return True
    i, case, lines = failures[0]
    print(f"{FAIL_MARK} softmax: case {i} of {len(SOFTMAX_CASES)} failed, \"{case.name}\".")
    for line in lines:
        print("    " + line)
    if len(failures) > 1:
        print(f"    ({len(failures) - 1} more case(s) failed: "
              + ", ".join(f'{j} "{c.name}"' for j, c, _ in failures[1:]) + ".)")
    return False


# --- the Keras model ----------------------------------------------------------------------------

#: The week-2 architecture: 64 pixels → Dense 25 relu → Dense 15 relu → Dense 10 linear (logits).
WEEK2_LAYERS = ((25, "relu"), (15, "relu"), (10, "linear"))
WEEK2_FEATURES = 64
WEEK2_PARAMS = 64 * 25 + 25 + 25 * 15 + 15 + 15 * 10 + 10  # = 2175


def _layer_problems(layers: list[dict]) -> list[str]:
    if len(layers) != len(WEEK2_LAYERS):
        shown = ", ".join(f"{la['class']}({la['units']})" for la in layers) or "none"
        return [f"expected 3 Dense layers (25, 15, 10 units), got {len(layers)}: {shown}. "
                "keras.Input is not a layer: it does not count."]
    problems = []
    for i, (layer, (units, act)) in enumerate(zip(layers, WEEK2_LAYERS), 1):
        if layer["class"] != "Dense":
            problems.append(f"layer {i} is a {layer['class']}, expected Dense.")
        elif layer["units"] != units:
            problems.append(f"layer {i} has {layer['units']} units, expected {units}.")
        if layer["activation"] == act:
            continue
        if i == 3 and layer["activation"] == "softmax":
            problems.append("the output layer uses softmax: make it linear and let the loss apply "
                            "softmax (from_logits=True) — it is more precise; read probabilities "
                            "with tf.nn.softmax(logits) afterwards.")
        else:
            problems.append(f"layer {i} has activation {layer['activation']!r}, expected {act!r}.")
    return problems


def _compile_problems(model) -> list[str]:
    loss = getattr(model, "loss", None)
    if loss is None:
        return ["the model is not compiled: call model.compile(loss=keras.losses."
                "SparseCategoricalCrossentropy(from_logits=True), optimizer=keras.optimizers."
                "Adam(learning_rate=1e-3)) before returning it."]
    name = type(loss).__name__ if not isinstance(loss, str) else loss
    problems = []
    if "sparse_categorical_crossentropy" not in name.lower() and name != "SparseCategoricalCrossentropy":
        problems.append(f"the loss is {name}; labels are integers 0–9, so use "
                        "keras.losses.SparseCategoricalCrossentropy(from_logits=True).")
    elif not getattr(loss, "from_logits", False):
        problems.append("the loss needs from_logits=True: the output layer is linear, so the model "
                        "returns logits z, not probabilities.")
    optimizer = type(getattr(model, "optimizer", None)).__name__
    if optimizer != "Adam":
        problems.append(f"the optimizer is {optimizer}, expected keras.optimizers.Adam.")
    return problems


def check_multiclass_model(model) -> bool:
    """Check the week-2 model: ``keras.Input((64,))`` → Dense 25 relu → Dense 15 relu → Dense 10
    linear (2,175 parameters), compiled with ``SparseCategoricalCrossentropy(from_logits=True)`` and
    Adam. Call it on the model: ``check_multiclass_model(build_model())``. Prints a verdict.
    """
    d = describe_model(model)
    if "layers" not in d:
        hint = " (did you forget `return model`?)" if d["type"] == "NoneType" else ""
        problems = [f"build_model() should return a keras.Sequential model, got {d['type']}{hint}."]
    else:
        problems = []
        if d["input_shape"] is None:
            problems.append("the model has no input shape: make keras.Input(shape=(64,)) the first "
                            "element of the Sequential list.")
        elif d["input_shape"] != [WEEK2_FEATURES]:
            problems.append(f"input shape is {tuple(d['input_shape'])}, expected (64,): one value "
                            "per pixel of an 8×8 image.")
        problems += _layer_problems(d["layers"])
        if not problems and d["total_params"] != WEEK2_PARAMS:
            problems.append(f"total parameters {d['total_params']}, expected {WEEK2_PARAMS}.")
        if not problems:
            problems = _compile_problems(model)
        if len(problems) > 1:
            problems[0] = f"{len(problems)} problems: {problems[0]}"
    return print_verdict(
        "build_model", problems,
        f"64 inputs → Dense 25 relu → Dense 15 relu → Dense 10 linear, {WEEK2_PARAMS:,} parameters, "
        "compiled with SparseCategoricalCrossentropy(from_logits=True) and Adam.",
    )
