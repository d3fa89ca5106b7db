"""The nbgrader configuration of the course.

The course folder is the repository root: nbgrader's ``source`` folder is ``notebooks/`` and an
assignment is one week's folder there (``notebooks/week1`` is assignment ``week1``). Student
versions go to ``release/<assignment>/``, submissions are read from
``submitted/<student>/<assignment>/`` (or any folder with that layout), feedback goes to
``feedback/<student>/<assignment>/``.

``nbgrader_config.py`` at the repository root calls :func:`configure`, so plain ``nbgrader``
commands run in the repository use the same settings as ``autograder``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from pathlib import Path

from traitlets.config import Config

COURSE_ID = "nn-course"
SOURCE_DIRECTORY = "notebooks"
#: What a learner sees where a solution was removed; the week's first check then fails with it.
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"


def configure(c: Config, root: str | Path | None = None) -> Config:
    """Fill ``c`` (a traitlets ``Config``) with the course's nbgrader settings and return it."""
    if root is not None:
        c.CourseDirectory.root = str(Path(root).resolve())
    c.CourseDirectory.course_id = COURSE_ID
    c.CourseDirectory.source_directory = SOURCE_DIRECTORY
    c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".*"]
    c.ClearSolutions.code_stub = {"python": CODE_STUB}
    c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
    # TensorFlow's import and a short training run fit well within this; an infinite loop does not.
    c.ExecutePreprocessor.timeout = 300
    c.Execute.interrupt_on_timeout = True
    return c


def course_config(root: str | Path) -> Config:
    """A fresh ``Config`` for the course rooted at ``root``."""
    return configure(Config(), root)


@contextlib.contextmanager
def venv_scripts_on_path():
    """nbgrader's gradebook runs the ``alembic`` command: find it next to this Python even when
    the virtual environment is not activated (e.g. ``.venv/bin/python -m ...``)."""
    scripts = str(Path(sys.executable).parent)
    old = os.environ.get("PATH", "")
    if shutil.which("alembic") is None and scripts not in old.split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + old
        try:
            yield
        finally:
            os.environ["PATH"] = old
    else:
        yield
