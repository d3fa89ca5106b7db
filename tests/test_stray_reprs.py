"""The stray-repr detector that every executed notebook goes through (``conftest.execute_notebook``).

Every lesson and assignment of weeks 1–2 is executed by a test through ``execute_notebook`` (the
week-1 labs in test_notebooks_week1_labs.py, the week-2 lessons in test_notebooks_week2.py, both
assignments in test_assignment_week1.py / test_assignment_week2.py), so none of them may show
``Generator(PCG64) at 0x…`` under its first cell, or any other accidental repr. These tests prove
the detector catches such outputs and lets the outputs lessons mean to show through.
"""

from __future__ import annotations

import nbformat
import pytest

from conftest import stray_reprs


def _notebook(*outputs) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("...")
    cell.outputs = list(outputs)
    nb.cells = [nbformat.v4.new_markdown_cell("# a lesson"), cell]
    return nb


def _echo(text: str, **extra):
    return nbformat.v4.new_output("execute_result", data={"text/plain": text, **extra},
                                  execution_count=1)


@pytest.mark.parametrize("output", [
    _echo("Generator(PCG64) at 0x7F3A2C1B5E40"),                 # set_seed(...) as a last line
    _echo("<matplotlib.legend.Legend at 0x7f3a2c1b5e40>"),
    _echo("[<matplotlib.lines.Line2D at 0x7f3a2c1b5e40>]"),
    _echo("<Axes: xlabel='$x$', ylabel='$y$'>"),
    _echo("(<Figure size 640x480 with 1 Axes>,\n <Axes: >)"),    # plt.subplots() as a last line
    nbformat.v4.new_output("stream", name="stdout", text="model: <Sequential at 0x7f3a2c1b5e40>\n"),
], ids=["generator", "legend", "line-list", "axes", "subplots-tuple", "printed"])
def test_accidental_reprs_are_found(output):
    found = stray_reprs(_notebook(output))
    assert len(found) == 1 and found[0].startswith("cell 1: ")


@pytest.mark.parametrize("output", [
    nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=",
                                                 "text/plain": "<Figure size 640x320 with 1 Axes>"}),
    _echo("VBox(children=(FloatSlider(value=0.0),))",
          **{"application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2}}),
    _echo("array([0.0320586 , 0.08714432, 0.23688282, 0.64391426])"),
    nbformat.v4.new_output("stream", name="stdout", text="loss from logits: 100.0000\n"),
], ids=["figure", "widget", "array", "printed-number"])
def test_intended_outputs_pass(output):
    assert stray_reprs(_notebook(output)) == []
