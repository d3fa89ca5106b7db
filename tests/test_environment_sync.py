"""pyproject.toml and environment.yml must list the same dependencies with the same ranges."""

from __future__ import annotations

import re

try:
    import tomllib
except ImportError:  # Python 3.10: pytest brings tomli
    import tomli as tomllib

import yaml
from packaging.requirements import Requirement

from conftest import ROOT


def _pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + project["optional-dependencies"]["dev"]
    return {Requirement(r).name.lower(): str(Requirement(r).specifier) for r in reqs}


def _environment_requirements() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    out: dict[str, str] = {}
    for dep in env["dependencies"]:
        entries = dep["pip"] if isinstance(dep, dict) else [dep]
        for entry in entries:
            if entry.startswith("-e") or entry in {"pip"} or entry.startswith("python"):
                continue
            # conda allows "name>=1,<2" and "name >=1,<2": both parse as a PEP 508 requirement.
            req = Requirement(re.sub(r"\s+", "", entry))
            out[req.name.lower()] = str(req.specifier)
    return out


def test_environment_yml_matches_pyproject():
    py = _pyproject_requirements()
    env = _environment_requirements()
    assert sorted(set(py) - set(env)) == [], "in pyproject.toml but not in environment.yml"
    assert sorted(set(env) - set(py)) == [], "in environment.yml but not in pyproject.toml"
    differing = {name: (py[name], env[name]) for name in py if py[name] != env[name]}
    assert differing == {}, "version ranges differ (pyproject, environment.yml)"


def test_python_range_matches():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert python.removeprefix("python") == project["requires-python"].replace(" ", "")
