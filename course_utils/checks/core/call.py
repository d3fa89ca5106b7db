"""Calling a learner's function once: the one routine every check (and, later, the grader's
sandbox child) calls a graded function through, and the typed answer it gives.

:func:`call_learner` calls ``fn(*args, **kwargs)`` and returns a :class:`Call`: the value, the
exception raised (its type name and message), whether it was ``NotImplementedError`` (the stub,
not attempted), the warnings raised during the call, and whether the function returned ``None``
(and whether its source has no ``return`` statement at all).

Standard library and NumPy only, importing nothing else of ``course_utils`` or ``autograder``:
this file is meant to be sent, as it is, into the grader's self-contained sandbox child.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import warnings
from dataclasses import dataclass

import numpy as np  # noqa: F401 - NumPy is the only third-party module this file may use


@dataclass(frozen=True)
class Call:
    """What one call of a learner's function gave.

    ``value`` is what it returned (``None`` when it raised); ``exception`` the exception it
    raised, if any, with ``exception_type`` (its class name) and ``exception_message``;
    ``not_attempted`` whether that exception is ``NotImplementedError`` (the stub);
    ``warnings`` the messages of the warnings raised during the call (``"UserWarning: ..."``);
    ``returned_none`` whether it returned ``None`` without raising, and ``no_return_statement``
    whether the function's source (when it can be read) has no ``return`` with a value.
    ``args`` are the arguments it was given (so that a check can see an in-place edit).
    """

    value: object = None
    exception: BaseException | None = None
    exception_type: str | None = None
    exception_message: str = ""
    not_attempted: bool = False
    warnings: tuple[str, ...] = ()
    returned_none: bool = False
    no_return_statement: bool = False
    args: tuple = ()

    @property
    def raised(self) -> bool:
        """Whether the call raised an exception (``NotImplementedError`` included)."""
        return self.exception is not None

    @property
    def exception_shown(self) -> str:
        """The exception as a verdict shows it: ``"ValueError: message"`` (the type alone when
        the message is empty)."""
        if self.exception_type is None:
            return ""
        return f"{self.exception_type}: {self.exception_message}" if self.exception_message \
            else self.exception_type


def has_return_statement(fn) -> bool | None:
    """Whether ``fn``'s own body has a ``return`` with a value (nested functions not counted);
    ``None`` when its source cannot be read (a builtin, a lambda typed at a prompt, ...)."""
    try:
        source = textwrap.dedent(inspect.getsource(fn))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None
    defs = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))]
    if not defs:
        return None
    if isinstance(defs[0], ast.Lambda):
        return True

    def returns(nodes) -> bool:
        for node in nodes:
            if isinstance(node, ast.Return) and node.value is not None:
                return True
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                continue
            if returns(ast.iter_child_nodes(node)):
                return True
        return False

    return returns(defs[0].body)


def call_learner(fn, *args, **kwargs) -> Call:
    """Call ``fn(*args, **kwargs)`` and say what happened (see :class:`Call`). Never raises for
    an ``Exception`` of the learner's code (a ``KeyboardInterrupt`` or ``SystemExit`` goes
    through)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - any exception in learner code is an answer
            raised = exc
        else:
            raised = None
    shown = tuple(f"{w.category.__name__}: {w.message}" for w in caught)
    if raised is not None:
        return Call(exception=raised, exception_type=type(raised).__name__,
                    exception_message=str(raised),
                    not_attempted=isinstance(raised, NotImplementedError),
                    warnings=shown, args=args)
    if value is None:
        return Call(warnings=shown, returned_none=True,
                    no_return_statement=has_return_statement(fn) is False, args=args)
    return Call(value=value, warnings=shown, args=args)
