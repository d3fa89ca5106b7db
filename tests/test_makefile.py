"""`make lab` builds a JupyterLab command line that starts anywhere: --allow-root as root (JupyterLab
refuses to start as root without it), --no-browser without a display, LAB_ARGS passed through.

`make -n` prints the command without running it. The user id and the system name come from `id -u`
and `uname -s`; stand-ins for both, first on PATH, play root or a user, Linux or macOS.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

LAB = ".venv/bin/jupyter lab {}notebooks/"


def _fake(folder, name: str, output: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\necho {output}\n")
    path.chmod(0o755)


def _lab_command(tmp_path, *, uid: str | None, system: str = "Linux", display: dict | None = None,
                 make_args: tuple = ()) -> str:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DISPLAY", "WAYLAND_DISPLAY", "LAB_ARGS", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    env.update(display or {})
    if uid is not None:
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir(exist_ok=True)
        _fake(bin_dir, "id", uid)
        _fake(bin_dir, "uname", system)
        env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    done = subprocess.run([shutil.which("make") or "make", "-n", "lab", *make_args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    (line,) = [li for li in done.stdout.splitlines() if " lab " in li and "jupyter" in li]
    return line


@pytest.mark.parametrize(("uid", "system", "display", "options"), [
    ("0", "Linux", {}, "--allow-root --no-browser "),                 # a container or CI runner
    ("0", "Linux", {"DISPLAY": ":0"}, "--allow-root "),
    ("1000", "Linux", {}, "--no-browser "),                           # a headless server, over ssh
    ("1000", "Linux", {"DISPLAY": ":0"}, ""),                         # a Linux desktop
    ("1000", "Linux", {"WAYLAND_DISPLAY": "wayland-0"}, ""),
    ("501", "Darwin", {}, ""),                                        # macOS has no DISPLAY
], ids=["root-headless", "root-display", "user-headless", "user-x11", "user-wayland", "user-macos"])
def test_lab_options_follow_user_and_display(tmp_path, uid, system, display, options):
    assert _lab_command(tmp_path, uid=uid, system=system, display=display) == LAB.format(options)


def test_lab_args_are_passed_to_jupyterlab(tmp_path):
    line = _lab_command(tmp_path, uid="1000", display={"DISPLAY": ":0"},
                        make_args=("LAB_ARGS=--port=8890 --ip=0.0.0.0",))
    assert line == LAB.format("--port=8890 --ip=0.0.0.0 ")
    line = _lab_command(tmp_path, uid="0", make_args=("LAB_ARGS=--port=8890",))
    assert line == LAB.format("--allow-root --no-browser --port=8890 ")


def test_the_real_user_id_decides_allow_root(tmp_path):
    # no stand-ins: whoever runs the suite gets --allow-root exactly when they are root
    line = _lab_command(tmp_path, uid=None, display={"DISPLAY": ":0"})
    is_root = os.geteuid() == 0 if sys.platform != "win32" else False
    assert line == LAB.format("--allow-root " if is_root else "")
