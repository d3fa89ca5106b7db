"""How isolated learner code is on this machine: the level (bubblewrap, unshare or limits only)
and the line ``autograder grade`` prints about it."""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache

from autograder.sandbox import seccomp, userns
from autograder.sandbox.command import bwrap_prefix


@lru_cache(maxsize=1)
def isolation_level() -> str:
    """``"bubblewrap"``, ``"unshare"`` (no network only) or ``"limits"`` (time/memory only)."""
    if shutil.which("bwrap") and _works(bwrap_prefix() + ["true"]):
        return "bubblewrap"
    if shutil.which("unshare") and _works(["unshare", "--user", "--map-root-user", "--net", "true"]):
        return "unshare"
    return "limits"


def isolation_report() -> str:
    """:func:`isolation_level` and, under bubblewrap, who the learner's uid is outside and whether
    the seccomp filter is in force (printed by ``autograder grade``)."""
    level = isolation_level()
    if level != "bubblewrap":
        return level
    if os.geteuid() != 0:
        user = f"learner is uid {os.geteuid()} outside (the grader's)"
    elif userns.available():
        user = "learner is nobody outside"
    else:
        user = "learner is ROOT outside: no unprivileged user namespace could be made"
    filtered = "seccomp filter" if seccomp.program() is not None else "NO seccomp filter (no libseccomp)"
    return f"{level} ({user}; {filtered})"


def _works(cmd: list[str]) -> bool:
    try:
        return subprocess.run(cmd, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False
