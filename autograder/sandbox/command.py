"""The sandbox's command line: the bubblewrap file system, namespaces and filter, the kernel's
environment and ``argv`` (so the child looks like a Jupyter kernel), and its resource limits."""

from __future__ import annotations

import importlib.util
import json
import os
import random
import sys
import uuid
from pathlib import Path

from autograder.contract.limits import Limits
from autograder.sandbox import child, seccomp, userns

HOME = "/home/learner"


#: Top-level system folders bound read-only (or re-created as the same symlink).
SYSTEM_FOLDERS = ("/usr", "/bin", "/lib", "/lib32", "/lib64", "/sbin")


#: The only parts of ``/etc`` in the sandbox: what the dynamic loader, Python, NumPy,
#: TensorFlow/Keras, matplotlib and IPython read (found by grading weeks 1 and 2 under ``strace``),
#: plus harmless files a notebook may look at (time zone, OS name, CA certificates). Never
#: ``shadow``, ``gshadow``, ``sudoers``, ``ssh/``, ``ssl/private`` or anything else.
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "nsswitch.conf", "passwd", "group",
             "hosts", "host.conf", "gai.conf", "localtime", "timezone", "os-release", "mime.types",
             "ssl/certs", "ssl/openssl.cnf", "ca-certificates", "fonts", "alternatives")


NAMESPACES = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup"]


def bwrap_prefix(scratch_bytes: int = 64 * 1024 * 1024, join_userns: bool = False,
                  hidden: tuple[str, ...] = ()) -> list[str]:
    """Namespaces, identity and the read-only system part of the sandbox's file system; ``/tmp``
    and ``/dev/shm`` are size-limited tmpfs (tmpfs is memory that no rlimit counts).

    ``join_userns``: join the user namespace open on fd 3 (see :mod:`autograder.sandbox.userns`) instead of
    making one. ``hidden``: folders made empty where a system or Python bind would show them
    (see :func:`hidden_folders`); the Python folders inside them are bound again on top.
    """
    size = ["--size", str(scratch_bytes)]
    user = ["--userns", "3"] if join_userns else ["--unshare-user"]
    cmd = ["bwrap", *user, *NAMESPACES, "--die-with-parent", "--new-session", "--cap-drop", "ALL",
           "--uid", str(userns.SANDBOX_ID), "--gid", str(userns.SANDBOX_ID),
           "--hostname", "jupyter"]
    for top in SYSTEM_FOLDERS:
        if os.path.islink(top):
            cmd += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            cmd += ["--ro-bind", top, top]
    for name in ETC_FILES:
        cmd += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    # The fresh /tmp comes before the Python binds: a virtual environment that lives under /tmp
    # (a CI checkout, say) must stay visible on top of it, not be hidden by it.
    cmd += ["--proc", "/proc", "--dev", "/dev", *size, "--tmpfs", "/dev/shm", *size, "--tmpfs", "/tmp"]
    prefixes = _python_prefixes()
    for prefix in prefixes:
        cmd += ["--ro-bind", prefix, prefix]
    for folder in hidden:
        cmd += ["--tmpfs", folder]
        cmd += [arg for prefix in prefixes if _inside(prefix, folder)
                for arg in ("--ro-bind", prefix, prefix)]
    cmd += ["--ro-bind-try", "/sys/devices/system/cpu", "/sys/devices/system/cpu"]
    return cmd


def _python_prefixes() -> list[str]:
    """The Python installation and virtual environment (those outside the bound ``/usr``)."""
    return [p for p in sorted({sys.base_prefix, sys.prefix, os.path.realpath(sys.base_prefix)})
            if not p.startswith("/usr/")]


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def hidden_folders(paths) -> tuple[str, ...]:
    """Of ``paths`` (the course root, the submissions folder, ...), the real paths a system or
    Python bind would show inside the sandbox (e.g. a course under ``/usr/src/app`` or inside
    the virtual environment's folder), outermost only; the others do not exist in there anyway."""
    shown = [os.path.realpath(t) for t in SYSTEM_FOLDERS if os.path.isdir(t)] + _python_prefixes()
    real = sorted({os.path.realpath(p) for p in paths if p is not None})
    exposed = [p for p in real if any(_inside(p, top) for top in shown)]
    return tuple(p for p in exposed if not any(q != p and _inside(p, q) for q in exposed))


def _hidden_package_files() -> list[str]:
    """The ``course_utils`` folder, bound read-only with the reference solutions (the
    ``reference`` package) and all byte code hidden: each replaced by an empty folder."""
    import course_utils

    package = Path(course_utils.__file__).resolve().parent
    reference = package / "reference"
    args = ["--ro-bind", str(package), str(package)]
    for cache in package.rglob("__pycache__"):
        if not _inside(str(cache), str(reference)):
            args += ["--tmpfs", str(cache)]
    if reference.is_dir():
        # Empty and read-only: `import course_utils.reference` finds no solution to import.
        args += ["--tmpfs", str(reference), "--remount-ro", str(reference)]
    return args


def kernel_environment(notebook_name: str, home: str) -> dict[str, str]:
    """The variables a Jupyter kernel started from JupyterLab typically has; nothing else."""
    env = {
        "HOME": home,
        "USER": "learner",
        "LOGNAME": "learner",
        "SHELL": "/bin/bash",
        "LANG": os.environ.get("LANG", "C.UTF-8") if "UTF-8" in os.environ.get("LANG", "") else "C.UTF-8",
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
        "TERM": "xterm-color",
        "CLICOLOR": "1",
        "FORCE_COLOR": "1",
        "CLICOLOR_FORCE": "1",
        "PAGER": "cat",
        "GIT_PAGER": "cat",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYDEVD_USE_FRAME_EVAL": "NO",
        "JPY_PARENT_PID": str(os.getpid()),
        "JPY_SESSION_NAME": f"{home}/{notebook_name}",
    }
    for name in ("TF_CPP_MIN_LOG_LEVEL", "VIRTUAL_ENV", "TZ"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def kernel_argv(home: str) -> list[str]:
    """``sys.argv`` of a kernel JupyterLab started: the launcher's path, ``-f``, a connection file."""
    return [
        launcher_path(),
        "-f",
        f"{home}/.local/share/jupyter/runtime/kernel-{uuid.uuid4()}.json",
    ]


def launcher_path() -> str:
    """Where ``python -m ipykernel_launcher`` (a kernelspec's command) finds its file."""
    spec = importlib.util.find_spec("ipykernel_launcher")
    if spec is not None and spec.origin:
        return spec.origin
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    return str(Path(sys.prefix) / "lib" / version / "site-packages" / "ipykernel_launcher.py")


def _kernel_files(folder: Path, argv: list[str]) -> list[str]:
    """bwrap arguments that make the child a kernel to its own eyes: the harness bootstrap sits at
    the real ``ipykernel_launcher.py`` path (so the command is ``python -m ipykernel_launcher -f
    …/kernel-<uuid>.json``, as in a kernelspec) and the connection file exists. Both are
    written into ``folder`` (a private temporary folder of the grader)."""
    launcher, connection = folder / "ipykernel_launcher.py", folder / "kernel.json"
    launcher.write_text(child.LAUNCHER)
    ports = iter(random.sample(range(40000, 60000), 5))
    connection.write_text(json.dumps({
        "shell_port": next(ports), "iopub_port": next(ports), "stdin_port": next(ports),
        "control_port": next(ports), "hb_port": next(ports), "ip": "127.0.0.1",
        "key": str(uuid.uuid4()), "transport": "tcp", "signature_scheme": "hmac-sha256",
        "kernel_name": "python3"}, indent=1))
    for path in (launcher, connection):
        path.chmod(0o644)  # the learner's uid must read them (it may be nobody outside)
    return ["--ro-bind", str(launcher), argv[0], "--dir", str(Path(argv[2]).parent),
            "--ro-bind", str(connection), argv[2]]


def command(level: str, env: dict[str, str], scratch: Path | None, limits: Limits,
             folder: str, argv: list[str] | None = None, namespace: str | None = None,
             hidden: tuple[str, ...] = ()) -> list[str]:
    """The child's command line. ``argv``: the kernel's (:func:`kernel_argv`), ``scratch``: a
    private folder for the kernel's files; ``namespace``: a user namespace's ``/proc`` path from
    :func:`autograder.sandbox.userns.nobody_namespace`; ``hidden``: from :func:`hidden_folders`."""
    python = [sys.executable, "-c", child.BOOTSTRAP]
    if level == "bubblewrap":
        scratch_bytes = limits.scratch_mb * 1024 * 1024
        cmd = bwrap_prefix(scratch_bytes, join_userns=namespace is not None, hidden=hidden)
        cmd += ["--size", str(scratch_bytes), "--tmpfs", HOME,
                "--dir", f"{HOME}/{folder}", "--chdir", f"{HOME}/{folder}"]
        cmd += _hidden_package_files()
        if argv and scratch is not None and os.path.isfile(argv[0]):
            cmd += _kernel_files(scratch, argv)
            python = [sys.executable, "-m", Path(argv[0]).stem, *argv[1:]]
            # The kernel is pid 1 (no bwrap init whose command line lists every bind).
            cmd += ["--as-pid-1"]
        # Nothing but the home folder, /tmp and /dev/shm may be written (bwrap's own root and
        # /dev are tmpfs writable by the sandbox's user otherwise; so are the hiding tmpfs).
        for path in hidden:
            cmd += ["--remount-ro", path]
        cmd += ["--remount-ro", "/dev", "--remount-ro", "/"]
        cmd += ["--clearenv"]
        for key, value in env.items():
            cmd += ["--setenv", key, value]
        bpf = seccomp.write(scratch) if scratch is not None else None
        if bpf is not None:
            cmd += ["--seccomp", "4"]
        cmd += ["--"] + python
        # bwrap reads the namespace on fd 3 and the filter on fd 4, opened by this shell (they
        # never enter the grader's own descriptors; the harness closes them before learner code
        # runs); setpriv drops root's supplementary group 0, which would otherwise stay with the
        # learner's process.
        drop = ["setpriv", "--clear-groups"] if namespace is not None else []
        return ["/bin/sh", "-c", 'exec 3<"$1" 4<"$2"; shift 2; exec "$@"', "sh",
                namespace or os.devnull, str(bpf or os.devnull), *drop, *cmd]
    if level == "unshare":
        return ["unshare", "--user", "--map-root-user", "--net", "--"] + python
    return python


def rlimits(limits: Limits) -> dict[str, int]:
    return {
        "RLIMIT_AS": limits.memory_mb * 1024 * 1024,
        "RLIMIT_FSIZE": limits.file_mb * 1024 * 1024,
        "RLIMIT_CORE": 0,
    }
