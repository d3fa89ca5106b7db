"""Numbers in prose, checked against the run (docs/conventions.md, "Numbers in prose").

A markdown cell that quotes a number a notebook computes carries the claim in its metadata::

    "claims": [{"quote": "0.013", "value": "round(by_units[0.0][4, 1], 3)"}]

``quote`` must appear in the cell's markdown; ``value`` is a Python expression evaluated in the
executed kernel's namespace, after the last cell; ``format`` (optional) is a format spec applied to
the value (``"{:.1%}"`` style without the braces: ``".1%"``). The claim holds when the value,
formatted (``format(value, spec)``, or ``str(value)`` without a spec), is exactly the quote.

The claims are evaluated in the execution the suite already makes: :func:`conftest.execute_notebook`
appends :func:`evaluation_cell` to the notebook, runs it with the rest, removes it again (so cell
indices and printed text are unchanged) and keeps what it found in
``nb.metadata["claims_evaluated"]``. A notebook's test module turns those into one test per claim
with :func:`test_in` (the executed notebook comes from the module's own fixture, so nothing is
executed twice).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

KEY = "claims"
EVALUATED = "claims_evaluated"
MARKER = "CLAIMS-EVALUATED "


@dataclass(frozen=True)
class Claim:
    cell: int       # index of the markdown cell that quotes it
    quote: str      # the text in the markdown
    value: str      # the expression that computes it
    format: str = ""

    @property
    def id(self) -> str:
        return f"cell{self.cell}:{self.quote}"

    def rendered(self, value) -> str:
        return format(value, self.format) if self.format else str(value)


def claims_of(nb: nbformat.NotebookNode) -> list[Claim]:
    """Every claim of ``nb``'s markdown cells, in cell order."""
    return [Claim(i, c["quote"], c["value"], c.get("format", ""))
            for i, cell in enumerate(nb.cells) if cell.cell_type == "markdown"
            for c in cell.get("metadata", {}).get(KEY, [])]


def static_problems(nb: nbformat.NotebookNode) -> list[str]:
    """Claims that cannot be right whatever the run: a quote absent from its cell's markdown, a
    claim on a code cell, a missing or unknown field."""
    problems = []
    for i, cell in enumerate(nb.cells):
        for c in cell.get("metadata", {}).get(KEY, []):
            if cell.cell_type != "markdown":
                problems.append(f"cell {i}: claims belong on markdown cells")
            elif set(c) - {"quote", "value", "format"} or not {"quote", "value"} <= set(c):
                problems.append(f"cell {i}: a claim has fields {sorted(c)}")
            elif not c["quote"] or c["quote"] not in cell.source:
                problems.append(f"cell {i}: {c['quote']!r} is not in the cell's markdown")
    return problems


def evaluation_cell(claims: list[Claim]) -> str:
    """A code cell that evaluates each claim's expression in the kernel's namespace and prints one
    line, ``MARKER <json>``: for each claim its rendered value, or the error it raised."""
    specs = [[c.value, c.format] for c in claims]
    return f"""def _claims_evaluate(specs):
    import json
    found = []
    for expression, spec in specs:
        try:
            value = eval(expression, globals())
            found.append({{"value": format(value, spec) if spec else str(value)}})
        except Exception as error:  # a claim that cannot be computed fails, with the reason
            found.append({{"error": f"{{type(error).__name__}}: {{error}}"}})
    print({MARKER!r} + json.dumps(found))


_claims_evaluate({json.dumps(specs)})
del _claims_evaluate"""


def append_evaluation(nb: nbformat.NotebookNode) -> bool:
    """Append the evaluation cell to ``nb`` if it has claims; True if it did."""
    claims = claims_of(nb)
    if claims:
        nb.cells.append(nbformat.v4.new_code_cell(evaluation_cell(claims)))
    return bool(claims)


def collect(nb: nbformat.NotebookNode) -> None:
    """After execution: remove the evaluation cell and keep its findings, one per claim, in
    ``nb.metadata["claims_evaluated"]`` (``{"value": ...}`` or ``{"error": ...}``)."""
    cell = nb.cells.pop()
    text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream")
    line = next((li for li in text.splitlines() if li.startswith(MARKER)), None)
    if line is None:  # the cell itself failed: every claim fails with its error
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        reason = f"{errors[0].ename}: {errors[0].evalue}" if errors else "not evaluated"
        nb.metadata[EVALUATED] = [{"error": reason}] * len(claims_of(nb))
    else:
        nb.metadata[EVALUATED] = json.loads(line.removeprefix(MARKER))


def failures(nb: nbformat.NotebookNode) -> list[str]:
    """The claims of an executed ``nb`` that do not hold, each as a sentence."""
    claims, found = claims_of(nb), nb.metadata.get(EVALUATED)
    if claims and found is None:
        return ["the claims were not evaluated (execute with conftest.execute_notebook)"]
    wrong = static_problems(nb)
    for claim, got in zip(claims, found or []):
        if "error" in got:
            wrong.append(f"{claim.id}: {claim.value} raised {got['error']}")
        elif got["value"] != claim.quote:
            wrong.append(f"{claim.id}: the prose says {claim.quote!r}, the run gives "
                         f"{got['value']!r} ({claim.value})")
    return wrong


def _executed(value) -> nbformat.NotebookNode:
    """The executed notebook in a fixture's value: the value itself, or the first notebook of a
    tuple such as ``execute_with_results``'s ``(nb, results, seconds)``, or of a dict."""
    if isinstance(value, nbformat.NotebookNode):
        return value
    values = value.values() if isinstance(value, dict) else value
    return next(v for v in values if isinstance(v, nbformat.NotebookNode))


def test_in(notebook: Path, fixture: str):
    """The test of every claim of ``notebook``, one case per claim, for a test module whose
    ``fixture`` (module-scoped) is that notebook executed by ``execute_notebook``::

        test_numbers_in_prose_match_the_run = claims.test_in(LESSON, "executed")
    """
    claims = claims_of(nbformat.read(notebook, as_version=4))
    index = {claim.id: k for k, claim in enumerate(claims)}

    @pytest.mark.notebook
    @pytest.mark.parametrize("claim", [c.id for c in claims] or ["no claims"])
    def test(claim, request):
        nb = _executed(request.getfixturevalue(fixture))
        problems = static_problems(nb)
        assert not problems, "\n".join(problems)
        assert claim in index, f"{notebook.name} quotes no number from its run"
        k = index[claim]
        assert claims_of(nb)[k].id == claim, "the executed notebook's claims differ from the file's"
        wrong = [w for w in failures(nb) if w.startswith(claim + ":")]
        assert not wrong, "\n".join(wrong)

    test.__name__ = f"test_numbers_in_prose_of_{notebook.stem}"
    return test
