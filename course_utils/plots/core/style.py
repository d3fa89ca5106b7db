"""The course's colours and matplotlib style (:func:`use_course_style`), used by every week's figures."""

from __future__ import annotations

from importlib.resources import as_file, files

#: Named colours used across lessons (same as the style's cycle).
COLORS = {
    "blue": "#0096ff",
    "red": "#ff6f61",
    "green": "#00a86b",
    "orange": "#c55a11",
    "purple": "#7030a0",
    "magenta": "#ff40ff",
    "dark_blue": "#0d47a1",
    "yellow": "#f4b400",
}


def style_path() -> str:
    """Filesystem path of the packaged ``course.mplstyle``."""
    with as_file(files("course_utils.plots.core") / "course.mplstyle") as path:
        return str(path)


def use_course_style() -> None:
    """Apply the course's matplotlib style (call once at the top of a notebook)."""
    import matplotlib.pyplot as plt

    plt.style.use(style_path())
