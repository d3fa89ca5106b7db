"""Week 4's second graded notebook (a deep network on the digits 1 and 8, ``model_fit``).

- its nbgrader layout: one exercise, the given blocks locked and under other names than the
  previous assignment's graded functions, Keras only in cells the grader skips;
- the instructor notebook runs top to bottom in a fresh kernel and passes its own test; the student
  release stops at the exercise's "not implemented"; graded through the sandbox, the instructor
  notebook gets full marks and the released stub 0;
- the instant check repeats the grader's visible case, passes right answers and names each mistake
  it claims to, in the grader's words (both judge with ``trained_deep_network_problem``);
- every claim of the prose (accuracies, costs, mistakes, seeds, He's scale, the Keras agreement) is
  pinned on the executed notebook and recomputed with the reference (a second implementation);
- the figure helper, under Agg.

Until week 4's other graded notebook is merged, grading runs with this notebook's exercise only (a
registry subset) in a temporary course holding only this notebook.
"""

from __future__ import annotations

import json
import math
import re
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder.authoring.release import release
from autograder.cases import judge, run_case_in_process
from autograder.cases.week4 import EXERCISES as WEEK4
from autograder.contract.cells import nbgrader_meta
from autograder.contract.limits import Limits
from conftest import (
    NOTEBOOKS,
    assert_graded_cells_pass,
    assert_graded_layout,
    assert_student_stubs,
    assert_student_version_stops_at,
    course_holding,
)
from course_utils import data
from course_utils import reference as ref
from course_utils.checks.week4 import assignment_deep_network_digits as checks

NOTEBOOK = NOTEBOOKS / "week4" / "04_assignment_deep_network_digits.ipynb"
EXERCISES = ["model_fit"]
POINTS = {"model_fit": 4}
REGISTRY = {name: WEEK4[name] for name in EXERCISES}
#: The previous assignment's graded functions: this notebook may not define them.
BLOCKS = ["initialize_parameters_deep", "linear_forward", "linear_activation_forward",
          "model_forward", "compute_cost", "linear_backward", "linear_activation_backward",
          "model_backward", "update_parameters"]
#: Distinctive lines of the solution: none may reach learners.
SOLUTION_SNIPPETS = ["np.sqrt(2 / n_prev)", "if i % 100 == 0:",
                     "value - learning_rate * grads[\"d\" + key]"]
NETWORKS = {"2 layers": [64, 7, 1], "4 layers": [64, 20, 7, 5, 1]}


@pytest.fixture(scope="module")
def instructor_nb():
    return nbformat.read(NOTEBOOK, as_version=4)


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    return course_holding(tmp_path_factory.mktemp("course"), NOTEBOOK)


@pytest.fixture(scope="module")
def student_dir(course) -> Path:
    return release("week4", course)


@pytest.fixture(scope="module")
def student_nb(student_dir):
    return nbformat.read(student_dir / NOTEBOOK.name, as_version=4)


def notebook_namespace(nb) -> dict:
    """The given blocks and the solution, run as the grader runs them: NumPy only."""
    namespace = {"np": np}
    for cell in nb.cells:
        if nbgrader_meta(cell).get("grade_id") in ("given_blocks", "model_fit"):
            exec(cell.source, namespace)
    return namespace


@pytest.fixture(scope="module")
def split():
    return data.load_digits_pair(1, 8)


# --- layout ---------------------------------------------------------------------------------------
def test_instructor_notebook_layout(instructor_nb):
    assert assert_graded_layout(instructor_nb, "week4", EXERCISES,
                                {"model_fit": "check_model_fit(model_fit)"}) == POINTS
    for cell in instructor_nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None  # stored without outputs
    # The given blocks are locked and run by the grader (model_fit calls them).
    (given,) = [c for c in instructor_nb.cells if nbgrader_meta(c).get("grade_id") == "given_blocks"]
    assert nbgrader_meta(given)["locked"] and "autograder:skip" not in given.metadata.get("tags", [])
    assert "def network_forward(X, parameters)" in given.source
    assert "def network_gradients(X, y, parameters)" in given.source


def test_no_answer_of_the_previous_assignment_is_handed_out(instructor_nb):
    code = "\n".join(c.source for c in instructor_nb.cells if c.cell_type == "code")
    for name in BLOCKS:
        assert not re.search(rf"\b{name}\s*\(", code), name
    assert "course_utils.reference" not in code
    # TensorFlow/Keras only where `autograder grade` does not go.
    for cell in instructor_nb.cells:
        if cell.cell_type == "code" and re.search(r"\b(keras|tensorflow)\b", cell.source):
            assert "autograder:skip" in cell.metadata.get("tags", []), cell.source[:60]


def test_the_exercise_states_its_formula_shapes_and_return(instructor_nb):
    cells = instructor_nb.cells
    k = next(i for i, c in enumerate(cells) if nbgrader_meta(c).get("grade_id") == "model_fit")
    intro = cells[k - 1]
    assert intro.cell_type == "markdown"
    assert intro.source.splitlines()[0] == "## Exercise: `model_fit` (4 points)"
    assert "$p := p - \\alpha \\, dp$" in intro.source and "np.sqrt(2 / n[l-1])" in intro.source
    assert "What the check names" in intro.source
    docstring = cells[k].source.split('"""')[1]
    for words in ("X: (m, n0)", "y: (m,)", "(parameters, costs)", '"W1": (n0, n1)', '"b1": (n1,)',
                  "(n[L-1], nL)", "list of floats", "0, 100, 200", "before that iteration's step"):
        assert words in docstring, words


def test_the_prose_states_the_checked_numbers(instructor_nb):
    text = "\n".join(c.source for c in instructor_nb.cells if c.cell_type == "markdown")
    assert ("`layer_dims = [2, 8, 4, 1]`,\nlearning rate 0.3, 1500 iterations and seed 0"
            in text)
    assert checks.FIT_ACCURACY == 1.0 and "classifies 100% of the moons" in text
    assert f"a cost of {checks.FIT_COST:.4f}" in text  # 0.0035
    assert f"from {checks.FIT_FIRST_COST:.3f}\nto {checks.FIT_LAST_COST:.3f}" in text
    assert "at most 3 points in 100" in text and checks.ACCURACY_BAND == 0.03
    assert "at most 0.05 higher" in text and checks.COST_BAND == 0.05
    assert "(so 1500 iterations record 15)" in text and checks.recorded_costs(1500) == 15
    # The two networks' sizes: parameters counted from their layer sizes.
    counts = {name: sum(a * b + b for a, b in zip(dims, dims[1:])) for name, dims in NETWORKS.items()}
    assert counts == {"2 layers": 463, "4 layers": 1493}
    assert "`[64, 7, 1]`: one hidden layer of 7 units, 463 parameters" in text
    assert "`[64, 20, 7, 5, 1]`: hidden layers of 20, 7 and 5 units, 1493 parameters" in text


# --- the instructor notebook, executed -------------------------------------------------------------
@pytest.fixture(scope="module")
def executed():
    from conftest import execute_notebook

    start = time.perf_counter()
    nb = execute_notebook(NOTEBOOK)
    nb.metadata["seconds"] = time.perf_counter() - start
    return nb


def _printed(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
                   if o.get("name") != "stderr")


@pytest.mark.notebook
def test_instructor_notebook_runs_and_passes_its_tests(executed):
    assert_graded_cells_pass(executed)
    assert "\N{HEAVY CHECK MARK} model_fit: all 1 cases passed." in _printed(executed)
    # About 1.5 bare `import tensorflow`s on a quiet machine (benchmarks/notebooks.py); room for
    # a loaded runner.
    assert executed.metadata["seconds"] < 180  # runaway bound only


@pytest.mark.notebook
def test_the_executed_notebook_shows_what_the_prose_says(executed):
    text = _printed(executed)
    assert "X_train: (249, 64)   y_train: (249,)" in text
    assert "X_test:  (107, 64)   y_test:  (107,)" in text
    assert "eights (label 1): 122 of 249 training images, 52 of 107 test images" in text
    assert ("2 layers [64, 7, 1]: cost at iteration 900 0.0222, training accuracy 99.6%, "
            "test accuracy 97.2%") in text
    assert ("4 layers [64, 20, 7, 5, 1]: cost at iteration 900 0.0011, training accuracy 100.0%, "
            "test accuracy 98.1%") in text
    assert "2 layers: misclassified test images for seeds [1, 2, 3, 4]: [3, 3, 3, 3], mean 3.0" in text
    assert "4 layers: misclassified test images for seeds [1, 2, 3, 4]: [2, 2, 3, 1], mean 2.0" in text
    assert "2 layers: test images [4, 54, 91], digits [8, 1, 8], p = [0.005, 0.7068, 0.234]" in text
    assert "4 layers: test images [4, 27], digits [8, 8], p = [0.0005, 0.3603]" in text
    assert "test images both networks get wrong: [4]" in text
    # Keras: the same network, the same predictions, "to within 10^-6".
    assert "parameters: 1493 in Keras, 1493 in NumPy" in text
    assert "same predicted label for all 107 test images: True" in text
    largest = float(re.search(r"probabilities: Keras's float32, NumPy's float64; largest "
                              r"difference (\S+)", text).group(1))
    assert 0 < largest < 1e-6
    images = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs
              if "image/png" in o.get("data", {})]
    assert len(images) == 4  # training digits, the comparison, two sets of mistakes


# --- the prose's claims, recomputed with the reference ---------------------------------------------
@pytest.fixture(scope="module")
def trained(split):
    return {name: ref.model_fit(split.X_train, split.y_train, dims, 0.1, 1000, 1)
            for name, dims in NETWORKS.items()}


def _wrong(parameters, X, y) -> np.ndarray:
    return np.flatnonzero(ref.predict_deep(parameters, X) != y)


def test_the_notebooks_training_is_the_references(instructor_nb, split):
    """The given blocks and the solution train the same network as the reference's model_fit."""
    ns = notebook_namespace(instructor_nb)
    for dims in NETWORKS.values():
        mine, my_costs = ns["model_fit"](split.X_train, split.y_train, dims, 0.1, 300, 1)
        theirs, their_costs = ref.model_fit(split.X_train, split.y_train, dims, 0.1, 300, 1)
        assert all(isinstance(c, float) for c in my_costs)
        np.testing.assert_allclose(my_costs, their_costs, rtol=1e-9)
        for key, value in theirs.items():
            np.testing.assert_allclose(mine[key], value, rtol=1e-7, atol=1e-10)


def test_the_given_blocks_are_the_references(instructor_nb):
    ns = notebook_namespace(instructor_nb)
    rng = np.random.default_rng(7)
    for dims in ([3, 4, 2, 1], [5, 1], [2, 6, 6, 4, 3, 1]):
        parameters = {k: v for layer in range(1, len(dims)) for k, v in (
            (f"W{layer}", rng.normal(0, 0.8, (dims[layer - 1], dims[layer]))),
            (f"b{layer}", rng.normal(0, 0.3, dims[layer])))}
        X, y = rng.normal(size=(6, dims[0])), rng.integers(0, 2, 6).astype(float)
        AL, caches = ref.model_forward(X, parameters)
        np.testing.assert_allclose(ns["network_forward"](X, parameters), AL, rtol=1e-12)
        grads, want = ns["network_gradients"](X, y, parameters), ref.model_backward(AL, y, caches)
        assert set(grads) == {k for k in want if not k.startswith("dA")}
        for key, value in grads.items():
            np.testing.assert_allclose(value, want[key], rtol=1e-9, atol=1e-12)


def test_depth_claims(trained, split):
    two, four = trained["2 layers"], trained["4 layers"]
    # "Both start near ln 2 (0.79 and 0.69)", "about 20 times lower (0.0011 against 0.0222)".
    assert (round(two[1][0], 2), round(four[1][0], 2)) == (0.79, 0.69)
    assert (round(two[1][-1], 4), round(four[1][-1], 4)) == (0.0222, 0.0011)
    assert 19.5 < two[1][-1] / four[1][-1] < 21.5  # 20.6
    assert np.all(np.diff(two[1]) < 0) and np.all(np.diff(four[1]) < 0)  # "and fall"
    # "misclassifies 1 of the 249 training images and 3 of the 107 test images (99.6% and 97.2%)"
    assert len(_wrong(two[0], split.X_train, split.y_train)) == 1
    assert len(_wrong(four[0], split.X_train, split.y_train)) == 0
    wrong_2, wrong_4 = (_wrong(p, split.X_test, split.y_test) for p in (two[0], four[0]))
    assert wrong_2.tolist() == [4, 54, 91] and wrong_4.tolist() == [4, 27]
    assert (f"{1 - 1 / 249:.1%}", f"{1 - 3 / 107:.1%}", f"{1 - 2 / 107:.1%}") == (
        "99.6%", "97.2%", "98.1%")
    # The mistakes: "two of the three are 8s taken for 1s", "sure of the first (p = 0.005)",
    # "a 1 taken for an 8 (p = 0.71)"; the 4-layer network "misses two narrow 8s, test image 4
    # again, even surer (p < 0.001)".
    p2 = ref.model_forward(split.X_test, two[0])[0][:, 0]
    p4 = ref.model_forward(split.X_test, four[0])[0][:, 0]
    assert split.y_test[wrong_2].tolist() == [1.0, 0.0, 1.0]
    assert round(p2[4], 3) == 0.005 and round(p2[54], 2) == 0.71
    assert split.y_test[wrong_4].tolist() == [1.0, 1.0] and p4[4] < min(0.001, p2[4])
    # Keras: "a predicted label could change only for an image whose probability is that close
    # (1e-7) to one half. None is."
    assert np.min(np.abs(p4 - 0.5)) > 1e-3


def test_predict_on_batch_is_kerass_prediction(trained, split):
    """'Keras predicts the test set, all of it as one batch (predict_on_batch)': the same float32
    probabilities as predict, which cuts the set into batches of 32 and feeds them through its
    data pipeline (the time the notebook saves), and the NumPy forward pass's to float32
    precision."""
    import keras

    parameters = trained["4 layers"][0]
    model = keras.Sequential(
        [keras.Input(shape=(64,))]
        + [keras.layers.Dense(n, activation="relu") for n in NETWORKS["4 layers"][1:-1]]
        + [keras.layers.Dense(1, activation="sigmoid")])
    for k, dense in enumerate(model.layers, start=1):
        dense.set_weights([parameters[f"W{k}"], parameters[f"b{k}"]])
    one_batch = model.predict_on_batch(split.X_test)
    assert one_batch.shape == (107, 1) and one_batch.dtype == np.float32
    np.testing.assert_allclose(one_batch, model.predict(split.X_test, verbose=0), rtol=0, atol=1e-7)
    np.testing.assert_allclose(one_batch[:, 0], ref.model_forward(split.X_test, parameters)[0][:, 0],
                               rtol=0, atol=1e-6)


def test_the_seed_claims(split):
    wrong = {name: [len(_wrong(ref.model_fit(split.X_train, split.y_train, dims, 0.1, 1000,
                                             seed)[0], split.X_test, split.y_test))
                    for seed in (1, 2, 3, 4)] for name, dims in NETWORKS.items()}
    # "misses 3 from every seed"; "between 1 and 3, 2 on average, and never more than the
    # 2-layer network from the same seed".
    assert wrong == {"2 layers": [3, 3, 3, 3], "4 layers": [2, 2, 3, 1]}
    assert all(a <= b for a, b in zip(wrong["4 layers"], wrong["2 layers"]))


def _relu_rms_ratio(scale, n: int = 64, layers: int = 4) -> float:
    """The root mean square of a ReLU layer's activations over its input's, averaged over layers."""
    rng = np.random.default_rng(0)
    A = np.maximum(0.0, rng.standard_normal((4000, n)))
    ratios = []
    for _ in range(layers):
        new = np.maximum(0.0, A @ (rng.standard_normal((n, n)) * scale(n)))
        ratios.append(np.sqrt(np.mean(new**2) / np.mean(A**2)))
        A = new / ratios[-1]  # keep the numbers in range
    return float(np.mean(ratios))


def test_he_keeps_the_size_and_a_hundredth_shrinks_it():
    """The exercise's prose: √(2/n) keeps the activations' size from layer to layer; × 0.01
    shrinks it by about 0.01 √(n/2) per layer, about 1/18 for 64 inputs."""
    assert _relu_rms_ratio(lambda n: np.sqrt(2 / n)) == pytest.approx(1.0, abs=0.03)
    small = _relu_rms_ratio(lambda n: 0.01)
    assert small == pytest.approx(0.01 * np.sqrt(64 / 2), rel=0.03)
    assert round(1 / (0.01 * np.sqrt(64 / 2))) == 18


def test_a_hundredth_stalls_the_checks_training_at_ln2():
    """"training stalls at J = ln 2: on the check's moons, for 700 iterations"."""
    _, costs = fit_variant(init="small")(*checks.fit_case_data())
    assert np.allclose(costs[:8], math.log(2), atol=2e-3) and costs[8] < 0.6


# --- release and grading --------------------------------------------------------------------------
def test_student_version_has_the_stub_and_the_given_blocks(student_nb):
    assert assert_student_stubs(student_nb, SOLUTION_SNIPPETS) == 1
    (stub,) = [c for c in student_nb.cells if nbgrader_meta(c).get("solution")]
    assert '"""' in stub.source and "(parameters, costs)" in stub.source  # the docstring stays
    text = "\n".join(c.source for c in student_nb.cells)
    assert "def network_gradients(X, y, parameters)" in text


@pytest.mark.notebook
def test_student_version_stops_at_the_exercise(student_dir, student_nb):
    assert_student_version_stops_at(student_nb, student_dir, "test_model_fit")


@pytest.mark.notebook
def test_sandbox_gives_full_marks_to_the_solution_and_zero_to_the_stub(course, student_nb):
    from autograder.grading.assignment import load_assignment
    from autograder.grading.grade import grade_submission
    from autograder.intake.submissions import discover

    spec = load_assignment(course, "week4", registry=REGISTRY)
    assert spec.points == POINTS and spec.max_score == 4
    for student, nb in (("solved", nbformat.read(NOTEBOOK, as_version=4)), ("stub", student_nb)):
        folder = course / "submitted" / student / "week4"
        folder.mkdir(parents=True)
        nbformat.write(nbformat.from_dict(json.loads(json.dumps(nb))), folder / NOTEBOOK.name)
    subs = {s.student: s for s in discover(course / "submitted", "week4", spec.sources,
                                           spec.released)}
    solved = grade_submission(spec, subs["solved"], Limits())
    assert (solved.status, solved.score) == ("graded", 4), solved.to_json()
    assert all(case.passed for case in solved.exercises["model_fit"].cases)
    assert len(solved.exercises["model_fit"].cases) == 3
    stub = grade_submission(spec, subs["stub"], Limits())
    assert (stub.status, stub.score) == ("graded", 0), stub.to_json()


# --- the instant check ----------------------------------------------------------------------------
def test_the_check_repeats_the_graders_visible_case():
    (case,) = [c for c in WEEK4["model_fit"].cases() if c.visible]
    assert case.name == checks.FIT_NAME
    X, y, dims, rate, iterations, seed = checks.fit_case_data()
    np.testing.assert_array_equal(X, case.args[0])
    np.testing.assert_array_equal(y, case.args[1])
    assert (dims, rate, iterations, seed) == tuple(case.args[2:])
    # The grader's data is course_utils.data's (one function for both).
    from sklearn.datasets import make_moons

    X_moons, y_moons = make_moons(200, noise=0.15, random_state=4)
    np.testing.assert_array_equal(X, X_moons)
    np.testing.assert_array_equal(y, y_moons)
    # The numbers held as data are the reference's training.
    parameters, costs = case.expected
    # to round-off: 2,000 iterations of BLAS sums move the last cost by an ulp between versions
    assert (checks.FIT_FIRST_COST, checks.FIT_LAST_COST) == pytest.approx((costs[0], costs[-1]),
                                                                           rel=1e-12)
    AL = ref.model_forward(X, parameters)[0]
    assert checks.FIT_ACCURACY == float(np.mean((AL[:, 0] > 0.5) == y))
    assert checks.FIT_COST == pytest.approx(ref.compute_cost(AL, y), rel=1e-12)
    assert checks.deep_network_scores(parameters, X, y) == pytest.approx(
        (checks.FIT_ACCURACY, checks.FIT_COST), rel=1e-12)


def fit_variant(*, init="he", every=100, sign=-1.0, keep=True, transpose=False, depth=None,
                rate=None, iterations=None, returns="both"):
    """A ``model_fit`` built from the reference's blocks, with one typical mistake switched on."""

    def model_fit(X, y, layer_dims, learning_rate, num_iterations, seed):
        dims = list(layer_dims)[:depth] + [1] if depth else list(layer_dims)
        rng = np.random.default_rng(seed)
        scale = {"he": lambda n: np.sqrt(2 / n), "small": lambda n: 0.01, "zero": lambda n: 0.0}[init]
        parameters = {k: v for layer in range(1, len(dims)) for k, v in (
            (f"W{layer}", rng.standard_normal((dims[layer - 1], dims[layer])) * scale(dims[layer - 1])),
            (f"b{layer}", np.zeros(dims[layer])))}
        costs = []
        for i in range(iterations or num_iterations):
            AL, caches = ref.model_forward(X, parameters)
            if i % every == 0:
                costs.append(ref.compute_cost(AL, y))
            grads = ref.model_backward(AL, y, caches)
            stepped = {k: v + sign * (rate or learning_rate) * grads["d" + k]
                       for k, v in parameters.items()}
            parameters = stepped if keep else parameters
        if transpose:
            parameters = {k: v.T for k, v in parameters.items()}
        return {"both": (parameters, costs), "parameters": parameters, "none": None,
                "array_costs": (parameters, [np.array([c]) for c in costs]),
                "column_costs": (parameters, np.array(costs).reshape(-1, 1))}[returns]

    return model_fit


@pytest.mark.parametrize("func", [ref.model_fit, fit_variant(), fit_variant(init="he", every=100)])
def test_right_answers_pass_the_check(func, capsys):
    assert checks.check_model_fit(func) is True
    assert capsys.readouterr().out == "\N{HEAVY CHECK MARK} model_fit: all 1 cases passed.\n"


def test_the_notebooks_solution_passes_the_check(instructor_nb, capsys):
    assert checks.check_model_fit(notebook_namespace(instructor_nb)["model_fit"]) is True
    assert "\N{HEAVY CHECK MARK}" in capsys.readouterr().out


MISTAKES = {
    "every_iteration": (fit_variant(every=1), [
        "costs has shape (1500,), expected (15,)", "recorded when i % 100 == 0",
        "1500 iterations give 15"]),
    "transposed": (fit_variant(transpose=True), [
        "parameters['W1'] has shape (8, 2), expected (2, 8): it is transposed",
        "the notes' (n[l], n[l-1]) is the column convention"]),
    "layer_dims_ignored": (fit_variant(depth=2), [
        "the network has 2 weight matrices, but layer_dims [2, 8, 4, 1] asks for 3 layers",
        "loop over layer_dims"]),
    "gradient_ascent": (fit_variant(sign=1.0), [
        "hold NaN or inf: the costs blow up until the numbers overflow",
        "p := p − learning_rate · dp"]),
    "gradient_ascent_slow": (fit_variant(sign=1.0, rate=1e-4), [
        "the recorded costs barely fall: they rise", "p := p − learning_rate · dp"]),
    "steps_not_kept": (fit_variant(keep=False), ["the recorded costs barely fall: they never change",
                                                 "parameters = the updated ones"]),
    "zero_start": (fit_variant(init="zero"), ["they stay at ln 2 = 0.693", "weights start at zero",
                                              "√(2 / n[l-1]) (He)"]),
    "hundredth_start": (fit_variant(init="small"), [
        "the trained network classifies 0.870 of the training set correctly (cost 0.242)",
        "the recorded costs they stay at ln 2 = 0.693", "or tiny", "not 0 or × 0.01"]),
    "too_few_iterations": (fit_variant(iterations=150, every=10), [
        "the trained network classifies 0.930", "1500 iterations of the same training reach 1.000",
        "are all iterations run with the given learning rate?"]),
    "parameters_only": (fit_variant(returns="parameters"), [
        "should be a tuple of 2 (parameters, costs), got a dict"]),
    "no_return": (fit_variant(returns="none"), ["model_fit has no `return` statement"]),
    "costs_as_a_column": (fit_variant(returns="column_costs"), [
        "costs has shape (15, 1), expected (15,): each recorded cost should be a number"]),
    "costs_as_arrays": (fit_variant(returns="array_costs"), [
        "costs holds an array of shape (1,): each recorded cost should be a number, float(...), "
        "not an array"]),
}


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_each_mistake_is_named(name, capsys):
    func, words = MISTAKES[name]
    with np.errstate(all="ignore"):  # the climbing costs overflow; the check reports it
        assert checks.check_model_fit(func) is False
    out = capsys.readouterr().out
    assert out.startswith("\N{HEAVY BALLOT X} model_fit: case 1 of 1 failed"), out
    for text in words:
        assert text in out, out


@pytest.mark.parametrize("name", sorted(set(MISTAKES) - {"no_return"}))
def test_the_check_and_the_grader_name_a_mistake_alike(name, capsys):
    """On the visible case the grader's message is what the check prints."""
    func, _ = MISTAKES[name]
    (case,) = [c for c in WEEK4["model_fit"].cases() if c.visible]
    with np.errstate(all="ignore"):
        verdict = judge(case, run_case_in_process(func, case))
        checks.check_model_fit(func)
    assert not verdict.passed
    assert f"Problem:  {verdict.message}" in capsys.readouterr().out


def test_not_written_yet_is_said_and_stops_the_cell(capsys):
    def model_fit(X, y, layer_dims, learning_rate, num_iterations, seed):
        raise NotImplementedError()

    with pytest.raises(NotImplementedError):
        checks.check_model_fit(model_fit)
    assert "model_fit is not written yet: replace `raise NotImplementedError()`" in (
        capsys.readouterr().out)


def test_the_check_wants_the_function_itself(capsys):
    assert checks.check_model_fit(({}, [])) is False
    assert "needs the function itself" in capsys.readouterr().out


# --- data and figures -------------------------------------------------------------------------------
def test_the_pair_split():
    split = data.load_digits_pair(1, 8)
    assert split.X_train.shape == (249, 64) and split.X_test.shape == (107, 64)
    X, y = data.digits_pair(1, 8)
    assert np.bincount(y.astype(int)).tolist() == [182, 174]  # the docstring's counts
    assert (split.y_train.sum(), split.y_test.sum()) == (122, 52)  # stratified
    np.testing.assert_array_equal(split.X_test, data.load_digits_pair(1, 8).X_test)
    # week 3's split is the same function's
    three_eight, again = data.load_digits_3_vs_8(), data.load_digits_pair(3, 8)
    np.testing.assert_array_equal(three_eight.X_train, again.X_train)
    assert three_eight.X_test.shape == (108, 64)


def test_the_depth_comparison_figure(tmp_path):
    from course_utils.plots.week4.assignment_deep_network_digits import plot_depth_comparison

    runs = {"2 layers": {"costs": [0.8, 0.2, 0.05], "train_wrong": 1, "test_wrong": 3},
            "4 layers": {"costs": [0.7, 0.03, 0.001], "train_wrong": 0, "test_wrong": 2}}
    fig = plot_depth_comparison(runs, m_train=249, m_test=107)
    cost_ax, bar_ax = fig.axes
    assert [line.get_xdata().tolist() for line in cost_ax.get_lines()] == [[0, 100, 200]] * 2
    assert cost_ax.get_lines()[1].get_ydata().tolist() == [0.7, 0.03, 0.001]
    assert cost_ax.get_yscale() == "log"
    assert [t.get_text() for t in cost_ax.get_legend().get_texts()] == list(runs)
    heights = [p.get_height() for p in bar_ax.patches]
    assert heights == [1, 0, 3, 2]  # training bars, then test bars
    labels = [t.get_text() for t in bar_ax.texts]
    assert labels == ["1 of 249", "0 of 249", "3 of 107", "2 of 107"]
    assert [t.get_text() for t in bar_ax.get_xticklabels()] == list(runs)
    assert bar_ax.get_ylim()[1] > 3  # room above the tallest bar for its label
    fig.savefig(tmp_path / "depth.png")
    # The legend inside the cost axes does not leave them.
    renderer = fig.canvas.get_renderer()
    assert cost_ax.get_window_extent(renderer).contains(
        *cost_ax.get_legend().get_window_extent(renderer).p1)


@pytest.mark.parametrize("runs, message", [
    ({}, "runs is empty"), ({"a": {"costs": [1.0], "train_wrong": 0}}, "has no \\['test_wrong'\\]")])
def test_the_depth_comparison_refuses_bad_input(runs, message):
    from course_utils.plots.week4.assignment_deep_network_digits import plot_depth_comparison

    with pytest.raises(ValueError, match=message):
        plot_depth_comparison(runs, 10, 10)


def test_render_the_notebooks_figures_to_png(trained, split, tmp_path):
    """The figures the notebook draws, from the reference's runs, saved as PNG under Agg for a
    person to look at (``--basetemp=DIR`` keeps them in a known place)."""
    import matplotlib.pyplot as plt

    from course_utils.plots.week1.assignment_binary_digits import plot_digits
    from course_utils.plots.week4.assignment_deep_network_digits import plot_depth_comparison

    runs = {name: {"costs": costs,
                   "train_wrong": len(_wrong(p, split.X_train, split.y_train)),
                   "test_wrong": len(_wrong(p, split.X_test, split.y_test))}
            for name, (p, costs) in trained.items()}
    plot_depth_comparison(runs, len(split.y_train), len(split.y_test)).savefig(tmp_path / "depth.png")
    wrong = _wrong(trained["4 layers"][0], split.X_test, split.y_test)
    plot_digits(split.X_test[wrong], labels=np.where(split.y_test[wrong] == 1, 8, 1),
                title="4 layers: misclassified test images").savefig(tmp_path / "mistakes.png")
    plt.close("all")
    assert (tmp_path / "depth.png").stat().st_size > 10_000
