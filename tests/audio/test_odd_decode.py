"""Decoding files a library may hold by the time ``embed`` reads them: one whose path the
system will not look up, an empty one. Each is one track's one-line failure, never a
traceback."""

from __future__ import annotations

import logging
import os

import numpy as np
import pytest
import soundfile as sf

from musicsage.audio import decode
from musicsage.audio.embed_job import prepare_track


def path_past_the_limit(tmp_path) -> str:
    """A path of more than 4,096 bytes: the system refuses it before looking for it."""
    path = str(tmp_path)
    while len(os.fsencode(path)) < 4200:
        path = os.path.join(path, "d" * 200)
    return os.path.join(path, "song.wav")


def test_a_path_stat_cannot_look_up_is_a_decode_error_not_an_os_error(tmp_path, caplog):
    """``Path.is_file`` lets every error but "not found" through: ``embed`` printed the
    traceback of a PermissionError (a folder on the way locked) or, here, of a path longer
    than the system takes, and listed the track as ``PermissionError: [Errno 13] …``."""
    long_path = path_past_the_limit(tmp_path)
    with pytest.raises(decode.DecodeError, match=r"song\.wav: cannot reach the file \(File "
                                                 r"name too long\)"):
        decode.probe(long_path)
    with caplog.at_level(logging.WARNING):
        prepared = prepare_track(None, 7, long_path)  # fails before the model is needed
    assert prepared.error is not None and "cannot reach the file" in prepared.error
    assert caplog.records == []  # no "embedding … failed" with a traceback


def test_an_empty_file_is_said_to_be_empty(tmp_path):
    """The scan says "empty file" of it; ``embed`` said FFmpeg's "Invalid data found when
    processing input" when the file was emptied after the scan."""
    song = tmp_path / "song.wav"
    sf.write(song, np.zeros(1000, np.float32), 8000)
    decode.probe(song)
    song.write_bytes(b"")
    with pytest.raises(decode.DecodeError, match=r"song\.wav: empty file$"):
        decode.probe(song)
