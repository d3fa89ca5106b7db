"""Helpers shared by every notebook of the course.

One package for all weeks (as in d2l): each helper names the lesson that teaches it. Importing
it changes no global state — styles and seeds are explicit calls
(:func:`course_utils.plots.use_course_style`, :func:`course_utils.reproducibility.set_seed`).
TensorFlow is imported lazily, only by the helpers that need it.
"""

__version__ = "0.1.0"
