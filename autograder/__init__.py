"""The course's autograder: nbgrader's markup, course layout and gradebook, with learner code run
in an isolated process and every verdict computed outside it. See README, "Instructor guide".
"""

__version__ = "0.1.0"
