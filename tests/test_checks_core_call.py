"""course_utils.checks.core.call: the one routine a check calls a learner's function through."""

import ast
import dataclasses
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from course_utils.checks.core import call as call_module
from course_utils.checks.core.call import Call, call_learner, has_return_statement


def test_the_call_is_a_frozen_dataclass():
    result = call_learner(lambda x: x + 1, 1)
    assert dataclasses.is_dataclass(result) and isinstance(result, Call)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.value = 3  # type: ignore[misc]


def test_a_value_is_returned_with_its_arguments():
    x = np.arange(3.0)
    result = call_learner(lambda a, scale=1: a * scale, x, scale=2)
    assert np.array_equal(result.value, [0.0, 2.0, 4.0])
    assert result.args == (x,)
    assert not result.raised and result.exception_type is None and result.exception_shown == ""
    assert not result.not_attempted and not result.returned_none and not result.no_return_statement


def test_an_exception_is_an_answer_with_its_type_and_message():
    def shape_slip(a):
        return np.ones(2) @ np.ones(3)

    result = call_learner(shape_slip, 1)
    assert result.raised and result.value is None
    assert result.exception_type == "ValueError" and "matmul" in result.exception_message
    assert result.exception_shown.startswith("ValueError: ")
    assert not result.not_attempted
    empty = call_learner(lambda: (_ for _ in ()).throw(KeyError()))
    assert empty.exception_shown == "KeyError"


def test_the_stub_is_not_attempted():
    def stub(x):
        raise NotImplementedError()

    result = call_learner(stub, 1)
    assert result.not_attempted and result.raised and result.exception_type == "NotImplementedError"


def test_none_and_a_missing_return_statement():
    def no_return(x):
        y = x + 1  # noqa: F841

    def returns_none_sometimes(x):
        if x > 10:
            return x
        return None

    def only_nested_returns(x):
        def inner():
            return x
        inner()

    assert call_learner(no_return, 1).returned_none
    assert call_learner(no_return, 1).no_return_statement
    assert call_learner(returns_none_sometimes, 1).returned_none
    assert not call_learner(returns_none_sometimes, 1).no_return_statement
    assert call_learner(only_nested_returns, 1).no_return_statement
    assert has_return_statement(len) is None  # a builtin: no source, nothing claimed
    assert not call_learner(print, "").no_return_statement


def test_warnings_raised_during_the_call_are_recorded():
    def noisy(x):
        warnings.warn("careful", UserWarning, stacklevel=1)
        return np.log(np.array(x))

    result = call_learner(noisy, 1.0)
    assert result.warnings == ("UserWarning: careful",) and result.value == 0.0


def test_call_imports_only_the_standard_library_and_numpy():
    """The grader's sandbox child will carry this very file: it may import nothing of the course."""
    tree = ast.parse(Path(call_module.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports"
            imported.add(node.module.split(".")[0])
    allowed = set(sys.stdlib_module_names) | {"numpy"}
    assert imported <= allowed, imported - allowed
    assert not imported & {"course_utils", "autograder"}
