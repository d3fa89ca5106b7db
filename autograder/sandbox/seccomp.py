"""A seccomp filter for learner code: system calls no notebook needs fail with ``EPERM``.

bubblewrap loads it (``--seccomp FD``: a compiled classic-BPF program) just before it starts the
kernel process, so it binds learner code and everything it starts. It is a deny list on top of
the namespaces, not an allow list: NumPy, TensorFlow's thread pools, matplotlib and IPython keep
every call they make. What it removes is kernel attack surface and the ways out of a sandbox:
other processes' memory (``ptrace``, ``process_vm_*``), new namespaces (``unshare``, ``setns``,
``clone`` with a namespace flag; ``clone3``, whose flags a filter cannot read, answers ``ENOSYS``
so that the C library falls back to ``clone``), mounts, the kernel keyring, eBPF, perf events,
``userfaultfd``, ``io_uring``, POSIX message queues, modules, ``kexec``, reboot, swap, accounting,
file handles, port I/O, ``personality``, clocks.

The program is compiled by libseccomp (``libseccomp2``, through the ``pyseccomp`` ctypes binding),
which also checks the architecture: a call made with another ABI (32-bit ``int 0x80`` from a
64-bit process) kills the process instead of slipping past the list.
"""

from __future__ import annotations

import errno
import tempfile
from functools import lru_cache
from pathlib import Path

#: Always refused with EPERM.
DENIED = (
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp",
    "unshare", "setns",
    "mount", "umount2", "pivot_root", "chroot", "fsopen", "fsconfig", "fsmount", "fspick",
    "move_mount", "open_tree", "mount_setattr",
    "keyctl", "add_key", "request_key",
    "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
    "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load",
    "reboot", "swapon", "swapoff", "acct", "quotactl", "syslog", "vhangup",
    "open_by_handle_at", "name_to_handle_at",
    "iopl", "ioperm", "personality", "uselib", "lookup_dcookie",
    "settimeofday", "clock_settime", "clock_adjtime", "adjtimex",
    # POSIX message queues outlive their process in the IPC namespace, where nothing can list
    # them; a template (autograder.sandbox.template) reuses that namespace for the next run.
    "mq_open", "mq_unlink",
)
#: ``clone`` flags that make a namespace; a ``clone`` with any of them is refused.
NAMESPACE_FLAGS = {
    "CLONE_NEWTIME": 0x80, "CLONE_NEWNS": 0x20000, "CLONE_NEWCGROUP": 0x02000000,
    "CLONE_NEWUTS": 0x04000000, "CLONE_NEWIPC": 0x08000000, "CLONE_NEWUSER": 0x10000000,
    "CLONE_NEWPID": 0x20000000, "CLONE_NEWNET": 0x40000000,
}


@lru_cache(maxsize=1)
def program() -> bytes | None:
    """The compiled filter (classic BPF, native byte order); ``None`` where libseccomp or its
    binding is missing (not Linux, no ``libseccomp2``): then no filter is used."""
    try:
        import pyseccomp
    except (ImportError, OSError):  # OSError: the binding found no libseccomp.so
        return None
    deny = pyseccomp.ERRNO(errno.EPERM)
    rules = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
    for name in DENIED:
        try:
            rules.add_rule(deny, name)
        except (OSError, ValueError):  # unknown on this architecture (e.g. iopl on arm64)
            continue
    for flag in NAMESPACE_FLAGS.values():
        rules.add_rule(deny, "clone", pyseccomp.Arg(0, pyseccomp.MASKED_EQ, flag, flag))
    rules.add_rule(pyseccomp.ERRNO(errno.ENOSYS), "clone3")
    return _export(rules)


def _export(rules) -> bytes:
    with tempfile.TemporaryFile() as f:
        rules.export_bpf(f)
        f.seek(0)
        return f.read()


def write(folder: Path) -> Path | None:
    """The filter written to ``folder/seccomp.bpf`` (for bwrap's ``--seccomp``), or ``None``."""
    compiled = program()
    if compiled is None:
        return None
    path = folder / "seccomp.bpf"
    path.write_bytes(compiled)
    return path
