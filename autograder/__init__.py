"""The course's autograder: nbgrader's markup, course layout and gradebook, with learner code run
in an isolated process and every verdict computed outside it. See README, "Instructor guide".
"""

from importlib.metadata import version

#: The course's version: pyproject.toml holds the only copy.
__version__ = version("nn-course")
