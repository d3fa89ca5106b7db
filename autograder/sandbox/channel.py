"""The run's two directions: the call feeder (the job and then one call per request, on the
child's stdin) and the watch loop, which reads the result channel and the child's output within
the limits and kills the run when one is passed; what a run left is a :class:`RunResult`."""

from __future__ import annotations

import json
import os
import queue
import re
import select
import threading
import time
from dataclasses import dataclass, field

from autograder.contract.limits import Limits
from autograder.intake.json_depth import deeper_than
from autograder.sandbox import events

#: Bytes of learner stdout/stderr kept for the feedback (head and tail); the rest is drained.
KEEP_OUTPUT = 32 * 1024


#: Bytes the child may send on its result channel in all (more: the run is killed).
MAX_MESSAGE = 64 * 1024 * 1024


#: Longest line read from the channel; longer ones are skipped unread (and counted).
MAX_LINE = 4 * 1024 * 1024


#: Deepest JSON nesting of an event (a real one nests at most ~10 levels).
MAX_EVENT_NESTING = 32


#: The events the grader reads (:data:`autograder.sandbox.events.RUN_EVENTS`), as the bytes a line
#: is matched against; any other line on the channel is dropped unparsed.
EVENTS = tuple(name.encode() for name in events.RUN_EVENTS)




_EVENT_KIND = re.compile(rb'\{"ev": "([a-z_]{1,10})"')


@dataclass
class RunResult:
    """What one child run left: channel events, how it ended, and its (capped) output."""

    events: list[dict] = field(default_factory=list)
    returncode: int | None = None
    killed: str | None = None  # "timeout" (hard cell/call limit), "submission_timeout", "channel"
    killed_at: dict | None = None  # the last "cell" or "call" event before the kill/crash
    stdout: bytes = b""
    stderr: bytes = b""
    output_bytes: int = 0
    seconds: float = 0.0
    #: Channel lines refused: over MAX_LINE, nested deeper than MAX_EVENT_NESTING, or bad JSON.
    dropped: int = 0
    #: From the sandbox's cgroup (``None`` where that controller is not in force): CPU time (s) of
    #: all its processes, processes the OOM killer ended, the most memory (bytes) held at once.
    cpu_seconds: float | None = None
    oom_kills: int | None = None
    memory_peak: int | None = None
    #: (event, seconds since the sandbox was started) for each ``ready``, ``cell_end``,
    #: ``result`` and ``done`` the grader read: where a run's time went (see
    #: :func:`autograder.sandbox.runner.phases`).
    timeline: list[tuple[str, float]] = field(default_factory=list)
    #: Seconds spent starting the template this run was forked from, when it was started for it
    #: (:mod:`autograder.sandbox.template`): a cost per worker, not per run, outside ``seconds``.
    template_start: float = 0.0
    #: Keys of the calls stopped at the per-call limit (the child interrupted them), in order.
    timed_out: list[str] = field(default_factory=list)
    #: Key of a call never sent -> the key of its exercise's call that timed out before it.
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        return any(e.get("ev") == events.DONE for e in self.events)


class _Capped:
    """Keeps the head and tail of a stream, counts everything."""

    def __init__(self, keep: int = KEEP_OUTPUT):
        self.head = bytearray()
        self.tail = bytearray()
        self.total = 0
        self.keep = keep

    def add(self, chunk: bytes) -> None:
        self.total += len(chunk)
        room = self.keep - len(self.head)
        if room > 0:
            self.head += chunk[:room]
            chunk = chunk[room:]
        if chunk:
            self.tail = (self.tail + chunk)[-self.keep:]

    def value(self) -> bytes:
        if not self.tail:
            return bytes(self.head)
        skipped = self.total - len(self.head) - len(self.tail)
        gap = f"\n[... {skipped} bytes of output not kept ...]\n".encode() if skipped > 0 else b""
        return bytes(self.head) + gap + bytes(self.tail)


class _CallFeeder:
    """Writes to the child's stdin from a thread of its own (a child that stops reading must not
    block the grader): the harness source and job header at once, then one call per request
    (the child's ``{"ev": "next"}``). After the last call, stdin is closed (the child finishes).

    The grader records when it sent each call (a ``sent`` event of its own in the run's events):
    a result that arrives after the next call was sent is never taken (see
    :func:`autograder.sandbox.runner.collect`), so learner code that forges a request to read the next
    call's inputs early can only lose its own answer, never quote those inputs in it.
    """

    def __init__(self, stream, payload: bytes, calls: list[dict]):
        self.stream = stream
        self.calls = list(calls)
        self.count = 0
        self.sent: str | None = None  # the key of the call sent last
        #: Exercise (the key before its "/") -> the key of its call that timed out.
        self.ended: dict[str, str] = {}
        #: Calls not sent because their exercise had ended: key -> the key that ended it.
        self.skipped: dict[str, str] = {}
        self.queue: queue.SimpleQueue = queue.SimpleQueue()
        self.queue.put(payload)
        self.thread = threading.Thread(target=self._write, daemon=True)
        self.thread.start()

    def end_exercise(self, key: str) -> None:
        """The call ``key`` timed out: send no other call of its exercise (they would most
        likely loop too, each costing the whole per-call limit)."""
        self.ended.setdefault(key.split("/")[0], key)

    def request(self) -> str | None:
        """Send the next call (return its key), or close stdin after the last one (``None``)."""
        while self.count < len(self.calls) and \
                (ender := self.ended.get(self.calls[self.count]["key"].split("/")[0])):
            self.skipped[self.calls[self.count]["key"]] = ender
            self.count += 1
        if self.count >= len(self.calls):
            if self.count == len(self.calls):
                self.count += 1
                self.queue.put(None)
            return None
        call = self.calls[self.count]
        self.count += 1
        self.queue.put(json.dumps(call).encode() + b"\n")
        self.sent = call["key"]
        return call["key"]

    def stop(self) -> None:
        self.queue.put(None)
        self.thread.join(timeout=5)

    def _write(self) -> None:
        try:
            while (chunk := self.queue.get()) is not None:
                self.stream.write(chunk)
                self.stream.flush()
        except OSError:  # the child died before reading everything
            pass
        finally:
            try:
                self.stream.close()
            except OSError:
                pass


def watch(proc, payload: bytes, calls: list[dict], read_fd: int, limits: Limits, started: float,
          deadline: float) -> RunResult:
    """Feed a started run's process (``payload``, then ``calls`` one per request), read its
    channel (``read_fd``) and output within the limits, kill it when one is passed; what it left.
    ``proc``: a :class:`Started` or a :class:`autograder.sandbox.template.Forked` (stdin, stdout, stderr,
    ``poll``, ``kill``, ``wait``, ``returncode``)."""
    feeder = _CallFeeder(proc.stdin, payload, calls)
    result = RunResult()
    out, err = _Capped(), _Capped()
    streams = {proc.stdout.fileno(): out, proc.stderr.fileno(): err, read_fd: None}
    lines = _LineReader(result)
    channel_total = 0
    current: dict | None = None
    current_deadline = started + limits.startup_timeout
    try:
        while streams:
            now = time.monotonic()
            hard = min(current_deadline, deadline)
            if now >= hard:
                if not result.finished:
                    result.killed = "submission_timeout" if deadline <= current_deadline else "timeout"
                break
            ready, _, _ = select.select(list(streams), [], [], min(0.5, hard - now))
            for fd in ready:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    del streams[fd]
                    continue
                if fd != read_fd:
                    streams[fd].add(chunk)
                    continue
                channel_total += len(chunk)
                if channel_total > MAX_MESSAGE * 4:
                    result.killed = "channel"
                    break
                for line in lines.feed(chunk):
                    if result.finished:
                        break  # nothing after "done" is read
                    event = _parse(line, result)
                    if event is None:
                        continue
                    result.events.append(event)
                    kind = event.get("ev")
                    if kind in (events.READY, events.CELL_END, events.RESULT, events.DONE):
                        result.timeline.append((kind, time.monotonic() - started))
                    if kind == events.RESULT and event.get("timed_out") is True \
                            and feeder.sent is not None and event.get("key") == feeder.sent:
                        # Learner code could forge this only for its own call in progress.
                        result.timed_out.append(feeder.sent)
                        feeder.end_exercise(feeder.sent)
                    if kind == events.NEXT:
                        key = feeder.request()
                        if key is not None:
                            result.events.append({"ev": events.SENT, "key": key})
                    if kind in (events.CELL, events.CALL):
                        current = event
                        timeout = limits.cell_timeout if kind == events.CELL else limits.call_timeout
                        current_deadline = time.monotonic() + timeout + limits.grace
                    elif kind in (events.CELL_END, events.RESULT, events.READY):
                        current = None
                        current_deadline = time.monotonic() + limits.startup_timeout
                    elif kind == events.DONE:
                        # Only learner leftovers (a forked process holding a pipe) remain.
                        current = None
                        current_deadline = time.monotonic() + limits.grace
            if result.killed:
                break
            if read_fd not in streams and proc.poll() is not None:
                break
            if result.finished and proc.poll() is not None:
                break
    finally:
        if result.killed or proc.poll() is None:
            proc.kill()
        os.close(read_fd)
        for fd in list(streams):
            if fd != read_fd:
                _drain(fd, streams[fd])
        proc.wait()
        feeder.stop()
    result.killed_at = current
    result.skipped = dict(feeder.skipped)
    result.returncode = proc.returncode
    result.stdout, result.stderr = out.value(), err.value()
    result.output_bytes = out.total + err.total
    result.seconds = time.monotonic() - started
    return result


class _LineReader:
    """Splits the channel's bytes into lines, holding at most MAX_LINE bytes: the rest of a longer
    line is skipped as it arrives (counted in ``result.dropped``)."""

    def __init__(self, result: RunResult):
        self.result = result
        self.pending = bytearray()
        self.skipping = False

    def feed(self, chunk: bytes):
        start = 0
        while (end := chunk.find(b"\n", start)) >= 0:
            piece, start = chunk[start:end], end + 1
            if self.skipping:
                self.skipping = False
                continue
            if len(self.pending) + len(piece) > MAX_LINE:
                self.pending.clear()
                self.result.dropped += 1
                continue
            if self.pending:
                self.pending += piece
                piece = bytes(self.pending)
                self.pending.clear()
            yield piece
        if not self.skipping:
            self.pending += chunk[start:]
            if len(self.pending) > MAX_LINE:
                self.pending.clear()
                self.skipping = True
                self.result.dropped += 1


def _parse(line: bytes, result: RunResult) -> dict | None:
    """The event on ``line``, or None: lines that are no event the grader reads are dropped
    without parsing; too deep or unreadable ones are dropped and counted."""
    kind = _EVENT_KIND.match(line)
    if kind is None or kind.group(1) not in EVENTS:
        return None
    if deeper_than(line, MAX_EVENT_NESTING):
        result.dropped += 1
        return None
    try:
        event = json.loads(line)
    except (ValueError, RecursionError):
        result.dropped += 1
        return None
    return event if isinstance(event, dict) else None


def _drain(fd: int, sink: _Capped, seconds: float = 2.0) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return
        sink.add(chunk)
