"""Kernel and JupyterLab settings for the course environment: ``python -m course_utils.jupyter_config``.

Writes ``<sys.prefix>/etc/ipython/ipython_kernel_config.py``, which every IPython kernel started
from this environment reads. It keeps TensorFlow's C++ start-up lines out of notebook outputs.
It also sets JupyterLab's defaults for this environment (``overrides.json``): no "Would you like
to get notified about official Jupyter news?" toast over the first notebook. With ``--learner``
(the student edition's ``make setup``) it also turns off nbgrader's JupyterLab extension if
nbgrader happens to be installed: its menus and "Create Assignment" panel are for instructors.
``make setup`` runs it; the conda route runs it once after ``conda activate``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

CONFIG_NAME = "ipython_kernel_config.py"

KERNEL_CONFIG = """\
# Written by `python -m course_utils.jupyter_config` (the course's `make setup` runs it).
# TensorFlow's C++ runtime writes start-up lines ("All log messages before absl::InitializeLog()",
# oneDNN notes, "failed call to cuInit" on machines without a GPU) straight to file descriptor 2,
# before TF_CPP_MIN_LOG_LEVEL is read. ipykernel would copy them into every notebook as red stderr
# output; with fd capture off they go to the terminal running JupyterLab instead. Python-level
# output (print, warnings, tracebacks) still reaches the notebook as usual.
c = get_config()  # noqa: F821 - provided by traitlets when loading config
c.IPKernelApp.capture_fd_output = False
"""


def install(prefix: str | Path = sys.prefix) -> Path:
    """Write the kernel config into ``<prefix>/etc/ipython/`` and return its path.

    A different file already there is kept (raises ``FileExistsError`` saying what to merge).
    """
    target = Path(prefix) / "etc" / "ipython" / CONFIG_NAME
    if target.exists() and target.read_text() != KERNEL_CONFIG:
        raise FileExistsError(
            f"{target} exists and is not the course's kernel config; add "
            "'c.IPKernelApp.capture_fd_output = False' to it by hand"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(KERNEL_CONFIG)
    return target


#: JupyterLab's defaults for every user of this environment (a user's own settings still win).
LAB_OVERRIDES = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false",
                                                                 "checkForUpdates": False}}
#: The JupyterLab extension a learner does not need (nbgrader's instructor menus and panels).
INSTRUCTOR_EXTENSIONS = ("@jupyter/nbgrader",)


def install_lab_settings(prefix: str | Path = sys.prefix, learner: bool = False) -> list[Path]:
    """Write JupyterLab's settings for the environment at ``prefix``; return the files written.

    ``<prefix>/share/jupyter/lab/settings/overrides.json`` (the environment's setting defaults)
    and, for a learner, ``<prefix>/etc/jupyter/labconfig/page_config.json`` (extensions turned
    off). Keys already in those files that are not the course's are kept.
    """
    prefix = Path(prefix)
    written = [_merge_json(prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json",
                           LAB_OVERRIDES)]
    if learner:
        written.append(_merge_json(prefix / "etc" / "jupyter" / "labconfig" / "page_config.json",
                                   {"disabledExtensions": dict.fromkeys(INSTRUCTOR_EXTENSIONS, True)}))
    return written


def _merge_json(path: Path, ours: dict) -> Path:
    """Merge ``ours`` one level deep into the JSON object at ``path`` (created if missing)."""
    data = {}
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8") or "{}")
        except json.JSONDecodeError as err:
            raise ValueError(f"{path} is not valid JSON ({err}): fix or delete it, then run "
                             "python -m course_utils.jupyter_config again") from None
        if not isinstance(data, dict):
            raise ValueError(f"{path} holds a JSON {type(data).__name__}, not an object: fix or "
                             "delete it, then run python -m course_utils.jupyter_config again")
    for key, value in ours.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path
