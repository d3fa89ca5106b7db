"""Week 2's instant checks: one module per notebook, named after it (``notebooks/week2/NN_<slug>.ipynb``
→ ``<slug>.py``). Notebooks import them from :mod:`course_utils.checks`."""
