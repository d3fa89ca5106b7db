"""Week 4's graded assignment 1 (a deep network, step by step): nbgrader layout, the instructor
notebook passes its own tests, the student release stops at exercise 1, the sandbox grades a
correct submission full and the stubs 0, every claim of the notebook's prose is pinned, and the
instant checks (``course_utils.checks.week4.assignment_deep_network_step_by_step``) repeat the grader's visible cases, pass the
right answers and name each mistake they claim to name.

Until the other week-4 graded notebook (04, ``model_fit``) is merged,
``load_assignment(root, "week4")`` needs a registry limited to this notebook's exercises
(``REGISTRY``) and a course folder holding only this notebook (conftest's ``course_holding``
and ``grade_in_sandbox``); the end-to-end
``autograder grade week4`` test comes with the merge.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder.authoring.release import release
from autograder.cases import judge, run_case_in_process
from autograder.cases.finite_differences import numeric_gradient, numeric_gradients
from autograder.cases.week4 import EXERCISES as WEEK4
from autograder.contract.cells import nbgrader_meta
from conftest import (
    NOTEBOOKS,
    assert_graded_cells_pass,
    assert_graded_layout,
    assert_student_stubs,
    assert_student_version_stops_at,
    course_holding,
    grade_in_sandbox,
    markdown_text,
    printed,
)
from course_utils import reference as ref
from course_utils.checks.week4 import assignment_deep_network_step_by_step as steps
from course_utils.data import load_planar_data

NOTEBOOK = NOTEBOOKS / "week4" / "02_assignment_deep_network_step_by_step.ipynb"
EXERCISES = ["initialize_parameters_deep", "linear_forward", "linear_activation_forward",
             "model_forward", "compute_cost", "linear_backward", "linear_activation_backward",
             "model_backward", "update_parameters"]
REGISTRY = {name: WEEK4[name] for name in EXERCISES}
#: The public check of each exercise (two carry "_deep": week 3 has checks of the same names).
PUBLIC_CHECKS = {name: f"check_{name}" for name in EXERCISES} | {
    "compute_cost": "check_compute_cost_deep", "update_parameters": "check_update_parameters_deep"}
POINTS = {"initialize_parameters_deep": 1, "linear_forward": 1, "linear_activation_forward": 1,
          "model_forward": 2, "compute_cost": 1, "linear_backward": 2,
          "linear_activation_backward": 2, "model_backward": 3, "update_parameters": 1}
#: Distinctive lines of the solutions: none may reach learners.
SOLUTION_SNIPPETS = ["np.sqrt(2.0 / n_prev)", "return Z, (A_prev, W, b)",
                     "return A, (linear_cache, Z)", "dZ @ W.T, A_prev.T @ dZ / m",
                     "dZ = dA * (Z > 0)", "-(Y / AL) + (1 - Y) / (1 - AL)",
                     "learning_rate * grads[\"d\" + key]"]
#: The notes' example network, which the notebook checks and trains.
EXAMPLE_DIMS = [2, 3, 5, 4, 2, 1]


@pytest.fixture(scope="module")
def instructor_nb():
    return nbformat.read(NOTEBOOK, as_version=4)


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory) -> Path:
    return release("week4", course_holding(tmp_path_factory.mktemp("course"), NOTEBOOK))


@pytest.fixture(scope="module")
def student_nb(student_dir):
    return nbformat.read(student_dir / NOTEBOOK.name, as_version=4)


@pytest.fixture(scope="module")
def executed():
    """The instructor notebook run top to bottom in a fresh kernel, and how long it took."""
    from conftest import execute_notebook

    start = time.perf_counter()
    nb = execute_notebook(NOTEBOOK)
    return nb, time.perf_counter() - start


def _train(parameters, X, y, iterations, rate):
    """The notebook's training loop with the reference's blocks: the parameters, the cost
    before every step."""
    costs = []
    for _ in range(iterations):
        AL, caches = ref.model_forward(X, parameters)
        costs.append(ref.compute_cost(AL, y))
        parameters = ref.update_parameters(parameters, ref.model_backward(AL, y, caches), rate)
    return parameters, np.array(costs)


def _relative_difference(grads: dict, numeric: dict) -> float:
    a = np.concatenate([grads[k].ravel() for k in numeric])
    b = np.concatenate([numeric[k].ravel() for k in numeric])
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))


# --- layout --------------------------------------------------------------------------------------
def test_instructor_notebook_layout(instructor_nb):
    checks_called = {name: f"{check}({name})" for name, check in PUBLIC_CHECKS.items()}
    assert assert_graded_layout(instructor_nb, "week4", EXERCISES, checks_called) == POINTS
    for cell in instructor_nb.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution"):
            assert cell.source.index("### BEGIN SOLUTION") < cell.source.index("### END SOLUTION")
        if meta.get("grade"):  # the public check is the cell's first line
            assert cell.source.startswith(f"assert {checks_called[meta['grade_id'][5:]]}\n")
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None  # stored without outputs
    # The learner's notebook may not use the reference solutions, TensorFlow or Keras anywhere.
    text = "\n".join(c.source for c in instructor_nb.cells)
    assert "course_utils.reference" not in text and "tensorflow" not in text


def test_relu_and_sigmoid_are_given_in_a_locked_cell(instructor_nb):
    (given,) = [c for c in instructor_nb.cells if nbgrader_meta(c).get("grade_id") == "deep_activations"]
    meta = nbgrader_meta(given)
    assert meta["locked"] and not meta["solution"] and not meta["grade"]
    assert "def relu(Z):" in given.source and "def sigmoid(Z):" in given.source
    namespace = {"np": np}
    exec(given.source, namespace)
    z = np.array([[-2.0, 0.0, 3.0]])
    np.testing.assert_array_equal(namespace["relu"](z), [[0.0, 0.0, 3.0]])
    np.testing.assert_allclose(namespace["sigmoid"](z), ref.sigmoid(z), rtol=1e-15)


def test_each_exercise_is_introduced_with_its_formula_and_shapes(instructor_nb):
    cells = instructor_nb.cells
    for i, cell in enumerate(cells):
        if not nbgrader_meta(cell).get("solution"):
            continue
        name = nbgrader_meta(cell)["grade_id"]
        intro = cells[i - 1]
        heading = intro.source.splitlines()[0]
        points = POINTS[name]
        assert intro.cell_type == "markdown" and heading.startswith("## Exercise ")
        assert f"`{name}` ({points} point{'s' if points > 1 else ''})" in heading
        assert "$" in intro.source and "Watch for" in intro.source, name
        docstring = cell.source.split('"""')[1]
        words = {
            "initialize_parameters_deep": ['"W1": (n0, n1)', '"b1": (n1,)', "sqrt(2 / n[l-1])",
                                           "default_rng(seed)", "zeros"],
            "linear_forward": ["(m, n_prev)", "(n_prev, n)", "b: (n,)", "(Z, cache)",
                               "cache = (A_prev, W, b)"],
            "linear_activation_forward": ["(m, n_prev)", "(n_prev, n)", '"relu" or "sigmoid"',
                                          "(A, cache)", "cache = (linear_cache, Z)"],
            "model_forward": ["(m, n0)", "(AL, caches)", "AL (m, nL)", "list of the L caches",
                              "layer 1 first"],
            "compute_cost": ["(m, 1)", "(m,)", "float"],
            "linear_backward": ["dZ: (m, n)", "(A_prev, W, b)", "(dA_prev, dW, db)",
                                "(m, n_prev)", "(n_prev, n)", "/ m (n,)"],
            "linear_activation_backward": ["dA: (m, n)", "(linear_cache, Z)",
                                           "(dA_prev, dW, db)", "ReLU'(0) = 0"],
            "model_backward": ["AL: (m, 1)", "y: (m,)", '"dW{l}": (n[l-1], n[l])',
                               '"db{l}": (n[l],)', '"dA{l-1}": (m, n[l-1])', "no 1/m"],
            "update_parameters": ['grads["d" + key]', "new dict"],
        }[name]
        for text in words:
            assert text in docstring, (name, text)


def test_the_conventions_are_stated_where_the_learner_needs_them(instructor_nb):
    intro = {nbgrader_meta(c)["grade_id"]: instructor_nb.cells[i - 1].source
             for i, c in enumerate(instructor_nb.cells) if nbgrader_meta(c).get("solution")}
    assert "`cache = (A_prev, W, b)`, **in this order**" in intro["linear_forward"]
    assert "`cache = (linear_cache, Z)`, in this order" in intro["linear_activation_forward"]
    assert "layer 1 first" in intro["model_forward"] and "caches[l - 1]" in intro["model_forward"]
    relu = intro["linear_activation_backward"]
    assert "**ReLU's derivative at exactly $z = 0$ is 0 in this course.**" in relu
    assert "`dA * (Z > 0)`, not `Z >= 0`" in relu
    assert '"dA" + str(l - 1)' in intro["model_backward"]
    assert "(element-wise, no } \\tfrac{1}{m}" in intro["model_backward"]
    text = markdown_text(instructor_nb)
    assert "`dA_prev` carries no $\\frac{1}{m}$" in text
    assert "$(n^{[l-1]}, n^{[l]})$" in text and "$(n^{[l]},)$" in text  # row convention


def test_points_follow_the_work(instructor_nb):
    assert max(POINTS, key=POINTS.get) == "model_backward" and sum(POINTS.values()) == 14


# --- the instructor notebook ---------------------------------------------------------------------
@pytest.mark.notebook
def test_instructor_notebook_runs_and_passes_its_tests(executed):
    nb, seconds = executed
    assert_graded_cells_pass(nb)
    # NumPy only: a few seconds (a bare `import tensorflow` is ~5 s; the bound leaves room for a
    # loaded machine).
    assert seconds < 180, f"the notebook took {seconds:.0f} s"  # runaway bound only


@pytest.mark.notebook
def test_the_executed_notebook_prints_what_the_prose_says(executed):
    nb, _ = executed
    text = printed(nb)
    # The parameters of [2, 3, 5, 4, 2, 1]: shapes, and He's factor largest for 2 inputs.
    factors = {}
    for layer, n_prev, n in zip(range(1, 6), EXAMPLE_DIMS, EXAMPLE_DIMS[1:]):
        line = re.search(rf"layer {layer}: W{layer} (\(.*?\)) +b{layer} (\(.*?\)) +He factor "
                         rf"sqrt\(2 / {n_prev}\) = ([\d.]+)", text)
        assert line and line.group(1) == str((n_prev, n)) and line.group(2) == str((n,))
        factors[layer] = float(line.group(3))
    assert max(factors, key=factors.get) == 1 and factors[1] == 1.0
    # "66 gradient entries, relative difference around 1e-10" (below lesson 3's 1e-7).
    match = re.search(r"(\d+) gradient entries, relative difference ([\d.e+-]+)", text)
    assert match and int(match.group(1)) == sum(
        n_prev * n + n for n_prev, n in zip(EXAMPLE_DIMS, EXAMPLE_DIMS[1:])) == 66
    assert 1e-11 < float(match.group(2)) < 1e-9
    # "starts at 0.678, near ln 2 ... ends at 0.033"; 99.5% (one point in 200) and 98.5%.
    match = re.search(r"cost at iteration 0: ([\d.]+), 250: ([\d.]+), 490: ([\d.]+)", text)
    assert match and match.group(1) == "0.678" and match.group(3) == "0.033"
    assert abs(float(match.group(1)) - np.log(2)) < 0.02
    assert "training accuracy 99.5%, held-out accuracy 98.5%" in text
    figures = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
                  for o in c.outputs)
    assert figures == 2  # the cost curve and the decision boundary


def test_the_training_run_is_as_the_prose_says():
    """Recomputed with the reference's blocks: the cost's course, recorded every 10 iterations
    ("falls at every record but one: at iteration 120 from 0.115 to 0.255"), and step by step
    (overshoots below 0.001 after iteration 130), and the accuracies."""
    X, y = load_planar_data()
    X_test, y_test = load_planar_data(seed=1)
    parameters, costs = _train(ref.initialize_parameters_deep(EXAMPLE_DIMS, 0), X, y, 500, 0.3)
    recorded = costs[::10]
    assert list(np.flatnonzero(np.diff(recorded) > 0) * 10 + 10) == [120]
    assert (round(recorded[11], 3), round(recorded[12], 3)) == (0.115, 0.255)
    assert np.max(np.diff(costs)[130:]) < 1e-3 and np.max(np.diff(costs)[:130]) > 0.05
    assert round(costs[0], 3) == 0.678 and round(recorded[-1], 3) == 0.033
    assert abs(recorded[-1] - 0.03) < 0.005  # "flattens out near 0.03"
    assert np.mean(ref.predict_deep(parameters, X) == y) == 0.995  # one point in 200
    assert np.mean(ref.predict_deep(parameters, X_test) == y_test) == 0.985


def test_the_gradient_check_claims():
    """The relative difference on the notes' network and 5 moons: ~1e-10 for the right backward
    pass, 0.12 to 0.58 with one layer's dW missing its 1/m, 0.85 with ReLU as its own derivative."""
    X, y = load_planar_data()
    X, y = X[:5], y[:5]
    parameters = ref.initialize_parameters_deep(EXAMPLE_DIMS, 0)
    AL, caches = ref.model_forward(X, parameters)
    grads = ref.model_backward(AL, y, caches)
    numeric = numeric_gradients(lambda p: ref.compute_cost(ref.model_forward(X, p)[0], y),
                                parameters)
    assert 1e-11 < _relative_difference(grads, numeric) < 1e-9
    # m = 5: a dW without its 1/m is 5 times too large.
    missing = [_relative_difference({**grads, f"dW{k}": 5 * grads[f"dW{k}"]}, numeric)
               for k in range(1, 6)]
    assert (round(min(missing), 2), round(max(missing), 2)) == (0.12, 0.58)

    def relu_as_derivative():
        Y = y.reshape(AL.shape)
        dA, out = -(Y / AL) + (1 - Y) / (1 - AL), {}
        for layer in range(5, 0, -1):
            linear_cache, Z = caches[layer - 1]
            dZ = dA * (ref.sigmoid(Z) * (1 - ref.sigmoid(Z)) if layer == 5 else np.maximum(0, Z))
            dA, out[f"dW{layer}"], out[f"db{layer}"] = ref.linear_backward(dZ, linear_cache)
        return out

    assert round(_relative_difference(relu_as_derivative(), numeric), 2) == 0.85


def test_the_prose_states_the_checked_facts(instructor_nb):
    """Numbers in the markdown that the checks hold as data: the same numbers."""
    text = markdown_text(instructor_nb)
    assert "`[1.25, -1.85, -0.6, 1.75]`" in text
    np.testing.assert_allclose(steps.Z1[0], [1.25, -1.85, -0.6, 1.75], rtol=1e-12)
    assert "`[[0.92201176], [0.34091934], [0.61054413], [0.64290612]]`" in text
    np.testing.assert_allclose(steps.AL[:, 0], [0.92201176, 0.34091934, 0.61054413, 0.64290612],
                               atol=5e-9)
    assert "= 0.27977656$" in text and round(steps.COST, 8) == 0.27977656
    assert np.isclose(-(np.log(0.9) + np.log(0.8) + np.log(0.6)) / 3, steps.COST)
    assert "`[[0.01776583], [0.10979677]]`" in text
    np.testing.assert_allclose(steps.GRADS["dW3"][:, 0], [0.01776583, 0.10979677], atol=5e-9)
    assert "labels `[1, 0, 1, 0]`" in text and steps.FACT_Y.tolist() == [1, 0, 1, 0]
    assert "$n = [2, 3, 5, 4, 2, 1]$" in text and "so $L = 5$" in text


# --- the student release -------------------------------------------------------------------------
def test_student_version_has_stubs_and_no_solutions(student_nb):
    assert assert_student_stubs(student_nb, SOLUTION_SNIPPETS) == len(EXERCISES)
    for cell in student_nb.cells:
        if nbgrader_meta(cell).get("solution"):
            assert '"""' in cell.source  # the docstring with the shapes stays


@pytest.mark.notebook
def test_student_version_stops_only_at_not_implemented(student_dir, student_nb):
    assert_student_version_stops_at(student_nb, student_dir, "test_initialize_parameters_deep")


# --- grading through the sandbox -----------------------------------------------------------------
@pytest.mark.notebook
def test_the_sandbox_grades_the_solutions_full_and_the_stubs_zero(tmp_path, student_nb):
    root = course_holding(tmp_path / "course", NOTEBOOK)
    learners = {"solved": nbformat.read(NOTEBOOK, as_version=4), "stub": student_nb}
    spec, results = grade_in_sandbox(root, "week4", REGISTRY, learners)
    assert spec.max_score == 14
    solved, stub = results["solved"], results["stub"]
    assert (solved.status, solved.score) == ("graded", 14), solved.message
    for name, exercise in solved.exercises.items():
        assert exercise.cases and all(case.passed for case in exercise.cases), name
    assert stub.score == 0
    assert all(ex.points == 0 for ex in stub.exercises.values())


# --- the checks repeat the grader's visible cases ------------------------------------------------
def _visible(name: str) -> list:
    return [c for c in WEEK4[name].cases() if c.visible]


@pytest.mark.parametrize("name, args, expected", [
    ("linear_forward", [steps.LINEAR_CACHE], [(steps.Z1, steps.LINEAR_CACHE)]),
    ("linear_activation_forward",
     [(*steps.LINEAR_CACHE, "relu"), (*steps.LINEAR_CACHE, "sigmoid")],
     [(steps.A1_RELU, (steps.LINEAR_CACHE, steps.Z1)),
      (steps.A1_SIGMOID, (steps.LINEAR_CACHE, steps.Z1))]),
    ("model_forward", [(steps.FACT_X, steps.FACT_PARAMETERS)], [(steps.AL, steps.FACT_CACHES)]),
    ("compute_cost", [(steps.COST_A2, steps.COST_Y)], [steps.COST]),
    ("linear_backward", [(steps.LINEAR_DZ, steps.LINEAR_CACHE)],
     [tuple(steps.LINEAR_BACKWARD.values())]),
    ("linear_activation_backward",
     [(steps.ACTIVATION_DA, (steps.LINEAR_CACHE, steps.Z1), "relu"),
      (steps.ACTIVATION_DA, (steps.LINEAR_CACHE, steps.Z1), "sigmoid")],
     [tuple(steps.ACTIVATION_BACKWARD_RELU.values()),
      tuple(steps.ACTIVATION_BACKWARD_SIGMOID.values())]),
    ("model_backward", [(steps.AL, steps.FACT_Y, steps.FACT_CACHES)], [steps.GRADS]),
    ("update_parameters", [(steps.FACT_PARAMETERS, steps.UPDATE_GRADS, steps.UPDATE_RATE)],
     [steps.UPDATED]),
])
def test_the_checks_hold_the_visible_cases_inputs_and_answers(name, args, expected):
    from course_utils.checks.core.compare import compare

    cases = _visible(name)
    assert len(cases) == len(args)
    for case, inputs, answer in zip(cases, args, expected):
        if isinstance(inputs[-1], str):  # the activation's name
            assert case.args[-1] == inputs[-1]
            case_args, inputs = case.args[:-1], inputs[:-1]
        else:
            case_args = case.args
        assert compare(case_args, inputs, rtol=0, atol=1e-15) is None, case.name
        assert compare(case.expected, answer, rtol=1e-12, atol=1e-15) is None, case.name


def test_the_initialisation_case_and_judgment_are_the_graders():
    (case,) = _visible("initialize_parameters_deep")
    assert case.args == (steps.INIT_DIMS, steps.INIT_SEED)
    good = ref.initialize_parameters_deep(steps.INIT_DIMS, steps.INIT_SEED)
    bad = {**good, "b2": np.ones(3)}
    for value in (good, bad):
        assert case.check(case, value) == steps.initialize_parameters_deep_problem(
            value, steps.INIT_DIMS)
    assert steps.initialize_parameters_deep_problem(bad, steps.INIT_DIMS).message == (
        "parameters['b2'] should be zeros")


def test_the_expected_values_agree_with_finite_differences_and_a_second_forward_pass():
    """Independent of any backward pass: two-sided differences of the cost of a forward pass
    written here."""
    P, X, y = steps.FACT_PARAMETERS, steps.FACT_X, steps.FACT_Y

    def forward(params, X=X):
        A, layers = X, len(params) // 2
        for layer in range(1, layers + 1):
            Z = A @ params[f"W{layer}"] + params[f"b{layer}"]
            A = 1 / (1 + np.exp(-Z)) if layer == layers else np.where(Z > 0, Z, 0.0)
        return A

    def cost(params, X=X):
        a = forward(params, X)[:, 0]
        return -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))

    np.testing.assert_allclose(forward(P), steps.AL, rtol=1e-12)
    numeric = numeric_gradients(cost, P)
    for key, value in numeric.items():
        np.testing.assert_allclose(steps.GRADS[key], value, rtol=1e-6, atol=1e-9)
    # dA0 is m = 4 times ∂J/∂X: the per-example derivative.
    dX = numeric_gradient(lambda X_: cost(P, X_), X)
    np.testing.assert_allclose(steps.GRADS["dA0"], 4 * dX, rtol=1e-6, atol=1e-9)


def test_the_zero_case_has_an_exact_zero_and_the_convention():
    Z = steps.ZERO_A @ steps.ZERO_W + steps.ZERO_B
    assert np.array_equal(Z, steps.ZERO_Z) and Z[0, 0] == 0.0
    dZ = steps.ZERO_DA * (Z > 0)  # ReLU'(0) = 0
    np.testing.assert_allclose(steps.ZERO_BACKWARD["dW"], steps.ZERO_A.T @ dZ / 3, rtol=1e-15)
    np.testing.assert_allclose(steps.ZERO_BACKWARD["db"], dZ.mean(axis=0), rtol=1e-15)
    np.testing.assert_allclose(steps.ZERO_BACKWARD["dA_prev"], dZ @ steps.ZERO_W.T, rtol=1e-15)


# --- right answers pass, stubs say so and stop ---------------------------------------------------
def _check(name: str):
    return getattr(steps, PUBLIC_CHECKS[name])


@pytest.mark.parametrize("name", EXERCISES)
def test_the_reference_passes(capsys, name):
    assert _check(name)(getattr(ref, name)) is True
    n_cases = {"linear_activation_forward": 2, "linear_activation_backward": 3}.get(name, 1)
    assert capsys.readouterr().out.startswith(f"✔ {name}: all {n_cases} cases passed.")


@pytest.mark.parametrize("name, func", [
    ("model_forward", "model_forward_list_caches"),
    ("linear_activation_backward", "linear_activation_backward_heaviside"),
    ("initialize_parameters_deep", "initialize_xavier"),
])
def test_the_graders_honest_variants_pass(capsys, name, func):
    import test_cases_week4

    assert _check(name)(getattr(test_cases_week4, func)) is True


@pytest.mark.parametrize("name", EXERCISES)
def test_a_stub_is_reported_and_stops_the_cell(capsys, name):
    def stub(*args):
        raise NotImplementedError()

    with pytest.raises(NotImplementedError):
        _check(name)(stub)
    assert f"✘ {name} is not written yet" in capsys.readouterr().out


def test_passing_the_result_instead_of_the_function_is_named(capsys):
    assert steps.check_linear_forward((np.zeros((4, 4)), ())) is False
    assert "check_linear_forward(linear_forward), not check_linear_forward(linear_forward(...))" in (
        capsys.readouterr().out)


def test_a_missing_return_is_named(capsys):
    assert steps.check_model_backward(lambda AL, y, caches: None) is False
    assert "model_backward has no `return` statement" in capsys.readouterr().out


# --- each named mistake --------------------------------------------------------------------------
def _with_parts(func, **changes):
    """``func`` whose returned tuple (or dict) has some parts replaced: ``{index or key: f}``."""
    def changed(*args):
        out = func(*args)
        if isinstance(out, dict):
            return {**out, **{k: f(out[k]) for k, f in changes.items()}}
        out = list(out)
        for k, f in changes.items():
            out[int(k[1:])] = f(out[int(k[1:])])
        return tuple(out)
    return changed


def init_unscaled(dims, seed):
    rng = np.random.default_rng(seed)
    return {k: v for layer in range(1, len(dims)) for k, v in (
        (f"W{layer}", rng.standard_normal((dims[layer - 1], dims[layer])) * 10),
        (f"b{layer}", np.zeros(dims[layer])))}


def init_changed(**changes):
    return lambda dims, seed: {**ref.initialize_parameters_deep(dims, seed), **changes}


def linear_no_bias(A_prev, W, b):
    return A_prev @ W, (A_prev, W, b)


def linear_loop(A_prev, W, b):
    Z = np.array([row @ W + b for row in A_prev])
    return Z, (A_prev, W, b)


def forward_with(g=None, keep="Z", order="linear first"):
    def forward(A_prev, W, b, activation):
        Z, linear_cache = ref.linear_forward(A_prev, W, b)
        A = (np.maximum(0, Z) if activation == "relu" else ref.sigmoid(Z)) if g is None else g(
            Z, activation)
        kept = Z if keep == "Z" else A
        return A, ((linear_cache, kept) if order == "linear first" else (kept, linear_cache))
    return forward


def model_forward_with(acts):
    def forward(X, parameters):
        A, caches = X, []
        for layer, act in enumerate(acts(len(parameters) // 2), 1):
            A, cache = ref.linear_activation_forward(A, parameters[f"W{layer}"],
                                                     parameters[f"b{layer}"], act)
            caches.append(cache)
        return A, caches
    return forward


def linear_backward_with(dA_prev=None, db=None):
    def backward(dZ, cache):
        A_prev, W, _ = cache
        m = A_prev.shape[0]
        return (dZ @ W.T if dA_prev is None else dA_prev(dZ, W, m), A_prev.T @ dZ / m,
                dZ.sum(axis=0) / m if db is None else db(dZ, m))
    return backward


def activation_backward_with(relu_prime=None, sigmoid_prime=None):
    def backward(dA, cache, activation):
        linear_cache, Z = cache
        s = ref.sigmoid(Z)
        if activation == "relu":
            dZ = dA * ((Z > 0) if relu_prime is None else relu_prime(Z))
        else:
            dZ = dA * (s * (1 - s) if sigmoid_prime is None else sigmoid_prime(Z))
        return ref.linear_backward(dZ, linear_cache)
    return backward


def model_backward_with(dAL=None, output="sigmoid", key_offset=1):
    def backward(AL, y, caches):
        L, Y = len(caches), np.reshape(y, AL.shape)
        dA = -(Y / AL) + (1 - Y) / (1 - AL)
        dA = dA if dAL is None else dAL(dA, AL.shape[0])
        grads = {}
        for layer in range(L, 0, -1):
            act = output if layer == L else "relu"
            dA, grads[f"dW{layer}"], grads[f"db{layer}"] = ref.linear_activation_backward(
                dA, caches[layer - 1], act)
            grads[f"dA{layer - key_offset}"] = dA
        return grads
    return backward


def update_with(sign=-1, rate=True, biases=True):
    return lambda p, g, a: {k: v + sign * (a if rate else 1) * g["d" + k]
                            if biases or k.startswith("W") else v for k, v in p.items()}


def _cache_after_the_last(AL, y, caches):
    dA = -(y.reshape(AL.shape) / AL) + (1 - y.reshape(AL.shape)) / (1 - AL)
    return {"dW3": ref.linear_activation_backward(dA, caches[len(caches)], "sigmoid")[1]}


def _y_not_reshaped(AL, y, caches):
    dA = -(y / AL) + (1 - y) / (1 - AL)  # (m, m): every label against every output
    return {"dW3": ref.linear_activation_backward(dA, caches[-1], "sigmoid")[1]}


MISTAKES = [
    # initialize_parameters_deep
    ("initialize_parameters_deep", init_changed(W1=np.ones((5, 4))), "are all equal"),
    ("initialize_parameters_deep", init_unscaled, "is too large for a layer with 5 inputs"),
    ("initialize_parameters_deep", init_changed(W2=np.full((3, 4), 0.3) + np.eye(3, 4)),
     "parameters['W2'] has shape (3, 4), expected (4, 3): it is transposed"),
    ("initialize_parameters_deep", init_changed(b1=np.zeros((4, 1))),
     "parameters['b1'] has shape (4, 1), expected (4,)"),
    ("initialize_parameters_deep", init_changed(b2=np.zeros(3, dtype=int)),
     "parameters['b2'] has dtype int64; it should hold floats"),
    ("initialize_parameters_deep", init_changed(b2=np.full(3, 0.1)),
     "parameters['b2'] should be zeros"),
    ("initialize_parameters_deep", lambda dims, seed: ref.initialize_parameters_deep(dims[:2], seed),
     "parameters has no key 'W2'"),
    # linear_forward
    ("linear_forward", linear_no_bias, "b is not added"),
    ("linear_forward", lambda A, W, b: (A @ W + b, (W, A, b)), "the cache is (A_prev, W, b)"),
    ("linear_forward", lambda A, W, b: (A @ W.T + b, (A, W, b)), "a shape mismatch. Row convention"),
    ("linear_forward", linear_loop, "it still works example by example"),
    # linear_activation_forward
    ("linear_activation_forward", forward_with(lambda Z, act: ref.sigmoid(Z)),
     "activation='relu' computes a sigmoid"),
    ("linear_activation_forward", forward_with(lambda Z, act: np.maximum(0, Z)),
     "activation='sigmoid' computes a ReLU"),
    ("linear_activation_forward", forward_with(lambda Z, act: Z),
     "the activation is not applied"),
    ("linear_activation_forward", forward_with(keep="A"), "the cache keeps A where Z belongs"),
    ("linear_activation_forward", forward_with(order="Z first"),
     "the cache is (linear_cache, Z), in this order"),
    # model_forward
    ("model_forward", model_forward_with(lambda L: ["relu"] * L),
     "the output layer uses ReLU"),
    ("model_forward", model_forward_with(lambda L: ["sigmoid"] * L),
     "every layer uses sigmoid"),
    ("model_forward", model_forward_with(lambda L: ["relu"] * (L - 1)),
     "the loop stops one layer short"),
    ("model_forward", _with_parts(ref.model_forward, p1=lambda caches: caches[:-1]),
     "caches should have 3 parts, got 2"),
    ("model_forward", model_forward_with(lambda L: ["relu"] * (2 * L - 1) + ["sigmoid"]),
     "a missing dict key 'W4'"),
    # compute_cost (week 3's mistakes, named alike)
    ("compute_cost", lambda AL, y: float(-np.sum(y * np.log(AL) + (1 - y) * np.log(1 - AL)) / 3),
     "combining them broadcasts to an (m, m) table"),
    ("compute_cost", lambda AL, y: 3 * ref.compute_cost(AL, y), "is m = 3 times too large"),
    ("compute_cost", lambda AL, y: np.array([ref.compute_cost(AL, y)]),
     "should be a number, got an array of shape (1,)"),
    # linear_backward
    ("linear_backward", _with_parts(ref.linear_backward, p1=np.transpose),
     "dW has shape (4, 3), expected (3, 4): it is transposed"),
    ("linear_backward", _with_parts(ref.linear_backward, p1=lambda dW: 4 * dW),
     "dW is m = 4 times too large: divide by m"),
    ("linear_backward", _with_parts(ref.linear_backward, p2=lambda db: 4 * db),
     "db is m = 4 times too large"),
    ("linear_backward", linear_backward_with(dA_prev=lambda dZ, W, m: dZ @ W.T / m),
     "dA_prev is divided by m: dA_prev = dZ @ W.T carries no 1/m"),
    ("linear_backward", linear_backward_with(db=lambda dZ, m: dZ.sum(axis=0, keepdims=True) / m),
     "db has shape (1, n) (keepdims=True)"),
    ("linear_backward", linear_backward_with(db=lambda dZ, m: dZ.sum(axis=1) / m),
     "db sums over the units (axis=1)"),
    ("linear_backward", linear_backward_with(dA_prev=lambda dZ, W, m: dZ @ W),
     "a shape mismatch. Row convention"),
    ("linear_backward", lambda dZ, cache: ref.linear_backward(dZ, cache[:2]),
     "a cache unpacked into the wrong number of parts"),
    # linear_activation_backward
    ("linear_activation_backward", activation_backward_with(relu_prime=lambda Z: np.maximum(0, Z)),
     "dZ = dA * relu(Z)"),
    ("linear_activation_backward", activation_backward_with(relu_prime=lambda Z: 1.0),
     "dZ misses the activation's derivative: dZ = dA * g'(Z). For ReLU"),
    ("linear_activation_backward", activation_backward_with(
        relu_prime=lambda Z: ref.sigmoid(Z) * (1 - ref.sigmoid(Z))),
     "activation='relu' uses the sigmoid's derivative"),
    ("linear_activation_backward", activation_backward_with(sigmoid_prime=lambda Z: Z > 0),
     "activation='sigmoid' uses ReLU's derivative"),
    ("linear_activation_backward", activation_backward_with(sigmoid_prime=lambda Z: Z * (1 - Z)),
     "not Z (1 − Z)"),
    ("linear_activation_backward", activation_backward_with(sigmoid_prime=lambda Z: 1.0),
     "For the sigmoid, s (1 − s)"),
    ("linear_activation_backward", activation_backward_with(relu_prime=lambda Z: Z >= 0),
     "ReLU's derivative at exactly Z = 0 is taken as 1"),
    # model_backward
    ("model_backward", model_backward_with(dAL=lambda dA, m: -dA),
     "the return value['dW3'] has the wrong sign"),
    ("model_backward", model_backward_with(dAL=lambda dA, m: dA / m), "divided by m twice"),
    ("model_backward", model_backward_with(output="relu"),
     "the output layer's backward uses 'relu'"),
    ("model_backward", model_backward_with(key_offset=0), "the keys are one layer off"),
    ("model_backward", _with_parts(ref.model_backward, dW2=np.transpose),
     "the return value['dW2'] has shape (2, 4), expected (4, 2): it is transposed"),
    ("model_backward", _y_not_reshaped, "Labels y are (m,) and AL (m, 1): reshape y"),
    ("model_backward", lambda AL, y, caches: ref.model_backward(AL, y, caches[::-1]),
     "a shape mismatch"),
    ("model_backward", lambda AL, y, caches: ref.model_backward(AL, y, [None, *caches][:-1]),
     "a cache unpacked into the wrong number of parts"),
    ("model_backward", _cache_after_the_last, "an index out of range: layer l's cache is"),
    # update_parameters
    ("update_parameters", update_with(sign=+1), "the step adds the gradient"),
    ("update_parameters", update_with(rate=False), "the learning rate is not used"),
    ("update_parameters", update_with(biases=False), "the biases are not updated"),
    ("update_parameters", lambda p, g, a: {k: v - a * g["d" + k] for k, v in p.items()
                                           if k != "b3"}, "has no key 'b3'"),
]


@pytest.mark.parametrize("name, func, words", MISTAKES,
                         ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(MISTAKES)])
def test_each_mistake_is_named(capsys, name, func, words):
    assert _check(name)(func) is False
    out = capsys.readouterr().out
    assert out.startswith(f"✘ {name}: case "), out
    assert words in out, out


COMPARED = [(n, f) for n, f, w in MISTAKES if "times too large" in w or "transposed" in w
            or "wrong sign" in w]


@pytest.mark.parametrize("name, func", COMPARED, ids=[f"{n}-{i}" for i, (n, _) in
                                                      enumerate(COMPARED)])
def test_the_check_and_the_grader_name_a_mistake_alike(capsys, name, func):
    """On the first visible case, the grader's message is what the check prints."""
    case = _visible(name)[0]
    verdict = judge(case, run_case_in_process(func, case))
    assert not verdict.passed
    _check(name)(func)
    assert verdict.message in capsys.readouterr().out


# --- the plots -----------------------------------------------------------------------------------
def test_render_the_notebooks_plots_to_png(tmp_path):
    """The notebook's two figures from the reference's run, saved as PNG (under Agg) for a person
    to look at: run with ``--basetemp=DIR`` to keep them in a known place."""
    import matplotlib.pyplot as plt

    from course_utils.plots.week3.assignment_logistic_regression import plot_cost_curves
    from course_utils.plots.week3.assignment_planar_data import plot_decision_boundary

    X, y = load_planar_data()
    parameters, costs = _train(ref.initialize_parameters_deep(EXAMPLE_DIMS, 0), X, y, 500, 0.3)
    ax = plot_cost_curves({"[2, 3, 5, 4, 2, 1], α = 0.3": costs[::10]}, every=10)
    (line,) = ax.get_lines()
    assert line.get_xdata().tolist() == list(range(0, 500, 10))
    ax.figure.savefig(tmp_path / "cost.png")
    X_test, y_test = load_planar_data(seed=1)
    ax = plot_decision_boundary(lambda points: ref.model_forward(points, parameters)[0], X_test,
                                y_test)
    ax.figure.savefig(tmp_path / "boundary.png")
    plt.close("all")
    assert all((tmp_path / f).stat().st_size > 10_000 for f in ("cost.png", "boundary.png"))
