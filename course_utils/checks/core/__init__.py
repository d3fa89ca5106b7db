"""The checks' machinery, shared by every week and by the grader: no week in it."""
