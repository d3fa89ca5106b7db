"""A user namespace in which the sandbox's user is *nobody* outside, for bubblewrap's ``--userns``.

bubblewrap's own ``--unshare-user --uid 1000`` maps the sandbox's uid 1000 to the uid that started
bwrap. When the grader runs as root (CI, a container, a course server) that is root outside:
learner code could then read every root-only file (``/etc/shadow``, ``0600`` files) inside the
folders bound into the sandbox. This module makes, for one sandbox run, a user namespace whose
uid/gid map is

====================  =====================================================================
inside                outside
====================  =====================================================================
1000 (the learner)    65534 (``nobody``): only world-readable files can be read
65534                 0 (root), so that bwrap's set-up, which runs as uid 1000 with every
                      capability *in this namespace*, may still reach root-only folders it
                      binds (e.g. Python under ``/root/.pyenv``, mode 700); inside, root-owned
                      files look owned by ``nobody``, as in any unprivileged container
====================  =====================================================================

Inside uid 0 stays unmapped on purpose: ``setuid(1000)`` from an unmapped root keeps bwrap's
namespace capabilities for its set-up. The learner's process has no capability left (bwrap drops
them all, ``no_new_privs`` is set) and so can never become uid 65534.

Only root may write such a map; for any other grader :func:`nobody_namespace` yields ``None`` and
bubblewrap's own mapping (uid 1000 = the grader's unprivileged user) is used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

#: The learner's uid and gid inside the sandbox.
SANDBOX_ID = 1000
#: What the learner's uid and gid are outside (``nobody`` / ``nogroup`` on Debian).
NOBODY = 65534
ID_MAP = f"{NOBODY} 0 1\n{SANDBOX_ID} {NOBODY} 1\n"


@contextmanager
def nobody_namespace(wait: float = 5.0) -> Iterator[str | None]:
    """The ``/proc/PID/ns/user`` path of a fresh user namespace with :data:`ID_MAP`, valid while
    the ``with`` block runs (a helper process holds it); ``None`` when the grader is not root or
    the namespace cannot be made here (no ``unshare``, user namespaces disabled)."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        yield None
        return
    try:
        helper = subprocess.Popen(["unshare", "--user", "cat"], stdin=subprocess.PIPE,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        yield None
        return
    try:
        yield _mapped(helper.pid, wait)
    finally:
        helper.stdin.close()  # cat ends; the namespace lives on while bwrap holds it
        helper.wait()


def _mapped(pid: int, wait: float) -> str | None:
    """Write the maps of ``pid``'s new namespace once ``unshare`` has made it; its path."""
    own = os.readlink("/proc/self/ns/user")
    path = f"/proc/{pid}/ns/user"
    end = time.monotonic() + wait
    try:
        while os.readlink(path) == own:  # unshare(2) has not run yet
            if time.monotonic() > end:
                return None
            time.sleep(0.002)
        for kind in ("uid_map", "gid_map"):
            with open(f"/proc/{pid}/{kind}", "w") as f:
                f.write(ID_MAP)
    except OSError:
        return None
    return path


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether :func:`nobody_namespace` gives a namespace on this machine, as this user."""
    with nobody_namespace() as path:
        return path is not None
