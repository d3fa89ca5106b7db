"""Text that comes from learners, made safe to store and show.

Student folder names, exception texts, the type names of returned values and ``timestamp.txt`` are
chosen by learners. Any of them may hold lone surrogates (an undecodable file name, or ``"\\ud800"``
sent back as JSON), which no UTF-8 writer accepts, terminal or bidi control characters, or
megabytes of text. :func:`clean_text` is applied where such a string enters a result, so writing
the CSV, feedback HTML, report and gradebook never fails on it.
"""

from __future__ import annotations

import hashlib
import re

#: Characters of a learner's message kept at most (the rest is cut, with a marker).
MAX_TEXT = 2000
#: Characters of a student id kept at most (a file name is at most 255 bytes).
MAX_ID = 120

# C0/C1 controls, DEL, bidi overrides/isolates and lone surrogates. Newline and tab are kept in
# messages (the CSV quotes them, HTML shows them as spaces) but escaped in ids.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_IN_ID = re.compile("[\\\\\t\n]|" + _UNSAFE.pattern)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if code == ord("\\"):
        return "\\\\"
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a non-UTF-8 file name (Python's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean_text(value: object, limit: int = MAX_TEXT) -> str:
    """``value`` as text with unsafe characters backslash-escaped, cut to ``limit`` characters."""
    text = _UNSAFE.sub(_escape, value if isinstance(value, str) else str(value))
    return text if len(text) <= limit else text[:limit - 1] + "…"


def student_id(folder_name: str) -> str:
    """The id a student folder is recorded under (CSV, gradebook, journal, feedback folder).

    Printable names are kept as they are. A byte that is not UTF-8 becomes ``\\xNN`` (folder
    ``b"caf\\xe9"`` is student ``caf\\xe9``), a control character ``\\xNN`` and a backslash ``\\\\``,
    so two different folders never share an id; a name over :data:`MAX_ID` characters is cut
    and ends with ``~`` and 8 hex digits of its hash (still unique).
    """
    text = _UNSAFE_IN_ID.sub(_escape, folder_name)
    if len(text) <= MAX_ID:
        return text
    digest = hashlib.sha256(text.encode()).hexdigest()[:8]
    return f"{text[:MAX_ID - 9]}~{digest}"
