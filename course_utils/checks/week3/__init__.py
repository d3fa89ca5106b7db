"""Week 3's instant checks: one module per notebook, named after it (``notebooks/week3/NN_<slug>.ipynb``
→ ``<slug>.py``). Notebooks import them from :mod:`course_utils.checks`."""
