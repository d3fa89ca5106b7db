"""Week 1's figures: one module per notebook, named after it (``notebooks/week1/NN_<slug>.ipynb``
→ ``<slug>.py``)."""
