"""Week 4's instant checks: one module per notebook, named after it (``notebooks/week4/NN_<slug>.ipynb``
→ ``<slug>.py``). Notebooks import them from :mod:`course_utils.checks`."""
