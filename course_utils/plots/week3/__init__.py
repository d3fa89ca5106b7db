"""Week 3's figures: one module per notebook, named after it (``notebooks/week3/NN_<slug>.ipynb``
→ ``<slug>.py``)."""
