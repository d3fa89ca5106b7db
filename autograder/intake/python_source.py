"""Parse Python source from the grader's threads, one parse at a time.

CPython before 3.11.8 / 3.12.1 keeps the AST converter's recursion depth in process-wide state, so
two threads that parse at the same moment can fail with "SystemError: AST constructor recursion
depth mismatch" (CPython issue gh-106905). ``autograder grade`` judges submissions in a thread
pool, and reading a submission parses its cells (the NumPy-only rule, the restored program, the
memory diagnosis): seen here as a random "internal grader error" on a released stub. Every parse
in the grader goes through this module's lock; parsing is a tiny part of grading, so nothing is
lost by doing it one at a time.
"""

from __future__ import annotations

import ast
import symtable
import threading

# Reentrant: a finalizer that runs during a parse (in the same thread) may parse too.
_LOCK = threading.RLock()


def parse(code: str) -> ast.Module:
    """``ast.parse(code)``, serialised; raises ``SyntaxError``/``ValueError`` as it does."""
    with _LOCK:
        return ast.parse(code)


def symbol_table(code: str) -> symtable.SymbolTable:
    """``symtable.symtable(code, "<cell>", "exec")``, serialised."""
    with _LOCK:
        return symtable.symtable(code, "<cell>", "exec")
