"""How deeply a JSON text nests, found without parsing it (and so without recursion).

``json.loads`` recurses once per ``[`` or ``{``: 100,000 nested lists raise ``RecursionError``,
and a few hundred levels that still parse can break any recursive code that walks the result.
Text from learners (a submitted notebook, a line on the sandbox's result channel) is checked
with :func:`nesting_depth` first and refused when it nests deeper than anything legitimate.
"""

from __future__ import annotations

import re

import numpy as np

# A JSON string: quotes around runs of plain characters and backslash escapes.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")


def nesting_depth(text: bytes) -> int:
    """The deepest nesting of arrays and objects in ``text`` (``0`` for a scalar), brackets inside
    strings not counted. Text that is not JSON gives some number; its parser rejects it anyway."""
    if text.count(b"[") + text.count(b"{") == 0:
        return 0
    brackets = _NOT_BRACKET.sub(b"", _STRING.sub(b"", text))
    codes = np.frombuffer(brackets, dtype=np.uint8)
    steps = np.where((codes == ord("[")) | (codes == ord("{")), 1, -1).astype(np.int32)
    return max(int(np.cumsum(steps).max()), 0) if len(steps) else 0


def deeper_than(text: bytes, limit: int) -> bool:
    """``nesting_depth(text) > limit``, answered at once when there are too few brackets."""
    if text.count(b"[") + text.count(b"{") <= limit:
        return False
    return nesting_depth(text) > limit
