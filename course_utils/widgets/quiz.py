"""Typed-answer questions: the learner types a derivative, the widget says right or wrong.

Week 2, lesson 6 (backprop on a computation graph). :class:`Question` parses and judges an answer
(no display; tests call :meth:`Question.check`); :class:`Quiz` shows a list of questions, each with
a text box, a "Check" button and a feedback line.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Feedback:
    correct: bool
    message: str


@dataclass(frozen=True)
class Question:
    """``prompt`` (may contain LaTeX between ``$``), the ``answer`` (a number, or a SymPy expression
    for symbolic answers) and an optional ``hint`` shown after a wrong answer."""

    prompt: str
    answer: object
    hint: str = ""
    rtol: float = 1e-6

    def check(self, text: str) -> Feedback:
        """Judge a typed answer: numbers (``22``, ``-0.25``), fractions (``-1/4``) or expressions
        (``2*11``, ``2*a`` for a symbolic answer) are accepted."""
        import sympy

        text = (text or "").strip()
        if not text:
            return Feedback(False, "Type an answer first.")
        try:
            got = sympy.sympify(text.replace("^", "**"), rational=True)
        except (sympy.SympifyError, SyntaxError, TypeError, ValueError):
            return Feedback(False, f"Could not read {text!r} as a number or a formula.")
        want = sympy.sympify(self.answer, rational=True)
        if got.free_symbols and not want.free_symbols:
            names = ", ".join(sorted(map(str, got.free_symbols)))
            return Feedback(False, f"The answer is a number; {text!r} contains {names}.")
        if want.free_symbols:
            ok = sympy.simplify(got - want) == 0
        else:
            try:
                g, w = float(got), float(want)
            except TypeError:
                return Feedback(False, f"{text!r} is not a number.")
            ok = abs(g - w) <= self.rtol * max(1.0, abs(w))
        if ok:
            return Feedback(True, f"Correct: {sympy.sstr(want)}.")
        hint = f" Hint: {self.hint}" if self.hint else ""
        return Feedback(False, f"Not quite — {text} is not right.{hint}")


class Quiz:
    """Questions shown one under another, each with a text box, a "Check" button and feedback.

    Attributes for tests: ``questions``, ``inputs`` (``Text``), ``buttons``, ``feedback`` (``HTML``),
    ``results`` (the last :class:`Feedback` of each question, or ``None``).
    """

    def __init__(self, questions):
        import ipywidgets as widgets

        self.questions = list(questions)
        self.inputs, self.buttons, self.feedback, rows = [], [], [], []
        self.results: list[Feedback | None] = [None] * len(self.questions)
        for i, q in enumerate(self.questions):
            prompt = widgets.HTMLMath(value=q.prompt, layout=widgets.Layout(width="260px"))
            box = widgets.Text(placeholder="your answer", continuous_update=False,
                               layout=widgets.Layout(width="140px"))
            button = widgets.Button(description="Check", layout=widgets.Layout(width="80px"))
            feedback = widgets.HTML()
            button.on_click(lambda _, i=i: self.check(i))
            box.observe(lambda _, i=i: self.check(i), names="value")  # Enter also checks
            self.inputs.append(box)
            self.buttons.append(button)
            self.feedback.append(feedback)
            rows.append(widgets.HBox([prompt, box, button, feedback]))
        self.box = widgets.VBox(rows)
        self.box.add_class("course-quiz")  # a stable handle for the browser test

    def check(self, index: int) -> Feedback:
        """Judge the text in question ``index``'s box and show the verdict."""
        result = self.questions[index].check(self.inputs[index].value)
        self.results[index] = result
        mark, color = ("✔", "#00a86b") if result.correct else ("✘", "#c55a11")
        self.feedback[index].value = f"<span style='color:{color}'>{mark} {result.message}</span>"
        return result

    @property
    def score(self) -> int:
        return sum(bool(r and r.correct) for r in self.results)

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)
