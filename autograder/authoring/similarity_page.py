"""The similarity report on disk: ``similarity/<assignment>/`` holds

- ``index.html``: the flagged pairs and the next most alike (at most :data:`LISTED` rows), each
  linked to its page, and the learners whose notebooks could not be read;
- ``pair-NNN.html``: two learners' cells side by side, the shared passages highlighted;
- ``similarity.csv``: every pair that shares anything (for a spreadsheet), highest score first.

Every page is one self-contained file (its style inline, nothing fetched), with the learners'
code escaped.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import jinja2
import numpy as np
from copydetect.utils import highlight_overlap
from markupsafe import Markup

from autograder.authoring.similarity import Pair, Passage, SimilarityReport
from autograder.records.atomic import atomic_write

#: Pairs listed in index.html (every flagged one, then the most alike of the rest up to this).
LISTED = 25
CSV_COLUMNS = ["student_a", "student_b", "score", "share_of_a_in_b", "share_of_b_in_a",
               "shared_characters", "exercises", "flagged"]


@dataclass(frozen=True)
class ShownPassage:
    exercise: str
    html_a: Markup
    html_b: Markup


def _template() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    text = files("autograder").joinpath("templates/similarity.html.j2").read_text(encoding="utf-8")
    return env.from_string(text)


def _pct(x: float) -> str:
    return f"{100 * x:.0f} %"


def highlighted(code: str, slices: tuple[tuple[int, int], ...]) -> Markup:
    """``code`` escaped for HTML, each ``(start, end)`` slice in ``<mark>``."""
    if not slices:
        return Markup.escape(code)
    array = np.array(slices).T
    text, _ = highlight_overlap(code, array, "<mark>", "</mark>", escape_html=True)
    return Markup(text)


def shown(p: Passage) -> ShownPassage:
    return ShownPassage(p.exercise, highlighted(p.code_a, p.slices_a), highlighted(p.code_b, p.slices_b))


def listed_pairs(report: SimilarityReport) -> list[Pair]:
    flagged = list(report.flagged)
    rest = [p for p in report.pairs if not p.flagged]
    return flagged + rest[:max(0, LISTED - len(flagged))]


def write_report(report: SimilarityReport, folder: Path) -> Path:
    """Write the pages and the CSV into ``folder`` (made if needed); return index.html's path.
    Pages of an earlier run that this run does not list are removed, so no stale pair remains."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    template = _template()
    listed = [(p, f"pair-{k:03d}.html") for k, p in enumerate(listed_pairs(report), 1)]
    for old in folder.glob("pair-*.html"):
        if old.name not in {page for _, page in listed}:
            old.unlink()
    for pair, page in listed:
        with atomic_write(folder / page) as f:
            f.write(template.render(r=report, pair=pair, passages=[shown(p) for p in pair.passages],
                                    pct=_pct, listed=listed))
    with atomic_write(folder / "similarity.csv", newline="") as f:
        out = csv.writer(f)
        out.writerow(CSV_COLUMNS)
        for p in report.pairs:
            out.writerow([p.a, p.b, f"{p.score:.4f}", f"{p.similarity_a:.4f}", f"{p.similarity_b:.4f}",
                          p.shared, " ".join(x.exercise for x in p.passages),
                          "yes" if p.flagged else "no"])
    index = folder / "index.html"
    with atomic_write(index) as f:
        f.write(template.render(r=report, pair=None, passages=[], pct=_pct, listed=listed))
    return index
