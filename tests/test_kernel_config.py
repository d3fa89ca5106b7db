"""Notebook kernels of the course environment keep TensorFlow's C++ start-up lines out of outputs."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from course_utils.jupyter_config import KERNEL_CONFIG, install


def test_install_writes_and_refuses_to_overwrite_a_foreign_config(tmp_path):
    path = install(tmp_path)
    assert path == tmp_path / "etc" / "ipython" / "ipython_kernel_config.py"
    assert path.read_text() == KERNEL_CONFIG
    assert install(tmp_path) == path  # idempotent
    path.write_text("c.InteractiveShell.autocall = 1\n")
    with pytest.raises(FileExistsError, match="capture_fd_output"):
        install(tmp_path)
    assert path.read_text() == "c.InteractiveShell.autocall = 1\n"  # nothing lost


def test_tensorflow_start_up_lines_stay_out_of_notebook_outputs(tmp_path):
    installed = Path(sys.prefix) / "etc" / "ipython" / "ipython_kernel_config.py"
    assert installed.exists(), "run `make setup` (it runs python -m course_utils.jupyter_config)"
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import keras\nimport numpy as np"),
        nbformat.v4.new_code_cell(
            "m = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])\n"
            "m.compile(loss='mse')\n"
            "m.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=1, verbose=0)\n"
            "import sys; print('python stderr still shown', file=sys.stderr)\n"
            "print('done')"
        ),
    ]
    NotebookClient(nb, kernel_name="python3", timeout=300).execute()
    outputs = [out for cell in nb.cells for out in cell.outputs]
    stderr = "".join(o.get("text", "") for o in outputs if o.get("name") == "stderr")
    assert "absl" not in stderr and "I0000" not in stderr and "cuInit" not in stderr, stderr
    assert "python stderr still shown" in stderr
    assert any(o.get("text", "") == "done\n" for o in outputs)
