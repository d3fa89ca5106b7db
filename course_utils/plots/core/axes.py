"""Small shared pieces for plot helpers."""

from __future__ import annotations


def axes_or_new(ax=None, figsize=None):
    """Return ``ax``, or the axes of a new pyplot figure.

    A pyplot figure (rather than a bare ``Figure``) is what learners expect: the notebook's inline
    backend shows it when the cell ends, exactly like any ``plt.subplots()`` figure. Notebooks should
    therefore not also echo the returned object (end the line with ``;`` or assign it).
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax
