"""Instant checks for ``notebooks/week1/05_assignment_binary_digits.ipynb``; its lessons
``03_coffee_roasting_numpy.ipynb`` (``my_predict``) and ``04_vectorisation.ipynb`` use them too.

Each ``check_*`` runs the learner's function on a few small cases with known answers (the
syllabus's hand-checked facts and a few more), prints one verdict, and returns ``True``/``False``
so that a test cell can say ``assert check_dense(dense)``. Expected values only: the outputs that
typical mistakes give are precomputed numbers, so the checks never contain a solution.
"""

from __future__ import annotations

import numpy as np

from course_utils.checks.core.models import describe_model
from course_utils.checks.core.verdict import CheckCase, print_verdict, run_check


def _linear(z):
    return np.asarray(z, dtype=float)


def _triple(z):  # g(z) = 3z: not a real activation, but it shows whether g and b are applied in order
    return 3.0 * np.asarray(z, dtype=float)


def _square(z):  # g(z) = z²: also reveals ordering mistakes, and differs from triple
    return np.asarray(z, dtype=float) ** 2


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


# --- the inputs (syllabus W1.6 facts, plus a square W that exposes a transposed W) ----------------
X4 = np.array([1.0, 2.0, 3.0, 4.0])
W_ROWS_12 = np.tile([1.0, 2.0], (4, 1))  # 4×2, every row [1, 2]
X_SMALL = 0.1 * np.array([1.0, 2.0])
W_SMALL = 0.1 * np.arange(1, 7).reshape(2, 3)
B_SMALL = 0.1 * np.array([1.0, 2.0, 3.0])
W_SQUARE = np.array([[1.0, 2.0], [3.0, 4.0]])
B_SQUARE = np.array([0.5, -1.0])
X_BATCH = np.array([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]])
W_BATCH = np.arange(1.0, 13.0).reshape(4, 3)
B_BATCH = np.array([3.0, 5.0, 6.0])
X_SMALL_BATCH = 0.1 * np.array([[1.0, 2.0], [-1.0, 0.0], [3.0, -2.0]])
# A 2 → 3 → 2 → 1 sigmoid network for the chaining checks.
W2_SMALL = np.array([[1.0, -1.0], [2.0, 0.5], [-1.0, 1.0]])
B2_SMALL = np.array([0.5, -0.5])
W3_SMALL = np.array([[2.0], [-3.0]])
B3_SMALL = np.array([0.1])


def _three_sigmoid_layers():
    return [
        (W_SMALL, B_SMALL, _sigmoid),
        (W2_SMALL, B2_SMALL, _sigmoid),
        (W3_SMALL, B3_SMALL, _sigmoid),
    ]


SMALL_NET = "layers 2 → 3 → 2 → 1, all sigmoid"

# Expected outputs of the small sigmoid network (and of the usual mistakes) on X_SMALL_BATCH's rows.
NET_OK = [[0.59214348776], [0.595140420336], [0.592392496709]]
NET_NO_ACT = [[2.1], [2.15], [1.9]]
NET_BEFORE = [[0.993757336147], [0.994550232445], [0.993375253455]]
NET_NO_BIAS = [[0.443007687681], [0.445013121201], [0.441692325989]]


def _dense_cases() -> list[CheckCase]:
    shown = "a_in = [1, 2, 3, 4], W = 4×2 with every row [1, 2]"
    return [
        CheckCase("b = 0, linear g", f"{shown}, b = [0, 0], g(z) = z",
                  (X4, W_ROWS_12, np.zeros(2), _linear), [10.0, 20.0]),
        CheckCase("bias added", f"{shown}, b = [3, 5], g(z) = z",
                  (X4, W_ROWS_12, np.array([3.0, 5.0]), _linear), [13.0, 25.0],
                  {"no_bias": [10.0, 20.0]}),
        CheckCase("activation applied after the bias", f"{shown}, b = [3, 5], g(z) = 3z",
                  (X4, W_ROWS_12, np.array([3.0, 5.0]), _triple), [39.0, 75.0],
                  {"no_activation": [13.0, 25.0], "activation_before_bias": [33.0, 65.0],
                   "no_bias": [30.0, 60.0]}),
        CheckCase("sigmoid", "a_in = 0.1·[1, 2], W = 0.1·[[1, 2, 3], [4, 5, 6]], b = 0.1·[1, 2, 3], "
                  "g = sigmoid", (X_SMALL, W_SMALL, B_SMALL, _sigmoid),
                  [0.54735762, 0.57932425, 0.61063923],
                  {"no_activation": [0.19, 0.32, 0.45],
                   "activation_before_bias": [0.622484824792, 0.729964051765, 0.837429845344],
                   "no_bias": [0.522484824792, 0.529964051765, 0.537429845344]}),
        CheckCase("square W (rows are inputs, columns are units)",
                  "a_in = [1, 2], W = [[1, 2], [3, 4]], b = [0.5, -1], g(z) = 3z",
                  (np.array([1.0, 2.0]), W_SQUARE, B_SQUARE, _triple), [22.5, 27.0],
                  {"transposed_W": [16.5, 30.0], "no_activation": [7.5, 9.0],
                   "activation_before_bias": [21.5, 29.0], "no_bias": [21.0, 30.0]}),
    ]


def _sequential_cases() -> list[CheckCase]:
    # Two different non-linear activations: using one layer's g everywhere changes the answer.
    first = (W_ROWS_12, np.array([3.0, 5.0]), _triple)
    second = (np.array([[1.0], [-1.0]]), np.array([5.0]), _square)
    return [
        CheckCase("one layer", "x = [1, 2, 3, 4], one layer: W = 4×2 rows [1, 2], b = [3, 5], "
                  "g(z) = 3z", (X4, [(W_ROWS_12, np.array([3.0, 5.0]), _triple)]), [39.0, 75.0],
                  {"no_activation": [13.0, 25.0], "activation_before_bias": [33.0, 65.0],
                   "no_bias": [30.0, 60.0]}),
        CheckCase("two layers, each with its own activation",
                  "x = [1, 2, 3, 4]; layer 1: W = 4×2 rows [1, 2], b = [3, 5], g(z) = 3z; "
                  "layer 2: W = [[1], [-1]], b = [5], g(z) = z²", (X4, [first, second]), [961.0],
                  {"no_activation": [-7.0], "activation_before_bias": [1029.0],
                   "no_bias": [900.0], "first_activation_everywhere": [-93.0],
                   "last_activation_everywhere": [203401.0]}),
        CheckCase("three sigmoid layers of widths 3, 2, 1", f"x = 0.1·[1, 2]; {SMALL_NET}",
                  (X_SMALL, _three_sigmoid_layers()), NET_OK[0],
                  {"no_activation": NET_NO_ACT[0], "activation_before_bias": NET_BEFORE[0],
                   "no_bias": NET_NO_BIAS[0]}),
    ]


def _dense_v_cases() -> list[CheckCase]:
    shown = "A_in = [[1, 2, 3, 4], [5, 6, 7, 8]], W = [[1, 2, 3], ..., [10, 11, 12]]"
    b0 = [[70.0, 80.0, 90.0], [158.0, 184.0, 210.0]]
    b1 = [[73.0, 85.0, 96.0], [161.0, 189.0, 216.0]]
    return [
        CheckCase("b = 0, linear g", f"{shown}, b = [0, 0, 0], g(z) = z",
                  (X_BATCH, W_BATCH, np.zeros(3), _linear), b0, batch_rows=2),
        CheckCase("bias added to every row", f"{shown}, b = [3, 5, 6], g(z) = z",
                  (X_BATCH, W_BATCH, B_BATCH, _linear), b1, {"no_bias": b0}, batch_rows=2),
        CheckCase("activation applied after the bias", f"{shown}, b = [3, 5, 6], g(z) = 3z",
                  (X_BATCH, W_BATCH, B_BATCH, _triple),
                  [[219.0, 255.0, 288.0], [483.0, 567.0, 648.0]],
                  {"no_activation": b1,
                   "activation_before_bias": [[213.0, 245.0, 276.0], [477.0, 557.0, 636.0]],
                   "no_bias": [[210.0, 240.0, 270.0], [474.0, 552.0, 630.0]]}, batch_rows=2),
        CheckCase("a batch of one example (the lecture's example)",
                  "A_in = [[200, 17]], W = [[1, -3, 5], [-2, 4, -6]], b = [-1, 1, 2], g(z) = z",
                  (np.array([[200.0, 17.0]]), np.array([[1.0, -3.0, 5.0], [-2.0, 4.0, -6.0]]),
                   np.array([-1.0, 1.0, 2.0]), _linear), [[165.0, -531.0, 900.0]],
                  {"no_bias": [[166.0, -532.0, 898.0]]}, batch_rows=1),
        CheckCase("sigmoid on a batch of 3", "A_in = 0.1·[[1, 2], [-1, 0], [3, -2]], "
                  "W = 0.1·[[1, 2, 3], [4, 5, 6]], b = 0.1·[1, 2, 3], g = sigmoid",
                  (X_SMALL_BATCH, W_SMALL, B_SMALL, _sigmoid),
                  [[0.547357618143, 0.579324252149, 0.610639233949],
                   [0.522484824792, 0.544878892374, 0.567092904965],
                   [0.512497396484, 0.539914884556, 0.567092904965]],
                  {"no_activation": [[0.19, 0.32, 0.45], [0.09, 0.18, 0.27], [0.05, 0.16, 0.27]],
                   "activation_before_bias": [[0.622484824792, 0.729964051765, 0.837429845344],
                                              [0.597500020833, 0.69500016666, 0.792500562449],
                                              [0.587502603516, 0.69000133312, 0.792500562449]],
                   "no_bias": [[0.522484824792, 0.529964051765, 0.537429845344],
                               [0.497500020833, 0.49500016666, 0.492500562449],
                               [0.487502603516, 0.49000133312, 0.492500562449]]},
                  batch_rows=3),
        CheckCase("square W (rows are inputs, columns are units)",
                  "A_in = [[1, 2], [-1, 0.5]], W = [[1, 2], [3, 4]], b = [0.5, -1], g(z) = 3z",
                  (np.array([[1.0, 2.0], [-1.0, 0.5]]), W_SQUARE, B_SQUARE, _triple),
                  [[22.5, 27.0], [3.0, -3.0]],
                  {"transposed_W": [[16.5, 30.0], [1.5, -6.0]],
                   "no_activation": [[7.5, 9.0], [1.0, -1.0]],
                   "activation_before_bias": [[21.5, 29.0], [2.0, -1.0]],
                   "no_bias": [[21.0, 30.0], [1.5, 0.0]]}, batch_rows=2),
    ]


def _forward_v_cases() -> list[CheckCase]:
    first = (W_BATCH, B_BATCH, _triple)
    second = (np.array([[1.0], [0.0], [-1.0]]), np.array([5.0]), _square)
    shown = "X = [[1, 2, 3, 4], [5, 6, 7, 8]]; layer 1: W = [[1, 2, 3], ..., [10, 11, 12]], b = [3, 5, 6]"
    return [
        CheckCase("one layer", f"{shown}, g(z) = 3z (one layer only)",
                  (X_BATCH, [(W_BATCH, B_BATCH, _triple)]),
                  [[219.0, 255.0, 288.0], [483.0, 567.0, 648.0]],
                  {"no_activation": [[73.0, 85.0, 96.0], [161.0, 189.0, 216.0]],
                   "activation_before_bias": [[213.0, 245.0, 276.0], [477.0, 557.0, 636.0]],
                   "no_bias": [[210.0, 240.0, 270.0], [474.0, 552.0, 630.0]]}, batch_rows=2),
        CheckCase("two layers, each with its own activation",
                  f"{shown}, g(z) = 3z; layer 2: W = [[1], [0], [-1]], b = [5], g(z) = z²",
                  (X_BATCH, [first, second]), [[4096.0], [25600.0]],
                  {"no_activation": [[-18.0], [-50.0]],
                   "activation_before_bias": [[3974.0], [25286.0]],
                   "no_bias": [[3600.0], [24336.0]],
                   "first_activation_everywhere": [[-192.0], [-480.0]],
                   "last_activation_everywhere": [[15069924.0], [429732900.0]]}, batch_rows=2),
        CheckCase("three sigmoid layers on a batch of 3",
                  f"X = 0.1·[[1, 2], [-1, 0], [3, -2]]; {SMALL_NET}",
                  (X_SMALL_BATCH, _three_sigmoid_layers()), NET_OK,
                  {"no_activation": NET_NO_ACT, "activation_before_bias": NET_BEFORE,
                   "no_bias": NET_NO_BIAS}, batch_rows=3),
        CheckCase("a batch of one example", f"X = [[0.1, 0.2]] (shape (1, 2)); {SMALL_NET}",
                  (X_SMALL[None, :], _three_sigmoid_layers()), NET_OK[:1],
                  {"no_activation": NET_NO_ACT[:1], "activation_before_bias": NET_BEFORE[:1],
                   "no_bias": NET_NO_BIAS[:1]}, batch_rows=1),
    ]


def _predict_cases() -> list[CheckCase]:
    # Loops over examples are the point of this exercise (``notebooks/week1/03_coffee_roasting_numpy.ipynb``): no batch_rows.
    first = (W_BATCH, B_BATCH, _triple)
    second = (np.array([[1.0], [0.0], [-1.0]]), np.array([5.0]), _square)
    one_unit = [(np.array([[1.0]]), np.array([0.0]), _sigmoid)]
    p_one_unit = [[0.268941421370], [0.5], [0.880797077978]]
    return [
        CheckCase("two examples, two layers with their own activations",
                  "X = [[1, 2, 3, 4], [5, 6, 7, 8]]; layer 1: W = [[1, 2, 3], ..., [10, 11, 12]], "
                  "b = [3, 5, 6], g(z) = 3z; layer 2: W = [[1], [0], [-1]], b = [5], g(z) = z²",
                  (X_BATCH, [first, second]), [[4096.0], [25600.0]],
                  {"first_example_repeated": [[4096.0], [4096.0]],
                   "no_activation": [[-18.0], [-50.0]],
                   "activation_before_bias": [[3974.0], [25286.0]],
                   "no_bias": [[3600.0], [24336.0]],
                   "first_activation_everywhere": [[-192.0], [-480.0]],
                   "last_activation_everywhere": [[15069924.0], [429732900.0]]}),
        CheckCase("probabilities, not decisions",
                  "X = [[-1], [0], [2]]; one sigmoid unit: W = [[1]], b = [0]",
                  (np.array([[-1.0], [0.0], [2.0]]), one_unit), p_one_unit,
                  {"thresholded": [[0.0], [1.0], [1.0]],
                   "first_example_repeated": [p_one_unit[0]] * 3,
                   "no_activation": [[-1.0], [0.0], [2.0]]}),
        CheckCase("three sigmoid layers on a batch of 3",
                  f"X = 0.1·[[1, 2], [-1, 0], [3, -2]]; {SMALL_NET}",
                  (X_SMALL_BATCH, _three_sigmoid_layers()), NET_OK,
                  {"thresholded": [[1.0], [1.0], [1.0]],
                   "first_example_repeated": [NET_OK[0]] * 3,
                   "no_activation": NET_NO_ACT, "activation_before_bias": NET_BEFORE,
                   "no_bias": NET_NO_BIAS}),
        CheckCase("a batch of one example", f"X = [[0.1, 0.2]] (shape (1, 2)); {SMALL_NET}",
                  (X_SMALL[None, :], _three_sigmoid_layers()), NET_OK[:1],
                  {"no_activation": NET_NO_ACT[:1], "activation_before_bias": NET_BEFORE[:1],
                   "no_bias": NET_NO_BIAS[:1]}),
    ]


def check_dense(dense) -> bool:
    """Check ``dense(a_in, W, b, g) -> (units,)`` (``notebooks/week1/05_assignment_binary_digits.ipynb``, exercise 2). Prints a verdict."""
    return run_check("dense", dense, _dense_cases())


def check_sequential(sequential) -> bool:
    """Check ``sequential(x, layers) -> (units_last,)`` (``notebooks/week1/05_assignment_binary_digits.ipynb``). Prints a verdict."""
    return run_check("sequential", sequential, _sequential_cases())


def check_dense_v(dense_v) -> bool:
    """Check ``dense_v(A_in, W, b, g) -> (m, units)``, vectorised (``notebooks/week1/05_assignment_binary_digits.ipynb``, exercise 3)."""
    return run_check("dense_v", dense_v, _dense_v_cases())


def check_forward_v(forward_v) -> bool:
    """Check ``forward_v(X, layers) -> (m, units_last)``, vectorised (``notebooks/week1/05_assignment_binary_digits.ipynb``)."""
    return run_check("forward_v", forward_v, _forward_v_cases())


def check_predict(predict) -> bool:
    """Check ``predict(X, layers) -> (m, units_last)``: the network's output for each row of ``X``,
    probabilities rather than decisions (``notebooks/week1/03_coffee_roasting_numpy.ipynb``, ``my_predict``). Prints a verdict."""
    return run_check("predict", predict, _predict_cases())


# --- Keras models -------------------------------------------------------------------------------

#: The week-1 architecture: 64 pixel features → Dense 25 → Dense 15 → Dense 1, all sigmoid.
WEEK1_UNITS = (25, 15, 1)
WEEK1_FEATURES = 64
WEEK1_PARAMS = 64 * 25 + 25 + 25 * 15 + 15 + 15 * 1 + 1  # = 2031


def check_model(model) -> bool:
    """Check the week-1 model: ``keras.Input((64,))``, Dense 25, 15, 1, all sigmoid (2,031 params).

    Call it on the model itself: ``check_model(build_model())``. Prints a verdict.
    """
    d = describe_model(model)
    problems = _model_problems(d)
    return print_verdict(
        "build_model", problems,
        f"64 inputs → Dense 25 → Dense 15 → Dense 1, all sigmoid, {WEEK1_PARAMS:,} parameters.",
    )


def _model_problems(d: dict) -> list[str]:
    if "layers" not in d:
        hint = " (did you forget `return model`?)" if d["type"] == "NoneType" else ""
        return [f"build_model() should return a keras.Sequential model, got {d['type']}{hint}."]
    problems = []
    if d["type"] != "Sequential":
        problems.append(f"expected a keras.Sequential model, got {d['type']}.")
    if d["input_shape"] is None:
        problems.append(
            "the model has no input shape: make keras.Input(shape=(64,)) the first element of "
            "the Sequential list."
        )
    elif d["input_shape"] != [WEEK1_FEATURES]:
        problems.append(
            f"input shape is {tuple(d['input_shape'])}, expected (64,): each 8×8 image is a vector "
            "of 64 pixel values, so use keras.Input(shape=(64,))."
        )
    layers = d["layers"]
    got_units = [layer["units"] for layer in layers]
    if len(layers) != len(WEEK1_UNITS):
        problems.append(
            f"expected 3 Dense layers (25, 15, 1 units), got {len(layers)} layer(s): "
            + (", ".join(f"{la['class']}({la['units']})" for la in layers) or "none")
            + ". keras.Input is not a layer: it does not count."
        )
    else:
        for i, (layer, units) in enumerate(zip(layers, WEEK1_UNITS), 1):
            if layer["class"] != "Dense":
                problems.append(f"layer {i} is a {layer['class']}, expected Dense.")
            elif layer["units"] != units:
                problems.append(
                    f"layer {i} has {layer['units']} units, expected {units} "
                    f"(the layers have {tuple(WEEK1_UNITS)} units; yours {tuple(got_units)})."
                )
            if layer["activation"] != "sigmoid":
                default = "; without it a Dense layer is linear" if layer["activation"] == "linear" else ""
                problems.append(
                    f"layer {i} has activation {layer['activation']!r}, expected 'sigmoid' "
                    f"(pass activation='sigmoid'{default})."
                )
    if not problems and d["total_params"] != WEEK1_PARAMS:
        problems.append(
            f"total parameters {d['total_params']}, expected {WEEK1_PARAMS} = "
            "(64·25 + 25) + (25·15 + 15) + (15·1 + 1)."
        )
    if not problems:
        return []
    if len(problems) > 1:
        problems[0] = f"{len(problems)} problems: {problems[0]}"
    return problems
