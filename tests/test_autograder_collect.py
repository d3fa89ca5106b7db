"""``autograder collect``: Canvas, Moodle, Blackboard, folder and --pattern downloads into the
``submitted/`` layout; hostile and broken archives; collecting again."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
from lms_downloads import (
    NB,
    blackboard_files,
    canvas_file,
    canvas_roster,
    course,
    moodle_file,
    moodle_worksheet,
    people,
    write_zip,
)

from autograder import cli

NOTEBOOK = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


def _collect(root: Path, download: Path, *extra: str) -> int:
    return cli.main(["--root", str(root), "collect", "week1", str(download), "--no-progress",
                     *extra])


def _submitted(root: Path) -> dict[str, list[str]]:
    base = root / "submitted"
    return {d.name: sorted(p.name for p in (d / "week1").iterdir())
            for d in sorted(base.iterdir())} if base.exists() else {}


# --- Canvas --------------------------------------------------------------------------------------
def test_canvas_download_with_roster(tmp_path, capsys):
    root, class_ = course(tmp_path), people(5)
    a, b, c, d, e = class_
    files = {
        canvas_file(a, 900, NB): NOTEBOOK,
        canvas_file(b, 901, NB, late=True): NOTEBOOK + b" ",
        canvas_file(c, 902, NB): b"old",  # then re-uploaded under the same name
        canvas_file(c, 950, "05_assignment_binary_digits-1.ipynb"): NOTEBOOK,
        canvas_file(d, 903, "notes.pdf"): b"%PDF",
        "readme.txt": b"not a submission",
    }
    stranger = people(9)[8]  # enrolled after the roster was exported
    files[canvas_file(stranger, 904, NB)] = NOTEBOOK
    download = write_zip(tmp_path / "submissions.zip", files)
    roster = tmp_path / "grades.csv"
    roster.write_text(canvas_roster(class_), encoding="utf-8")
    assert _collect(root, download, "--from", "canvas", "--roster", str(roster)) == 0
    out = capsys.readouterr().out
    # Filed under the SIS User ID, the released name (Canvas's -1 suffix dropped), no timestamp:
    # Canvas's download says only *that* b was late.
    assert _submitted(root) == {a.sis_id: [NB], b.sis_id: [NB], c.sis_id: [NB],
                                str(stranger.canvas_id): [NB]}
    assert (root / "submitted" / c.sis_id / "week1" / NB).read_bytes() == NOTEBOOK
    assert f"{b.sis_id} (canvas marked it late)" in out
    assert f"{c.sis_id}: kept {canvas_file(c, 950, '05_assignment_binary_digits-1.ipynb')} " \
           "(the later re-upload (-1))" in out
    assert canvas_file(d, 903, "notes.pdf") in out and "readme.txt" in out
    assert f"not on the roster (collected under their LMS id): 1\n    {stranger.canvas_id}" in out
    assert "missing (on the roster, nothing in this download): 2" in out
    assert f"{d.sortable} ({d.sis_id})" in out
    manifest = json.loads((root / ".autograder" / "lms" / "week1.json").read_text())
    record = manifest["students"][b.sis_id]
    assert record["lms_id"] == str(b.canvas_id) and record["files"][0]["attachment_id"] == "901"
    assert record["files"][0]["late"] is True


def test_canvas_anonymous_and_old_lowercase_late(tmp_path, capsys):
    root = course(tmp_path)
    download = write_zip(tmp_path / "s.zip", {f"anon_k3xq9_812_{NB}": NOTEBOOK,
                                              f"doejane_late_123_813_{NB}": NOTEBOOK})
    assert _collect(root, download, "--from", "canvas") == 0
    assert _submitted(root) == {"123": [NB], "anon_k3xq9": [NB]}
    assert "123 (canvas marked it late)" in capsys.readouterr().out


# --- Moodle --------------------------------------------------------------------------------------
@pytest.mark.parametrize("folders", [True, False])
def test_moodle_download_with_worksheet_times(tmp_path, capsys, folders):
    root, class_ = course(tmp_path), people(4)
    files = {moodle_file(p, NB, folders): NOTEBOOK for p in class_[:3]}
    files[moodle_file(class_[0], "onlinetext.html", folders).replace("_file", "_onlinetext")] = b"<p>"
    download = write_zip(tmp_path / "moodle.zip", files)
    sheet = tmp_path / "worksheet.csv"
    sheet.write_text(moodle_worksheet(class_, {class_[0].participant: "Monday, 8 January 2024, 11:23 AM"}),
                     encoding="utf-8")
    (root / "autograder.toml").write_text('[late]\ntimezone = "Europe/Berlin"\n'
                                          '[late.week1]\ndeadline = "2024-01-08 09:00"\n')
    assert _collect(root, download, "--from", "moodle", "--roster", str(sheet)) == 0
    out = capsys.readouterr().out
    assert _submitted(root) == {p.sis_id: [NB] + (["timestamp.txt"] if p is class_[0] else [])
                                for p in class_[:3]}
    stamp = (root / "submitted" / class_[0].sis_id / "week1" / "timestamp.txt").read_text()
    assert stamp.strip() == "2024-01-08 11:23:00+01:00"  # Berlin, from autograder.toml
    assert f"{class_[0].sis_id} (2.4 h after the deadline)" in out
    assert "missing (on the roster, nothing in this download): 1" in out
    assert "onlinetext.html" in out  # not a notebook: listed


# --- Blackboard ----------------------------------------------------------------------------------
def test_blackboard_attempts_receipt_and_timezone(tmp_path, capsys):
    root, (p, q) = course(tmp_path), people(2)
    files = {**blackboard_files("Week 1", p, "2024-01-08-11-23-45", NB),
             **blackboard_files("Week 1", p, "2024-01-09-08-00-00", NB),
             **blackboard_files("Week 1", q, "2024-01-07-10-00-00", "my work.ipynb")}
    files = {k: (NOTEBOOK + k[-30:].encode() if k.endswith(".ipynb") else v)
             for k, v in files.items()}
    download = write_zip(tmp_path / "gradebook_NN101_Week201.zip", files)
    assert _collect(root, download, "--from", "blackboard", "--timezone", "America/New_York") == 0
    out = capsys.readouterr().out
    user = p.username.replace("_", "")
    assert _submitted(root) == {user: [NB, "timestamp.txt"],
                                q.username.replace("_", ""): ["my work.ipynb", "timestamp.txt"]}
    assert (root / "submitted" / user / "week1" / "timestamp.txt").read_text().strip() == \
        "2024-01-09 08:00:00-05:00"
    assert f"{user}: kept Week 1_{user}_attempt_2024-01-09-08-00-00_{NB} (submitted later" in out
    manifest = json.loads((root / ".autograder" / "lms" / "week1.json").read_text())
    assert manifest["students"][user]["name"] == p.full  # from the receipt


# --- folder and --pattern ------------------------------------------------------------------------
def test_folder_and_pattern(tmp_path, capsys):
    root = course(tmp_path)
    folder = tmp_path / "unpacked"
    (folder / "alice" / "week1").mkdir(parents=True)
    (folder / "alice" / "week1" / NB).write_bytes(NOTEBOOK)
    (folder / "alice" / "week1" / "timestamp.txt").write_text("2024-02-01 10:00:00 UTC")
    assert _collect(root, folder, "--from", "folder") == 0
    assert _submitted(root) == {"alice": [NB, "timestamp.txt"]}
    capsys.readouterr()
    download = write_zip(tmp_path / "x.zip", {f"hw1-s{n:03d}-2024-03-0{n}T10:00:00.ipynb": NOTEBOOK
                                               for n in (1, 2)} | {"other.ipynb": NOTEBOOK})
    pattern = r"hw1-(?P<student>s\d+)-(?P<timestamp>[\d\-T:]+)\.ipynb"
    assert _collect(root, download, "--pattern", pattern) == 0
    out = capsys.readouterr().out
    assert {"s001", "s002"} <= set(_submitted(root)) and "other.ipynb" in out


# --- hostile and broken archives -----------------------------------------------------------------
def _hostile_zip(path: Path, good: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(good, NOTEBOOK)
        archive.writestr(f"../../evil_1_2_{NB}", NOTEBOOK)
        archive.writestr(f"/etc/abs_3_4_{NB}", NOTEBOOK)
        link = zipfile.ZipInfo(f"link_5_6_{NB}")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/home/instructor/solutions.ipynb")
        archive.writestr(f"bomb_7_8_{NB}", b"\0" * (5 * 2**20))  # inflates ~1000x
        archive.writestr(f"big_9_10_{NB}", os.urandom(21 * 2**20), zipfile.ZIP_STORED)
        archive.writestr("nested_11_12_submission.zip", b"PK\x05\x06" + b"\0" * 18)
        archive.writestr(f"twice_13_14_{NB}", NOTEBOOK)
        archive.writestr("twice_13_15_my_copy.ipynb", NOTEBOOK)
        archive.writestr("cafX_16_17_x.ipynb", NOTEBOOK)
    # A Latin-1 name without the UTF-8 flag, as old Windows zippers write them.
    path.write_bytes(path.read_bytes().replace(b"cafX", b"caf\xe9"))
    return path


def test_hostile_entries_are_refused_with_reasons_and_nothing_else_is_lost(tmp_path, capsys):
    root = course(tmp_path)
    download = _hostile_zip(tmp_path / "evil.zip", f"alice_21_22_{NB}")
    assert _collect(root, download, "--from", "canvas") == 0
    out = capsys.readouterr().out
    assert _submitted(root) == {"13": [NB], "16": ["x.ipynb"], "21": [NB]}
    for name, reason in [(f"../../evil_1_2_{NB}", "its path leaves the download"),
                         (f"/etc/abs_3_4_{NB}", "its path leaves the download"),
                         (f"link_5_6_{NB}", "it is a symbolic link"),
                         (f"bomb_7_8_{NB}", "it inflates"),
                         (f"big_9_10_{NB}", "it is 21.0 MB, over the limit of 20.0 MB")]:
        assert f"    {name}: {reason}" in out, name
    assert "archives inside the download (not unpacked): 1" in out and "nested_11_12" in out
    assert "13: not kept twice_13_15_my_copy.ipynb" in out
    assert not list(tmp_path.rglob("evil_1_2*")) and not list(tmp_path.rglob("abs_3_4*"))
    assert not (root / "submitted" / "5").exists()
    manifest = json.loads((root / ".autograder" / "lms" / "week1.json").read_text())
    assert manifest["students"]["16"]["files"][0]["as_downloaded"] == "caf\\xe9_16_17_x.ipynb"


def test_truncated_zip_is_refused_with_the_fix(tmp_path, capsys):
    root = course(tmp_path)
    whole = write_zip(tmp_path / "whole.zip", {f"a_1_2_{NB}": NOTEBOOK * 50})
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole.read_bytes()[:-30])
    assert _collect(root, cut, "--from", "canvas") == 2
    err = capsys.readouterr().err
    assert "is not a complete zip" in err and "download it again" in err
    assert not (root / "submitted").exists()


def test_entry_damaged_in_the_download_is_refused(tmp_path, capsys):
    root = course(tmp_path)
    path = write_zip(tmp_path / "d.zip", {f"a_1_2_{NB}": NOTEBOOK * 40, f"b_3_4_{NB}": NOTEBOOK})
    data = bytearray(path.read_bytes())
    data[60] ^= 0xFF  # inside a's compressed bytes
    path.write_bytes(bytes(data))
    assert _collect(root, path, "--from", "canvas") == 0
    out = capsys.readouterr().out
    assert f"a_1_2_{NB}: it is damaged in the download" in out
    assert _submitted(root) == {"3": [NB]}


def test_folder_with_symlinks_is_refused(tmp_path, capsys):
    root = course(tmp_path)
    folder = tmp_path / "dl"
    folder.mkdir()
    (tmp_path / "secret.ipynb").write_bytes(NOTEBOOK)
    (folder / f"a_1_2_{NB}").symlink_to(tmp_path / "secret.ipynb")
    (folder / f"b_3_4_{NB}").write_bytes(NOTEBOOK)
    assert _collect(root, folder, "--from", "canvas") == 0
    assert f"a_1_2_{NB}: it is a symbolic link" in capsys.readouterr().out
    assert _submitted(root) == {"3": [NB]}


# --- collecting again ----------------------------------------------------------------------------
def test_collecting_again_is_idempotent_and_never_older_over_newer(tmp_path, capsys):
    root, (p,) = course(tmp_path), people(1)
    user = p.username.replace("_", "")
    later = write_zip(tmp_path / "later.zip", {
        k: (b"v2" if k.endswith(".ipynb") else v)
        for k, v in blackboard_files("W1", p, "2024-01-09-08-00-00", NB).items()})
    earlier = write_zip(tmp_path / "earlier.zip", {
        k: (b"v1" if k.endswith(".ipynb") else v)
        for k, v in blackboard_files("W1", p, "2024-01-08-08-00-00", NB).items()})
    args = ("--from", "blackboard", "--timezone", "UTC")
    assert _collect(root, later, *args) == 0
    assert _collect(root, later, *args) == 0
    out = capsys.readouterr().out
    assert "unchanged (already collected): 1\n    " in out.split("collect week1")[-1]
    assert _collect(root, earlier, *args) == 0
    out = capsys.readouterr().out
    assert f"{user}: submitted 2024-01-09 08:00+00:00, this download's 2024-01-08 08:00+00:00" in out
    nb = root / "submitted" / user / "week1" / NB
    assert nb.read_bytes() == b"v2"
    # A later one replaces it; the replaced files are moved aside, not deleted.
    latest = write_zip(tmp_path / "latest.zip", {
        k: (b"v3" if k.endswith(".ipynb") else v)
        for k, v in blackboard_files("W1", p, "2024-01-10-08-00-00", NB).items()})
    assert _collect(root, latest, *args) == 0
    assert nb.read_bytes() == b"v3"
    assert (nb.parent / ".replaced" / "1" / NB).read_bytes() == b"v2"


# --- bad input -----------------------------------------------------------------------------------
def test_bad_input_exits_2_naming_the_fix(tmp_path, capsys):
    root = course(tmp_path)
    canvas = write_zip(tmp_path / "c.zip", {f"doejane_123_813_{NB}": NOTEBOOK})
    notes = tmp_path / "class.csv"
    notes.write_text("name,grade\nAlice,3\n")
    cases = [
        ([str(canvas)], "--from canvas, moodle, blackboard"),
        ([str(canvas), "--from", "moodle"], "try --from canvas"),
        ([str(canvas), "--pattern", "(unclosed"], "--pattern is not a regular expression"),
        ([str(canvas), "--pattern", r"(?P<who>\d+)"], "(?P<student>...)"),
        ([str(tmp_path / "nope.zip"), "--from", "canvas"], "does not exist"),
        ([str(canvas), "--from", "canvas", "--roster", str(canvas)], "is not text"),
        ([str(canvas), "--from", "canvas", "--roster", str(notes)], "not a roster this grader"),
        ([str(canvas), "--from", "canvas", "--timezone", "Mars/Olympus"], "IANA"),
    ]
    for args, expected in cases:
        assert cli.main(["--root", str(root), "collect", "week1", *args]) == 2, args
        assert expected in capsys.readouterr().err, args
    assert cli.main(["--root", str(root), "collect", "week9", str(canvas), "--from", "canvas"]) == 2
    assert "check the assignment name (the course has week1)" in capsys.readouterr().err
    assert not (root / "submitted").exists()
