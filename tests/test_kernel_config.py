"""Notebook kernels of the course environment keep TensorFlow's C++ start-up lines out of outputs;
its JupyterLab asks no news question, and a learner's shows no nbgrader menus."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from kernels import notebook_client

from course_utils.jupyter_config import KERNEL_CONFIG, install, install_lab_settings


def test_install_writes_and_refuses_to_overwrite_a_foreign_config(tmp_path):
    path = install(tmp_path)
    assert path == tmp_path / "etc" / "ipython" / "ipython_kernel_config.py"
    assert path.read_text() == KERNEL_CONFIG
    assert install(tmp_path) == path  # idempotent
    path.write_text("c.InteractiveShell.autocall = 1\n")
    with pytest.raises(FileExistsError, match="capture_fd_output"):
        install(tmp_path)
    assert path.read_text() == "c.InteractiveShell.autocall = 1\n"  # nothing lost


def test_lab_settings_turn_the_news_toast_off_and_keep_what_was_there(tmp_path):
    overrides = tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    overrides.parent.mkdir(parents=True)
    overrides.write_text(json.dumps({
        "@jupyterlab/apputils-extension:notification": {"doNotDisturbMode": True},
        "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}))
    assert install_lab_settings(tmp_path) == [overrides]
    data = json.loads(overrides.read_text())
    assert data["@jupyterlab/apputils-extension:notification"] == {
        "doNotDisturbMode": True, "fetchNews": "false", "checkForUpdates": False}
    assert data["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    assert not (tmp_path / "etc" / "jupyter" / "labconfig").exists()  # instructors keep nbgrader
    # The learner's: nbgrader's extension off, beside whatever another extension set.
    page = tmp_path / "etc" / "jupyter" / "labconfig" / "page_config.json"
    page.parent.mkdir(parents=True)
    page.write_text(json.dumps({"disabledExtensions": {"other": True}}))
    assert install_lab_settings(tmp_path, learner=True) == [overrides, page]
    assert json.loads(page.read_text())["disabledExtensions"] == {"other": True,
                                                                  "@jupyter/nbgrader": True}
    assert install_lab_settings(tmp_path, learner=True) == [overrides, page]  # idempotent
    assert json.loads(page.read_text())["disabledExtensions"] == {"other": True,
                                                                  "@jupyter/nbgrader": True}


def test_a_broken_settings_file_is_named_and_kept(tmp_path):
    overrides = tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    overrides.parent.mkdir(parents=True)
    overrides.write_text("{not json")
    with pytest.raises(ValueError, match="overrides.json is not valid JSON.*fix or delete it"):
        install_lab_settings(tmp_path)
    assert overrides.read_text() == "{not json"
    overrides.write_text("[1, 2]")
    with pytest.raises(ValueError, match="holds a JSON list, not an object"):
        install_lab_settings(tmp_path)


def test_the_command_installs_every_setting(tmp_path):
    """``python -m course_utils.jupyter_config --learner`` as the student edition's Makefile runs
    it, in a scratch prefix (``sys.prefix`` of a venv made for it)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages",
                    str(venv)], check=True)
    site = Path(subprocess.run([str(venv / "bin" / "python"), "-c",
                                "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    site.joinpath("course.pth").write_text(str(Path(__file__).resolve().parents[1]) + "\n")
    out = subprocess.run([str(venv / "bin" / "python"), "-m", "course_utils.jupyter_config",
                          "--learner"], capture_output=True, text=True, check=True).stdout
    for written in ("etc/ipython/ipython_kernel_config.py",
                    "share/jupyter/lab/settings/overrides.json",
                    "etc/jupyter/labconfig/page_config.json"):
        assert f"installed {venv / written}" in out
        assert (venv / written).is_file()


def test_the_course_environment_has_its_lab_settings():
    overrides = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert overrides.exists(), "run `make setup` (it runs python -m course_utils.jupyter_config)"
    notification = json.loads(overrides.read_text())["@jupyterlab/apputils-extension:notification"]
    assert notification["fetchNews"] == "false"


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
    notebook_client(nb, timeout=300).execute()
    outputs = [out for cell in nb.cells for out in cell.outputs]
    stderr = "".join(o.get("text", "") for o in outputs if o.get("name") == "stderr")
    assert "absl" not in stderr and "I0000" not in stderr and "cuInit" not in stderr, stderr
    assert "python stderr still shown" in stderr
    assert any(o.get("text", "") == "done\n" for o in outputs)
