"""The student edition on Colab's pinned stack, not only on today's newest releases.

Colab keeps its own packages when a notebook's first cell installs the edition (``pip install
--no-deps``), so the course must run on exactly the versions of Colab's runtime: a fresh Python
3.12 venv gets the pins of ``.ci/colab-2026.01.txt`` (read from Colab's published package list,
cited there), the edition's ``course_utils`` is installed over them as the Colab cell installs it,
and the edition's own tests run every lesson top to bottom in that venv's kernel.

Python 3.12 is a machine dependency: ``python3.12`` on PATH, a pyenv 3.12, or ``COLAB_PYTHON``.
When none is found the test fails saying so (a skipped check would let a Colab break through).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess

import pytest

from autograder import cli
from conftest import NOTEBOOKS, ROOT

PINS = ROOT / ".ci" / "colab-2026.01.txt"
LESSONS = sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def pinned() -> dict[str, str]:
    """``{package: version}`` of the pins file."""
    out = {}
    for line in PINS.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            out[name.lower()] = version
    return out


def python312() -> str:
    """A Python 3.12 interpreter's path; fails the test with the fix when there is none."""
    found = [os.environ.get("COLAB_PYTHON"), shutil.which("python3.12"),
             *sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.12*/bin/python")))]
    for candidate in filter(None, found):
        ok = subprocess.run([candidate, "-c", "import sys; assert sys.version_info[:2] == (3, 12)"],
                            capture_output=True)
        if ok.returncode == 0:
            return candidate
    pytest.fail("Colab's stack needs Python 3.12: install it (Debian: python3.12, or pyenv install "
                "3.12) or set COLAB_PYTHON to a Python 3.12 interpreter")


def test_the_pins_are_colabs_2026_01_runtime():
    """The three versions the issue names, and nothing pinned twice."""
    pins = pinned()
    assert (pins["numpy"], pins["tensorflow"]) == ("2.0.2", "2.19.0")
    assert "Python 3.12" in PINS.read_text()
    names = [line.split("==")[0].lower() for line in PINS.read_text().splitlines()
             if line and not line.startswith("#")]
    assert len(names) == len(set(names))


def test_the_course_declares_the_range_colab_runs():
    """pyproject's ranges admit every pinned version of a package the course depends on."""
    from packaging.requirements import Requirement

    try:
        import tomllib
    except ImportError:  # Python 3.10: pytest brings tomli
        import tomli as tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = pinned()
    checked = 0
    for dep in project["dependencies"]:
        req = Requirement(dep)
        if req.name.lower() in pins:
            assert req.specifier.contains(pins[req.name.lower()]), (dep, pins[req.name.lower()])
            checked += 1
    assert checked >= 8
    assert Requirement("python" + project["requires-python"]).specifier.contains("3.12.12")


@pytest.mark.slow
def test_every_lesson_runs_on_colabs_stack(tmp_path):
    python = python312()
    venv = tmp_path / "colab"
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
           "--disable-pip-version-check"]
    install = subprocess.run([*pip, "-r", str(PINS)], capture_output=True, text=True, timeout=1200)
    assert install.returncode == 0, install.stderr[-3000:]
    edition = tmp_path / "edition"
    assert cli.main(["--root", str(ROOT), "release-course", str(edition)]) == 0
    # As the Colab cell installs it: the edition alone, Colab's packages kept.
    install = subprocess.run([*pip, "--no-deps", str(edition)], capture_output=True, text=True,
                             timeout=300)
    assert install.returncode == 0, install.stderr[-3000:]
    freeze = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "freeze"],
                            capture_output=True, text=True, check=True).stdout.lower()
    for name, version in pinned().items():
        assert f"{name}=={version}" in freeze, f"{name} is not Colab's {version}"
    run = subprocess.run([str(venv / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                         cwd=edition, capture_output=True, text=True, timeout=1800,
                         env={"PATH": f"{venv}/bin:/usr/bin:/bin", "HOME": str(tmp_path),
                              "TF_CPP_MIN_LOG_LEVEL": "2"})
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert f"{len(LESSONS) + 2} passed" in run.stdout, run.stdout[-2000:]
