"""A read-only playlist's refusal says what fits the cause: "make it writable (chmod u+w)" was
said of another user's file (which ``chmod`` cannot change) and of one on a read-only disk
(which no mode bit makes writable) too. Tests run as root here: another user's file is made
with ``chown``, a read-only disk with a tmpfs remounted read-only; each skips where it cannot
be made."""

from __future__ import annotations

import os
import pwd
import subprocess

import pytest
from playlist_support import playlist_library

from musicsage import cli
from musicsage.usecases.library import scan_library


def _mix(ctx, tmp_path, lists=None):
    ctx, music, made_lists, ids = playlist_library(ctx, tmp_path)
    path = (lists or made_lists) / "Mix.m3u8"
    path.write_text(f"#EXTM3U\n{music / 'A/One.wav'}\n", "utf-8")
    scan_library(ctx, [], [str(path)])
    return ctx, path, ids


def _refusal(ctx, capsys, *args: str) -> str:
    rc = cli.main(["suggest", "Mix", *args, "--data-dir", str(ctx.data_dir)])
    out, err = capsys.readouterr()
    assert rc == 1 and out == "", (rc, out, err)
    assert len(err.strip().splitlines()) == 1, err
    return err.strip()


def test_another_users_file_is_said_to_be_theirs(ctx, tmp_path, capsys):
    if os.geteuid() != 0:
        pytest.skip("giving a file to another user needs root")
    ctx, path, ids = _mix(ctx, tmp_path)
    other = pwd.getpwnam("nobody")
    os.chown(path, other.pw_uid, -1)
    os.chmod(path, 0o444)
    before = path.read_bytes()
    try:
        added = _refusal(ctx, capsys, "--add", str(ids["B/Three.wav"]))
        removed = _refusal(ctx, capsys, "--remove", str(ids["A/One.wav"]))
    finally:
        os.chmod(path, 0o644)
    head = f"musicsage suggest: playlist 'Mix' is read-only ({path}); the file was not touched"
    assert added == (f"{head}: it belongs to nobody; save the suggestions as a playlist of "
                     "their own with `--m3u FILE` instead")
    assert removed == (f"{head}: it belongs to nobody; ask its owner to change it, or copy it "
                       "to a playlist file of your own and import that")
    assert path.read_bytes() == before


@pytest.fixture
def read_only_disk(tmp_path):
    """A folder on a tmpfs of its own, and how to make that disk read-only."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")

    def make_read_only() -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)

    yield disk, make_read_only
    subprocess.run(["umount", str(disk)], check=False)


def test_a_file_on_a_read_only_disk_is_said_to_be_there(ctx, tmp_path, read_only_disk, capsys):
    disk, make_read_only = read_only_disk
    ctx, path, ids = _mix(ctx, tmp_path, lists=disk)
    make_read_only()
    line = _refusal(ctx, capsys, "--add", str(ids["B/Three.wav"]))
    head = f"musicsage suggest: playlist 'Mix' is read-only ({path}); the file was not touched"
    assert line == (f"{head}: it is on a read-only disk; save the suggestions as a playlist of "
                    "their own with `--m3u FILE` instead")
    assert "chmod" not in line
    removed = _refusal(ctx, capsys, "--remove", str(ids["A/One.wav"]))
    assert removed == (f"{head}: it is on a read-only disk; remount that disk writable, or copy "
                       "it to a playlist file of your own and import that")


def test_a_removal_an_acl_refuses_says_how_to_go_on(tmp_path):
    """Our own file, writable by its mode, that we may not write all the same (an ACL, an
    immutable attribute): the removal's line ended with the cause alone."""
    from musicsage.usecases.suggest import read_only_line

    path = tmp_path / "Mix.m3u8"
    path.write_text("#EXTM3U\n", "utf-8")
    head = f"playlist 'Mix' is read-only ({path}); the file was not touched"
    assert read_only_line(head, str(path), None) == (
        f"{head}: its ACL or attributes forbid writing it; ask whoever set them to lift them "
        "(getfacl, lsattr show them), or copy it to a playlist file of your own and import that")
