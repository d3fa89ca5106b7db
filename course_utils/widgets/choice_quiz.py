"""Multiple-choice questions: the learner picks a choice, the widget explains why it is right or wrong.

Week 1, lesson 0 (what is a neural network). The multiple-choice sibling of the typed-answer quiz
(:mod:`course_utils.widgets.quiz`), built the same way, in two parts:

- :class:`ChoiceQuestion` — the state, no display: the prompt, the choices, the right one and an
  explanation for EVERY choice (why a wrong one is wrong, why the right one is right);
  :meth:`ChoiceQuestion.check` turns a choice into a :class:`~course_utils.widgets.quiz.Feedback`.
  Tests call it directly.
- :class:`ChoiceQuiz` — the display: each question as a prompt, radio buttons, a "Check" button and
  a feedback line.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from course_utils.widgets.quiz import Feedback


@dataclass(frozen=True)
class ChoiceQuestion:
    """One multiple-choice question.

    ``prompt`` may contain LaTeX between ``$``. ``choices`` maps each choice's text (plain text, no
    LaTeX: radio buttons show it as it is) to its explanation, in display order; ``answer`` is the
    right choice's text. Every choice needs an explanation: a learner who picks a wrong one is told
    why it is wrong, and one who picks the right one why it is right.
    """

    prompt: str
    choices: dict
    answer: str

    def __post_init__(self):
        choices = self.choices
        if not isinstance(choices, dict) or len(choices) < 2:
            raise ValueError(
                f"ChoiceQuestion: choices must be a dict {{choice text: explanation}} with at least "
                f"two choices; got {type(choices).__name__} {choices!r:.80}."
            )
        for text, why in choices.items():
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"ChoiceQuestion: the choice {text!r} is not a non-empty string.")
            if "$" in text:
                raise ValueError(
                    f"ChoiceQuestion: the choice {text!r} contains '$': choices are shown as plain "
                    "text (radio buttons render no LaTeX); write σ or z², not $\\sigma$."
                )
            if not isinstance(why, str) or not why.strip():
                raise ValueError(
                    f"ChoiceQuestion: the choice {text!r} has no explanation; every choice needs one "
                    "(why it is wrong, or why it is right)."
                )
        if self.answer not in choices:
            raise ValueError(
                f"ChoiceQuestion: the answer {self.answer!r} is not one of the choices "
                f"{list(choices)}."
            )
        object.__setattr__(self, "choices", dict(choices))  # a private copy: the question is frozen

    @property
    def options(self) -> list[str]:
        """The choices' texts, in display order."""
        return list(self.choices)

    @property
    def answer_index(self) -> int:
        """The right choice's position in :attr:`options`."""
        return self.options.index(self.answer)

    def choice_text(self, choice) -> str:
        """The text of ``choice``: a choice's text, or its position in :attr:`options` (0, 1, ...).
        Anything else raises ``ValueError`` naming the choices."""
        options = self.options
        if isinstance(choice, str):
            if choice not in self.choices:
                raise ValueError(
                    f"ChoiceQuestion.check: {choice!r} is not one of the choices {options}."
                )
            return choice
        if isinstance(choice, int) and not isinstance(choice, bool):
            if not 0 <= choice < len(options):
                raise ValueError(
                    f"ChoiceQuestion.check: choice number {choice} does not exist; this question "
                    f"has choices 0 to {len(options) - 1}."
                )
            return options[choice]
        raise ValueError(
            f"ChoiceQuestion.check: a choice is its text or its number (0 to {len(options) - 1}); "
            f"got {type(choice).__name__} {choice!r:.60}."
        )

    def check(self, choice) -> Feedback:
        """Judge ``choice`` (its text or its number; ``None`` when nothing is chosen yet)."""
        if choice is None:
            return Feedback(False, "Choose an answer first.")
        text = self.choice_text(choice)
        why = self.choices[text]
        if text == self.answer:
            return Feedback(True, f"Correct: {why}")
        return Feedback(False, f"Not quite — {why}")


class ChoiceQuiz:
    """Multiple-choice questions shown one under another: a prompt, radio buttons, a "Check" button
    and a feedback line each. Choosing another answer clears the old feedback.

    Attributes for tests: ``questions``, ``radios`` (``RadioButtons``, value = the choice's number or
    ``None``), ``buttons``, ``feedback`` (``HTMLMath``), ``results`` (the last checked
    :class:`~course_utils.widgets.quiz.Feedback` of each question, or ``None``).
    """

    def __init__(self, questions):
        import ipywidgets as widgets

        self.questions = list(questions)
        if not self.questions or not all(isinstance(q, ChoiceQuestion) for q in self.questions):
            raise ValueError("ChoiceQuiz: questions must be a non-empty list of ChoiceQuestion.")
        self.radios, self.buttons, self.feedback, rows = [], [], [], []
        self.results: list[Feedback | None] = [None] * len(self.questions)
        for i, q in enumerate(self.questions):
            prompt = widgets.HTMLMath(value=f"<b>{i + 1}.</b> {q.prompt}")
            radio = widgets.RadioButtons(
                options=[(text, k) for k, text in enumerate(q.options)], value=None,
                layout=widgets.Layout(width="auto"),
            )
            button = widgets.Button(description="Check", layout=widgets.Layout(width="80px"))
            feedback = widgets.HTMLMath()
            feedback.add_class("course-choice-feedback")
            button.on_click(lambda _, i=i: self.check(i))
            radio.observe(lambda _, i=i: self._clear(i), names="value")
            self.radios.append(radio)
            self.buttons.append(button)
            self.feedback.append(feedback)
            rows.append(widgets.VBox([prompt, radio, widgets.HBox([button, feedback])],
                                     layout=widgets.Layout(margin="0 0 14px 0")))
        self.box = widgets.VBox(rows)
        self.box.add_class("course-choice-quiz")  # a stable handle for the browser test

    def choose(self, index: int, choice) -> None:
        """Select ``choice`` (its text or number) in question ``index``, as a click would."""
        self.radios[index].value = self.questions[index].options.index(
            self.questions[index].choice_text(choice))

    def check(self, index: int) -> Feedback:
        """Judge the choice selected in question ``index`` and show the verdict."""
        result = self.questions[index].check(self.radios[index].value)
        self.results[index] = result
        mark, color = ("✔", "#00a86b") if result.correct else ("✘", "#c55a11")
        self.feedback[index].value = (
            f"<span style='color:{color}'>{mark} {html.escape(result.message)}</span>")
        return result

    def _clear(self, index: int) -> None:
        # A verdict about the previous choice would mislead next to the new one.
        self.results[index] = None
        self.feedback[index].value = ""

    @property
    def score(self) -> int:
        return sum(bool(r and r.correct) for r in self.results)

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)
