"""The grading rules' revision, and which results journaled under an older one may be wrong now.

The journal (:mod:`autograder.records.journal`) writes :data:`RULES` beside each result. A result
journaled under an older revision is kept when no rule changed since could change it, and graded
again (once: it is then journaled under :data:`RULES`) when one could (:func:`stale`), so
resuming a class graded by an older grader loses nothing graded right and keeps nothing a new
rule would grade otherwise.

Revisions:

1. (no ``rules`` in the journal) every graded notebook had to be handed in, else the whole
   submission was ``missing``; a graded call stopped at the per-call limit failed one case only.
2. each graded notebook is graded on its own (one not handed in costs its own points:
   ``incomplete``); a call stopped at the per-call limit ends its exercise (``timeout``).
"""

from __future__ import annotations

from autograder.contract.results import SubmissionResult

#: The revision of the rules this grader applies.
RULES = 2

#: How the child words a call interrupted at the per-call limit (kept in a case's message).
_CALL_TIMEOUT_TEXT = "the call took longer than"


def stale(result: SubmissionResult, revision: int) -> bool:
    """Whether ``result``, journaled under the rules' ``revision``, may be graded otherwise now."""
    if revision >= RULES:
        return False
    # Revision 1: a row missing one graded notebook of several was all "missing", and an
    # exercise with a looping call was called (and stopped) once per case.
    return result.status in ("missing", "timeout") or any(
        _CALL_TIMEOUT_TEXT in case.message
        for exercise in result.exercises.values() for case in exercise.cases)
