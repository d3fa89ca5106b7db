"""Run learner code in an isolated child process and bring back only its results, as data.

The child looks like a Jupyter kernel (``python -m ipykernel_launcher -f …/kernel-<uuid>.json``,
the bootstrap of :mod:`autograder.sandbox.child` bound over the launcher) started under bubblewrap when
it works on this machine:

- a new user, PID, network, IPC, UTS and cgroup namespace (``--unshare-all``: no network at all),
  uid 1000 inside — ``nobody`` outside when the grader is root (:mod:`autograder.sandbox.userns`) — with
  every capability dropped, a seccomp deny-list (:mod:`autograder.sandbox.seccomp`), a new session, killed
  with the grader (``--die-with-parent``);
- a file system made of read-only system folders, the parts of ``/etc`` Python needs, the Python
  installation and virtual environment, and the ``course_utils`` package with its ``reference``
  package (the solutions) and its byte code hidden; the course and submissions folders are absent wherever they live;
  the home folder, ``/tmp`` and ``/dev/shm`` are fresh size-limited tmpfs (the only writable
  places; the rest is remounted read-only);
- resource limits set before any learner code runs: address space (``--memory``), file size,
  no core dumps; one cgroup per sandbox (:mod:`autograder.sandbox.cgroups`: processes, one core, memory
  over all processes and tmpfs); per-cell and per-call soft limits (an interrupt, as nbgrader's)
  and hard limits enforced from here by killing the whole sandbox (which survives code that
  ignores signals);
- an environment that looks like a Jupyter kernel's: no variable, argument or module says
  "grading".

The job goes to the child's stdin: the harness source and a header line, then one call at a time
(:class:`_CallFeeder`), each only when the child asks for the next one.

The result channel is a pipe the harness writes one JSON event per line to: ``ready``, then per
cell ``cell``/``cell_end``, per graded call ``call``/``result``, then ``done``. Learner code runs in
the same process and can find and write to that pipe too, so :func:`watch` trusts no line: a line
longer than :data:`MAX_LINE` (the largest legitimate result is ~14 KB) is skipped as it arrives,
never held whole; a line that is not one of those events is dropped unparsed; an event nested
deeper than :data:`MAX_EVENT_NESTING` is rejected before ``json.loads`` (no recursion); nothing
after the first ``done`` is read. ``RunResult.dropped`` counts the lines refused for size, depth
or bad JSON. Which ``result`` counts is decided by ``autograder.sandbox.runner.collect``:
exactly one per requested key, in order, the first for the key of the call in progress.

Without bubblewrap it degrades (see :func:`isolation_level`): ``unshare`` for no network if user
namespaces work, else only the resource and time limits, a scratch working folder and a clean
environment — learner code could then read files the grader's user can read.
"""
