"""Week 1 labs 1–4: each runs top to bottom in a fresh kernel and shows what its lesson promises.

The printed numbers are the syllabus's *fact* values (house price 300 at x = 1, sigmoid(-4.5) =
0.01099, 9 and 4 parameters, 0.97 and 3.3e-08, Z = [[165, -531, 900]]). Lab 2's second-edition
facts (steps per epoch, training vs held-out accuracy, the 300 × 300 decision map, why its
probability differs from lab 3's) are pinned in ``tests/test_week1_second_edition.py``.

Every lab has "your turn" cells: a stub the learner replaces, an instant check, then "one
possible answer" that the rest of the lab runs on. The stored notebooks run top to bottom with
the stubs (the checks say "not written yet"); filled with the answers, every check passes.
"""

from __future__ import annotations

import math
import re

import nbformat
import pytest

from conftest import (
    NOTEBOOKS,
    assert_reads_as_a_lesson,
    assert_your_turn_cells,
    fill_your_turns,
)

WEEK1 = NOTEBOOKS / "week1"
NEURONS = WEEK1 / "01_neurons_and_layers.ipynb"
COFFEE_TF = WEEK1 / "02_coffee_roasting_tensorflow.ipynb"
COFFEE_NP = WEEK1 / "03_coffee_roasting_numpy.ipynb"
VECTORISATION = WEEK1 / "04_vectorisation.ipynb"
LABS = [NEURONS, COFFEE_TF, COFFEE_NP, VECTORISATION]


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def _stdout(nb) -> str:
    return "".join(
        out.get("text", "")
        for cell in _code_cells(nb)
        for out in cell.outputs
        if out.output_type == "stream" and out.name == "stdout"
    )


def _images(nb) -> int:
    return sum(
        "image/png" in out.get("data", {}) for cell in _code_cells(nb) for out in cell.outputs
    )


def _errors(nb) -> list[tuple[list[str], str]]:
    """(tags, exception name) of every cell that raised."""
    return [
        (cell.metadata.get("tags", []), out.ename)
        for cell in _code_cells(nb)
        for out in cell.outputs
        if out.output_type == "error"
    ]


def _check_verdicts(nb) -> list[str]:
    """The first line of every instant check's verdict, in order."""
    return re.findall(r"^(?:\N{HEAVY CHECK MARK}|\N{HEAVY BALLOT X}) .*$", _stdout(nb), flags=re.M)


#: (function, its check) for each "your turn" exercise, in order.
YOUR_TURN = {
    NEURONS: [("my_neuron", "check_neuron")],
    COFFEE_TF: [("steps_per_epoch", "check_steps_per_epoch")],
    COFFEE_NP: [("my_dense", "check_dense"), ("my_sequential", "check_sequential"),
                ("my_predict", "check_predict")],
    VECTORISATION: [("dense_v", "check_dense_v")],
}


def _with_answers(path, folder):
    """A copy of the lab in ``folder`` whose "your turn" functions are the lab's own answers."""
    nb = fill_your_turns(nbformat.read(path, as_version=4), [func for func, _ in YOUR_TURN[path]])
    copy = folder / path.name
    nbformat.write(nb, copy)
    return copy


def _number(pattern: str, text: str) -> float:
    match = re.search(pattern, text)
    assert match, f"the notebook did not print {pattern!r}; it printed:\n{text}"
    return float(match.group(1))


# ---- structure: cheap, no kernel ---------------------------------------------------------------

@pytest.mark.parametrize("path", LABS, ids=lambda p: p.stem)
def test_lab_reads_as_a_lesson(path):
    nb = nbformat.read(path, as_version=4)
    assert_reads_as_a_lesson(nb, "# Week 1, lab")
    for cell in _code_cells(nb):
        assert "input_dim" not in cell.source and ".predict(" not in cell.source


@pytest.mark.parametrize("path", list(YOUR_TURN), ids=lambda p: p.stem)
def test_your_turn_cells_are_stub_check_answer(path):
    assert_your_turn_cells(nbformat.read(path, as_version=4), YOUR_TURN[path])


def test_only_the_shape_mismatch_cell_may_fail():
    tagged = [
        c for lab in LABS for c in _code_cells(nbformat.read(lab, as_version=4))
        if "raises-exception" in c.metadata.get("tags", [])
    ]
    assert [c.source for c in tagged] == ["np.matmul(A_in, W.T)"]


# ---- execution --------------------------------------------------------------------------------

@pytest.mark.notebook
def test_neurons_and_layers(run_notebook):
    nb = run_notebook(NEURONS)
    out = _stdout(nb)
    # Glorot uniform on a 1×1 kernel: within ±sqrt(3) (the lesson's range; tests/test_keras_facts.py
    # checks the rule itself), and the bias starts at 0
    assert abs(_number(r"random start: w = (-?[\d.]+)", out)) <= math.sqrt(3)
    assert _number(r"random start: w = \S+, b = (-?[\d.]+)", out) == 0.0
    assert "Keras: [300. 500.]" in out and "NumPy: [300. 500.]" in out
    assert _number(r"price at x = 1: ([\d.]+)", out) == 300.0
    assert _number(r"f\(0\) = sigmoid\(-4.5\) = ([\d.]+)", out) == pytest.approx(0.01099, abs=5e-6)
    assert "predictions: [0 0 0 1 1 1]  labels: [0 0 0 1 1 1]" in out
    assert _number(r"decision boundary: x = ([\d.]+)", out) == 2.25
    assert _images(nb) == 2 and _errors(nb) == []
    # stored with the stub, it still runs: the check says my_neuron is not written yet, and the
    # answer, one example per call, gives the Keras layer's six probabilities to about 1e-8
    assert _check_verdicts(nb) == ["\N{HEAVY BALLOT X} my_neuron: not written yet: replace "
                                   "`raise NotImplementedError()` by your code, run its cell, then "
                                   "this check again."]
    assert "my_neuron: [0.01099 0.07586 0.37754 0.81757 0.97069 0.99593]" in out
    assert "Keras:     [0.01099 0.07586 0.37754 0.81757 0.97069 0.99593]" in out
    # "agree to better than 1e-6, not exactly" (Keras computes in float32)
    assert 0 < _number(r"largest difference: ([\d.e+-]+)", out) < 1e-6


@pytest.mark.notebook
def test_neurons_and_layers_with_the_answer(run_notebook, tmp_path):
    nb = run_notebook(_with_answers(NEURONS, tmp_path))
    assert _check_verdicts(nb) == ["\N{HEAVY CHECK MARK} my_neuron: all 4 cases passed."]
    assert _errors(nb) == []


@pytest.mark.notebook
def test_coffee_roasting_tensorflow(run_notebook):
    nb = run_notebook(COFFEE_TF)
    out = _stdout(nb)
    assert "good roasts: 43 of 200" in out
    assert "layer1: W (2, 3), b (3,) -> 9 parameters" in out
    assert "layer2: W (3, 1), b (1,) -> 4 parameters" in out
    losses = [float(x) for x in re.findall(r"epoch +\d+: loss ([\d.]+)", out)]
    assert len(losses) == 10 and losses[-1] < losses[0] / 2, losses
    assert _number(r"training accuracy, the 200 roasts it was trained on: ([\d.]+)", out) >= 0.95
    assert _number(r"trained in ([\d.]+) s", out) < 30
    decisions = re.findall(r"min: P\(good\) = \S+, decision (\d)", out)
    assert decisions == ["1", "0"]
    assert _images(nb) == 4 and _errors(nb) == []
    # stored with the stub, it still runs: the check says steps_per_epoch is not written yet
    assert _check_verdicts(nb) == ["\N{HEAVY BALLOT X} steps_per_epoch: not written yet: replace "
                                   "`raise NotImplementedError()` by your code, run its cell, then "
                                   "this check again."]


@pytest.mark.notebook
def test_coffee_roasting_tensorflow_with_the_answer(run_notebook, tmp_path):
    nb = run_notebook(_with_answers(COFFEE_TF, tmp_path))
    assert _check_verdicts(nb) == ["\N{HEAVY CHECK MARK} steps_per_epoch: all 5 cases passed."]
    assert "gradient steps taken: 15630 = 10 epochs x 1563 steps" in _stdout(nb)
    assert _errors(nb) == []


@pytest.mark.notebook
def test_coffee_roasting_numpy(run_notebook):
    nb = run_notebook(COFFEE_NP)
    out = _stdout(nb)
    assert "z        = [  5.  23. -32.]" in out
    assert "sigmoid  = ['0.99331', '1', '1.2664e-14']" in out
    assert "ReLU     = [ 5. 23.  0.]" in out
    assert _number(r"200 °C, 13.9 min: probability ([\d.e+-]+), decision 1", out) == pytest.approx(
        0.97, abs=0.01
    )
    assert _number(r"200 °C, 17.0 min: probability ([\d.e+-]+), decision 0", out) == pytest.approx(
        3.3e-08, rel=0.05
    )
    assert _number(r"accuracy on the 200 roasts: ([\d.]+)", out) == 1.0
    assert _number(r"loops and matrix products: ([\d.e+-]+)", out) < 1e-12
    assert _images(nb) == 1 and _errors(nb) == []
    # stored with stubs, it still runs: each check names the unwritten function
    assert _check_verdicts(nb) == [
        f'\N{HEAVY BALLOT X} {name}: case 1 of {n} failed, "{case}".' for name, n, case in
        [("my_dense", 5, "b = 0, linear g"), ("my_sequential", 3, "one layer"),
         ("my_predict", 4, "two examples, two layers with their own activations")]
    ]
    assert out.count("is not written yet: replace `raise NotImplementedError()`") == 3


@pytest.mark.notebook
def test_coffee_roasting_numpy_with_the_answers(run_notebook, tmp_path):
    nb = run_notebook(_with_answers(COFFEE_NP, tmp_path))
    out = _stdout(nb)
    assert _check_verdicts(nb) == [
        "\N{HEAVY CHECK MARK} my_dense: all 5 cases passed.",
        "\N{HEAVY CHECK MARK} my_sequential: all 3 cases passed.",
        "\N{HEAVY CHECK MARK} my_predict: all 4 cases passed.",
    ]
    assert "probability 0.97, decision 1" in out and "probability 3.3e-08, decision 0" in out
    assert _number(r"accuracy on the 200 roasts: ([\d.]+)", out) == 1.0
    assert _errors(nb) == []


@pytest.mark.notebook
def test_vectorisation(run_notebook):
    nb = run_notebook(VECTORISATION)
    out = _stdout(nb)
    assert "Z = [[ 165 -531  900]]" in out
    assert "(1, 2) @ (2, 3) -> (1, 3)" in out and "(4, 2) @ (2, 3) -> (4, 3)" in out
    # .T swaps a matrix's axes and leaves a 1-D vector as it is
    assert "W (2, 3) -> W.T (3, 2)" in out and "a_vec (2,) -> a_vec.T (2,)" in out
    assert "row 0 of W.T: [ 1 -2] = column 0 of W: [ 1 -2]" in out
    # vector · matrix gives a 1-D (k,), matrix · matrix an (m, k), with the same numbers
    assert "(2,) @ (2, 3) -> (3,): z = [ 165 -531  900]" in out
    assert "(1, 2) @ (2, 3) -> (1, 3): Z = [[ 165 -531  900]]" in out
    # the BLAS library the lesson names is really what NumPy's matmul runs on
    assert re.search(r"^BLAS: (openblas|mkl|blis|accelerate|flexiblas) \S+(, kernels for \S+)?$", out,
                     flags=re.M), out
    # stored with a stub, the lab still runs: the check says dense_v is not written yet
    assert _check_verdicts(nb) == ['\N{HEAVY BALLOT X} dense_v: case 1 of 6 failed, "b = 0, linear g".']
    assert "dense_v is not written yet" in out
    assert _errors(nb) == [(["raises-exception"], "ValueError")]
    assert _number(r"timing took ([\d.]+) s", out) < 3.0
    rows = re.findall(r"^\s*(\d+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)x$", out, flags=re.M)
    assert [int(r[0]) for r in rows] == [1, 4, 16, 64, 256, 1024]
    loop_ms = [float(r[1]) for r in rows]
    assert loop_ms[-1] > 10 * loop_ms[0]  # the loop's time grows with the batch
    assert _number(r"speed-up at m = 1024: (\d+)x", out) >= 10
    assert _images(nb) == 1


@pytest.mark.notebook
def test_vectorisation_with_the_answer(run_notebook, tmp_path):
    nb = run_notebook(_with_answers(VECTORISATION, tmp_path))
    assert _check_verdicts(nb) == ["\N{HEAVY CHECK MARK} dense_v: all 6 cases passed."]
    assert _errors(nb) == [(["raises-exception"], "ValueError")]
