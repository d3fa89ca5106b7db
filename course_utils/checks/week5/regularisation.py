"""Instant check for ``notebooks/week5/03_regularisation.ipynb`` (regularisation in practice): ``l2_penalty``, the L2 term of
the regularised cost,

    (λ / 2m) · Σ_l ‖W[l]‖²_F   (the sum of the squares of every entry of every weight matrix),

for ``params = [(W1, b1), …, (WL, bL)]`` (row convention: ``W[l]`` is ``(n[l-1], n[l])``, ``b[l]``
is ``(n[l],)``), the strength ``lambd`` and the number of training examples ``m``.

``check_l2_penalty(l2_penalty)`` prints one verdict and returns ``True``/``False``. Expected values
only: each case stores its answer and the numbers that typical mistakes give on it (worked out
once from the cases' small weights, to 12 significant digits; ``tests/test_week5_regularisation.py`` recomputes
every one of them from the mistaken formulas).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_utils.checks.core.verdict import given_a_function, print_case_verdict, read_one_number

#: What each typical mistake means, keyed as in the cases' ``mistakes``.
MISTAKES = {
    "lambda_over_m": (
        "the factor is λ/m: the cost term is (λ / 2m) Σ‖W‖², with a 2 in the denominator (it "
        "cancels when you differentiate, which is why the GRADIENT term is (λ/m) W)."
    ),
    "no_m": (
        "the 1/m is missing: the term is (λ / 2m) Σ‖W‖², scaled like the cross-entropy, which is "
        "a mean over the m examples (divide by 2 * m, not by 2)."
    ),
    "biases_included": (
        "the biases are regularised too: only the weights W[l] are penalised; leave the b[l] out "
        "of the sum (one number per unit, they do not make the network wiggle)."
    ),
    "norm_not_squared": (
        "the norms are not squared: ‖W‖²_F is the sum of the squared entries, np.sum(W ** 2); "
        "np.linalg.norm(W) is its square root."
    ),
    "no_square": (
        "the square is forgotten: np.sum(W) adds the weights with their signs; the penalty adds "
        "their squares, np.sum(W ** 2)."
    ),
    "absolute_values": (
        "the absolute values are added (that is the L1 penalty, Σ|w|): L2 adds the squares, "
        "np.sum(W ** 2)."
    ),
    "mean_not_sum": (
        "each matrix's squares are averaged (np.mean(W ** 2)): the penalty SUMS the squares of "
        "all entries; the only division is the λ / 2m in front."
    ),
    "square_of_sum": (
        "the sum is squared, np.sum(W) ** 2: square each entry first, then add them up, "
        "np.sum(W ** 2)."
    ),
    "norms_summed_then_squared": (
        "the norms of the layers are added and then squared, (Σ_l ‖W[l]‖)²: square each layer's "
        "norm (Σ of squared entries) and add those, Σ_l ‖W[l]‖²."
    ),
    "last_layer_only": (
        "only the last layer's W is counted (the sum was overwritten in the loop, = instead of "
        "+=, or the loop variable was used after the loop): add every layer's ‖W[l]‖²."
    ),
    "last_layer_missing": (
        "the last layer's W is left out (a loop stopping one layer early): the sum runs over "
        "l = 1 … L, the output layer included."
    ),
}


@dataclass(frozen=True)
class Case:
    """One call ``l2_penalty(params, lambd, m)``: ``params`` as nested lists ``[(W, b), …]``, the
    ``expected`` penalty, its ``breakdown`` (shown when a wrong number matches no known mistake)
    and what each mistake in ``mistakes`` (keys of :data:`MISTAKES`) gives on this case."""

    name: str
    params: list
    lambd: float
    m: int
    expected: float
    breakdown: str
    mistakes: dict

    def arrays(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Fresh arrays for one call (a learner's in-place edit must not reach the next case)."""
        return [(np.array(W, dtype=float), np.array(b, dtype=float)) for W, b in self.params]


CASES = [
    Case("two layers, whole numbers",
         [([[1.0, -2.0], [0.0, 3.0]], [1.0, 1.0]), ([[2.0], [-3.0]], [0.5])], 0.6, 3, 2.7,
         "‖W1‖² = 1 + 4 + 0 + 9 = 14, ‖W2‖² = 4 + 9 = 13; λ/(2m) = 0.6 / 6 = 0.1; 0.1 · 27 = 2.7",
         {"lambda_over_m": 5.4, "no_m": 8.1, "biases_included": 2.925,
          "norm_not_squared": 0.734720866224, "no_square": 0.1, "absolute_values": 1.1,
          "mean_not_sum": 1.0, "square_of_sum": 0.5, "norms_summed_then_squared": 5.39814751265,
          "last_layer_only": 1.3, "last_layer_missing": 1.4}),
    Case("three layers, W of shapes (3, 2), (2, 4), (4, 1)",
         [([[0.5, -1.0], [2.0, 0.0], [-0.5, 1.5]], [0.2, -0.1]),
          ([[1.0, 0.0, -1.0, 2.0], [0.5, 0.5, -2.0, 1.0]], [0.0, 1.0, 0.0, -1.0]),
          ([[1.0], [-3.0], [0.0], [2.0]], [-2.0])], 1.5, 5, 4.9875,
         "‖W1‖² = 7.75, ‖W2‖² = 11.5, ‖W3‖² = 14; λ/(2m) = 1.5 / 10 = 0.15; 0.15 · 33.25 = 4.9875",
         {"lambda_over_m": 9.975, "no_m": 24.9375, "biases_included": 5.895,
          "norm_not_squared": 1.48750568396, "no_square": 0.675, "absolute_values": 2.925,
          "mean_not_sum": 0.934375, "square_of_sum": 1.5375,
          "norms_summed_then_squared": 14.7511543988, "last_layer_only": 2.1,
          "last_layer_missing": 2.8875}),
    Case("four layers, λ = 0.1, m = 50",
         [([[0.3, -0.2, 0.1], [0.4, 0.0, -0.6]], [0.1, 0.2, 0.3]),
          ([[0.5, -0.5], [1.0, 0.2], [-0.3, 0.8]], [-0.4, 0.4]),
          ([[2.0, -1.0], [0.0, 1.5]], [0.0, 3.0]),
          ([[-1.2], [0.7]], [0.9])], 0.1, 50, 0.01211,
         "‖W1‖² = 0.66, ‖W2‖² = 2.27, ‖W3‖² = 7.25, ‖W4‖² = 1.93; λ/(2m) = 0.1 / 100 = 0.001; "
         "0.001 · 12.11 = 0.01211",
         {"lambda_over_m": 0.02422, "no_m": 0.6055, "biases_included": 0.02238,
          "norm_not_squared": 0.00640088256031, "no_square": 0.0037, "absolute_values": 0.0113,
          "mean_not_sum": 0.00326583333333, "square_of_sum": 0.00939,
          "norms_summed_then_squared": 0.0409712975509, "last_layer_only": 0.00193,
          "last_layer_missing": 0.01018}),
]

#: Relative tolerance: the stored irrational mistakes are rounded to 12 significant digits.
RTOL = 1e-7


def _call(func, case: Case):
    """``(number, None)`` or ``(None, lines explaining the problem)``."""
    params = case.arrays()
    try:
        raw = func(params, case.lambd, case.m)
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 - any exception in learner code is a failed case
        return None, [f"got:      an exception, {type(exc).__name__}: {exc}",
                      "Likely mistake: read the error message; params is a list of (W, b) pairs, "
                      "so `for W, b in params:` visits the layers in order."]
    if any(not (np.array_equal(W, W0) and np.array_equal(b, b0))
           for (W, b), (W0, b0) in zip(params, case.arrays())) or len(params) != len(case.params):
        return None, ["got:      params changed by the call",
                      "Likely mistake: the weights are edited in place (W **= 2, W *= ..., "
                      "params.pop(), ...): compute the penalty from them without changing them, "
                      "since training goes on with the same params."]
    return read_one_number("l2_penalty", raw,
                           "return ONE number, the penalty summed over every entry of every "
                           "layer's W, not one value per layer or per entry.",
                           "return a number (a float).")


def _named(case: Case, got: float) -> str | None:
    """The mistake whose stored number on ``case`` equals ``got``, if any."""
    for key, value in case.mistakes.items():
        if np.isclose(got, value, rtol=RTOL, atol=0):
            return MISTAKES[key]
    return None


def check_l2_penalty(l2_penalty) -> bool:
    """Check ``l2_penalty(params, lambd, m) -> float``: ``(lambd / (2 m)) · Σ_l Σ W[l]²`` for
    ``params = [(W1, b1), …]`` (``W[l]: (n[l-1], n[l])``, ``b[l]: (n[l],)``, biases not
    penalised), ``lambd ≥ 0`` and ``m`` training examples. ``notebooks/week5/03_regularisation.ipynb``. Prints a verdict;
    returns whether every case passed."""
    if not given_a_function("l2_penalty", l2_penalty):
        return False
    try:
        calls = [_call(l2_penalty, case) for case in CASES]
    except NotImplementedError:
        print("\N{HEAVY BALLOT X} l2_penalty: not written yet: replace `raise NotImplementedError()` "
              "by your code.")
        return False
    failures = []
    for i, (case, (got, problem)) in enumerate(zip(CASES, calls), 1):
        if problem is None and np.isclose(got, case.expected, rtol=RTOL, atol=0):
            continue
        shapes = ", ".join(str(np.shape(W)) for W, _ in case.params)
        lines = [f"inputs:   {len(case.params)} layers, W of shapes {shapes}; lambd = {case.lambd}, "
                 f"m = {case.m}", f"expected: {case.expected:g}"]
        if problem:
            failures.append((i, case.name, lines + problem, True))
            continue
        named = _named(case, got)
        if named:
            failures.append((i, case.name, [*lines, f"got:      {got:.10g}",
                                            f"Likely mistake: {named}"], True))
        else:
            failures.append((i, case.name, [
                *lines, f"got:      {got:.10g}",
                f"None of the usual mistakes gives this number: work it out by hand: "
                f"{case.breakdown}."], False))
    return print_case_verdict("l2_penalty", len(CASES), failures)
