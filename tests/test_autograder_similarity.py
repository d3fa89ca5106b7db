"""``autograder similarity``: a copy is found through renaming, reordering and comments; honest
learners, short one-line answers, the starter code and the class's common idiom are not."""

from __future__ import annotations

import csv
import html
import re
import shutil

import nbformat
import pytest
import similarity_corpus as corpus

from autograder import cli
from autograder.authoring.similarity import Graded, compare_class, read_attempts, without_lines_of
from autograder.authoring.starter import starter_source
from autograder.contract.cells import is_solution
from autograder.grading.assignment import load_assignment
from conftest import ROOT

#: A student folder named to run a script in any page that shows it unescaped.
HOSTILE_ID = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def assignment():
    a = load_assignment(ROOT, corpus.ASSIGNMENT)
    return Graded(a.name, a.sources, a.released)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The corpus through the command, as an instructor runs it."""
    folder = tmp_path_factory.mktemp("similarity")
    submitted = corpus.write_class(folder)
    out = folder / "report"
    code = cli.main(["--root", str(ROOT), "similarity", corpus.ASSIGNMENT, str(submitted),
                     "--out", str(out), "--no-progress"])
    rows = list(csv.DictReader((out / "similarity.csv").open(encoding="utf-8")))
    return code, out, rows, submitted


def test_the_copy_is_flagged_and_nothing_else(run):
    code, _, rows, _ = run
    assert code == 0
    flagged = [(r["student_a"], r["student_b"]) for r in rows if r["flagged"] == "yes"]
    assert flagged == [("copier", "original")]
    top = rows[0]
    assert (top["student_a"], top["student_b"]) == ("copier", "original")
    assert float(top["score"]) > 0.9
    # Every exercise the copier changed by renaming, swapping lines or reordering functions
    # still shares code (sigmoid is a one-liner: too short to fingerprint, for everyone).
    assert top["exercises"].split() == ["initialize_zeros", "model", "optimize", "predict",
                                        "propagate"]


def test_independent_learners_stay_well_below_the_threshold(run):
    _, _, rows, _ = run
    honest = [r for r in rows if "copier" not in (r["student_a"], r["student_b"])]
    assert honest, "the four independent learners share some idiom"
    assert max(float(r["score"]) for r in honest) < 0.5  # the threshold is 0.6
    # The same-style author is the hardest honest case and is still not flagged.
    pair = next(r for r in honest if {r["student_a"], r["student_b"]} == {"original", "same_style"})
    assert pair["flagged"] == "no"


def test_blank_and_one_line_submissions_share_nothing(run):
    _, _, rows, _ = run
    named = {r["student_a"] for r in rows} | {r["student_b"] for r in rows}
    assert not {n for n in named if n.startswith(("blank_", "sigmoid_only_"))}


def test_the_starter_code_is_never_highlighted(run):
    _, out, _, _ = run
    page = (out / "pair-001.html").read_text(encoding="utf-8")
    marked = " ".join(html.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", page, re.S))
    assert "weights = np.zeros((n,))" in marked  # the copied line is
    for line in ("def initialize_zeros(n):", "The starting parameters for n features",
                 "def propagate(w, b, X, y):"):
        assert line in html.unescape(page) and line not in marked


def test_the_index_links_every_listed_pair(run):
    _, out, rows, _ = run
    index = (out / "index.html").read_text(encoding="utf-8")
    pages = re.findall(r'href="(pair-\d{3}\.html)"', index)
    assert len(pages) == len(rows) == len(set(pages))
    assert all((out / p).is_file() for p in pages)
    assert "no code was sent anywhere" in index
    assert "http" not in index.lower()  # nothing fetched: the page stands alone


def test_an_untouched_cell_and_a_given_line_are_not_the_learners(assignment):
    starter = "def f(x):\n    m = x.shape[0]\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    code = "def f(x):\n    m = x.shape[0]\n    return m * 2\n"
    blanked = without_lines_of(code, starter)
    assert len(blanked) == len(code) and blanked.strip() == "return m * 2"


def test_a_passage_most_of_the_class_wrote_is_the_common_idiom(assignment):
    """Six learners whose only answer is the same propagate: the class's idiom, no pair. Two
    learners alone with it (under MIN_COMMON holders): a pair, flagged."""
    body = corpus.SAME_STYLE["propagate"]
    cell = "def propagate(w, b, X, y):\n" + "\n".join("    " + li for li in body.splitlines())
    six = {f"s{k}": {"propagate": cell} for k in range(6)}
    assert compare_class(assignment, six).pairs == ()
    two = {"s0": {"propagate": cell}, "s1": {"propagate": cell}}
    (pair,) = compare_class(assignment, two).pairs
    assert pair.flagged and pair.score == 1.0
    # ... and not flagged when they share fewer characters than --min-shared asks for.
    assert compare_class(assignment, two, min_shared=200).flagged == ()


def test_hostile_and_broken_submissions_are_named_and_the_rest_compared(run, tmp_path, assignment):
    _, _, _, submitted = run
    copy = tmp_path / "submitted"
    shutil.copytree(submitted, copy, symlinks=True)
    broken = copy / "broken" / corpus.ASSIGNMENT
    broken.mkdir(parents=True)
    (broken / corpus.SOURCE.name).write_text("{not json", encoding="utf-8")
    linked = copy / "linked" / corpus.ASSIGNMENT
    linked.mkdir(parents=True)
    (linked / corpus.SOURCE.name).symlink_to(copy / "original" / corpus.ASSIGNMENT / corpus.SOURCE.name)
    script = copy / HOSTILE_ID / corpus.ASSIGNMENT
    shutil.copytree(copy / "copier" / corpus.ASSIGNMENT, script)
    attempts, unread = read_attempts(assignment, copy)
    why = {u.student: u.why for u in unread}
    assert "not valid JSON" in why["broken"]
    assert "link" in why["linked"]
    out = tmp_path / "report"
    assert cli.main(["--root", str(ROOT), "similarity", corpus.ASSIGNMENT, str(copy), "--out",
                     str(out), "--no-progress"]) == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert HOSTILE_ID not in index and html.escape(HOSTILE_ID, quote=False) in index
    assert "broken" in index and "linked" in index  # "Not compared", with the reason
    flagged = {(r["student_a"], r["student_b"]) for r in
               csv.DictReader((out / "similarity.csv").open(encoding="utf-8")) if r["flagged"] == "yes"}
    assert flagged == {("copier", "original"), (HOSTILE_ID, "copier"), (HOSTILE_ID, "original")}


def test_a_rerun_leaves_no_page_of_a_pair_it_no_longer_lists(run, tmp_path):
    _, out, rows, submitted = run
    again = tmp_path / "again"
    shutil.copytree(out, again)
    (again / "pair-999.html").write_text("stale", encoding="utf-8")
    only_two = tmp_path / "submitted"
    for name in ("original", "copier"):
        shutil.copytree(submitted / name, only_two / name)
    assert cli.main(["--root", str(ROOT), "similarity", corpus.ASSIGNMENT, str(only_two),
                     "--out", str(again), "--no-progress"]) == 0
    assert sorted(p.name for p in again.glob("pair-*.html")) == ["pair-001.html"]


@pytest.mark.parametrize("argv, says", [
    (["--threshold", "1.5"], "--threshold 1.5 is not a share"),
    (["--common-share", "0"], "--common-share 0.0 is not a share"),
    (["--min-shared", "-3"], "--min-shared -3 is negative"),
])
def test_bad_options_are_refused_with_the_fix(run, capsys, argv, says):
    _, _, _, submitted = run
    assert cli.main(["--root", str(ROOT), "similarity", corpus.ASSIGNMENT, str(submitted),
                     *argv]) == 2
    assert says in capsys.readouterr().err


def test_a_wrong_folder_or_assignment_is_refused(tmp_path, capsys):
    assert cli.main(["--root", str(ROOT), "similarity", corpus.ASSIGNMENT, str(tmp_path / "nope")]) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert cli.main(["--root", str(ROOT), "similarity", "week9", str(tmp_path)]) == 2
    assert "assignments that can be graded here" in capsys.readouterr().err


def test_the_corpus_notebooks_are_what_a_learner_hands_in():
    """The corpus is built from the released cells: no solution markers, every answered cell
    without the stub, an unanswered cell exactly as released."""
    source = nbformat.read(corpus.SOURCE, as_version=4)
    nb = corpus.answered(source, corpus.COPIER)
    cells = [c.source for c in nb.cells if is_solution(c)]
    assert len(cells) == len(corpus.COPIER)
    assert not any("### BEGIN SOLUTION" in c or "NotImplementedError" in c for c in cells)
    assert "cutoff(P[k])" in "\n".join(cells)
    blank = corpus.answered(source, {})
    assert [c.source for c in blank.cells if is_solution(c)] == [
        starter_source(c) for c in source.cells if is_solution(c)]
