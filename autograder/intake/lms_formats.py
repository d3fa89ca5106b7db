"""How each LMS names the files of its bulk download: whose file it is, when, and its own name.

The formats, read from each LMS's source (see the instructor guide, "Collecting from an LMS"):

- **Canvas** ("Download Submissions"; ``lib/content_zipper.rb`` in instructure/canvas-lms): one
  flat zip; each file is ``<sortable name>[_LATE]_<user id>_<attachment id>_<file name>``, the
  name lower-cased with every non-word character removed (``"O'Brien, Seán"`` → ``obrienseán``),
  ``LATE`` (``late`` before 2020) when Canvas marked it late, ``anon_<id>`` in place of the user id
  for an anonymous assignment. A file re-uploaded under the same name is ``name-1.ipynb``,
  ``name-2.ipynb``…. The download says *that* a submission was late, never *when* it was made.
- **Moodle** ("Download all submissions"; ``mod/assign/classes/downloader.php``): in folders
  (the default since 3.1) ``<Full Name>_<participant id>_assignsubmission_file/<file name>``
  (before 4.1 the folder ends in ``_``), or flat ``<Full Name>_<participant id>_assignsubmission_file_<file name>``;
  ``_`` in a name becomes a space, and the participant id is the one the grading worksheet shows
  as ``Participant <id>``. The download holds no times: the worksheet does.
- **Blackboard Learn** ("Download Assignment"): ``<Assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>_<file name>``
  plus a receipt ``<Assignment>_<username>_attempt_<…>.txt`` (``Name: Full Name (username)``,
  ``Date Submitted: …``, ``Original filename: …``). The time is the server's local time.
- **folder**: ``<student id>/…/<file>``, with an optional ``timestamp.txt`` beside the notebook
  (nbgrader's own ``submitted/`` layout, or anything shaped like it).
- **pattern**: ``--pattern REGEX`` searched in each path, with the named groups ``student``
  (required), and optionally ``name``, ``file``, ``late`` and ``timestamp``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

FORMATS = ("canvas", "moodle", "blackboard", "folder")


@dataclass
class Parsed:
    lms_id: str  # whose file it is, in the LMS's own ids
    file: str  # the file's name as the student submitted it
    name: str = ""  # the student's name as the download spells it
    late: bool = False  # the LMS marked it late
    submitted: datetime | None = None  # when, as the download says (naive: the LMS's local time)
    resubmission: int = 0  # Canvas's -N suffix of a re-uploaded file
    extra: dict[str, str] = field(default_factory=dict)  # attachment id, attempt, prefix


_CANVAS = re.compile(r"^(?:(?P<name>.*?)_)??(?:(?P<late>LATE|late)_)?(?P<uid>\d+|anon_[A-Za-z0-9]+)"
                     r"_(?P<att>\d+)_(?P<file>.+)$", re.S)
_CANVAS_SUFFIX = re.compile(r"^(?P<stem>.+?)-(?P<n>\d+)(?P<ext>\.[^.]+)$")
_MOODLE_FOLDER = re.compile(r"(?:^|/)(?P<name>[^_/]*)_(?P<pid>\d+)_assignsubmission"
                            r"_(?P<plugin>[a-z]+)_?/(?P<file>.+)$", re.S)
_MOODLE_FLAT = re.compile(r"^(?P<name>[^_/]*)_(?P<pid>\d+)_assignsubmission_(?P<plugin>[a-z]+)"
                          r"_(?P<file>.+)$", re.S)
_BLACKBOARD = re.compile(r"^(?P<assign>.*?)_(?P<user>[^_]+)_attempt_(?P<ts>\d{4}-\d\d-\d\d-\d\d-"
                         r"\d\d-\d\d)(?:_(?P<file>.+)|(?P<receipt>\.txt))$", re.S)


def parse(lms: str, path: str, pattern: re.Pattern | None = None) -> Parsed | None:
    """Whose file ``path`` (inside the download) is, or ``None`` if it is not named as ``lms``
    names its files."""
    if pattern is not None:
        return _pattern(pattern, path)
    return {"canvas": _canvas, "moodle": _moodle, "blackboard": _blackboard,
            "folder": _folder}[lms](path)


def _canvas(path: str) -> Parsed | None:
    m = _CANVAS.match(path.rsplit("/", 1)[-1])
    if not m:
        return None
    file, n = m["file"], 0
    s = _CANVAS_SUFFIX.match(file)
    if s:
        file, n = s["stem"] + s["ext"], int(s["n"])
    prefix = m.group(0)[:m.start("file")]
    return Parsed(m["uid"], file, m["name"] or "", bool(m["late"]), resubmission=n,
                  extra={"attachment_id": m["att"], "prefix": prefix, "as_named": m["file"]})


def _moodle(path: str) -> Parsed | None:
    m = _MOODLE_FOLDER.search(path) or _MOODLE_FLAT.match(path.rsplit("/", 1)[-1])
    if not m:
        return None
    return Parsed(m["pid"], m["file"].rsplit("/", 1)[-1], m["name"], extra={"plugin": m["plugin"]})


def _blackboard(path: str) -> Parsed | None:
    m = _BLACKBOARD.match(path.rsplit("/", 1)[-1])
    if not m:
        return None
    when = datetime.strptime(m["ts"], "%Y-%m-%d-%H-%M-%S")
    file = "" if m["receipt"] else m["file"]
    return Parsed(m["user"], file, "", submitted=when,
                  extra={"attempt": m["ts"], "assignment": m["assign"],
                         "receipt": "yes" if m["receipt"] else ""})


def _folder(path: str) -> Parsed | None:
    parts = path.split("/")
    if len(parts) < 2:
        return None
    return Parsed(parts[0], parts[-1], extra={"within": "/".join(parts[1:-1])})


def _pattern(pattern: re.Pattern, path: str) -> Parsed | None:
    m = pattern.search(path)
    if not m or not m["student"]:
        return None
    groups = m.groupdict()
    when = None
    if groups.get("timestamp"):
        when = parse_time(groups["timestamp"])
    return Parsed(m["student"], groups.get("file") or path.rsplit("/", 1)[-1],
                  groups.get("name") or "", bool(groups.get("late")), submitted=when)


def parse_time(text: str) -> datetime | None:
    """A time as downloads and worksheets write it, or ``None``: ISO 8601 (with or without an
    offset), ``YYYY-MM-DD-HH-MM-SS``, Moodle's ``Monday, 8 January 2024, 11:23 AM`` and
    Blackboard's ``Monday, January 8, 2024 11:23:45 AM``."""
    text = " ".join(text.replace("\u202f", " ").split())
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for form in ("%Y-%m-%d-%H-%M-%S", "%A, %d %B %Y, %I:%M %p", "%A, %d %B %Y, %H:%M",
                 "%A, %B %d, %Y %I:%M:%S %p", "%A, %B %d, %Y %I:%M %p", "%d %B %Y, %I:%M %p",
                 "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(text, form)
        except ValueError:
            continue
    # Blackboard adds the zone's name: "Monday, January 8, 2024 11:23:45 AM EST".
    head, _, zone = text.rpartition(" ")
    if head and zone.isalpha() and zone.isupper():
        return parse_time(head)
    return None


def compile_pattern(text: str) -> re.Pattern:
    """``--pattern``'s regex; :class:`ValueError` naming the fix if it is unusable."""
    try:
        pattern = re.compile(text)
    except re.error as exc:
        raise ValueError(f"--pattern is not a regular expression ({exc})") from None
    if "student" not in pattern.groupindex:
        raise ValueError("--pattern needs a named group (?P<student>...) for whose file it is; "
                         "optional groups: name, file, late, timestamp")
    return pattern
