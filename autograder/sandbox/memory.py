"""Memory in the sandbox: the memory problems of one run, as issues (:func:`run_issues`), and
how much an assignment's own imports need (:func:`need_mb`, measured once and cached).

**A run's memory problems.** Memory problems of one sandbox run that the learner's own cell errors do not show, as issues
(status ``memory``) whose message names ``--memory``.

- a process of the submission ended by the OOM killer of its memory cgroup while the notebook
  went on (a forked child, say: the main process survives, so the run still finishes);
- a cell whose ``OSError`` is ``ENOSPC`` (the home folder, ``/tmp`` or ``/dev/shm`` is full: they
  are size-limited tmpfs, i.e. memory) or ``ENOMEM``;
- one of the notebook's *own* import cells (a restored source cell, so never the learner's doing)
  failing for lack of memory: TensorFlow's import under a small address-space limit raises
  ``ImportError: … failed to map segment from shared object``, and without this every exercise
  would just fail with a silent 0.

**What the imports need.** How much memory an assignment's own imports need in the sandbox, measured once and cached.

``autograder grade`` checks ``--memory`` against it before grading anyone: below it, every
submission would fail in its first cell (TensorFlow's import cannot map its libraries) and get a
silent 0. The measurement runs the source notebooks' import cells (the restored cells before the
first solution cell that hold an ``import``) in the sandbox with a generous limit, then reads the
largest of two numbers:

- the Python process's peak address space (``VmPeak``), which the per-process ``RLIMIT_AS`` of
  ``--memory`` limits (TensorFlow maps ~1.8 GB of which it touches ~0.8 GB);
- the sandbox cgroup's peak memory (processes and tmpfs), where the ``memory`` controller is used.

The cells run as a submission's would: forked from a template (:mod:`autograder.sandbox.template`) that
imported the heavy modules first, where templates are used. The template's own peak address space
and resident memory then count too (a fresh process would have held them itself), and the
template stays for grading, so the imports are paid once.

The result is cached in ``.autograder/import-memory.json`` under a key made of those cells' code
and the Python environment (interpreter, prefix, installed distributions and versions), so a
changed notebook or an upgraded TensorFlow is measured again.
"""

from __future__ import annotations

import ast
import errno
import hashlib
import json
import os
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from autograder.contract.cells import is_skipped, is_solution, is_test
from autograder.contract.limits import Limits
from autograder.contract.program import ProgramCell
from autograder.contract.results import Issue
from autograder.intake import python_source
from autograder.intake.assemble import build
from autograder.sandbox import events, template
from autograder.sandbox.channel import RunResult

#: What the C library, the dynamic loader and Python print when memory runs out.
OUT_OF_MEMORY_WORDS = (b"failed to map segment", b"Cannot allocate memory", b"MemoryError",
                       b"bad_alloc", b"out of memory")


def is_import_cell(code: str) -> bool:
    """True when ``code`` has an ``import`` statement at its top level."""
    try:
        tree = python_source.parse(code)
    except SyntaxError:
        return False
    return any(isinstance(node, ast.Import | ast.ImportFrom) for node in tree.body)


def imports_message(memory_mb: int, detail: str = "") -> str:
    return (f"the notebook's imports ran out of memory{detail}; raise --memory "
            f"(now {memory_mb} MB)")


def run_issues(run: RunResult, cells: list[ProgramCell], limits: Limits) -> list[Issue]:
    """The memory issues of ``run`` (the program ``cells`` it ran, under ``limits``)."""
    issues = []
    output = run.stdout + run.stderr
    for event in run.events:
        i = event.get("i")
        if event.get("ev") != events.CELL_END or not event.get("error") or type(i) is not int \
                or not 0 <= i < len(cells):
            continue
        cell, error = cells[i], str(event["error"])
        if event.get("errno") == errno.ENOSPC:
            issues.append(Issue("memory", (
                f"{cell.label} filled its scratch space: the home folder, /tmp and /dev/shm hold "
                f"{limits.scratch_mb} MB each, kept in memory and counted in --memory "
                f"({limits.memory_mb} MB)")))
        elif event.get("errno") == errno.ENOMEM:
            issues.append(Issue("memory", f"{cell.label} ran out of memory (--memory "
                                          f"{limits.memory_mb} MB)"))
        elif cell.origin == "source" and is_import_cell(cell.code) and (
                error == "MemoryError"
                or error in ("ImportError", "OSError") and any(w in output for w in OUT_OF_MEMORY_WORDS)):
            issues.append(Issue("memory", imports_message(limits.memory_mb,
                                                          f" ({cell.label}: {error})")))
    if run.finished and run.oom_kills:
        issues.append(Issue("memory", (
            f"{run.oom_kills} of the notebook's processes were killed: together they went over "
            f"--memory ({limits.memory_mb} MB)")))
    return issues


CACHE = Path(".autograder") / "import-memory.json"
#: The limit the measurement itself runs under (MB): far above any notebook's imports.
MEASURE_MB = 16384
#: Added to the measured need before comparing with --memory: the first cells after the imports
#: (loading the data, defining functions) need a little more.
MARGIN = 0.10
MARGIN_MIN_MB = 128
#: Printed by the probe cell after the imports; never printed by a notebook by chance.
MARKER = "autograder-import-memory-vmpeak-kb:"
PROBE = f"""\
def _kb(pid, field):
    for _line in open(f"/proc/{{pid}}/status"):
        if _line.startswith(field + ":"):
            return int(_line.split()[1])
_peak, _template = _kb("self", "VmPeak"), 0
import os as _os
if _os.getpid() != 1:  # forked from a template: what it imported counts too
    _peak, _template = max(_peak, _kb(1, "VmPeak")), _kb(1, "VmRSS")
print("{MARKER}" + str(_peak) + " " + str(_template))
"""


class MeasureError(RuntimeError):
    """The import cells could not be run to be measured (the message says why)."""


def import_cells(source_nb) -> list[str]:
    """The code of ``source_nb``'s import cells: the cells the grader restores (neither solution,
    test nor skipped) before the first solution cell, that hold an ``import``."""
    cells = []
    for cell in source_nb.cells:
        if cell.get("cell_type") != "code":
            continue
        if is_solution(cell):
            break
        if not is_test(cell) and not is_skipped(cell) and is_import_cell(str(cell.source)):
            cells.append(str(cell.source))
    return cells


def environment_key() -> str:
    """Changes when the Python environment the sandbox imports from changes."""
    dists = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    return json.dumps([sys.version, sys.prefix, sys.executable, dists])


def need_mb(sources: dict, root: Path, folder: str = "work", places: dict | None = None,
            templates: bool = True) -> int:
    """MB the import cells of ``sources`` (source notebooks by file name) need in the sandbox:
    the most any one notebook's need; cached under ``root``. ``folder`` and ``places`` are the
    grading runs' (:func:`autograder.sandbox.runner.run_program`), so that the template made for the
    measurement is the one grading uses (``templates``: whether grading uses them, see
    :attr:`autograder.contract.limits.Limits.template`). Raises :class:`MeasureError`."""
    key = hashlib.sha256(environment_key().encode())
    for name in sorted(sources):
        key.update(json.dumps([name, import_cells(sources[name])]).encode())
    cache_file = Path(root) / CACHE
    cache = _read(cache_file)
    if key.hexdigest() not in cache:
        cache[key.hexdigest()] = max([measure(import_cells(nb), name, preload(nb), folder, places,
                                              templates)
                                      for name, nb in sources.items()] or [0])
        _write(cache_file, cache)
    return int(cache[key.hexdigest()])


def preload(source_nb) -> tuple[str, ...]:
    """What a template pre-imports for ``source_nb``'s submissions (as grading computes it)."""
    return template.preload_modules(build(source_nb, source_nb, set()).cells)


def measure(cells: list[str], notebook_name: str, modules: tuple[str, ...] = (),
            folder: str = "work", places: dict | None = None, templates: bool = True) -> int:
    """MB that running ``cells`` takes in the sandbox (see the module docstring); ``modules``:
    what a template pre-imports for them."""
    if not cells:
        return 0
    job = {"cells": [{"i": i, "code": code} for i, code in enumerate([*cells, PROBE])],
           "calls": [], "activations": {}, "preload": list(modules)}
    limits = Limits(memory_mb=MEASURE_MB, cell_timeout=300, startup_timeout=300,
                            submission_timeout=600, template=templates)
    run = template.run(job, limits, notebook_name, folder, **(places or {}))
    failed = [e for e in run.events if e.get("ev") == events.CELL_END and e.get("error")]
    peaks = [[int(n) for n in line.split(MARKER)[1].split()]
             for line in run.stdout.decode("utf-8", "replace").splitlines()
             if line.startswith(MARKER) and line.split(MARKER)[1].replace(" ", "").isdigit()]
    if failed or not peaks:
        tail = " / ".join(run.stderr.decode("utf-8", "replace").strip().splitlines()[-3:])
        raise MeasureError(f"the import cells of {notebook_name} did not run in the sandbox "
                           f"(error: {failed[0]['error'] if failed else 'none'}; {tail})")
    peak_kb, template_kb = peaks[0][0], peaks[0][-1] if len(peaks[0]) > 1 else 0
    return max(peak_kb // 1024, ((run.memory_peak or 0) // 1024 + template_kb) // 1024)


def required_mb(need: int) -> int:
    """The least ``--memory`` accepted for imports that need ``need`` MB."""
    return need + max(MARGIN_MIN_MB, int(need * MARGIN))


def check(sources: dict, root: Path, memory_mb: int, folder: str = "work",
          places: dict | None = None, templates: bool = True) -> str | None:
    """``None`` when ``memory_mb`` is enough for the imports of ``sources``, else why not
    (``folder``, ``places``, ``templates``: see :func:`need_mb`)."""
    need = need_mb(sources, root, folder, places, templates)
    if memory_mb >= required_mb(need):
        return None
    return (f"--memory {memory_mb} MB is too low: the notebook's imports need about "
            f"{need / 1024:.1f} GB in the sandbox (measured), so every submission would fail in "
            f"its first cell; use --memory {required_mb(need)} or more")


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(data, f, indent=1)
    os.replace(tmp, path)
