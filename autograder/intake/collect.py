"""``autograder collect``: an LMS bulk download into the ``submitted/<student>/<assignment>/`` layout.

Each notebook of the download is matched to its student by the LMS's file naming
(:mod:`autograder.intake.lms_formats`), mapped to the course's student id through the roster
(:mod:`autograder.records.roster`), and written as ``<into>/<student>/<assignment>/<notebook>``
with ``timestamp.txt`` when the download (or Moodle's worksheet) says when it was submitted. The
download is read by :mod:`autograder.intake.archive`, which refuses hostile entries with the reason.

Nothing is lost: every file of the download is either collected or listed in the summary (not
matched, not a notebook, an archive inside the archive, refused, not kept because the student
submitted a later one); a notebook already in ``<into>`` is replaced only by a later submission,
and what it replaces is moved to ``<assignment>/.replaced/<n>/``, never deleted. Collecting the
same download again changes nothing. What was collected from whom (the LMS ids, Canvas's
attachment ids) is kept in ``.autograder/lms/<assignment>.json`` for ``autograder export``.
"""

from __future__ import annotations

import os
import secrets
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from pathlib import Path

from autograder.intake import lms_formats
from autograder.intake.archive import Entry, Refusal, open_download
from autograder.records import late as late_rules
from autograder.records.lms_manifest import read_manifest, write_manifest
from autograder.records.roster import Roster, folder_name, graded_id

_ARCHIVES = (".zip", ".tar", ".gz", ".tgz", ".7z", ".rar")


class CollectError(ValueError):
    """Nothing can be collected; ``str(exc)`` names the problem and the fix."""


@dataclass
class Candidate:
    entry: Entry
    parsed: lms_formats.Parsed
    student: str  # the course's id
    target: str  # the file name it is written under
    when: datetime | None  # aware


@dataclass
class Summary:
    assignment: str
    lms: str
    source: Path
    into: Path
    zone: str
    files: int = 0
    written: list[str] = field(default_factory=list)  # students whose notebooks were written
    unchanged: list[str] = field(default_factory=list)
    kept_newer: list[str] = field(default_factory=list)  # "student: why"
    late: list[str] = field(default_factory=list)  # "student (why)"
    several: list[str] = field(default_factory=list)  # "student: kept X (why), not Y"
    unmatched: list[str] = field(default_factory=list)
    not_notebooks: list[str] = field(default_factory=list)
    archives: list[str] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    not_on_roster: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def students(self) -> list[str]:
        return sorted({*self.written, *self.unchanged, *(s.split(":")[0] for s in self.kept_newer)})

    def text(self) -> str:
        out = [f"collect {self.assignment} from {self.lms} ({self.source}): {self.files} files, "
               f"{len(self.students)} students collected into {self.into}"]

        def block(title: str, items: list[str], hint: str = "") -> None:
            if items:
                out.append(f"  {title}: {len(items)}{hint}")
                out.extend(f"    {item}" for item in items)

        for title, items in (("written (new or later submissions)", self.written),
                             ("unchanged (already collected)", self.unchanged)):
            if items:
                out.append(f"  {title}: {len(items)}")
                out.extend(textwrap.wrap(", ".join(items), 96, initial_indent="    ",
                                         subsequent_indent="    ", break_on_hyphens=False))
        block("kept the submission already collected", self.kept_newer)
        block("late", self.late, "" if self.lms == "canvas" else f" (times read as {self.zone})")
        block("students with more than one notebook", self.several)
        block("files that matched no " + ("--pattern" if self.lms == "pattern" else self.lms)
              + " file name (not collected)", self.unmatched,
              "; if they are submissions, collect them with --pattern or by hand")
        block("files that are not notebooks (not collected)", self.not_notebooks)
        block("archives inside the download (not unpacked)", self.archives,
              "; unzip each into a folder of its own and collect it with --from folder")
        block("refused", [f"{r.path}: {r.reason}" for r in self.refused])
        block("students not on the roster (collected under their LMS id)", self.not_on_roster)
        block("missing (on the roster, nothing in this download)", self.missing)
        return "\n".join(out) + "\n"


def released_notebooks(root: Path, assignment: str) -> list[str]:
    folder = Path(root) / "notebooks" / assignment
    if not folder.is_dir():
        known = sorted(p.name for p in (Path(root) / "notebooks").glob("*") if p.is_dir())
        raise CollectError(f"{folder} does not exist: check the assignment name"
                           + (f" (the course has {', '.join(known)})" if known else
                              ", or pass --root, the course folder"))
    return sorted(p.name for p in folder.glob("*.ipynb"))


def _aware(when: datetime | None, zone: tzinfo) -> datetime | None:
    if when is None:
        return None
    return when if when.tzinfo else when.replace(tzinfo=zone)


def collect(assignment: str, source: Path, lms: str, into: Path, root: Path, *,
            roster: Roster | None = None, pattern=None, zone: tzinfo | None = None,
            progress: Callable[[int, int], None] | None = None) -> Summary:
    """Collect ``source`` (a zip or folder downloaded from ``lms``) into ``into``; the summary.
    :class:`CollectError` or :class:`autograder.intake.archive.ArchiveError` when nothing can be."""
    released = released_notebooks(root, assignment)
    try:
        rules = late_rules.load_rules(root)
    except late_rules.LateRulesError as exc:
        raise CollectError(f"{exc} (the late rules are read to count late submissions)") from None
    zone = zone or datetime.now().astimezone().tzinfo or timezone.utc
    summary = Summary(assignment, "pattern" if pattern else lms, Path(source), Path(into),
                      str(zone))
    by_lms = roster.by_lms_id() if roster else {}
    with open_download(source) as (entries, refusals):
        summary.files = len(entries) + len(refusals)
        summary.refused.extend(refusals)
        candidates = _candidates(entries, lms, pattern, summary, zone, released)
        if not candidates and not summary.refused:
            raise CollectError(_nothing_matched(summary, lms, pattern))
        names: dict[str, str] = {}
        for c in candidates:
            student = by_lms.get(c.parsed.lms_id)
            if student is not None:
                c.student = student.student_id
                names[c.student] = student.name
                if c.when is None and roster.kind == "moodle":
                    c.when = _aware(lms_formats.parse_time(
                        student.row.get("Last modified (submission)", "")), zone)
            else:
                c.student = c.parsed.lms_id
                if roster is not None:
                    label = f"{c.parsed.lms_id} ({c.parsed.name})" if c.parsed.name else c.parsed.lms_id
                    if label not in summary.not_on_roster:
                        summary.not_on_roster.append(label)
            names.setdefault(c.student, c.parsed.name)
        groups: dict[str, list[Candidate]] = {}
        for c in candidates:
            groups.setdefault(c.student, []).append(c)
        manifest = read_manifest(root, assignment)
        for n, (student, group) in enumerate(sorted(groups.items()), start=1):
            if progress:
                progress(n, len(groups))
            kept = _choose(student, group, released, summary)
            _write(student, kept, into, assignment, summary)
            record = _record(kept, lms if not pattern else "pattern", names.get(student, ""))
            manifest["students"][graded_id(student)] = record
            for c in kept:
                why = late_rules.late_by(rules, assignment, graded_id(student), c.when) \
                    if assignment in rules.policies else None
                if c.parsed.late or why is not None:
                    said = f"{lms} marked it late" if c.parsed.late else \
                        f"{why.total_seconds() / 3600:.1f} h after the deadline"
                    summary.late.append(f"{student} ({said})")
                    break
    if roster is not None:
        collected = {graded_id(s) for s in groups}
        summary.missing = [f"{s.name or s.student_id} ({s.student_id})" for s in roster.students
                           if s.graded_id not in collected]
    manifest["lms"] = manifest.get("lms") or summary.lms
    write_manifest(root, assignment, manifest)
    return summary


def _nothing_matched(summary: Summary, lms: str, pattern) -> str:
    shown = ", ".join(summary.unmatched[:3]) or "no files"
    if pattern:
        return (f"--pattern matched no notebook in {summary.source} (it holds {shown}…): check "
                "the regex against those names")
    others = [f for f in lms_formats.FORMATS if f != lms]
    return (f"no notebook in {summary.source} is named as {lms} names its downloads (it holds "
            f"{shown}…): is it a download from another LMS? try --from "
            f"{' or --from '.join(others)}, or --pattern REGEX for another naming")


def _candidates(entries: list[Entry], lms: str, pattern, summary: Summary, zone: tzinfo,
                released: list[str]) -> list[Candidate]:
    out = []
    receipts: dict[tuple[str, str], dict[str, str]] = {}
    stamps: dict[tuple[str, str], datetime] = {}
    parsed_entries = []
    for entry in entries:
        parsed = lms_formats.parse(lms, entry.path, pattern)
        if parsed is None:
            if not entry.name.startswith(".") and "__MACOSX/" not in entry.path:
                summary.unmatched.append(entry.path)
            continue
        if parsed.extra.get("receipt"):
            receipts[(parsed.lms_id, parsed.extra["attempt"])] = _receipt(entry)
            continue
        if lms == "folder" and not pattern and parsed.file == "timestamp.txt":
            try:
                when = lms_formats.parse_time(entry.read(256).decode("utf-8").strip())
            except (ValueError, UnicodeDecodeError):
                when = None
            if when is not None:
                stamps[(parsed.lms_id, parsed.extra["within"])] = when
            continue
        parsed_entries.append((entry, parsed))
    for entry, parsed in parsed_entries:
        receipt = receipts.get((parsed.lms_id, parsed.extra.get("attempt", "")), {})
        if receipt:
            parsed.name = receipt.get("name", parsed.name)
            parsed.file = receipt.get("originals", {}).get(entry.name, parsed.file)
        lower = parsed.file.lower()
        if lower.endswith(_ARCHIVES):
            summary.archives.append(entry.path)
            continue
        if not lower.endswith(".ipynb"):
            summary.not_notebooks.append(entry.path)
            continue
        target = parsed.file
        if lms == "canvas" and target not in released and parsed.extra["as_named"] in released:
            target, parsed.resubmission = parsed.extra["as_named"], 0
        when = parsed.submitted or stamps.get((parsed.lms_id, parsed.extra.get("within", "")))
        out.append(Candidate(entry, parsed, parsed.lms_id, target, _aware(when, zone)))
    return out


def _receipt(entry: Entry) -> dict:
    """Blackboard's receipt: the student's name and each file's original name."""
    try:
        text = entry.read(256 * 1024).decode("utf-8", "replace")
    except ValueError:
        return {}
    out: dict = {"originals": {}}
    original = None
    for line in text.splitlines():
        key, _, value = line.strip().partition(":")
        value = value.strip()
        if key == "Name" and value:
            out["name"] = value.rsplit("(", 1)[0].strip()
        elif key == "Original filename":
            original = value
        elif key == "Filename" and original:
            out["originals"][value] = original
            original = None
    return out


def _order(c: Candidate) -> tuple:
    return (c.when or datetime.min.replace(tzinfo=timezone.utc), c.parsed.resubmission,
            int(c.parsed.extra.get("attachment_id", 0) or 0), c.entry.path)


def _why(best: Candidate, other: Candidate) -> str:
    if best.when and other.when and best.when != other.when:
        return f"submitted later, {best.when.isoformat(sep=' ', timespec='minutes')}"
    if best.parsed.resubmission != other.parsed.resubmission:
        return f"the later re-upload (-{best.parsed.resubmission})" if best.parsed.resubmission \
            else "the later upload"
    if best.parsed.extra.get("attachment_id") != other.parsed.extra.get("attachment_id"):
        return "uploaded later (higher Canvas file id)"
    return "last in the download"


def _choose(student: str, group: list[Candidate], released: list[str],
            summary: Summary) -> list[Candidate]:
    """One notebook per released name (the latest); a notebook under another name only when the
    student submitted none under a released name (the grader then grades it as ``renamed``)."""
    by_target: dict[str, list[Candidate]] = {}
    for c in group:
        by_target.setdefault(c.target if c.target in released else "", []).append(c)
    kept = []
    for target, cands in sorted(by_target.items()):
        cands.sort(key=_order, reverse=True)
        if target == "" and len(by_target) > 1:
            summary.several.append(f"{student}: not kept {', '.join(c.entry.path for c in cands)}"
                                   " (a notebook with the released name was submitted too)")
            continue
        best = cands[0]
        kept.append(best)
        for other in cands[1:]:
            summary.several.append(f"{student}: kept {best.entry.path} ({_why(best, other)}), "
                                   f"not {other.entry.path}")
    return kept


def _write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".tmp-{secrets.token_hex(6)}-{path.name}")
    try:
        with open(tmp, "xb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _existing_time(folder: Path) -> datetime | None:
    try:
        return _aware(lms_formats.parse_time((folder / "timestamp.txt").read_text().strip()),
                      timezone.utc)
    except (OSError, UnicodeDecodeError):
        return None


def _write(student: str, kept: list[Candidate], into: Path, assignment: str,
           summary: Summary) -> None:
    payload: dict[str, bytes] = {}
    for c in list(kept):
        try:
            payload[c.target] = c.entry.read()
        except ValueError as exc:
            summary.refused.append(Refusal(c.entry.path, str(exc)))
            kept.remove(c)
    if not payload:
        return
    when = max((c.when for c in kept if c.when), default=None)
    stamp = when.isoformat(sep=" ") if when else None
    folder = Path(into) / folder_name(student) / assignment
    if folder.is_symlink() or folder.parent.is_symlink():
        summary.refused.append(Refusal(str(folder), "it is a symbolic link in --into; not written"))
        return
    existing = sorted(p for p in folder.glob("*.ipynb")) if folder.is_dir() else []
    old_when = _existing_time(folder)
    same = (sorted(p.name for p in existing) == sorted(payload)
            and all((folder / n).read_bytes() == b for n, b in payload.items()))
    if same and (stamp is None or old_when == when):
        summary.unchanged.append(student)
        return
    if existing and old_when is not None and (when is None or when < old_when):
        why = (f"submitted {old_when.isoformat(sep=' ', timespec='minutes')}, this download's "
               f"{when.isoformat(sep=' ', timespec='minutes')}" if when else
               "this download says no time to compare (for Moodle pass --roster with the "
               "grading worksheet)")
        summary.kept_newer.append(f"{student}: {why}")
        return
    folder.mkdir(parents=True, exist_ok=True)
    if existing or (folder / "timestamp.txt").exists():
        n = 1
        while (folder / ".replaced" / str(n)).exists():
            n += 1
        aside = folder / ".replaced" / str(n)
        aside.mkdir(parents=True)
        for p in [*existing, folder / "timestamp.txt"]:
            if p.exists():
                os.replace(p, aside / p.name)
    for name, data in payload.items():
        _write_bytes(folder / name, data)
    if stamp:
        _write_bytes(folder / "timestamp.txt", (stamp + "\n").encode())
    summary.written.append(student)


def _record(kept: list[Candidate], lms: str, name: str) -> dict:
    first = kept[0] if kept else None
    return {
        "lms": lms, "lms_id": first.parsed.lms_id if first else "", "name": name,
        "files": [{"as_downloaded": c.entry.path, "written_as": c.target,
                   "attachment_id": c.parsed.extra.get("attachment_id", ""),
                   "prefix": c.parsed.extra.get("prefix", ""), "late": c.parsed.late,
                   "submitted": c.when.isoformat() if c.when else None} for c in kept],
    }
