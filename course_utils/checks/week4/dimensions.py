"""Instant check for ``notebooks/week4/01_dimensions.ipynb`` (getting the dimensions right): ``layer_shapes``.

``check_layer_shapes(layer_shapes)`` calls the learner's ``layer_shapes(layer_dims, m,
convention)``, which returns the table of shapes of an L-layer network (``{"A0": ..., "W1": ...,
"b1": ..., "Z1": ..., "A1": ..., "dW1": ..., "db1": ..., ...}``), on four networks in both
conventions, prints one verdict and returns ``True``/``False``.

The expected tables are written out below as data (nothing here computes a shape from the rule).
A wrong entry is compared with the expected one to name the mistake: the other convention's shape
(a transposed ``W``, ``b`` as a column in the row convention or rank-1 in the column one), ``n[l-1]``
and ``n[l]`` mixed up, ``m`` forgotten in ``Z``/``A`` or put into a parameter's shape, a
neighbouring layer's shape (off by one layer), layers numbered from 0 or a loop stopping early.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from course_utils.checks.core.verdict import given_a_function, print_case_verdict, print_verdict

#: The conventions ``layer_shapes`` accepts: the course's (one example per row) and the notes'.
CONVENTIONS = ("rows", "columns")
#: What the table holds for every layer l = 1 … L (and ``A0``, the input batch X).
KINDS = ("W", "b", "Z", "A", "dW", "db")
_KEY = re.compile(r"^(dW|db|W|b|Z|A)(\d+)$")


@dataclass(frozen=True)
class ShapeTableCase:
    """One call ``layer_shapes(layer_dims, m, convention)`` and the whole table it must return."""

    name: str
    layer_dims: tuple[int, ...]
    m: int
    convention: str
    expected: dict


# The notes' example n = [2, 3, 5, 4, 2, 1] (L = 5) with m = 7 examples (7 is none of the n[l], so
# a forgotten or misplaced m is visible), then two small networks: one with a single hidden layer
# and one with no hidden layer at all (L = 1), which catch a hard-coded number of layers.
CASES = [
    ShapeTableCase(
        "the notes' example, row convention", (2, 3, 5, 4, 2, 1), 7, "rows",
        {"A0": (7, 2),
         "W1": (2, 3), "b1": (3,), "Z1": (7, 3), "A1": (7, 3), "dW1": (2, 3), "db1": (3,),
         "W2": (3, 5), "b2": (5,), "Z2": (7, 5), "A2": (7, 5), "dW2": (3, 5), "db2": (5,),
         "W3": (5, 4), "b3": (4,), "Z3": (7, 4), "A3": (7, 4), "dW3": (5, 4), "db3": (4,),
         "W4": (4, 2), "b4": (2,), "Z4": (7, 2), "A4": (7, 2), "dW4": (4, 2), "db4": (2,),
         "W5": (2, 1), "b5": (1,), "Z5": (7, 1), "A5": (7, 1), "dW5": (2, 1), "db5": (1,)}),
    ShapeTableCase(
        "the notes' example, column convention", (2, 3, 5, 4, 2, 1), 7, "columns",
        {"A0": (2, 7),
         "W1": (3, 2), "b1": (3, 1), "Z1": (3, 7), "A1": (3, 7), "dW1": (3, 2), "db1": (3, 1),
         "W2": (5, 3), "b2": (5, 1), "Z2": (5, 7), "A2": (5, 7), "dW2": (5, 3), "db2": (5, 1),
         "W3": (4, 5), "b3": (4, 1), "Z3": (4, 7), "A3": (4, 7), "dW3": (4, 5), "db3": (4, 1),
         "W4": (2, 4), "b4": (2, 1), "Z4": (2, 7), "A4": (2, 7), "dW4": (2, 4), "db4": (2, 1),
         "W5": (1, 2), "b5": (1, 1), "Z5": (1, 7), "A5": (1, 7), "dW5": (1, 2), "db5": (1, 1)}),
    ShapeTableCase(
        "one hidden layer, row convention", (4, 6, 1), 3, "rows",
        {"A0": (3, 4),
         "W1": (4, 6), "b1": (6,), "Z1": (3, 6), "A1": (3, 6), "dW1": (4, 6), "db1": (6,),
         "W2": (6, 1), "b2": (1,), "Z2": (3, 1), "A2": (3, 1), "dW2": (6, 1), "db2": (1,)}),
    ShapeTableCase(
        "no hidden layer (L = 1, logistic regression), column convention", (3, 1), 5, "columns",
        {"A0": (3, 5),
         "W1": (1, 3), "b1": (1, 1), "Z1": (1, 5), "A1": (1, 5), "dW1": (1, 3), "db1": (1, 1)}),
]

#: Why each kind of entry has its shape, in each convention (shown with a mistake).
WHY = {
    ("W", "rows"): "in rows a layer computes A[l-1] @ W[l], (m, n[l-1]) @ (n[l-1], n[l]), so "
                   "W[l] is (n[l-1], n[l])",
    ("W", "columns"): "in the notes' columns a layer computes W[l] A[l-1], (n[l], n[l-1]) @ "
                      "(n[l-1], m), so W[l] is (n[l], n[l-1])",
    ("b", "rows"): "in rows b[l] is (n[l],), one number per unit, added to every ROW (example) of "
                   "A[l-1] @ W[l]",
    ("b", "columns"): "in the notes' columns b[l] is a column (n[l], 1), added to every COLUMN "
                      "(example) of W[l] A[l-1]",
    ("Z", "rows"): "in rows one example is one row: Z[l] and A[l] are (m, n[l])",
    ("Z", "columns"): "in the notes' columns one example is one column: Z[l] and A[l] are (n[l], m)",
}


def _kind_layer(key: str) -> tuple[str, int] | None:
    match = _KEY.match(str(key))
    return (match.group(1), int(match.group(2))) if match else None


def _base(kind: str) -> str:
    """The kind whose rule applies: a gradient has its parameter's shape, A has Z's."""
    return {"dW": "W", "db": "b", "A": "Z"}.get(kind, kind)


def _as_shape(value) -> tuple[int, ...] | None:
    """A shape given as a tuple of whole numbers, as a tuple of ints; else ``None`` (a list is not
    a shape: ``Z.shape == [7, 3]`` is False even when Z is (7, 3))."""
    if not isinstance(value, tuple):
        return None
    if not all(isinstance(v, int) or type(v).__name__.startswith(("int", "uint")) for v in value):
        return None
    return tuple(int(v) for v in value)


def _other_convention(kind: str, want: tuple) -> tuple:
    """``want`` written in the other convention: 2-D shapes transposed; b (n,) <-> (n, 1)."""
    if _base(kind) == "b":
        return (want[0], 1) if len(want) == 1 else (want[0],)
    return want[::-1]


def _entry_mistake(case: ShapeTableCase, key: str, got: tuple) -> str | None:
    """The named mistake that gives ``got`` for entry ``key``, or ``None``."""
    kind, layer = _kind_layer(key)
    base, want, m = _base(kind), case.expected[key], case.m
    other = "columns" if case.convention == "rows" else "rows"
    label = f"{kind}[{layer}]"
    if got == _other_convention(kind, want):
        if base == "b" and case.convention == "rows":
            return (f"{label} is a column {got} in the row convention: {WHY[('b', 'rows')]}. A "
                    "column would be stretched along the wrong axis (or fail to broadcast).")
        if base == "b":
            return (f"{label} is rank-1 {got} in the column convention: {WHY[('b', 'columns')]}. "
                    "A rank-1 (n[l],) lines up with the LAST axis, the examples.")
        return (f"{label} is transposed: {got} is its shape in the {other} convention; "
                f"{WHY[(base, case.convention)]}.")
    if base == "b" and got == (1, want[0]):
        return (f"{label} is a row matrix {got}: {WHY[('b', case.convention)]}.")
    if base == "W" and len(got) == 2 and got[0] == got[1] and set(got) <= set(want):
        return (f"n[l-1] and n[l] are mixed up in {label} {got}: W[l] connects the n[l-1] units "
                f"of layer l-1 to the n[l] units of layer l, so it has one of each; "
                f"{WHY[('W', case.convention)]}.")
    if base == "Z" and m not in got:
        axis = "row" if case.convention == "rows" else "column"
        return (f"m is forgotten in {label} {got}: Z and A hold one {axis} per example; "
                f"{WHY[('Z', case.convention)]}.")
    if base in ("W", "b") and m in got and m not in want:
        return (f"{label} {got} has m = {m} in its shape: parameters and their gradients do not "
                "depend on the number of examples (dW and db sum over them), so m never appears "
                f"in W, b, dW or db; {WHY[(base, case.convention)]}.")
    neighbours = [f"{kind}{layer - 1}", f"{kind}{layer + 1}"]
    if base == "Z":
        neighbours.append(f"A{layer - 1}")
    for near in neighbours:
        if case.expected.get(near) == got:
            return (f"off by one layer: {got} is the shape of {near}, not of {key}. Layer l uses "
                    "n[l-1] = layer_dims[l-1] and n[l] = layer_dims[l] (layer_dims[0] is the "
                    "input size n[0]).")
    return None


def _keys_problem(case: ShapeTableCase, table: Mapping) -> tuple[list[str], bool] | None:
    """Missing or misnumbered entries: the lines explaining it and whether a mistake is named."""
    L = len(case.layer_dims) - 1
    missing = [key for key in case.expected if key not in table]
    stray = [key for key in table if (kl := _kind_layer(key)) and key != "A0"
             and not 1 <= kl[1] <= L]
    if not missing and not stray:
        return None
    lines = [f"missing:  {', '.join(missing) or 'nothing'}",
             f"extra:    {', '.join(map(str, stray)) or 'nothing'}"]
    if any(_kind_layer(k)[1] == 0 for k in stray):
        return [*lines, "Likely mistake: layers numbered from 0. Layer 0 is the input: it has only "
                "A0 = X. The layers with W, b, Z, A run from 1 to L = len(layer_dims) - 1."], True
    if any(_kind_layer(k)[1] > L for k in stray):
        return [*lines, f"Likely mistake: one layer too many. layer_dims has L + 1 = {L + 1} "
                f"numbers (the input size, then one per layer), so L = {L}."], True
    if f"W{L}" in missing and "W1" not in missing:
        return [*lines, "Likely mistake: the loop stops one layer early: the layers are "
                "1 … L, range(1, len(layer_dims)), and L = len(layer_dims) - 1."], True
    if missing == ["A0"]:
        return [*lines, "Likely mistake: A0 is missing: A[0] is the input batch X, the table "
                "starts with it."], True
    kinds = sorted({_kind_layer(k)[0] for k in missing}, key=KINDS.index)
    return [*lines, f"Likely mistake: no entries for {', '.join(kinds)}: the table holds "
            "A0, then W, b, Z, A, dW and db for every layer l = 1 … L, named like 'W1', "
            "'db1'."], len(kinds) < len(KINDS)


def _case_problem(func, case: ShapeTableCase) -> tuple[list[str], bool] | None:
    """``None`` when ``case`` passes, else the lines explaining the failure and whether they name
    a specific mistake."""
    dims = ", ".join(map(str, case.layer_dims))
    lines = [f"inputs:   layer_shapes([{dims}], m={case.m}, convention={case.convention!r})"]
    try:
        table = func(list(case.layer_dims), case.m, case.convention)
    except NotImplementedError:
        raise  # the stub: reported once, by check_layer_shapes
    except Exception as exc:  # noqa: BLE001 - any exception in learner code is a failed case
        shown = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return [*lines, f"got:      an exception, {shown}",
                "Likely mistake: read the error message; try the inputs above yourself."], False
    if table is None:
        return [*lines, "got:      None", "Likely mistake: layer_shapes has no `return`."], True
    if not isinstance(table, Mapping):
        return [*lines, f"got:      a {type(table).__name__}",
                "Likely mistake: return a dict {'A0': shape, 'W1': shape, ...}."], True
    keys = _keys_problem(case, table)
    if keys:
        return [*lines, *keys[0]], keys[1]
    wrong = []
    for key, want in case.expected.items():
        got = _as_shape(table[key])
        if got != want:
            wrong.append((key, want, table[key], got))
    if not wrong:
        return None
    # Show the first entry whose mistake can be named (else the first wrong one).
    named = [(w, _entry_mistake(case, w[0], w[3])) for w in wrong if w[3] is not None]
    (key, want, raw, got), mistake = next(((w, n) for w, n in named if n), (wrong[0], None))
    lines += [f"entry:    {key}", f"expected: {want}", f"got:      {raw!r:.60}"]
    swapped = all(g == _other_convention(_kind_layer(k)[0], w) for k, w, _, g in wrong)
    if got is None:
        lines.append("Likely mistake: a shape is a tuple of whole numbers, such as (3, 5) or (5,) "
                     "(not a list, a string or an array: Z.shape == [7, 3] is False even when Z "
                     "is (7, 3)).")
    elif swapped and len(wrong) == len(case.expected):
        mistake = (f"the whole table is in the other convention, not {case.convention!r}: "
                   "is the convention argument used (and are 'rows' and 'columns' the right "
                   "way round)? In rows one example is one row, in columns one column.")
        lines.append(f"Likely mistake: {mistake}")
    elif mistake:
        lines.append(f"Likely mistake: {mistake}")
    else:
        lines.append(f"Likely mistake: {key} should be {want}; write out the rule for its kind "
                     "(the table in the lesson) and the sizes n[l-1], n[l] and m of this case.")
    if len(wrong) > 1:
        lines.append(f"({len(wrong)} entries wrong in this case: "
                     f"{', '.join(w[0] for w in wrong[:12])}{' …' if len(wrong) > 12 else ''}.)")
    return lines, mistake is not None or got is None


def check_layer_shapes(layer_shapes) -> bool:
    """Check ``layer_shapes(layer_dims, m, convention) -> dict`` (``notebooks/week4/01_dimensions.ipynb``).

    ``layer_dims``: ``[n0, n1, …, nL]``; ``m``: the number of examples; ``convention``: ``"rows"``
    (this course: ``W[l]`` ``(n[l-1], n[l])``, ``b[l]`` ``(n[l],)``, ``Z[l]``/``A[l]`` ``(m, n[l])``)
    or ``"columns"`` (the notes: ``(n[l], n[l-1])``, ``(n[l], 1)``, ``(n[l], m)``). The dict maps
    ``"A0"`` and ``"W{l}"``, ``"b{l}"``, ``"Z{l}"``, ``"A{l}"``, ``"dW{l}"``, ``"db{l}"`` for
    l = 1 … L to shape tuples. Prints a verdict; returns whether every case passed.
    """
    if not given_a_function("layer_shapes", layer_shapes):
        return False
    try:
        results = [(i, case.name, _case_problem(layer_shapes, case))
                   for i, case in enumerate(CASES, 1)]
    except NotImplementedError:
        return print_verdict("layer_shapes", [
            "not written yet: replace `raise NotImplementedError()` by your code, run its cell, "
            "then this check again."], "")
    failures = [(i, name, *res) for i, name, res in results if res is not None]
    return print_case_verdict("layer_shapes", len(CASES), failures)
