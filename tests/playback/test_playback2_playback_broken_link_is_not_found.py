"""A track that is a link whose target is gone (a library of links to a drive not mounted, a
file moved away) said "not a file: …": as if a folder or a pipe stood in the track's place. It
is a file not found, and the line says which link points where."""

from __future__ import annotations

import os

import numpy as np
import soundfile as sf
from playback_support import Output, quick_worker, wait_for  # noqa: F401 - a fixture

from musicsage.playback import PlaybackEngine


def test_a_broken_link_says_file_not_found_and_where_it_pointed(tmp_path, quick_worker):
    target, link = tmp_path / "drive" / "song.wav", tmp_path / "song.wav"
    target.parent.mkdir()
    sf.write(str(target), np.zeros(800, np.float32), 8000)
    os.symlink(target, link)
    target.unlink()  # the drive is not mounted: the link points nowhere
    eng = PlaybackEngine(stream_factory=Output())
    try:
        eng.load(link, autoplay=True)
        wait_for(lambda: eng.state == "error")
        assert eng.error_kind == "file"
        assert eng.error == f"file not found: {link} (a link to {target}, which is gone)"
    finally:
        eng.close()


def test_a_link_to_a_folder_is_still_not_a_file(tmp_path, quick_worker):
    folder, link = tmp_path / "album", tmp_path / "song.wav"
    folder.mkdir()
    os.symlink(folder, link)
    eng = PlaybackEngine(stream_factory=Output())
    try:
        eng.load(link, autoplay=True)
        wait_for(lambda: eng.state == "error")
        assert eng.error == f"not a file: {link}"
    finally:
        eng.close()
