"""Week 5's figures: one module per notebook, named after it (``notebooks/week5/NN_<slug>.ipynb``
→ ``<slug>.py``)."""
