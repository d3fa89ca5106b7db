"""Grading cases: the inputs each graded function is called with, and how its answer is judged.

This module is the single source of truth for what is graded. It is used in two places:

- by ``autograder grade``: the grader process builds the cases, sends only their *inputs* to the
  isolated learner process (see :mod:`autograder.sandbox`), gets the learner's return values back
  as plain data, and calls :func:`judge` itself — so nothing learner code does can change a verdict;
- by the hidden test cells of the instructor notebooks (``assert_cases``), so that plain
  ``nbgrader autograde`` grades the same cases (in the learner's kernel, with nbgrader's weaknesses).

Inputs are plain data: NumPy arrays, numbers, Keras models given as a :class:`ModelSpec` (built
on each side by one builder), and activations named by :class:`Act`, which each
side resolves to a function of its own (the sandbox wraps it to count its calls: with the Python
steps of the learner's code, on all examples and on one, they show whether a "vectorised" answer
still loops over the examples).

Each assignment has a package here (``week1/``, ``week3/``) with one module per graded notebook,
named after it (``week3/assignment_logistic_regression.py`` for
``notebooks/week3/04_assignment_logistic_regression.ipynb``); each defines
``EXERCISES: dict[str, Exercise]`` keyed by the exercise's nbgrader ``grade_id`` (= function name),
and the week's ``__init__.py`` merges them in the notebooks' order.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograder.contract.activations import Act
from autograder.sandbox import child
from course_utils.checks.core.compare import Difference, compare
from course_utils.checks.core.models import describe_model_data, model_data, model_from_spec
from course_utils.checks.core.steps import StepCounter, iterates_over_examples, probe_batch

#: Seeds of each assignment's hidden cases (every module of a week draws from its week's seed);
#: change one only together with a note to instructors (grades move).
SEEDS = {"week1": 20241, "week2": 20242, "week3": 20243, "week4": 20244, "week5": 20245}


@dataclass(frozen=True, eq=False)
class ModelSpec:
    """A Keras model passed to a graded function (week 5's base model), as data: a Sequential of
    ``keras.Input((input_dim,))`` and Dense ``layers`` (``(units, activation)`` pairs) whose
    weights are exactly ``weights`` (kernel, bias, per layer; float32, as Keras holds them),
    compiled with ``loss`` (a key of :data:`course_utils.checks.core.models.SPEC_LOSSES`).

    The grader sends it as ``{"__model__": ...}`` (:func:`autograder.grading.assignment.encode`); the
    sandbox and :func:`run_case_in_process` build the model with the one builder,
    :func:`course_utils.checks.core.models.model_from_spec`.
    """

    input_dim: int
    layers: tuple[tuple[int, str], ...]
    weights: tuple[np.ndarray, ...]
    loss: str = "sparse_categorical_crossentropy_from_logits"

    def data(self) -> dict:
        """The spec as plain data (what :func:`~course_utils.checks.core.models.model_from_spec` reads)."""
        return {"input_dim": self.input_dim, "layers": [[u, a] for u, a in self.layers],
                "weights": list(self.weights), "loss": self.loss}

    def build(self):
        """The Keras model (imports Keras)."""
        return model_from_spec(self.data())


def resolve(value):
    """Replace every :class:`Act` in nested tuples/lists by its function (for in-process calls)."""
    if isinstance(value, Act):
        return value.resolve()
    if isinstance(value, tuple):
        return tuple(resolve(v) for v in value)
    if isinstance(value, list):
        return [resolve(v) for v in value]
    return value


@dataclass(frozen=True)
class Case:
    """One call of a graded function and its expected answer.

    ``args`` are plain data (see module docstring). ``expected`` is computed by the grader (from
    :mod:`course_utils.reference`, or given as data) and is never sent to learner code.
    ``kind`` says how the answer is compared:

    - ``"array"``: one array (same shape, ``allclose``);
    - ``"model"``: a Keras model's description, made in the grader from the data the model gives
      about itself (see :mod:`course_utils.checks.core.models`); ``expected`` is then a dict of the
      properties that must match, or ``check(case, description)`` judges it (a transfer model:
      its weights against the base's);
    - ``"structure"``: tuples, dicts, lists, arrays and numbers, compared part by part by
      :func:`course_utils.checks.core.compare.compare` (``parts`` names a returned tuple's parts,
      ``examples`` is m, to name a missing ``1/m``; ``float_arrays``: float arrays may not come
      back as integers);
    - ``"property"``: ``check(case, value)`` (a function of the grader's, never sent anywhere)
      judges the returned value and returns a :class:`~course_utils.checks.core.compare.Difference`
      or ``None``: for exercises that train, judged by tolerance bands and properties (the cost
      decreases, the accuracy is above a floor), not by one exact trajectory.

    ``batch_rows``: for vectorised exercises, the number of examples m in the batch; the answer
    fails when its Python work grows with m, i.e. it still iterates over the examples (see
    :mod:`course_utils.checks.core.steps`). ``batch_args``: which arguments hold the examples along
    their first axis (``X`` and ``y``). ``warn_free``: the call must not emit a warning (e.g. an
    overflow in ``exp``).
    """

    exercise: str
    name: str
    args: tuple
    expected: Any
    kind: str = "array"
    visible: bool = False
    rtol: float = 1e-6
    atol: float = 1e-8
    batch_rows: int | None = None
    batch_args: tuple[int, ...] = (0,)
    parts: tuple[str, ...] | None = None
    examples: int | None = None
    float_arrays: bool = False
    warn_free: bool = False
    check: Callable[[Case, Any], Difference | None] | None = None

    def settings(self) -> list:
        """What, besides ``args`` and ``expected``, decides this case's verdict (fingerprinted:
        a change in any of them is a change in the grading)."""
        check = None if self.check is None else f"{self.check.__module__}.{self.check.__qualname__}"
        return [self.name, self.kind, self.visible, self.rtol, self.atol, self.batch_rows,
                list(self.batch_args), self.parts and list(self.parts), self.examples,
                self.float_arrays, self.warn_free, check]


def structure_case(exercise: str, name: str, args: tuple, expected: Any, *, visible: bool = False,
                   **settings) -> Case:
    """A ``"structure"`` case (tuples, dicts, numbers, arrays compared part by part)."""
    return Case(exercise, name, args, expected, kind="structure", visible=visible, **settings)


@dataclass(frozen=True)
class Verdict:
    """Whether a case passed, and why not. ``message`` may quote the learner's answer (its shape,
    type, numbers, exception); ``summary`` never does (only the grader's own words), and is what
    the feedback shows for a hidden case: anything learner-controlled there could carry the
    hidden inputs out."""

    passed: bool
    message: str = ""
    summary: str = ""


@dataclass(frozen=True)
class Exercise:
    """A graded exercise: its function name (= nbgrader grade_id) and how its cases are made.

    ``numpy_only``: answers may not call TensorFlow/Keras or :mod:`course_utils.reference`.
    ``cases`` is called with no arguments and returns the list of :class:`Case` (seeded, so the
    same every time).
    """

    name: str
    cases: Callable[[], list[Case]]
    numpy_only: bool = True
    vectorised: bool = False
    description: str = ""
    extra: dict = field(default_factory=dict)


def exercises(assignment: str) -> dict[str, Exercise]:
    """The graded exercises of ``assignment`` (e.g. ``"week1"``), keyed by grade_id."""
    try:
        module = importlib.import_module(f"autograder.cases.{assignment}")
    except ModuleNotFoundError:
        raise ValueError(
            f"no grading cases for assignment {assignment!r}: add autograder/cases/{assignment}/ "
            "defining EXERCISES"
        ) from None
    return module.EXERCISES


def judge(case: Case, result: dict) -> Verdict:
    """Judge one learner result against ``case``. Runs in the grader, never in learner code.

    ``result`` is what the sandbox sent back, as plain data:
    ``{"error": str}`` when the call raised (the exception's type and message), or
    ``{"value": ..., "type": "<type name of the raw return value>", "g_calls": <calls of the
    activations>}``, and for vectorised cases
    ``"steps": [Python steps on the case's batch, on the probe batch]`` (see
    :func:`course_utils.checks.core.steps.probe_batch`).
    """
    if "error" in result:
        if result.get("grader"):  # the grader's own words (a call killed, never answered, ...)
            return Verdict(False, str(result["error"]), str(result["error"]))
        return Verdict(False, f"raised {result['error']}", "raised an exception")
    if case.kind == "model":
        # The sandbox sends what the model says about itself; the description is made here.
        return _judge_model(case, describe_model_data(result.get("value")))
    if case.warn_free and result.get("warnings"):
        first = str(result["warnings"][0])[:200]
        return Verdict(
            False,
            f"the call emitted a warning ({first}): for large |z| compute with exp of a "
            "non-positive number only (e.g. split on the sign of z), so nothing overflows",
            "the call emitted a warning (an overflow?) for large |z|: compute with exp of a "
            "non-positive number only",
        )
    if case.kind in ("structure", "property"):
        return _judge_structure(case, result)
    return _judge_array(case, result)


def _judge_structure(case: Case, result: dict) -> Verdict:
    value = result.get("value")
    if case.kind == "property":
        assert case.check is not None, f"property case {case.name!r} has no check"
        problem = case.check(case, value)
    else:
        problem = compare(case.expected, value, rtol=case.rtol, atol=case.atol,
                          name="the return value", parts=case.parts,
                          m=case.examples or case.batch_rows, float_arrays=case.float_arrays)
    if problem:
        return Verdict(False, problem.message, problem.summary)
    return _vectorised_verdict(case, result) or Verdict(True, "")


def _judge_array(case: Case, result: dict) -> Verdict:
    raw_type = result.get("type", "ndarray")
    if "Tensor" in raw_type or raw_type.startswith("EagerTensor"):
        return Verdict(False, f"returned a {raw_type}, not a NumPy array; the exercise is NumPy only",
                       "returned a tensor, not a NumPy array")
    try:
        got = np.asarray(result["value"], dtype=float)
    except (TypeError, ValueError):
        return Verdict(False, f"returned {raw_type}, which is not an array of numbers",
                       "returned something that is not an array of numbers")
    want = np.asarray(case.expected, dtype=float)
    if got.shape != want.shape:
        return Verdict(False, f"wrong output shape: expected {want.shape}, got {got.shape}",
                       "wrong output shape")
    bad = ~np.isfinite(got) & np.isfinite(want)
    if bad.any():
        return Verdict(
            False,
            f"returned NaN or inf in {int(bad.sum())} of {got.size} value(s) where the expected "
            "output is finite — an overflow (e.g. exp of a large number)?",
            "returned NaN or inf where the expected output is finite — an overflow?",
        )
    if not np.all(np.isfinite(got) == np.isfinite(want)) or not np.allclose(
        got, want, rtol=case.rtol, atol=case.atol, equal_nan=False
    ):
        finite = np.isfinite(want) & np.isfinite(got)
        diff = np.max(np.abs(got - want)[finite]) if finite.any() else float("inf")
        return Verdict(False, f"wrong values: largest difference from the expected output is {diff:.3g}",
                       "wrong values")
    if result.get("g_calls") == 0 and _has_activation(case.args):
        never = ("the activation g was never called (the numbers only look right because g is "
                 "linear here): return g(z)")
        return Verdict(False, never, never)
    return _vectorised_verdict(case, result) or Verdict(True, "")


def _vectorised_verdict(case: Case, result: dict) -> Verdict | None:
    """A failed verdict when the Python steps grew with the examples, else ``None``."""
    steps = result.get("steps")
    if case.batch_rows is None or not isinstance(steps, list | tuple) or len(steps) != 2:
        return None
    m_probe = probe_batch(case.args, case.batch_args)[1]
    mine, probe = (int(n) for n in steps)
    if not iterates_over_examples(case.batch_rows, mine, m_probe, probe):
        return None
    how = ("one np.matmul per layer" if case.kind == "array" else
           "matrix products (X @ w, Xᵀ dz)")
    return Verdict(
        False,
        f"not vectorised: the function does {mine} Python steps for {case.batch_rows} "
        f"example(s) and {probe} for {m_probe}, so it still loops over the examples (a for "
        f"loop, comprehension, map, apply_along_axis or np.vectorize over the rows); compute "
        f"the whole batch with {how}",
        f"not vectorised: it still loops over the examples; compute the whole batch with {how}",
    )


def _has_activation(value) -> bool:
    if isinstance(value, Act):
        return True
    return isinstance(value, tuple | list) and any(_has_activation(v) for v in value)


def _judge_model(case: Case, description: Any) -> Verdict:
    if case.check is not None:  # judged by the exercise's own rules (week 5's transfer model)
        problem = case.check(case, description)
        return Verdict(False, problem.message, problem.summary) if problem else Verdict(True, "")
    if not isinstance(description, dict):
        not_model = "build_model() did not return a Keras model"
        return Verdict(False, not_model, not_model)
    for key, want in case.expected.items():
        got = description.get(key)
        if got != want:
            what = key.replace("_", " ")
            return Verdict(False, f"{what}: expected {want!r}, got {got!r}", f"wrong {what}")
    return Verdict(True, "")


def run_case_in_process(func: Callable, case: Case) -> dict:
    """Call ``func`` on ``case``'s inputs in this process and return the result as plain data.

    The same protocol the sandbox uses; here for ``assert_cases`` (plain nbgrader) and tests.
    """
    calls = [0]  # activation calls count as steps, wherever the activation is defined

    def prepare(value):
        if isinstance(value, Act):
            g = value.resolve()

            def counted(z, _g=g):
                calls[0] += 1
                return _g(z)

            return counted
        if isinstance(value, ModelSpec):
            return value.build()  # as the sandbox builds it, from the same spec
        if isinstance(value, tuple):
            return tuple(prepare(v) for v in value)
        if isinstance(value, list):
            return [prepare(v) for v in value]
        if isinstance(value, dict):
            return {k: prepare(v) for k, v in value.items()}
        return np.array(value, copy=True) if isinstance(value, np.ndarray) else value

    batched = case.batch_rows is not None  # only a vectorised case's Python steps are counted

    def steps_of(args) -> tuple[Any, int | None]:
        calls[0] = 0
        prepared = prepare(args)
        if not batched:
            return func(*prepared), None
        with StepCounter() as counter:
            out = func(*prepared)
        return out, counter.steps + calls[0]

    steps = None
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            raw, mine = steps_of(case.args)
    except Exception as exc:  # noqa: BLE001 - any learner exception is a failed case
        return {"error": f"{type(exc).__name__}: {exc}"}
    g_calls = calls[0]
    if batched:
        try:
            steps = [mine, steps_of(probe_batch(case.args, case.batch_args)[0])[1]]
        except Exception:  # noqa: BLE001 - fails on the other batch only: nothing to compare
            steps = None
    if case.kind == "model":
        return {"value": model_data(raw), "type": type(raw).__name__}
    if case.kind in ("structure", "property"):
        # As the sandbox sends it: plain data (arrays, numbers, tuples, lists, str-keyed dicts).
        result = {"value": child.decode(child.encode(raw)), "type": type(raw).__name__}
    else:
        try:
            value = np.asarray(raw, dtype=float)
        except Exception:  # noqa: BLE001
            value = None
        result = {"value": value, "type": type(raw).__name__, "g_calls": g_calls}
    if steps is not None:
        result["steps"] = steps
    if case.warn_free and caught:
        result["warnings"] = [f"{w.category.__name__}: {w.message}" for w in caught]
    return result


def assert_cases(assignment: str, exercise: str, func: Callable) -> None:
    """Run every case of ``exercise`` on ``func`` in this kernel; raise listing the failures.

    Used by the hidden test cells of the instructor notebooks, so that plain ``nbgrader
    autograde`` grades the same cases as ``autograder grade``.
    """
    failures = []
    for case in exercises(assignment)[exercise].cases():
        verdict = judge(case, run_case_in_process(func, case))
        if not verdict.passed:
            failures.append(f"{case.name}: {verdict.message}")
    assert not failures, f"{exercise}: {len(failures)} case(s) failed:\n" + "\n".join(failures)
