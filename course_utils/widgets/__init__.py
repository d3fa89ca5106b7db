"""Interactive widgets (ipywidgets 8 + matplotlib, no ipympl needed). Week 2.

Each widget is two parts: a plain state class with the arithmetic, testable without a browser,
and a display class that wires ipywidgets to it and redraws only what moved.

- :mod:`course_utils.widgets.relu` — ReLU units with sliders (week 2, lesson 2);
- :mod:`course_utils.widgets.softmax` — softmax with sliders (week 2, lesson 3);
- :mod:`course_utils.widgets.quiz` — typed-answer questions (week 2, lesson 6);
- :mod:`course_utils.widgets.choice_quiz` — multiple-choice questions (week 1, lesson 0);
- :mod:`course_utils.widgets.gradient_descent` — a learning-rate slider (week 3, lesson 2);
- :mod:`course_utils.widgets.diagnosis` — model size and λ sliders, read as bias and variance
  (week 5, lesson 2).
"""

from course_utils.widgets.choice_quiz import ChoiceQuestion, ChoiceQuiz
from course_utils.widgets.diagnosis import DiagnosisLab, DiagnosisSliders, diagnosis_sliders
from course_utils.widgets.gradient_descent import (
    GradientDescentLab,
    GradientDescentSliders,
    learning_rate_slider,
)
from course_utils.widgets.quiz import Feedback, Question, Quiz
from course_utils.widgets.relu import ReluLab, ReluSliders, relu_sliders, relu_target
from course_utils.widgets.softmax import SoftmaxLab, SoftmaxSliders, softmax_sliders

__all__ = [
    "Feedback", "Question", "Quiz",
    "ChoiceQuestion", "ChoiceQuiz",
    "ReluLab", "ReluSliders", "relu_sliders", "relu_target",
    "SoftmaxLab", "SoftmaxSliders", "softmax_sliders",
    "GradientDescentLab", "GradientDescentSliders", "learning_rate_slider",
    "DiagnosisLab", "DiagnosisSliders", "diagnosis_sliders",
]
