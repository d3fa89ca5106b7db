"""The code that runs inside the sandbox, next to the learner's code, and the data codec.

:mod:`autograder.sandbox` sends this file's *source text* to a fresh Python process on its stdin
(nothing of the grader is importable or readable in there), followed by one JSON line, the job
header: the cells to run, the limits, the activations. The child runs the cells in an IPython
``InteractiveShell`` (as a kernel would: ``get_ipython()`` works, magics work), then asks for
calls one at a time (``{"ev": "next"}`` on its channel); the grader answers on stdin with one
call's inputs (a JSON line) only once the previous call's result is in, or closes stdin. So
learner code never holds the inputs of a call it is not being called on, and no hidden input
exists in the process before every visible case has been answered (the grader orders them so).
Results go back as plain data on a dedicated pipe; learner output goes to stdout/stderr and
cannot mix with that channel. The grader judges the results itself
(:func:`autograder.cases.judge`); nothing here decides a verdict.

The codec (:func:`encode`/:func:`decode`) is shared by both sides: JSON with tagged values, NumPy
arrays as base64 ``.npy`` read back with ``allow_pickle=False`` — never a pickle.
"""

from __future__ import annotations

import base64
import gc
import io
import json
import os
import signal
import sys
import threading
import types
import warnings

import numpy as np

#: Modules a NumPy-only exercise may not call into (seen by a profile hook during the call).
FORBIDDEN_MODULES = ("tensorflow", "keras", "tf_keras", "course_utils.reference")
#: Characters of a learner exception's text kept for a visible case's feedback: enough for any
#: honest message (shapes, names), too few to carry a file or a hidden case's inputs out.
MAX_ERROR = 300


def encode(value, custom=None):
    """``value`` (arrays, numbers, strings, tuples, lists, str-keyed dicts) as JSON-able data.

    ``custom(value)`` may return an encoding for other types (the grader encodes activations);
    anything else becomes ``{"__repr__": type name}``.
    """
    if custom is not None:
        done = custom(value)
        if done is not None:
            return done
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | float) and type(value) in (int, float):
        return value
    if isinstance(value, np.ndarray | np.generic):
        buffer = io.BytesIO()
        np.lib.format.write_array(buffer, np.asarray(value), allow_pickle=False)
        return {"__nd__": base64.b64encode(buffer.getvalue()).decode("ascii")}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v, custom) for v in value]}
    if isinstance(value, list):
        return [encode(v, custom) for v in value]
    if isinstance(value, dict):
        return {"__dict__": [[str(k), encode(v, custom)] for k, v in value.items()]}
    return {"__repr__": type(value).__name__}


def decode(data, act=None, model=None):
    """Inverse of :func:`encode`; ``act(name)`` resolves ``{"__act__": name}``, ``model(spec)``
    ``{"__model__": spec}`` (a Keras model to build from the decoded spec). Raises ``ValueError``
    on anything malformed (the grader treats that as a failed case, never as a crash)."""
    if isinstance(data, list):
        return [decode(v, act, model) for v in data]
    if not isinstance(data, dict):
        return data
    if "__nd__" in data:
        return _read_npy(base64.b64decode(data["__nd__"], validate=True))
    if "__tuple__" in data:
        return tuple(decode(v, act, model) for v in data["__tuple__"])
    if "__dict__" in data:
        return {str(k): decode(v, act, model) for k, v in data["__dict__"]}
    if "__act__" in data and act is not None:
        return act(data["__act__"])
    if "__model__" in data and model is not None:
        return model(decode(data["__model__"]))
    if "__repr__" in data:
        return _Opaque(str(data["__repr__"]))
    raise ValueError(f"unknown encoded value with keys {sorted(data)[:3]}")


def _read_npy(raw: bytes) -> np.ndarray:
    """An ``.npy`` payload as an array; no pickles, and the header must match the data's size."""
    buffer = io.BytesIO(raw)
    fmt = np.lib.format
    version = fmt.read_magic(buffer)
    read_header = fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0
    shape, fortran, dtype = read_header(buffer)
    if dtype.hasobject:
        raise ValueError("object arrays are not accepted")
    count = int(np.prod(shape, dtype=np.int64)) if shape else 1
    if count * dtype.itemsize != len(raw) - buffer.tell():
        raise ValueError("the array's header does not match its data")
    flat = np.frombuffer(raw, dtype=dtype, count=count, offset=buffer.tell())
    return flat.reshape(shape, order="F" if fortran else "C").copy()


class _Opaque:
    """A value the child could not encode (shown by its type name)."""

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __repr__(self):
        return f"<{self.type_name}>"


# ----------------------------------------------------------------------------------------------
# Child side. Everything below runs in the sandbox only.


class _Timer:
    """Soft time limit: SIGALRM raises KeyboardInterrupt, as a kernel interrupt does. Code that
    blocks or ignores it is killed by the grader (the hard limit)."""

    fired = False

    def handler(self, signum, frame):
        self.fired = True
        raise KeyboardInterrupt

    def start(self, seconds: float):
        self.fired = False
        signal.signal(signal.SIGALRM, self.handler)
        signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.01))

    def stop(self):
        signal.setitimer(signal.ITIMER_REAL, 0)


def _apply_limits(limits: dict) -> None:
    import resource

    for name, value in limits.items():
        resource.setrlimit(getattr(resource, name), (value, value))


def _make_acts(codes: dict) -> dict:
    """The activations, rebuilt from the grader's own code objects (sent with ``marshal``)."""
    import marshal

    return {
        name: types.FunctionType(marshal.loads(base64.b64decode(code)), {"np": np}, name)
        for name, code in codes.items()
    }


def _forbidden_calls(seen: set):
    def profile(frame, event, arg):
        if event == "call":
            module = frame.f_globals.get("__name__") or ""
        elif event == "c_call":  # a compiled function called directly (e.g. a TensorFlow op)
            module = getattr(arg, "__module__", None) or ""
        else:
            return
        if isinstance(module, str) and module.startswith(FORBIDDEN_MODULES):
            seen.add(module.split(".")[0] if module.startswith(("tensorflow", "keras")) else module)

    return profile


def _call(shell, call: dict, acts: dict, model_data, timer: _Timer, timeout: float,
          counter_class, model_from_spec=None) -> dict:
    func = shell.user_ns.get(call["function"])
    if not callable(func):
        return {"error": f"NameError: {call['function']} is not defined after running the notebook"}
    calls = [0]  # activation calls, counted as steps wherever the activation's code lives

    def activation(name):
        g = acts[name]

        def recorded(z, _g=g):
            calls[0] += 1
            return _g(z)

        return recorded

    try:  # a model spec becomes a Keras model here, before the learner's function is called
        args = decode(call["args"], activation, model_from_spec)
    except Exception as exc:  # noqa: BLE001 - the grader's own input could not be built
        return {"error": "the case's model could not be built: " + _error_text(exc), "grader": True}
    probe = decode(call["probe"], activation) if "probe" in call else None
    seen: set = set()
    profile = _forbidden_calls(seen) if call.get("numpy_only") else None
    steps: list[int] = []
    caught: list = []
    try:
        timer.start(timeout)
        sys.setprofile(profile)
        threading.setprofile(profile)
        # Warnings (an overflow in exp, say) are recorded for the cases that must not emit any.
        recorder = warnings.catch_warnings(record=True) if call.get("warn_free") else None
        if recorder is not None:
            caught = recorder.__enter__()
            warnings.simplefilter("always")
        try:
            if probe is None:
                raw = func(*args)
                g_calls = calls[0]
            else:
                # Vectorised exercises: the Python steps on the case's batch and on the probe.
                with counter_class(skip=("<kernel>",)) as counter:
                    raw = func(*args)
                g_calls = calls[0]
                steps.append(counter.steps + g_calls)
                calls[0] = 0
                try:
                    with counter_class(skip=("<kernel>",)) as counter:
                        func(*probe)
                    steps.append(counter.steps + calls[0])
                except Exception:  # noqa: BLE001 - fails on the probe only: nothing to compare
                    steps.clear()
        finally:
            sys.setprofile(None)
            threading.setprofile(None)
            timer.stop()
            if recorder is not None:
                recorder.__exit__(None, None, None)
    except KeyboardInterrupt:
        if timer.fired:
            # "timeout": the grader ends the exercise here (its other cases are not called).
            return {"error": f"TimeoutError: the call took longer than {timeout:g} s",
                    "timeout": True}
        return {"error": "KeyboardInterrupt"}
    except BaseException as exc:  # noqa: BLE001 - SystemExit too: any learner exception fails the case
        return {"error": _error_text(exc), "raised": True}
    result = {"type": type(raw).__name__, "g_calls": g_calls}
    if len(steps) == 2:
        result["steps"] = steps
    if seen:
        result["forbidden"] = sorted(seen)
    if caught:
        result["warnings"] = [_warning_text(w) for w in caught[:5]]
    if call.get("kind") == "model":
        # What the model says about itself, as data; the grader describes and judges it.
        try:
            result["value"] = model_data(raw)
        except Exception as exc:  # noqa: BLE001
            return {"error": "the model could not be read: " + _error_text(exc)}
        return result
    if call.get("kind") in ("structure", "property"):
        # Tuples, dicts, lists, arrays and numbers go back as they are (see encode).
        result["value"] = raw
        return result
    try:
        result["value"] = np.asarray(raw, dtype=float)
    except Exception:  # noqa: BLE001 - judged as "not an array of numbers"
        result["value"] = None
    return result


def _error_text(exc: BaseException) -> str:
    """``"Type: message"``, at most :data:`MAX_ERROR` characters (an odd ``__str__`` too)."""
    try:
        text = f"{type(exc).__name__}: {exc}"
        if isinstance(exc, SyntaxError) and exc.lineno:
            text = f"{type(exc).__name__}: {exc.msg} (line {exc.lineno})"
    except Exception:  # noqa: BLE001 - a learner __str__ that raises still names the type
        text = type(exc).__name__
    return _short_text(text)


def _warning_text(record) -> str:
    """``"Category: message"`` of a recorded warning, short (an odd message object too)."""
    try:
        return _short_text(f"{record.category.__name__}: {record.message}")
    except Exception:  # noqa: BLE001 - a learner warning whose text cannot be made
        return "Warning"


def _short_text(text: str) -> str:
    return text if len(text) <= MAX_ERROR else text[:MAX_ERROR - 1] + "\N{HORIZONTAL ELLIPSIS}"


def _cell_error(outcome, timer: _Timer) -> tuple[str | None, str]:
    """(error type name or None, a short description) of one cell's run."""
    if outcome is None or timer.fired:
        return ("timeout" if timer.fired else "KeyboardInterrupt"), ""
    exc = outcome.error_before_exec or outcome.error_in_exec
    if exc is None:
        return None, ""
    return type(exc).__name__, _error_text(exc)


def main() -> None:
    """The sandbox's entry point: the first line on stdin says whether this process runs one job
    (:func:`child_main`) or is a template that forks a process per job (:func:`template_main`)."""
    header = json.loads(sys.stdin.readline())
    if header.get("template"):
        template_main(header)
    else:
        child_main(header)


def child_main(job: dict | None = None, keep: set[int] = frozenset()) -> None:
    """Run one job (its header: ``job`` or the first line on stdin). ``keep``: descriptors to
    leave open besides stdio, the calls and the channel (a template's child made its shell,
    and the shell's history database, before the job came)."""
    # The job header: everything but the calls, which arrive one at a time on the same pipe, each
    # after the previous result, so that learner code never holds inputs it is not being called on.
    if job is None:
        job = json.loads(sys.stdin.readline())
    calls_in = os.fdopen(os.dup(0), "r", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    # Only stdin/stdout/stderr, the calls pipe and the result channel stay open (the grader may
    # have handed the sandbox other descriptors, e.g. the user namespace bwrap joined).
    keep = sorted({job["channel_fd"], calls_in.fileno(), *keep})
    for low, high in zip([3] + [fd + 1 for fd in keep], keep + [1 << 16]):
        os.closerange(low, high)
    _apply_limits(job.get("rlimits", {}))
    channel = os.fdopen(job["channel_fd"], "w", buffering=1, encoding="utf-8")
    dumps = json.dumps

    def send(message):
        channel.write(dumps(message) + "\n")
        channel.flush()

    sys.argv = list(job["argv"])
    sys.path.insert(0, "")  # kernel emulation: a kernel can import from the notebook's folder
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    # Imported before any learner code runs.
    model_data = model_from_spec = None
    if job.get("models"):  # the module imports Keras only when a model spec is built
        from course_utils.checks.core.models import model_data, model_from_spec
    counter_class = None
    if job.get("steps"):
        from course_utils.checks.core.steps import StepCounter as counter_class
    acts = _make_acts(job["activations"])
    timer = _Timer()
    send({"ev": "ready"})
    for cell in job["cells"]:
        send({"ev": "cell", "i": cell["i"]})
        timer.start(job["cell_timeout"])
        try:
            outcome = shell.run_cell(cell["code"], store_history=True)
        except KeyboardInterrupt:
            outcome = None
        finally:
            timer.stop()
        error, detail = _cell_error(outcome, timer)
        # An OSError's errno tells a full scratch tmpfs (ENOSPC) or memory (ENOMEM) apart.
        errno = getattr(getattr(outcome, "error_in_exec", None), "errno", None)
        if error:
            # A failed cell's traceback keeps its frames (and a memory bomb's blocks) alive.
            sys.last_type = sys.last_value = sys.last_traceback = None
            outcome = None
            gc.collect()
        sys.stdout.flush()
        send({"ev": "cell_end", "i": cell["i"], "error": error, "detail": detail,
              "errno": errno if type(errno) is int else None})
    while True:
        send({"ev": "next"})
        line = calls_in.readline()
        if not line:
            break
        call = json.loads(line)
        if not isinstance(call, dict) or "key" not in call:
            break
        key = str(call["key"])
        send({"ev": "call", "key": key})
        result = _call(shell, call, acts, model_data, timer, job["call_timeout"], counter_class,
                       model_from_spec)
        del call, line  # the inputs are not kept past their call
        try:
            payload = encode(result)
        except Exception as exc:  # noqa: BLE001 - an unencodable value fails only this case
            payload = encode({"error": f"the result could not be sent back: {type(exc).__name__}"})
        send({"ev": "result", "key": key, "result": payload,
              "timed_out": result.get("timeout") is True})
    send({"ev": "done"})
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # skip atexit hooks the learner may have registered


# ----------------------------------------------------------------------------------------------
# Template side (see autograder.sandbox.template). Runs in the sandbox too, as its pid 1.

#: The result channel's descriptor in a child forked from a template.
TEMPLATE_CHANNEL_FD = 3
_PR_SET_DUMPABLE = 4  # prctl(2)


def _set_dumpable(flag: int) -> None:
    """prctl(PR_SET_DUMPABLE): 0 means no process of the same uid may ptrace this one or read its
    memory, environment or descriptors under ``/proc`` (the kernel checks as for ptrace)."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_DUMPABLE, flag, 0, 0, 0)


def template_main(header: dict) -> None:
    """Import ``header["preload"]`` once, then fork one child per request on the control socket
    (a ``SOCK_SEQPACKET`` on fd ``header["control_fd"]``; each request carries the child's stdin,
    stdout, stderr and result channel). The child runs :func:`child_main` with its own job.

    This process is pid 1 of the sandbox's PID namespace (the kernel ignores SIGKILL and SIGSTOP
    sent to it from inside, and any signal it does not handle), not dumpable (a learner's process
    of the same uid cannot ptrace it or read ``/proc/1/mem``, ``environ`` or ``fd``), and it runs
    no learner code. After each child it kills every other process of the namespace, empties the
    writable folders and reports what it could not undo (:func:`_clean`); the grader then
    discards it. Messages to the grader are JSON: ``ready``, then per request ``forked`` (the
    child's pid here), ``exit`` (its return code, as ``subprocess`` gives it) and ``clean``.
    """
    import importlib
    import socket

    control = socket.socket(fileno=header["control_fd"])
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    # Only stdio and the control socket stay open (bwrap's namespace and filter descriptors go).
    os.closerange(3, control.fileno())
    os.closerange(control.fileno() + 1, 1 << 16)
    _set_dumpable(0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # pid 1 receives only signals it handles
    sys.argv = list(header["argv"])
    for name in header.get("preload", ()):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the learner's own import fails the same way, later
            pass
    from IPython.core.interactiveshell import InteractiveShell  # noqa: F401 - imported once here

    try:  # what child_main imports for vectorisation probes (NumPy only, no shell hooks)
        import course_utils.checks.core.steps  # noqa: F401
    except ImportError:
        pass

    def send(message: dict) -> None:
        control.send(json.dumps(message).encode())

    # The children start from what the first one would: nothing the imports wrote stays.
    modes = {folder: os.stat(folder).st_mode & 0o7777 for folder in (header["home"], "/tmp", "/dev/shm")}
    # What the sandbox binds inside those folders (the kernel's connection file; a virtual
    # environment that lives under /tmp) is not the runs' to remove.
    header = dict(header, keep=sorted({*header.get("keep", ()), *_mounts_inside(modes)}))
    problem = _clean(header, modes)
    send({"ev": "ready", "problem": problem, "vm_peak_kb": _status_kb("VmPeak"),
          "vm_rss_kb": _status_kb("VmRSS"),
          "preloaded": sorted(n for n in header.get("preload", ()) if n in sys.modules)})
    while problem is None:
        # The next run's process is forked now, while the grader judges the last run: it makes
        # its IPython shell and waits for its job's descriptors (on a socket of its own).
        pid, spare = _fork_spare(control, header)
        try:
            data, fds, _, _ = socket.recv_fds(control, 1 << 16, 4)
        except OSError:
            break
        if not data or len(fds) != 4:
            break  # the grader is done with this template (or sent nonsense: stop)
        try:
            socket.send_fds(spare, [b"job"], fds)
        except OSError:  # the spare died (it runs no learner code: never expected)
            send({"ev": "forked", "pid": 0})
            break
        finally:
            spare.close()
            for fd in fds:
                os.close(fd)
        send({"ev": "forked", "pid": pid})
        _, status = os.waitpid(pid, 0)
        send({"ev": "exit", "returncode": os.waitstatus_to_exitcode(status)})
        problem = _clean(header, modes)
        send({"ev": "clean", "problem": problem})
    os._exit(0)


def _mounts_inside(folders) -> list[str]:
    """The outermost mount points of this mount namespace strictly inside ``folders`` (what is
    inside a mount point is that mount's, not the folder's)."""
    found = set()
    with open("/proc/self/mountinfo") as f:
        for line in f:
            # The fifth field is the mount point, with space, tab, newline and backslash octal-escaped.
            point = line.split()[4].encode().decode("unicode_escape")
            if any(point.startswith(folder.rstrip("/") + "/") for folder in folders):
                found.add(point)
    return sorted(p for p in found if not any(p.startswith(q + "/") for q in found))


def _status_kb(field: str) -> int:
    """A ``kB`` field of this process's ``/proc/self/status`` (``VmPeak``: the peak address
    space, which a child starts from; ``VmRSS``: memory resident now)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _fork_spare(control, header: dict):
    """Fork the next run's process: ``(its pid, the socket its job's descriptors go to)``."""
    import socket

    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    sys.stdout.flush()
    sys.stderr.flush()
    # The imports' objects (TensorFlow leaves ~400k) move to the collector's permanent
    # generation: the child's full collections skip them (0.5 s each otherwise) and do not
    # write to their pages (which stay shared).
    gc.freeze()
    pid = os.fork()
    if pid == 0:
        control.close()
        ours.close()
        _become_child(theirs, header)
    theirs.close()
    return pid, ours


def _become_child(job_socket, header: dict) -> None:
    """In the forked child: undo the template's own settings, make the IPython shell, wait for
    the job's descriptors, take them and run the job (never returns)."""
    import socket

    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        np.random.seed()  # a fresh process draws its own seed; so does each child
        os.chdir(f"{header['home']}/{header['folder']}")
        # The channel's number is held by a placeholder, so that the shell's own descriptors
        # (its history database) get others.
        placeholder = os.open(os.devnull, os.O_RDONLY)
        if placeholder != TEMPLATE_CHANNEL_FD:
            os.dup2(placeholder, TEMPLATE_CHANNEL_FD)
            os.close(placeholder)
        from IPython.core.interactiveshell import InteractiveShell

        InteractiveShell.instance()  # the one child_main gets: made before the job arrives
        before = {0, 1, 2, TEMPLATE_CHANNEL_FD, job_socket.fileno()}
        shell_fds = {int(n) for n in os.listdir("/proc/self/fd")} - before
        _, fds, _, _ = socket.recv_fds(job_socket, 16, 4)
        job_socket.close()
        if len(fds) != 4:
            return
        stdin, stdout, stderr, channel = fds
        for fd, target in ((stdin, 0), (stdout, 1), (stderr, 2), (channel, TEMPLATE_CHANNEL_FD)):
            os.dup2(fd, target)
        for fd in fds:
            os.close(fd)
        sys.stdin = os.fdopen(0, "r", encoding="utf-8", closefd=False)
        _set_dumpable(1)
        child_main(keep=shell_fds)
    finally:
        os._exit(1)


def _clean(header: dict, modes: dict[str, int]) -> str | None:
    """Undo what a child could leave in the sandbox: kill every other process of the PID
    namespace, empty the home folder (all but the kernel's connection file), ``/tmp`` and
    ``/dev/shm`` (``modes``: their permissions to restore). What could not be undone, in words
    (``None``: clean)."""
    import time

    if os.getpid() != 1:  # kill(-1) anywhere but as a PID namespace's init would reach the host
        return "the template is not its PID namespace's first process"
    for _ in range(200):
        try:
            os.kill(-1, signal.SIGKILL)  # from pid 1: every process of the namespace but itself
        except ProcessLookupError:
            pass
        while True:
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    break
            except ChildProcessError:
                break
        if [p for p in os.listdir("/proc") if p.isdigit()] == ["1"]:
            break
        time.sleep(0.01)
    else:
        return "processes were left that could not be killed"
    home = header["home"]
    work = f"{home}/{header['folder']}"
    keep = set(header.get("keep", ()))
    kept_dirs = set()
    for path in keep:  # the folders above a kept path are emptied around it, not removed
        parent = os.path.dirname(path)
        while any(parent.startswith(root.rstrip("/") + "/") for root in modes):
            kept_dirs.add(parent)
            parent = os.path.dirname(parent)

    def remove(top: str) -> None:
        # Depth first without recursion (a learner may nest folders thousands deep); folders
        # made unreadable or unwritable are opened up first (their owner is this uid).
        stack = [top]
        while stack:
            path = stack[-1]
            if os.path.isdir(path) and not os.path.islink(path):
                os.chmod(path, 0o700)
                inside = [entry.path for entry in os.scandir(path)]
                if inside:
                    stack.extend(inside)
                    continue
                os.rmdir(path)
            else:
                os.unlink(path)
            stack.pop()

    def empty(folder: str) -> None:
        for entry in os.scandir(folder):
            if entry.path in keep:
                continue
            if entry.path in kept_dirs:
                empty(entry.path)
            else:
                remove(entry.path)

    try:
        for folder, mode in modes.items():
            os.chmod(folder, mode)
            empty(folder)
        os.makedirs(work)
        os.chdir(work)
        allowed = kept_dirs | keep | {work}
        left = [e.path for folder in [*modes, *kept_dirs, work] for e in os.scandir(folder)
                if e.path not in allowed]
    except Exception as exc:  # noqa: BLE001 - whatever it was, this template is not reused
        return f"the sandbox's folders could not be emptied ({type(exc).__name__}: {exc})"
    if left:
        return f"files were left: {sorted(left)[:3]}"
    for kind in ("shm", "sem", "msg"):
        try:
            with open(f"/proc/sysvipc/{kind}") as f:
                if len(f.read().splitlines()) > 1:
                    return f"a System V IPC object ({kind}) was left"
        except OSError:
            pass
    return None


#: The command line's ``-c`` program: read this file's source (length-prefixed) from stdin, run it.
#: Under bubblewrap the same program is the file ``ipykernel_launcher.py`` (:data:`LAUNCHER`).
BOOTSTRAP = (
    "import sys;n=int(sys.stdin.readline());g={'__name__':'__kernel__'};"
    "exec(compile(sys.stdin.read(n),'<kernel>','exec'),g);g['main']()"
)
#: What ``python -m ipykernel_launcher`` runs inside the sandbox (bound over the real file).
LAUNCHER = '"""Entry point for launching an IPython kernel."""\n' + BOOTSTRAP.replace(";", "\n") + "\n"
