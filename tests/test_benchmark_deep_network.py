"""The week-4 benchmark script runs, and its two versions agree (it asserts the fused pass's
gradients equal the blocks' before timing; a broken fused version would make the table a lie)."""

from __future__ import annotations

import runpy

from conftest import ROOT


def test_deep_network_benchmark_runs_and_prints_its_table(capsys):
    module = runpy.run_path(str(ROOT / "benchmarks" / "deep_network.py"))
    assert module["main"](["--repeat", "3", "--m", "50"]) == 0
    out = capsys.readouterr().out
    assert "ratio blocks / fused:" in out and "m = 50" in out
