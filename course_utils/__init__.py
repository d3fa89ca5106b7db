"""Helpers shared by every notebook of the course.

One package for all weeks (as in d2l): each helper names the lesson that teaches it. Importing
it changes no global state — styles and seeds are explicit calls
(:func:`course_utils.plots.use_course_style`, :func:`course_utils.reproducibility.set_seed`).
TensorFlow is imported lazily, only by the helpers that need it.
"""

from importlib.metadata import PackageNotFoundError, version


def _version() -> str:
    """The version of the distribution this package came with (the course's pyproject.toml holds
    the only copy): the course itself, or the student edition made from it."""
    for distribution in ("nn-course", "nn-course-student"):
        try:
            return version(distribution)
        except PackageNotFoundError:
            continue
    raise PackageNotFoundError("nn-course")


__version__ = _version()
