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
            return {"error": f"TimeoutError: the call took longer than {timeout:g} s"}
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


def child_main() -> None:
    # The job header: everything but the calls, which arrive one at a time on the same pipe, each
    # after the previous result, so that learner code never holds inputs it is not being called on.
    job = json.loads(sys.stdin.readline())
    calls_in = os.fdopen(os.dup(0), "r", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    # Only stdin/stdout/stderr, the calls pipe and the result channel stay open (the grader may
    # have handed the sandbox other descriptors, e.g. the user namespace bwrap joined).
    keep = sorted({job["channel_fd"], calls_in.fileno()})
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
        from course_utils.checks.models import model_data, model_from_spec
    counter_class = None
    if job.get("steps"):
        from course_utils.checks.steps import StepCounter as counter_class
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
        send({"ev": "result", "key": key, "result": payload})
    send({"ev": "done"})
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # skip atexit hooks the learner may have registered


#: The command line's ``-c`` program: read this file's source (length-prefixed) from stdin, run it.
#: Under bubblewrap the same program is the file ``ipykernel_launcher.py`` (:data:`LAUNCHER`).
BOOTSTRAP = (
    "import sys;n=int(sys.stdin.readline());g={'__name__':'__kernel__'};"
    "exec(compile(sys.stdin.read(n),'<kernel>','exec'),g);g['child_main']()"
)
#: What ``python -m ipykernel_launcher`` runs inside the sandbox (bound over the real file).
LAUNCHER = '"""Entry point for launching an IPython kernel."""\n' + BOOTSTRAP.replace(";", "\n") + "\n"
