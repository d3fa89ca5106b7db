"""Which timed-out submissions to grade again, alone: those that were starved of CPU.

Each sandbox gets at most one core and an equal share of the machine (:mod:`autograder.cgroups`),
but a busy machine (other sandboxes, other users) can still leave a submission less CPU than its
wall-clock time limits assume. A row that timed out while its sandboxes got less than
:data:`STARVED_SHARE` of a core over their wall time is graded once more after the batch, alone.
A notebook that timed out by waiting (``time.sleep``, a blocked read) looks the same and is graded
again too: it costs one more run and gives the same result.
"""

from __future__ import annotations

from autograder.results import SubmissionResult

#: Below this much CPU time per second of wall time, a timed-out submission was starved.
STARVED_SHARE = 0.5


def starved(result: SubmissionResult) -> bool:
    """True when ``result`` (a graded row) timed out with less CPU than :data:`STARVED_SHARE`."""
    cpu, wall = result.cpu_seconds, result.seconds
    return result.status == "timeout" and cpu is not None and wall > 0 \
        and cpu < STARVED_SHARE * wall
