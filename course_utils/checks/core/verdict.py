"""Running a check's cases and printing one clear verdict; shared by every week's checks.

A check is a list of :class:`CheckCase`: the inputs, the expected output, and the outputs that
typical mistakes produce on those inputs (precomputed numbers, never reference code). When the
learner's answer matches one of those, the verdict names the mistake instead of just "wrong".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from course_utils.checks.core.steps import StepCounter, iterates_over_examples, probe_batch

# ✔ and ✘ are in DejaVu Sans Mono and the usual system symbol fonts; the emoji marks U+2705 and U+274C showed as
# empty boxes wherever no emoji font is installed (tests/test_checks_core_marks.py).
PASS_MARK = "\N{HEAVY CHECK MARK}"
FAIL_MARK = "\N{HEAVY BALLOT X}"

#: Messages for the mistakes that the cases' precomputed outputs can reveal (keys of ``mistakes``).
MISTAKES = {
    "no_activation": "the activation is not applied: compute z first, then return g(z).",
    "activation_before_bias": (
        "the activation is applied before adding the bias: the order is z = w · a + b, then g(z) "
        "(g(w · a) + b is a different function)."
    ),
    "no_bias": "the bias b is ignored: z must include + b (one bias per unit).",
    "transposed_W": (
        "W is used transposed: W has shape (n_in, units) and unit j's weights are the COLUMN "
        "W[:, j] (in matrix form a @ W, not W @ a or a @ W.T)."
    ),
    "first_activation_everywhere": (
        "every layer uses the first layer's activation: unpack (W, b, g) from each layer in turn."
    ),
    "last_activation_everywhere": (
        "every layer uses the last layer's activation: unpack (W, b, g) from each layer in turn."
    ),
    "thresholded": (
        "the output holds 0/1 decisions, not probabilities: predict returns the network's output "
        "a[2] for each example; the threshold (>= 0.5) is applied afterwards, to the result."
    ),
    "first_example_repeated": (
        "every row holds the first example's output: inside the loop over i, pass row X[i] "
        "(not X[0]) through the network, and store the result in row i."
    ),
    # notebooks/week3/05_shallow_network.ipynb: tanh_prime(A), tanh's derivative from tanh's output A.
    "tanh_applied_again": (
        "tanh is applied a second time: the argument is already the activation A = tanh(Z), not Z, "
        "so the derivative is 1 - A**2 (1 - np.tanh(A)**2 computes tanh(tanh(Z)))."
    ),
    "no_square": "A is not squared: tanh'(z) = 1 - tanh(z)**2, so 1 - A**2, not 1 - A.",
    "sigmoid_rule": "this is the SIGMOID's derivative rule, A * (1 - A); for tanh it is 1 - A**2.",
    "wrong_sign": (
        "the sign is flipped: 1 - A**2, not A**2 - 1 (tanh is increasing, so its derivative is "
        "never negative)."
    ),
    "plus_instead_of_minus": "1 + A**2 instead of 1 - A**2: the square is subtracted.",
    "square_only": "only A**2 is returned: the derivative is 1 - A**2.",
}


@dataclass(frozen=True)
class CheckCase:
    """One call of the learner's function.

    ``inputs`` is how the case is shown to the learner (a short readable description);
    ``mistakes`` maps a key of :data:`MISTAKES` to the output that mistake gives on these inputs;
    ``batch_rows`` (vectorised exercises) is m: the function must not iterate over the m examples
    in Python (see :mod:`course_utils.checks.core.steps`).
    """

    name: str
    inputs: str
    args: tuple
    expected: Any
    mistakes: dict[str, Any] = field(default_factory=dict)
    batch_rows: int | None = None
    rtol: float = 1e-6
    atol: float = 1e-8


def _gives_activation(args) -> bool:
    """Whether a case's arguments hold a callable (an activation ``g``), at any depth."""
    if callable(args) and not isinstance(args, np.ndarray):
        return True
    return isinstance(args, (tuple, list)) and any(_gives_activation(a) for a in args)


def _record_activations(value, shapes: list):
    """Copy the inputs, wrapping every callable (an activation) so that it records its input shapes."""
    if callable(value) and not isinstance(value, np.ndarray):

        def recorded(z, _g=value):
            shapes.append(tuple(np.shape(z)))
            return _g(z)

        return recorded
    if isinstance(value, tuple):
        return tuple(_record_activations(v, shapes) for v in value)
    if isinstance(value, list):
        return [_record_activations(v, shapes) for v in value]
    if isinstance(value, np.ndarray):
        return value.copy()  # a learner's in-place edit must not leak into the next case
    return value


def format_array(value) -> str:
    """An array (or number) as the checks print it: full precision, continuation lines indented."""
    arr = np.asarray(value)
    text = np.array2string(arr, precision=8, separator=", ", suppress_small=False)
    return text.replace("\n", "\n" + " " * 14)


def is_tensor(value) -> bool:
    """Whether ``value`` is a TensorFlow, Keras, JAX or PyTorch tensor (not a NumPy array)."""
    module = type(value).__module__ or ""
    return module.startswith(("tensorflow", "keras", "tf_keras", "jax", "torch")) or "Tensor" in type(
        value
    ).__name__


def _exception_hint(func_name: str, exc: BaseException) -> str:
    if isinstance(exc, NotImplementedError):
        return f"{func_name} is not written yet: replace `raise NotImplementedError()` by your code."
    text = str(exc).lower()
    if any(word in text for word in ("shape", "align", "broadcast", "dimension", "size")):
        return (
            "a shape mismatch. The course's convention: a_in is (n_in,), A_in is (m, n_in), "
            "W is (n_in, units) with unit j's weights in the column W[:, j], b is (units,). "
            "Print the shapes of your intermediate arrays; did you use W.T, a row W[j] or the "
            "wrong layer's input?"
        )
    if isinstance(exc, NameError):
        return "a name is not defined: run the cells above (or define the helper you call)."
    return "read the error message above; the case's inputs are shown so you can try it yourself."


def _diagnose_values(case: CheckCase, got: np.ndarray) -> str | None:
    """The named mistake whose precomputed output equals ``got``, if any."""
    for key, value in case.mistakes.items():
        candidate = np.asarray(value, dtype=float)
        if candidate.shape == got.shape and np.allclose(got, candidate, rtol=1e-6, atol=1e-8):
            return MISTAKES[key]
    return None


def _diagnose_shape(got: np.ndarray, want: np.ndarray) -> str:
    if got.size == want.size and np.allclose(got.ravel(), want.ravel(), rtol=1e-6, atol=1e-8):
        return (
            f"the numbers are right but the shape is {got.shape}, not {want.shape}: "
            "return the array without extra (or missing) dimensions."
        )
    if want.ndim == 2 and got.shape == want.shape[::-1]:
        return f"the output is transposed: return shape (m, units) = {want.shape}, one row per example."
    if want.ndim == 1 and got.ndim == 2:
        return f"one example's activation is a 1-D vector of shape {want.shape} (one value per unit)."
    return f"the output should have one value per unit: shape {want.shape}."


def _vectorised_problem(func: Callable, case: CheckCase, steps: int) -> list[str] | None:
    """Explain why ``func`` is not vectorised: its Python work grows with the number of examples
    (see :mod:`course_utils.checks.core.steps`); ``steps`` is its count on the case's batch."""
    m = case.batch_rows
    probe, m_probe = probe_batch(case.args)
    shapes: list[tuple] = []
    args = _record_activations(probe, shapes)
    try:
        with StepCounter() as counter:
            func(*args)
    except Exception:  # noqa: BLE001 - fails on the other batch only: nothing to compare
        return None
    steps_probe = counter.steps + len(shapes)
    if not iterates_over_examples(m, steps, m_probe, steps_probe):
        return None
    return [
        f"got:      the right numbers, but your code does {steps} Python steps for {m} "
        f"example(s) and {steps_probe} for {m_probe}: it still works example by example",
        "Likely mistake: a loop over examples left in the vectorised version (a for loop, list "
        "comprehension, map, np.apply_along_axis or np.vectorize over the rows). A vectorised layer "
        "computes Z = A_in @ W + b for the whole batch with one np.matmul, then g(Z).",
    ]


def _run_case(func_name: str, func: Callable, case: CheckCase) -> tuple[list[str], bool] | None:
    """``None`` when ``case`` passes, else the lines explaining the failure and whether they
    name a specific mistake (those are shown first)."""
    shapes: list[tuple] = []
    lines = [f"inputs:   {case.inputs}", f"expected: {format_array(case.expected)}"]
    args = _record_activations(case.args, shapes)
    batched = case.batch_rows is not None  # only a vectorised case's Python steps are counted
    try:
        with StepCounter() if batched else nullcontext() as counter:
            raw = func(*args)
    except Exception as exc:  # noqa: BLE001 - any exception in learner code is a failed case
        shown = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return [*lines, f"got:      an exception, {shown}",
                f"Likely mistake: {_exception_hint(func_name, exc)}"], False
    if raw is None:
        return [*lines, "got:      None",
                f"Likely mistake: {func_name} has no `return` statement."], True
    if is_tensor(raw):
        return [
            *lines,
            f"got:      a {type(raw).__module__}.{type(raw).__name__}, not a NumPy array",
            "Likely mistake: returns a TensorFlow tensor instead of a NumPy array: this exercise is "
            "NumPy only (np.matmul / np.dot, and g from the arguments), no tf.* functions.",
        ], True
    try:
        got = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        return [*lines, f"got:      {type(raw).__name__} {raw!r:.80}",
                "Likely mistake: the result is not an array of numbers; return a NumPy array."], True
    want = np.asarray(case.expected, dtype=float)
    lines.append(f"got:      {format_array(got)}")
    if got.shape != want.shape:
        return [*lines, f"Likely mistake: wrong output shape — {_diagnose_shape(got, want)}"], True
    if not np.allclose(got, want, rtol=case.rtol, atol=case.atol):
        named = _diagnose_values(case, got)
        if named:
            return [*lines, f"Likely mistake: {named}"], True
        return [*lines, "None of the usual mistakes gives these numbers: work this case out by "
                "hand, step by step, and compare."], False
    if not shapes and _gives_activation(case.args):  # a case without a g cannot call it
        return [*lines[:2], "got:      the right numbers, but g was never called",
                "Likely mistake: the activation is not applied (the numbers only look right "
                "because g is linear here): return g(z)."], True
    problem = _vectorised_problem(func, case, counter.steps + len(shapes)) if batched else None
    if problem:
        return [*lines[:2], *problem], True
    return None


def read_one_number(func_name: str, raw, not_one_hint: str, not_a_number_hint: str):
    """What a learner's function returned, read as ONE number: ``(float, None)``, or ``(None,
    lines explaining the problem)`` for ``None`` (no return), an array or list (``not_one_hint``
    says what to return instead) or something that is not a number (``not_a_number_hint``; a
    string such as ``"13"`` is refused, although ``float`` would read it)."""
    if raw is None:
        return None, ["got:      None", f"Likely mistake: {func_name} has no `return` statement."]
    shape = np.shape(raw)
    if shape != ():
        return None, [f"got:      {format_array(raw)} (shape {shape})",
                      f"Likely mistake: {not_one_hint}"]
    if not np.issubdtype(np.asarray(raw).dtype, np.number):
        return None, [f"got:      {type(raw).__name__} {raw!r:.80}",
                      f"Likely mistake: {not_a_number_hint}"]
    return float(raw), None


def given_a_function(func_name: str, func) -> bool:
    """Whether ``func`` is callable; if not, print the failed verdict that says so (a common slip is
    ``check_f(f(...))``, the function's result instead of the function)."""
    if callable(func):
        return True
    print(
        f"{FAIL_MARK} check_{func_name} needs the function itself: check_{func_name}({func_name}), "
        f"not check_{func_name}({func_name}(...)). Got a {type(func).__name__}."
    )
    return False


def shown_name(func_name: str, func) -> str:
    """The name a verdict calls the learner's function: its own (``my_dense`` in a lab that
    asks for it), else the exercise's (``func_name``) for a lambda or a callable object."""
    name = getattr(func, "__name__", None)
    return name if isinstance(name, str) and name.isidentifier() else func_name


def run_check(func_name: str, func: Callable, cases: Sequence[CheckCase]) -> bool:
    """Run ``cases`` on ``func``, print one verdict and return whether every case passed."""
    if not given_a_function(func_name, func):
        return False
    name = shown_name(func_name, func)
    results = [(i, case.name, _run_case(name, func, case)) for i, case in enumerate(cases, 1)]
    return print_case_verdict(name, len(cases),
                              [(i, case, *res) for i, case, res in results if res is not None])


def run_failures(func_name: str, cases: Sequence, failure: Callable) -> bool:
    """Run ``failure(case)`` on every case, print one verdict and return whether all passed.

    ``failure(case)`` is ``None`` when the case passes, else ``(lines, named)`` as in
    :func:`print_case_verdict`. A ``NotImplementedError`` it lets through (the learner's stub) is
    reported once, as "not written yet", without raising.
    """
    failures = []
    for i, case in enumerate(cases, 1):
        try:
            result = failure(case)
        except NotImplementedError:
            print(f"{FAIL_MARK} {func_name} is not written yet: replace `raise NotImplementedError()` "
                  "by your code.")
            return False
        if result is not None:
            failures.append((i, case.name, *result))
    return print_case_verdict(func_name, len(cases), failures)


def print_case_verdict(func_name: str, n_cases: int, failures: list[tuple]) -> bool:
    """Print the verdict of a check made of ``n_cases`` cases and return whether all passed.

    ``failures`` lists the failed cases as ``(number, case name, lines, named)``: the lines that
    explain the failure and whether they name a specific mistake. The first failure that names one
    is shown (else simply the first failure); the others are listed by name.
    """
    if not failures:
        print(f"{PASS_MARK} {func_name}: all {n_cases} cases passed.")
        return True
    i, name, lines, _ = next((f for f in failures if f[3]), failures[0])
    print(f"{FAIL_MARK} {func_name}: case {i} of {n_cases} failed, \"{name}\".")
    for line in lines:
        print("    " + line)
    if len(failures) > 1:
        others = ", ".join(f'{j} "{other}"' for j, other, _, _ in failures if j != i)
        print(f"    ({len(failures) - 1} more case(s) failed: {others}.)")
    return False


def print_verdict(name: str, problems: list[str], passed_text: str) -> bool:
    """Print a check verdict from a list of problems (first one is the headline); return success."""
    if not problems:
        print(f"{PASS_MARK} {name}: {passed_text}")
        return True
    print(f"{FAIL_MARK} {name}: {problems[0]}")
    for line in problems[1:]:
        print("    " + line)
    return False
