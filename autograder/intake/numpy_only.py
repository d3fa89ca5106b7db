"""The static half of the NumPy-only rule: does a solution cell's code use TensorFlow, Keras or the
reference solutions?

A NumPy-only exercise's cell earns nothing when its code

- imports ``tensorflow``, ``keras``, ``tf_keras`` or ``course_utils.reference`` (anywhere in it);
- imports modules dynamically (``__import__``, ``importlib``, ``sys.modules``): a way around the
  first rule that honest NumPy code never needs;
- reads a *global* name that some cell of the notebook binds, at module level, to one of those
  modules or to something imported from them (``tf``, ``keras``, ``from keras import layers``).

Names are resolved per scope with :mod:`symtable` (Python's own scoping rules): a parameter,
a local variable, a comprehension variable or a closure variable named ``layers`` is not the
global ``layers`` that ``from keras import layers`` bound in another cell, so ``def
sequential(x, layers)`` is fine. Cells are parsed as IPython would run them (magics become
calls). The run-time half of the rule — no TensorFlow code may run during the call — is watched
in the sandbox (:mod:`autograder.sandbox.child`).
"""

from __future__ import annotations

import ast
import symtable
from collections import defaultdict

from IPython.core.inputtransformer2 import TransformerManager

from autograder.intake import python_source

FORBIDDEN_IMPORTS = ("tensorflow", "keras", "tf_keras", "course_utils.reference")
#: Global names that are TensorFlow or Keras by the notebooks' convention, even before an import.
CONVENTIONAL = frozenset({"tf", "keras"})
_DYNAMIC_NAMES = frozenset({"__import__", "import_module", "importlib"})
_SCOPES = {ast.ListComp: "listcomp", ast.SetComp: "setcomp", ast.DictComp: "dictcomp",
           ast.GeneratorExp: "genexpr", ast.Lambda: "lambda"}


def parse_cell(code: str) -> ast.Module | None:
    """The cell's code as IPython runs it (magics and shell escapes turned into calls); ``None``
    when it is not valid Python."""
    try:
        return python_source.parse(TransformerManager().transform_cell(code))
    except (SyntaxError, ValueError):
        return None


def imports(node: ast.AST):
    """``(module, bound name)`` for each name an import statement binds."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name, alias.asname or alias.name.split(".")[0]
    elif isinstance(node, ast.ImportFrom) and node.module:
        for alias in node.names:
            yield f"{node.module}.{alias.name}", alias.asname or alias.name


def _module_level(tree: ast.Module):
    """The statements run at module level: not inside a function, lambda or class body."""
    todo = list(tree.body)
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            todo.extend(ast.iter_child_nodes(node))


def global_aliases(*notebooks) -> set[str]:
    """Global names bound to TensorFlow, Keras or the reference module by any code cell's
    module-level imports (an import inside a function binds a local name, not these)."""
    names = set(CONVENTIONAL)
    for nb in notebooks:
        for cell in nb.cells:
            if cell.get("cell_type") != "code":
                continue
            tree = parse_cell(str(cell.get("source", "")))
            if tree is None:
                continue
            for node in _module_level(tree):
                for module, bound in imports(node):
                    if module.startswith(FORBIDDEN_IMPORTS):
                        names.add(bound)
    return names


def forbidden_use(code: str, aliases: set[str]) -> str | None:
    """How ``code`` uses TensorFlow/Keras/the reference solutions (a phrase for the feedback:
    "imports keras", ...), or ``None``. ``aliases``: see :func:`global_aliases`."""
    tree = parse_cell(code)
    if tree is None:
        return None
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        for module, _ in imports(node):
            if module.startswith(FORBIDDEN_IMPORTS):
                return f"imports {module}"
            if module.split(".")[0] == "importlib":
                return "imports modules dynamically (importlib)"
        dynamic = _dynamic_import(node, parents.get(node))
        if dynamic:
            return f"imports modules dynamically ({dynamic})"
    reads = _global_reads(tree, aliases)
    return f"uses {reads[0]} (TensorFlow/Keras or the reference solutions)" if reads else None


def _dynamic_import(node: ast.AST, parent: ast.AST | None) -> str | None:
    """A way of getting a module object by a computed name. Reading ``sys.modules``'s *names*
    (``for name in sys.modules``, ``"x" in sys.modules``) gets no module and is allowed; taking a
    module out of it (``sys.modules[...]``, ``.get``, ``.values()``, ``.items()``, ...) is not."""
    if isinstance(node, ast.Name) and node.id in _DYNAMIC_NAMES:
        return node.id
    if isinstance(node, ast.Attribute):
        if node.attr in ("__import__", "import_module"):
            return node.attr
        if node.attr == "modules" and isinstance(node.value, ast.Name) and node.value.id == "sys":
            takes = isinstance(parent, ast.Subscript) or (
                isinstance(parent, ast.Attribute) and parent.attr not in ("keys", "__contains__"))
            return "sys.modules" if takes else None
    return None


def _global_reads(tree: ast.Module, aliases: set[str]) -> list[str]:
    """The names of ``aliases`` that ``tree`` reads where they resolve to the global scope."""
    # Symbol tables are built from text: unparse once and walk the AST of that same text, so
    # that every scope's (name, line) matches its table.
    text = ast.unparse(tree)
    try:
        top = python_source.symbol_table(text)
    except SyntaxError:  # e.g. `nonlocal` at module level: the cell fails when it runs anyway
        return []
    tables = _tables_by_position(top)
    seen: dict[tuple, int] = defaultdict(int)
    found: list[str] = []

    def visit(node: ast.AST, scopes: tuple) -> None:
        key = _scope_key(node)
        if key is not None:
            candidates = tables.get(key, [])
            # An unmatched scope (never expected) resolves like its enclosing one.
            if seen[key] < len(candidates):
                scopes = (candidates[seen[key]], *scopes)
            seen[key] += 1
        if isinstance(node, ast.Name) and node.id in aliases and isinstance(node.ctx, ast.Load):
            if _resolves_to_global(scopes, node.id):
                found.append(node.id)
        for child in ast.iter_child_nodes(node):
            visit(child, scopes)

    for statement in python_source.parse(text).body:
        visit(statement, (top,))
    return found


def _scope_key(node: ast.AST) -> tuple | None:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.name, node.lineno
    kind = _SCOPES.get(type(node))
    return (kind, node.lineno) if kind else None


def _tables_by_position(table: symtable.SymbolTable) -> dict[tuple, list]:
    out: dict[tuple, list] = defaultdict(list)
    for child in table.get_children():
        out[(child.get_name(), child.get_lineno())].append(child)
        for key, found in _tables_by_position(child).items():
            out[key].extend(found)
    return out


def _resolves_to_global(scopes: tuple, name: str) -> bool:
    """Whether ``name`` read in the innermost of ``scopes`` (innermost first) is the global one.
    A scope that does not know the name at all (e.g. a comprehension's first iterable, evaluated
    outside it) defers to the scope around it."""
    for table in scopes:
        if table.get_type() == "module":
            return True
        try:
            symbol = table.lookup(name)
        except KeyError:
            continue
        return symbol.is_global()
    return True
