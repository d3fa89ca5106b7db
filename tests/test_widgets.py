"""The week-2 widgets driven headless: set sliders, press buttons, read the plotted data back."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.widgets import Question, Quiz, ReluLab, ReluSliders, SoftmaxLab, SoftmaxSliders
from course_utils.widgets.relu import SOLUTION, relu_target

KNOWN_SOLUTION = {"w1": 1.0, "b1": -1.0, "w2": 2.0, "b2": -4.0}  # syllabus W2.3 (fact)


# --- ReLU lab: state ----------------------------------------------------------------------------

def test_target_is_the_syllabus_piecewise_function():
    x = np.array([0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0])
    np.testing.assert_allclose(relu_target(x), [2, 1, 0, 0.5, 1, 2.5, 4])


def test_state_starts_unmatched_with_unit_zero_fixed():
    lab = ReluLab()
    assert lab.x.shape == (300,) and lab.x[0] == 0 and lab.x[-1] == 3
    assert lab.params == dict.fromkeys(["w1", "b1", "w2", "b2"], 0.0)
    np.testing.assert_allclose(lab.units()[0], np.maximum(0, -2 * lab.x + 2))
    assert not lab.matched
    assert lab.error() == pytest.approx(4.0)  # at x = 3 the target is 4 and the model 0
    assert "not matched" in lab.status()


def test_state_matches_at_the_known_solution():
    lab = ReluLab()
    lab.set(**KNOWN_SOLUTION)
    assert SOLUTION == KNOWN_SOLUTION
    assert lab.matched and lab.error() < 1e-12
    assert lab.status().startswith("Matched")


def test_state_rejects_unknown_names_and_out_of_range_values():
    lab = ReluLab()
    with pytest.raises(ValueError, match="w3"):
        lab.set(w3=1.0)
    with pytest.raises(ValueError, match=r"-4\.0, 4\.0"):
        lab.set(w1=4.5)


# --- ReLU lab: display, driven like a learner would ---------------------------------------------

@pytest.fixture
def relu():
    return ReluSliders()


def test_sliders_have_the_syllabus_range(relu):
    assert list(relu.sliders) == ["w1", "b1", "w2", "b2"]
    for slider in relu.sliders.values():
        assert (slider.min, slider.max, slider.step, slider.value) == (-4.0, 4.0, 0.1, 0.0)


def test_dragging_sliders_updates_lines_readout_and_image(relu):
    x = relu.state.x
    first_png = bytes(relu.image.value)
    assert first_png.startswith(b"\x89PNG")
    assert "not matched" in relu.readout.value and "unmatched" in relu.readout._dom_classes

    relu.sliders["w1"].value = 1.5
    np.testing.assert_allclose(relu.lines["units"][1].get_ydata(), np.maximum(0, 1.5 * x))
    np.testing.assert_allclose(
        relu.lines["model"].get_ydata(), np.maximum(0, -2 * x + 2) + np.maximum(0, 1.5 * x)
    )
    assert bytes(relu.image.value) != first_png

    for name, value in KNOWN_SOLUTION.items():
        relu.sliders[name].value = value
    np.testing.assert_allclose(relu.lines["model"].get_ydata(), relu_target(x), atol=1e-9)
    np.testing.assert_allclose(relu.lines["units"][2].get_ydata(), np.maximum(0, 2 * x - 4), atol=1e-9)
    assert relu.state.matched
    assert "Matched" in relu.readout.value and "matched" in relu.readout._dom_classes
    assert "unmatched" not in relu.readout._dom_classes


def test_solution_and_reset_buttons(relu):
    relu.solution_button.click()
    assert {n: s.value for n, s in relu.sliders.items()} == pytest.approx(KNOWN_SOLUTION)
    assert relu.state.matched and "Matched" in relu.readout.value
    relu.reset_button.click()
    assert all(s.value == 0 for s in relu.sliders.values())
    assert not relu.state.matched and "not matched" in relu.readout.value


def test_a_slider_change_does_not_rebuild_the_figure(relu):
    figure, model_line, png_maker = relu.figure, relu.lines["model"], relu.canvas
    n_artists = len(relu.figure.axes[0].lines)
    for value in (0.5, 1.0, -2.0):
        relu.sliders["b2"].value = value
    assert relu.figure is figure and relu.lines["model"] is model_line and relu.canvas is png_maker
    assert len(relu.figure.axes[0].lines) == n_artists


def test_widget_displays_as_a_jupyter_widget(relu):
    bundle = relu._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


# --- softmax --------------------------------------------------------------------------------------

def test_softmax_state_fact_and_stability():
    lab = SoftmaxLab()
    np.testing.assert_allclose(
        lab.probabilities(), [0.0320586, 0.08714432, 0.23688282, 0.64391426], rtol=1e-6
    )
    with np.errstate(over="raise"):
        lab = SoftmaxLab([1000.0, 1001.0])
        np.testing.assert_allclose(lab.probabilities(), [0.26894142, 0.73105858], rtol=1e-7)


def test_softmax_sliders_move_the_bars():
    w = SoftmaxSliders()
    heights = [bar.get_height() for bar in w.artists["prob_bars"]]
    np.testing.assert_allclose(heights, [0.0320586, 0.08714432, 0.23688282, 0.64391426], rtol=1e-6)
    png = bytes(w.image.value)
    w.sliders[0].value = 6.0
    assert w.artists["logit_bars"][0].get_height() == pytest.approx(6.0)
    heights = np.array([bar.get_height() for bar in w.artists["prob_bars"]])
    expected = np.exp([6.0, 2, 3, 4]) / np.exp([6.0, 2, 3, 4]).sum()
    np.testing.assert_allclose(heights, expected)
    assert w.artists["prob_labels"][0].get_text() == f"{expected[0]:.3f}"
    assert "class 0" in w.readout.value and bytes(w.image.value) != png
    w.reset_button.click()
    assert [s.value for s in w.sliders] == [1.0, 2.0, 3.0, 4.0]
    assert "class 3" in w.readout.value


# --- typed-answer quiz ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("answer", "typed", "correct"),
    [(22, "22", True), (22, "2*11", True), (22, "22.0", True), (22, "21", False),
     ("-1/4", "-0.25", True), ("-1/4", "-1/4", True), ("-1/4", "1/4", False),
     (3, "", False), (3, "three", False), (3, "3)", False)],
)
def test_question_judges_typed_answers(answer, typed, correct):
    assert Question("dJ/da", answer).check(typed).correct is correct


def test_question_symbolic_answer():
    import sympy

    a = sympy.Symbol("a")
    q = Question("dJ/da for J = a^2", 2 * a)
    assert q.check("2*a").correct and q.check("a + a").correct and not q.check("a^2").correct


def test_quiz_button_and_enter_give_feedback():
    quiz = Quiz([Question("$\\partial J/\\partial a$", 22, hint="J = a²"), Question("da/dw", 3)])
    quiz.inputs[0].value = "21"  # Enter (continuous_update=False) checks too
    assert quiz.results[0].correct is False and "✘" in quiz.feedback[0].value
    assert "J = a²" in quiz.feedback[0].value
    quiz.inputs[0].value = "22"
    quiz.buttons[0].click()
    assert quiz.results[0].correct and "✔" in quiz.feedback[0].value
    assert quiz.score == 1
