"""Compare a returned value with the expected one, part by part, and name the difference.

Week 3 on, graded functions return more than one array: ``(grads, cost)`` with
``grads = {"dw": ..., "db": ...}``, parameter dicts, lists of costs. :func:`compare` walks the
expected value (tuples and lists of parts, str-keyed dicts, arrays, numbers) and returns the first
:class:`Difference` it finds, named by where it is (``grads['dw']``) and, where the numbers show
it, by the likely mistake: a transposed array, a result ``m`` times too large (a missing ``1/m``),
the wrong sign, a column where a 1-D array belongs, an integer array.

Used by the learners' instant checks (:mod:`course_utils.checks`) and by the grader
(:func:`autograder.cases.judge`), so both name a mistake the same way. ``got`` is plain data: what
a function returned, or what the grading sandbox sent back (arrays, numbers, tuples, lists,
dicts; anything else is compared by its type name only).
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Difference:
    """How ``got`` differs from the expected value.

    ``message`` may quote the returned value (its type, shape, numbers); ``summary`` says the
    same in the checker's own words only (the part's name and the kind of mistake), so it can be
    shown for a hidden grading case without carrying anything of its inputs out.
    """

    message: str
    summary: str


def compare(expected, got, *, rtol: float = 1e-6, atol: float = 1e-8, name: str = "the result",
            parts: Sequence[str] | None = None, m: int | None = None,
            float_arrays: bool = False, values: bool = True) -> Difference | None:
    """The first difference between ``got`` and ``expected``, or ``None`` when they agree.

    ``expected``: arrays and numbers (compared with ``rtol``/``atol``), texts (equal), dicts (every expected key
    must be there; extra keys are allowed), tuples/lists of parts (same length; ``parts`` names the
    top-level ones, e.g. ``("grads", "cost")``). A list or tuple of plain numbers is an array.
    ``m``: the number of examples, to recognise a missing (or doubled) division by ``m``.
    ``float_arrays``: arrays expected as floats must not come back as integers or booleans.
    ``values=False`` checks the form only (keys, parts, numbers, shapes), e.g. of trained
    parameters whose values are judged otherwise.
    """
    return _Comparer(rtol, atol, m, float_arrays, values).compare(expected, got, name, parts)


def _is_number(value) -> bool:
    return isinstance(value, numbers.Number | np.number | np.bool_) or (
        isinstance(value, np.ndarray) and value.ndim == 0)


def _is_leaf_array(value) -> bool:
    """An expected array: an ndarray, or a list/tuple of plain numbers (e.g. costs)."""
    if isinstance(value, np.ndarray):
        return value.ndim > 0
    return isinstance(value, list | tuple) and len(value) > 0 and all(map(_is_number, value))


def type_name(value) -> str:
    """How a returned value is named in a message: ``int``, ``ndarray of shape (3, 1)``, …"""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    shown = getattr(value, "type_name", None)  # a value the sandbox could only name by its type
    return f"a {shown if isinstance(shown, str) else type(value).__name__}"


class _Comparer:
    def __init__(self, rtol: float, atol: float, m: int | None, float_arrays: bool, values: bool):
        self.rtol, self.atol, self.m, self.float_arrays = rtol, atol, m, float_arrays
        self.check_values = values

    def compare(self, want, got, name: str, parts=None) -> Difference | None:
        if isinstance(want, str):
            return self._string(want, got, name)
        if isinstance(want, Mapping):
            return self._dict(want, got, name)
        if _is_leaf_array(want):
            return self._array(np.asarray(want, dtype=float), got, name, want)
        if isinstance(want, list | tuple):
            return self._sequence(want, got, name, parts)
        return self._number(want, got, name)

    # -- containers ------------------------------------------------------------------------------
    def _dict(self, want: Mapping, got, name: str) -> Difference | None:
        keys = ", ".join(repr(k) for k in want)
        if not isinstance(got, Mapping):
            return _diff(f"{name} should be a dict with keys {keys}, got {type_name(got)}",
                         f"{name} should be a dict with keys {keys}")
        for key, value in want.items():
            if key not in got:
                found = ", ".join(repr(str(k))[:40] for k in list(got)[:8]) or "none"
                return _diff(f"{name} has no key {key!r} (its keys: {found})",
                             f"{name} has no key {key!r}")
            problem = self.compare(value, got[key], f"{name}[{key!r}]")
            if problem:
                return problem
        return None

    def _sequence(self, want, got, name: str, parts) -> Difference | None:
        if not isinstance(got, list | tuple):
            what = f"a tuple of {len(want)}" + (f" ({', '.join(parts)})" if parts else "")
            return _diff(f"{name} should be {what}, got {type_name(got)}", f"{name} should be {what}")
        if len(got) != len(want):
            return _diff(f"{name} should have {len(want)} parts, got {len(got)}",
                         f"{name} should have {len(want)} parts")
        for k, (w, g) in enumerate(zip(want, got)):
            part = parts[k] if parts and k < len(parts) else f"{name}[{k}]"
            problem = self.compare(w, g, part)
            if problem:
                return problem
        return None

    # -- leaves ----------------------------------------------------------------------------------
    def _string(self, want: str, got, name: str) -> Difference | None:
        if got == want:
            return None
        if not isinstance(got, str):
            return _diff(f"{name} should be the text {want!r}, got {type_name(got)}",
                         f"{name} should be a text (str)")
        close = " (check spaces and capitals)" if got.strip().lower() == want.lower() else ""
        return _diff(f"{name} is {got[:60]!r}, expected {want!r}{close}",
                     f"{name} is not the expected text{close}")

    def _number(self, want, got, name: str) -> Difference | None:
        if isinstance(got, np.ndarray) and got.ndim > 0:
            fix = " (use float(...) or .item())" if got.size == 1 else ""
            return _diff(f"{name} should be a number, got an array of shape {got.shape}{fix}",
                         f"{name} should be a number, not an array{fix}")
        if not _is_number(got) or isinstance(got, bool | np.bool_):
            return _diff(f"{name} should be a number, got {type_name(got)}",
                         f"{name} should be a number")
        return self._values(np.asarray(float(want)), np.asarray(float(got)), name)

    def _array(self, want: np.ndarray, got, name: str, raw_want) -> Difference | None:
        if _is_leaf_array(got) and not isinstance(got, np.ndarray):
            got = np.asarray(got, dtype=float)  # a list of numbers where an array is expected
        if not isinstance(got, np.ndarray):
            tensor = "Tensor" in type_name(got)
            fix = ": return a NumPy array (call .numpy() or use NumPy)" if tensor else ""
            return _diff(f"{name} should be a NumPy array of shape {want.shape}, got "
                         f"{type_name(got)}{fix}",
                         f"{name} should be a NumPy array of shape {want.shape}{fix}")
        if got.dtype.kind not in "biuf":
            return _diff(f"{name} should be an array of numbers, got dtype {got.dtype}",
                         f"{name} should be an array of numbers")
        expected_float = np.asarray(raw_want).dtype.kind == "f"
        if self.float_arrays and expected_float and got.dtype.kind in "biu":
            return _diff(
                f"{name} has dtype {got.dtype}; it should hold floats (e.g. np.zeros(n), not "
                "np.zeros(n, dtype=int)): a gradient step w - α·dw needs them",
                f"{name} should hold floats, not integers")
        got = got.astype(float)
        if got.shape != want.shape:
            return self._shape(want, got, name)
        return self._values(want, got, name)

    def _shape(self, want: np.ndarray, got: np.ndarray, name: str) -> Difference:
        head = f"{name} has shape {got.shape}, expected {want.shape}"
        if want.ndim == 2 and got.shape == want.shape[::-1] and np.allclose(
                got.T, want, self.rtol, self.atol):
            why = ("row convention: one row per example, W is (n_in, units), so "
                   "dW = A_prevᵀ dZ / m (the notes' dZ A_prevᵀ is the column convention)")
            return _diff(f"{head}: it is transposed ({why})", f"{name} is transposed ({why})")
        if got.size == want.size and np.allclose(got.ravel(), want.ravel(), self.rtol, self.atol):
            why = ("the numbers are right: a column where a 1-D array belongs? Use .ravel() or "
                   "[:, 0]" if got.ndim > want.ndim else
                   "the numbers are right: a missing axis? Use .reshape(" +
                   ", ".join(str(n) for n in want.shape) + ")" if got.ndim < want.ndim else
                   "the numbers are right but arranged in another shape")
            return _diff(f"{head}: {why}", f"{name} has the wrong shape: {why}")
        return _diff(head, f"{name} has the wrong shape")

    def _values(self, want: np.ndarray, got: np.ndarray, name: str) -> Difference | None:
        if not self.check_values:
            return None
        bad = ~np.isfinite(got) & np.isfinite(want)
        if bad.any():
            why = "NaN or inf where the expected value is finite — an overflow (e.g. exp or log of 0)?"
            return _diff(f"{name} holds {why}", f"{name} holds {why}")
        if np.array_equal(np.isfinite(got), np.isfinite(want)) and np.allclose(
                got, want, self.rtol, self.atol):
            return None
        why = self._scaled(want, got)
        if why:
            return _diff(f"{name} {why}", f"{name} {why}")
        finite = np.isfinite(got) & np.isfinite(want)
        diff = float(np.max(np.abs(got - want)[finite])) if finite.any() else float("inf")
        return _diff(f"{name} has wrong values: largest difference from the expected {diff:.3g}",
                     f"{name} has wrong values")

    def _scaled(self, want: np.ndarray, got: np.ndarray) -> str | None:
        """The mistake when ``got`` is a constant multiple of ``want`` (sign, a factor of m)."""
        norm = float(np.sum(want * want))
        if norm == 0.0 or not np.all(np.isfinite(got)):
            return None
        ratio = float(np.sum(got * want)) / norm
        if not np.allclose(got, ratio * want, self.rtol * 10, self.atol * 10):
            return None
        m = self.m
        if np.isclose(ratio, -1.0, rtol=1e-6):
            return ("has the wrong sign (e.g. y − a where a − y belongs, or a step "
                    "that climbs the cost: w + α·dw)")
        if m and m > 1 and np.isclose(ratio, m, rtol=1e-6):
            return f"is m = {m} times too large: divide by m (the cost is a mean over the examples)"
        if m and m > 1 and np.isclose(ratio, 1.0 / m, rtol=1e-6):
            return f"is m = {m} times too small: divided by m twice?"
        if np.isclose(ratio, 2.0, rtol=1e-6) or np.isclose(ratio, 0.5, rtol=1e-6):
            return f"is {ratio:g} times the expected value (a factor of 2 too many or too few)"
        return None


def _diff(message: str, summary: str) -> Difference:
    return Difference(message, summary)
