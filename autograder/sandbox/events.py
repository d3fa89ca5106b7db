"""The names of the events on a run's result channel, defined once.

The child (:mod:`autograder.sandbox.child`, one self-contained file whose source is sent into
the sandbox) writes them with its own copy of these names; a test asserts that the names it
sends are exactly these.
"""

from __future__ import annotations

#: The harness is running and no learner code has run yet.
READY = "ready"
#: A cell starts (``i``) and ends (``i``, ``error``, ``detail``).
CELL, CELL_END = "cell", "cell_end"
#: A graded call starts (``key``) and its answer (``key``, ``result``).
CALL, RESULT = "call", "result"
#: The child asks for its next call (calls are streamed one at a time).
NEXT = "next"
#: Every cell and call is done; nothing after it is read.
DONE = "done"
#: The events the grader reads from a run's channel; any other line is dropped unparsed.
RUN_EVENTS = (READY, CELL, CELL_END, CALL, RESULT, NEXT, DONE)

#: The grader's own event, added to a run's events when it sends a call (never read from the
#: channel: it is not in :data:`RUN_EVENTS`).
SENT = "grader_sent"

#: A template server's replies on its control socket (:mod:`autograder.sandbox.template`):
#: ready (after its imports), a child forked, a child's exit, and whether the child left
#: anything behind.
FORKED, EXIT, CLEAN = "forked", "exit", "clean"
TEMPLATE_EVENTS = (READY, FORKED, EXIT, CLEAN)
