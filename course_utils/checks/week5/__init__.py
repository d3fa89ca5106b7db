"""Week 5's instant checks: one module per notebook, named after it (``notebooks/week5/NN_<slug>.ipynb``
→ ``<slug>.py``). Notebooks import them from :mod:`course_utils.checks`."""
