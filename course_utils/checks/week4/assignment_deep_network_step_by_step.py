"""Instant checks for week 4's graded assignment 1, a deep network step by step
(``notebooks/week4/02_assignment_deep_network_step_by_step.ipynb``).

Each ``check_<exercise>(<exercise>)`` repeats that exercise's visible grading cases
(``autograder/cases/week4.py``): the same inputs — the small network below, which the grader
imports from here, one copy — and the expected answers held here as numbers; nothing here calls
or contains the reference solutions. Answers are compared part by part with
:func:`course_utils.checks.core.compare.compare`, as the grader compares them, so both name the layer
and the array that differ (``the return value['dW2']``, ``caches[1]``) and the mistake
(transposed, m times too large, the wrong sign); typical mistakes the comparison alone cannot
name are recognised by the values they give (precomputed,
:class:`~course_utils.checks.core.structured.Mistake`).

``check_linear_activation_backward`` adds one case to the grader's visible ones: a ReLU layer
whose ``Z`` holds an exact 0, where the course takes ReLU's derivative as 0 (the grader has a
hidden case of that kind). :func:`initialize_parameters_deep_problem` is the judgment of a random
initialisation, shared with the grader.

Row convention: ``A[l]`` is ``(m, n[l])`` (one example per row, ``A[0] = X``), ``W[l]`` is
``(n[l-1], n[l])``, ``b[l]`` is ``(n[l],)``. Caches: ``(A_prev, W, b)`` for the linear part,
``(linear_cache, Z)`` for a layer; gradients ``dA{l-1}``, ``dW{l}``, ``db{l}``.
"""

from __future__ import annotations

import math

import numpy as np

from course_utils.checks.core.compare import Difference
from course_utils.checks.core.structured import (
    Mistake,
    StructureCase,
    generic_exception_hint,
    run_structure_check,
)
from course_utils.checks.week3.assignment_planar_data import (
    COST,
    COST_A2,
    COST_MISTAKES,
    COST_Y,
    random_parameters_problem,
)

# --- the visible cases' inputs (the grader imports them from here: one copy) --------------------
#: The small network 3 → 4 → 2 → 1 of the visible cases, small enough to follow by hand.
FACT_DIMS = [3, 4, 2, 1]
FACT_PARAMETERS = {
    "W1": np.array([[0.5, -0.2, 0.1, 0.4], [-0.3, 0.8, 0.2, -0.5], [0.1, 0.1, -0.6, 0.3]]),
    "b1": np.array([0.1, -0.1, 0.0, 0.2]),
    "W2": np.array([[0.7, -0.4], [0.2, 0.5], [-0.3, 0.9], [0.6, 0.1]]),
    "b2": np.array([0.05, -0.05]),
    "W3": np.array([[1.2], [-0.8]]),
    "b3": np.array([0.1]),
}
FACT_X = np.array([[1.0, -2.0, 0.5], [0.3, 0.8, -1.2], [-0.7, 0.1, 2.0], [1.5, 1.0, 0.0]])
FACT_Y = np.array([1.0, 0.0, 1.0, 0.0])
#: The visible initialize_parameters_deep case: layer_dims and seed.
INIT_DIMS, INIT_SEED = [5, 4, 3], 3
UPDATE_RATE = 0.1
#: The extra ReLU case: Z = ZERO_A @ ZERO_W + ZERO_B is exactly 0 at [0, 0].
ZERO_A = np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, 1.0]])
ZERO_W = np.array([[1.0, -1.0], [0.5, 2.0]])
ZERO_B = np.array([-2.0, 0.0])
ZERO_Z = np.array([[0.0, 3.0], [-2.75, 2.0], [-1.5, 2.0]])
ZERO_DA = np.array([[1.0, -1.0], [0.5, 2.0], [-1.0, 1.0]])

#: How the cases' inputs are shown to the learner.
SMALL = "the small network FACT_PARAMETERS (3 → 4 → 2 → 1), X = FACT_X (4 examples)"
LAYER_1 = "layer 1 of the small network: A_prev = FACT_X (4, 3), W = W1 (3, 4), b = b1 (4,)"

# --- expected answers (what the reference returns on the inputs above) -------------------------
#: dZ of the visible linear_backward case (drawn once by the grader, kept as data).
LINEAR_DZ = np.array([[-0.31, 0.5, 0.89, 0.61],
                      [-0.02, -1.62, 1.69, -0.15],
                      [0.43, -0.39, -0.42, -0.31],
                      [0.32, 0.39, -0.3, 0.3]])
#: dA of the visible linear_activation_backward cases.
ACTIVATION_DA = np.array([[-0.73, 0.49, -0.09, -1.24],
                          [-0.91, -0.01, 0.48, 1.07],
                          [0.38, 0.18, 0.5, 1.17],
                          [-0.1, -0.5, -0.74, 1.43]])
#: Gradients of the visible update_parameters case.
UPDATE_GRADS = {
    "dW1": np.array([[0.28, -0.73, 0.27, 1.04],
                     [1.73, -0.58, -1.34, -0.46],
                     [0.08, 0.05, 0.27, 0.57]]),
    "db1": np.array([-1.33, 1.04, -0.4, -0.79]),
    "dW2": np.array([[-1.1, -0.41],
                     [-1.08, 0.11],
                     [0.45, -1.84],
                     [0.76, -1.12]]),
    "db2": np.array([-0.62, -0.48]),
    "dW3": np.array([[-0.47],
                     [1.18]]),
    "db3": np.array([0.56]),
}
#: linear_forward on layer 1: Z1 = FACT_X @ W1 + b1.
Z1 = np.array([[1.2500000000000002, -1.85, -0.6000000000000001, 1.7499999999999998],
               [-0.11000000000000001, 0.3600000000000001, 0.91, -0.44],
               [-0.07999999999999999, 0.32000000000000006, -1.25, 0.47000000000000003],
               [0.55, 0.4, 0.35000000000000003, 0.3000000000000001]])
A1_RELU = np.array([[1.2500000000000002, 0.0, 0.0, 1.7499999999999998],
                    [0.0, 0.3600000000000001, 0.91, 0.0],
                    [0.0, 0.32000000000000006, 0.0, 0.47000000000000003],
                    [0.55, 0.4, 0.35000000000000003, 0.3000000000000001]])
A1_SIGMOID = np.array([[0.7772998611746911, 0.13587289700909425, 0.3543436937742045, 0.8519528019683106],
                       [0.47252769565540625, 0.5890404340586651, 0.7130001627522816, 0.39174096925348556],
                       [0.4800106598444182, 0.5793242521487495, 0.22270013882530884, 0.6153837563911821],
                       [0.6341355910108007, 0.598687660112452, 0.5866175789173301, 0.574442516811659]])
#: model_forward on the small network: each layer's Z and A.
Z2 = np.array([[1.975, -0.3750000000000001],
               [-0.15099999999999997, 0.9490000000000001],
               [0.396, 0.15700000000000003],
               [0.5900000000000002, 0.2750000000000001]])
A2 = np.array([[1.975, 0.0],
               [0.0, 0.9490000000000001],
               [0.396, 0.15700000000000003],
               [0.5900000000000002, 0.2750000000000001]])
Z3 = np.array([[2.47],
               [-0.6592000000000001],
               [0.4496],
               [0.5880000000000001]])
AL = np.array([[0.9220117648706336],
               [0.34091934334128926],
               [0.6105441261574643],
               [0.642906121361229]])
#: linear_backward's (dA_prev, dW, db) on layer 1 with LINEAR_DZ.
LINEAR_BACKWARD = {
    "dA_prev": np.array([[0.078, 0.36600000000000005, -0.332],
                         [0.42300000000000004, -0.8770000000000003, -1.2229999999999999],
                         [0.127, -0.37, 0.163],
                         [0.172, 0.006000000000000033, 0.34099999999999997]]),
    "dW": np.array([[-0.034249999999999996, 0.218, 0.31025, 0.308],
                    [0.24175000000000002, -0.48625000000000007, -0.1925, -0.26775],
                    [0.18225, 0.3535, -0.60575, -0.03375]]),
    "db": np.array([0.105, -0.28, 0.465, 0.11249999999999999]),
}
ACTIVATION_BACKWARD_RELU = {
    "dA_prev": np.array([[-0.861, 0.839, -0.445],
                         [0.05, 0.088, -0.289],
                         [0.432, -0.44099999999999995, 0.36899999999999994],
                         [0.548, -1.233, 0.813]]),
    "dW": np.array([[-0.22, -0.21975, -0.2415, 0.021500000000000047],
                    [0.33999999999999997, -0.1225, -0.089, 1.00675],
                    [-0.09125, 0.093, -0.144, 0.42999999999999994]]),
    "db": np.array([-0.2075, -0.0825, -0.065, 0.33999999999999997]),
}
ACTIVATION_BACKWARD_SIGMOID = {
    "dA_prev": np.array([[-0.13930872348996243, 0.15801724116290375, -0.04144921104472345],
                         [-0.0011163383024625077, -0.04172783618395608, -0.005369225324250992],
                         [0.15807516801427104, -0.11451172084687705, 0.04501711069040731],
                         [0.13431103946838538, -0.2998213763220995, 0.19820834538600174]]),
    "dW": np.array([[-0.07390132844238255, -0.038524332086263845, -0.080220627886832, 0.06265109936398375],
                    [0.014391620627410565, -0.05818585828882707, -0.012758348077126586, 0.2235089649704595],
                    [0.09967222857102354, 0.029851356563333008, 0.01123552002686664, 0.042423750215242834]]),
    "db": np.array([-0.07038307370250611, -0.0052880249082382196, -0.0038158534352749976, 0.18126450908922695]),
}
#: model_backward on the small network, FACT_Y.
GRADS = {
    "dW3": np.array([[0.01776583029524563],
                     [0.10979676700298587]]),
    "db3": np.array([0.12909533893265407]),
    "dA2": np.array([[-0.09358588215523964, 0.0623905881034931],
                     [0.4091032120095471, -0.27273547467303144],
                     [-0.46734704861104276, 0.31156469907402856],
                     [0.7714873456334749, -0.5143248970889832]]),
    "dW2": np.array([[0.0768339218510904, -0.0707196733497352],
                     [0.03976097067446406, -0.05105350650354887],
                     [0.06750514274292906, -0.1070507489834007],
                     [-0.03799555073220423, -0.001965515140475398]]),
    "db2": np.array([0.05263860371679813, -0.11887391817199652]),
    "dA1": np.array([[-0.06551011750866774, -0.01871717643104793, 0.02807576464657189, -0.05615152929314378],
                     [0.10909418986921258, -0.13636773733651572, -0.2454619272057283, -0.027273547467303146],
                     [-0.45176881365734134, 0.06231293981480572, 0.42061234374993856, -0.2492517592592228],
                     [0.7457711007790256, -0.10286497941779663, -0.6943386110701274, 0.4114599176711866]]),
    "dW1": np.array([[0.26328663341496766, -0.05970671204950341, -0.2787866236917274, 0.18387864467377302],
                     [0.2191978339490903, -0.05143196882638216, -0.2226770382086775, 0.12470945008288797],
                     [-0.008188764688583467, 0.07206679110835758, 0.07363857816171848, -0.13164482079125436]]),
    "db1": np.array([0.17006524581758947, -0.04422994423487665, -0.2349501345689639, 0.026514157279705006]),
    "dA0": np.array([[-0.055215670471591385, 0.04772879989917221, -0.023396470538809905],
                     [0.0027273547467303156, -0.15818657531035824, 0.1336403825897854],
                     [-0.11216329166665027, 0.17447623148145597, -0.06854423379628627],
                     [0.4886086522345341, -0.6506209948175639, 0.6043317540795553]]),
}
#: update_parameters with UPDATE_GRADS, learning rate 0.1.
UPDATED = {
    "W1": np.array([[0.472, -0.127, 0.07300000000000001, 0.29600000000000004],
                    [-0.473, 0.8580000000000001, 0.334, -0.454],
                    [0.092, 0.095, -0.627, 0.243]]),
    "b1": np.array([0.233, -0.20400000000000001, 0.04000000000000001, 0.279]),
    "W2": np.array([[0.8099999999999999, -0.35900000000000004],
                    [0.30800000000000005, 0.489],
                    [-0.345, 1.084],
                    [0.524, 0.21200000000000002]]),
    "b2": np.array([0.112, -0.0020000000000000018]),
    "W3": np.array([[1.2469999999999999],
                    [-0.918]]),
    "b3": np.array([0.044]),
}
#: linear_activation_backward(ZERO_DA, ((ZERO_A, ZERO_W, ZERO_B), ZERO_Z), 'relu').
ZERO_BACKWARD = {
    "dA_prev": np.array([[1.0, -2.0],
                         [-2.0, 4.0],
                         [-1.0, 2.0]]),
    "dW": np.array([[0.0, -1.0],
                    [0.0, 0.0]]),
    "db": np.array([0.0, 0.6666666666666666]),
}
#: What typical mistakes give: Z without b; dW of layer 1 with a wrong dZ; AL with wrong
#: activations; dW3 with ReLU at the output.
Z1_NO_BIAS = np.array([[1.1500000000000001, -1.75, -0.6000000000000001, 1.5499999999999998],
                       [-0.21000000000000002, 0.4600000000000001, 0.91, -0.64],
                       [-0.18, 0.42000000000000004, -1.25, 0.27],
                       [0.45, 0.5, 0.35000000000000003, 0.10000000000000009]])
RELU_AS_DERIVATIVE_DW = np.array([[-0.24875000000000003, -0.08535000000000001, -0.064365, -0.4778575],
                                  [0.44250000000000006, -0.049280000000000004, 0.022610000000000005, 1.2059975],
                                  [-0.11406250000000001, 0.029880000000000007, -0.13104, 0.0037000000000000366]])
RELU_NO_DERIVATIVE_DW = np.array([[-0.35474999999999995, -0.09725, -0.3515, 0.10174999999999998],
                                  [0.16749999999999998, -0.3675, -0.0315, 1.22075],
                                  [0.37175, 0.15425, 0.09475, 0.10899999999999999]])
SIGMOID_OF_Z_DW = np.array([[0.061828925000000055, -0.69790845, 0.20751089999999997, 0.4176378749999999],
                            [-0.09884860000000009, 1.2622809, -0.11258135, -0.8669792249999998],
                            [-0.02123367499999998, -0.302665425, -0.7041186, 0.5525466]])
RELU_WITH_SIGMOID_DERIVATIVE_DW = np.array([[-0.07390132844238255, -0.038524332086263845, -0.080220627886832, 0.06265109936398375],
                                            [0.014391620627410565, -0.05818585828882707, -0.012758348077126586, 0.2235089649704595],
                                            [0.09967222857102354, 0.029851356563333008, 0.01123552002686664, 0.042423750215242834]])
SIGMOID_WITH_RELU_DERIVATIVE_DW = np.array([[-0.22, -0.21975, -0.2415, 0.021500000000000047],
                                            [0.33999999999999997, -0.1225, -0.089, 1.00675],
                                            [-0.09125, 0.093, -0.144, 0.42999999999999994]])
ZERO_AT_ZERO_DW = np.array([[0.3333333333333333, -1.0],
                            [0.6666666666666666, 0.0]])
AL_ALL_RELU = np.array([[2.47],
                        [0.0],
                        [0.4496],
                        [0.5880000000000001]])
AL_ALL_SIGMOID = np.array([[0.636730592439188],
                           [0.5772600674574531],
                           [0.6148238606081438],
                           [0.601174082555389]])
DW3_RELU_OUTPUT = np.array([[-0.2846075697574536],
                            [0.1282394853190552]])
LINEAR_CACHE = (FACT_X, FACT_PARAMETERS["W1"], FACT_PARAMETERS["b1"])
#: model_forward's caches on the small network, layer 1 first.
FACT_CACHES = [(LINEAR_CACHE, Z1),
               ((A1_RELU, FACT_PARAMETERS["W2"], FACT_PARAMETERS["b2"]), Z2),
               ((A2, FACT_PARAMETERS["W3"], FACT_PARAMETERS["b3"]), Z3)]

# --- what typical mistakes give on those inputs ------------------------------------------------
LINEAR_FORWARD_MISTAKES = (
    Mistake((0,), Z1_NO_BIAS, "b is not added: Z = A_prev @ W + b (b broadcasts to every row)."),
    Mistake((1,), (FACT_PARAMETERS["W1"], FACT_X, FACT_PARAMETERS["b1"]),
            "the cache is (A_prev, W, b), in this order: linear_backward unpacks it so."),
)
ACTIVATION_CACHE_MISTAKES = (
    Mistake((1,), (Z1, LINEAR_CACHE),
            "the cache is (linear_cache, Z), in this order: linear_activation_backward unpacks "
            "it so."),
)
RELU_FORWARD_MISTAKES = (
    Mistake((0,), A1_SIGMOID, "activation='relu' computes a sigmoid: relu is np.maximum(0, Z)."),
    Mistake((0,), Z1, "the activation is not applied: A = g(Z), here np.maximum(0, Z)."),
    Mistake((1,), (LINEAR_CACHE, A1_RELU),
            "the cache keeps A where Z belongs: (linear_cache, Z), the backward pass needs g'(Z)."),
    *ACTIVATION_CACHE_MISTAKES,
)
SIGMOID_FORWARD_MISTAKES = (
    Mistake((0,), A1_RELU, "activation='sigmoid' computes a ReLU: sigmoid is 1 / (1 + e^(−Z))."),
    Mistake((0,), Z1, "the activation is not applied: A = g(Z), here sigmoid(Z)."),
    Mistake((1,), (LINEAR_CACHE, A1_SIGMOID),
            "the cache keeps A where Z belongs: (linear_cache, Z), the backward pass needs g'(Z)."),
    *ACTIVATION_CACHE_MISTAKES,
)
MODEL_FORWARD_MISTAKES = (
    Mistake((0,), AL_ALL_RELU,
            "the output layer uses ReLU: layers 1 … L−1 are ReLU, layer L is sigmoid (AL is a "
            "probability)."),
    Mistake((0,), AL_ALL_SIGMOID,
            "every layer uses sigmoid: the hidden layers 1 … L−1 are ReLU, only layer L is "
            "sigmoid."),
    Mistake((0,), A2,
            "the loop stops one layer short: it returns A[L−1]. With L = len(parameters) // 2, "
            "the ReLU layers are 1 … L−1 (range(1, L)) and layer L follows with sigmoid."),
)
LINEAR_BACKWARD_MISTAKES = (
    Mistake((0,), LINEAR_BACKWARD["dA_prev"] / 4,
            "dA_prev is divided by m: dA_prev = dZ @ W.T carries no 1/m (the 1/m enters dW and db "
            "only)."),
    Mistake((2,), LINEAR_BACKWARD["db"][np.newaxis, :],
            "db has shape (1, n) (keepdims=True): b is (n,), so sum over the examples with "
            "axis=0 and no keepdims (the notes' keepdims=True keeps a column in their convention)."),
    Mistake((2,), LINEAR_DZ.sum(axis=1) / 4,
            "db sums over the units (axis=1): sum over the examples, dZ.sum(axis=0) / m, one value "
            "per unit."),
)
NO_DERIVATIVE = "dZ misses the activation's derivative: dZ = dA * g'(Z)."
RELU_BACKWARD_MISTAKES = (
    Mistake((1,), RELU_AS_DERIVATIVE_DW,
            "dZ = dA * relu(Z): ReLU's derivative is 1 where Z > 0 and 0 elsewhere, "
            "dZ = dA * (Z > 0), not ReLU itself."),
    Mistake((1,), RELU_NO_DERIVATIVE_DW, NO_DERIVATIVE + " For ReLU, (Z > 0)."),
    Mistake((1,), ACTIVATION_BACKWARD_SIGMOID["dW"],
            "activation='relu' uses the sigmoid's derivative: ReLU's is (Z > 0)."),
)
SIGMOID_BACKWARD_MISTAKES = (
    Mistake((1,), ACTIVATION_BACKWARD_RELU["dW"],
            "activation='sigmoid' uses ReLU's derivative: the sigmoid's is s (1 − s), with "
            "s = sigmoid(Z)."),
    Mistake((1,), SIGMOID_OF_Z_DW,
            "the sigmoid's derivative is s (1 − s) with s = sigmoid(Z), not Z (1 − Z): the cache "
            "holds Z, not the activation."),
    Mistake((1,), RELU_NO_DERIVATIVE_DW, NO_DERIVATIVE + " For the sigmoid, s (1 − s)."),
)
ZERO_MISTAKES = (
    Mistake((1,), ZERO_AT_ZERO_DW,
            "ReLU's derivative at exactly Z = 0 is taken as 1: the course takes it as 0, so use "
            "(Z > 0), not (Z >= 0)."),
)
MODEL_BACKWARD_MISTAKES = (
    Mistake(("dW3",), GRADS["dW3"] / 4,
            "divided by m twice: dAL = −y/AL + (1 − y)/(1 − AL) is the per-example derivative, "
            "without 1/m; linear_backward's dW and db divide by m once."),
    Mistake(("dW3",), DW3_RELU_OUTPUT,
            "the output layer's backward uses 'relu': layer L is sigmoid, layers L−1 … 1 are "
            "ReLU."),
    Mistake(("dA2",), GRADS["dA1"],
            "the keys are one layer off: what layer l's linear_activation_backward returns first "
            "is dA_prev, stored as grads['dA' + str(l − 1)]."),
)
UPDATE_MISTAKES = (
    Mistake(("W1",), FACT_PARAMETERS["W1"] + UPDATE_RATE * UPDATE_GRADS["dW1"],
            "the step adds the gradient, which climbs the cost: W − α·dW."),
    Mistake(("W1",), FACT_PARAMETERS["W1"] - UPDATE_GRADS["dW1"],
            "the learning rate is not used: W − learning_rate · dW."),
    Mistake(("b1",), FACT_PARAMETERS["b1"],
            "the biases are not updated: every parameter takes a step, b − α·db too."),
)


# --- the judgment shared with the grader ----------------------------------------------------------
def initialize_parameters_deep_problem(value, layer_dims) -> Difference | None:
    """What is wrong with ``value`` as ``initialize_parameters_deep(layer_dims, seed)``'s answer:
    ``{"W1": (n0, n1), "b1": (n1,), …, "WL", "bL"}`` of floats, zero biases, random weights (not
    all equal) of a scale no larger than a few times He's √(2 / n[l-1]). ``None`` if nothing."""
    dims = [int(n) for n in layer_dims]
    shapes = {key: shape for layer in range(1, len(dims)) for key, shape in (
        (f"W{layer}", (dims[layer - 1], dims[layer])), (f"b{layer}", (dims[layer],)))}

    def too_large(key: str, W: np.ndarray) -> Difference | None:
        n_prev = W.shape[0]
        # A few times He's scale: Xavier's √(1 / n[l-1]) and other sensible scalings pass.
        if float(np.sqrt(np.mean(W**2))) <= 3.0 * math.sqrt(2.0 / n_prev):
            return None
        why = (f"is too large for a layer with {n_prev} inputs: scale the standard normal by "
               "√(2 / n[l-1]) (He)")
        return Difference(f"parameters[{key!r}] {why}", f"parameters[{key!r}] {why}")

    return random_parameters_problem(value, shapes, too_large, units="unit of the layer")


# --- the checks ----------------------------------------------------------------------------------
def deep_exception_hint(func_name: str, exc: Exception) -> str:
    """The likely mistake behind an exception raised by a week-4 exercise."""
    text = str(exc).lower()
    if any(word in text for word in ("shape", "align", "broadcast", "dimension", "mismatch")):
        return ("a shape mismatch. Row convention: A_prev is (m, n[l-1]), one example per row; "
                "W is (n[l-1], n[l]) and b (n[l],), so Z = A_prev @ W + b, and backward "
                "dA_prev = dZ @ W.T, dW = A_prev.T @ dZ / m (the notes' W A_prev and Wᵀ dZ are "
                "the column convention). Labels y are (m,) and AL (m, 1): reshape y to AL's "
                "shape. Print the shapes of your arrays.")
    if isinstance(exc, KeyError):
        return (f"a missing dict key {exc}: parameters hold 'W1', 'b1', …, 'WL', 'bL' (two per "
                "layer, so L = len(parameters) // 2); gradients are 'dA' + str(l − 1), "
                "'dW' + str(l), 'db' + str(l).")
    if "unpack" in text:
        return ("a cache unpacked into the wrong number of parts: linear_forward's cache is "
                "(A_prev, W, b), linear_activation_forward's is (linear_cache, Z), and "
                "model_forward returns the list of the L layers' caches.")
    if isinstance(exc, IndexError):
        return ("an index out of range: layer l's cache is caches[l − 1] (the list starts at "
                "layer 1), and there are L = len(caches) layers.")
    return generic_exception_hint(func_name, exc)


def _run(func_name: str, func, cases: list[StructureCase]) -> bool:
    return run_structure_check(func_name, func, cases, exception_hint=deep_exception_hint)


def check_initialize_parameters_deep(initialize_parameters_deep) -> bool:
    """``initialize_parameters_deep([5, 4, 3], 3)``: shapes, zero biases, He-scaled random
    weights."""
    shown = f"layer_dims = {INIT_DIMS}, seed = {INIT_SEED}"
    case = StructureCase(shown, shown, (INIT_DIMS, INIT_SEED),
                         judge=lambda p: initialize_parameters_deep_problem(p, INIT_DIMS))
    return _run("initialize_parameters_deep", initialize_parameters_deep, [case])


def check_linear_forward(linear_forward) -> bool:
    """``linear_forward(A_prev, W, b)`` on layer 1 of the small network: ``(Z, cache)``,
    vectorised over the examples."""
    case = StructureCase("layer 1 of the small network", LAYER_1, LINEAR_CACHE,
                         (Z1, LINEAR_CACHE), parts=("Z", "cache"), examples=4, batch_rows=4,
                         mistakes=LINEAR_FORWARD_MISTAKES)
    return _run("linear_forward", linear_forward, [case])


def check_linear_activation_forward(linear_activation_forward) -> bool:
    """``linear_activation_forward(A_prev, W, b, activation)`` on layer 1, ReLU then sigmoid:
    ``(A, (linear_cache, Z))``."""
    cases = [StructureCase(f"layer 1 of the small network, {name}", f"{LAYER_1}, {name!r}",
                           (*LINEAR_CACHE, name), (A, (LINEAR_CACHE, Z1)), parts=("A", "cache"),
                           examples=4, batch_rows=4, mistakes=mistakes)
             for name, A, mistakes in (("relu", A1_RELU, RELU_FORWARD_MISTAKES),
                                       ("sigmoid", A1_SIGMOID, SIGMOID_FORWARD_MISTAKES))]
    return _run("linear_activation_forward", linear_activation_forward, cases)


def check_model_forward(model_forward) -> bool:
    """``model_forward(X, parameters)`` on the small network: ``(AL, caches)``."""
    case = StructureCase(f"the small network {FACT_DIMS}, 4 examples", SMALL,
                         (FACT_X, FACT_PARAMETERS), (AL, FACT_CACHES), parts=("AL", "caches"),
                         examples=4, batch_rows=4, mistakes=MODEL_FORWARD_MISTAKES)
    return _run("model_forward", model_forward, [case])


def check_compute_cost_deep(compute_cost) -> bool:
    """``compute_cost(AL, y)`` for ``AL = [[0.9], [0.2], [0.6]]``, ``y = [1, 0, 1]``: a float
    (week 3's case, which the grader repeats)."""
    case = StructureCase("AL = [[0.9], [0.2], [0.6]], y = [1, 0, 1]",
                         "AL = [[0.9], [0.2], [0.6]] (shape (3, 1)), y = [1, 0, 1] (shape (3,))",
                         (COST_A2, COST_Y), COST, examples=3, mistakes=COST_MISTAKES)
    return _run("compute_cost", compute_cost, [case])


def check_linear_backward(linear_backward) -> bool:
    """``linear_backward(dZ, cache)`` on layer 1 of the small network: ``(dA_prev, dW, db)``."""
    case = StructureCase("layer 1 of the small network", f"dZ = LINEAR_DZ (4, 4), cache = "
                         f"(FACT_X, W1, b1) ({LAYER_1})", (LINEAR_DZ, LINEAR_CACHE),
                         tuple(LINEAR_BACKWARD.values()), parts=("dA_prev", "dW", "db"),
                         examples=4, mistakes=LINEAR_BACKWARD_MISTAKES)
    return _run("linear_backward", linear_backward, [case])


def check_linear_activation_backward(linear_activation_backward) -> bool:
    """``linear_activation_backward(dA, cache, activation)`` on layer 1 of the small network
    (ReLU, sigmoid), and a ReLU layer whose ``Z`` is exactly 0 in one place."""
    parts = ("dA_prev", "dW", "db")
    cases = [StructureCase(f"layer 1 of the small network, {name}",
                           f"dA = ACTIVATION_DA (4, 4), cache = ((FACT_X, W1, b1), Z1), {name!r}",
                           (ACTIVATION_DA, (LINEAR_CACHE, Z1), name), tuple(expected.values()),
                           parts=parts, examples=4, mistakes=mistakes)
             for name, expected, mistakes in (
                 ("relu", ACTIVATION_BACKWARD_RELU, RELU_BACKWARD_MISTAKES),
                 ("sigmoid", ACTIVATION_BACKWARD_SIGMOID, SIGMOID_BACKWARD_MISTAKES))]
    cases.append(StructureCase(
        "relu with Z exactly 0 in places: g'(0) = 0",
        "dA = ZERO_DA (3, 2), cache = ((ZERO_A, ZERO_W, ZERO_B), ZERO_Z) with ZERO_Z[0, 0] = 0, "
        "'relu'", (ZERO_DA, ((ZERO_A, ZERO_W, ZERO_B), ZERO_Z), "relu"),
        tuple(ZERO_BACKWARD.values()), parts=parts, examples=3, mistakes=ZERO_MISTAKES))
    return _run("linear_activation_backward", linear_activation_backward, cases)


def check_model_backward(model_backward) -> bool:
    """``model_backward(AL, y, caches)`` on the small network: ``dA{l-1}``, ``dW{l}``, ``db{l}``
    for every layer."""
    case = StructureCase(f"the small network {FACT_DIMS}, 4 examples",
                         f"{SMALL}: its AL and caches, y = FACT_Y = [1, 0, 1, 0]",
                         (AL, FACT_Y, FACT_CACHES), GRADS, examples=4, mistakes=MODEL_BACKWARD_MISTAKES)
    return _run("model_backward", model_backward, [case])


def check_update_parameters_deep(update_parameters) -> bool:
    """``update_parameters(parameters, grads, 0.1)`` on the small network: one gradient-descent
    step on every parameter."""
    case = StructureCase(f"the small network {FACT_DIMS}, learning rate 0.1",
                         "FACT_PARAMETERS, UPDATE_GRADS, learning rate 0.1",
                         (FACT_PARAMETERS, UPDATE_GRADS, UPDATE_RATE), UPDATED,
                         mistakes=UPDATE_MISTAKES)
    return _run("update_parameters", update_parameters, [case])
