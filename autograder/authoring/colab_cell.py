"""The first cell of every student-edition notebook: on Colab, install ``course_utils``.

Colab opens one notebook without the rest of the course, so the helpers every notebook imports
are missing there. The cell installs them with one ``pip install`` of the student edition (its
published git URL or a wheel, given to ``release-course --install-from``), only on Colab (its
``COLAB_RELEASE_TAG`` variable, or ``google.colab`` already imported) and only when
``course_utils`` is not importable yet. ``--no-deps``: Colab's own NumPy, TensorFlow, Keras and
matplotlib are used as they are (nothing of its pinned stack is replaced). Everywhere else it does
nothing, so a learner's JupyterLab, ``make test`` and the grader (where it is a learner-added
cell, without network) pass over it.
It is tagged ``autograder:skip``, which tells nbgrader-aware tools it only prepares.
"""

from __future__ import annotations

import json

import nbformat

from autograder.contract.cells import SKIP_TAG

#: The cell's marker in its metadata (``course.colab_install``), so tools can find it again.
COLAB_METADATA = {"colab_install": True}

_CELL = '''\
# On Colab only: install the course's helper package, course_utils. Elsewhere this does nothing.
import importlib.util as _util, os as _os, subprocess as _subprocess, sys as _sys

_ON_COLAB = "COLAB_RELEASE_TAG" in _os.environ or "google.colab" in _sys.modules
if _ON_COLAB and _util.find_spec("course_utils") is None:
    _SOURCE = {source}
    if not _SOURCE:
        print("This edition names no address to install course_utils from: ask your instructor "
              "for it, then run: pip install <address>")
    else:
        _done = _subprocess.run([_sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                                 _SOURCE], capture_output=True, text=True)
        if _done.returncode == 0:
            print("course_utils installed from", _SOURCE)
        else:
            print(f"Could not install course_utils from {{_SOURCE}} (is this runtime offline?). "
                  "Connect, then run this cell again. pip said:",
                  (_done.stderr or _done.stdout).strip().splitlines()[-1:])
'''


def colab_cell_source(source: str | None) -> str:
    """The cell's code, installing from ``source`` (a pip requirement; None: no address)."""
    return _CELL.format(source=json.dumps(source or ""))


def colab_cell(source: str | None):
    """A new code cell holding :func:`colab_cell_source`, tagged and marked."""
    cell = nbformat.v4.new_code_cell(colab_cell_source(source))
    cell.metadata["tags"] = [SKIP_TAG]
    cell.metadata["course"] = dict(COLAB_METADATA)
    return cell


def with_colab_cell(nb, source: str | None):
    """``nb`` with the Colab install cell first (once); returns ``nb`` (changed in place)."""
    if not any(c.get("metadata", {}).get("course", {}).get("colab_install") for c in nb.cells):
        nb.cells.insert(0, colab_cell(source))
    return nb
