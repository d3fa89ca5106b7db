"""Instant check for ``notebooks/week4/06_hyperparameters.ipynb`` (parameters vs hyperparameters): ``count_parameters``, the
number of learned numbers (every entry of every ``W[l]`` and ``b[l]``) of a fully connected
network with layer sizes ``layer_dims = [n0, n1, …, nL]``.

``check_count_parameters(count_parameters)`` prints one verdict and returns ``True``/``False``.
Expected values only: each case stores its answer and the answers that typical mistakes give (all
worked out by hand from ``Σ_l n[l-1]·n[l] + n[l]``), and a mistake is named when the learner's
results agree with its numbers on *every* case, so that two mistakes that happen to give the same
number on one network are still told apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from course_utils.checks.core.verdict import given_a_function, print_case_verdict, read_one_number

#: What each typical mistake means, keyed as in the cases' ``mistakes``.
MISTAKES = {
    "no_biases": (
        "the biases are forgotten: layer l has n[l-1]·n[l] weights AND n[l] biases, one per unit."
    ),
    "biases_of_inputs": (
        "each layer gets n[l-1] biases (one per input); a layer has one bias per UNIT, n[l], "
        "as b[l] has shape (n[l],)."
    ),
    "input_layer_biases": (
        "the input layer is counted as a layer with biases (n[0] too many): the inputs are data, "
        "not units, and have no parameters; the layers are l = 1 … L."
    ),
    "last_layer_missing": (
        "the output layer is left out (a loop such as range(1, len(layer_dims) - 1) stops one layer "
        "early): the layers are l = 1 … L, the output layer included."
    ),
    "first_layer_missing": (
        "the first layer is left out (a loop starting at l = 2): W[1], of shape (n[0], n[1]), "
        "connects the inputs to layer 1 and is learned too."
    ),
    "wraps_around": (
        "one layer too many, l = 0 … L: at l = 0, layer_dims[l - 1] is layer_dims[-1], the LAST "
        "size (Python wraps negative indices), so n[L]·n[0] + n[0] is added. Start at l = 1."
    ),
    "squares": (
        "n[l]·n[l] weights per layer: W[l] connects the previous layer to this one, so it has "
        "shape (n[l-1], n[l]) and n[l-1]·n[l] entries."
    ),
    "weights_forgotten": (
        "only the units are counted (one bias each): the weights W[l], n[l-1]·n[l] per layer, are "
        "learned parameters too, and most of them."
    ),
}


@dataclass(frozen=True)
class Case:
    """One call ``count_parameters(layer_dims)``: the ``expected`` count, its ``breakdown`` (shown
    when the learner's number matches no known mistake) and what each mistake in ``mistakes``
    (keys of :data:`MISTAKES`) gives on this network."""

    name: str
    layer_dims: list
    expected: int
    breakdown: str
    mistakes: dict


CASES = [
    Case("logistic regression: 4 inputs, one sigmoid unit", [4, 1], 5, "layer 1: 4·1 + 1 = 5",
         {"no_biases": 4, "biases_of_inputs": 8, "input_layer_biases": 9, "last_layer_missing": 0,
          "first_layer_missing": 0, "wraps_around": 13, "squares": 2, "weights_forgotten": 1}),
    Case("week 1's coffee network", [2, 3, 1], 13, "layer 1: 2·3 + 3 = 9; layer 2: 3·1 + 1 = 4",
         {"no_biases": 9, "biases_of_inputs": 14, "input_layer_biases": 15,
          "last_layer_missing": 9, "first_layer_missing": 4, "wraps_around": 17, "squares": 14,
          "weights_forgotten": 4}),
    Case("the course notes' L = 5 example", [2, 3, 5, 4, 2, 1], 66,
         "2·3 + 3 = 9; 3·5 + 5 = 20; 5·4 + 4 = 24; 4·2 + 2 = 10; 2·1 + 1 = 3",
         {"no_biases": 51, "biases_of_inputs": 67, "input_layer_biases": 68,
          "last_layer_missing": 63, "first_layer_missing": 57, "wraps_around": 70, "squares": 70,
          "weights_forgotten": 15}),
    Case("week 1's digit network: 64 pixels, 25 and 15 units, 1 output", [64, 25, 15, 1], 2031,
         "64·25 + 25 = 1625; 25·15 + 15 = 390; 15·1 + 1 = 16",
         {"no_biases": 1990, "biases_of_inputs": 2094, "input_layer_biases": 2095,
          "last_layer_missing": 2015, "first_layer_missing": 406, "wraps_around": 2159,
          "squares": 892, "weights_forgotten": 41}),
]


def _call(func, case: Case):
    """``(number, None)`` or ``(None, lines explaining the problem)``."""
    dims = list(case.layer_dims)  # a copy: one case's edits must not leak into the next
    try:
        raw = func(dims)
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 - any exception in learner code is a failed case
        return None, [f"got:      an exception, {type(exc).__name__}: {exc}",
                      "Likely mistake: read the error message; the case's layer_dims is shown so "
                      "you can try it yourself."]
    if dims != case.layer_dims:
        return None, [f"got:      layer_dims changed from {case.layer_dims} to {dims} by the call",
                      "Likely mistake: the list you were given is edited (pop, insert, append, "
                      "sort, ...): only read it, so that the caller's sizes stay as they were."]
    return read_one_number("count_parameters", raw,
                           "return ONE number, the total over all layers (add the layers' counts "
                           "up), not one count per layer.",
                           "return a number (an int).")


def _signature_mistake(results: list) -> str | None:
    """The mistake whose stored numbers equal the learner's on every case, if any."""
    for key, message in MISTAKES.items():
        if all(got is not None and got == case.mistakes[key] for got, case in zip(results, CASES)):
            return message
    return None


def check_count_parameters(count_parameters) -> bool:
    """Check ``count_parameters(layer_dims) -> int``: the number of parameters (entries of every
    ``W[l]``, shape ``(n[l-1], n[l])``, and ``b[l]``, shape ``(n[l],)``) of a network with layer
    sizes ``layer_dims = [n0, n1, …, nL]`` (``n0`` inputs, L layers). ``notebooks/week4/06_hyperparameters.ipynb``. Prints a
    verdict; returns whether every case passed."""
    if not given_a_function("count_parameters", count_parameters):
        return False
    try:
        calls = [_call(count_parameters, case) for case in CASES]
    except NotImplementedError:
        print("\N{HEAVY BALLOT X} count_parameters: not written yet: replace "
              "`raise NotImplementedError()` by your code.")
        return False
    results = [got for got, _ in calls]
    named = _signature_mistake(results)
    failures = []
    for i, (case, (got, problem)) in enumerate(zip(CASES, calls), 1):
        if problem is None and got == case.expected:
            continue
        lines = [f"inputs:   layer_dims = {case.layer_dims}", f"expected: {case.expected}"]
        if problem:
            failures.append((i, case.name, lines + problem, True))
        elif named:
            failures.append((i, case.name, [*lines, f"got:      {got:g}", f"Likely mistake: {named}"],
                             True))
        else:
            failures.append((i, case.name, [
                *lines, f"got:      {got:g}",
                "None of the usual mistakes gives these numbers: count layer by layer, "
                f"n[l-1]·n[l] weights + n[l] biases: {case.breakdown}."], False))
    return print_case_verdict("count_parameters", len(CASES), failures)
