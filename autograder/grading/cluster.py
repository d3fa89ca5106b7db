"""Grade on a Dask cluster: each notebook's sandbox run goes to a worker, everything else stays here.

``autograder grade ... --scheduler tcp://HOST:8786`` calls :func:`connect`. The batch then runs as
it does locally (:mod:`autograder.grading.batch`: the journal, the gradebook, the CSV, the feedback and the
report are written by this process alone), except that :meth:`Cluster.run` stands in for
:func:`autograder.sandbox.runner.run_program`: it sends the run to a worker as plain data
(:mod:`autograder.grading.remote_run`) and waits for the answers, which are judged here.

What Dask gives, used as it is: a task whose worker dies is run again on another worker (the
scheduler's ``distributed.scheduler.allowed-failures``, 3 by default), a task that raises is
retried :data:`RETRIES` times, the dashboard shows the tasks, and worker resources
(``dask worker --resources sandbox=N``) cap the sandboxes one worker runs at once.

Only this module imports ``distributed`` (the ``cluster`` extra), and only when it is used.
"""

from __future__ import annotations

import uuid
from collections import Counter

from autograder.contract.limits import Limits
from autograder.contract.program import Program
from autograder.grading import remote_run
from autograder.sandbox import isolation
from autograder.sandbox.runner import Answers

#: Retries of a task that raised on its worker (a worker that died is the scheduler's business).
RETRIES = 2
#: The worker resource that counts sandboxes, when the workers declare it.
RESOURCE = "sandbox"
#: Seconds to wait for the scheduler to answer, and for its first worker.
CONNECT_TIMEOUT = 30


class ClusterError(RuntimeError):
    """The cluster cannot grade: unreachable, no workers, another environment, or a task lost."""


class Cluster:
    """A connected Dask client that runs sandboxes on its workers."""

    def __init__(self, client, resources: dict[str, float] | None, slots: int):
        self.client = client
        #: Dask worker resources each task asks for (None: one task per worker thread).
        self.resources = resources
        #: How many submissions the cluster grades at once (the batch keeps that many in flight).
        self.slots = slots

    @property
    def dashboard(self) -> str:
        return self.client.dashboard_link

    def isolation(self) -> str:
        """How the workers isolate learner code (:func:`autograder.sandbox.isolation.isolation_report`
        on each): every distinct report, with how many workers give it."""
        counts = Counter(self.client.run(isolation.isolation_report).values())
        return "; ".join(f"{report} ({n} worker{'' if n == 1 else 's'})"
                         for report, n in sorted(counts.items()))

    def run(self, program: Program, calls: dict[str, dict], limits: Limits,
            deadline: float, folder: str, nb_name: str, places: dict) -> Answers:
        """:func:`autograder.sandbox.runner.run_program` on a worker (same arguments, same result);
        :class:`ClusterError` when the task was lost more often than the cluster retries."""
        from distributed import KilledWorker

        data = remote_run.job(program, calls, limits, deadline, folder, nb_name, places)
        future = self.client.submit(remote_run.run_job, data, pure=False, retries=RETRIES,
                                    resources=self.resources,
                                    key=f"grade-{folder}-{uuid.uuid4().hex[:12]}")
        try:
            return remote_run.answers(future.result())
        except KilledWorker as exc:
            raise ClusterError(f"every worker that ran this submission died ({exc}); it is graded "
                               "again when the same command is run again") from None
        finally:
            future.release()

    def close(self) -> None:
        self.client.close()


def connect(address: str, timeout: float = CONNECT_TIMEOUT) -> Cluster:
    """Connect to the Dask scheduler at ``address``, wait (``timeout`` s at most each) for it and
    for a worker, and check that every worker grades with this machine's environment
    (:func:`autograder.grading.remote_run.environment`). :class:`ClusterError` naming the problem and
    its fix."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError("--scheduler needs Dask's `distributed` package: install the cluster "
                           "extra (pip install 'nn-course[cluster]') here and on the workers") from None
    try:
        client = Client(address, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"no Dask scheduler answered at {address} ({exc}): start one "
                           "(`dask scheduler`) and its workers, or fix the address") from None
    try:
        client.wait_for_workers(1, timeout=timeout)
        problem = environment_problem(client.run(remote_run.environment))
        if problem:
            raise ClusterError(problem)
        resources, slots = _capacity(client.scheduler_info(n_workers=-1)["workers"])
    except TimeoutError:
        client.close()
        raise ClusterError(f"the Dask scheduler at {address} has no worker after "
                           f"{timeout:g} s: start at least one (`dask worker {address}`)") from None
    except BaseException:
        client.close()
        raise
    return Cluster(client, resources, slots)


def environment_problem(workers: dict[str, dict[str, str]]) -> str | None:
    """Why the workers (address -> their :func:`autograder.grading.remote_run.environment`) cannot grade
    for this machine: the first worker and the first difference, and the fix; ``None`` if all agree."""
    mine = remote_run.environment()
    for address in sorted(workers):
        difference = remote_run.first_difference(mine, workers[address])
        if difference:
            return (f"worker {address} cannot grade for this machine: {difference}; install the "
                    "same versions there (the same `pip install -e '.[cluster]'` of the same "
                    "commit of the course) and start the worker again")
    return None


def _capacity(workers: dict[str, dict]) -> tuple[dict[str, float] | None, int]:
    """(the resources a task asks for, how many tasks run at once) from the scheduler's view of
    the workers: by the ``sandbox`` resource when every worker declares it, else one per thread."""
    declared = [w.get("resources", {}).get(RESOURCE) for w in workers.values()]
    if declared and all(declared):
        return {RESOURCE: 1}, int(sum(declared))
    return None, sum(w.get("nthreads", 1) for w in workers.values())
