"""Run one submission's program in the sandbox and hand back its answers, not raw events.

:func:`run_program` starts the sandbox (:mod:`autograder.sandbox`), reads the run's channel
events, and turns them into :class:`Answers`: one answer per call (the plain data the learner's
function returned, or why there is none) and the :class:`~autograder.contract.results.Issue` list of what
happened (a cell's exception, a timeout, the memory limit, a crash). When the sandbox is killed (a
cell or call over its hard time limit, the memory limit, a crash), the run is repeated without
that cell or call, as nbgrader's interrupt-and-continue would, so one bad cell costs only what it
must. Verdicts are not made here: :mod:`autograder.grading` judges the answers.
"""

from __future__ import annotations

import base64
import marshal
from dataclasses import dataclass, field

from autograder.contract.activations import ACTIVATIONS
from autograder.contract.limits import Limits
from autograder.contract.program import Program
from autograder.contract.results import Issue
from autograder.contract.untrusted import clean_text
from autograder.sandbox import channel, child, memory, template
from autograder.sandbox.events import CALL, CELL, CELL_END, DONE, READY, RESULT, SENT

#: Runs of one notebook beyond one per exercise (each run after a kill skips what was killed).
MAX_RUNS = 3


@dataclass
class Answers:
    """What a submission's run handed back: ``by_key`` maps each call's key to its answer (the
    decoded result: ``{"value": ...}``, ``{"error": ...}``; ``"grader": True`` marks the grader's
    own words), ``issues`` what happened, ``output`` the learner's capped stdout and stderr,
    ``cpu_seconds`` the CPU time of the sandboxes (None where cgroups do not measure it)."""

    by_key: dict[str, dict]
    issues: list[Issue]
    output: str
    cpu_seconds: float | None
    #: Seconds spent in each phase, summed over the runs (see :func:`phases`).
    phases: dict[str, float] = field(default_factory=dict)


#: The phases of a sandbox run, in order (see :func:`phases`).
PHASES = ("start", "first cell", "other cells", "cases", "exit")
#: Not a phase of the run: starting the template it was forked from, when that was started for
#: it (:attr:`autograder.sandbox.channel.RunResult.template_start`).
TEMPLATE_START = "template start"


def phases(timeline: list[tuple[str, float]], seconds: float) -> dict[str, float]:
    """Where one run's ``seconds`` went: ``start`` (the sandbox and Python starting, until the
    harness is ready), ``first cell`` (the notebook's imports), ``other cells``, ``cases`` (every
    graded call) and ``exit`` (from ``done`` to the process's end). A run that was killed counts
    the rest of its time in the phase it was in."""
    ready = first = cells = cases = done = None
    for kind, t in timeline:
        if kind == READY and ready is None:
            ready = t
        elif kind == CELL_END:
            first = t if first is None else first
            cells = t
        elif kind == RESULT:
            cases = t
        elif kind == DONE:
            done = t
    if done is not None:  # a phase with no event of its own (no calls, one cell) took no time
        first = first if first is not None else (ready or 0.0)
        cells = cells if cells is not None else first
        cases = cases if cases is not None else cells
    out, last, open_phase = {}, 0.0, None
    for name, mark in zip(PHASES[:4], (ready, first, cells, cases)):
        if mark is not None and open_phase is None:
            out[name], last = round(max(mark - last, 0.0), 3), mark
        else:
            out[name] = 0.0
            open_phase = open_phase or name
    # The rest: exiting after "done", else the phase the run was in when it ended (killed
    # after its last result: between two calls).
    rest = round(max(seconds - last, 0.0), 3)
    out["exit"] = rest if done is not None else 0.0
    if done is None:
        out[open_phase or "cases"] += rest
    return out


def _activation_code() -> dict[str, str]:
    return {k: base64.b64encode(marshal.dumps(f.__code__)).decode() for k, f in ACTIVATIONS.items()}


def run_program(program: Program, calls: dict[str, dict], limits: Limits, deadline: float,
                folder: str, nb_name: str, places: dict) -> Answers:
    """Run ``program`` and make ``calls`` (key -> call, in the order to make them) in the sandbox,
    again without a cell or call that was killed, until every call has an answer or the
    submission's time is up; the answers and what happened, for the code that judges them.
    ``places``: the folders to make absent in the sandbox (``course_root``, ``submissions_dir``)."""
    cpu_seconds = None
    activations = _activation_code()
    phase_seconds: dict[str, float] = {}
    preload = list(template.preload_modules(program.cells))
    answers: dict[str, dict] = {}
    issues: list[Issue] = []
    skip: set[int] = set()
    output = ""
    for _ in range(MAX_RUNS + len({c["function"] for c in calls.values()})):
        job = {
            "cells": [{"i": i, "code": c.code} for i, c in enumerate(program.cells) if i not in skip],
            "calls": [c for key, c in calls.items() if key not in answers],
            "activations": activations,
            "preload": preload,
        }
        run = template.run(job, limits, nb_name, folder=folder, deadline=deadline, **places)
        for name, spent in phases(run.timeline, run.seconds).items():
            phase_seconds[name] = round(phase_seconds.get(name, 0.0) + spent, 3)
        if run.template_start:  # a worker's one-off cost, kept apart from the run's phases
            phase_seconds[TEMPLATE_START] = round(phase_seconds.get(TEMPLATE_START, 0.0)
                                                  + run.template_start, 3)
        output = (run.stdout + run.stderr).decode("utf-8", "replace")
        if run.output_bytes > 4 * channel.KEEP_OUTPUT:
            issues.append(Issue("", f"the notebook printed {run.output_bytes / 1e6:.1f} MB of "
                                    "output; only its beginning and end were kept"))
        # The calls the feeder did not send (their exercise had timed out) were never asked.
        collect(run.events, program, limits, answers, issues,
                [c["key"] for c in job["calls"] if c["key"] not in run.skipped])
        _end_timed_out(run, limits, calls, answers, issues)
        if run.dropped:
            issues.append(Issue("", "the notebook wrote lines to the grader's result channel that "
                                    "no answer can be (too long, too deeply nested or not JSON); "
                                    "they were ignored"))
        issues += memory.run_issues(run, program.cells, limits)
        if run.cpu_seconds is not None:
            cpu_seconds = round((cpu_seconds or 0.0) + run.cpu_seconds, 2)
        if run.finished:
            break
        problem, why = _failure(run, limits)
        where = _checked(run.killed_at, len(program.cells), calls)
        if run.killed == "submission_timeout":
            issues.append(Issue("timeout", f"the submission ran longer than its limit of "
                                           f"{limits.submission_timeout:g} s"))
            break
        if where.get("ev") == CELL:
            skip.add(where["i"])
            issues.append(Issue(problem, f"{program.cells[where['i']].label} {why}; it was skipped"))
        elif where.get("ev") == CALL:
            # The rest of this exercise's cases would most likely do the same: fail them too.
            exercise = where["key"].split("/")[0]
            for key in calls:
                if key.split("/")[0] == exercise and key not in answers:
                    answers[key] = {"error": f"calling {exercise} {why}", "grader": True}
            issues.append(Issue(problem, f"calling {exercise} {why}"))
        elif not any(e.get("ev") == READY for e in run.events):
            # Learner code only runs after "ready": this is the sandbox failing to start.
            tail = run.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            issues.append(Issue("error", "the sandbox did not start: " + " / ".join(tail)))
            break
        else:
            issues.append(Issue("crashed", f"the notebook's Python process {why} between cells"))
            break
    for key in calls:
        answers.setdefault(key, {"error": "not run: the submission stopped before this call",
                                 "grader": True})
    return Answers(answers, list(dict.fromkeys(issues)), output, cpu_seconds, phase_seconds)


def _end_timed_out(run: channel.RunResult, limits: Limits, calls: dict[str, dict],
                   answers: dict[str, dict], issues: list[Issue]) -> None:
    """A call stopped at the per-call limit ends its exercise: the ``timeout`` issue naming the
    exercise, and each of its calls not answered yet (the feeder did not send them; a run killed
    later must not make them either) failed with why."""
    for key in dict.fromkeys(run.timed_out):
        if answers.get(key, {}).get("timeout") is not True:
            continue  # not the call's own answer (its result did not come back)
        exercise = key.split("/")[0]
        issues.append(Issue("timeout", f"calling {exercise} ran longer than its limit of "
                                       f"{limits.call_timeout:g} s and was interrupted; its other "
                                       "cases were failed without calling it again"))
        for other in calls:
            if other.split("/")[0] == exercise and other not in answers:
                answers[other] = {"error": f"not run: calling {exercise} on an earlier case ran "
                                           f"longer than its limit of {limits.call_timeout:g} s",
                                  "grader": True}


def _checked(event: dict | None, n_cells: int, calls: dict) -> dict:
    """The last cell/call event if it names a real cell or call (learner code can write to the
    channel too), else ``{}``."""
    event = event or {}
    if event.get("ev") == CELL and type(event.get("i")) is int and 0 <= event["i"] < n_cells:
        return event
    if event.get("ev") == CALL and isinstance(event.get("key"), str) and event["key"] in calls:
        return event
    return {}


def collect(events, program, limits, answers, issues, asked: list[str]) -> None:
    """Take the answers and cell problems out of one run's channel events.

    Learner code can write events too, so a ``result`` counts only if it is the first one for the
    call in progress. ``asked`` is in the order the harness makes the calls; a ``call`` event
    opens the next requested key (closing, unanswered, a call whose result never came, e.g. one
    the sandbox dropped as too large), and the first ``result`` for the open key closes it.
    Results for any other key, repeats, and ``call`` events for any other key are ignored (the
    sandbox already dropped everything after ``done``), and so is a result that arrives after the
    grader sent the next call (its ``sent`` event): it could quote that call's inputs. A forged
    event can thus only replace or lose the forger's own answer to the call in progress, never
    reorder or add answers.
    """
    waiting = list(reversed(asked))  # next requested key last
    current = None
    for event in events:
        kind = event.get("ev")
        if kind == CALL and waiting and event.get("key") == waiting[-1]:
            if current is not None:
                answers[current] = {"error": "its result did not come back (larger than the "
                                             f"grader accepts, {channel.MAX_LINE >> 20} MB, or not sent)",
                                    "grader": True}
            current = waiting.pop()
        elif kind == SENT and current is not None:
            # The next call's inputs are on their way: a later result could quote them.
            answers[current] = {"error": "its result did not come back before the next call",
                                "grader": True}
            current = None
        elif kind == RESULT and current is not None and event.get("key") == current:
            try:
                value = child.decode(event.get("result"))
            except Exception:  # noqa: BLE001 - anything unreadable is a failed case
                value = None
            if isinstance(value, dict):
                value.pop("grader", None)  # only the grader's own answers may carry its words
                answers[current] = value
            else:
                answers[current] = {"error": "its result could not be read back", "grader": True}
            current = None
        elif kind == CELL_END and isinstance(event.get("error"), str):
            _cell_problem(event, program, limits, issues)


def _cell_problem(event, program, limits, issues) -> None:
    i = event.get("i")
    label = program.cells[i].label if type(i) is int and 0 <= i < len(program.cells) else "a cell"
    if event["error"] == "timeout":
        issues.append(Issue("timeout", f"{label} ran longer than {limits.cell_timeout:g} s "
                                       "and was interrupted"))
    elif event["error"] == "MemoryError":
        issues.append(Issue("memory", f"{label} ran out of memory (limit {limits.memory_mb} MB)"))
    elif event["error"] != "KeyboardInterrupt":
        # A SyntaxError or an exception: what the learner would have seen in the notebook.
        detail = event.get("detail") if isinstance(event.get("detail"), str) else ""
        issues.append(Issue("", f"{label} raised "
                                f"{clean_text(detail or event['error'], child.MAX_ERROR)}"))


def _failure(run: channel.RunResult, limits) -> tuple[str, str]:
    """(status, what happened) for a run that did not finish."""
    where = (run.killed_at or {}).get("ev")
    if run.killed == "timeout":
        limit = limits.cell_timeout if where == CELL else limits.call_timeout
        if where not in (CELL, CALL):
            limit = limits.startup_timeout
        return "timeout", f"ran longer than {limit:g} s and ignored the interrupt (killed)"
    if run.killed == "channel":
        return "crashed", "sent more data than any answer needs (killed)"
    if run.oom_kills:
        # The cgroup's OOM killer sends SIGKILL: the process cannot say it ran out of memory.
        return "memory", (f"ran out of memory: the notebook's processes and files together went "
                          f"over --memory ({limits.memory_mb} MB) (killed)")
    tail = run.stderr[-4000:] + run.stdout[-4000:]
    if b"MemoryError" in tail or b"bad_alloc" in tail or b"Cannot allocate memory" in tail:
        return "memory", f"ran out of memory (limit {limits.memory_mb} MB)"
    if run.returncode is not None and run.returncode < 0:
        return "crashed", f"ended the Python process (signal {-run.returncode})"
    return "crashed", f"ended the Python process (exit code {run.returncode})"
