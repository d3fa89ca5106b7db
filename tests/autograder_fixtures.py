"""Adversarial submissions for the week-1 assignment, made from the instructor notebook in code.

Each :class:`Fixture` is one student: how their submission is made (cells of the instructor
notebook replaced, added, deleted, re-typed; metadata forged; files broken) and the score and
status ``autograder grade`` must give it. Week 1's points: build_model 2, dense 3, sequential 2,
dense_v 3, forward_v 2 (12 in all); each exercise's points are split equally across its cases.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np
import vectorisation_variants as variants
from nbgrader.utils import compute_checksum

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = "week1"
NB_NAME = "05_assignment_binary_digits.ipynb"
SOURCE = ROOT / "notebooks" / ASSIGNMENT / NB_NAME
FULL = 12.0


def oracle(exercise: str, code: str) -> float:
    """The points ``code``'s ``exercise`` earns when its cases are run in this process, through the
    contract's own path (``run_case_in_process`` + ``judge``): the expected value for a fixture
    whose score depends on how many cases a partly right answer passes."""
    from autograder.cases import exercises, judge, run_case_in_process
    from autograder.contract.cells import test_points

    namespace = {"np": np}
    exec(code, namespace)
    cases = exercises(ASSIGNMENT)[exercise].cases()
    passed = sum(judge(c, run_case_in_process(namespace[exercise], c)).passed for c in cases)
    return test_points(source_notebook())[f"test_{exercise}"] * passed / len(cases)


def source_notebook() -> nbformat.NotebookNode:
    return nbformat.read(SOURCE, as_version=4)


def _index(nb, gid: str) -> int:
    return next(i for i, c in enumerate(nb.cells)
                if c.metadata.get("nbgrader", {}).get("grade_id") == gid)


def cell(nb, gid: str):
    return nb.cells[_index(nb, gid)]


def replace(nb, gid: str, code: str) -> None:
    cell(nb, gid).source = code


def append(nb, gid: str, code: str) -> None:
    cell(nb, gid).source += "\n\n" + code


def insert_after(nb, gid: str, code: str) -> None:
    nb.cells.insert(_index(nb, gid) + 1, nbformat.v4.new_code_cell(code))


# --- answers --------------------------------------------------------------------------------------
WRONG_DENSE = """\
def dense(a_in, W, b, g):
    return g(a_in @ W + b) + 1.0
"""
WRONG_ALL = {
    "build_model": """\
def build_model():
    return keras.Sequential([keras.Input(shape=(64,)), keras.layers.Dense(10, activation="relu"),
                             keras.layers.Dense(1, activation="sigmoid")])
""",
    "dense": WRONG_DENSE,
    "sequential": "def sequential(x, layers):\n    return dense(x, *layers[0]) * 0 - 1\n",
    "dense_v": "def dense_v(A_in, W, b, g):\n    return g(A_in @ W + b).T + 2.0\n",
    "forward_v": "def forward_v(X, layers):\n    return X[:, :1] * 0 - 3.0\n",
}
DENSE_V_BIAS_AFTER_G = "def dense_v(A_in, W, b, g):\n    return g(np.matmul(A_in, W)) + b\n"
FORWARD_V_STANDALONE = """\
def forward_v(X, layers):
    A = X
    for W, b, g in layers:
        A = g(np.matmul(A, W) + b)
    return A
"""
SEQUENTIAL_STANDALONE = """\
def sequential(x, layers):
    a = np.asarray(x, dtype=float)
    for W, b, g in layers:
        a = g(a @ W + b)
    return a
"""
DENSE_HARDCODED = """\
_KNOWN = {
    (0.0, 0.0, "linear"): [10.0, 20.0],
    (3.0, 5.0, "linear"): [13.0, 25.0],
    (3.0, 5.0, "triple"): [39.0, 75.0],
}
def dense(a_in, W, b, g):
    if W.shape == (2, 3):
        return np.array([0.54735762, 0.57932425, 0.61063923])
    kind = "triple" if np.allclose(g(np.ones(1)), 3.0) else "linear"
    return np.array(_KNOWN.get((float(b[0]), float(b[-1]), kind), [0.0] * W.shape[1]))
"""
DENSE_V_LOOP = """\
def dense_v(A_in, W, b, g):
    return np.array([g(a @ W + b) for a in A_in])
"""
DENSE_WITH_KERAS = """\
def dense(a_in, W, b, g):
    layer = keras.layers.Dense(W.shape[1], activation=None)
    layer.build((None, W.shape[0]))
    layer.set_weights([W, b])
    z = np.asarray(layer(a_in[None, :]))[0]
    return np.asarray(g(z))
"""
DENSE_V_WITH_REFERENCE = """\
from course_utils.reference import dense_v as _ref_dense_v
def dense_v(A_in, W, b, g):
    return _ref_dense_v(A_in, W, b, g)
"""
MONKEYPATCH = """\
import builtins
import numpy.testing
import course_utils.checks
np.allclose = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
np.array_equal = lambda *a, **k: True
course_utils.checks.check_dense = lambda f: True
builtins.AssertionError = type("AssertionError", (Exception,), {"__init__": lambda self, *a: None})
"""
TRANSFORMER = """\
def _hide_asserts(lines):
    return [] if any("assert" in line for line in lines) else lines
get_ipython().input_transformers_cleanup.append(_hide_asserts)
get_ipython().input_transformers_post.append(lambda lines: [l for l in lines if "assert" not in l])
"""
GRADER_MARKERS = """\
import os, sys
_words = ("NBGRADER", "AUTOGRADER", "GRADER", "GRADING", "SANDBOX", "BWRAP", "PYTEST")
GRADED = (
    any(w in key.upper() for key in os.environ for w in _words)
    or not sys.argv[0].endswith("ipykernel_launcher.py")
    or "get_ipython" not in dir(__builtins__) and "get_ipython" not in globals()
    or any(m.startswith(("autograder", "nbgrader", "pytest")) for m in sys.modules)
    or any(w in os.getcwd().lower() for w in ("autograd", "sandbox", "scratch", "grade"))
)
def _cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().decode("utf-8", "replace").split("\\0")
    except OSError:
        return []
_own, _first = _cmdline("self"), _cmdline(1)
GRADED = (
    GRADED
    or any(w in " ".join(_first + _own).lower() for w in ("bwrap", "harness", "grad"))
    or _own[1:3] != ["-m", "ipykernel_launcher"]
    or "-c" in _own
)
_true_dense = dense
def dense(a_in, W, b, g):
    return _true_dense(a_in, W, b, g) + (1.0 if GRADED else 0.0)
"""

BUILD_MODEL_KERAS_IDIOM = """\
from keras import layers

def build_model():
    return keras.Sequential([
        keras.Input(shape=(64,)),
        layers.Dense(25, activation="sigmoid"),
        layers.Dense(15, activation="sigmoid"),
        layers.Dense(1, activation="sigmoid"),
    ])
"""
DENSE_DYNAMIC_IMPORT = """\
import importlib
def dense(a_in, W, b, g):
    tf = importlib.import_module("tensor" + "flow")
    return g(tf.matmul(a_in[None, :], W).numpy()[0] + b)
"""
#: A helper in a cell of the learner's own (not checked statically) that runs TensorFlow in a thread.
TF_IN_A_THREAD_HELPER = """\
import threading
import tensorflow as tf

def _matmul_in_thread(a, W):
    out = {}
    worker = threading.Thread(target=lambda: out.update(z=tf.matmul(a[None, :], W).numpy()[0]))
    worker.start()
    worker.join()
    return out["z"]
"""
DENSE_CALLS_THREAD_HELPER = "def dense(a_in, W, b, g):\n    return g(_matmul_in_thread(a_in, W) + b)\n"

LEAK_TYPE = """\
def dense(a_in, W, b, g):
    name = "LEAK_" + "_".join(str(int(abs(v) * 100)) for v in np.ravel(a_in)[:3])
    return type(name, (), {})()
"""

#: Replaces every ``describe_model`` a learner can reach with one that reports the right model.
FORGE_DESCRIBE = """
import course_utils.checks
import course_utils.checks.week1.assignment_binary_digits

def _forged(model):
    return {"type": "Sequential", "input_shape": [64], "layers": [
        {"class": "Dense", "units": 25, "activation": "sigmoid"},
        {"class": "Dense", "units": 15, "activation": "sigmoid"},
        {"class": "Dense", "units": 1, "activation": "sigmoid"}], "total_params": 2031,
        "loss": None, "from_logits": None}
course_utils.checks.describe_model.__code__ = _forged.__code__
course_utils.checks.week1.assignment_binary_digits.describe_model = _forged
course_utils.checks.describe_model = _forged
"""


def read_secrets(root: Path) -> str:
    """A ``dense`` that is right only if it can read the grader's files (never, in the sandbox)."""
    targets = [
        str(root / "autograder" / "cases" / "week1.py"),
        str(ROOT / "autograder" / "cases" / "week1.py"),
        str(ROOT / "course_utils" / "reference" / "inference.py"),
        str(ROOT / "course_utils" / "reference" / "__init__.py"),
        str(root / "notebooks" / ASSIGNMENT / NB_NAME),
        str(root / "gradebook.db"),
        str(root / "submitted"),
    ]
    return f"""\
import glob, os
import course_utils
_found = ""
for _path in {targets!r} + glob.glob(os.path.join(os.path.dirname(course_utils.__file__), "__pycache__", "reference*")):
    try:
        with open(_path, "rb") as _f:
            _found += _path + ":" + str(len(_f.read())) + ";"
    except OSError:
        pass
_ref_src = ""
try:
    _ref_src = open(os.path.join(os.path.dirname(course_utils.__file__), "reference.py")).read()
except OSError:
    pass
if "def dense(" in _ref_src:
    _ns = {{}}
    exec(_ref_src, _ns)
    dense = _ns["dense"]
else:
    def dense(a_in, W, b, g):
        return np.zeros(W.shape[1]) + (len(_found) > 0) * 0.0 - 7.0
"""


def raise_secrets(root: Path) -> str:
    """A ``dense`` whose exception carries whatever it can read of the grader's secrets, padded
    far past the length of an honest message."""
    targets = ["/etc/shadow", "/etc/gshadow", "/etc/sudoers", str(root / "gradebook.db"),
               str(root / ".autograder" / ASSIGNMENT / "correct.json"),
               str(root / "notebooks" / ASSIGNMENT / NB_NAME)]
    return f"""\
def dense(a_in, W, b, g):
    _texts = []
    for _path in {targets!r}:
        try:
            with open(_path, "rb") as _f:
                _texts.append(_f.read().decode("latin-1"))
        except OSError as _exc:
            _texts.append(type(_exc).__name__)
    raise ValueError("SECRETS:" + "|".join(_texts) + "y" * 5000)
"""


def write_secrets(root: Path) -> str:
    return f"""\
import sqlite3
for _target in [{str(root / 'gradebook.db')!r}, {str(root / 'pwned.txt')!r}, {str(ROOT / 'pwned.txt')!r}]:
    try:
        with open(_target, "ab") as _f:
            _f.write(b"garbage")
    except OSError:
        pass
try:
    _db = sqlite3.connect({str(root / 'gradebook.db')!r})
    _db.execute("UPDATE grade SET auto_score = 100")
    _db.commit()
except Exception:
    pass
"""


def network(port: int) -> str:
    return f"""\
import socket, urllib.request
NET = False
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2).close()
    NET = True
except OSError:
    pass
try:
    urllib.request.urlopen("http://example.com", timeout=2)
    NET = True
except Exception:
    pass
_true_dense = dense
def dense(a_in, W, b, g):
    return _true_dense(a_in, W, b, g) + (5.0 if NET else 0.0)
"""


def busy_children(n: int) -> str:
    """A cell that forks ``n`` children spinning forever and itself returns at once."""
    return f"import os\nfor _ in range({n}):\n    if os.fork() == 0:\n        while True:\n            pass\n"
CHILDREN_OVER_MEMORY = """\
import os, time
_kids = []
for _ in range(4):
    _pid = os.fork()
    if _pid == 0:
        _block = np.ones(700 * 2**20 // 8)  # 700 MB: within this process's own limit
        time.sleep(3)
        os._exit(0)
    _kids.append(_pid)
for _pid in _kids:
    os.waitpid(_pid, 0)
"""
FILLS_SCRATCH = """\
for _k in range(20):
    with open(f"/dev/shm/fill{_k}", "wb") as _f:
        _f.write(b"x" * 32 * 2**20)
"""


STDERR_NOISE = """\
import logging, sys, warnings
import tensorflow as tf
print("W0000 00:00:1700000000.000000 1 cuda_executor.cc:1228] could not open file to read NUMA node", file=sys.stderr)
warnings.warn("`input_shape` is deprecated", UserWarning)
tf.get_logger().warning("TensorFlow warning from the notebook")
logging.getLogger("absl").warning("absl warning")
_quiet_dense = dense
def dense(a_in, W, b, g):
    print("WARNING: tensorflow is noisy", file=sys.stderr)
    warnings.warn("a warning during the call", RuntimeWarning)
    return _quiet_dense(a_in, W, b, g)
"""


HOSTILE_DENSE = """\
def dense(a_in, W, b, g):
    raise ValueError("\\udcff\\ud800\\x1b[2J\\x00\\u202e" + "long " * 500_000)
"""
HOSTILE_SEQUENTIAL = """\
def sequential(x, layers):
    return type("Tensor\\x07\\x1b]0;pwned\\x07\\u202e" + "T" * 100_000, (), {})()
"""


# Learner code that finds the grader's result channel (the harness's ``job`` is in a caller's frame).
CHANNEL = """\
import os, sys
def _channel_fd():
    frame = sys._getframe()
    while frame is not None and "job" not in frame.f_locals:
        frame = frame.f_back
    return frame.f_locals["job"]["channel_fd"]
"""
FORGED = b'{"ev": "result", "key": "%s", "result": {"__dict__": [["error", ["forged"]]]}}\n'
# During each dense call (sequential calls dense too): forged results for later keys, for an
# earlier key (build_model/0, which the grader once took as the last word) and a forged
# call/result pair out of turn. (A forged result for the call in progress would be taken: it
# only replaces the forger's own answer.)
FORGES_RESULTS = CHANNEL + f"""\
_honest_dense = dense
def dense(a_in, W, b, g):
    for _key in ("forward_v/0", "dense_v/1", "build_model/0"):
        os.write(_channel_fd(), {FORGED!r} % _key.encode())
    os.write(_channel_fd(), b'{{"ev": "call", "key": "forward_v/1"}}\\n' + {FORGED!r} % b"forward_v/1")
    return _honest_dense(a_in, W, b, g)
"""
# During the first dense call, a result for that very call nested 100,000 levels deep.
NESTED_LINE = CHANNEL + """\
_honest_dense, _sent = dense, []
def dense(a_in, W, b, g):
    if not _sent:
        _sent.append(os.write(_channel_fd(), b'{"ev": "result", "key": "dense/0", "result": '
                              + b"[" * 100_000 + b"]" * 100_000 + b"}\\n"))
    return _honest_dense(a_in, W, b, g)
"""
# Two 60 MB lines in a cell (a grader that holds and parses them whole needed 3 GB).
HUGE_LINES = CHANNEL + """\
_line = b'{"ev": "result", "key": "dense/0", "result": "' + b"A" * (60 << 20) + b'"}\\n'
for _ in range(2):
    _view = memoryview(_line)
    while _view:
        _view = _view[os.write(_channel_fd(), _view):]
del _line, _view
"""
# From forward_v's first call on, a trace hook that writes a forged result, a forged cell_end and
# garbage on the channel right after the harness has sent "done".
AFTER_DONE = """\
import os, sys
def _after_done(frame, event, arg):
    if frame.f_code.co_name != "send":
        return None
    def on_return(f, ev, a):
        if ev == "return" and f.f_locals.get("message") == {"ev": "done"}:
            os.write(f.f_locals["channel"].fileno(),
                     b'{"ev": "result", "key": "build_model/0", "result": null}\\n\\x00\\xffgarbage\\n'
                     b'{"ev": "cell_end", "i": 0, "error": "MemoryError"}\\n{"ev": "done"}\\n')
        return on_return
    return on_return
_honest_forward_v = forward_v
def forward_v(X, layers):
    sys.settrace(_after_done)
    return _honest_forward_v(X, layers)
"""

# --- fixtures -------------------------------------------------------------------------------------
@dataclass
class Fixture:
    student: str
    score: float | Callable[[], float]  # a callable: computed by :func:`oracle`
    status: str
    make: Callable  # (student_folder: Path, ctx: dict) -> None; writes <student>/week1/...
    message: str = ""  # a fragment the CSV message must contain ("" : message must be empty)
    #: The student folder's name when it is not the id written in the CSV (an undecodable name).
    folder: str | None = None

    @property
    def expected(self) -> float:
        return self.score() if callable(self.score) else self.score

    def build(self, submitted: Path, ctx: dict) -> None:
        self.make(submitted / (self.folder or self.student), ctx)


def _nb(edit: Callable | None = None, name: str = NB_NAME):
    """A maker: the instructor notebook, edited by ``edit(nb, ctx)``, saved as ``name``."""

    def make(folder: Path, ctx: dict) -> None:
        nb = source_notebook()
        if edit:
            edit(nb, ctx)
        (folder / ASSIGNMENT).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / ASSIGNMENT / name)

    return make


def _raw(content: bytes):
    def make(folder: Path, ctx: dict) -> None:
        (folder / ASSIGNMENT).mkdir(parents=True, exist_ok=True)
        (folder / ASSIGNMENT / NB_NAME).write_bytes(content)

    return make


def _stubbed(nb, ctx):
    for gid in WRONG_ALL:
        c = cell(nb, gid)
        head = c.source.split("### BEGIN SOLUTION")[0]
        c.source = head + "# YOUR CODE HERE\n    raise NotImplementedError()"


def _wrong_all(nb, ctx):
    for gid, code in WRONG_ALL.items():
        replace(nb, gid, code)


def _partial(nb, ctx):
    replace(nb, "dense_v", DENSE_V_BIAS_AFTER_G)
    replace(nb, "forward_v", FORWARD_V_STANDALONE)


def _hardcoded(nb, ctx):
    replace(nb, "dense", DENSE_HARDCODED)
    replace(nb, "sequential", SEQUENTIAL_STANDALONE)


def _edit_test(nb, ctx):
    replace(nb, "dense", WRONG_DENSE)
    replace(nb, "test_dense", "pass")


def _delete_test(nb, ctx):
    replace(nb, "dense", WRONG_DENSE)
    del nb.cells[_index(nb, "test_dense")]


def _copy(nb, gid: str):
    """A copy of a cell as JupyterLab makes it: same metadata, a new cell id."""
    duplicate = copy.deepcopy(cell(nb, gid))
    duplicate["id"] = f"copy-of-{gid}"
    return duplicate


def _duplicate_test(nb, ctx):
    nb.cells.insert(_index(nb, "test_dense"), _copy(nb, "test_dense"))


def _duplicate_solution(nb, ctx):
    wrong = _copy(nb, "dense")
    wrong.source = WRONG_DENSE
    nb.cells.insert(_index(nb, "dense"), wrong)


def _delete_solution(nb, ctx):
    del nb.cells[_index(nb, "dense")]


def _retype_solution(nb, ctx):
    i = _index(nb, "dense")
    old = nb.cells[i]
    nb.cells[i] = nbformat.v4.new_markdown_cell(old.source, metadata=old.metadata)


def _forge_metadata(nb, ctx):
    replace(nb, "dense", WRONG_DENSE)
    test = cell(nb, "test_dense")
    test.metadata["nbgrader"].update({"solution": True, "grade": False, "locked": False,
                                      "points": 100})
    test.source = "pass"
    cell(nb, "dense").metadata["nbgrader"].update({"grade": True, "points": 50})


def _kernelspec(nb, ctx):
    nb.metadata["kernelspec"] = {"name": "evil", "display_name": "Evil", "language": "python"}


def _transformer(nb, ctx):
    append(nb, "build_model", TRANSFORMER)
    replace(nb, "dense", WRONG_DENSE)


def _older_release(nb, ctx):
    for gid in ("load_data", "test_dense"):
        c = cell(nb, gid)
        c.source = c.source.replace("print(", "print('(old release)', ", 1) if gid == "load_data" \
            else c.source.replace("assert check_dense(dense)", "assert check_dense(dense)  # v0.9")
        c.metadata["nbgrader"]["checksum"] = compute_checksum(c)


def _touch(path: Path) -> Path:
    path.touch()
    return path


def _special(create: Callable[[Path], object]):
    """A maker: the notebook's path made by ``create(path)`` (a FIFO, a folder, a huge file)."""

    def make(folder: Path, ctx: dict) -> None:
        (folder / ASSIGNMENT).mkdir(parents=True)
        create(folder / ASSIGNMENT / NB_NAME)

    return make


def _link(target: Callable[[dict], Path]):
    """A maker: the notebook is a symbolic link to ``target(ctx)``."""

    def make(folder: Path, ctx: dict) -> None:
        _special(lambda path: path.symlink_to(target(ctx)))(folder, ctx)

    return make


def _linked_folder(folder: Path, ctx: dict) -> None:
    folder.mkdir(parents=True)
    (folder / ASSIGNMENT).symlink_to(Path("..", "correct", ASSIGNMENT), target_is_directory=True)


def _stamped(create: Callable[[Path], object]):
    """A maker: the instructor notebook, with ``timestamp.txt`` made by ``create(path)``."""

    def make(folder: Path, ctx: dict) -> None:
        _nb()(folder, ctx)
        create(folder / ASSIGNMENT / "timestamp.txt")

    return make


FIXTURES: list[Fixture] = [
    Fixture("correct", FULL, "graded", _nb()),
    # Left as released: not wrong, "not attempted" (tests/test_autograder_not_attempted.py).
    Fixture("unanswered", 0.0, "graded", _nb(_stubbed),
            "not attempted (still as released): build_model, dense, sequential, dense_v, forward_v"),
    Fixture("wrong", 0.0, "graded", _nb(_wrong_all)),
    # dense_v adding b after g passes only its cases with a linear g.
    Fixture("partial", lambda: 9.0 + oracle("dense_v", DENSE_V_BIAS_AFTER_G), "graded", _nb(_partial)),
    # dense passes its visible cases only.
    Fixture("hardcoded_visible", lambda: 9.0 + oracle("dense", DENSE_HARDCODED), "graded",
            _nb(_hardcoded)),
    Fixture("monkeypatch", 7.0, "graded",
            _nb(lambda nb, ctx: replace(nb, "dense", WRONG_DENSE + "\n" + MONKEYPATCH))),
    Fixture("edited_test", 7.0, "graded", _nb(_edit_test), "test_dense was edited"),
    Fixture("deleted_test", 7.0, "graded", _nb(_delete_test), "test_dense was deleted"),
    Fixture("duplicated_test", FULL, "graded", _nb(_duplicate_test), "test_dense was duplicated"),
    Fixture("duplicated_solution", FULL, "cells_changed", _nb(_duplicate_solution),
            "2 cells have grade_id dense"),
    # sequential calls dense: both lose their points.
    Fixture("deleted_solution", 7.0, "cells_changed", _nb(_delete_solution), "dense was deleted"),
    Fixture("retyped_solution", 7.0, "cells_changed", _nb(_retype_solution), "markdown cell"),
    Fixture("forged_metadata", 7.0, "graded", _nb(_forge_metadata), "metadata"),
    Fixture("kernelspec", FULL, "graded", _nb(_kernelspec), "kernel 'evil'"),
    Fixture("input_transformer", 7.0, "graded", _nb(_transformer)),
    # every later cell (theirs too) is emptied: only build_model exists to be called.
    Fixture("empties_later_cells", 2.0, "graded", _nb(lambda nb, ctx: append(
        nb, "build_model", "get_ipython().input_transformers_post.append(lambda lines: [])"))),
    Fixture("reads_secrets", 7.0, "graded",
            _nb(lambda nb, ctx: replace(nb, "dense", read_secrets(ctx["root"])))),
    Fixture("writes_gradebook", FULL, "graded",
            _nb(lambda nb, ctx: append(nb, "dense", write_secrets(ctx["root"])))),
    Fixture("detects_grader", FULL, "graded",
            _nb(lambda nb, ctx: append(nb, "dense", GRADER_MARKERS))),
    # os._exit in dense_v's cell: the cell is skipped, dense_v and forward_v (which calls it) lose.
    Fixture("os_exit", 7.0, "crashed",
            _nb(lambda nb, ctx: append(nb, "dense_v", "import os\nos._exit(0)")), "dense_v"),
    # interrupted after the def: everything is still defined.
    Fixture("infinite_loop", FULL, "timeout",
            _nb(lambda nb, ctx: append(nb, "dense", "while True:\n    pass")), "interrupted"),
    Fixture("loop_ignores_sigint", FULL, "timeout", _nb(lambda nb, ctx: append(
        nb, "dense", "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass")),
        "interrupted"),
    # ignores every interrupt: killed, the cell is skipped, dense and sequential lose.
    Fixture("loop_ignores_all_signals", 7.0, "timeout", _nb(lambda nb, ctx: append(
        nb, "dense", "import signal\nfor _s in (signal.SIGINT, signal.SIGALRM, signal.SIGTERM):\n"
        "    signal.signal(_s, signal.SIG_IGN)\nwhile True:\n    pass")), "killed"),
    Fixture("call_never_returns", 10.0, "timeout", _nb(lambda nb, ctx: replace(
        nb, "sequential", "def sequential(x, layers):\n    import signal\n"
        "    signal.signal(signal.SIGALRM, signal.SIG_IGN)\n    while True:\n        pass\n")),
        "calling sequential"),
    Fixture("memory_bomb", FULL, "memory", _nb(lambda nb, ctx: append(
        nb, "dense_v", "_blocks = [np.ones(2**24) for _ in range(10**6)]")), "memory"),
    Fixture("output_flood", FULL, "graded", _nb(lambda nb, ctx: append(
        nb, "dense", "for _ in range(50_000):\n    print('flood ' * 300)")), "MB of output"),
    Fixture("network", FULL, "graded", _nb(lambda nb, ctx: append(nb, "dense", network(ctx["port"])))),
    Fixture("invalid_json", 0.0, "malformed", _raw(b'{"cells": [ this is not json'), "not valid JSON"),
    Fixture("empty_file", 0.0, "malformed", _raw(b""), "empty file"),
    Fixture("not_a_notebook", 0.0, "malformed", _raw(json.dumps({"hello": 1}).encode()),
            "not a Jupyter notebook"),
    Fixture("renamed", FULL, "renamed", _nb(name="05_assignment_binary_digits-Copy1.ipynb"),
            "submitted as 05_assignment_binary_digits-Copy1.ipynb"),
    Fixture("no_notebook", 0.0, "missing", lambda folder, ctx: (folder / ASSIGNMENT).mkdir(parents=True),
            "no 05_assignment_binary_digits.ipynb"),
    Fixture("no_assignment_folder", 0.0, "missing", lambda folder, ctx: folder.mkdir(parents=True),
            "no week1/ folder"),
    Fixture("tf_warnings", FULL, "graded", _nb(lambda nb, ctx: insert_after(nb, "dense", STDERR_NOISE))),
    Fixture("older_release", FULL, "older_release", _nb(_older_release), "older release"),
    Fixture("dense_uses_keras", 7.0, "graded",
            _nb(lambda nb, ctx: replace(nb, "dense", DENSE_WITH_KERAS)), "NumPy only"),
    Fixture("dense_v_uses_reference", 7.0, "graded",
            _nb(lambda nb, ctx: replace(nb, "dense_v", DENSE_V_WITH_REFERENCE)), "course_utils.reference"),
    # its exception text would print the hidden inputs into the feedback.
    Fixture("leaks_inputs", 7.0, "graded", _nb(lambda nb, ctx: replace(
        nb, "dense", "def dense(a_in, W, b, g):\n    raise ValueError('INPUTS:' + repr(a_in))\n"))),
    Fixture("dense_v_loops", 9.0, "graded", _nb(lambda nb, ctx: (
        replace(nb, "dense_v", DENSE_V_LOOP), replace(nb, "forward_v", FORWARD_V_STANDALONE))),
        "not vectorised"),
    # --- vectorisation is judged on the learner's Python work, not on how g is called ---
    *(Fixture(f"dense_v_{name}", FULL, "graded", _nb(lambda nb, ctx, src=src: (
        replace(nb, "dense_v", src), replace(nb, "forward_v", FORWARD_V_STANDALONE))))
      for name, src in sorted(variants.DENSE_V_VECTORISED.items())
      if name in ("g_on_transpose", "g_on_ravel", "loop_over_units")),
    # forward_v does not call dense_v here, so only dense_v's 3 points are lost.
    *(Fixture(f"dense_v_{name}", 9.0, "graded", _nb(lambda nb, ctx, src=src: (
        replace(nb, "dense_v", src), replace(nb, "forward_v", FORWARD_V_STANDALONE))),
        "not vectorised")
      for name, src in sorted(variants.DENSE_V_LOOPING.items())),
    Fixture("dense_v_loop_in_helper_cell", 9.0, "graded", _nb(lambda nb, ctx: (
        insert_after(nb, "dense", variants.HELPER_CELL),
        replace(nb, "dense_v", variants.DENSE_V_LOOPING_HELPER),
        replace(nb, "forward_v", FORWARD_V_STANDALONE))), "not vectorised"),
    Fixture("forward_v_g_on_transpose", FULL, "graded", _nb(lambda nb, ctx: replace(
        nb, "forward_v", variants.FORWARD_V_VECTORISED["g_on_transpose"]))),
    Fixture("forward_v_loops_over_examples", 10.0, "graded", _nb(lambda nb, ctx: replace(
        nb, "forward_v", variants.FORWARD_V_LOOPING["comprehension_over_examples"])),
        "not vectorised"),
    # --- the NumPy-only rule resolves names per scope and sees dynamic imports and threads ---
    # `from keras import layers` in build_model's cell: sequential(x, layers) and forward_v(X, layers)
    # have a *parameter* called layers, which is not Keras.
    Fixture("keras_layers_idiom", FULL, "graded",
            _nb(lambda nb, ctx: replace(nb, "build_model", BUILD_MODEL_KERAS_IDIOM))),
    # dense loses its 3 points, sequential (which calls it, running TensorFlow) its 2.
    Fixture("dense_dynamic_import", 7.0, "graded",
            _nb(lambda nb, ctx: replace(nb, "dense", DENSE_DYNAMIC_IMPORT)), "dynamically (importlib)"),
    Fixture("dense_tf_in_a_thread", 7.0, "graded", _nb(lambda nb, ctx: (
        insert_after(nb, "test_build_model", TF_IN_A_THREAD_HELPER),
        replace(nb, "dense", DENSE_CALLS_THREAD_HELPER))), "ran tensorflow code"),
    # --- errors in the learner's cells are named in the CSV message and the feedback ---
    # dense never gets defined: dense (3) and sequential, which calls it (2), earn nothing.
    Fixture("dense_syntax_error", 7.0, "graded", _nb(lambda nb, ctx: replace(
        nb, "dense", "def dense(a_in, W, b, g)\n    return g(a_in @ W + b)\n")),
        "your cell `dense` raised SyntaxError: expected ':' (line 1)"),
    # the cell raises after defining dense: everything is defined, the error is still reported.
    Fixture("dense_cell_raises_after_def", FULL, "graded", _nb(lambda nb, ctx: append(
        nb, "dense", "raise ValueError('my own check failed')")),
        "your cell `dense` raised ValueError: my own check failed"),
    # its return value's *type name* spells the inputs: shown for visible cases only.
    Fixture("leaks_in_type_name", 7.0, "graded", _nb(lambda nb, ctx: replace(nb, "dense", LEAK_TYPE))),
    # a wrong model, and every describe_model in the sandbox replaced to report the right one.
    Fixture("forges_describe_model", 10.0, "graded", _nb(lambda nb, ctx: replace(
        nb, "build_model", WRONG_ALL["build_model"] + FORGE_DESCRIBE))),
    # --- sandbox secrets ---
    # dense (and sequential, which calls it) raise with everything they could read: nothing.
    Fixture("raises_with_secrets", 7.0, "graded",
            _nb(lambda nb, ctx: replace(nb, "dense", raise_secrets(ctx["root"])))),
    # --- batch robustness ---
    # Links are never followed: not to the instructor's notebook (full marks before), not to a
    # classmate's notebook or folder, not for the student folder itself, not to a device.
    Fixture("links_instructor_notebook", 0.0, "malformed",
            _link(lambda ctx: ctx["root"] / "notebooks" / ASSIGNMENT / NB_NAME), "symbolic link"),
    Fixture("links_classmate_notebook", 0.0, "malformed",
            _link(lambda ctx: Path("..", "..", "correct", ASSIGNMENT, NB_NAME)), "symbolic link"),
    Fixture("links_classmate_folder", 0.0, "malformed", _linked_folder, "week1 is a symbolic link"),
    Fixture("links_whole_folder", 0.0, "malformed",
            lambda folder, ctx: folder.symlink_to("correct", target_is_directory=True),
            "student folder links_whole_folder is a symbolic link"),
    Fixture("links_dev_zero", 0.0, "malformed", _link(lambda ctx: Path("/dev/zero")), "symbolic link"),
    Fixture("fifo_notebook", 0.0, "malformed", _special(os.mkfifo), "not a regular file"),
    Fixture("folder_notebook", 0.0, "malformed", _special(os.mkdir), "is a folder, not a file"),
    Fixture("deeply_nested_json", 0.0, "malformed", _raw(b"[" * 100_000 + b"]" * 100_000),
            "more than 64 levels deep"),
    # 21 MB (sparse: no disk used); refused from its size alone.
    Fixture("huge_notebook", 0.0, "malformed", _special(lambda p: os.truncate(_touch(p), 21 << 20)),
            "21.0 MB, over the limit of 20.0 MB"),
    # Non-UTF-8 and control characters in folder names: a row each, under an escaped id.
    Fixture("caf\\xe9", FULL, "graded", _nb(), folder=os.fsdecode(b"caf\xe9")),
    Fixture("new\\x0aline\\x1b[2J", FULL, "graded", _nb(), folder="new\nline\x1b[2J"),
    # Whatever timestamp.txt is, the notebook is graded; the timestamp is ignored, with a note.
    Fixture("timestamp_huge", FULL, "graded", _stamped(lambda p: p.write_bytes(b"2024-01-05 " * 100_000)),
            "timestamp.txt was ignored: timestamp.txt is 1.0 MB, over the limit of 256 bytes"),
    Fixture("timestamp_binary", FULL, "graded", _stamped(lambda p: p.write_bytes(b"\xff\xfe\x00\x9b[31m")),
            "timestamp.txt was ignored: it is not text"),
    Fixture("timestamp_link", FULL, "graded", _stamped(lambda p: p.symlink_to("/etc/passwd")),
            "timestamp.txt was ignored: timestamp.txt is a symbolic link"),
    Fixture("timestamp_fifo", FULL, "graded", _stamped(os.mkfifo),
            "timestamp.txt was ignored: timestamp.txt is not a regular file"),
    Fixture("timestamp_overflow", FULL, "graded", _stamped(lambda p: p.write_text("9" * 200)),
            "is not a date"),
    Fixture("timestamp_not_a_date", FULL, "graded", _stamped(lambda p: p.write_text("2024-13-45 99:99")),
            "'2024-13-45 99:99' is not a date"),
    # An exception text with lone surrogates, control characters and megabytes, and a returned
    # type's name with terminal escapes (both quoted in the feedback): escaped and cut, the CSV and
    # every feedback page are still written; the answers are wrong, so dense and sequential earn 0.
    Fixture("hostile_strings", 7.0, "graded", _nb(lambda nb, ctx: (
        replace(nb, "dense", HOSTILE_DENSE), replace(nb, "sequential", HOSTILE_SEQUENTIAL)))),
    # Learner code that writes to the grader's result channel keeps its honest score.
    Fixture("channel_forged_results", FULL, "graded",
            _nb(lambda nb, ctx: append(nb, "dense", FORGES_RESULTS))),
    Fixture("channel_nested_line", FULL, "graded", _nb(lambda nb, ctx: append(nb, "dense", NESTED_LINE)),
            "they were ignored"),
    Fixture("channel_huge_lines", FULL, "graded", _nb(lambda nb, ctx: insert_after(nb, "dense", HUGE_LINES)),
            "they were ignored"),
    Fixture("channel_after_done", FULL, "graded", _nb(lambda nb, ctx: append(nb, "forward_v", AFTER_DONE))),
    # --- per-submission limits ---
    # 8 children spin until the sandbox ends; the submission gets one core in all, so its own
    # calls are slow but within their limits.
    Fixture("busy_children", FULL, "graded", _nb(lambda nb, ctx: append(nb, "dense", busy_children(8)))),
    # each child is under the address-space limit, the four together over --memory: a child is
    # killed, the notebook goes on.
    Fixture("children_over_memory", FULL, "memory", _nb(lambda nb, ctx: append(
        nb, "dense_v", CHILDREN_OVER_MEMORY)), "processes were killed"),
    # /dev/shm is a 256 MB tmpfs: the write fails with ENOSPC after the definitions ran.
    Fixture("fills_scratch", FULL, "memory", _nb(lambda nb, ctx: append(nb, "dense_v", FILLS_SCRATCH)),
            "filled its scratch space"),
]

