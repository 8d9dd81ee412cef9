"""A track whose file cannot be looked at for a reason other than its absence or permissions
— the disk's I/O error, an sshfs mount whose server went away (ENOTCONN), a stale NFS handle, a
name too long — was said to be "file not found": the user went looking for a file that is
there, on a drive that fails. The player says the system's own error again, as before the
permission-denied line was added; only what ``Path.is_file`` hid is "not found"."""

from __future__ import annotations

import errno
import os

import numpy as np
import pytest
import soundfile as sf
from playback_support import Output, quick_worker, wait_for  # noqa: F401 - a fixture

from musicsage.playback import PlaybackEngine
from musicsage.playback.not_a_file import is_a_file

pytestmark = pytest.mark.usefixtures("quick_worker")


def _failing(monkeypatch, song, code: int) -> None:
    """``stat`` and ``lstat`` of ``song`` fail with ``code``, as the system's would."""
    def failing(real):
        def look(path, *args, **kwargs):
            if not isinstance(path, int) and os.fsdecode(path) == str(song):
                raise OSError(code, os.strerror(code), os.fsdecode(path))
            return real(path, *args, **kwargs)
        return look

    monkeypatch.setattr(os, "stat", failing(os.stat))
    monkeypatch.setattr(os, "lstat", failing(os.lstat))


@pytest.mark.parametrize("code", [errno.EIO, errno.ENOTCONN, errno.ESTALE, errno.ENAMETOOLONG])
def test_a_file_the_drive_fails_to_look_at_is_not_said_to_be_missing(tmp_path, monkeypatch,
                                                                    code):
    song = tmp_path / "song.wav"
    sf.write(song, np.zeros((4000, 2), np.float32), 8000)
    _failing(monkeypatch, song, code)
    eng = PlaybackEngine(stream_factory=Output())
    eng.load(str(song), autoplay=True)
    wait_for(lambda: eng.state != "loading")
    assert (eng.state, eng.error_kind) == ("error", "file")
    assert "not found" not in eng.error
    assert os.strerror(code) in eng.error and eng.error.startswith("cannot play song.wav")


@pytest.mark.parametrize("name", ["gone.wav", "a\0b.wav"])
def test_what_path_is_file_said_no_to_is_still_no(tmp_path, name):
    (tmp_path / "f.wav").write_bytes(b"")
    assert is_a_file(str(tmp_path / name)) is False
    assert is_a_file(str(tmp_path / "f.wav" / "x.wav")) is False  # ENOTDIR
    assert is_a_file(str(tmp_path / "f.wav")) is True
