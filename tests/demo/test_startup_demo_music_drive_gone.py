"""The demo's music was on a drive that is now unplugged: its folder is gone, and the nearest
folder above it that is left (the bare mount point, or the folder above one the automounter
removed) is on another device than the build recorded. Opening the demo again says the
drive looks gone and writes nothing there (it rendered the whole demo onto the system's
disk); a folder made again by hand is the way to render it anew there. Music deleted from a
drive still mounted (the same device), a first build stopped before it made the folder
(nothing recorded) and a state file of an earlier version (no device) are built as before:
an empty folder above was refused as "unplugged"."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from musicsage.cli import main
from musicsage.context import AppContext
from musicsage.errors import Cancelled, MusicsageError
from musicsage.progress import CancelToken
from musicsage.usecases.demo import build_demo, check_demo

ARGS = ["--tracks", "8", "--seconds", "1", "--until", "generate"]


def _built_on_a_drive(tmp_path, mount=None):
    library, mount = tmp_path / "lib", mount or tmp_path / "media" / "usb"
    music = mount / "demo-music"
    mount.mkdir(parents=True)
    assert main(["--data-dir", str(library), "demo", str(music), *ARGS]) == 0
    return library, mount, music


def _tracks(music) -> int:
    return sum(p.suffix in (".flac", ".ogg", ".mp3") for p in music.rglob("*"))


def _recorded(library) -> dict:
    return json.loads((library / "demo-state.json").read_text(encoding="utf-8"))


def _unplugged(library, music) -> None:
    """The drive goes: its folder with it, and what is left above it is on the system's disk,
    another device than the one the build recorded for the music."""
    raw = _recorded(library)
    raw["music_device"] = os.stat(music).st_dev + 1
    (library / "demo-state.json").write_text(json.dumps(raw), encoding="utf-8")
    shutil.rmtree(music)


def test_the_command_says_the_drive_is_gone_and_writes_nothing(tmp_path, capsys):
    library, mount, music = _built_on_a_drive(tmp_path)
    _unplugged(library, music)
    capsys.readouterr()

    assert main(["--data-dir", str(library), "demo", *ARGS]) == 1

    err = capsys.readouterr().err
    assert "unplugged or not mounted" in err and str(music) in err, err
    assert list(mount.iterdir()) == [], "nothing is written into the empty mount point"


def test_the_window_check_refuses_it_too_and_a_folder_made_again_is_rebuilt(tmp_path):
    library, mount, music = _built_on_a_drive(tmp_path)
    _unplugged(library, music)
    ctx = AppContext.create(library)
    with pytest.raises(MusicsageError, match="unplugged or not mounted"):
        check_demo(ctx)
    assert list(mount.iterdir()) == []

    music.mkdir()  # the way on the refusal gives
    assert main(["--data-dir", str(library), "demo", *ARGS]) == 0
    assert _tracks(music) == 8


def test_a_mount_point_the_automounter_removed_beside_another_drive_is_refused(tmp_path,
                                                                               capsys):
    media = tmp_path / "media" / "me"
    (media / "OTHER-DRIVE").mkdir(parents=True)  # another drive, still plugged in
    library, mount, music = _built_on_a_drive(tmp_path, media / "USB")
    _unplugged(library, music)
    mount.rmdir()  # udisks2 removes /media/$USER/LABEL when the drive goes
    capsys.readouterr()

    assert main(["--data-dir", str(library), "demo", *ARGS]) == 1

    assert "unplugged or not mounted" in capsys.readouterr().err
    assert sorted(p.name for p in media.iterdir()) == ["OTHER-DRIVE"], "nothing rendered"


def test_music_deleted_from_a_drive_still_mounted_is_rendered_again(tmp_path, capsys):
    library, mount, music = _built_on_a_drive(tmp_path)
    shutil.rmtree(music)  # the user deleted it; the drive (the mount point) is there, empty

    assert main(["--data-dir", str(library), "demo", *ARGS]) == 0, capsys.readouterr().err
    assert _tracks(music) == 8
    assert _recorded(library)["music_device"] == os.stat(music).st_dev


def test_a_first_build_stopped_before_it_made_the_folder_resumes(tmp_path):
    stick = tmp_path / "stick"  # a freshly mounted, empty drive
    stick.mkdir()
    ctx = AppContext.create(tmp_path / "lib")
    stopped = CancelToken()
    stopped.cancel()
    with pytest.raises(Cancelled):
        build_demo(ctx, n_tracks=8, seconds=1, music_dir=stick / "demo-music",
                   until="generate", cancel=stopped)
    assert (tmp_path / "lib" / "demo-state.json").exists()
    assert not (stick / "demo-music").exists()

    check_demo(ctx, until="generate")  # refused as "drive unplugged" before
    build_demo(ctx, until="generate")
    assert _tracks(stick / "demo-music") == 8


def test_a_state_file_of_an_earlier_version_is_rendered_again_as_before(tmp_path):
    library, mount, music = _built_on_a_drive(tmp_path)
    raw = _recorded(library)
    raw.pop("music_device", None)  # an earlier version recorded none
    (library / "demo-state.json").write_text(json.dumps(raw), encoding="utf-8")
    shutil.rmtree(music)

    assert main(["--data-dir", str(library), "demo", *ARGS]) == 0
    assert _tracks(music) == 8
