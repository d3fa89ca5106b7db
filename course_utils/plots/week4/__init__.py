"""Week 4's figures: one module per notebook, named after it (``notebooks/week4/NN_<slug>.ipynb``
→ ``<slug>.py``)."""
