"""Instant checks for week 3's graded assignment 2, planar data with one hidden layer
(``notebooks/week3/06_assignment_planar_data.ipynb``).

Each ``check_<exercise>(<exercise>)`` repeats that exercise's visible grading case
(``autograder/cases/week3.py``): the same inputs, and the expected answers held here as numbers —
nothing here calls or contains the reference solutions. Answers are compared part by part with
:func:`course_utils.checks.core.compare.compare`, as the grader compares them, and typical mistakes are
named by the values they give (precomputed, see :class:`~course_utils.checks.core.structured.Mistake`).

The two exercises judged by properties share their judgment with the grader:
:func:`initialize_parameters_problem` (shapes, zero biases, small weights that break the symmetry)
and :func:`trained_network_problem` (a trained network about as good as the reference's training
makes it). To score a trained network, the latter evaluates it with the network's definition,
:func:`network_scores` — the forward pass the notebook states as formulas; no training code and no
gradient is here.

Row convention: ``X (m, n_x)`` one example per row, ``W1 (n_x, n_h)``, ``b1 (n_h,)``,
``W2 (n_h, n_y)``, ``b2 (n_y,)``, ``A2 (m, n_y)``, labels ``y (m,)``.
"""

from __future__ import annotations

import numpy as np

from course_utils.checks.core.compare import Difference, compare
from course_utils.checks.core.structured import Mistake, StructureCase, run_structure_check
from course_utils.data import load_planar_data

# --- the visible cases' inputs (the grader imports them from here: one copy) --------------------
#: A 2 → 4 → 1 network, small enough to follow by hand.
FORWARD_FACT = {"W1": np.array([[0.1, -0.2, 0.3, 0.0], [0.5, 0.4, -0.1, 0.2]]),
                "b1": np.array([0.0, 0.1, -0.1, 0.2]),
                "W2": np.array([[1.0], [-1.0], [0.5], [2.0]]), "b2": np.array([-0.3])}
X_SHALLOW_FACT = np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, -2.0]])
Y_SHALLOW_FACT = np.array([1.0, 0.0, 1.0])
SHALLOW_INPUTS = "the 2 → 4 → 1 network FORWARD_FACT, X = [[1, 2], [-1, 0.5], [0, -2]]"

#: Gradients for the visible update_parameters case (drawn once by the grader, kept as data).
UPDATE_GRADS = {"dW1": np.array([[-0.12, 1.37, 1.62, 1.38], [0.85, -0.47, -0.12, -1.11]]),
                "db1": np.array([0.4, -1.69, 0.65, -1.35]),
                "dW2": np.array([[-0.42], [-1.94], [0.79], [-0.14]]), "db2": np.array([1.7])}
UPDATE_RATE = 1.2

#: The visible nn_model case: the default moons, n_h, iterations, learning rate, seed.
NN_MODEL_ARGS = (4, 2000, 1.2, 3)
#: What the reference's training reaches on that case (training accuracy, final cost).
NN_MODEL_ACCURACY = 0.995
NN_MODEL_COST = 0.025006558078384398
#: How far below the reference's accuracy, and above its cost, a trained network may end (a
#: different but correct small random start lands within these bands).
ACCURACY_BAND = 0.03
COST_BAND = 0.05

# --- expected answers (what the reference returns on the inputs above) -------------------------
FORWARD_CACHE = {
    "Z1": np.array([[1.1, 0.7, -2.7755575615628914e-17, 0.6],
                    [0.15, 0.5, -0.45, 0.3],
                    [-1.0, -0.7, 0.1, -0.2]]),
    "A1": np.array([[0.8004990217606297, 0.6043677771171635, -2.7755575615628914e-17,
                     0.5370495669980353],
                    [0.14888503362331795, 0.46211715726000974, -0.4218990052500079,
                     0.29131261245159096],
                    [-0.7615941559557649, -0.6043677771171635, 0.09966799462495582,
                     -0.197375320224904]]),
    "Z2": np.array([[0.9702303786395368], [-0.2415564013585138], [-0.8021430219759313]]),
    "A2": np.array([[0.7251654147578267], [0.43990283580517275], [0.30956729242016706]]),
}
COST_A2 = np.array([[0.9], [0.2], [0.6]])
COST_Y = np.array([1.0, 0.0, 1.0])
COST = 0.2797765635793423
GRADS = {
    "dW1": np.array([[-0.17629085431365588, 0.17346965996462563, -0.10607254284615973,
                      -0.3987583492705849],
                     [0.19918732106545453, -0.23352448583743393, 0.16637991086328105,
                      0.7581495543281308]]),
    "db1": np.array([0.01382221721854467, 0.08891092590835244, -0.09946801054678474,
                     -0.3043535622802959]),
    "dW2": np.array([[0.12377321568033807], [0.15148692044139386], [-0.08480287074027347],
                     [0.03894127535839711]]),
    "db2": np.array([-0.1751214856722778]),
}
UPDATED = {"W1": np.array([[0.244, -1.844, -1.644, -1.656], [-0.52, 0.964, 0.044, 1.532]]),
           "b1": np.array([-0.48, 2.128, -0.88, 1.82]),
           "W2": np.array([[1.504], [1.328], [-0.448], [2.168]]), "b2": np.array([-2.34])}
PREDICTIONS = np.array([1.0, 0.0, 0.0])

# --- what typical mistakes give on those inputs ------------------------------------------------
BROADCAST_Y = ("y has shape (m,) and A2 (m, 1): combining them broadcasts to an (m, m) table, "
               "every label against every output. Reshape y to A2's shape first: "
               "Y = y.reshape(A2.shape).")
FORWARD_MISTAKES = (
    Mistake((1, "A1"), np.array([[0.7502601055951177, 0.6681877721681662, 0.5,
                                        0.6456563062257954],
                                       [0.5374298453437496, 0.6224593312018546,
                                        0.3893607660507781, 0.574442516811659],
                                       [0.2689414213699951, 0.3318122278318339, 0.52497918747894,
                                        0.4501660026875221]]),
            "the hidden layer uses sigmoid: it is tanh, A1 = np.tanh(Z1); sigmoid is for the "
            "output only."),
    Mistake((1, "Z1"), np.array([[1.1, 0.6, 0.1, 0.4], [0.15, 0.4, -0.35, 0.1],
                                       [-1.0, -0.8, 0.2, -0.4]]),
            "b1 is not added: Z1 = X @ W1 + b1 (b1 broadcasts to every row)."),
    Mistake((0,), np.array([[0.7488055075333697], [-0.23696529579103326],
                               [-0.66523313346747]]),
            "the output uses tanh: A2 = σ(Z2), a probability in (0, 1); tanh is for the hidden "
            "layer."),
)
COST_MISTAKES = (
    Mistake((), 2.631089159966082, BROADCAST_Y),
    Mistake((), 0.205395379807939,
            "the (1 − y) log(1 − a) term is missing: examples with label 0 must cost something "
            "too."),
)
BACKWARD_MISTAKES = (
    Mistake(("dW1",), np.array([[-0.03321163567527192, 0.05835312471905465, 0.043982788800541274,
                                 -0.10609942812146216],
                                [-0.6375022962477827, 0.471894592420876, -0.001339565839788048,
                                 -0.2783980349529979]]),
            "dZ1 uses the sigmoid's derivative A1 (1 − A1): the hidden layer is tanh, whose "
            "derivative is 1 − A1**2."),
    Mistake(("dW1",), np.array([[-0.12409658636623332, 0.15669758844246265, -0.10427618279946643,
                                 -0.384137143425132],
                                [0.11014434560049702, -0.19629121607045083, 0.16546647438350584,
                                 0.7826655464897673]]),
            "tanh'(Z1) is 1 − tanh(Z1)² = 1 − A1**2, not 1 − Z1**2."),
    Mistake(("dW1",), np.array([[-0.23824580701578202, 0.23824580701578202, -0.11912290350789101,
                                 -0.47649161403156404],
                                [0.35038255419263514, -0.35038255419263514, 0.17519127709631757,
                                 0.7007651083852703]]),
            "dZ1 misses tanh's derivative: dZ1 = (dZ2 @ W2.T) * (1 − A1**2)."),
    Mistake(("db1",), np.array([-0.15094073463774949, 0.3567113518280254, -0.5068590468904594]),
            "db1 sums over the units (axis=1): sum over the examples, dZ1.sum(axis=0) / m, one "
            "value per hidden unit."),
    Mistake(("db1",), np.array([[0.01382221721854467, 0.08891092590835244, -0.09946801054678474,
                                 -0.3043535622802959]]),
            "db1 has shape (1, n_h) (keepdims=True): b1 is (n_h,), so sum with axis=0 and no "
            "keepdims (the notes' keepdims=True keeps a column in their convention)."),
)
UPDATE_MISTAKES = (
    Mistake(("W1",), FORWARD_FACT["W1"] + UPDATE_RATE * UPDATE_GRADS["dW1"],
            "the step adds the gradient, which climbs the cost: W1 − α·dW1."),
    Mistake(("W1",), FORWARD_FACT["W1"] - UPDATE_GRADS["dW1"],
            "the learning rate is not used: W1 − learning_rate · dW1."),
)
PREDICT_MISTAKES = (
    Mistake((), FORWARD_CACHE["A2"][:, 0],
            "these are the probabilities A2, not labels: 1.0 where A2 > 0.5, else 0.0."),
    Mistake((), FORWARD_CACHE["A2"],
            "these are the probabilities A2, not labels: 1.0 where A2 > 0.5, else 0.0, as a 1-D "
            "array (m,)."),
)


# --- the judgments shared with the grader --------------------------------------------------------
def _both(text: str) -> Difference:
    return Difference(text, text)


def random_parameters_problem(value, shapes: dict[str, tuple], too_large, *,
                              units: str = "hidden unit") -> Difference | None:
    """What is wrong with ``value`` as randomly initialised parameters of the given ``shapes``
    (``{"W1": (n_in, units), "b1": (units,), ...}``): the keys and shapes (a transposed weight
    matrix named as such), floats, zero biases, finite weights that are not all equal (random:
    equal weights keep every unit identical), and ``too_large(key, W)``'s verdict on each weight
    matrix's scale. ``units`` names what would stay identical. ``None`` if nothing is wrong.
    Week 3's and week 4's initialisations (:mod:`course_utils.checks.week4.assignment_deep_network_step_by_step`)."""
    for key, shape in shapes.items():
        got = np.shape(value[key]) if isinstance(value, dict) and key in value else None
        if len(shape) == 2 and shape[0] != shape[1] and got == shape[::-1]:
            return _both(f"parameters[{key!r}] has shape {got}, expected {shape}: it is "
                         "transposed (row convention: W is (n_in, units), the notes' "
                         "(units, n_in) is the column convention)")
    problem = compare({k: np.zeros(s) for k, s in shapes.items()}, value, name="parameters",
                      values=False, float_arrays=True)
    if problem:
        return problem
    for b in (k for k, s in shapes.items() if len(s) == 1):
        if np.any(np.asarray(value[b]) != 0):
            return _both(f"parameters[{b!r}] should be zeros")
    for W in (k for k, s in shapes.items() if len(s) == 2):
        weights = np.asarray(value[W], dtype=float)
        if not np.all(np.isfinite(weights)):
            return _both(f"parameters[{W!r}] holds NaN or inf")
        if weights.size > 1 and np.ptp(weights) == 0:
            return _both(f"parameters[{W!r}] are all equal: every {units} would compute the "
                         "same thing and stay identical (symmetry); draw them at random")
        problem = too_large(W, weights)
        if problem:
            return problem
    return None


def _not_small(key: str, weights: np.ndarray) -> Difference | None:
    largest = float(np.max(np.abs(weights)))
    if largest > 0.1:
        return Difference(
            f"parameters[{key!r}] has an entry of size {largest:.3g}: the weights should be "
            "small (standard normal × 0.01), so tanh starts in its steep part",
            f"parameters[{key!r}] is not small: use standard normal × 0.01")
    return None


def initialize_parameters_problem(value, n_x: int, n_h: int, n_y: int) -> Difference | None:
    """What is wrong with ``value`` as ``initialize_parameters(n_x, n_h, n_y, seed)``'s answer:
    ``{"W1": (n_x, n_h), "b1": (n_h,), "W2": (n_h, n_y), "b2": (n_y,)}`` of floats, zero biases,
    weights small (0.01 × standard normal, or similar) and not all equal. ``None`` if nothing."""
    shapes = {"W1": (n_x, n_h), "b1": (n_h,), "W2": (n_h, n_y), "b2": (n_y,)}
    return random_parameters_problem(value, shapes, _not_small)


def network_scores(parameters: dict, X, y) -> tuple[float, float]:
    """``(accuracy, cost)`` of a one-hidden-layer network (tanh, then a sigmoid output) on
    ``X (m, n_x)``, ``y (m,)``: the fraction of examples with ``(A2 > 0.5) == y`` and the mean
    cross-entropy. Scores a trained answer; it is the network's definition, stated in the
    notebook's formulas."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float).reshape(-1, 1)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        hidden = np.tanh(X @ parameters["W1"] + parameters["b1"])
        output = 1.0 / (1.0 + np.exp(-(hidden @ parameters["W2"] + parameters["b2"])))
        cost = -np.mean(y * np.log(output) + (1.0 - y) * np.log(1.0 - output))
    return float(np.mean((output > 0.5) == (y == 1.0))), float(cost)


def trained_network_problem(value, X, y, n_h: int, best_accuracy: float, best_cost: float, *,
                            accuracy_band: float = ACCURACY_BAND,
                            cost_band: float = COST_BAND) -> Difference | None:
    """What is wrong with ``value`` as ``nn_model(X, y, n_h, ...)``'s trained parameters: the
    shapes, finite values, and a training accuracy (cost) no more than ``accuracy_band`` below
    (``cost_band`` above) what the same training reaches from the reference's start,
    ``best_accuracy`` (``best_cost``). ``None`` if nothing is wrong."""
    X = np.asarray(X, dtype=float)
    shapes = {"W1": np.zeros((X.shape[1], n_h)), "b1": np.zeros(n_h), "W2": np.zeros((n_h, 1)),
              "b2": np.zeros(1)}
    problem = compare(shapes, value, name="parameters", values=False)
    if problem:
        return problem
    parameters = {k: np.asarray(value[k], dtype=float) for k in shapes}
    if not all(np.all(np.isfinite(v)) for v in parameters.values()):
        return Difference("the trained parameters hold NaN or inf (the learning rate used?)",
                          "the trained parameters hold NaN or inf")
    reached, cost = network_scores(parameters, X, y)
    if reached < best_accuracy - accuracy_band or not cost <= best_cost + cost_band:
        return Difference(
            f"the trained network classifies {reached:.3f} of the training set correctly (cost "
            f"{cost:.3f}); the same training reaches {best_accuracy:.3f} (cost {best_cost:.3f}): "
            "are all iterations run, with the given learning rate, on every example?",
            "the trained network is clearly worse than the same training should make it: are "
            "all iterations run, with the given learning rate?")
    return None


# --- the checks ----------------------------------------------------------------------------------
def check_initialize_parameters(initialize_parameters) -> bool:
    """``initialize_parameters(2, 4, 1, 2)``: shapes, zero biases, small random weights."""
    case = StructureCase("n_x = 2, n_h = 4, n_y = 1, seed = 2", "n_x = 2, n_h = 4, n_y = 1, seed = 2",
                         (2, 4, 1, 2), judge=lambda p: initialize_parameters_problem(p, 2, 4, 1))
    return run_structure_check("initialize_parameters", initialize_parameters, [case])


def check_forward_propagation(forward_propagation) -> bool:
    """``forward_propagation(X, parameters)`` on the 2 → 4 → 1 example: ``(A2, cache)``,
    vectorised over the examples."""
    case = StructureCase("3 examples, 2 features, 4 hidden units", SHALLOW_INPUTS,
                         (X_SHALLOW_FACT, FORWARD_FACT), (FORWARD_CACHE["A2"], FORWARD_CACHE),
                         parts=("A2", "cache"), examples=3, mistakes=FORWARD_MISTAKES,
                         batch_rows=3)
    return run_structure_check("forward_propagation", forward_propagation, [case])


def check_compute_cost(compute_cost) -> bool:
    """``compute_cost(A2, y)`` for ``A2 = [[0.9], [0.2], [0.6]]``, ``y = [1, 0, 1]``: a float."""
    case = StructureCase("A2 = [[0.9], [0.2], [0.6]], y = [1, 0, 1]",
                         "A2 = [[0.9], [0.2], [0.6]] (shape (3, 1)), y = [1, 0, 1] (shape (3,))",
                         (COST_A2, COST_Y), COST, examples=3, mistakes=COST_MISTAKES)
    return run_structure_check("compute_cost", compute_cost, [case])


def check_backward_propagation(backward_propagation) -> bool:
    """``backward_propagation(parameters, cache, X, y)`` on the 2 → 4 → 1 example."""
    case = StructureCase("3 examples, 2 features, 4 hidden units",
                         SHALLOW_INPUTS + ", its cache, y = [1, 0, 1]",
                         (FORWARD_FACT, FORWARD_CACHE, X_SHALLOW_FACT, Y_SHALLOW_FACT), GRADS,
                         examples=3, mistakes=BACKWARD_MISTAKES)
    return run_structure_check("backward_propagation", backward_propagation, [case])


def check_update_parameters(update_parameters) -> bool:
    """``update_parameters(parameters, grads, 1.2)``: one gradient-descent step."""
    case = StructureCase("learning rate 1.2", "FORWARD_FACT's parameters, UPDATE_GRADS, "
                         "learning rate 1.2", (FORWARD_FACT, UPDATE_GRADS, UPDATE_RATE), UPDATED,
                         mistakes=UPDATE_MISTAKES)
    return run_structure_check("update_parameters", update_parameters, [case])


def check_nn_model(nn_model) -> bool:
    """``nn_model`` on the moons (``load_planar_data()``), 4 hidden units, 2000 iterations,
    learning rate 1.2, seed 3: a trained network about as good as that training makes it."""
    X, y = load_planar_data()
    n_h = NN_MODEL_ARGS[0]
    case = StructureCase("moons, 4 hidden units, 2000 iterations, learning rate 1.2",
                         "X, y = load_planar_data() (200 moons), n_h = 4, num_iterations = 2000, "
                         "learning_rate = 1.2, seed = 3", (X, y, *NN_MODEL_ARGS),
                         judge=lambda p: trained_network_problem(p, X, y, n_h, NN_MODEL_ACCURACY,
                                                                 NN_MODEL_COST))
    return run_structure_check("nn_model", nn_model, [case])


def check_predict_nn(predict_nn) -> bool:
    """``predict_nn(parameters, X)`` on the 2 → 4 → 1 example: labels ``(m,)`` of 0.0/1.0."""
    case = StructureCase("3 examples, 4 hidden units", SHALLOW_INPUTS,
                         (FORWARD_FACT, X_SHALLOW_FACT), PREDICTIONS, mistakes=PREDICT_MISTAKES,
                         batch_rows=3, batch_args=(1,))
    return run_structure_check("predict_nn", predict_nn, [case])
