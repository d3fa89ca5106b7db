"""Instant check for week 4's second graded assignment, a deep network trained on digits
(``notebooks/week4/04_assignment_deep_network_digits.ipynb``): ``model_fit``.

``assert check_model_fit(model_fit)`` repeats the exercise's visible grading case
(``autograder/cases/week4.py``): the same moons, layer sizes, learning rate, iterations and seed.
A training exercise is judged by properties, not by one expected value (another honest random start
trains another network): the answer's form (``(parameters, costs)``, every layer's shapes, one cost
per 100 iterations), costs that fall, and a trained network about as good as the reference's
training makes it. What the reference reaches on that case is held here as numbers; nothing here
trains a network or computes a gradient. The grader judges every ``model_fit`` case with
:func:`trained_deep_network_problem`, so the check and the grader name a mistake in the same words.

To score a trained network, :func:`deep_network_scores` evaluates it with the network's definition
(ReLU in the hidden layers, a sigmoid output), the forward pass the notebook states as formulas.

Row convention: ``X (m, n0)`` one example per row, ``W{l} (n[l-1], n[l])``, ``b{l} (n[l],)``,
labels ``y (m,)``.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from course_utils.checks.core.compare import Difference, compare, type_name
from course_utils.checks.core.structured import StructureCase, run_structure_check
from course_utils.data import load_planar_data

#: Iterations between two recorded costs (iteration 0 is recorded, before its step).
COST_EVERY = 100

# --- the visible case (the grader's too: autograder/cases/week4.py) ----------------------------
#: ``load_planar_data(seed=MOONS_SEED)``: 200 moons.
MOONS_SEED = 4
FIT_NAME = "moons, [2, 8, 4, 1], learning rate 0.3, 1500 iterations"
FIT_DIMS = [2, 8, 4, 1]
FIT_RATE, FIT_ITERATIONS, FIT_SEED = 0.3, 1500, 0
#: What the reference's training reaches on it: the first and last recorded costs, the trained
#: network's training accuracy and cost.
FIT_FIRST_COST = 0.6970172900363764
FIT_LAST_COST = 0.003985492471052265
FIT_ACCURACY = 1.0
FIT_COST = 0.003523819053739839

#: How far below the reference's training accuracy, and above its cost, a trained network may end
#: (another honest random start lands within these bands).
ACCURACY_BAND = 0.03
COST_BAND = 0.05


def fit_case_data() -> tuple:
    """The visible case's arguments: ``(X (200, 2), y (200,), [2, 8, 4, 1], 0.3, 1500, 0)``."""
    X, y = load_planar_data(seed=MOONS_SEED)
    return X, y, list(FIT_DIMS), FIT_RATE, FIT_ITERATIONS, FIT_SEED


def recorded_costs(num_iterations: int) -> int:
    """How many costs ``num_iterations`` iterations record: one at 0, 100, 200, …"""
    return len(range(0, int(num_iterations), COST_EVERY))


def deep_network_scores(parameters: dict, X, y) -> tuple[float, float]:
    """``(accuracy, cost)`` of the network ``parameters`` (ReLU in layers 1 … L−1, a sigmoid in
    layer L) on ``X (m, n0)``, ``y (m,)``: the fraction of examples with ``(AL > 0.5) == y`` and the
    mean cross-entropy. Scores a trained answer; it is the network's definition, the notebook's
    formulas."""
    A = np.asarray(X, dtype=float)
    Y = np.asarray(y, dtype=float).reshape(-1, 1)
    layers = len(parameters) // 2
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        for layer in range(1, layers + 1):
            Z = A @ parameters[f"W{layer}"] + parameters[f"b{layer}"]
            A = 1.0 / (1.0 + np.exp(-Z)) if layer == layers else np.maximum(0.0, Z)
        cost = -np.mean(Y * np.log(A) + (1.0 - Y) * np.log(1.0 - A))
    return float(np.mean((A > 0.5) == (Y == 1.0))), float(cost)


def _both(text: str) -> Difference:
    return Difference(text, text)


def _transposed(value, shapes: dict) -> Difference | None:
    """A weight of shape ``(n[l], n[l-1])`` where ``(n[l-1], n[l])`` belongs (the notes' column
    convention), or ``None``. Checked before :func:`compare`, which judges the form only here and
    so cannot tell a transposed array by its numbers."""
    parameters = value[0] if isinstance(value, tuple | list) and len(value) == 2 else None
    if not isinstance(parameters, dict):
        return None
    for key, want in shapes.items():
        got = np.shape(parameters[key]) if key in parameters else None
        if want.ndim == 2 and want.shape[0] != want.shape[1] and got == want.shape[::-1]:
            why = ("row convention: W{l} is (n[l-1], n[l]), inputs by units; the notes' "
                   "(n[l], n[l-1]) is the column convention")
            return Difference(f"parameters[{key!r}] has shape {got}, expected {want.shape}: it is "
                              f"transposed ({why})", f"parameters[{key!r}] is transposed ({why})")
    return None


def _costs_not_numbers(value) -> Difference | None:
    """A list of costs holding something else than numbers (arrays of shape (1,), say), or ``None``."""
    costs = value[1] if isinstance(value, tuple | list) and len(value) == 2 else None
    if not isinstance(costs, list | tuple):
        return None
    odd = next((c for c in costs if not isinstance(c, numbers.Real | np.floating | np.integer)
                and not (isinstance(c, np.ndarray) and c.ndim == 0)), None)
    if odd is None:
        return None
    why = "each recorded cost should be a number, float(...), not an array"
    return Difference(f"costs holds {type_name(odd)}: {why}", f"costs: {why}")


def _layers_problem(value, dims: list[int]) -> Difference | None:
    """A network with another number of layers than ``layer_dims`` asks for, or ``None``."""
    parameters = value[0] if isinstance(value, tuple | list) and len(value) == 2 else None
    if not isinstance(parameters, dict):
        return None
    layers = sum(1 for key in parameters if isinstance(key, str) and key.startswith("W"))
    if layers == len(dims) - 1:
        return None
    how = ("one W{l} and b{l} for each l = 1 … len(layer_dims) − 1: loop over layer_dims, do not "
           "write the layers out")
    return Difference(f"the network has {layers} weight matrices, but layer_dims {dims} asks for "
                      f"{len(dims) - 1} layers: {how}",
                      f"the network does not have the layers layer_dims asks for: {how}")


#: The hint for costs that start at ln 2 and stay there (every output 0.5).
TINY_START = ("they stay at ln 2 = 0.693 (every output 0.5) for at least 100 iterations, so the "
              "weights start at zero or tiny. In a ReLU network each layer scales the signal by "
              "about its weights' size times √n[l-1]: start from the standard normal × "
              "√(2 / n[l-1]) (He), not 0 or × 0.01")


def _stuck_at_ln2(costs: np.ndarray) -> bool:
    """Costs that start at ln 2 to 4 decimals (outputs all 0.5: zero or tiny weights) and have not
    moved 100 iterations later. He's start is rarely that close."""
    return costs.size > 1 and abs(costs[0] - math.log(2.0)) < 1e-4 and costs[1] > costs[0] - 1e-3


def _stalled(costs: np.ndarray) -> Difference | None:
    """The named reasons for recorded costs that do not fall as they should, or ``None``."""
    if _stuck_at_ln2(costs):
        return _both(f"the recorded costs barely fall: {TINY_START}")
    if costs.size > 1 and np.ptp(costs) == 0:
        return _both("the recorded costs barely fall: they never change. Is each iteration's step "
                     "applied to the parameters used by the next (parameters = the updated ones)?")
    if costs[-1] > costs[0]:
        return _both("the recorded costs barely fall: they rise. Gradient DEScent subtracts: "
                     "p := p − learning_rate · dp")
    return None


def trained_deep_network_problem(value, X, y, layer_dims, num_iterations, first_cost: float,
                                 last_cost: float, best_accuracy: float, best_cost: float, *,
                                 accuracy_band: float = ACCURACY_BAND,
                                 cost_band: float = COST_BAND) -> Difference | None:
    """What is wrong with ``value`` as ``model_fit(X, y, layer_dims, …, num_iterations, …)``'s
    answer ``(parameters, costs)``, or ``None``.

    The form: ``W{l} (n[l-1], n[l])`` and ``b{l} (n[l],)`` for every layer of ``layer_dims``, one
    cost per 100 iterations from iteration 0; finite numbers; costs that fall at least half as far
    as the reference's (``first_cost`` to ``last_cost``); and a training accuracy (cost) no more than
    ``accuracy_band`` below (``cost_band`` above) what the reference's training reaches,
    ``best_accuracy`` (``best_cost``). The grader uses it for every case (hidden too), so the
    ``summary`` of each difference quotes none of the case's inputs.
    """
    dims = [int(n) for n in layer_dims]
    n_costs = recorded_costs(num_iterations)
    shapes = {key: np.zeros(shape) for layer in range(1, len(dims)) for key, shape in (
        (f"W{layer}", (dims[layer - 1], dims[layer])), (f"b{layer}", (dims[layer],)))}
    problem = _transposed(value, shapes) or _layers_problem(value, dims) or _costs_not_numbers(value)
    if problem:
        return problem
    problem = compare((shapes, np.zeros(n_costs)), value, name="the return value",
                      parts=("parameters", "costs"), values=False)
    if problem and problem.message.startswith("costs has shape"):
        got = np.shape(value[1])
        if len(got) == 1:
            why = ("one cost per 100 iterations, recorded when i % 100 == 0 (iterations 0, 100, "
                   "200, …)")
            return Difference(f"{problem.message}: {why}, so {num_iterations} iterations give "
                              f"{n_costs}", f"{problem.summary}: {why}")
        if got[0] == n_costs:
            why = "each recorded cost should be a number, float(...), not an array"
            return Difference(f"{problem.message}: {why}", f"{problem.summary}: {why}")
    if problem:
        return problem
    parameters = {key: np.asarray(value[0][key], dtype=float) for key in shapes}
    costs = np.asarray(value[1], dtype=float)
    if not all(np.all(np.isfinite(v)) for v in parameters.values()) or not np.all(np.isfinite(costs)):
        # Parameters that overflow from a finite start: steps that climb the cost.
        blown = np.isfinite(costs[0]) and not all(np.all(np.isfinite(v)) for v in parameters.values())
        why = (": the costs blow up until the numbers overflow. Gradient DEScent subtracts: "
               "p := p − learning_rate · dp" if blown else "")
        return _both(f"the trained parameters or the costs hold NaN or inf{why}")
    if costs[-1] > costs[0] - 0.5 * (first_cost - last_cost):
        return _stalled(costs) or Difference(
            "the recorded costs barely fall: is each iteration's step applied to the parameters "
            "used by the next?", "the recorded costs barely fall")
    reached, cost = deep_network_scores(parameters, X, y)
    if reached < best_accuracy - accuracy_band or not cost <= best_cost + cost_band:
        why = (f": the recorded costs {TINY_START}" if _stuck_at_ln2(costs) else
               ": are all iterations run with the given learning rate?")
        return Difference(
            f"the trained network classifies {reached:.3f} of the training set correctly (cost "
            f"{cost:.3f}); {num_iterations} iterations of the same training reach "
            f"{best_accuracy:.3f} (cost {best_cost:.3f}){why}",
            f"the trained network is clearly worse than the same training should make it{why}")
    return None


def check_model_fit(model_fit) -> bool:
    """``model_fit(X, y, [2, 8, 4, 1], 0.3, 1500, 0)`` on 200 moons: ``(parameters, costs)`` of the
    right form, costs that fall, and a network about as good as that training makes it."""
    args = fit_case_data()
    X, y = args[0], args[1]
    case = StructureCase(
        FIT_NAME, f"X, y = load_planar_data(seed={MOONS_SEED}) (200 moons), layer_dims = "
        f"{FIT_DIMS}, learning_rate = {FIT_RATE}, num_iterations = {FIT_ITERATIONS}, "
        f"seed = {FIT_SEED}", args,
        judge=lambda answer: trained_deep_network_problem(
            answer, X, y, FIT_DIMS, FIT_ITERATIONS, FIT_FIRST_COST, FIT_LAST_COST, FIT_ACCURACY,
            FIT_COST))
    return run_structure_check("model_fit", model_fit, [case])
