"""The time and memory limits of one submission's learner code (every stage reads them: the
command line, the sandbox, the journal key, the report)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Time (seconds) and memory (MB) limits of one submission's learner code."""

    cell_timeout: float = 60.0
    call_timeout: float = 20.0
    submission_timeout: float = 300.0
    startup_timeout: float = 60.0
    memory_mb: int = 4096
    file_mb: int = 64
    scratch_mb: int = 256
    #: Processes and threads (TensorFlow starts dozens); enforced where cgroups allow.
    max_pids: int = 512
    #: The hard limit is the soft limit plus this grace (for the interrupt to take effect).
    grace: float = 5.0
    #: Fork each run's process from a sandbox that imported the notebook's libraries once
    #: (:mod:`autograder.sandbox.template`; under bubblewrap only) instead of starting Python afresh.
    template: bool = True
