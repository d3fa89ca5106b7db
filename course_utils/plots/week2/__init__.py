"""Week 2's figures: one module per notebook, named after it (``notebooks/week2/NN_<slug>.ipynb``
→ ``<slug>.py``)."""
