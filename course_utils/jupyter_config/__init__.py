"""Kernel settings for the course environment: ``python -m course_utils.jupyter_config``.

Writes ``<sys.prefix>/etc/ipython/ipython_kernel_config.py``, which every IPython kernel started
from this environment reads. It keeps TensorFlow's C++ start-up lines out of notebook outputs.
``make setup`` runs it; the conda route runs it once after ``conda activate``.
"""

from __future__ import annotations

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
