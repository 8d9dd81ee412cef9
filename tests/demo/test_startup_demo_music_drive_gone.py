"""The demo's music was on a drive that is now unplugged: its folder is gone and the mount
point is left empty. Opening the demo again says the drive looks gone and writes nothing
into the mount point (it rendered the whole demo there, onto the system's disk); a folder
made again by hand is the way to render it anew there."""

from __future__ import annotations

import shutil

import pytest

from musicsage.cli import main
from musicsage.context import AppContext
from musicsage.errors import MusicsageError
from musicsage.usecases.demo import check_demo

ARGS = ["--tracks", "8", "--seconds", "1", "--until", "generate"]


def _built_on_a_drive(tmp_path):
    library, mount = tmp_path / "lib", tmp_path / "media" / "usb"
    music = mount / "demo-music"
    mount.mkdir(parents=True)
    assert main(["--data-dir", str(library), "demo", str(music), *ARGS]) == 0
    shutil.rmtree(music)  # unplugged: the mount point stays, empty
    return library, mount, music


def test_the_command_says_the_drive_is_gone_and_writes_nothing(tmp_path, capsys):
    library, mount, music = _built_on_a_drive(tmp_path)
    capsys.readouterr()

    assert main(["--data-dir", str(library), "demo", *ARGS]) == 1

    err = capsys.readouterr().err
    assert "unplugged or not mounted" in err and str(music) in err, err
    assert list(mount.iterdir()) == [], "nothing is written into the empty mount point"


def test_the_window_check_refuses_it_too_and_a_folder_made_again_is_rebuilt(tmp_path):
    library, mount, music = _built_on_a_drive(tmp_path)
    ctx = AppContext.create(library)
    with pytest.raises(MusicsageError, match="unplugged or not mounted"):
        check_demo(ctx)
    assert list(mount.iterdir()) == []

    music.mkdir()  # the way on the refusal gives
    assert main(["--data-dir", str(library), "demo", *ARGS]) == 0
    assert any(music.rglob("*.wav")) or any(music.rglob("*.*"))
