"""Does a "vectorised" function still iterate over the examples in Python? Count its steps.

A vectorised layer does the same Python work whatever the number of examples m: the loop over
examples happens inside NumPy's compiled code. A loop over the rows of ``X`` — a ``for`` loop, a
list comprehension, ``map``, ``np.apply_along_axis``, ``np.vectorize``, recursion, a helper from
another cell — does Python work once per example. So the function is run twice, on two batches of
different sizes (all m examples and the first alone; or one example and that example twice), while a tracer counts its *steps*: every function call and every executed (or
re-executed, as in a loop) line of code outside the installed libraries (the learner's cells and
helpers), plus every call of the activation ``g`` given to it (the caller counts those, wherever
``g`` is defined). When the count grows by at least one step per extra example, the function
iterates over the examples. How ``g`` is called does not matter:
``g(Z)``, ``g(Z.T).T`` and ``g(Z.ravel()).reshape(Z.shape)`` are all vectorised.

Used by the learners' instant checks (:mod:`course_utils.checks`) and, in the grading sandbox, by
:mod:`autograder.harness`. First used by ``notebooks/week1/04_vectorisation.ipynb``.
"""

from __future__ import annotations

import sys
import sysconfig
import threading
from collections.abc import Iterable

import numpy as np


def _library_folders() -> tuple[str, ...]:
    """Where installed code lives: the standard library and site-packages of this interpreter."""
    paths = sysconfig.get_paths()
    folders = {paths[k] for k in ("stdlib", "platstdlib", "purelib", "platlib") if k in paths}
    folders |= {sys.prefix, sys.base_prefix, sys.exec_prefix}
    return tuple(sorted(folders)) + ("<frozen",)


class StepCounter:
    """Counts Python steps (calls and lines) of non-library code while it is active.

    ``skip``: file names never counted (e.g. the grading harness itself; this module always).
    Use as a context manager; threads started while it is active are counted too.
    """

    def __init__(self, skip: Iterable[str] = ()):
        self.steps = 0
        self._skip = (__file__, *skip)
        self._library = _library_folders()
        self._saved: tuple = ()

    def _local(self, frame, event, arg):
        if event == "line":
            self.steps += 1
        return self._local

    def _global(self, frame, event, arg):
        name = frame.f_code.co_filename
        if name.startswith(self._library) or name.startswith(self._skip):
            return None
        self.steps += 1
        return self._local

    def __enter__(self) -> StepCounter:
        self._saved = (sys.gettrace(), threading.gettrace())
        threading.settrace(self._global)
        sys.settrace(self._global)
        return self

    def __exit__(self, *exc) -> None:
        sys.settrace(self._saved[0])
        threading.settrace(self._saved[1])


def probe_batch(args: tuple, axes: tuple[int, ...] = (0,)) -> tuple[tuple, int]:
    """Another batch to compare ``args`` with, and its number of examples: the first example
    alone when the batch has several, else that example twice. ``axes``: the positions of the
    arguments whose first axis runs over the examples (``X: (m, n)`` and, say, ``y: (m,)``)."""
    m = int(np.asarray(args[axes[0]]).shape[0])
    args = list(args)
    for k in axes:
        batch = np.asarray(args[k])
        args[k] = batch[:1] if m > 1 else np.concatenate([batch, batch])
    return tuple(args), (1 if m > 1 else 2)


def iterates_over_examples(m: int, steps: int, m_probe: int, steps_probe: int) -> bool:
    """Whether the Python steps grow by at least one per extra example between the two batches
    (``m`` examples took ``steps``, ``m_probe`` took ``steps_probe``)."""
    (m_small, small), (m_large, large) = sorted([(m, steps), (m_probe, steps_probe)])
    return m_large > m_small and large - small >= m_large - m_small
