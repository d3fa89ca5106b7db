"""Shared fixtures: the repository root and a notebook runner (fresh kernel, top to bottom)."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import claims
import matplotlib
import nbformat
import pytest
from kernels import notebook_client

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


#: An object's default repr, ``<matplotlib.legend.Legend at 0x7f...>``, or a NumPy generator's,
#: ``Generator(PCG64) at 0x7f...``: what a cell shows when its last line returns an object by accident.
_ADDRESS_REPR = re.compile(r"\bat 0x[0-9a-fA-F]{4,}\b|Generator\(PCG64\)")


def _only_angle_reprs(text: str) -> bool:
    """True for ``<Axes: >``, ``[<Line2D ...>]`` or ``(<Figure ...>,\n <Axes: >)``: reprs and nothing else."""
    lines = [line.strip().lstrip("[(").rstrip(",)]").strip() for line in text.strip().splitlines()]
    return bool(lines) and all(line.startswith("<") and line.endswith(">") for line in lines)


def stray_reprs(nb: nbformat.NotebookNode) -> list[str]:
    """The outputs of an executed notebook that are stray reprs, as ``"cell N: text"``.

    A stray repr is text showing an object's address or a NumPy ``Generator`` (in any printed or
    echoed output), or a cell's echoed value (``execute_result`` with only ``text/plain``) that is
    nothing but ``<...>`` reprs. Figures and widgets, which carry a richer representation next to
    their ``text/plain``, are what lessons mean to show and are not stray.
    """
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.outputs:
            if out.output_type == "stream":
                text, echoed = out.get("text", ""), False
            elif out.output_type in ("execute_result", "display_data"):
                data = out.get("data", {})
                if set(data) != {"text/plain"}:
                    continue
                text, echoed = data["text/plain"], out.output_type == "execute_result"
            else:
                continue
            if _ADDRESS_REPR.search(text) or (echoed and _only_angle_reprs(text)):
                found.append(f"cell {i}: {text.strip()[:120]}")
    return found


def execute_notebook(path: Path | str, timeout: int = 600) -> nbformat.NotebookNode:
    """Execute a notebook in a fresh ``python3`` kernel, in its own folder; return it with outputs.

    Raises ``nbclient.exceptions.CellExecutionError`` at the first failing cell (cells tagged
    ``raises-exception`` may fail). The claims of its markdown (``tests/claims.py``) are evaluated
    in the same kernel, after the last cell, into ``nb.metadata["claims_evaluated"]``. Every
    notebook the suite executes must also be free of stray reprs (see :func:`stray_reprs`): an
    ``AssertionError`` lists them.
    """
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    env_defaults = {"TF_CPP_MIN_LOG_LEVEL": "2"}
    for key, value in env_defaults.items():
        os.environ.setdefault(key, value)
    client = notebook_client(
        nb,
        timeout=timeout,
        resources={"metadata": {"path": str(path.parent)}},
    )
    # The numbers quoted in markdown (tests/claims.py) are evaluated in this same run, by one
    # cell appended here and removed again after it ran.
    has_claims = claims.append_evaluation(nb)
    client.execute()
    if has_claims:
        claims.collect(nb)
    stray = stray_reprs(nb)
    assert not stray, f"{path.name} shows stray reprs (end the line with `;` or assign it):\n" + (
        "\n".join(stray))
    return nb


@pytest.fixture
def run_notebook():
    return execute_notebook


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def assert_graded_cells_pass(nb: nbformat.NotebookNode) -> None:
    """An executed instructor notebook: no cell errored and every graded test cell printed a
    passing public check (✔) and no failing one (✘)."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.source[:80]
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            assert "\N{HEAVY CHECK MARK}" in text and "\N{HEAVY BALLOT X}" not in text, text


def assert_student_version_stops_at(nb: nbformat.NotebookNode, folder: Path, grade_id: str) -> None:
    """Execute a private copy of a released student notebook in ``folder``: exactly one cell
    fails, it is the first graded test cell (``grade_id``), and it fails with NotImplementedError."""
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.from_dict(json.loads(json.dumps(nb)))  # a private copy to fill with outputs
    client = notebook_client(nb, timeout=300,
                             resources={"metadata": {"path": str(folder)}})
    with pytest.raises(CellExecutionError):
        client.execute()
    errors = [i for i, c in enumerate(nb.cells)
              if c.cell_type == "code" and any(o.output_type == "error" for o in c.outputs)]
    assert len(errors) == 1
    nbgrader = [c.get("metadata", {}).get("nbgrader", {}) for c in nb.cells]
    first_test = next(i for i, meta in enumerate(nbgrader) if meta.get("grade"))
    assert errors[0] == first_test and nbgrader[first_test]["grade_id"] == grade_id
    (error,) = [o for o in nb.cells[first_test].outputs if o.output_type == "error"]
    assert error.ename == "NotImplementedError"


def once_per_run(tmp_path_factory, worker_id: str, name: str, build) -> dict:
    """``build(folder) -> dict`` (JSON-able) run once per test run, even when pytest-xdist spreads
    the tests that need it over several workers: the first worker builds it under a lock and
    leaves it in a JSON file the others read. Used for batches graded once (the adversarial
    classes) that many tests inspect."""
    import fcntl

    if worker_id == "master":
        return build(tmp_path_factory.mktemp(name))
    shared = tmp_path_factory.getbasetemp().parent / name
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared / "built.json"
        if done.exists():
            return json.loads(done.read_text())
        data = build(shared / "work")
        done.write_text(json.dumps(data))
        return data


# ---- "your turn" cells (week 1 lab 3's pattern: stub, instant check, one possible answer) -------

#: The body of a "your turn" stub.
STUB = "raise NotImplementedError()"


def your_turns(nb: nbformat.NotebookNode) -> list[tuple[int, int]]:
    """(stub cell, answer cell) indices of each "your turn" exercise, in order: the answer is the
    first code cell after a markdown cell starting "One possible answer"."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and STUB in cell.source:
            answer = next(j for j in range(i + 1, len(nb.cells))
                          if nb.cells[j - 1].cell_type == "markdown"
                          and nb.cells[j - 1].source.startswith("One possible answer"))
            found.append((i, answer))
    return found


def assert_your_turn_cells(nb: nbformat.NotebookNode, exercises: list[tuple[str, str]]) -> None:
    """Each of ``exercises`` (function, its check), in order: a "**Your turn:**" markdown cell, the
    stub defining the function and ending with the stub's raise, ``_ = check(function)``, the
    "One possible answer" markdown cell, the answer; every check imported in the first code cell."""
    turns = your_turns(nb)
    assert len(turns) == len(exercises)
    for (stub, answer), (func, check) in zip(turns, exercises):
        define = f"def {func}("
        assert "**Your turn:**" in nb.cells[stub - 1].source
        assert define in nb.cells[stub].source and nb.cells[stub].source.rstrip().endswith(STUB)
        # the check comes right after the stub, and the answer right after the check
        assert nb.cells[stub + 1].source == f"_ = {check}({func})"
        assert answer == stub + 3
        assert nb.cells[answer].source.startswith(define) and STUB not in nb.cells[answer].source
    imports = next(c for c in nb.cells if c.cell_type == "code").source
    assert all(check in imports for _, check in exercises)


def fill_your_turns(nb: nbformat.NotebookNode, functions: list[str]) -> nbformat.NotebookNode:
    """``nb`` with each "your turn" function (``functions``, in order) replaced by the notebook's own
    answer; what the stub cell gives before the function (such as ``sigmoid``) is kept."""
    for (stub, answer), func in zip(your_turns(nb), functions):
        given = nb.cells[stub].source.split(f"def {func}(")[0]
        nb.cells[stub].source = given + nb.cells[answer].source
    return nb


def assert_reads_as_a_lesson(nb: nbformat.NotebookNode, title: str) -> None:
    """The conventions for a lesson notebook: a markdown title starting with ``title``, a first code
    cell that applies the course style and seeds, a formula somewhere in the markdown, and every
    ``plot_*`` call explained in the markdown cell just before it."""
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith(title)
    first = next(c for c in nb.cells if c.cell_type == "code").source
    assert "use_course_style()" in first and "set_seed(" in first
    assert any("$" in c.source for c in nb.cells if c.cell_type == "markdown"), "no formula"
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and re.search(r"\bplot_\w+\(", cell.source):
            assert nb.cells[i - 1].cell_type == "markdown", f"cell {i} plots without explanation"


def assert_graded_layout(nb: nbformat.NotebookNode, assignment: str, exercises: list[str],
                         public_checks: dict[str, str]) -> dict[str, float]:
    """An instructor notebook's nbgrader markup (docs/conventions.md): one solution cell per
    exercise, in this order, starting ``def <name>(``; one locked test cell ``test_<name>`` with
    points that runs the public check (``public_checks[name]``, e.g. ``"check_softmax(softmax)"``)
    before its hidden ``assert_cases``; every other code cell tagged ``autograder:skip`` (the graded
    functions need none of them). Returns each exercise's points."""
    graded = [(c, c.get("metadata", {}).get("nbgrader", {})) for c in nb.cells]
    assert [m["grade_id"] for _, m in graded if m.get("solution")] == exercises
    assert [m["grade_id"] for _, m in graded if m.get("grade")] == [f"test_{n}" for n in exercises]
    points = {}
    for cell, meta in graded:
        if meta.get("solution"):
            assert cell.source.startswith(f"def {meta['grade_id']}(")
        elif meta.get("grade"):
            name = meta["grade_id"].removeprefix("test_")
            check = public_checks[name]
            assert f"assert {check}" in cell.source
            assert f'assert_cases("{assignment}", "{name}", {name})' in cell.source
            assert cell.source.index("### BEGIN HIDDEN TESTS") > cell.source.index(check)
            assert meta["points"] > 0 and meta["locked"]
            points[name] = meta["points"]
        elif cell.cell_type == "code" and not meta:
            assert "autograder:skip" in cell.metadata.get("tags", []), cell.source[:60]
    return points


def assert_student_stubs(nb: nbformat.NotebookNode, solution_snippets: list[str]) -> int:
    """A released student notebook: no solution, hidden test or distinctive line of a solution
    (``solution_snippets``) left, every solution cell a stub, no outputs. Returns the stubs' count."""
    text = "\n".join(cell.source for cell in nb.cells)
    for leaked in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "assert_cases",
                   *solution_snippets):
        assert leaked not in text
    stubs = 0
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            assert "# YOUR CODE HERE\n    raise NotImplementedError()" in cell.source
            stubs += 1
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    return stubs


#: What week 4's graded assignment asks learners to write: the week's lessons must not hand it out.
WEEK4_GRADED = ["initialize_parameters_deep", "linear_forward", "linear_activation_forward",
                "model_forward", "compute_cost", "linear_backward", "linear_activation_backward",
                "model_backward", "update_parameters", "model_fit"]


def assert_mistakes_told_apart(cases, mistakes) -> None:
    """An instant check's stored answers (``case.expected`` and ``case.mistakes``, as in
    ``course_utils/checks/hyperparameters.py``): over all ``cases``, no two of ``mistakes`` give the
    same answers, and none gives the right ones, so that a signature names exactly one mistake."""
    signatures = {key: tuple(case.mistakes[key] for case in cases) for key in mistakes}
    assert len(set(signatures.values())) == len(signatures)
    assert all(signature != tuple(c.expected for c in cases) for signature in signatures.values())


def assert_hands_out_no_graded_answer(nb: nbformat.NotebookNode, graded: list[str]) -> None:
    """A NumPy-only lesson's code: no import of the graded solutions (``course_utils.reference``),
    no TensorFlow or Keras, and no definition of a function the graded assignment asks for."""
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "course_utils.reference" not in source
    assert "tensorflow" not in source and "keras" not in source
    for name in graded:
        assert not re.search(rf"\bdef {name}\(", source), name


def execute_with_results(nb: nbformat.NotebookNode, name: str, folder: Path,
                         results_code: str) -> tuple[nbformat.NotebookNode, dict, float]:
    """Execute a lesson ``nb`` (read, and perhaps edited, by the caller) as ``folder/name`` with
    ``results_code`` appended as a last cell, which prints one line ``RESULTS <json>``; return the
    executed notebook, that JSON and the run's time in seconds (kernel start included)."""
    nb.cells.append(nbformat.v4.new_code_cell(results_code))
    copy = folder / name
    nbformat.write(nb, copy)
    start = time.perf_counter()
    nb = execute_notebook(copy)
    elapsed = time.perf_counter() - start
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs if o.output_type == "stream")
    line = next(li for li in text.splitlines() if li.startswith("RESULTS "))
    return nb, json.loads(line.removeprefix("RESULTS ")), elapsed


# ---- graded notebooks graded alone (before the week's other notebook is merged) ----------------
def course_holding(root: Path, notebook: Path) -> Path:
    """A course folder at ``root`` whose week folder holds only ``notebook`` (and the nbgrader
    settings): the notebook is then the whole of its week's assignment."""
    week = root / "notebooks" / notebook.parent.name
    week.mkdir(parents=True)
    shutil.copy(notebook, week / notebook.name)
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    return root


def grade_in_sandbox(root: Path, assignment: str, registry: dict, notebooks: dict) -> tuple:
    """Grade each of ``notebooks`` (learner name → notebook, saved under the instructor
    notebook's name) through the sandbox, as ``autograder grade`` would, with only the exercises
    of ``registry``. Returns ``(spec, {learner: SubmissionResult})``."""
    from autograder.contract.limits import Limits
    from autograder.grading import grade
    from autograder.grading.assignment import load_assignment
    from autograder.intake import submissions

    spec = load_assignment(root, assignment, registry=registry)
    (name,) = spec.sources  # the graded notebook's file name
    for learner, nb in notebooks.items():
        folder = root / "submitted" / learner / assignment
        folder.mkdir(parents=True)
        nbformat.write(nbformat.from_dict(json.loads(json.dumps(nb))), folder / name)
    subs = {s.student: s for s in submissions.discover(root / "submitted", assignment,
                                                        spec.sources, spec.released)}
    return spec, {learner: grade.grade_submission(spec, subs[learner], Limits())
                  for learner in notebooks}


def printed(nb: nbformat.NotebookNode) -> str:
    """Everything an executed notebook's code cells printed, in order."""
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs if o.output_type == "stream")


def markdown_text(nb) -> str:
    """All the markdown cells of ``nb``, joined: the prose a lesson's tests read."""
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
