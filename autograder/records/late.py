"""Late rules, extensions and manual overrides: from a journaled result to the final score.

The rules live in ``autograder.toml`` at the course root (see the instructor guide, "Late rules"):

.. code-block:: toml

    [late]                          # defaults for every assignment
    timezone = "Europe/London"      # deadlines without an offset are in this zone
    grace = "15 minutes"            # up to this late counts as on time
    penalty = "10% per day"         # or "2% per hour", or "none"; each day (hour) begun counts
    floor = "50%"                   # a late submission keeps at least this share of its score
    zero_after = "7 days"           # later than this after the deadline: 0
    extensions = "extensions.csv"   # student_id, assignment, deadline | days | hours
    overrides = "overrides.csv"     # student_id, assignment, exercise, points, reason

    [late.week1]
    deadline = "2025-02-14 23:59"

Nothing here is stored with the grades: :func:`finals` recomputes the final scores from the
journaled raw results every time it is called (``autograder export`` calls it, ``grade`` too), so
changing the policy, an extension or an override changes the final scores without grading again,
and an override survives every re-grade. A submission time is ``timestamp.txt`` as the grader
recorded it (nbgrader's convention: a time without an offset is UTC).
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from autograder.contract.results import SubmissionResult

CONFIG = "autograder.toml"


class LateRulesError(ValueError):
    """The course's late rules, extensions or overrides cannot be used (file, problem, fix)."""


@dataclass(frozen=True)
class Policy:
    deadline: datetime | None = None  # aware
    grace: timedelta = timedelta(0)
    rate: float = 0.0  # share of the score lost per unit begun
    unit: timedelta = timedelta(days=1)
    floor: float = 0.0  # least share of the score a late submission keeps
    zero_after: timedelta | None = None


@dataclass(frozen=True)
class Override:
    exercise: str
    points: float
    reason: str
    where: str  # file and line, for messages


@dataclass
class Rules:
    policies: dict[str, Policy] = field(default_factory=dict)
    #: (student id as graded, assignment) -> the student's own deadline.
    extensions: dict[tuple[str, str], datetime] = field(default_factory=dict)
    overrides: dict[tuple[str, str], list[Override]] = field(default_factory=dict)
    zone_name: str | None = None  # [late] timezone

    def applies_to(self, assignment: str) -> bool:
        return (assignment in self.policies and self.policies[assignment].deadline is not None
                or any(a == assignment for _, a in self.overrides))


@dataclass
class Final:
    student_id: str
    raw: float  # the autograded score, with the overrides
    max_score: float
    penalty: float  # points taken for lateness
    final: float
    late_by: timedelta | None  # None: on time, no deadline, or no submission time
    deadline: datetime | None
    #: exercise -> (points as graded, points overridden, reason)
    overrides: dict[str, tuple[float, float, str]] = field(default_factory=dict)
    note: str = ""  # the penalty in words ("2 days late: -20%"), or why there is none

    def points(self, result: SubmissionResult, exercise: str) -> float:
        return self.overrides[exercise][1] if exercise in self.overrides else \
            result.exercises[exercise].points


# --- reading the rules ---------------------------------------------------------------------------
def _load_toml(path: Path) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ModuleNotFoundError:
            raise LateRulesError(f"{path} needs Python 3.11 or newer (or `pip install tomli`) "
                                 "to be read") from None
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise LateRulesError(f"{path} cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise LateRulesError(f"{path} is not valid TOML ({exc}): fix that line") from None


def duration(text: object, where: str) -> timedelta:
    """``"15 minutes"``, ``"2h"``, ``"7 days"``, ``0`` as a ``timedelta``."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(m|min|mins|minutes?|h|hours?|d|days?|w|weeks?)?\s*",
                     str(text))
    if not m or (m[2] is None and float(m[1]) != 0):
        raise LateRulesError(f"{where}: {text!r} is not a duration; write e.g. \"15 minutes\", "
                             "\"2 hours\" or \"7 days\"")
    unit = (m[2] or "d")[0]
    return timedelta(**{{"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[unit]:
                        float(m[1])})


def _share(text: object, where: str) -> float:
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(%?)\s*", str(text))
    value = float(m[1]) / (100 if m[2] else 1) if m else -1
    if not 0 <= value <= 1:
        raise LateRulesError(f"{where}: {text!r} is not a share; write e.g. \"50%\" or 0.5")
    return value


def _penalty(text: object, where: str) -> tuple[float, timedelta]:
    if str(text).strip().lower() in ("none", "0", "0%", ""):
        return 0.0, timedelta(days=1)
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*%\s*(?:per|a|/)\s*(day|hour)\s*", str(text))
    if not m:
        raise LateRulesError(f"{where}: penalty {text!r} is not understood; write e.g. "
                             "\"10% per day\", \"2% per hour\" or \"none\"")
    return float(m[1]) / 100, timedelta(days=1) if m[2] == "day" else timedelta(hours=1)


def _zone(name: object, where: str):
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise LateRulesError(f"{where}: timezone {name!r} is unknown; use an IANA name such as "
                             "\"Europe/London\" or \"America/New_York\"") from None


def deadline(text: object, zone, where: str) -> datetime:
    value = text if isinstance(text, datetime) else None
    if value is None:
        try:
            value = datetime.fromisoformat(str(text).strip())
        except ValueError:
            raise LateRulesError(f"{where}: {text!r} is not a date and time; write e.g. "
                                 "\"2025-02-14 23:59\" (in the course's timezone) or "
                                 "\"2025-02-14T23:59+01:00\"") from None
    return value if value.tzinfo else value.replace(tzinfo=zone)


def load_rules(root: Path) -> Rules:
    """The rules of the course at ``root`` (empty when it has no ``autograder.toml``)."""
    path = Path(root) / CONFIG
    if not path.exists():
        return Rules()
    late = _load_toml(path).get("late", {})
    if not isinstance(late, dict):
        raise LateRulesError(f"{path}: [late] must be a table")
    zone = _zone(late.get("timezone", "UTC"), f"{path} [late]")
    rules = Rules(zone_name=str(late["timezone"]) if "timezone" in late else None)
    for name, table in late.items():
        if isinstance(table, dict):
            where = f"{path} [late.{name}]"
            rules.policies[name] = _policy({**late, **table}, _zone(table.get("timezone",
                                           late.get("timezone", "UTC")), where), where)
    rules.extensions = _extensions(Path(root), late.get("extensions", "extensions.csv"), zone)
    rules.overrides = _overrides(Path(root), late.get("overrides", "overrides.csv"))
    return rules


def _policy(table: dict, zone, where: str) -> Policy:
    rate, unit = _penalty(table.get("penalty", "none"), where)
    zero = table.get("zero_after")
    return Policy(deadline=deadline(table["deadline"], zone, where) if "deadline" in table else None,
                  grace=duration(table.get("grace", 0), where), rate=rate, unit=unit,
                  floor=_share(table.get("floor", 0), where),
                  zero_after=duration(zero, where) if zero not in (None, "", "never") else None)


def _csv_rows(path: Path, needed: set[str], what: str) -> list[tuple[int, dict[str, str]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise LateRulesError(f"{path} ({what}) cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise LateRulesError(f"{path} ({what}) is not UTF-8: save it as CSV UTF-8") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = {h.strip() for h in reader.fieldnames or []}
    if not needed <= header:
        raise LateRulesError(f"{path} ({what}) needs the columns {', '.join(sorted(needed))}; "
                             f"it has {', '.join(sorted(header)) or 'none'}")
    return [(n, {k.strip(): (v or "").strip() for k, v in row.items() if k})
            for n, row in enumerate(reader, start=2) if any((v or "").strip() for v in row.values()
                                                             if isinstance(v, str))]


def _extensions(root: Path, name: str, zone) -> dict[tuple[str, str], datetime]:
    from autograder.records.roster import graded_id

    path = root / name
    if not path.exists():
        return {}
    out: dict[tuple[str, str], datetime | timedelta] = {}
    for n, row in _csv_rows(path, {"student_id", "assignment"}, "extensions"):
        where = f"{path}, line {n}"
        if row.get("deadline"):
            value: datetime | timedelta = deadline(row["deadline"], zone, where)
        elif row.get("days") or row.get("hours"):
            value = (duration(f"{row['days']} days", where) if row.get("days") else timedelta(0)) \
                + (duration(f"{row['hours']} hours", where) if row.get("hours") else timedelta(0))
        else:
            raise LateRulesError(f"{where}: give the new deadline (column deadline) or the extra "
                                 "time (column days or hours)")
        out[(graded_id(row["student_id"]), row["assignment"])] = value
    return out  # type: ignore[return-value]


def _overrides(root: Path, name: str) -> dict[tuple[str, str], list[Override]]:
    from autograder.records.roster import graded_id

    path = root / name
    if not path.exists():
        return {}
    out: dict[tuple[str, str], list[Override]] = {}
    for n, row in _csv_rows(path, {"student_id", "assignment", "exercise", "points"}, "overrides"):
        where = f"{path}, line {n}"
        try:
            points = float(row["points"])
        except ValueError:
            raise LateRulesError(f"{where}: points {row['points']!r} is not a number") from None
        if not math.isfinite(points) or points < 0:
            raise LateRulesError(f"{where}: points must be a number ≥ 0")
        out.setdefault((graded_id(row["student_id"]), row["assignment"]), []).append(
            Override(row["exercise"], points, row.get("reason", ""), where))
    return out


# --- applying them -------------------------------------------------------------------------------
def submitted_at(result: SubmissionResult) -> datetime | None:
    if not result.timestamp:
        return None
    try:
        when = datetime.fromisoformat(result.timestamp.strip())
    except ValueError:
        from nbgrader.utils import parse_utc  # the formats nbgrader accepts beyond ISO 8601

        try:
            return parse_utc(result.timestamp).replace(tzinfo=timezone.utc)
        except (ValueError, OverflowError, TypeError):
            return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def due_for(rules: Rules, assignment: str, student: str) -> datetime | None:
    """``student``'s deadline for ``assignment`` (the policy's, moved by an extension)."""
    due = rules.policies.get(assignment, Policy()).deadline
    extension = rules.extensions.get((student, assignment), rules.extensions.get((student, "*")))
    if due is not None and extension is not None:
        due = extension if isinstance(extension, datetime) else due + extension
    return due


def late_by(rules: Rules, assignment: str, student: str, when: datetime | None) -> timedelta | None:
    """How late a submission made ``when`` (aware) is, beyond the grace period; ``None`` if not."""
    due = due_for(rules, assignment, student)
    if due is None or when is None:
        return None
    late = when - due
    return late if late > rules.policies[assignment].grace else None


def _days(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours / 24:.1f} days" if hours >= 48 else f"{hours:.1f} hours"


def final(rules: Rules, assignment: str, result: SubmissionResult) -> Final:
    """``result``'s final score under ``rules``; :class:`LateRulesError` for an override that
    names no exercise of the assignment or more points than it has."""
    student = result.student_id
    overrides: dict[str, tuple[float, float, str]] = {}
    for o in rules.overrides.get((student, assignment), []):
        if o.exercise not in result.exercises:
            raise LateRulesError(f"{o.where}: {assignment} has no exercise {o.exercise!r}; its "
                                 f"exercises are {', '.join(result.exercises)}")
        top = result.exercises[o.exercise].max_points
        if o.points > top:
            raise LateRulesError(f"{o.where}: {o.points:g} points for {o.exercise}, which is "
                                 f"worth {top:g}")
        overrides[o.exercise] = (result.exercises[o.exercise].points, o.points, o.reason)
    raw = round(sum(overrides[e][1] if e in overrides else x.points
                    for e, x in result.exercises.items()), 4)
    policy = rules.policies.get(assignment, Policy())
    due = due_for(rules, assignment, student)
    out = Final(student, raw, result.max_score, 0.0, raw, None, due, overrides)
    when = submitted_at(result)
    if due is None or result.status == "missing":
        return out
    if when is None:
        out.note = "no submission time recorded: no late penalty"
        return out
    late_by = when - due
    if late_by <= policy.grace:
        return out
    out.late_by = late_by
    if policy.zero_after is not None and late_by > policy.zero_after:
        share = 1.0
        out.note = f"{_days(late_by)} late, more than {_days(policy.zero_after)}: 0"
    else:
        units = math.ceil(late_by / policy.unit)
        share = min(policy.rate * units, 1 - policy.floor)
        out.note = (f"{_days(late_by)} late: -{share:.0%}" if share else
                    f"{_days(late_by)} late (no penalty)")
    out.penalty = round(raw * share, 4)
    out.final = round(raw - out.penalty, 4)
    return out


def finals(root: Path, assignment: str, results: list[SubmissionResult],
           rules: Rules | None = None) -> dict[str, Final] | None:
    """Each result's :class:`Final` by student id, or ``None`` when the course has no deadline
    and no override for ``assignment`` (the grades CSV then keeps its plain columns)."""
    rules = load_rules(root) if rules is None else rules
    if not rules.applies_to(assignment):
        return None
    return {r.student_id: final(rules, assignment, r) for r in results}


def late_by_text(f: Final) -> str:
    """``late_by`` as the CSV writes it: hours, 2 decimals; empty when on time."""
    return "" if f.late_by is None else f"{f.late_by.total_seconds() / 3600:.2f}h"


def row_message(result: SubmissionResult, f: Final) -> str:
    """The grades CSV's ``message`` with the late note and each override's reason."""
    parts = [result.message] if result.message else []
    if f.note:
        parts.append(f.note)
    parts += [f"{ex} set to {new:g} (graded {old:g}): {why or 'manual override'}"
              for ex, (old, new, why) in f.overrides.items()]
    return "; ".join(parts)
