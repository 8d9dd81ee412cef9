"""A track in a folder the user cannot open (``chmod 000`` on the folder, a drive mounted for
another user) is refused in one line that names that folder and says what to do: the player
showed Python's own "cannot play song.wav: [Errno 13] Permission denied: '/…/song.wav'".

As root every folder opens, so the refusal is made where the system makes it: ``stat`` of a
name inside the locked folder fails with EACCES (the real ``chmod`` case runs as anyone else).
"""

from __future__ import annotations

import errno
import os

import numpy as np
import pytest
import soundfile as sf

from musicsage.playback import PlaybackEngine
from playback_support import Output, quick_worker, wait_for  # noqa: F401 - a fixture


def _song_in_locked_folder(tmp_path) -> tuple[str, str]:
    locked = tmp_path / "Albums" / "locked"
    locked.mkdir(parents=True)
    song = locked / "song.wav"
    sf.write(song, np.zeros((4000, 2), np.float32), 8000)
    return str(locked), str(song)


def _refuse_inside(monkeypatch, folder: str) -> None:
    """``stat`` (and so every open) of a name inside ``folder`` fails as the system's would."""
    real_stat = os.stat

    def stat(path, *args, **kwargs):
        followed = "" if isinstance(path, int) else os.path.realpath(os.fsdecode(path))
        if followed.startswith(folder + os.sep):  # through a link too, as the kernel does
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)


def _played(song: str) -> PlaybackEngine:
    engine = PlaybackEngine(stream_factory=Output())
    engine.load(song, autoplay=True)
    wait_for(lambda: engine.state != "loading")
    return engine


def _expected(locked: str) -> str:
    return (f"cannot play song.wav: permission denied (the folder {locked} cannot be opened; "
            "give your user access to it, or move the music out of it)")


def test_a_track_in_a_folder_that_cannot_be_opened_names_the_folder(tmp_path, monkeypatch,
                                                                    quick_worker):
    locked, song = _song_in_locked_folder(tmp_path)
    _refuse_inside(monkeypatch, locked)
    engine = _played(song)
    assert (engine.state, engine.error_kind) == ("error", "file")  # the next track may play
    assert engine.error == _expected(locked)
    assert "Errno" not in engine.error and "\n" not in engine.error


def test_a_link_into_a_locked_folder_names_that_folder_not_the_links(tmp_path, monkeypatch,
                                                                    quick_worker):
    locked, song = _song_in_locked_folder(tmp_path)
    link = tmp_path / "song.wav"
    link.symlink_to(song)
    _refuse_inside(monkeypatch, locked)
    engine = _played(str(link))
    assert engine.error == _expected(locked)


@pytest.mark.skipif(os.geteuid() == 0, reason="root opens every folder")
def test_a_real_chmod_000_folder_names_the_folder(tmp_path, quick_worker):
    locked, song = _song_in_locked_folder(tmp_path)
    os.chmod(locked, 0)
    try:
        engine = _played(song)
    finally:
        os.chmod(locked, 0o755)
    assert engine.error == _expected(locked)


def test_a_file_that_cannot_be_read_says_what_to_do(tmp_path, monkeypatch, quick_worker):
    """The file itself refused (``chmod 000`` on it): libsndfile cannot open it, nor FFmpeg's
    file object; the line said what was wrong, not what to do about it."""
    import builtins

    from musicsage.playback import decoders

    _locked, song = _song_in_locked_folder(tmp_path)
    real_open = builtins.open

    def refused(*args, **kwargs):
        raise RuntimeError("Error opening 'song.wav': System error.")

    def open_(file, *args, **kwargs):
        if not isinstance(file, int) and os.fsdecode(file) == song:
            raise PermissionError(errno.EACCES, "Permission denied", song)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(decoders, "soundfile_blocks", refused)
    monkeypatch.setattr(builtins, "open", open_)
    engine = _played(song)
    assert (engine.state, engine.error_kind) == ("error", "file")
    assert engine.error == ("cannot play song.wav: permission denied (the file is not "
                            "readable; give your user read access to it)")
