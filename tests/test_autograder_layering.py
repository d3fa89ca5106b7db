"""The grader's stages import one another in one direction only (docs/conventions.md's table):
what each stage may import is written here once, and any other import, or a cycle, fails."""

from __future__ import annotations

import ast
from collections import defaultdict

from conftest import ROOT

PACKAGE = ROOT / "autograder"
#: Stage -> the other parts of ``autograder`` it may import (``config``: the nbgrader settings).
ALLOWED = {
    "contract": set(),
    "records": {"contract", "config"},
    "intake": {"contract", "records"},
    "sandbox": {"contract", "intake"},
    "cases": {"contract", "sandbox"},
    # authoring: a solution cell as released (an untouched one is "not attempted", not wrong)
    "grading": {"contract", "intake", "sandbox", "records", "cases", "config", "authoring"},
    "authoring": {"contract", "intake", "records", "config"},
}


def stage_imports() -> dict[str, dict[str, list[str]]]:
    """``{stage: {imported part: [files importing it]}}`` over every module of every stage."""
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in sorted(PACKAGE.rglob("*.py")):
        stage = path.relative_to(PACKAGE).parts[0]
        if stage not in ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module] if isinstance(node, ast.ImportFrom) and node.module and \
                node.level == 0 else [a.name for a in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                parts = name.split(".")
                if parts[0] == "autograder" and len(parts) > 1 and parts[1] != stage:
                    found[stage][parts[1]].append(str(path.relative_to(ROOT)))
    return found


def test_every_stage_imports_only_what_the_table_allows():
    wrong = {f"{stage} imports {part} ({', '.join(sorted(set(files)))})"
             for stage, parts in stage_imports().items()
             for part, files in parts.items() if part not in ALLOWED[stage]}
    assert not wrong, sorted(wrong)


def test_the_allowed_imports_have_no_cycle():
    order: list[str] = []

    def visit(stage: str, path: tuple[str, ...]) -> None:
        assert stage not in path, " -> ".join((*path, stage))
        for dep in sorted(ALLOWED.get(stage, set()) & set(ALLOWED)):
            visit(dep, (*path, stage))
        if stage not in order:
            order.append(stage)

    for stage in ALLOWED:
        visit(stage, ())
    assert order.index("contract") == 0


def test_the_conventions_table_says_the_same():
    """Each stage's row in docs/conventions.md names exactly the stages it may import."""
    text = (ROOT / "docs" / "conventions.md").read_text(encoding="utf-8")
    for stage, allowed in ALLOWED.items():
        if stage == "cases":
            continue  # its row names the codec file, not a stage list
        row = next(line for line in text.splitlines() if line.startswith(f"| `{stage}/` |"))
        last = row.rstrip(" |").rsplit("|", 1)[1]
        named = {part for part in ALLOWED if f"`{part}`" in last} | (
            {"config"} if "`config`" in last else set())
        assert named == allowed, (stage, last)
