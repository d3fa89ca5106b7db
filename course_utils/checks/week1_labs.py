"""Instant checks for week 1's labs 1 and 2 (their "your turn" cells).

- ``check_neuron(my_neuron)``, lab 1 (neurons and layers): ``my_neuron(x, w, b)``, one sigmoid
  neuron on one example, ``g(w · x + b)``, the number a ``Dense(1, activation="sigmoid")`` layer
  computes for that example.
- ``check_steps_per_epoch(steps_per_epoch)``, lab 2 (coffee roasting in TensorFlow): the number of
  gradient steps in one epoch, ``⌈m / batch_size⌉``.

Each prints one verdict and returns ``True``/``False``. Expected values only: every case stores its
answer and what the typical mistakes give on it (numbers worked out once, by hand or with a
calculator), so that a wrong answer is named, never compared with reference code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_utils.checks._report import (
    format_array,
    print_case_verdict,
    shown_name,
)

#: What each typical mistake means, keyed as in the cases' ``mistakes``.
MISTAKES = {
    # my_neuron
    "no_sigmoid": (
        "the sigmoid is not applied: this is z = w · x + b itself. The neuron returns g(z) = "
        "1 / (1 + e^(-z)), a probability between 0 and 1."
    ),
    "exp_sign": (
        "the sign in the exponent is flipped: 1 / (1 + e^(+z)) is g(-z), the probability of y = 0. "
        "The sigmoid is 1 / (1 + np.exp(-z))."
    ),
    "no_bias": "the bias b is left out: z = w · x + b, then g(z).",
    "bias_after_sigmoid": (
        "b is added after the sigmoid, g(w · x) + b: the bias belongs inside, z = w · x + b, and "
        "only then g(z) (the output of a sigmoid neuron is always between 0 and 1)."
    ),
    "decision": (
        "the result is the 0/1 decision, not the probability: return g(z) itself; the threshold "
        "0.5 is applied afterwards, to turn a probability into a prediction."
    ),
    # steps_per_epoch
    "floor": (
        "m // batch_size drops the last, smaller batch: Keras also takes a step on the examples "
        "left over (200 = 6 × 32 + 8: the 8 make a 7th step). Round UP: math.ceil(m / batch_size)."
    ),
    "floor_plus_one": (
        "m // batch_size + 1 is one step too many when m is a multiple of batch_size (64 examples "
        "in batches of 32 are 2 steps, not 3). Round UP instead: math.ceil(m / batch_size)."
    ),
    "fraction": (
        "the result is a fraction, m / batch_size: a step uses one whole batch, so the count is a "
        "whole number, rounded UP (the last batch may be smaller): math.ceil(m / batch_size)."
    ),
    "rounded": (
        "round(m / batch_size) rounds to the NEAREST whole number, so 200 / 32 = 6.25 gives 6 and "
        "the last 8 examples get no step: round UP, math.ceil(m / batch_size)."
    ),
    "swapped": (
        "the arguments are swapped, batch_size / m: the number of batches is the number of "
        "examples m divided by the batch size, rounded up."
    ),
}


@dataclass(frozen=True)
class Case:
    """One call: ``args``, shown as ``inputs``; the ``expected`` number and, for each key of
    :data:`MISTAKES` in ``mistakes``, the number that mistake gives on these inputs."""

    name: str
    inputs: str
    args: tuple
    expected: float
    mistakes: dict


NEURON_CASES = [
    Case("lab 1's first example", "x = [0], w = [2], b = -4.5",
         (np.array([0.0]), np.array([2.0]), -4.5), 0.01098694263059318,
         {"no_sigmoid": -4.5, "exp_sign": 0.9890130573694068, "no_bias": 0.5,
          "bias_after_sigmoid": -4.0, "decision": 0.0}),
    Case("right of the boundary", "x = [3], w = [2], b = -4.5",
         (np.array([3.0]), np.array([2.0]), -4.5), 0.8175744761936437,
         {"no_sigmoid": 1.5, "exp_sign": 0.18242552380635635, "no_bias": 0.9975273768433653,
          "bias_after_sigmoid": -3.5024726231566348, "decision": 1.0}),
    Case("two features", "x = [1, 2], w = [0.5, -1], b = 1",
         (np.array([1.0, 2.0]), np.array([0.5, -1.0]), 1.0), 0.3775406687981454,
         {"no_sigmoid": -0.5, "exp_sign": 0.6224593312018546, "no_bias": 0.18242552380635635,
          "bias_after_sigmoid": 1.1824255238063563, "decision": 0.0}),
    Case("three features", "x = [2, -1, 0.5], w = [1, 2, -2], b = 0.25",
         (np.array([2.0, -1.0, 0.5]), np.array([1.0, 2.0, -2.0]), 0.25), 0.320821300824607,
         {"no_sigmoid": -0.75, "exp_sign": 0.679178699175393, "no_bias": 0.2689414213699951,
          "bias_after_sigmoid": 0.5189414213699951, "decision": 0.0}),
]

STEPS_CASES = [
    Case("the lecture's 200 roasts", "m = 200, batch_size = 32", (200, 32), 7,
         {"floor": 6, "floor_plus_one": 7, "fraction": 6.25, "rounded": 6, "swapped": 1}),
    Case("the lab's tiled data", "m = 50000, batch_size = 32", (50000, 32), 1563,
         {"floor": 1562, "floor_plus_one": 1563, "fraction": 1562.5, "rounded": 1562,
          "swapped": 1}),
    Case("m a multiple of the batch size", "m = 64, batch_size = 32", (64, 32), 2,
         {"floor": 2, "floor_plus_one": 3, "fraction": 2.0, "rounded": 2, "swapped": 1}),
    Case("fewer examples than one batch", "m = 10, batch_size = 32", (10, 32), 1,
         {"floor": 0, "floor_plus_one": 1, "fraction": 0.3125, "rounded": 0, "swapped": 4}),
    Case("a last batch of 26", "m = 90, batch_size = 32", (90, 32), 3,
         {"floor": 2, "floor_plus_one": 3, "fraction": 2.8125, "rounded": 3, "swapped": 1}),
]


def _call(func, case: Case, what: str):
    """``(number, None)`` or ``(None, lines explaining why the result is not one number)``."""
    args = tuple(a.copy() if isinstance(a, np.ndarray) else a for a in case.args)
    try:
        raw = func(*args)
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 - any exception in learner code is a failed case
        return None, [f"got:      an exception, {type(exc).__name__}: {exc}",
                      "Likely mistake: read the error message; the case's inputs are shown so you "
                      "can try it yourself."]
    if raw is None:
        return None, ["got:      None", "Likely mistake: the function has no `return` statement."]
    try:
        got = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        return None, [f"got:      {type(raw).__name__} {raw!r:.80}",
                      f"Likely mistake: return {what}."]
    if got.size != 1:
        return None, [f"got:      {format_array(got)} (shape {got.shape})",
                      f"Likely mistake: return {what}, not an array of shape {got.shape}"
                      + (": add the products up, np.dot(w, x)." if got.shape == np.shape(case.args[0])
                         else ".")]
    return float(got.reshape(())), None


def _same(got, want) -> bool:
    return got is not None and bool(np.isclose(got, want, rtol=1e-6, atol=1e-9))


def _named(cases: list[Case], results: list, i: int) -> str | None:
    """The mistake behind the wrong result of case ``i``: preferably one whose stored numbers equal
    the learner's on EVERY case (two mistakes may give the same number on one case, e.g. 200 // 32
    and round(200 / 32) are both 6), else one that gives this case's number."""
    for key, message in MISTAKES.items():
        if key in cases[i].mistakes and all(_same(got, c.mistakes[key])
                                            for got, c in zip(results, cases)):
            return message
    for key, value in cases[i].mistakes.items():
        if _same(results[i], value):
            return MISTAKES[key]
    return None


def _check(check_name: str, func_name: str, func, cases: list[Case], what: str, how: str) -> bool:
    if not callable(func):  # a common slip: check_x(x(...)), the function's result
        print(f"\N{CROSS MARK} {check_name} needs the function itself: {check_name}({func_name}), "
              f"not {check_name}({func_name}(...)). Got a {type(func).__name__}.")
        return False
    name = shown_name(func_name, func)
    try:
        calls = [_call(func, case, what) for case in cases]
    except NotImplementedError:
        print(f"\N{CROSS MARK} {name}: not written yet: replace `raise NotImplementedError()` by "
              "your code, run its cell, then this check again.")
        return False
    results = [got for got, _ in calls]
    failures = []
    for i, (case, (got, problem)) in enumerate(zip(cases, calls), 1):
        lines = [f"inputs:   {case.inputs}", f"expected: {case.expected:.10g}"]
        if problem:
            failures.append((i, case.name, lines + problem, True))
            continue
        if _same(got, case.expected):
            continue
        named = _named(cases, results, i - 1)
        explain = named or f"none of the usual mistakes gives this number: {how}"
        failures.append((i, case.name, [*lines, f"got:      {got:.10g}", f"Likely mistake: {explain}"],
                         named is not None))
    return print_case_verdict(name, len(cases), failures)


def check_neuron(my_neuron) -> bool:
    """Check ``my_neuron(x, w, b) -> a``: one sigmoid neuron on one example, ``x: (n,)`` features,
    ``w: (n,)`` weights, ``b`` a number; ``a = 1 / (1 + exp(-(w · x + b)))``, one number in (0, 1).
    Week 1, lab 1. Prints a verdict; returns whether every case passed."""
    return _check("check_neuron", "my_neuron", my_neuron, NEURON_CASES, "one number, the probability g(w · x + b)",
                  "work it out by hand, z = w · x + b first, then 1 / (1 + e^(-z)).")


def check_steps_per_epoch(steps_per_epoch) -> bool:
    """Check ``steps_per_epoch(m, batch_size) -> int``: how many gradient steps (batches) one epoch
    over ``m`` examples takes, ``⌈m / batch_size⌉`` (the last batch may be smaller). Week 1, lab 2.
    Prints a verdict; returns whether every case passed."""
    return _check("check_steps_per_epoch", "steps_per_epoch", steps_per_epoch, STEPS_CASES, "one whole number of steps",
                  "count the batches: full batches of batch_size, plus one more if any examples are "
                  "left over.")
