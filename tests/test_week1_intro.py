"""Week 1, lesson 0 (what is a neural network): the multiple-choice quiz widget driven headless, the
instant check of ``relu``, the schematic figures' data, and the notebook, executed in a fresh kernel,
with every number and claim its prose makes.

Independent values: the check's stored outputs are recomputed here from the mistakes' formulas;
the lesson's fitted line against ``np.linalg.lstsq``; the sigmoid's slope against a finite
difference; the digits' facts against scikit-learn; the edges' orientations against their pixels'
second moments.
"""

from __future__ import annotations

import html
import re

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest

from conftest import (
    NOTEBOOKS,
    assert_hands_out_no_graded_answer,
    assert_reads_as_a_lesson,
    assert_your_turn_cells,
    execute_with_results,
    fill_your_turns,
    printed,
)
from course_utils.checks import check_relu
from course_utils.checks.week1.what_is_a_neural_network import CASES, EXCEPTIONS, IN_PLACE, MISTAKES
from course_utils.plots.week1.what_is_a_neural_network import (
    EDGE_ANGLES,
    FACES,
    dense_edges,
    face_parts,
    feature_hierarchy_images,
    plot_feature_hierarchy,
    plot_network,
    plot_scale_curves,
    scale_curves,
)
from course_utils.widgets import ChoiceQuestion, ChoiceQuiz, Feedback

NB = NOTEBOOKS / "week1" / "00_what_is_a_neural_network.ipynb"
# A NumPy-only lesson: about 5 s on a quiet machine; the bound leaves room for a loaded runner.
TIME_LIMIT_S = 180  # a runaway bound only: speed is benchmarks/notebooks.py's job


def _question() -> ChoiceQuestion:
    return ChoiceQuestion("What is relu(-3)?", {
        "-3": "the straight line: ReLU sets negative values to 0.",
        "0": "max(0, -3) = 0.",
        "3": "that is |-3|: ReLU does not flip signs.",
    }, answer="0")


# --- the multiple-choice question (state, no display) ---------------------------------------------

def test_question_explains_every_choice_by_text_and_by_number():
    q = _question()
    assert q.options == ["-3", "0", "3"] and q.answer_index == 1
    assert q.check("0") == Feedback(True, "Correct: max(0, -3) = 0.")
    assert q.check(1) == q.check("0")
    assert q.check("-3") == Feedback(False, "Not quite — the straight line: ReLU sets negative "
                                            "values to 0.")
    assert q.check(2) == Feedback(False, "Not quite — that is |-3|: ReLU does not flip signs.")
    assert q.check(None) == Feedback(False, "Choose an answer first.")


@pytest.mark.parametrize(("choice", "message"), [
    ("zero", r"'zero' is not one of the choices \['-3', '0', '3'\]"),
    (3, "choice number 3 does not exist; this question has choices 0 to 2"),
    (-1, "choice number -1 does not exist"),
    (True, "got bool True"),
    (0.0, "got float 0.0"),
])
def test_question_rejects_unknown_choices_clearly(choice, message):
    with pytest.raises(ValueError, match=message):
        _question().check(choice)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"choices": {"a": "why a"}, "answer": "a"}, "at least two choices"),
    ({"choices": ["a", "b"], "answer": "a"}, "must be a dict"),
    ({"choices": {"a": "why a", "b": ""}, "answer": "a"}, "the choice 'b' has no explanation"),
    ({"choices": {"a": "why a", "b": "why b"}, "answer": "c"}, "'c' is not one of the choices"),
    ({"choices": {"$z^2$": "why", "b": "why b"}, "answer": "b"}, "plain text"),
    ({"choices": {"": "why", "b": "why b"}, "answer": "b"}, "not a non-empty string"),
])
def test_question_rejects_bad_definitions(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ChoiceQuestion("prompt", **kwargs)


def test_question_keeps_its_own_copy_of_the_choices():
    choices = {"a": "why a", "b": "why b"}
    q = ChoiceQuestion("prompt", choices, answer="a")
    choices["a"] = "changed"
    assert q.check("a").message == "Correct: why a"


# --- the quiz display, driven headless ---------------------------------------------------------------

def test_quiz_shows_each_choices_explanation_after_check():
    quiz = ChoiceQuiz([_question(), ChoiceQuestion("2 + 2?", {"4": "yes", "5": "no"}, answer="4")])
    assert [r.options for r in quiz.radios] == [(("-3", 0), ("0", 1), ("3", 2)), (("4", 0), ("5", 1))]
    assert all(r.value is None for r in quiz.radios) and quiz.results == [None, None]
    quiz.buttons[0].click()  # nothing chosen yet
    assert "Choose an answer first." in quiz.feedback[0].value and quiz.score == 0
    quiz.choose(0, "3")
    quiz.buttons[0].click()
    assert quiz.results[0].correct is False
    assert "✘" in quiz.feedback[0].value
    assert html.escape("that is |-3|: ReLU does not flip signs.") in quiz.feedback[0].value
    quiz.choose(0, 1)  # another choice: the old verdict goes
    assert quiz.feedback[0].value == "" and quiz.results[0] is None
    quiz.buttons[0].click()
    assert quiz.results[0].correct and "✔ Correct: max(0, -3) = 0." in quiz.feedback[0].value
    assert quiz.score == 1 and quiz.results[1] is None
    with pytest.raises(ValueError, match="is not one of the choices"):
        quiz.choose(1, "6")
    assert "course-choice-quiz" in quiz.box._dom_classes
    with pytest.raises(ValueError, match="non-empty list of ChoiceQuestion"):
        ChoiceQuiz([])


# --- the instant check ------------------------------------------------------------------------------

@pytest.mark.parametrize("answer", [
    lambda z: np.maximum(0, z), lambda z: z * (np.asarray(z) > 0), lambda z: np.where(z > 0, z, 0.0),
    lambda z: np.clip(z, 0, None), lambda z: (np.abs(z) + z) / 2,
])
def test_check_accepts_right_answers(answer, capsys):
    assert check_relu(answer)
    assert capsys.readouterr().out == "\N{HEAVY CHECK MARK} relu: all 4 cases passed.\n"


#: The mistakes as code: the check's stored outputs must be what they give.
WRONG = {
    "identity": lambda z: np.asarray(z, dtype=float) * 1.0,
    "minimum": lambda z: np.minimum(0, z),
    "absolute": lambda z: np.abs(z),
    "slope": lambda z: (np.asarray(z) > 0).astype(float),
    "flipped": lambda z: np.maximum(0, -np.asarray(z)),
    "clipped": lambda z: np.clip(z, 0, 1),
    "reduced": lambda z: np.max(z),
    "reduced_axis": lambda z: np.max(z, axis=0),
}


def test_check_cases_store_what_relu_and_each_mistake_give():
    for case in CASES:
        np.testing.assert_array_equal(np.asarray(case.expected), np.maximum(0.0, case.args[0]))
        for key, stored in case.mistakes.items():
            np.testing.assert_allclose(np.asarray(stored), WRONG[key](case.args[0]), rtol=1e-12,
                                       err_msg=f"{case.name}: {key}")
    assert {key for case in CASES for key in case.mistakes} == set(MISTAKES) == set(WRONG)


@pytest.mark.parametrize("mistake", [k for k in WRONG if k != "reduced_axis"])
def test_check_names_each_mistake(mistake, capsys):
    assert not check_relu(WRONG[mistake])
    out = capsys.readouterr().out
    assert out.startswith('\N{HEAVY BALLOT X} relu: case 1 of 4 failed, "five numbers on both '
                          'sides of 0".')
    assert f"Likely mistake: {MISTAKES[mistake]}" in out


def test_check_names_reduction_along_an_axis(capsys):
    assert not check_relu(lambda z: np.max(z, axis=0) if np.ndim(z) == 2 else np.maximum(0, z))
    out = capsys.readouterr().out
    assert "case 2 of 4 failed" in out and MISTAKES["reduced_axis"] in out


def test_check_names_builtin_max_overwriting_and_missing_code(capsys):
    assert not check_relu(lambda z: max(0, z))  # fine on numbers, ambiguous on arrays
    out = capsys.readouterr().out
    assert "ValueError: The truth value of an array" in out
    assert EXCEPTIONS["truth value of an array"] in out and "(1 more case(s) failed" in out

    def relu(z):
        z[z < 0] = 0
        return z

    assert not check_relu(relu)
    out = capsys.readouterr().out
    assert "got:      z changed to [0. , 0. , 0. , 0.5, 3. ] by the call" in out and IN_PLACE in out

    def relu(z):  # noqa: F811 - the learner's next attempt, as in a notebook
        raise NotImplementedError()

    assert not check_relu(relu)
    assert capsys.readouterr().out == ("\N{HEAVY BALLOT X} relu: not written yet: replace "
                                       "`raise NotImplementedError()` by your code.\n")
    assert not check_relu(lambda z: np.ravel(np.maximum(0, z)))
    assert "the numbers are right but the shape is (6,), not (2, 3)" in capsys.readouterr().out
    assert not check_relu(lambda z: np.maximum(0, z) + 0.1)
    assert "None of the usual mistakes" in capsys.readouterr().out
    assert not check_relu(lambda z: None)
    assert "has no `return` statement" in capsys.readouterr().out
    assert not check_relu(np.maximum(0, 3.0))
    assert "needs the function itself" in capsys.readouterr().out


# --- the figures' data ------------------------------------------------------------------------------

LAYERS = [["price", "shipping cost", "marketing", "material"],
          ["affordability", "awareness", "perceived quality"], ["top seller?"]]


def test_network_draws_one_line_per_edge_and_one_box_per_node():
    assert len(dense_edges([4, 3, 1])) == 4 * 3 + 3 * 1 == 15  # the prose's "12 weights ... 3"
    ax = plot_network(LAYERS, layer_titles=["inputs", "hidden", "output"])
    assert len(ax.lines) == 15
    texts = [t.get_text() for t in ax.texts]
    assert [t for t in texts if t not in ("inputs", "hidden", "output")] == sum(LAYERS, [])
    # the line from "price" (top input) to "affordability" (top hidden unit)
    np.testing.assert_allclose(np.asarray(ax.lines[0].get_xydata()), [[0.0, 1.5], [1.0, 1.0]])
    story = [(0, 0, 0), (0, 1, 0), (1, 0, 0)]
    assert len(plot_network(LAYERS, edges=story, ax=plt.figure().gca()).lines) == 3
    with pytest.raises(ValueError, match=r"edge \(1, 3, 0\) does not join"):
        plot_network(LAYERS, edges=[(1, 3, 0)])
    with pytest.raises(ValueError, match="at least two layers"):
        plot_network([["x"]])


def _orientation(image) -> float:
    """The angle (degrees, 0–180, counter-clockwise from the horizontal) of the bright pixels'
    principal axis, from their second moments (row 0 is the top of the image)."""
    n = image.shape[0]
    rows, cols = np.mgrid[0:n, 0:n]
    x, y = cols - (n - 1) / 2, (n - 1) / 2 - rows
    w = image / image.sum()
    mx, my = (w * x).sum(), (w * y).sum()
    cxx, cyy, cxy = (w * (x - mx) ** 2).sum(), (w * (y - my) ** 2).sum(), (w * (x - mx) * (y - my)).sum()
    return float(np.degrees(0.5 * np.arctan2(2 * cxy, cxx - cyy)) % 180)


def test_feature_hierarchy_edges_point_as_labelled_and_faces_are_made_of_parts():
    images = feature_hierarchy_images()
    edges, parts, faces = images.values()
    assert list(images) == ["hidden layer 1: short edges", "hidden layer 2: parts of faces",
                            "hidden layer 3: whole faces"]
    assert list(edges) == [f"{a}°" for a in EDGE_ANGLES] and list(parts) == ["eye", "nose",
                                                                              "mouth", "ear"]
    for angle, image in zip(EDGE_ANGLES, edges.values()):
        assert image.shape == (21, 21)
        assert abs((_orientation(image) - angle + 90) % 180 - 90) < 1.0, angle
    for row in images.values():
        for image in row.values():
            assert image.min() >= 0.0 and 0.9 < image.max() <= 1.0
    for name, face in faces.items():
        assert face.shape == (64, 64)
        for part, drawn in face_parts(name).items():
            assert drawn.max() > 0.5, (name, part)  # every part is visible in the face ...
            assert np.all(face >= drawn - 1e-12), (name, part)  # ... and the face contains it
    assert list(faces) == list(FACES)
    fig = plot_feature_hierarchy(images)
    shown = [ax for sub in fig.subfigs for ax in sub.axes if ax.images]
    assert len(shown) == 6 + 4 + 3
    assert [ax.get_title() for ax in shown][:2] == ["0°", "30°"]
    with pytest.raises(ValueError, match="a 2-D array"):
        plot_feature_hierarchy({"row": {"bad": np.zeros(3)}})


def test_scale_sketch_has_the_lectures_shape():
    m = np.linspace(0.0, 10.0, 201)
    curves = scale_curves(m)
    trad, small, medium, large = (curves[k] for k in ["traditional learning algorithm",
                                                      "small neural network",
                                                      "medium neural network",
                                                      "large neural network"])
    # with a lot of data: the larger the network, the better, and all beat the traditional one
    assert large[-1] > medium[-1] > small[-1] > trad[-1]
    # the traditional algorithm levels off (gains < 0.01 over the second half of the axis) ...
    assert trad[-1] - trad[100] < 0.01
    # ... while the large network still gains over 0.2 there and is still rising at the end
    assert large[-1] - large[100] > 0.2 and large[-1] - large[-2] > 0
    # with little data the order is not that: "the traditional algorithm even leads"
    assert trad[10] > small[10] > medium[10] > large[10]
    ax = plot_scale_curves(m, curves)
    assert len(ax.lines) == 4 and list(ax.get_xticks()) == [] and list(ax.get_yticks()) == []
    np.testing.assert_array_equal(ax.lines[3].get_ydata(), large)
    assert "not a measurement" in ax.get_title()
    with pytest.raises(ValueError, match="needs m's shape"):
        plot_scale_curves(m, {"bad": m[:5]})


# --- the notebook -------------------------------------------------------------------------------------

RESULTS = '''
import json as _json
_quiz = []
for _i, _q in enumerate(quiz.questions):
    _shown = {}
    for _k, _text in enumerate(_q.options):
        quiz.choose(_i, _k)
        quiz.buttons[_i].click()
        _shown[_text] = [quiz.results[_i].correct, quiz.feedback[_i].value]
    quiz.choose(_i, _q.answer)  # end on the right answer: the score counts every question
    quiz.buttons[_i].click()
    _quiz.append({"prompt": _q.prompt, "answer": _q.answer, "choices": _q.choices, "shown": _shown})
print("RESULTS " + _json.dumps({
    "size": size.tolist(), "price": price.tolist(), "w": float(w), "b": float(b),
    "quiz": _quiz, "score": quiz.score,
}))
'''


@pytest.fixture(scope="module")
def lesson(tmp_path_factory):
    """The lesson as stored (with its stub), executed once: (notebook, results, seconds)."""
    nb = nbformat.read(NB, as_version=4)
    return execute_with_results(nb, NB.name, tmp_path_factory.mktemp("w1l0"), RESULTS)


def test_notebook_reads_as_a_lesson_with_one_your_turn():
    nb = nbformat.read(NB, as_version=4)
    assert_reads_as_a_lesson(nb, "# Week 1, lesson 0: what is a neural network?")
    assert_your_turn_cells(nb, [("relu", "check_relu")])
    assert_hands_out_no_graded_answer(nb, [])  # NumPy only: no TensorFlow, no reference code


@pytest.mark.notebook
def test_notebook_runs_fast_and_its_stub_is_reported_not_written(lesson):
    nb, _, seconds = lesson
    assert seconds < TIME_LIMIT_S, f"{seconds:.1f} s"
    out = printed(nb)
    assert "\N{HEAVY BALLOT X} relu: not written yet" in out
    pngs = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
               for o in c.outputs)
    assert pngs == 5  # house neuron, networks, feature hierarchy, scale sketch, sigmoid vs ReLU


@pytest.mark.notebook
def test_notebook_with_its_answer_passes_the_check(tmp_path):
    nb = fill_your_turns(nbformat.read(NB, as_version=4), ["relu"])
    nb, _, _ = execute_with_results(nb, NB.name, tmp_path, "print('RESULTS {}')")
    assert "\N{HEAVY CHECK MARK} relu: all 4 cases passed." in printed(nb)


@pytest.mark.notebook
def test_house_neuron_numbers_match_an_independent_fit(lesson):
    nb, r, _ = lesson
    size, price = np.array(r["size"]), np.array(r["price"])
    assert size.shape == price.shape == (20, 1)
    assert 0.8 <= size.min() and size.max() <= 3.5  # "sizes between 0.8 and 3.5"
    A = np.hstack([size, np.ones_like(size)])
    (w, b), *_ = np.linalg.lstsq(A, price[:, 0], rcond=None)
    assert r["w"] == pytest.approx(w, rel=1e-9) and r["b"] == pytest.approx(b, rel=1e-9)
    assert abs(w - 200) < 20 and abs(b + 100) < 40  # "around 200 · size − 100"
    kink = -b / w
    assert 0 < kink < size.min()  # "left of every house in the data"
    out = printed(nb)
    assert f"w = {w:.1f} (thousand dollars per thousand sqft), b = {b:.1f}" in out
    assert f"the line reaches 0 at size -b/w = {kink:.2f}, left of every house" in out
    line = w * 0.25 + b
    assert line < 0  # "the straight line goes below zero"; the neuron says 0
    assert f"the line says {line:.1f}, the neuron 0.0" in out


@pytest.mark.notebook
def test_printed_facts_about_digits_and_slopes(lesson):
    from sklearn.datasets import load_digits

    out = printed(lesson[0])
    digits = load_digits()
    assert digits.images.shape[1:] == (8, 8) and digits.data.shape[1] == 64
    assert digits.data.min() == 0 and digits.data.max() == 16
    assert "one digit image = 8 × 8 pixels, a row of 64 brightness values from 0 to 16" in out
    # the sigmoid's slope against a central difference, not against σ(1 − σ)
    z = np.linspace(-6, 6, 24001)
    h = 1e-5
    slope = (1 / (1 + np.exp(-(z + h))) - 1 / (1 + np.exp(-(z - h)))) / (2 * h)
    assert slope.max() == pytest.approx(0.25, abs=1e-8) and z[np.argmax(slope)] == pytest.approx(0)
    at5 = (1 / (1 + np.exp(-(5 + h))) - 1 / (1 + np.exp(-(5 - h)))) / (2 * h)
    assert f"{at5:.4f}" == "0.0066"  # the prose and the quiz say 0.0066
    assert "sigmoid's slope: at most 0.25 (at z = 0), 0.0066 at z = 5" in out
    assert "ReLU's slope: 1 for every z > 0" in out


@pytest.mark.notebook
def test_quiz_explains_every_choice_and_its_answers_are_right(lesson):
    _, r, _ = lesson
    quiz = r["quiz"]
    assert len(quiz) >= 4
    for q in quiz:
        assert len(q["choices"]) >= 3
        for text, (correct, shown) in q["shown"].items():
            assert correct is (text == q["answer"])
            why = html.escape(q["choices"][text])
            assert (f"✔ Correct: {why}" if correct else f"✘ Not quite — {why}") in shown
    assert r["score"] == len(quiz)
    # the house-price question's numbers: w = 200, b = -100, size 0.25
    house = next(q for q in quiz if "house-price neuron" in q["prompt"])
    z = 200 * 0.25 - 100
    assert house["answer"] == f"{max(0.0, z):.0f}"
    assert {"−50": z, "50": abs(z), "150": 200 * 0.25 + 100} == {
        k: float(k.replace("−", "-")) for k in house["choices"] if k != house["answer"]}
    faces = next(q for q in quiz if "first</b> hidden layer" in q["prompt"])
    assert faces["answer"].startswith("Short edges")
    relu_q = next(q for q in quiz if "sigmoid by ReLU" in q["prompt"])
    assert "0.0066 at z = 5" in relu_q["choices"][relu_q["answer"]]
    assert re.search(r"slope is 1 for every positive z", relu_q["answer"])
