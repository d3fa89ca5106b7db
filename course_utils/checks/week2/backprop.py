"""Instant check for ``notebooks/week2/06_backprop.ipynb``'s "your turn" cell:
``check_backprop_graph1(backprop_graph1)``: graph 1's backward pass, ``(dJ/dw, dJ/db)``.

Expected values only, run by :func:`course_utils.checks.core.exercise.run_exercise`.
"""

from __future__ import annotations

from course_utils.checks.core.exercise import Case, Exercise, run_exercise

BACKPROP_MISTAKES = {
    "no_chain": (
        "these are the LOCAL derivatives, ∂c/∂w = x and ∂a/∂b = 1, not multiplied by the derivative "
        "of J already known on their right: ∂J/∂w = ∂J/∂c · x and ∂J/∂b = ∂J/∂a · 1."
    ),
    "w_for_x": (
        "∂c/∂w is taken as w: c = w·x grows x times as fast as w, so ∂c/∂w = x (and ∂c/∂x = w)."
    ),
    "no_half": (
        "∂J/∂d is taken as 2d: J = ½ d², and the ½ cancels the 2, so ∂J/∂d = d."
    ),
    "value_for_derivative": (
        "the VALUE J = ½ d² is used where its derivative ∂J/∂d = d belongs: the backward pass "
        "starts from ∂J/∂d = d."
    ),
    "wrong_sign": (
        "the sign is flipped: d = a − y (prediction minus target), so ∂d/∂a = +1 and "
        "∂J/∂a = d = a − y, not y − a."
    ),
    "swapped": "the two are swapped: return (∂J/∂w, ∂J/∂b), in that order.",
}


def _graph1_case(x: float, w: float, b: float, y: float, name: str) -> Case:
    # c = w x, a = c + b, d = a − y, J = d²/2: ∂J/∂w = d·x, ∂J/∂b = d. Small numbers, exact in floats.
    d = w * x + b - y
    right = (d * x, d)
    wrong = {"no_chain": (x, 1.0), "w_for_x": (d * w, d), "no_half": (2 * d * x, 2 * d),
             "value_for_derivative": (d * d / 2 * x, d * d / 2), "wrong_sign": (-d * x, -d),
             "swapped": (d, d * x)}
    return Case(name, f"x = {x:g}, w = {w:g}, b = {b:g}, y = {y:g}", (x, w, b, y), right,
                {key: value for key, value in wrong.items() if value != right},
                f"c = {w * x:g}, a = {w * x + b:g}, d = {d:g}, so ∂J/∂d = {d:g}, "
                f"∂J/∂w = d·x = {d * x:g}, ∂J/∂b = d = {d:g}")


BACKPROP_GRAPH1 = Exercise(
    "backprop_graph1",
    [_graph1_case(2.0, -2.0, 8.0, 1.0, "lesson 6's numbers"),
     _graph1_case(3.0, 1.0, -2.0, 4.0, "a prediction below its target (d < 0)"),
     _graph1_case(-2.0, 1.0, 4.0, 0.5, "a negative input x"),
     _graph1_case(0.5, 4.0, 1.0, 5.0, "fractions")],
    BACKPROP_MISTAKES,
    "return TWO numbers, (dJ_dw, dJ_db): e.g. `return dJ_dw, dJ_db`.",
)


def check_backprop_graph1(backprop_graph1) -> bool:
    """Check ``backprop_graph1(x, w, b, y) -> (dJ_dw, dJ_db)``: graph 1's backward pass, for
    ``c = w x``, ``a = c + b``, ``d = a − y``, ``J = ½ d²`` (all numbers). ``notebooks/week2/06_backprop.ipynb``.
    Prints a verdict; returns whether every case passed."""
    return run_exercise(BACKPROP_GRAPH1, backprop_graph1)
