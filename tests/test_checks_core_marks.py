"""The checks' ✔ / ✘ marks show in every font setup: they are in DejaVu Sans Mono (Debian's
monospace font, and matplotlib's copy of it), unlike the emoji ✔ / ✘ that they replace, which
showed as empty boxes in JupyterLab where no emoji font is installed (issue 22)."""

from __future__ import annotations

from pathlib import Path

import matplotlib
from matplotlib.ft2font import FT2Font

from conftest import ROOT
from course_utils.checks.core.verdict import FAIL_MARK, PASS_MARK

EMOJI_MARKS = (chr(0x2705), chr(0x274C))  # by code point: a rewrite of the names leaves them


def _dejavu_mono() -> set[int]:
    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSansMono.ttf"
    return set(FT2Font(str(font)).get_charmap())


def test_the_marks_are_in_a_plain_monospace_font():
    charmap = _dejavu_mono()
    assert {ord(PASS_MARK), ord(FAIL_MARK)} <= charmap
    assert not {ord(m) for m in EMOJI_MARKS} & charmap  # the test can tell the two apart


def test_no_lesson_or_check_prints_an_emoji_mark():
    places = [ROOT / "course_utils", ROOT / "notebooks", ROOT / "autograder"]
    found = [p.relative_to(ROOT).as_posix() for place in places for p in place.rglob("*")
             if p.is_file() and p.suffix in {".py", ".ipynb", ".md", ".j2", ".js", ".html"}
             and any(m in p.read_text(encoding="utf-8", errors="replace") for m in EMOJI_MARKS)]
    assert found == []
