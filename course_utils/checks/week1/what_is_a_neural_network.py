"""Instant check for ``notebooks/week1/00_what_is_a_neural_network.ipynb`` (what is a neural network): ``relu``, the rectified linear
unit ``max(0, z)``, element by element, for a number or an array of any shape.

``check_relu(relu)`` prints one verdict and returns ``True``/``False``. Expected values only: each
case stores its answer and the outputs that typical mistakes give on it (worked out by hand), so
that a wrong answer is named (the minimum instead of the maximum, the slope instead of the value,
a whole array reduced to one number, the caller's array overwritten, ...).
"""

from __future__ import annotations

import numpy as np

from course_utils.checks.core.verdict import (
    CheckCase,
    format_array,
    given_a_function,
    print_case_verdict,
    shown_name,
)

#: What each typical mistake means, keyed as in the cases' ``mistakes``.
MISTAKES = {
    "identity": "negative values are not set to 0: ReLU keeps z where z > 0 and gives 0 elsewhere.",
    "minimum": (
        "this is min(0, z), the NEGATIVE part: ReLU is the maximum, np.maximum(0, z), so that "
        "negative values become 0 and positive ones pass unchanged."
    ),
    "absolute": "negative values are made positive (|z|): ReLU sets them to 0, it does not flip them.",
    "slope": (
        "the result is ReLU's slope (1 where z > 0, else 0), not its value: the value is z itself "
        "where z > 0, e.g. np.maximum(0, z) (or z * (z > 0))."
    ),
    "flipped": "this is max(0, -z): the sign of z is flipped; ReLU keeps the positive values of z.",
    "clipped": (
        "values above 1 are cut to 1 (np.clip(z, 0, 1)): ReLU has no upper limit, only the sigmoid "
        "stays below 1; a price or a count can be as large as it needs."
    ),
    "reduced": (
        "the whole array became one number (np.max or max takes the LARGEST element): use "
        "np.maximum(0, z), which compares 0 with each element and keeps the shape of z."
    ),
    "reduced_axis": (
        "the array was reduced along an axis (np.max(z, axis=0) keeps the largest of each column): "
        "use np.maximum(0, z), element by element, the same shape as z."
    ),
}

#: Explanations of the exceptions that typical mistakes raise, keyed by a fragment of the message.
EXCEPTIONS = {
    "truth value of an array": (
        "Python's built-in max(0, z), or an `if z > 0:`, was given a whole array: they need ONE "
        "number or True/False. Work element by element with NumPy: np.maximum(0, z)."
    ),
    "does not support item assignment": (
        "z[z < 0] = 0 needs an array, but z was a single number: np.maximum(0, z) works for numbers "
        "and arrays alike (and leaves z unchanged)."
    ),
}

IN_PLACE = (
    "relu overwrote the array it was given (z[z < 0] = 0, or np.maximum(0, z, out=z), writes into "
    "the caller's z): the caller's data would change behind their back. Return a new array: "
    "np.maximum(0, z) makes one."
)


# One call relu(z) each: args = (z,); mistakes maps keys of MISTAKES to what they give on z.
CASES = [
    CheckCase("five numbers on both sides of 0", "z = [-2, -0.5, 0, 0.5, 3]",
         (np.array([-2.0, -0.5, 0.0, 0.5, 3.0]),), [0.0, 0.0, 0.0, 0.5, 3.0],
         {"identity": [-2.0, -0.5, 0.0, 0.5, 3.0], "minimum": [-2.0, -0.5, 0.0, 0.0, 0.0],
          "absolute": [2.0, 0.5, 0.0, 0.5, 3.0], "slope": [0.0, 0.0, 0.0, 1.0, 1.0],
          "flipped": [2.0, 0.5, 0.0, 0.0, 0.0], "clipped": [0.0, 0.0, 0.0, 0.5, 1.0],
          "reduced": 3.0}),
    CheckCase("a batch: 2 examples (rows) × 3 units (columns)",
         "z = [[1.5, -1, 0], [-0.25, 2, -3]] (shape (2, 3))",
         (np.array([[1.5, -1.0, 0.0], [-0.25, 2.0, -3.0]]),), [[1.5, 0.0, 0.0], [0.0, 2.0, 0.0]],
         {"identity": [[1.5, -1.0, 0.0], [-0.25, 2.0, -3.0]],
          "minimum": [[0.0, -1.0, 0.0], [-0.25, 0.0, -3.0]],
          "absolute": [[1.5, 1.0, 0.0], [0.25, 2.0, 3.0]],
          "slope": [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]],
          "flipped": [[0.0, 1.0, 0.0], [0.25, 0.0, 3.0]],
          "clipped": [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]],
          "reduced": 2.0, "reduced_axis": [1.5, 2.0, 0.0]}),
    CheckCase("one number", "z = -1.5 (a Python float)", (-1.5,), 0.0,
         {"identity": -1.5, "minimum": -1.5, "absolute": 1.5, "flipped": 1.5}),
    CheckCase("one large number", "z = 250.0 (a Python float)", (250.0,), 250.0,
         {"clipped": 1.0, "slope": 1.0, "flipped": 0.0, "minimum": 0.0}),
]


def _named(case: CheckCase, got: np.ndarray) -> str | None:
    """The mistake whose stored output equals ``got`` (same shape, same numbers), if any."""
    for key, value in case.mistakes.items():
        stored = np.asarray(value, dtype=float)
        if stored.shape == got.shape and np.allclose(got, stored, rtol=case.rtol, atol=case.atol):
            return MISTAKES[key]
    return None


def _exception(name: str, exc: Exception) -> tuple[str, bool]:
    """What the exception means, and whether that names a typical mistake."""
    for fragment, why in EXCEPTIONS.items():
        if fragment in str(exc):
            return why, True
    return (f"read the error message; try {name} on the case's z yourself (it is shown above) and "
            "compare with the expected result."), False


def _run(name: str, relu, case: CheckCase) -> tuple[list[str], bool] | None:
    """``None`` when the case passes, else the lines explaining it and whether they name a mistake."""
    (given,) = case.args
    z = given.copy() if isinstance(given, np.ndarray) else given
    want = np.asarray(case.expected, dtype=float)
    lines = [f"inputs:   {case.inputs}", f"expected: {format_array(want)}"]
    try:
        raw = relu(z)
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 - any exception in learner code is a failed case
        why, named = _exception(name, exc)
        return [*lines, f"got:      an exception, {type(exc).__name__}: {exc}",
                f"Likely mistake: {why}"], named
    if isinstance(given, np.ndarray) and not np.array_equal(z, given):
        return [*lines, f"got:      z changed to {format_array(z)} by the call",
                f"Likely mistake: {IN_PLACE}"], True
    if raw is None:
        return [*lines, "got:      None", f"Likely mistake: {name} has no `return` statement."], True
    try:
        got = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        return [*lines, f"got:      {type(raw).__name__} {raw!r:.80}",
                "Likely mistake: the result is not a number or an array of numbers."], True
    lines.append(f"got:      {format_array(got)}")
    if got.shape == want.shape and np.allclose(got, want, rtol=case.rtol, atol=case.atol):
        return None
    named = _named(case, got)
    if named:
        return [*lines, f"Likely mistake: {named}"], True
    if got.shape != want.shape:
        if got.size == want.size and np.allclose(got.ravel(), want.ravel()):
            why = (f"the numbers are right but the shape is {got.shape}, not {want.shape}: "
                   "ReLU works element by element and keeps the shape of z.")
        else:
            why = f"the result has shape {got.shape}; ReLU keeps the shape of z, {want.shape}."
        return [*lines, f"Likely mistake: {why}"], True
    return [*lines, "None of the usual mistakes gives these numbers: work this case out by hand "
            "(0 for each negative z, z itself otherwise) and compare."], False


def check_relu(relu) -> bool:
    """Check ``relu(z)``: ``max(0, z)`` element by element, for a number or an array of any shape
    (the result has the shape of ``z``; ``z`` itself is left unchanged). ``notebooks/week1/00_what_is_a_neural_network.ipynb``. Prints a
    verdict; returns whether every case passed."""
    if not given_a_function("relu", relu):
        return False
    name = shown_name("relu", relu)
    try:
        results = [(i, case.name, _run(name, relu, case)) for i, case in enumerate(CASES, 1)]
    except NotImplementedError:
        print(f"\N{HEAVY BALLOT X} {name}: not written yet: replace `raise NotImplementedError()` by "
              "your code.")
        return False
    failures = [(i, case_name, *res) for i, case_name, res in results if res is not None]
    return print_case_verdict(name, len(CASES), failures)
