"""Store notebooks clean: outputs, execution counts and editor state removed, nbgrader kept.

Instructors author notebooks in Jupyter, which saves outputs and editor metadata; the course stores
notebooks without them (small diffs, no stale outputs, learners start fresh). This uses nbconvert's
own preprocessors, configured to keep what grading and teaching rely on: each cell's ``nbgrader``
metadata, its ``tags`` (``raises-exception``, ``autograder:skip``) and the notebook's kernelspec.

Usage: ``python -m autograder.authoring.clean notebooks/`` (files or folders; ``--check`` only reports).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearMetadataPreprocessor, ClearOutputPreprocessor

#: Cell metadata that must survive cleaning (nbgrader's markup, tags read by tests and the grader,
#: the numbers a markdown cell quotes (tests/claims.py), a worked answer's collapsed input).
KEEP_CELL_METADATA = {"nbgrader", "tags", "editable", "deletable", "claims", ("jupyter", "source_hidden")}
#: Notebook metadata that must survive cleaning.
KEEP_NOTEBOOK_METADATA = {"kernelspec", "language_info"}


def clean_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return ``nb`` with outputs and editor state removed, nbgrader metadata and tags kept."""
    resources: dict = {}
    nb, resources = ClearOutputPreprocessor().preprocess(nb, resources)
    nb, resources = ClearMetadataPreprocessor(
        preserve_cell_metadata_mask=KEEP_CELL_METADATA,
        preserve_nb_metadata_mask=KEEP_NOTEBOOK_METADATA,
    ).preprocess(nb, resources)
    return nb


def is_clean(nb: nbformat.NotebookNode) -> bool:
    """True when cleaning would change nothing."""
    import copy

    return clean_notebook(copy.deepcopy(nb)) == nb


def _notebooks(paths: list[Path]):
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        else:
            yield path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.authoring.clean", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path, help="notebooks or folders of notebooks")
    parser.add_argument("--check", action="store_true", help="report unclean notebooks, change nothing")
    args = parser.parse_args(argv)
    dirty = []
    for path in _notebooks(args.paths):
        nb = nbformat.read(path, as_version=4)
        if is_clean(nb):
            continue
        dirty.append(path)
        if not args.check:
            nbformat.write(clean_notebook(nb), path)
    verb = "need cleaning" if args.check else "cleaned"
    for path in dirty:
        print(f"{verb}: {path}")
    return 1 if (args.check and dirty) else 0


if __name__ == "__main__":
    sys.exit(main())
