"""The one way the suite starts a notebook's kernel: over Unix sockets in a private folder.

jupyter_client's default transport is TCP on ports it picks by binding and releasing them; two
pytest-xdist workers starting kernels at once can pick the same port, and the later kernel dies
with ``ZMQError: Address already in use`` (a fresh-clone CI run failed so). IPC sockets live in
a folder of this process's own, so no other process can take them.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import uuid

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

_folder: str | None = None


def _socket_folder() -> str:
    """This process's folder for kernel sockets (short: a Unix socket path holds ≤ 107 bytes)."""
    global _folder
    if _folder is None:
        _folder = tempfile.mkdtemp(prefix="kernels-", dir="/tmp")
        atexit.register(shutil.rmtree, _folder, ignore_errors=True)
    return _folder


def notebook_client(nb: nbformat.NotebookNode, **kwargs) -> NotebookClient:
    """``NotebookClient(nb, **kwargs)`` with a ``python3`` kernel on IPC transport."""
    km = KernelManager(kernel_name=kwargs.pop("kernel_name", "python3"), transport="ipc",
                       ip=f"{_socket_folder()}/{uuid.uuid4().hex[:12]}")
    return NotebookClient(nb, km=km, **kwargs)
