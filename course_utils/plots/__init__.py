"""Figures for each notebook: one module per notebook's figures, named after it
(``notebooks/weekN/NN_<slug>.ipynb`` → ``course_utils/plots/weekN/<slug>.py``); a figure that
several notebooks draw lives in the module of the notebook that introduces it. The shared pieces
(the colours, the style, :func:`~course_utils.plots.core.axes.axes_or_new`) are in ``core/``.

Every helper takes data, draws on ``ax`` (or makes a ``Figure``) and returns it; none calls
``plt.show()`` or changes global state. The course style is applied only by an explicit
:func:`use_course_style` call.
"""

from __future__ import annotations

from course_utils.plots.core.style import COLORS, style_path, use_course_style

__all__ = ["COLORS", "style_path", "use_course_style"]
